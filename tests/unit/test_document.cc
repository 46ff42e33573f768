// Citations and display titles.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "quire/document.h"

TEST_CASE("format_citation builds a pasteable citation from what is known", "[citation]") {
  quire::DocumentMeta full;
  full.authors = {"Jane Roe", "John Doe", "Ann Poe"};
  full.title = "A Stated Title";
  full.publisher = "Institute";
  full.date = "2025-10";
  quire::DocumentMeta journal;
  journal.title = "Devised";
  journal.title_devised = true;
  journal.container = "Journal of X";
  journal.volume = "4";
  journal.issue = "3";
  journal.date = "2024";
  quire::DocumentMeta bare;
  struct Case {
    const quire::DocumentMeta* meta;
    int paragraph;
    std::string expected;
  };
  const Case cases[] = {
      {&full, 7,
       "Jane Roe, John Doe and Ann Poe, \xE2\x80\x9C"
       "A Stated Title\xE2\x80\x9D, Institute, 2025-10, para. 7."},
      {&journal, 2, "[Devised], Journal of X 4, no. 3, 2024, para. 2."},
      {&bare, 0, "[untitled]."},
  };
  for (const auto& c : cases) CHECK(quire::format_citation(*c.meta, c.paragraph) == c.expected);
}

TEST_CASE("metadata survives a JSON round trip", "[citation]") {
  quire::DocumentMeta m;
  m.id = "x";
  m.title = "T";
  m.title_devised = true;
  m.authors = {"A B"};
  m.date = "2024";
  const auto back = quire::meta_from_json(quire::to_json(m));
  CHECK(back.id == "x");
  CHECK(back.title_devised);
  CHECK(back.authors == m.authors);
  CHECK(back.date == "2024");
  CHECK(back.language == "en");
}
