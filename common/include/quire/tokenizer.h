/** @file
 *  @brief Splits text into the words Xapian's TermGenerator indexes, with their offsets.
 *
 *  The highlighter must find exactly the words the index holds, or a phrase that matched in the index
 *  would not light up in the text. So this follows the TermGenerator's word rules (Xapian 1.4,
 *  non-CJK): runs of Unicode word characters, lower-cased; apostrophes and '&' kept between word
 *  characters (U+2019 folded to '); ',' '.' ';' kept between digits; dotted upper-case initials
 *  ("U.S.") joined into one word; up to three trailing '+' or '#' ("C++"); the invisible characters
 *  of is_ignorable_in_word() (invisible.h: soft hyphens, zero-width characters, direction marks) ignored,
 *  as fold_accents() drops them from the text the index holds (Xapian itself ignores only U+200B-U+200D,
 *  U+2060 and U+FEFF inside a word); words over 64 bytes dropped without taking a position.
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

/// True for a character Xapian counts as part of a word: a letter, digit, mark or connector ('_').
bool is_word_char(char32_t ch);

/// The word of `cps` that starts at `i` (a word character), by the rules above, as written: capitals
/// kept, U+2019 folded to ', is_ignorable_in_word() characters dropped, initials without their dots ("U.S." ->
/// "US", and `initials` set). `end` is set past the word, `suffix` to the count of trailing '+'/'#'
/// in it. tokenize() is this over a whole text, lower-cased; the query check reads a query with it.
std::string scan_word(std::u32string_view cps, std::size_t i, std::size_t& end, bool& initials, std::size_t& suffix);

/// For a term of three or more letters a-z with one or two digits glued on ("efforts1", "latin1"), the
/// letters; "" for any other. Plain text cannot tell a footnote marker that lost its superscript from a
/// name with a number, so the index holds both, the word as written and this at the same position
/// (index_writer.cc), and the highlighter marks the word for either: "evacuation efforts" finds
/// "evacuation efforts1." and `latin1` still finds only "latin1" (rt11i row 5).
std::string glued_number_base(std::string_view term);

/// Lower-cases valid UTF-8 `text` with Unicode case mapping and folds U+2019 to '\''.
std::string fold_case(std::string_view text);

/// `text` with each run of ASCII white space (space, tab, CR, LF) made one space, and none at either end.
std::string collapse_space(std::string_view text);

}  // namespace quire
