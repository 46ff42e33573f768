/** @file
 *  @brief Cuts a document into passages, the unit quire ranks and returns: a paragraph; a long one
 *  split at sentence boundaries into parts of bounded size; a very short one merged into the next
 *  paragraph of its section. Pure functions.
 */
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "quire/document.h"

namespace quire {

struct SplitOptions {
  std::size_t max_chars = 1500;  ///< a passage longer than this (code points) is split at sentences
  std::size_t min_chars = 80;    ///< a paragraph shorter than this is merged with the next
};

/// Splits `text` into sentences, keeping each sentence's trailing punctuation and quotes. Does not split
/// after abbreviations ("Dr.", "e.g.", "Jan."), initials ("P.") or dotted acronyms ("U.S.").
std::vector<std::string> split_sentences(std::string_view text);

/// The document's passages in reading order, numbered from 1.
std::vector<Passage> split_passages(const Document& doc, const SplitOptions& options = {});

}  // namespace quire
