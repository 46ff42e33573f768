/** @file
 *  @brief Reading whole files and locating byte offsets, shared by every reader of quire's inputs
 *  (documents, the actor gazetteer, the theme taxonomy, metadata tables, test collections).
 */
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace quire {

/// The largest file read_whole_file() reads unless told otherwise (the default of `index --max-file-mb`).
inline constexpr std::uint64_t kDefaultMaxFileBytes = 100ull << 20;

/// The whole file at `path`, which must be a regular file (or a symlink to one) of at most `max_bytes`.
/// Throws InputError naming the file and the reason: the system's error, "not a regular file (a FIFO)"
/// for pipes, devices, sockets and folders (reading them could wait for ever or never end), or "file is
/// N MB; the limit is M MB" (checked on the size and again on the bytes read, for a file that grows).
std::string read_whole_file(const std::string& path, std::uint64_t max_bytes = kDefaultMaxFileBytes);

/// What kind of file `mode` (st_mode) is, for messages: "a file" (a regular one), "a folder", "a named
/// pipe", "a device" (character or block: /dev/zero), "a socket", "a symbolic link". Every message that
/// says what a path is takes its words from here.
std::string file_kind(unsigned mode);

/// file_kind() of what `path` itself is (not following a link: a link is "a symbolic link"); "" when
/// it cannot be looked at (it does not exist, a folder on the way cannot be searched).
std::string path_kind(const std::string& path);

/// Writes `content` to the user's file `path` so that a failure (a full disk, a kill) leaves the old
/// file as it was: into a new file beside it, synced, then renamed over it, keeping the old file's
/// permissions. A link is written through (the file it names is replaced); a path that is not a regular
/// file (/dev/stdout, a pipe) is written directly. Throws InputError naming the file and the reason;
/// the new file is removed then. When `stop` is given and set by the time the new file is written (a
/// Ctrl-C came), the new file is removed and not renamed: InputError "not written: stopped".
void write_output_file(const std::string& path, const std::string& content, const std::atomic<bool>* stop = nullptr);

/// Refuses, before a command does its work, an output `path` (given with `option`, for the message)
/// that would destroy data: inside one of `indexes` or any folder holding an index (iamglass, a quire
/// marker), the same file (device and inode, so also through a link or a hard link) as one of
/// `inputs`, or a file with other hard links (a replace would leave them holding the old text).
/// Throws InputError naming the path and the reason. write_output_file() runs the last two checks
/// itself, without inputs; a command passes its inputs and indexes here.
void check_output_path(const std::string& option, const std::string& path, const std::vector<std::string>& inputs,
                       const std::vector<std::string>& indexes);

/// 1-based line number of byte `offset` in `text` (0 for a negative offset).
int line_at(const std::string& text, std::ptrdiff_t offset);

}  // namespace quire
