// rt17 (issue 17's red team): did you mean corrects only words the index does not hold, estimates of
// phrases stay within a small factor and the same across pages, wildcards inside a word and fields with
// no value are errors, and "ivoire" finds Côte d'Ivoire. On the 193 speeches of the 2006 UN General
// Debate (session 61) and on small made-up corpora where a word's frequency must be exact.
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support.h"

using quire::test::run_program;
using quire::test::run_quire;
using quire::test::shared_dir;
using quire::test::source_dir;
using quire::test::TempDir;

namespace fs = std::filesystem;

namespace {

// Every speech of session 61 (2006), with the shipped metadata map: "" without the data.
const std::string& session61() {
  static TempDir dir;
  static const std::string db = [] { return quire::test::ungdc_index(dir, {"TXT/Session 61 - 2006"}); }();
  return db;
}

#define SKIP_WITHOUT_UNGDC()                                         \
  if (session61().empty()) {                                         \
    WARN("skipped: " << shared_dir() << "/data/ungdc is not there"); \
    return;                                                          \
  }

nlohmann::json search(const std::string& db, std::vector<std::string> args) {
  args.insert(args.begin(), {"search", "--db", db, "--json"});
  const auto r = run_quire(args);
  INFO(args.back() << ": " << r.err);
  REQUIRE((r.exit_code == 0 || r.exit_code == 1));  // 1: no results
  return nlohmann::json::parse(r.out);
}

std::string suggestion(const nlohmann::json& j) {
  return j.contains("suggestion") ? j["suggestion"].get<std::string>() : "";
}

}  // namespace

TEST_CASE("rt17: did you mean never rewrites a word the index holds", "[search][spelling][ungdc]") {
  SKIP_WITHOUT_UNGDC();
  const std::string& db = session61();
  // Every word of these is in session 61: names, places, a quote pasted whole, common words.
  for (const std::string q : {"Sao Tome and Principe", "the devil came here yesterday and it still smells of sulphur",
                              "I have come here with an olive branch and a freedom fighters gun", "Nehru",
                              "Nehru Sao Tome", "here", "devil", "olive", "\"Cote d'Ivoire\"", "\"Kashmir dispute\""}) {
    for (const bool exact : {false, true}) {
      INFO(q << (exact ? " --exact" : ""));
      const auto j = exact ? search(db, {"--exact", q}) : search(db, {q});
      if (q.find(' ') == std::string::npos || q[0] == '"') CHECK(j["total"].get<int>() > 0);
      CHECK(suggestion(j) == "");
    }
  }
}

TEST_CASE("rt17: did you mean corrects the words the index lacks and keeps the others as typed",
          "[search][spelling][ungdc]") {
  SKIP_WITHOUT_UNGDC();
  const std::string& db = session61();
  struct Case {
    std::string query, suggestion;
  };
  const std::vector<Case> cases = {
      {"Kashmr", "kashmir"},
      {"Nehru Kashmr", "Nehru kashmir"},
      {"the devil came here yesterday and it still smells of sulphr",
       "the devil came here yesterday and it still smells of sulphur"},
      // Inside a field (row 47).
      {"author:musharaf", "author:musharraf"},
      {"author:musharaf kashmir", "author:musharraf kashmir"},
      // A phrase: the misspelt word corrected, the right one kept (row 49).
      {"\"Kashmr dispute\"", "\"kashmir dispute\""},
      // The index lacks the word; its other spelling finds the phrase (row 48).
      {"\"clash of civilisations\"", "\"clash of civilizations\""},
      {"\"smells of sulfur\"", "\"smells of sulphur\""},
      // Not the filter's value, not a field name, not a wildcard.
      {"by:PAK Kashmr", "by:PAK kashmir"},
      {"kashm* Pakistn", "kashm* pakistan"},
  };
  for (const auto& c : cases) {
    INFO(c.query);
    const auto j = search(db, {c.query});
    CHECK(suggestion(j) == c.suggestion);
    // The same whether the total was counted or estimated (row 7).
    CHECK(suggestion(search(db, {"--exact", c.query})) == c.suggestion);
    if (!c.suggestion.empty()) CHECK(search(db, {c.suggestion})["total"].get<int>() > 0);
  }
}

TEST_CASE("rt17: a word the index holds a few times is corrected only beside a far commoner word one edit away",
          "[search][spelling]") {
  TempDir dir;
  std::string common, rare;
  for (int i = 0; i < 1200; ++i)
    common += "A peaceful people will suffer no evil in the year " + std::to_string(i) + ".\n\n";
  dir.write("docs/common.txt", common);
  dir.write("docs/rare.txt",
            "One peacefull speech on sulfur and the devil.\n\nThe devil, the devil.\n\nA devil's advocate.\n");
  const std::string db = dir.path() + "/index";
  const auto r = run_quire({"index", "--db", db, dir.path() + "/docs"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  struct Case {
    std::string query, suggestion;
  };
  const std::vector<Case> cases = {
      {"peacefull", "peaceful"},  // once, one edit from a word held 1,200 times
      {"sulfur", ""},             // once, but "suffer" is two edits away
      {"devil", ""},              // one edit from "evil", but held 4 times: a word of the index
      {"peacefull devil", "peaceful devil"},
      {"peacefulll", "peaceful"},  // not held at all
  };
  for (const auto& c : cases) {
    INFO(c.query);
    CHECK(suggestion(search(db, {c.query})) == c.suggestion);
  }
}

TEST_CASE("rt17: a '*' or '?' inside a word, and a field with nothing after it, are errors", "[search][query][ungdc]") {
  SKIP_WITHOUT_UNGDC();
  const std::string& db = session61();
  struct Case {
    std::string query, error;
  };
  const std::vector<Case> cases = {
      {"kashm*r", "'kashm*r' at character 1: only a trailing * is supported (kashm*)"},
      {"kash?ir", "'kash?ir' at character 1: only a trailing * is supported (kash*)"},
      {"like:", "'like:' at character 1 has no value"},
      {"session:", "'session:' at character 1 has no value"},
      {"author:", "'author:' at character 1 has no value"},
      {"session:..", "'session:..' at character 1 is a range with no ends"},
  };
  for (const auto& c : cases) {
    INFO(c.query);
    const auto r = run_quire({"search", "--db", db, c.query});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("quire: bad query: " + c.error));
    CHECK(r.out.empty());
  }
  // A trailing '*' still works.
  CHECK(search(db, {"kashm*"})["total"].get<int>() > 0);
}

TEST_CASE("rt17: estimates of phrases are near the exact count and the same on every page", "[search][totals][ungdc]") {
  SKIP_WITHOUT_UNGDC();
  const std::string& db = session61();
  const int documents = search(db, {"--exact", "--limit", "1", "session:61"})["total"];
  REQUIRE(documents == 193);
  for (const std::string q : {"\"nuclear weapons\"", "Secretary-General", "\"human rights\" OR \"climate change\"",
                              "\"united nations\" OR \"general assembly\" OR \"security council\""}) {
    INFO(q);
    const int exact = search(db, {"--exact", "--limit", "1", q})["total"];
    REQUIRE(exact > 0);
    const int first = search(db, {"--limit", "1", q})["total"];
    const int page1 = search(db, {q})["total"];
    const int page3 = search(db, {"--offset", "20", q})["total"];
    for (const int estimate : {first, page1}) {
      CHECK(estimate >= exact / 2);
      CHECK(estimate <= exact * 2);
      CHECK(estimate <= documents);
    }
    CHECK(page3 == page1);
  }
  // Never more than the index holds: like: leaves its own document out (row 41).
  const auto like = search(db, {"like:UNGDC_PAK_61_2006"});
  CHECK(like["total"].get<int>() <= documents - 1);
  const int passages = search(db, {"--exact", "--passages", "--limit", "1", "session:61"})["total"];
  CHECK(search(db, {"--passages", "like:UNGDC_PAK_61_2006"})["total"].get<int>() <= passages);
}

TEST_CASE("rt17: a word finds its elided form (ivoire, d'Ivoire)", "[search][ungdc]") {
  SKIP_WITHOUT_UNGDC();
  const std::string& db = session61();
  const int elided = search(db, {"--exact", "\"d'Ivoire\""})["total"];
  CHECK(elided >= 22);  // grep: 22 speeches write "d’Ivoire"
  const auto j = search(db, {"--exact", "--limit", "100", "ivoire"});
  CHECK(j["total"].get<int>() == elided);
  CHECK(suggestion(j) == "");
  const auto civ = search(db, {"--exact", "ivoire by:CIV"});
  CHECK(civ["total"] == 1);
}
