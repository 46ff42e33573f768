/** @file
 *  @brief Finds what to highlight in a passage: the query's words, their stems ("sanction" lights up
 *  "sanctions"), wildcard prefixes, and each matched phrase as one span. Works on plain text and a
 *  plain description of the query, so it needs no index and can be tested on its own.
 */
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "quire/stemmer.h"

namespace quire {

/// What a query asks for, as far as highlighting cares (built by the searcher from the parsed query).
struct HighlightQuery {
  std::set<std::string> words;                    ///< exact lower-case words
  std::set<std::string> stems;                    ///< stems; a word whose stem is here is highlighted
  std::vector<std::string> prefixes;              ///< wildcard prefixes ("nucl" for nucl*)
  std::vector<std::vector<std::string>> phrases;  ///< exact word sequences, each highlighted as one span

  bool empty() const { return words.empty() && stems.empty() && prefixes.empty() && phrases.empty(); }
};

/// A highlighted span: code point offsets into the text, end exclusive.
using Span = std::pair<std::uint32_t, std::uint32_t>;

/// Stems through a memo: the words of the passages one searcher shows repeat from passage to passage
/// and from query to query, and stemming each again was most of the highlighter's time. Holds at most
/// `max_words` words (by default 50,000, a few MB), then starts again. Not thread-safe (one per searcher).
class StemCache {
 public:
  explicit StemCache(const Stemmer& stemmer, std::size_t max_words = 50000)
      : stemmer_(stemmer), max_words_(max_words) {}
  /// The stem of lower-case `word`, as `Stemmer` gives it.
  const std::string& operator()(const std::string& word);
  std::size_t size() const { return stems_.size(); }

 private:
  const Stemmer& stemmer_;
  std::size_t max_words_;
  std::unordered_map<std::string, std::string> stems_;
};

/// Spans to highlight in valid UTF-8 `text`, sorted and not overlapping. A phrase is one span from
/// its first word to its last; words outside a phrase are spans of their own.
std::vector<Span> highlight(std::string_view text, const HighlightQuery& query, StemCache& stems);
/// The same with a stemmer and no memo kept between calls.
std::vector<Span> highlight(std::string_view text, const HighlightQuery& query, const Stemmer& stemmer);

/// Byte offsets of code point offset `cp` in valid UTF-8 `text` (for printing spans).
std::size_t byte_offset(std::string_view text, std::uint32_t cp);

}  // namespace quire
