// The rt11f red team's findings (docs/red-team/2026-12-01-reliability-rt11f.md, rows 1, 2 and 11, and
// the offset limit), each with the other cases of its class: every option that names a file quire
// writes (collection export --output, import --queries/--qrels/--documents, batch --timings) against
// every kind of thing already at that name, with and without --force; a creation marker that is not
// whole; one offset limit for search, batch and serve.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
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

// What the command needs beside its output: an index with a collection, a query file, a BEIR collection.
struct Setup {
  std::string dir, db, queries, beir;
};

// The files of a Setup made in `dir`: indexing is the slow part, so each section copies these.
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

// A Setup in `tmp`: made there (`fresh`), or copied from one made once per test program.
Setup make_setup(const TempDir& tmp, bool fresh = false) {
  if (fresh) {
    make_files(tmp.path());
  } else {
    static const TempDir base;
    static const bool made = (make_files(base.path()), true);
    (void)made;
    fs::copy(base.path(), tmp.path(), fs::copy_options::recursive | fs::copy_options::overwrite_existing);
  }
  Setup s;
  s.dir = tmp.path();
  s.db = s.dir + "/idx";
  s.queries = s.dir + "/q.tsv";
  s.beir = s.dir + "/beir";
  return s;
}

// Each option that names a file quire writes, as the arguments after `quire` writing to `out`.
struct Output {
  const char* option;
  std::vector<std::string> (*args)(const Setup& s, const std::string& out);
};

const Output kOutputs[] = {
    {"collection export --output",
     [](const Setup& s, const std::string& out) {
       return std::vector<std::string>{"collection", "export", "c1", "--format", "ris", "--db", s.db, "--output", out};
     }},
    {"import --queries",
     [](const Setup& s, const std::string& out) {
       return std::vector<std::string>{"import", "beir",          s.beir,      "--split", "test",
                                       "--db",   s.dir + "/bidx", "--queries", out};
     }},
    {"import --qrels",
     [](const Setup& s, const std::string& out) {
       return std::vector<std::string>{"import", "beir",          s.beir,    "--split", "test",
                                       "--db",   s.dir + "/bidx", "--qrels", out};
     }},
    {"import --documents",
     [](const Setup& s, const std::string& out) {
       return std::vector<std::string>{"import", "beir",          s.beir,        "--split", "test",
                                       "--db",   s.dir + "/bidx", "--documents", out};
     }},
    {"batch --timings",
     [](const Setup& s, const std::string& out) {
       return std::vector<std::string>{"batch", "--db", s.db, "--timings", out, s.queries};
     }},
};

// quire, bounded in time: an output that waits for ever (a FIFO nobody reads) is a failure (exit 124).
RunResult quire_bounded(const std::string& binary, const std::vector<std::string>& args) {
  std::vector<std::string> cmd = {"timeout", "-k", "5", "30", binary};
  cmd.insert(cmd.end(), args.begin(), args.end());
  return run_program(cmd);
}

std::string joined(const std::vector<std::string>& args) {
  std::string s;
  for (const auto& a : args) s += (s.empty() ? "" : " ") + a;
  return s;
}

unsigned mode_of(const std::string& path) {
  struct stat st {};
  REQUIRE(::lstat(path.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

// Files quire left beside the output (its temporary ".NAME.XXXXXX" files), in `folder`.
std::vector<std::string> leftovers(const std::string& folder) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(folder)) {
    const std::string n = e.path().filename().string();
    if (n.size() > 1 && n[0] == '.') names.push_back(n);
  }
  return names;
}

const std::string kUsers = "the user's own notes, kept for years\n";

}  // namespace

// ---- Rows 1 and 2: an output never replaces what quire did not make, unless told; some things never -----

TEST_CASE("rt11f: an output over an existing file is refused without --force, and replaced with it",
          "[rt11f][outputs]") {
  struct Case {
    const char* name;
    std::function<std::string(const std::string& dir)> make;  ///< makes what is at the name; returns the name
    bool force;
    const char* refusal;    ///< in the one-line error; "" when quire writes the file
    std::string kept_path;  ///< relative to dir: the user's file that must be as it was ("" for none)
  };
  const Case cases[] = {
      {"a new file", [](const std::string& d) { return d + "/out.txt"; }, false, "", ""},
      {"an existing file of the user's",
       [](const std::string& d) {
         write(d + "/mine.txt", kUsers);
         return d + "/mine.txt";
       },
       false, "exists; pass --force to replace it", "mine.txt"},
      {"a link to a file of the user's",
       [](const std::string& d) {
         write(d + "/mine.txt", kUsers);
         fs::create_symlink(d + "/mine.txt", d + "/link.txt");
         return d + "/link.txt";
       },
       false, "exists; pass --force to replace it", "mine.txt"},
      {"a link to nothing",
       [](const std::string& d) {
         fs::create_symlink(d + "/nowhere.txt", d + "/dangling.txt");
         return d + "/dangling.txt";
       },
       false, "exists; pass --force to replace it", ""},
      {"an executable file, with --force",
       [](const std::string& d) {
         write(d + "/tool", "#!/bin/sh\necho the user's script\n");
         fs::permissions(d + "/tool", fs::perms(0755));
         return d + "/tool";
       },
       true, "is an executable file", "tool"},
      {"an executable file, without --force",
       [](const std::string& d) {
         write(d + "/tool", "#!/bin/sh\necho the user's script\n");
         fs::permissions(d + "/tool", fs::perms(0700));
         return d + "/tool";
       },
       false, "is an executable file", "tool"},
      {"a link to an executable file, with --force",
       [](const std::string& d) {
         write(d + "/tool", "#!/bin/sh\necho the user's script\n");
         fs::permissions(d + "/tool", fs::perms(0755));
         fs::create_symlink(d + "/tool", d + "/tool-link");
         return d + "/tool-link";
       },
       true, "is an executable file", "tool"},
      {"a file in an index, with --force", [](const std::string& d) { return d + "/idx/postlist.glass"; }, true,
       "index folder", ""},
      {"a new file in an index folder, with --force", [](const std::string& d) { return d + "/idx/out.txt"; }, true,
       "index folder", ""},
      {"a folder",
       [](const std::string& d) {
         fs::create_directories(d + "/sub");
         return d + "/sub";
       },
       false, "is a folder, not a regular file", ""},
      {"a folder, with --force",
       [](const std::string& d) {
         fs::create_directories(d + "/sub");
         return d + "/sub";
       },
       true, "is a folder, not a regular file", ""},
      {"a FIFO",
       [](const std::string& d) {
         REQUIRE(::mkfifo((d + "/fifo").c_str(), 0644) == 0);
         return d + "/fifo";
       },
       false, "is a named pipe, not a regular file", ""},
      {"a FIFO, with --force",
       [](const std::string& d) {
         REQUIRE(::mkfifo((d + "/fifo").c_str(), 0644) == 0);
         return d + "/fifo";
       },
       true, "is a named pipe, not a regular file", ""},
      {"a device, with --force", [](const std::string&) { return std::string("/dev/null"); }, true,
       "is a device, not a regular file", ""},
  };
  for (const Output& o : kOutputs) {
    for (const Case& c : cases) {
      DYNAMIC_SECTION(o.option << ": " << c.name) {
        TempDir tmp;
        const Setup s = make_setup(tmp);
        const std::string out = c.make(s.dir);
        std::vector<std::string> args = o.args(s, out);
        if (c.force) args.push_back("--force");
        const std::string postlist = read_file(s.db + "/postlist.glass");
        const fs::file_type kind = fs::symlink_status(out).type();
        INFO("quire " << joined(args));
        const RunResult r = quire_bounded(QUIRE_BINARY, args);
        INFO(r.out << r.err);
        if (*c.refusal == '\0') {
          CHECK(r.exit_code == 0);
          CHECK(fs::is_regular_file(out));
          CHECK(fs::file_size(out) > 0);
        } else {
          CHECK(r.exit_code == 2);
          CHECK_THAT(r.err, Catch::Contains(out) && Catch::Contains(c.refusal));
          CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);  // one line
          CHECK(!fs::exists(s.dir + "/bidx"));                       // refused before the import began
        }
        if (c.kept_path == "mine.txt") CHECK(read_file(s.dir + "/mine.txt") == kUsers);
        if (c.kept_path == "tool") {
          CHECK(read_file(s.dir + "/tool") == "#!/bin/sh\necho the user's script\n");
          CHECK((mode_of(s.dir + "/tool") & 0111) != 0);
        }
        if (*c.refusal != '\0') CHECK(fs::symlink_status(out).type() == kind);  // a link stays a link, a FIFO a FIFO
        CHECK(read_file(s.db + "/postlist.glass") == postlist);
        CHECK(!fs::exists(s.dir + "/nowhere.txt"));
        CHECK(leftovers(s.dir).empty());
        CHECK(leftovers(s.db).empty());
      }
    }
  }
}

TEST_CASE("rt11f: --force replaces an ordinary file whole, keeps its mode, and a link stays a link",
          "[rt11f][outputs]") {
  for (const Output& o : kOutputs) {
    for (const bool through_link : {false, true}) {
      DYNAMIC_SECTION(o.option << (through_link ? ": through a link" : ": the file")) {
        TempDir tmp;
        const Setup s = make_setup(tmp);
        write(s.dir + "/mine.txt", kUsers);
        REQUIRE(::chmod((s.dir + "/mine.txt").c_str(), 0640) == 0);
        if (through_link) fs::create_symlink("mine.txt", s.dir + "/link.txt");
        const std::string out = s.dir + (through_link ? "/link.txt" : "/mine.txt");
        std::vector<std::string> args = o.args(s, out);
        args.push_back("--force");
        INFO("quire " << joined(args));
        const RunResult r = quire_bounded(QUIRE_BINARY, args);
        INFO(r.out << r.err);
        CHECK(r.exit_code == 0);
        const std::string now = read_file(s.dir + "/mine.txt");
        CHECK(now != kUsers);
        CHECK(!now.empty());
        CHECK(mode_of(s.dir + "/mine.txt") == 0640);
        if (through_link) CHECK(fs::is_symlink(fs::symlink_status(out)));
        CHECK(leftovers(s.dir).empty());
        // The same command again without --force: the file is there now, and is refused.
        const RunResult again = quire_bounded(QUIRE_BINARY, o.args(s, out));
        INFO(again.err);
        CHECK(again.exit_code == 2);
        CHECK_THAT(again.err, Catch::Contains("pass --force"));
        CHECK(read_file(s.dir + "/mine.txt") == now);
      }
    }
  }
}

TEST_CASE("rt11f: the running quire program is never an output, even with --force or through a link",
          "[rt11f][outputs]") {
  // A copy of quire (81 MB: made once), run as itself: the build's own binary is never put at risk.
  static const TempDir bin;
  const std::string quire = bin.path() + "/quire";
  if (!fs::exists(quire)) {
    fs::copy_file(QUIRE_BINARY, quire);
    REQUIRE(::chmod(quire.c_str(), 0755) == 0);
    fs::create_symlink(quire, bin.path() + "/quire-link");
  }
  const std::string before = read_file(quire);
  for (const Output& o : kOutputs) {
    for (const auto& [label, out] : {std::pair<const char*, std::string>{"the program", quire},
                                     std::pair<const char*, std::string>{"a link to it", bin.path() + "/quire-link"}}) {
      DYNAMIC_SECTION(o.option << ": " << label) {
        TempDir tmp;
        const Setup s = make_setup(tmp);
        std::vector<std::string> args = o.args(s, out);
        args.push_back("--force");
        INFO("quire " << joined(args));
        const RunResult r = quire_bounded(quire, args);
        INFO(r.out << r.err);
        CHECK(r.exit_code == 2);
        CHECK_THAT(r.err, Catch::Contains(out) && Catch::Contains("is the quire program that is running"));
        CHECK(read_file(quire) == before);
        CHECK(mode_of(quire) == 0755);
        CHECK(leftovers(bin.path()).empty());
      }
    }
  }
}

TEST_CASE("rt11f: a document of the very collection exported is refused as an existing file", "[rt11f][outputs]") {
  TempDir tmp;
  const Setup s = make_setup(tmp, true);
  const std::string doc = s.dir + "/docs/a.txt";
  const std::string before = read_file(doc);
  const RunResult r = run_quire({"collection", "export", "c1", "--format", "ris", "--db", s.db, "--output", doc});
  INFO(r.err);
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("--output " + doc) && Catch::Contains("pass --force"));
  CHECK(read_file(doc) == before);
  CHECK(run_quire({"search", "--db", s.db, "corridor"}).exit_code == 0);
}

TEST_CASE("rt11f: --force is refused where a command writes no file", "[rt11f][outputs]") {
  // --force only ever allows a replace the command was asked to write: it is no switch for anything else.
  TempDir tmp;
  const Setup s = make_setup(tmp);
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"collection", "export", "c1", "--format", "ris", "--db", s.db, "--force"},
        std::vector<std::string>{"batch", "--db", s.db, "--force", s.queries},
        std::vector<std::string>{"import", "beir", s.beir, "--split", "test", "--db", s.dir + "/bidx", "--force"}}) {
    INFO(joined(args));
    const RunResult r = run_quire(args);
    INFO(r.err);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("--force"));
    CHECK(!fs::exists(s.dir + "/bidx"));
  }
}

// ---- Row 11: a creation marker is proof only in the whole form quire writes ------------------------------

TEST_CASE("rt11f: a quire-creating marker that is not whole deletes nothing", "[rt11f][marker]") {
  const char* const markers[] = {
      "quire creating an index\n",
      "quire creating an index\npid 12\n",
      "quire creating an index\ntime 1700000000\n",
      "quire creating an index\npid \ntime 1700000000\n",
      "quire creating an index\npid x\ntime 1700000000\n",
      "quire creating an index\npid 12\ntime 1700000000",
      "quire creating an index\npid 12\ntime 1700000000\nmore\n",
      "quire creating an index\ntime 1700000000\npid 12\n",
  };
  for (const char* marker : markers) {
    DYNAMIC_SECTION(marker) {
      TempDir tmp;
      const std::string db = tmp.path() + "/t3";
      write(db + "/quire-creating", marker);
      write(db + "/termlist.glass", "user bytes\n");
      write(tmp.path() + "/more/a.txt", "Alpha text.\n");
      const RunResult r = run_quire({"index", "--db", db, tmp.path() + "/more"});
      INFO(r.out << r.err);
      CHECK(r.exit_code == 2);
      CHECK_THAT(r.err, Catch::Contains("holds a file named quire-creating that quire did not write") &&
                            Catch::Contains("nothing was deleted"));
      CHECK(read_file(db + "/termlist.glass") == "user bytes\n");
      CHECK(read_file(db + "/quire-creating") == marker);
    }
  }
  SECTION("the whole marker a killed quire left is its own: the torn index is cleared and made again") {
    TempDir tmp;
    const std::string db = tmp.path() + "/t3";
    write(db + "/quire-creating", "quire creating an index\npid 12\ntime 1700000000\n");
    write(db + "/termlist.glass", "a torn table\n");
    write(tmp.path() + "/more/a.txt", "Alpha text.\n");
    const RunResult r = run_quire({"index", "--db", db, tmp.path() + "/more"});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK(!fs::exists(db + "/quire-creating"));
  }
}

// ---- One offset limit: search, batch and serve say the same number -----------------------------------------

TEST_CASE("rt11f: search and batch take the same deepest offset", "[rt11f][offset]") {
  TempDir tmp;
  const Setup s = make_setup(tmp);
  const std::string ok = tmp.write("ok.jsonl", "{\"id\": \"a\", \"query\": \"pakistan\", \"offset\": 100000}\n");
  const std::string past = tmp.write("past.jsonl", "{\"id\": \"a\", \"query\": \"pakistan\", \"offset\": 100001}\n");
  const RunResult b_ok = run_quire({"batch", "--db", s.db, ok});
  INFO(b_ok.out << b_ok.err);
  CHECK(b_ok.exit_code == 0);
  const RunResult b_past = run_quire({"batch", "--db", s.db, past});
  INFO(b_past.out << b_past.err);
  CHECK(b_past.exit_code == 1);
  CHECK_THAT(b_past.out + b_past.err, Catch::Contains("from 0 to 100000"));
  CHECK(run_quire({"search", "--db", s.db, "--offset", "100000", "pakistan"}).exit_code != 2);
  const RunResult s_past = run_quire({"search", "--db", s.db, "--offset", "100001", "pakistan"});
  INFO(s_past.err);
  CHECK(s_past.exit_code == 2);
  CHECK_THAT(s_past.err, Catch::Contains("100000"));
}

// rt11g row 1 and rt11h row 8: the query file given as standard input ("-", the shell opening it) is
// the command's own input as much as the same file named; --force never replaces it.
TEST_CASE("rt11g: batch --timings refuses the file its standard input reads, even with --force",
          "[rt11g][outputs]") {
  TempDir tmp;
  const Setup s = make_setup(tmp);
  const std::string before = read_file(s.queries);
  for (const std::string force : {"", "--force "}) {
    const std::string cmd = std::string(QUIRE_BINARY) + " batch --db '" + s.db + "' --timings '" + s.queries +
                            "' " + force + "- < '" + s.queries + "'";
    const RunResult r = run_program({"sh", "-c", cmd});
    INFO(force << r.err);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("--timings " + s.queries + ": refused: it is the same file as standard input"));
    CHECK(read_file(s.queries) == before);
  }
  // Another file on standard input: the timings are written.
  const std::string other = s.dir + "/other.tsv";
  write(other, read_file(s.queries));
  const std::string cmd =
      std::string(QUIRE_BINARY) + " batch --db '" + s.db + "' --timings '" + s.dir + "/t.tsv' - < '" + other + "'";
  CHECK(run_program({"sh", "-c", cmd}).exit_code == 0);
  CHECK(fs::exists(s.dir + "/t.tsv"));
}
