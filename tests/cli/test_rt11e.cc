// The rt11e red team's findings (issue 11), each with the other cases of its class: a count cut by the
// time bound reported as exact, the same index given twice, and a warning naming a document id other
// than the one stored. (Serve's cases are in serve/test_http.py; the unit ones in test_rt11e_units.cc.)
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support.h"

using quire::test::run_quire;
using quire::test::RunResult;
using quire::test::TempDir;

namespace fs = std::filesystem;

namespace {

void write(const std::string& path, const std::string& bytes) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream(path, std::ios::binary) << bytes;
}

}  // namespace

// ---- Row 1: --timeout-ms cut the count of documents, which said it was exact -------------------------

TEST_CASE("rt11e: a count cut by --timeout-ms says so in search and batch, JSON and terminal", "[rt11e][timeout]") {
  TempDir tmp;
  // Many documents of many passages, each with the word: collapsing them to documents takes a while.
  std::string text;
  for (int p = 0; p < 12; ++p) text += "Peace was the word of paragraph " + std::to_string(p) + " here.\n\n";
  for (int d = 0; d < 1200; ++d) write(tmp.path() + "/docs/d" + std::to_string(d) + ".txt", text);
  const std::string db = tmp.path() + "/idx";
  REQUIRE(run_quire({"index", "--db", db, tmp.path() + "/docs"}).exit_code == 0);
  const RunResult whole = run_quire({"search", "--db", db, "--json", "--exact", "--limit", "1", "peace"});
  REQUIRE(whole.exit_code == 0);
  REQUIRE(nlohmann::json::parse(whole.out)["total"] == 1200);
  const std::string queries = tmp.write("q.jsonl", "{\"id\": \"a\", \"query\": \"peace\", \"limit\": 1}\n");
  int cut = 0;
  for (int i = 0; i < 8; ++i) {
    for (const bool batch : {false, true}) {
      const RunResult r =
          batch ? run_quire({"batch", "--db", db, "--exact", "--timeout-ms", "1", queries})
                : run_quire({"search", "--db", db, "--json", "--exact", "--timeout-ms", "1", "--limit", "1", "peace"});
      INFO(r.out.substr(0, 300) << r.err);
      REQUIRE(r.exit_code == 0);
      const auto j = nlohmann::json::parse(r.out.substr(0, r.out.find('\n')));
      // Either every match was counted, or the answer says it was not.
      if (j.value("timed_out", false)) {
        ++cut;
        CHECK(j["total_exact"] == false);
      } else {
        CHECK(j["total_exact"] == true);
        CHECK(j["total"] == 1200);
      }
    }
    const RunResult t = run_quire({"search", "--db", db, "--exact", "--timeout-ms", "1", "--limit", "1", "peace"});
    if (t.out.find("1,200 matching documents") == std::string::npos &&
        t.out.find("1200 matching documents") == std::string::npos) {
      INFO(t.out.substr(0, 300));
      CHECK(t.out.find("about ") != std::string::npos);
    }
  }
  WARN("counts cut by the 1 ms bound: " << cut << " of 16");
}
