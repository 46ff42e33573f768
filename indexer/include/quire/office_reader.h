/** @file
 *  @brief Readers for zip-packaged documents: Word (.docx, Office Open XML), OpenDocument text (.odt)
 *  and EPUB books (.epub, whose XHTML chapters go through the HTML reader, one section per chapter in
 *  spine order).
 *
 *  The archive is opened with libzip from memory; every entry read is bounded (kMaxEntryBytes, and
 *  kMaxArchiveBytes over the whole file, checked while decompressing, not trusted from the headers) and
 *  archives with more than kMaxZipEntries entries are refused, so a zip bomb is an error, not an
 *  exhausted machine. XML parts are read with pugixml without DTDs. Headings and paragraphs are kept;
 *  metadata comes from docProps/core.xml (DOCX), meta.xml (ODT) or the package document's <metadata>
 *  (EPUB). Each throws InputError naming the file and the reason when it cannot be read.
 */
#pragma once

#include <cstddef>
#include <string>

#include "quire/readers.h"

namespace quire {

inline constexpr std::size_t kMaxZipEntries = 20000;
inline constexpr std::size_t kMaxEntryBytes = std::size_t{64} << 20;     ///< one decompressed part
inline constexpr std::size_t kMaxArchiveBytes = std::size_t{256} << 20;  ///< all parts read, in all

ReadResult read_docx_document(const std::string& path, const std::string& bytes);
ReadResult read_odt_document(const std::string& path, const std::string& bytes);
ReadResult read_epub_document(const std::string& path, const std::string& bytes);

}  // namespace quire
