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

/// What an output may do with a file already at its name. quire replaces nothing it did not make unless
/// told (`--force`: kReplace), and some things never (check_output_path()).
enum class Existing { kRefuse, kReplace };

/// file_kind() of what `path` itself is (not following a link: a link is "a symbolic link"); "" when
/// it cannot be looked at (it does not exist, a folder on the way cannot be searched).
std::string path_kind(const std::string& path);

/// Writes `content` to the user's file `path` so that a failure (a full disk, a kill) leaves what was
/// there as it was: into a new file beside it, synced, then put at `path`, nothing half-written. The
/// new file is unnamed (O_TMPFILE) until it is placed, where the file system allows it, so a kill
/// leaves nothing; else, and for the moment of a rename over an old file, it is ".NAME.quire-XXXXXX",
/// locked while it has that name; such files nobody holds (a killed quire's) are removed first.
/// check_output_path() runs first (without inputs or indexes). With kRefuse the new file is put in
/// place only if nothing is at `path` by then (a file that appeared meanwhile is refused, not
/// replaced); with kReplace it is renamed over the old file, keeping its permissions (and its owner
/// where the system allows), and a link is written through (the file it names, through any chain of
/// links, is replaced or made; the link stays). Throws InputError naming the file and the reason; the new file is removed then. When `stop`
/// is given and set by the time the new file is written (a Ctrl-C came), the new file is removed and
/// not renamed: InputError "not written: stopped".
void write_output_file(const std::string& path, const std::string& content, const std::atomic<bool>* stop = nullptr,
                       Existing existing = Existing::kRefuse);

/// The one rule for a user-named output `path` (given with `option`, for the message), checked before a
/// command does its work. Throws InputError naming the path and the reason, and refuses:
/// - a path inside one of `indexes` or in any folder holding an index (iamglass, a quire marker);
/// - even with kReplace, anything at the name (through a link: what it names) that is not a regular
///   file (a folder, a FIFO, a device, a socket), the quire program that is running (device and inode
///   of /proc/self/exe), an executable file (any x bit), the same file (device and inode) as one of
///   `inputs` ("-" is standard input, compared through fstat(0)), and a file with other hard links
///   (a replace would leave them holding the old text);
/// - with kRefuse, anything at all at the name, a link to nothing included: "exists; pass --force to
///   replace it, or give another name".
/// write_output_file() runs it again itself, without inputs or indexes.
void check_output_path(const std::string& option, const std::string& path, const std::vector<std::string>& inputs,
                       const std::vector<std::string>& indexes, Existing existing = Existing::kRefuse);

/// 1-based line number of byte `offset` in `text` (0 for a negative offset).
int line_at(const std::string& text, std::ptrdiff_t offset);

}  // namespace quire
