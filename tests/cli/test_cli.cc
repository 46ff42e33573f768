// CLI tests: run the built `quire` on the bundled corpus and on bad input; check output and exit codes.
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "quire/index_format.h"
#include "support.h"

using quire::test::corpus_index;
using quire::test::run_quire;
using quire::test::TempDir;

namespace {

nlohmann::json search_json(const std::vector<std::string>& extra) {
  std::vector<std::string> args = {"search", "--db", corpus_index(), "--json"};
  args.insert(args.end(), extra.begin(), extra.end());
  const auto r = run_quire(args);
  INFO(r.err);
  REQUIRE((r.exit_code == 0 || r.exit_code == 1));
  return nlohmann::json::parse(r.out);
}

}  // namespace

TEST_CASE("quire index prints a one-line summary and indexes the bundled corpus", "[cli]") {
  TempDir db;
  const auto r = run_quire({"index", "--db", db.path() + "/i", quire::test::source_dir() + "/corpus"});
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::StartsWith("indexed 5 of 5 files (0 unchanged, 0 removed, 0 failed)"));
  CHECK(r.err.empty());  // no progress line when stderr is not a terminal
  const auto again = run_quire({"index", "--db", db.path() + "/i", quire::test::source_dir() + "/corpus"});
  CHECK_THAT(again.out, Catch::StartsWith("indexed 0 of 5 files (5 unchanged"));
}

TEST_CASE("quire search --json has the documented shape", "[cli]") {
  const auto j = search_json({"--limit", "3", "\"all-weather\""});
  CHECK(j["query"] == "\"all-weather\"");
  CHECK(j["mode"] == "documents");
  CHECK(j["total"].get<int>() >= 3);
  REQUIRE(j["results"].size() == 3);
  int rank = 0;
  for (const auto& r : j["results"]) {
    CHECK(r["rank"] == ++rank);
    for (const char* key : {"id", "title", "publisher", "date", "path", "citation"}) CHECK(r[key].is_string());
    CHECK(r["authors"].is_array());
    CHECK(r["score"].is_number());
    REQUIRE(!r["passages"].empty());
    CHECK(r["passages"].size() <= 3);
    for (const auto& p : r["passages"]) {
      CHECK(p["paragraph"].get<int>() >= 1);
      const std::string text = p["text"];
      REQUIRE(!p["highlights"].empty());
      // Each highlight is [start, end) in code points, inside the text.
      std::size_t chars = 0;
      for (unsigned char c : text) chars += (c & 0xC0) != 0x80;
      for (const auto& h : p["highlights"]) {
        CHECK(h[0].get<std::size_t>() < h[1].get<std::size_t>());
        CHECK(h[1].get<std::size_t>() <= chars);
      }
    }
  }
}

TEST_CASE("highlight offsets in JSON point at the matched phrase in code points", "[cli]") {
  const auto j = search_json({"--passages", "--limit", "1", "\"transactional or flirtatious\""});
  REQUIRE(j["results"].size() == 1);
  const auto& p = j["results"][0]["passages"][0];
  const std::string text = p["text"];
  REQUIRE(p["highlights"].size() == 1);
  const auto b = p["highlights"][0][0].get<std::size_t>(), e = p["highlights"][0][1].get<std::size_t>();
  // Convert code point offsets to bytes and compare the span to the phrase.
  std::vector<std::size_t> byte_at;
  for (std::size_t i = 0; i < text.size(); ++i)
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) byte_at.push_back(i);
  byte_at.push_back(text.size());
  CHECK(text.substr(byte_at[b], byte_at[e] - byte_at[b]) == "transactional or flirtatious");
  CHECK(j["results"][0]["citation"] ==
        "Sarral Sharma, [The US\xE2\x80\x93Pakistan thaw and Pakistan's strategic dependence on China], ORF, para. 4.");
}

TEST_CASE("quire search exit codes: 0 results, 1 none, 2 error with one line", "[cli]") {
  const std::string db = corpus_index();
  CHECK(run_quire({"search", "--db", db, "CPEC"}).exit_code == 0);
  const auto none = run_quire({"search", "--db", db, "zzyzx"});
  CHECK(none.exit_code == 1);
  CHECK_THAT(none.out, Catch::StartsWith("0 matching documents"));
  struct Case {
    std::vector<std::string> args;
    std::string err;
  };
  const Case cases[] = {
      {{"search", "--db", db, "\"open phrase"},
       "quire: bad query: unbalanced quotes: the phrase opened at character 1 is not closed\n"},
      {{"search", "--db", db, "china", "AND"}, "quire: bad query: 'AND' at character 7 needs a term on each side\n"},
      {{"search", "--db", db, "colour:red"},
       "quire: bad query: unknown field 'colour:' at character 1 (known fields: title:, author:, publisher:, quote:, "
       "actor:, theme:, published:, mentions:, speaker:, dyad:, by:, like:)\n"},
      {{"search", "--db", db + "-missing", "china"},
       "quire: no index at " + db + "-missing (create one with 'quire index PATH...')\n"},
      {{"search", "--db", db, "--limit", "0", "china"}, "quire: search: --limit must be between 1 and 10000\n"},
      {{"search", "--db", db}, "quire: search: give a query\n"},
      {{"frobnicate"}, ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.args);
    const auto r = run_quire(c.args);
    CHECK(r.exit_code == 2);
    if (!c.err.empty()) CHECK(r.err == c.err);
    CHECK(r.out.empty());
  }
}

TEST_CASE("terminal output shows rank, title, citation and the passage: colour only when asked", "[cli]") {
  const auto plain = run_quire({"search", "--db", corpus_index(), "--limit", "1", "higher than the mountains"});
  CHECK_THAT(plain.out,
             Catch::Contains("1. [Superpower engagement with Pakistan: the United States, China and Russia]"));
  CHECK_THAT(plain.out, Catch::Contains("Priya Naik, [Superpower engagement"));
  CHECK_THAT(plain.out, Catch::Contains("higher than the mountains"));
  CHECK(plain.out.find("\033[") == std::string::npos);
  const auto color = run_quire(
      {"search", "--db", corpus_index(), "--color", "always", "--limit", "1", "\"higher than the mountains\""});
  CHECK_THAT(color.out, Catch::Contains("\033[1;33mhigher than the mountains\033[0m"));
}

TEST_CASE("the index location comes from --db, else QUIRE_DB", "[cli]") {
  TempDir tmp;
  const std::string db = tmp.path() + "/envdb";
  const auto r =
      run_quire({"index", quire::test::source_dir() + "/corpus/001_c20d4d429deffa75.xml"}, {"QUIRE_DB=" + db});
  CHECK(r.exit_code == 0);
  CHECK(std::filesystem::exists(db));
  CHECK(run_quire({"search", "flirtatious"}, {"QUIRE_DB=" + db}).exit_code == 0);
}

TEST_CASE("quire info reports what the index holds", "[cli]") {
  const auto r = run_quire({"info", "--db", corpus_index(), "--json"});
  REQUIRE(r.exit_code == 0);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["documents"] == 5);
  CHECK(j["passages"].get<int>() > 100);
  CHECK(j["terms"].get<int>() > 3000);
  CHECK(j["revision"].get<int>() >= 1);
  CHECK(j["bytes_on_disk"].get<long>() > 0);
  CHECK(j["format_version"] == quire::format::kFormatVersion);
  const auto text = run_quire({"info", "--db", corpus_index()});
  CHECK_THAT(text.out, Catch::Contains("documents:      5\n"));
}

TEST_CASE("quire index exits 1 and names each file it could not index, and the rest are searchable", "[cli]") {
  TempDir docs, db;
  docs.write("good.txt", "A perfectly good document about maritime security in the Arabian Sea.\n");
  docs.write("bad.xml", "<document id=\"bad\"><meta>\n<title>Unclosed");
  docs.write("nul.txt", std::string("text\0\0with NULs", 16));
  const auto r = run_quire({"index", "--db", db.path() + "/i", docs.path()});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("quire: not indexed: " + docs.path() + "/bad.xml: line 2: not well-formed XML"));
  CHECK_THAT(r.err, Catch::Contains("quire: not indexed: " + docs.path() + "/nul.txt: not text: the file holds binary data"));
  CHECK_THAT(r.out, Catch::Contains("indexed 1 of 3 files (0 unchanged, 0 removed, 2 failed)"));
  CHECK(run_quire({"search", "--db", db.path() + "/i", "maritime"}).exit_code == 0);
}

TEST_CASE("corpus/ files validate against schemas/document.xsd", "[cli][schema]") {
  if (std::system("command -v xmllint >/dev/null 2>&1") != 0) {
    WARN("skipped: xmllint (libxml2-utils) is not installed");
    return;
  }
  for (const auto& e : std::filesystem::directory_iterator(quire::test::source_dir() + "/corpus")) {
    if (e.path().extension() != ".xml") continue;
    const std::string cmd = "xmllint --noout --schema '" + quire::test::source_dir() + "/schemas/document.xsd' '" +
                            e.path().string() + "' 2>/dev/null";
    CAPTURE(e.path().string());
    CHECK(std::system(cmd.c_str()) == 0);
  }
}

TEST_CASE("quire index shows a progress line on a terminal", "[cli]") {
  // script(1), from util-linux, runs the command on a pseudo-terminal.
  if (std::system("script -qec true /dev/null >/dev/null 2>&1") != 0) {
    WARN("skipped: script(1) is missing or no pseudo-terminal can be opened here");
    return;
  }
  TempDir tmp;
  const std::string log = tmp.path() + "/typescript";
  const std::string cmd = "script -qec \"" + std::string(QUIRE_BINARY) + " index --db " + tmp.path() + "/i " +
                          quire::test::source_dir() + "/corpus\" " + log + " >/dev/null 2>&1";
  REQUIRE(std::system(cmd.c_str()) == 0);
  const std::string screen = quire::test::read_file(log);
  CHECK_THAT(screen, Catch::Contains("indexing: 5/5 files, "));
  CHECK_THAT(screen, Catch::Contains(" passages, "));
  CHECK_THAT(screen, Catch::Contains(" files/s, ETA "));
  CHECK_THAT(screen, Catch::Contains("indexed 5 of 5 files"));
}
