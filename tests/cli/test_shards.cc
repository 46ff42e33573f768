// Several indexes searched as one (repeated --db, shard lists, xapian-tcpsrv shards): the same ranked
// ids, scores and facet counts as one index of the same speeches (docs/scale-out.md).
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "support.h"

using quire::test::read_file;
using quire::test::run_program;
using quire::test::run_quire;
using quire::test::shared_dir;
using quire::test::source_dir;
using quire::test::TempDir;

namespace fs = std::filesystem;

namespace {

const char* const kSessions[] = {"Session 18 - 1963", "Session 19 - 1964", "Session 20 - 1965"};

// Unpacks three sessions of UNGDC speeches (about 300) into `dir`/TXT. False if the data is not there.
bool unpack_sessions(const TempDir& dir) {
  const std::string data = shared_dir() + "/data/ungdc";
  if (!fs::exists(data + "/ungdc-txt.tar.xz")) return false;
  std::vector<std::string> cmd = {"tar", "-xJf", data + "/ungdc-txt.tar.xz", "-C", dir.path()};
  for (const char* s : kSessions) cmd.push_back(std::string("TXT/") + s);
  const auto r = run_program(cmd);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  // The map without its author field: a catalogue's people are tagged as actors, and they are the people
  // of the files indexed, so separate indexes of different files would tag a speech differently.
  std::string map = read_file(source_dir() + "/benchmarks/ungdc/metadata.xml");
  const std::size_t author = map.find("<field name=\"author\">");
  REQUIRE(author != std::string::npos);
  map.erase(author, map.find('\n', author) - author);
  std::ofstream(dir.path() + "/metadata.xml") << map;
  fs::copy_file(data + "/speakers_by_session.tsv", dir.path() + "/speakers_by_session.tsv");
  return true;
}

// xapian-tcpsrv serving `db` read-only on 127.0.0.1:`port`, stopped (by its pid) with this object.
class TcpServer {
 public:
  TcpServer(const std::string& db, int port) {
    pid_ = ::fork();
    if (pid_ == 0) {
      // Its own process group: on SIGTERM xapian-tcpsrv signals its whole group (its connection children).
      ::setpgid(0, 0);
      const std::string p = std::to_string(port);
      ::execlp("xapian-tcpsrv", "xapian-tcpsrv", "--interface", "127.0.0.1", "--port", p.c_str(), db.c_str(),
               static_cast<char*>(nullptr));
      ::_exit(127);
    }
  }
  ~TcpServer() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  TcpServer(const TcpServer&) = delete;
  TcpServer& operator=(const TcpServer&) = delete;

 private:
  pid_t pid_ = -1;
};

// The 200 queries: words, phrases, filters, every facet, passages mode, as batch JSONL lines.
std::string queries() {
  const char* const words[] = {"peace",
                               "nuclear",
                               "disarmament",
                               "colonialism",
                               "apartheid",
                               "development",
                               "trade",
                               "vietnam",
                               "kashmir",
                               "congo",
                               "charter",
                               "independence",
                               "hunger",
                               "refugees",
                               "cyprus",
                               "israel",
                               "berlin",
                               "economic",
                               "sovereignty",
                               "human rights",
                               "\"united nations\"",
                               "\"nuclear weapons\"",
                               "\"south africa\"",
                               "\"developing countries\"",
                               "test ban",
                               "security council",
                               "self-determination",
                               "aggression",
                               "outer space",
                               "food"};
  const char* const facets[] = {"actor", "theme", "published", "mentions", "speaker", "publisher", "dyad", "by"};
  std::ostringstream out;
  int n = 0;
  const auto line = [&](nlohmann::json j) {
    j["id"] = "q" + std::to_string(++n);
    j["limit"] = 20;
    j["exact"] = true;  // estimated totals depend on how the passages are spread over databases
    out << j.dump() << "\n";
  };
  for (const char* w : words) {
    line({{"query", w}, {"facets", facets}});
    line({{"query", w}, {"passages", true}, {"facets", {"actor", "theme"}}});
    line({{"query", w}, {"filters", {{"published", "1964"}}}, {"facets", {"by", "session"}}});
    line({{"query", w}, {"filters", {{"by", "pakistan"}}}});
    line({{"query", w}, {"plain", true}});
    line({{"query", std::string(w) + " -peace"}, {"facets", {"published"}}});
  }
  for (const char* t : {"nuclear", "trade", "conflict-peace", "human-rights", "security", "development-aid"})
    line({{"query", ""}, {"filters", {{"theme", t}}}, {"facets", facets}});
  for (const char* a : {"india", "pakistan", "france", "cuba", "china"}) {
    line({{"query", "security"}, {"filters", {{"actor", a}}}, {"facets", {"dyad", "actor"}}});
    line({{"query", "peace"}, {"filters", {{"by", a}}}, {"passages", true}});
  }
  while (n < 200) line({{"query", words[n % 30]}, {"facets", {"session", "speaker"}}, {"passages", n % 2 == 0}});
  return out.str();
}

// Batch results by query id.
std::map<std::string, nlohmann::json> batch(const std::vector<std::string>& dbs, const std::string& input) {
  std::vector<std::string> args = {"batch", "--threads", "1", input};
  for (const auto& d : dbs) args.insert(args.begin() + 1, {"--db", d});
  const auto r = run_quire(args);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  std::map<std::string, nlohmann::json> out;
  std::istringstream lines(r.out);
  for (std::string l; std::getline(lines, l);) {
    auto j = nlohmann::json::parse(l);
    if (!j.contains("id") || !j["id"].is_string()) FAIL("a batch line without an id: " << l.substr(0, 300));
    const std::string id = j["id"].get<std::string>();
    out[id] = std::move(j);
  }
  return out;
}

// Ranked ids, scores (within 1e-9), totals and facet counts agree.
void check_same(const std::map<std::string, nlohmann::json>& want, const std::map<std::string, nlohmann::json>& got,
                const std::string& setup) {
  REQUIRE(got.size() == want.size());
  std::size_t hits = 0, facet_values = 0;
  for (const auto& [id, w] : want) {
    const nlohmann::json& g = got.at(id);
    INFO(setup << ", query " << w.dump().substr(0, 300));
    REQUIRE(!w.contains("error"));
    REQUIRE(g["total"] == w["total"]);
    REQUIRE(g["results"].size() == w["results"].size());
    for (std::size_t i = 0; i < w["results"].size(); ++i) {
      CHECK(g["results"][i]["id"] == w["results"][i]["id"]);
      CHECK(g["results"][i]["title"] == w["results"][i]["title"]);
      CHECK(std::fabs(g["results"][i]["score"].get<double>() - w["results"][i]["score"].get<double>()) < 1e-9);
      ++hits;
    }
    CHECK(g.value("facets", nlohmann::json()) == w.value("facets", nlohmann::json()));
    if (w.contains("facets"))
      for (const auto& [name, values] : w["facets"].items()) facet_values += values.size();
  }
  // The comparison compared something: hits and facet values from every kind of query.
  CHECK(hits > 1000);
  CHECK(facet_values > 500);
}

}  // namespace

TEST_CASE("Shards: one index, three local shards and three xapian-tcpsrv shards give the same 200 answers",
          "[shards][ungdc]") {
  TempDir dir;
  if (!unpack_sessions(dir)) {
    WARN("skipped: " << shared_dir() << "/data/ungdc is not there");
    return;
  }
  const std::string map = dir.path() + "/metadata.xml";
  std::vector<std::string> one_args = {"index", "--db", dir.path() + "/one", "--metadata", map};
  std::vector<std::string> shards;
  for (int k = 0; k < 3; ++k) {
    const std::string folder = dir.path() + "/TXT/" + kSessions[k];
    one_args.push_back(folder);
    shards.push_back(dir.path() + "/shard" + std::to_string(k));
    const auto r = run_quire({"index", "--db", shards.back(), "--metadata", map, folder});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
  }
  auto r = run_quire(one_args);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const std::string input = dir.write("queries.jsonl", queries());
  const auto want = batch({dir.path() + "/one"}, input);
  REQUIRE(want.size() == 200);

  SECTION("repeated --db") { check_same(want, batch(shards, input), "three --db"); }
  SECTION("a shard list file, with its folders relative to it") {
    const std::string list = dir.write("shards.txt", "quire shards\n# three sessions\nshard0\n\nshard1\nshard2\n");
    check_same(want, batch({list}, input), "shard list");
    // quire info reports every shard, and their sum.
    r = run_quire({"info", "--json", "--db", list});
    REQUIRE(r.exit_code == 0);
    const auto info = nlohmann::json::parse(r.out);
    REQUIRE(info["shards"].size() == 3);
    std::size_t docs = 0;
    for (const auto& s : info["shards"]) docs += s["documents"].get<std::size_t>();
    CHECK(docs == info["documents"]);
    r = run_quire({"info", "--json", "--db", dir.path() + "/one"});
    CHECK(nlohmann::json::parse(r.out)["documents"] == info["documents"]);
    CHECK(nlohmann::json::parse(r.out)["passages"] == info["passages"]);
  }
  SECTION("three xapian-tcpsrv on loopback") {
    if (run_program({"xapian-tcpsrv", "--version"}).exit_code == 127) {
      FAIL("xapian-tcpsrv is not installed (scripts/install-deps installs xapian-tools)");
    }
    const int base = 20000 + static_cast<int>(::getpid() % 20000);
    std::vector<std::unique_ptr<TcpServer>> servers;
    std::string list = "quire shards\n";
    for (int k = 0; k < 3; ++k) {
      servers.push_back(std::make_unique<TcpServer>(shards[k], base + k));
      list += "tcp://127.0.0.1:" + std::to_string(base + k) + "\n";
    }
    const std::string file = dir.write("remote.txt", list);
    // The servers listen within a moment.
    for (int i = 0; i < 100 && run_quire({"info", "--db", file}).exit_code != 0; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    check_same(want, batch({file}, input), "remote shards");
    r = run_quire({"info", "--json", "--db", file});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const auto info = nlohmann::json::parse(r.out);
    REQUIRE(info["shards"].size() == 3);
    for (const auto& s : info["shards"]) CHECK(s["remote"] == true);
    CHECK(info["documents"] ==
          nlohmann::json::parse(run_quire({"info", "--json", "--db", dir.path() + "/one"}).out)["documents"]);
    // A search gives the same JSON as the one index.
    const auto a = run_quire({"search", "--json", "--db", file, "--facets", "actor,by", "disarmament"});
    const auto b = run_quire({"search", "--json", "--db", dir.path() + "/one", "--facets", "actor,by", "disarmament"});
    REQUIRE(a.exit_code == 0);
    CHECK(nlohmann::json::parse(a.out)["results"] == nlohmann::json::parse(b.out)["results"]);
  }
}

TEST_CASE("Shards: bad shard lists and unreachable shards are clear errors", "[shards]") {
  TempDir dir;
  struct Case {
    const char* list;
    const char* says;
  };
  const Case cases[] = {
      {"quire shards\n", "names no shard"},
      {"quire shards\nmissing-folder\n", "no index at"},
      {"quire shards\ntcp://127.0.0.1:notaport\n", "is not tcp://HOST:PORT"},
      {"quire shards\ntcp://:7000\n", "is not tcp://HOST:PORT"},
      {"quire shards\nprog://xapian-progsrv\n", "neither an index folder nor tcp://"},
      {"quire shards\ntcp://127.0.0.1:1\n", "cannot reach shard tcp://127.0.0.1:1"},
      {"remote :touch /tmp/pwned\n", "not a quire index"},  // a Xapian stub file is never followed
  };
  for (const auto& c : cases) {
    INFO(c.list);
    const std::string file = dir.write("list.txt", c.list);
    const auto r = run_quire({"search", "--db", file, "peace"});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains(c.says));
  }
  const std::string inner = dir.write("lists/inner.txt", "quire shards\n../list.txt\n");
  dir.write("list.txt", "quire shards\ntcp://127.0.0.1:1\n");
  const auto r = run_quire({"search", "--db", inner, "peace"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("is a file"));
}

namespace {

// `quire info --json` of `db`: the sums and every shard.
nlohmann::json info(const std::string& db) {
  const auto r = run_quire({"info", "--json", "--db", db});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return nlohmann::json::parse(r.out);
}

}  // namespace

TEST_CASE("Shards: index --shards 2 writes one index of two shards that ranks like one database", "[shards][ungdc]") {
  TempDir dir;
  if (!unpack_sessions(dir)) {
    WARN("skipped: " << shared_dir() << "/data/ungdc is not there");
    return;
  }
  const std::string map = dir.path() + "/metadata.xml";
  const std::string folder = dir.path() + "/TXT/" + kSessions[0];
  const std::string one = dir.path() + "/one", two = dir.path() + "/two";
  auto r = run_quire({"index", "--db", one, "--metadata", map, folder});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  r = run_quire({"index", "--shards", "2", "--db", two, "--metadata", map, folder});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("(0 unchanged, 0 removed, 0 failed)"));

  // One folder: the manifest and two shard databases, each holding some of the documents.
  CHECK(fs::exists(two + "/shard0/iamglass"));
  CHECK(fs::exists(two + "/shard1/iamglass"));
  CHECK(!fs::exists(two + "/iamglass"));
  const auto manifest = nlohmann::json::parse(read_file(two + "/quire-manifest.json"));
  CHECK(manifest["shards"] == 2);
  CHECK(manifest["commit"]["revisions"].size() == 2);
  auto i2 = info(two);
  REQUIRE(i2["shards"].size() == 2);
  CHECK(i2["shards"][0]["documents"].get<int>() > 20);
  CHECK(i2["shards"][1]["documents"].get<int>() > 20);
  CHECK(i2["documents"] == info(one)["documents"]);
  CHECK(i2["passages"] == info(one)["passages"]);

  // Searched as one index without naming its shards: the same ranked ids, scores and facet counts.
  const std::string input = dir.write("queries.jsonl", queries());
  const auto want = batch({one}, input);
  check_same(want, batch({two}, input), "index --shards 2");

  // Re-indexing is incremental: every document is found in its shard, none is written again.
  r = run_quire({"index", "--db", two, "--metadata", map, folder});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::StartsWith("indexed 0 of "));
  const auto generation = nlohmann::json::parse(read_file(two + "/quire-manifest.json"))["commit"]["generation"];

  // The number of shards is the index's own: another one needs a rebuild.
  r = run_quire({"index", "--shards", "3", "--db", two, folder});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("has 2 shards") && Catch::Contains("--rebuild --shards 3"));

  // --prune removes a vanished file's document from whichever shard holds it.
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(folder)) files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() > 10);
  fs::rename(files[3], dir.path() + "/moved-away.txt");
  r = run_quire({"index", "--prune", "--db", two, "--metadata", map, folder});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("1 removed"));
  CHECK(info(two)["documents"].get<int>() + 1 == info(one)["documents"].get<int>());
  fs::rename(dir.path() + "/moved-away.txt", files[3]);

  // A commit a kill interrupted between the shards' commits and the manifest's: the shards are ahead
  // of the manifest (here: the manifest of the commit before). Searches say so; the next index repairs it.
  const std::string before = read_file(two + "/quire-manifest.json");
  CHECK(nlohmann::json::parse(before)["commit"]["generation"].get<int>() > generation.get<int>());
  { std::ofstream(files[5], std::ios::app) << "\n\nA late paragraph about interplanetary disarmament.\n"; }
  r = run_quire({"index", "--db", two, "--metadata", map, folder});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::StartsWith("indexed 2 of "));  // the file put back, and the one changed
  dir.write("two/quire-manifest.json", before);
  r = run_quire({"search", "--db", two, "interplanetary"});
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.err, Catch::Contains("its last commit was interrupted"));
  CHECK_THAT(r.out, Catch::Contains("interplanetary"));
  r = run_quire({"index", "--db", two, "--metadata", map, folder});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.err, Catch::Contains("repaired"));
  r = run_quire({"search", "--db", two, "interplanetary"});
  CHECK(r.exit_code == 0);
  CHECK(r.err.empty());

  // A collection lives in the sharded index's manifest, beside the commit record.
  r = run_quire({"collection", "new", "kashmir", "--query", "kashmir", "--db", two});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  r = run_quire({"collection", "list", "--db", two});
  CHECK_THAT(r.out, Catch::Contains("kashmir"));
  CHECK(nlohmann::json::parse(read_file(two + "/quire-manifest.json"))["shards"] == 2);

  // --rebuild keeps the shards and the collections, and the answers.
  fs::remove(files[5]);
  fs::remove(files[3]);
  r = run_quire({"index", "--rebuild", "--db", two, "--metadata", map, folder});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  r = run_quire({"index", "--rebuild", "--db", one, "--metadata", map, folder});
  REQUIRE(r.exit_code == 0);
  CHECK(fs::exists(two + "/shard1/iamglass"));
  r = run_quire({"collection", "list", "--db", two});
  CHECK_THAT(r.out, Catch::Contains("kashmir"));
  check_same(batch({one}, input), batch({two}, input), "rebuilt with 2 shards");
}
