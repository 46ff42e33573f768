// Malformed queries get one line saying what is wrong; good ones pass.
#include <catch2/catch.hpp>

#include "quire/query_check.h"

TEST_CASE("check_query finds what is wrong with a query", "[query]") {
  const std::vector<std::string> fields = {"title", "author", "publisher"};
  struct Case {
    std::string query, error;  // error "" means the query is fine
  };
  const Case cases[] = {
      {"transactional or flirtatious", ""},
      {"\"transactional or flirtatious\"", ""},
      {"china AND (pakistan OR india) NOT russia", ""},
      {"title:\"balancing act\" author:naik", ""},
      {"cpec NEAR/5 debt", ""},
      {"NOT russia", ""},
      {"Note: the relationship", ""},  // a colon in pasted text is not a field
      {"see http://example.org/x", ""},
      {"", "empty query"},
      {"   ", "empty query"},
      {"\"transactional or flirtatious", "unbalanced quotes: the phrase opened at character 1 is not closed"},
      {"china (pakistan OR india", "unbalanced parentheses: '(' at character 7 is not closed"},
      {"china) pakistan", "unbalanced parentheses: ')' at character 6 has no matching '('"},
      {"china AND", "'AND' at character 7 needs a term on each side"},
      {"OR china", "'OR' at character 1 needs a term on each side"},
      {"china AND OR india", "'AND' at character 7 needs a term on each side"},
      {"china NEAR/3", "'NEAR/3' at character 7 needs a term on each side"},
      {"china NOT", "'NOT' at character 7 needs a term after it"},
      {"china ()", "empty parentheses at character 7"},
      {"foo:bar china", "unknown field 'foo:' at character 1 (known fields: title:, author:, publisher:)"},
      {"colour:\"red\"", "unknown field 'colour:' at character 1 (known fields: title:, author:, publisher:)"},
      {"\"(unbalanced inside a phrase is fine\"", ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.query);
    CHECK(quire::check_query(c.query, fields) == c.error);
  }
}

TEST_CASE("normalise_query folds typographic quotes and control characters", "[query]") {
  CHECK(quire::normalise_query("\xE2\x80\x9Cunique\xE2\x80\x9D") == "\"unique\"");
  CHECK(quire::normalise_query("Pakistan\xE2\x80\x99s") == "Pakistan's");
  CHECK(quire::normalise_query("a\tb\nc\x7F") == "a b c ");
}
