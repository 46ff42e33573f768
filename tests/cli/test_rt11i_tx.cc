// The rt11i red team's rows 2, 5 and 12 (docs/red-team/2026-12-03-reliability-rt11i.md) on real files
// through the built quire: soft hyphens and other invisible characters inside words (text, Markdown,
// HTML; queries; highlights; stored and shown text), and digits glued to words in plain text kept
// as written (rt11j row 7: also when the text holds footnotes).
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "quire/utf8.h"
#include "support.h"

using quire::test::run_quire;
using quire::test::RunResult;
using quire::test::TempDir;

namespace {

const std::string kShy = "\xC2\xAD";
const std::string kZwsp = "\xE2\x80\x8B";

RunResult search(const std::string& db, std::vector<std::string> args) {
  args.insert(args.begin(), {"search", "--db", db});
  return run_quire(args);
}

}  // namespace

TEST_CASE("rt11i row 2: words written with soft hyphens are found, highlighted and stored without them",
          "[rt11i][cli]") {
  TempDir docs, db;
  const std::string body = "The intergovern" + kShy + "mental commit" + kShy + "tee on nu" + kShy +
                           "clear disarma" + kShy + "ment met in Geneva";
  docs.write("a.txt", body + ".\n");
  docs.write("b.html", "<html><head><title>x</title></head><body><article><p>The intergovern&shy;mental commit&shy;tee "
                       "on nu&shy;clear disarma&shy;ment met in Geneva, a long article paragraph to keep as body "
                       "text here.</p></article></body></html>");
  docs.write("c.md", "# Nu" + kShy + "clear talks\n\n" + body + ", in Markdown.\n");
  docs.write("d.txt", "Word" + std::string("\xE2\x81\xA0") + "joiners and zero" + kZwsp + "width in nu\xEF\xBB\xBF"
                      "clear disarma\xE2\x80\x8E"
                      "ment prose.\n");
  const std::string index = db.path() + "/index";
  const RunResult ix = run_quire({"index", "--db", index, docs.path()});
  REQUIRE(ix.exit_code == 0);
  for (const std::string& q : std::vector<std::string>{"nuclear", "committee", "intergovernmental",
                                                       "\"nuclear disarmament\"", "nu" + kShy + "clear",
                                                       "\"nu" + kShy + "clear disarma" + kShy + "ment\""}) {
    CAPTURE(quire::printable_line(q));
    const RunResult r = search(index, {"--exact", "--json", q});
    REQUIRE(r.exit_code == 0);
    const auto j = nlohmann::json::parse(r.out);
    std::size_t with_highlight = 0;
    CHECK(j["results"].size() == (q.find("inter") == std::string::npos && q.find("commit") == std::string::npos ? 4U : 3U));
    CHECK_FALSE(j.contains("suggestion"));
    for (const auto& hit : j["results"]) {
      for (const auto& p : hit["passages"]) {
        const std::string text = p["text"];
        CHECK(text.find(kShy) == std::string::npos);  // stored without soft hyphens
        CHECK(text.find(kZwsp) == std::string::npos);
        for (const auto& h : p["highlights"]) {
          const std::size_t b = quire::codepoint_count(text.substr(0, text.find("nuclear")));
          if (q.find("clear") != std::string::npos && h[0] == b) ++with_highlight;
        }
      }
    }
    if (q.find("clear") != std::string::npos) CHECK(with_highlight >= 3);  // the highlight marks "nuclear"
  }
  // The heading of the Markdown file, as seen.
  const RunResult t = search(index, {"--json", "markdown"});
  REQUIRE(t.exit_code == 0);
  CHECK(t.out.find("\"section\":\"Nuclear talks\"") != std::string::npos);
  // What convert writes is what is seen, too.
  const RunResult c = run_quire({"convert", "--text", docs.path() + "/a.txt"});
  REQUIRE(c.exit_code == 0);
  CHECK(c.out.find("intergovernmental committee on nuclear disarmament") != std::string::npos);
  const RunResult h = run_quire({"convert", docs.path() + "/b.html"});
  REQUIRE(h.exit_code == 0);
  CHECK(h.out.find(kShy) == std::string::npos);
  CHECK(h.out.find("&#xAD;") == std::string::npos);
  CHECK(h.out.find("nuclear disarmament") != std::string::npos);
}

TEST_CASE("rt11i row 12: zero width spaces do not reach the terminal or HTML output, bidi overrides stay replaced",
          "[rt11i][cli]") {
  TempDir docs, db;
  docs.write("a.txt", "Zero" + kZwsp + "width and bidi \xE2\x80\xAE text about zorblat.\n");
  const std::string index = db.path() + "/index";
  REQUIRE(run_quire({"index", "--db", index, docs.path()}).exit_code == 0);
  for (const std::vector<std::string>& how :
       std::vector<std::vector<std::string>>{{"--color", "always"}, {"--html"}, {"--json"}}) {
    std::vector<std::string> args = how;
    args.push_back("zorblat");
    const RunResult r = search(index, args);
    CAPTURE(how[0], r.out);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find(kZwsp) == std::string::npos);
    CHECK(r.out.find("\xE2\x80\xAE") == std::string::npos);
  }
  // The word it joined is one word, highlighted whole.
  const RunResult w = search(index, {"--color", "always", "zerowidth"});
  REQUIRE(w.exit_code == 0);
  CHECK(w.out.find("\033[1;33mZerowidth\033[0m") != std::string::npos);
}

TEST_CASE("rt11i row 5, rt11j row 7: plain text keeps digits glued to words, also with footnotes",
          "[rt11i][cli]") {
  TempDir docs, db;
  const std::string t4 = docs.write("t4.txt", "The latin1 codec.\n");
  const std::string t5 =
      docs.write("t5.txt", "He said latin1 is old and phase2 matters and the treaty2 clause, not mp3 or sha256 or G20.\n");
  const std::string md = docs.write("m.md", "# Notes\n\nThe latin1 codec and phase2 of the treaty2 plan.\n");
  // A text pasted from a paper: markers 1 and 2, and the footnotes themselves at its end.
  const std::string paper = docs.write(
      "paper.txt",
      "The delegates praised the evacuation efforts1. Later the council met again in Geneva2, as planned.\n\n"
      "1 See the report of the Secretary-General, 2021.\n\n2 Ibid., p. 4.\n");
  CHECK(run_quire({"convert", "--text", t4}).out.find("The latin1 codec.") != std::string::npos);
  const RunResult c5 = run_quire({"convert", "--text", t5});
  CHECK(c5.out.find("He said latin1 is old and phase2 matters and the treaty2 clause, not mp3 or sha256 or G20.") !=
        std::string::npos);
  CHECK(run_quire({"convert", "--text", md}).out.find("The latin1 codec and phase2 of the treaty2 plan.") !=
        std::string::npos);
  const RunResult cp = run_quire({"convert", "--text", paper});
  CHECK(cp.out.find("the evacuation efforts1. Later the council met again in Geneva2, as planned.") != std::string::npos);
  CHECK(cp.out.find("2 Ibid., p. 4.") != std::string::npos);
  // rt11j row 7: numbered notes are no reason to take the digits off words, and keep their numbers.
  const std::string fn1 = docs.write(
      "fn1.txt", "The plan has phase1 and phase2 components, agreed at the G7 summit.\n\n1. Ibid.\n2. See annex.\n");
  const RunResult c7 = run_quire({"convert", "--text", fn1});
  CHECK(c7.out.find("The plan has phase1 and phase2 components, agreed at the G7 summit.") != std::string::npos);
  CHECK(c7.out.find("1. Ibid.") != std::string::npos);
  CHECK(c7.out.find("2. See annex.") != std::string::npos);
  const std::string index = db.path() + "/index";
  REQUIRE(run_quire({"index", "--db", index, docs.path()}).exit_code == 0);
  for (const std::string q : {"latin1", "phase2", "treaty2", "\"the latin1 codec\"", "\"phase1 and phase2\"",
                              "\"evacuation efforts1\"", "\"Geneva2, as planned\""}) {
    CAPTURE(q);
    CHECK(search(index, {"--exact", q}).exit_code == 0);
  }
  const auto efforts = nlohmann::json::parse(search(index, {"--exact", "--json", "\"evacuation efforts\""}).out);
  CHECK(efforts["results"].size() == 1U);
}

TEST_CASE("rt11i row 5: a word with a glued number is found as written, and without the number",
          "[rt11i][cli]") {
  // No footnotes in the text: "efforts1." stays as written, and a quote pasted without the lost
  // superscript still finds it; "latin1" finds only the word with its number.
  TempDir docs, db;
  const std::string a =
      docs.write("a.txt", "The U.S. relied on Pakistani mediation during evacuation efforts1. The latin1 codec is old.\n");
  docs.write("b.txt", "The latin alphabet and the efforts of many nations.\n");
  CHECK(run_quire({"convert", "--text", a}).out.find("during evacuation efforts1. The latin1 codec") != std::string::npos);
  const std::string index = db.path() + "/index";
  REQUIRE(run_quire({"index", "--db", index, docs.path()}).exit_code == 0);
  const RunResult phrase =
      search(index, {"--exact", "--json", "--passages", "\"mediation during evacuation efforts\""});
  REQUIRE(phrase.exit_code == 0);
  const auto j = nlohmann::json::parse(phrase.out);
  REQUIRE(j["results"].size() == 1U);
  const auto& p = j["results"][0]["passages"][0];
  const std::string text = p["text"];
  REQUIRE(p["highlights"].size() == 1U);
  const auto b = p["highlights"][0][0].get<std::size_t>(), e = p["highlights"][0][1].get<std::size_t>();
  std::string marked;  // the highlighted code points [b, e)
  for (std::size_t i = 0, n = 0; i < text.size(); ++n) {
    const char32_t cp = quire::next_codepoint(text, i);
    if (n >= b && n < e) quire::append_utf8(marked, cp);
  }
  CHECK(marked == "mediation during evacuation efforts1");
  struct Case {
    const char* query;
    std::size_t documents;
  };
  for (const Case c : {Case{"latin1", 1}, Case{"latin", 2}, Case{"efforts", 2}, Case{"efforts1", 1},
                       Case{"\"evacuation efforts1\"", 1}, Case{"\"the latin codec\"", 1}}) {
    CAPTURE(c.query);
    const RunResult r = search(index, {"--exact", "--json", c.query});
    REQUIRE(r.exit_code == 0);
    CHECK(nlohmann::json::parse(r.out)["results"].size() == c.documents);
  }
}

TEST_CASE("rt11i row 2: a real news page's soft-hyphenated German compound is one word, shown without them",
          "[rt11i][cli][html]") {
  // One of the 181 pages of the html-extraction benchmark: "Not&shy;fall&shy;daten&shy;satz" (3 of the
  // 181 pages hold soft hyphens or word joiners in their article text).
  const std::string page = quire::test::shared_dir() +
                           "/data/html-extraction/html/57b4dafd18cfd0531b69f81e87158648227c673ef159f8d8c87d34e34bdb21f2.html.gz";
  const RunResult html = quire::test::run_program({"gzip", "-dc", page});
  if (html.exit_code != 0) {
    WARN("skipped: " << page << " is not there (or gzip is not)");
    return;
  }
  TempDir docs, db;
  docs.write("epa.html", html.out);
  const std::string index = db.path() + "/index";
  REQUIRE(run_quire({"index", "--db", index, docs.path()}).exit_code == 0);
  const RunResult r = search(index, {"--exact", "--json", "Notfalldatensatz"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("den Notfalldatensatz, den Medikationsplan") != std::string::npos);
  CHECK(r.out.find(kShy) == std::string::npos);
}

TEST_CASE("rt11i rows 2 and 3: an imported test collection's text is settled as a file's is", "[rt11i][cli][import]") {
  // quire import reads documents itself, not through a file reader: soft hyphens and C1 controls in a
  // BEIR corpus get the same pass (settle_document_text()).
  TempDir dir;
  dir.write("beir/corpus.jsonl", "{\"_id\":\"d1\",\"title\":\"Nu\\u00adclear talks\",\"text\":\"The nu\\u00adclear "
                                 "disarma\\u00adment talks: \\u0093never\\u0094 said the minister.\"}\n"
                                 "{\"_id\":\"d2\",\"title\":\"Other\",\"text\":\"Trade and tariffs.\"}\n");
  dir.write("beir/queries.jsonl", "{\"_id\":\"q1\",\"text\":\"nuclear\"}\n");
  const std::string index = dir.path() + "/index";
  const RunResult imp = run_quire({"import", "beir", dir.path() + "/beir", "--db", index});
  INFO(imp.out << imp.err);
  REQUIRE(imp.exit_code == 0);
  CHECK(imp.err.find("C1 control character") != std::string::npos);
  const RunResult r = search(index, {"--exact", "--json", "--passages", "\"nuclear disarmament\""});
  REQUIRE(r.exit_code == 0);
  const auto j = nlohmann::json::parse(r.out);
  REQUIRE(j["results"].size() == 1U);
  const std::string text = j["results"][0]["passages"][0]["text"];
  CHECK(text.find("The nuclear disarmament talks: \u201cnever\u201d said the minister.") != std::string::npos);
  CHECK(j["results"][0]["title"] == "Nuclear talks");
  CHECK(text.find(kShy) == std::string::npos);
}
