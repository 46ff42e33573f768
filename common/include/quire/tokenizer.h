/** @file
 *  @brief Splits text into the words Xapian's TermGenerator indexes, with their offsets.
 *
 *  The highlighter must find exactly the words the index holds, or a phrase that matched in the index
 *  would not light up in the text. So this follows the TermGenerator's word rules (Xapian 1.4,
 *  non-CJK): runs of Unicode word characters, lower-cased; apostrophes and '&' kept between word
 *  characters (U+2019 folded to '); ',' '.' ';' kept between digits; dotted upper-case initials
 *  ("U.S.") joined into one word; up to three trailing '+' or '#' ("C++"); zero-width characters
 *  ignored inside a word; words over 64 bytes dropped without taking a position.
 */
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace quire {

/// One word of a text, as the index holds it.
struct Token {
  std::string term;        ///< lower-cased, as indexed (without any prefix)
  std::size_t byte_begin;  ///< offsets into the text, end exclusive
  std::size_t byte_end;
  std::uint32_t cp_begin;  ///< the same span counted in code points
  std::uint32_t cp_end;
  bool stemmable;  ///< starts with a letter (Xapian stems only those)
};

/// Longest word, in bytes, that the index keeps (Xapian's TermGenerator default).
inline constexpr std::size_t kMaxWordBytes = 64;

/// Splits valid UTF-8 `text` into tokens in order. Token i has term position i + 1 in the index.
std::vector<Token> tokenize(std::string_view text);

/// Lower-cases valid UTF-8 `text` with Unicode case mapping and folds U+2019 to '\''.
std::string fold_case(std::string_view text);

/// `text` with each run of ASCII white space (space, tab, CR, LF) made one space, and none at either end.
std::string collapse_space(std::string_view text);

}  // namespace quire
