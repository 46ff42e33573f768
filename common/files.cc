// Whole-file reading and line numbers. See files.h.
#include "quire/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "quire/errors.h"
#include "quire/index_format.h"

namespace quire {
namespace fs = std::filesystem;
namespace {

std::string errno_text() { return std::strerror(errno); }

bool write_all(int fd, const std::string& content) {
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

std::string size_text(std::uint64_t bytes) {
  if (bytes < (1u << 20)) return std::to_string(bytes) + " bytes";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(bytes) / (1 << 20));
  return buf;
}

[[noreturn]] void too_large(const std::string& path, std::uint64_t size, std::uint64_t max_bytes, bool at_least) {
  throw InputError(path, std::string("file is ") + (at_least ? "more than " : "") + size_text(size) +
                             "; the limit is " + size_text(max_bytes) + " (--max-file-mb)");
}

}  // namespace

std::string file_kind(unsigned mode) {
  if (S_ISREG(mode)) return "a file";
  if (S_ISDIR(mode)) return "a folder";
  if (S_ISLNK(mode)) return "a symbolic link";
  if (S_ISFIFO(mode)) return "a named pipe";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
  if (S_ISSOCK(mode)) return "a socket";
  return "neither a file nor a folder";
}

std::string path_kind(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return "";
  return file_kind(st.st_mode);
}

std::string read_whole_file(const std::string& path, std::uint64_t max_bytes) {
  // O_NONBLOCK: opening a FIFO with no writer would otherwise wait for one for ever. The kind is
  // checked on the open descriptor, so a file swapped for a FIFO after a stat() is refused too.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) throw InputError(path, std::string("cannot open: ") + std::strerror(errno));
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0) throw InputError(path, std::string("cannot stat: ") + std::strerror(errno));
  if (!S_ISREG(st.st_mode))
    throw InputError(path, "not a regular file: it is " + file_kind(st.st_mode) + "; quire reads only regular files");
  const auto size = static_cast<std::uint64_t>(st.st_size);
  if (size > max_bytes) too_large(path, size, max_bytes, false);
  std::string out;
  out.reserve(static_cast<std::size_t>(size));
  char buf[65536];
  for (;;) {
    const ssize_t got = ::read(fd, buf, sizeof buf);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) throw InputError(path, std::string("read error: ") + std::strerror(errno));
    if (got == 0) break;
    out.append(buf, static_cast<std::size_t>(got));
    if (out.size() > max_bytes) too_large(path, max_bytes, max_bytes, true);  // it grew while being read
  }
  return out;
}

namespace {

// The file a write to `path` replaces: through a link, to the file it names.
fs::path output_target(const std::string& path) {
  std::error_code ec;
  if (!fs::is_symlink(fs::symlink_status(path, ec))) return fs::path(path);
  const fs::path t = fs::weakly_canonical(path, ec);
  return ec ? fs::path(path) : t;
}

// A folder holding an index: Xapian's version file or one of quire's markers is in it.
bool holds_index(const fs::path& folder) {
  struct stat st {};
  for (std::string_view name : {std::string_view("iamglass"), format::kCreatingMarker, format::kRebuildMarker})
    if (::lstat((folder / std::string(name)).c_str(), &st) == 0) return true;
  return false;
}

fs::path resolved(const fs::path& p) {
  std::error_code ec;
  fs::path r = fs::weakly_canonical(fs::absolute(p, ec), ec);
  if (ec) return fs::absolute(p).lexically_normal();
  if (r.filename().empty()) r = r.parent_path();
  return r;
}

}  // namespace

void check_output_path(const std::string& option, const std::string& path, const std::vector<std::string>& inputs,
                       const std::vector<std::string>& indexes, Existing existing) {
  const fs::path target = output_target(path);
  const fs::path folder = resolved(target.has_parent_path() ? target.parent_path() : fs::path("."));
  const std::string who = option.empty() ? path : option + " " + path;
  for (const std::string& index : indexes) {
    const fs::path dir = resolved(index);
    for (fs::path f = folder; !f.empty(); f = f.parent_path()) {
      if (f == dir)
        throw InputError(who, "refused: it is inside index folder " + index +
                                  ", and writing there would destroy the index (give a path outside it)");
      if (f == f.root_path()) break;
    }
  }
  if (holds_index(folder))
    throw InputError(who,
                     "refused: its folder " + folder.string() +
                         " is an index folder, and writing there would destroy the index (give a path outside it)");
  struct stat at {};
  if (::lstat(path.c_str(), &at) != 0) return;  // nothing there: a new file
  // What is there, through a link: the things no --force lets quire replace.
  struct stat out {};
  if (::stat(path.c_str(), &out) == 0) {
    if (!S_ISREG(out.st_mode))
      throw InputError(who,
                       "refused: it is " + file_kind(out.st_mode) +
                           ", not a regular file; quire writes an output only as a regular file (give a file name)");
    struct stat self {};
    if (::stat("/proc/self/exe", &self) == 0 && self.st_dev == out.st_dev && self.st_ino == out.st_ino)
      throw InputError(who,
                       "refused: it is the quire program that is running, which quire never replaces, even "
                       "with --force (give another name)");
    if ((out.st_mode & 0111) != 0)
      throw InputError(who,
                       "refused: it is an executable file (a program or a script), which quire never "
                       "replaces, even with --force (give another name)");
    for (const std::string& input : inputs) {
      // "-" is standard input, which a shell may have opened on the very file named as the output.
      struct stat in {};
      const int got = input == "-" ? ::fstat(STDIN_FILENO, &in) : ::stat(input.c_str(), &in);
      if (got == 0 && in.st_dev == out.st_dev && in.st_ino == out.st_ino)
        throw InputError(who,
                         "refused: it is the same file as " + (input == "-" ? std::string("standard input") : input) +
                             ", which this command reads, and writing it would destroy that input (give another path)");
    }
    if (out.st_nlink > 1)
      throw InputError(who,
                       "refused: the file has " + std::to_string(out.st_nlink) +
                           " hard links, and quire replaces a file whole, which would leave the other names with the "
                           "old text (give a new path, or remove the other links)");
  }
  if (existing == Existing::kRefuse)
    throw InputError(
        who, std::string(S_ISLNK(at.st_mode) ? "refused: a link by that name exists" : "refused: the file exists") +
                 "; pass --force to replace it, or give another name");
}

namespace {

// Puts the finished temporary file `tmp` at `target` only if nothing is there: renameat2's
// RENAME_NOREPLACE, or where the file system lacks it, a hard link (which fails on an existing name
// too) and the temporary name removed. Returns 0, or the errno (EEXIST: something is there now).
int place_new(const std::string& tmp, const std::string& target) {
  if (::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, target.c_str(), RENAME_NOREPLACE) == 0) return 0;
  if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP) return errno;
  if (::link(tmp.c_str(), target.c_str()) != 0) return errno;
  ::unlink(tmp.c_str());
  return 0;
}

}  // namespace

void write_output_file(const std::string& path, const std::string& content, const std::atomic<bool>* stop,
                       Existing existing) {
  check_output_path("", path, {}, {}, existing);
  // Through a link to the file it names, so that the link stays a link.
  const fs::path target = output_target(path);
  const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::string tmp = (folder / ("." + target.filename().string() + ".XXXXXX")).string();
  const int fd = ::mkstemp(tmp.data());
  if (fd < 0) throw InputError(path, "cannot write in " + folder.string() + ": " + errno_text());
  const auto fail = [&](const std::string& why) {
    ::close(fd);
    ::unlink(tmp.c_str());  // quire made it a moment ago
    throw InputError(path, "cannot write: " + why + "; the file is as it was");
  };
  struct stat old {};
  const mode_t mask = ::umask(0);
  ::umask(mask);
  const mode_t mode = ::stat(target.c_str(), &old) == 0 ? (old.st_mode & 07777) : (0666 & ~mask);
  if (::fchmod(fd, mode) != 0) fail(errno_text());
  // The new file keeps the old one's owner and group where the system lets quire give them (as root,
  // or a group the user is in); otherwise it is the user's, as an editor's save would make it.
  if (old.st_nlink > 0 && (old.st_uid != ::geteuid() || old.st_gid != ::getegid()) &&
      ::fchown(fd, old.st_uid, old.st_gid) != 0)
    (void)::fchown(fd, static_cast<uid_t>(-1), old.st_gid);
  if (!write_all(fd, content)) fail(errno_text());
  if (::fsync(fd) != 0) fail(errno_text());
  if (stop && stop->load()) {
    ::close(fd);
    ::unlink(tmp.c_str());
    throw InputError(path, "not written: stopped; the file is as it was");
  }
  if (::close(fd) != 0) {
    const std::string why = errno_text();
    ::unlink(tmp.c_str());
    throw InputError(path, "cannot write: " + why + "; the file is as it was");
  }
  if (existing == Existing::kRefuse) {
    const int err = place_new(tmp, target.string());
    if (err != 0) {
      ::unlink(tmp.c_str());
      if (err == EEXIST)
        throw InputError(path,
                         "refused: the file appeared while quire worked, and was left as it is; pass "
                         "--force to replace it, or give another name");
      throw InputError(path, "cannot write: " + std::string(std::strerror(err)));
    }
    return;
  }
  if (::rename(tmp.c_str(), target.c_str()) != 0) {
    const std::string why = errno_text();
    ::unlink(tmp.c_str());
    throw InputError(path, "cannot write: " + why + "; the file is as it was");
  }
}

int line_at(const std::string& text, std::ptrdiff_t offset) {
  if (offset < 0) return 0;
  const auto end = text.begin() + std::min<std::ptrdiff_t>(offset, static_cast<std::ptrdiff_t>(text.size()));
  return 1 + static_cast<int>(std::count(text.begin(), end, '\n'));
}

}  // namespace quire
