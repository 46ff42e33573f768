// Xapian side of indexing. See index_writer.h; every prefix, slot and key is in quire/index_format.h.
#include "quire/index_writer.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xapian.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "quire/errors.h"
#include "quire/fold.h"
#include "quire/index_db.h"
#include "quire/index_folder.h"
#include "quire/index_format.h"
#include "quire/json_input.h"
#include "quire/tokenizer.h"
#include "quire/utf8.h"

namespace quire {

namespace fmt = format;

struct IndexWriter::Impl {
  std::string dir;
  Xapian::WritableDatabase db;
  bool failed = false;                             ///< a write failed: what is pending is abandoned, never committed
  bool finished = false;                           ///< finish() committed and closed it
  Xapian::WritableDatabase old;                    ///< rebuild: the old index, held open for its write lock
  bool old_open = false;                           ///< false when the old index is too damaged to open for writing
  std::map<std::string, std::string> collections;  ///< rebuild: the old index's collections
  std::unique_ptr<RebuildSwap> swap;               ///< rebuild: the folder the new index is built in
  std::vector<std::string> notes;                  ///< what recovery and the swap did, for the user
  std::set<std::string> extra_names;               ///< catalogue field names the index holds (kKeyExtraFields)
  std::map<std::string, RemovedId> removed;        ///< this index's records of removed ids (kKeyRemovedPrefix)

  // A sharded index (more than one shard): each shard's database has a thread of its own that applies
  // the changes queued for it, so the shards are written at once. `db` is then the first shard, whose
  // lock is the index's. With one shard the calling thread writes `db` itself and `shards` is empty.
  struct Shard {
    std::string dir;
    Xapian::WritableDatabase db;
    std::mutex mu;  ///< held while the shard's thread applies a change, and by any read of `db`
    std::condition_variable cv;
    std::deque<std::function<void()>> queue;
    bool busy = false, stop = false;
    std::exception_ptr error;  ///< the first failed change; the shard takes no more
    std::thread worker;
  };
  std::vector<std::unique_ptr<Shard>> shards;
  std::string manifest_dir;      ///< where the commit record goes: the index, or the folder a rebuild builds
  std::uint64_t generation = 0;  ///< the last whole commit (index_format.h kKeyGeneration)
  // What the calling thread has queued and the shards may not have applied yet: file states (nullopt:
  // removed) and documents' paths. Reads look here first, so they see every change in the order made.
  std::map<std::string, std::optional<FileState>> pending_states;
  std::map<std::string, std::optional<std::string>> pending_paths;

  bool sharded() const { return shards.size() > 1; }
  /// Queues `fn` (a change of shards[k]->db) for shard k's thread; throws the IndexError of a change
  /// that failed before. Waits while the shard has many changes queued (memory stays bounded).
  void submit(std::size_t k, std::function<void()> fn);
  /// Waits until every shard has applied what is queued; throws the first failure.
  void drain();
  /// Every shard commits generation `generation + 1`, then the manifest records it (all-or-nothing).
  void commit_shards();
  /// Opens the shards of the index (or the rebuild's folder) at `base`, creating them with `create`.
  void open_shards(const std::string& base, std::size_t n, bool create);
  /// After opening: a commit a kill interrupted (shards ahead of the manifest) is repaired.
  void check_generations();
  void start_workers();
  void stop_workers();

  // Runs a change; a Xapian error (disk full, I/O error) marks the writer failed and becomes an IndexError.
  // Any other exception (std::bad_alloc half-way through a file's passages, rt11j row 1) marks it failed
  // too: the change may be part done, so nothing since the last commit may be committed after it.
  template <typename Fn>
  void write(Fn&& fn) {
    if (failed) throw IndexError("cannot write to index " + dir + ": an earlier write failed");
    try {
      fn();
    } catch (const Xapian::Error& e) {
      failed = true;
      if (is_damage(e)) throw index_error(dir, e);
      const std::string full = disk_full_reason(e);
      throw IndexError("cannot write to index " + dir + ": " + (full.empty() ? "" : full + ": ") + e.get_description() +
                       " (the index keeps its last commit)");
    } catch (...) {
      failed = true;
      throw;
    }
  }
};

namespace {

std::string key(std::string_view prefix, const std::string& rest) { return std::string(prefix) + rest; }

// Strings from documents and file names are valid UTF-8 by the time they get here; should one not be,
// it is stored with U+FFFD rather than stop the run (nlohmann::json::dump throws on invalid UTF-8).
std::string dump(const nlohmann::json& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

// A boolean term, unless it is longer than Xapian takes (its value is still stored in its slot).
void add_term(Xapian::Document& doc, const std::string& term) {
  if (term.size() <= fmt::kMaxTermBytes) doc.add_boolean_term(term);
}

using fmt::extra_term;

nlohmann::json state_to_json(const std::string& path, const FileState& s) {
  nlohmann::json j = {
      {"id", s.doc_id}, {"mtime_ns", s.mtime_ns}, {"size", s.size}, {"hash", s.hash}, {"passages", s.passages}};
  if (!s.meta.empty()) j["meta"] = s.meta;
  // A path too long for a key is in the record (as hex: a path need not be UTF-8); see file_key().
  if (fmt::file_key(path).size() != fmt::kKeyFilePrefix.size() + path.size())
    j[fmt::kStateLongPath] = fmt::to_hex(path);
  if (s.ctime_ns != 0) j["ctime_ns"] = s.ctime_ns;
  if (s.inode != 0) j["inode"] = s.inode;
  return j;
}

nlohmann::json removed_to_json(const std::string& path, const RemovedId& r) {
  nlohmann::json j = {{"id", r.doc_id}, {"hash", r.hash}};
  if (fmt::path_key(fmt::kKeyRemovedPrefix, path).size() != fmt::kKeyRemovedPrefix.size() + path.size())
    j[fmt::kStateLongPath] = fmt::to_hex(path);
  return j;
}

FileState state_from_json(const nlohmann::json& j) {
  FileState s;
  s.doc_id = j.value("id", "");
  s.mtime_ns = j.value("mtime_ns", std::int64_t{0});
  s.size = j.value("size", std::uint64_t{0});
  s.hash = j.value("hash", "");
  s.passages = j.value("passages", 0);
  s.meta = j.value("meta", "");
  s.ctime_ns = j.value("ctime_ns", std::int64_t{0});
  s.inode = j.value("inode", std::uint64_t{0});
  return s;
}

// Runs a read of the index; any failure (a damaged table, a record that is not JSON) is an IndexError.
template <typename Fn>
auto reading(const std::string& dir, Fn&& fn) {
  const IndexReadGuard guard(dir);
  try {
    return fn();
  } catch (...) {
    throw index_error(dir, std::current_exception());
  }
}

// An exclusive flock on `path`, or -1 when another process holds it.
int try_lock_file(const std::string& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0644);
  if (fd < 0) return -1;
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

std::string marker_path(const std::string& dir) { return dir + "/" + std::string(fmt::kCreatingMarker); }

// Saved collections (name -> JSON): the manifest's, and those a format 3 index kept in its user metadata
// (C:<name>), which a rebuild carries over into the new index's manifest.
std::map<std::string, std::string> read_collections(const std::string& dir, const Xapian::Database& from) {
  std::map<std::string, std::string> out = read_manifest_collections(dir);
  const std::string prefix(fmt::kKeyCollectionPrefix);
  for (auto it = from.metadata_keys_begin(prefix); it != from.metadata_keys_end(prefix); ++it) {
    const std::string v = from.get_metadata(*it);
    if (!v.empty()) out.emplace((*it).substr(prefix.size()), v);
  }
  return out;
}

}  // namespace

std::string content_hash(const std::string& bytes) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

namespace {

// The paths of the files whose state `db` records (kKeyFilePrefix, long keys by their record).
std::vector<std::string> files_recorded_in(const Xapian::Database& db);
// The records of removed ids `db` holds (kKeyRemovedPrefix), by path.
std::map<std::string, RemovedId> removed_recorded_in(const Xapian::Database& db);
void uncount_spellings(Xapian::WritableDatabase& db, const std::string& doc_id);

std::uint64_t generation_in(const Xapian::Database& db) {
  const std::string g = db.get_metadata(std::string(fmt::kKeyGeneration));
  return g.empty() || g.size() > 19 || g.find_first_not_of("0123456789") != std::string::npos ? 0 : std::stoull(g);
}

// Takes document `doc_id` and the state of `path` out of `db` (one shard).
void remove_from(Xapian::WritableDatabase& db, const std::string& path, const std::string& doc_id) {
  uncount_spellings(db, doc_id);
  db.delete_document(key(fmt::kPrefixDocument, doc_id));
  db.delete_document(key(fmt::kPrefixRecordId, doc_id));
  db.set_metadata(fmt::file_key(path), "");
}

}  // namespace

void IndexWriter::Impl::start_workers() {
  for (auto& sp : shards) {
    Shard* sh = sp.get();
    sh->worker = std::thread([sh] {
      const IndexReadGuard guard(sh->dir);
      std::unique_lock<std::mutex> lock(sh->mu);
      for (;;) {
        sh->cv.wait(lock, [sh] { return sh->stop || !sh->queue.empty(); });
        if (sh->queue.empty()) return;
        std::function<void()> fn = std::move(sh->queue.front());
        sh->queue.pop_front();
        sh->busy = true;
        if (!sh->error) {
          try {
            fn();
          } catch (const Xapian::Error& e) {
            sh->error = std::make_exception_ptr(is_damage(e) ? index_error(sh->dir, e)
                                                             : IndexError("cannot write to index " + sh->dir + ": " +
                                                                          e.get_description() +
                                                                          " (the index keeps its last commit)"));
          } catch (...) {
            sh->error = std::current_exception();
          }
        }
        sh->busy = false;
        sh->cv.notify_all();
      }
    });
  }
}

void IndexWriter::Impl::stop_workers() {
  for (auto& sh : shards) {
    {
      const std::lock_guard<std::mutex> lock(sh->mu);
      sh->stop = true;
    }
    sh->cv.notify_all();
    if (sh->worker.joinable()) sh->worker.join();
  }
}

void IndexWriter::Impl::submit(std::size_t k, std::function<void()> fn) {
  if (failed) throw IndexError("cannot write to index " + dir + ": an earlier write failed");
  Shard& sh = *shards[k];
  std::unique_lock<std::mutex> lock(sh.mu);
  sh.cv.wait(lock, [&] { return sh.queue.size() < 8 || sh.error; });
  if (sh.error) {
    failed = true;
    std::rethrow_exception(sh.error);
  }
  sh.queue.push_back(std::move(fn));
  sh.cv.notify_all();
}

void IndexWriter::Impl::drain() {
  for (auto& sh : shards) {
    std::unique_lock<std::mutex> lock(sh->mu);
    sh->cv.wait(lock, [&] { return (sh->queue.empty() && !sh->busy) || sh->error; });
  }
  for (auto& sh : shards) {
    const std::lock_guard<std::mutex> lock(sh->mu);
    if (sh->error) {
      failed = true;
      std::rethrow_exception(sh->error);
    }
  }
}

void IndexWriter::Impl::commit_shards() {
  if (failed) throw IndexError("cannot write to index " + dir + ": an earlier write failed");
  drain();
  // Every shard's commit carries the new generation, and the shards commit at once (each fsyncs). Only
  // when all have committed does the manifest name the new set; a kill before that leaves shards ahead
  // of the manifest, which the next writer repairs (check_generations()).
  const std::string g = std::to_string(generation + 1);
  for (std::size_t k = 0; k < shards.size(); ++k) {
    Xapian::WritableDatabase* d = &shards[k]->db;
    submit(k, [d, g] {
      d->set_metadata(std::string(fmt::kKeyGeneration), g);
      d->commit_transaction();
      d->begin_transaction(true);
    });
  }
  drain();
  ShardCommit c;
  c.shards = shards.size();
  c.generation = generation + 1;
  for (auto& sh : shards) c.revisions.push_back(sh->db.get_revision());
  write_manifest_commit(manifest_dir, c);
  generation = c.generation;
  pending_states.clear();
  pending_paths.clear();
}

void IndexWriter::Impl::open_shards(const std::string& base, std::size_t n, bool create) {
  // An existing index's shards are checked first: one that is gone is a damaged index, not one to create.
  const std::vector<std::string> folders = create ? shard_folders(base, n) : index_shard_folders(base);
  for (std::size_t k = 0; k < n; ++k) {
    auto sh = std::make_unique<Shard>();
    sh->dir = folders[k];
    if (create) {
      if (::mkdir(sh->dir.c_str(), 0755) != 0 && errno != EEXIST)
        throw IndexError("cannot create shard folder " + sh->dir + ": " + std::strerror(errno));
      sh->db = open_index_for_writing(sh->dir, Xapian::DB_CREATE);
      sh->db.set_metadata(std::string(fmt::kKeyFormat), std::to_string(fmt::kFormatVersion));
      sh->db.set_metadata(std::string(fmt::kKeyGeneration), "0");
      sh->db.commit();
    } else {
      // The first shard first: its lock is the index's.
      sh->db = open_index_for_writing_waiting(sh->dir, Xapian::DB_OPEN, kIndexLockWait);
    }
    shards.push_back(std::move(sh));
  }
  db = shards.front()->db;
  if (create) {
    sync_folder(base);
    ShardCommit c;
    c.shards = n;
    for (auto& sh : shards) c.revisions.push_back(sh->db.get_revision());
    write_manifest_commit(base, c);
  }
}

void IndexWriter::Impl::check_generations() {
  const ShardCommit m = read_manifest_shards(manifest_dir);
  std::vector<std::uint64_t> gens;
  for (auto& sh : shards) gens.push_back(generation_in(sh->db));
  generation = m.generation;
  const CommitState state = commit_state(m, gens);
  if (state == CommitState::kBroken)
    throw damaged_index_error(dir,
                              "its shards are not at the commit its manifest records (a shard restored from "
                              "another backup?); rebuild it with 'quire index --rebuild'");
  if (state == CommitState::kWhole) return;
  // A kill between the shards' commits and the manifest's. Each file is whole in its shard (its
  // passages, record and state commit together), so what the shards ahead hold is complete; only a
  // document that changed shards (its id changed) can be in two, the newer copy in the shard ahead.
  std::map<std::string, std::size_t> holder;  // path -> the shard kept
  std::size_t doubles = 0;
  for (std::size_t k = 0; k < shards.size(); ++k) {
    for (const auto& path : files_recorded_in(shards[k]->db)) {
      auto [it, added] = holder.emplace(path, k);
      if (added) continue;
      ++doubles;
      const std::size_t drop = gens[k] > gens[it->second] ? it->second : k;
      if (drop == it->second) it->second = k;
      Xapian::WritableDatabase& d = shards[drop]->db;
      const std::string v = d.get_metadata(fmt::file_key(path));
      if (!v.empty()) remove_from(d, path, parse_json(v).value("id", ""));
    }
  }
  generation = *std::max_element(gens.begin(), gens.end());
  notes.push_back("repaired " + dir + ": its last commit was interrupted after some shards committed (" +
                  std::to_string(doubles) +
                  " document(s) found in two shards kept in the newer one); files whose changes were lost are "
                  "indexed again by this run");
}

IndexWriter::IndexWriter(const std::string& dir, bool rebuild, std::size_t shards) : impl_(std::make_unique<Impl>()) {
  impl_->dir = dir;
  if (shards > static_cast<std::size_t>(fmt::kMaxShards))
    throw IndexError("index " + dir + ": at most " + std::to_string(fmt::kMaxShards) + " shards");
  impl_->notes = recover_index_folder(dir);
  const IndexFolders folders = index_folders(dir);
  std::error_code ec;
  std::filesystem::create_directories(folders.parent, ec);
  // Xapian buffers this many changed documents before it writes them into its B-trees (the default is
  // 10000). Passages are small, and on 800 UNGDC speeches 1000 indexed 27% faster with a third of
  // the memory (benchmarks/README.md). A value the user set is kept.
  ::setenv("XAPIAN_FLUSH_THRESHOLD", "1000", 0);
  const auto open_error = [&dir](const Xapian::Error& e, const std::string& what) -> IndexError {
    // Locked by a writer, or a folder this user cannot write: index_error() tells them apart.
    if (std::string(e.get_type()) == "DatabaseLockError" || is_damage(e)) return index_error(dir, e);
    return IndexError("cannot open index " + dir + " " + what + ": " + e.get_description());
  };
  FolderKind kind = classify_folder(folders.dir);
  if (kind == FolderKind::kUnlistable)
    throw IndexError("cannot list folder " + dir + " (" + (rebuild ? "--rebuild" : "--db") +
                     "): permission denied. quire makes or rebuilds an index only in a folder it can see is new, "
                     "empty or its own index (give another --db, or let yourself list it: chmod u+r " +
                     dir + ")");
  if (kind == FolderKind::kNotAFolder) throw IndexError(dir + " is a file, not an index folder (give another --db)");
  if (kind == FolderKind::kOther)
    throw IndexError(dir + " is not a quire index: it holds " + describe_entries(folders.dir) +
                     ". quire makes an index only in a new or empty folder, and never writes over other files "
                     "(give another --db)");
  if (kind == FolderKind::kCreating) {
    // A creation quire marked and did not finish (killed before its first commit): only Xapian's files
    // and the marker are removed, and only when no other quire is creating it now.
    // Nothing is deleted unless everything there is quire's or Xapian's and the marker is quire's own
    // (its first line; a file of that name that is empty or says anything else proves nothing).
    check_index_entries(folders.dir, true);
    const int fd = try_lock_file(marker_path(folders.dir), O_RDONLY);
    if (fd < 0) throw IndexError("index " + dir + " is locked: another 'quire index' is creating it");
    const std::vector<std::string> foreign = foreign_entries(folders.dir);
    const bool ours = is_creating_marker(folders.dir);
    if (!foreign.empty() || !ours) {
      ::close(fd);
      throw IndexError(dir +
                       (ours ? " holds an unfinished index and files quire did not make ("
                             : " holds a file named quire-creating that quire did not write (") +
                       describe_entries(folders.dir) + "); nothing was deleted. Give another --db, or move " +
                       (ours ? "those files" : "the folder's files") + " elsewhere");
    }
    const std::vector<std::string> left = remove_index_files(folders.dir, false);
    ::close(fd);
    if (!left.empty())
      throw IndexError(dir + " holds an unfinished index and files quire did not make (" +
                       describe_entries(folders.dir) + "); move them elsewhere");
    kind = FolderKind::kEmpty;
  }
  if (kind == FolderKind::kIndex && rebuild) {
    // A rebuild replaces the whole folder, and quire moves or deletes nothing it did not make: a file of
    // the user's in the index folder stops the rebuild before anything is written.
    if (const std::vector<std::string> foreign = foreign_entries(folders.dir); !foreign.empty()) {
      std::string names;
      for (std::size_t i = 0; i < foreign.size() && i < 5; ++i) names += (i == 0 ? "" : ", ") + foreign[i];
      if (foreign.size() > 5) names += " and " + std::to_string(foreign.size() - 5) + " more";
      throw IndexError("cannot rebuild " + dir + ": it holds " + names +
                       ", which quire did not make, and a rebuild replaces the whole folder. Move " +
                       (foreign.size() == 1 ? "it" : "them") + " out of " + dir +
                       " (the index itself is unharmed), then run the rebuild again; nothing was changed");
    }
    // The old index stays open, its write lock held, until the new one is swapped in: no collection
    // change or other indexing can slip in between the copy of the collections and the swap.
    bool damaged = false;
    try {
      impl_->old = open_index_for_writing_waiting(folders.dir, Xapian::DB_OPEN, kIndexLockWait, false);
      impl_->old_open = true;
    } catch (const Xapian::Error& e) {
      // A damaged table stops the writable open; the collections may still be readable, and then the
      // rebuild is how the user repairs the index. Nobody can write a damaged index meanwhile.
      if (std::string(e.get_type()) == "DatabaseLockError" || std::string(e.get_type()) == "DatabaseOpeningError")
        throw open_error(e, "to rebuild it");
      damaged = true;
    } catch (const MissingShardError&) {
      // A shard folder is gone (its first, which holds the lock, among them): the rebuild is the repair,
      // carrying the collections (in the manifest) over from the shards that are there.
      damaged = true;
    }
    const auto unreadable = [&](const std::string& why) {
      return IndexError("cannot rebuild " + dir + ": its saved collections cannot be read (" + why +
                        "), and a rebuild must carry them over. The index is damaged (run xapian-check " + dir +
                        "); move it elsewhere to index afresh, or restore it from a backup");
    };
    try {
      Xapian::Database old;
      if (impl_->old_open)
        old = impl_->old;
      else
        old = open_index_raw(folders.dir, true);
      const std::string version = old.get_metadata(std::string(fmt::kKeyFormat));
      if (version.empty() && (damaged || old.get_doccount() != 0))
        throw IndexError("cannot rebuild " + dir + ": it is a Xapian database, but not a quire index (" +
                         describe_entries(folders.dir) + "); --rebuild replaces only a quire index");
      impl_->collections = read_collections(folders.dir, old);
    } catch (const Xapian::Error& e) {
      throw unreadable(e.get_description());
    }
    impl_->swap = std::make_unique<RebuildSwap>(folders);
    impl_->manifest_dir = folders.building;
    if (shards == 0) shards = read_manifest_shards(folders.dir).shards;
    try {
      if (shards > 1) {
        impl_->open_shards(folders.building, shards, true);
      } else {
        impl_->db = open_index_for_writing(folders.building, Xapian::DB_CREATE);
        impl_->db.set_metadata(std::string(fmt::kKeyFormat), std::to_string(fmt::kFormatVersion));
        impl_->db.commit();
      }
    } catch (const Xapian::Error& e) {
      throw IndexError("cannot rebuild " + dir + ": cannot create " + folders.building + ": " + e.get_description());
    }
  } else if (kind == FolderKind::kMissing || kind == FolderKind::kEmpty) {
    // A new index: a marker first, so that a kill before Xapian's first commit leaves a folder quire can
    // prove is its own; the marker goes once the format is committed.
    std::filesystem::create_directories(folders.dir, ec);
    if (ec) throw IndexError("cannot create index folder " + dir + ": " + ec.message());
    const int fd = try_lock_file(marker_path(folders.dir), O_WRONLY | O_CREAT | O_EXCL);
    if (fd < 0) throw IndexError("index " + dir + " is locked: another 'quire index' is creating it");
    try {
      const std::string marker = creating_marker_text();
      if (::write(fd, marker.data(), marker.size()) != static_cast<ssize_t>(marker.size()) || ::fsync(fd) != 0) {
        const std::string why = std::strerror(errno);
        ::close(fd);
        ::unlink(marker_path(folders.dir).c_str());
        throw IndexError("cannot create index " + dir + ": cannot write " + marker_path(folders.dir) + ": " + why);
      }
      sync_folder(folders.dir);
      impl_->manifest_dir = folders.dir;
      if (shards > 1) {
        // The shards, each committed, then the manifest naming them; the marker goes last.
        impl_->open_shards(folders.dir, shards, true);
      } else {
        impl_->db = open_index_for_writing(folders.dir, Xapian::DB_CREATE);
        impl_->db.set_metadata(std::string(fmt::kKeyFormat), std::to_string(fmt::kFormatVersion));
        impl_->db.commit();
      }
    } catch (const Xapian::Error& e) {
      ::close(fd);
      throw open_error(e, "for writing");
    } catch (...) {
      ::close(fd);
      throw;
    }
    ::unlink(marker_path(folders.dir).c_str());
    sync_folder(folders.dir);
    ::close(fd);
  } else {
    impl_->manifest_dir = folders.dir;
    const std::size_t have = read_manifest_shards(folders.dir).shards;
    if (shards != 0 && shards != have)
      throw IndexError("index " + dir + " has " + std::to_string(have) + " shard" + (have == 1 ? "" : "s") +
                       "; to give it " + std::to_string(shards) + ", rebuild it: quire index --rebuild --shards " +
                       std::to_string(shards) + " --db " + dir + " PATH...");
    try {
      if (have > 1)
        impl_->open_shards(folders.dir, have, false);
      else
        impl_->db = open_index_for_writing_waiting(folders.dir, Xapian::DB_OPEN, kIndexLockWait);
    } catch (const Xapian::Error& e) {
      throw open_error(e, "for writing");
    }
    // Killed after the first commit of a creation, before its marker went: the index is whole.
    if (const int fd = try_lock_file(marker_path(folders.dir), O_RDONLY); fd >= 0) {
      ::unlink(marker_path(folders.dir).c_str());
      ::close(fd);
    }
  }
  if (!impl_->sharded()) {
    reading(dir, [&] {
      open_checks();
      impl_->removed = removed_recorded_in(impl_->db);
    });
    return;
  }
  for (auto& sh : impl_->shards) {
    impl_->db = sh->db;
    reading(sh->dir, [&] {
      open_checks();
      impl_->removed.merge(removed_recorded_in(sh->db));
    });
  }
  impl_->db = impl_->shards.front()->db;
  reading(dir, [&] { impl_->check_generations(); });
  impl_->start_workers();
}

void IndexWriter::open_checks() {
  const std::string& dir = impl_->dir;
  const std::string version = impl_->db.get_metadata(std::string(fmt::kKeyFormat));
  if (version.empty()) {
    if (impl_->db.get_doccount() != 0) throw IndexError(dir + " is a Xapian database, but not a quire index");
    impl_->db.set_metadata(std::string(fmt::kKeyFormat), std::to_string(fmt::kFormatVersion));
  } else if (version != std::to_string(fmt::kFormatVersion)) {
    throw IndexError("index " + dir + " has format version " + message_value(version) + "; this quire reads version " +
                     std::to_string(fmt::kFormatVersion) + " (run 'quire index --rebuild' to index afresh into it)");
  }
  std::istringstream names(impl_->db.get_metadata(std::string(fmt::kKeyExtraFields)));
  for (std::string name; std::getline(names, name);) impl_->extra_names.insert(name);
  impl_->db.begin_transaction(true);
}

std::vector<std::string> IndexWriter::finish() {
  if (impl_->finished) return impl_->notes;
  if (impl_->sharded()) {
    if (impl_->swap && impl_->old_open)
      impl_->collections = read_collections(index_folders(impl_->dir).dir, impl_->old);
    impl_->commit_shards();
    impl_->stop_workers();
    for (auto& sh : impl_->shards) {
      sh->db.commit_transaction();  // empty: commit_shards() committed everything
      sh->db.close();
    }
  } else {
    impl_->write([&] {
      if (impl_->swap) {
        // Saved collections are the librarians' work, not derived from documents: the new index gets
        // them as they are now (the old index's lock has been held all along).
        if (impl_->old_open) impl_->collections = read_collections(index_folders(impl_->dir).dir, impl_->old);
      }
      impl_->db.commit_transaction();
      impl_->db.close();
    });
  }
  // The manifest goes into the new folder before the swap: a kill before the swap leaves the old index
  // with its own manifest, a kill after it the new index with this one.
  if (impl_->swap && !impl_->collections.empty())
    write_manifest_collections(impl_->swap->folders().building, impl_->collections);
  impl_->finished = true;
  if (impl_->swap) {
    for (auto& n : impl_->swap->swap()) impl_->notes.push_back(std::move(n));
    if (impl_->old_open) impl_->old.close();
    impl_->swap.reset();
  }
  return impl_->notes;
}

IndexWriter::~IndexWriter() {
  // Work since the last commit() is in a transaction: committed on a normal close, cancelled after a
  // failed write. Either way the index is at a commit. Files whose state was not committed are redone
  // on the next run, since replace_file() records a file's state after its passages.
  // A rebuild that did not finish() is abandoned: its folder goes, the old index stays as it was.
  try {
    if (!impl_ || impl_->finished) return;
    if (impl_->sharded()) {
      // Commits as one (all shards, then the manifest), or cancels every shard.
      bool commit = !impl_->failed && !impl_->swap;
      if (commit) {
        try {
          impl_->commit_shards();
        } catch (...) {
          commit = false;
        }
      }
      impl_->stop_workers();
      for (auto& sh : impl_->shards) {
        try {
          if (commit)
            sh->db.commit_transaction();
          else
            sh->db.cancel_transaction();
          sh->db.close();
        } catch (...) {
        }
      }
      return;
    }
    if (impl_->failed || impl_->swap) {
      impl_->db.cancel_transaction();
    } else {
      impl_->db.commit_transaction();
    }
    impl_->db.close();
  } catch (...) {
  }
}

std::optional<FileState> IndexWriter::file_state(const std::string& path) const {
  if (impl_->sharded()) {
    if (auto p = impl_->pending_states.find(path); p != impl_->pending_states.end()) return p->second;
    for (auto& sh : impl_->shards) {
      const std::lock_guard<std::mutex> lock(sh->mu);
      const std::string v = reading(sh->dir, [&] { return sh->db.get_metadata(fmt::file_key(path)); });
      if (!v.empty()) return reading(sh->dir, [&] { return state_from_json(parse_json(v)); });
    }
    return std::nullopt;
  }
  return reading(impl_->dir, [&]() -> std::optional<FileState> {
    const std::string v = impl_->db.get_metadata(fmt::file_key(path));
    if (v.empty()) return std::nullopt;
    return state_from_json(parse_json(v));
  });
}

namespace {

// Calls `fn(path, key)` for every path `db` holds a record of under `prefix` (kKeyFilePrefix: file
// states, kKeyRemovedPrefix: removed ids; long keys by their record).
template <typename Fn>
void for_each_file_recorded(const Xapian::Database& db, Fn&& fn, std::string_view under = fmt::kKeyFilePrefix) {
  const std::string prefix(under);
  for (auto it = db.metadata_keys_begin(prefix); it != db.metadata_keys_end(prefix); ++it) {
    const std::string k = *it;
    if (!fmt::is_long_file_key(k)) {
      fn(k.substr(prefix.size()), k);
      continue;
    }
    const std::string v = db.get_metadata(k);
    if (v.empty()) continue;
    const std::string path = fmt::from_hex(parse_json(v).value(fmt::kStateLongPath, ""));
    if (!path.empty()) fn(path, k);
  }
}

std::vector<std::string> files_recorded_in(const Xapian::Database& db) {
  std::vector<std::string> out;
  for_each_file_recorded(db, [&out](const std::string& path, const std::string&) { out.push_back(path); });
  return out;
}

std::map<std::string, RemovedId> removed_recorded_in(const Xapian::Database& db) {
  std::map<std::string, RemovedId> out;
  for_each_file_recorded(
      db,
      [&](const std::string& path, const std::string& k) {
        const std::string v = db.get_metadata(k);
        if (v.empty()) return;
        const nlohmann::json j = parse_json(v);
        RemovedId r;
        r.doc_id = j.value("id", "");
        r.hash = j.value("hash", "");
        if (!r.doc_id.empty()) out.emplace(path, r);
      },
      fmt::kKeyRemovedPrefix);
  return out;
}

}  // namespace

std::vector<std::string> IndexWriter::indexed_files() const {
  if (impl_->sharded()) {
    impl_->drain();
    std::vector<std::string> out;
    for (auto& sh : impl_->shards) {
      const std::lock_guard<std::mutex> lock(sh->mu);
      for (auto& p : reading(sh->dir, [&] { return files_recorded_in(sh->db); })) out.push_back(std::move(p));
    }
    return out;
  }
  return reading(impl_->dir, [&] { return files_recorded_in(impl_->db); });
}

std::vector<std::string> IndexWriter::files_before() const {
  if (!impl_->swap) return indexed_files();
  if (!impl_->old_open) return {};
  std::vector<std::string> out;
  for (const auto& folder : index_shard_folders(index_folders(impl_->dir).dir))
    for (auto& p : reading(folder, [&] { return files_recorded_in(open_index(folder)); })) out.push_back(std::move(p));
  return out;
}

std::map<std::string, FileState> IndexWriter::states_before() const {
  std::map<std::string, FileState> out;
  if (!impl_->swap || !impl_->old_open) return out;
  // A rebuild is also the repair of a damaged index: a shard that is gone or cannot be read gives no
  // ids, and its files get new ones (the ids collections hold are still never given to another file).
  for (const auto& folder : index_shard_folders(index_folders(impl_->dir).dir, true)) {
    try {
      reading(folder, [&] {
        const Xapian::Database db = open_index(folder);
        for_each_file_recorded(db, [&](const std::string& path, const std::string& k) {
          const std::string v = db.get_metadata(k);
          if (!v.empty()) out.emplace(path, state_from_json(parse_json(v)));
        });
      });
    } catch (const IndexError&) {
    }
  }
  return out;
}

std::set<std::string> IndexWriter::collection_ids() const {
  const std::map<std::string, std::string> collections =
      impl_->swap ? impl_->collections : read_manifest_collections(index_folders(impl_->dir).dir);
  std::set<std::string> ids;
  for (const auto& [name, json] : collections) ids.merge(collection_document_ids(json));
  return ids;
}

std::map<std::string, RemovedId> IndexWriter::removed_ids() const {
  if (!impl_->swap) return impl_->removed;
  std::map<std::string, RemovedId> out;
  if (!impl_->old_open) return out;
  for (const auto& folder : index_shard_folders(index_folders(impl_->dir).dir, true)) {
    try {
      reading(folder, [&] { out.merge(removed_recorded_in(open_index(folder))); });
    } catch (const IndexError&) {
    }
  }
  return out;
}

void IndexWriter::record_removed(const std::string& path, const RemovedId& id) {
  if (id.doc_id.empty() || file_state(path)) return;
  if (auto it = impl_->removed.find(path); it != impl_->removed.end() && it->second == id) return;
  // One record per path: a record of another id at the path (in the shard of that id) goes.
  std::optional<RemovedId> before;
  if (auto it = impl_->removed.find(path); it != impl_->removed.end()) before = it->second;
  const std::string k = fmt::path_key(fmt::kKeyRemovedPrefix, path), v = dump(removed_to_json(path, id));
  impl_->removed[path] = id;
  if (impl_->sharded()) {
    const std::size_t n = impl_->shards.size();
    if (before && fmt::shard_of(before->doc_id, n) != fmt::shard_of(id.doc_id, n)) {
      Xapian::WritableDatabase* d = &impl_->shards[fmt::shard_of(before->doc_id, n)]->db;
      impl_->submit(fmt::shard_of(before->doc_id, n), [d, k] { d->set_metadata(k, ""); });
    }
    Xapian::WritableDatabase* d = &impl_->shards[fmt::shard_of(id.doc_id, n)]->db;
    impl_->submit(fmt::shard_of(id.doc_id, n), [d, k, v] { d->set_metadata(k, v); });
    return;
  }
  impl_->write([&] { impl_->db.set_metadata(k, v); });
}

std::optional<std::string> IndexWriter::path_of_document(const std::string& doc_id) const {
  const auto in = [&](const std::string& dir, Xapian::Database db) {
    return reading(dir, [&]() -> std::optional<std::string> {
      const std::string term = key(fmt::kPrefixRecordId, doc_id);
      Xapian::PostingIterator p = db.postlist_begin(term);
      if (p == db.postlist_end(term)) return std::nullopt;
      return path_bytes(parse_json(db.get_document(*p).get_data()).value("path", ""));
    });
  };
  if (!impl_->sharded()) return in(impl_->dir, impl_->db);
  if (auto p = impl_->pending_paths.find(doc_id); p != impl_->pending_paths.end()) return p->second;
  auto& sh = impl_->shards[fmt::shard_of(doc_id, impl_->shards.size())];
  const std::lock_guard<std::mutex> lock(sh->mu);
  return in(sh->dir, sh->db);
}

namespace {

// A facet slot's value: the document id, then the passage's values (index_format.h); "" when none.
// The separators inside an id or a value (a path or a catalogue string may hold them) become spaces.
std::string facet_value(const std::string& doc_id, const std::vector<std::string>& values) {
  if (values.empty()) return "";
  const auto clean = [](char c) { return c == fmt::kDocSeparator || c == fmt::kListSeparator ? ' ' : c; };
  std::string out;
  for (char c : doc_id) out += clean(c);
  out += fmt::kDocSeparator;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += fmt::kListSeparator;
    for (char c : values[i]) out += clean(c);
  }
  return out;
}

// Boolean terms, facet values and stored tags of one passage.
void add_tags(Xapian::Document& doc, Xapian::TermGenerator& tg, const PassageTags& t, const std::string& doc_id,
              nlohmann::json& data) {
  const auto terms = [&doc](std::string_view prefix, const std::vector<std::string>& values) {
    for (const auto& v : values) add_term(doc, std::string(prefix) + v);
  };
  std::vector<std::string> years;
  for (int y : t.years) years.push_back(std::to_string(y));
  terms(fmt::kPrefixActor, t.actors);
  terms(fmt::kPrefixTheme, t.themes);
  terms(fmt::kPrefixMentioned, years);
  terms(fmt::kPrefixSpeaker, t.speakers);
  terms(fmt::kPrefixDyad, t.dyads);
  doc.add_value(fmt::kSlotActors, facet_value(doc_id, t.actors));
  doc.add_value(fmt::kSlotThemes, facet_value(doc_id, t.themes));
  doc.add_value(fmt::kSlotMentioned, facet_value(doc_id, years));
  doc.add_value(fmt::kSlotSpeakers, facet_value(doc_id, t.speakers));
  doc.add_value(fmt::kSlotDyads, facet_value(doc_id, t.dyads));
  // Quoted words are also fielded text, so quote:"..." matches only inside quotations. Their wdf is 0:
  // they are there to match, and must not make the passage look longer to BM25.
  for (const auto& q : t.quotes) {
    tg.increase_termpos(10);
    tg.index_text(fold_accents(q.text), 0, std::string(fmt::kPrefixQuote));
  }
  nlohmann::json mentions = nlohmann::json::array();
  for (const auto& m : t.mentions) mentions.push_back({m.actor, m.cp_begin, m.cp_end});
  if (!mentions.empty()) data[fmt::kDataActors] = std::move(mentions);
  if (!t.themes.empty()) data[fmt::kDataThemes] = t.themes;
  if (!t.years.empty()) data[fmt::kDataYears] = t.years;
  nlohmann::json quotes = nlohmann::json::array();
  for (const auto& q : t.quotes) {
    nlohmann::json jq = {{"b", q.cp_begin}, {"e", q.cp_end}};
    if (!q.speaker.empty())
      jq["s"] = q.speaker;
    else if (!q.speaker_name.empty())
      jq["s"] = unknown_speaker_key(q.speaker_name);
    if (!q.speaker_name.empty()) jq["n"] = q.speaker_name;
    if (q.scare) jq["scare"] = true;
    quotes.push_back(std::move(jq));
  }
  if (!quotes.empty()) data[fmt::kDataQuotes] = std::move(quotes);
}

// Did-you-mean data (format 4): Xapian's spelling table counts the words of every passage, its body
// and its title, author and publisher fields, so a query's misspelt word ("bhuto") can be corrected
// to a word the index holds ("bhutto"). A file's passages are counted together (a word's count is the
// sum of its wdf over them), so the writer makes one add_spelling() per distinct word of the file
// rather than one per word of every passage; the table ends the same. Kept apart from the rest.
using SpellingCounts = std::map<std::string, Xapian::termcount>;

// "efforts1" is indexed also as "efforts" at the same positions, with its stem, for a marker that lost
// its superscript (glued_number_base()). Called on a passage's body terms before anything else is added.
void add_glued_number_bases(Xapian::Document& doc, const Xapian::Stem& stemmer) {
  std::vector<std::pair<std::string, std::vector<Xapian::termpos>>> bases;
  for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
    std::string base = glued_number_base(*t);
    if (!base.empty()) bases.emplace_back(std::move(base), std::vector<Xapian::termpos>(t.positionlist_begin(), t.positionlist_end()));
  }
  for (const auto& [base, positions] : bases) {
    for (const Xapian::termpos pos : positions) doc.add_posting(base, pos);
    doc.add_term("Z" + stemmer(base));
  }
}

// Adds the words of passage `doc` to `counts`.
void spelling_counts(const Xapian::Document& doc, SpellingCounts& counts) {
  for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
    std::string term = *t;
    for (const std::string_view prefix : {fmt::kPrefixTitle, fmt::kPrefixAuthor, fmt::kPrefixPublisher}) {
      if (term.size() > prefix.size() && term.compare(0, prefix.size(), prefix) == 0 &&
          !(term[prefix.size()] >= 'A' && term[prefix.size()] <= 'Z')) {
        term.erase(0, prefix.size());
        break;
      }
    }
    if (term.empty()) continue;
    const unsigned char c = static_cast<unsigned char>(term[0]);
    if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) continue;  // other prefixes, stems, numbers
    counts[std::move(term)] += std::max<Xapian::termcount>(1, t.get_wdf());
  }
}

// `sign` +1 adds the counted words, -1 takes them out again when their passages are replaced or removed.
void count_spellings(Xapian::WritableDatabase& db, const SpellingCounts& counts, int sign) {
  for (const auto& [word, n] : counts) {
    if (sign > 0)
      db.add_spelling(word, n);
    else
      db.remove_spelling(word, n);
  }
}

// A file gives the spelling table at most this many distinct words: its most frequent ones (ties by
// word). Xapian keeps the spelling table's changes in memory until the commit (a transaction cannot
// flush them), at about 300 bytes a word with its fragments: one file of distinct made-up words (a
// 93.5 MB line of them, rt11j row 2) would otherwise need gigabytes for did-you-mean alone.
constexpr std::size_t kMaxSpellingWordsPerFile = 100000;

// Keeps the kMaxSpellingWordsPerFile words of `counts` that a file gives the spelling table. The same
// choice is made when the file's passages are taken out again (uncount_spellings), from the same words.
void cap_spellings(SpellingCounts& counts) {
  if (counts.size() <= kMaxSpellingWordsPerFile) return;
  std::vector<std::pair<Xapian::termcount, const std::string*>> order;
  order.reserve(counts.size());
  for (const auto& [word, n] : counts) order.emplace_back(n, &word);
  const auto before = [](const auto& a, const auto& b) { return a.first != b.first ? a.first > b.first : *a.second < *b.second; };
  std::nth_element(order.begin(), order.begin() + kMaxSpellingWordsPerFile, order.end(), before);
  std::set<std::string_view> keep;
  for (std::size_t i = 0; i < kMaxSpellingWordsPerFile; ++i) keep.insert(*order[i].second);
  order = {};
  for (auto it = counts.begin(); it != counts.end();) it = keep.count(it->first) ? std::next(it) : counts.erase(it);
}

// count_spellings(-1) over the passages of document `doc_id` in the index.
void uncount_spellings(Xapian::WritableDatabase& db, const std::string& doc_id) {
  const std::string term = key(fmt::kPrefixDocument, doc_id);
  SpellingCounts counts;
  for (auto p = db.postlist_begin(term); p != db.postlist_end(term); ++p) spelling_counts(db.get_document(*p), counts);
  cap_spellings(counts);
  count_spellings(db, counts, -1);
}

// Makes the Xapian document of each passage of one file (terms, positions, values, stored data).
class PassageBuilder {
 public:
  explicit PassageBuilder(const DocumentMeta& meta) : meta_(meta), stemmer_("english") {
    tg_.set_stemmer(stemmer_);
    tg_.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
    std::vector<std::string> extra_values;
    for (const auto& b : meta.by) by_terms_.push_back(key(fmt::kPrefixBy, b));
    for (const auto& [name, value] : meta.extra) {
      extra_terms_.push_back(extra_term(name, value));
      extra_values.push_back(extra_terms_.back().substr(fmt::kPrefixExtra.size()));
    }
    by_list_ = facet_value(meta.id, meta.by);
    extra_list_ = facet_value(meta.id, extra_values);
    year_ = meta.date.size() >= 4 ? meta.date.substr(0, 4) : "";
    publisher_ = meta.publisher.empty() ? meta.container : meta.publisher;
  }

  /// `tags`: the passage's, or null when the file is not tagged.
  Xapian::Document build(const Passage& p, const PassageTags* tags) {
    const DocumentMeta& meta = meta_;
    Xapian::Document doc;
    tg_.set_document(doc);
    tg_.set_termpos(0);
    tg_.index_text(fold_accents(p.text));
    add_glued_number_bases(doc, stemmer_);
    // Text and fielded text are indexed accent-folded (fold.h; format 4): `cafe` finds "Café".
    // Fielded text: searchable with title:, author:, publisher:, never mixed into the body's terms.
    tg_.index_text(fold_accents(meta.title), 1, std::string(fmt::kPrefixTitle));
    tg_.increase_termpos(10);
    tg_.index_text(fold_accents(meta.subtitle), 1, std::string(fmt::kPrefixTitle));
    for (const auto& a : meta.authors) {
      tg_.increase_termpos(10);
      tg_.index_text(fold_accents(a), 1, std::string(fmt::kPrefixAuthor));
    }
    tg_.index_text(fold_accents(meta.publisher), 1, std::string(fmt::kPrefixPublisher));
    tg_.increase_termpos(10);
    tg_.index_text(fold_accents(meta.container), 1, std::string(fmt::kPrefixPublisher));
    nlohmann::json data = {{fmt::kDataDocument, meta.id},
                           {fmt::kDataPassage, p.number},
                           {fmt::kDataParagraph, p.paragraph},
                           {fmt::kDataText, p.text}};
    if (!p.section.empty()) data[fmt::kDataSection] = p.section;
    if (p.page > 0) {
      data[fmt::kDataPage] = p.page;
      data[fmt::kDataPageLabel] = p.page_label;
      if (p.page_end != p.page) {
        data[fmt::kDataPageEnd] = p.page_end;
        data[fmt::kDataPageLabelEnd] = p.page_label_end;
      }
    }
    if (tags) add_tags(doc, tg_, *tags, meta.id, data);
    if (!year_.empty()) {
      add_term(doc, std::string(fmt::kPrefixPublished) + year_);
      doc.add_value(fmt::kSlotPublished, facet_value(meta.id, {year_}));
    }
    for (const auto& t : by_terms_) add_term(doc, t);
    if (!by_list_.empty()) doc.add_value(fmt::kSlotBy, by_list_);
    for (const auto& t : extra_terms_) add_term(doc, t);
    if (!extra_list_.empty()) doc.add_value(fmt::kSlotExtra, extra_list_);
    if (!publisher_.empty()) {
      doc.add_value(fmt::kSlotPublisher, facet_value(meta.id, {publisher_}));
      doc.add_value(fmt::kSlotPublisherValue, publisher_);
    }
    doc.add_boolean_term(key(fmt::kPrefixDocument, meta.id));
    doc.add_boolean_term(key(fmt::kPrefixPassageId, meta.id + "#" + std::to_string(p.number)));
    doc.add_value(fmt::kSlotDocument, meta.id);
    doc.add_value(fmt::kSlotParagraph, Xapian::sortable_serialise(p.paragraph));
    if (!meta.date.empty()) doc.add_value(fmt::kSlotDate, meta.date);
    doc.set_data(dump(data));
    return doc;
  }

 private:
  const DocumentMeta& meta_;
  Xapian::Stem stemmer_;
  Xapian::TermGenerator tg_;
  std::vector<std::string> by_terms_, extra_terms_;
  std::string by_list_, extra_list_, year_, publisher_;
};

// A file of more passages than this (about 1.5 MB of text) keeps them as passages, and the writer
// makes each one's Xapian document just before it adds it: a Xapian document with positions weighs
// about 25 times its text, so holding a big file's documents at once took gigabytes (rt11j row 2).
// Smaller files, nearly all, are made on the worker threads beside the writer as before.
constexpr std::size_t kPreparedPassagesMax = 1000;

}  // namespace

struct PreparedFile::Impl {
  std::vector<Xapian::Document> passages;
  // A big file (over kPreparedPassagesMax passages): its passages, made into documents by the writer.
  bool deferred = false;
  DocumentMeta meta;
  std::vector<Passage> texts;
  std::vector<PassageTags> tags;
  Xapian::Document record;  ///< the document's record: its metadata JSON with its tags (kTermRecord)
  std::map<std::string, std::string> speaker_labels;  ///< "~key" -> label, for speakers not in the gazetteer
  SpellingCounts spellings;  ///< the passages' words for the spelling table, counted on the preparing thread

  /// Adds the file's passages to `db` and their words to its spelling table. A deferred file's
  /// documents are made here one at a time, so memory holds one of them (and Xapian's buffer of
  /// changes, flushed every XAPIAN_FLUSH_THRESHOLD documents also inside a transaction).
  void add_to(Xapian::WritableDatabase& db) {
    if (!deferred) {
      for (const Xapian::Document& doc : passages) db.add_document(doc);
      count_spellings(db, spellings, 1);
      return;
    }
    SpellingCounts counts;
    PassageBuilder builder(meta);
    for (const Passage& p : texts) {
      const Xapian::Document doc = builder.build(p, tags.empty() ? nullptr : &tags[static_cast<std::size_t>(p.number - 1)]);
      spelling_counts(doc, counts);
      db.add_document(doc);
    }
    cap_spellings(counts);
    count_spellings(db, counts, 1);
  }
};

PreparedFile::PreparedFile() : impl_(std::make_unique<Impl>()) {}
PreparedFile::~PreparedFile() = default;
PreparedFile::PreparedFile(PreparedFile&&) noexcept = default;
PreparedFile& PreparedFile::operator=(PreparedFile&&) noexcept = default;

PreparedFile prepare_file(const DocumentMeta& meta, std::vector<Passage> passages, std::vector<PassageTags> tags) {
  try {
    PreparedFile out;
    if (passages.size() > kPreparedPassagesMax) {
      out.impl_->deferred = true;
      out.impl_->meta = meta;
    } else {
      PassageBuilder builder(meta);
      out.impl_->passages.reserve(passages.size());
      for (const Passage& p : passages) {
        Xapian::Document doc = builder.build(p, tags.empty() ? nullptr : &tags[static_cast<std::size_t>(p.number - 1)]);
        spelling_counts(doc, out.impl_->spellings);
        out.impl_->passages.push_back(std::move(doc));
      }
      cap_spellings(out.impl_->spellings);
    }
    nlohmann::json stored = to_json(meta);
    if (!tags.empty()) {
      // Document-level tags: every actor and theme of any passage, with passage counts.
      std::map<std::string, int> actors, themes;
      for (const auto& t : tags) {
        for (const auto& a : t.actors) ++actors[a];
        for (const auto& th : t.themes) ++themes[th];
      }
      stored["tags"] = {{"actors", actors}, {"themes", themes}};
      for (const auto& t : tags) {
        for (const auto& q : t.quotes) {
          if (q.speaker.empty() && !q.speaker_name.empty())
            out.impl_->speaker_labels.emplace(unknown_speaker_key(q.speaker_name), q.speaker_name);
        }
      }
    }
    out.impl_->record.add_boolean_term(std::string(fmt::kTermRecord));
    out.impl_->record.add_boolean_term(key(fmt::kPrefixRecordId, meta.id));
    out.impl_->record.set_data(dump(stored));
    if (out.impl_->deferred) {
      out.impl_->texts = std::move(passages);
      out.impl_->tags = std::move(tags);
    }
    return out;
  } catch (const Xapian::Error& e) {
    throw Error("cannot make index documents: " + e.get_description());
  }
}

void IndexWriter::replace_file(const std::string& path, const FileState& state, const DocumentMeta& meta,
                               const std::vector<Passage>& passages, const std::vector<PassageTags>& tags) {
  replace_file(path, state, meta, prepare_file(meta, passages, tags));
}

void IndexWriter::replace_file(const std::string& path, const FileState& state, const DocumentMeta& meta,
                               PreparedFile&& file) {
  if (impl_->sharded()) {
    // The document goes to the shard of its id; its file's old document leaves the shard of the old id
    // (the same shard unless the id changed).
    const std::size_t n = impl_->shards.size(), k = fmt::shard_of(meta.id, n);
    const std::optional<FileState> old = file_state(path);
    if (old && fmt::shard_of(old->doc_id, n) != k) {
      Xapian::WritableDatabase* d = &impl_->shards[fmt::shard_of(old->doc_id, n)]->db;
      impl_->submit(fmt::shard_of(old->doc_id, n), [d, path, id = old->doc_id] { remove_from(*d, path, id); });
    }
    std::string extra_list;
    if (!meta.extra.empty()) {
      bool added = false;
      for (const auto& kv : meta.extra) added = impl_->extra_names.insert(kv.first).second || added;
      if (added)
        for (const auto& name : impl_->extra_names) extra_list += name + "\n";
    }
    auto docs = std::make_shared<PreparedFile>(std::move(file));
    Xapian::WritableDatabase* d = &impl_->shards[k]->db;
    const std::string old_id = old && fmt::shard_of(old->doc_id, n) == k ? old->doc_id : "";
    const std::string record = dump(state_to_json(path, state));
    impl_->submit(k, [d, docs, old_id, path, record, extra_list, id = meta.id] {
      Xapian::WritableDatabase& db = *d;
      if (!old_id.empty()) {
        uncount_spellings(db, old_id);
        db.delete_document(key(fmt::kPrefixDocument, old_id));
        db.delete_document(key(fmt::kPrefixRecordId, old_id));
      }
      docs->impl_->add_to(db);
      db.replace_document(key(fmt::kPrefixRecordId, id), docs->impl_->record);
      for (const auto& [speaker, label] : docs->impl_->speaker_labels) {
        const std::string label_key = key(fmt::kKeySpeakerLabelPrefix, speaker);
        if (label_key.size() < 200 && db.get_metadata(label_key).empty()) db.set_metadata(label_key, label);
      }
      if (!extra_list.empty()) db.set_metadata(std::string(fmt::kKeyExtraFields), extra_list);
      db.set_metadata(fmt::file_key(path), record);
    });
    if (old) impl_->pending_paths[old->doc_id] = std::nullopt;
    impl_->pending_paths[meta.id] = path;
    impl_->pending_states[path] = state;
    forget_removed(path);
    return;
  }
  forget_removed(path);
  impl_->write([&] {
    // Order matters: old passages out, new passages in, and the file's state last (see ~IndexWriter).
    Xapian::WritableDatabase& db = impl_->db;
    if (auto old = file_state(path)) {
      uncount_spellings(db, old->doc_id);
      db.delete_document(key(fmt::kPrefixDocument, old->doc_id));
      db.delete_document(key(fmt::kPrefixRecordId, old->doc_id));
    }
    file.impl_->add_to(db);
    db.replace_document(key(fmt::kPrefixRecordId, meta.id), file.impl_->record);
    for (const auto& [speaker, label] : file.impl_->speaker_labels) {
      const std::string k = key(fmt::kKeySpeakerLabelPrefix, speaker);
      if (k.size() < 200 && db.get_metadata(k).empty()) db.set_metadata(k, label);
    }
    if (!meta.extra.empty()) note_extra_fields(meta.extra);
    db.set_metadata(fmt::file_key(path), dump(state_to_json(path, state)));
  });
}

void IndexWriter::note_extra_fields(const std::vector<std::pair<std::string, std::string>>& extra) {
  bool added = false;
  for (const auto& kv : extra) added = impl_->extra_names.insert(kv.first).second || added;
  if (!added) return;
  std::string list;
  for (const auto& name : impl_->extra_names) list += name + "\n";
  impl_->db.set_metadata(std::string(fmt::kKeyExtraFields), list);
}

void IndexWriter::set_people(const std::string& json) {
  if (impl_->sharded()) {
    for (std::size_t k = 0; k < impl_->shards.size(); ++k) {
      Xapian::WritableDatabase* d = &impl_->shards[k]->db;
      impl_->submit(k, [d, json] { d->set_metadata(std::string(fmt::kKeyPeople), json); });
    }
    return;
  }
  impl_->write([&] { impl_->db.set_metadata(std::string(fmt::kKeyPeople), json); });
}

void IndexWriter::update_file_state(const std::string& path, const FileState& state) {
  if (impl_->sharded()) {
    const std::size_t k = fmt::shard_of(state.doc_id, impl_->shards.size());
    Xapian::WritableDatabase* d = &impl_->shards[k]->db;
    impl_->submit(k, [d, key = fmt::file_key(path), v = dump(state_to_json(path, state))] { d->set_metadata(key, v); });
    impl_->pending_states[path] = state;
    return;
  }
  impl_->write([&] { impl_->db.set_metadata(fmt::file_key(path), dump(state_to_json(path, state))); });
}

void IndexWriter::remove_file(const std::string& path, bool remember) {
  auto old = file_state(path);
  if (!old) return;
  if (impl_->sharded()) {
    const std::size_t k = fmt::shard_of(old->doc_id, impl_->shards.size());
    Xapian::WritableDatabase* d = &impl_->shards[k]->db;
    impl_->submit(k, [d, path, id = old->doc_id] { remove_from(*d, path, id); });
    impl_->pending_states[path] = std::nullopt;
    impl_->pending_paths[old->doc_id] = std::nullopt;
  } else {
    impl_->write([&] {
      uncount_spellings(impl_->db, old->doc_id);
      impl_->db.delete_document(key(fmt::kPrefixDocument, old->doc_id));
      impl_->db.delete_document(key(fmt::kPrefixRecordId, old->doc_id));
      impl_->db.set_metadata(fmt::file_key(path), "");
    });
  }
  // In the same shard and transaction as the removal: the id is remembered exactly when it is gone.
  if (remember) record_removed(path, RemovedId{old->doc_id, old->hash});
}

void IndexWriter::forget_removed(const std::string& path) {
  const auto it = impl_->removed.find(path);
  if (it == impl_->removed.end()) return;
  const std::string k = fmt::path_key(fmt::kKeyRemovedPrefix, path);
  const std::size_t n = impl_->sharded() ? impl_->shards.size() : 1, shard = fmt::shard_of(it->second.doc_id, n);
  impl_->removed.erase(it);
  if (impl_->sharded()) {
    Xapian::WritableDatabase* d = &impl_->shards[shard]->db;
    impl_->submit(shard, [d, k] { d->set_metadata(k, ""); });
    return;
  }
  impl_->write([&] { impl_->db.set_metadata(k, ""); });
}

void IndexWriter::commit() {
  // One transaction per commit: everything since the last commit becomes durable at once, or not at all.
  if (impl_->sharded()) {
    impl_->commit_shards();
    return;
  }
  impl_->write([&] {
    impl_->db.commit_transaction();
    impl_->db.begin_transaction(true);
  });
}

}  // namespace quire
