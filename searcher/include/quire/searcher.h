/** @file
 *  @brief Runs ranked queries over a quire index and describes the index. Queries use Xapian's
 *  QueryParser syntax (AND, OR, NOT, "phrases", NEAR, wildcards, title:, author:, publisher:),
 *  ranked by BM25 over passages. By default one result per document with its best passages; in
 *  passage mode each passage is a result of its own.
 *
 *  A Searcher reads a snapshot of the index; it is not thread-safe (use one per thread).
 */
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "quire/document.h"
#include "quire/highlighter.h"

namespace quire {

struct SearchOptions {
  std::size_t limit = 10;
  std::size_t offset = 0;
  bool passages = false;  ///< rank passages instead of documents
  std::size_t passages_per_document = 3;
  double passage_score_ratio = 0.5;       ///< a document's 2nd/3rd passage is shown if it scores this share of its best
  unsigned max_wildcard_expansion = 500;  ///< a wildcard matches at most this many words (the most frequent)
};

struct PassageHit {
  int number = 0;
  int paragraph = 0;
  std::string section;
  std::string text;
  double score = 0;
  std::vector<Span> highlights;
};

struct SearchHit {
  std::size_t rank = 0;  ///< 1-based, counting from the first result of the whole result set
  DocumentMeta meta;
  double score = 0;
  std::vector<PassageHit> passages;
};

struct SearchResults {
  std::string query;
  bool passage_mode = false;
  std::size_t total = 0;  ///< matching documents (or passages in passage mode), counted exactly
  std::size_t offset = 0;
  std::vector<SearchHit> hits;
};

struct IndexInfo {
  std::string path;
  std::size_t documents = 0;
  std::size_t passages = 0;
  std::size_t terms = 0;  ///< distinct terms, prefixed ones included
  std::uint64_t revision = 0;
  std::uint64_t bytes_on_disk = 0;
  int format_version = 0;
};

class Searcher {
 public:
  /// Opens the index at `dir` for reading. Throws IndexError if there is none or it is of another format.
  explicit Searcher(const std::string& dir);
  ~Searcher();
  Searcher(const Searcher&) = delete;
  Searcher& operator=(const Searcher&) = delete;

  /// Runs `query`. Throws QueryError for a malformed query, with a one-line reason.
  SearchResults search(const std::string& query, const SearchOptions& options = {});

  IndexInfo info() const;

  /// Field names allowed before ':' in a query.
  static const std::vector<std::string>& fields();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace quire
