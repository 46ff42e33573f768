#include "quire/collections.h"

#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>
#include <thread>

#include "quire/errors.h"
#include "quire/index_db.h"
#include "quire/index_folder.h"
#include "quire/index_format.h"
#include "quire/json_input.h"
#include "quire/utf8.h"

namespace quire {
namespace {

namespace fmt = format;

std::string now_utc() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// The lists of ids written here are the ones collection_document_ids() (index_folder.h) reads, so the
// indexer gives none of them to another file; test_rt11i_ids_units.cc checks the two agree.
nlohmann::json to_json(const Collection& c) {
  nlohmann::json history = nlohmann::json::array();
  for (const auto& r : c.history)
    history.push_back(
        {{"at", r.at}, {"revision", r.revision}, {"matched", r.matched}, {"added", r.added}, {"gone", r.gone}});
  nlohmann::json filters = nlohmann::json::array();
  for (const auto& [f, v] : c.filters) filters.push_back({f, v});
  return {{"name", c.name},   {"query", c.query},       {"filters", filters},
          {"plain", c.plain}, {"created", c.created},   {"matched", c.matched},
          {"added", c.added}, {"excluded", c.excluded}, {"history", history}};
}

Collection from_json(const nlohmann::json& j) {
  Collection c;
  c.name = j.value("name", "");
  c.query = j.value("query", "");
  for (const auto& f : j.value("filters", nlohmann::json::array()))
    c.filters.emplace_back(f.at(0).get<std::string>(), f.at(1).get<std::string>());
  c.plain = j.value("plain", false);
  c.created = j.value("created", "");
  c.matched = j.value("matched", std::vector<std::string>{});
  c.added = j.value("added", std::vector<std::string>{});
  c.excluded = j.value("excluded", std::vector<std::string>{});
  for (const auto& r : j.value("history", nlohmann::json::array())) {
    CollectionRefresh h;
    h.at = r.value("at", "");
    h.revision = r.value("revision", std::uint64_t{0});
    h.matched = r.value("matched", std::size_t{0});
    h.added = r.value("added", std::vector<std::string>{});
    h.gone = r.value("gone", std::vector<std::string>{});
    c.history.push_back(std::move(h));
  }
  return c;
}

// Collections live in the manifest beside the index's database (index_format.h kManifestFile); an index
// of another format is refused with the rebuild message (a rebuild carries its collections over).
void check_format(const std::string& db, const Xapian::Database& d) {
  const std::string version = d.get_metadata(std::string(fmt::kKeyFormat));
  if (version != std::to_string(fmt::kFormatVersion))
    throw IndexError(version.empty() ? db + " is not a quire index"
                                     : "index " + db + " has format version " + version +
                                           "; this quire reads version " + std::to_string(fmt::kFormatVersion) +
                                           " (run 'quire index --rebuild PATH...'; it keeps the collections)");
}

std::string folder_of(const std::string& db) { return index_folders(db).dir; }

std::map<std::string, std::string> read_all(const std::string& db) {
  check_format(db, open_index(db));
  return read_manifest_collections(folder_of(db));
}

// Opens the existing index for writing, under its lock, after finishing or rolling back what a
// killed rebuild left (index_folder.h). Never creates one. Another collection change holds the lock
// for a moment: wait for it, up to `wait`; a `quire index` run holds it for long: fail, saying so.
Xapian::WritableDatabase open_write(const std::string& db, std::chrono::milliseconds wait) {
  recover_index_folder(db);
  const auto until = std::chrono::steady_clock::now() + wait;
  for (;;) {
    try {
      return open_index_for_writing(db, Xapian::DB_OPEN);
    } catch (const Xapian::DatabaseLockError& e) {
      // A folder this user cannot write is no lock to wait for.
      if (e.get_msg().find("already locked") == std::string::npos) throw index_error(db, e);
      if (std::chrono::steady_clock::now() >= until)
        throw IndexLockedError("index " + db +
                               " is locked: 'quire index' (or another collection change) is writing to it; "
                               "try again when it has finished");
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    } catch (const Xapian::Error& e) {
      throw index_error(db, e);
    }
  }
}

// Runs a read or a write of `db`; any failure becomes the IndexError index_error() gives.
template <typename Fn>
auto guarded(const std::string& db, Fn&& fn) {
  const IndexReadGuard guard(db);
  try {
    return fn();
  } catch (const IndexError&) {
    throw;
  } catch (...) {
    throw index_error(db, std::current_exception());
  }
}

Collection parse_collection(const std::string& db, const std::string& name, const std::string& v) {
  try {
    // The key is the collection's name: a "name" inside the record that says otherwise (a hostile or
    // hand-edited index) would send links, actions and download names to another collection.
    Collection c = from_json(parse_json(v));
    c.name = name;
    return c;
  } catch (const std::exception& e) {  // not JSON, too deep, or fields of the wrong type
    throw IndexError("collection '" + name + "' in " + db + " is damaged: " + json_error_text(e) +
                     " (remove it with 'quire collection delete " + name + "')");
  }
}

}  // namespace

std::string filter_as_query(const std::string& field, const std::string& value) {
  if (value.find_first_of(" \t()") == std::string::npos || value.find('"') != std::string::npos)
    return field + ":" + value;
  return field + ":\"" + value + "\"";
}

std::string collection_search(const Collection& c) {
  std::string text = c.query;
  for (const auto& [f, v] : c.filters) text += (text.empty() ? "" : " ") + filter_as_query(f, v);
  return text;
}

std::vector<std::string> Collection::documents() const {
  const std::set<std::string> out(excluded.begin(), excluded.end());
  std::set<std::string> seen;
  std::vector<std::string> docs;
  for (const auto* list : {&matched, &added})
    for (const auto& id : *list)
      if (!out.count(id) && seen.insert(id).second) docs.push_back(id);
  return docs;
}

void check_collection_name(const std::string& name) {
  const bool ok = !name.empty() && name.size() <= 100 && std::all_of(name.begin(), name.end(), [](char ch) {
    return std::isalnum(static_cast<unsigned char>(ch)) || ch == '.' || ch == '_' || ch == '-';
  });
  if (!ok)
    throw std::invalid_argument("collection name '" + message_value(name, 120) +
                                "' must be 1-100 letters, digits, '.', '_' or '-'");
  // A URL resolves "." and ".." path segments, so /collections/NAME could never reach them.
  if (name == "." || name == "..") throw std::invalid_argument("collection name '" + name + "' cannot be . or ..");
}

std::vector<std::string> list_collections(const std::string& db, std::vector<std::string>* skipped) {
  return guarded(db, [&] {
    std::vector<std::string> names;
    for (const auto& kv : read_all(db)) {
      try {
        check_collection_name(kv.first);
        names.push_back(kv.first);
      } catch (const std::invalid_argument&) {
        if (skipped != nullptr) skipped->push_back(message_value(kv.first));
      }
    }
    return names;
  });
}

std::vector<Collection> load_collections(const std::string& db, std::vector<std::string>* skipped,
                                         std::vector<std::string>* damaged) {
  const auto all = guarded(db, [&] { return read_all(db); });
  std::vector<Collection> out;
  for (const auto& [name, json] : all) {
    try {
      check_collection_name(name);
    } catch (const std::invalid_argument&) {
      if (skipped != nullptr) skipped->push_back(message_value(name));
      continue;
    }
    try {
      out.push_back(parse_collection(db, name, json));
    } catch (const IndexError& e) {
      if (damaged == nullptr) throw;
      damaged->push_back(e.what());
    }
  }
  return out;
}

std::optional<Collection> load_collection(const std::string& db, const std::string& name) {
  const auto all = guarded(db, [&] { return read_all(db); });
  const auto it = all.find(name);
  if (it == all.end()) return std::nullopt;
  return parse_collection(db, name, it->second);
}

namespace {

// Changes the manifest's records of `db` under the index's write lock: `change` edits them (each a
// collection's JSON, unparsed) and returns whether to write them back, the lock held throughout.
void change_records(const std::string& db, const std::string& name, std::chrono::milliseconds lock_wait,
                    const std::function<bool(std::map<std::string, std::string>&)>& change) {
  // Read, change and write under one write lock: a change made by another process meanwhile is
  // either wholly before this one (and read by it) or wholly after.
  // The lock is the database's: a rebuild holds it from its copy of the manifest until its swap.
  const IndexReadGuard guard(db);
  Xapian::WritableDatabase d = open_write(db, lock_wait);
  guarded(db, [&] { check_format(db, d); });
  const std::string folder = folder_of(db);
  std::map<std::string, std::string> all = read_manifest_collections(folder);
  if (!change(all)) return;
  try {
    write_manifest_collections(folder, all);
  } catch (const IndexError& e) {
    // A full disk (ENOSPC), a file-size limit (EFBIG), an I/O error: the manifest is replaced by a rename
    // only when written whole, so the index keeps the collections it had.
    throw IndexError("cannot write collection '" + name + "' in index " + db + ": " + e.what() +
                     "; the collections are as they were");
  }
}

}  // namespace

void update_collection(const std::string& db, const std::string& name,
                       const std::function<void(std::optional<Collection>&)>& change,
                       std::chrono::milliseconds lock_wait) {
  change_records(db, name, lock_wait, [&](std::map<std::string, std::string>& all) {
    std::optional<Collection> c;
    if (auto it = all.find(name); it != all.end()) c = parse_collection(db, name, it->second);
    const bool existed = c.has_value();
    change(c);
    if (!c && !existed) return false;
    // A query typed in another encoding is stored with U+FFFD rather than refused by the JSON writer.
    if (c)
      all[name] = to_json(*c).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    else
      all.erase(name);
    return true;
  });
}

void save_collection(const std::string& db, const Collection& c, std::chrono::milliseconds lock_wait) {
  update_collection(
      db, c.name, [&c](std::optional<Collection>& stored) { stored = c; }, lock_wait);
}

bool delete_collection(const std::string& db, const std::string& name, std::chrono::milliseconds lock_wait) {
  // The record is not read: a damaged one is deleted as any other.
  bool existed = false;
  change_records(db, name, lock_wait, [&](std::map<std::string, std::string>& all) {
    existed = all.erase(name) > 0;
    return existed;
  });
  return existed;
}

void mark_documents(Collection& c, const std::vector<std::string>& ids, bool exclude) {
  std::vector<std::string>& list = exclude ? c.excluded : c.added;
  std::vector<std::string>& other = exclude ? c.added : c.excluded;
  std::set<std::string> in(list.begin(), list.end());
  const std::set<std::string> marked(ids.begin(), ids.end());
  for (const auto& id : ids)
    if (in.insert(id).second) list.push_back(id);
  other.erase(
      std::remove_if(other.begin(), other.end(), [&marked](const std::string& id) { return marked.count(id) > 0; }),
      other.end());
}

const CollectionRefresh& refresh_collection(Collection& c, Searcher& searcher) {
  SearchOptions o;
  o.filters = c.filters;
  o.plain = c.plain;
  o.passage_text = false;
  o.passages_per_document = 1;
  o.exact = true;  // the check below needs the true count
  o.limit = kMaxCollectionMatches;
  const SearchResults r = searcher.search(c.query, o);
  // A collection is the whole of its query's matches: never one cut short by a time bound.
  if (r.timed_out || r.time_limited || !r.total_exact)
    throw QueryError("the query's matches could not all be counted in time; the collection is not changed");
  if (r.total > kMaxCollectionMatches)
    throw QueryError("the query matches " + std::to_string(r.total) + " documents; a collection holds at most " +
                     std::to_string(kMaxCollectionMatches) + " (narrow it with filters)");
  std::vector<std::string> now;
  for (const auto& hit : r.hits) now.push_back(hit.meta.id);
  const std::set<std::string> before(c.matched.begin(), c.matched.end()), after(now.begin(), now.end());
  CollectionRefresh h;
  h.at = now_utc();
  h.revision = searcher.revision();
  h.matched = now.size();
  for (const auto& id : now)
    if (!before.count(id)) h.added.push_back(id);
  for (const auto& id : c.matched)
    if (!after.count(id)) h.gone.push_back(id);
  if (c.created.empty()) c.created = h.at;
  c.matched = std::move(now);
  c.history.push_back(std::move(h));
  return c.history.back();
}

}  // namespace quire
