/** @file
 *  @brief The one way quire opens a user's index. An index folder comes from the user (--db,
 *  $QUIRE_DB) and may have been received from someone else, so it is opened as a glass database folder
 *  only: never through a stub file (XAPIANDB, or a file in place of the folder, whose `remote :PROG`
 *  line would run PROG), never as another backend. Every Xapian error met on an index becomes one
 *  IndexError that says what is wrong with which folder.
 */
#pragma once

#include <chrono>

#include <sys/types.h>
#include <xapian.h>

#include <string>
#include <vector>

#include "quire/errors.h"

namespace quire {

/// Opens the index folder `dir` for reading, as glass only. Throws IndexError (index_error()); also
/// when the folder holds a pipe, device or socket (which Xapian would block on or read) or a symbolic
/// link (which a writer would follow, truncating the file it names).
Xapian::Database open_index(const std::string& dir);

/// One database of a search: a local index folder or a shard behind xapian-tcpsrv.
struct IndexShard {
  std::string name;  ///< the folder, or tcp://HOST:PORT, as the user gave it
  bool remote = false;
  Xapian::Database db;
  /// A local shard's folder as it was before its files were opened (0 when remote or not stat-able):
  /// a rebuild swaps a new folder in at the same path, which Xapian's reopen() would not see.
  dev_t folder_dev = 0;
  ino_t folder_ino = 0;
};

/// The first line of a shard list file: the file `--db` names when it is a list of shards, not an index.
inline constexpr const char* kShardListHeader = "quire shards";

/// Whether `path` is a regular file whose first line is kShardListHeader (after a UTF-8 byte order mark,
/// before a CR or spaces).
bool is_shard_list_file(const std::string& path);

/// Opens what `db` names for reading: an index folder (open_index()), or a shard list file written by the
/// user: its first line kShardListHeader, then one shard a line, a local index folder (relative to the
/// file's folder) or tcp://HOST:PORT (a xapian-tcpsrv); blank lines and lines starting with # are
/// skipped. Any other file is refused as before (never followed as a Xapian stub). Throws IndexError
/// naming the file and line, or the shard that cannot be opened or reached.
std::vector<IndexShard> open_index_shards(const std::string& db);

/// The shards of the index folder `dir`, opened: the folder itself (one database), or, for a sharded
/// index (index_format.h kShardFolderPrefix), each of its shard folders, checked against the commit
/// its manifest records (a commit a kill interrupted is searched as it is, with a note on stderr).
std::vector<IndexShard> open_index_folder(const std::string& dir);
/// The database folders of index folder `dir`: `dir` itself, or its shard folders. Checks their entries.
/// A shard folder of a sharded index is gone, or something else is in its place: "index DIR is damaged:
/// shard1 is missing; rebuild it with 'quire index --rebuild'" (never "no index at DIR/shard1", whose
/// advice would make a stray index inside the broken one).
class MissingShardError : public IndexError {
 public:
  using IndexError::IndexError;
};

/// The database folders of index folder `dir`: `dir` itself, or its shard folders. Checks their entries;
/// throws MissingShardError when a shard folder the manifest names is not there (with `skip_missing`,
/// for a rebuild, which carries over what it can: those are left out).
std::vector<std::string> index_shard_folders(const std::string& dir, bool skip_missing = false);

/// open_index() for a caller that handles Xapian's own errors itself (a rebuild telling a damaged index
/// from a missing one): glass only, the same entry checks, but Xapian's errors are not translated.
/// With `skip_missing`, the shards index_shard_folders() would call missing are left out.
Xapian::Database open_index_raw(const std::string& dir, bool skip_missing = false);

/// Opens the index folder `dir` for writing with Xapian's `flags` (DB_OPEN, DB_CREATE_OR_OPEN, ...;
/// any backend bits are replaced by glass). Throws Xapian's own errors, so a caller may handle a
/// missing or locked index itself; translate the rest with index_error(). A pipe, device, socket or
/// link in the folder, or a file with other hard links, is an IndexError before Xapian is called.
/// With `check_tables` (all but a rebuild, which reads the old index only for what it carries over),
/// check_index_tables() after the open.
Xapian::WritableDatabase open_index_for_writing(const std::string& dir, int flags, bool check_tables = true);

/// How long `quire index` waits for the index's write lock: a collection change (`quire collection`,
/// `quire serve`) holds it for a moment, another `quire index` for long.
inline constexpr std::chrono::milliseconds kIndexLockWait{10000};

/// open_index_for_writing(), waiting while another writer holds the lock ("already locked"), up to
/// `wait`; then Xapian's DatabaseLockError, as open_index_for_writing() throws it.
Xapian::WritableDatabase open_index_for_writing_waiting(const std::string& dir, int flags,
                                                        std::chrono::milliseconds wait, bool check_tables = true);

/// Refuses an index whose tables Xapian would quietly take as empty: a table file that cannot be read
/// ("cannot read index DIR: permission denied"), or, in an index with documents, a missing docdata,
/// termlist or (when it holds words) position table ("index DIR is damaged: position table missing
/// ..."), which would turn phrases into AND queries or records into parse errors. Throws IndexError.
void check_index_tables(const std::string& dir, const Xapian::Database& db);

/// The IndexError for Xapian error `e` met while opening or reading index `dir`: no index there, not a
/// folder, a stub or another backend's database (never followed), read-only, locked by a writer, made
/// by another Xapian, or damaged ("index DIR is damaged: ... (run xapian-check DIR)").
IndexError index_error(const std::string& dir, const Xapian::Error& e);

/// Whether Xapian error `e` says a table is damaged (not what Xapian wrote), as opposed to a failed
/// read or write of the disk (a full disk, an I/O error, which carry the system's errno), a lock, or a
/// missing index. Writing paths that word their own failures call index_error() when this is true, so
/// that every command reports damage the same way ("is damaged ... (run xapian-check DIR)").
bool is_damage(const Xapian::Error& e);

/// "no space left on device", "disk quota exceeded" or "file too large" when Xapian error `e` is a write
/// that failed for that reason (in its errno text or, for a failure met again on the way back, inside its
/// message); "" otherwise. Never damage: is_damage() is false and index_error() says so.
std::string disk_full_reason(const Xapian::Error& e);

/// The same for an exception in flight (a Xapian error, a damaged JSON record, anything else), for
/// catch (...) blocks around index reads. Rethrows nothing.
IndexError index_error(const std::string& dir, const std::exception_ptr& e);

/// "index DIR is damaged: WHAT (run xapian-check DIR)".
IndexError damaged_index_error(const std::string& dir, const std::string& what);

/// While one lives, a crash of the thread that made it (SIGSEGV, SIGBUS, SIGFPE, SIGILL) ends quire at
/// once with "quire: index DIR is damaged: ... (run xapian-check DIR)" and exit code 2 instead of a
/// core dump. Xapian 1.4's glass B-tree does not check, when it reads a block, that the items the block
/// lists lie inside it (only xapian-check does), so a table with bytes overwritten can send its
/// iterators outside their buffers. Nothing can be recovered there, so the guard only says which index
/// and exits; it is armed around reads of an index (the searcher, the collection store, the writer's
/// reads), never around quire's own processing, and a crash outside any guard goes to the handler that
/// was there before (the default, or a sanitizer's). Guards nest; the outermost one names the index.
class IndexReadGuard {
 public:
  explicit IndexReadGuard(const std::string& dir);
  ~IndexReadGuard();
  IndexReadGuard(const IndexReadGuard&) = delete;
  IndexReadGuard& operator=(const IndexReadGuard&) = delete;
};

}  // namespace quire
