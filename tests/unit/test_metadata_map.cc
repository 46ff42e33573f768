// Metadata maps: file-name patterns, tables joined on captures or paths, field templates, errors.
#include <catch2/catch.hpp>

#include "quire/errors.h"
#include "quire/metadata_map.h"
#include "support.h"

using quire::test::TempDir;

namespace {

std::string value_of(const quire::MetadataFields& f, const std::string& name) {
  std::string v;
  for (const auto& [k, val] : f) {
    if (k == name) v = val;
  }
  return v;
}

}  // namespace

TEST_CASE("a file-name pattern and a joined table give each file its fields", "[metadata]") {
  TempDir dir;
  dir.write("speakers.tsv",
            "Year\tSession\tISO Code\tCountry\tName of Person Speaking\n"
            "1965\t20\tPAK\tPakistan \tZulfikar Ali Bhutto\n"
            "1965\t20\tIND\tIndia\tSardar Swaran Singh\n");
  const std::string map = dir.write("map.xml", R"(<metadata>
      <files name="{iso3}_{session}_{year}.txt">
        <table file="speakers.tsv" match="ISO Code={iso3}; Session={session}; Year={year}"/>
        <field name="by">{iso3}</field>
        <field name="date">{year}</field>
        <field name="author">{Name of Person Speaking}</field>
        <field name="title">{Country}, session {session}</field>
        <field name="session">{session}</field>
      </files></metadata>)");
  const auto m = quire::MetadataMap::load(map);

  const auto pak = m.fields_for(dir.path() + "/TXT/Session 20 - 1965/PAK_20_1965.txt");
  CHECK(value_of(pak, "by") == "PAK");
  CHECK(value_of(pak, "date") == "1965");
  CHECK(value_of(pak, "author") == "Zulfikar Ali Bhutto");
  CHECK(value_of(pak, "title") == "Pakistan, session 20");  // the cell's trailing space is gone
  CHECK(value_of(pak, "session") == "20");

  SECTION("a number in the name meets the same number in the table with leading zeros or without") {
    dir.write("speakers.tsv",
              "Year\tSession\tISO Code\tCountry\tName of Person Speaking\n1946\t1\tARG\tArgentina\tX\n");
    const auto m2 = quire::MetadataMap::load(map);
    CHECK(value_of(m2.fields_for(dir.path() + "/ARG_01_1946.txt"), "author") == "X");
  }
  SECTION("no row: fields that need the table are left out, the others are set") {
    const auto f = m.fields_for(dir.path() + "/USA_20_1965.txt");
    CHECK(value_of(f, "author").empty());
    CHECK(value_of(f, "title").empty());
    CHECK(value_of(f, "by") == "USA");
  }
  SECTION("a file the pattern does not match gets nothing") { CHECK(m.fields_for(dir.path() + "/notes.txt").empty()); }
}

TEST_CASE("a CSV catalogue keyed by path or glob", "[metadata]") {
  TempDir dir;
  dir.write("catalogue.csv",
            "file,title,author,date\n"
            "reports/a.txt,\"Trade, Aid and Power\",\"Roe, Jane; Doe, John\",2024-03\n"
            "speeches/*.txt,Speech,,2023\n");
  const std::string map = dir.write("map.xml", R"(<metadata><files>
      <table file="catalogue.csv" match="file={path}"/>
      <field name="title">{title}</field><field name="author">{author}</field><field name="date">{date}</field>
      </files></metadata>)");
  const auto m = quire::MetadataMap::load(map);
  const auto a = m.fields_for(dir.path() + "/reports/a.txt");
  CHECK(value_of(a, "title") == "Trade, Aid and Power");
  CHECK(value_of(a, "date") == "2024-03");
  CHECK(value_of(m.fields_for(dir.path() + "/speeches/x.txt"), "title") == "Speech");
  CHECK(m.fields_for(dir.path() + "/reports/b.txt").empty());

  quire::DocumentMeta meta;
  meta.title = "From the text";
  const auto refused = quire::apply_fields(a, meta);
  CHECK(refused.empty());
  CHECK(meta.title == "Trade, Aid and Power");
  CHECK(meta.title_devised);
  CHECK(meta.authors == std::vector<std::string>{"Roe, Jane", "Doe, John"});
  CHECK(meta.date == "2024-03");
}

TEST_CASE("apply_fields: other names are extra fields, a bad date is refused by name", "[metadata]") {
  quire::DocumentMeta meta;
  const auto refused = quire::apply_fields({{"date", "spring 1965"}, {"session", "20"}, {"by", "PAK; IND"}}, meta);
  REQUIRE(refused.size() == 1);
  CHECK(refused[0].find("spring 1965") != std::string::npos);
  CHECK(meta.date.empty());
  CHECK(meta.extra == std::vector<std::pair<std::string, std::string>>{{"session", "20"}});
  CHECK(meta.by == std::vector<std::string>{"PAK", "IND"});
}

TEST_CASE("a malformed map or table is refused with the file and line", "[metadata]") {
  TempDir dir;
  dir.write("t.tsv", "A\tB\n1\t2\n");
  const auto fails = [&](const std::string& xml, const std::string& expect) {
    const std::string map = dir.write("bad.xml", xml);
    try {
      quire::MetadataMap::load(map);
      FAIL("loaded: " << xml);
    } catch (const quire::InputError& e) {
      CHECK_THAT(e.what(), Catch::Contains(expect));
    }
  };
  fails("<metadata><files><tabel/></files></metadata>", "unknown element <tabel>");
  fails("<metadata>\n<files>\n<table file=\"t.tsv\" match=\"C={x}\"/></files></metadata>", "no column named \"C\"");
  fails("<metadata><files><table file=\"missing.tsv\" match=\"A={x}\"/></files></metadata>", "missing.tsv");
  fails("<metadata><files name=\"{x\"/></metadata>", "'{' without '}'");
  fails("<metadata><files><field name=\"actor\">{x}</field></files></metadata>", "one of quire's own");
  fails("<metadata><files><field name=\"Session No\">{x}</field></files></metadata>", "lower-case");
  fails("<metadata>\n<files>\n<field name=\"x\">{a</field></files></metadata>", "bad.xml:3");
  fails("<metadata><files>", "not well-formed");
}

TEST_CASE("tables read as Excel and LibreOffice write them: quoted cells in CSV and TSV, BOM, CRLF, cp1252",
          "[metadata][tables]") {
  struct Case {
    const char* name;
    const char* ext;  ///< csv or tsv
    std::string bytes;
    const char* title;  ///< the title the row gives a.txt
  };
  const std::string bom = "\xEF\xBB\xBF";
  const Case cases[] = {
      {"CSV: doubled quotes inside a quoted cell", "csv", "file,title\r\na.txt,\"a \"\"quoted\"\" word\"\r\n",
       "a \"quoted\" word"},
      {"TSV: doubled quotes inside a quoted cell (Excel's Text (Tab delimited))", "tsv",
       "file\ttitle\r\na.txt\t\"a \"\"quoted\"\" word\"\r\n", "a \"quoted\" word"},
      {"TSV: a tab inside a quoted cell", "tsv", "file\ttitle\na.txt\t\"left\tright\"\n", "left right"},
      {"TSV: a line break inside a quoted cell, and the next row still read", "tsv",
       "file\ttitle\na.txt\t\"line one\nline two\"\nb.txt\tB\n", "line one line two"},
      {"CSV: a CR LF inside a quoted cell (Excel's Alt+Enter is LF; some write CR LF)", "csv",
       "file,title\r\na.txt,\"line one\r\nline two\"\r\n", "line one line two"},
      {"CSV with a BOM (Excel's CSV UTF-8)", "csv", bom + "file,title\r\na.txt,Caf\xC3\xA9\r\n", "Caf\xC3\xA9"},
      {"TSV with a BOM, quoted header cells (LibreOffice, quote all text cells)", "tsv",
       bom + "\"file\"\t\"title\"\n\"a.txt\"\t\"Plain\"\n", "Plain"},
      {"CSV in Windows-1252 (Excel's plain CSV), quoted", "csv", "file,title\r\na.txt,\"Caf\xE9, \x93quoted\x94\"\r\n",
       "Caf\xC3\xA9, \xE2\x80\x9Cquoted\xE2\x80\x9D"},
      {"TSV in Windows-1252 with a doubled quote", "tsv", "file\ttitle\r\na.txt\t\"na\xEFve \"\"x\"\"\"\r\n",
       "na\xC3\xAFve \"x\""},
      {"CSV: a comma inside quotes, empty quoted cell before it", "csv", "file,x,title\na.txt,\"\",\"one, two\"\n",
       "one, two"},
      {"TSV: a cell that only begins with a quote mark is taken as written", "tsv",
       "file\ttitle\na.txt\t\"Hello\" she said\n", "\"Hello\" she said"},
      {"CSV: a quote mark inside an unquoted cell is kept", "csv", "file,title\na.txt,5\" floppy\n", "5\" floppy"},
      {"CSV (Macintosh): CR line ends, quoted", "csv", "file,title\ra.txt,\"a, b\"\r", "a, b"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.name) {
      TempDir dir;
      dir.write(std::string("t.") + c.ext, c.bytes);
      const std::string map = dir.write("map.xml", std::string("<metadata><files><table file=\"t.") + c.ext +
                                                       "\" match=\"file={path}\"/><field name=\"title\">{title}</field>"
                                                       "</files></metadata>");
      const auto m = quire::MetadataMap::load(map);
      CHECK(value_of(m.fields_for(dir.path() + "/a.txt"), "title") == c.title);
    }
  }
  SECTION("an unclosed quoted cell is refused, naming the line it opens on") {
    TempDir dir;
    dir.write("t.tsv", "file\ttitle\na.txt\tok\nb.txt\t\"never closed\nc.txt\tC\n");
    const std::string map =
        dir.write("map.xml",
                  "<metadata><files><table file=\"t.tsv\" match=\"file={path}\"/><field name=\"title\">{title}</field>"
                  "</files></metadata>");
    try {
      quire::MetadataMap::load(map);
      FAIL("loaded");
    } catch (const quire::InputError& e) {
      CHECK_THAT(e.what(), Catch::Contains("t.tsv:3") && Catch::Contains("a quoted cell is not closed"));
    }
  }
}
