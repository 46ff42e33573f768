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

/// "Given Family" -> {"Family", "Given"}; a single word (an organisation) gives {word, ""}. Forms of
/// address before the name and degrees after a comma are dropped, and trailing commas. With
/// `family_first` the first word is the family name ("Wang Yi" -> {"Wang", "Yi"}).
std::pair<std::string, std::string> split_name(const std::string& name, bool family_first = false);

/// Whether names of speakers for `by` (a record's actor ids) are written family name first: China
/// (and the Republic of China's seat before 1971), the two Koreas, Viet Nam and Cambodia. A
/// speaker of those seats with a name in the other order (Wellington Koo) is split the wrong way.
bool family_name_first(const std::vector<std::string>& by);

}  // namespace quire
