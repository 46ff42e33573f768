// Filters restrict wherever they are written (issue 17, item 1): inside brackets, after NOT and '-',
// nested, with no words at all, through search, batch JSONL and facets, on real UN General Debate
// speeches. Each result passage must satisfy the filter expression as written, and the words rank.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "support.h"

using quire::test::run_program;
using quire::test::run_quire;
using quire::test::shared_dir;
using quire::test::source_dir;
using quire::test::TempDir;

namespace fs = std::filesystem;

namespace {

// Speeches of India, China, Pakistan, South Africa and Namibia, 1990 to 2002: "" without the data.
const std::string& speeches() {
  static TempDir dir;
  static const std::string db = [] {
    std::vector<std::string> members;
    for (const char* f :
         {"Session 45 - 1990/IND_45_1990.txt", "Session 45 - 1990/CHN_45_1990.txt", "Session 45 - 1990/NAM_45_1990.txt",
          "Session 50 - 1995/PAK_50_1995.txt", "Session 50 - 1995/ZAF_50_1995.txt", "Session 55 - 2000/IND_55_2000.txt",
          "Session 57 - 2002/CHN_57_2002.txt", "Session 57 - 2002/PAK_57_2002.txt",
          "Session 57 - 2002/ZAF_57_2002.txt"})
      members.push_back(std::string("TXT/") + f);
    return quire::test::ungdc_index(dir, members);
  }();
  return db;
}

nlohmann::json search(std::vector<std::string> args) {
  args.insert(args.end() - 1, "--");  // the last is the query
  args.insert(args.begin(), {"search", "--db", speeches(), "--json", "--passages", "--limit", "2000"});
  const auto r = run_quire(args);
  INFO(args.back() << ": " << r.err);
  REQUIRE((r.exit_code == 0 || r.exit_code == 1));
  return nlohmann::json::parse(r.out);
}

// What one result passage holds, for the predicates below.
struct Passage {
  std::vector<std::string> actors, themes;
  int year = 0;
  std::string text;  // lower case
  bool actor(const std::string& a) const { return std::find(actors.begin(), actors.end(), a) != actors.end(); }
  bool theme(const std::string& t) const { return std::find(themes.begin(), themes.end(), t) != themes.end(); }
  bool says(const std::string& w) const { return text.find(w) != std::string::npos; }
};

Passage passage(const nlohmann::json& hit) {
  Passage p;
  const auto& first = hit.at("passages").at(0);
  p.actors = first.value("actors", std::vector<std::string>{});
  p.themes = first.value("themes", std::vector<std::string>{});
  const std::string date = hit.value("date", "");
  p.year = date.size() >= 4 ? std::stoi(date.substr(0, 4)) : 0;
  for (const char c : first.at("text").get<std::string>()) p.text += static_cast<char>(std::tolower(c));
  return p;
}

struct Case {
  const char* query;
  std::function<bool(const Passage&)> holds;  // the expression as the user wrote it
  bool ranked;                                // words that rank: scores above zero
};

const std::vector<Case>& cases() {
  static const std::vector<Case> table = {
      {"nuclear (actor:india OR actor:china)",
       [](const Passage& p) { return p.says("nuclear") && (p.actor("india") || p.actor("china")); }, true},
      {"(actor:india OR actor:china) nuclear",
       [](const Passage& p) { return p.says("nuclear") && (p.actor("india") || p.actor("china")); }, true},
      {"nuclear AND (actor:india OR actor:china)",
       [](const Passage& p) { return p.says("nuclear") && (p.actor("india") || p.actor("china")); }, true},
      {"nuclear (actor:india OR theme:trade)",
       [](const Passage& p) { return p.says("nuclear") && (p.actor("india") || p.theme("trade")); }, true},
      {"(nuclear OR atomic) actor:india",
       [](const Passage& p) { return (p.says("nuclear") || p.says("atom")) && p.actor("india"); }, true},
      {"nuclear NOT actor:india", [](const Passage& p) { return p.says("nuclear") && !p.actor("india"); }, true},
      {"nuclear -actor:india", [](const Passage& p) { return p.says("nuclear") && !p.actor("india"); }, true},
      {"nuclear NOT (actor:india OR actor:china)",
       [](const Passage& p) { return p.says("nuclear") && !p.actor("india") && !p.actor("china"); }, true},
      {"nuclear -(actor:india OR actor:china)",
       [](const Passage& p) { return p.says("nuclear") && !p.actor("india") && !p.actor("china"); }, true},
      {"nuclear (published:1990..1995 OR published:2000..2001)",
       [](const Passage& p) {
         return p.says("nuclear") && ((p.year >= 1990 && p.year <= 1995) || (p.year >= 2000 && p.year <= 2001));
       },
       true},
      {"apartheid (actor:\"south africa\" OR actor:namibia)",
       [](const Passage& p) { return p.says("apartheid") && (p.actor("south-africa") || p.actor("namibia")); }, true},
      {"(actor:india actor:pakistan) nuclear",
       [](const Passage& p) { return p.says("nuclear") && p.actor("india") && p.actor("pakistan"); }, true},
      {"nuclear ((actor:india OR actor:china) (published:1990 OR published:2002))",
       [](const Passage& p) {
         return p.says("nuclear") && (p.actor("india") || p.actor("china")) && (p.year == 1990 || p.year == 2002);
       },
       true},
      {"(actor:india OR actor:china)", [](const Passage& p) { return p.actor("india") || p.actor("china"); }, false},
      {"\"nuclear weapons\" (actor:india OR actor:pakistan)",
       [](const Passage& p) { return p.says("nuclear weapons") && (p.actor("india") || p.actor("pakistan")); }, true},
      {"(nuclear (actor:india OR actor:china)) OR apartheid",
       [](const Passage& p) {
         return (p.says("nuclear") && (p.actor("india") || p.actor("china"))) || p.says("apartheid");
       },
       true},
  };
  return table;
}

#define SKIP_WITHOUT_UNGDC()                                         \
  if (speeches().empty()) {                                          \
    WARN("skipped: " << shared_dir() << "/data/ungdc is not there"); \
    return;                                                          \
  }

}  // namespace

TEST_CASE("filter groups: every result passage satisfies the filters as written, and words rank", "[search][filters]") {
  SKIP_WITHOUT_UNGDC();
  for (const auto& c : cases()) {
    INFO(c.query);
    const auto j = search({c.query});
    REQUIRE(!j.at("results").empty());
    CHECK(j.at("total").get<std::size_t>() == j.at("results").size());
    for (const auto& hit : j.at("results")) {
      const Passage p = passage(hit);
      INFO(hit.at("id") << " #" << hit.at("passages").at(0).at("passage"));
      CHECK(c.holds(p));
      if (c.ranked) CHECK(hit.at("score").get<double>() > 0);
    }
  }
}

TEST_CASE("filter groups: a group of filters alone is every passage either holds", "[search][filters]") {
  SKIP_WITHOUT_UNGDC();
  const auto count = [](const std::string& q) { return search({"--exact", q}).at("total").get<std::size_t>(); };
  const std::size_t india = count("actor:india"), china = count("actor:china"), both = count("actor:india actor:china");
  REQUIRE((india > 0 && china > 0));
  CHECK(count("(actor:india OR actor:china)") == india + china - both);
  // The words of a ranked query rank as they do with the filter outside the brackets.
  const auto inside = search({"nuclear (actor:india)"}), outside = search({"nuclear actor:india"});
  CHECK(inside.at("results") == outside.at("results"));
}

TEST_CASE("filter groups: batch JSONL and facets agree with search", "[search][filters]") {
  SKIP_WITHOUT_UNGDC();
  TempDir dir;
  const std::string file = dir.path() + "/q.jsonl";
  {
    std::ofstream out(file);
    for (const auto& c : cases())
      out << nlohmann::json({{"id", c.query}, {"query", c.query}, {"passages", true}, {"limit", 2000}}) << "\n";
  }
  const auto r = run_quire({"batch", "--db", speeches(), file});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  std::istringstream lines(r.out);
  std::size_t i = 0;
  for (std::string line; std::getline(lines, line); ++i) {
    REQUIRE(i < cases().size());
    INFO(cases()[i].query);
    const auto j = nlohmann::json::parse(line);
    REQUIRE(!j.at("results").empty());
    for (const auto& hit : j.at("results")) CHECK(cases()[i].holds(passage(hit)));
  }
  CHECK(i == cases().size());
  // Facet counts are the results' own: each actor's passages among them.
  const char* q = "nuclear (actor:india OR actor:china)";
  const auto f =
      run_quire({"facets", "--db", speeches(), "--json", "--facets", "actor", "--facet-limit", "500", "--", q});
  INFO(f.err);
  REQUIRE(f.exit_code == 0);
  const auto facets = nlohmann::json::parse(f.out).at("facets").at("actor");
  const auto results = search({q}).at("results");
  REQUIRE(!facets.empty());
  for (const auto& v : facets) {
    const std::string id = v.at("id");
    std::size_t passages = 0;
    std::set<std::string> documents;
    for (const auto& h : results) {
      if (!passage(h).actor(id)) continue;
      ++passages;
      documents.insert(h.at("id").get<std::string>());
    }
    INFO(id);
    CHECK(v.at("passages").get<std::size_t>() == passages);
    CHECK(v.at("documents").get<std::size_t>() == documents.size());
  }
}
