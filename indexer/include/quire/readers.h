/** @file
 *  @brief Document readers: quire's XML format (schemas/document.xsd) and plain text or Markdown.
 *  Each throws quire::InputError naming the file (and line, for XML) when the file cannot be read as a
 *  document; recoverable damage (bytes that are not UTF-8) is repaired and reported as a warning.
 */
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "quire/document.h"
#include "quire/files.h"

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

/// The document id of a file that states none: its name without the extension, as UTF-8 (a name that is
/// not UTF-8 is read as Windows-1252), cut with a hash when longer than format::kMaxIdBytes. Every reader
/// that takes its id from the file name uses this; what it changed is said in `warnings` (may be null).
std::string document_id_from_path(const std::string& path, std::vector<std::string>* warnings);

/// The warning that a file name is not UTF-8, naming the document id it is stored under; and whether a
/// warning is one (the indexer gives the id it stores, which it derives from the whole path).
std::string not_utf8_name_warning(const std::string& id);
bool is_not_utf8_name_warning(const std::string& warning);

/// The whole file at `path`: read_whole_file() (files.h), a regular file of at most `max_bytes`. Throws
/// InputError naming the file and the reason (the system's, not a regular file, too large).
std::string read_file_bytes(const std::string& path, std::uint64_t max_bytes = kDefaultMaxFileBytes);

/// read_document(path, read_file_bytes(path)).
ReadResult read_document_file(const std::string& path);

/// True for the extensions some registered reader claims.
bool is_supported_extension(const std::string& path);

}  // namespace quire

namespace quire {

/// `doc` in quire's XML format (schemas/document.xsd), indented, UTF-8. Read back by read_xml_document().
std::string write_xml_document(const Document& doc);

}  // namespace quire
