/** @file
 *  @brief Reading whole files and locating byte offsets, shared by every reader of quire's inputs
 *  (documents, the actor gazetteer, the theme taxonomy).
 */
#pragma once

#include <cstddef>
#include <string>

namespace quire {

/// What read_whole_file() reads at most unless told otherwise: more than any document, table or
/// schema quire reads whole (documents have their own, smaller limit: --max-file-mb).
inline constexpr std::size_t kMaxWholeFileBytes = std::size_t{1} << 30;

/// The whole file at `path`, which must be a regular file of at most `max_bytes`: a pipe would wait
/// for ever and a device (/dev/zero) never ends, so both are refused without reading, as is a larger
/// file. Throws InputError naming the file and the reason.
std::string read_whole_file(const std::string& path, std::size_t max_bytes = kMaxWholeFileBytes);

/// Writes `content` to the user's file `path` so that a failure (a full disk, a kill) leaves the old
/// file as it was: into a new file beside it, synced, then renamed over it, keeping the old file's
/// permissions. A link is written through (the file it names is replaced); a path that is not a regular
/// file (/dev/stdout, a pipe) is written directly. Throws InputError naming the file and the reason;
/// the new file is removed then.
void write_output_file(const std::string& path, const std::string& content);

/// 1-based line number of byte `offset` in `text` (0 for a negative offset).
int line_at(const std::string& text, std::ptrdiff_t offset);

}  // namespace quire
