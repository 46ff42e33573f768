/** @file
 *  @brief Librarians' collections: a named, saved query with filters, plus documents added or excluded
 *  by hand, kept in the index's own metadata (so they travel with it and survive re-indexing and
 *  --rebuild). Documents are held by their stable ids. Each refresh re-runs the query and records what
 *  is new and what is gone since the refresh before.
 *
 *  Reading a collection opens the index read-only; changing one takes the index's write lock, so it
 *  fails with a clear IndexError while `quire index` is writing.
 */
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "quire/searcher.h"

namespace quire {

struct CollectionRefresh {
  std::string at;              ///< UTC, ISO 8601
  std::uint64_t revision = 0;  ///< the index revision the query ran against
  std::size_t matched = 0;
  std::vector<std::string> added;  ///< matched now, not at the refresh before
  std::vector<std::string> gone;   ///< matched at the refresh before, not now
};

struct Collection {
  std::string name;
  std::string query;
  std::vector<std::pair<std::string, std::string>> filters;  ///< as SearchOptions::filters
  bool plain = false;
  std::string created;
  std::vector<std::string> matched;   ///< documents the query matched at the last refresh, best first
  std::vector<std::string> added;     ///< added by hand
  std::vector<std::string> excluded;  ///< excluded by hand (wins over matched and added)
  std::vector<CollectionRefresh> history;

  /// The collection's documents: matched then added, less the excluded, each once.
  std::vector<std::string> documents() const;
};

/// At most this many documents may match a collection's query.
inline constexpr std::size_t kMaxCollectionMatches = 10000;

/// Names of the collections stored in the index at `db`, sorted.
std::vector<std::string> list_collections(const std::string& db);
std::optional<Collection> load_collection(const std::string& db, const std::string& name);
/// Writes `c` durably. Throws IndexError when the index is locked by a writer.
void save_collection(const std::string& db, const Collection& c);
/// Returns false if there was no such collection.
bool delete_collection(const std::string& db, const std::string& name);

/// Runs `c`'s query on `searcher` and records the refresh in `c` (matched, history). Throws QueryError
/// when the query is bad or matches more than kMaxCollectionMatches documents.
const CollectionRefresh& refresh_collection(Collection& c, Searcher& searcher);

/// Throws std::invalid_argument unless `name` is 1-100 letters, digits, '.', '_' or '-'.
void check_collection_name(const std::string& name);

}  // namespace quire
