// CLI tests for librarians' collections and exports, including a round trip of the RIS and BibTeX
// exports through bibutils (ris2xml, bib2xml: the parsers behind several reference managers' imports).
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <set>
#include <sstream>

#include "support.h"

using quire::test::run_program;
using quire::test::run_quire;
using quire::test::source_dir;
using quire::test::TempDir;

namespace fs = std::filesystem;

namespace {

// A copy of the bundled corpus in a folder of its own, so documents can be added and removed.
struct Library {
  TempDir dir;
  std::string docs = dir.path() + "/docs";
  std::string db = dir.path() + "/index";
  Library() {
    fs::create_directories(docs);
    for (const auto& e : fs::directory_iterator(source_dir() + "/corpus"))
      if (e.path().extension() == ".xml") fs::copy_file(e.path(), fs::path(docs) / e.path().filename());
    REQUIRE(index().exit_code == 0);
  }
  quire::test::RunResult index(const std::vector<std::string>& extra = {}) const {
    std::vector<std::string> args = {"index", "--db", db};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(docs);
    return run_quire(args);
  }
  quire::test::RunResult collection(std::vector<std::string> args) const {
    args.insert(args.begin(), "collection");
    args.push_back("--db");
    args.push_back(db);
    return run_quire(args);
  }
};

const char* const kSpecialDoc = R"(<?xml version="1.0" encoding="UTF-8"?>
<document version="1" id="special-1">
  <meta>
    <title>CPEC, "debt traps" &amp; the 50% question: a {braced} view</title>
    <authors>
      <author>Zoë Ödegaard</author>
      <author>Łukasz Wróbel</author>
    </authors>
    <publisher>Institute_for Straße Studies</publisher>
    <date>2025-06-30</date>
    <type>report</type>
  </meta>
  <body>
    <section>
      <p>The China–Pakistan Economic Corridor is discussed here as a corridor of debt and of roads.</p>
    </section>
  </body>
</document>
)";

std::string mods_text(const pugi::xml_node& n) { return n.text().get(); }

struct ModsRecord {
  std::string title, date, publisher;
  std::vector<std::pair<std::string, std::string>> names;  // family, given
};

// MODS records by id, as bibutils writes them.
std::map<std::string, ModsRecord> parse_mods(const std::string& xml) {
  pugi::xml_document doc;
  REQUIRE(doc.load_string(xml.c_str()));
  std::map<std::string, ModsRecord> out;
  for (const auto& m : doc.child("modsCollection").children("mods")) {
    ModsRecord r;
    const auto ti = m.child("titleInfo");
    r.title = mods_text(ti.child("title"));
    if (ti.child("subTitle")) r.title += ": " + mods_text(ti.child("subTitle"));
    for (const auto& n : m.children("name")) {
      std::string family, given;
      for (const auto& part : n.children("namePart")) {
        const std::string type = part.attribute("type").value();
        if (type == "family") family = part.text().get();
        if (type == "given") given += (given.empty() ? "" : " ") + std::string(part.text().get());
      }
      r.names.emplace_back(family, given);
    }
    // The date and publisher sit in originInfo, or in the host item's for journal articles.
    for (const auto& info : m.select_nodes(".//originInfo")) {
      if (r.date.empty()) r.date = mods_text(info.node().child("dateIssued"));
      if (r.publisher.empty()) r.publisher = mods_text(info.node().child("publisher"));
    }
    std::string id = m.attribute("ID").value();
    out[id] = r;
  }
  return out;
}

// bibutils turns TeX's quotes and apostrophes into typographic ones, as TeX would print them.
std::string straight_quotes(std::string s) {
  for (const auto& [curly, straight] :
       {std::pair<std::string, std::string>{"\xE2\x80\x99", "'"}, {"\xE2\x80\x9C", "\""}, {"\xE2\x80\x9D", "\""}})
    for (std::size_t at; (at = s.find(curly)) != std::string::npos;) s.replace(at, curly.size(), straight);
  return s;
}

// bibutils drops the full stop after an initial ("Sameer P. Lalwani" -> given "Sameer P").
std::string without_full_stops(std::string s) {
  s.erase(std::remove(s.begin(), s.end(), '.'), s.end());
  return s;
}

}  // namespace

TEST_CASE("collection: new, add, exclude, show, list", "[collection]") {
  Library lib;
  auto r = lib.collection({"new", "cpec", "--query", "CPEC OR corridor", "--actor", "china"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::StartsWith("created collection cpec: "));
  auto show = nlohmann::json::parse(lib.collection({"show", "cpec", "--json"}).out);
  const std::size_t matched = show["documents"].size();
  CHECK(matched >= 2);
  CHECK(show["history"].size() == 1);

  CHECK(lib.collection({"new", "cpec", "--query", "x"}).exit_code == 2);  // exists
  CHECK(lib.collection({"new", "bad/name", "--query", "x"}).exit_code == 2);

  r = lib.collection({"add", "cpec", "000_3e2589484e9b92d1", "no-such-doc"});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("no document 'no-such-doc'"));
  r = lib.collection({"exclude", "cpec", "003_d952ffbaf877831d"});
  REQUIRE(r.exit_code == 0);
  show = nlohmann::json::parse(lib.collection({"show", "cpec", "--json"}).out);
  std::set<std::string> ids;
  for (const auto& d : show["documents"]) ids.insert(d["id"].get<std::string>());
  CHECK(ids.count("000_3e2589484e9b92d1"));
  CHECK(!ids.count("003_d952ffbaf877831d"));
  CHECK(show["excluded"] == nlohmann::json::array({"003_d952ffbaf877831d"}));

  const auto list = lib.collection({"list"});
  CHECK_THAT(list.out, Catch::StartsWith("cpec\t"));
  CHECK(lib.collection({"show", "nothing"}).exit_code == 2);
}

TEST_CASE("collection list and show print filters as a query that can be pasted back (rt17 row 33)", "[collection]") {
  Library lib;
  REQUIRE(lib.collection({"new", "usip", "--query", "", "--publisher", "United States Institute of Peace"}).exit_code ==
          0);
  const auto list = lib.collection({"list"});
  INFO(list.out);
  const std::string pasted = "publisher:\"United States Institute of Peace\"";
  CHECK_THAT(list.out, Catch::Contains("\t" + pasted + "\n"));
  CHECK_THAT(lib.collection({"show", "usip"}).out, Catch::Contains(" " + pasted + "\n"));
  // Pasted into a search, it finds the collection's document.
  const auto r = run_quire({"search", "--db", lib.db, "--json", pasted});
  REQUIRE(r.exit_code == 0);
  CHECK(nlohmann::json::parse(r.out)["total"] == 1);
}

TEST_CASE("collection: survives re-indexing and --rebuild: refresh reports new and gone", "[collection]") {
  Library lib;
  REQUIRE(lib.collection({"new", "debt", "--query", "debt"}).exit_code == 0);
  const auto before = nlohmann::json::parse(lib.collection({"show", "debt", "--json"}).out)["documents"].size();

  quire::test::TempDir scratch;
  const std::string special = lib.docs + "/special.xml";
  std::ofstream(special) << kSpecialDoc;
  REQUIRE(lib.index().exit_code == 0);
  auto r = lib.collection({"refresh", "debt"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("1 new, 0 gone"));
  CHECK_THAT(r.out, Catch::Contains("  + special-1  CPEC, \"debt traps\""));

  REQUIRE(lib.index({"--rebuild"}).exit_code == 0);
  const auto after = nlohmann::json::parse(lib.collection({"show", "debt", "--json"}).out);
  CHECK(after["documents"].size() == before + 1);
  CHECK(after["history"].size() == 2);

  fs::remove(special);
  REQUIRE(lib.index({"--prune"}).exit_code == 0);
  r = lib.collection({"refresh", "debt"});
  CHECK_THAT(r.out, Catch::Contains("0 new, 1 gone"));
  CHECK_THAT(r.out, Catch::Contains("  - special-1"));
  CHECK(lib.collection({"delete", "debt"}).exit_code == 0);
  CHECK(lib.collection({"list"}).out.empty());
}

TEST_CASE("exports of the bundled corpus round-trip through bibutils", "[collection][export]") {
  Library lib;
  std::ofstream(lib.docs + "/special.xml") << kSpecialDoc;
  REQUIRE(lib.index().exit_code == 0);
  REQUIRE(lib.collection({"new", "all", "--query", "pakistan OR corridor"}).exit_code == 0);
  const auto jsonl = lib.collection({"export", "all", "--format", "jsonl"});
  REQUIRE(jsonl.exit_code == 0);
  std::map<std::string, nlohmann::json> meta;  // what quire holds, to compare against
  std::istringstream lines(jsonl.out);
  for (std::string l; std::getline(lines, l);) {
    auto j = nlohmann::json::parse(l);
    meta[j["id"].get<std::string>()] = j;
  }
  REQUIRE(meta.size() == 6);

  for (const char* format : {"ris", "bibtex"}) {
    INFO(format);
    const std::string file = lib.dir.path() + "/export." + format;
    REQUIRE(lib.collection({"export", "all", "--format", format, "--output", file}).exit_code == 0);
    const auto parsed = run_program({std::string(format) == "ris" ? "ris2xml" : "bib2xml", file});
    REQUIRE(parsed.exit_code != 127);  // bibutils is installed by scripts/install-deps
    REQUIRE(parsed.exit_code == 0);
    const auto records = parse_mods(parsed.out);
    REQUIRE(records.size() == meta.size());
    for (const auto& [id, m] : meta) {
      INFO(id);
      REQUIRE(records.count(id));
      const ModsRecord& rec = records.at(id);
      std::string title = m["title"];
      if (m.value("title_devised", false)) title = std::string("[").append(title).append("]");
      CHECK(straight_quotes(rec.title) == title);
      const auto authors = m.value("authors", std::vector<std::string>{});
      REQUIRE(rec.names.size() == authors.size());
      for (std::size_t i = 0; i < authors.size(); ++i)
        CHECK(rec.names[i].second + " " + rec.names[i].first == without_full_stops(authors[i]));
      if (m.contains("date")) {  // as much of the date as the format carries: the year at least
        const std::string date = m["date"];
        CHECK(rec.date.size() >= 4);
        CHECK(date.compare(0, rec.date.size(), rec.date) == 0);
      }
    }
    CHECK(records.at("special-1").publisher ==
          "Institute_for Stra\xC3\x9F"
          "e Studies");
  }

  const auto csv = lib.collection({"export", "all", "--format", "csv"});
  CHECK_THAT(csv.out, Catch::Contains("special-1,\"CPEC, \"\"debt traps\"\" & the 50% question: a {braced} view\",no,"
                                      "\"\xC3\x96"
                                      "degaard, Zo\xC3\xAB; Wr\xC3\xB3"
                                      "bel, \xC5\x81ukasz\",2025-06-30,"));  // as RIS names them (rt17h row 20)
  const auto csl = nlohmann::json::parse(lib.collection({"export", "all", "--format", "csl-json"}).out);
  CHECK(csl.size() == 6);

  // One-off exports from a search.
  const auto ris = run_quire({"search", "--db", lib.db, "--format", "ris", "--limit", "2", "debt"});
  REQUIRE(ris.exit_code == 0);
  CHECK_THAT(ris.out, Catch::StartsWith("TY  - "));
  CHECK(run_quire({"search", "--db", lib.db, "--format", "endnote", "debt"}).exit_code == 2);
}
