// Nothing lost: kills at exact crash points of every operation that writes (the crash-point shim,
// tests/crash_shim.c, kills quire at its Nth rename, fsync or unlink), rebuilds and recoveries that
// refuse folders that are not quire's, collection changes made at the same time, prunes of trees whose
// folders are missing, unreadable or unmounted, and document identity in real file trees (same names
// in two folders, moves, links, white space in ids, content changed behind a restored mtime).
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "quire/index_db.h"
#include "quire/index_format.h"
#include "support.h"

using quire::test::read_file;
using quire::test::run_program;
using quire::test::run_quire;
using quire::test::RunResult;
using quire::test::source_dir;
using quire::test::spawn_quire;
using quire::test::TempDir;

namespace fs = std::filesystem;

namespace {

// ---------------------------------------------------------------------------------------------------
// Helpers

std::vector<std::string> corpus_paragraphs() {
  static const std::vector<std::string> paragraphs = [] {
    std::vector<std::string> out;
    const std::regex p_re("<p>([^<]{200,})</p>");
    for (const auto& e : fs::directory_iterator(source_dir() + "/corpus")) {
      const std::string xml = read_file(e.path().string());
      for (auto it = std::sregex_iterator(xml.begin(), xml.end(), p_re); it != std::sregex_iterator(); ++it)
        out.push_back((*it)[1]);
    }
    std::sort(out.begin(), out.end());
    return out;
  }();
  return paragraphs;
}

// The word of document n: "qqz" and letters ("qqzab"); Xapian splits words at digits.
std::string word(std::size_t n) {
  std::string w = "qqz";
  w += static_cast<char>('a' + n / 26 % 26);
  w += static_cast<char>('a' + n % 26);
  return w;
}

// A small text document: three corpus paragraphs and a word of its own (word(n)) to find it by.
std::string text_doc(std::size_t n, int variant = 0) {
  const auto& ps = corpus_paragraphs();
  REQUIRE(ps.size() > 20);
  std::string s;
  for (std::size_t k = 0; k < 3; ++k)
    s += ps[(n * 7 + k * 13 + static_cast<std::size_t>(variant) * 5) % ps.size()] + "\n\n";
  s += "Marker word " + word(n) + (variant ? " revised " + word(static_cast<std::size_t>(variant) + 600) : "") + ".\n";
  return s;
}

void write(const std::string& path, const std::string& content) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream(path, std::ios::binary) << content;
}

void make_docs(const std::string& dir, std::size_t n, std::size_t first = 0) {
  for (std::size_t i = first; i < first + n; ++i) write(dir + "/doc" + std::to_string(i) + ".txt", text_doc(i));
}

// The environment that preloads the crash-point shim. A sanitized quire needs ASan told that its
// runtime does not come first.
std::vector<std::string> shim_env(const std::vector<std::string>& extra) {
  std::string asan = std::getenv("ASAN_OPTIONS") ? std::getenv("ASAN_OPTIONS") : "";
  std::vector<std::string> env = {std::string("LD_PRELOAD=") + QUIRE_CRASH_SHIM,
                                  "ASAN_OPTIONS=" + asan + (asan.empty() ? "" : ":") + "verify_asan_link_order=0"};
  env.insert(env.end(), extra.begin(), extra.end());
  return env;
}

std::map<std::string, long> count_calls(const std::vector<std::string>& args, const std::string& file) {
  const RunResult r = run_quire(args, shim_env({"QUIRE_CRASH_COUNT=" + file}));
  INFO(r.err);
  REQUIRE(r.exit_code <= 1);
  std::map<std::string, long> counts;
  std::istringstream in(read_file(file));
  for (std::string kind; in >> kind;) in >> counts[kind];
  return counts;
}

bool have_xapian_check() {
  static const bool have = run_program({"xapian-check", "--version"}).exit_code == 0;
  return have;
}

// What must survive: the passages (quire info --digest) and every collection as stored (its query,
// hand-added and excluded documents and refresh history, the times left out), or "" when there is no
// index at all.
struct Snapshot {
  std::string digest;
  std::map<std::string, std::string> collections;
  bool operator==(const Snapshot& o) const { return digest == o.digest && collections == o.collections; }
  bool operator!=(const Snapshot& o) const { return !(*this == o); }
};

std::ostream& operator<<(std::ostream& os, const Snapshot& s) {
  os << "digest " << s.digest << "; collections:";
  for (const auto& [name, c] : s.collections) os << " " << name << "=" << c;
  return os;
}

std::string collection_state(const std::string& db, const std::string& name) {
  const RunResult r = run_quire({"collection", "show", name, "--db", db, "--json"});
  if (r.exit_code != 0) return "missing";
  auto j = nlohmann::json::parse(r.out);
  nlohmann::json docs = nlohmann::json::array();
  for (const auto& d : j["documents"]) docs.push_back({d["id"], d["added"]});
  for (auto& h : j["history"]) h.erase("at");
  return nlohmann::json{{"query", j["query"]}, {"docs", docs}, {"excluded", j["excluded"]}, {"history", j["history"]}}
      .dump();
}

Snapshot snapshot(const std::string& db, const std::vector<std::string>& names = {"keep", "other"}) {
  Snapshot s;
  if (!fs::exists(db + "/iamglass") && !fs::exists(db + "/shard0/iamglass")) return s;
  const RunResult d = run_quire({"info", "--db", db, "--digest"});
  s.digest = d.exit_code == 0 ? d.out : "unreadable: " + d.err;
  for (const auto& n : names)
    if (std::string c = collection_state(db, n); c != "missing") s.collections[n] = c;
  return s;
}

// Anything a rebuild or a creation leaves beside or inside an index when it is finished. The manifest
// (quire-manifest.json, the index's collections) belongs in it; its temporary file does not.
std::vector<std::string> leftovers(const std::string& db) {
  std::vector<std::string> out;
  const fs::path parent = fs::path(db).parent_path();
  for (const auto& e : fs::directory_iterator(parent)) {
    const std::string n = e.path().filename().string();
    if (n.find(".quire-rebuild") != std::string::npos || n.find(".quire-old") != std::string::npos) out.push_back(n);
  }
  if (fs::is_directory(db))
    for (const auto& e : fs::directory_iterator(db)) {
      const std::string n = e.path().filename().string();
      if (n.rfind("quire-", 0) == 0 && n != quire::format::kManifestFile) out.push_back(n);
    }
  return out;
}

void copy_tree(const std::string& from, const std::string& to) {
  fs::remove_all(to);
  if (fs::exists(from)) fs::copy(from, to, fs::copy_options::recursive);
}

std::string xapian_check(const std::string& db) {
  if (!have_xapian_check()) return "";
  if (!fs::exists(db + "/iamglass")) {
    // A sharded index (quire index --shards N): every shard.
    std::string out;
    for (int k = 0; fs::exists(db + "/shard" + std::to_string(k) + "/iamglass"); ++k)
      out += xapian_check(db + "/shard" + std::to_string(k));
    return out;
  }
  const RunResult c = run_program({"xapian-check", db});
  return c.exit_code == 0 ? "" : c.out + c.err;
}

std::vector<std::string> with_db(std::vector<std::string> args, const std::string& db) {
  args.insert(args.begin() + (args[0] == "collection" ? 3 : 1), {"--db", db});
  return args;
}

int search_count(const std::string& db, const std::string& query) {
  const RunResult r = run_quire({"search", "--db", db, "--json", "--limit", "100", query});
  if (r.exit_code > 1) return -1;
  return nlohmann::json::parse(r.out).value("total", -1);
}

std::set<std::string> doc_ids(const std::string& db) {
  const RunResult r = run_quire({"search", "--db", db, "--json", "--limit", "1000", "qqz*", "--max-wildcard", "1000"});
  std::set<std::string> ids;
  if (r.exit_code != 0) return ids;
  const auto j = nlohmann::json::parse(r.out);
  for (const auto& h : j["results"]) ids.insert(h.value("id", ""));
  return ids;
}

int wait_for(int pid) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// Waits until `pid` has stopped itself (the shim's ":stop"); false if it exited instead.
bool wait_stopped(int pid) {
  int status = 0;
  ::waitpid(pid, &status, WUNTRACED);
  return WIFSTOPPED(status);
}

// A library: 20 small documents indexed, and two collections with hand-made changes.
struct Library {
  TempDir tmp;
  std::string docs = tmp.path() + "/docs";
  std::string db = tmp.path() + "/index";
  explicit Library(bool collections = true) {
    make_docs(docs, 20);
    const RunResult r = run_quire({"index", "--db", db, docs});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    if (!collections) return;
    REQUIRE(run_quire({"collection", "new", "keep", "--db", db, "--query", "china"}).exit_code == 0);
    REQUIRE(run_quire({"collection", "add", "keep", "--db", db, "doc3", "doc4"}).exit_code == 0);
    REQUIRE(run_quire({"collection", "exclude", "keep", "--db", db, "doc5"}).exit_code == 0);
    REQUIRE(run_quire({"collection", "new", "other", "--db", db, "--query", word(7) + " OR " + word(8)}).exit_code ==
            0);
  }
};

// ---------------------------------------------------------------------------------------------------
// Crash points: each operation is killed at each of its renames, fsyncs and unlinks in turn.

struct CrashCase {
  const char* name;
  /// Prepares tmp/base (an index, or nothing) and the documents the command then reads.
  std::function<void(const std::string& tmp)> setup;
  std::vector<std::string> command;  ///< without --db; "DOCS" stands for tmp/docs
  /// After the kill the state must be exactly before or after (one commit); else anything the
  /// command's re-run completes.
  bool one_commit;
  bool rerun;  ///< running the command again must give the clean run's state
  std::vector<std::string> env;
};

void library_of_shards(const std::string& tmp, const std::string& shards) {
  make_docs(tmp + "/docs", 20);
  const std::string db = tmp + "/base";
  REQUIRE(run_quire({"index", "--shards", shards, "--db", db, tmp + "/docs"}).exit_code == 0);
  REQUIRE(run_quire({"collection", "new", "keep", "--db", db, "--query", "china"}).exit_code == 0);
  REQUIRE(run_quire({"collection", "add", "keep", "--db", db, "doc3"}).exit_code == 0);
  REQUIRE(run_quire({"collection", "new", "other", "--db", db, "--query", word(7)}).exit_code == 0);
}

void base_library(const std::string& tmp) { library_of_shards(tmp, "1"); }

void changed_library(const std::string& tmp) {
  base_library(tmp);
  for (std::size_t i = 0; i < 4; ++i) write(tmp + "/docs/doc" + std::to_string(i) + ".txt", text_doc(i, 1));
  make_docs(tmp + "/docs", 2, 20);
}

// The same changes to an index of two shards (quire index --shards 2), whose commits span both.
void sharded_changed_library(const std::string& tmp) {
  library_of_shards(tmp, "2");
  for (std::size_t i = 0; i < 4; ++i) write(tmp + "/docs/doc" + std::to_string(i) + ".txt", text_doc(i, 1));
  make_docs(tmp + "/docs", 2, 20);
}

void pruned_library(const std::string& tmp) {
  base_library(tmp);
  for (int i : {2, 9, 11, 17}) fs::remove(tmp + "/docs/doc" + std::to_string(i) + ".txt");
}

const std::vector<CrashCase>& crash_cases() {
  static const std::vector<CrashCase> cases = {
      {"index: a new index",
       [](const std::string& tmp) { make_docs(tmp + "/docs", 20); },
       {"index", "--commit-every", "10", "DOCS"},
       false,
       true,
       {}},
      {"index: changed and new files", changed_library, {"index", "--commit-every", "10", "DOCS"}, false, true, {}},
      {"index --rebuild", changed_library, {"index", "--rebuild", "DOCS"}, true, true, {}},
      {"index --shards 2: changed and new files",
       sharded_changed_library,
       {"index", "--commit-every", "10", "DOCS"},
       false,
       true,
       {}},
      {"index --rebuild, on a filesystem that cannot exchange two folders",
       changed_library,
       {"index", "--rebuild", "DOCS"},
       true,
       true,
       {"QUIRE_NO_EXCHANGE=1"}},
      {"index --prune", pruned_library, {"index", "--prune", "DOCS"}, true, true, {}},
      {"collection refresh", changed_library, {"collection", "refresh", "keep"}, true, false, {}},
      {"collection add", base_library, {"collection", "add", "keep", "doc9", "doc10"}, true, false, {}},
      {"collection exclude", base_library, {"collection", "exclude", "other", "doc7"}, true, false, {}},
      {"collection delete", base_library, {"collection", "delete", "other"}, true, false, {}},
      {"collection new --replace",
       base_library,
       {"collection", "new", "other", "--replace", "--query", "pakistan"},
       true,
       false,
       {}},
  };
  return cases;
}

}  // namespace

TEST_CASE("a kill at any rename or fsync or unlink loses nothing (every crash point of every operation)",
          "[data-loss][crash]") {
  for (const CrashCase& c : crash_cases()) {
    DYNAMIC_SECTION(c.name) {
      TempDir tmp;
      c.setup(tmp.path());
      const std::string base = tmp.path() + "/base";
      auto command = [&](const std::string& db) {
        std::vector<std::string> args = c.command;
        for (auto& a : args)
          if (a == "DOCS") a = tmp.path() + "/docs";
        return with_db(args, db);
      };
      const Snapshot before = snapshot(base);
      const std::string clean = tmp.path() + "/clean";
      copy_tree(base, clean);
      const RunResult cr = run_quire(command(clean), c.env);
      INFO(cr.err);
      REQUIRE(cr.exit_code == 0);
      const Snapshot after = snapshot(clean);
      REQUIRE(after != before);
      REQUIRE(leftovers(clean).empty());

      const std::string counted = tmp.path() + "/counted";
      copy_tree(base, counted);
      const auto counts = count_calls(command(counted), tmp.path() + "/counts");
      // Every rename (before and after it) and unlink; every 4th fsync (Xapian syncs each table in turn
      // before the rename that commits them) and the last. QUIRE_CRASH_ALL=1: every point, both ways.
      const bool all = std::getenv("QUIRE_CRASH_ALL") && std::string(std::getenv("QUIRE_CRASH_ALL")) == "1";
      int points = 0, landed = 0;
      for (const std::string kind : {"rename", "fsync", "unlink"}) {
        for (long k = 1; k <= counts.at(kind); ++k) {
          if (!all && kind == "fsync" && k % 4 != 1 && k != counts.at(kind)) continue;
          for (const std::string when : {"", ":after"}) {
            if (!all && kind != "rename" && !when.empty()) continue;  // after it is before what follows
            const std::string point = kind + ":" + std::to_string(k) + when;
            INFO("crash point " << point);
            const std::string db = tmp.path() + "/k";
            copy_tree(base, db);
            std::vector<std::string> env = c.env;
            env.push_back("QUIRE_CRASH_AT=" + point);
            const RunResult r = run_quire(command(db), shim_env(env));
            ++points;
            if (r.exit_code == 128 + SIGKILL) ++landed;
            // What a reader finds right after the kill, before any recovery ran.
            const Snapshot s = snapshot(db);
            CHECK(xapian_check(db).empty());
            if (c.one_commit) {
              INFO("after the kill: " << s << "\nbefore: " << before << "\nafter: " << after);
              CHECK((s == before || s == after));
            } else {
              CHECK(s.collections == before.collections);
            }
            if (c.rerun) {
              const RunResult again = run_quire(command(db), c.env);
              INFO(again.err);
              CHECK(again.exit_code == 0);
              CHECK(snapshot(db) == after);
              CHECK(leftovers(db).empty());
            } else {
              // The index takes the next change, and the state is one of the two.
              CHECK(run_quire({"collection", "add", "keep", "--db", db, "doc1"}).exit_code == 0);
              CHECK(leftovers(db).empty());
            }
          }
        }
      }
      WARN(c.name << ": " << points << " crash points, " << landed << " killed it (" << counts.at("rename")
                  << " renames, " << counts.at("fsync") << " fsyncs, " << counts.at("unlink") << " unlinks)");
      CHECK(landed == points);
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Folders that are not quire's: refused, named, untouched.

namespace {

struct ForeignCase {
  const char* name;
  std::function<void(const std::string& dir)> make;  ///< what is at tmp/target before quire runs
  std::vector<std::string> flags;                    ///< --rebuild or nothing
  const char* message;                               ///< what the refusal says
};

// Every file under `dir` with its bytes, to show nothing was changed.
std::map<std::string, std::string> tree(const std::string& dir) {
  std::map<std::string, std::string> out;
  if (!fs::exists(dir)) return out;
  if (!fs::is_directory(dir)) return {{"", read_file(dir)}};
  for (const auto& e : fs::recursive_directory_iterator(dir))
    out[fs::relative(e.path(), dir).string()] = e.is_regular_file() ? read_file(e.path().string()) : "<dir>";
  return out;
}

void user_files(const std::string& dir) {
  write(dir + "/film.mkv", "not really a film");
  write(dir + "/film.mkv.tmp", "a download in progress");
  write(dir + "/notes.txt", "my notes");
}

void plain_xapian(const std::string& dir) {
  TempDir t;
  const std::string jsonl = t.write("docs.jsonl", "{\"id\": \"a\", \"text\": \"someone else's database\"}\n");
  REQUIRE(run_program({QUIRE_XAPIAN_PLAIN, "index", dir, jsonl}).exit_code == 0);
  REQUIRE(fs::exists(dir + "/iamglass"));
}

const std::vector<ForeignCase>& foreign_cases() {
  static const std::vector<ForeignCase> cases = {
      {"a folder of user files, --rebuild", user_files, {"--rebuild"}, "is not a quire index: it holds film.mkv"},
      {"a folder of user files", user_files, {}, "is not a quire index: it holds film.mkv"},
      {"only a user's film.mkv.tmp",
       [](const std::string& d) { write(d + "/film.mkv.tmp", "partial"); },
       {},
       "it holds film.mkv.tmp"},
      {"only a user's file named like a Xapian table",
       [](const std::string& d) { write(d + "/postlist.glass", "mine"); },
       {},
       "it holds postlist.glass"},
      {"another program's Xapian database, --rebuild",
       plain_xapian,
       {"--rebuild"},
       "it is a Xapian database, but not a quire index"},
      {"another program's Xapian database", plain_xapian, {}, "is a Xapian database, but not a quire index"},
      {"a file, --rebuild",
       [](const std::string& d) { write(d, "a file"); },
       {"--rebuild"},
       "is a file, not an index folder"},
      {"a file", [](const std::string& d) { write(d, "a file"); }, {}, "is a file, not an index folder"},
      {"a hidden folder of user files",
       [](const std::string& d) { write(d + "/.profile", "x"); },
       {"--rebuild"},
       "it holds .profile"},
  };
  return cases;
}

}  // namespace

TEST_CASE("index and rebuild refuse a folder that is not a quire index and name what is there and touch nothing",
          "[data-loss][folders]") {
  for (const ForeignCase& c : foreign_cases()) {
    DYNAMIC_SECTION(c.name) {
      TempDir tmp;
      make_docs(tmp.path() + "/docs", 3);
      const std::string target = tmp.path() + "/target";
      c.make(target);
      const auto before = tree(target);
      std::vector<std::string> args = {"index", "--db", target};
      args.insert(args.end(), c.flags.begin(), c.flags.end());
      args.push_back(tmp.path() + "/docs");
      const RunResult r = run_quire(args);
      INFO(r.err);
      CHECK(r.exit_code == 2);
      CHECK_THAT(r.err, Catch::Contains(c.message));
      CHECK(tree(target) == before);
      CHECK(leftovers(target).empty());
    }
  }
}

TEST_CASE("rebuild into an empty folder or a new one makes an index and keeps a user's file in an old index",
          "[data-loss][folders]") {
  TempDir tmp;
  make_docs(tmp.path() + "/docs", 3);
  SECTION("an empty folder the user made") {
    fs::create_directories(tmp.path() + "/empty");
    const RunResult r = run_quire({"index", "--rebuild", "--db", tmp.path() + "/empty", tmp.path() + "/docs"});
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(search_count(tmp.path() + "/empty", word(1)) == 1);
    CHECK(leftovers(tmp.path() + "/empty").empty());
  }
  SECTION("a folder that does not exist yet") {
    const RunResult r = run_quire({"index", "--rebuild", "--db", tmp.path() + "/a/b/new", tmp.path() + "/docs"});
    CHECK(r.exit_code == 0);
    CHECK(search_count(tmp.path() + "/a/b/new", word(2)) == 1);
  }
  SECTION("a user's file inside the old index is not deleted: the rebuild is refused before it starts") {
    Library lib;
    write(lib.db + "/README-mine.txt", "what this index is for");
    const RunResult r = run_quire({"index", "--rebuild", "--db", lib.db, lib.docs});
    INFO(r.err);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("README-mine.txt") && Catch::Contains("which quire did not make"));
    CHECK(read_file(lib.db + "/README-mine.txt") == "what this index is for");
    CHECK(!fs::exists(lib.tmp.path() + "/.index.quire-rebuild"));  // nothing that would block the next one
    CHECK(search_count(lib.db, word(1)) == 1);
    CHECK(collection_state(lib.db, "keep") != "missing");
  }
  SECTION("an index reached through a symlink is rebuilt where it is; the link stays") {
    Library lib;
    const std::string link = lib.tmp.path() + "/link";
    fs::create_directory_symlink(lib.db, link);
    const std::string keep = collection_state(lib.db, "keep");
    const RunResult r = run_quire({"index", "--rebuild", "--db", link, lib.docs});
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(fs::is_symlink(link));
    CHECK(fs::read_symlink(link) == lib.db);
    CHECK(collection_state(link, "keep") == keep);
    CHECK(leftovers(lib.db).empty());
  }
}

TEST_CASE("rebuild of a damaged index whose collections cannot be read is refused and the index kept byte for byte",
          "[data-loss][folders]") {
  // A truncated table, as a disk error or a bad copy leaves it: Xapian opens none of the tables then,
  // so the collections cannot be carried over, and the rebuild must not replace the index.
  for (const std::string table : {"postlist.glass", "termlist.glass", "docdata.glass"}) {
    DYNAMIC_SECTION(table << " truncated") {
      Library lib;
      fs::resize_file(lib.db + "/" + table, 0);
      const auto before = tree(lib.db);
      const RunResult r = run_quire({"index", "--rebuild", "--db", lib.db, lib.docs});
      INFO(r.err);
      CHECK(r.exit_code == 2);
      CHECK_THAT(r.err, Catch::Contains("cannot rebuild " + lib.db + ": its saved collections cannot be read") &&
                            Catch::Contains("move it elsewhere"));
      CHECK(tree(lib.db) == before);
      CHECK(leftovers(lib.db).empty());
    }
  }
}

TEST_CASE("an index of format 3 is refused with the rebuild message, and --rebuild carries its collections over",
          "[data-loss][folders][format]") {
  Library lib;
  const Snapshot before = snapshot(lib.db);
  REQUIRE(before.collections.size() == 2);
  // Format 3 kept the collections in the database's user metadata (C:<name>), not in a manifest: this
  // index made so, with its own collections.
  const std::string manifest = lib.db + "/" + std::string(quire::format::kManifestFile);
  {
    const auto j = nlohmann::json::parse(read_file(manifest));
    Xapian::WritableDatabase w = quire::open_index_for_writing(lib.db, Xapian::DB_OPEN);
    const auto& collections = j.at("collections");
    for (auto it = collections.begin(); it != collections.end(); ++it)
      w.set_metadata(std::string(quire::format::kKeyCollectionPrefix) + it.key(), it.value().dump());
    w.set_metadata(std::string(quire::format::kKeyFormat), "3");
    w.commit();
  }
  fs::remove(manifest);
  const std::vector<std::vector<std::string>> refused = {
      {"search", "china"},    {"facets", "--facets", "actor", "china"}, {"info"},
      {"collection", "list"}, {"collection", "show", "keep"},           {"collection", "add", "keep", "doc1"},
      {"index", lib.docs},
  };
  for (auto args : refused) {
    args.insert(args.end(), {"--db", lib.db});
    const RunResult r = run_quire(args);
    INFO(args[0] << " " << args.size() << " arguments: " << r.err);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("has format version 3") && Catch::Contains("quire index --rebuild"));
  }
  CHECK(!fs::exists(manifest));
  const RunResult r = run_quire({"index", "--rebuild", "--db", lib.db, lib.docs});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(snapshot(lib.db) == before);
  CHECK(fs::exists(manifest));
  CHECK(leftovers(lib.db).empty());
  const std::string prefix(quire::format::kKeyCollectionPrefix);
  const Xapian::Database rebuilt = quire::open_index(lib.db);
  CHECK(rebuilt.metadata_keys_begin(prefix) == rebuilt.metadata_keys_end(prefix));
}

TEST_CASE("rebuild from a path that is missing, unreadable or empty is refused and the index kept",
          "[data-loss][folders]") {
  // A rebuild replaces the index with what its paths hold now: an unmounted drive, a typo or an unset
  // "$CORPUS" would empty it. Each is refused before anything changes.
  struct Case {
    const char* kind;
    std::function<std::vector<std::string>(Library&)> paths;
    const char* message;
  };
  const Case cases[] = {
      {"a missing folder", [](Library& l) { return std::vector<std::string>{l.tmp.path() + "/media/usb/TXT"}; },
       "is missing"},
      {"an empty path (an unset variable)", [](Library&) { return std::vector<std::string>{""}; }, "is missing"},
      {"an empty folder (an unmounted drive)",
       [](Library& l) {
         fs::create_directories(l.tmp.path() + "/mnt");
         return std::vector<std::string>{l.tmp.path() + "/mnt"};
       },
       "is an empty folder"},
      {"the real folder and a missing one",
       [](Library& l) {
         return std::vector<std::string>{l.docs, l.tmp.path() + "/gone"};
       },
       "is missing"},
      {"a folder whose link is broken",
       [](Library& l) {
         fs::create_symlink(l.tmp.path() + "/nowhere", l.tmp.path() + "/link");
         return std::vector<std::string>{l.tmp.path() + "/link"};
       },
       "cannot rebuild"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.kind) {
      Library lib;
      const Snapshot before = snapshot(lib.db);
      const auto paths = c.paths(lib);
      std::vector<std::string> args = {"index", "--rebuild", "--db", lib.db};
      args.insert(args.end(), paths.begin(), paths.end());
      const RunResult r = run_quire(args);
      INFO(r.out << r.err);
      CHECK(r.exit_code == 2);
      CHECK_THAT(r.err, Catch::Contains("cannot rebuild " + lib.db) && Catch::Contains(c.message) &&
                            Catch::Contains("the index is as it was"));
      CHECK(snapshot(lib.db) == before);
      CHECK(leftovers(lib.db).empty());
    }
  }
}

TEST_CASE("rebuild while another quire writes the index is refused and the writer finishes", "[data-loss][folders]") {
  Library lib;
  make_docs(lib.docs, 5, 20);
  // The writer stops itself at its first fsync, holding the index's write lock.
  const int writer = spawn_quire({"index", "--db", lib.db, lib.docs}, shim_env({"QUIRE_CRASH_AT=fsync:1:stop"}),
                                 lib.tmp.path() + "/w.out", lib.tmp.path() + "/w.err");
  REQUIRE(wait_stopped(writer));
  const RunResult r = run_quire({"index", "--rebuild", "--db", lib.db, lib.docs});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("is locked"));
  CHECK(leftovers(lib.db).empty());
  ::kill(writer, SIGCONT);
  CHECK(wait_for(writer) == 0);
  CHECK(search_count(lib.db, word(22)) == 1);
}

TEST_CASE("Ctrl-C during a rebuild abandons it: the old index and its collections are as they were",
          "[data-loss][signals]") {
  for (const int sig : {SIGINT, SIGTERM}) {
    DYNAMIC_SECTION("signal " << sig) {
      Library lib;
      const Snapshot before = snapshot(lib.db);
      for (std::size_t i = 0; i < 4; ++i) write(lib.docs + "/doc" + std::to_string(i) + ".txt", text_doc(i, 1));
      // Stopped at its 3rd fsync, in the middle of the new index (a commit every 5 passages).
      const int pid =
          spawn_quire({"index", "--rebuild", "--commit-every", "5", "--db", lib.db, lib.docs},
                      shim_env({"QUIRE_CRASH_AT=fsync:3:stop"}), lib.tmp.path() + "/out", lib.tmp.path() + "/err");
      REQUIRE(wait_stopped(pid));
      ::kill(pid, sig);
      ::kill(pid, SIGCONT);
      CHECK(wait_for(pid) == 128 + sig);
      const std::string err = read_file(lib.tmp.path() + "/err");
      INFO(err);
      CHECK_THAT(err, Catch::Contains("the rebuild is abandoned"));
      CHECK(snapshot(lib.db) == before);
      CHECK(leftovers(lib.db).empty());
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Collections changed at the same time

TEST_CASE("an add while a refresh holds the lock waits for it and neither change is lost", "[data-loss][collection]") {
  Library lib;
  make_docs(lib.docs, 3, 20);
  REQUIRE(run_quire({"index", "--db", lib.db, lib.docs}).exit_code == 0);
  // The refresh stops inside its commit: it has read the collection and holds the write lock.
  const int refresh =
      spawn_quire({"collection", "refresh", "keep", "--db", lib.db}, shim_env({"QUIRE_CRASH_AT=fsync:1:stop"}),
                  lib.tmp.path() + "/r.out", lib.tmp.path() + "/r.err");
  REQUIRE(wait_stopped(refresh));
  const int add = spawn_quire({"collection", "add", "keep", "--db", lib.db, "doc12"}, {}, lib.tmp.path() + "/a.out",
                              lib.tmp.path() + "/a.err");
  ::kill(refresh, SIGCONT);
  CHECK(wait_for(refresh) == 0);
  CHECK(wait_for(add) == 0);
  INFO(read_file(lib.tmp.path() + "/a.err"));
  const auto j = nlohmann::json::parse(run_quire({"collection", "show", "keep", "--db", lib.db, "--json"}).out);
  CHECK(j["history"].size() == 2);  // new, and this refresh
  bool added = false;
  for (const auto& d : j["documents"]) added = added || (d["id"] == "doc12" && d["added"] == true);
  CHECK(added);
}

TEST_CASE("concurrent collection changes: every change that reports success is in the collection",
          "[data-loss][collection]") {
  Library lib;
  std::vector<std::pair<int, std::string>> runs;  // pid, its stderr file
  std::vector<std::string> ids;
  for (int i = 10; i < 16; ++i) {
    ids.push_back("doc" + std::to_string(i));
    const std::string err = lib.tmp.path() + "/e" + std::to_string(i);
    runs.emplace_back(spawn_quire({"collection", "add", "keep", "--db", lib.db, ids.back()}, {},
                                  lib.tmp.path() + "/o" + std::to_string(i), err),
                      err);
  }
  runs.emplace_back(spawn_quire({"collection", "exclude", "keep", "--db", lib.db, "doc1"}, {}, lib.tmp.path() + "/ox",
                                lib.tmp.path() + "/ex"),
                    lib.tmp.path() + "/ex");
  runs.emplace_back(spawn_quire({"collection", "refresh", "keep", "--db", lib.db}, {}, lib.tmp.path() + "/or",
                                lib.tmp.path() + "/er"),
                    lib.tmp.path() + "/er");
  for (const auto& [pid, err] : runs) {
    const int code = wait_for(pid);
    INFO(read_file(err));
    CHECK(code == 0);
  }
  const auto j = nlohmann::json::parse(run_quire({"collection", "show", "keep", "--db", lib.db, "--json"}).out);
  std::set<std::string> added;
  for (const auto& d : j["documents"])
    if (d["added"] == true) added.insert(d["id"].get<std::string>());
  for (const auto& id : ids) CHECK(added.count(id) == 1);
  CHECK(std::find(j["excluded"].begin(), j["excluded"].end(), "doc1") != j["excluded"].end());
  CHECK(j["history"].size() == 2);
}

TEST_CASE("two collection new of one name at once: one is created and the other is told it exists",
          "[data-loss][collection]") {
  Library lib;
  const int a = spawn_quire({"collection", "new", "twin", "--db", lib.db, "--query", "china"}, {},
                            lib.tmp.path() + "/a.out", lib.tmp.path() + "/a.err");
  const int b = spawn_quire({"collection", "new", "twin", "--db", lib.db, "--query", "pakistan"}, {},
                            lib.tmp.path() + "/b.out", lib.tmp.path() + "/b.err");
  const int ca = wait_for(a), cb = wait_for(b);
  CHECK(((ca == 0 && cb == 2) || (ca == 2 && cb == 0)));
  const std::string loser = read_file(lib.tmp.path() + (ca == 0 ? "/b.err" : "/a.err"));
  CHECK_THAT(loser, Catch::Contains("'twin' exists"));
}

// ---------------------------------------------------------------------------------------------------
// --prune keeps what it cannot see

namespace {

struct PruneCase {
  const char* name;
  /// Changes the tree under tmp/docs after it was indexed; returns the PATH arguments for the prune run.
  std::function<std::vector<std::string>(const std::string& tmp)> change;
  std::size_t documents_after;  ///< of the 20
  const char* message;          ///< on stderr ("" for none)
  int exit_code;
};

void nest(const std::string& tmp) {
  // docs/a holds doc0..doc9, docs/b/mnt holds doc10..doc19
  for (int i = 0; i < 20; ++i) {
    const std::string sub = i < 10 ? "/docs/a/" : "/docs/b/mnt/";
    fs::create_directories(tmp + sub);
    fs::rename(tmp + "/docs/doc" + std::to_string(i) + ".txt", tmp + sub + "doc" + std::to_string(i) + ".txt");
  }
}

const std::vector<PruneCase>& prune_cases() {
  static const std::vector<PruneCase> cases = {
      {"a root that is gone",
       [](const std::string& t) {
         fs::rename(t + "/docs", t + "/elsewhere");
         return std::vector<std::string>{t + "/docs"};
       },
       20, "no such file or folder (documents indexed from it are kept)", 1},
      {"a root that is empty now (an unmounted drive)",
       [](const std::string& t) {
         for (const auto& e : fs::directory_iterator(t + "/docs")) fs::remove_all(e.path());
         return std::vector<std::string>{t + "/docs"};
       },
       20, "is empty now (an unmounted drive?)", 1},
      {"a folder inside the root that is empty now",
       [](const std::string& t) {
         fs::remove_all(t + "/docs/b/mnt");
         fs::create_directory(t + "/docs/b/mnt");
         return std::vector<std::string>{t + "/docs"};
       },
       20, "b/mnt: is empty now", 1},
      {"a symlinked root whose target is gone",
       [](const std::string& t) {
         fs::rename(t + "/docs", t + "/real");
         fs::create_directory_symlink(t + "/nowhere", t + "/docs");
         return std::vector<std::string>{t + "/docs"};
       },
       20, "documents indexed from it are kept", 1},
      // A folder whose path now passes through something quire cannot see: its documents are kept.
      {"a folder moved to a drive and replaced by a link that leads nowhere (drive unmounted)",
       [](const std::string& t) {
         fs::rename(t + "/docs/b", t + "/drive-b");
         fs::create_directory_symlink("/nonexistent-unmounted-drive/b", t + "/docs/b");
         return std::vector<std::string>{t + "/docs"};
       },
       20, "not pruned: ", 1},
      {"a folder deeper down replaced by a link that leads nowhere",
       [](const std::string& t) {
         fs::rename(t + "/docs/b/mnt", t + "/drive-mnt");
         fs::create_directory_symlink("/nonexistent-unmounted-drive/mnt", t + "/docs/b/mnt");
         return std::vector<std::string>{t + "/docs"};
       },
       20, "a link that leads nowhere (unmounted drive?)", 1},
      {"a folder replaced by a link to a folder outside the roots (not followed)",
       [](const std::string& t) {
         fs::rename(t + "/docs/b", t + "/drive-b");
         fs::create_directory(t + "/other");
         fs::create_directory_symlink(t + "/other", t + "/docs/b");
         return std::vector<std::string>{t + "/docs"};
       },
       20, "a link quire does not follow", 1},
      {"a folder replaced by a link loop",
       [](const std::string& t) {
         fs::remove_all(t + "/docs/b");
         fs::create_directory_symlink(t + "/docs/b2", t + "/docs/b");
         fs::create_directory_symlink(t + "/docs/b", t + "/docs/b2");
         return std::vector<std::string>{t + "/docs"};
       },
       20, "not pruned: ", 1},
      {"two roots, one gone: the other is pruned as usual",
       [](const std::string& t) {
         fs::remove(t + "/docs/a/doc3.txt");
         fs::rename(t + "/docs/b", t + "/gone-b");
         return std::vector<std::string>{t + "/docs/a", t + "/docs/b"};
       },
       19, "no such file or folder", 1},
      {"a file deleted for good is pruned",
       [](const std::string& t) {
         fs::remove(t + "/docs/a/doc3.txt");
         return std::vector<std::string>{t + "/docs"};
       },
       19, "", 0},
      {"a folder deleted for good is pruned",
       [](const std::string& t) {
         fs::remove_all(t + "/docs/b");
         return std::vector<std::string>{t + "/docs"};
       },
       10, "", 0},
      {"a file whose name changed is the same document",
       [](const std::string& t) {
         fs::rename(t + "/docs/a/doc3.txt", t + "/docs/a/renamed.txt");
         return std::vector<std::string>{t + "/docs"};
       },
       20, "", 0},
  };
  return cases;
}

}  // namespace

TEST_CASE("prune removes documents only when their files are gone for good", "[data-loss][prune]") {
  for (const PruneCase& c : prune_cases()) {
    DYNAMIC_SECTION(c.name) {
      TempDir tmp;
      make_docs(tmp.path() + "/docs", 20);
      nest(tmp.path());
      const std::string db = tmp.path() + "/index";
      REQUIRE(run_quire({"index", "--db", db, tmp.path() + "/docs"}).exit_code == 0);
      REQUIRE(doc_ids(db).size() == 20);
      std::vector<std::string> args = {"index", "--prune", "--db", db};
      for (const auto& p : c.change(tmp.path())) args.push_back(p);
      const RunResult r = run_quire(args);
      INFO(r.out << r.err);
      CHECK(r.exit_code == c.exit_code);
      if (*c.message) CHECK_THAT(r.err, Catch::Contains(c.message));
      CHECK(doc_ids(db).size() == c.documents_after);
    }
  }
}

TEST_CASE("prune keeps what is under a folder quire may not read", "[data-loss][prune]") {
  TempDir tmp;
  make_docs(tmp.path() + "/docs", 20);
  nest(tmp.path());
  const std::string db = tmp.path() + "/index";
  // As root, permissions do not stop quire: run it as nobody, on files nobody may read.
  const bool root = ::geteuid() == 0;
  std::vector<std::string> as = {};
  if (root) {
    if (run_program({"setpriv", "--version"}).exit_code != 0) {
      WARN("skipped: setpriv (util-linux) is not installed");
      return;
    }
    as = {"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"};
    for (const auto& e : fs::recursive_directory_iterator(tmp.path()))
      fs::permissions(e.path(), fs::perms::all, fs::perm_options::add);
    fs::permissions(tmp.path(), fs::perms::all, fs::perm_options::add);
  }
  const auto quire = [&as](std::vector<std::string> args) {
    args.insert(args.begin(), QUIRE_BINARY);
    args.insert(args.begin(), as.begin(), as.end());
    return run_program(args);
  };
  REQUIRE(quire({"index", "--db", db, tmp.path() + "/docs"}).exit_code == 0);
  fs::permissions(tmp.path() + "/docs/b", fs::perms::none);
  const RunResult r = quire({"index", "--prune", "--db", db, tmp.path() + "/docs"});
  fs::permissions(tmp.path() + "/docs/b", fs::perms::owner_all | fs::perms::group_all | fs::perms::others_all);
  INFO(r.err);
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err,
             Catch::Contains("docs/b: cannot read folder: Permission denied (documents indexed from it are kept)"));
  CHECK(doc_ids(db).size() == 20);
}

TEST_CASE("SIGTERM during a prune leaves the index before or after the prune and never between", "[data-loss][prune]") {
  TempDir tmp;
  make_docs(tmp.path() + "/docs", 20);
  const std::string db = tmp.path() + "/index";
  REQUIRE(run_quire({"index", "--db", db, tmp.path() + "/docs"}).exit_code == 0);
  const std::string before = snapshot(db).digest;
  for (int i = 0; i < 10; ++i) fs::remove(tmp.path() + "/docs/doc" + std::to_string(i) + ".txt");
  const int pid = spawn_quire({"index", "--prune", "--db", db, tmp.path() + "/docs"},
                              shim_env({"QUIRE_CRASH_AT=fsync:1:stop"}), tmp.path() + "/out", tmp.path() + "/err");
  REQUIRE(wait_stopped(pid));
  ::kill(pid, SIGTERM);
  ::kill(pid, SIGCONT);
  const int code = wait_for(pid);
  CHECK((code == 0 || code == 128 + SIGTERM));
  const std::string got = snapshot(db).digest;
  CHECK(xapian_check(db).empty());
  CHECK((got == before || doc_ids(db).size() == 10));
  CHECK(run_quire({"index", "--prune", "--db", db, tmp.path() + "/docs"}).exit_code == 0);
  CHECK(doc_ids(db).size() == 10);
}

// ---------------------------------------------------------------------------------------------------
// Document identity in real trees

namespace {

struct IdentityCase {
  const char* name;
  std::function<void(const std::string& docs)> make;    ///< the tree indexed first
  std::function<void(const std::string& docs)> change;  ///< then changed, and indexed again with --prune
  std::set<std::string> ids;                            ///< the documents' ids at the end
  const char* warning;                                  ///< on stderr of either run ("" for none)
};

const std::vector<IdentityCase>& identity_cases() {
  static const std::vector<IdentityCase> cases = {
      {"report.txt in two folders are two documents",
       [](const std::string& d) {
         write(d + "/2023/report.txt", text_doc(1));
         write(d + "/2024/report.txt", text_doc(2));
       },
       nullptr,
       {"2023/report", "2024/report"},
       ""},
      {"report.txt and report.md in one folder are two documents",
       [](const std::string& d) {
         write(d + "/report.txt", text_doc(1));
         write(d + "/report.md", text_doc(2));
       },
       nullptr,
       {"report", "report.txt"},
       ""},
      {"a file moved into a subfolder is the same document",
       [](const std::string& d) { write(d + "/report.txt", text_doc(1)); },
       [](const std::string& d) {
         fs::create_directories(d + "/archive");
         fs::rename(d + "/report.txt", d + "/archive/report.txt");
       },
       {"report"},
       ""},
      {"a file moved to another folder and renamed is the same document",
       [](const std::string& d) { write(d + "/a/draft.txt", text_doc(1)); },
       [](const std::string& d) {
         fs::create_directories(d + "/b");
         fs::rename(d + "/a/draft.txt", d + "/b/final.txt");
       },
       {"a/draft"},
       ""},
      {"an XML document moved keeps its id and is not a duplicate",
       [](const std::string& d) {
         fs::create_directories(d + "/in");
         fs::copy_file(
             source_dir() + "/corpus/" + fs::directory_iterator(source_dir() + "/corpus")->path().filename().string(),
             d + "/in/doc.xml");
       },
       [](const std::string& d) {
         fs::create_directories(d + "/out");
         fs::rename(d + "/in/doc.xml", d + "/out/doc.xml");
       },
       {},
       ""},
      {"a copy (both files present) is a second document",
       [](const std::string& d) { write(d + "/a.txt", text_doc(1)); },
       [](const std::string& d) {
         fs::create_directories(d + "/sub");
         fs::copy_file(d + "/a.txt", d + "/sub/a.txt");
       },
       {"a", "sub/a"},
       ""},
      {"one file through two symlinks is indexed once",
       [](const std::string& d) {
         write(d + "/real.txt", text_doc(1));
         fs::create_symlink(d + "/real.txt", d + "/link1.txt");
         fs::create_symlink(d + "/real.txt", d + "/link2.txt");
       },
       nullptr,
       {"real"},
       ""},
      {"a hard link is indexed once",
       [](const std::string& d) {
         write(d + "/a.txt", text_doc(1));
         fs::create_hard_link(d + "/a.txt", d + "/b.txt");
       },
       nullptr,
       {"a"},
       "the same file as"},
      {"a symlinked folder is followed, once, and a link loop ends",
       [](const std::string& d) {
         write(d + "/real/x.txt", text_doc(1));
         fs::create_directory_symlink(d + "/real", d + "/alias");
         fs::create_directory_symlink(d, d + "/real/loop");
       },
       nullptr,
       {"real/x"},
       ""},
      {"a file name with spaces and a tab gives an id without white space",
       [](const std::string& d) { write(d + "/my report\tfinal.txt", text_doc(1)); },
       nullptr,
       {"my_report_final"},
       ""},
      {"a long file path gives an id of at most 200 bytes",
       [](const std::string& d) {
         write(d + "/" + std::string(100, 'a') + "/" + std::string(100, 'b') + ".txt", text_doc(1));
       },
       nullptr,
       {},
       ""},
      {"a file moved out of a folder that is then empty is the same document",
       [](const std::string& d) { write(d + "/inbox/only.txt", text_doc(1)); },
       [](const std::string& d) { fs::rename(d + "/inbox/only.txt", d + "/only.txt"); },
       {"inbox/only"},
       ""},
  };
  return cases;
}

}  // namespace

TEST_CASE("document ids hold in real file trees", "[data-loss][identity]") {
  for (const IdentityCase& c : identity_cases()) {
    DYNAMIC_SECTION(c.name) {
      TempDir tmp;
      const std::string docs = tmp.path() + "/docs", db = tmp.path() + "/index";
      fs::create_directories(docs);
      c.make(docs);
      const RunResult first = run_quire({"index", "--db", db, docs});
      INFO(first.out << first.err);
      CHECK(first.exit_code == 0);
      std::string err = first.err;
      REQUIRE(run_quire({"collection", "new", "all", "--db", db, "--query", "qqz*"}).exit_code == 0);
      const std::set<std::string> ids_before = doc_ids(db);
      if (c.change) {
        c.change(docs);
        const RunResult second = run_quire({"index", "--prune", "--db", db, docs});
        INFO(second.out << second.err);
        CHECK(second.exit_code == 0);
        err += second.err;
      }
      const std::set<std::string> ids = doc_ids(db);
      if (!c.ids.empty()) CHECK(ids == c.ids);
      for (const auto& id : ids) {
        CHECK(id.size() <= 200);
        CHECK(id.find_first_of(" \t\n") == std::string::npos);
      }
      if (c.ids.empty() && c.change) CHECK(ids == ids_before);  // the XML move: same id
      if (*c.warning) CHECK_THAT(err, Catch::Contains(c.warning));
      // The collection made before the change still finds every document it held.
      const auto j = nlohmann::json::parse(run_quire({"collection", "show", "all", "--db", db, "--json"}).out);
      for (const auto& d : j["documents"])
        if (ids_before.count(d["id"].get<std::string>()) && ids.count(d["id"].get<std::string>()))
          CHECK(d["in_index"] == true);
      if (c.change && ids == ids_before)
        for (const auto& d : j["documents"]) CHECK(d["in_index"] == true);
    }
  }
}

namespace {

struct ChangeCase {
  const char* name;
  std::function<void(const std::string& file, const std::string& tmp)> change;
  bool reindexed;  ///< the new word is found
};

const std::vector<ChangeCase>& change_cases() {
  static const std::vector<ChangeCase> cases = {
      {"edited with size and mtime restored (touch -r)",
       [](const std::string& f, const std::string& tmp) {
         write(tmp + "/ref", "");
         REQUIRE(run_program({"touch", "-r", f, tmp + "/ref"}).exit_code == 0);
         std::string s = read_file(f);
         s.replace(s.find("Marker word"), 11, "Zanzibarish");
         write(f, s);
         REQUIRE(run_program({"touch", "-r", tmp + "/ref", f}).exit_code == 0);
       },
       true},
      {"replaced by cp -p of a file with the same size and mtime",
       [](const std::string& f, const std::string& tmp) {
         std::string s = read_file(f);
         s.replace(s.find("Marker word"), 11, "Zanzibarish");
         write(tmp + "/other.txt", s);
         REQUIRE(run_program({"touch", "-r", f, tmp + "/other.txt"}).exit_code == 0);
         REQUIRE(run_program({"cp", "-p", tmp + "/other.txt", f}).exit_code == 0);
       },
       true},
      {"replaced by mv of an edited copy with the mtime restored",
       [](const std::string& f, const std::string& tmp) {
         std::string s = read_file(f);
         s.replace(s.find("Marker word"), 11, "Zanzibarish");
         write(tmp + "/other.txt", s);
         REQUIRE(run_program({"touch", "-r", f, tmp + "/other.txt"}).exit_code == 0);
         fs::rename(tmp + "/other.txt", f);
       },
       true},
      {"touched, bytes unchanged",
       [](const std::string& f, const std::string&) {
         REQUIRE(run_program({"touch", f}).exit_code == 0);
       },
       false},
  };
  return cases;
}

}  // namespace

TEST_CASE("a changed file is noticed even when its size and mtime are restored", "[data-loss][identity]") {
  for (const ChangeCase& c : change_cases()) {
    DYNAMIC_SECTION(c.name) {
      TempDir tmp;
      const std::string docs = tmp.path() + "/docs", db = tmp.path() + "/index";
      make_docs(docs, 3);
      REQUIRE(run_quire({"index", "--db", db, docs}).exit_code == 0);
      c.change(docs + "/doc1.txt", tmp.path());
      const RunResult r = run_quire({"index", "--db", db, docs});
      INFO(r.out << r.err);
      CHECK(r.exit_code == 0);
      CHECK(search_count(db, "Zanzibarish") == (c.reindexed ? 1 : 0));
      CHECK_THAT(r.out, Catch::Contains(c.reindexed ? "indexed 1 of 3 files" : "indexed 0 of 3 files"));
      CHECK(doc_ids(db).count("doc1") == 1);
    }
  }
}

TEST_CASE("import never writes a test collection into a library or over another collection's ids",
          "[data-loss][import]") {
  TempDir tmp;
  const auto beir = [&tmp](const std::string& name, const std::string& word) {
    const std::string dir = tmp.path() + "/" + name;
    write(dir + "/corpus.jsonl", "{\"_id\": \"899\", \"title\": \"T " + name + "\", \"text\": \"" + word +
                                     " text\"}\n{\"_id\": \"900\", \"title\": \"U\", \"text\": \"" + word +
                                     " more\"}\n");
    write(dir + "/queries.jsonl", "{\"_id\": \"q1\", \"text\": \"" + word + "\"}\n");
    write(dir + "/qrels/test.tsv", "query-id\tcorpus-id\tscore\nq1\t899\t1\n");
    return dir;
  };
  const std::string one = beir("one", "zebra"), two = beir("two", "lion");
  Library lib;
  const Snapshot before = snapshot(lib.db);
  const struct {
    const char* kind;
    std::vector<std::string> args;
    const char* message;
  } refused[] = {
      {"no --db (it was the user's default index)", {"import", "beir", one, "--split", "test"}, "give --db FOLDER"},
      {"into a library", {"import", "beir", one, "--split", "test", "--db", lib.db}, "already holds other documents"},
      {"--rebuild of a library",
       {"import", "beir", one, "--split", "test", "--rebuild", "--db", lib.db},
       "already holds other documents"},
  };
  for (const auto& r : refused) {
    INFO(r.kind);
    const RunResult got = run_quire(r.args, {"HOME=" + tmp.path() + "/home", "QUIRE_DB="});
    INFO(got.err);
    CHECK(got.exit_code == 2);
    CHECK_THAT(got.err, Catch::Contains(r.message));
    CHECK(snapshot(lib.db) == before);
    CHECK(!fs::exists(tmp.path() + "/home/.local/share/quire"));
  }
  // A collection's own index: imported again (from the same folder by another name) it is unchanged; a
  // second collection (its ids may be the same) is refused, unless it replaces the first (--rebuild).
  const std::string db = tmp.path() + "/ir";
  REQUIRE(run_quire({"import", "beir", one, "--split", "test", "--db", db}).exit_code == 0);
  const RunResult again = run_quire({"import", "beir", tmp.path() + "/./one/", "--split", "test", "--db", db});
  INFO(again.err);
  CHECK(again.exit_code == 0);
  CHECK_THAT(again.out, Catch::Contains("(0 new or changed, 2 unchanged"));
  const RunResult other = run_quire({"import", "beir", two, "--split", "test", "--db", db});
  CHECK(other.exit_code == 2);
  CHECK_THAT(other.err, Catch::Contains("already holds other documents"));
  CHECK(search_count(db, "zebra") == 2);
  const RunResult replaced = run_quire({"import", "beir", two, "--split", "test", "--rebuild", "--db", db});
  INFO(replaced.err);
  CHECK(replaced.exit_code == 0);
  CHECK(search_count(db, "lion") == 2);
  CHECK(search_count(db, "zebra") == 0);
}

TEST_CASE("ids with spaces and tabs survive batch TREC and TSV output and the eval round trip",
          "[data-loss][identity]") {
  TempDir tmp;
  const std::string beir = tmp.path() + "/beir";
  write(beir + "/corpus.jsonl",
        "{\"_id\": \"doc one\", \"title\": \"First\", \"text\": \"zebra crossing rules\"}\n"
        "{\"_id\": \"doc\\ttwo\", \"title\": \"Second\", \"text\": \"zebra stripes and lions\"}\n"
        "{\"_id\": \"doc%3\", \"title\": \"Third\", \"text\": \"lions only\"}\n");
  write(beir + "/queries.jsonl", "{\"_id\": \"q 1\", \"text\": \"zebra\"}\n{\"_id\": \"q2\", \"text\": \"lions\"}\n");
  write(beir + "/qrels/test.tsv", "query-id\tcorpus-id\tscore\nq 1\tdoc one\t1\nq 1\tdoc\\ttwo\t1\nq2\tdoc%3\t1\n");
  // (the second judgment names "doc\ttwo" with a backslash: not a document, so q 1 has one of two)
  const std::string db = tmp.path() + "/index";
  const RunResult imp = run_quire({"import", "beir", beir, "--db", db, "--split", "test", "--queries",
                                   tmp.path() + "/q.tsv", "--qrels", tmp.path() + "/qrels.txt"});
  INFO(imp.err);
  REQUIRE(imp.exit_code == 0);
  for (const std::string format : {"trec", "tsv"}) {
    const RunResult b = run_quire({"batch", "--db", db, "--format", format, tmp.path() + "/q.tsv"});
    INFO(b.out << b.err);
    CHECK(b.exit_code == 0);
    std::istringstream lines(b.out);
    int n = 0;
    for (std::string line; std::getline(lines, line); ++n) {
      std::vector<std::string> fields;
      std::istringstream f(line);
      if (format == "trec") {
        for (std::string x; f >> x;) fields.push_back(x);
        CHECK(fields.size() == 6);
      } else {
        for (std::string x; std::getline(f, x, '\t');) fields.push_back(x);
        CHECK(fields.size() == 6);
        CHECK(fields[2].find(' ') == std::string::npos);
      }
    }
    CHECK(n >= 3);
    if (format == "trec") {
      write(tmp.path() + "/run.txt", b.out);
      const RunResult e = run_quire({"eval", "--per-query", tmp.path() + "/run.txt", tmp.path() + "/qrels.txt"});
      INFO(e.out << e.err);
      CHECK(e.exit_code == 0);
      // q 1 finds one of its two judged documents ("doc\\ttwo", with a backslash, is not one), q2 its one.
      CHECK_THAT(e.out, Catch::Contains("num_rel_ret \tq%201\t1\n") && Catch::Contains("num_rel_ret \tq2\t1\n"));
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// The kill loop at random moments (benchmarks/kill_loop.sh runs it 1,000 times per operation)

TEST_CASE("SIGKILL at random moments of index and rebuild and prune and collection refresh loses nothing",
          "[data-loss][crash][kill-loop]") {
  const char* loops_env = std::getenv("QUIRE_KILL_LOOPS");
  const int loops = loops_env ? std::atoi(loops_env) : 3;
  const char* ops_env = std::getenv("QUIRE_KILL_OPS");
  const std::string ops = ops_env ? ops_env : "index,index-shards,rebuild,prune,refresh";
  const char* seed_env = std::getenv("QUIRE_KILL_SEED");
  const unsigned seed = seed_env ? static_cast<unsigned>(std::atoi(seed_env)) : std::random_device{}();
  std::mt19937 rng(seed);
  const std::map<std::string, std::string> by_op = {{"index", "index: changed and new files"},
                                                    {"index-shards", "index --shards 2: changed and new files"},
                                                    {"rebuild", "index --rebuild"},
                                                    {"prune", "index --prune"},
                                                    {"refresh", "collection refresh"}};
  for (const auto& [op, case_name] : by_op) {
    if (("," + ops + ",").find("," + op + ",") == std::string::npos) continue;
    // A copy to capture: clang (14, the fuzz build's) refuses a lambda capturing a structured binding.
    const std::string wanted = case_name;
    const CrashCase& c =
        *std::find_if(crash_cases().begin(), crash_cases().end(), [&](const CrashCase& x) { return wanted == x.name; });
    TempDir tmp;
    c.setup(tmp.path());
    const std::string base = tmp.path() + "/base";
    auto command = [&](const std::string& db) {
      std::vector<std::string> args = c.command;
      for (auto& a : args)
        if (a == "DOCS") a = tmp.path() + "/docs";
      return with_db(args, db);
    };
    const Snapshot before = snapshot(base);
    const std::string clean = tmp.path() + "/clean";
    copy_tree(base, clean);
    const auto t0 = std::chrono::steady_clock::now();
    REQUIRE(run_quire(command(clean)).exit_code == 0);
    const auto clean_us =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0).count();
    const Snapshot after = snapshot(clean);
    std::uniform_int_distribution<long> delay_us(0, clean_us * 12 / 10);
    int losses = 0, mid_run = 0;
    for (int i = 0; i < loops; ++i) {
      const std::string db = tmp.path() + "/k";
      copy_tree(base, db);
      const std::vector<std::string> args = command(db);
      const int pid = spawn_quire(args, {}, "/dev/null", "/dev/null");
      std::this_thread::sleep_for(std::chrono::microseconds(delay_us(rng)));
      ::kill(pid, SIGKILL);
      if (wait_for(pid) == 128 + SIGKILL) ++mid_run;
      const Snapshot s = snapshot(db);
      bool ok = xapian_check(db).empty();
      ok = ok && (c.one_commit ? (s == before || s == after) : s.collections == before.collections);
      if (c.rerun) {
        ok = ok && run_quire(args).exit_code == 0 && snapshot(db) == after && leftovers(db).empty();
      } else {
        ok = ok && run_quire({"collection", "add", "keep", "--db", db, "doc1"}).exit_code == 0 && leftovers(db).empty();
      }
      if (!ok) {
        ++losses;
        FAIL_CHECK(op << ": loop " << i << " (seed " << seed << ") lost something: " << s);
      }
    }
    WARN("kill loop " << op << ": " << loops << " loops, " << mid_run << " kills landed mid-run, " << losses
                      << " losses (seed " << seed << ")");
    CHECK(losses == 0);
  }
}

TEST_CASE("recovery deletes nothing through a symlink nor in a folder without quire's marker", "[data-loss][folders]") {
  struct Row {
    const char* name;
    std::function<void(const std::string& tmp)> make;  ///< what lies beside tmp/index
    const char* message;
  };
  const std::vector<Row> rows = {
      {".index.quire-rebuild is a symlink to a user's folder (with a planted marker)",
       [](const std::string& t) {
         write(t + "/user/postlist.glass", "mine");
         write(t + "/user/quire-rebuild", "quire rebuild\nstate building\n");
         fs::create_directory_symlink(t + "/user", t + "/.index.quire-rebuild");
       },
       "is in the way"},
      {".index.quire-rebuild is a user's folder without a marker",
       [](const std::string& t) {
         write(t + "/.index.quire-rebuild/postlist.glass", "mine");
         write(t + "/.index.quire-rebuild/notes.txt", "mine");
       },
       "is in the way"},
      {".index.quire-old holds a user's files",
       [](const std::string& t) { write(t + "/.index.quire-old/iamglass", "mine"); }, "is in the way"},
  };
  for (const Row& row : rows) {
    DYNAMIC_SECTION(row.name) {
      Library lib;
      row.make(lib.tmp.path());
      std::map<std::string, std::map<std::string, std::string>> before;
      for (const std::string f : {"/user", "/.index.quire-rebuild", "/.index.quire-old"})
        if (fs::is_directory(lib.tmp.path() + f)) before[f] = tree(lib.tmp.path() + f);
      const Snapshot s = snapshot(lib.db);
      const RunResult r = run_quire({"index", "--rebuild", "--db", lib.db, lib.docs});
      INFO(r.err);
      CHECK(r.exit_code == 2);
      CHECK_THAT(r.err, Catch::Contains(row.message));
      for (const auto& [f, files] : before) CHECK(tree(lib.tmp.path() + f) == files);
      CHECK(snapshot(lib.db) == s);
      // Plain indexing and collection changes still work beside it.
      CHECK(run_quire({"index", "--db", lib.db, lib.docs}).exit_code == 0);
      CHECK(run_quire({"collection", "add", "keep", "--db", lib.db, "doc9"}).exit_code == 0);
    }
  }
}

TEST_CASE("prune of a named file that is missing keeps its document and says so", "[data-loss][prune]") {
  TempDir tmp;
  make_docs(tmp.path() + "/docs", 2);
  const std::string db = tmp.path() + "/index", file = tmp.path() + "/docs/doc1.txt";
  REQUIRE(run_quire({"index", "--db", db, file}).exit_code == 0);
  fs::remove(file);
  const RunResult r = run_quire({"index", "--prune", "--db", db, file});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("doc1.txt: is missing (an unmounted drive?); 1 indexed document(s) from it kept"));
  CHECK(doc_ids(db) == std::set<std::string>{"doc1"});
}
