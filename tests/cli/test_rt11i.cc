// The rt11i red team's rows 3 and 4 (docs/red-team/2026-12-03-reliability-rt11i.md) on real files:
// a Windows-1252 web page with no charset (its quotation, euro sign and dash), a page mostly UTF-8 with
// one bad byte, a declared ISO-8859-1 page, through `quire index`, `search`, `convert`; and a file whose
// name is Latin-1 beside the UTF-8 file of the same name, through every output, `refresh` and `--prune`.
#include <catch2/catch.hpp>
#include <cstdio>
#include <string>
#include <vector>

#include "quire/utf8.h"
#include "support.h"

using quire::test::run_quire;
using quire::test::RunResult;
using quire::test::TempDir;
using quire::test::write;

namespace {

const std::string kLdquo = "\xE2\x80\x9C", kRdquo = "\xE2\x80\x9D", kEuro = "\xE2\x82\xAC";

bool has_c1(const std::string& s) {
  for (std::size_t i = 0; i + 1 < s.size(); ++i)
    if (static_cast<unsigned char>(s[i]) == 0xC2 && static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
        static_cast<unsigned char>(s[i + 1]) < 0xA0)
      return true;
  return false;
}

std::string page(const std::string& head, const std::string& para) {
  return "<html><head>" + head + "<title>T</title></head><body><article><p>" + para + "</p></article></body></html>";
}

}  // namespace

TEST_CASE("rt11i row 3: a Windows-1252 page without a charset keeps its quotation, with a warning", "[rt11i][cli]") {
  TempDir tmp;
  const std::string d = tmp.path(), db = d + "/ix";
  const std::string said =
      "The minister said \x93we will never accept the partition of Kashmir\x94 at the press "
      "conference in 1965, a long paragraph of body text.";
  write(d + "/cph/a.html", page("", said + " It cost \x80"
                                           "5 \x96 or so."));
  write(d + "/cph/b.txt", said + "\n");
  write(d + "/cph/c.html", page("<meta charset=\"iso-8859-1\">", said + " Declared latin1 zorblat."));
  write(d + "/cph/d.html", page("",
                                "Caf\xC3\xA9 \xE2\x80\x9Cquendor\xE2\x80\x9D and a stray \x93 byte in a long "
                                "paragraph of body text that is kept here, surely."));
  const RunResult ix = run_quire({"index", "--db", db, d + "/cph"});
  REQUIRE(ix.exit_code == 0);
  // the undeclared page is named in its warning; the declared one has none
  CHECK(ix.err.find("a.html: not UTF-8 and no charset declared: read as Windows-1252") != std::string::npos);
  CHECK(ix.err.find("c.html: not UTF-8") == std::string::npos);
  CHECK(ix.err.find("d.html: 1 invalid UTF-8 byte sequence(s) replaced") != std::string::npos);

  const RunResult json = run_quire({"search", "--db", db, "--json", "partition"});
  REQUIRE(json.exit_code == 0);
  CHECK_FALSE(has_c1(json.out));
  CHECK(json.out.find("\\u0093") == std::string::npos);
  CHECK(json.out.find(kLdquo + "we will never accept") != std::string::npos);

  // the quotation is found, in the page as in the text file
  const RunResult quote = run_quire({"search", "--db", db, "--json", "quote:partition"});
  REQUIRE(quote.exit_code == 0);
  CHECK(quote.out.find("a.html") != std::string::npos);
  CHECK(quote.out.find("c.html") != std::string::npos);
  CHECK(quote.out.find("b.txt") != std::string::npos);

  // UTF-8 around one bad byte stays UTF-8 (no "Caf\u00c3\u00a9")
  const RunResult q = run_quire({"search", "--db", db, "--json", "quendor"});
  REQUIRE(q.exit_code == 0);
  CHECK(q.out.find("Caf\xC3\xA9 " + kLdquo + "quendor" + kRdquo) != std::string::npos);

  const RunResult xml = run_quire({"convert", d + "/cph/a.html"});
  REQUIRE(xml.exit_code == 0);
  CHECK(xml.out.find("&#x93;") == std::string::npos);
  CHECK(xml.out.find("&#x80;") == std::string::npos);
  CHECK(xml.out.find(kLdquo + "we will") != std::string::npos);
  CHECK(xml.out.find(kEuro + "5 \xE2\x80\x93") != std::string::npos);
  CHECK(xml.err.find("a.html: not UTF-8 and no charset declared") != std::string::npos);
}

TEST_CASE("rt11i row 3: text holding C1 controls as UTF-8 is stored as the Windows-1252 characters they stand for",
          "[rt11i][cli]") {
  TempDir tmp;
  const std::string d = tmp.path();
  write(d + "/t.txt", "He said \xC2\x93zorblat forever\xC2\x94 and left, a sentence of plain prose text.\n");
  const RunResult xml = run_quire({"convert", d + "/t.txt"});
  REQUIRE(xml.exit_code == 0);
  CHECK(xml.out.find("&#x93;") == std::string::npos);
  CHECK(xml.out.find(kLdquo + "zorblat forever" + kRdquo) != std::string::npos);
  CHECK(xml.err.find("C1 control character(s)") != std::string::npos);
}

TEST_CASE("rt11i row 4: a Latin-1 file name is shown escaped in every output, never as the UTF-8 name of another file",
          "[rt11i][cli]") {
  TempDir tmp;
  const std::string d = tmp.path(), db = d + "/cidx", latin = d + "/coll/caf\xE9.txt",
                    utf8 = d + "/coll/caf\xC3\xA9.txt";
  const std::string shown = d + "/coll/caf\\xe9.txt";  // as JSON, CSV, RIS, ... write it
  write(latin, "caf latin one zintar, a sentence of text.\n");
  write(utf8, "caf utf8 two quendor, another sentence of text.\n");
  const RunResult ix = run_quire({"index", "--db", db, d + "/coll"});
  REQUIRE(ix.exit_code == 0);
  CHECK(ix.err.find(shown + ": file name is not UTF-8") != std::string::npos);  // a message names it escaped too

  const RunResult json = run_quire({"search", "--db", db, "--json", "zintar"});
  REQUIRE(json.exit_code == 0);
  // in JSON the backslash is escaped once more
  CHECK(json.out.find("\"path\":\"" + d + "/coll/caf\\\\xe9.txt\"") != std::string::npos);
  CHECK(json.out.find(utf8) == std::string::npos);
  const RunResult other = run_quire({"search", "--db", db, "--json", "quendor"});
  CHECK(other.out.find("\"path\":\"" + utf8 + "\"") != std::string::npos);

  const RunResult terminal = run_quire({"search", "--db", db, "zintar"});
  CHECK(terminal.out.find(utf8) == std::string::npos);
  CHECK(terminal.out.find(shown) != std::string::npos);
  // CSV and JSONL give the path (RIS, BibTeX and CSL-JSON cite no file); none names the other file
  for (const char* format : {"csv", "jsonl", "ris", "bibtex", "csl-json"}) {
    INFO(format);
    const RunResult r = run_quire({"search", "--db", db, "--format", format, "zintar"});
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find(utf8) == std::string::npos);
    if (std::string(format) == "csv") CHECK(r.out.find(shown) != std::string::npos);
    if (std::string(format) == "jsonl") CHECK(r.out.find("caf\\\\xe9.txt") != std::string::npos);
  }

  // a collection finds it, keeps it over refresh and prune, and exports it escaped
  REQUIRE(run_quire({"collection", "new", "c", "--db", db, "--query", "zintar OR quendor"}).exit_code == 0);
  const RunResult again = run_quire({"index", "--db", db, "--prune", d + "/coll"});
  REQUIRE(again.exit_code == 0);
  const RunResult found = run_quire({"search", "--db", db, "--json", "zintar"});
  CHECK(found.out.find("caf\\\\xe9.txt") != std::string::npos);
  const RunResult refresh = run_quire({"collection", "refresh", "c", "--db", db});
  REQUIRE(refresh.exit_code == 0);
  CHECK(refresh.out.find("2 documents match, 0 new, 0 gone") != std::string::npos);
  const RunResult csv = run_quire({"collection", "export", "c", "--db", db, "--format", "csv"});
  REQUIRE(csv.exit_code == 0);
  CHECK(csv.out.find(shown) != std::string::npos);
  CHECK(csv.out.find(utf8) != std::string::npos);  // the other document, under its own name

  // with the UTF-8 file gone, prune drops only it, and the Latin-1 one keeps its path
  std::remove(utf8.c_str());
  const RunResult pruned = run_quire({"index", "--db", db, "--prune", d + "/coll"});
  REQUIRE(pruned.exit_code == 0);
  CHECK(run_quire({"search", "--db", db, "quendor"}).exit_code == 1);
  const RunResult kept = run_quire({"search", "--db", db, "--json", "zintar"});
  REQUIRE(kept.exit_code == 0);
  CHECK(kept.out.find("caf\\\\xe9.txt") != std::string::npos);
  // and a moved Latin-1 file keeps its id, its old record gone
  const std::string moved = d + "/coll/caf\xE9-moved.txt";
  REQUIRE(std::rename(latin.c_str(), moved.c_str()) == 0);
  const RunResult mv = run_quire({"index", "--db", db, "--prune", d + "/coll"});
  REQUIRE(mv.exit_code == 0);
  const RunResult after = run_quire({"search", "--db", db, "--json", "zintar"});
  CHECK(after.out.find("caf\\\\xe9-moved.txt") != std::string::npos);
  CHECK(after.out.find("caf\\\\xe9.txt") == std::string::npos);
}

TEST_CASE("rt11i row 3: catalogue fields filled from a file name hold no C1 control", "[rt11i][cli]") {
  TempDir tmp;
  const std::string d = tmp.path(), db = d + "/ix";
  write(d + "/docs/Minister \xC2\x93Never\xC2\x94.txt", "The delegation spoke in Moscow about zorblat.\n");
  write(d + "/map.xml",
        "<metadata version=\"1\">\n  <files name=\"*.txt\">\n    <field name=\"title\">{stem}</field>\n"
        "  </files>\n</metadata>\n");
  const RunResult ix = run_quire({"index", "--db", db, "--metadata", d + "/map.xml", d + "/docs"});
  INFO(ix.err);
  REQUIRE(ix.exit_code == 0);
  const RunResult json = run_quire({"search", "--db", db, "--json", "zorblat"});
  REQUIRE(json.exit_code == 0);
  CHECK(json.out.find("\"title\":\"Minister " + kLdquo + "Never" + kRdquo + "\"") != std::string::npos);
  // the path names the file as it is (JSON escapes the control): never rewritten to another name
  CHECK(json.out.find("Minister \\u0093Never\\u0094.txt\"") != std::string::npos);
  for (const char* format : {"csv", "jsonl"}) {
    INFO(format);
    const RunResult r = run_quire({"search", "--db", db, "--format", format, "zorblat"});
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("Minister " + kLdquo + "Never" + kRdquo + ".txt") == std::string::npos);
    CHECK(r.out.find("u0093Never") != std::string::npos);  // escaped (JSONL escapes the backslash once more)
  }
}
