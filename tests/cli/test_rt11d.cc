// The rt11d red team's findings (issue 11), each with the other cases of its class: a writer that
// creates Xapian's lock file in a folder before it knows the folder is an index, --db values a writing
// command cannot write to, values from a received manifest printed raw, and shard lists as editors save
// them. (The prune cases are with the others in test_data_loss.cc.)
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support.h"

using quire::test::read_file;
using quire::test::run_quire;
using quire::test::RunResult;
using quire::test::TempDir;

using quire::test::write;

namespace fs = std::filesystem;

namespace {

std::string small_index(const std::string& t) {
  write(t + "/docs/a.txt", "The Pakistan delegation met China about the corridor.\n");
  write(t + "/docs/b.txt", "China and the sea; Pakistan spoke later about trade.\n");
  const std::string db = t + "/idx";
  const RunResult r = run_quire({"index", "--db", db, t + "/docs"});
  REQUIRE(r.exit_code == 0);
  return db;
}

// Every entry of `dir`, with its size, for "nothing was written".
std::vector<std::string> listing(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir))
    out.push_back(e.path().filename().string() + ":" +
                  (e.is_regular_file() ? std::to_string(fs::file_size(e.path())) : std::string("dir")));
  std::sort(out.begin(), out.end());
  return out;
}

bool has_control_bytes(const std::string& s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '\r' && i + 1 < s.size() && s[i + 1] == '\n') continue;  // CSV and RIS end lines with CR LF
    if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) return true;
  }
  return false;
}

}  // namespace

// ---- Row 2: nothing is written into a folder before it is proven to be quire's index ------------------

TEST_CASE("rt11d: a writing command on a folder that is no index writes nothing there", "[rt11d][no-index]") {
  struct Folder {
    const char* name;
    std::function<void(const std::string& dir)> make;
  };
  const std::vector<Folder> folders = {
      {"a user's folder holding a file named flintlock",
       [](const std::string& d) {
         write(d + "/flintlock", "my precious notes\n");
         write(d + "/notes.txt", "hi\n");
       }},
      {"an empty folder", [](const std::string& d) { fs::create_directories(d); }},
      {"a folder whose iamglass is garbage",
       [](const std::string& d) {
         std::string junk(4096, '\0');
         for (std::size_t i = 0; i < junk.size(); ++i) junk[i] = static_cast<char>((i * 7919 + 13) & 0xff);
         write(d + "/iamglass", junk);
       }},
  };
  const std::vector<std::vector<std::string>> commands = {
      {"collection", "new", "a", "--query", "x"}, {"collection", "add", "a", "X_1"}, {"collection", "delete", "a"},
      {"collection", "remove", "a", "X_1"},       {"collection", "refresh", "a"},    {"index", "--rebuild"},
  };
  for (const auto& f : folders) {
    for (const auto& cmd : commands) {
      // An empty folder is a place an index may be made (index --rebuild there creates one).
      if (std::string(f.name) == "an empty folder" && cmd[0] == "index") continue;
      DYNAMIC_SECTION(f.name << ": " << cmd[0] << " " << cmd[1]) {
        TempDir tmp;
        const std::string dir = tmp.path() + "/u";
        f.make(dir);
        write(tmp.path() + "/docs/a.txt", "some text\n");
        const auto before = listing(dir);
        std::vector<std::string> args = cmd;
        args.insert(args.end(), {"--db", dir});
        if (cmd[0] == "index") args.push_back(tmp.path() + "/docs");
        const RunResult r = run_quire(args);
        INFO(r.out << r.err);
        CHECK(r.exit_code == 2);
        CHECK(listing(dir) == before);
        if (fs::exists(dir + "/notes.txt")) CHECK(read_file(dir + "/flintlock") == "my precious notes\n");
      }
    }
  }
}

// ---- Row 3: --db values a writing command cannot write to --------------------------------------------

TEST_CASE("rt11d: a remote, shard-list or unknown-scheme --db is a usage error for a writing command",
          "[rt11d][db-scheme]") {
  TempDir tmp;
  const std::string db = small_index(tmp.path());
  write(tmp.path() + "/shards.txt", "quire shards\n" + db + "\n");
  write(tmp.path() + "/new.txt", "A new text.\n");
  struct Case {
    std::vector<std::string> args;
    const char* message;
  };
  const std::vector<Case> cases = {
      {{"index", "--db", "tcp://127.0.0.1:18811", tmp.path() + "/new.txt"}, "tcp:// shard is read-only"},
      {{"index", "--rebuild", "--db", "tcp://127.0.0.1:18811", tmp.path() + "/new.txt"}, "read-only"},
      {{"collection", "new", "a", "--query", "x", "--db", "tcp://127.0.0.1:18811"}, "read-only"},
      {{"index", "--db", tmp.path() + "/shards.txt", tmp.path() + "/new.txt"}, "is a shard list"},
      {{"collection", "new", "a", "--query", "x", "--db", tmp.path() + "/shards.txt"}, "is a shard list"},
      {{"index", "--db", "http://example.org/idx", tmp.path() + "/new.txt"}, "quire knows no 'http://'"},
      {{"search", "--db", "http://example.org/idx", "china"}, "quire knows no 'http://'"},
      {{"search", "--db", "file:///tmp/idx", "china"}, "quire knows no 'file://'"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.args[0] << " " << c.args[1] << " " << c.message) {
      fs::current_path(tmp.path());
      const RunResult r = run_quire(c.args);
      INFO(r.out << r.err);
      CHECK(r.exit_code == 2);
      CHECK_THAT(r.err, Catch::Contains(c.message));
      CHECK(!fs::exists(tmp.path() + "/tcp:"));
      CHECK(!fs::exists(tmp.path() + "/http:"));
    }
  }
  CHECK(run_quire({"search", "--db", tmp.path() + "/shards.txt", "china"}).exit_code == 0);
}

// ---- Row 10: shard lists as editors save them ----------------------------------------------------------

TEST_CASE("rt11d: a shard list with CRLF line ends or a UTF-8 byte order mark is read", "[rt11d][shards]") {
  TempDir tmp;
  const std::string db = small_index(tmp.path());
  const std::vector<std::pair<const char*, std::string>> lists = {
      {"CRLF", "quire shards\r\n" + db + "\r\n"},
      {"BOM", "\xEF\xBB\xBFquire shards\n" + db + "\n"},
      {"BOM and CRLF", "\xEF\xBB\xBFquire shards\r\n" + db + "\r\n"},
      {"spaces after the header", "quire shards  \n" + db + "\n"},
  };
  for (const auto& [name, text] : lists) {
    DYNAMIC_SECTION(name) {
      write(tmp.path() + "/list.txt", text);
      const RunResult r = run_quire({"search", "--db", tmp.path() + "/list.txt", "--json", "china"});
      INFO(r.out << r.err);
      CHECK(r.exit_code == 0);
      CHECK_THAT(r.out, Catch::Contains("\"total\""));
    }
  }
}

// ---- Rows 4, 5: values from a received manifest never reach a terminal raw, and are cut in messages ----

TEST_CASE("rt11d: collection values from a crafted manifest are printed escaped and bounded", "[rt11d][manifest]") {
  TempDir tmp;
  const std::string db = small_index(tmp.path());
  REQUIRE(run_quire({"collection", "new", "c1", "--query", "china", "--db", db}).exit_code == 0);
  const std::string path = db + "/quire-manifest.json";
  nlohmann::json m = nlohmann::json::parse(read_file(path));
  nlohmann::json c = m["collections"]["c1"];
  const std::string evil = "\x1b]0;PWNED\x07\x1b[2J";
  c["created"] = evil;
  if (c.contains("history") && c["history"].is_array() && !c["history"].empty()) c["history"][0]["at"] = evil;
  c["added"] = nlohmann::json::array({std::string(100000, 'A')});
  c["query"] = "china " + evil;
  m["collections"]["evil"] = c;
  m["collections"]["n\x1b[2Jame"] = c;
  std::ofstream(path, std::ios::binary | std::ios::trunc) << m.dump();
  const std::vector<std::vector<std::string>> commands = {
      {"collection", "show", "evil"},
      {"collection", "list"},
      {"collection", "export", "evil", "--format", "ris"},
      {"collection", "export", "evil", "--format", "csv"},
      {"collection", "show", "evil", "--json"},
  };
  for (const auto& cmd : commands) {
    std::string title;
    for (const auto& w : cmd) title += w + " ";
    DYNAMIC_SECTION(title) {
      std::vector<std::string> args = cmd;
      args.insert(args.end(), {"--db", db});
      const RunResult r = run_quire(args);
      INFO(r.exit_code << " " << r.err.substr(0, 500));
      CHECK(!has_control_bytes(r.out));
      CHECK(!has_control_bytes(r.err));
      // A message quotes a value cut to a bounded length, never the whole 100 KB id.
      std::size_t longest = 0, start = 0;
      for (std::size_t i = 0; i <= r.err.size(); ++i)
        if (i == r.err.size() || r.err[i] == '\n') {
          longest = std::max(longest, i - start);
          start = i + 1;
        }
      CHECK(longest < 1000);
    }
  }
}

// ---- Rows 7, 9: a bad judgment names its file and line; a bad corpus line is left out, named ----------

TEST_CASE("rt11d: BEIR qrels scores that are not integers name the file and line", "[rt11d][import]") {
  for (const std::string score : {"abc", "99999999999999999999", "1.5", "2x", "-"}) {
    DYNAMIC_SECTION(score) {
      TempDir tmp;
      const std::string b = tmp.path() + "/b";
      write(b + "/corpus.jsonl", "{\"_id\":\"d1\",\"title\":\"t\",\"text\":\"sanctions text\"}\n");
      write(b + "/queries.jsonl", "{\"_id\":\"q1\",\"text\":\"sanctions\"}\n");
      write(b + "/qrels/test.tsv", "query-id\tcorpus-id\tscore\nq1\td1\t" + score + "\n");
      const RunResult r = run_quire({"import", "beir", b, "--db", tmp.path() + "/idx", "--split", "test"});
      INFO(r.out << r.err);
      CHECK(r.exit_code == 2);
      CHECK_THAT(r.err, Catch::Contains("qrels/test.tsv:2: score '" + score + "' is not an integer"));
      CHECK_THAT(r.err, !Catch::Contains("internal error"));
    }
  }
}

TEST_CASE("rt11d: a bad line of a BEIR corpus is named and left out, the rest imported", "[rt11d][import]") {
  std::string deep;
  for (int i = 0; i < 300; ++i) deep += "[";
  for (int i = 0; i < 300; ++i) deep += "]";
  const std::vector<std::pair<const char*, std::string>> bad = {
      {"a numeric _id", "{\"_id\":5,\"text\":\"numeric id\"}"},
      {"no _id", "{\"text\":\"no id\"}"},
      {"JSON nested too deep", "{\"_id\":\"d9\",\"text\":" + deep + "}"},
      {"not JSON", "{oops"},
  };
  for (const auto& [name, line] : bad) {
    DYNAMIC_SECTION(name) {
      TempDir tmp;
      const std::string b = tmp.path() + "/b";
      write(b + "/corpus.jsonl", "{\"_id\":\"d1\",\"text\":\"sanctions text\"}\n" + line +
                                     "\n{\"_id\":\"d2\",\"text\":\"more sanctions\"}\n");
      write(b + "/queries.jsonl", "{\"_id\":\"q1\",\"text\":\"sanctions\"}\n");
      write(b + "/qrels/test.tsv", "query-id\tcorpus-id\tscore\nq1\td1\t1\n");
      const RunResult r = run_quire({"import", "beir", b, "--db", tmp.path() + "/idx", "--split", "test"});
      INFO(r.out << r.err);
      CHECK(r.exit_code == 1);
      CHECK_THAT(r.err, Catch::Contains("corpus.jsonl:2: "));
      CHECK_THAT(r.err, !Catch::Contains("json.exception"));
      CHECK_THAT(r.out, Catch::Contains("2 documents"));
    }
  }
}

// ---- Row 8: a tag --jsonl line over its limit is named and read past; the other lines run ------------

TEST_CASE("rt11d: a tag --jsonl line over 64 MiB is named, the next line tagged", "[rt11d][tag]") {
  TempDir tmp;
  const std::string in = tmp.path() + "/big.jsonl";
  {
    std::ofstream out(in, std::ios::binary);
    out << "{\"id\":\"x\",\"passages\":[\"" << std::string(70u << 20, 'a') << "\"]}\n";
    out << "{\"id\":\"y\",\"passages\":[\"China said\"]}\n";
  }
  const RunResult r =
      quire::test::run_program({"sh", "-c", std::string("exec \"$0\" tag --jsonl < \"$1\""), QUIRE_BINARY, in});
  INFO(r.err);
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("stdin:1: the line is longer than"));
  // One record each: the long line's error (no id could be read), then y's tags.
  REQUIRE(std::count(r.out.begin(), r.out.end(), '\n') == 2);
  CHECK(r.out.find("{\"error\":\"the line is longer than") == 0);
  CHECK(r.out.find("\"id\":\"y\"") != std::string::npos);
}

// ---- Rows 11, 12: metadata tables follow the rule of documents; their control characters are dropped ---

TEST_CASE("rt11d: a metadata table linked into /proc is refused, not read", "[rt11d][metadata]") {
  TempDir dir;
  write(dir.path() + "/docs/s1.txt", "A speech on the Adriatic.\n");
  fs::create_directories(dir.path() + "/map");
  fs::create_symlink("/proc/self/environ", dir.path() + "/map/cat.tsv");
  write(dir.path() + "/map/map.xml",
        "<metadata><files name=\"{stem}.txt\"><table file=\"cat.tsv\" match=\"file={stem}\"/>"
        "<field name=\"by\">{by}</field></files></metadata>\n");
  const auto r = run_quire(
      {"index", "--db", dir.path() + "/index", "--metadata", dir.path() + "/map/map.xml", dir.path() + "/docs"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("pseudo file system"));
  CHECK_THAT(r.err, !Catch::Contains("no column named"));
}

TEST_CASE("rt11d: control characters in a metadata table's cells are dropped when it is read", "[rt11d][metadata]") {
  TempDir dir;
  write(dir.path() + "/docs/s1.txt", "A speech on the Adriatic.\n");
  write(dir.path() + "/map/cat.tsv",
        "file\ttitle\ns1\tUS\x1b]0;PWNED\x07"
        "A \xC2\x9b"
        "2J speech\n");
  write(dir.path() + "/map/map.xml",
        "<metadata><files name=\"{stem}.txt\"><table file=\"cat.tsv\" match=\"file={stem}\"/>"
        "<field name=\"title\">{title}</field></files></metadata>\n");
  const std::string db = dir.path() + "/index";
  const auto r = run_quire({"index", "--db", db, "--metadata", dir.path() + "/map/map.xml", dir.path() + "/docs"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  for (const char* format : {"csv", "ris", "jsonl"}) {
    const auto s = run_quire({"search", "--db", db, "--format", format, "adriatic"});
    INFO(format << ": " << s.out << s.err);
    CHECK(s.exit_code == 0);
    CHECK(!has_control_bytes(s.out));
    CHECK(s.out.find("\xC2\x9b") == std::string::npos);
    CHECK_THAT(s.out, Catch::Contains("US]0;PWNEDA"));
  }
}

// ---- Row 13: a rebuild deletes only the temporary files it can prove are quire's or Xapian's ----------

TEST_CASE("rt11d: a user's v.tmp or quire-manifest.json.tmp in an index survives a rebuild, named",
          "[rt11d][rebuild]") {
  for (const char* name : {"v.tmp", "quire-manifest.json.tmp", "iamglass.tmp", "postlist.tmp"}) {
    DYNAMIC_SECTION(name) {
      TempDir tmp;
      const std::string db = small_index(tmp.path());
      write(db + "/" + name, "mine\n");
      const RunResult r = run_quire({"index", "--rebuild", "--db", db, tmp.path() + "/docs"});
      INFO(r.out << r.err);
      CHECK(r.exit_code == 0);
      CHECK_THAT(r.err, Catch::Contains(name));
      // Kept where quire names it: the old index's folder beside the new one.
      bool found = false;
      for (const auto& e : fs::recursive_directory_iterator(tmp.path()))
        if (e.path().filename() == name && read_file(e.path().string()) == "mine\n") found = true;
      CHECK(found);
    }
  }
}

// ---- Rows 14, 15: counts that add up; an IPv6 shard named clearly ------------------------------------

TEST_CASE("rt11d: a dangling link is one of the files seen as it is one of the failed", "[rt11d][counts]") {
  TempDir tmp;
  write(tmp.path() + "/docs/a.txt", "Some text about peace.\n");
  write(tmp.path() + "/docs/b.txt", "Some text about trade.\n");
  fs::create_symlink(tmp.path() + "/nowhere.txt", tmp.path() + "/docs/dangling.txt");
  const RunResult r = run_quire({"index", "--db", tmp.path() + "/idx", tmp.path() + "/docs"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out, Catch::StartsWith("indexed 2 of 3 files (0 unchanged, 0 removed, 1 failed)"));
}

TEST_CASE("rt11d: an IPv6 tcp:// shard is refused with a clear message", "[rt11d][shards]") {
  for (const char* spec : {"tcp://[::1]:1", "tcp://::1:1"}) {
    DYNAMIC_SECTION(spec) {
      const RunResult r = run_quire({"search", "--db", spec, "china"});
      INFO(r.out << r.err);
      CHECK(r.exit_code == 2);
      CHECK_THAT(r.err, Catch::Contains("IPv6"));
    }
  }
}

// ---- Row 6: a phrase of stop words ends within the search's time bound -------------------------------

TEST_CASE("rt11d: a 999-word phrase of stop words ends within --timeout-ms", "[rt11d][timeout]") {
  TempDir tmp;
  std::string text;
  for (int i = 0; i < 1500; ++i) text += i % 3 == 0 ? "the nation " : "the the ";
  for (int d = 0; d < 60; ++d) write(tmp.path() + "/docs/d" + std::to_string(d) + ".txt", text + "\n");
  const std::string db = tmp.path() + "/idx";
  REQUIRE(run_quire({"index", "--db", db, tmp.path() + "/docs"}).exit_code == 0);
  std::string phrase = "\"the";
  for (int i = 1; i < 999; ++i) phrase += " the";
  phrase += "\"";
  const auto t0 = std::chrono::steady_clock::now();
  const RunResult r = run_quire({"search", "--db", db, "--timeout-ms", "500", phrase});
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  INFO(r.out.substr(0, 300) << r.err.substr(0, 300) << " in " << s << " s");
  CHECK(r.exit_code <= 1);
  // 0.5 s for the search, and the start and the reading of its answer; under load, twice that.
  CHECK(s < 2.5);
}
