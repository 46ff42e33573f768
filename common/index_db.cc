// Opening user indexes as glass folders only, and what to tell the user when that fails. See index_db.h.
#include "quire/index_db.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <system_error>
#include <thread>

#include "quire/files.h"
#include "quire/index_folder.h"
#include "quire/index_format.h"
#include "quire/json_input.h"
#include "quire/utf8.h"

namespace quire {
namespace fs = std::filesystem;
namespace fmt = format;

namespace {

constexpr int kGlass = Xapian::DB_BACKEND_GLASS;
constexpr int kBackendBits = 0x700;  // Xapian's DB_BACKEND_MASK_, which its headers keep to themselves

std::string damaged(const std::string& dir, const std::string& what) {
  return "index " + dir + " is damaged: " + what + " (run xapian-check " + dir + ")";
}

// Why there is no glass database at `dir`, from what is there.
std::string not_found(const std::string& dir) {
  std::error_code ec;
  const fs::file_status st = fs::symlink_status(dir, ec);
  if (ec || !fs::exists(st)) return "no index at " + dir + " (create one with 'quire index PATH...')";
  const fs::file_status target = fs::status(dir, ec);
  if (ec) return "cannot open index " + dir + ": " + ec.message();  // a dangling link, a link loop
  if (!fs::is_directory(target)) {
    // What it is, through a link: a stub file (whose `remote` line would run a program), a device, ...
    struct stat kind {};
    if (::stat(dir.c_str(), &kind) != 0) return dir + " is not a quire index: it is not a folder";
    return dir + " is not a quire index: it is " + file_kind(kind.st_mode) + ", not a folder" +
           (S_ISREG(kind.st_mode) ? " (quire never follows a Xapian stub file)" : "");
  }
  for (const char* other : {"XAPIANDB", "iamchert", "iamflint", "iamhoney"}) {
    if (fs::exists(fs::path(dir) / other, ec))
      return dir + " is not a quire index: it holds " + other +
             " (a Xapian stub file or another backend), which quire never follows";
  }
  if (::access((fs::path(dir) / "iamglass").c_str(), F_OK) != 0 && errno == EACCES)
    return "cannot read index " + dir + ": permission denied";
  bool tables = false;
  for (const auto& e : fs::directory_iterator(dir, ec)) tables = tables || e.path().extension() == ".glass";
  if (tables) return damaged(dir, "its revision file iamglass is missing");
  return "no index at " + dir + " (create one with 'quire index PATH...')";
}

bool writable(const std::string& dir) {
  return ::access(dir.c_str(), W_OK) == 0 &&
         (::access((fs::path(dir) / "flintlock").c_str(), W_OK) == 0 || errno == ENOENT);
}

// The crash guard's state. The message is made when the outermost guard of a thread is armed, so the
// handler only has to write it: write() and _exit() are all it calls (both async-signal-safe).
thread_local int t_guard_depth = 0;
thread_local std::string* t_guard_message = nullptr;
constexpr int kFaultSignals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL};
struct sigaction g_previous[4];

void on_fault(int sig, siginfo_t* info, void* context) {
  if (t_guard_depth > 0 && t_guard_message != nullptr) {
    const char* p = t_guard_message->data();
    std::size_t left = t_guard_message->size();
    while (left > 0) {
      const ssize_t n = ::write(STDERR_FILENO, p, left);
      if (n <= 0) break;
      p += n;
      left -= static_cast<std::size_t>(n);
    }
    ::_exit(2);
  }
  // Not a read of an index: the handler that was there before (the default, a sanitizer's) takes it.
  for (std::size_t i = 0; i < std::size(kFaultSignals); ++i) {
    if (kFaultSignals[i] != sig) continue;
    const struct sigaction& old = g_previous[i];
    if ((old.sa_flags & SA_SIGINFO) != 0 && old.sa_sigaction != nullptr) {
      old.sa_sigaction(sig, info, context);
      return;
    }
    if (old.sa_handler != SIG_DFL && old.sa_handler != SIG_IGN && old.sa_handler != nullptr) {
      old.sa_handler(sig);
      return;
    }
  }
  // The default: restore it; returning runs the faulting instruction again, and the default action ends quire.
  signal(sig, SIG_DFL);
}

void install_fault_handler() {
  static std::once_flag once;
  std::call_once(once, [] {
    // A stack of its own, so that a crash by stack overflow (a recursion in the library) is caught too;
    // kept when there is one already (a sanitizer's).
    stack_t current{};
    if (::sigaltstack(nullptr, &current) == 0 && (current.ss_flags & SS_DISABLE) != 0) {
      static char stack[1 << 16];
      stack_t ss{};
      ss.ss_sp = stack;
      ss.ss_size = sizeof stack;
      ::sigaltstack(&ss, nullptr);
    }
    struct sigaction sa {};
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    for (std::size_t i = 0; i < std::size(kFaultSignals); ++i) ::sigaction(kFaultSignals[i], &sa, &g_previous[i]);
  });
}

}  // namespace

IndexError damaged_index_error(const std::string& dir, const std::string& what) {
  return IndexError(damaged(dir, what));
}

IndexReadGuard::IndexReadGuard(const std::string& dir) {
  if (t_guard_depth++ > 0) return;
  install_fault_handler();
  static thread_local std::string message;
  message =
      "quire: " + damaged(dir, "a table holds bytes that Xapian does not check, and reading them crashed it") + "\n";
  t_guard_message = &message;
}

IndexReadGuard::~IndexReadGuard() {
  if (--t_guard_depth == 0) t_guard_message = nullptr;
}

void check_index_tables(const std::string& dir, const Xapian::Database& db) {
  // Xapian opens a missing or unreadable lazy table (position, termlist, docdata, ...) as an empty one:
  // phrases would run as AND, records would read as damaged. So every table file there must be readable,
  // and the tables quire's documents always fill must be there once the index holds such documents.
  for (const char* table : {"postlist", "termlist", "position", "docdata", "spelling", "synonym"}) {
    const std::string path = dir + "/" + table + ".glass";
    const int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd >= 0) {
      ::close(fd);
      continue;
    }
    if (errno == EACCES || errno == EPERM) throw IndexError("cannot read index " + dir + ": permission denied");
    if (errno != ENOENT)
      throw IndexError("cannot read index " + dir + ": " + table + ".glass: " + std::strerror(errno));
  }
  const auto missing = [&dir](const char* table) {
    struct stat st {};
    return ::lstat((dir + "/" + table + ".glass").c_str(), &st) != 0 && errno == ENOENT;
  };
  const auto refuse = [&dir](const std::string& table, const std::string& why) {
    return IndexError("index " + dir + " is damaged: " + table + " table missing (" + table + ".glass: " + why +
                      "); restore it from where the index came from, or make the index again with --rebuild");
  };
  Xapian::doccount docs = 0;
  Xapian::totallength words = 0;
  try {
    // Not a quire index (no format key): what quire writes is not to be expected; the caller says so.
    if (db.get_metadata(std::string(fmt::kKeyFormat)).empty()) return;
    docs = db.get_doccount();
    words = db.get_total_length();
  } catch (const Xapian::Error& e) {
    throw index_error(dir, e);
  }
  if (docs == 0) return;
  // Every document quire writes has data (a passage's JSON, a record) and a term list.
  if (missing("docdata")) throw refuse("docdata", "the documents' records cannot be read");
  if (missing("termlist")) throw refuse("termlist", "the documents' terms cannot be listed");
  // Words (not boolean terms, whose wdf is 0) are always indexed with their positions.
  if (words > 0 && missing("position")) throw refuse("position", "phrase and NEAR queries cannot be answered");
}

namespace {

// A shard folder that the manifest of the sharded index `dir` names: gone (deleted, not restored from a
// backup), or something else in its place, the index is damaged. Said so here: the message for a folder
// with no index would offer to create one there, which would make a stray shard of a broken index.
std::string shard_problem(const std::string& shard) {
  const std::string kind = path_kind(shard);
  std::string problem;
  if (kind.empty())
    problem = "is missing";
  else if (kind != file_kind(S_IFDIR))
    problem = "is " + kind + ", not a folder";
  else if (std::error_code ec; fs::is_empty(shard, ec) && !ec)
    problem = "is empty";
  return problem;
}

void check_shard_folder(const std::string& dir, const std::string& shard) {
  const std::string problem = shard_problem(shard);
  if (problem.empty()) return;
  throw MissingShardError("index " + dir + " is damaged: " + fs::path(shard).filename().string() + " " + problem +
                          "; rebuild it with 'quire index --rebuild'");
}

}  // namespace

std::vector<std::string> index_shard_folders(const std::string& dir, bool skip_missing) {
  check_index_entries(dir, false);
  const ShardCommit c = read_manifest_shards(dir);
  if (c.shards <= 1) return {dir};
  std::vector<std::string> out;
  for (const auto& s : shard_folders(dir, c.shards)) {
    if (skip_missing && !shard_problem(s).empty()) continue;
    check_shard_folder(dir, s);
    check_index_entries(s, false);
    out.push_back(s);
  }
  return out;
}

Xapian::Database open_index_raw(const std::string& dir, bool skip_missing) {
  Xapian::Database db;
  for (const auto& s : index_shard_folders(dir, skip_missing)) db.add_database(Xapian::Database(s, kGlass));
  return db;
}

Xapian::Database open_index(const std::string& dir) {
  std::string shard = dir;
  Xapian::Database db;
  std::vector<std::pair<std::string, Xapian::Database>> parts;
  try {
    for (const auto& s : index_shard_folders(dir)) {
      shard = s;
      parts.emplace_back(s, Xapian::Database(s, kGlass));
      db.add_database(parts.back().second);
    }
  } catch (const Xapian::Error& e) {
    throw index_error(shard, e);
  }
  for (const auto& [folder, part] : parts) check_index_tables(folder, part);
  return db;
}

namespace {

// Xapian takes its write lock (creating or truncating `flintlock`) before it reads the version file, so
// a writer opening a folder that is no index (a user's folder, an empty one, one whose iamglass is
// garbage) would write there before saying so. Before any writable open of an existing index, its
// iamglass must be a glass version file; throws IndexError (nothing written) when it is not.
void require_glass_version_file(const std::string& dir) {
  static constexpr char kMagic[] = "\x0f\rXapian Glass";
  constexpr std::size_t kMagicSize = sizeof kMagic - 1;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw IndexError(not_found(dir));  // a file, a dangling link: says which
  std::string head;
  int error = 0;
  switch (read_index_file((fs::path(dir) / "iamglass").string(), 1 << 16, head, &error)) {
    case IndexFileRead::kRead:
      if (head.compare(0, kMagicSize, kMagic, kMagicSize) == 0) return;
      throw IndexError(damaged(dir, "its revision file iamglass is not a Xapian glass version file"));
    case IndexFileRead::kMissing:
      throw IndexError(not_found(dir));
    case IndexFileRead::kTooBig:
      throw IndexError(damaged(dir, "its revision file iamglass is larger than any glass version file"));
    case IndexFileRead::kNotRegular:
      throw IndexError(damaged(dir, "its revision file iamglass is not a regular file"));
    case IndexFileRead::kError:
      break;
  }
  if (error == EACCES || error == EPERM) throw IndexError("cannot read index " + dir + ": permission denied");
  throw IndexError("cannot read index " + dir + ": iamglass: " + std::strerror(error));
}

}  // namespace

Xapian::WritableDatabase open_index_for_writing_waiting(const std::string& dir, int flags,
                                                        std::chrono::milliseconds wait, bool check_tables) {
  const auto until = std::chrono::steady_clock::now() + wait;
  for (;;) {
    try {
      return open_index_for_writing(dir, flags, check_tables);
    } catch (const Xapian::DatabaseLockError& e) {
      // A folder this user cannot write is no lock to wait for.
      if (e.get_msg().find("already locked") == std::string::npos || std::chrono::steady_clock::now() >= until)
        throw;
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
  }
}

Xapian::WritableDatabase open_index_for_writing(const std::string& dir, int flags, bool check_tables) {
  check_index_entries(dir, true);
  const int action = flags & (Xapian::DB_CREATE | Xapian::DB_OPEN | Xapian::DB_CREATE_OR_OVERWRITE);
  // A sharded index is locked by its first shard: every writer (indexing, a collection change) opens
  // that one first.
  std::string target = dir;
  if (classify_folder(dir) == FolderKind::kIndex && read_manifest_shards(dir).shards > 1) {
    // The shard folders first: one gone is a damaged index, never one to create (open_index_folder()).
    target = shard_folders(dir, 1).front();
    check_shard_folder(dir, target);
    check_index_entries(target, true);
  }
  // The folder Xapian will lock (a sharded index's first shard; its top folder holds no iamglass).
  if (action == Xapian::DB_OPEN) require_glass_version_file(target);
  // A folder this user cannot write (its files may be writable): Xapian would write new blocks into the
  // tables before it fails to make its revision file there, and say "permission denied".
  for (const std::string& folder : {dir, target}) {
    struct stat st {};
    if (::stat(folder.c_str(), &st) == 0 && S_ISDIR(st.st_mode) && ::access(folder.c_str(), W_OK) != 0 &&
        errno == EACCES)
      throw IndexError("index " + dir + " is read-only (no permission to write to it)");
  }
  Xapian::WritableDatabase db(target, (flags & ~kBackendBits) | kGlass);
  if (check_tables) check_index_tables(target, db);
  return db;
}

namespace {

// tcp://HOST:PORT -> a remote database; throws IndexError naming `where`.
Xapian::Database open_remote(const std::string& spec, const std::string& where) {
  const std::string rest = spec.substr(6);
  const std::size_t colon = rest.rfind(':');
  std::string host = colon == std::string::npos ? "" : rest.substr(0, colon);
  const std::string port_text = colon == std::string::npos ? "" : rest.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  const bool digits =
      !port_text.empty() && port_text.size() <= 5 && port_text.find_first_not_of("0123456789") == std::string::npos;
  const long port = digits ? std::stol(port_text) : 0;
  // Xapian 1.4's remote backend resolves IPv4 only: "[::1]" would fail with a resolver's message.
  if (host.find(':') != std::string::npos)
    throw IndexError(where + ": '" + message_value(spec) +
                     "': an IPv6 address; xapian-tcpsrv shards are reached over IPv4 only (give an IPv4 "
                     "address such as 127.0.0.1, or a host name)");
  if (host.empty() || port < 1 || port > 65535)
    throw IndexError(where + ": '" + spec + "' is not tcp://HOST:PORT (a port from 1 to 65535)");
  try {
    // Timeouts in ms: a shard that does not answer fails the search rather than hanging it.
    return Xapian::Remote::open(host, static_cast<unsigned>(port), 30000, 10000);
  } catch (const Xapian::Error& e) {
    throw IndexError("cannot reach shard " + spec + " (" + where + "): " + e.get_description() +
                     " (is xapian-tcpsrv running there? see docs/scale-out.md)");
  }
}

// A local shard: its folder's identity first, then its files (if the folder is swapped between the
// two, the identity is the old folder's and the searcher's reopen() sees the change).
IndexShard open_local_shard(const std::string& dir) {
  IndexShard shard{dir, false, {}};
  struct stat st {};
  if (::stat(dir.c_str(), &st) == 0) {
    shard.folder_dev = st.st_dev;
    shard.folder_ino = st.st_ino;
  }
  check_index_entries(dir, false);
  try {
    shard.db = Xapian::Database(dir, kGlass);
  } catch (const Xapian::Error& e) {
    throw index_error(dir, e);
  }
  check_index_tables(dir, shard.db);
  return shard;
}

// The generation (index_format.h kKeyGeneration) a shard's last commit belongs to.
std::uint64_t generation_of(const Xapian::Database& db) {
  const std::string g = db.get_metadata(std::string(format::kKeyGeneration));
  return g.empty() || g.find_first_not_of("0123456789") != std::string::npos || g.size() > 19 ? 0 : std::stoull(g);
}

}  // namespace

std::vector<IndexShard> open_index_folder(const std::string& dir) {
  check_index_entries(dir, false);
  const ShardCommit c = read_manifest_shards(dir);
  if (c.shards <= 1) return {open_local_shard(dir)};
  std::vector<IndexShard> out;
  // A writer commits every shard, then the manifest: shards opened between the two are ahead of the
  // manifest for a moment. Opened again, a whole commit is seen; one still ahead with no writer
  // holding the lock is a commit a kill interrupted.
  for (int attempt = 0;; ++attempt) {
    const ShardCommit m = read_manifest_shards(dir);
    out.clear();
    std::vector<std::uint64_t> generations;
    for (const auto& s : shard_folders(dir, m.shards)) {
      check_shard_folder(dir, s);
      out.push_back(open_local_shard(s));
      generations.push_back(generation_of(out.back().db));
    }
    const CommitState state = commit_state(m, generations);
    if (state == CommitState::kWhole) return out;
    if (state == CommitState::kBroken)
      throw damaged_index_error(dir,
                                "its shards are not at the commit its manifest records (a shard restored from "
                                "another backup?); rebuild it with 'quire index --rebuild'");
    bool writing = false;
    try {
      writing = Xapian::Database(shard_folders(dir, 1).front(), kGlass).locked();
    } catch (const Xapian::Error&) {
    }
    if (writing && attempt < 200) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));  // a commit in progress
      continue;
    }
    // Xapian 1.4 opens a database at its newest revision only: the shards are searched as they are.
    std::fprintf(stderr,
                 "quire: note: index %s: its last commit was interrupted (some shards committed, the manifest "
                 "was not written); its shards are searched as they are, which Xapian cannot open at an "
                 "older revision. The next 'quire index' into it repairs it.\n",
                 dir.c_str());
    return out;
  }
}

namespace {
// A shard list's first line, as an editor may save it: with a UTF-8 byte order mark, CRLF line ends or
// spaces after the header.
bool is_shard_list_header(std::string line) {
  if (line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.pop_back();
  return line == kShardListHeader;
}
}  // namespace

bool is_shard_list_file(const std::string& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return false;
  std::ifstream in(path, std::ios::binary);
  std::string line;
  return in && std::getline(in, line) && is_shard_list_header(line);
}

std::vector<IndexShard> open_index_shards(const std::string& db) {
  std::vector<IndexShard> out;
  if (db.rfind("tcp://", 0) == 0) {
    out.push_back({db, true, open_remote(db, "--db")});
    return out;
  }
  std::error_code ec;
  if (!fs::is_regular_file(db, ec)) return open_index_folder(db);
  std::ifstream in(db, std::ios::binary);
  std::string line;
  if (!in || !std::getline(in, line) || !is_shard_list_header(line)) {
    out.push_back(open_local_shard(db));  // says what is wrong with a file in place of an index
    return out;
  }
  const fs::path base = fs::path(db).parent_path();
  for (int number = 2; std::getline(in, line); ++number) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.pop_back();
    const std::size_t start = line.find_first_not_of(" \t");
    if (start == std::string::npos || line[start] == '#') continue;
    line = line.substr(start);
    const std::string where = db + ", line " + std::to_string(number);
    if (line.rfind("tcp://", 0) == 0) {
      out.push_back({line, true, open_remote(line, where)});
      continue;
    }
    if (line.find("://") != std::string::npos)
      throw IndexError(where + ": '" + line + "' is neither an index folder nor tcp://HOST:PORT");
    const std::string dir = fs::path(line).is_absolute() ? line : (base / line).string();
    if (fs::is_regular_file(dir, ec))
      throw IndexError(where + ": " + dir + " is a file; a shard list names index folders and tcp:// shards only");
    for (auto& s : open_index_folder(dir)) out.push_back(std::move(s));
  }
  if (out.empty()) throw IndexError("the shard list " + db + " names no shard");
  return out;
}

std::string disk_full_reason(const Xapian::Error& e) {
  // Xapian gives the errno's text as the error string of the failed write, but a failure met again on
  // the way back ("Modifications failed (Error writing block 7 (No space left on device)), and couldn't
  // open at the old revision") carries it only inside its message.
  const std::string text = std::string(e.get_error_string() ? e.get_error_string() : "") + " " + e.get_msg();
  for (const int err : {ENOSPC, EDQUOT, EFBIG}) {
    std::string why = std::strerror(err);
    if (text.find(why) == std::string::npos) continue;
    why[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(why[0])));
    return why;
  }
  return "";
}

bool is_damage(const Xapian::Error& e) {
  if (!disk_full_reason(e).empty()) return false;
  const std::string type = e.get_type();
  if (type == "DatabaseCorruptError" || type == "DatabaseOpeningError") return true;
  // "EOF reading block 46", "dir_end invalid": a table that is not what Xapian wrote. A failed read or
  // write of the disk ("Error writing block: No space left on device") carries the system's errno.
  return type == "DatabaseError" && e.get_error_string() == nullptr;
}

IndexError index_error(const std::string& dir, const Xapian::Error& e) {
  // Xapian::Error has no virtual functions to cast by; its type name says which it is.
  const std::string type = e.get_type();
  const std::string& what = e.get_msg();
  const std::string errno_text = e.get_error_string() ? e.get_error_string() : "";
  if (type == "DatabaseNotFoundError") return IndexError(not_found(dir));
  if (type == "DatabaseLockError") {
    if (what.find("already locked") != std::string::npos)
      return IndexError("index " + dir +
                        " is locked: another 'quire index', or a collection change ('quire collection' or 'quire serve') "
                        "that did not finish in " + std::to_string(kIndexLockWait.count() / 1000) +
                        " s, is writing to it; try again when it has finished");
    if (!writable(dir)) return IndexError("index " + dir + " is read-only (no permission to write to it)");
    return IndexError("cannot lock index " + dir + " for writing: " + what);
  }
  if (type == "DatabaseVersionError")
    return IndexError("index " + dir + " was written by another version of Xapian: " + what);
  if (errno_text.find("ermission denied") != std::string::npos || what.find("ermission denied") != std::string::npos)
    return IndexError("cannot read index " + dir + ": permission denied");
  // A full disk, a quota, a file-size limit: the write failed, the tables are what they were.
  if (const std::string full = disk_full_reason(e); !full.empty())
    return IndexError("cannot write to index " + dir + ": " + full + " (" + e.get_description() +
                      "); the index keeps its last commit");
  if (type == "DatabaseCreateError") return IndexError("cannot create index " + dir + ": " + e.get_description());
  if (type == "DatabaseModifiedError") return IndexError("index " + dir + " changed while quire read it; try again");
  // DatabaseCorruptError, DatabaseOpeningError, and DatabaseError itself ("EOF reading block 0"); a
  // posting list naming a document that is not there, or a value or record that does not decode.
  if (type.rfind("Database", 0) == 0 || type == "DocNotFoundError" || type == "SerialisationError" ||
      type == "RangeError")
    return IndexError(damaged(dir, e.get_description()));
  return IndexError("cannot read index " + dir + ": " + e.get_description());
}

IndexError index_error(const std::string& dir, const std::exception_ptr& e) {
  try {
    std::rethrow_exception(e);
  } catch (const IndexError& ie) {
    return ie;
  } catch (const Xapian::Error& xe) {
    return index_error(dir, xe);
  } catch (const nlohmann::json::exception& je) {
    return IndexError(damaged(dir, "a record is not what quire writes: " + json_error_text(je)));
  } catch (const JsonDepthError& de) {
    return IndexError(damaged(dir, std::string("a record is not what quire writes: ") + de.what()));
  } catch (const std::exception& se) {
    return IndexError("cannot read index " + dir + ": " + se.what());
  } catch (...) {
    return IndexError("cannot read index " + dir + ": unknown error");
  }
}

}  // namespace quire
