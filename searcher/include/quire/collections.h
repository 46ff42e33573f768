/** @file
 *  @brief Librarians' collections: a named, saved query with filters, plus documents added or excluded
 *  by hand, kept in the index's own metadata (so they travel with it and survive re-indexing and
 *  --rebuild). Documents are held by their stable ids. Each refresh re-runs the query and records what
 *  is new and what is gone since the refresh before.
 *
 *  Reading a collection opens the index read-only; changing one is a read-modify-write under the
 *  index's write lock (update_collection), so two changes at once never overwrite each other: the
 *  second waits for the first, up to kCollectionLockWait (or the wait its caller gives), and fails with
 *  a clear IndexLockedError when `quire index` holds the lock for longer.
 */
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
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

/// A saved filter as a search takes it back: speaker:"Kofi Annan" quoted when the value holds a space
/// or a bracket (unquoted, a search reads speaker:Kofi and a word Annan).
std::string filter_as_query(const std::string& field, const std::string& value);

/// The collection's query with its filters after it, as a search would take them ("pakistan
/// actor:china published:2020..2025"): what every list of collections shows, so that none reads as a
/// query over everything. Empty for a collection of documents added by hand.
std::string collection_search(const Collection& c);

/// At most this many documents may match a collection's query.
inline constexpr std::size_t kMaxCollectionMatches = 10000;

/// Names of the collections stored in the index at `db`, sorted: only keys whose name
/// check_collection_name() accepts, so that each one listed can be shown, changed and deleted. The
/// others (a hostile or hand-edited index: "C:../../x") are left out, and, when `skipped` is given,
/// added to it as message_value()s, for a note.
std::vector<std::string> list_collections(const std::string& db, std::vector<std::string>* skipped = nullptr);
/// The collections list_collections() names, in its order, read whole with one read of the manifest:
/// time linear in its size, however many collections it holds (a loop of load_collection() reads the
/// whole manifest once for each). A damaged record (not JSON, fields of the wrong type) is left out and
/// its message ("collection 'NAME' in DB is damaged: ...") added to `damaged` when that is given; when it
/// is not, it throws IndexError, as load_collection().
std::vector<Collection> load_collections(const std::string& db, std::vector<std::string>* skipped = nullptr,
                                         std::vector<std::string>* damaged = nullptr);
std::optional<Collection> load_collection(const std::string& db, const std::string& name);
/// How long a collection change waits for the index's write lock (the command line's; `quire serve`
/// waits less and answers 409).
inline constexpr std::chrono::milliseconds kCollectionLockWait{30000};

/// Changes collection `name` under the index's write lock: reads it (nullopt when there is none), lets
/// `change` modify it, and writes what `change` leaves durably (nullopt deletes it), the lock held
/// throughout. If `change` throws, nothing is written. Throws IndexLockedError, nothing changed, when
/// another writer holds the lock for longer than `lock_wait`; IndexError when the index cannot be written.
void update_collection(const std::string& db, const std::string& name,
                       const std::function<void(std::optional<Collection>&)>& change,
                       std::chrono::milliseconds lock_wait = kCollectionLockWait);
/// Writes `c` durably (update_collection replacing whatever was stored).
void save_collection(const std::string& db, const Collection& c,
                     std::chrono::milliseconds lock_wait = kCollectionLockWait);
/// Returns false if there was no such collection. The record is not read, so a damaged one is deleted too.
bool delete_collection(const std::string& db, const std::string& name,
                       std::chrono::milliseconds lock_wait = kCollectionLockWait);

/// Adds `ids` by hand to `c` (`exclude` false: to `added`, and out of `excluded`) or excludes them
/// (`exclude` true: the other way round), each once, in the order given after those already there.
/// Time n log n in the lists' sizes, for the 10,000 ids a request may hold.
void mark_documents(Collection& c, const std::vector<std::string>& ids, bool exclude);

/// Runs `c`'s query on `searcher` and records the refresh in `c` (matched, history). Throws QueryError
/// when the query is bad or matches more than kMaxCollectionMatches documents.
const CollectionRefresh& refresh_collection(Collection& c, Searcher& searcher);

/// Throws std::invalid_argument unless `name` is 1-100 letters, digits, '.', '_' or '-'.
void check_collection_name(const std::string& name);

}  // namespace quire
