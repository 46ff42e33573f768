// rt11i rows 8 and 9 on the command line: capitalised field names, and a control character in a
// field's value.
#include <catch2/catch.hpp>
#include <string>

#include "support.h"

using quire::test::corpus_index;
using quire::test::run_quire;

TEST_CASE("rt11i: a capitalised known field reads as the field, an unknown one is named", "[rt11i][query]") {
  const auto same = [](const std::string& typed, const std::string& lower) {
    CAPTURE(typed);
    const auto a = run_quire({"search", "--db", corpus_index(), "--exact", "--json", "--", typed});
    const auto b = run_quire({"search", "--db", corpus_index(), "--exact", "--json", "--", lower});
    CHECK(a.exit_code == b.exit_code);
    CHECK(a.err == b.err);
    CHECK(a.out.substr(a.out.find("\"results\"")) == b.out.substr(b.out.find("\"results\"")));
  };
  same("TITLE:pakistan", "title:pakistan");
  same("Title:pakistan china", "title:pakistan china");
  same("china By:PAK", "china by:PAK");
  same("Author:\"x y\" OR china", "author:\"x y\" OR china");
  for (const auto& [query, name] : {std::pair{"Kashmir:India", "Kashmir:"},
                                    {"Pakistan:Kashmir dispute", "Pakistan:"},
                                    {"Foo:bar", "Foo:"},
                                    {"kashmir:india", "kashmir:"}}) {
    CAPTURE(query);
    const auto r = run_quire({"search", "--db", corpus_index(), "--", query});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find(std::string("unknown field '") + name + "' at character 1") != std::string::npos);
  }
  quire::test::TempDir dir;
  const std::string queries = dir.write("q.tsv", "q1\tKashmir:India\nq2\tTITLE:pakistan\n");
  const auto batch = run_quire({"batch", "--db", corpus_index(), "--format", "tsv", queries});
  CHECK(batch.exit_code == 1);
  CHECK(batch.err.find("unknown field 'Kashmir:'") != std::string::npos);
  CHECK(batch.out.find("q2\t") != std::string::npos);
}

TEST_CASE("rt11i: a control character in a field's value is named, not read as no value", "[rt11i][query]") {
  for (const auto& [query, message] :
       {std::pair{std::string("by:\x1b[2Jx"), "'by:' at character 1: its value holds the control character \\x1b"},
        {std::string("china speaker:\x07x"), "'speaker:' at character 7: its value holds the control character \\x07"},
        {std::string("TITLE:a\x01" "b"), "'TITLE:' at character 1: its value holds the control character \\x01"}}) {
    CAPTURE(query);
    const auto r = run_quire({"search", "--db", corpus_index(), "--", query});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find(message) != std::string::npos);
    CHECK(r.err.find("has no value") == std::string::npos);
  }
  // A tab is a space: the field has no value, as before.
  const auto tab = run_quire({"search", "--db", corpus_index(), "--", "by:\tPAK"});
  CHECK(tab.exit_code == 2);
  CHECK(tab.err.find("has no value") != std::string::npos);
}
