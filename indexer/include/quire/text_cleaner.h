/** @file
 *  @brief Turns messy plain text (scraped web pages, text extracted from PDFs) into clean headings and
 *  paragraphs.
 *
 *  What it repairs: lines broken mid-sentence (also where every line is followed by a blank line),
 *  words hyphenated across lines, running page headers and footers and page numbers, bullet signs, and
 *  web furniture (drop_web_furniture() in web_furniture.h). It keeps the words as they are, so quotes
 *  still match exactly: a digit glued to a word ("efforts1.", "latin1") and a numbered line's number
 *  ("1. Ibid.") stay, as plain text cannot tell a footnote marker from a word.
 *  Pure function of its input; safe to call from several threads.
 */
#pragma once

#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "quire/web_furniture.h"

namespace quire {

struct CleanOptions {
  bool markdown = false;  ///< treat '#' lines as headings and strip Markdown emphasis markers
};

struct CleanResult {
  std::vector<TextBlock> blocks;
  std::vector<std::string> authors;    ///< from a "By: Name, Affiliation" line near the top
  std::vector<std::string> furniture;  ///< lines dropped as page headers/footers, in order, for metadata
  std::vector<std::string> notes;      ///< repairs made to the text (over-long words shortened, ...), for warnings
};

/// Longest run of non-space bytes kept as it is: longer "words" cannot be searched (the index keeps
/// words of up to 64 bytes) and are cut here, with "…", before any pattern runs over them.
inline constexpr std::size_t kLongestWordKept = 256;
/// Longest line the cleaner's patterns see: longer lines are broken at a space first.
inline constexpr std::size_t kLongestLine = 16384;

/// Cleans valid UTF-8 `text` (line ends may be LF or CRLF).
CleanResult clean_text(std::string_view text, const CleanOptions& options = {});

/// Rejoins a word split across a line break: `head` ends with "-", `tail` is the start of the next line.
/// Joins without the hyphen when the document's words (`vocabulary`, case-folded) hold the joined
/// word or the tail is a common suffix, keeps the hyphen otherwise. Exposed for tests.
std::string join_hyphenated(std::string_view head, std::string_view tail,
                            const std::unordered_set<std::string>& vocabulary);

}  // namespace quire
