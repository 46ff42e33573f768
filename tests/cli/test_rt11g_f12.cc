// The rt11g red team's findings given to f12 (docs/red-team/2026-12-02-reliability-rt11g.md) with the
// other cases of their class. First: a temporary at quire's marker name is quire's only when whole in
// quire's form, the rule the marker itself follows (never delete what quire did not make).
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include "support.h"

using quire::test::read_file;
using quire::test::run_quire;
using quire::test::RunResult;
using quire::test::TempDir;
using quire::test::write;

namespace fs = std::filesystem;

TEST_CASE("rt11g: a quire-creating.tmp that is not whole in quire's form is kept", "[rt11g][marker]") {
  const char* const texts[] = {
      "quire creating an index\nmy own notes\n",
      "quire creating an index\npid 12\ntime 1700000000\nmore notes\n",
      "quire creating an index\npid 12\n",
      "quire creating an index",
  };
  for (const char* text : texts) {
    DYNAMIC_SECTION(text) {
      TempDir tmp;
      const std::string db = tmp.path() + "/t3";
      write(db + "/quire-creating", "quire creating an index\npid 12\ntime 1700000000\n");
      write(db + "/termlist.glass", "a torn table\n");
      write(db + "/quire-creating.tmp", text);
      write(tmp.path() + "/more/a.txt", "Alpha text.\n");
      const RunResult r = run_quire({"index", "--db", db, tmp.path() + "/more"});
      INFO(r.out << r.err);
      REQUIRE(fs::exists(db + "/quire-creating.tmp"));
      CHECK(read_file(db + "/quire-creating.tmp") == text);
    }
  }
  SECTION("a whole one a killed quire left is its own and is cleared") {
    TempDir tmp;
    const std::string db = tmp.path() + "/t3";
    write(db + "/quire-creating", "quire creating an index\npid 12\ntime 1700000000\n");
    write(db + "/termlist.glass", "a torn table\n");
    write(db + "/quire-creating.tmp", "quire creating an index\npid 13\ntime 1700000001\n");
    write(tmp.path() + "/more/a.txt", "Alpha text.\n");
    const RunResult r = run_quire({"index", "--db", db, tmp.path() + "/more"});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK(!fs::exists(db + "/quire-creating.tmp"));
  }
}
