// Tables for the functions at quire's trust boundaries (docs/robustness.md, "Threat model"): dates,
// JSON depth, text decoding, terminal-safe text, long file keys, field bounds and export escaping.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "quire/document.h"
#include "quire/errors.h"
#include "quire/exports.h"
#include "quire/files.h"
#include "quire/index_format.h"
#include "quire/json_input.h"
#include "quire/utf8.h"
#include "support.h"

TEST_CASE("date_problem takes dates that exist and names what is wrong with the rest", "[hostile][dates]") {
  const struct {
    const char* date;
    const char* problem;  ///< "" for a good date
  } cases[] = {
      {"2024", ""},
      {"2024-02", ""},
      {"2024-02-29", ""},
      {"2000-02-29", ""},
      {"1000-01-01", ""},
      {"2999-12-31", ""},
      {"0000", "has year 0000"},
      {"0999", "has year 0999"},
      {"3000", "has year 3000"},
      {"2024-02-30", "does not exist (that month has 29 days)"},
      {"2023-02-29", "does not exist (that month has 28 days)"},
      {"1900-02-29", "does not exist"},
      {"2023-04-31", "does not exist (that month has 30 days)"},
      {"2023-13-01", "has month 13"},
      {"2023-00", "has month 00"},
      {"2023-01-00", "does not exist"},
      {"2023-1-1", "is not YYYY, YYYY-MM or YYYY-MM-DD"},
      {"20230101", "is not YYYY"},
      {"2023/01/01", "is not YYYY"},
      {"2023-01-01T00:00", "is not YYYY"},
      {"-202", "is not YYYY"},
      {"２０２３", "is not YYYY"},  // full-width digits
      {"", "is not YYYY"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.date);
    const std::string p = quire::date_problem(c.date);
    if (*c.problem) {
      CHECK_THAT(p, Catch::Contains(c.problem));
    } else {
      CHECK(p.empty());
    }
  }
}

TEST_CASE("parse_json refuses nesting past the limit before parsing, whatever the brackets", "[hostile][json]") {
  const auto deep = [](std::size_t n) { return std::string(n, '[') + std::string(n, ']'); };
  const struct {
    std::string text;
    bool refused;
  } cases[] = {
      {deep(64), false},
      {deep(65), true},
      {deep(70000), true},
      {std::string(70000, '['), true},                                     // never closed
      {"{\"a\":" + deep(63) + "}", false},                                 // 64 levels in all
      {"{\"a\":" + deep(64) + "}", true},                                  // 65
      {"\"" + std::string(100000, '[') + "\"", false},                     // inside a string
      {"[\"\\\"" + std::string(100, '[') + "\"]", false},                  // after an escaped quote
      {"[" + std::string(10000, ']') + std::string(70, '[') + "]", true},  // stray closers do not hide depth
      {R"({"id":"x","query":"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["})", false},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text.substr(0, 80));
    if (c.refused) {
      CHECK_THROWS_AS(quire::parse_json(c.text), quire::JsonDepthError);
    } else {
      try {
        (void)quire::parse_json(c.text);
      } catch (const quire::JsonDepthError&) {
        FAIL("refused as too deep");
      } catch (const nlohmann::json::exception&) {
        // not JSON: the parser's business, not the depth check's
      }
    }
  }
}

TEST_CASE("decode_text reads UTF-8, UTF-16 with and without a byte order mark, and Windows-1252", "[hostile][utf8]") {
  const auto u16 = [](const std::string& ascii, bool le) {
    std::string out;
    for (char c : ascii) out += le ? std::string{c, '\0'} : std::string{'\0', c};
    return out;
  };
  const struct {
    const char* kind;
    std::string bytes;
    std::string text;
    const char* note;
  } cases[] = {
      {"UTF-8", "plain caf\xC3\xA9", "plain caf\xC3\xA9", ""},
      {"UTF-8 with a BOM", "\xEF\xBB\xBFwith bom", "with bom", ""},
      {"UTF-16LE BOM", "\xFF\xFE" + u16("hello world", true), "hello world", "read as UTF-16LE"},
      {"UTF-16BE BOM", "\xFE\xFF" + u16("hello world", false), "hello world", "read as UTF-16BE"},
      {"UTF-16LE, no BOM", u16("hello world", true), "hello world", "without a byte order mark"},
      {"UTF-16BE, no BOM", u16("hello world", false), "hello world", "without a byte order mark"},
      {"UTF-16LE surrogate pair", std::string("\xFF\xFE\x3D\xD8\x00\xDE", 6), "\xF0\x9F\x98\x80", "UTF-16LE"},
      {"UTF-16LE lone surrogate", std::string("\xFF\xFE\x00\xD8\x41\x00", 6),
       "\xEF\xBF\xBD"
       "A",
       "UTF-16LE"},
      {"Windows-1252", "\x93quoted\x94 caf\xE9", "\xE2\x80\x9Cquoted\xE2\x80\x9D caf\xC3\xA9", "Windows-1252"},
      {"damaged UTF-8", "ok \xC3\xA9 bad \xE2\x82", "ok \xC3\xA9 bad \xEF\xBF\xBD", "replaced with U+FFFD"},
      {"binary with NULs is not UTF-16", std::string("\x89PNG\0\0\0\rIHDR\0\0\x01\x02", 16), "", ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.kind);
    const auto d = quire::decode_text(c.bytes);
    if (std::string(c.kind).rfind("binary", 0) == 0) {
      CHECK(d.note.find("UTF-16") == std::string::npos);
      continue;
    }
    CHECK(d.text == c.text);
    CHECK_THAT(d.note, Catch::Contains(c.note));
    CHECK(quire::is_valid_utf8(d.text));
  }
}

TEST_CASE("printable keeps text and its length in code points, and drops what drives a terminal", "[hostile][utf8]") {
  const struct {
    std::string in, out;
  } cases[] = {
      {"plain text", "plain text"},
      {"tab\tand\nline", "tab\tand\nline"},
      {"\x1b]0;title\x07", "\xEF\xBF\xBD]0;title\xEF\xBF\xBD"},
      {"\x1b[2J", "\xEF\xBF\xBD[2J"},
      {"back\bspace\rcarriage",
       "back\xEF\xBF\xBDspace carriage"},  // CR is a line break: a space (rt11h row 5)
      {"C1 \xC2\x9B"
       "31m",
       "C1 \xEF\xBF\xBD"
       "31m"},
      {"del \x7F", "del \xEF\xBF\xBD"},
      {"bad \xFF", "bad \xEF\xBF\xBD"},
      {"caf\xC3\xA9 \xE2\x80\x9C", "caf\xC3\xA9 \xE2\x80\x9C"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.in);
    const std::string p = quire::printable(c.in);
    CHECK(p == c.out);
    if (quire::is_valid_utf8(c.in)) CHECK(quire::codepoint_count(p) == quire::codepoint_count(c.in));
  }
}

TEST_CASE("file_key fits every path under Xapian's key limit and keeps paths apart", "[hostile][format]") {
  namespace fmt = quire::format;
  const std::string long_a = "/" + std::string(300, 'a') + "/x.txt", long_b = "/" + std::string(300, 'a') + "/y.txt";
  const struct {
    std::string path;
    bool long_form;
  } cases[] = {
      {"/short/path.txt", false},           {"/" + std::string(242, 'p'), false},  // "F:" + 243 bytes = 245: fits
      {"/" + std::string(243, 'p'), true},  {long_a, true},
      {"/" + std::string(4000, 'd'), true}, {std::string("/caf\xE9/") + std::string(300, 'z'), true},
  };
  for (const auto& c : cases) {
    CAPTURE(c.path.size());
    const std::string k = fmt::file_key(c.path);
    CHECK(k.size() <= fmt::kMaxKeyBytes);
    CHECK(fmt::is_long_file_key(k) == c.long_form);
    if (!c.long_form) CHECK(k == "F:" + c.path);
    CHECK(fmt::from_hex(fmt::to_hex(c.path)) == c.path);
  }
  CHECK(fmt::file_key(long_a) != fmt::file_key(long_b));
  CHECK(fmt::from_hex("zz").empty());
  CHECK(fmt::from_hex("abc").empty());
}

TEST_CASE("bound_fields cuts each field to its limit at a character boundary and says so", "[hostile][document]") {
  quire::DocumentMeta m;
  m.title = std::string(1998, 'a') + "\xC3\xA9\xC3\xA9";  // 2002 bytes, the cut falls inside a character
  m.subtitle = "short";
  m.authors.assign(150, "Some Author");
  m.authors[0] = std::string(600, 'x');
  m.url = std::string(3000, 'u');
  m.volume = std::string(101, '1');
  m.by.assign(30, "PAK");
  for (int i = 0; i < 60; ++i) m.extra.emplace_back("f" + std::to_string(i), i == 0 ? std::string(2000, 'v') : "v");
  const auto warnings = quire::bound_fields(m);
  CHECK(m.title.size() <= 2000);
  CHECK(quire::is_valid_utf8(m.title));
  CHECK(m.subtitle == "short");
  CHECK(m.authors.size() == 100);
  CHECK(m.authors[0].size() <= 500);
  CHECK(m.url.size() <= 2000);
  CHECK(m.volume.size() <= 100);
  CHECK(m.by.size() == 20);
  CHECK(m.extra.size() == 50);
  CHECK(m.extra[0].second.size() <= 1000);
  const std::string all = [&] {
    std::string s;
    for (const auto& w : warnings) s += w + "\n";
    return s;
  }();
  for (const char* expected :
       {"title is 2002 bytes; cut to 2000", "150 authors; the first 100 are kept", "an author is 600 bytes",
        "url is 3000 bytes", "volume is 101 bytes", "30 \"by\" actors", "60 catalogue fields", "f0 is 2000 bytes"})
    CHECK_THAT(all, Catch::Contains(expected));
  quire::DocumentMeta small;
  small.title = "A title";
  CHECK(quire::bound_fields(small).empty());
}

TEST_CASE("CSV export neutralises every cell a spreadsheet would run as a formula", "[hostile][exports]") {
  const struct {
    std::string title;
    std::string cell;  ///< the title's cell as written
  } cases[] = {
      {"=1+1", "'=1+1"},
      {"+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"},
      {"-2+3", "'-2+3"},
      {"@SUM(A1)", "'@SUM(A1)"},
      {"\tTabbed", "\"'\tTabbed\""},  // quoted: a tab is a separator to a spreadsheet reading TSV
      {"\rReturn", "\"'\rReturn\""},
      {"=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""},
      {"\xEF\xBC\x9D"
       "1+1",
       "'\xEF\xBC\x9D"
       "1+1"},  // full-width =
      {"Plain title", "Plain title"},
      {"A = B", "A = B"},
      {"2024 - 2025", "2024 - 2025"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.title);
    quire::DocumentMeta m;
    m.id = "d";
    m.title = c.title;
    const std::string csv = quire::export_documents({m}, "csv");
    const std::string row = csv.substr(csv.find("\r\n") + 2);
    CHECK(row.rfind("d," + c.cell + ",", 0) == 0);
  }
}

TEST_CASE("BibTeX and RIS exports keep every field inside its entry and on its line", "[hostile][exports]") {
  const struct {
    const char* kind;
    std::string value;
  } cases[] = {
      {"closing braces", "a}}, author = {Evil"},
      {"an opening brace", "{unclosed"},
      {"backslashes", "\\end{document}"},
      {"an at sign", "@misc{x,"},
      {"a newline and a tag", "x\nER  - \nTY  - JOUR"},
      {"U+2028 and U+2029",
       "x\xE2\x80\xA8"
       "ER  - \xE2\x80\xA9"
       "TY  - JOUR"},
      {"NEL and form feed",
       "x\xC2\x85"
       "ER  - \x0C"
       "TY  - JOUR"},
      {"a vertical tab", "x\x0BTY  - JOUR"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.kind);
    quire::DocumentMeta m;
    m.id = "d";
    m.title = m.publisher = m.container = m.volume = m.url = m.date = c.value;
    m.authors = {c.value};
    const std::string bib = quire::export_documents({m}, "bibtex");
    // BibTeX counts braces, backslash or not: the entry must close exactly at its last line.
    int depth = 0, closes = 0;
    for (char ch : bib) {
      if (ch == '{') ++depth;
      if (ch == '}' && --depth == 0) ++closes;
      CHECK(depth >= 0);
    }
    CHECK(depth == 0);
    CHECK(closes == 1);
    CHECK(bib.find("\n@", 1) == std::string::npos);
    const std::string ris = quire::export_documents({m}, "ris");
    int er = 0, ty = 0;
    std::size_t start = 0;
    for (std::size_t end; (end = ris.find("\r\n", start)) != std::string::npos; start = end + 2) {
      const std::string line = ris.substr(start, end - start);
      er += line.rfind("ER  - ", 0) == 0;
      ty += line.rfind("TY  - ", 0) == 0;
      CHECK(line.find('\n') == std::string::npos);
      CHECK(line.find("\xE2\x80\xA8") == std::string::npos);
      CHECK(line.find("\xC2\x85") == std::string::npos);
    }
    CHECK(er == 1);
    CHECK(ty == 1);
  }
}

// ---- Files named by the user: read only when they are files, written so that a failure keeps them -----

TEST_CASE("write_output_file replaces a file whole, through a link, and leaves nothing when it fails",
          "[hostile][files]") {
  namespace fs = std::filesystem;
  using quire::Existing;
  quire::test::TempDir dir;
  const auto listing = [&dir] {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir.path())) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
  };
  SECTION("a new file") {
    quire::write_output_file(dir.path() + "/new.ris", "TY  - RPRT\n");
    CHECK(quire::test::read_file(dir.path() + "/new.ris") == "TY  - RPRT\n");
    CHECK(listing() == std::vector<std::string>{"new.ris"});
  }
  SECTION("an old file is kept unless a replace is asked for") {
    const std::string f = dir.write("refs.csv", "old\n");
    CHECK_THROWS_WITH(quire::write_output_file(f, "new\n"),
                      Catch::Contains(f) && Catch::Contains("exists; pass --force to replace it"));
    CHECK(quire::test::read_file(f) == "old\n");
    CHECK(listing() == std::vector<std::string>{"refs.csv"});
  }
  SECTION("an old file is replaced and keeps its permissions") {
    const std::string f = dir.write("refs.csv", "old contents that are longer\n");
    fs::permissions(f, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
    quire::write_output_file(f, "new\n", nullptr, Existing::kReplace);
    CHECK(quire::test::read_file(f) == "new\n");
    CHECK(fs::status(f).permissions() == (fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read));
    CHECK(listing() == std::vector<std::string>{"refs.csv"});
  }
  SECTION("a link stays a link and the file it names is written") {
    const std::string f = dir.write("real.bib", "old\n");
    fs::create_symlink("real.bib", dir.path() + "/link.bib");
    quire::write_output_file(dir.path() + "/link.bib", "@report{x}\n", nullptr, Existing::kReplace);
    CHECK(fs::is_symlink(dir.path() + "/link.bib"));
    CHECK(quire::test::read_file(f) == "@report{x}\n");
  }
  SECTION("an executable file is never replaced") {
    const std::string f = dir.write("tool.sh", "#!/bin/sh\n");
    fs::permissions(f, fs::perms(0750));
    CHECK_THROWS_WITH(quire::write_output_file(f, "x", nullptr, Existing::kReplace),
                      Catch::Contains("is an executable file"));
    CHECK(quire::test::read_file(f) == "#!/bin/sh\n");
    CHECK(listing() == std::vector<std::string>{"tool.sh"});
  }
  SECTION("a device is not a file quire writes") {
    CHECK_THROWS_WITH(quire::write_output_file("/dev/null", "anything\n", nullptr, Existing::kReplace),
                      Catch::Contains("/dev/null") && Catch::Contains("is a device, not a regular file"));
  }
  SECTION("a folder that is not there: an error naming the file") {
    CHECK_THROWS_WITH(quire::write_output_file(dir.path() + "/no/such/out.csv", "x"),
                      Catch::Contains("no/such/out.csv") && Catch::Contains("cannot write"));
  }
  SECTION("a folder is not a file") {
    fs::create_directories(dir.path() + "/sub");
    CHECK_THROWS_WITH(quire::write_output_file(dir.path() + "/sub", "x", nullptr, Existing::kReplace),
                      Catch::Contains("it is a folder, not a regular file"));
  }
}
