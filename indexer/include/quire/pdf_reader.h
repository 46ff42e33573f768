/** @file
 *  @brief The PDF reader, in three steps with a seam between each:
 *   1. extract_pdf() parses the file with poppler-cpp and returns its words grouped into lines, with
 *      their positions, font sizes and the printed page labels, plus the metadata of the info
 *      dictionary and XMP. This is the step that can crash or loop on a hostile file, so
 *   2. extract_pdf_isolated() runs it in a child process (`quire __extract-pdf`, see
 *      run_pdf_helper()) under CPU-time, memory and wall-clock limits, and reads the result back from
 *      a pipe; a child that crashes, loops or runs out of memory becomes one InputError.
 *   3. pdf_to_document() turns the lines into a Document: running headers and footers and page numbers
 *      dropped by their place on the page and their repetition across pages, rotated margin stamps
 *      dropped, footnotes moved out of the sentence they interrupt, ligatures folded, words hyphenated
 *      across lines and pages rejoined, and page marks on every paragraph. Pure function.
 *  read_pdf_document() is all three, the reader the registry calls.
 */
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "quire/reader_registry.h"
#include "quire/readers.h"

namespace quire {

/// One line of text as poppler lays it out, in reading order (columns one after the other).
struct PdfLine {
  std::string text;                       ///< UTF-8, words joined by single spaces
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;  ///< bounding box, points, origin at the page's top left
  double font_size = 0;                   ///< the largest font size of its words
  bool rotated = false;                   ///< written at 90 or 270 degrees (margin stamps)
};

struct PdfPage {
  std::string label;  ///< printed label (/PageLabels), or "" when the file gives none
  double width = 0, height = 0;
  std::vector<PdfLine> lines;
  bool ocr = false;  ///< the text was read from the page's image (OCR), not from a text layer
};

struct PdfText {
  std::vector<PdfPage> pages;
  std::string title, author, date;  ///< from the info dictionary or XMP; date as YYYY[-MM[-DD]]
  std::vector<std::string> warnings;
};

/// Parses `bytes` in this process. Throws InputError (naming `path`) for a file poppler cannot open
/// ("damaged: ..."), one that needs a user password ("encrypted: ..."), or one with no pages. With
/// `ocr`, pages without a text layer are rendered with pdftoppm and read by tesseract.
PdfText extract_pdf(const std::string& path, const std::string& bytes, bool ocr = false);

/// extract_pdf() in a child process (context.helper_program `__extract-pdf`) under context's limits;
/// in this process when context.helper_program is empty. Throws InputError naming the file when the
/// child fails, crashes, or is stopped by a limit ("the PDF parser was killed after 120 s").
PdfText extract_pdf_isolated(const std::string& path, const std::string& bytes, const ReadContext& context);

/// The document of extracted pages. Throws InputError when no page has text ("no text layer (a
/// scanned PDF?); --ocr reads it").
ReadResult pdf_to_document(const std::string& path, const PdfText& text);

/// The lines of `page` in reading order, as pdf_to_document() reads them: wherever the lines leave a
/// vertical gutter through a run of them (columns, a sidebar beside the text), the left side is read
/// before the right, each side in turn the same way; elsewhere top to bottom, and in the given order
/// within a line's height. Rotated lines come last. Pointers into `page.lines`.
std::vector<const PdfLine*> reading_order(const PdfPage& page);

/// extract_pdf_isolated() then pdf_to_document(): the registry's PDF reader.
ReadResult read_pdf_document(const std::string& path, const std::string& bytes, const ReadContext& context);

/// The hidden subcommand `quire __extract-pdf [--ocr] PATH`: reads the PDF from standard input, writes
/// the PdfText (or the error) to standard output in the form extract_pdf_isolated() reads. Returns
/// the exit code.
int run_pdf_helper(const std::vector<std::string>& args);

/// The PdfText as one string and back, for the pipe between the child and the indexer.
std::string serialise(const PdfText& text);
PdfText deserialise_pdf_text(const std::string& data);

/// Decodes a PDF text string in PDFDocEncoding (PDF 32000-1 Annex D) to UTF-8: Latin-1 but for
/// 0x18-0x1F (accents) and 0x80-0xA0 (quotation marks, dashes, bullet, euro, ...); its undefined bytes
/// (0x7F, 0x9F, 0xAD) become U+FFFD.
std::string pdf_doc_encoding_to_utf8(std::string_view bytes);

/// Folds the Latin ligatures U+FB00-FB06 (ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ) into their letters.
std::string fold_ligatures(const std::string& text);

/// A PDF date ("D:20230115093000-05'00'", or XMP's "2023-01-15T09:30:00") as YYYY[-MM[-DD]], or "".
std::string pdf_date(const std::string& value);

}  // namespace quire
