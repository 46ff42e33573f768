// Reference-manager exports: escaping, name splitting, and the shape of each format.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "quire/exports.h"

namespace {

quire::DocumentMeta sample() {
  quire::DocumentMeta m;
  m.id = "doc 1";
  m.title = "Pakistan, \"CPEC\" & the 50% question";
  m.authors = {
      "Zo\xC3\xAB \xC3\x96"
      "degaard",
      "Brookings"};
  m.publisher = "Institute_of {Studies}";
  m.date = "2024-03-05";
  m.type = "report";
  m.pages = "12-19";
  m.url = "https://example.org/a?b=1&c=2";
  return m;
}

}  // namespace

TEST_CASE("bibtex_escape escapes LaTeX specials and spells accents as commands", "[export]") {
  const struct {
    const char* in;
    const char* out;
  } cases[] = {
      {"R&D 50% $5 #1 a_b", "R\\&D 50\\% \\$5 \\#1 a\\_b"},
      {"{x} ~ ^ \\", "\\textbraceleft{}x\\textbraceright{} \\textasciitilde{} \\textasciicircum{} \\textbackslash{}"},
      {"Zo\xC3\xAB", "Zo{\\\"e}"},           // ë
      {"\xC3\x93 Briain", "{\\'O} Briain"},  // Ó
      {"\xC5\x81\xC3\xB3"
       "d\xC5\xBA",
       "{\\L}{\\'o}d{\\'z}"},  // Łódź
      {"Stra\xC3\x9F"
       "e",
       "Stra{\\ss}e"},                             // ß
      {"US\xE2\x80\x93Pakistan", "US--Pakistan"},  // en dash
      {"\xE2\x80\x9Cquoted\xE2\x80\x9D", "``quoted''"},
      {"\xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0", "\xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0"},  // kept
  };
  for (const auto& c : cases) {
    INFO(c.in);
    CHECK(quire::bibtex_escape(c.in) == c.out);
  }
}

TEST_CASE("split_name gives family and given names", "[export]") {
  CHECK(quire::split_name("Sameer P. Lalwani") == std::pair<std::string, std::string>{"Lalwani", "Sameer P."});
  CHECK(quire::split_name("Roe, Jane") == std::pair<std::string, std::string>{"Roe", "Jane"});
  CHECK(quire::split_name("Brookings") == std::pair<std::string, std::string>{"Brookings", ""});
}

TEST_CASE("RIS: one tag per line, family-name-first authors, ER ends each record", "[export]") {
  const std::string ris = quire::export_documents({sample()}, "ris");
  CHECK_THAT(ris, Catch::StartsWith("TY  - RPRT\r\n"));
  CHECK_THAT(ris, Catch::Contains("AU  - \xC3\x96"
                                  "degaard, Zo\xC3\xAB\r\n"));
  CHECK_THAT(ris, Catch::Contains("AU  - Brookings\r\n"));
  CHECK_THAT(ris, Catch::Contains("DA  - 2024/03/05\r\n"));
  CHECK_THAT(ris, Catch::Contains("SP  - 12\r\nEP  - 19\r\n"));
  CHECK_THAT(ris, Catch::EndsWith("ER  - \r\n\r\n"));
}

TEST_CASE("BibTeX: entry type, key, escaped fields, organisations braced", "[export]") {
  const std::string bib = quire::export_documents({sample(), sample()}, "bibtex");
  CHECK_THAT(bib, Catch::StartsWith("@techreport{doc_1,\n"));
  CHECK_THAT(bib, Catch::Contains("@techreport{doc_1_2,\n"));  // keys stay unique
  CHECK_THAT(bib, Catch::Contains("title = {Pakistan, {``CPEC''} \\& the 50\\% question},"));
  CHECK_THAT(bib, Catch::Contains("author = {{\\\"O}degaard, Zo{\\\"e} and {Brookings}},"));
  CHECK_THAT(bib, Catch::Contains("institution = {Institute\\_of \\textbraceleft{}Studies\\textbraceright{}},"));
  CHECK_THAT(bib, Catch::Contains("month = mar,"));
  CHECK_THAT(bib, Catch::Contains("pages = {12--19},"));
}

TEST_CASE("CSV follows RFC 4180: CRLF, quoted fields, doubled quotes", "[export]") {
  const std::string csv = quire::export_documents({sample()}, "csv");
  CHECK_THAT(csv, Catch::StartsWith("id,title,title_devised,authors,date,"));
  CHECK_THAT(csv, Catch::Contains("\r\ndoc 1,\"Pakistan, \"\"CPEC\"\" & the 50% question\",no,"));
  CHECK_THAT(csv, Catch::EndsWith("\r\n"));
}

TEST_CASE("CSL-JSON: types, names and date parts", "[export]") {
  const auto j = nlohmann::json::parse(quire::export_documents({sample()}, "csl-json"));
  REQUIRE(j.size() == 1);
  CHECK(j[0]["type"] == "report");
  CHECK(j[0]["author"][0]["family"] ==
        "\xC3\x96"
        "degaard");
  CHECK(j[0]["author"][1]["literal"] == "Brookings");
  CHECK(j[0]["issued"]["date-parts"][0] == nlohmann::json({2024, 3, 5}));
  CHECK_THROWS_AS(quire::export_documents({}, "endnote"), std::invalid_argument);
}

TEST_CASE("spreadsheet_text: no part of a cell is a formula at any separator a spreadsheet splits at",
          "[export][csv-injection]") {
  const std::pair<std::string, std::string> cases[] = {
      {"=1+1", "'=1+1"},
      {"a;=HYPERLINK(\"http://x\")", "a;'=HYPERLINK(\"http://x\")"},
      {"a; =1", "a; '=1"},
      {"a,+1", "a,'+1"},
      {"a\t-1", "a\t'-1"},
      {"a\n@SUM(A1)", "a\n'@SUM(A1)"},
      {"a\r=1", "a\r'=1"},
      {"\t=1", "'\t'=1"},
      {"a;\xEF\xBC\x9D"
       "1",
       "a;'\xEF\xBC\x9D"
       "1"},
      {"=a;=b;=c", "'=a;'=b;'=c"},
      {"1990-2000; Smith, J.", "1990-2000; Smith, J."},
      {"a - b; c = d", "a - b; c = d"},
      {"", ""},
      {";", ";"},
  };
  for (const auto& [in, out] : cases) {
    INFO(in);
    CHECK(quire::spreadsheet_text(in) == out);
  }
  // A cell with a semicolon or a tab is quoted, so a locale that splits at it keeps it one cell.
  quire::DocumentMeta m;
  m.id = "d";
  m.title = "a;b";
  m.publisher = "x\ty";
  const std::string csv = quire::export_documents({m}, "csv");
  CHECK_THAT(csv, Catch::Contains(",\"a;b\","));
  CHECK_THAT(csv, Catch::Contains(",\"x\ty\","));
}
