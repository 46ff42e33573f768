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

// rt17h rows 1-3: the forms Xapian's parser would turn into an OR of words are refused, and pasted
// typography reads as its plain form: ‘…’ a phrase, a typographic hyphen a hyphen.
TEST_CASE("rt17h: NEAR beside a phrase is refused, single typographic quotes and hyphens read as plain ones",
          "[rt17h][query]") {
  const auto refused = run_quire({"search", "--db", corpus_index(), "--", "pakistan NEAR \"all-weather friendship\""});
  CHECK(refused.exit_code == 2);
  CHECK(refused.err.find("'NEAR' at character 10 joins single words only, and a phrase stands beside it") !=
        std::string::npos);
  quire::test::TempDir dir;
  const std::string queries =
      dir.write("q.tsv", "q1\tpakistan NEAR \"all-weather friendship\"\nq2\tpakistan NEAR china\n");
  const auto batch = run_quire({"batch", "--db", corpus_index(), "--format", "tsv", queries});
  CHECK(batch.exit_code == 1);
  CHECK(batch.err.find("joins single words only") != std::string::npos);
  CHECK(batch.out.find("q2\t") != std::string::npos);

  const auto count = [](const std::string& query) {
    const auto r = run_quire({"search", "--db", corpus_index(), "--passages", "--exact", "--limit", "1", "--", query});
    REQUIRE(r.exit_code == 0);
    return r.out.substr(0, r.out.find(" matching"));
  };
  CHECK(count("\u2018strategic cooperative partnership\u2019") == count("\"strategic cooperative partnership\""));
  CHECK(count("\u2018strategic cooperative partnership\u2019") != count("strategic cooperative partnership"));
  CHECK(count("all\u2011weather") == count("all-weather"));
}
