/** @file
 *  @brief Dates a passage mentions, and the publication date a plain text states about itself.
 *
 *  Forms understood (English): full dates ("September 6, 2015", "6 September 2015", "Sept. 6, 2015",
 *  "2015-09-06"), month and year ("June 2024"), years ("in 1954", "post-2011"), ranges ("1979–1989",
 *  "1979-89", "2021-25", "between 2020 and 2024", "from 1996 to 2004"), decades ("the 1980s",
 *  "1980s-1990s") and "9/11". Each becomes a span with a normalised start and end
 *  ("YYYY", "YYYY-MM" or "YYYY-MM-DD"). Numbers that are quantities ("1,046 km", "2,700") are not
 *  years, nor are the numbers of resolutions, decisions, documents and pages ("resolution 1514 (XV)",
 *  "resolutions 1325 (2000) and 1820 (2008)": only the bracketed years count) or the parts of a
 *  document symbol ("A/1376", "S/2001/1234"); only 1000-2099 count as years. Pure functions.
 */
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace quire {

struct DateMention {
  std::uint32_t cp_begin = 0;  ///< code point span in the text, end exclusive
  std::uint32_t cp_end = 0;
  std::string from;  ///< normalised start: YYYY, YYYY-MM or YYYY-MM-DD
  std::string to;    ///< normalised end (equal to `from` for a single date)

  bool operator==(const DateMention& o) const {
    return cp_begin == o.cp_begin && cp_end == o.cp_end && from == o.from && to == o.to;
  }
};

/// The dates `text` mentions, in order, not overlapping.
std::vector<DateMention> extract_dates(std::string_view text);

/// The years a mention covers (a range gives each year in it, at most 300).
std::vector<int> years_of(const DateMention& m);

/// A publication date stated in the opening lines or running headers of a text: "Published 12 March
/// 2025", "Volume 4, Issue 3 (2024)", a date line alone near the top. `lines` are the text's first
/// paragraphs and its dropped header lines. "" if none is stated.
std::string infer_publication_date(const std::vector<std::string>& lines);

}  // namespace quire
