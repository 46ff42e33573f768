// The researcher's task: paste a quote, exact or half-remembered, and get its passage first. Each
// quote in tests/data/quotes.tsv is searched in an index of corpus/ (curated XML) and in an index of
// the raw seed text files, which must find the same passages.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "support.h"

using quire::test::run_quire;
using quire::test::TempDir;

namespace {

struct Quote {
  std::string query, doc_id, passage_contains, what;
  std::string page;  ///< for quotes from ../shared/data/pdf: the page label the citation must end with
};

std::vector<Quote> load_quotes() {
  std::ifstream in(quire::test::source_dir() + "/tests/data/quotes.tsv");
  std::vector<Quote> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> f;
    std::size_t start = 0, tab;
    while ((tab = line.find('\t', start)) != std::string::npos) {
      f.push_back(line.substr(start, tab - start));
      start = tab + 1;
    }
    f.push_back(line.substr(start));
    if (f.size() != 4 && f.size() != 5) FAIL("quotes.tsv: need 4 or 5 tab-separated fields: " << line);
    out.push_back({f[0], f[1], f[2], f[3], f.size() == 5 ? f[4] : ""});
  }
  return out;
}

void check_quotes(const std::string& db, bool pdf = false) {
  auto quotes = load_quotes();
  REQUIRE(quotes.size() >= 20);
  quotes.erase(std::remove_if(quotes.begin(), quotes.end(), [pdf](const Quote& q) { return q.page.empty() == pdf; }),
               quotes.end());
  REQUIRE(quotes.size() >= (pdf ? 8u : 20u));
  for (const auto& q : quotes) {
    CAPTURE(q.query, q.what);
    const auto passages = run_quire({"search", "--db", db, "--json", "--passages", "--limit", "1", q.query});
    REQUIRE(passages.exit_code == 0);
    const auto top = nlohmann::json::parse(passages.out)["results"][0];
    CHECK(top["id"] == q.doc_id);
    const std::string text = top["passages"][0]["text"];
    CHECK_THAT(text, Catch::Contains(q.passage_contains));
    CHECK(!top["passages"][0]["highlights"].empty());
    if (pdf) {
      CHECK(top["passages"][0]["page_label"] == q.page);
      CHECK_THAT(top["citation"].get<std::string>(), Catch::EndsWith("p. " + q.page + "."));
    }
    const auto docs = run_quire({"search", "--db", db, "--json", "--limit", "1", q.query});
    const auto first_doc = nlohmann::json::parse(docs.out)["results"][0];
    CHECK(first_doc["id"] == q.doc_id);
    CHECK_THAT(first_doc["passages"][0]["text"].get<std::string>(), Catch::Contains(q.passage_contains));
  }
}

}  // namespace

// Every quote from a real PDF finds its passage first, cited by its page: run by the test case in
// test_pdf.cc that indexes ../shared/data/pdf once.
void check_pdf_quotes(const std::string& db) { check_quotes(db, true); }

TEST_CASE("every quote finds its passage first in the curated corpus", "[cli][quotes]") {
  TempDir db;
  const auto r = run_quire({"index", "--db", db.path() + "/i", quire::test::source_dir() + "/corpus"});
  REQUIRE(r.exit_code == 0);
  check_quotes(db.path() + "/i");
}

TEST_CASE("every quote finds its passage first when the raw seed text files are indexed", "[cli][quotes]") {
  const std::string seeds = quire::test::shared_dir() + "/seeds";
  if (!std::filesystem::exists(seeds)) {
    WARN("skipped: " << seeds << " is not there");
    return;
  }
  TempDir db;
  const auto r = run_quire({"index", "--db", db.path() + "/i", seeds});
  REQUIRE(r.exit_code == 0);
  check_quotes(db.path() + "/i");
}
