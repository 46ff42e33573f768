// rt11g rows 11 and 16 (docs/red-team/2026-12-02-reliability-rt11g.md): check_query() reads a query as
// Xapian's parser will (its lexer's terms), so an operand of punctuation or of stop words alone, a '-'
// after OR, NOT NOT, a field's empty value and NEAR/5( get quire's positioned message, not Xapian's.
#include <catch2/catch.hpp>

#include "quire/query_check.h"

TEST_CASE("check_query reads operands as Xapian's parser does", "[query][rt11g]") {
  const std::vector<std::string> fields = {"title", "author", "speaker", "by", "published"};
  struct Case {
    std::string query, error;  // "" means the query is fine
  };
  const Case cases[] = {
      // Row 16: operands of punctuation alone.
      {", AND peace", "'AND' at character 3 needs a term on each side"},
      {"* OR published:2020", "'OR' at character 3 needs a term on each side"},
      {"$ AND NOT by:USA", "'AND NOT' at character 3 needs a term on each side"},
      {"peace AND ,;", "'AND' at character 7 needs a term on each side"},
      // Operands of stop words alone (not a single word, which Xapian keeps).
      {"the, of AND peace",
       "'AND' at character 9 needs a term on each side (the words before it are only common words, which are not "
       "searched)"},
      {"the AND peace", ""},
      {"the of AND peace", ""},  // a group of words: Xapian keeps it when all are stop words
      // '-' after an operator other than AND, and NOT NOT.
      {"peace OR -war", "'OR' at character 7 needs a term after it, not '-' (write NOT word to leave a word out)"},
      {"peace AND -war", ""},
      {"peace NOT NOT war", "'NOT' at character 7 needs a term after it"},
      {"NOT NOT war", "'NOT' at character 1 needs a term after it"},
      {"peace OR NOT war", ""},
      {"NOT war", ""},
      {"x AND the, of NOT b",
       "'AND' at character 3 needs a term on each side (the words after it are only common words, which are not "
       "searched)"},
      {"NOT NEAR/5", "'NOT' at character 1 needs a term after it"},
      // A field's bracketed group is a query of its own, without NOT alone.
      {"title:\"(AND peace)\"", "in title:(AND peace), 'AND' at character 2 needs a term on each side"},
      {"title:\"(peace OR war)\"", ""},
      // NEAR/n read as words when something other than a space follows it.
      {"peace NEAR/5(war)", "'NEAR/5' at character 7 needs a space after it (it is read as words otherwise)"},
      {"peace NEAR/5 war", ""},
      // Row 11: empty values of every field, quoted or not.
      {"speaker:\"\"", "'speaker:\"\"' at character 1 has no value (write speaker:word or speaker:\"some words\")"},
      {"peace by:\" \"", "'by:\" \"' at character 7 has no value (write by:word or by:\"some words\")"},
      {"title:\"\"", "'title:\"\"' at character 1 has no value (write title:word or title:\"some words\")"},
      {"speaker:\"Kofi Annan\"", ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.query);
    CHECK(quire::check_query(c.query, fields) == c.error);
  }
}
