// quire search --explain (issue 17, item 6) on the bundled corpus: each result's query terms with
// their BM25 weights, which add up to its score, the filters it matched, and the passage scores that
// chose the passages shown; as JSON, as text, and in batch JSONL.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support.h"

using quire::test::corpus_index;
using quire::test::run_quire;
using quire::test::TempDir;

namespace {

nlohmann::json explained(std::vector<std::string> args) {
  args.insert(args.begin(), {"search", "--db", corpus_index(), "--json", "--explain", "--limit", "20"});
  const auto r = run_quire(args);
  INFO(args.back() << ": " << r.err);
  REQUIRE(r.exit_code == 0);
  return nlohmann::json::parse(r.out);
}

double weight_sum(const nlohmann::json& explain) {
  double sum = 0;
  for (const auto& t : explain.at("terms")) sum += t.at("weight").get<double>();
  return sum;
}

}  // namespace

TEST_CASE("explain: the terms' BM25 weights add up to each result's score", "[explain]") {
  // Words, a phrase, a field that restricts and ranks, a wildcard (one synonym group), stop words,
  // a repeated word, feedback terms and a scaled title match, passages as results, and more like this.
  const std::vector<std::vector<std::string>> cases = {
      {"pakistan"},
      {"China", "Pakistan", "military"},
      {"\"military cooperation\"", "alliance"},
      {"alliance", "OR", "(military", "AND", "navy)"},
      {"alliance", "OR", "(military", "NEAR", "exercises)"},
      {"title:pakistan", "navy"},
      {"allian*"},
      {"pakistan", "pakistan", "china"},
      {"--feedback-docs", "3", "--", "pakistan"},
      {"--plain", "--title-weight", "0.3", "--", "what is the China Pakistan alliance"},
      {"--passages", "--", "china", "OR", "india"},
      {"like:000_3e2589484e9b92d1"},
  };
  for (const auto& args : cases) {
    const auto j = explained(args);
    INFO(args.back());
    REQUIRE(!j.at("results").empty());
    for (const auto& hit : j.at("results")) {
      const auto& e = hit.at("explain");
      const double score = hit.at("score").get<double>();
      CHECK(std::abs(weight_sum(e) - score) < 1e-6);
      CHECK(std::abs(e.at("sum").get<double>() - score) < 1e-6);
      CHECK(!e.at("terms").empty());
      for (const auto& t : e.at("terms")) CHECK(t.at("weight").get<double>() > 0);
    }
  }
}

TEST_CASE("explain: a word's entry names its field, its count in the passage and in the index", "[explain]") {
  const auto j = explained({"title:pakistan", "navy"});
  const auto& terms = j.at("results").at(0).at("explain").at("terms");
  bool title = false;
  for (const auto& t : terms) {
    if (t.at("field") == "title" && t.at("word") == "pakistan") {
      title = true;
      CHECK(t.at("wdf").get<int>() >= 1);
      CHECK(t.at("termfreq").get<int>() >= 1);
    }
    if (t.at("field") == "") CHECK(t.at("term").get<std::string>()[0] == 'Z');  // stemmed text words
  }
  CHECK(title);
}

TEST_CASE("explain: the filters a result matched, from flags and from the query", "[explain]") {
  const auto j = explained({"--actor", "pakistan", "--", "military", "theme:security"});
  REQUIRE(!j.at("results").empty());
  for (const auto& hit : j.at("results")) {
    const auto filters = hit.at("explain").at("filters").get<std::vector<std::string>>();
    INFO(hit.at("id"));
    CHECK(std::find(filters.begin(), filters.end(), "actor:pakistan") != filters.end());
    CHECK(std::find(filters.begin(), filters.end(), "theme:security") != filters.end());
  }
  // One of two actors: each result lists those its passage names, and only those.
  const auto either = explained({"--passages", "--", "military", "(actor:india", "OR", "actor:china)"});
  for (const auto& hit : either.at("results")) {
    std::vector<std::string> named;
    for (const auto& a : hit.at("passages").at(0).at("actors"))
      if (a == "china" || a == "india") named.push_back("actor:" + a.get<std::string>());
    CHECK(hit.at("explain").at("filters").get<std::vector<std::string>>() == named);
  }
}

TEST_CASE("explain: the passage scores that chose the passages shown", "[explain]") {
  const auto j = explained({"pakistan", "china"});
  for (const auto& hit : j.at("results")) {
    const auto& e = hit.at("explain");
    const auto& passages = e.at("passages");
    REQUIRE(!passages.empty());
    CHECK(passages.at(0).at("shown") == true);
    CHECK(std::abs(passages.at(0).at("score").get<double>() - hit.at("score").get<double>()) < 1e-9);
    CHECK(std::abs(e.at("threshold").get<double>() - 0.5 * hit.at("score").get<double>()) < 1e-9);
    std::size_t shown = 0;
    for (const auto& p : passages) {
      if (p.at("shown") == true) {
        ++shown;
        CHECK(p.at("score").get<double>() >= e.at("threshold").get<double>());
      }
    }
    CHECK(shown == hit.at("passages").size());
  }
}

TEST_CASE("explain: text output shows the sum under each result, and without --explain there is none", "[explain]") {
  const auto r = run_quire({"search", "--db", corpus_index(), "--explain", "--color", "never", "pakistan", "navy"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("explain: score ") != std::string::npos);
  CHECK(r.out.find("pakistan") != std::string::npos);
  CHECK(r.out.find("passages (shown at ") != std::string::npos);
  const auto plain = run_quire({"search", "--db", corpus_index(), "--json", "pakistan"});
  REQUIRE(plain.exit_code == 0);
  CHECK(nlohmann::json::parse(plain.out).at("results").at(0).count("explain") == 0);
}

TEST_CASE("explain: a batch JSONL line asks for it with \"explain\": true", "[explain]") {
  TempDir dir;
  const std::string queries = dir.write("q.jsonl", R"({"id": "a", "query": "pakistan navy", "explain": true})"
                                                   "\n"
                                                   R"({"id": "b", "query": "pakistan navy"})"
                                                   "\n");
  const auto r = run_quire({"batch", "--db", corpus_index(), queries});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  std::vector<nlohmann::json> lines;
  std::size_t at = 0;
  while (at < r.out.size()) {
    const std::size_t end = r.out.find('\n', at);
    lines.push_back(nlohmann::json::parse(r.out.substr(at, end - at)));
    at = end == std::string::npos ? r.out.size() : end + 1;
  }
  REQUIRE(lines.size() == 2);
  const auto& hit = lines[0].at("results").at(0);
  CHECK(std::abs(weight_sum(hit.at("explain")) - hit.at("score").get<double>()) < 1e-6);
  CHECK(lines[1].at("results").at(0).count("explain") == 0);
}
