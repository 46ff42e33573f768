/** @file
 *  @brief Every on-disk constant of a quire index: term prefixes, value slots, metadata keys and the
 *  format version.
 *
 *  WARNING: this header is part of the index format. Changing a prefix, a slot or a key makes existing
 *  indexes unreadable or silently wrong; bump kFormatVersion when you do, so old indexes are refused
 *  with a message instead. Prefixes follow Omega's conventions (Q unique id, S title, A author,
 *  X... for quire's own), see xapian-omega docs/termprefixes.rst.
 */
#pragma once

#include <string>
#include <string_view>

namespace quire::format {

/// Version of the layout below. Stored under kKeyFormat; quire refuses an index of another version.
inline constexpr int kFormatVersion = 3;

// Term prefixes. Each Xapian document is one passage.
inline constexpr std::string_view kPrefixPassageId = "Q";     ///< Q<doc id>#<passage number>, unique
inline constexpr std::string_view kPrefixDocument = "XDOC";   ///< boolean: the document a passage is from
inline constexpr std::string_view kPrefixTitle = "S";         ///< fielded text: title and subtitle
inline constexpr std::string_view kPrefixAuthor = "A";        ///< fielded text: authors
inline constexpr std::string_view kPrefixPublisher = "XPUB";  ///< fielded text: publisher and journal
inline constexpr std::string_view kPrefixQuote = "XQ";        ///< fielded text: the words inside quotations
inline constexpr std::string_view kPrefixActor = "XA";        ///< boolean: an actor the passage names (actor id)
inline constexpr std::string_view kPrefixTheme = "XT";        ///< boolean: a theme or theme group of the passage
inline constexpr std::string_view kPrefixMentioned = "XM";    ///< boolean: a year the passage mentions (YYYY)
inline constexpr std::string_view kPrefixSpeaker = "XS";      ///< boolean: a speaker of a quote (person id or ~name)
inline constexpr std::string_view kPrefixPublished = "XY";    ///< boolean: the document's publication year (YYYY)
inline constexpr std::string_view kPrefixDyad = "XDY";        ///< boolean: two actors named together, "a/b" with a < b
inline constexpr std::string_view kPrefixBy = "XB";           ///< boolean: an actor the document is by (catalogue)
inline constexpr std::string_view kPrefixExtra = "XE";  ///< boolean: a catalogue field, "name=value" (value lower case)

// Value slots.
inline constexpr unsigned kSlotDocument = 0;   ///< document id; the collapse key for one result per document
inline constexpr unsigned kSlotParagraph = 1;  ///< paragraph number, sortable_serialise()d
inline constexpr unsigned kSlotDate = 2;       ///< publication date as written (YYYY[-MM[-DD]]), sorts as text
// Facet slots: each holds the passage's values joined by kListSeparator, counted by the searcher.
inline constexpr unsigned kSlotActors = 3;     ///< actor ids
inline constexpr unsigned kSlotThemes = 4;     ///< theme and group ids
inline constexpr unsigned kSlotPublished = 5;  ///< publication year (one value)
inline constexpr unsigned kSlotMentioned = 6;  ///< years mentioned
inline constexpr unsigned kSlotSpeakers = 7;   ///< speaker keys
inline constexpr unsigned kSlotPublisher = 8;  ///< publisher, or the journal when there is none (one value)
inline constexpr unsigned kSlotDyads = 9;      ///< "a/b" actor pairs
inline constexpr unsigned kSlotBy = 10;        ///< actors the document is by
inline constexpr char kListSeparator = '\x1f';

// Metadata keys (Xapian user metadata, committed with the passages).
inline constexpr std::string_view kKeyFormat = "quire:format";      ///< decimal kFormatVersion
inline constexpr std::string_view kKeyDocPrefix = "D:";             ///< D:<doc id> -> document metadata JSON
inline constexpr std::string_view kKeyFilePrefix = "F:";            ///< F:<absolute path> -> file state JSON
inline constexpr std::string_view kKeyCollectionPrefix = "C:";      ///< C:<name> -> a saved collection, JSON
inline constexpr std::string_view kKeyExtraFields = "quire:extra";  ///< catalogue field names in use, one per line

// Passage document data is a JSON object with these keys.
inline constexpr const char* kDataDocument = "d";
inline constexpr const char* kDataPassage = "n";
inline constexpr const char* kDataParagraph = "p";
inline constexpr const char* kDataSection = "s";
inline constexpr const char* kDataText = "t";
inline constexpr const char* kDataActors = "a";   ///< [[actor id, begin, end], ...] mentions, code points
inline constexpr const char* kDataThemes = "th";  ///< [theme id, ...]
inline constexpr const char* kDataQuotes = "q";   ///< [{"b","e","s" speaker key,"n" speaker name}, ...]
inline constexpr const char* kDataYears = "y";    ///< [year, ...] mentioned
// Optional, for passages of paginated files (PDF, text with form feeds); absent in other passages and in
// indexes made before they existed, which read as "no page".
inline constexpr const char* kDataPage = "pg";           ///< physical page (1-based) of the passage's start
inline constexpr const char* kDataPageEnd = "pge";       ///< physical page of its end, when not kDataPage
inline constexpr const char* kDataPageLabel = "pl";      ///< printed label of kDataPage ("xiv", "14")
inline constexpr const char* kDataPageLabelEnd = "ple";  ///< printed label of kDataPageEnd, when it is stored

/// The boolean term of catalogue field `name` with `value`: XE<name>=<value>, the value lower-cased
/// (ASCII), its white space collapsed, a number written without leading zeros ("07" and "7" meet), and
/// cut to fit Xapian's term length.
inline std::string extra_term(std::string_view name, std::string_view value) {
  std::string v;
  for (char c : value) {
    const bool space = c == ' ' || c == '\t' || c == '\r' || c == '\n';
    if (space) {
      if (!v.empty() && v.back() != ' ') v += ' ';
    } else {
      v += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
  }
  while (!v.empty() && v.back() == ' ') v.pop_back();
  if (!v.empty() && v.find_first_not_of("0123456789") == std::string::npos) {
    const std::size_t nz = v.find_first_not_of('0');
    v = nz == std::string::npos ? "0" : v.substr(nz);
  }
  std::string t = std::string(kPrefixExtra).append(name).append("=").append(v);
  if (t.size() > 200) t.resize(200);
  return t;
}

}  // namespace quire::format
