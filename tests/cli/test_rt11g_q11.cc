// rt11g rows 11 and 16 on the command line: a query Xapian's parser would refuse in its own words
// (an operand of punctuation alone, an empty field value) gets quire's positioned message, exit 2.
#include <catch2/catch.hpp>
#include <string>

#include "support.h"

using quire::test::corpus_index;
using quire::test::run_quire;

TEST_CASE("rt11g: operands of punctuation and empty field values get quire's positioned message",
          "[rt11g][query]") {
  struct Case {
    const char* query;
    const char* message;
  };
  const Case cases[] = {
      {", AND peace", "'AND' at character 3 needs a term on each side"},
      {"* OR published:2020", "'OR' at character 3 needs a term on each side"},
      {"$ AND NOT by:USA", "'AND NOT' at character 3 needs a term on each side"},
      {"peace OR -war", "'OR' at character 7 needs a term after it"},
      {"speaker:\"\"", "'speaker:\"\"' at character 1 has no value"},
      {"peace actor:\"\"", "'actor:\"\"' at character 7 has no value"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.query);
    const auto r = run_quire({"search", "--db", corpus_index(), "--", c.query});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find(c.message) != std::string::npos);
    CHECK(r.err.find("Syntax:") == std::string::npos);
  }
}
