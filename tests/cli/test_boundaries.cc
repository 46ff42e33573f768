// What quire checks at each boundary before it trusts a path (docs/robustness.md, "Threat model"): an
// index folder it cannot list, an output path that is an index's file or the command's own input, a
// collection key that is not a name, an argument that is both an option and a file's name. Each case
// runs the built quire on real files; as root, the cases that need permission bits run as nobody
// (setpriv), since root reads and writes through any mode.
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>
#include <xapian.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "support.h"

using quire::test::run_program;
using quire::test::RunResult;
using quire::test::TempDir;

using quire::test::write;

namespace fs = std::filesystem;

namespace {

std::string slurp(const std::string& path) { return quire::test::read_file(path); }

bool root() { return ::geteuid() == 0; }

// Runs quire as the user the test stands for: nobody when the test runs as root, bounded by `timeout`
// seconds (a hang is a failure with exit 124, not a test that never ends).
RunResult quire_as_user(const std::vector<std::string>& args, int timeout = 30, bool as_nobody = true) {
  std::vector<std::string> cmd = {"timeout", "-k", "5", std::to_string(timeout)};
  if (root() && as_nobody) cmd.insert(cmd.end(), {"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"});
  cmd.push_back(QUIRE_BINARY);
  cmd.insert(cmd.end(), args.begin(), args.end());
  return run_program(cmd);
}

// Everything under `path` (and `path`) becomes the user's: nobody's when the test runs as root.
void give_to_user(const std::string& path) {
  if (!root()) return;
  ::lchown(path.c_str(), 65534, 65534);
  if (fs::is_directory(fs::symlink_status(path)))
    for (const auto& e : fs::recursive_directory_iterator(path)) ::lchown(e.path().c_str(), 65534, 65534);
}

void mode(const std::string& path, unsigned m) { REQUIRE(::chmod(path.c_str(), m) == 0); }

bool have_setpriv() { return !root() || run_program({"setpriv", "--version"}).exit_code == 0; }

// A small index of two documents in `dir`/idx, and the folder of documents it was made from.
std::string make_index(const TempDir& dir) {
  write(dir.path() + "/docs/a.txt", "The Pakistan corridor talks went on for hours.\n");
  write(dir.path() + "/docs/b.txt", "Beta text about the corridor and the sea.\n");
  const std::string db = dir.path() + "/idx";
  const RunResult r = quire::test::run_quire({"index", "--db", db, dir.path() + "/docs"});
  REQUIRE(r.exit_code == 0);
  REQUIRE(quire::test::run_quire({"collection", "new", "keep", "--query", "corridor", "--db", db}).exit_code == 0);
  return db;
}

std::string joined(const std::vector<std::string>& args) {
  std::string s;
  for (const auto& a : args) s += (s.empty() ? "" : " ") + a;
  return s;
}

}  // namespace

// ---- Index folders quire cannot check --------------------------------------------------------------

TEST_CASE("boundary: an index folder that cannot be listed is refused by every open, and its links are never followed",
          "[boundary][unlistable]") {
  if (!have_setpriv()) {
    WARN("skipped: setpriv (util-linux) is not installed");
    return;
  }
  struct Case {
    const char* name;
    const char* link;  ///< an entry made a symbolic link to the user's file ("" for none)
    unsigned mode;     ///< the index folder's mode
    const char* message;
  };
  const Case cases[] = {
      {"0311 (enter, not list), flintlock a link to the user's file", "flintlock", 0311, "cannot list"},
      {"0311, a table a link to the user's file", "position.glass", 0311, "cannot list"},
      {"0311, nothing linked", "", 0311, "cannot list"},
      {"0300 (write and enter, not list), nothing linked", "", 0300, "cannot list"},
      {"0644 (list, not enter), flintlock a link", "flintlock", 0644, "cannot check"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.name) {
      TempDir dir;
      const std::string db = make_index(dir);
      const std::string mine = dir.path() + "/home/thesis.txt";
      write(mine, "the user's thesis: months of work\n");
      if (*c.link) {
        fs::remove(db + "/" + c.link);
        fs::create_symlink(mine, db + "/" + c.link);
      }
      write(dir.path() + "/new/n.txt", "A new text about sanctions.\n");
      give_to_user(dir.path());
      mode(dir.path(), 0755);
      mode(db, c.mode);
      const std::vector<std::vector<std::string>> commands = {
          {"search", "--db", db, "corridor"},
          {"info", "--db", db},
          {"facets", "--db", db},
          {"collection", "list", "--db", db},
          {"collection", "show", "keep", "--db", db},
          {"collection", "new", "mine", "--query", "sea", "--db", db},
          {"collection", "delete", "keep", "--db", db},
          {"index", "--db", db, dir.path() + "/new"},
          {"index", "--rebuild", "--db", db, dir.path() + "/new"},
      };
      for (const auto& args : commands) {
        INFO(joined(args));
        const RunResult r = quire_as_user(args);
        INFO(r.out << r.err);
        CHECK(r.exit_code == 2);
        CHECK_THAT(r.err, Catch::Contains(c.message) && Catch::Contains(db));
        CHECK_THAT(r.err, !Catch::Contains("already exists"));
        CHECK(slurp(mine) == "the user's thesis: months of work\n");
        CHECK(!fs::exists(dir.path() + "/.idx.quire-rebuild"));
      }
      mode(db, 0755);
      CHECK(quire::test::run_quire({"collection", "show", "keep", "--db", db}).exit_code == (*c.link ? 2 : 0));
    }
  }
}

TEST_CASE("boundary: the user's own folder that cannot be listed is never taken for empty, never rebuilt",
          "[boundary][unlistable]") {
  if (!have_setpriv()) {
    WARN("skipped: setpriv (util-linux) is not installed");
    return;
  }
  for (unsigned m : {0311u, 0300u, 0111u}) {
    DYNAMIC_SECTION("mode " << std::oct << m) {
      TempDir dir;
      write(dir.path() + "/docs/a.txt", "The corridor talks.\n");
      const std::string mine = dir.path() + "/private";
      write(mine + "/notes.txt", "my notes\n");
      write(mine + "/film.mkv", "my film\n");
      give_to_user(dir.path());
      mode(dir.path(), 0755);
      mode(mine, m);
      for (const bool rebuild : {false, true}) {
        std::vector<std::string> args = {"index", "--db", mine, dir.path() + "/docs"};
        if (rebuild) args.insert(args.begin() + 1, "--rebuild");
        INFO(joined(args));
        const RunResult r = quire_as_user(args);
        INFO(r.out << r.err);
        CHECK(r.exit_code == 2);
        CHECK_THAT(r.err, Catch::Contains("cannot list") && Catch::Contains(mine));
        CHECK_THAT(r.err, !Catch::Contains("already exists"));
        CHECK(!fs::exists(dir.path() + "/.private.quire-rebuild"));
      }
      mode(mine, 0755);
      std::vector<std::string> names;
      for (const auto& e : fs::directory_iterator(mine)) names.push_back(e.path().filename().string());
      std::sort(names.begin(), names.end());
      CHECK(names == std::vector<std::string>{"film.mkv", "notes.txt"});
    }
  }
}

TEST_CASE("boundary: a rebuild marker that is a pipe, a device link or huge never stops index or collection changes",
          "[boundary][marker]") {
  struct Case {
    const char* name;
    bool beside;  ///< in the rebuild folder beside the index, else in the index itself
    void (*make)(const std::string& path);
    int index_exit;  ///< of a plain `quire index` (a marker inside the index refuses it)
  };
  const Case cases[] = {
      {"a FIFO in the index", false, [](const std::string& p) { REQUIRE(::mkfifo(p.c_str(), 0644) == 0); }, 2},
      {"a link to /dev/zero in the index", false, [](const std::string& p) { fs::create_symlink("/dev/zero", p); }, 2},
      {"a FIFO beside", true, [](const std::string& p) { REQUIRE(::mkfifo(p.c_str(), 0644) == 0); }, 0},
      {"a link to /dev/zero beside", true, [](const std::string& p) { fs::create_symlink("/dev/zero", p); }, 0},
      {"a 64 MB file of one line beside", true,
       [](const std::string& p) {
         std::ofstream out(p, std::ios::binary);
         out << "state ready\n" << std::string(64u << 20, 'x');
       },
       0},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.name) {
      TempDir dir;
      const std::string db = make_index(dir);
      const std::string folder = c.beside ? dir.path() + "/.idx.quire-rebuild" : db;
      fs::create_directories(folder);
      c.make(folder + "/quire-rebuild");
      write(dir.path() + "/new/n.txt", "A new text about sanctions.\n");
      const std::vector<std::pair<std::vector<std::string>, int>> commands = {
          {{"index", "--db", db, dir.path() + "/new"}, c.index_exit},
          {{"collection", "add", "keep", "x", "--db", db}, c.index_exit == 0 ? 1 : 2},
          {{"index", "--rebuild", "--db", db, dir.path() + "/new"}, 2},
      };
      for (const auto& [args, code] : commands) {
        INFO(joined(args));
        const RunResult r = quire_as_user(args, 20, false);
        INFO(r.out << r.err);
        CHECK(r.exit_code != 124);
        CHECK(r.exit_code == code);
        if (code == 2) CHECK_THAT(r.err, Catch::Contains("quire-rebuild"));
      }
      CHECK(fs::exists(fs::symlink_status(folder + "/quire-rebuild")));
    }
  }
}

// ---- Output paths that would destroy data ----------------------------------------------------------

namespace {

std::string documents_line(const std::string& db) {
  const RunResult r = quire::test::run_quire({"info", "--db", db});
  const auto at = r.out.find("documents:");
  return at == std::string::npos ? r.err : r.out.substr(at, r.out.find('\n', at) - at);
}

// A BEIR collection of two documents, one query, one judgment (split "test").
std::string make_beir(const std::string& dir) {
  write(dir + "/corpus.jsonl",
        "{\"_id\": \"d1\", \"title\": \"One\", \"text\": \"Sanctions on the corridor.\"}\n"
        "{\"_id\": \"d2\", \"title\": \"Two\", \"text\": \"Talks by the sea.\"}\n");
  write(dir + "/queries.jsonl", "{\"_id\": \"q1\", \"text\": \"sanctions\"}\n");
  write(dir + "/qrels/test.tsv", "query-id\tcorpus-id\tscore\nq1\td1\t1\n");
  return dir;
}

}  // namespace

TEST_CASE("boundary: an output inside an index, or over the command's own input, is refused and nothing is written",
          "[boundary][outputs]") {
  struct Case {
    const char* name;
    std::vector<std::string> (*args)(const std::string& dir, const std::string& db);
    std::vector<const char*> kept;  ///< files (under dir) that must be byte for byte as they were
    const char* message;
  };
  const Case cases[] = {
      {"export --output the index's postlist",
       [](const std::string&, const std::string& db) {
         return std::vector<std::string>{
             "collection", "export", "keep", "--format", "csv", "--db", db, "--output", db + "/postlist.glass"};
       },
       {"idx/postlist.glass"},
       "inside index folder"},
      {"export --output a new file in the index folder, through a relative path",
       [](const std::string& d, const std::string& db) {
         return std::vector<std::string>{
             "collection", "export", "keep", "--format", "ris", "--db", db, "--output", d + "/docs/../idx/out.ris"};
       },
       {"idx/postlist.glass"},
       "inside index folder"},
      {"export --output into another index quire was not given",
       [](const std::string& d, const std::string& db) {
         return std::vector<std::string>{
             "collection", "export", "keep", "--format", "ris", "--db", db, "--output", d + "/other/termlist.glass"};
       },
       {"other/termlist.glass"},
       "is an index folder"},
      {"batch --timings the index's iamglass",
       [](const std::string& d, const std::string& db) {
         return std::vector<std::string>{"batch", "--db", db, "--timings", db + "/iamglass", d + "/q.tsv"};
       },
       {"idx/iamglass", "q.tsv"},
       "inside index folder"},
      {"batch --timings its own query file",
       [](const std::string& d, const std::string& db) {
         return std::vector<std::string>{"batch", "--db", db, "--timings", d + "/q.tsv", d + "/q.tsv"};
       },
       {"q.tsv"},
       "same file as"},
      {"batch --timings a link to its own query file",
       [](const std::string& d, const std::string& db) {
         fs::create_symlink(d + "/q.tsv", d + "/q-link.tsv");
         return std::vector<std::string>{"batch", "--db", db, "--timings", d + "/q-link.tsv", d + "/q.tsv"};
       },
       {"q.tsv"},
       "same file as"},
      {"import beir over its own queries and qrels",
       [](const std::string& d, const std::string&) {
         return std::vector<std::string>{"import",
                                         "beir",
                                         d + "/beir",
                                         "--split",
                                         "test",
                                         "--db",
                                         d + "/bidx",
                                         "--queries",
                                         d + "/beir/queries.jsonl",
                                         "--qrels",
                                         d + "/beir/qrels/test.tsv"};
       },
       {"beir/queries.jsonl", "beir/qrels/test.tsv", "beir/corpus.jsonl"},
       "same file as"},
      {"import beir --documents over its corpus",
       [](const std::string& d, const std::string&) {
         return std::vector<std::string>{"import",    "beir",        d + "/beir",
                                         "--split",   "test",        "--db",
                                         d + "/bidx", "--documents", d + "/beir/corpus.jsonl"};
       },
       {"beir/corpus.jsonl"},
       "same file as"},
      {"import --queries and --qrels the same new file",
       [](const std::string& d, const std::string&) {
         return std::vector<std::string>{"import",    "beir",      d + "/beir",    "--split", "test",        "--db",
                                         d + "/bidx", "--queries", d + "/out.tsv", "--qrels", d + "/out.tsv"};
       },
       {},
       "name the same file"},
      {"export --output over a file with a second hard link",
       [](const std::string& d, const std::string& db) {
         write(d + "/mine.csv", "the user's own table\n");
         fs::create_hard_link(d + "/mine.csv", d + "/backup.csv");
         return std::vector<std::string>{"collection", "export", "keep",     "--format",     "csv",
                                         "--db",       db,       "--output", d + "/mine.csv"};
       },
       {"mine.csv", "backup.csv"},
       "hard links"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.name) {
      TempDir dir;
      const std::string db = make_index(dir);
      write(dir.path() + "/q.tsv", "q1\tcorridor\n");
      make_beir(dir.path() + "/beir");
      fs::create_directories(dir.path() + "/other");
      fs::copy(db, dir.path() + "/other", fs::copy_options::recursive | fs::copy_options::overwrite_existing);
      const std::vector<std::string> args = c.args(dir.path(), db);
      std::vector<std::string> before;
      for (const char* f : c.kept) before.push_back(slurp(dir.path() + "/" + f));
      const std::string docs_before = documents_line(db);
      INFO(joined(args));
      const RunResult r = quire::test::run_quire(args);
      INFO(r.out << r.err);
      CHECK(r.exit_code == 2);
      CHECK_THAT(r.err, Catch::Contains("refused") || Catch::Contains(c.message));
      CHECK_THAT(r.err, Catch::Contains(c.message));
      for (std::size_t i = 0; i < c.kept.size(); ++i) CHECK(slurp(dir.path() + "/" + c.kept[i]) == before[i]);
      CHECK(documents_line(db) == docs_before);
      CHECK(!fs::exists(dir.path() + "/bidx"));  // refused before the import indexed anything
      CHECK(!fs::exists(dir.path() + "/out.tsv"));
    }
  }
}

TEST_CASE("boundary: outputs that endanger nothing are written", "[boundary][outputs]") {
  TempDir dir;
  const std::string db = make_index(dir);
  write(dir.path() + "/q.tsv", "q1\tcorridor\n");
  make_beir(dir.path() + "/beir");
  CHECK(quire::test::run_quire(
            {"collection", "export", "keep", "--format", "csv", "--db", db, "--output", dir.path() + "/out/keep.csv"})
            .exit_code == 2);  // no such folder: the system's error, not a refusal
  fs::create_directories(dir.path() + "/out");
  write(dir.path() + "/out/keep.csv", "old\n");
  const RunResult e = quire::test::run_quire({"collection", "export", "keep", "--format", "csv", "--db", db, "--output",
                                              dir.path() + "/out/keep.csv", "--force"});
  INFO(e.err);
  CHECK(e.exit_code == 0);
  CHECK_THAT(slurp(dir.path() + "/out/keep.csv"), Catch::Contains("docs/a.txt"));
  const RunResult b =
      quire::test::run_quire({"batch", "--db", db, "--timings", dir.path() + "/out/t.tsv", dir.path() + "/q.tsv"});
  CHECK(b.exit_code == 0);
  CHECK(fs::file_size(dir.path() + "/out/t.tsv") > 0);
  const RunResult i =
      quire::test::run_quire({"import", "beir", dir.path() + "/beir", "--split", "test", "--db", dir.path() + "/bidx",
                              "--queries", dir.path() + "/out/q.tsv", "--qrels", dir.path() + "/out/qrels.txt"});
  INFO(i.err);
  CHECK(i.exit_code == 0);
  CHECK(slurp(dir.path() + "/out/qrels.txt") == "q1 0 d1 1\n");
  if (root()) {
    // As root, replacing a user's file keeps its owner: the user may still edit what they own.
    write(dir.path() + "/out/theirs.csv", "theirs\n");
    REQUIRE(::chown((dir.path() + "/out/theirs.csv").c_str(), 65534, 65534) == 0);
    REQUIRE(quire::test::run_quire({"collection", "export", "keep", "--format", "csv", "--db", db, "--output",
                                    dir.path() + "/out/theirs.csv", "--force"})
                .exit_code == 0);
    struct stat st {};
    REQUIRE(::stat((dir.path() + "/out/theirs.csv").c_str(), &st) == 0);
    CHECK(st.st_uid == 65534u);
    CHECK(st.st_gid == 65534u);
  }
}

// ---- Records from a shared index ---------------------------------------------------------------------

TEST_CASE("boundary: every collection listed can be shown and deleted: index values in messages are bounded",
          "[boundary][records]") {
  TempDir dir;
  const std::string db = make_index(dir);
  {
    // Names no `collection new` accepts, written into the manifest by hand (as another program might).
    const std::string manifest = db + "/quire-manifest.json";
    std::ifstream in(manifest);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string::size_type at = text.find("\"collections\": {");
    REQUIRE(at != std::string::npos);
    std::string added;
    for (const char* key : {"../../x", "a b", "", "\\u001b[31mred", ".."})
      added += "\"" + std::string(key) + "\": {\"name\": \"x\", \"query\": \"corridor\"}, ";
    added += "\"" + std::string(200, 'n') + "\": {\"query\": \"corridor\"}, ";
    text.insert(at + std::string("\"collections\": {").size(), added);
    write(manifest, text);
  }
  const RunResult list = quire::test::run_quire({"collection", "list", "--db", db});
  INFO(list.out << list.err);
  CHECK(list.exit_code == 0);
  CHECK(list.out.find("keep\t") == 0);
  CHECK(std::count(list.out.begin(), list.out.end(), '\n') == 1);
  CHECK_THAT(list.err, Catch::Contains("'../../x', which is not a collection name"));
  CHECK(list.err.size() < 6 * 300);
  CHECK(list.err.find('\x1b') == std::string::npos);
  std::istringstream lines(list.out);
  for (std::string line; std::getline(lines, line);) {
    const std::string name = line.substr(0, line.find('\t'));
    CHECK(quire::test::run_quire({"collection", "show", name, "--db", db}).exit_code == 0);
    CHECK(quire::test::run_quire({"collection", "delete", name, "--db", db}).exit_code == 0);
  }
  {
    Xapian::WritableDatabase w(db, Xapian::DB_OPEN);
    w.set_metadata("quire:format", std::string(100000, '9'));
    w.commit();
  }
  for (const std::vector<std::string>& args : {std::vector<std::string>{"search", "--db", db, "corridor"},
                                               std::vector<std::string>{"index", "--db", db, dir.path() + "/docs"}}) {
    const RunResult r = quire::test::run_quire(args);
    INFO(r.err.substr(0, 300));
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("format version 999") && Catch::Contains("(100000 bytes)"));
    CHECK(r.err.size() < 400);
  }
}

// ---- Damage, the same words from every writing path --------------------------------------------------

TEST_CASE("boundary: a damaged table is reported as damage by the writing commands too", "[boundary][damaged]") {
  for (const char* table : {"postlist.glass", "termlist.glass", "docdata.glass", "position.glass"}) {
    DYNAMIC_SECTION(table) {
      TempDir dir;
      const std::string db = make_index(dir);
      write(dir.path() + "/more/c.txt", "A third text about the corridor and sanctions.\n");
      const std::string path = db + "/" + table;
      const auto size = fs::file_size(path);
      const std::vector<std::vector<std::string>> writes = {
          {"index", "--db", db, dir.path() + "/more"},
          {"collection", "new", "fresh", "--query", "corridor", "--db", db},
          {"collection", "refresh", "keep", "--db", db},
          {"collection", "delete", "keep", "--db", db},
      };
      for (const auto& cut : {size / 2, std::uintmax_t{8192}}) {
        for (const auto& args : writes) {
          const std::string copy = dir.path() + "/copy";
          fs::remove_all(copy);
          fs::copy(db, copy);
          fs::resize_file(copy + "/" + table, cut);
          std::vector<std::string> a = args;
          for (auto& s : a)
            if (s == db) s = copy;
          INFO(joined(a) << " with " << table << " cut to " << cut);
          const RunResult r = quire::test::run_quire(a);
          INFO(r.out << r.err);
          if (r.exit_code != 0) {
            CHECK(r.exit_code == 2);
            CHECK_THAT(r.err, Catch::Contains("is damaged") && Catch::Contains("xapian-check " + copy));
          }
        }
      }
    }
  }
}

// ---- Arguments that are options and file names at once ------------------------------------------------

TEST_CASE("boundary: an option that is also a file's name here is refused, and options are never guessed",
          "[boundary][argv]") {
  TempDir dir;
  const std::string lib = dir.path() + "/lib";
  const std::string here = dir.path() + "/incoming";
  for (int i = 0; i < 5; ++i)
    write(dir.path() + "/docs/d" + std::to_string(i) + ".txt",
          "Text number " + std::to_string(i) + " about the corridor.\n");
  REQUIRE(quire::test::run_quire({"index", "--db", lib, dir.path() + "/docs"}).exit_code == 0);
  REQUIRE(documents_line(lib) == "documents:      5");
  write(here + "/new.txt", "A new text about sanctions.\n");
  struct Case {
    const char* file;  ///< the odd file in the folder
    std::vector<std::string> args;
    int exit_code;
    const char* message;
    const char* documents;  ///< lib's documents line after
  };
  const Case cases[] = {
      {"--rebuild", {"index", "--db", lib, "--rebuild", "new.txt"}, 2, "write ./--rebuild", "documents:      5"},
      {"--prune", {"index", "--db", lib, "--prune", "new.txt"}, 2, "write ./--prune", "documents:      5"},
      {"--db", {"index", "--db", "new.txt", "--db", lib}, 2, "'--db' is an option and also", "documents:      5"},
      {"--rebuild", {"index", "--db", lib, "--", "--rebuild", "new.txt"}, 0, "", "documents:      7"},
      {"--rebuild", {"index", "--db", lib, "./--rebuild", "new.txt"}, 0, "", "documents:      7"},
      {"", {"index", "--db", lib, "--reb", "new.txt"}, 2, "unrecognised option '--reb'", "documents:      5"},
      {"", {"index", "--db", lib, "--pru", "new.txt"}, 2, "unrecognised option '--pru'", "documents:      5"},
  };
  for (std::size_t i = 0; i < std::size(cases); ++i) {
    const Case& c = cases[i];
    // The section's name must be the same on every run of the test case: no temporary paths in it.
    DYNAMIC_SECTION("case " << i << " beside a file named '" << c.file << "'") {
      const std::string copy = dir.path() + "/lib-copy";
      fs::remove_all(copy);
      fs::copy(lib, copy);
      if (*c.file) write(here + "/" + c.file, "A file named like an option.\n");
      std::vector<std::string> cmd = {"env", "-C", here, QUIRE_BINARY};
      for (const auto& a : c.args) cmd.push_back(a == lib ? copy : a);
      const RunResult r = run_program(cmd);
      INFO(r.out << r.err);
      CHECK(r.exit_code == c.exit_code);
      if (*c.message) CHECK_THAT(r.err, Catch::Contains(c.message));
      CHECK(documents_line(copy) == c.documents);
      if (*c.file) fs::remove(here + "/" + c.file);
    }
  }
}
