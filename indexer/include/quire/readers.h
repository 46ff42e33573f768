/** @file
 *  @brief Document readers: quire's XML format (schemas/document.xsd) and plain text or Markdown.
 *  Each throws quire::InputError naming the file (and line, for XML) when the file cannot be read as a
 *  document; recoverable damage (bytes that are not UTF-8) is repaired and reported as a warning.
 */
#pragma once

#include <string>
#include <vector>

#include "quire/document.h"

namespace quire {

struct ReadResult {
  Document document;
  std::vector<std::string> warnings;  ///< one line each, without the file name
};

/// Reads a document in quire's XML format from `bytes`; `path` is used in messages and metadata.
ReadResult read_xml_document(const std::string& path, const std::string& bytes);

/// Reads plain text (".md" in `path` turns on Markdown headings) and cleans it with clean_text().
/// The document id is the file name without its extension.
ReadResult read_text_document(const std::string& path, const std::string& bytes);

/// Reads `bytes` with the reader ReaderRegistry::builtin() chooses for them (by content, then by the
/// extension of `path`; see reader_registry.h), in this process and without OCR.
/// Throws InputError for content no reader reads or a file that is not a document.
ReadResult read_document(const std::string& path, const std::string& bytes);

/// The whole file at `path`. Throws InputError naming the file and the system's reason.
std::string read_file_bytes(const std::string& path);

/// read_document(path, read_file_bytes(path)).
ReadResult read_document_file(const std::string& path);

/// True for the extensions some registered reader claims.
bool is_supported_extension(const std::string& path);

}  // namespace quire

namespace quire {

/// `doc` in quire's XML format (schemas/document.xsd), indented, UTF-8. Read back by read_xml_document().
std::string write_xml_document(const Document& doc);

}  // namespace quire
