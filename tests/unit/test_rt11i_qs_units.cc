// rt11i rows 8 and 9 as units: capitalised field names, and control characters in a field's value.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "quire/output.h"
#include "quire/query_check.h"

namespace {
const std::vector<std::string> kFields = {"title", "author", "publisher", "by", "speaker", "session"};
}

TEST_CASE("fold_field_names writes a capitalised known field in lower case, and nothing else", "[query][rt11i]") {
  struct Case {
    const char* query;
    const char* folded;
  };
  const Case cases[] = {
      {"TITLE:nuclear", "title:nuclear"},
      {"Author:bhutto", "author:bhutto"},
      {"kashmir By:PAK", "kashmir by:PAK"},
      {"(Title:x OR SPEAKER:\"U Thant\")", "(title:x OR speaker:\"U Thant\")"},
      {"x -Title:y +Session:20", "x -title:y +session:20"},
      {"title:nuclear", "title:nuclear"},
      // Left as written: unknown names, names inside a phrase or a word, a field's value.
      {"Kashmir:India", "Kashmir:India"},
      {"\"TITLE:nuclear\"", "\"TITLE:nuclear\""},
      {"xTitle:y", "xTitle:y"},
      {"title:Author:x", "title:Author:x"},
      {"Note: the relationship", "Note: the relationship"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.query);
    CHECK(quire::fold_field_names(c.query, kFields) == c.folded);
  }
}

TEST_CASE("check_query names an unknown capitalised field as it names a lower-case one", "[query][rt11i]") {
  const std::string known = " (known fields: title:, author:, publisher:, by:, speaker:, session:)";
  struct Case {
    const char* query;
    std::string error;
  };
  const Case cases[] = {
      {"Kashmir:India", "unknown field 'Kashmir:' at character 1" + known},
      {"kashmir:india", "unknown field 'kashmir:' at character 1" + known},
      {"Pakistan:Kashmir dispute", "unknown field 'Pakistan:' at character 1" + known},
      {"Foo:\"bar\"", "unknown field 'Foo:' at character 1" + known},
      {"the FOO:bar", "unknown field 'FOO:' at character 5" + known},
      {"Note: the relationship", ""},
      {"see HTTP://example.org/x", ""},
      {"title:nuclear", ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.query);
    CHECK(quire::check_query(c.query, kFields) == c.error);
  }
}

TEST_CASE("field_control_problem names a control character in a field's value", "[query][rt11i]") {
  struct Case {
    std::string query;
    const char* error;
  };
  const Case cases[] = {
      {"by:\x1b[2Jx", "'by:' at character 1: its value holds the control character \\x1b"},
      {"by:PA\x07K", "'by:' at character 1: its value holds the control character \\x07"},
      {"peace title:\x01nuclear", "'title:' at character 7: its value holds the control character \\x01"},
      {"speaker:\"Kofi\x1b Annan\"", "'speaker:' at character 1: its value holds the control character \\x1b"},
      {"BY:\x7fPAK", "'BY:' at character 1: its value holds the control character \\x7f"},
      {std::string("by:\0x", 5), "'by:' at character 1: its value holds the control character \\x00"},
      {"caf\xc3\xa9 by:\x1bx", "'by:' at character 6: its value holds the control character \\x1b"},
      // Spaces, and control characters outside a field's value, are left to normalise_query().
      {"by:\tPAK", ""},
      {"by:PAK\nkashmir", ""},
      {"peace \x1b by:PAK", ""},
      {"foo:\x1bx", ""},
      {"\"by:\x1bx\"", ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.query);
    CHECK(quire::field_control_problem(c.query, kFields) == c.error);
  }
}

TEST_CASE("total_text says 'at least' of a lower bound, with every digit", "[output][rt11i]") {
  struct Case {
    std::size_t total;
    bool exact, lower_bound, passages;
    const char* text;
  };
  const Case cases[] = {
      {36, true, false, false, "36 matching documents"},
      {12437, false, false, true, "about 12,400 matching passages"},
      {20137, false, true, true, "at least 20,137 matching passages"},
      {1234567, false, true, false, "at least 1,234,567 matching documents"},
      {999, false, true, false, "at least 999 matching documents"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    quire::SearchResults r;
    r.total = c.total;
    r.total_exact = c.exact;
    r.total_lower_bound = c.lower_bound;
    r.passage_mode = c.passages;
    CHECK(quire::total_text(r) == c.text);
    CHECK(quire::results_to_json(r).value("total_lower_bound", false) == c.lower_bound);
  }
}
