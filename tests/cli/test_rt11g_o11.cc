// The rt11g red team's rows 4, 5, 6 and 8 (docs/red-team/2026-12-02-reliability-rt11g.md; row 4 is
// rt11h's row 9), each with the other cases of its class: a symbolic link named as any output with
// --force (to nothing, to a file, to a link, into an index folder, round in a circle) stays a link; a
// replacement killed part way leaves no file beside the output, and a later run removes only its own
// leftovers; a damaged collection record leaves the other collections listed and can be deleted; a
// collection change holding the index's lock for a moment makes `quire index` wait, not fail.
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "support.h"

using quire::test::read_file;
using quire::test::run_quire;
using quire::test::RunResult;
using quire::test::spawn_quire;
using quire::test::TempDir;
using quire::test::write;

namespace fs = std::filesystem;

namespace {

// An index with a collection, a query file and a BEIR collection, made once and copied for each case.
void make_files(const std::string& dir) {
  write(dir + "/docs/a.txt", "The Pakistan delegation met China about the corridor.\n");
  write(dir + "/docs/b.txt", "China and the sea; Pakistan spoke later about trade.\n");
  REQUIRE(run_quire({"index", "--db", dir + "/idx", dir + "/docs"}).exit_code == 0);
  REQUIRE(run_quire({"collection", "new", "c1", "--db", dir + "/idx", "--query", "pakistan"}).exit_code == 0);
  write(dir + "/q.tsv", "q1\tpakistan\nq2\tcorridor\n");
  write(dir + "/beir/corpus.jsonl",
        "{\"_id\": \"d1\", \"title\": \"One\", \"text\": \"Sanctions on the corridor.\"}\n"
        "{\"_id\": \"d2\", \"title\": \"Two\", \"text\": \"Talks by the sea.\"}\n");
  write(dir + "/beir/queries.jsonl", "{\"_id\": \"q1\", \"text\": \"sanctions\"}\n");
  write(dir + "/beir/qrels/test.tsv", "query-id\tcorpus-id\tscore\nq1\td1\t1\n");
}

std::string setup(const TempDir& tmp) {
  static const TempDir base;
  static const bool made = (make_files(base.path()), true);
  (void)made;
  fs::copy(base.path(), tmp.path(), fs::copy_options::recursive | fs::copy_options::overwrite_existing);
  return tmp.path();
}

// Each option that names a file quire writes, with --force, writing to `out` (setup() made `d`).
struct Output {
  const char* option;
  std::vector<std::string> (*args)(const std::string& d, const std::string& out);
};

const Output kOutputs[] = {
    {"collection export --output",
     [](const std::string& d, const std::string& out) {
       return std::vector<std::string>{"collection", "export", "c1", "--format", "ris", "--db", d + "/idx",
                                       "--output", out, "--force"};
     }},
    {"import --queries",
     [](const std::string& d, const std::string& out) {
       return std::vector<std::string>{"import", "beir", d + "/beir", "--split", "test", "--db", d + "/bidx",
                                       "--queries", out, "--force"};
     }},
    {"import --qrels",
     [](const std::string& d, const std::string& out) {
       return std::vector<std::string>{"import", "beir", d + "/beir", "--split", "test", "--db", d + "/bidx",
                                       "--qrels", out, "--force"};
     }},
    {"import --documents",
     [](const std::string& d, const std::string& out) {
       return std::vector<std::string>{"import", "beir", d + "/beir", "--split", "test", "--db", d + "/bidx",
                                       "--documents", out, "--force"};
     }},
    {"batch --timings",
     [](const std::string& d, const std::string& out) {
       return std::vector<std::string>{"batch", "--db", d + "/idx", "--timings", out, "--force", d + "/q.tsv"};
     }},
};

bool is_link(const std::string& p) { return fs::is_symlink(fs::symlink_status(p)); }
std::string link_text(const std::string& p) { return fs::read_symlink(p).string(); }
bool exists_at(const std::string& p) { return fs::exists(fs::symlink_status(p)); }

// Names starting with '.' in `folder`: what a killed or failed write would leave beside the output.
std::vector<std::string> hidden(const std::string& folder) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(folder)) {
    const std::string n = e.path().filename().string();
    if (n[0] == '.') names.push_back(n);
  }
  return names;
}

const std::string kUsers = "the user's own notes, kept for years\n";

}  // namespace

// ---- Row 4 (rt11h row 9): a link named as an output stays a link ---------------------------------------

TEST_CASE("rt11g row 4: --force through a link writes the file it names, and the link stays", "[rt11g][o11][links]") {
  struct Case {
    const char* name;
    std::function<void(const std::string& d)> make;  ///< makes d/out (a link) and what it leads to
    const char* written;                             ///< relative to d: the file the output becomes
    std::vector<const char*> links;                  ///< relative to d: links that must stay, as they were
  };
  const Case cases[] = {
      {"a link to nothing (a relative name)",
       [](const std::string& d) { fs::create_symlink("target.txt", d + "/out"); }, "target.txt", {"out"}},
      {"a link to nothing (an absolute name)",
       [](const std::string& d) { fs::create_symlink(d + "/target.txt", d + "/out"); }, "target.txt", {"out"}},
      {"a link to a file of the user's",
       [](const std::string& d) {
         write(d + "/target.txt", kUsers);
         fs::create_symlink("target.txt", d + "/out");
       },
       "target.txt", {"out"}},
      {"a link to a link to nothing",
       [](const std::string& d) {
         fs::create_symlink("target.txt", d + "/middle");
         fs::create_symlink("middle", d + "/out");
       },
       "target.txt", {"out", "middle"}},
      {"a link to a link to a file, in another folder",
       [](const std::string& d) {
         fs::create_directories(d + "/sub");
         write(d + "/sub/target.txt", kUsers);
         fs::create_symlink("target.txt", d + "/sub/middle");
         fs::create_symlink("sub/middle", d + "/out");
       },
       "sub/target.txt", {"out", "sub/middle"}},
      {"a link to nothing, by a name with ..",
       [](const std::string& d) {
         fs::create_directories(d + "/sub");
         fs::create_symlink("../target.txt", d + "/sub/middle");
         fs::create_symlink("sub/middle", d + "/out");
       },
       "target.txt", {"out", "sub/middle"}},
  };
  for (const Output& o : kOutputs) {
    for (const Case& c : cases) {
      DYNAMIC_SECTION(o.option << ": " << c.name) {
        const TempDir tmp;
        const std::string d = setup(tmp);
        c.make(d);
        std::vector<std::string> before;
        for (const char* l : c.links) before.push_back(link_text(d + "/" + l));
        const RunResult r = run_quire(o.args(d, d + "/out"));
        INFO(r.err);
        CHECK(r.exit_code == 0);
        for (std::size_t i = 0; i < c.links.size(); ++i) {
          CHECK(is_link(d + "/" + c.links[i]));
          CHECK(link_text(d + "/" + c.links[i]) == before[i]);
        }
        REQUIRE(fs::is_regular_file(fs::symlink_status(d + "/" + c.written)));
        const std::string text = read_file(d + "/" + c.written);
        CHECK(!text.empty());
        CHECK(text != kUsers);
        CHECK(read_file(d + "/out") == text);
        CHECK(hidden(d).empty());
      }
    }
  }
}

TEST_CASE("rt11g row 4: --force through a link is refused when what it leads to may not be written",
          "[rt11g][o11][links]") {
  struct Case {
    const char* name;
    std::function<void(const std::string& d)> make;  ///< makes d/out (a link) and what it leads to
    const char* refusal;
    std::vector<const char*> links;     ///< relative to d: links that must stay
    const char* absent;                 ///< relative to d: a file that must not be made ("" for none)
    const char* kept;                   ///< relative to d: a file of the user's that must be as it was
  };
  const Case cases[] = {
      {"a link to nothing inside the index",
       [](const std::string& d) { fs::create_symlink("idx/new.txt", d + "/out"); }, "index folder", {"out"},
       "idx/new.txt", ""},
      {"a link to a link to nothing inside the index",
       [](const std::string& d) {
         fs::create_symlink(d + "/idx/new.txt", d + "/middle");
         fs::create_symlink("middle", d + "/out");
       },
       "index folder", {"out", "middle"}, "idx/new.txt", ""},
      {"a link to a file of the index",
       [](const std::string& d) { fs::create_symlink("idx/postlist.glass", d + "/out"); }, "index folder", {"out"},
       "", ""},
      {"a link to a link to an executable",
       [](const std::string& d) {
         write(d + "/tool", kUsers);
         fs::permissions(d + "/tool", fs::perms(0755));
         fs::create_symlink("tool", d + "/middle");
         fs::create_symlink("middle", d + "/out");
       },
       "is an executable file", {"out", "middle"}, "", "tool"},
      {"a link to a link to a folder",
       [](const std::string& d) {
         fs::create_directories(d + "/sub");
         fs::create_symlink("sub", d + "/middle");
         fs::create_symlink("middle", d + "/out");
       },
       "is a folder", {"out", "middle"}, "", ""},
      {"a link to a file with two hard links",
       [](const std::string& d) {
         write(d + "/target.txt", kUsers);
         fs::create_hard_link(d + "/target.txt", d + "/other.txt");
         fs::create_symlink("target.txt", d + "/out");
       },
       "2 hard links", {"out"}, "", "target.txt"},
      {"links that lead round in a circle",
       [](const std::string& d) {
         fs::create_symlink("out", d + "/middle");
         fs::create_symlink("middle", d + "/out");
       },
       "round in a circle", {"out", "middle"}, "", ""},
      {"a link to a file in a folder that is not there",
       [](const std::string& d) { fs::create_symlink("gone/target.txt", d + "/out"); }, "cannot write", {"out"},
       "gone", ""},
  };
  for (const Output& o : kOutputs) {
    for (const Case& c : cases) {
      DYNAMIC_SECTION(o.option << ": " << c.name) {
        const TempDir tmp;
        const std::string d = setup(tmp);
        c.make(d);
        std::vector<std::string> before;
        for (const char* l : c.links) before.push_back(link_text(d + "/" + l));
        const RunResult r = run_quire(o.args(d, d + "/out"));
        INFO(r.err);
        CHECK(r.exit_code == 2);
        CHECK_THAT(r.err, Catch::Contains(c.refusal));
        for (std::size_t i = 0; i < c.links.size(); ++i) {
          CHECK(is_link(d + "/" + c.links[i]));
          CHECK(link_text(d + "/" + c.links[i]) == before[i]);
        }
        if (*c.absent) CHECK(!exists_at(d + "/" + c.absent));
        if (*c.kept) CHECK(read_file(d + "/" + c.kept) == kUsers);
        CHECK(hidden(d).empty());
      }
    }
  }
}

// ---- Row 5: a killed replacement leaves nothing beside the output -------------------------------------

namespace {

// The environment that preloads the crash-point shim (tests/crash_shim.c).
std::vector<std::string> shim_env(const std::string& point) {
  std::string asan = std::getenv("ASAN_OPTIONS") ? std::getenv("ASAN_OPTIONS") : "";
  return {std::string("LD_PRELOAD=") + QUIRE_CRASH_SHIM,
          "ASAN_OPTIONS=" + asan + (asan.empty() ? "" : ":") + "verify_asan_link_order=0", "QUIRE_CRASH_AT=" + point};
}

}  // namespace

TEST_CASE("rt11g row 5: a kill while an output is written leaves no file beside it", "[rt11g][o11][kill]") {
  // SIGKILL just before the new text is synced, and just after it: before its rename into place.
  // import writes through the same function, but its first fsync is its index's commit.
  for (const Output& o : kOutputs) {
    if (std::string(o.option).rfind("import", 0) == 0) continue;
    for (const char* point : {"fsync:1", "fsync:1:after"}) {
      for (const bool existing : {false, true}) {
        DYNAMIC_SECTION(o.option << " at " << point << (existing ? ", replacing a file" : ", a new file")) {
          const TempDir tmp;
          const std::string d = setup(tmp);
          fs::create_directories(d + "/out");
          if (existing) write(d + "/out/file.txt", kUsers);
          const RunResult r = run_quire(o.args(d, d + "/out/file.txt"), shim_env(point));
          CHECK(r.exit_code == 128 + SIGKILL);
          CHECK(hidden(d + "/out").empty());
          if (existing) CHECK(read_file(d + "/out/file.txt") == kUsers);
          else CHECK(!exists_at(d + "/out/file.txt"));
        }
      }
    }
  }
}

TEST_CASE("rt11g row 5: a later run removes the temporary files quire left beside its output, and only those",
          "[rt11g][o11][kill]") {
  const TempDir tmp;
  const std::string d = setup(tmp);
  const std::string out = d + "/e.ris";
  write(out, kUsers);
  // What a quire killed without O_TMPFILE leaves (a whole temporary file, nobody holding it), and
  // names that only look like it: the user's, another output's, one a running quire holds.
  write(d + "/.e.ris.quire-Ab12Cd", "left by a killed quire\n");
  write(d + "/.e.ris.quire-Zz99Zz", "another one\n");
  write(d + "/.e.ris.Ab12Cd", kUsers);             // mkstemp's form without quire's word: not proved quire's
  write(d + "/.other.ris.quire-Ab12Cd", kUsers);   // beside another output
  write(d + "/.e.ris.quire-notes", kUsers);        // not the form quire writes
  write(d + "/.e.ris.quire-Held12", "being written\n");
  const int held = ::open((d + "/.e.ris.quire-Held12").c_str(), O_RDONLY);
  REQUIRE(held >= 0);
  REQUIRE(::flock(held, LOCK_EX) == 0);  // as a quire writing it holds it
  const RunResult r = run_quire(
      {"collection", "export", "c1", "--format", "ris", "--db", d + "/idx", "--output", out, "--force"});
  ::close(held);
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(read_file(out) != kUsers);
  std::vector<std::string> left = hidden(d);
  std::sort(left.begin(), left.end());
  CHECK(left == std::vector<std::string>{".e.ris.Ab12Cd", ".e.ris.quire-Held12", ".e.ris.quire-notes",
                                         ".other.ris.quire-Ab12Cd"});
  CHECK(read_file(d + "/.e.ris.Ab12Cd") == kUsers);
}

// ---- Row 6: a damaged collection record -----------------------------------------------------------------

namespace {

// Puts `record` into the manifest of index `db` as collection `name`, as a hand edit or a damaged
// copy would.
void put_record(const std::string& db, const std::string& name, const nlohmann::json& record) {
  nlohmann::json m = nlohmann::json::parse(read_file(db + "/quire-manifest.json"));
  m["collections"][name] = record;
  write(db + "/quire-manifest.json", m.dump(1));
}

// A document id of the index setup() made.
std::string some_id(const std::string& db) {
  const RunResult r = run_quire({"collection", "show", "c1", "--db", db, "--json"});
  REQUIRE(r.exit_code == 0);
  return nlohmann::json::parse(r.out).at("documents").at(0).at("id").get<std::string>();
}

}  // namespace

TEST_CASE("rt11g row 6: a damaged collection record is named, the others listed and used, and it can be deleted",
          "[rt11g][o11][collections]") {
  const std::pair<const char*, nlohmann::json> damage[] = {
      {"a list of the wrong type", {{"query", "peace"}, {"name", "bad"}, {"matched", "x"}}},
      {"a filter that is not a pair", {{"query", "peace"}, {"filters", {{"actor"}}}}},
      {"a filter of numbers", {{"query", "peace"}, {"filters", {{1, 2}}}}},
      {"a history entry that is a number", {{"query", "peace"}, {"history", {5}}}},
      {"an array, not a record", nlohmann::json::array({"x"})},
      {"a string", "not a record"},
  };
  for (const auto& [what, record] : damage) {
    DYNAMIC_SECTION(what) {
      const TempDir tmp;
      const std::string d = setup(tmp);
      const std::string db = d + "/idx";
      const std::string id = some_id(db);
      REQUIRE(run_quire({"collection", "new", "z9", "--db", db, "--query", "sea"}).exit_code == 0);
      put_record(db, "bad", record);

      const RunResult list = run_quire({"collection", "list", "--db", db});
      CHECK(list.exit_code == 1);
      CHECK_THAT(list.out, Catch::StartsWith("c1\t") && Catch::Contains("\nz9\t"));
      CHECK_THAT(list.out, !Catch::Contains("bad"));
      CHECK_THAT(list.err, Catch::Contains("collection 'bad' in " + db + " is damaged") &&
                               Catch::Contains("quire collection delete bad"));

      // Every command on another collection works as before.
      for (const std::vector<std::string>& args :
           {std::vector<std::string>{"collection", "show", "c1"}, {"collection", "show", "c1", "--json"},
            {"collection", "export", "c1", "--format", "csv"}, {"collection", "refresh", "c1"},
            {"collection", "add", "z9", id}, {"collection", "exclude", "c1", id},
            {"collection", "new", "n1", "--query", "china"}}) {
        std::vector<std::string> full = args;
        full.insert(full.end(), {"--db", db});
        const RunResult r = run_quire(full);
        INFO(args[1] << " " << r.err);
        CHECK(r.exit_code == 0);
      }
      // On the damaged one: the reason and the way out, nothing changed.
      for (const std::vector<std::string>& args :
           {std::vector<std::string>{"collection", "show", "bad"}, {"collection", "export", "bad", "--format", "ris"},
            {"collection", "refresh", "bad"}, {"collection", "add", "bad", id}, {"collection", "exclude", "bad", id},
            {"collection", "new", "bad", "--query", "china"}}) {
        std::vector<std::string> full = args;
        full.insert(full.end(), {"--db", db});
        const RunResult r = run_quire(full);
        INFO(args[1]);
        CHECK(r.exit_code == 2);
        CHECK_THAT(r.err, Catch::Contains("collection 'bad' in " + db + " is damaged") &&
                              Catch::Contains("quire collection delete bad"));
      }
      CHECK(nlohmann::json::parse(read_file(db + "/quire-manifest.json"))["collections"]["bad"] == record);

      const RunResult del = run_quire({"collection", "delete", "bad", "--db", db});
      INFO(del.err);
      CHECK(del.exit_code == 0);
      CHECK_THAT(del.out, Catch::Contains("deleted collection bad"));
      const RunResult after = run_quire({"collection", "list", "--db", db});
      CHECK(after.exit_code == 0);
      CHECK(after.err.empty());
      CHECK_THAT(after.out, Catch::Contains("c1\t") && Catch::Contains("n1\t") && Catch::Contains("z9\t"));
      CHECK(!nlohmann::json::parse(read_file(db + "/quire-manifest.json"))["collections"].contains("bad"));
      CHECK(run_quire({"collection", "delete", "bad", "--db", db}).exit_code == 2);
    }
  }
}

// ---- Row 8: a collection change holding the lock for a moment -------------------------------------------

namespace {

// Whether process `pid` has stopped (SIGSTOP from the crash shim), within 20 s.
bool stopped(int pid) {
  for (int i = 0; i < 400; ++i) {
    const std::string stat = read_file("/proc/" + std::to_string(pid) + "/stat");
    const auto close = stat.rfind(')');
    if (close != std::string::npos && close + 2 < stat.size() && stat[close + 2] == 'T') return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

int exit_of(int pid) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

TEST_CASE("rt11g row 8: quire index waits for a collection change that holds the index's lock",
          "[rt11g][o11][lock]") {
  for (const bool rebuild : {false, true}) {
    DYNAMIC_SECTION((rebuild ? "index --rebuild" : "index")) {
      const TempDir tmp;
      const std::string d = setup(tmp);
      const std::string db = d + "/idx";
      // The change stops itself at its first fsync (the manifest's), holding the write lock.
      const int change = spawn_quire({"collection", "refresh", "c1", "--db", db}, shim_env("fsync:1:stop"),
                                     d + "/c.out", d + "/c.err");
      REQUIRE(stopped(change));
      std::vector<std::string> args = {"index", "--db", db, d + "/docs"};
      if (rebuild) args.insert(args.begin() + 1, "--rebuild");
      const int index = spawn_quire(args, {}, d + "/i.out", d + "/i.err");
      std::this_thread::sleep_for(std::chrono::milliseconds(1500));
      ::kill(change, SIGCONT);
      CHECK(exit_of(change) == 0);
      INFO(read_file(d + "/i.err"));
      CHECK(exit_of(index) == 0);
      CHECK(run_quire({"collection", "show", "c1", "--db", db}).exit_code == 0);
    }
  }
}
