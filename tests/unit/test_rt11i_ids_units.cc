// collection_document_ids() (index_folder.h): the ids a saved collection holds, which the indexer gives
// to no other file (rt11i row 1). Tables over its JSON, and a round trip through the collection store,
// so that a list the store writes and this does not read fails here.
#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <vector>

#include "quire/collections.h"
#include "quire/index_folder.h"
#include "quire/index_writer.h"
#include "support.h"

using quire::collection_document_ids;

TEST_CASE("collection_document_ids reads every list of ids a collection holds", "[rt11i][ids]") {
  struct Case {
    const char* json;
    std::set<std::string> ids;
  };
  const std::vector<Case> cases = {
      {R"({"matched": ["a", "b"], "added": ["c"], "excluded": ["d"]})", {"a", "b", "c", "d"}},
      {R"({"history": [{"added": ["e"], "gone": ["f"]}, {"added": [], "gone": ["g"]}]})", {"e", "f", "g"}},
      {R"({"filters": [["by", "PAK"]], "query": "x", "name": "n", "created": "2026"})", {}},
      {R"({"matched": "a", "added": [1, "b", null], "history": "x"})", {"b"}},
      {R"([1, 2])", {}},
      {R"(not json)", {}},
      {"", {}},
  };
  for (const auto& c : cases) {
    INFO(c.json);
    CHECK(collection_document_ids(c.json) == c.ids);
  }
}

TEST_CASE("collection_document_ids reads the ids the collection store writes", "[rt11i][ids]") {
  quire::test::TempDir dir;
  const std::string db = dir.path() + "/index";
  {
    quire::IndexWriter w(db);
    w.finish();
  }
  quire::Collection c;
  c.name = "w";
  c.query = "wombat";
  c.matched = {"m1", "m2"};
  c.added = {"a1"};
  c.excluded = {"x1"};
  quire::CollectionRefresh r;
  r.added = {"h1"};
  r.gone = {"g1"};
  c.history.push_back(r);
  quire::save_collection(db, c);
  const auto stored = quire::read_manifest_collections(quire::index_folders(db).dir);
  REQUIRE(stored.count("w") == 1);
  CHECK(collection_document_ids(stored.at("w")) == std::set<std::string>{"m1", "m2", "a1", "x1", "h1", "g1"});
  // The indexer's view of the same index.
  quire::IndexWriter again(db);
  CHECK(again.collection_ids() == std::set<std::string>{"m1", "m2", "a1", "x1", "h1", "g1"});
  again.finish();
}
