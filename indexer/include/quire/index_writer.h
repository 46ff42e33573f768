/** @file
 *  @brief Writes documents into a quire index (a Xapian glass database): one Xapian document per
 *  passage, document metadata once per document in the database's user metadata, and the state of
 *  every indexed file so that re-indexing can skip what has not changed.
 *
 *  Commits are durable (Xapian's default fsync; never DB_NO_SYNC). Work between commits is a Xapian
 *  transaction: a failed write (disk full, an I/O error) throws IndexError and the index stays at its
 *  last commit. Only one IndexWriter may have an
 *  index open at a time; a second gets an IndexError saying the index is locked.
 */
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "quire/document.h"
#include "quire/tagging.h"

namespace quire {

/// What quire remembers of a file it indexed.
struct FileState {
  std::string doc_id;
  std::int64_t mtime_ns = 0;
  std::int64_t ctime_ns = 0;  ///< status change time: touch -r and cp -p cannot set it back
  std::uint64_t inode = 0;
  std::uint64_t size = 0;
  std::string hash;  ///< 64-bit FNV-1a of the bytes, hex
  std::string meta;  ///< fingerprint of the catalogue fields a metadata map gave the file; "" if none
  int passages = 0;
};

/// What the index remembers of a document it removed (index_format.h kKeyRemovedPrefix): a file that
/// comes back at its path, or with its bytes, takes the id back (rt11j row 3).
struct RemovedId {
  std::string doc_id;
  std::string hash;  ///< the removed file's content_hash(); "" if unknown

  bool operator==(const RemovedId& o) const { return doc_id == o.doc_id && hash == o.hash; }
};

/// A file's passages made into index documents (terms, positions, values, stored data), ready for
/// IndexWriter::replace_file(). Made by prepare_file() on any thread, so that the expensive part of
/// indexing runs beside the writer.
class PreparedFile {
 public:
  PreparedFile();
  ~PreparedFile();
  PreparedFile(PreparedFile&&) noexcept;
  PreparedFile& operator=(PreparedFile&&) noexcept;

 private:
  friend class IndexWriter;
  friend PreparedFile prepare_file(const DocumentMeta&, std::vector<Passage>, std::vector<PassageTags>);
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Builds the index documents of one file: `tags`, when not empty, holds one PassageTags per passage.
/// Touches no index; safe to call from several threads at once. A big file (over 1,000 passages)
/// keeps its passages instead, and replace_file() makes and adds their documents one at a time, so
/// that memory does not hold every document of the file (rt11j row 2). Either way the file's passages,
/// record and state are written in the same transaction, and committed together.
PreparedFile prepare_file(const DocumentMeta& meta, std::vector<Passage> passages, std::vector<PassageTags> tags = {});

class IndexWriter {
 public:
  /// Opens the index at `dir`, creating it (and missing parent folders) if needed, after finishing or
  /// rolling back what a killed rebuild left (index_folder.h). Throws IndexError if it is locked by
  /// another writer, is not a quire index of this format, or holds files that are not an index (quire
  /// never writes into such a folder).
  /// With `rebuild`, the new index is built in a folder beside `dir` while the old one stays in place,
  /// locked and searchable; finish() carries the collections over and swaps the two. Without finish()
  /// (an interruption, an error) the new index is abandoned and `dir` is as it was.
  /// `shards`: how many shards a new index (or a rebuild) gets (index_format.h kShardFolderPrefix): more
  /// than one are written at once, each by a thread of its own, a document always into shard_of() its
  /// id, and every commit() is all-or-nothing across them (the manifest records the shards' commit after
  /// all made it). 0 keeps an existing index's count (1 for a new one); another count than an existing
  /// index's, without `rebuild`, is an IndexError.
  explicit IndexWriter(const std::string& dir, bool rebuild = false, std::size_t shards = 0);
  ~IndexWriter();
  IndexWriter(const IndexWriter&) = delete;
  IndexWriter& operator=(const IndexWriter&) = delete;

  /// The recorded state of the file at absolute `path`, if it is indexed.
  std::optional<FileState> file_state(const std::string& path) const;
  /// Absolute paths of every indexed file.
  std::vector<std::string> indexed_files() const;
  /// indexed_files() of the index as it was before this writer: for a rebuild, the old index's (none
  /// when it was too damaged to open for writing).
  std::vector<std::string> files_before() const;
  /// For a rebuild, the state of every file the old index recorded (path -> state), so that a file
  /// still there keeps its document id in the new index; empty without a rebuild, and when the old
  /// index is too damaged to open for writing (a shard that is gone or unreadable gives none).
  std::map<std::string, FileState> states_before() const;
  /// The document ids the saved collections hold (collection_document_ids(), index_folder.h), for a
  /// rebuild those it carries over. A collection keeps the id of a document that is gone, so no other
  /// file may be given it.
  std::set<std::string> collection_ids() const;
  /// The ids of removed documents by their files' paths (kKeyRemovedPrefix): for a rebuild the old
  /// index's (none when it is too damaged to open), else this index's as it is now.
  std::map<std::string, RemovedId> removed_ids() const;
  /// Records that the document `id` of the file at `path` was removed (a rebuild carrying records over,
  /// or recording the files it did not find). Nothing when `path` is indexed.
  void record_removed(const std::string& path, const RemovedId& id);
  /// The path of the file that holds document `doc_id`, if any.
  std::optional<std::string> path_of_document(const std::string& doc_id) const;

  /// Replaces whatever `path` contributed before with `meta` and `passages`; `tags`, when not empty,
  /// holds one PassageTags per passage.
  void replace_file(const std::string& path, const FileState& state, const DocumentMeta& meta,
                    const std::vector<Passage>& passages, const std::vector<PassageTags>& tags = {});
  /// The same with the documents already made by prepare_file() from `meta`.
  void replace_file(const std::string& path, const FileState& state, const DocumentMeta& meta, PreparedFile&& file);
  /// Records a new state for a file whose content did not change (touched, same bytes).
  void update_file_state(const std::string& path, const FileState& state);
  /// Removes the file's passages, its document metadata and its state; with `remember`, records its id
  /// by its path and hash (removed_ids()), in the same commit. A file moved (its document taken over by
  /// another path) is removed without. replace_file() at a path drops the path's record.
  void remove_file(const std::string& path, bool remember = true);

  /// Records the people the catalogue names (JSON, index_format.h kKeyPeople) for the searcher.
  void set_people(const std::string& json);
  /// Makes everything written so far durable and visible to searchers.
  void commit();
  /// Commits and closes the index; for a rebuild, also carries the collections over and swaps the new
  /// index in. Returns notes for the user (recovery of an earlier interrupted rebuild, the swap).
  /// Throws IndexError if the last commit or the swap fails; the old index is then still in place.
  std::vector<std::string> finish();

 private:
  // Records catalogue field names in the index, so the searcher takes them as filters (session:20).
  void note_extra_fields(const std::vector<std::pair<std::string, std::string>>& extra);
  // Drops the record of a removed id at `path` (a file is indexed there now).
  void forget_removed(const std::string& path);
  // After opening: the format version, the collections a rebuild keeps, the catalogue field names.
  void open_checks();

  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// 64-bit FNV-1a of `bytes` as 16 hex digits.
std::string content_hash(const std::string& bytes);

}  // namespace quire
