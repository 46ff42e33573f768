// `quire index --metadata` on real UN General Debate speeches: the shipped map gives each speech its
// country (by), year, session and speaker from the file name and speakers_by_session.tsv, and
// "what did Pakistan say about Kashmir in the 1960s" is one query.
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "support.h"

using quire::test::run_program;
using quire::test::run_quire;
using quire::test::shared_dir;
using quire::test::source_dir;
using quire::test::TempDir;

namespace fs = std::filesystem;

namespace {

// Unpacks these speeches of the 1960s (and two of the 1940s) from the corpus archive into `dir`/TXT,
// with the map and the speakers table beside them. False if the data is not there.
bool unpack_speeches(const TempDir& dir) {
  const std::string data = shared_dir() + "/data/ungdc";
  if (!fs::exists(data + "/ungdc-txt.tar.xz")) return false;
  std::vector<std::string> cmd = {"tar", "-xJf", data + "/ungdc-txt.tar.xz", "-C", dir.path()};
  for (const char* f :
       {"Session 20 - 1965/PAK_20_1965.txt", "Session 20 - 1965/IND_20_1965.txt", "Session 17 - 1962/PAK_17_1962.txt",
        "Session 21 - 1966/GBR_21_1966.txt", "Session 03 - 1948/PAK_03_1948.txt", "Session 01 - 1946/ARG_01_1946.txt"})
    cmd.push_back(std::string("TXT/") + f);
  const auto r = run_program(cmd);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  fs::copy_file(source_dir() + "/benchmarks/ungdc/metadata.xml", dir.path() + "/metadata.xml");
  fs::copy_file(data + "/speakers_by_session.tsv", dir.path() + "/speakers_by_session.tsv");
  return true;
}

}  // namespace

TEST_CASE("UNGDC: speeches get country, year, session and speaker from the file name and a table",
          "[metadata][ungdc]") {
  TempDir dir;
  if (!unpack_speeches(dir)) {
    WARN("skipped: " << shared_dir() << "/data/ungdc is not there");
    return;
  }
  const std::string db = dir.path() + "/index";
  auto r = run_quire({"index", "--db", db, "--metadata", dir.path() + "/metadata.xml", dir.path() + "/TXT"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("indexed 6 of 6 files"));

  // Pakistan on Kashmir in the 1960s, as one query.
  r = run_quire({"search", "--db", db, "--json", "--facets", "by,published", "kashmir by:PAK published:1960s"});
  REQUIRE(r.exit_code == 0);
  const auto j = nlohmann::json::parse(r.out);
  REQUIRE(j["total"] == 2);
  std::set<std::string> years;
  for (const auto& hit : j["results"]) {
    CHECK(hit["by"] == nlohmann::json::array({"pakistan"}));
    CHECK(hit["extra"]["session"].get<std::string>().size() == 2);
    CHECK(hit["type"] == "speech");
    CHECK_THAT(hit["title"].get<std::string>(), Catch::StartsWith("Statement by Pakistan"));
    years.insert(hit["date"].get<std::string>());
  }
  CHECK(years == std::set<std::string>{"1962", "1965"});
  CHECK(j["facets"]["by"][0]["label"] == "Pakistan");
  CHECK(j["facets"]["by"][0]["documents"] == 2);

  // The speaker of 1965, from the table, is the author the citation names.
  r = run_quire({"search", "--db", db, "--json", "kashmir", "--by", "Pakistan", "--published", "1965"});
  const auto one = nlohmann::json::parse(r.out);
  REQUIRE(one["total"] == 1);
  CHECK_THAT(one["results"][0]["citation"].get<std::string>(), Catch::Contains("BHUTTO"));

  // A catalogue field is a filter too; India spoke in session 20 as well.
  r = run_quire({"search", "--db", db, "--json", "--facets", "by", "session:20"});
  REQUIRE(r.exit_code == 0);
  CHECK(nlohmann::json::parse(r.out)["total"] == 2);

  // Editing the map re-indexes the files it changes, though the files did not change.
  std::string map = quire::test::read_file(dir.path() + "/metadata.xml");
  const std::string speech = "<field name=\"type\">speech</field>";
  REQUIRE(map.find(speech) != std::string::npos);
  map.replace(map.find(speech), speech.size(), "<field name=\"type\">statement</field>");
  dir.write("metadata.xml", map);
  r = run_quire({"index", "--db", db, "--metadata", dir.path() + "/metadata.xml", dir.path() + "/TXT"});
  CHECK_THAT(r.out, Catch::Contains("indexed 6 of 6 files (0 unchanged"));
  r = run_quire({"search", "--db", db, "--json", "kashmir", "--by", "PAK"});
  CHECK(nlohmann::json::parse(r.out)["results"][0]["type"] == "statement");
}

TEST_CASE("UNGDC: by: reads each code in its year, codes never collide with names, catalogue people are actors",
          "[metadata][ungdc][identity]") {
  TempDir dir;
  const std::string data = shared_dir() + "/data/ungdc";
  if (!fs::exists(data + "/ungdc-txt.tar.xz")) {
    WARN("skipped: " << data << " is not there");
    return;
  }
  std::vector<std::string> cmd = {"tar", "-xJf", data + "/ungdc-txt.tar.xz", "-C", dir.path()};
  for (const char* f :
       {"Session 20 - 1965/RUS_20_1965.txt", "Session 47 - 1992/RUS_47_1992.txt", "Session 20 - 1965/IND_20_1965.txt",
        "Session 47 - 1992/IND_47_1992.txt", "Session 20 - 1965/USA_20_1965.txt", "Session 47 - 1992/USA_47_1992.txt",
        "Session 45 - 1990/NAM_45_1990.txt", "Session 20 - 1965/CHN_20_1965.txt", "Session 20 - 1965/PAK_20_1965.txt",
        "Session 19 - 1964/TUR_19_1964.txt"})
    cmd.push_back(std::string("TXT/") + f);
  auto r = run_program(cmd);
  REQUIRE(r.exit_code == 0);
  fs::copy_file(source_dir() + "/benchmarks/ungdc/metadata.xml", dir.path() + "/metadata.xml");
  fs::copy_file(data + "/speakers_by_session.tsv", dir.path() + "/speakers_by_session.tsv");
  const std::string db = dir.path() + "/index";
  r = run_quire({"index", "--db", db, "--metadata", dir.path() + "/metadata.xml", dir.path() + "/TXT"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto ids = [&](const std::string& query) {
    const auto res = run_quire({"search", "--db", db, "--json", "--limit", "50", query});
    INFO(query << ": " << res.err);
    REQUIRE(res.exit_code <= 1);
    std::set<std::string> out;
    const auto found = nlohmann::json::parse(res.out);
    for (const auto& hit : found["results"]) out.insert(hit["id"].get<std::string>());
    return out;
  };
  using Ids = std::set<std::string>;
  struct Case {
    const char* query;
    Ids ids;
  };
  const Case cases[] = {
      // The same code in two years is two states; a name means one of them, "+" both on purpose.
      {"by:RUS", {"UNGDC_RUS_20_1965", "UNGDC_RUS_47_1992"}},
      {"by:\"Soviet Union\" published:1960s", {"UNGDC_RUS_20_1965"}},
      {"by:ussr", {"UNGDC_RUS_20_1965"}},
      {"by:russia", {"UNGDC_RUS_47_1992"}},
      {"by:Russia+", {"UNGDC_RUS_20_1965", "UNGDC_RUS_47_1992"}},
      {"by:SUN", {"UNGDC_RUS_20_1965"}},
      {"by:CHN", {"UNGDC_CHN_20_1965"}},  // the code, read in 1965: the Republic of China's seat
      {"by:china", {}},                   // the People's Republic spoke from 1971 on
      {"by:\"Republic of China\"", {"UNGDC_CHN_20_1965"}},
      // Codes never collide with names: India is not the US ("Ind."), Namibia not the NAM.
      {"by:IND", {"UNGDC_IND_20_1965", "UNGDC_IND_47_1992"}},
      {"by:India", {"UNGDC_IND_20_1965", "UNGDC_IND_47_1992"}},
      {"by:\"Republic of India\"", {"UNGDC_IND_20_1965", "UNGDC_IND_47_1992"}},
      {"by:NAM", {"UNGDC_NAM_45_1990"}},
      {"by:Namibia", {"UNGDC_NAM_45_1990"}},
      {"by:USA", {"UNGDC_USA_20_1965", "UNGDC_USA_47_1992"}},
      // The speakers table's people are person actors: Turkey's delegate named Mr. Bhutto in 1964.
      {"actor:Bhutto", {"UNGDC_TUR_19_1964"}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.query);
    CHECK(ids(c.query) == c.ids);
  }
  r = run_quire({"search", "--db", db, "--json", "--facets", "by,actor", "--facet-limit", "200", "by:RUS"});
  const auto j = nlohmann::json::parse(r.out);
  std::set<std::string> labels;
  for (const auto& f : j["facets"]["by"]) labels.insert(f["label"].get<std::string>());
  CHECK(labels == std::set<std::string>{"Soviet Union", "Russia"});
  r = run_quire({"search", "--db", db, "--json", "--facets", "actor", "--facet-limit", "500", "actor:Bhutto"});
  bool labelled = false;
  const auto bhutto = nlohmann::json::parse(r.out);
  for (const auto& f : bhutto["facets"]["actor"])
    labelled = labelled || (f["id"] == "~bhutto" && f["label"] == "Bhutto");
  CHECK(labelled);
  // A 1964 or 1965 speech never tags the Xi of Roman numerals, nor a state that did not exist yet.
  r = run_quire({"facets", "--db", db, "--json", "--facets", "actor", "--facet-limit", "1000", "published:..1991"});
  const auto before_1992 = nlohmann::json::parse(r.out);
  for (const auto& f : before_1992["facets"]["actor"]) {
    CAPTURE(f["id"]);
    CHECK(f["id"] != "xi-jinping");
    CHECK(f["id"] != "russia");
    CHECK(f["id"] != "african-union");
  }
}

TEST_CASE("a bad metadata map stops `quire index` before it writes, naming the map and line", "[metadata]") {
  TempDir dir;
  const std::string doc = dir.write("docs/a.txt", "A paragraph about trade.\n");
  const std::string map =
      dir.write("map.xml", "<metadata>\n<files>\n<field name=\"Bad Name\">x</field>\n</files></metadata>");
  const auto r = run_quire({"index", "--db", dir.path() + "/index", "--metadata", map, dir.path() + "/docs"});
  CHECK(r.exit_code != 0);
  CHECK_THAT(r.err, Catch::Contains("map.xml:3"));
  CHECK_FALSE(fs::exists(dir.path() + "/index"));
}

TEST_CASE("rt13g: a catalogue's full dates are read to the day of a change of state, a year alone by the year",
          "[metadata][identity][rt13g]") {
  TempDir dir;
  struct File {
    const char* name;
    const char* by;
    const char* date;
  };
  // Both sides of each change the gazetteer dates to the day, the year alone, and no date (row 9: a
  // code that changed holder is today's holder).
  const File files[] = {
      {"chn_a", "CHN", "1971-10-24"}, {"chn_b", "CHN", "1971-10-26"}, {"chn_y", "CHN", "1971"},
      {"deu_a", "DEU", "1990-10-02"}, {"deu_b", "DEU", "1990-10-04"}, {"deu_y", "DEU", "1990"},
      {"rus_a", "RUS", "1991-12-25"}, {"rus_b", "RUS", "1991-12-27"}, {"bfa_a", "BFA", "1984-08-03"},
      {"bfa_b", "BFA", "1984-08-05"}, {"ben_a", "BEN", "1975-11-29"}, {"ben_b", "BEN", "1975-12-01"},
      {"zar_a", "COD", "1971-10-26"}, {"zar_b", "COD", "1971-10-27"}, {"zar_c", "COD", "1997-05-16"},
      {"zar_d", "COD", "1997-05-18"}, {"zar_y", "COD", "1971"},   {"nodate", "DEU", ""},
  };
  std::string csv = "file,by,date\n";
  for (const auto& f : files) {
    dir.write(std::string("docs/") + f.name + ".txt", "The delegation spoke in Moscow about the situation.\n");
    csv += std::string(f.name) + ".txt," + f.by + "," + f.date + "\n";
  }
  dir.write("cat.csv", csv);
  const std::string map = dir.write("map.xml",
                                    "<metadata version=\"1\">\n  <files name=\"*.txt\">\n"
                                    "    <table file=\"cat.csv\" match=\"file={name}\"/>\n"
                                    "    <field name=\"id\">{stem}</field>\n    <field name=\"by\">{by}</field>\n"
                                    "    <field name=\"date\">{date}</field>\n  </files>\n</metadata>\n");
  const std::string db = dir.path() + "/index";
  auto r = run_quire({"index", "--db", db, "--metadata", map, dir.path() + "/docs"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto ids = [&](const std::string& query) {
    const auto res = run_quire({"search", "--db", db, "--json", "--limit", "50", query});
    INFO(query << ": " << res.err);
    REQUIRE(res.exit_code <= 1);
    std::set<std::string> out;
    const auto found = nlohmann::json::parse(res.out);
    for (const auto& hit : found["results"]) out.insert(hit["id"].get<std::string>());
    return out;
  };
  using Ids = std::set<std::string>;
  struct Case {
    const char* query;
    Ids ids;
  };
  const Case cases[] = {
      {"by:roc", {"chn_a", "chn_y"}},
      {"by:china", {"chn_b"}},
      {"by:west-germany", {"deu_a", "deu_y"}},
      {"by:germany", {"deu_b", "nodate"}},
      {"by:ussr", {"rus_a"}},
      {"by:russia", {"rus_b"}},
      {"by:RUS", {"rus_a", "rus_b"}},
      // "Moscow" in the text is read at the same date.
      {"actor:russia", {"rus_b", "zar_c", "zar_d", "nodate"}},
      // A former name in a filter reaches the days it was the official name; a year alone is kept.
      {"by:\"Upper Volta\"", {"bfa_a"}},
      {"by:Dahomey", {"ben_a"}},
      {"by:Zaire", {"zar_b", "zar_c", "zar_y"}},
      {"by:burkina-faso", {"bfa_a", "bfa_b"}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.query);
    CHECK(ids(c.query) == c.ids);
  }
}
