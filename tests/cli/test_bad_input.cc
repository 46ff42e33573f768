// The bad-input catalogue: every kind of broken file and query a user's folders and fingers produce.
// Each file case indexes the bad file beside a good one and checks the message (file and reason), the
// exit code (README "Exit codes"), that the good document is searchable and that the index still opens.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>

#include "support.h"

using quire::test::corpus_index;
using quire::test::run_quire;
using quire::test::shared_dir;
using quire::test::TempDir;

using quire::test::write;

namespace fs = std::filesystem;

namespace {

const char* const kGood = "The maritime corridor through the Arabian Sea was discussed by the ministers at length.\n";

std::string xml_doc(const std::string& id, const std::string& body) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<document version=\"1\" id=\"" + id +
         "\"><meta><title>T</title></meta><body>" + body + "</body></document>\n";
}

struct FileCase {
  const char* kind;
  const char* name;  ///< file name in the folder
  std::function<void(const std::string& path)> make;
  int exit_code;        ///< of `quire index` on the folder
  const char* message;  ///< expected on stderr after "FILE: " (a warning or "not indexed")
  const char* search;   ///< a word of the bad file that must be found after a repair ("" if none)
};

std::string repeat(const std::string& s, std::size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

const std::vector<FileCase>& file_cases() {
  static const std::vector<FileCase> cases = {
      {"invalid UTF-8 in UTF-8 text", "damaged.txt",
       [](const std::string& p) {
         write(p, "Z\xC3\xBCrich and the bad \xFF byte sit in one sentence about Zanzibar.\n");
       },
       0, "1 invalid UTF-8 byte sequence(s) replaced with U+FFFD", "zanzibar"},
      {"Latin-1 text", "latin1.txt",
       [](const std::string& p) { write(p, "M\xFCnchen and S\xE3o Paulo signed an accord on caf\xE9 exports.\n"); }, 0,
       "not UTF-8: read as Windows-1252 (Latin-1)", "m\xC3\xBCnchen"},
      {"Windows-1252 text (curly quotes, dashes)", "cp1252.txt",
       [](const std::string& p) { write(p, "\x93Quagmire\x94 \x96 the minister said of the talks in Doha.\n"); }, 0,
       "not UTF-8: read as Windows-1252 (Latin-1)", "quagmire"},
      {"Latin-1 XML with no encoding declared (as reut2-017.xml)", "latin.xml",
       [](const std::string& p) {
         write(p,
               "<?xml version=\"1.0\"?>\n<document version=\"1\" id=\"lat\"><meta><title>T</title></meta><body>"
               "<section><p>Gespr\xE4"
               "che in Z\xFCrich about Liechtenstein.</p></section></body></document>");
       },
       0, "not UTF-8: read as Windows-1252 (Latin-1)", "liechtenstein"},
      {"UTF-16 XML", "utf16.xml",
       [](const std::string& p) {
         const std::string x = xml_doc("u16", "<section><p>Vanuatu in UTF-16.</p></section>");
         std::string b = "\xFF\xFE";
         for (char c : x) b += std::string{c, '\0'};
         write(p, b);
       },
       0, nullptr, "vanuatu"},
      {"NUL bytes at the start", "nul.txt", [](const std::string& p) { write(p, std::string("ab\0\0cd ef", 9)); }, 1,
       "not text: the file holds binary data (NUL bytes in its first 8 KB), though its name ends in .txt", ""},
      {"a stray NUL deep in text", "late-nul.txt",
       [](const std::string& p) {
         write(p, repeat("Text about Kiribati and the sea. ", 400) + std::string("x\0y\n", 4));
       },
       0, "1 NUL byte(s) replaced with spaces", "kiribati"},
      {"binary file with a text extension", "image.txt",
       [](const std::string& p) {
         write(p, std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16) + repeat("\x01\xFF", 500));
       },
       1,
       "not text: the file holds binary data (PNG image) (NUL bytes in its first 8 KB), though its name ends in .txt",
       ""},
      {"binary file with a Markdown extension", "blob.md",
       [](const std::string& p) {
         write(p, std::string("\x7F"
                              "ELF\x02\x01\x01\0\0\0",
                              10));
       },
       1,
       "not text: the file holds binary data (executable) (NUL bytes in its first 8 KB), though its name ends in .md",
       ""},
      {"empty file", "empty.txt", [](const std::string& p) { write(p, ""); }, 1,
       "no text to index (empty, or nothing left after cleaning)", ""},
      {"whitespace-only file", "blank.txt", [](const std::string& p) { write(p, "  \n\t\n\r\n   "); }, 1,
       "no text to index (empty, or nothing left after cleaning)", ""},
      {"a 2 MB single line (CI-sized; 50 MB in docs/robustness.md)", "oneline.txt",
       [](const std::string& p) { write(p, repeat("tuvalu policy ", 150000)); }, 0,
       "break(s) added to lines longer than 16384 bytes", "tuvalu"},
      {"a 100,000-letter word", "longword.txt",
       [](const std::string& p) { write(p, "Nauru " + std::string(100000, 'a') + " and more words follow here.\n"); },
       0, "1 word(s) longer than 256 bytes shortened", "nauru"},
      {"empty XML file", "empty.xml", [](const std::string& p) { write(p, ""); }, 1,
       "line 1: not well-formed XML: No document element found", ""},
      {"truncated XML", "truncated.xml",
       [](const std::string& p) { write(p, xml_doc("t", "<section><p>cut").substr(0, 120)); }, 1, "not well-formed XML",
       ""},
      {"XML that is not well-formed", "crossed.xml",
       [](const std::string& p) { write(p, xml_doc("c", "<section><p>a</section></p>")); }, 1,
       "line 2: not well-formed XML: Start-end tags mismatch", ""},
      {"XML in a foreign schema (RSS)", "feed.xml",
       [](const std::string& p) { write(p, "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel/></rss>"); }, 1,
       "line 2: root element is <rss>, expected <document>", ""},
      // Read by what it is (the HTML reader), which finds no article in it.
      {"XHTML with an .xml extension", "page.xml",
       [](const std::string& p) {
         write(p, "<html xmlns=\"http://www.w3.org/1999/xhtml\"><body><p> </p></body></html>");
       },
       1, "no text to index (an HTML page with no readable body text)", ""},
      {"deeply nested XML (100,000 levels)", "deep.xml",
       [](const std::string& p) {
         write(p, xml_doc("d", repeat("<section>", 100000) + "<p>x</p>" + repeat("</section>", 100000)));
       },
       1, "unexpected element <section> in <section>", ""},
      {"XML with entity declarations (a billion laughs)", "laughs.xml",
       [](const std::string& p) {
         write(p,
               "<?xml version=\"1.0\"?>\n<!DOCTYPE d [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;\">"
               "<!ENTITY c \"&b;&b;&b;&b;&b;\">]>\n<document version=\"1\" id=\"l\"><meta><title>&c;</title>"
               "</meta><body><section><p>&c;</p></section></body></document>");
       },
       1, "document type declarations (<!DOCTYPE ...>) are not allowed", ""},
      {"XML with an external DTD", "dtd.xml",
       [](const std::string& p) {
         write(p, "<?xml version=\"1.0\"?>\n<!DOCTYPE document SYSTEM \"file:///etc/passwd\">\n" +
                      xml_doc("x", "<section><p>x</p></section>").substr(22));
       },
       1, "document type declarations (<!DOCTYPE ...>) are not allowed", ""},
      {"XML document with no text", "notext.xml", [](const std::string& p) { write(p, xml_doc("nt", "")); }, 1,
       "the document has no paragraphs", ""},
      {"XML of another format version", "v9.xml",
       [](const std::string& p) {
         std::string x = xml_doc("v", "<section><p>x</p></section>");
         x.replace(x.find("version=\"1\" id"), 11, "version=\"9\"");
         write(p, x);
       },
       1, "unsupported document format version \"9\"", ""},
      {"a symbolic link loop", "loop.txt",
       [](const std::string& p) {
         REQUIRE(::symlink((p + ".2").c_str(), p.c_str()) == 0);
         REQUIRE(::symlink(p.c_str(), (p + ".2").c_str()) == 0);
       },
       1, "cannot open: Too many levels of symbolic links", ""},
      {"a dangling symbolic link", "dangling.txt",
       [](const std::string& p) { REQUIRE(::symlink("/nonexistent/quire/file.txt", p.c_str()) == 0); }, 1,
       "cannot open: No such file or directory", ""},
      {"a pipe with a text extension (reading it would hang)", "pipe.txt",
       [](const std::string& p) { REQUIRE(::mkfifo(p.c_str(), 0600) == 0); }, 1,
       "not a regular file: it is a named pipe; quire reads only regular files", ""},
      {"a file over the size limit", "huge.txt",
       [](const std::string& p) { write(p, repeat("Palau ", 200000)); },  // 1.2 MB, with --max-file-mb 1
       1, "file is 1.1 MB; the limit is 1 MB (--max-file-mb)", ""},
  };
  return cases;
}

}  // namespace

TEST_CASE("bad files: each is named with its reason, the rest is indexed, the index stays valid", "[bad-input]") {
  for (const auto& c : file_cases()) {
    DYNAMIC_SECTION(c.kind) {
      TempDir dir;
      const std::string docs = dir.path() + "/docs", db = dir.path() + "/index";
      fs::create_directories(docs);
      write(docs + "/good.txt", kGood);
      const std::string bad = docs + "/" + c.name;
      c.make(bad);
      const bool limit_case = std::string(c.name) == "huge.txt";
      const auto r = run_quire({"index", "--db", db, "--max-file-mb", limit_case ? "1" : "100", docs});
      INFO(r.out << r.err);
      CHECK(r.exit_code == c.exit_code);
      if (c.message) CHECK_THAT(r.err, Catch::Contains(bad + ": ") && Catch::Contains(c.message));
      if (c.exit_code == 1) CHECK_THAT(r.err, Catch::Contains("quire: not indexed: " + bad));
      CHECK(run_quire({"search", "--db", db, "arabian"}).exit_code == 0);  // the good document
      if (*c.search) CHECK(run_quire({"search", "--db", db, c.search}).exit_code == 0);
      const auto info = run_quire({"info", "--db", db, "--json"});
      REQUIRE(info.exit_code == 0);
      CHECK(nlohmann::json::parse(info.out)["documents"] == (*c.search ? 2 : 1));
    }
  }
}

TEST_CASE("bad files: an unreadable file", "[bad-input]") {
  TempDir dir;
  write(dir.path() + "/good.txt", kGood);
  write(dir.path() + "/secret.txt", kGood);
  ::chmod((dir.path() + "/secret.txt").c_str(), 0);
  std::vector<std::string> args = {QUIRE_BINARY, "index", "--db", dir.path() + "/index", dir.path()};
  if (::geteuid() == 0) {
    // root reads any file: run quire as nobody, in a folder nobody may write to.
    ::chmod(dir.path().c_str(), 0777);
    args.insert(args.begin(), {"runuser", "-u", "nobody", "--"});
  }
  const auto r = quire::test::run_program(args);
  if (r.exit_code == 127 || (::geteuid() == 0 && r.err.find("runuser") != std::string::npos)) {
    WARN("skipped: running as root without runuser: " << r.err);
    return;
  }
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains(dir.path() + "/secret.txt: cannot open: Permission denied"));
  CHECK_THAT(r.out, Catch::Contains("indexed 1 of 2 files"));
}

TEST_CASE("bad files: duplicate ids, unknown extensions, missing paths", "[bad-input]") {
  TempDir dir;
  write(dir.path() + "/a.xml", xml_doc("same", "<section><p>First about Fiji.</p></section>"));
  write(dir.path() + "/b.xml", xml_doc("same", "<section><p>Second about Samoa.</p></section>"));
  write(dir.path() + "/photo.png", "\x89PNG\r\n\x1a\n");
  write(dir.path() + "/sheet.xlsx", "PK\x03\x04");
  write(dir.path() + "/other.xlsx", "PK\x03\x04");
  const auto r = run_quire({"index", "--db", dir.path() + "/index", dir.path()});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains(dir.path() + "/b.xml: duplicate document id \"same\" (already indexed from " +
                                    dir.path() + "/a.xml)"));
  // In a folder, files no reader reads are counted, not failed.
  CHECK_THAT(r.err, !Catch::Contains("photo.png"));
  CHECK_THAT(r.out, Catch::Contains("indexed 1 of 2 files"));
  CHECK_THAT(r.out, Catch::Contains("skipped 3: .xlsx 2, .png 1"));
  const auto named =
      run_quire({"index", "--db", dir.path() + "/index", dir.path() + "/photo.png", dir.path() + "/missing.txt"});
  CHECK(named.exit_code == 1);
  CHECK_THAT(named.err, Catch::Contains("photo.png: unsupported file type: binary data (PNG image) (.png)"));
  CHECK_THAT(named.err, Catch::Contains("missing.txt: no such file or folder"));
}

TEST_CASE("bad files: files that vanish while the indexer runs", "[bad-input]") {
  TempDir dir;
  const std::string docs = dir.path() + "/docs";
  fs::create_directories(docs);
  for (int i = 0; i < 400; ++i) write(docs + "/d" + std::to_string(i) + ".txt", kGood);
  std::thread remover([&] {
    for (int i = 399; i >= 0; i -= 2) fs::remove(docs + "/d" + std::to_string(i) + ".txt");
  });
  const auto r = run_quire({"index", "--db", dir.path() + "/index", docs});
  remover.join();
  INFO(r.err);
  CHECK((r.exit_code == 0 || r.exit_code == 1));  // 1 when a file went between listing and reading
  std::istringstream lines(r.err);
  for (std::string l; std::getline(lines, l);) {
    CHECK_THAT(l, Catch::StartsWith("quire: not indexed: " + docs + "/d"));
    CHECK_THAT(l, Catch::Contains("No such file"));
  }
  REQUIRE(run_quire({"info", "--db", dir.path() + "/index"}).exit_code == 0);
  // A second run brings the index in line with the folder.
  const auto again = run_quire({"index", "--db", dir.path() + "/index", "--prune", docs});
  CHECK(again.exit_code == 0);
  const auto info = nlohmann::json::parse(run_quire({"info", "--db", dir.path() + "/index", "--json"}).out);
  CHECK(info["documents"] == 200);
}

TEST_CASE("bad queries: each gets one line saying what is wrong, and a documented exit code", "[bad-input]") {
  const std::string words = [] {
    std::string w;
    for (int i = 0; i < 100000; ++i) w += "w" + std::to_string(i % 977) + " ";
    return w;
  }();
  const struct {
    const char* kind;
    std::vector<std::string> args;
    int exit_code;
    const char* message;
  } cases[] = {
      {"a 100 KB query", {std::string(100 * 1024, 'x')}, 2, "bytes long; the limit is 16384 (--max-query-bytes)"},
      {"an unbalanced quote", {"\"maritime corridor"}, 2, "unbalanced quotes"},
      {"an unbalanced parenthesis", {"(maritime OR corridor"}, 2, "unbalanced parentheses"},
      {"a stray closing parenthesis", {"maritime)"}, 2, "has no matching '('"},
      {"an unknown field prefix", {"colour:blue"}, 2, "unknown field 'colour:'"},
      {"an unknown actor", {"actor:atlantis"}, 2, "unknown actor 'atlantis'"},
      {"an empty query", {""}, 2, "empty query"},
      {"a limit past the page size", {"--limit", "100000", "pakistan"}, 2, "--limit must be between 1 and 10000"},
      {"a query of punctuation", {"?!;"}, 2, "no searchable words"},
      {"a* over the vocabulary, capped", {"--max-wildcard", "5", "p*"}, 0, nullptr},
      {"ten wildcards, the most allowed", {"p* c* s* m* a* t* r* i* o* n*"}, 0, nullptr},
      {"200 wildcards (minutes of work before the time limit)",
       {[] {
         std::string q;
         for (int i = 0; i < 200; ++i) q += "a* ";
         return q;
       }()},
       2,
       "the query has 200 wildcards; the limit is 10"},
      {"eleven wildcards glued by operators",
       {"(a* OR b*) AND (c* OR d* OR e* OR f*) NEAR g* h* i* j* k*"},
       2,
       "the query has 11 wildcards"},
      {"5,000 nested parentheses", {std::string(5000, '(') + "pakistan" + std::string(5000, ')')}, 0, nullptr},
      {"control characters", {"pakistan\x01 \x07china\x1b"}, 0, nullptr},
      {"bytes that are not UTF-8", {"pakistan \xFF\xFE"}, 0, nullptr},
  };
  // 100,000 terms do not fit in one command-line argument (128 KB): they come through a batch file.
  TempDir dir;
  const auto file = dir.write("q.tsv", "big\t" + words + "\n");
  const auto big = run_quire({"batch", "--db", corpus_index(), "--max-query-bytes", "10000000", file});
  CHECK(big.exit_code == 1);
  CHECK_THAT(big.err, Catch::Contains(file + ":1: bad query: the query has 100000 words; the limit is 1000"));
  for (const auto& c : cases) {
    INFO(c.kind);
    std::vector<std::string> args = {"search", "--db", corpus_index()};
    args.insert(args.end(), c.args.begin(), c.args.end());
    const auto r = run_quire(args);
    CHECK(r.exit_code == c.exit_code);
    if (c.message) {
      CHECK_THAT(r.err, Catch::StartsWith("quire: ") && Catch::Contains(c.message));
      CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    }
  }
}

TEST_CASE("search --html escapes markup from documents and queries", "[bad-input][html]") {
  TempDir dir;
  write(dir.path() + "/evil.xml",
        "<?xml version=\"1.0\"?>\n<document version=\"1\" id=\"evil\"><meta><title>&lt;img src=x onerror=alert(1)&gt;"
        "</title><authors><author>Eve &lt;script&gt;</author></authors></meta><body><section><p>The "
        "&lt;script&gt;alert('corridor')&lt;/script&gt; &amp;amp; \"quoted\" corridor text.</p></section></body>"
        "</document>\n");
  REQUIRE(run_quire({"index", "--db", dir.path() + "/index", dir.path()}).exit_code == 0);
  const auto r = run_quire({"search", "--db", dir.path() + "/index", "--html", "corridor <b>"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::StartsWith("<!DOCTYPE html>"));
  CHECK_THAT(r.out, Catch::Contains("&lt;img src=x onerror=alert(1)&gt;"));
  CHECK_THAT(r.out, Catch::Contains("&lt;script&gt;alert(&#39;<mark>corridor</mark>&#39;)&lt;/script&gt;"));
  CHECK_THAT(r.out, Catch::Contains("&amp;amp; &quot;quoted&quot; <mark>corridor</mark>"));
  CHECK_THAT(r.out, Catch::Contains("<title>quire: corridor &lt;b&gt;</title>"));
  // The only tags are quire's own.
  for (const char* tag : {"<script", "<img", "<b>"}) CHECK(r.out.find(tag) == std::string::npos);
}

TEST_CASE("bad files: a file that grows while the indexer runs", "[bad-input]") {
  TempDir dir;
  const std::string docs = dir.path() + "/docs", db = dir.path() + "/index";
  fs::create_directories(docs);
  for (int i = 0; i < 100; ++i) write(docs + "/d" + std::to_string(i) + ".txt", kGood);
  const std::string growing = docs + "/growing.txt";
  write(growing, kGood);
  std::atomic<bool> done{false};
  std::thread writer([&] {
    std::ofstream out(growing, std::ios::app);
    while (!done) {  // about 70 KB a second until the indexer has finished
      out << "Another line about Tonga, written while the indexer reads the folder.\n" << std::flush;
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  });
  const auto r = run_quire({"index", "--db", db, docs});
  done = true;
  writer.join();
  INFO(r.err);
  CHECK(r.exit_code == 0);  // indexed as it was read
  CHECK_THAT(r.out, Catch::StartsWith("indexed 101 of 101 files"));
  REQUIRE(run_quire({"info", "--db", db}).exit_code == 0);
  // Its size and time have moved on since: the next run reads it again, and then nothing is left to do.
  const auto again = run_quire({"index", "--db", db, docs});
  CHECK(again.exit_code == 0);
  CHECK_THAT(again.out, Catch::StartsWith("indexed 1 of 101 files (100 unchanged"));
  CHECK_THAT(run_quire({"index", "--db", db, docs}).out, Catch::StartsWith("indexed 0 of 101 files (101 unchanged"));
  CHECK(run_quire({"search", "--db", db, "tonga"}).exit_code == 0);
}
