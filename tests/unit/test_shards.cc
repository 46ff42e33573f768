// Sharded indexes (docs/scale-out.md): which shard a document goes to, and the manifest's record of the
// shards' last whole commit.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "quire/errors.h"
#include "quire/index_folder.h"
#include "quire/index_format.h"
#include "support.h"

namespace fmt = quire::format;
using quire::CommitState;
using quire::ShardCommit;
using quire::test::TempDir;

TEST_CASE("Shards: a document's shard is FNV-1a of its id, the same in every run", "[shards][unit]") {
  // Part of the index format: another assignment would send re-indexed documents to other shards, where
  // their old copies would not be replaced.
  struct Case {
    const char* id;
    std::size_t of2, of3, of7;
  };
  const Case cases[] = {
      {"", 1, 1, 3},
      {"a", 0, 0, 5},
      {"A_RES_1", 1, 1, 2},
      {"1963_IND", 0, 2, 5},
      {"000_3e2589484e9b92d1", 0, 0, 2},
      {"speech-1970-FRA", 1, 2, 4},
      {"\xc3\xbc", 0, 2, 1},
  };
  for (const auto& c : cases) {
    INFO(c.id);
    CHECK(fmt::shard_of(c.id, 1) == 0);
    CHECK(fmt::shard_of(c.id, 2) == c.of2);
    CHECK(fmt::shard_of(c.id, 3) == c.of3);
    CHECK(fmt::shard_of(c.id, 7) == c.of7);
  }
}

TEST_CASE("Shards: ids like UNGDC's spread evenly over the shards", "[shards][unit]") {
  for (std::size_t n : {2u, 3u, 4u}) {
    std::vector<std::size_t> count(n);
    for (int year = 1946; year < 2016; ++year)
      for (const char* c : {"FRA", "IND", "PAK", "USA", "GBR", "CHN", "CUB", "BRA", "EGY", "NGA"})
        ++count[fmt::shard_of(std::to_string(year) + "_" + c, n)];
    for (std::size_t k = 0; k < n; ++k) {
      INFO("shard " << k << " of " << n);
      CHECK(count[k] > 700 / n * 8 / 10);
      CHECK(count[k] < 700 / n * 12 / 10);
    }
  }
}

TEST_CASE("Shards: the commit state of shards against the manifest's record", "[shards][unit]") {
  struct Case {
    std::size_t shards;  // in the manifest
    std::uint64_t manifest;
    std::vector<std::uint64_t> generations;
    CommitState want;
  };
  const Case cases[] = {
      {2, 0, {0, 0}, CommitState::kWhole},
      {3, 7, {7, 7, 7}, CommitState::kWhole},
      {3, 7, {8, 7, 7}, CommitState::kInterrupted},  // killed after the first shard's commit
      {3, 7, {8, 8, 8}, CommitState::kInterrupted},  // killed after the last shard's, before the manifest's
      {2, 7, {9, 8}, CommitState::kInterrupted},
      {2, 7, {6, 7}, CommitState::kBroken},  // a shard behind the manifest: restored from an older backup
      {3, 7, {7, 7}, CommitState::kBroken},  // a shard missing
      {3, 7, {7, 7, 7, 7}, CommitState::kBroken},
  };
  for (const auto& c : cases) {
    ShardCommit m;
    m.shards = c.shards;
    m.generation = c.manifest;
    INFO("manifest: " << c.shards << " shards at " << c.manifest << "; shard 0 at " << c.generations[0]);
    CHECK(quire::commit_state(m, c.generations) == c.want);
  }
}

TEST_CASE("Shards: the manifest keeps the commit record and the collections apart", "[shards][unit]") {
  TempDir dir;
  ShardCommit none = quire::read_manifest_shards(dir.path());
  CHECK(none.shards == 1);  // no manifest: one database
  const std::map<std::string, std::string> collections = {{"kashmir", R"({"name":"kashmir","query":"kashmir"})"}};
  quire::write_manifest_collections(dir.path(), collections);
  CHECK(quire::read_manifest_shards(dir.path()).shards == 1);
  ShardCommit c;
  c.shards = 3;
  c.generation = 12;
  c.revisions = {5, 9, 4};
  quire::write_manifest_commit(dir.path(), c);
  CHECK(quire::read_manifest_collections(dir.path()) == collections);
  ShardCommit got = quire::read_manifest_shards(dir.path());
  CHECK(got.shards == 3);
  CHECK(got.generation == 12);
  CHECK(got.revisions == c.revisions);
  // A collection change keeps the record.
  quire::write_manifest_collections(dir.path(), {});
  got = quire::read_manifest_shards(dir.path());
  CHECK(got.generation == 12);
  CHECK(got.revisions == c.revisions);
  CHECK(quire::read_manifest_collections(dir.path()).empty());
  CHECK(quire::shard_folders("/x/idx", 2) == std::vector<std::string>{"/x/idx/shard0", "/x/idx/shard1"});

  // A record quire did not write is a clear error naming the manifest.
  const char* const bad[] = {
      R"({"format":4,"shards":1,"commit":{"generation":0,"revisions":[0]}})",
      R"({"format":4,"shards":65,"commit":{"generation":0,"revisions":[]}})",
      R"({"format":4,"shards":2})",
      R"({"format":4,"shards":2,"commit":{"generation":3,"revisions":[1]}})",
      R"({"format":4,"shards":2,"commit":{"generation":-3,"revisions":[1,2]}})",
      R"({"format":4,"shards":"2","commit":{"generation":3,"revisions":[1,2]}})",
  };
  for (const char* text : bad) {
    INFO(text);
    std::ofstream(dir.path() + "/" + std::string(fmt::kManifestFile)) << text;
    CHECK_THROWS_WITH(quire::read_manifest_shards(dir.path()), Catch::Contains("is damaged"));
  }
}
