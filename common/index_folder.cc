// Index folders, rebuild swaps and their recovery. See index_folder.h; the names are in index_format.h.
#include "quire/index_folder.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "quire/errors.h"
#include "quire/files.h"
#include "quire/index_format.h"
#include "quire/json_input.h"

namespace quire {
namespace fs = std::filesystem;
namespace fmt = format;

namespace {

std::string sys_error() { return std::strerror(errno); }

std::string join(const std::string& dir, std::string_view name) { return dir + "/" + std::string(name); }

bool exists(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0;
}

// A real folder, not a symlink to one: quire never deletes through a link it did not make.
bool is_folder(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

// The names in folder `dir`; `error` (when given) is set to why it could not be listed whole.
std::vector<std::string> entries(const std::string& dir, std::error_code* error = nullptr) {
  std::vector<std::string> names;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    names.push_back(it->path().filename().string());
  if (error != nullptr) *error = ec;
  return names;
}

// Longest rebuild marker quire writes is two short lines and a folder name; a longer one is not quire's.
constexpr std::uint64_t kMaxMarkerBytes = 8192;
// The first line of a creation marker: a file of that name without it is not quire's.
constexpr std::string_view kCreatingMarkerHeader = "quire creating an index";
// A manifest holds the collections: at most kMaxCollectionMatches ids each, with their histories.
constexpr std::uint64_t kMaxManifestBytes = 256ull << 20;

// What `path` is (files.h path_kind()), or why it cannot be looked at.
std::string describe_kind(const std::string& path) {
  const std::string kind = path_kind(path);
  return kind.empty() ? sys_error() : kind;
}

// What a rebuild marker says.
struct Marker {
  bool present = false;
  std::string state;  ///< "building" or "ready"; anything else (a torn first write) counts as building
  bool has_old = false;
  unsigned long long old_dev = 0, old_ino = 0;
};

// Read only as a regular file of bounded size, never through a link: a marker in a folder someone
// else made may be a pipe (a read waits for ever), a link to /dev/zero (never ends) or huge. Anything
// else is no marker of quire's, and the folder is left as it is.
Marker read_marker(const std::string& folder) {
  Marker m;
  std::string text;
  if (read_index_file(join(folder, fmt::kRebuildMarker), kMaxMarkerBytes, text) != IndexFileRead::kRead) return m;
  m.present = true;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    char word[32];
    if (std::sscanf(line.c_str(), "state %31s", word) == 1) m.state = word;
    if (std::sscanf(line.c_str(), "old %llu %llu", &m.old_dev, &m.old_ino) == 2) m.has_old = true;
  }
  return m;
}

bool same_folder(const std::string& path, const Marker& m) {
  struct stat st {};
  return m.has_old && ::lstat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode) &&
         static_cast<unsigned long long>(st.st_dev) == m.old_dev &&
         static_cast<unsigned long long>(st.st_ino) == m.old_ino;
}

// An exclusive flock on the folder itself; -1 when another process holds it. Waits up to `wait`.
int lock_folder(const std::string& dir, std::chrono::milliseconds wait) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return -1;
  const auto until = std::chrono::steady_clock::now() + wait;
  for (;;) {
    if (::flock(fd, LOCK_EX | LOCK_NB) == 0) return fd;
    if (errno != EWOULDBLOCK || std::chrono::steady_clock::now() >= until) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ::close(fd);
  return -1;
}

constexpr std::size_t kTemporaryRandomChars = 6;

// ".tmp." and six random letters or digits: write_file_durably()'s temporary names (is_temporary_of()).
std::string temporary_suffix() {
  static constexpr char kChars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  unsigned char bytes[kTemporaryRandomChars];
  if (::getrandom(bytes, sizeof bytes, 0) != static_cast<ssize_t>(sizeof bytes)) {
    const auto t = static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
    for (std::size_t i = 0; i < sizeof bytes; ++i) bytes[i] = static_cast<unsigned char>((t >> (i * 7)) ^ ::getpid());
  }
  std::string out = ".tmp.";
  for (unsigned char b : bytes) out += kChars[b % (sizeof kChars - 1)];
  return out;
}

void write_all(int fd, const std::string& content, const std::string& path) {
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw IndexError("cannot write " + path + ": " + sys_error());
    done += static_cast<std::size_t>(n);
  }
}

std::string parent_of(const std::string& path) { return fs::path(path).parent_path().string(); }

// After a swap: the old index (at `old_path`, proved by the marker's device and inode) goes, then the
// marker in the new index.
void finish_swap(const IndexFolders& f, const Marker& m, std::vector<std::string>& notes) {
  for (const std::string& old : {f.building, f.aside}) {
    if (!same_folder(old, m)) continue;
    const std::vector<std::string> left = remove_index_files(old);
    if (!left.empty())
      notes.push_back("the old index was kept at " + old + ": it holds files quire did not make (" +
                      describe_entries(old) + ")");
  }
  if (::unlink(join(f.dir, fmt::kRebuildMarker).c_str()) != 0 && errno != ENOENT)
    notes.push_back("cannot remove " + join(f.dir, fmt::kRebuildMarker) + ": " + sys_error());
  sync_folder(f.dir);
}

}  // namespace

bool sync_folder(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}

namespace {
void remove_earlier_temporaries(const std::string& path);
}  // namespace

void write_file_durably(const std::string& path, const std::string& content) {
  // The temporary file gets a name no other file has (O_EXCL: never one that exists, a user's
  // NAME.tmp or a link planted there), and only that file is removed when the write fails.
  std::string tmp;
  int fd = -1;
  for (int attempt = 0; fd < 0; ++attempt) {
    tmp = path + temporary_suffix();
    fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0 && (errno != EEXIST || attempt == 100)) throw IndexError("cannot write " + tmp + ": " + sys_error());
  }
  const auto fail = [&](const std::string& what, const std::string& why) {
    if (fd >= 0) ::close(fd);
    ::unlink(tmp.c_str());  // made above by this call
    throw IndexError(what + why);
  };
  try {
    write_all(fd, content, tmp);
  } catch (const IndexError& e) {
    fail("", e.what());
  }
  if (::fsync(fd) != 0) fail("cannot write " + tmp + ": ", sys_error());
  const int closed = ::close(fd);
  fd = -1;
  if (closed != 0) fail("cannot write " + tmp + ": ", sys_error());
  if (::rename(tmp.c_str(), path.c_str()) != 0) fail("cannot rename " + tmp + ": ", sys_error());
  if (!sync_folder(parent_of(path))) throw IndexError("cannot sync " + parent_of(path) + ": " + sys_error());
  // A write killed before its rename left its temporary file; the callers hold the index's write lock,
  // so no other write of PATH is under way, and those proven quire's go now.
  remove_earlier_temporaries(path);
}

std::map<std::string, std::string> read_manifest_collections(const std::string& dir) {
  const std::string path = join(dir, fmt::kManifestFile);
  std::map<std::string, std::string> out;
  // As the markers: a regular file of bounded size, never a link, pipe or device (a manifest in an
  // index someone sent may be any of them).
  std::string text;
  int err = 0;
  switch (read_index_file(path, kMaxManifestBytes, text, &err)) {
    case IndexFileRead::kMissing:
      return out;
    case IndexFileRead::kNotRegular:
      throw IndexError("the manifest " + path + " is not a regular file (" +
                       (err == ELOOP ? std::string("a symbolic link") : describe_kind(path)) +
                       "); quire never reads its collections through it");
    case IndexFileRead::kTooBig:
      throw IndexError("the manifest " + path + " is larger than " + std::to_string(kMaxManifestBytes >> 20) +
                       " MB, more than quire writes; its collections are not read");
    case IndexFileRead::kError:
      if (err == EACCES || err == EPERM) throw IndexError("cannot read " + path + ": permission denied");
      throw IndexError("cannot read " + path + ": " + std::strerror(err));
    case IndexFileRead::kRead:
      break;
  }
  try {
    const nlohmann::json j = parse_json(text);
    if (!j.is_object()) throw std::runtime_error("not a JSON object");
    if (auto c = j.find("collections"); c != j.end()) {
      if (!c->is_object()) throw std::runtime_error("\"collections\" is not an object");
      for (auto it = c->begin(); it != c->end(); ++it)
        out.emplace(it.key(), it.value().dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    }
  } catch (const std::exception& e) {
    throw IndexError("the manifest " + path + " is damaged: " + json_error_text(e) +
                     " (its collections cannot be read; restore it from a backup)");
  }
  return out;
}

namespace {

// The manifest whole: collections and the shard record are written together, each writer keeping the
// other's part.
void write_manifest(const std::string& dir, const std::map<std::string, std::string>& collections,
                    const ShardCommit& commit) {
  nlohmann::json c = nlohmann::json::object();
  for (const auto& [name, json] : collections) c[name] = parse_json(json);
  nlohmann::json j = {{"format", fmt::kFormatVersion}, {"collections", c}};
  if (commit.shards > 1) {
    j["shards"] = commit.shards;
    j["commit"] = {{"generation", commit.generation}, {"revisions", commit.revisions}};
  }
  write_file_durably(join(dir, fmt::kManifestFile),
                     j.dump(1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
}

}  // namespace

std::set<std::string> collection_document_ids(const std::string& json) {
  std::set<std::string> ids;
  const auto take = [&ids](const nlohmann::json& j, const char* field) {
    const auto list = j.find(field);
    if (list == j.end() || !list->is_array()) return;
    for (const auto& id : *list)
      if (id.is_string()) ids.insert(id.get<std::string>());
  };
  try {
    const nlohmann::json j = parse_json(json);
    if (!j.is_object()) return ids;
    for (const char* field : {"matched", "added", "excluded"}) take(j, field);
    if (const auto history = j.find("history"); history != j.end() && history->is_array())
      for (const auto& refresh : *history)
        if (refresh.is_object())
          for (const char* field : {"added", "gone"}) take(refresh, field);
  } catch (...) {
    // A damaged collection is reported where it is read (load_collections()); here it names no ids.
  }
  return ids;
}

void write_manifest_collections(const std::string& dir, const std::map<std::string, std::string>& collections) {
  write_manifest(dir, collections, read_manifest_shards(dir));
}

void write_manifest_commit(const std::string& dir, const ShardCommit& commit) {
  write_manifest(dir, read_manifest_collections(dir), commit);
}

ShardCommit read_manifest_shards(const std::string& dir) {
  const std::string path = join(dir, fmt::kManifestFile);
  ShardCommit out;
  if (exists(join(dir, "iamglass"))) return out;  // one database in the folder itself, whatever the manifest says
  std::ifstream in(path, std::ios::binary);
  if (!in) return out;  // no manifest: one database (read_manifest_collections() reports other failures)
  std::ostringstream text;
  text << in.rdbuf();
  try {
    const nlohmann::json j = parse_json(text.str());
    if (!j.is_object()) throw std::runtime_error("not a JSON object");
    const auto s = j.find("shards");
    if (s == j.end()) return out;
    if (!s->is_number_unsigned() || s->get<std::uint64_t>() < 2 || s->get<std::uint64_t>() > fmt::kMaxShards)
      throw std::runtime_error("\"shards\" is not a number from 2 to " + std::to_string(fmt::kMaxShards));
    out.shards = s->get<std::size_t>();
    const auto c = j.find("commit");
    if (c == j.end() || !c->is_object() || !c->contains("generation") || !(*c)["generation"].is_number_unsigned())
      throw std::runtime_error("\"commit\" has no generation");
    out.generation = (*c)["generation"].get<std::uint64_t>();
    const auto r = c->find("revisions");
    if (r == c->end() || !r->is_array() || r->size() != out.shards)
      throw std::runtime_error("\"commit\" does not give a revision for each shard");
    for (const auto& v : *r) {
      if (!v.is_number_unsigned()) throw std::runtime_error("a revision is not a number");
      out.revisions.push_back(v.get<std::uint64_t>());
    }
  } catch (const std::exception& e) {
    throw IndexError("the manifest " + path + " is damaged: " + json_error_text(e) +
                     " (its record of the shards cannot be read; restore it from a backup)");
  }
  return out;
}

std::vector<std::string> shard_folders(const std::string& dir, std::size_t shards) {
  std::vector<std::string> out;
  for (std::size_t k = 0; k < shards; ++k) out.push_back(join(dir, fmt::kShardFolderPrefix) + std::to_string(k));
  return out;
}

CommitState commit_state(const ShardCommit& manifest, const std::vector<std::uint64_t>& generations) {
  if (generations.size() != manifest.shards) return CommitState::kBroken;
  bool ahead = false;
  for (const std::uint64_t g : generations) {
    if (g < manifest.generation) return CommitState::kBroken;
    ahead = ahead || g > manifest.generation;
  }
  return ahead ? CommitState::kInterrupted : CommitState::kWhole;
}

IndexFolders index_folders(const std::string& dir) {
  std::error_code ec;
  fs::path p = fs::absolute(dir, ec).lexically_normal();
  if (p.filename().empty()) p = p.parent_path();  // "idx/" -> "idx"
  if (fs::exists(p, ec)) {
    const fs::path c = fs::canonical(p, ec);
    if (!ec) p = c;
  } else {
    const fs::path c = fs::canonical(p.parent_path(), ec);
    if (!ec) p = c / p.filename();
  }
  if (p == p.root_path() || p.filename().empty())
    throw IndexError("index " + dir + ": the root folder cannot be an index folder");
  IndexFolders f;
  f.dir = p.string();
  f.parent = p.parent_path().string();
  const std::string name = p.filename().string();
  f.building = f.parent + "/." + name + std::string(fmt::kRebuildSuffix);
  f.aside = f.parent + "/." + name + std::string(fmt::kAsideSuffix);
  return f;
}

void check_index_entries(const std::string& dir, bool for_writing) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return;  // Xapian says what is wrong
  const std::string reason =
      "; quire opens an index only in a folder it can list and check (a folder unpacked with this mode "
      "may hold links to your files)";
  std::error_code listing;
  const std::vector<std::string> names = entries(dir, &listing);
  if (listing) throw IndexError("cannot list index folder " + dir + ": " + listing.message() + reason);
  for (const std::string& name : names) {
    const std::string path = join(dir, name);
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) {
      // Gone since the listing: a temporary file of a writer's commit (Xapian's v.tmp, a table's .tmp),
      // which no longer names anything and so cannot lead anywhere.
      if (errno == ENOENT) continue;
      throw IndexError("cannot check " + name + " in index folder " + dir + ": " + sys_error() + reason);
    }
    if (S_ISLNK(st.st_mode))
      throw IndexError(dir + " is not a quire index: " + name +
                       " in it is a symbolic link (quire never follows a link inside an index)");
    if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
      throw IndexError(dir + " is not a quire index: " + name + " in it is not a regular file (it is " +
                       file_kind(st.st_mode) + ")");
    if (for_writing && S_ISREG(st.st_mode) && st.st_nlink > 1)
      throw IndexError("index " + dir + " is not written: " + name + " in it has " + std::to_string(st.st_nlink) +
                       " hard links, and writing would change every other copy too (copy the index with 'cp -a', "
                       "not 'cp -al', to write to it)");
  }
}

IndexFileRead read_index_file(const std::string& path, std::uint64_t max_bytes, std::string& text, int* error) {
  text.clear();
  const int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    if (error != nullptr) *error = errno;
    if (errno == ENOENT) return IndexFileRead::kMissing;
    return errno == ELOOP ? IndexFileRead::kNotRegular : IndexFileRead::kError;
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    if (error != nullptr) *error = errno;
    ::close(fd);
    return IndexFileRead::kNotRegular;
  }
  if (static_cast<std::uint64_t>(st.st_size) > max_bytes) {
    ::close(fd);
    return IndexFileRead::kTooBig;
  }
  // Room for the size fstat() gave and one byte more, grown up to one byte past the limit: a file that
  // grew since is seen to be too big.
  const std::size_t limit = static_cast<std::size_t>(max_bytes) + 1;
  text.assign(std::min<std::size_t>(static_cast<std::size_t>(st.st_size) + 1, limit), '\0');
  std::size_t got = 0;
  for (;;) {
    if (got == text.size()) {
      if (text.size() >= limit) break;
      text.resize(std::min(limit, text.size() * 2));
    }
    const ssize_t n = ::read(fd, text.data() + got, text.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      if (error != nullptr) *error = errno;
      ::close(fd);
      text.clear();
      return IndexFileRead::kError;
    }
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  ::close(fd);
  text.resize(got);
  if (got > max_bytes) {
    text.clear();
    return IndexFileRead::kTooBig;
  }
  return IndexFileRead::kRead;
}

std::string creating_marker_text() {
  return std::string(kCreatingMarkerHeader) + "\npid " + std::to_string(::getpid()) + "\ntime " +
         std::to_string(static_cast<long long>(std::time(nullptr))) + "\n";
}

namespace {

// Whether `text` from `at` is the line "NAME DIGITS\n" (one to twenty digits); `at` moves past it.
bool number_line(const std::string& text, std::size_t& at, std::string_view name) {
  if (text.compare(at, name.size(), name) != 0 || at + name.size() >= text.size() || text[at + name.size()] != ' ')
    return false;
  std::size_t i = at + name.size() + 1;
  const std::size_t digits = i;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
  if (i == digits || i - digits > 20 || i >= text.size() || text[i] != '\n') return false;
  at = i + 1;
  return true;
}

// Whether `text` is whole, in the form creating_marker_text() writes: the first line, "pid N", "time T",
// nothing more. The one test of a marker (and of its temporary, proven_ours()) being quire's.
bool is_creating_marker_text(const std::string& text) {
  const std::string header = std::string(kCreatingMarkerHeader) + "\n";
  if (text.compare(0, header.size(), header) != 0) return false;
  std::size_t at = header.size();
  return number_line(text, at, "pid") && number_line(text, at, "time") && at == text.size();
}

}  // namespace

bool is_creating_marker(const std::string& dir) {
  std::string text;
  if (read_index_file(join(dir, fmt::kCreatingMarker), kMaxMarkerBytes, text) != IndexFileRead::kRead) return false;
  return is_creating_marker_text(text);
}

FolderKind classify_folder(const std::string& dir) {
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0) return errno == ENOENT ? FolderKind::kMissing : FolderKind::kOther;
  if (!S_ISDIR(st.st_mode)) return FolderKind::kNotAFolder;
  std::error_code listing;
  const std::vector<std::string> names = entries(dir, &listing);
  if (listing) return FolderKind::kUnlistable;
  if (names.empty()) return FolderKind::kEmpty;
  bool creating = false, manifest = false, shard = false;
  const std::string prefix(fmt::kShardFolderPrefix);
  for (const auto& n : names) {
    if (n == "iamglass") return FolderKind::kIndex;
    if (n == fmt::kCreatingMarker) creating = true;
    if (n == fmt::kManifestFile) manifest = true;
    if (n.size() > prefix.size() && n.compare(0, prefix.size(), prefix) == 0 &&
        n.find_first_not_of("0123456789", prefix.size()) == std::string::npos)
      shard = true;
  }
  // A sharded index: the manifest is written after its shards' first commit, the marker removed after it.
  // One whose first shard is gone is still an index (a damaged one, which a rebuild repairs).
  if (!creating && manifest && shard) return FolderKind::kIndex;
  return creating ? FolderKind::kCreating : FolderKind::kOther;
}

std::string describe_entries(const std::string& dir) {
  // Not a folder: what it is ("a file", "a symbolic link"), not "nothing" as an empty listing would say.
  if (const std::string kind = path_kind(dir); !kind.empty() && kind != file_kind(S_IFDIR)) return kind;
  std::vector<std::string> names = entries(dir);
  std::sort(names.begin(), names.end());
  std::string out;
  const std::size_t shown = std::min<std::size_t>(names.size(), 5);
  for (std::size_t i = 0; i < shown; ++i) out += (i == 0 ? "" : ", ") + names[i];
  if (names.size() > shown) out += " and " + std::to_string(names.size() - shown) + " more";
  return out.empty() ? "nothing" : out;
}

namespace {

// The names quire or Xapian write in an index folder.
const std::set<std::string>& our_names() {
  static const std::set<std::string> ours = [] {
    std::set<std::string> s;
    for (std::string_view name : fmt::kGlassFiles) s.emplace(name);
    for (std::string_view name : {fmt::kRebuildMarker, fmt::kCreatingMarker, fmt::kManifestFile}) {
      s.emplace(name);
      s.insert(std::string(name) + ".tmp");
    }
    return s;
  }();
  return ours;
}

}  // namespace

namespace {

// The name a temporary file of write_file_durably() stands for: "quire-manifest.json.tmp.Ab3xY9" is
// written as "quire-manifest.json.tmp" once was (and is judged as such); any other name is itself.
std::string ours_as(const std::string& name) {
  const std::size_t n = kTemporaryRandomChars, dot = name.size() >= n + 5 ? name.size() - n - 5 : std::string::npos;
  if (dot == std::string::npos || name.compare(dot, 5, ".tmp.") != 0) return name;
  for (std::size_t i = name.size() - n; i < name.size(); ++i)
    if (!std::isalnum(static_cast<unsigned char>(name[i]))) return name;
  const std::string base = name.substr(0, dot);
  if (base != fmt::kManifestFile && base != fmt::kRebuildMarker && base != fmt::kCreatingMarker) return name;
  return name.substr(0, dot + 4);
}

// shard0, shard1, ...: a shard folder's name (index_format.h kShardFolderPrefix).
bool is_shard_name(const std::string& name) {
  const std::size_t n = fmt::kShardFolderPrefix.size();
  return name.size() > n && name.size() <= n + 2 && name.compare(0, n, fmt::kShardFolderPrefix) == 0 &&
         name.find_first_not_of("0123456789", n) == std::string::npos;
}

}  // namespace

std::vector<std::string> foreign_entries(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& name : entries(dir)) {
    if (our_names().count(ours_as(name))) continue;
    // A shard folder is quire's when it holds only quire's and Xapian's files.
    if (is_shard_name(name) && is_folder(join(dir, name)) && foreign_entries(join(dir, name)).empty()) continue;
    names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

namespace {

// A temporary file at one of quire's or Xapian's temporary names is deleted only when its first bytes
// are what the writer writes first: a glass version file's magic (v.tmp, iamglass.tmp), a JSON object
// (the manifest), a marker's first words. A user's "v.tmp" holding notes is kept, and named by the caller.
bool proven_ours(const std::string& dir, const std::string& file) {
  const std::string name = ours_as(file);
  if (name.size() < 4 || name.compare(name.size() - 4, 4, ".tmp") != 0) return true;
  std::string head;
  const IndexFileRead read = read_index_file(join(dir, file), 1 << 20, head);
  if (read == IndexFileRead::kMissing) return true;
  if (read != IndexFileRead::kRead) return false;
  if (head.empty()) return true;  // made and not yet written: a write killed at its start
  static constexpr char kGlassMagic[] = "\x0f\rXapian Glass";
  if (name == "v.tmp" || name == "iamglass.tmp")
    return head.compare(0, sizeof kGlassMagic - 1, kGlassMagic, sizeof kGlassMagic - 1) == 0;
  if (name == std::string(fmt::kManifestFile) + ".tmp") return head.front() == '{';
  if (name == std::string(fmt::kRebuildMarker) + ".tmp") return head.rfind("quire rebuild of ", 0) == 0;
  // Whole in quire's form, as the marker itself must be: a file that merely starts with its first line is not.
  if (name == std::string(fmt::kCreatingMarker) + ".tmp") return is_creating_marker_text(head);
  return false;  // a table's temporary name: glass writes those only while compacting, which quire never asks
}

// The temporary files of earlier write_file_durably(PATH) calls ("PATH.tmp.Ab3xY9", ours_as(), or an
// older quire's "PATH.tmp") that are
// proven quire's; a user's file at such a name is kept.
void remove_earlier_temporaries(const std::string& path) {
  const std::string dir = parent_of(path), temporary = fs::path(path).filename().string() + ".tmp";
  bool removed = false;
  for (const auto& name : entries(dir)) {
    if (ours_as(name) != temporary || !proven_ours(dir, name)) continue;
    removed = ::unlink(join(dir, name).c_str()) == 0 || removed;
  }
  if (removed) sync_folder(dir);
}

}  // namespace

std::vector<std::string> remove_index_files(const std::string& dir, bool remove_folder) {
  const std::set<std::string>& ours = our_names();
  std::vector<std::string> left;
  for (const auto& name : entries(dir)) {
    // The shard folders of a sharded index: their files, then the folder (never through a link).
    if (is_shard_name(name) && is_folder(join(dir, name))) {
      if (!remove_index_files(join(dir, name), true).empty()) left.push_back(name);
      continue;
    }
    if (!ours.count(ours_as(name)) || !proven_ours(dir, name) || ::unlink(join(dir, name).c_str()) != 0)
      left.push_back(name);
  }
  if (remove_folder && left.empty() && ::rmdir(dir.c_str()) == 0) {
    sync_folder(parent_of(dir));
  } else {
    sync_folder(dir);
  }
  return left;
}

std::vector<std::string> recover_index_folder(const std::string& dir) {
  std::vector<std::string> notes;
  IndexFolders f;
  try {
    f = index_folders(dir);
  } catch (const IndexError&) {
    return notes;
  }
  // Nothing in DIR is read before DIR is checked (its marker may be a pipe or a link); a folder that
  // fails the check is left alone here, and the open that follows refuses it, saying why.
  bool dir_checked = true;
  try {
    check_index_entries(f.dir, false);
  } catch (const IndexError&) {
    dir_checked = false;
  }
  // The swap was made: DIR is the new index, with the marker that names the old folder.
  if (const Marker m = dir_checked ? read_marker(f.dir) : Marker{}; m.present) {
    const int fd = lock_folder(f.dir, std::chrono::milliseconds(0));
    if (fd < 0) return notes;  // the rebuild is finishing it now
    finish_swap(f, m, notes);
    ::close(fd);
    notes.push_back("finished the rebuild of " + f.dir + " that was interrupted after its swap");
    return notes;
  }
  if (!is_folder(f.building)) return notes;
  // A rebuild in progress holds its folder's lock; when DIR is missing it is between its two renames
  // and will be done in a moment.
  const bool dir_missing = !exists(f.dir);
  const int fd = lock_folder(f.building, std::chrono::milliseconds(dir_missing ? 10000 : 0));
  if (fd < 0) {
    if (dir_missing) throw IndexError("index " + f.dir + " is being rebuilt by another quire; try again");
    return notes;
  }
  const Marker m = read_marker(f.building);
  if (!m.present) {
    if (entries(f.building).empty()) {
      if (::rmdir(f.building.c_str()) == 0) sync_folder(f.parent);
    } else {
      notes.push_back(f.building + " has no quire marker: left as it is (" + describe_entries(f.building) + ")");
    }
  } else if (m.state == "ready" && !exists(f.dir)) {
    // Killed between the two renames of a swap without exchange: the new index goes in.
    if (::rename(f.building.c_str(), f.dir.c_str()) != 0) {
      const std::string why = sys_error();
      ::close(fd);
      throw IndexError("cannot finish the rebuild of " + f.dir + ": cannot rename " + f.building + ": " + why);
    }
    sync_folder(f.parent);
    finish_swap(f, m, notes);
    notes.push_back("finished the rebuild of " + f.dir + " that was interrupted during its swap");
  } else {
    // Building, or ready with the old index still in place: the old index stays, the new one goes.
    const std::vector<std::string> left = remove_index_files(f.building);
    if (left.empty())
      notes.push_back("removed an unfinished rebuild of " + f.dir + "; the index is as it was before it");
    else
      notes.push_back("removed quire's files from the unfinished rebuild " + f.building + "; left " +
                      describe_entries(f.building));
  }
  ::close(fd);
  return notes;
}

RebuildSwap::RebuildSwap(IndexFolders f) : f_(std::move(f)) {
  struct stat d {
  }, p{};
  if (::stat(f_.dir.c_str(), &d) == 0 && ::stat(f_.parent.c_str(), &p) == 0 && d.st_dev != p.st_dev)
    throw IndexError("cannot rebuild " + f_.dir +
                     ": it is a mount point, and a rebuild builds the new index beside it and swaps the two; "
                     "index into a folder inside it (--db " +
                     f_.dir + "/index)");
  if (exists(f_.aside))
    throw IndexError("cannot rebuild " + f_.dir + ": " + f_.aside + " is in the way (" + describe_entries(f_.aside) +
                     "); move it elsewhere");
  if (::mkdir(f_.building.c_str(), 0755) != 0) {
    if (errno == EEXIST) {
      // recover_index_folder() ran first: a folder with quire's marker still there is a rebuild running
      // now; one without is someone's files (what an older quire left of an old index that held them).
      if (!is_folder(f_.building))
        throw IndexError("cannot rebuild " + f_.dir + ": " + f_.building + " is in the way (" +
                         describe_entries(f_.building) + ", not quire's); move it elsewhere");
      if (read_marker(f_.building).present)
        throw IndexError("cannot rebuild " + f_.dir + ": another rebuild of it is running (" + f_.building +
                         " is in the way until it has finished)");
      throw IndexError("cannot rebuild " + f_.dir + ": " + f_.building + " is in the way: it holds " +
                       describe_entries(f_.building) +
                       ", which quire did not make. Move what you want to keep out of it and remove the folder, "
                       "then run the rebuild again");
    }
    throw IndexError("cannot rebuild " + f_.dir + ": cannot create " + f_.building + ": " + sys_error());
  }
  lock_fd_ = lock_folder(f_.building, std::chrono::milliseconds(0));
  const std::string marker = join(f_.building, fmt::kRebuildMarker);
  const int fd = lock_fd_ < 0 ? -1 : ::open(marker.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    const std::string why = sys_error();
    if (lock_fd_ >= 0) ::close(lock_fd_);
    ::rmdir(f_.building.c_str());
    throw IndexError("cannot rebuild " + f_.dir + ": cannot write " + marker + ": " + why);
  }
  try {
    write_all(fd, "quire rebuild of " + f_.dir + "\nstate building\n", marker);
  } catch (...) {
    ::close(fd);
    remove_index_files(f_.building);
    ::close(lock_fd_);
    throw;
  }
  ::fsync(fd);
  ::close(fd);
  sync_folder(f_.building);
  sync_folder(f_.parent);
}

RebuildSwap::~RebuildSwap() {
  if (!swapped_) remove_index_files(f_.building);
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

std::vector<std::string> RebuildSwap::swap() {
  std::vector<std::string> notes;
  struct stat old {};
  if (::stat(f_.dir.c_str(), &old) != 0) throw IndexError("cannot rebuild " + f_.dir + ": " + sys_error());
  std::ostringstream m;
  m << "quire rebuild of " << f_.dir << "\nstate ready\nold " << static_cast<unsigned long long>(old.st_dev) << " "
    << static_cast<unsigned long long>(old.st_ino) << "\n";
  write_file_durably(join(f_.building, fmt::kRebuildMarker), m.str());
  Marker marker;
  marker.present = marker.has_old = true;
  marker.old_dev = static_cast<unsigned long long>(old.st_dev);
  marker.old_ino = static_cast<unsigned long long>(old.st_ino);
  // One rename exchanges the two folders: readers see the old index or the new one, never neither.
  if (::renameat2(AT_FDCWD, f_.building.c_str(), AT_FDCWD, f_.dir.c_str(), RENAME_EXCHANGE) != 0) {
    if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
      throw IndexError("cannot swap the rebuilt index into " + f_.dir + ": " + sys_error() + " (" + f_.dir +
                       " is unchanged)");
    // A filesystem without the exchange: old aside, new in. A kill between the two is finished by
    // recover_index_folder().
    if (::rename(f_.dir.c_str(), f_.aside.c_str()) != 0)
      throw IndexError("cannot move " + f_.dir + " aside: " + sys_error() + " (" + f_.dir + " is unchanged)");
    if (::rename(f_.building.c_str(), f_.dir.c_str()) != 0) {
      const std::string why = sys_error();
      ::rename(f_.aside.c_str(), f_.dir.c_str());
      sync_folder(f_.parent);
      throw IndexError("cannot swap the rebuilt index into " + f_.dir + ": " + why + " (" + f_.dir + " is unchanged)");
    }
  }
  swapped_ = true;
  sync_folder(f_.parent);
  finish_swap(f_, marker, notes);
  return notes;
}

}  // namespace quire
