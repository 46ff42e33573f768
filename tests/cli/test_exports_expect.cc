// Exports and collections as searchers expect them (issue 17, item 7), on the bundled corpus: a
// passage search exports one record per document listing its passages; `collection new` takes every
// filter `search` takes, and `collection list` and `show --json` show them.
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "support.h"

using quire::test::corpus_index;
using quire::test::run_quire;
using quire::test::source_dir;
using quire::test::TempDir;

namespace fs = std::filesystem;

TEST_CASE("search --passages --format: one record per document, listing the passages found", "[exports]") {
  const auto hits = run_quire({"search", "--db", corpus_index(), "--json", "--passages", "--limit", "30", "pakistan"});
  REQUIRE(hits.exit_code == 0);
  // The paragraphs of each document's passage results, in rank order.
  std::map<std::string, std::vector<int>> expected;
  std::vector<std::string> order;
  const auto found = nlohmann::json::parse(hits.out);
  for (const auto& h : found.at("results")) {
    const std::string id = h.at("id");
    if (!expected.count(id)) order.push_back(id);
    expected[id].push_back(h.at("passages").at(0).at("paragraph").get<int>());
  }
  REQUIRE(found.at("results").size() == 30);
  REQUIRE(order.size() < 30);  // some documents have several passages among the 30

  const auto jsonl =
      run_quire({"search", "--db", corpus_index(), "--format", "jsonl", "--passages", "--limit", "30", "pakistan"});
  REQUIRE(jsonl.exit_code == 0);
  std::istringstream in(jsonl.out);
  std::vector<std::string> ids;
  for (std::string line; std::getline(in, line);) {
    const auto j = nlohmann::json::parse(line);
    ids.push_back(j.at("id"));
    std::vector<int> paragraphs;
    for (const auto& p : j.at("passages")) paragraphs.push_back(p.at("paragraph").get<int>());
    CHECK(paragraphs == expected[ids.back()]);
    CHECK_THAT(j.at("citation").get<std::string>(),
               Catch::EndsWith("para. " + std::to_string(paragraphs.front()) + "."));
  }
  CHECK(ids == order);

  const auto ris =
      run_quire({"search", "--db", corpus_index(), "--format", "ris", "--passages", "--limit", "30", "pakistan"});
  std::size_t records = 0;
  for (std::size_t at = 0; (at = ris.out.find("TY  - ", at)) != std::string::npos; ++at) ++records;
  CHECK(records == order.size());
  CHECK_THAT(ris.out, Catch::Contains("N1  - Passages: para. "));

  const auto csv =
      run_quire({"search", "--db", corpus_index(), "--format", "csv", "--passages", "--limit", "30", "pakistan"});
  CHECK_THAT(csv.out, Catch::StartsWith("id,title,"));
  CHECK_THAT(csv.out.substr(0, csv.out.find("\r\n")), Catch::EndsWith(",by,catalogue,citation,paragraph,page"));
  std::size_t rows = 0;
  for (std::size_t at = 0; (at = csv.out.find("\r\n", at)) != std::string::npos; at += 2) ++rows;
  CHECK(rows == order.size() + 1);
}

TEST_CASE("collection new takes every filter search takes, and list and show --json show them", "[collection]") {
  TempDir dir;
  const std::string db = dir.path() + "/index";
  fs::create_directories(dir.path() + "/docs");
  for (const auto& e : fs::directory_iterator(source_dir() + "/corpus"))
    fs::copy_file(e.path(), dir.path() + "/docs/" + e.path().filename().string());
  REQUIRE(run_quire({"index", "--db", db, dir.path() + "/docs"}).exit_code == 0);

  auto r = run_quire({"collection",
                      "new",
                      "usip",
                      "--db",
                      db,
                      "--query",
                      "military",
                      "--actor",
                      "china",
                      "--by",
                      "pakistan",
                      "--publisher",
                      "United States Institute of Peace",
                      "--theme",
                      "security",
                      "--published",
                      "2020..2025",
                      "--mentions",
                      "2015",
                      "--speaker",
                      "Wang Yi"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  r = run_quire({"collection", "new", "usip-only", "--db", db, "--publisher", "United States Institute of Peace"});
  REQUIRE(r.exit_code == 0);
  // The publisher filter alone finds USIP's report; the search with the same flag finds the same.
  const auto search =
      run_quire({"search", "--db", db, "--json", "--exact", "--publisher", "United States Institute of Peace"});
  REQUIRE(search.exit_code == 0);
  const auto only = nlohmann::json::parse(run_quire({"collection", "show", "usip-only", "--db", db, "--json"}).out);
  CHECK(only.at("documents").size() == nlohmann::json::parse(search.out).at("total").get<std::size_t>());
  CHECK(only.at("documents").size() >= 1);

  const auto show = nlohmann::json::parse(run_quire({"collection", "show", "usip", "--db", db, "--json"}).out);
  CHECK(show.at("query") == "military");
  CHECK(show.at("filters") == nlohmann::json::parse(R"({"actor": ["china"], "theme": ["security"],
      "published": ["2020..2025"], "mentions": ["2015"], "speaker": ["Wang Yi"], "by": ["pakistan"],
      "publisher": ["United States Institute of Peace"]})"));

  const auto list = run_quire({"collection", "list", "--db", db});
  REQUIRE(list.exit_code == 0);
  CHECK_THAT(list.out, Catch::Contains("usip\t0 documents\tmilitary actor:china theme:security published:2020..2025 "
                                       "mentions:2015 speaker:\"Wang Yi\" by:pakistan publisher:\"United States "
                                       "Institute of Peace\"\n"));
  CHECK_THAT(list.out, Catch::Contains("usip-only\t"));
  CHECK_THAT(list.out, Catch::Contains(" documents\tpublisher:\"United States Institute of Peace\"\n"));
}

TEST_CASE("an export cut at --limit says so on stderr, one that holds every match says nothing", "[exports]") {
  const auto all = run_quire({"search", "--db", corpus_index(), "--json", "--exact", "pakistan"});
  REQUIRE(all.exit_code == 0);
  const std::size_t total = nlohmann::json::parse(all.out).at("total");
  REQUIRE(total >= 3);
  for (const char* format : {"ris", "bibtex", "csl-json", "csv", "jsonl"}) {
    CAPTURE(format);
    const auto cut = run_quire({"search", "--db", corpus_index(), "--format", format, "--limit", "2", "pakistan"});
    REQUIRE(cut.exit_code == 0);
    CHECK(cut.err == "quire: note: exported 2 record(s) from results 1-2 of " + std::to_string(total) +
                         " matching documents (--limit 2); --limit " + std::to_string(total) + " exports them all\n");
    const auto whole =
        run_quire({"search", "--db", corpus_index(), "--format", format, "--limit", std::to_string(total), "pakistan"});
    REQUIRE(whole.exit_code == 0);
    CHECK(whole.err.empty());
  }
}
