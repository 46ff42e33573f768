/** @file
 *  @brief Document metadata as reference-manager files: RIS, BibTeX, CSL-JSON, CSV (RFC 4180) and
 *  JSON Lines. The field mapping is in docs/exports.md. Pure functions, no Xapian.
 */
#pragma once

#include <string>
#include <vector>

#include "quire/document.h"

namespace quire {

/// Export formats: ris, bibtex, csl-json, csv, jsonl.
const std::vector<std::string>& export_formats();

/// Where in a document a search found it: a passage's paragraph, and its page for paginated files.
struct ExportPassage {
  int paragraph = 0;
  std::string page_label, page_label_end;  ///< "" when the file has no pages
};

/// One exported record: a document, the passages of it a search found (none for a collection's
/// documents), in rank order.
struct ExportRecord {
  DocumentMeta meta;
  std::vector<ExportPassage> passages;
};

/// `records` in `format`, one record per document, with its "by" actors, catalogue fields, citation
/// (at its first passage) and passages (docs/exports.md). Throws std::invalid_argument for an unknown
/// format.
std::string export_records(const std::vector<ExportRecord>& records, const std::string& format);

/// `documents` (without passages) in `format`, as export_records().
std::string export_documents(const std::vector<DocumentMeta>& documents, const std::string& format);

/// One field value as BibTeX source: LaTeX's special characters escaped, accented Latin letters and
/// typographic punctuation as LaTeX commands; other non-ASCII characters are kept as UTF-8.
std::string bibtex_escape(const std::string& text);

/// A value made safe to open in a spreadsheet (OWASP's CSV-injection rule, for every separator a
/// spreadsheet may split at: comma, semicolon, tab, line break): a `'` before each part that would be
/// read as a formula (= + - @, their full-width forms; a tab or CR at the start). For every CSV and TSV
/// cell quire writes.
std::string spreadsheet_text(const std::string& value);

/// How the names of a seat's speakers are written, and so which words are the family name.
enum class NameOrder {
  kGivenFamily,   ///< given names, then one family name: Hans van den Broek, Shinzo Abe
  kFamilyFirst,   ///< the family name first: Wang Yi, Ban Ki-moon, Nguyen Phu Trong
  kTwoSurnames,   ///< Spanish: given names, then the father's and the mother's: Gabriel Boric Font
};

/// "Given Family" -> {"Family", "Given"}; a single word (an organisation) gives {word, ""}. Forms of
/// address before the name ("Mr.", "Mr,", "The Reverend") and degrees after a comma are dropped, and
/// trailing commas. Whatever the order: a name in capitals after a form of address is all family
/// name, as the UN's records write surnames ("Mr. ROA GARCIA"); so is a run of capitals after given
/// names ("Zulfikar Ali BHUTTO"), and a name that begins with a particle ("de Freitas Valle"). With
/// kFamilyFirst the first word is the family name ("Wang Yi" -> {"Wang", "Yi"}); with kTwoSurnames the
/// last two surnames are ("Álvaro Uribe Vélez" -> {"Uribe Vélez", "Álvaro"}), but a known second given
/// name makes a three-word name one surname ("Juan Manuel Santos" -> {"Santos", "Juan Manuel"}).
std::pair<std::string, std::string> split_name(const std::string& name, NameOrder order = NameOrder::kGivenFamily);

/// The order of the names of speakers for `by` (a record's actor ids): family first for China (and the
/// Republic of China's seat before 1971), the two Koreas, Viet Nam and Cambodia; two surnames for the
/// Spanish-speaking states. A speaker of those seats whose name is in another order (Wellington Koo)
/// is split the wrong way.
NameOrder name_order(const std::vector<std::string>& by);

/// An author as every export writes it: "Family, Given", or the one name ("Brookings").
std::string author_entry(const std::string& name, NameOrder order);

}  // namespace quire
