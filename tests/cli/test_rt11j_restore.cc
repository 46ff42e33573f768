// The rt11j red team's row 3 (docs/red-team/2026-12-03-reliability-rt11j.md) on real files: a file
// pruned and then restored from a backup takes its old id back, so the collections that hold it show it
// again and export it. The index records the id of every document it removed, by its file's path (and
// bytes), through --rebuild and in every shard; a restore at that path, or of those bytes elsewhere,
// takes the id back unless a document indexed now holds it.
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support.h"

using quire::test::run_quire;
using quire::test::RunResult;
using quire::test::TempDir;
using quire::test::write;

namespace fs = std::filesystem;

namespace {

struct Library {
  TempDir dir;
  std::string lib = dir.path() + "/lib";
  std::string backup = dir.path() + "/backup";
  std::string db = dir.path() + "/index";
  std::string shards = "1";

  RunResult index(const std::vector<std::string>& extra = {}) const {
    std::vector<std::string> args = {"index", "--db", db, "--shards", shards};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(lib);
    return run_quire(args);
  }
  RunResult collection(std::vector<std::string> args) const {
    args.insert(args.begin(), "collection");
    args.push_back("--db");
    args.push_back(db);
    return run_quire(args);
  }
  std::string id_of(const std::string& word) const {
    const RunResult r = run_quire({"search", "--db", db, "--json", word});
    if (r.exit_code != 0) return "";
    const auto j = nlohmann::json::parse(r.out);
    return j["results"].size() == 1 ? j["results"][0]["id"].get<std::string>() : "";
  }
  // id -> in_index of collection `name`'s documents.
  std::map<std::string, bool> members(const std::string& name) const {
    std::map<std::string, bool> out;
    const RunResult r = collection({"show", name, "--json"});
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    const auto j = nlohmann::json::parse(r.out);
    for (const auto& d : j["documents"]) out[d["id"].get<std::string>()] = d["in_index"].get<bool>();
    return out;
  }
  // The red team's setup: two files, a collection by query and a member added by hand, both files
  // copied to a backup (cp -p: same bytes and mtime) and deleted, a third file, then --prune.
  void prune_two() const {
    write(lib + "/treaty.txt", "The treaty on the okapi reserve was signed in Kinshasa by both parties.\n");
    write(lib + "/note.txt", "Budget note.\n");
    REQUIRE(index().exit_code == 0);
    REQUIRE(collection({"new", "c", "--query", "okapi"}).exit_code == 0);
    REQUIRE(collection({"add", "c", "note"}).exit_code == 0);
    fs::create_directories(backup);
    for (const char* f : {"treaty.txt", "note.txt"}) {
      fs::copy_file(lib + "/" + f, backup + "/" + f);
      fs::last_write_time(backup + "/" + f, fs::last_write_time(lib + "/" + f));
      fs::remove(lib + "/" + f);
    }
    write(lib + "/other.txt", "Other.\n");
    REQUIRE(index({"--prune"}).exit_code == 0);
    REQUIRE(members("c") == std::map<std::string, bool>{{"note", false}, {"treaty", false}});
  }
  void restore(const std::string& name, const std::string& to = "") const {
    const std::string dest = lib + "/" + (to.empty() ? name : to);
    fs::create_directories(fs::path(dest).parent_path());
    fs::copy_file(backup + "/" + name, dest);
    fs::last_write_time(dest, fs::last_write_time(backup + "/" + name));
  }
};

const std::map<std::string, bool> kBothBack = {{"note", true}, {"treaty", true}};

}  // namespace

TEST_CASE("rt11j row 3: files restored at their paths after --prune take their ids back", "[rt11j][restore]") {
  for (const std::string shards : {"1", "2"}) {
    INFO(shards << " shard(s)");
    Library l;
    l.shards = shards;
    l.prune_two();
    l.restore("treaty.txt");
    l.restore("note.txt");
    REQUIRE(l.index().exit_code == 0);
    CHECK(l.id_of("okapi") == "treaty");
    CHECK(l.id_of("budget") == "note");
    CHECK(l.members("c") == kBothBack);
    const RunResult show = l.collection({"show", "c"});
    CHECK(show.out.find("no longer in the index") == std::string::npos);
    const RunResult ris = l.collection({"export", "c", "--format", "ris"});
    CHECK(ris.exit_code == 0);
    CHECK(ris.out.find("ID  - treaty\r\n") != std::string::npos);
    CHECK(ris.out.find("ID  - note\r\n") != std::string::npos);
    CHECK(ris.err.find("no longer in the index") == std::string::npos);
    const RunResult refresh = l.collection({"refresh", "c"});
    CHECK(refresh.exit_code == 0);
    CHECK(refresh.out.find("0 gone") != std::string::npos);
    CHECK(l.members("c") == kBothBack);
    // And they stay through a rebuild.
    REQUIRE(l.index({"--rebuild"}).exit_code == 0);
    CHECK(l.id_of("okapi") == "treaty");
    CHECK(l.id_of("budget") == "note");
    CHECK(l.members("c") == kBothBack);
  }
}

TEST_CASE("rt11j row 3: the record of a pruned id survives --rebuild and moves, and steals no id",
          "[rt11j][restore]") {
  struct Case {
    const char* what;
    bool rebuild_between;     // a --rebuild between the prune and the restore
    bool rebuild_restore;     // the restore met by a --rebuild, not an incremental run
    std::string treaty_to;    // where treaty.txt is restored ("" : its own path)
    bool edited;              // the restored treaty.txt edited first
  };
  const std::vector<Case> cases = {
      {"rebuild between prune and restore", true, false, "", false},
      {"restore met by a rebuild", false, true, "", false},
      {"restored and edited", false, false, "", true},
      {"restored and edited, met by a rebuild", true, true, "", true},
      {"same bytes restored in another folder", false, false, "archive/treaty.txt", false},
      {"same bytes restored under another name", false, false, "okapi-treaty.txt", false},
      {"same bytes elsewhere, met by a rebuild", true, true, "archive/treaty.txt", false},
  };
  for (const std::string shards : {"1", "2"}) {
    for (const auto& c : cases) {
      INFO(c.what << ", " << shards << " shard(s)");
      Library l;
      l.shards = shards;
      l.prune_two();
      if (c.rebuild_between) {
        REQUIRE(l.index({"--rebuild"}).exit_code == 0);
        CHECK(l.members("c") == std::map<std::string, bool>{{"note", false}, {"treaty", false}});
      }
      l.restore("treaty.txt", c.treaty_to);
      l.restore("note.txt");
      if (c.edited) write(l.lib + "/treaty.txt", "The treaty on the okapi reserve, amended in Goma.\n");
      REQUIRE(l.index(c.rebuild_restore ? std::vector<std::string>{"--rebuild"} : std::vector<std::string>{})
                  .exit_code == 0);
      CHECK(l.id_of("okapi") == "treaty");
      CHECK(l.id_of("budget") == "note");
      CHECK(l.members("c") == kBothBack);
      REQUIRE(l.index({"--rebuild"}).exit_code == 0);
      CHECK(l.id_of("okapi") == "treaty");
      CHECK(l.members("c") == kBothBack);
    }
  }
}

TEST_CASE("rt11j row 3: a pruned id taken by another document stays with it", "[rt11j][restore]") {
  for (const std::string shards : {"1", "2"}) {
    INFO(shards << " shard(s)");
    Library l;
    l.shards = shards;
    l.prune_two();
    // An XML document's id is its own: it may claim "treaty" while the treaty's file is away.
    write(l.lib + "/t.xml", "<document version=\"1\" id=\"treaty\"><meta><title>Other</title></meta><body><section><p>Koala text "
          "about quendor.</p></section></body></document>\n");
    REQUIRE(l.index().exit_code == 0);
    REQUIRE(l.id_of("quendor") == "treaty");
    l.restore("treaty.txt");
    l.restore("note.txt");
    REQUIRE(l.index().exit_code == 0);
    CHECK(l.id_of("quendor") == "treaty");
    const std::string restored = l.id_of("okapi");
    CHECK(!restored.empty());
    CHECK(restored != "treaty");
    CHECK(l.id_of("budget") == "note");
    REQUIRE(l.index({"--rebuild"}).exit_code == 0);
    CHECK(l.id_of("quendor") == "treaty");
    CHECK(l.id_of("okapi") == restored);
  }
}

TEST_CASE("rt11j row 3: without a collection a pruned id waits for its file, not the first of its stem",
          "[rt11j][restore]") {
  for (const std::string shards : {"1", "2"}) {
    INFO(shards << " shard(s)");
    Library l;
    l.shards = shards;
    write(l.lib + "/report.txt", "Wombat draft text about zintar.\n");
    write(l.lib + "/other.txt", "Other text.\n");
    REQUIRE(l.index().exit_code == 0);
    REQUIRE(l.id_of("zintar") == "report");
    fs::create_directories(l.backup);
    fs::copy_file(l.lib + "/report.txt", l.backup + "/report.txt");
    fs::remove(l.lib + "/report.txt");
    REQUIRE(l.index({"--prune"}).exit_code == 0);
    write(l.lib + "/report.md", "# Koala\n\nKoala markdown text about quendor.\n");
    REQUIRE(l.index().exit_code == 0);
    CHECK(l.id_of("quendor") == "report.md");
    l.restore("report.txt");
    REQUIRE(l.index().exit_code == 0);
    CHECK(l.id_of("zintar") == "report");
    CHECK(l.id_of("quendor") == "report.md");
  }
}

TEST_CASE("rt11j row 3: a file deleted without --prune and restored keeps its id", "[rt11j][restore]") {
  for (const bool edited : {false, true}) {
    INFO((edited ? "restored and edited" : "restored as it was"));
    Library l;
    write(l.lib + "/treaty.txt", "The treaty on the okapi reserve was signed in Kinshasa by both parties.\n");
    write(l.lib + "/other.txt", "Other.\n");
    REQUIRE(l.index().exit_code == 0);
    REQUIRE(l.collection({"new", "c", "--query", "okapi"}).exit_code == 0);
    fs::create_directories(l.backup);
    fs::copy_file(l.lib + "/treaty.txt", l.backup + "/treaty.txt");
    fs::remove(l.lib + "/treaty.txt");
    REQUIRE(l.index().exit_code == 0);
    l.restore("treaty.txt");
    if (edited) write(l.lib + "/treaty.txt", "The treaty on the okapi reserve, amended in Goma.\n");
    REQUIRE(l.index().exit_code == 0);
    CHECK(l.id_of("okapi") == "treaty");
    CHECK(l.members("c") == std::map<std::string, bool>{{"treaty", true}});
  }
}
