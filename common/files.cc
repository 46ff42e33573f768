// Whole-file reading and line numbers. See files.h.
#include "quire/files.h"

#include <fcntl.h>
#include <poll.h>
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
                       const std::vector<std::string>& indexes) {
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (!ec && fs::exists(st) && !fs::is_regular_file(st))
    return;  // a folder, /dev/stdout, a pipe: see write_output_file
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
  struct stat out {};
  if (::stat(target.c_str(), &out) != 0) return;  // a new file
  for (const std::string& input : inputs) {
    struct stat in {};
    if (::stat(input.c_str(), &in) == 0 && in.st_dev == out.st_dev && in.st_ino == out.st_ino)
      throw InputError(who,
                       "refused: it is the same file as " + input +
                           ", which this command reads, and writing it would destroy that input (give another path)");
  }
  if (S_ISREG(out.st_mode) && out.st_nlink > 1)
    throw InputError(who,
                     "refused: the file has " + std::to_string(out.st_nlink) +
                         " hard links, and quire replaces a file whole, which would leave the other names with the "
                         "old text (give a new path, or remove the other links)");
}

void write_output_file(const std::string& path, const std::string& content, const std::atomic<bool>* stop) {
  check_output_path("", path, {}, {});
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (!ec && fs::exists(st) && !fs::is_regular_file(st)) {
    if (fs::is_directory(st)) throw InputError(path, "cannot write: it is a folder");
    // /dev/stdout, a pipe, a terminal: nothing there to keep, so written as it is. Never blocked where
    // a stop cannot reach: a FIFO nobody reads yet is opened without waiting (ENXIO), again every 50 ms,
    // and written when it takes bytes, so Ctrl-C or SIGTERM (caught: `stop` is set) ends the wait.
    const auto stopped = [stop] { return stop != nullptr && stop->load(); };
    const auto stopped_error = [&path] { return InputError(path, "not written: stopped"); };
    int fd = -1;
    for (;;) {
      fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
      if (fd >= 0) break;
      if (errno != ENXIO && errno != EINTR) throw InputError(path, "cannot write: " + errno_text());
      if (stopped()) throw stopped_error();
      ::poll(nullptr, 0, 50);
    }
    std::size_t done = 0;
    while (done < content.size()) {
      const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
      if (n > 0) {
        done += static_cast<std::size_t>(n);
        continue;
      }
      if (n < 0 && errno != EAGAIN && errno != EINTR) {
        const std::string why = errno_text();
        ::close(fd);
        throw InputError(path, "cannot write: " + why);
      }
      if (stopped()) {
        ::close(fd);
        throw stopped_error();
      }
      pollfd p{fd, POLLOUT, 0};
      ::poll(&p, 1, 50);
    }
    ::close(fd);
    return;
  }
  // Through a link to the file it names, so that the link stays a link.
  const fs::path target =
      fs::is_symlink(fs::symlink_status(path, ec)) ? fs::weakly_canonical(path, ec) : fs::path(path);
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
