// Date mentions: each form, normalised.
#include <catch2/catch.hpp>

#include "quire/dates.h"

namespace {

// "from..to" for each mention, joined with " | ".
std::string dates_in(const std::string& text) {
  std::string out;
  for (const auto& d : quire::extract_dates(text)) {
    out += out.empty() ? "" : " | ";
    out += d.from == d.to ? d.from : d.from + ".." + d.to;
  }
  return out;
}

}  // namespace

TEST_CASE("extract_dates normalises each common English form", "[dates]") {
  struct Case {
    const char* text;
    const char* dates;
  };
  const Case cases[] = {
      {"a celebration on September 6, 2015.", "2015-09-06"},
      {"met on 25 September 2025 in Washington", "2025-09-25"},
      {"signed on Sept. 6, 2015 and Aug 31st, 2013", "2015-09-06 | 2013-08-31"},
      {"dated 2024-07-15 in the file", "2024-07-15"},
      {"In June 2024 and in October 2024", "2024-06 | 2024-10"},
      {"In 1954, Pakistan signed", "1954"},
      {"Operation Cyclone (1979\xE2\x80\x93"
       "1989) epitomised",
       "1979..1989"},
      {"the 1962-1971 period", "1962..1971"},
      {"President Joe Biden (2021-25)", "2021..2025"},
      {"office (2021\xE2\x80\x91"
       "25) the relationship",
       "2021..2025"},  // U+2011 non-breaking hyphen
      {"between 2020 and 2024, Pakistan was", "2020..2024"},
      {"from 1996 to 2004, the Russian Federation", "1996..2004"},
      {"US$ 4.2 billion in the 1980s", "1980..1989"},
      {"1980s-1990s: Nuclear transfers", "1980..1999"},
      {"Post-2011, tensions resurfaced", "2011"},
      {"The September 11 attacks, or 9/11, changed", "2001-09-11"},
      {"a 1,046-km coastline and 2,700 km of highways", ""},
      {"a 4,750 km strike range and 1200 km", ""},
      {"US$ 6.4 billion in 2023, up 11.1 %", "2023"},
      {"15,000 personnel and 1,872 km of rail", ""},
      {"2020 troops were sent", ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    CHECK(dates_in(c.text) == c.dates);
  }
}

TEST_CASE("date spans are code point offsets", "[dates]") {
  const auto ds = quire::extract_dates("\xE2\x80\x9CIn 1954\xE2\x80\x9D");  // “In 1954”
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].cp_begin == 4);
  CHECK(ds[0].cp_end == 8);
}

TEST_CASE("years_of expands ranges", "[dates]") {
  const auto ds = quire::extract_dates("the 1960s");
  REQUIRE(ds.size() == 1);
  CHECK(quire::years_of(ds[0]).size() == 10);
  CHECK(quire::years_of(ds[0]).front() == 1960);
}

TEST_CASE("infer_publication_date reads what a text states about itself", "[dates]") {
  CHECK(quire::infer_publication_date({"(Volume.4, Issue.3 (2024)", "(July-September)"}) == "2024");
  CHECK(quire::infer_publication_date({"Published: 12 March 2025"}) == "2025-03-12");
  CHECK(quire::infer_publication_date({"Monday, June 23, 2025"}) == "2025-06-23");
  CHECK(quire::infer_publication_date(
            {"A paragraph that mentions 1962 and the war in passing, at length, with more words."}) == "");
}

// rt13 row 46 (docs/red-team/2026-12-01-tagging-rt13.md): the numbers of resolutions, decisions and
// documents, and document symbols, are no years; the years beside them in brackets are.
TEST_CASE("rt13: resolution numbers and document symbols are not mentioned years", "[dates][rt13]") {
  struct Case {
    const char* text;
    const char* dates;
  };
  const Case cases[] = {
      // UNGDC sentences of the row.
      {"in accordance with General Assembly resolution 1514 (XV) on the granting of independence", ""},
      {"Security Council resolution 1373 (2001) on terrorism", "2001"},
      {"resolution 1973 (2011) was adopted", "2011"},      // BWA_66_2011: the resolution of that year
      {"the document [A/1376] before the Committee", ""},  // AUS_05_1950
      {"resolutions 1325 (2000) and 1820 (2008) on women, peace and security", "2000 | 2008"},
      {"resolutions 1325 and 1820 on women, peace and security", ""},
      {"resolutions 1514 (XV), 1541 (XV) and 2621 (XXV)", ""},
      {"resolution No. 1244 on Kosovo", ""},
      {"the General Assembly adopted its resolution [1514 (XV)] on the termination", ""},  // 1960s records
      // A number followed by the Roman numeral of its session is a resolution, named or not.
      {"the independence of all peoples [1514 (XV)], adopted", ""},
      {"at its fourteenth session [1378(xiv)] and the conference [1472 (XIV)B]", ""},
      {"the resolution of 20 September 1960 [1474 (ES-IV)], the Assembly", "1960-09-20"},
      {"condemning colonialism [1514 (XV] adopted", ""},
      {"in 1960 (when XV countries joined)", "1960"},  // a year, then words in brackets
      {"Resolution 2758 (XXVI) restored the lawful rights", ""},
      {"in its resolution 1803 (XVII) of 14 December 1962", "1962-12-14"},
      {"decision 1999 of the Council", ""},
      {"S/RES/1373 and document S/2001/1234", ""},  // the parts of a symbol, whatever they look like
      {"see pages 1012 and 1013 of the record", ""},
      // Neighbours that stay years.
      {"the resolution of 1967 on the Middle East", "1967"},
      {"Security Council resolutions 242 (1967) and 338 (1973)", "1967 | 1973"},
      {"in 1990, 1991 and 1992 the Assembly", "1990 | 1991 | 1992"},
      {"the 2000/2001 biennium", "2000 | 2001"},
      {"the resolution adopted in 1973 and 1974", "1973 | 1974"},
      {"The resolution. 1973 was the year of the war", "1973"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    CHECK(dates_in(c.text) == c.dates);
  }
}
