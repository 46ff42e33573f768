/** @file
 *  @brief An index folder on disk, apart from the Xapian database in it: what a folder holds (a quire
 *  index, nothing, someone else's files), the rebuild that builds a new index beside the old one and
 *  swaps the two in one rename, and the recovery that finishes or rolls back a swap a kill interrupted.
 *
 *  No Xapian here: the index writer and the collection store open the database; this file moves and
 *  deletes folders, and only folders it can prove are quire's (docs/robustness.md, "Rebuilds and
 *  recovery"). Every step is made durable (fsync of the files and of the folders that name them).
 */
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace quire {

/// An index folder DIR and the names a rebuild of it uses beside it, in the same parent folder (so a
/// rename between them is atomic). DIR is resolved first: symlinks followed, "." and ".." removed.
struct IndexFolders {
  std::string dir;       ///< the index
  std::string parent;    ///< the folder that holds it
  std::string building;  ///< PARENT/.NAME.quire-rebuild: the new index while a rebuild makes it
  std::string aside;     ///< PARENT/.NAME.quire-old: the old index, when two renames replace the exchange
};
/// Throws IndexError when `dir` has no parent to build beside (the root folder).
IndexFolders index_folders(const std::string& dir);

enum class FolderKind {
  kMissing,     ///< nothing at that path
  kEmpty,       ///< an empty folder
  kIndex,       ///< a Xapian glass database (its version file, iamglass, is there)
  kCreating,    ///< a creation quire marked (kCreatingMarker) and did not finish
  kOther,       ///< a folder with other files in it
  kNotAFolder,  ///< a file, a device, ...
  kUnlistable,  ///< a folder this user may not list (mode 0311, 0711): nobody can say what it holds
};
FolderKind classify_folder(const std::string& dir);

/// How read_index_file() went.
enum class IndexFileRead { kRead, kMissing, kNotRegular, kTooBig, kError };

/// Reads one of quire's own files in an index folder (a marker, the manifest) the only safe way, since
/// the folder may come from someone else: opened with O_NOFOLLOW | O_NONBLOCK, read only when it is a
/// regular file (not a link, FIFO, device or socket) of at most `max_bytes` (checked on the size and on
/// the bytes read). `text` holds the bytes when kRead; `error`, if given, the errno of a failure.
IndexFileRead read_index_file(const std::string& path, std::uint64_t max_bytes, std::string& text,
                              int* error = nullptr);

/// What a creation marker (format::kCreatingMarker) holds: a fixed first line, then this process's pid
/// and the time, so that a file of that name quire did not write proves nothing.
std::string creating_marker_text();

/// Whether folder `dir` holds quire's creation marker: a small regular file holding exactly what
/// creating_marker_text() writes, its first line, "pid N" and "time T" (digits), and nothing more. An
/// empty, foreign or partial file of that name (the first line alone) is not one.
bool is_creating_marker(const std::string& dir);

/// What an index folder may hold, checked before anything in it is opened or read. A folder someone
/// else made may hold anything: Xapian would wait for ever on a pipe, read a device, and, when writing,
/// follow a link (flintlock, v.tmp, a table) and truncate or overwrite the file it points at. So the
/// folder must be listed whole and each entry checked: regular files and folders only, none a link;
/// for writing, no file with other hard links (a backup made with `cp -al`, or a user's file). Throws
/// IndexError naming the folder and the first entry not allowed, or saying it cannot be listed or an
/// entry cannot be checked (a folder of mode 0311 or 0644). Nothing when `dir` is not a folder.
void check_index_entries(const std::string& dir, bool for_writing);

/// The names in folder `dir` for a message: "film.mkv, notes.txt and 3 more".
std::string describe_entries(const std::string& dir);

/// Finishes or rolls back what a killed rebuild left beside `dir`, under the rebuild's lock, and
/// returns what it did, one line each, for the user. Leaves alone a rebuild that is still running and
/// any folder without quire's marker (a marker is read only as a small regular file). Reads nothing in
/// `dir` unless it passes check_index_entries(). Called before an index is opened for writing.
std::vector<std::string> recover_index_folder(const std::string& dir);

/// The names in folder `dir` that neither Xapian nor quire writes there (a user's notes.txt), sorted.
std::vector<std::string> foreign_entries(const std::string& dir);

/// Deletes the files Xapian and quire write in an index folder (format::kGlassFiles and the markers),
/// then (with `remove_folder`) the folder itself if nothing else is left. Returns the names it left
/// (files it did not make).
std::vector<std::string> remove_index_files(const std::string& dir, bool remove_folder = true);

/// A rebuild in progress: the folder the new index is built in, locked while this object lives.
/// Without a successful swap(), the destructor removes that folder: the old index stays as it was.
class RebuildSwap {
 public:
  /// Creates `f.building` with its marker. Throws IndexError naming the folder when it cannot.
  explicit RebuildSwap(IndexFolders f);
  ~RebuildSwap();
  RebuildSwap(const RebuildSwap&) = delete;
  RebuildSwap& operator=(const RebuildSwap&) = delete;

  const IndexFolders& folders() const { return f_; }

  /// The new index in folders().building is committed and closed; the caller still holds the old
  /// index's write lock. Records the old folder's identity, exchanges the two folders in one rename
  /// (two renames where the filesystem cannot), then removes the old index. Throws IndexError if the
  /// swap cannot be made: the old index is then still in place. Returns notes for the user.
  std::vector<std::string> swap();

 private:
  IndexFolders f_;
  int lock_fd_ = -1;
  bool swapped_ = false;
};

/// Writes `content` to `path` durably: a temporary file beside it, fsync, rename over, fsync of the folder.
/// Throws IndexError naming the file.
void write_file_durably(const std::string& path, const std::string& content);

/// The saved collections in the manifest of index folder `dir` (format::kManifestFile): name -> the
/// collection's JSON. Empty when there is no manifest. Throws IndexError naming the file when it
/// cannot be read or is not what quire writes.
std::map<std::string, std::string> read_manifest_collections(const std::string& dir);
/// The document ids one collection's JSON (a value of read_manifest_collections()) names: its
/// "matched", "added" and "excluded" lists and the "added" and "gone" lists of its refresh history (the
/// names searcher/collections.cc writes). A collection holds a document by its id even after the document
/// is gone, so the indexer gives none of these ids to another file. JSON that is not a collection names none.
std::set<std::string> collection_document_ids(const std::string& json);
/// Writes the manifest of `dir` with `collections` (name -> JSON), durably and atomically (a temporary
/// file renamed over it). The caller holds the index's write lock. Throws IndexError.
void write_manifest_collections(const std::string& dir, const std::map<std::string, std::string>& collections);

/// The shard record of an index folder's manifest (index_format.h, kShardFolderPrefix): how many shards,
/// and the shard commits that make up the index's last whole commit.
struct ShardCommit {
  std::size_t shards = 1;                ///< 1: one database in the index folder itself (no record)
  std::uint64_t generation = 0;          ///< the last whole commit (kKeyGeneration of every shard)
  std::vector<std::uint64_t> revisions;  ///< each shard's Xapian revision at that commit
};
/// The shard record of `dir`'s manifest; shards = 1 when there is no manifest or no record. Throws
/// IndexError naming the manifest when the record is not what quire writes.
ShardCommit read_manifest_shards(const std::string& dir);
/// Writes `commit` into `dir`'s manifest, keeping its collections, durably and atomically. The caller
/// holds the index's write lock (the lock of its first shard) and has committed every shard.
void write_manifest_commit(const std::string& dir, const ShardCommit& commit);
/// DIR/shard0 ... DIR/shard<shards-1>.
std::vector<std::string> shard_folders(const std::string& dir, std::size_t shards);
/// The shards' own generations (kKeyGeneration) against the manifest's record.
enum class CommitState {
  kWhole,        ///< every shard is at the manifest's generation
  kInterrupted,  ///< some shards are one or more generations ahead: a kill between the shards' commits and the
                 ///< manifest's (the next writer repairs it)
  kBroken,       ///< a shard is behind the manifest, or the counts differ: not what quire leaves (a shard
                 ///< restored from an older backup, or replaced)
};
CommitState commit_state(const ShardCommit& manifest, const std::vector<std::uint64_t>& generations);

/// fsync of a folder, so the names created or removed in it survive a power loss. Returns false on failure.
bool sync_folder(const std::string& dir);

}  // namespace quire
