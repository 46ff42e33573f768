/** @file
 *  @brief Reading whole files and locating byte offsets, shared by every reader of quire's inputs
 *  (documents, the actor gazetteer, the theme taxonomy).
 */
#pragma once

#include <cstddef>
#include <string>

namespace quire {

/// The whole file at `path`. Throws InputError naming the file and the system's reason.
std::string read_whole_file(const std::string& path);

/// 1-based line number of byte `offset` in `text` (0 for a negative offset).
int line_at(const std::string& text, std::ptrdiff_t offset);

}  // namespace quire
