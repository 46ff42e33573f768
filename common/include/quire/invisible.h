/** @file
 *  @brief Invisible characters inside words and text: which ones a word is read across (the tokenizer,
 *  fold_accents()) and which ones a document's text does not keep (drop_break_hints()). Split from
 *  utf8.h, whose rules are for showing text safely; these are for matching it (rt11i rows 2 and 12).
 */
#pragma once

#include <string>
#include <string_view>

namespace quire {

struct Document;

/// Whether `cp` is one of Unicode's Default_Ignorable_Code_Point characters (DerivedCoreProperties.txt)
/// other than the four Hangul fillers (U+115F, U+1160, U+3164, U+FFA0, which are letters): invisible
/// characters that change how a word is shown or broken, never which word it is. The soft hyphen
/// U+00AD, the combining grapheme joiner U+034F, the Arabic letter mark U+061C, the Khmer inherent
/// vowels U+17B4-U+17B5, the Mongolian selectors and vowel separator U+180B-U+180F, U+200B-U+200F (zero
/// width space, joiners, direction marks), the bidi controls U+202A-U+202E and U+2066-U+2069, the word
/// joiner and invisible operators U+2060-U+2064, U+206A-U+206F, the variation selectors, U+FEFF,
/// U+FFF0-U+FFF8, U+1BCA0-U+1BCA3, U+1D173-U+1D17A and the tags U+E0000-U+E0FFF. A word holding them
/// is the word without them: tokenize() reads across them and fold_accents() drops them, so the index,
/// queries and highlights agree ("nu\u00ADclear" is "nuclear").
bool is_ignorable_in_word(char32_t cp);

/// Whether `cp` only says, invisibly, where a line may be broken (the soft hyphen U+00AD, the zero width
/// space U+200B) or may not be (the word joiner U+2060, the zero width no-break space U+FEFF): nothing
/// of the text, so a document's text does not keep them (drop_break_hints()) and text copied from
/// quire's output is what is seen. The other is_ignorable_in_word() characters stay in the text: they
/// shape it (ZWNJ and ZWJ in Persian, Indic scripts and emoji, the Mongolian vowel separator, variation
/// selectors) or order it (the direction marks), or are shown as U+FFFD (is_display_control()).
bool is_break_hint(char32_t cp);

/// `s` (valid UTF-8) without its is_break_hint() characters.
std::string without_break_hints(std::string_view s);

/// Removes the is_break_hint() characters from the text of `doc`: its paragraphs (moving their page
/// marks with the text), headings, title, subtitle, authors, publisher and container; not from its id,
/// path or url, which name things. Every file's document goes through it (ReaderRegistry::read()), so an
/// index stores, shows and exports the text as it is seen, and a quote copied from it is the quote.
void drop_break_hints(Document& doc);

}  // namespace quire
