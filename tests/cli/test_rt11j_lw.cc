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
