// Whole-file reading and line numbers. See files.h.
#include "quire/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "quire/errors.h"

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

}  // namespace

std::string read_whole_file(const std::string& path, std::size_t max_bytes) {
  // O_NONBLOCK: opening a pipe with no writer must not wait; the flag is dropped once it is known
  // to be a regular file.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) throw InputError(path, "cannot open: " + errno_text());
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    const std::string why = errno_text();
    ::close(fd);
    throw InputError(path, "cannot open: " + why);
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    throw InputError(path, S_ISDIR(st.st_mode)
                               ? "is a folder, not a file"
                               : "not a regular file (a pipe, device or socket); quire reads files only");
  }
  if (static_cast<std::uint64_t>(st.st_size) > max_bytes) {
    ::close(fd);
    throw InputError(path, "file is " + std::to_string(st.st_size >> 20) + " MB; the limit is " +
                               std::to_string(max_bytes >> 20) + " MB");
  }
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  std::string out;
  out.reserve(static_cast<std::size_t>(st.st_size));
  char buf[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const std::string why = errno_text();
      ::close(fd);
      throw InputError(path, "read error: " + why);
    }
    if (n == 0) break;
    out.append(buf, static_cast<std::size_t>(n));
    if (out.size() > max_bytes) {  // it grew while being read
      ::close(fd);
      throw InputError(path, "file grew past the limit of " + std::to_string(max_bytes >> 20) + " MB while read");
    }
  }
  ::close(fd);
  return out;
}

void write_output_file(const std::string& path, const std::string& content) {
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (!ec && fs::exists(st) && !fs::is_regular_file(st)) {
    if (fs::is_directory(st)) throw InputError(path, "cannot write: it is a folder");
    // /dev/stdout, a pipe, a terminal: nothing there to keep, so written as it is.
    const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) throw InputError(path, "cannot write: " + errno_text());
    const bool ok = write_all(fd, content);
    const std::string why = errno_text();
    ::close(fd);
    if (!ok) throw InputError(path, "cannot write: " + why);
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
  if (!write_all(fd, content)) fail(errno_text());
  if (::fsync(fd) != 0) fail(errno_text());
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
