/** @file
 *  @brief `quire index`: finds the documents under the given paths, reads, cleans and splits them,
 *  and brings the index up to date. Unchanged files are skipped; changed files have their passages
 *  replaced; files that vanished are removed when asked (prune). A file that cannot be read is
 *  reported and skipped; every other file is still indexed.
 */
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "quire/document.h"
#include "quire/metadata_map.h"
#include "quire/passage_splitter.h"
#include "quire/reader_registry.h"
#include "quire/tagging.h"

namespace quire {

struct IndexOptions {
  std::string db_path;  ///< required
  /// Remove indexed files under the inputs that no longer exist. Never those under an input or folder
  /// that cannot be read, nor under a folder that is empty now (IndexSummary::kept).
  bool prune = false;
  /// Build a new index beside the old one and swap it in when it is complete, carrying the saved
  /// collections over; stopped or failed, the old index stays as it was (index_writer.h).
  bool rebuild = false;
  /// Shards of a new index (or of a rebuild): more than one are written at once, a thread each
  /// (index_writer.h). 0 keeps an existing index's count, and gives a new one a single database.
  std::size_t shards = 0;
  SplitOptions split;
  std::size_t commit_every_passages = 50000;            ///< commit after this many new passages (and at the end)
  std::uint64_t max_file_bytes = kDefaultMaxFileBytes;  ///< larger files are not read, and reported
  const Tagger* tagger = nullptr;                       ///< tags passages (actors, themes, dates, quotes) when set
  /// Threads that read, tag and prepare files while the calling thread writes them (the index is the
  /// same whatever the number). The Tagger is shared between them.
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  /// Catalogue fields from outside the files (metadata_map.h); they replace what a file states. Its
  /// "by" values are resolved to actor ids through the tagger's gazetteer when there is one.
  const MetadataMap* metadata = nullptr;
  /// When set and true, indexing stops after the file in hand, commits what is finished and returns with
  /// IndexSummary::interrupted (a signal handler sets it).
  const std::atomic<bool>* stop = nullptr;
  /// Passed to every reader: OCR, and the helper program and limits of the isolated PDF parse.
  ReadContext read;
};

/// A file that could not be indexed, and why (one line).
struct FileProblem {
  std::string path;
  std::string reason;
};

struct IndexSummary {
  std::size_t files_seen = 0;
  std::size_t indexed = 0;    ///< new or changed, written
  std::size_t unchanged = 0;  ///< skipped
  std::size_t removed = 0;    ///< pruned
  std::size_t moved = 0;      ///< documents whose file moved (same content, or same XML id): they keep their id
  std::size_t vanished = 0;   ///< indexed before, gone now, kept because prune was off
  std::size_t passages = 0;   ///< passages written
  std::size_t bytes = 0;      ///< bytes of the files read
  double seconds = 0;
  std::vector<FileProblem> failures;  ///< files not indexed
  std::vector<FileProblem> warnings;  ///< files indexed with repairs
  /// Files met in folders that no reader reads, counted by extension ("png" -> 4; "" for none), most
  /// frequent first. Not counted in files_seen.
  std::vector<std::pair<std::string, std::size_t>> skipped;
  /// Folders whose indexed documents were kept though their files were not found (a folder that could
  /// not be read, a missing input, a folder that is empty now): never pruned.
  std::vector<FileProblem> kept;
  std::vector<std::string> notes;  ///< what the writer did besides indexing (recovery of a killed rebuild)
  std::size_t not_followed = 0;    ///< symlinks met in folders and not followed (each named in `warnings`)
  bool interrupted = false;        ///< stopped early by IndexOptions::stop; what was finished is committed
};

/// "skipped 7: .png 4, .xlsx 3" for IndexSummary::skipped, or "" when nothing was skipped.
std::string skipped_line(const std::vector<std::pair<std::string, std::size_t>>& skipped);

/// Progress, reported after each file.
struct IndexProgress {
  std::size_t files_done = 0;
  std::size_t files_total = 0;
  std::size_t passages = 0;
  double seconds = 0;
};

/// Indexes `inputs`: files (always read; content no reader reads is a failure) and folders, searched
/// recursively for the files the registry reads (reader_for_folder_entry()); the others are counted in
/// IndexSummary::skipped.
/// Throws IndexError if the index cannot be opened or written; per-file problems go into the summary.
IndexSummary index_paths(const std::vector<std::string>& inputs, const IndexOptions& options,
                         const std::function<void(const IndexProgress&)>& progress = {});

/// Indexes documents that do not come one per file (a test collection's records): each is one passage
/// (its paragraphs joined), recorded as the "file" `source`#id so that importing again skips unchanged
/// documents and, with prune, removes the ones gone from the collection. Documents with no text are
/// reported as failures.
IndexSummary index_documents(const std::vector<Document>& documents, const std::string& source,
                             const IndexOptions& options,
                             const std::function<void(const IndexProgress&)>& progress = {});

}  // namespace quire
