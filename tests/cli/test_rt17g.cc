// rt17's rows on headings, exports and like: (docs/red-team/2026-12-01-search-rt17.md), on the UNGDC
// speeches the rows name, indexed with their catalogue map, beside every 250th speech of the archive.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "support.h"

using quire::test::run_program;
using quire::test::run_quire;
using quire::test::shared_dir;
using quire::test::source_dir;
using quire::test::TempDir;

namespace fs = std::filesystem;

namespace {

const char* const kNamed[] = {
    "Session 50 - 1995/AUS_50_1995.txt", "Session 20 - 1965/PAK_20_1965.txt", "Session 20 - 1965/IND_20_1965.txt",
    "Session 59 - 2004/HND_59_2004.txt", "Session 59 - 2004/BTN_59_2004.txt", "Session 59 - 2004/BLR_59_2004.txt",
    "Session 64 - 2009/ISR_64_2009.txt", "Session 61 - 2006/VEN_61_2006.txt", "Session 60 - 2005/BRN_60_2005.txt",
    "Session 60 - 2005/BRA_60_2005.txt", "Session 66 - 2011/TON_66_2011.txt", "Session 79 - 2024/CHN_79_2024.txt",
    "Session 76 - 2021/KHM_76_2021.txt", "Session 79 - 2024/VAT_79_2024.txt", "Session 59 - 2004/MMR_59_2004.txt",
    "Session 64 - 2009/LBY_64_2009.txt"};

const std::string& sample_index() {
  static TempDir dir;
  static const std::string db = [] {
    const std::string data = shared_dir() + "/data/ungdc";
    if (!fs::exists(data + "/ungdc-txt.tar.xz")) return std::string();
    const auto listing = run_program({"tar", "-tJf", data + "/ungdc-txt.tar.xz"});
    if (listing.exit_code != 0) FAIL("cannot list UNGDC: " << listing.err);
    std::vector<std::string> files;
    std::istringstream lines(listing.out);
    for (std::string line; std::getline(lines, line);)
      if (line.size() > 4 && line.compare(line.size() - 4, 4, ".txt") == 0) files.push_back(line);
    std::set<std::string> wanted;
    for (const char* f : kNamed) wanted.insert(std::string("TXT/") + f);
    for (std::size_t i = 0; i < files.size(); i += 250) wanted.insert(files[i]);
    return quire::test::ungdc_index(dir, std::vector<std::string>(wanted.begin(), wanted.end()));
  }();
  return db;
}

#define SKIP_WITHOUT_UNGDC()                                         \
  if (sample_index().empty()) {                                      \
    WARN("skipped: " << shared_dir() << "/data/ungdc is not there"); \
    return;                                                          \
  }

nlohmann::json search(std::vector<std::string> args) {
  args.insert(args.begin(), {"search", "--db", sample_index(), "--json"});
  const auto r = run_quire(args);
  INFO(r.err);
  REQUIRE(r.exit_code <= 1);
  return nlohmann::json::parse(r.out);
}

std::string exported(const std::string& format, const std::string& query) {
  const auto r = run_quire({"search", "--db", sample_index(), "--format", format, "--limit", "100", query});
  INFO(query << ": " << r.err);
  REQUIRE(r.exit_code == 0);
  return r.out;
}

}  // namespace

TEST_CASE("rt17 rows 21, 22: plain-text speeches get no invented headings", "[rt17][headings][ungdc]") {
  SKIP_WITHOUT_UNGDC();
  // The opening sentence of AUS_50_1995 is searchable text.
  const auto opening = search({"\"I congratulate Mr. Diogo Freitas\" by:AUS"});
  REQUIRE(opening["total"] == 1);
  CHECK(opening["results"][0]["id"] == "UNGDC_AUS_50_1995");
  // No passage of the named speeches carries a heading: the red team's were "I congratulate Mr. Diogo",
  // "118. This Declaration also stated:", "For", "On behalf of the" and "37 09-52320".
  for (const char* speech : {"by:AUS session:50", "by:PAK session:20", "by:HND session:59", "by:BTN session:59",
                             "by:BLR session:59", "by:ISR session:64"}) {
    INFO(speech);
    const auto j = search({"--passages", "--limit", "1000", speech});
    REQUIRE(j["results"].size() > 10);
    std::set<std::string> sections;
    for (const auto& hit : j["results"])
      for (const auto& p : hit["passages"]) sections.insert(p.value("section", ""));
    CHECK(sections == std::set<std::string>{""});
  }
  // PAK_20_1965's paragraph 118 is text: its words find it.
  CHECK(search({"\"This Declaration also stated\" by:PAK"})["total"] == 1);
}

TEST_CASE("rt17 rows 27-32: UNGDC speakers' names in the exports", "[rt17][exports][ungdc]") {
  SKIP_WITHOUT_UNGDC();
  struct Case {
    const char* query;
    const char* format;
    const char* holds;
  };
  const Case cases[] = {
      {"by:VAT session:79", "ris", "AU  - Parolin, Pietro\r\n"},
      {"by:MMR session:59", "ris", "AU  - Wimn, Tin\r\n"},
      {"by:LBY session:64", "ris", "AU  - Al-Qadhafi, Maummar\r\n"},
      {"by:TON session:66", "bibtex", "author = {{Tu'ivakano}},"},
      {"by:BRA session:60", "ris", "AU  - Amorim, Celso Luiz Nunes\r\n"},
      {"by:BRA session:60", "bibtex", "author = {Amorim, Celso Luiz Nunes},"},
      {"by:CHN session:79", "csl-json", R"("family":"Wang","given":"Yi")"},
      {"by:KHM session:76", "csl-json", R"("family":"Hun","given":"Sen")"},
      {"by:BRN session:60", "ris", "AU  - Waddaulah, Hassanal Bolkiah Mu\xE2\x80\x99izzaddin\r\n"},
      {"by:BRN session:60", "csv", "Hassanal Bolkiah Mu\xE2\x80\x99izzaddin Waddaulah"},
      {"by:TON session:66", "bibtex", "the document states none. By: tonga."},
  };
  for (const auto& c : cases) {
    INFO(c.query << " " << c.format);
    std::string out = exported(c.format, c.query);
    if (std::string(c.format) == "csl-json") out = nlohmann::json::parse(out).dump();
    CHECK_THAT(out, Catch::Contains(c.holds));
    if (std::string(c.format) != "csv") CHECK(out.find(",,") == std::string::npos);  // CSV has empty fields
    CHECK(out.find("..") == std::string::npos);
    CHECK(out.find("\xC2\x92") == std::string::npos);
  }
  // The search's JSON shows the same cleaned form as the exports.
  const auto j = search({"by:BRN session:60"});
  REQUIRE(j["results"].size() == 1);
  CHECK(j["results"][0]["authors"][0] == "Haji Hassanal Bolkiah Mu\xE2\x80\x99izzaddin Waddaulah");
}

TEST_CASE("rt17 row 39: like:'s characteristic words hold no stop word nor a stop word's stem", "[rt17][like][ungdc]") {
  SKIP_WITHOUT_UNGDC();
  std::set<std::string> stop_stems = {"Zthat", "Zand", "Zveri", "Zani", "Zthe", "Zthis", "Zwhich", "Zhave"};
  for (const char* like : {"like:UNGDC_VEN_61_2006", "like:UNGDC_PAK_20_1965#37", "like:UNGDC_PAK_20_1965"}) {
    INFO(like);
    const auto j = search({"--explain", "--limit", "3", like});
    REQUIRE(j["results"].size() == 3);
    std::set<std::string> terms;
    for (const auto& hit : j["results"])
      for (const auto& t : hit["explain"]["terms"]) terms.insert(t["term"].get<std::string>());
    CHECK(terms.size() >= 5);
    for (const auto& t : terms) {
      INFO(t);
      CHECK(!stop_stems.count(t));
    }
  }
}
