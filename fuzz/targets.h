/** @file
 *  @brief Fuzz targets: each takes arbitrary bytes and runs one of quire's input paths, expecting
 *  quire's own errors for bad input and nothing else (no crash, no sanitizer report, no other
 *  exception). Built into libFuzzer programs by fuzz/CMakeLists.txt (clang, QUIRE_FUZZ=ON), and into
 *  the unit tests, which replay every saved crash in fuzz/regressions/TARGET/.
 */
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace quire::fuzz {

using Target = int (*)(const std::uint8_t* data, std::size_t size);

int text_reader(const std::uint8_t* data, std::size_t size);    ///< plain text: repair, clean, split
int xml_reader(const std::uint8_t* data, std::size_t size);     ///< quire XML
int html_reader(const std::uint8_t* data, std::size_t size);    ///< HTML: parse, main content, metadata, split
int office_reader(const std::uint8_t* data, std::size_t size);  ///< the same bytes as DOCX, ODT and EPUB
int dates(const std::uint8_t* data, std::size_t size);          ///< date extraction and publication dates
int quotes(const std::uint8_t* data, std::size_t size);         ///< quotations and speakers, with the gazetteer
int query(const std::uint8_t* data, std::size_t size);          ///< query checks, parsing and a search

/// Name -> target, for the programs and the regression test.
const std::vector<std::pair<std::string, Target>>& targets();

}  // namespace quire::fuzz
