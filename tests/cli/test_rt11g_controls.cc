// The rt11g red team's rows 2, 3, 10 and 14 (docs/red-team/2026-12-02-reliability-rt11g.md) on real
// files: an HTML page whose citation_title and text hold ESC, BEL and U+202E, and a text file whose name
// does, indexed by the built quire; then every command that writes their text (batch in each format,
// every export format, search --html and text, convert and convert --text) is checked for raw controls.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "quire/utf8.h"
#include "support.h"

using quire::test::read_file;
using quire::test::run_quire;
using quire::test::RunResult;
using quire::test::TempDir;
using quire::test::write;

namespace {

const std::string kPage =
    "<html><head><meta charset=\"utf-8\"><meta name=\"citation_title\" content=\"Report \x1b]0;PWNED\x07\x1b[41mRED "
    "\xE2\x80\xAEgnp\"><title>x</title></head><body><article><p>Zebra giraffe okapi narwhal prose sentence with "
    "enough words to be counted, surely this is prose \xE2\x80\xAE gnp.exe here \x1b[31m red.</p></article></body>"
    "</html>";
const std::string kText =
    "Zebra giraffe \x1b[31m okapi narwhal prose sentence \xE2\x80\xAE with enough words to be counted, surely.\n";

bool raw_control(const std::string& s) {
  return s.find('\x1b') != std::string::npos || s.find('\x07') != std::string::npos ||
         s.find("\xE2\x80\xAE") != std::string::npos;
}

}  // namespace

TEST_CASE("no output of quire writes a document's ESC BEL or U+202E raw", "[controls][cli]") {
  TempDir tmp;
  const std::string dir = tmp.path();
  write(dir + "/d/t.html", kPage);
  write(dir + "/d/=cmd\x1b[31m\xE2\x80\xAE" "evil.txt", kText);
  const std::string db = dir + "/ix";
  REQUIRE(run_quire({"index", "--db", db, dir + "/d"}).exit_code == 0);
  REQUIRE(run_quire({"collection", "new", "c", "--db", db, "--query", "zebra"}).exit_code == 0);
  const std::string queries = tmp.write("q.tsv", "z1\tzebra\n");
  std::vector<std::vector<std::string>> commands = {
      {"batch", "--db", db, "--format", "tsv", queries},
      {"batch", "--db", db, "--format", "trec", queries},
      {"batch", "--db", db, "--format", "jsonl", queries},
      {"search", "--db", db, "--html", "zebra"},
      {"search", "--db", db, "zebra"},
      {"search", "--db", db, "--json", "zebra"},
      {"collection", "show", "c", "--db", db},
      {"convert", "--text", dir + "/d/=cmd\x1b[31m\xE2\x80\xAE" "evil.txt"},
  };
  for (const char* format : {"csv", "ris", "bibtex", "csl-json", "jsonl"})
    commands.push_back({"collection", "export", "c", "--db", db, "--format", format});
  for (const auto& args : commands) {
    const RunResult r = run_quire(args);
    INFO(args[0] << " " << args[args.size() - 2] << " " << args.back() << ": "
                 << quire::printable_line(r.out.substr(0, 600)));
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("zebra") + r.out.find("Zebra") + r.out.find("evil") != 3 * std::string::npos);
    const bool json = (args[0] == "search" && args[3] == "--json") || (args[0] == "batch" && args[4] == "jsonl");
    if (json) {  // JSON for programs (docs/json-output.md): C0 escaped as \u001b, the text kept
      CHECK(r.out.find('\x1b') == std::string::npos);
      CHECK(r.out.find('\x07') == std::string::npos);
    } else {
      CHECK_FALSE(raw_control(r.out));
    }
  }
}

TEST_CASE("convert then index round-trips a page whose citation_title holds ESC", "[controls][cli]") {
  TempDir tmp;
  write(tmp.path() + "/d/t.html", kPage);
  const RunResult xml = run_quire({"convert", tmp.path() + "/d/t.html"});
  REQUIRE(xml.exit_code == 0);
  CHECK(xml.out.find("&#27;") == std::string::npos);  // no C0 reference: XML 1.0 allows none
  CHECK(xml.out.find("&#x1B;") == std::string::npos);
  CHECK(xml.out.find('\x1b') == std::string::npos);
  write(tmp.path() + "/x/t.xml", xml.out);
  const RunResult ix = run_quire({"index", "--db", tmp.path() + "/ix", tmp.path() + "/x"});
  CHECK(ix.exit_code == 0);
  CHECK(ix.err.find("not indexed") == std::string::npos);
  // The title is cleaned at index time as a <title> is: the same record from the page and from its XML.
  const RunResult a = run_quire({"search", "--db", tmp.path() + "/ix", "--json", "zebra"});
  REQUIRE(run_quire({"index", "--db", tmp.path() + "/ih", tmp.path() + "/d"}).exit_code == 0);
  const RunResult b = run_quire({"search", "--db", tmp.path() + "/ih", "--json", "zebra"});
  // JSON writes the override as its escape (json_text()), the same from both.
  CHECK(a.out.find("\"title\":\"Report ]0;PWNED[41mRED \\u202egnp\"") != std::string::npos);
  CHECK(b.out.find("\"title\":\"Report ]0;PWNED[41mRED \\u202egnp\"") != std::string::npos);
}
