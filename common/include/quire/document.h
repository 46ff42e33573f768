/** @file
 *  @brief A policy document as quire reads it (metadata, sections, paragraphs) and the passages it
 *  is cut into. Plain structs: readers fill them, the index writer stores them, output prints them.
 */
#pragma once

#include <cstddef>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <utility>
#include <vector>

namespace quire {

/// What a document says about itself. Empty strings mean "not stated"; nothing is guessed.
struct DocumentMeta {
  std::string id;  ///< stable id, unique in an index
  std::string title;
  bool title_devised = false;  ///< the title was supplied by a cataloguer, not found in the text
  std::string subtitle;
  std::vector<std::string> authors;  ///< as written, "Given Family"
  std::string publisher;             ///< publisher or organisation
  std::string container;             ///< journal or series the document appeared in
  std::string volume;
  std::string issue;
  std::string pages;
  std::string date;  ///< YYYY, YYYY-MM or YYYY-MM-DD
  std::string type;  ///< report, article, journal-article, speech, analysis, ...
  std::string language = "en";
  std::string url;
  std::string source;  ///< the file the text was taken from, when curated from another
  std::string path;    ///< the file quire read
  /// Actors the document is by, as its catalogue states them (the country giving a speech, the body
  /// issuing a report): actor ids of the gazetteer, or "~name" for one it does not know. Not the actors
  /// the text names; those are tagged per passage.
  std::vector<std::string> by;
  /// Further catalogue fields (a speech's session, a speaker's post); stored and printed by name.
  std::vector<std::pair<std::string, std::string>> extra;
};

/// Where a paragraph lies in the pages of a paginated file (PDF, text with form feeds): from byte
/// `offset` of the paragraph's text on, the text is on physical page `page` (1-based).
struct PageMark {
  std::size_t offset = 0;
  int page = 0;

  bool operator==(const PageMark& o) const { return offset == o.offset && page == o.page; }
};

/// A run of body paragraphs under one heading (the heading may be empty).
struct Section {
  std::string heading;
  std::vector<std::string> paragraphs;
  /// For paginated files, one list per paragraph (ascending offsets, the first at 0); empty otherwise.
  std::vector<std::vector<PageMark>> pages;
};

struct Document {
  DocumentMeta meta;
  std::vector<Section> sections;
  /// For paginated files, the printed label of each physical page (page_labels[0] is page 1's: "i",
  /// "14", or the page number when the file gives none); empty otherwise.
  std::vector<std::string> page_labels;
};

/// The unit quire retrieves: a paragraph, a part of a long one, or short paragraphs merged.
struct Passage {
  int number = 0;     ///< 1-based position among the document's passages
  int paragraph = 0;  ///< 1-based number of the (first) body paragraph it holds, counted over the document
  std::string section;
  std::string text;
  /// Physical pages (1-based) of the passage's first and last character; 0 when the file has no pages.
  int page = 0, page_end = 0;
  /// Their printed labels ("xiv", "14"); empty when the file has no pages.
  std::string page_label, page_label_end;
};

/// Metadata as a JSON object (the fields above, empty ones left out). Used for storage and output.
nlohmann::json to_json(const DocumentMeta& meta);
/// Inverse of to_json(); unknown fields are ignored, missing ones left empty.
DocumentMeta meta_from_json(const nlohmann::json& j);

/// Why `date` is not a date quire takes ("" when it is): YYYY, YYYY-MM or YYYY-MM-DD, the year from
/// 1000 to 2999, the month 01-12 and the day one that month has (no 2024-02-30, no 0000).
std::string date_problem(const std::string& date);

/// Days in `month` (1-12) of `year`, by the Gregorian calendar; 0 for a month out of range.
int days_in_month(int year, int month);

/// Largest sizes of metadata fields, in bytes. Title and author words are indexed into every passage
/// of a document, so a 250 KB title in a 1 MB file would be indexed hundreds of times over.
struct FieldLimits {
  std::size_t title = 2000;        ///< title, subtitle
  std::size_t name = 500;          ///< one author, publisher, container (journal)
  std::size_t authors = 100;       ///< number of authors
  std::size_t short_field = 100;   ///< volume, issue, pages, type, language
  std::size_t url = 2000;          ///< url, source
  std::size_t by = 20;             ///< number of "by" actors
  std::size_t extra_fields = 50;   ///< number of catalogue fields
  std::size_t extra_value = 1000;  ///< one catalogue field's value
};

/// Cuts every field of `meta` longer than `limits` (at a character boundary, with "…") and drops
/// authors, by-actors and catalogue fields past their number; returns one warning for each.
std::vector<std::string> bound_fields(DocumentMeta& meta, const FieldLimits& limits = {});

/// Every text of `doc` but its id and path (which name a file) with each C1 control character
/// (U+0080-U+009F) read as the Windows-1252 character its byte stands for, as c1_as_cp1252() reads it:
/// such text was Windows-1252 decoded as Latin-1 (an XML `&#x93;`, a UTF-8 file made from Latin-1), and
/// a C1 control says nothing a reader wants (U+0093 is not the quotation mark "\u201c"). Page marks move
/// with the bytes they point at. Returns how many C1 characters there were. ReaderRegistry::read() applies
/// it to what every reader returns, so no reader stores a C1 control.
std::size_t c1_as_cp1252(Document& doc);

/// What every document's text goes through before it is indexed, whatever read it (ReaderRegistry::read()
/// for files, the test collections' readers for `quire import`): c1_as_cp1252(), then drop_break_hints()
/// (invisible.h). Appends a warning for C1 controls read so.
void settle_document_text(Document& doc, std::vector<std::string>& warnings);

/// A title to show: the title, in [square brackets] when devised, or "[untitled]".
std::string display_title(const DocumentMeta& meta);

/// A citation to paste: Authors, "Title," Publisher/Journal vol. issue, Date, and where: "p. 14" (or
/// "pp. 14-15" for a passage across a page break) when the page labels are known, else "para. N".
std::string format_citation(const DocumentMeta& meta, int paragraph, const std::string& page_label = "",
                            const std::string& page_label_end = "");

}  // namespace quire
