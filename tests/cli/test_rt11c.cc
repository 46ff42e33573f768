// The rt11c red team's findings (docs/red-team/2026-12-01-reliability-rt11c.md), each with the other
// cases of its class: file links out of the folders given, index tables Xapian takes as empty when they
// are missing or unreadable, a full disk read as damage, a creation marker trusted by its name, and the
// smaller ones of the batch, eval and output paths.
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "support.h"

using quire::test::read_file;
using quire::test::run_program;
using quire::test::run_quire;
using quire::test::RunResult;
using quire::test::TempDir;

using quire::test::write;

namespace fs = std::filesystem;

namespace {

bool root() { return ::geteuid() == 0; }

bool have_setpriv() { return !root() || run_program({"setpriv", "--version"}).exit_code == 0; }

// quire as nobody when the test runs as root (root reads through any mode), bounded in time.
RunResult quire_as_user(const std::vector<std::string>& args, int timeout = 30) {
  std::vector<std::string> cmd = {"timeout", "-k", "5", std::to_string(timeout)};
  if (root()) cmd.insert(cmd.end(), {"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"});
  cmd.push_back(QUIRE_BINARY);
  cmd.insert(cmd.end(), args.begin(), args.end());
  return run_program(cmd);
}

// A small index of three documents in `t`/idx.
std::string small_index(const std::string& t) {
  write(t + "/docs/a.txt", "The Pakistan delegation met China about the corridor.\n");
  write(t + "/docs/b.txt", "China and the sea; Pakistan spoke later about trade.\n");
  write(t + "/docs/c.txt", "A text about peace and development of nations.\n");
  const std::string db = t + "/idx";
  const RunResult r = run_quire({"index", "--db", db, t + "/docs"});
  REQUIRE(r.exit_code == 0);
  return db;
}

}  // namespace

// ---- Row 1: file links follow the rule of folder links ------------------------------------------------

TEST_CASE("rt11c: a file link is read only when its target lies inside a folder given, never into /proc or /sys",
          "[rt11c][walk]") {
  struct Case {
    const char* name;
    std::function<void(const std::string& t)> make;  ///< under t: docs/ (given), elsewhere/ (not given)
    std::vector<std::string> extra_inputs;           ///< relative to t, given after docs
    std::size_t files;                               ///< files seen
    const char* warning;                             ///< in stderr, "" for none
    std::size_t not_followed;                        ///< the summary's count
  };
  const Case cases[] = {
      {"a link to a file outside (a private note) is not read",
       [](const std::string& t) { fs::create_symlink(t + "/elsewhere/secret.txt", t + "/docs/notes.txt"); },
       {},
       1,
       "notes.txt: not followed: a link to the file ",
       1},
      {"a link to /etc/passwd is not read",
       [](const std::string& t) { fs::create_symlink("/etc/passwd", t + "/docs/passwd.txt"); },
       {},
       1,
       "not followed: a link to the file /etc/passwd, outside the folders given",
       1},
      {"a link to /proc/self/environ is not read",
       [](const std::string& t) { fs::create_symlink("/proc/self/environ", t + "/docs/env.txt"); },
       {},
       1,
       "pseudo file system",
       1},
      {"a link to a /sys file is not read",
       [](const std::string& t) { fs::create_symlink("/sys/kernel/uevent_seqnum", t + "/docs/seq.txt"); },
       {},
       1,
       "pseudo file system",
       1},
      {"a chain of links inside that ends outside is not read",
       [](const std::string& t) {
         fs::create_symlink(t + "/elsewhere/secret.txt", t + "/docs/l2.txt");
         fs::create_symlink(t + "/docs/l2.txt", t + "/docs/l1.txt");
       },
       {},
       1,
       "not followed: a link to the file ",
       2},
      {"a file link inside a linked folder inside, leading out, is not read",
       [](const std::string& t) {
         fs::create_directories(t + "/docs/sub");
         fs::create_symlink(t + "/elsewhere/secret.txt", t + "/docs/sub/s.txt");
         fs::create_directory_symlink(t + "/docs/sub", t + "/docs/alias");
       },
       {},
       1,
       "not followed: a link to the file ",
       1},
      {"a link to a file inside the folder given is read once",
       [](const std::string& t) {
         write(t + "/docs/b.txt", "Beta text.\n");
         fs::create_symlink(t + "/docs/b.txt", t + "/docs/alias.txt");
       },
       {},
       2,
       "",
       0},
      {"a link to a file outside is read when its folder is given too",
       [](const std::string& t) { fs::create_symlink(t + "/elsewhere/secret.txt", t + "/docs/notes.txt"); },
       {"elsewhere"},
       2,
       "",
       0},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.name) {
      TempDir tmp;
      const std::string t = tmp.path();
      write(t + "/docs/a.txt", "Alpha text about peace.\n");
      write(t + "/elsewhere/secret.txt", "My passphrase is swordfish.\n");
      c.make(t);
      std::vector<std::string> args = {"index", "--db", t + "/index", t + "/docs"};
      for (const auto& e : c.extra_inputs) args.push_back(t + "/" + e);
      const RunResult r = run_quire(args);
      INFO(r.out << r.err);
      CHECK(r.exit_code == 0);
      CHECK(r.out.find("of " + std::to_string(c.files) + " files") != std::string::npos);
      if (*c.warning) CHECK(r.err.find(c.warning) != std::string::npos);
      if (!*c.warning) CHECK(r.err.find("not followed") == std::string::npos);
      if (c.not_followed > 0)
        CHECK(r.out.find(std::to_string(c.not_followed) + " link(s) not followed") != std::string::npos);
      else
        CHECK(r.out.find("not followed") == std::string::npos);
      if (c.extra_inputs.empty()) {
        const RunResult s = run_quire({"search", "--db", t + "/index", "swordfish"});
        CHECK(s.out.find("secret") == std::string::npos);
      }
    }
  }
  SECTION("a file named on the command line is read though it is a link out (the user named it)") {
    TempDir tmp;
    const std::string t = tmp.path();
    write(t + "/elsewhere/secret.txt", "My passphrase is swordfish.\n");
    fs::create_symlink(t + "/elsewhere/secret.txt", t + "/named.txt");
    const RunResult r = run_quire({"index", "--db", t + "/index", t + "/named.txt"});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("indexed 1 of 1 files") != std::string::npos);
  }
  SECTION("a file named on the command line that is a link into /proc is not read") {
    TempDir tmp;
    const std::string t = tmp.path();
    fs::create_symlink("/proc/self/environ", t + "/env.txt");
    const RunResult r = run_quire({"index", "--db", t + "/index", t + "/env.txt"});
    INFO(r.out << r.err);
    CHECK(r.err.find("pseudo file system") != std::string::npos);
    CHECK(r.out.find("indexed 0 of 0 files") != std::string::npos);
  }
}

// ---- Row 1b: a table Xapian would take as empty -------------------------------------------------------

TEST_CASE("rt11c: an index with a table missing or unreadable is refused, not read as empty", "[rt11c][tables]") {
  struct Case {
    const char* name;
    const char* table;
    bool remove;  ///< removed; else made unreadable to the user (mode 0600, root's)
    const char* message;
  };
  const Case cases[] = {
      {"position.glass missing", "position.glass", true, "is damaged: position table missing"},
      {"docdata.glass missing", "docdata.glass", true, "is damaged: docdata table missing"},
      {"termlist.glass missing", "termlist.glass", true, "is damaged: termlist table missing"},
      {"position.glass unreadable", "position.glass", false, ": permission denied"},
      {"docdata.glass unreadable", "docdata.glass", false, ": permission denied"},
      {"termlist.glass unreadable", "termlist.glass", false, ": permission denied"},
  };
  if (!have_setpriv()) {
    WARN("skipped: setpriv (util-linux) is not installed");
    return;
  }
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.name) {
      TempDir tmp;
      const std::string t = tmp.path();
      ::chmod(t.c_str(), 0755);
      const std::string db = small_index(t);
      const std::string table = db + "/" + c.table;
      REQUIRE(fs::exists(table));
      // Intact, the phrase matches nothing: the two words are never side by side.
      REQUIRE(quire_as_user({"search", "--db", db, "\"pakistan china\""}).exit_code == 1);
      if (c.remove)
        fs::remove(table);
      else
        REQUIRE(::chmod(table.c_str(), 0600) == 0);
      for (const std::vector<std::string>& args :
           {std::vector<std::string>{"search", "--db", db, "\"pakistan china\""},
            std::vector<std::string>{"search", "--db", db, "--exact", "\"pakistan china\""},
            std::vector<std::string>{"info", "--db", db}}) {
        const RunResult r = c.remove ? run_quire(args) : quire_as_user(args);
        INFO(r.out << r.err);
        CHECK(r.exit_code == 2);
        CHECK(r.err.find(c.message) != std::string::npos);
        CHECK(r.err.find(db) != std::string::npos);
        CHECK(r.err.find("parse error") == std::string::npos);
      }
      if (c.remove) {
        const RunResult w = run_quire({"index", "--db", db, t + "/docs"});
        INFO(w.out << w.err);
        CHECK(w.exit_code == 2);
        CHECK(w.err.find("index " + db + " is damaged: ") != std::string::npos);
        // Xapian itself refuses to open an index for writing without its termlist table; a rebuild
        // refuses such an index as it refuses any it cannot open (the user restores it).
        if (std::string(c.table) == "termlist.glass") continue;
        // A rebuild is how the user makes it whole again.
        const RunResult rb = run_quire({"index", "--db", db, "--rebuild", t + "/docs"});
        INFO(rb.out << rb.err);
        CHECK(rb.exit_code == 0);
        CHECK(run_quire({"search", "--db", db, "\"pakistan china\""}).exit_code == 1);
      }
    }
  }
  SECTION("an empty index has no position table and is fine") {
    TempDir tmp;
    write(tmp.path() + "/empty/.keep", "");
    const RunResult r = run_quire({"index", "--db", tmp.path() + "/idx", tmp.path() + "/empty"});
    REQUIRE(r.exit_code == 0);
    CHECK(run_quire({"info", "--db", tmp.path() + "/idx"}).exit_code == 0);
  }
}

// ---- Row 2: a full disk is not damage ---------------------------------------------------------------

namespace {

// A tmpfs of `mb` MB at `dir` (root only); false when it cannot be mounted here.
bool mount_tmpfs(const std::string& dir, int mb) {
  if (!root()) return false;
  const std::string opts = "size=" + std::to_string(mb) + "m";
  return ::mount("tmpfs", dir.c_str(), "tmpfs", 0, opts.c_str()) == 0;
}

std::string words(int seed, int n) {
  std::string s;
  unsigned x = static_cast<unsigned>(seed) * 2654435761u + 1;
  for (int i = 0; i < n; ++i) {
    x = x * 1103515245u + 12345u;
    s += "w" + std::to_string(x % 50000) + (i % 12 == 11 ? ".\n" : " ");
  }
  return s;
}

}  // namespace

TEST_CASE("rt11c: a full disk during an index run or a collection change says so, and nothing is lost",
          "[rt11c][disk-full]") {
  TempDir tmp;
  const std::string mnt = tmp.path() + "/mnt";
  fs::create_directories(mnt);
  if (!mount_tmpfs(mnt, 3)) {
    WARN("skipped: no tmpfs can be mounted here (not root?)");
    return;
  }
  struct Unmount {
    std::string dir;
    ~Unmount() { ::umount2(dir.c_str(), MNT_DETACH); }
  } unmount{mnt};
  const std::string db = mnt + "/idx";
  write(tmp.path() + "/docs/a.txt", "The Pakistan delegation spoke about the corridor.\n");
  REQUIRE(run_quire({"index", "--db", db, tmp.path() + "/docs"}).exit_code == 0);
  REQUIRE(run_quire({"collection", "new", "c1", "--db", db, "--query", "pakistan"}).exit_code == 0);
  for (int i = 0; i < 150; ++i) write(tmp.path() + "/more/m" + std::to_string(i) + ".txt", words(i, 3000));
  // Fill the disk.
  {
    std::ofstream fill(mnt + "/filler", std::ios::binary);
    const std::string block(65536, 'x');
    while (fill.write(block.data(), block.size())) {
    }
  }
  const RunResult ix = run_quire({"index", "--db", db, tmp.path() + "/more"});
  INFO(ix.out << ix.err);
  CHECK(ix.exit_code == 2);
  CHECK(ix.err.find("no space left on device") != std::string::npos);
  CHECK(ix.err.find("damaged") == std::string::npos);
  const RunResult cn = run_quire({"collection", "new", "c3", "--db", db, "--query", "corridor"});
  INFO(cn.out << cn.err);
  CHECK(cn.exit_code == 2);
  CHECK(cn.err.find("o space left on device") != std::string::npos);
  CHECK(cn.err.find("the collections are as they were") != std::string::npos);
  CHECK(cn.err.find("damaged") == std::string::npos);
  const RunResult cd = run_quire({"collection", "delete", "c1", "--db", db});
  INFO(cd.out << cd.err);
  CHECK(cd.err.find("damaged") == std::string::npos);
  fs::remove(mnt + "/filler");
  // Nothing lost: the collection is there, the index answers, and the next run works.
  const RunResult list = run_quire({"collection", "list", "--db", db});
  CHECK(list.out.find("c1") != std::string::npos);
  CHECK(run_quire({"search", "--db", db, "pakistan"}).exit_code == 0);
  CHECK(run_quire({"collection", "new", "c3", "--db", db, "--query", "corridor"}).exit_code == 0);
}

// ---- Row 9b: the creation marker proves nothing by its name -------------------------------------------

TEST_CASE("rt11c: a file named quire-creating that quire did not write deletes nothing", "[rt11c][marker]") {
  struct Case {
    const char* name;
    std::string marker;  ///< the marker's bytes
    std::vector<std::string> others;
  };
  const Case cases[] = {
      {"an empty marker, a user's postlist.glass and notes", "", {"postlist.glass", "notes.txt"}},
      {"an empty marker and a user's postlist.glass only", "", {"postlist.glass"}},
      {"a foreign marker and a user's docdata.glass", "my own file\n", {"docdata.glass"}},
      {"quire's marker but a user's notes beside a table",
       "quire creating an index\npid 1\ntime 0\n",
       {"postlist.glass", "notes.txt"}},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.name) {
      TempDir tmp;
      const std::string db = tmp.path() + "/db";
      write(db + "/quire-creating", c.marker);
      for (const auto& o : c.others) write(db + "/" + o, "user data, not an index\n");
      write(tmp.path() + "/docs/a.txt", "Alpha text.\n");
      const RunResult r = run_quire({"index", "--db", db, tmp.path() + "/docs"});
      INFO(r.out << r.err);
      CHECK(r.exit_code == 2);
      CHECK(r.err.find("nothing was deleted") != std::string::npos);
      CHECK(fs::exists(db + "/quire-creating"));
      for (const auto& o : c.others) {
        CHECK(fs::exists(db + "/" + o));
        CHECK(read_file(db + "/" + o) == "user data, not an index\n");
      }
    }
  }
  SECTION("quire's own marker left by a kill is cleared, and the index made") {
    TempDir tmp;
    const std::string db = tmp.path() + "/db";
    write(db + "/quire-creating", "quire creating an index\npid 1\ntime 0\n");
    write(db + "/postlist.glass", "a torn table\n");
    write(tmp.path() + "/docs/a.txt", "Alpha text.\n");
    const RunResult r = run_quire({"index", "--db", db, tmp.path() + "/docs"});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK(!fs::exists(db + "/quire-creating"));
  }
}

// ---- Rows 3-14: batch, eval, outputs, names, metadata tables, messages --------------------------------

TEST_CASE("rt11c: a batch line with a key quire does not know is refused, naming FILE:LINE and the key",
          "[rt11c][batch]") {
  TempDir tmp;
  const std::string db = small_index(tmp.path());
  const char* keys[] = {"filter", "limt", "ofset", "Query", "passage"};  // "offset" is a key (rt17 row 38)
  for (const char* key : keys) {
    DYNAMIC_SECTION(key) {
      const std::string q = tmp.write("q.jsonl", std::string("{\"id\":\"good\",\"query\":\"pakistan\"}\n") +
                                                     "{\"id\":\"bad\",\"query\":\"pakistan\",\"" + key + "\":1}\n");
      const RunResult r = run_quire({"batch", "--db", db, "--format", "trec", q});
      INFO(r.out << r.err);
      CHECK(r.exit_code == 1);
      CHECK(r.err.find(q + ":2: unknown key \"" + key + "\"") != std::string::npos);
      CHECK(r.out.find("good Q0") != std::string::npos);
      CHECK(r.out.find("bad Q0") == std::string::npos);
    }
  }
}

TEST_CASE("rt11c: quire eval reads bounded regular files or pipes and refuses a run listing a document twice",
          "[rt11c][eval]") {
  TempDir tmp;
  const std::string qrels = tmp.write("qrels.txt", "q1 0 d1 1\nq1 0 d2 0\n");
  struct Case {
    const char* name;
    std::function<std::string()> run;  ///< the run file's path
    const char* message;
  };
  const Case cases[] = {
      {"/dev/zero", [] { return std::string("/dev/zero"); }, "not a regular file or a pipe"},
      {"a folder", [&] { return tmp.path(); }, "is a folder"},
      {"a file of one 2 MB line", [&] { return tmp.write("long.txt", std::string(2 << 20, 'a')); },
       "a line longer than 1 MB"},
      {"a document three times",
       [&] { return tmp.write("dup.txt", "q1 Q0 d1 1 9 t\nq1 Q0 d1 2 8 t\nq1 Q0 d1 3 7 t\n"); },
       ":2: document 'd1' is listed twice for query 'q1' (also on line 1)"},
  };
  // A quire that read without bound would fill the memory: its address space is capped, but for
  // AddressSanitizer's build, whose shadow memory needs terabytes of address space (there only the
  // time bounds it).
#if defined(__SANITIZE_ADDRESS__)
  const std::vector<std::string> bound = {"timeout", "-k", "2", "10"};
#else
  const std::vector<std::string> bound = {"timeout", "-k", "2", "20", "prlimit", "--as=1000000000"};
#endif
  const auto eval = [&bound](const std::string& run_file, const std::string& qrels_file) {
    std::vector<std::string> args = bound;
    for (const std::string& a : {std::string(QUIRE_BINARY), std::string("eval"), run_file, qrels_file})
      args.push_back(a);
    return run_program(args);
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.name) {
      const std::string run = c.run();
      const RunResult r = eval(run, qrels);
      INFO(r.out << r.err);
      CHECK(r.exit_code == 2);
      CHECK(r.err.find(c.message) != std::string::npos);
      // The same for the qrels file, but for the duplicate (a later judgment is the one used).
      if (std::string(c.name) != "a document three times") {
        const std::string good = tmp.write("good.txt", "q1 Q0 d1 1 9 t\n");
        const RunResult q = eval(good, run);
        CHECK(q.exit_code == 2);
        CHECK(q.err.find(c.message) != std::string::npos);
      }
    }
  }
  SECTION("the same document under two queries is fine") {
    const std::string run = tmp.write("two.txt", "q1 Q0 d1 1 9 t\nq2 Q0 d1 1 9 t\n");
    const RunResult r = run_quire({"eval", run, qrels});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
  }
}

TEST_CASE("rt11c: an output FIFO nobody reads never blocks: it is refused at once", "[rt11c][fifo]") {
  // Since rt11f an output is a regular file quire makes; a FIFO is refused before any work, with or
  // without --force, so quire never waits for a reader (tests/cli/test_rt11f_outputs.cc has the rest).
  TempDir tmp;
  const std::string db = small_index(tmp.path());
  REQUIRE(run_quire({"collection", "new", "c1", "--db", db, "--query", "pakistan"}).exit_code == 0);
  const std::string fifo = tmp.path() + "/fifo";
  REQUIRE(::mkfifo(fifo.c_str(), 0644) == 0);
  const std::string q = tmp.write("q.tsv", "a\tpakistan\n");
  for (const char* force : {"", "--force"}) {
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"batch", "--db", db, "--timings", fifo, q},
          std::vector<std::string>{"collection", "export", "c1", "--db", db, "--format", "csv", "--output", fifo}}) {
      DYNAMIC_SECTION(args[0] << " " << force) {
        std::vector<std::string> cmd = {"timeout", "-k", "5", "20", QUIRE_BINARY};
        cmd.insert(cmd.end(), args.begin(), args.end());
        if (*force) cmd.push_back(force);
        const RunResult r = run_program(cmd);
        INFO(r.out << r.err);
        CHECK(r.exit_code == 2);  // not 124: no wait for a reader
        CHECK(r.err.find(fifo + ": refused: it is a named pipe, not a regular file") != std::string::npos);
        CHECK(r.out.empty());
        CHECK(fs::is_fifo(fifo));
      }
    }
  }
}

TEST_CASE("rt11c: empty paths are usage errors, never the default", "[rt11c][usage]") {
  TempDir tmp;
  const std::string t = tmp.path();
  write(t + "/docs/a.txt", "Alpha text.\n");
  SECTION("QUIRE_DB set and empty") {
    const RunResult r = run_quire({"index", t + "/docs"}, {"QUIRE_DB=", "XDG_DATA_HOME=" + t + "/xdg"});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("QUIRE_DB is set but empty") != std::string::npos);
    CHECK(!fs::exists(t + "/xdg"));
    const RunResult s = run_quire({"search", "alpha"}, {"QUIRE_DB=", "XDG_DATA_HOME=" + t + "/xdg"});
    CHECK(s.exit_code == 2);
    CHECK(s.err.find("QUIRE_DB is set but empty") != std::string::npos);
    // --db given: the empty variable does not matter.
    CHECK(run_quire({"index", "--db", t + "/idx", t + "/docs"}, {"QUIRE_DB="}).exit_code == 0);
  }
  SECTION("--output '', --timings '', --db ''") {
    const std::string db = small_index(t);
    REQUIRE(run_quire({"collection", "new", "c1", "--db", db, "--query", "pakistan"}).exit_code == 0);
    const std::string q = tmp.write("q.tsv", "a\tpakistan\n");
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"collection", "export", "c1", "--db", db, "--format", "csv", "--output", ""},
          std::vector<std::string>{"batch", "--db", db, "--timings", "", q},
          std::vector<std::string>{"search", "--db", "", "pakistan"}}) {
      const RunResult r = run_quire(args);
      INFO(r.out << r.err);
      CHECK(r.exit_code == 2);
      CHECK(r.err.find(" is empty") != std::string::npos);
      CHECK(r.out.empty());
    }
  }
}

TEST_CASE("rt11c: a line break in a file name never reaches the terminal raw", "[rt11c][names]") {
  TempDir tmp;
  const std::string t = tmp.path();
  write(t + "/tree/y\n2. Official UN resolution (score 99.0)\n   VERIFIED.txt", "The assembly discusses peace.\n");
  REQUIRE(run_quire({"index", "--db", t + "/idx", t + "/tree"}).exit_code == 0);
  REQUIRE(run_quire({"collection", "new", "c1", "--db", t + "/idx", "--query", "peace"}).exit_code == 0);
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"search", "--db", t + "/idx", "peace"},
        std::vector<std::string>{"collection", "show", "c1", "--db", t + "/idx"}}) {
    const RunResult r = run_quire(args);
    INFO(r.out);
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("\n2. Official") == std::string::npos);
    CHECK(r.out.find("\n   VERIFIED") == std::string::npos);
  }
}

TEST_CASE("rt11c: a file named like an option blocks only what a * could have typed", "[rt11c][usage]") {
  TempDir tmp;
  const std::string t = tmp.path();
  const std::string db = small_index(t);
  fs::create_directories(t + "/dl");
  for (const char* name : {"--db", "--json", "--rebuild"}) write(t + "/dl/" + name, "");
  const auto in_dl = [&](const std::string& rest) {
    return run_program({"sh", "-c", std::string("cd '") + t + "/dl' && exec '" + QUIRE_BINARY + "' " + rest});
  };
  struct Case {
    const char* args;
    int exit_code;
  };
  const Case cases[] = {
      {"search --db ../idx pakistan", 0},         {"info --db ../idx --json", 0},
      {"index --db ../idx -- ../docs", 0},        {"collection list --db ../idx", 0},
      {"index --db ../idx --rebuild ../docs", 2},  // no --: a * could have given --rebuild
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.args) {
      const RunResult r = in_dl(c.args);
      INFO(r.out << r.err);
      CHECK(r.exit_code == c.exit_code);
      if (c.exit_code == 2) CHECK(r.err.find("also the name of a file") != std::string::npos);
    }
  }
}

TEST_CASE("rt11c: metadata tables as Excel writes them are read, and a repeated key is named", "[rt11c][metadata]") {
  struct Case {
    const char* name;
    std::string table;
    const char* title;    ///< in the search output
    const char* warning;  ///< in stderr, "" for none
  };
  const Case cases[] = {
      {"';' and a byte order mark",
       "\xEF\xBB\xBF"
       "Code;title;author\r\nAAA;Titre A;Dupont\r\n",
       "Titre A", "read with ';'"},
      {"a sep=, first line", "sep=,\r\nCode,title,author\r\nAAA,Title A,Smith\r\n", "Title A", ""},
      {"a sep=; first line", "sep=;\r\nCode;title;author\r\nAAA;Title S;Smith\r\n", "Title S", ""},
      {"a key twice", "Code,title,author\r\nAAA,First,Smith\r\nAAA,Second,Jones\r\n", "First",
       "rows 1 and 2 (after the header) have the same key (Code); the first is used"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.name) {
      TempDir tmp;
      const std::string t = tmp.path();
      write(t + "/docs/AAA_1_2000.txt", "The delegation speaks about peace and development.\n");
      write(t + "/map.xml",
            "<metadata><files name=\"{code}_{session}_{year}.txt\"><table file=\"meta.csv\" match=\"Code={code}\"/>"
            "<field name=\"title\">{title}</field><field name=\"author\">{author}</field></files></metadata>");
      write(t + "/meta.csv", c.table);
      const RunResult r = run_quire({"index", "--db", t + "/idx", "--metadata", t + "/map.xml", t + "/docs"});
      INFO(r.out << r.err);
      CHECK(r.exit_code == 0);
      if (*c.warning) CHECK(r.err.find(c.warning) != std::string::npos);
      const RunResult s = run_quire({"search", "--db", t + "/idx", "peace"});
      CHECK(s.out.find(c.title) != std::string::npos);
    }
  }
  SECTION("a table split by a character quire does not take says which") {
    TempDir tmp;
    const std::string t = tmp.path();
    write(t + "/docs/AAA_1_2000.txt", "Peace.\n");
    write(t + "/map.xml",
          "<metadata><files name=\"{code}_{session}_{year}.txt\"><table file=\"meta.csv\" match=\"Code={code}\"/>"
          "<field name=\"title\">{title}</field></files></metadata>");
    write(t + "/meta.csv", "Code|title\nAAA|T\n");
    const RunResult r = run_quire({"index", "--db", t + "/idx", "--metadata", t + "/map.xml", t + "/docs"});
    INFO(r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("separated by '|'?") != std::string::npos);
  }
}

TEST_CASE("rt11c: batch TSV id cells never start a formula", "[rt11c][batch]") {
  TempDir tmp;
  const std::string t = tmp.path();
  write(t + "/fx/=HYPERLINK(x).txt", "The assembly speaks of peace.\n");
  write(t + "/fx/@SUM(1+1).txt", "The assembly speaks of peace again.\n");
  write(t + "/fx/+1.txt", "Peace once more.\n");
  write(t + "/fx/-1.txt", "Peace and more peace.\n");
  REQUIRE(run_quire({"index", "--db", t + "/idx", t + "/fx"}).exit_code == 0);
  const std::string q = tmp.write("q.tsv", "=q1\tpeace\n");
  const RunResult r = run_quire({"batch", "--db", t + "/idx", "--format", "tsv", "--timings", t + "/tm.tsv", q});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  std::size_t lines = 0;
  for (const std::string& text : {r.out, read_file(t + "/tm.tsv")}) {
    std::size_t start = 0;
    while (start < text.size()) {
      const std::size_t end = text.find('\n', start);
      const std::string line = text.substr(start, end - start);
      start = end == std::string::npos ? text.size() : end + 1;
      std::size_t cell = 0;
      while (cell <= line.size()) {
        const std::size_t tab = std::min(line.find('\t', cell), line.size());
        INFO(line);
        if (cell < tab) CHECK(std::string("=+-@").find(line[cell]) == std::string::npos);
        cell = tab + 1;
      }
      ++lines;
    }
  }
  CHECK(lines == 5);
  CHECK(r.out.find("%3DHYPERLINK") != std::string::npos);
}

TEST_CASE("rt11c: an index in a folder the user cannot write says it is read-only, and is not touched",
          "[rt11c][read-only]") {
  if (!have_setpriv() || !root()) {
    WARN("skipped: needs root and setpriv to act as another user");
    return;
  }
  TempDir tmp;
  ::chmod(tmp.path().c_str(), 0755);
  const std::string db = small_index(tmp.path());
  ::chmod(db.c_str(), 0755);
  for (const auto& e : fs::directory_iterator(db)) ::chmod(e.path().c_str(), 0666);
  const auto size = fs::file_size(db + "/postlist.glass");
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"collection", "new", "zz", "--db", db, "--query", "china"},
        std::vector<std::string>{"index", "--db", db, tmp.path() + "/docs"}}) {
    const RunResult r = quire_as_user(args);
    INFO(r.out << r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("index " + db + " is read-only") != std::string::npos);
  }
  CHECK(fs::file_size(db + "/postlist.glass") == size);
  CHECK(quire_as_user({"search", "--db", db, "pakistan"}).exit_code == 0);
}

TEST_CASE("rt11c: a file where a rebuild builds is named as a file", "[rt11c][messages]") {
  TempDir tmp;
  const std::string db = small_index(tmp.path());
  write(tmp.path() + "/.idx.quire-rebuild", "mine\n");
  const RunResult r = run_quire({"index", "--db", db, "--rebuild", tmp.path() + "/docs"});
  INFO(r.err);
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("is in the way (a file, not quire's)") != std::string::npos);
  CHECK(read_file(tmp.path() + "/.idx.quire-rebuild") == "mine\n");
}
