// What searchers expect (issue 17), on real UN General Debate speeches and the bundled corpus: fields
// restrict the results and still rank, catalogue ranges, capitals that change nothing, did you mean.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "support.h"

using quire::test::corpus_index;
using quire::test::run_program;
using quire::test::run_quire;
using quire::test::shared_dir;
using quire::test::source_dir;
using quire::test::TempDir;

namespace fs = std::filesystem;

namespace {

// Pakistan's speeches of 1960-1965 (Bhutto spoke in 1960, 1963, 1964 and 1965, others in 1962), India's
// of 1963 and 1965, and two that never name Kashmir, indexed once with the shipped map: "" without the data.
const std::string& ungdc_index() {
  static TempDir dir;
  static const std::string db = [] {
    std::vector<std::string> members;
    for (const char* f :
         {"Session 15 - 1960/PAK_15_1960.txt", "Session 17 - 1962/PAK_17_1962.txt", "Session 18 - 1963/PAK_18_1963.txt",
          "Session 19 - 1964/PAK_19_1964.txt", "Session 20 - 1965/PAK_20_1965.txt", "Session 18 - 1963/IND_18_1963.txt",
          "Session 20 - 1965/IND_20_1965.txt", "Session 21 - 1966/GBR_21_1966.txt",
          "Session 16 - 1961/AFG_16_1961.txt"})
      members.push_back(std::string("TXT/") + f);
    return quire::test::ungdc_index(dir, members);
  }();
  return db;
}

nlohmann::json search(const std::string& db, std::vector<std::string> args) {
  if (std::find(args.begin(), args.end(), "--limit") == args.end()) args.insert(args.begin(), {"--limit", "50"});
  args.insert(args.begin(), {"search", "--db", db, "--json"});
  const auto r = run_quire(args);
  INFO(args.back() << ": " << r.err);
  REQUIRE((r.exit_code == 0 || r.exit_code == 1));  // 1: no results
  return nlohmann::json::parse(r.out);
}

std::vector<std::string> ids(const nlohmann::json& j) {
  std::vector<std::string> out;
  for (const auto& hit : j["results"]) out.push_back(hit["id"]);
  return out;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool has_author(const nlohmann::json& hit, const std::string& name) {
  for (const auto& a : hit["authors"]) {
    if (lower(a.get<std::string>()).find(name) != std::string::npos) return true;
  }
  return false;
}

#define SKIP_WITHOUT_UNGDC()                                         \
  if (ungdc_index().empty()) {                                       \
    WARN("skipped: " << shared_dir() << "/data/ungdc is not there"); \
    return;                                                          \
  }

}  // namespace

TEST_CASE("a field restricts the results to its documents while its words still rank", "[search][fields][ungdc]") {
  SKIP_WITHOUT_UNGDC();
  const std::string& db = ungdc_index();
  const auto everyone = search(db, {"kashmir"});
  std::set<std::string> bhutto_on_kashmir;
  for (const auto& hit : everyone["results"])
    if (has_author(hit, "bhutto")) bhutto_on_kashmir.insert(hit["id"]);
  REQUIRE(bhutto_on_kashmir.size() == 4);  // 1960, 1963, 1964, 1965
  REQUIRE(everyone["total"] > 4);          // Pakistan 1962 and India 1965 too

  // Each way of writing it: the field first or last, its value in capitals, quoted.
  for (const std::string q : {"author:bhutto kashmir", "kashmir author:bhutto", "author:Bhutto Kashmir",
                              "author:BHUTTO kashmir", "author:\"Bhutto\" kashmir"}) {
    INFO(q);
    const auto j = search(db, {q});
    CHECK(j["total"] == 4);
    const auto got = ids(j);
    CHECK(std::set<std::string>(got.begin(), got.end()) == bhutto_on_kashmir);
    for (const auto& hit : j["results"]) {
      CHECK(has_author(hit, "bhutto"));
      // The words rank: every result shows its passage on Kashmir, highlighted.
      REQUIRE(!hit["passages"].empty());
      CHECK(!hit["passages"][0]["highlights"].empty());
      CHECK_THAT(lower(hit["passages"][0]["text"]), Catch::Contains("kashmir"));
    }
  }
  // The speech that names Kashmir most comes first, as in the search without the field.
  CHECK(search(db, {"author:bhutto kashmir"})["results"][0]["id"] == everyone["results"][0]["id"]);

  // A field alone is a query; two fields must both hold; a field under NOT excludes.
  CHECK(search(db, {"author:bhutto"})["total"] == 4);
  CHECK(search(db, {"author:bhutto author:zafrulla"})["total"] == 0);
  const auto others = search(db, {"kashmir -author:bhutto"});
  CHECK(others["total"].get<int>() == everyone["total"].get<int>() - 4);
  for (const auto& hit : others["results"]) CHECK(!has_author(hit, "bhutto"));
  // Fields mix with filters: Bhutto's speech of 1965.
  const auto one = search(db, {"author:bhutto kashmir published:1965"});
  REQUIRE(one["total"] == 1);
  CHECK(one["results"][0]["date"] == "1965");
  // title: restricts too (UNGDC titles are "Statement by <country> ...").
  const auto india = search(db, {"title:india kashmir"});
  REQUIRE(india["total"] == 1);
  CHECK_THAT(india["results"][0]["title"].get<std::string>(), Catch::Contains("India"));
}

TEST_CASE("author:naik \"all-weather\" is Naik's document, not a wider search", "[search][fields]") {
  const std::string& db = corpus_index();
  const auto phrase = search(db, {"\"all-weather\""});
  REQUIRE(phrase["total"].get<int>() >= 2);
  for (const std::string q :
       {"author:naik \"all-weather\"", "\"all-weather\" author:Naik", "author:\"Priya Naik\" \"all-weather\""}) {
    INFO(q);
    const auto j = search(db, {q});
    REQUIRE(j["total"] == 1);
    CHECK(has_author(j["results"][0], "naik"));
    CHECK(!j["results"][0]["passages"][0]["highlights"].empty());
  }
  // A field's value that matches no document matches nothing, not everything.
  CHECK(search(db, {"author:nobodyatall \"all-weather\""})["total"] == 0);
  // A value of punctuation only is an error naming the field.
  const auto r = run_quire({"search", "--db", db, "author:-- \"all-weather\""});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("author:-- has no searchable words"));
  // A quoted value is a phrase in the field; a group in brackets is any of its words.
  CHECK(search(db, {"author:\"Naik Priya\" \"all-weather\""})["total"] == 0);
  const auto group = search(db, {"author:(naik OR lalwani)"});
  CHECK(group["total"] == 2);
  for (const auto& hit : group["results"]) CHECK((has_author(hit, "naik") || has_author(hit, "lalwani")));
  CHECK(search(db, {"author:(naik lalwani)"})["total"] == 2);
  CHECK(search(db, {"author:(naik AND lalwani)"})["total"] == 0);
}

TEST_CASE("catalogue fields take ranges of numbers", "[search][fields][ungdc]") {
  SKIP_WITHOUT_UNGDC();
  const std::string& db = ungdc_index();
  struct Case {
    std::string query;
    std::set<std::string> sessions;
  };
  const std::vector<Case> cases = {
      {"session:15..18", {"15", "16", "17", "18"}},
      {"session:18..20", {"18", "19", "20"}},
      {"session:..16", {"15", "16"}},
      {"session:20..", {"20", "21"}},
      {"session:17..17", {"17"}},
      {"session:30..40", {}},
      {"kashmir session:18..19", {"18", "19"}},
  };
  for (const auto& c : cases) {
    INFO(c.query);
    const auto j = search(db, {c.query});
    std::set<std::string> got;
    for (const auto& hit : j["results"]) got.insert(hit["extra"]["session"].get<std::string>());
    CHECK(got == c.sessions);
  }
  // 15..18: Pakistan 1960, 1962, 1963, India 1963, Afghanistan 1961.
  CHECK(search(db, {"session:15..18"})["total"] == 5);
  const auto r = run_quire({"search", "--db", db, "session:20..15"});
  CHECK(r.exit_code != 0);
  CHECK_THAT(r.err, Catch::Contains("session:20..15 ends before it starts"));
}

TEST_CASE("capitals change neither what a query matches nor how it ranks, and phrases keep exact forms",
          "[search][case][ungdc]") {
  SKIP_WITHOUT_UNGDC();
  const std::string& db = ungdc_index();
  const std::vector<std::vector<std::string>> same = {
      {"pakistan kashmir", "Pakistan Kashmir", "PAKISTAN KASHMIR", "pAkIsTaN kashmir"},
      {"plebiscite", "Plebiscite", "PLEBISCITE"},
      {"disputes", "Disputes", "dispute"},  // stems: the plural finds the singular, capitals or not
      {"\"kashmir dispute\"", "\"Kashmir Dispute\"", "\"KASHMIR dispute\""},
      {"kashmir NEAR plebiscite", "Kashmir NEAR Plebiscite"},
      {"title:pakistan", "title:Pakistan"},
  };
  for (const auto& group : same) {
    const auto first = search(db, {"--passages", group[0]});
    REQUIRE(first["total"].get<int>() > 0);
    for (std::size_t i = 1; i < group.size(); ++i) {
      INFO(group[0] << " vs " << group[i]);
      const auto other = search(db, {"--passages", group[i]});
      CHECK(other["total"] == first["total"]);
      REQUIRE(other["results"].size() == first["results"].size());
      for (std::size_t k = 0; k < first["results"].size(); ++k) {
        CHECK(other["results"][k]["score"].get<double>() == Approx(first["results"][k]["score"].get<double>()));
      }
    }
  }
  // A phrase matches its words as written: the plural phrase is not the singular one.
  const auto singular = search(db, {"--passages", "\"kashmir dispute\""});
  const auto plural = search(db, {"--passages", "\"kashmir disputes\""});
  CHECK(plural["total"].get<int>() < singular["total"].get<int>());
}

TEST_CASE("did you mean: misspelt words are corrected from the index's words", "[search][spelling][ungdc]") {
  SKIP_WITHOUT_UNGDC();
  const std::string& db = ungdc_index();
  struct Case {
    std::string query, suggestion;
  };
  const std::vector<Case> cases = {
      {"Kashmr", "kashmir"},
      {"Pakistn", "pakistan"},
      {"bhuto", "author:bhutto"},  // a name only the author field holds
      {"plebiscyte kashmir", "plebiscite kashmir"},
      {"Kashmr published:1965", "kashmir published:1965"},
  };
  for (const auto& c : cases) {
    INFO(c.query);
    const auto j = search(db, {c.query});
    REQUIRE(j["suggestion"] == c.suggestion);
    const int better = search(db, {j["suggestion"].get<std::string>()})["total"];
    CHECK(better > 0);
    CHECK(better >= j["total"].get<int>());
  }
  // Queries whose words the index holds get none; a field's name is never "corrected" (a field with
  // no value, "title:", is an error: test_rt17_search.cc).
  for (const std::string q :
       {"kashmir", "pakistan india", "\"kashmir dispute\"", "title:kashmir", "author:bhutto kashmir"}) {
    INFO(q);
    CHECK(!search(db, {q}).contains("suggestion"));
  }
  // A phrase with no match suggests its words near each other, when that finds something.
  const auto phrase = search(db, {"\"plebiscite kashmir\""});
  CHECK(phrase["total"] == 0);
  REQUIRE(phrase.contains("suggestion"));
  CHECK(phrase["suggestion"] == "(plebiscite NEAR kashmir)");
  CHECK(search(db, {phrase["suggestion"].get<std::string>()})["total"].get<int>() > 0);

  // On a terminal and in --html.
  auto r = run_quire({"search", "--db", db, "Kashmr"});
  CHECK_THAT(r.out, Catch::Contains("Did you mean: kashmir?"));
  r = run_quire({"search", "--db", db, "--html", "Kashmr"});
  CHECK_THAT(r.out, Catch::Contains("Did you mean: <em>kashmir</em>?"));
}

TEST_CASE("did you mean forgets the words of removed and changed files", "[search][spelling]") {
  TempDir dir;
  dir.write("docs/a.txt", "The zanzibarium treaty was signed on a Tuesday in the harbour.\n");
  dir.write("docs/b.txt", "Fishing rights in the harbour were argued over for years.\n");
  const std::string db = dir.path() + "/index";
  REQUIRE(run_quire({"index", "--db", db, dir.path() + "/docs"}).exit_code == 0);
  CHECK(search(db, {"zanzibarum"})["suggestion"] == "zanzibarium");
  // Changed: the word is gone from the file, and from the suggestions.
  dir.write("docs/a.txt", "The harbour treaty was signed on a Tuesday, and fishing resumed.\n");
  REQUIRE(run_quire({"index", "--db", db, dir.path() + "/docs"}).exit_code == 0);
  CHECK(!search(db, {"zanzibarum"}).contains("suggestion"));
  // Removed: a word only it held is no longer suggested; the other file's words still are.
  dir.write("docs/c.txt", "Quixotical plans for the harbour were dropped.\n");
  REQUIRE(run_quire({"index", "--db", db, dir.path() + "/docs"}).exit_code == 0);
  CHECK(search(db, {"quixoticle"})["suggestion"] == "quixotical");
  fs::remove(dir.path() + "/docs/c.txt");
  REQUIRE(run_quire({"index", "--db", db, "--prune", dir.path() + "/docs"}).exit_code == 0);
  CHECK(!search(db, {"quixoticle"}).contains("suggestion"));
  CHECK(search(db, {"fishng"})["suggestion"] == "fishing");
}

TEST_CASE("accents fold in text, fields and phrases, and highlights mark the characters as written", "[search][fold]") {
  TempDir dir;
  dir.write("docs/cafe.txt",
            "By: José Martí, Instituto Cervantes\n\n"
            "The Café de Flore in São Paulo was a naïve venture, said the Straße committee of the \uFB01nance "
            "office.\n");
  dir.write("docs/plain.txt", "By: Joe Smith, Harbour Board\n\nA plain cafe in Sao Paulo, for the naive.\n");
  const std::string db = dir.path() + "/index";
  const auto r = run_quire({"index", "--db", db, dir.path() + "/docs"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  struct Case {
    std::string query;
    std::size_t total;
    std::string marked;  // in docs/cafe.txt's passage
  };
  const std::vector<Case> cases = {
      {"cafe", 2, "Café"},
      {"Café", 2, "Café"},
      {"CAFE", 2, "Café"},
      {"naive", 2, "naïve"},
      {"naïve", 2, "naïve"},
      {"\"Sao Paulo\"", 2, "São Paulo"},
      {"\"São Paulo\"", 2, "São Paulo"},
      {"strasse", 1, "Straße"},
      {"finance", 1, "\uFB01nance"},
      {"author:marti cafe", 1, "Café"},
      {"author:Martí cafe", 1, "Café"},
      {"author:\"jose marti\" naive", 1, "naïve"},
  };
  for (const auto& c : cases) {
    INFO(c.query);
    const auto j = search(db, {c.query});
    CHECK(j["total"] == c.total);
    bool found = false;
    for (const auto& hit : j["results"]) {
      if (hit["path"].get<std::string>().find("cafe.txt") == std::string::npos) continue;
      const std::string text = hit["passages"][0]["text"];
      for (const auto& h : hit["passages"][0]["highlights"]) {
        // Offsets are code points; the marked text is the original one.
        std::string marked;
        std::size_t cp = 0;
        for (std::size_t i = 0; i < text.size(); ++i) {
          if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++cp;
          if (cp > h[0].get<std::size_t>() && cp <= h[1].get<std::size_t>()) marked += text[i];
        }
        found = found || marked == c.marked;
      }
    }
    CHECK(found);
  }
}

TEST_CASE("sorting: --sort date and -date order by publication date, ties by relevance", "[search][sort][ungdc]") {
  SKIP_WITHOUT_UNGDC();
  const std::string& db = ungdc_index();
  const auto relevance = search(db, {"kashmir"});
  std::map<std::string, double> score;
  for (const auto& hit : relevance["results"]) score[hit["id"]] = hit["score"];
  for (const std::string sort : {"date", "-date", "oldest", "newest"}) {
    INFO(sort);
    const auto j = search(db, {"--sort", sort, "kashmir"});
    REQUIRE(j["results"].size() == relevance["results"].size());
    const bool ascending = sort == "date" || sort == "oldest";
    for (std::size_t i = 1; i < j["results"].size(); ++i) {
      const std::string a = j["results"][i - 1]["date"], b = j["results"][i]["date"];
      CHECK((ascending ? a <= b : a >= b));
      if (a == b) CHECK(score[j["results"][i - 1]["id"]] >= score[j["results"][i]["id"]]);  // a tie: by relevance
    }
  }
  // 1965 holds two speeches on Kashmir: Pakistan's (71 mentions) ranks before India's (8).
  const auto newest = search(db, {"--sort", "-date", "kashmir"});
  CHECK(newest["results"][0]["id"] == "UNGDC_PAK_20_1965");
  CHECK(newest["results"][1]["id"] == "UNGDC_IND_20_1965");
  CHECK(search(db, {"--sort", "relevance", "kashmir"})["results"] == relevance["results"]);
  const auto bad = run_quire({"search", "--db", db, "--sort", "year", "kashmir"});
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Catch::Contains("sort must be relevance, date"));

  // In batch JSONL too, per query.
  TempDir dir;
  const std::string queries = dir.write("q.jsonl",
                                        "{\"id\": \"new\", \"query\": \"kashmir\", \"sort\": \"-date\"}\n"
                                        "{\"id\": \"old\", \"query\": \"kashmir\", \"sort\": \"date\"}\n"
                                        "{\"id\": \"bad\", \"query\": \"kashmir\", \"sort\": \"sideways\"}\n");
  const auto r = run_quire({"batch", "--db", db, "--format", "jsonl", queries});
  CHECK(r.exit_code == 1);  // one bad line
  std::istringstream lines(r.out);
  std::map<std::string, nlohmann::json> by_id;
  for (std::string line; std::getline(lines, line);) {
    const auto j = nlohmann::json::parse(line);
    by_id[j["id"]] = j;
  }
  REQUIRE(by_id.count("new"));
  REQUIRE(by_id.count("old"));
  CHECK(by_id["new"]["results"][0]["date"] == "1965");
  CHECK(by_id["old"]["results"][0]["date"] == "1960");
  CHECK_THAT(by_id["bad"]["error"].get<std::string>(), Catch::Contains("sort must be"));
}

TEST_CASE("a page past the last result says where the last page starts", "[search][paging][ungdc]") {
  SKIP_WITHOUT_UNGDC();
  const std::string& db = ungdc_index();
  const int total = search(db, {"kashmir"})["total"];
  REQUIRE(total == 6);
  const auto j = search(db, {"--limit", "4", "--offset", "10", "kashmir"});
  CHECK(j["results"].empty());
  CHECK(j["total"] == 6);
  CHECK(j["last_page_offset"] == 4);
  CHECK(!search(db, {"--limit", "4", "--offset", "4", "kashmir"}).contains("last_page_offset"));
  const auto r = run_quire({"search", "--db", db, "--limit", "5", "--offset", "6", "kashmir"});
  CHECK_THAT(r.out, Catch::Contains("6 matching documents"));
  CHECK_THAT(r.out, Catch::Contains("the last page starts at --offset 5"));
}

TEST_CASE("facets: --facet-order value lists a facet's values in order", "[search][facets][ungdc]") {
  SKIP_WITHOUT_UNGDC();
  const std::string& db = ungdc_index();
  const auto by_value = search(db, {"--facets", "published", "--facet-order", "value", "kashmir"});
  std::vector<std::string> years;
  for (const auto& v : by_value["facets"]["published"]) years.push_back(v["id"]);
  CHECK(years == std::vector<std::string>{"1960", "1962", "1963", "1964", "1965"});
  // By count (the default), 1965 with two speeches comes first.
  CHECK(search(db, {"--facets", "published", "kashmir"})["facets"]["published"][0]["id"] == "1965");
  const auto bad = run_quire({"search", "--db", db, "--facets", "published", "--facet-order", "size", "kashmir"});
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Catch::Contains("facet-order must be count or value"));
}

TEST_CASE("TERM=dumb means no colour on a terminal", "[cli][color]") {
  // script(1) gives quire a terminal for its standard output.
  if (run_program({"script", "--version"}).exit_code != 0) {
    WARN("skipped: script(1) is not installed");
    return;
  }
  const std::string cmd = std::string(QUIRE_BINARY) + " search --db '" + corpus_index() + "' '\"all-weather\"'";
  const auto colour = run_program({"script", "-qec", cmd, "/dev/null"}, {"TERM=xterm"});
  CHECK_THAT(colour.out, Catch::Contains("\033["));
  const auto dumb = run_program({"script", "-qec", cmd, "/dev/null"}, {"TERM=dumb"});
  CHECK_THAT(dumb.out, Catch::Contains("all-weather"));
  CHECK_THAT(dumb.out, !Catch::Contains("\033["));
}

TEST_CASE("the command line: --version, help CMD, and the nearest command or option for a typo", "[cli][usage]") {
  auto r = run_quire({"--version"});
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Matches("quire [0-9]+\\.[0-9]+\\.[0-9]+ \\(index format [0-9]+\\)\n"));
  CHECK(run_quire({"version"}).out == r.out);

  // quire help CMD is CMD --help.
  for (const std::string cmd : {"search", "index", "batch", "serve"}) {
    INFO(cmd);
    const auto help = run_quire({"help", cmd});
    CHECK(help.exit_code == 0);
    CHECK(help.out == run_quire({cmd, "--help"}).out);
    CHECK_THAT(help.out, Catch::Contains("usage: quire " + cmd));
  }
  CHECK_THAT(run_quire({"help"}).out, Catch::Contains("commands:"));

  struct Case {
    std::vector<std::string> args;
    std::string says;
  };
  const std::vector<Case> cases = {
      {{"serch", "kashmir"}, "unknown command 'serch' (did you mean 'search'?)"},
      {{"idnex", "x"}, "(did you mean 'index'?)"},
      {{"colection", "list"}, "(did you mean 'collection'?)"},
      {{"help", "serch"}, "help: unknown command 'serch' (did you mean 'search'?)"},
      {{"frobnicate"}, "unknown command 'frobnicate'; 'quire help' lists the commands"},
      {{"search", "--limt", "3", "kashmir"}, "(did you mean '--limit'?)"},
      {{"search", "--pasages", "kashmir"}, "(did you mean '--passages'?)"},
      {{"search", "--facet-ordr", "value", "kashmir"}, "(did you mean '--facet-order'?)"},
      {{"index", "--rebuidl", "x"}, "(did you mean '--rebuild'?)"},
      {{"search", "--zzzzzz", "kashmir"}, "; --help lists the options"},
      // rt17 row 35: actions and option values too.
      {{"collection", "nwe", "x"}, "collection: unknown action 'nwe' (did you mean 'new'?)"},
      {{"collection", "lsit"}, "(did you mean 'list'?)"},
      {{"collection", "zzzzzz", "x"}, "unknown action 'zzzzzz'; 'quire collection --help' lists the actions"},
      {{"search", "--sort", "newst", "x"}, "not 'newst' (did you mean 'newest'?)"},
      {{"search", "--sort", "dte", "x"}, "(did you mean 'date'?)"},
      {{"search", "--facet-order", "vaule", "--facets", "actor", "x"}, "(did you mean 'value'?)"},
      {{"search", "--format", "bibtx", "x"}, "(did you mean 'bibtex'?)"},
      {{"search", "--color", "alwyas", "x"}, "(did you mean 'always'?)"},
  };
  for (const auto& c : cases) {
    INFO(c.args[0] << " " << (c.args.size() > 1 ? c.args[1] : ""));
    const auto e = run_quire(c.args);
    CHECK(e.exit_code == 2);
    CHECK_THAT(e.err, Catch::Contains(c.says));
    CHECK(e.err.find("commands:") == std::string::npos);  // one line, not the whole usage
  }
  CHECK_THAT(run_quire({"search", "--zzzzzz", "kashmir"}).err, !Catch::Contains("did you mean"));
}

TEST_CASE("quire similar ID and like:ID: documents like a document, without it", "[search][similar][ungdc]") {
  SKIP_WITHOUT_UNGDC();
  const std::string& db = ungdc_index();
  const auto j = search(db, {"like:UNGDC_PAK_20_1965"});
  REQUIRE(j["total"].get<int>() >= 3);
  for (const auto& hit : j["results"]) CHECK(hit["id"] != "UNGDC_PAK_20_1965");
  // Pakistan's speech of 1965 is about Kashmir: the speeches most like it are the other Kashmir speeches
  // (Pakistan's of 1963 and 1964, India's of 1965), not Britain's or Afghanistan's.
  std::set<std::string> top3;
  for (std::size_t i = 0; i < 3; ++i) top3.insert(j["results"][i]["id"]);
  CHECK(top3.count("UNGDC_GBR_21_1966") == 0);
  CHECK(top3.count("UNGDC_AFG_16_1961") == 0);
  CHECK((top3.count("UNGDC_PAK_19_1964") + top3.count("UNGDC_IND_20_1965") + top3.count("UNGDC_PAK_18_1963")) >= 2);

  // quire similar is the same search.
  const auto r = run_quire({"search", "--db", db, "--json", "--limit", "50", "like:UNGDC_PAK_20_1965"});
  const auto s = run_quire({"similar", "--db", db, "--json", "--limit", "50", "UNGDC_PAK_20_1965"});
  REQUIRE(s.exit_code == 0);
  CHECK(nlohmann::json::parse(s.out)["results"] == nlohmann::json::parse(r.out)["results"]);
  // With filters, and combined with words.
  const auto india = search(db, {"like:UNGDC_PAK_20_1965 by:IND"});
  for (const auto& hit : india["results"]) CHECK(hit["by"] == nlohmann::json::array({"india"}));
  CHECK(search(db, {"--limit", "1", "like:UNGDC_PAK_20_1965 kashmir"})["results"][0]["id"] != "UNGDC_PAK_20_1965");
  // A passage: passages like passage 3 of the speech, from other documents.
  const auto p = search(db, {"--passages", "like:UNGDC_PAK_20_1965#3"});
  REQUIRE(!p["results"].empty());
  for (const auto& hit : p["results"]) CHECK(hit["id"] != "UNGDC_PAK_20_1965");

  // An id the index does not hold is an error that names it.
  for (const std::vector<std::string>& args : {std::vector<std::string>{"similar", "--db", db, "NO_SUCH_DOC"},
                                               std::vector<std::string>{"search", "--db", db, "like:NO_SUCH_DOC"}}) {
    const auto e = run_quire(args);
    CHECK(e.exit_code == 2);
    CHECK_THAT(e.err, Catch::Contains("like:NO_SUCH_DOC: the index holds no document"));
  }
  CHECK(run_quire({"similar", "--db", db}).exit_code == 2);
  CHECK(run_quire({"similar", "--db", db, "A", "B"}).exit_code == 2);
}
