// Estimated and exact totals: `quire search` counts every match only when asked (--exact, facets,
// exports, collections), and says when a total is an estimate; the results shown never depend on it.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <set>

#include "support.h"

using quire::test::corpus_index;
using quire::test::run_quire;

namespace {

nlohmann::json search(std::vector<std::string> extra) {
  std::vector<std::string> args = {"search", "--db", corpus_index(), "--json"};
  args.insert(args.end(), extra.begin(), extra.end());
  const auto r = run_quire(args);
  INFO(r.err);
  REQUIRE((r.exit_code == 0 || r.exit_code == 1));
  return nlohmann::json::parse(r.out);
}

// What a reader sees of the results: documents, scores, passages and highlights, in order.
nlohmann::json shown(const nlohmann::json& j) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& r : j["results"]) out.push_back({r["rank"], r["id"], r["score"], r["passages"]});
  return out;
}

}  // namespace

TEST_CASE("estimated and exact totals give the same results, in documents and passages, at any offset",
          "[cli][totals]") {
  const auto query = GENERATE(as<std::string>{}, "china pakistan", "nuclear", "economic corridor investment",
                              "\"transactional or flirtatious\"", "pakistan actor:china", "military OR navy", "nucl*",
                              "strategic NOT china");
  const auto mode = GENERATE(as<std::string>{}, "", "--passages");
  const auto offset = GENERATE(as<std::string>{}, "0", "2");
  INFO(query << " " << mode << " offset " << offset);
  std::vector<std::string> args = {"--limit", "3", "--offset", offset, query};
  if (!mode.empty()) args.push_back(mode);
  const auto estimated = search(args);
  args.push_back("--exact");
  const auto exact = search(args);
  CHECK(shown(estimated) == shown(exact));
  CHECK(exact["total_exact"] == true);
  CHECK(estimated["total_exact"].is_boolean());
  if (estimated["total_exact"] == true) CHECK(estimated["total"] == exact["total"]);
  CHECK_FALSE(exact.contains("timed_out"));

  // The exact total is what a full listing holds: every matching passage, or their distinct documents.
  const auto all = search({"--passages", "--limit", "10000", "--exact", query});
  std::set<std::string> documents;
  for (const auto& r : all["results"]) documents.insert(r["id"].get<std::string>());
  CHECK(exact["total"] == (mode.empty() ? documents.size() : all["results"].size()));
}

TEST_CASE("a total that is an estimate says so: total_exact false in JSON, 'about' in text", "[cli][totals]") {
  // Many matches and one result shown: Xapian stops early and estimates. Without the proximity
  // re-rank: it asks Xapian for the best 30 results, and the corpus has 5 documents that match, so
  // Xapian checks every match to find them and the total is exact (and said to be, below).
  const auto j = search({"--proximity", "0", "--limit", "1", "china pakistan"});
  CHECK(j["total_exact"] == false);
  CHECK(j["total"].get<int>() >= 1);
  const auto reranked = search({"--proximity", "1", "--limit", "1", "china pakistan"});
  CHECK(reranked["total_exact"] == true);
  CHECK(reranked["total"] == search({"--exact", "--limit", "1", "china pakistan"})["total"]);
  const auto text = run_quire(
      {"search", "--db", corpus_index(), "--color", "never", "--proximity", "0", "--limit", "1", "china pakistan"});
  CHECK_THAT(text.out, Catch::StartsWith("about "));
  const auto passages =
      run_quire({"search", "--db", corpus_index(), "--color", "never", "--limit", "1", "--passages", "china pakistan"});
  CHECK_THAT(passages.out.substr(0, passages.out.find('\n')),
             Catch::Matches("about [0-9,]+ matching passages, showing 1-1"));
  const auto html =
      run_quire({"search", "--db", corpus_index(), "--html", "--proximity", "0", "--limit", "1", "china pakistan"});
  CHECK_THAT(html.out, Catch::Contains("<p>about "));

  // Exact when asked for, and whenever facets are counted.
  const auto exact = run_quire({"search", "--db", corpus_index(), "--color", "never", "--exact", "-n", "1", "china"});
  CHECK_THAT(exact.out.substr(0, exact.out.find('\n')), Catch::Matches("[0-9]+ matching documents, showing 1-1"));
  // A single word's passages are counted exactly from the index's statistics.
  const auto word = search({"--passages", "--limit", "1", "china"});
  CHECK(word["total_exact"] == true);
  CHECK(search({"--limit", "1", "--facets", "actor", "china pakistan"})["total_exact"] == true);
  // Few matches are counted exactly anyway: Xapian's bounds meet.
  const auto rare = search({"\"transactional or flirtatious\""});
  CHECK(rare["total_exact"] == true);
  CHECK(rare["total"] == rare["results"].size());
}

TEST_CASE("batch: estimates by default, exact with --exact or \"exact\": true, --timeout-ms accepted",
          "[cli][totals][batch]") {
  quire::test::TempDir dir;
  const std::string queries =
      dir.write("q.jsonl",
                "{\"id\": \"a\", \"query\": \"china pakistan\", \"limit\": 1}\n"
                "{\"id\": \"b\", \"query\": \"china pakistan\", \"limit\": 1, \"exact\": true}\n");
  const auto run = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = {"batch", "--db", corpus_index()};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(queries);
    const auto r = run_quire(args);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    std::vector<nlohmann::json> lines;
    std::size_t at = 0;
    for (std::size_t nl; (nl = r.out.find('\n', at)) != std::string::npos; at = nl + 1)
      lines.push_back(nlohmann::json::parse(r.out.substr(at, nl - at)));
    REQUIRE(lines.size() == 2);
    return lines;
  };
  const auto plain = run({"--proximity", "0"});  // the re-rank would check all 5 documents (above)
  CHECK(plain[0]["total_exact"] == false);
  CHECK(plain[1]["total_exact"] == true);
  CHECK(shown(plain[0]) == shown(plain[1]));
  const auto exact = run({"--exact", "--timeout-ms", "60000"});
  CHECK(exact[0]["total_exact"] == true);
  CHECK(exact[0]["total"] == plain[1]["total"]);
  CHECK_FALSE(exact[0].contains("timed_out"));
  for (const char* t : {"-5", "99999999999", "ten"}) {
    INFO(t);
    CHECK(run_quire({"search", "--db", corpus_index(), "--timeout-ms", t, "china"}).exit_code == 2);
    CHECK(run_quire({"batch", "--db", corpus_index(), "--timeout-ms", t, queries}).exit_code == 2);
  }
}
