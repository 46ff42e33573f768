// The rt11f red team's findings (issue 11) that a unit can show: NEAR/n and ADJ/n windows, display
// controls on the terminal and in exports, duplicate JSON keys, the words for a kind of path, the
// facets JSON's total_exact, and the collection steps that must stay linear.
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "quire/collections.h"
#include "quire/exports.h"
#include "quire/files.h"
#include "quire/json_input.h"
#include "quire/output.h"
#include "quire/query_check.h"
#include "quire/utf8.h"
#include "support.h"

namespace {

// U+202E RIGHT-TO-LEFT OVERRIDE, U+2066 LEFT-TO-RIGHT ISOLATE, U+2069 POP DIRECTIONAL ISOLATE.
const std::string kRLO = "\xE2\x80\xAE", kLRI = "\xE2\x81\xA6", kPDI = "\xE2\x81\xA9";
const std::string kFFFD = "\xEF\xBF\xBD";

}  // namespace

TEST_CASE("rt11f: every malformed NEAR/n and ADJ/n window is a bad query, never words", "[rt11f][query]") {
  const std::vector<std::string> fields = {"title"};
  const std::string near = "the distance must be a whole number of words from 1 to 1000 (NEAR/5: within 5 words)";
  const std::string adj = "the distance must be a whole number of words from 1 to 1000 (ADJ/5: within 5 words)";
  struct Case {
    std::string query, error;
  };
  const Case cases[] = {
      {"peace NEAR/1 war", ""},
      {"peace NEAR/5 war", ""},
      {"peace ADJ/3 war", ""},
      {"peace NEAR/05 war", ""},  // Xapian reads NEAR/05 as NEAR/5
      {"peace NEAR/1000 war", ""},
      {"peace NEAR war", ""},
      {"\"peace NEAR/0 war\"", ""},  // inside a phrase it is words
      {"title:NEAR/0", ""},          // a field's value
      {"peace NEAR/0 war", "'NEAR/0' at character 7: " + near},
      {"peace NEAR/000 war", "'NEAR/000' at character 7: " + near},
      {"peace ADJ/0 war", "'ADJ/0' at character 7: " + adj},
      {"peace ADJ/-1 war", "'ADJ/-1' at character 7: " + adj},
      {"peace NEAR/+3 war", "'NEAR/+3' at character 7: " + near},
      {"peace NEAR/ war", "'NEAR/' at character 7: " + near},
      {"peace NEAR/x war", "'NEAR/x' at character 7: " + near},
      {"peace NEAR/5x war", "'NEAR/5x' at character 7: " + near},
      {"peace NEAR/1.5 war", "'NEAR/1.5' at character 7: " + near},
      {"peace NEAR/1001 war", "'NEAR/1001' at character 7: " + near},
      {"peace NEAR/4294967297 war", "'NEAR/4294967297' at character 7: " + near},  // wraps to 1 in 32 bits
      {"a NEAR/99999999999 b", "'NEAR/99999999999' at character 3: " + near},
      {"NEAR/999999999 a b", "'NEAR/999999999' at character 1: " + near},
      {"(peace NEAR/0 war) OR truce", "'NEAR/0' at character 8: " + near},
      // A good window still needs its two terms.
      {"NEAR/5 war", "'NEAR/5' at character 1 needs a term on each side"},
      {"peace ADJ/2", "'ADJ/2' at character 7 needs a term on each side"},
      {"peace NEAR/3 OR war", "'NEAR/3' at character 7 needs a term on each side"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.query);
    CHECK(quire::check_query(c.query, fields) == c.error);
  }
}

TEST_CASE("rt11f: bidi overrides and isolates are shown as controls on the terminal", "[rt11f][utf8]") {
  struct Case {
    std::string in, printable, line;
  };
  const Case cases[] = {
      {"x" + kRLO + "gpj.exe", "x" + kFFFD + "gpj.exe", "x\\u202egpj.exe"},
      {"a\xE2\x80\xAA"
       "b\xE2\x80\xAC",
       "a" + kFFFD + "b" + kFFFD, "a\\u202ab\\u202c"},
      {kLRI + "x" + kPDI, kFFFD + "x" + kFFFD, "\\u2066x\\u2069"},
      {"\xE2\x81\xAA"
       "y",
       kFFFD + "y", "\\u206ay"},  // U+206A, a deprecated format control
      {"\xEF\xBF\xB9"
       "z",
       kFFFD + "z", "\\ufff9z"},  // U+FFF9, an interlinear annotation anchor
      {"a\xE2\x80\xA8"
       "b",
       "a b", "a\\u2028b"},  // a line separator: a space in text, an escape in a message (rt11h row 5)
      // Marks, joiners and soft hyphens reorder nothing: right-to-left text and Persian need them.
      {"\xD8\xB3\xE2\x80\x8F\xD9\x84", "\xD8\xB3\xE2\x80\x8F\xD9\x84", "\xD8\xB3\xE2\x80\x8F\xD9\x84"},
      {"\xD9\x85\xE2\x80\x8C\xDB\x8C", "\xD9\x85\xE2\x80\x8C\xDB\x8C", "\xD9\x85\xE2\x80\x8C\xDB\x8C"},
      {"co\xC2\xAD"
       "operation",
       "co\xC2\xAD"
       "operation",
       "co\xC2\xAD"
       "operation"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.in);
    CHECK(quire::printable(c.in) == c.printable);
    CHECK(quire::printable_line(c.in) == c.line);
    CHECK(quire::message_value(c.in) == c.line);
  }
  for (char32_t cp : {0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069})
    CHECK(quire::is_display_control(cp));
  for (char32_t cp : {0x200E, 0x200F, 0x061C, 0x200C, 0x200D, 0x00AD, 0x2029, 0x0041})
    CHECK_FALSE(quire::is_display_control(cp));
}

TEST_CASE("rt11f: exports carry no display control, and keep the text in the order it was written",
          "[rt11f][exports]") {
  quire::DocumentMeta m;
  m.id = "d" + kRLO + "1";
  m.title = "Report on " + kRLO + "cod.exe" + kPDI;
  m.authors = {"Ann " + kLRI + "Smith" + kPDI};
  m.publisher = "Inst" + kRLO + "itute";
  m.date = "2020";
  m.extra = {{"session", "7" + kRLO + "5"}};
  for (const std::string format : {"ris", "bibtex", "csv", "csl-json", "jsonl"}) {
    CAPTURE(format);
    const std::string out = quire::export_documents({m}, format);
    for (const std::string& control : {kRLO, kLRI, kPDI}) CHECK(out.find(control) == std::string::npos);
    CHECK(out.find("cod.exe") != std::string::npos);
    CHECK(out.find("Smith") != std::string::npos);
    CHECK(out.find("Institute") != std::string::npos);
  }
  CHECK(quire::without_display_controls("a" + kRLO + "b" + kLRI + "c") == "abc");
  CHECK(quire::without_display_controls("plain \xC3\xA9") == "plain \xC3\xA9");
}

TEST_CASE("rt11f: parse_json refuses a key given twice when asked, at any depth", "[rt11f][json]") {
  struct Case {
    const char* text;
    const char* error;  // "" when it parses
  };
  const Case cases[] = {
      {R"({"id": "a", "query": "x"})", ""},
      {R"({"id": "a", "query": "x", "query": "y"})", "duplicate key \"query\""},
      {R"({"id": "a", "id": "b"})", "duplicate key \"id\""},
      {R"({"filters": {"actor": "x", "actor": "y"}})", "duplicate key \"actor\""},
      {R"([{"a": 1}, {"a": 2}])", ""},            // the same key in two objects
      {R"({"a": {"b": 1}, "b": {"a": 2}})", ""},  // the same key at two depths
      {R"({"a": {"a": {"a": 1}}})", ""},
      {R"({"q": 1, "q\u0000": 2})", ""},  // two keys, one with a NUL
      {R"({"x": [{"k": 1, "k": 2}]})", "duplicate key \"k\""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    if (*c.error == '\0') {
      CHECK_NOTHROW(quire::parse_json(c.text, quire::kMaxJsonDepth, quire::DuplicateKeys::kRefuse));
    } else {
      CHECK_THROWS_AS(quire::parse_json(c.text, quire::kMaxJsonDepth, quire::DuplicateKeys::kRefuse),
                      quire::JsonDuplicateKeyError);
      CHECK_THROWS_WITH(quire::parse_json(c.text, quire::kMaxJsonDepth, quire::DuplicateKeys::kRefuse), c.error);
    }
    CHECK_NOTHROW(quire::parse_json(c.text));  // quire's own records: nlohmann's last-one-wins
  }
  // A key in a message is shown as a message shows any value: an escape, not a terminal control.
  CHECK_THROWS_WITH(
      quire::parse_json("{\"a\\u001b\": 1, \"a\\u001b\": 2}", quire::kMaxJsonDepth, quire::DuplicateKeys::kRefuse),
      "duplicate key \"a\\x1b\"");
}

TEST_CASE("rt11f: one set of words says what kind of thing a path is", "[rt11f][files]") {
  quire::test::TempDir tmp;
  const std::string dir = tmp.path();
  const std::string file = tmp.write("f.txt", "x"), fifo = dir + "/pipe", link = dir + "/link", sock = dir + "/s";
  REQUIRE(::mkfifo(fifo.c_str(), 0644) == 0);
  std::filesystem::create_symlink(file, link);
  const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  REQUIRE(sock.size() < sizeof addr.sun_path);
  std::copy(sock.begin(), sock.end(), addr.sun_path);
  REQUIRE(::bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0);
  struct Case {
    std::string path, kind;
  };
  const Case cases[] = {
      {file, "a file"},          {dir, "a folder"},  {fifo, "a named pipe"},    {"/dev/zero", "a device"},
      {"/dev/null", "a device"}, {sock, "a socket"}, {link, "a symbolic link"}, {dir + "/none", ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.path);
    CHECK(quire::path_kind(c.path) == c.kind);
    struct stat st {};
    if (!c.kind.empty() && ::lstat(c.path.c_str(), &st) == 0) CHECK(quire::file_kind(st.st_mode) == c.kind);
  }
  ::close(fd);
}

TEST_CASE("rt11f: the facets JSON says total_exact as a search's does", "[rt11f][facets]") {
  struct Case {
    const char* what;
    bool exact, timed_out, time_limited;
    bool want_exact;
  };
  const Case cases[] = {
      {"counted whole", true, false, false, true},
      {"an estimate", false, false, false, false},
      {"stopped by --timeout-ms", true, true, false, false},
      {"stopped by serve's --time-limit", true, false, true, false},
  };
  for (const auto& c : cases) {
    CAPTURE(c.what);
    quire::SearchResults r;
    r.query = "the";
    r.total = 22;
    r.total_exact = c.exact;
    r.timed_out = c.timed_out;
    r.time_limited = c.time_limited;
    const nlohmann::json j = quire::facet_counts_to_json(r);
    REQUIRE(j.contains("total_exact"));
    CHECK(j["total_exact"] == c.want_exact);
    CHECK(j["total"] == 22);
    CHECK(j.value("timed_out", false) == c.timed_out);
    CHECK(j.contains("facets"));
  }
}

TEST_CASE("rt11f: documents added and excluded by hand are each listed once, the other list losing them",
          "[rt11f][collections]") {
  struct Case {
    const char* what;
    std::vector<std::string> added, excluded, ids;
    bool exclude;
    std::vector<std::string> want_added, want_excluded;
  };
  const Case cases[] = {
      {"add new ids in order", {"a"}, {}, {"c", "b"}, false, {"a", "c", "b"}, {}},
      {"add an id twice", {}, {}, {"b", "b", "a", "b"}, false, {"b", "a"}, {}},
      {"add takes an id out of the excluded", {}, {"x", "y", "z"}, {"y"}, false, {"y"}, {"x", "z"}},
      {"exclude takes it out of the added", {"a", "b", "c"}, {"q"}, {"b", "c"}, true, {"a"}, {"q", "b", "c"}},
      {"exclude one already excluded", {}, {"q"}, {"q"}, true, {}, {"q"}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.what);
    quire::Collection col;
    col.added = c.added;
    col.excluded = c.excluded;
    quire::mark_documents(col, c.ids, c.exclude);
    CHECK(col.added == c.want_added);
    CHECK(col.excluded == c.want_excluded);
  }
  // 10,000 ids at once (a request's limit) against 10,000 already there: sets, not a scan per id.
  quire::Collection big;
  std::vector<std::string> ids;
  for (int i = 0; i < 10000; ++i) {
    big.excluded.push_back("e" + std::to_string(i));
    ids.push_back("e" + std::to_string(i * 2));
  }
  quire::mark_documents(big, ids, false);
  CHECK(big.added.size() == 10000);
  CHECK(big.excluded.size() == 5000);
}

TEST_CASE("rt11f: BibTeX keys stay unique when many ids make the same key", "[rt11f][exports]") {
  std::vector<quire::DocumentMeta> docs;
  for (int i = 0; i < 3000; ++i) {
    quire::DocumentMeta m;
    m.id = "\xD8\xB3\xD8\xB3" + std::string(i % 2 ? "" : " ");  // Arabic ids: every one is "__" or "___"
    m.title = "t";
    docs.push_back(m);
  }
  quire::DocumentMeta taken;
  taken.id = "___2";  // a real id that is also the key the second "__" would take
  docs.insert(docs.begin(), taken);
  const std::string bib = quire::export_documents(docs, "bibtex");
  std::set<std::string> keys;
  std::size_t entries = 0;
  for (std::size_t at = bib.find("@misc{"); at != std::string::npos; at = bib.find("@misc{", at + 1)) {
    ++entries;
    keys.insert(bib.substr(at + 6, bib.find(',', at) - at - 6));
  }
  CHECK(entries == docs.size());
  CHECK(keys.size() == docs.size());
  CHECK(keys.count("___2") == 1);      // the real id's
  CHECK(keys.count("___3") == 1);      // the second "__": key_2 was taken
  CHECK(keys.count("___1501") == 1);   // the 1,500th "__"
  CHECK(keys.count("____1500") == 1);  // the 1,500th "___"
}
