/** @file
 *  @brief The reader registry: which reader reads a file, chosen by what its bytes are (content
 *  sniffing) and, where the bytes do not say, by its extension. A PDF named .txt is read as a PDF;
 *  a plain text file named .html is read as text.
 *
 *  A reader is a name, the extensions it claims, the content kinds it reads and one function
 *  `read(path, bytes, context) -> ReadResult`. Readers are registered once, at start-up, in
 *  ReaderRegistry::builtin() (reader_registry.cc); the registry is immutable afterwards and safe to
 *  use from several threads.
 */
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "quire/readers.h"

namespace quire {

/// What a file is, judged from its first bytes only.
enum class ContentKind {
  kEmpty,   ///< no bytes
  kPdf,     ///< "%PDF-" within the first 1024 bytes
  kDocx,    ///< a zip holding word/document.xml (Office Open XML text)
  kOdt,     ///< a zip whose mimetype is application/vnd.oasis.opendocument.text
  kEpub,    ///< a zip whose mimetype is application/epub+zip
  kZip,     ///< another zip container (.xlsx, .pptx, .ods, plain archives)
  kHtml,    ///< markup with <!DOCTYPE html>, <html>, <head> or <body> near the start
  kXml,     ///< "<?xml" or a root element, not HTML
  kText,    ///< text (UTF-8, UTF-16 or UTF-32, or a single-byte encoding): no NUL bytes in the head but a few stray ones
  kBinary,  ///< anything else (images, executables, archives other than zip)
};

/// A short English name for messages: "PDF", "HTML", "zip archive", "binary data (PNG image)".
std::string to_string(ContentKind kind);

/// The kind of `bytes` (only the first few kilobytes are looked at; zip containers are recognised from
/// their local and central directory headers, so the whole file should be passed for those).
ContentKind sniff_content(std::string_view bytes);

/// Whether the NUL bytes in the first 8 KB of `bytes` make them binary data: true when there are NULs
/// and the bytes are neither UTF-16 nor UTF-32 (wide_form()) nor text with a few stray NULs (at most
/// max(4, 1%) of the bytes, no two side by side, and few other control bytes). The one NUL test of
/// sniff_content() and the text reader; the stray NULs are replaced with spaces, with a warning
/// (rt11j row 8).
bool nul_bytes_binary(std::string_view bytes);

/// What `bytes` are, for messages: to_string(sniff_content(bytes)), with the format of known binary
/// data ("binary data (PNG image)").
std::string describe_content(std::string_view bytes);

/// The lower-case extension of `path` without the dot ("pdf"), or "" when it has none.
std::string file_extension(const std::string& path);

/// What a reader may use besides the file: options from the command line and the limits of the
/// isolated parse (PDF). Plain data; the defaults read in-process with no OCR.
struct ReadContext {
  bool ocr = false;  ///< read scanned pages (no text layer) with OCR: pdftoppm + tesseract
  /// The quire program, to run risky parsers (PDF) in a child process (`quire __extract-pdf`) under the
  /// limits below. Empty: parse in this process (the tests and the fuzz targets do).
  std::string helper_program;
  unsigned cpu_seconds = 60;     ///< RLIMIT_CPU of the child
  std::size_t memory_mb = 2048;  ///< RLIMIT_AS of the child
  unsigned wall_seconds = 120;   ///< the child is killed after this long
};

using ReadFunction = std::function<ReadResult(const std::string& path, const std::string& bytes, const ReadContext&)>;

struct Reader {
  std::string name;                     ///< "pdf", "text", "xml", ...
  std::vector<std::string> extensions;  ///< lower case, without the dot
  std::vector<ContentKind> kinds;       ///< content it reads, whatever the file is named
  ReadFunction read;
};

class ReaderRegistry {
 public:
  /// The readers quire has: quire XML, plain text and Markdown, PDF (and what else is registered in
  /// reader_registry.cc).
  static const ReaderRegistry& builtin();

  /// Adds `reader`; a later reader with the same name replaces the earlier one.
  void add(Reader reader);

  /// The reader for a file named `path` whose content is `bytes`, or nullptr when quire has none. The
  /// content decides (PDF, zip containers, HTML, XML); for text, or content no reader claims but the
  /// extension's reader can read as text, the extension decides among the text readers.
  const Reader* find(const std::string& path, std::string_view bytes) const;

  /// The reader claiming the extension of `path`, or nullptr.
  const Reader* find_by_extension(const std::string& path) const;

  /// Reads `bytes` with find(path, bytes), and drops the invisible line-break hints (soft hyphens, ...)
  /// from the document's text (drop_break_hints(), invisible.h). Throws InputError naming the file and what it is
  /// when no reader reads it ("unsupported file type: PNG image (.png)").
  ReadResult read(const std::string& path, const std::string& bytes, const ReadContext& context = {}) const;

  /// Every extension some reader claims, sorted: for messages ("quire reads .md, .pdf, ...").
  std::vector<std::string> extensions() const;

  const std::vector<Reader>& readers() const { return readers_; }

 private:
  std::vector<Reader> readers_;
};

/// The registry's verdict on a file met while walking a folder: read it (with which reader) or skip it
/// (counted under its extension in the summary). Named files are never skipped: they are read, or fail.
/// `head` is the start of the file (a few kilobytes; the whole file for zip containers is better).
const Reader* reader_for_folder_entry(const ReaderRegistry& registry, const std::string& path, std::string_view head);

}  // namespace quire
