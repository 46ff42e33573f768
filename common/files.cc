// Whole-file reading and line numbers. See files.h.
#include "quire/files.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <random>

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

// The name a write to `path` lands on: through every link, to the name the last one gives, which may
// not exist yet (a link to nothing is written through: the file it names is made). A link's relative
// text is read from the link's own folder, and nothing is normalised, so that `..` after a linked
// folder means what the system takes it to mean. nullopt for links that lead round in a circle (or
// through more than 40, the system's own limit).
std::optional<fs::path> output_target(const std::string& path) {
  fs::path p = path;
  for (int i = 0; i < 40; ++i) {
    std::error_code ec;
    if (!fs::is_symlink(fs::symlink_status(p, ec))) return p;
    const fs::path next = fs::read_symlink(p, ec);
    if (ec) return p;
    p = next.is_absolute() ? next : p.parent_path() / next;
  }
  return std::nullopt;
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
  const std::string who = option.empty() ? path : option + " " + path;
  const std::optional<fs::path> found = output_target(path);
  if (!found)
    throw InputError(who,
                     "refused: it is a symbolic link that leads round in a circle (or through more than 40 links), "
                     "so there is no file to write (give a file name)");
  const fs::path target = *found;
  const fs::path folder = resolved(target.has_parent_path() ? target.parent_path() : fs::path("."));
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

// The temporary files an output is written through are named ".NAME.quire-XXXXXX" beside it (NAME
// its file name, XXXXXX six letters or digits), and locked (flock) by the quire writing them for as
// long as they have that name. A name of that form nobody holds is a leftover of a quire that was
// killed: see remove_leftovers().
constexpr std::string_view kTempWord = ".quire-";
constexpr std::size_t kTempRandom = 6;

std::string temp_prefix(const std::string& base) { return "." + base + std::string(kTempWord); }

bool is_temp_name(const std::string& name, const std::string& base) {
  const std::string prefix = temp_prefix(base);
  if (name.size() != prefix.size() + kTempRandom || name.compare(0, prefix.size(), prefix) != 0) return false;
  return std::all_of(name.begin() + static_cast<std::ptrdiff_t>(prefix.size()), name.end(),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; });
}

// Removes from `folder` the temporary files of the output named `base` that a killed quire left: a
// name of is_temp_name()'s form, a regular file of this user's with one link, that no running quire
// holds (its flock is free). Anything else is left as it is. Errors are ignored: a leftover that
// cannot be removed harms nothing the write needs.
void remove_leftovers(const fs::path& folder, const std::string& base) {
  std::error_code ec;
  for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (!is_temp_name(name, base)) continue;
    const std::string p = it->path().string();
    const int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) continue;
    struct stat st {}, now {};
    if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_nlink == 1 && st.st_uid == ::geteuid() &&
        ::flock(fd, LOCK_EX | LOCK_NB) == 0 && ::lstat(p.c_str(), &now) == 0 && now.st_dev == st.st_dev &&
        now.st_ino == st.st_ino)
      ::unlink(p.c_str());
    ::close(fd);
  }
}

// Gives the open, unnamed (O_TMPFILE) file `fd` the name `dest`, which must be free. Returns 0 or the
// errno (EEXIST: something is at `dest`).
int link_unnamed(int fd, const std::string& dest) {
  const std::string self = "/proc/self/fd/" + std::to_string(fd);
  if (::linkat(AT_FDCWD, self.c_str(), AT_FDCWD, dest.c_str(), AT_SYMLINK_FOLLOW) == 0) return 0;
  if (errno != ENOENT || ::access("/proc/self/fd", F_OK) == 0) return errno;
  // No /proc: AT_EMPTY_PATH, which needs a privilege (CAP_DAC_READ_SEARCH) an ordinary user lacks.
  return ::linkat(fd, "", AT_FDCWD, dest.c_str(), AT_EMPTY_PATH) == 0 ? 0 : errno;
}

// A temporary name of is_temp_name()'s form in `folder`, not yet taken.
std::string temp_name(const fs::path& folder, const std::string& base) {
  static const char kChars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  thread_local std::mt19937_64 rng{std::random_device{}()};
  std::string name = temp_prefix(base);
  for (std::size_t i = 0; i < kTempRandom; ++i) name += kChars[rng() % (sizeof kChars - 1)];
  return (folder / name).string();
}

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

// The new file of an output: unnamed (O_TMPFILE) where the file system allows it, so that a kill
// leaves nothing, else named ".NAME.quire-XXXXXX"; locked for as long as it has a temporary name.
struct TempFile {
  int fd = -1;
  std::string name;  ///< its temporary name, "" while it has none
  ~TempFile() {
    if (fd < 0) return;
    if (!name.empty()) ::unlink(name.c_str());  // quire made it a moment ago, and it was not placed
    ::close(fd);
  }
};

}  // namespace

void write_output_file(const std::string& path, const std::string& content, const std::atomic<bool>* stop,
                       Existing existing) {
  check_output_path("", path, {}, {}, existing);
  // Through a link to the file it names, so that the link stays a link (check_output_path() refused
  // links that lead round in a circle).
  const fs::path target = output_target(path).value_or(fs::path(path));
  const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
  const std::string base = target.filename().string();
  remove_leftovers(folder, base);
  struct stat old {};
  const bool replacing = ::stat(target.c_str(), &old) == 0;
  const mode_t mask = ::umask(0);
  ::umask(mask);
  const mode_t mode = replacing ? (old.st_mode & 07777) : (0666 & ~mask);
  const auto failed = [&](const std::string& why) {
    return InputError(path, "cannot write: " + why + "; the file is as it was");
  };
  // Writes the text into `t`, synced, with the old file's mode (and owner, where the system lets
  // quire give it: as root, or a group the user is in; otherwise it is the user's, as an editor's
  // save would make it).
  const auto fill = [&](TempFile& t) {
    if (::fchmod(t.fd, mode) != 0) throw failed(errno_text());
    if (replacing && (old.st_uid != ::geteuid() || old.st_gid != ::getegid()) &&
        ::fchown(t.fd, old.st_uid, old.st_gid) != 0)
      (void)::fchown(t.fd, static_cast<uid_t>(-1), old.st_gid);
    if (!write_all(t.fd, content)) throw failed(errno_text());
    if (::fsync(t.fd) != 0) throw failed(errno_text());
    if (stop && stop->load()) throw InputError(path, "not written: stopped; the file is as it was");
  };
  const auto appeared = [&] {
    return InputError(path,
                      "refused: the file appeared while quire worked, and was left as it is; pass --force to "
                      "replace it, or give another name");
  };
  TempFile t;
  t.fd = ::open(folder.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
  if (t.fd >= 0) {
    (void)::flock(t.fd, LOCK_EX);
    fill(t);
    // A new name takes the file in one step, failing if something is there by then.
    if (existing == Existing::kRefuse || !replacing) {
      const int err = link_unnamed(t.fd, target.string());
      if (err == 0) return;
      if (err == EEXIST && existing == Existing::kRefuse) throw appeared();
      if (err != EEXIST && err != EPERM && err != ENOENT && err != EOPNOTSUPP) throw failed(std::strerror(err));
    }
    // A replacement: a temporary name for the moment of the rename over the old file (no call links
    // a file over a name), removed by the next run if a kill comes in that moment.
    for (int tries = 0; tries < 100 && t.name.empty(); ++tries) {
      std::string name = temp_name(folder, base);
      const int err = link_unnamed(t.fd, name);
      if (err == 0) t.name = std::move(name);
      else if (err != EEXIST) break;
    }
    if (t.name.empty()) {  // it could not be named (no /proc): a named temporary file after all
      ::close(t.fd);
      t.fd = -1;
    }
  } else if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL) {
    throw InputError(path, "cannot write in " + folder.string() + ": " + errno_text());
  }
  if (t.fd < 0) {
    // No O_TMPFILE on this file system: a named temporary file, locked at once.
    std::string name = (folder / (temp_prefix(base) + std::string(kTempRandom, 'X'))).string();
    t.fd = ::mkostemp(name.data(), O_CLOEXEC);
    if (t.fd < 0) throw InputError(path, "cannot write in " + folder.string() + ": " + errno_text());
    t.name = std::move(name);
    (void)::flock(t.fd, LOCK_EX);
    fill(t);
  }
  if (existing == Existing::kRefuse) {
    const int err = place_new(t.name, target.string());
    if (err == EEXIST) throw appeared();
    if (err != 0) throw InputError(path, "cannot write: " + std::string(std::strerror(err)));
  } else if (::rename(t.name.c_str(), target.c_str()) != 0) {
    throw failed(errno_text());
  }
  t.name.clear();  // placed: it is the output now
}

int line_at(const std::string& text, std::ptrdiff_t offset) {
  if (offset < 0) return 0;
  const auto end = text.begin() + std::min<std::ptrdiff_t>(offset, static_cast<std::ptrdiff_t>(text.size()));
  return 1 + static_cast<int>(std::count(text.begin(), end, '\n'));
}

}  // namespace quire
