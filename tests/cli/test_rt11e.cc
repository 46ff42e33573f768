// The rt11e red team's findings (issue 11), each with the other cases of its class: a count cut by the
// time bound reported as exact, the same index given twice, and a warning naming a document id other
// than the one stored. (Serve's cases are in serve/test_http.py; the unit ones in test_rt11e_units.cc.)
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
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
      // Exit 1 when nothing was found: only a search the deadline stopped before its first match.
      REQUIRE((r.exit_code == 0 || r.exit_code == 1));
      const auto j = nlohmann::json::parse(r.out.substr(0, r.out.find('\n')));
      if (r.exit_code == 1) CHECK((j.value("timed_out", false) && batch == false));
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

// ---- Row 7: the warning about a file name that is not UTF-8 names the id as stored -------------------

TEST_CASE("rt11e: a name that is not UTF-8 is warned of with the document id it is stored under", "[rt11e][names]") {
  TempDir tmp;
  // A line break in the name (stored as "_"), and one in a folder name (the id is the path under docs).
  write(tmp.path() + "/docs/bad\xFFname\nline.txt", "Text about the Orinoco basin.\n");
  write(tmp.path() + "/docs/sub\nfolder/caf\xE9.txt", "Text about the Orinoco delta.\n");
  const std::string db = tmp.path() + "/idx";
  const RunResult r = run_quire({"index", "--db", db, tmp.path() + "/docs"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const RunResult s = run_quire({"search", "--db", db, "--json", "orinoco"});
  REQUIRE(s.exit_code == 0);
  std::vector<std::string> ids;
  const auto found = nlohmann::json::parse(s.out);
  for (const auto& hit : found["results"]) ids.push_back(hit["id"]);
  std::sort(ids.begin(), ids.end());
  CHECK(ids == std::vector<std::string>{"bad\xC3\xBFname_line", "sub_folder/caf\xC3\xA9"});
  for (const auto& id : ids) CHECK(r.err.find("its document id is \"" + id + "\"") != std::string::npos);
  CHECK(r.err.find("\"bad\xC3\xBFname\nline\"") == std::string::npos);
}

// ---- Row 5: the same index given twice is refused, naming both -----------------------------------------

TEST_CASE("rt11e: the same index given twice, however named, is refused", "[rt11e][shards]") {
  TempDir tmp;
  write(tmp.path() + "/docs/a.txt", "The Pakistan delegation met China about the corridor.\n");
  write(tmp.path() + "/docs/b.txt", "China and the sea; Pakistan spoke later about trade.\n");
  write(tmp.path() + "/other/c.txt", "Nothing about the sea here, but trade.\n");
  const std::string db = tmp.path() + "/idx", other = tmp.path() + "/idx2";
  REQUIRE(run_quire({"index", "--db", db, tmp.path() + "/docs"}).exit_code == 0);
  REQUIRE(run_quire({"index", "--db", other, tmp.path() + "/other"}).exit_code == 0);
  fs::create_directory_symlink(db, tmp.path() + "/link");
  const std::string list = tmp.write("dup.list", "quire shards\nidx\n" + db + "\n");
  const std::string fine = tmp.write("fine.list", "quire shards\nidx\nidx2\n");
  const std::vector<std::vector<std::string>> twice = {
      {"--db", db, "--db", db},        {"--db", db, "--db", tmp.path() + "/link"},
      {"--db", db, "--db", db + "/."}, {"--db", list},
      {"--db", fine, "--db", db},
  };
  for (const auto& dbs : twice) {
    for (const char* cmd : {"info", "search"}) {
      std::vector<std::string> args = {cmd};
      args.insert(args.end(), dbs.begin(), dbs.end());
      if (std::string(cmd) == "search") args.push_back("pakistan");
      const RunResult r = run_quire(args);
      INFO(cmd << " " << dbs.back() << ": " << r.out.substr(0, 200) << r.err);
      CHECK(r.exit_code == 2);
      CHECK(r.err.find("the same index is given twice") != std::string::npos);
      CHECK(r.out.empty());
    }
  }
  // Two different indexes are still one search of both.
  const RunResult both = run_quire({"info", "--db", fine});
  INFO(both.err);
  CHECK(both.exit_code == 0);
  CHECK(std::regex_search(both.out, std::regex("documents: +3\n")));
}
