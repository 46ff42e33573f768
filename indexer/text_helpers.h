/** @file
 *  @brief Small string helpers over valid UTF-8 used inside quire::indexer (the text cleaner, the
 *  web-furniture pass, the HTML and Office readers). Private to the library: not under include/.
 */
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace quire::text {

/// ASCII space and tab, U+00A0, U+3000 and the typographic spaces U+2000-U+200A.
bool is_space_cp(char32_t ch);
/// `s` without leading and trailing spaces, tabs and U+00A0.
std::string trim(std::string_view s);
/// trim() as a view into `s`.
std::string_view trim_view(std::string_view s);
/// Runs of white space (any is_space_cp) become one ASCII space; none is left at either end.
std::string squeeze_spaces(std::string_view s);
std::size_t cp_len(std::string_view s);
char32_t first_cp(std::string_view s);  ///< 0 for ""
char32_t last_cp(std::string_view s);   ///< 0 for ""
bool is_upper(char32_t ch);
bool is_lower(char32_t ch);
bool is_letter(char32_t ch);
/// Closing quotes and brackets that may follow a sentence's end.
bool is_closing(char32_t ch);
/// Does `s` end a sentence: . ! ? … (or : when `colon_counts`), possibly followed by closing quotes.
bool ends_sentence(std::string_view s, bool colon_counts = false);
/// Words separated by spaces or tabs.
std::size_t word_count(std::string_view s);
std::string ascii_lower(std::string_view s);
/// Has at least one character Xapian would index as part of a word.
bool has_word_char(std::string_view s);

}  // namespace quire::text
