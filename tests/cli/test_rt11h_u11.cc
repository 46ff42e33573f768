// The rt11h red team's rows 2-7 and 10 (docs/red-team/2026-12-02-reliability-rt11h.md) on real files:
// text holding C1 controls, bidi overrides, U+2028/9 and non-characters, and files named with line
// breaks, Unicode spaces, U+202E and U+009B, through `quire convert`, `index`, `search`, `similar`,
// `batch`, `import beir` and `collection export`. The rules are utf8.h's (is_line_break(),
// is_unicode_space(), is_xml_nonchar(), xml_text(), id_from_name()).
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

const std::string kBody = " zebra giraffe okapi narwhal prose sentence with enough words to be counted, surely.\n";

// The characters no output may print raw outside JSON (which escapes them): C1 (CSI, NEL), the bidi
// override and isolate, the line and paragraph separators, and XML's non-characters U+FFFE, U+FFFF.
const std::vector<std::pair<const char*, std::string>> kHarmful = {
    {"U+009B", "\xC2\x9B"},     {"U+0085", "\xC2\x85"},     {"U+202E", "\xE2\x80\xAE"}, {"U+2066", "\xE2\x81\xA6"},
    {"U+2028", "\xE2\x80\xA8"}, {"U+2029", "\xE2\x80\xA9"}, {"U+FFFE", "\xEF\xBF\xBE"}, {"U+FFFF", "\xEF\xBF\xBF"}};

std::string hostile_text() {
  std::string t = "Title line\n\nZebra";
  for (const auto& [name, bytes] : kHarmful) t += " a" + bytes + "b";
  return t + kBody;
}

void check_clean(const std::string& what, const std::string& out) {
  for (const auto& [name, bytes] : kHarmful) {
    INFO(what << " holds " << name << " raw: " << quire::printable_line(out.substr(0, 400)));
    CHECK(out.find(bytes) == std::string::npos);
  }
}

// Field `n` (0-based) of the first line of `s` split at ASCII white space, as Python's split() splits a
// TREC line, plus the count of fields (Python's str.split() splits at Unicode spaces too: none may be there).
std::size_t fields_of_first_line(const std::string& s) {
  const std::string line = s.substr(0, s.find('\n'));
  std::size_t n = 0;
  bool in = false;
  for (const char c : line) {
    const bool space = c == ' ' || c == '\t';
    if (!space && !in) ++n;
    in = !space;
  }
  return n;
}

}  // namespace

TEST_CASE("rt11h row 2, 3: convert writes no C1, bidi control, U+2028/9 or XML non-character raw, from every reader",
          "[rt11h][controls][cli]") {
  TempDir tmp;
  const std::string d = tmp.path();
  const std::string text = hostile_text();
  std::string html = "<html><head><meta charset=\"utf-8\"><title>T&#x9b;x &#x202e;y</title>"
                     "<meta name=\"citation_author\" content=\"Ann&#x85;Lee &#x2028;Roe\"></head><body><article><p>";
  html += text + " more &#x9b;6n and &#x2029; here</p></article></body></html>";
  const std::vector<std::pair<std::string, std::string>> files = {
      {d + "/c1.txt", text}, {d + "/c2.md", "# Head\xC2\x9B\xE2\x80\xAE\n\n" + text}, {d + "/c3.html", html}};
  for (const auto& [path, bytes] : files) {
    write(path, bytes);
    const RunResult xml = run_quire({"convert", path});
    REQUIRE(xml.exit_code == 0);
    check_clean("convert " + path, xml.out);
    CHECK(xml.out.find("zebra") != std::string::npos);
    // bidi controls written as references, so the text reads back as it was (and U+FFFE, U+FFFF as
    // U+FFFD); C1 controls are never stored: U+009B is read as Windows-1252's 0x9B, "\u203a" (rt11i row 3)
    CHECK(xml.out.find("&#x9B;") == std::string::npos);
    CHECK(xml.out.find("a\xE2\x80\xBA"
                       "b") != std::string::npos);
    CHECK(xml.out.find("&#x202E;") != std::string::npos);
    if (path.find(".html") == std::string::npos)  // libxml2 drops U+FFFE and U+FFFF itself
      CHECK(xml.out.find("\xEF\xBF\xBD") != std::string::npos);
    // quire's own reader takes the file back (the round trip must not depend on its leniency)
    write(d + "/x/" + std::to_string(path.size()) + ".xml", xml.out);
    const RunResult t = run_quire({"convert", "--text", path});
    check_clean("convert --text " + path, t.out);
  }
  const RunResult lint = quire::test::run_program({"xmllint", "--version"});
  if (lint.exit_code != 127) {
    for (const auto& [path, bytes] : files) {
      const std::string xml = d + "/x/" + std::to_string(path.size()) + ".xml";
      const RunResult r = quire::test::run_program({"xmllint", "--noout", xml});
      INFO(path << ": " << r.err);
      CHECK(r.exit_code == 0);
    }
  }
  const RunResult ix = run_quire({"index", "--db", d + "/ix", d + "/x"});
  CHECK(ix.exit_code == 0);
  CHECK(ix.err.find("not indexed") == std::string::npos);
}

TEST_CASE("rt11h row 4: convert writes the id index gives, for names with line breaks and white space",
          "[rt11h][ids][cli]") {
  TempDir tmp;
  const std::string d = tmp.path();
  for (const std::string name : {"zq\nnewline", "zq\rcr", "zq\ttab", "zq\x0bvt"}) {
    write(d + "/t/" + name + ".txt", "Zebra" + kBody);
    const RunResult xml = run_quire({"convert", d + "/t/" + name + ".txt"});
    REQUIRE(xml.exit_code == 0);
    const std::string want = "zq_" + name.substr(3);
    INFO(quire::printable_line(xml.out.substr(0, 200)));
    CHECK(xml.out.find("id=\"" + want + "\"") != std::string::npos);
    write(d + "/x/" + want + ".xml", xml.out);
  }
  const RunResult a = run_quire({"index", "--db", d + "/ix", d + "/x"});
  CHECK(a.exit_code == 0);
  CHECK(a.err.find("invalid id") == std::string::npos);
  const RunResult b = run_quire({"index", "--db", d + "/it", d + "/t"});
  REQUIRE(b.exit_code == 0);
  const RunResult s1 = run_quire({"search", "--db", d + "/ix", "--json", "zebra"});
  const RunResult s2 = run_quire({"search", "--db", d + "/it", "--json", "zebra"});
  for (const char* id : {"\"zq_newline\"", "\"zq_cr\"", "\"zq_tab\"", "\"zq_vt\""}) {
    CHECK(s1.out.find(id) != std::string::npos);
    CHECK(s2.out.find(id) != std::string::npos);
  }
}

TEST_CASE("rt11h row 5: U+2028/9, NEL, VT and FF are no raw line break in passages, HTML, CSV or batch TSV",
          "[rt11h][controls][cli]") {
  TempDir tmp;
  const std::string d = tmp.path();
  write(d + "/d/t.html",
        "<html><head><meta charset=\"utf-8\"><meta name=\"citation_title\" content=\"Zebra &#x2028;forged &#x2029;line\">"
        "<meta name=\"citation_author\" content=\"Ann &#x2028;Lee\"><title>x</title></head><body><article><p>Zebra "
        "sep&#x2028;arated par&#x2029;agraph nel&#x85;here" +
            kBody + "</p></article></body></html>");
  write(d + "/d/u.txt", "Zebra a\xE2\x80\xA8" "b c\xE2\x80\xA9" "d e\xC2\x85" "f" + kBody);
  const std::string db = d + "/ix";
  REQUIRE(run_quire({"index", "--db", db, d + "/d"}).exit_code == 0);
  REQUIRE(run_quire({"collection", "new", "c", "--db", db, "--query", "zebra"}).exit_code == 0);
  const std::string queries = tmp.write("q.tsv", "z1\tzebra\n");
  const std::vector<std::vector<std::string>> commands = {
      {"search", "--db", db, "zebra"},
      {"search", "--db", db, "--passages", "zebra"},
      {"search", "--db", db, "--html", "zebra"},
      {"batch", "--db", db, "--format", "tsv", queries},
      {"collection", "export", "c", "--db", db, "--format", "csv"},
      {"collection", "export", "c", "--db", db, "--format", "ris"},
      {"collection", "export", "c", "--db", db, "--format", "bibtex"}};
  for (const auto& args : commands) {
    const RunResult r = run_quire(args);
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("ebra") != std::string::npos);
    check_clean(args[0] + " " + args[args.size() - 2] + " " + args.back(), r.out);
  }
}

TEST_CASE("rt11h row 6: ids holding Unicode spaces or bidi controls are one %XX token in TREC runs, TSV and qrels",
          "[rt11h][ids][cli]") {
  TempDir tmp;
  const std::string d = tmp.path();
  // ids from a BEIR corpus are what the collection says: NBSP, U+2009, U+3000, U+1680, U+202E
  write(d + "/beir/corpus.jsonl",
        "{\"_id\": \"d\\u00a0nbsp\", \"title\": \"One\", \"text\": \"Sanctions on the corridor.\"}\n"
        "{\"_id\": \"e\\u2009thin\", \"title\": \"Two\", \"text\": \"Sanctions by the sea.\"}\n"
        "{\"_id\": \"f\\u3000ideo\", \"title\": \"Three\", \"text\": \"Sanctions in the hills.\"}\n"
        "{\"_id\": \"g\\u1680ogham\", \"title\": \"Four\", \"text\": \"Sanctions at the gate.\"}\n"
        "{\"_id\": \"h\\u202eevil\", \"title\": \"Five\", \"text\": \"Sanctions at the door.\"}\n");
  write(d + "/beir/queries.jsonl", "{\"_id\": \"q\\u00a0one\\u202e\", \"text\": \"sanctions\\u202e\"}\n");
  write(d + "/beir/qrels/test.tsv", "query-id\tcorpus-id\tscore\nq\xC2\xA0one\xE2\x80\xAE\td\xC2\xA0nbsp\t1\n");
  const std::string db = d + "/ix";
  const RunResult imp = run_quire({"import", "beir", d + "/beir", "--split", "test", "--db", db, "--queries",
                                   d + "/q.tsv", "--qrels", d + "/qrels.txt"});
  REQUIRE(imp.exit_code == 0);
  const std::string qrels = read_file(d + "/qrels.txt");
  INFO("qrels: " << quire::printable_line(qrels));
  CHECK(fields_of_first_line(qrels) == 4);
  check_clean("qrels", qrels);
  CHECK(qrels.find("\xC2\xA0") == std::string::npos);
  const std::string queries = read_file(d + "/q.tsv");
  check_clean("queries", queries);
  for (const char* format : {"trec", "tsv"}) {
    const RunResult run = run_quire({"batch", "--db", db, "--format", format, d + "/q.tsv"});
    REQUIRE(run.exit_code == 0);
    INFO(format << ": " << quire::printable_line(run.out));
    check_clean(format, run.out);
    for (const char* space : {"\xC2\xA0", "\xE2\x80\x89", "\xE3\x80\x80", "\xE1\x9A\x80"})
      CHECK(run.out.find(space) == std::string::npos);
    if (std::string(format) == "trec") {
      std::size_t at = 0;
      for (int line = 0; line < 5; ++line, at = run.out.find('\n', at) + 1)
        CHECK(fields_of_first_line(run.out.substr(at)) == 6);
      // the run and the qrels name the query and the document alike, so quire eval scores the run
      write(d + "/run.txt", run.out);
      const RunResult ev = run_quire({"eval", d + "/run.txt", d + "/qrels.txt"});
      CHECK(ev.exit_code == 0);
      CHECK(ev.out.find("num_rel_ret \tall\t1") != std::string::npos);
    }
  }
}

TEST_CASE("rt11h row 7: ids from file names holding a bidi override or C1 are one id every output shows and takes",
          "[rt11h][ids][cli]") {
  TempDir tmp;
  const std::string d = tmp.path();
  write(d + "/d/zq \xE2\x80\xAEtxt.exe.txt", "Zebra" + kBody);
  write(d + "/d/zq \xC2\x9B" "2J.txt", "Zebra" + kBody);
  write(d + "/d/zq\xC2\xA0nbsp.txt", "Zebra" + kBody);
  const std::string db = d + "/ix";
  REQUIRE(run_quire({"index", "--db", db, d + "/d"}).exit_code == 0);
  REQUIRE(run_quire({"collection", "new", "c", "--db", db, "--query", "zebra"}).exit_code == 0);
  const RunResult csv = run_quire({"collection", "export", "c", "--db", db, "--format", "csv"});
  const RunResult ris = run_quire({"collection", "export", "c", "--db", db, "--format", "ris"});
  const RunResult json = run_quire({"search", "--db", db, "--json", "zebra"});
  for (const std::string id : {"zq_txt.exe", "zq__2J", "zq_nbsp"}) {
    INFO(id << ": " << quire::printable_line(json.out.substr(0, 600)));
    CHECK(json.out.find("\"id\":\"" + id + "\"") != std::string::npos);
    CHECK(csv.out.find(id) != std::string::npos);
    CHECK(ris.out.find(id) != std::string::npos);
    const RunResult sim = run_quire({"similar", "--db", db, id});  // 1: nothing alike; 2: no such id
    CHECK(sim.exit_code != 2);
    CHECK(sim.err.find("no document") == std::string::npos);
  }
}

TEST_CASE("rt11h row 10: a file name with LF and CR is one line in the CSV path cell, as on the terminal",
          "[rt11h][controls][cli]") {
  TempDir tmp;
  const std::string d = tmp.path();
  write(d + "/d/zq\nnl\rcr.txt", "Zebra" + kBody);
  const std::string db = d + "/ix";
  REQUIRE(run_quire({"index", "--db", db, d + "/d"}).exit_code == 0);
  REQUIRE(run_quire({"collection", "new", "c", "--db", db, "--query", "zebra"}).exit_code == 0);
  const RunResult csv = run_quire({"collection", "export", "c", "--db", db, "--format", "csv"});
  REQUIRE(csv.exit_code == 0);
  INFO(quire::printable_line(csv.out));
  CHECK(csv.out.find("zq\n") == std::string::npos);  // records end in CRLF; the name holds none raw
  CHECK(csv.out.find("nl\rcr") == std::string::npos);
  CHECK(csv.out.find("zq\\nnl\\rcr.txt") != std::string::npos);  // printable_line(), as `quire search` shows it
  const RunResult term = run_quire({"search", "--db", db, "zebra"});
  CHECK(term.out.find("zq\\nnl\\rcr.txt") != std::string::npos);
}
