// CLI tests on real saved web pages (../shared/data/html-extraction) and on office files: a folder of
// them is indexed and a sentence of each article is found in its own page; convert --text prints the
// extracted text one paragraph per line.
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>

#include "support.h"

namespace fs = std::filesystem;
using quire::test::run_program;
using quire::test::run_quire;
using quire::test::TempDir;

namespace {

// Eight words of `text` that follow each other separated by single spaces only (no punctuation), from
// its second paragraph on, so the phrase is in the article body and not its first line.
std::string phrase_from(const std::string& text) {
  // Whole words only: not the "re" of "we're", nor "we" followed by "'re".
  static const std::regex run(R"((?:^|\s)((?:[A-Za-z]{2,} ){7}[A-Za-z]{2,})(?=[\s.,;:!?]))");
  const std::size_t para = text.find("\n\n");
  const std::string body = para == std::string::npos ? text : text.substr(para + 2);
  std::smatch m;
  if (!std::regex_search(body, m, run)) return {};
  return m.str(1);
}

}  // namespace

TEST_CASE("a folder of real saved web pages is indexed and a sentence of each is found in its page", "[cli][html]") {
  const std::string data = quire::test::shared_dir() + "/data/html-extraction";
  if (!fs::exists(data + "/ground-truth.json")) {
    WARN("skipped: " << data << " is not there");
    return;
  }
  const auto truth = nlohmann::json::parse(quire::test::read_file(data + "/ground-truth.json"));
  TempDir dir;
  std::vector<std::string> ids;
  for (const auto& [id, v] : truth.items()) {
    if (ids.size() == 12) break;
    const auto gz = run_program({"gzip", "-dc", data + "/html/" + id + ".html.gz"});
    REQUIRE(gz.exit_code == 0);
    dir.write("pages/" + id.substr(0, 16) + ".html", gz.out);
    ids.push_back(id);
  }
  const std::string db = dir.path() + "/db";
  const auto idx = run_quire({"index", "--db", db, dir.path() + "/pages"});
  INFO(idx.out << idx.err);
  REQUIRE(idx.exit_code == 0);
  CHECK_THAT(idx.out, Catch::StartsWith("indexed 12 of 12 files"));
  int found = 0;
  for (const auto& id : ids) {
    const std::string phrase = phrase_from(truth[id]["articleBody"].get<std::string>());
    if (phrase.empty()) continue;
    CAPTURE(id, phrase);
    const auto r = run_quire({"search", "--db", db, "--json", "--limit", "1", "\"" + phrase + "\""});
    INFO(r.err);
    REQUIRE((r.exit_code == 0 || r.exit_code == 1));
    const auto j = nlohmann::json::parse(r.out);
    REQUIRE(j["results"].size() == 1);
    CHECK(j["results"][0]["path"].get<std::string>().find(id.substr(0, 16)) != std::string::npos);
    ++found;
  }
  CHECK(found >= 10);
}

TEST_CASE("a folder of HTML, DOCX, ODT and EPUB files is indexed and each is found with its title", "[cli][html]") {
  TempDir dir;
  const std::string src = quire::test::source_dir() + "/tests/data";
  for (const char* f : {"html/article.html", "office/report.docx", "office/minutes.odt", "office/book.epub"}) {
    fs::create_directories(dir.path() + "/in");
    fs::copy_file(src + "/" + f, dir.path() + "/in/" + fs::path(f).filename().string());
  }
  const std::string db = dir.path() + "/db";
  const auto idx = run_quire({"index", "--db", db, dir.path() + "/in"});
  INFO(idx.out << idx.err);
  REQUIRE(idx.exit_code == 0);
  CHECK_THAT(idx.out, Catch::StartsWith("indexed 4 of 4 files"));
  struct Case {
    const char* query;
    const char* title;
  };
  const Case cases[] = {
      {"\"learn of releases only after the water has arrived\"", "Dams and Diplomacy on the Mekong"},
      {"\"a slow drought of rules\"", "Water Policy Review"},
      {"\"agreed on the budget after midnight\"", "Harbour Committee Minutes"},
      {"\"Downstream the rules multiplied\"", "Rivers and Rules"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.query);
    const auto r = run_quire({"search", "--db", db, "--json", c.query});
    REQUIRE(r.exit_code == 0);
    const auto j = nlohmann::json::parse(r.out);
    REQUIRE(!j["results"].empty());
    CHECK(j["results"][0]["title"] == c.title);
  }
  // Furniture of the page is not indexed.
  const auto nav = run_quire({"search", "--db", db, "--json", "\"reader comment\""});
  CHECK(nlohmann::json::parse(nav.out)["results"].empty());
}

TEST_CASE("quire convert --text prints the extracted text, one heading or paragraph per line", "[cli][html]") {
  const auto r = run_quire({"convert", "--text", quire::test::source_dir() + "/tests/data/html/article.html"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out ==
        "Eleven dams now stand on the main stream of the Mekong, and the countries downstream say they learn of "
        "releases only after the water has arrived.\n"
        "Officials in Phnom Penh described the flow data they receive as \xE2\x80\x9Clate, partial and sometimes "
        "wrong\xE2\x80\x9D, a complaint echoed by fishers on the Tonle Sap.\n"
        "A commission without teeth\n"
        "The Mekong River Commission, founded in 1995, can ask its members for notice of new projects, but it "
        "cannot stop them, and China has never joined it.\n"
        "We are asked to manage a river whose tap is in another country.\n"
        "Negotiators meet again in Vientiane next month to discuss a shared warning system for sudden releases "
        "during the dry season.\n");
  TempDir dir;
  const auto bad = run_quire({"convert", "--text", dir.write("nav.html", "<nav><a href=/>Home</a></nav>")});
  CHECK(bad.exit_code != 0);
  CHECK_THAT(bad.err, Catch::Contains("nav.html") && Catch::Contains("no text"));
}
