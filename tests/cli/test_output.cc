// Nothing lost, nothing run (issue 11): output that cannot be written, Ctrl-C during long commands,
// requests that name one thing thousands of times, inputs that would leave an output empty, run tags
// quire eval cannot read, quire's own inputs inside a folder it indexes, a catalogue of 20,000 fields.
// Every case runs the built quire on real files; signals are sent on an exact event (the output shows
// an answer, the index folder exists), never after a sleep.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "quire/files.h"
#include "quire/index_db.h"
#include "quire/index_format.h"
#include "support.h"

using quire::test::corpus_index;
using quire::test::read_file;
using quire::test::run_quire;
using quire::test::RunResult;
using quire::test::source_dir;
using quire::test::TempDir;

namespace fs = std::filesystem;

namespace {

enum class Stdout { full, closed_pipe };

// Runs quire with standard output on /dev/full, or on a pipe whose reading end is closed before quire
// starts (every write is EPIPE). Standard input is `input`; standard error is captured.
RunResult run_with_stdout(Stdout where, const std::vector<std::string>& args, const std::string& input = "") {
  TempDir tmp;
  const std::string in_path = tmp.write("in", input), err_path = tmp.path() + "/err";
  int fds[2] = {-1, -1};
  if (where == Stdout::closed_pipe) {
    REQUIRE(::pipe(fds) == 0);
    ::close(fds[0]);
  }
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    const int in = ::open(in_path.c_str(), O_RDONLY);
    const int out = where == Stdout::full ? ::open("/dev/full", O_WRONLY) : fds[1];
    const int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(in, 0);
    ::dup2(out, 1);
    ::dup2(err, 2);
    ::signal(SIGPIPE, SIG_DFL);  // as a shell starts it
    std::vector<char*> argv = {const_cast<char*>(QUIRE_BINARY)};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(QUIRE_BINARY, argv.data());
    ::_exit(127);
  }
  if (fds[1] >= 0) ::close(fds[1]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  RunResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.err = read_file(err_path);
  return r;
}

// A quire started in the background with standard output on a pipe the test reads, SIGINT and SIGTERM
// ignored as a non-interactive shell leaves them for `quire ... &` (quire must take them back).
struct Background {
  pid_t pid = -1;
  int out = -1;
  std::string err_path;
  std::string seen;

  Background(const std::vector<std::string>& args, const std::string& err_file) : err_path(err_file) {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      ::close(fds[0]);
      const int in = ::open("/dev/null", O_RDONLY);
      const int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      ::dup2(in, 0);
      ::dup2(fds[1], 1);
      ::dup2(err, 2);
      ::signal(SIGINT, SIG_IGN);
      ::signal(SIGTERM, SIG_IGN);
      std::vector<char*> argv = {const_cast<char*>(QUIRE_BINARY)};
      for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      ::execv(QUIRE_BINARY, argv.data());
      ::_exit(127);
    }
    ::close(fds[1]);
    out = fds[0];
  }
  // Reads standard output until it holds `lines` lines (false: it ended first).
  bool wait_for_lines(std::size_t lines) {
    char buf[4096];
    while (static_cast<std::size_t>(std::count(seen.begin(), seen.end(), '\n')) < lines) {
      const ssize_t n = ::read(out, buf, sizeof buf);
      if (n <= 0) return false;
      seen.append(buf, static_cast<std::size_t>(n));
    }
    return true;
  }
  // Reads standard output to its end and waits: the exit code (128 + signal when killed).
  int finish() {
    char buf[4096];
    for (ssize_t n; (n = ::read(out, buf, sizeof buf)) > 0;) seen.append(buf, static_cast<std::size_t>(n));
    ::close(out);
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
};

std::string repeat_lines(const std::string& line, int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s += "q" + std::to_string(i) + "\t" + line + "\n";
  return s;
}

// A BEIR folder: corpus.jsonl of `documents` documents, queries.jsonl, and the qrels files given.
std::string make_beir(const TempDir& tmp, const std::string& name, int documents,
                      const std::vector<std::pair<std::string, std::string>>& qrels) {
  std::string corpus;
  for (int i = 0; i < documents; ++i)
    corpus += nlohmann::json{{"_id", "d" + std::to_string(i)},
                             {"title", "Report " + std::to_string(i)},
                             {"text", "cells and proteins of patients in study number " + std::to_string(i)}}
                  .dump() +
              "\n";
  tmp.write(name + "/corpus.jsonl", corpus);
  tmp.write(name + "/queries.jsonl", "{\"_id\": \"1\", \"text\": \"cells\"}\n{\"_id\": \"2\", \"text\": \"study\"}\n");
  for (const auto& [file, text] : qrels) tmp.write(name + "/qrels/" + file, text);
  return tmp.path() + "/" + name;
}

// Files whose names start with "." in `dir`: temporaries a stopped write must not leave.
std::vector<std::string> hidden_files(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().filename().string()[0] == '.') names.push_back(e.path().filename().string());
  return names;
}

}  // namespace

// ---- 1. Standard output that cannot be written ----

TEST_CASE(
    "output: every command that prints says so when standard output is full, exit 2, a closed pipe is "
    "silent, exit 141",
    "[output]") {
  TempDir tmp;
  const std::string db = tmp.path() + "/idx";
  REQUIRE(run_quire({"index", "--db", db, source_dir() + "/corpus"}).exit_code == 0);
  REQUIRE(run_quire({"collection", "new", "all", "--db", db, "--query", "pakistan OR china"}).exit_code == 0);
  const std::string queries = tmp.write("q.tsv", repeat_lines("pakistan", 50));
  const std::string run = tmp.write("run.txt", "q1 Q0 004_6df24a687365973f 1 3.5 t\n");
  const std::string qrels = tmp.write("qrels.txt", "q1 0 004_6df24a687365973f 1\n");
  const std::string doc = source_dir() + "/corpus/000_3e2589484e9b92d1.xml";
  const std::string beir = make_beir(tmp, "beir", 20, {{"test.tsv", "query-id\tcorpus-id\tscore\n1\td1\t1\n"}});
  struct Case {
    std::vector<std::string> args;
    std::string input;
  };
  const std::vector<Case> cases = {
      {{"search", "--db", db, "pakistan"}, ""},
      {{"search", "--db", db, "--json", "--limit", "500", "pakistan"}, ""},
      {{"search", "--db", db, "--format", "csv", "pakistan"}, ""},
      {{"search", "--db", db, "--html", "pakistan"}, ""},
      {{"facets", "--db", db}, ""},
      {{"facets", "--db", db, "--json"}, ""},
      {{"info", "--db", db}, ""},
      {{"info", "--db", db, "--json"}, ""},
      {{"info", "--db", db, "--digest"}, ""},
      {{"collection", "export", "all", "--db", db, "--format", "ris"}, ""},
      {{"collection", "list", "--db", db}, ""},
      {{"collection", "show", "all", "--db", db}, ""},
      {{"collection", "show", "all", "--db", db, "--json"}, ""},
      {{"collection", "refresh", "all", "--db", db}, ""},
      {{"batch", "--db", db, queries}, ""},
      {{"batch", "--db", db, "--format", "trec", queries}, ""},
      {{"batch", "--db", db, "--format", "tsv", "-"}, "q1\tchina\n"},
      {{"eval", run, qrels}, ""},
      {{"eval", "--json", run, qrels}, ""},
      {{"convert", doc}, ""},
      {{"convert", "--text", doc}, ""},
      {{"tag", doc}, ""},
      {{"tag", "--jsonl"}, "{\"id\": \"a\", \"passages\": [\"Pakistan and China\"]}\n"},
      {{"index", "--db", tmp.path() + "/idx2", doc}, ""},
      {{"import", "beir", beir, "--split", "test", "--db", tmp.path() + "/beir-idx"}, ""},
      {{"--help"}, ""},
      {{"search", "--help"}, ""},
      {{"--version"}, ""},
  };
  for (const auto& c : cases) {
    std::string line;
    for (const auto& a : c.args) line += a + " ";
    INFO("quire " << line);
    const RunResult full = run_with_stdout(Stdout::full, c.args, c.input);
    INFO("to /dev/full: " << full.err);
    CHECK(full.exit_code == 2);
    CHECK_THAT(full.err,
               Catch::Contains("quire: cannot write output: ") && Catch::Contains("(No space left on device)"));
    const RunResult pipe = run_with_stdout(Stdout::closed_pipe, c.args, c.input);
    INFO("to a closed pipe: " << pipe.err);
    CHECK(pipe.exit_code == 141);
    CHECK_THAT(pipe.err, !Catch::Contains("cannot write") && !Catch::Contains("Broken pipe") &&
                             !Catch::Contains("internal error"));
  }
}

TEST_CASE("output: a batch stops at the first answer it cannot write, and its timings are not written", "[output]") {
  TempDir tmp;
  const std::string queries = tmp.write("q.tsv", repeat_lines("pakistan", 20000));
  const std::string timings = tmp.path() + "/timings.tsv";
  for (const Stdout where : {Stdout::full, Stdout::closed_pipe}) {
    const RunResult r = run_with_stdout(where, {"batch", "--db", corpus_index(), "--timings", timings, queries});
    INFO(r.err);
    CHECK(r.exit_code == (where == Stdout::full ? 2 : 141));
    CHECK_THAT(r.err, !Catch::Contains("20000 queries"));  // the summary of a batch run to its end
    CHECK_FALSE(fs::exists(timings));
    CHECK(hidden_files(tmp.path()).empty());
  }
}

TEST_CASE("output: standard error that cannot be written makes a clean run exit 2", "[output]") {
  // `quire batch` reports its summary on standard error; a user who cannot see it must see the exit code.
  TempDir tmp;
  const std::string queries = tmp.write("q.tsv", "q1\tpakistan\n");
  const RunResult r = quire::test::run_program(
      {"sh", "-c", "\"$0\" batch --db \"$1\" \"$2\" 2>/dev/full", QUIRE_BINARY, corpus_index(), queries});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.out, Catch::Contains("\"id\":\"q1\""));
}

// ---- 2. SIGINT and SIGTERM during long commands ----

TEST_CASE("signals: a batch stops on SIGINT or SIGTERM after the answer in hand, says so, exits 130 / 143",
          "[signals]") {
  TempDir tmp;
  const std::string queries = tmp.write("q.tsv", repeat_lines("pakistan OR chin*", 20000));
  for (const auto& [sig, code, name] : {std::tuple{SIGINT, 130, "SIGINT"}, std::tuple{SIGTERM, 143, "SIGTERM"}}) {
    const std::string timings = tmp.path() + "/timings.tsv";
    Background b({"batch", "--db", corpus_index(), "--format", "tsv", "--limit", "1", "--timings", timings, queries},
                 tmp.path() + "/err");
    REQUIRE(b.wait_for_lines(3));  // three answers printed: the batch is running
    ::kill(b.pid, sig);
    const int rc = b.finish();
    const std::string err = read_file(b.err_path);
    INFO(err);
    CHECK(rc == code);
    CHECK_THAT(err, Catch::Contains(std::string("quire: stopped by ") + name + ": batch: ") &&
                        Catch::Contains("queries answered and printed; --timings not written"));
    CHECK(std::count(b.seen.begin(), b.seen.end(), '\n') < 20000);
    CHECK_FALSE(fs::exists(timings));
    CHECK(hidden_files(tmp.path()).empty());
  }
}

TEST_CASE("signals: an import stops on SIGINT, keeps the documents finished and writes no query or qrels file",
          "[signals]") {
  TempDir tmp;
  const std::string beir = make_beir(tmp, "beir", 60000, {{"test.tsv", "query-id\tcorpus-id\tscore\n1\td1\t1\n"}});
  const std::string db = tmp.path() + "/idx";
  const std::string queries = tmp.path() + "/queries.tsv", qrels = tmp.path() + "/qrels.txt";
  Background b({"import", "beir", beir, "--split", "test", "--db", db, "--queries", queries, "--qrels", qrels},
               tmp.path() + "/err");
  // The exact event: the index exists, so the collection is read and its documents are being indexed.
  while (!fs::exists(db + "/iamglass")) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ::kill(b.pid, SIGINT);
  const int rc = b.finish();
  const std::string err = read_file(b.err_path);
  INFO(err);
  CHECK(rc == 130);
  CHECK_THAT(err, Catch::Contains("quire: stopped by SIGINT: import: the ") &&
                      Catch::Contains("no query or qrels file was written"));
  CHECK_THAT(b.seen, !Catch::Contains("imported beir"));
  CHECK_FALSE(fs::exists(queries));
  CHECK_FALSE(fs::exists(qrels));
  CHECK(hidden_files(tmp.path()).empty());
  // What was finished is a whole index; the same command again imports the rest.
  const RunResult again =
      run_quire({"import", "beir", beir, "--split", "test", "--db", db, "--queries", queries, "--qrels", qrels});
  INFO(again.err);
  CHECK(again.exit_code == 0);
  CHECK_THAT(again.out, Catch::Contains("imported beir: 60000 documents"));
}

TEST_CASE("signals: an output file written when a stop came is removed, not renamed over the old one", "[signals]") {
  TempDir tmp;
  const std::string out = tmp.write("export.csv", "old export\n");
  std::atomic<bool> stop{true};
  CHECK_THROWS_WITH(quire::write_output_file(out, "new export\n", &stop, quire::Existing::kReplace),
                    Catch::Contains("not written: stopped; the file is as it was"));
  CHECK(read_file(out) == "old export\n");
  CHECK(hidden_files(tmp.path()).empty());
  stop = false;
  quire::write_output_file(out, "new export\n", &stop, quire::Existing::kReplace);
  CHECK(read_file(out) == "new export\n");
}

// ---- 3. One request naming the same thing thousands of times ----

TEST_CASE("requests: repeated facets and filters are merged, and a request holds at most 64 filters", "[request]") {
  TempDir tmp;
  nlohmann::json facets = nlohmann::json::array(), same = nlohmann::json::array(), many = nlohmann::json::array();
  for (int i = 0; i < 5000; ++i) facets.push_back("actor");
  for (int i = 0; i < 5000; ++i) same.push_back("china");
  for (int i = 0; i < 65; ++i) many.push_back("y" + std::to_string(i));
  const std::string lines =
      nlohmann::json{{"id", "facets"}, {"query", "pakistan"}, {"facets", facets}}.dump() + "\n" +
      nlohmann::json{{"id", "same"}, {"query", "pakistan"}, {"filters", {{"actor", same}}}}.dump() + "\n" +
      nlohmann::json{{"id", "many"}, {"query", "pakistan"}, {"filters", {{"actor", many}}}}.dump() + "\n" +
      nlohmann::json{{"id", "unknown"}, {"query", "pakistan"}, {"facets", {"nope"}}}.dump() + "\n";
  const auto r = run_quire({"batch", "--db", corpus_index(), tmp.write("q.jsonl", lines)});
  INFO(r.err);
  CHECK(r.exit_code == 1);
  std::vector<nlohmann::json> out;
  std::istringstream in(r.out);
  for (std::string l; std::getline(in, l);) out.push_back(nlohmann::json::parse(l));
  REQUIRE(out.size() == 4);
  CHECK(out[0]["facets"].size() == 1);
  CHECK(out[1].contains("results"));
  CHECK_THAT(out[2].value("error", ""), Catch::Contains("at most 64 different filters"));
  CHECK_THAT(out[3].value("error", ""), Catch::Contains("unknown facet 'nope'"));
  CHECK_THAT(r.err, Catch::Contains("q.jsonl:3: actor: a request holds at most 64 different filters"));

  // The same bound through the options (search, facets, collection new share the parser).
  std::vector<std::string> args = {"search", "--db", corpus_index()};
  for (int i = 0; i < 65; ++i) args.insert(args.end(), {"--actor", "y" + std::to_string(i)});
  args.push_back("pakistan");
  const auto s = run_quire(args);
  CHECK(s.exit_code == 2);
  CHECK_THAT(s.err, Catch::Contains("--actor: a request holds at most 64 different filters"));
}

// ---- 4. An input that would leave an output empty ----

TEST_CASE("import: a missing or empty input that would leave an output empty is an error naming it",
          "[import][empty]") {
  TempDir tmp;
  const std::string beir = make_beir(tmp, "beir", 3,
                                     {{"train.tsv", "query-id\tcorpus-id\tscore\n1\td1\t1\n"},
                                      {"empty.tsv", "query-id\tcorpus-id\tscore\n"},
                                      {"other.tsv", "query-id\tcorpus-id\tscore\n99\td1\t1\n"}});
  tmp.write("cisi/CISI.ALL", ".I 1\n.T\nA report\n.W\nText of a report on cells.\n");
  tmp.write("cisi/CISI.QRY", ".I 1\n.W\ncells\n");
  tmp.write("cisi/CISI.REL", "");
  tmp.write("cisi2/CISI.ALL", ".I 1\n.T\nA report\n.W\nText of a report on cells.\n");
  tmp.write("cisi2/CISI.QRY", "");
  tmp.write("cisi2/CISI.REL", "1 1 0 0\n");
  const std::string q = tmp.path() + "/queries.tsv", j = tmp.path() + "/qrels.txt";
  struct Case {
    const char* what;
    std::vector<std::string> args;
    std::string names;    ///< the file the message names
    std::string because;  ///< and why
  };
  const Case cases[] = {
      {"BEIR without --split (SciFact has train only)",
       {"beir", beir, "--qrels", j},
       beir,
       "give --split SPLIT; it has empty, other, train"},
      {"BEIR, an empty split",
       {"beir", beir, "--split", "empty", "--qrels", j},
       beir + "/qrels/empty.tsv",
       "holds no judgments"},
      {"BEIR, a split that does not exist",
       {"beir", beir, "--split", "test", "--qrels", j},
       beir + "/qrels/test.tsv",
       "not found (is 'test' a split of this collection?; it has empty, other, train)"},
      {"BEIR, no query judged in the split",
       {"beir", beir, "--split", "other", "--queries", q},
       beir + "/queries.jsonl",
       "holds no queries judged in qrels/other.tsv"},
      {"CISI, an empty CISI.REL",
       {"cisi", tmp.path() + "/cisi", "--qrels", j},
       tmp.path() + "/cisi/CISI.REL",
       "holds no judgments"},
      {"CISI, an empty CISI.QRY",
       {"cisi", tmp.path() + "/cisi2", "--queries", q},
       tmp.path() + "/cisi2/CISI.QRY",
       "holds no queries"},
  };
  for (const auto& c : cases) {
    SECTION(c.what) {
      std::vector<std::string> args = {"import"};
      args.insert(args.end(), c.args.begin(), c.args.end());
      args.insert(args.end(), {"--db", tmp.path() + "/idx"});
      const auto r = run_quire(args);
      INFO(r.err);
      CHECK(r.exit_code == 2);
      CHECK_THAT(r.err, Catch::Contains(c.names) && Catch::Contains(c.because));
      CHECK_FALSE(fs::exists(q));
      CHECK_FALSE(fs::exists(j));
      CHECK_FALSE(fs::exists(tmp.path() + "/idx"));  // refused before anything was indexed
    }
  }
  SECTION("BEIR with its split: both files written") {
    const auto r = run_quire(
        {"import", "beir", beir, "--split", "train", "--queries", q, "--qrels", j, "--db", tmp.path() + "/idx"});
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(read_file(q) == "1\tcells\n");
    CHECK(read_file(j) == "1 0 d1 1\n");
  }
}

// ---- 5. Run tags ----

TEST_CASE("batch: a run tag quire eval could not read is refused at the option", "[batch][run-tag]") {
  TempDir tmp;
  const std::string queries = tmp.write("q.tsv", "q1\tnuclear\n");
  for (const std::string& tag : std::vector<std::string>{"my run", "", "a\tb", "x\ny", std::string(201, 'a')}) {
    for (const std::string format : {"trec", "tsv"}) {
      const auto r = run_quire({"batch", "--db", corpus_index(), "--format", format, "--run-tag", tag, queries});
      INFO(tag);
      CHECK(r.exit_code == 2);
      CHECK_THAT(r.err, Catch::Contains("batch: --run-tag "));
      CHECK(r.out.empty());
    }
  }
  const auto r = run_quire({"batch", "--db", corpus_index(), "--format", "trec", "--run-tag", "my-run_2", queries});
  REQUIRE(r.exit_code == 0);
  const std::string run = tmp.write("run.txt", r.out);
  const std::string qrels = tmp.write("qrels", "q1 0 004_6df24a687365973f 1\n");
  const auto e = run_quire({"eval", run, qrels});
  INFO(e.err);
  CHECK(e.exit_code == 0);
}

// ---- 6. quire's own inputs inside the folder it indexes ----

TEST_CASE("index: the metadata map and its tables inside the folder indexed are reported, not indexed",
          "[index][metadata]") {
  TempDir tmp;
  tmp.write("docs/a.txt", "Text of report a about nuclear weapons.\n");
  tmp.write("docs/b.txt", "Text of report b about sanctions.\n");
  const std::string map = tmp.write("docs/metadata.xml", R"(<metadata version="1">
  <files name="{stem}.txt">
    <table file="cat.tsv" format="tsv" match="file={stem}"/>
    <field name="title">{title}</field>
  </files>
</metadata>
)");
  tmp.write("docs/cat.tsv", "file\ttitle\na\tReport A\nb\tReport B\n");
  fs::create_hard_link(tmp.path() + "/docs/cat.tsv", tmp.path() + "/docs/catalogue.txt");
  const auto r = run_quire({"index", "--db", tmp.path() + "/idx", "--metadata", map, tmp.path() + "/docs"});
  INFO(r.out + r.err);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::StartsWith("indexed 2 of 2 files"));
  CHECK_THAT(r.err, Catch::Contains("metadata.xml: not indexed: it is the metadata map given with --metadata"));
  CHECK_THAT(r.err, Catch::Contains("catalogue.txt: not indexed: it is a table of the metadata map given with "
                                    "--metadata"));
  const auto s = run_quire({"search", "--db", tmp.path() + "/idx", "--json", "report"});
  CHECK(nlohmann::json::parse(s.out)["total"] == 2);
}

// ---- 7. A catalogue of 20,000 field names ----

TEST_CASE("hostile index: a catalogue naming more fields than quire reads is refused, with the limit",
          "[hostile][catalogue]") {
  TempDir tmp;
  const std::string db = tmp.path() + "/idx";
  REQUIRE(run_quire({"index", "--db", db, source_dir() + "/corpus"}).exit_code == 0);
  const auto names = [](std::size_t n) {
    std::string s;
    for (std::size_t i = 0; i < n; ++i) s += "f" + std::to_string(i) + "\n";
    return s;
  };
  const auto set_extra = [&](const std::string& value) {
    Xapian::WritableDatabase w = quire::open_index_for_writing(db, Xapian::DB_OPEN);
    w.set_metadata(std::string(quire::format::kKeyExtraFields), value);
    w.commit();
  };
  set_extra(names(quire::format::kMaxCatalogueFields) + names(50));  // repeats count once
  auto r = run_quire({"search", "--db", db, "--json", "pakistan"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  r = run_quire({"search", "--db", db, "f999:x OR pakistan"});
  CHECK(r.exit_code == 0);
  set_extra(names(20000));
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"search", "--db", db, "pakistan"}, {"facets", "--db", db}, {"info", "--db", db}}) {
    r = run_quire(args);
    INFO(args[0] << ": " << r.err);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("names more than 1000 catalogue fields (quire:extra)"));
  }
}
