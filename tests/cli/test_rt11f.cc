// The rt11f red team's findings (issue 11, docs/red-team/2026-12-01-reliability-rt11f.md) run through
// `quire` on real files: a manifest of thousands of collections, malformed NEAR/n and ADJ/n windows,
// the facets JSON's total_exact, duplicate query ids and JSON keys in a batch, bidi controls in titles,
// a sharded index with a shard folder gone, and the words for what a --db path is.
#include <sys/stat.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "support.h"

using quire::test::read_file;
using quire::test::run_quire;
using quire::test::source_dir;
using quire::test::TempDir;
using quire::test::write;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  return lines;
}

// An index of the bundled corpus of its own (the tests change its collections).
std::string own_index(const TempDir& dir) {
  const std::string db = dir.path() + "/index";
  const auto r = run_quire({"index", "--db", db, source_dir() + "/corpus"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return db;
}

// U+202E RIGHT-TO-LEFT OVERRIDE and U+2066 LEFT-TO-RIGHT ISOLATE.
const std::string kRLO = "\xE2\x80\xAE", kLRI = "\xE2\x81\xA6";

}  // namespace

TEST_CASE("rt11f: collection list, show, export, new and delete work on a manifest of 2,000 collections",
          "[rt11f][collections]") {
  TempDir dir;
  const std::string db = own_index(dir);
  REQUIRE(run_quire({"collection", "new", "seed", "--query", "pakistan", "--db", db}).exit_code == 0);
  // The seed copied 2,000 times, each with 95 more ids, as a received index may hold them (4 MB). A list
  // that read the whole manifest once per collection took minutes here (25 s at 600).
  const std::string manifest = db + "/quire-manifest.json";
  nlohmann::json m = nlohmann::json::parse(read_file(manifest));
  const nlohmann::json seed = m["collections"]["seed"];
  REQUIRE(seed["matched"].size() == 5);
  nlohmann::json all = nlohmann::json::object();
  constexpr int kCollections = 2000;
  for (int i = 0; i < kCollections; ++i) {
    char name[16];
    std::snprintf(name, sizeof name, "c%05d", i);
    nlohmann::json c = seed;
    c["name"] = name;
    for (int k = 0; k < 95; ++k) c["matched"].push_back("gone-" + std::to_string(k));
    all[name] = c;
  }
  all["seed"] = seed;
  m["collections"] = all;
  write(manifest, m.dump(1));
  REQUIRE(fs::file_size(manifest) > 3'000'000);

  const auto list = run_quire({"collection", "list", "--db", db});
  INFO(list.err);
  REQUIRE(list.exit_code == 0);
  const auto lines = lines_of(list.out);
  REQUIRE(lines.size() == kCollections + 1);
  CHECK(lines.front() == "c00000\t100 documents\tpakistan");
  CHECK(lines[1999] == "c01999\t100 documents\tpakistan");
  CHECK(lines.back() == "seed\t5 documents\tpakistan");

  const auto show = run_quire({"collection", "show", "c01234", "--db", db, "--json"});
  REQUIRE(show.exit_code == 0);
  CHECK(nlohmann::json::parse(show.out)["documents"].size() == 100);
  const auto exported = run_quire({"collection", "export", "seed", "--format", "ris", "--db", db});
  REQUIRE(exported.exit_code == 0);
  CHECK(lines_of(exported.out).size() > 5);
  REQUIRE(run_quire({"collection", "delete", "c00007", "--db", db}).exit_code == 0);
  REQUIRE(run_quire({"collection", "new", "fresh", "--query", "china", "--db", db}).exit_code == 0);
  const auto add = run_quire({"collection", "exclude", "c00008", "gone-1", "gone-2", "--db", db});
  REQUIRE(add.exit_code == 0);
  CHECK(add.out == "c00008: 98 documents\n");
  const auto again = run_quire({"collection", "list", "--db", db});
  REQUIRE(again.exit_code == 0);
  const auto after = lines_of(again.out);
  CHECK(after.size() == kCollections + 1);
  CHECK(std::count(after.begin(), after.end(), "c00007\t100 documents\tpakistan") == 0);
  CHECK(std::count_if(after.begin(), after.end(), [](const std::string& l) { return l.rfind("fresh\t", 0) == 0; }) ==
        1);
}

TEST_CASE("rt11f: a malformed NEAR/n or ADJ/n is a bad query in search, batch and facets", "[rt11f][query]") {
  const std::string db = quire::test::corpus_index();
  struct Case {
    const char* query;
    const char* shown;
  };
  const Case cases[] = {
      {"peace NEAR/0 war", "'NEAR/0' at character 7"},
      {"peace ADJ/-1 war", "'ADJ/-1' at character 7"},
      {"peace NEAR/x war", "'NEAR/x' at character 7"},
      {"a NEAR/99999999999 b", "'NEAR/99999999999' at character 3"},
      {"a NEAR/4294967297 b", "'NEAR/4294967297' at character 3"},
      {"a ADJ/1001 b", "'ADJ/1001' at character 3"},
      {"NEAR/999999999 a b", "'NEAR/999999999' at character 1"},
      {"pakistan NEAR/5", "'NEAR/5' at character 10 needs a term on each side"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.query) {
      for (const std::string command : {"search", "facets"}) {
        const auto r = run_quire({command, "--db", db, c.query});
        INFO(command << ": " << r.err);
        CHECK(r.exit_code == 2);
        CHECK(r.out.empty());
        CHECK_THAT(r.err, Catch::StartsWith(std::string("quire: bad query: ") + c.shown));
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
      }
    }
  }
  // A window that is fine is searched as one.
  CHECK(run_quire({"search", "--db", db, "pakistan NEAR/1000 china"}).exit_code == 0);
  // In a batch: the bad line is reported and skipped, the batch goes on, exit 1.
  TempDir tmp;
  const auto file = tmp.write("q.tsv", "a\tpeace NEAR/0 war\nb\tpakistan\nc\tpeace ADJ/-1 war\n");
  const auto b = run_quire({"batch", "--db", db, "--format", "trec", file});
  CHECK(b.exit_code == 1);
  CHECK_THAT(b.err, Catch::Contains(file + ":1: bad query: 'NEAR/0' at character 7"));
  CHECK_THAT(b.err, Catch::Contains(file + ":3: bad query: 'ADJ/-1' at character 7"));
  CHECK_THAT(b.err, Catch::Contains("3 queries, 2 failed"));
  for (const auto& line : lines_of(b.out)) CHECK(line.rfind("b Q0 ", 0) == 0);
  CHECK_FALSE(b.out.empty());
}

TEST_CASE("rt11f: quire facets --json says total_exact as quire search --json does", "[rt11f][facets]") {
  const std::string db = quire::test::corpus_index();
  const auto f = run_quire({"facets", "--db", db, "--json", "--facets", "actor", "pakistan"});
  REQUIRE(f.exit_code == 0);
  const auto j = nlohmann::json::parse(f.out);
  REQUIRE(j.contains("total_exact"));
  CHECK(j["total_exact"] == true);
  const auto s = nlohmann::json::parse(run_quire({"search", "--db", db, "--json", "--exact", "pakistan"}).out);
  CHECK(j["total"] == s["total"]);
  CHECK(j["total_exact"] == s["total_exact"]);
  // Cut by --timeout-ms (when 1 ms is short enough here), the total is not called exact.
  const auto t = run_quire({"facets", "--db", db, "--json", "--timeout-ms", "1", "the"});
  if (t.exit_code == 0) {
    const auto tj = nlohmann::json::parse(t.out);
    REQUIRE(tj.contains("total_exact"));
    if (tj.value("timed_out", false)) CHECK(tj["total_exact"] == false);
  }
}

TEST_CASE("rt11f: batch refuses a query id given twice and a JSON key given twice, and goes on", "[rt11f][batch]") {
  const std::string db = quire::test::corpus_index();
  TempDir tmp;
  const auto file = tmp.write("q.txt",
                              "{\"id\": \"l11\", \"query\": \"pakistan\"}\n"
                              "{\"id\": \"l11\", \"query\": \"china\"}\n"
                              "l12\tcorridor\n"
                              "# a comment\n"
                              "l12\tgwadar\n"
                              "{\"id\": \"l13\", \"query\": \"pakistan\", \"query\": \"china\"}\n"
                              "{\"id\": \"l14\", \"id\": \"l15\", \"query\": \"china\"}\n"
                              "{\"id\": \"l16\", \"query\": \"china\", \"filters\": {\"actor\": \"china\", "
                              "\"actor\": \"india\"}}\n"
                              "l17\tchina\n");
  for (const std::string format : {"trec", "tsv", "jsonl"}) {
    DYNAMIC_SECTION(format) {
      const auto r = run_quire({"batch", "--db", db, "--format", format, file});
      INFO(r.err);
      CHECK(r.exit_code == 1);
      CHECK_THAT(r.err, Catch::Contains("quire: " + file + ":2: duplicate query id \"l11\" (first at line 1)\n"));
      CHECK_THAT(r.err, Catch::Contains("quire: " + file + ":5: duplicate query id \"l12\" (first at line 3)\n"));
      CHECK_THAT(r.err, Catch::Contains("quire: " + file + ":6: duplicate key \"query\"\n"));
      CHECK_THAT(r.err, Catch::Contains("quire: " + file + ":7: duplicate key \"id\"\n"));
      CHECK_THAT(r.err, Catch::Contains("quire: " + file + ":8: duplicate key \"actor\"\n"));
      CHECK_THAT(r.err, Catch::Contains("8 queries, 5 failed"));
      // The first line with an id runs, and the good lines after the bad ones.
      std::set<std::string> answered;
      for (const auto& line : lines_of(r.out)) {
        if (format == "jsonl") {
          const auto j = nlohmann::json::parse(line);
          if (!j.contains("error")) answered.insert(j["id"].get<std::string>());
        } else {
          answered.insert(line.substr(0, line.find_first_of(" \t")));
        }
      }
      CHECK(answered == std::set<std::string>{"l11", "l12", "l17"});
      if (format == "trec") {
        // l11 holds one topic: pakistan's results, not china's as well.
        const auto alone =
            run_quire({"batch", "--db", db, "--format", "trec", tmp.write("one.tsv", "l11\tpakistan\n")});
        std::string l11;
        for (const auto& line : lines_of(r.out))
          if (line.rfind("l11 ", 0) == 0) l11 += line + "\n";
        CHECK(l11 == alone.out);
      }
    }
  }
}

TEST_CASE("rt11f: bidi controls in a title or author reach neither the terminal nor an export", "[rt11f][exports]") {
  TempDir dir;
  write(dir.path() + "/docs/bidi.xml",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<document version=\"1\" id=\"bidi\"><meta><title>Report x" + kRLO +
            "gpj.exe</title><authors><author>Ann " + kLRI +
            "Smith</author></authors></meta><body><section><p>The "
            "Sargasso Sea is the only sea without a coast.</p></section></body></document>\n");
  const std::string db = dir.path() + "/index";
  REQUIRE(run_quire({"index", "--db", db, dir.path() + "/docs"}).exit_code == 0);
  REQUIRE(run_quire({"collection", "new", "sea", "--query", "sargasso", "--db", db}).exit_code == 0);
  const std::vector<std::vector<std::string>> terminal = {
      {"search", "--db", db, "--color", "never", "sargasso"},
      {"search", "--db", db, "--color", "never", "--passages", "sargasso"},
      {"collection", "show", "sea", "--db", db},
      {"collection", "refresh", "sea", "--db", db}};
  for (const auto& args : terminal) {
    const auto r = run_quire(args);
    INFO(args[0] << " " << args[args.size() - 1] << ": " << r.out);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find(kRLO) == std::string::npos);
    CHECK(r.out.find(kLRI) == std::string::npos);
  }
  CHECK_THAT(run_quire({"search", "--db", db, "--color", "never", "sargasso"}).out,
             Catch::Contains("Report x\\u202egpj.exe"));
  for (const std::string format : {"ris", "bibtex", "csv", "csl-json", "jsonl"}) {
    for (const auto& args :
         std::vector<std::vector<std::string>>{{"search", "--db", db, "--format", format, "sargasso"},
                                               {"collection", "export", "sea", "--format", format, "--db", db}}) {
      const auto r = run_quire(args);
      INFO(args[0] << " " << format);
      REQUIRE(r.exit_code == 0);
      CHECK(r.out.find(kRLO) == std::string::npos);
      CHECK(r.out.find(kLRI) == std::string::npos);
      CHECK_THAT(r.out, Catch::Contains("Report xgpj.exe"));
    }
  }
  // search --json keeps the stored text exactly: a program reads it, not a person.
  const auto j = nlohmann::json::parse(run_quire({"search", "--db", db, "--json", "sargasso"}).out);
  CHECK(j["results"][0]["title"] == "Report x" + kRLO + "gpj.exe");
}

TEST_CASE("rt11f: a sharded index with a shard folder gone is damaged, not an index to create", "[rt11f][shards]") {
  for (const std::string gone : {"shard1", "shard0"}) {
    DYNAMIC_SECTION(gone) {
      TempDir dir;
      const std::string db = dir.path() + "/idx";
      REQUIRE(run_quire({"index", "--db", db, "--shards", "3", source_dir() + "/corpus"}).exit_code == 0);
      REQUIRE(run_quire({"collection", "new", "keep", "--query", "pakistan", "--db", db}).exit_code == 0);
      fs::remove_all(db + "/" + gone);
      const std::string want =
          "quire: index " + db + " is damaged: " + gone + " is missing; rebuild it with 'quire index --rebuild'\n";
      for (const auto& args :
           std::vector<std::vector<std::string>>{{"search", "--db", db, "pakistan"},
                                                 {"info", "--db", db},
                                                 {"collection", "list", "--db", db},
                                                 {"collection", "new", "more", "--query", "china", "--db", db},
                                                 {"index", "--db", db, source_dir() + "/corpus"}}) {
        const auto r = run_quire(args);
        INFO(args[0]);
        CHECK(r.exit_code == 2);
        CHECK(r.err == want);
        CHECK_FALSE(fs::exists(db + "/" + gone));  // no stray index made where the shard was
      }
      // The rebuild the message names brings it back, with its collection.
      const auto rebuild = run_quire({"index", "--rebuild", "--db", db, source_dir() + "/corpus"});
      INFO(rebuild.err);
      CHECK(rebuild.exit_code == 0);
      CHECK(run_quire({"search", "--db", db, "pakistan"}).exit_code == 0);
      CHECK_THAT(run_quire({"collection", "list", "--db", db}).out, Catch::StartsWith("keep\t"));
    }
  }
  SECTION("a shard folder that is a file or empty") {
    TempDir dir;
    const std::string db = dir.path() + "/idx";
    REQUIRE(run_quire({"index", "--db", db, "--shards", "2", source_dir() + "/corpus"}).exit_code == 0);
    fs::remove_all(db + "/shard1");
    fs::create_directory(db + "/shard1");
    CHECK(run_quire({"search", "--db", db, "x"}).err ==
          "quire: index " + db + " is damaged: shard1 is empty; rebuild it with 'quire index --rebuild'\n");
    fs::remove(db + "/shard1");
    write(db + "/shard1", "x");
    CHECK(run_quire({"search", "--db", db, "x"}).err == "quire: index " + db +
                                                            " is damaged: shard1 is a file, not a folder; rebuild "
                                                            "it with 'quire index --rebuild'\n");
  }
}

TEST_CASE("rt11f: a --db that is a device, a named pipe or a socket is called so", "[rt11f][files]") {
  TempDir dir;
  const std::string fifo = dir.path() + "/pipe";
  REQUIRE(::mkfifo(fifo.c_str(), 0644) == 0);
  const std::string file = dir.write("file", "remote :/bin/true\n");
  struct Case {
    std::string db, kind;
  };
  const Case cases[] = {
      {"/dev/zero", "it is a device, not a folder"},
      {"/dev/null", "it is a device, not a folder"},
      {fifo, "it is a named pipe, not a folder"},
      {file, "it is a file, not a folder (quire never follows a Xapian stub file)"},
  };
  for (const auto& c : cases) {
    for (const auto& args :
         std::vector<std::vector<std::string>>{{"info", "--db", c.db}, {"search", "--db", c.db, "x"}}) {
      const auto r = run_quire(args);
      INFO(args[0] << " " << c.db);
      CHECK(r.exit_code == 2);
      CHECK(r.err == "quire: " + c.db + " is not a quire index: " + c.kind + "\n");
    }
  }
  // batch's query file and eval's run file take the same words.
  const auto b = run_quire({"batch", "--db", quire::test::corpus_index(), "/dev/zero"});
  CHECK(b.exit_code == 2);
  CHECK_THAT(b.err, Catch::Contains("/dev/zero: not a regular file or a pipe: it is a device"));
}
