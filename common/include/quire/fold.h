/** @file
 *  @brief Accent and typography folding: the one mapping the index writer applies to the text it
 *  indexes and the searcher to the words of a query, so that `cafe` finds "Café", `naive` "naïve" and
 *  `Sao Paulo` "São Paulo" (part of the index format: changing it needs a format bump).
 *
 *  Letters with diacritics (Latin-1, Latin Extended-A, the common letters of Latin Extended-B) become
 *  their base letters, keeping their case ("É" -> "E", "ø" -> "o", "ß" -> "ss", "Œ" -> "OE");
 *  combining diacritical marks (U+0300-U+036F) are dropped; the ligatures U+FB00-FB06 are spelt out;
 *  the invisible characters of is_ignorable_in_word() (invisible.h: soft hyphens, zero-width characters,
 *  direction marks, variation selectors) are dropped, which tokenize() reads a word across.
 *  Every other character is kept, so the words of a text are the same words, in the same positions,
 *  before and after folding: offsets into the original text still mark the original characters.
 *  (Dropping the invisible characters came after format 4 without a format bump: an older index holds
 *  "nu\u00ADclear" as two words until `quire index --rebuild`; it reads and searches as before.)
 */
#pragma once

#include <string>
#include <string_view>

namespace quire {

/// `text` (valid UTF-8) folded as the file comment says.
std::string fold_accents(std::string_view text);

}  // namespace quire
