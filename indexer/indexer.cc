// The indexing driver: discovery, change detection, reading and writing. See indexer.h.
#include "quire/indexer.h"

#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <map>
#include <new>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <thread>
#include <tuple>

#include "pseudo_fs.h"
#include "quire/errors.h"
#include "quire/files.h"
#include "quire/index_format.h"
#include "quire/index_writer.h"
#include "quire/readers.h"
#include "quire/tokenizer.h"
#include "quire/utf8.h"

namespace quire {
namespace fs = std::filesystem;

namespace {

std::string absolute_path(const std::string& p) {
  std::error_code ec;
  fs::path a = fs::absolute(p, ec);
  return (ec ? fs::path(p) : a).lexically_normal().string();
}

// A file found under the inputs: its real path (symlinks resolved: the key of its state in the index),
// the path it was reached by relative to its input (what its document id is made from), its inode.
struct Found {
  std::string path;
  std::string logical;
  dev_t dev = 0;
  ino_t ino = 0;
  bool link = false;  ///< reached through a symlink (a path reached without one is preferred)
};

struct Discovery {
  std::vector<Found> files;              ///< sorted by path; one path may still share an inode with another
  std::vector<std::string> roots;        ///< real folders walked: the inputs and the symlinked folders in them
  std::vector<std::string> protect;      ///< folders not read (missing, unreadable): nothing under them is pruned
  std::vector<std::string> protect_why;  ///< for each, why
  std::vector<FileProblem> warnings;     ///< what was not walked or followed, and why
  bool interrupted = false;              ///< stopped by IndexOptions::stop before the walk was done
  std::size_t not_followed = 0;          ///< links (to files or folders) not followed, each in `warnings`
};

std::string real_path(const std::string& p) {
  std::error_code ec;
  const fs::path c = fs::canonical(p, ec);
  return ec ? absolute_path(p) : c.string();
}

// The first bytes of a file, for sniffing; "" when it cannot be read (the reader reports that later).
std::string file_head(const std::string& path) {
  std::string head(8192, '\0');
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return {};
  head.resize(std::fread(head.data(), 1, head.size(), f));
  std::fclose(f);
  return head;
}

bool inside(const std::string& path, const std::string& folder) {
  return path == folder || (path.size() > folder.size() && path.compare(0, folder.size(), folder) == 0 &&
                            (folder == "/" || path[folder.size()] == '/'));
}

bool stopped(const std::atomic<bool>* stop) { return stop != nullptr && stop->load(); }

// Walks one folder tree in name order: hidden entries skipped (counted), every folder that cannot be
// read reported and protected from pruning, every entry that cannot be looked at named with the
// reason. A symlinked folder is followed (after the real folders, once each: a link loop, or a link to
// a folder already walked, adds nothing, so a file is reached by its real path when it has one) only
// when its target is inside one of the folders given (`roots`, real paths); a link leading elsewhere
// (`ln -s / ~/Downloads/root`) is named and not followed. Pseudo file systems (/proc, /sys, /dev) are
// never walked. Returns false when `stop` was set: the walk ends between two entries.
bool walk(const std::string& root, const std::string& logical_root, const std::vector<std::string>& roots,
          const std::atomic<bool>* stop, Discovery& d, std::vector<FileProblem>& problems,
          std::set<std::pair<dev_t, ino_t>>& visited, std::map<std::string, std::size_t>& skipped) {
  struct Dir {
    std::string path, logical;
    bool link;
    bool top;  ///< the root, or a symlinked folder's target: a root for pruning
    dev_t parent_dev;
  };
  std::vector<Dir> stack = {{root, logical_root, false, true, 0}}, linked;
  while (!stack.empty() || !linked.empty()) {
    if (stopped(stop)) return false;
    if (stack.empty()) {
      stack.push_back(linked.front());
      linked.erase(linked.begin());
    }
    const Dir dir = stack.back();
    stack.pop_back();
    struct stat dst {};
    if (::stat(dir.path.c_str(), &dst) != 0) {
      problems.push_back({dir.path, std::string("cannot read folder: ") + std::strerror(errno) +
                                        " (documents indexed from it are kept)"});
      d.protect.push_back(dir.path);
      d.protect_why.push_back("could not be read (" + std::string(std::strerror(errno)) + ")");
      continue;
    }
    if (!visited.insert({dst.st_dev, dst.st_ino}).second) continue;  // walked already: reached twice
    if (dir.top || dst.st_dev != dir.parent_dev) {
      if (const std::string pseudo = pseudo_file_system(dir.top ? dir.path : real_path(dir.path)); !pseudo.empty()) {
        d.warnings.push_back({dir.path, "not walked: it is the " + pseudo +
                                            " pseudo file system, which holds the system's state, not documents"});
        continue;
      }
    }
    if (dir.top) d.roots.push_back(dir.path);
    std::error_code ec;
    std::vector<std::string> names;
    for (fs::directory_iterator it(dir.path, ec), end; !ec && it != end; it.increment(ec))
      names.push_back(it->path().filename().string());
    if (ec) {
      problems.push_back({dir.path, "cannot read folder: " + ec.message() + " (documents indexed from it are kept)"});
      d.protect.push_back(dir.path);
      d.protect_why.push_back("could not be read (" + ec.message() + ")");
      continue;
    }
    std::sort(names.begin(), names.end());
    std::vector<Dir> subdirs;
    for (const auto& name : names) {
      if (stopped(stop)) return false;
      if (name.size() > 1 && name[0] == '.') {
        ++skipped["(hidden)"];
        continue;
      }
      const std::string path = dir.path + "/" + name;
      const std::string rel = dir.logical.empty() ? name : dir.logical + "/" + name;
      struct stat lst {
      }, st{};
      if (::lstat(path.c_str(), &lst) != 0) {
        // Gone since the listing, or a path the system cannot take (longer than PATH_MAX): named.
        problems.push_back({path, std::string("cannot stat: ") + std::strerror(errno)});
        continue;
      }
      const bool link = S_ISLNK(lst.st_mode);
      if (::stat(path.c_str(), &st) != 0) {
        if (is_supported_extension(name) || !link)
          problems.push_back({path, std::string("cannot open: ") + std::strerror(errno)});
        else {
          const std::string err = std::strerror(errno);
          d.warnings.push_back({path, "not followed: a link that leads nowhere (" + err + ")"});
          // A folder moved to a drive and replaced by a link, the drive unmounted: what was indexed
          // from under the link is kept.
          d.protect.push_back(path);
          d.protect_why.push_back("is a link that leads nowhere (unmounted drive?) (" + err + ")");
        }
        continue;
      }
      if (link && !S_ISDIR(st.st_mode)) {
        // A file link, by the rule of folder links: read only when its target lies inside a folder
        // given (an unpacked archive's `notes.txt -> ~/.ssh/id_rsa` or `-> /etc/shadow` would put the
        // secret in an index that is then shared); never into a pseudo file system, whatever the roots.
        const std::string target = real_path(path);
        if (const std::string pseudo = pseudo_file_system(target); !pseudo.empty()) {
          d.warnings.push_back({path, "not followed: a link to the file " + target + ", in the " + pseudo +
                                          " pseudo file system, which holds the system's state, not documents"});
          ++d.not_followed;
          continue;
        }
        if (!std::any_of(roots.begin(), roots.end(), [&target](const std::string& r) { return inside(target, r); })) {
          d.warnings.push_back({path, "not followed: a link to the file " + target +
                                          ", outside the folders given (name it on the command line to index it)"});
          ++d.not_followed;
          continue;
        }
      }
      if (S_ISDIR(st.st_mode)) {
        // A Xapian database (this index, kept beside the documents, or another) holds no documents.
        if (fs::exists(path + "/iamglass", ec) || fs::exists(path + "/iamchert", ec)) {
          d.warnings.push_back({path, "not walked: it is a Xapian database (an index), not documents"});
          continue;
        }
        if (link) {
          const std::string target = real_path(path);
          const bool within =
              std::any_of(roots.begin(), roots.end(), [&target](const std::string& r) { return inside(target, r); });
          if (!within) {
            d.warnings.push_back({path, "not followed: a link to the folder " + target +
                                            ", outside the folders given (name it on the command line to index it)"});
            ++d.not_followed;
            d.protect.push_back(path);
            d.protect_why.push_back("is a link quire does not follow (to " + target + ", outside the folders given)");
            continue;
          }
          linked.push_back({target, rel, true, true, 0});
        } else {
          subdirs.push_back({path, rel, dir.link, false, dst.st_dev});
        }
        continue;
      }
      if (!S_ISREG(st.st_mode)) {
        // Counted as every file is: under a name some reader claims it is seen and fails the
        // regular-file check below (so "indexed N of M" adds up); otherwise it is skipped.
        if (is_supported_extension(name))
          d.files.push_back({link ? real_path(path) : path, rel, st.st_dev, st.st_ino, link || dir.link});
        else
          ++skipped[file_extension(path)];
        continue;
      }
      // A known extension is enough; other files are opened to see whether they are PDFs or the like.
      if (!is_supported_extension(name) && !reader_for_folder_entry(ReaderRegistry::builtin(), path, file_head(path))) {
        ++skipped[file_extension(path)];
        continue;
      }
      d.files.push_back({link ? real_path(path) : path, rel, st.st_dev, st.st_ino, link || dir.link});
    }
    stack.insert(stack.end(), subdirs.rbegin(), subdirs.rend());
  }
  return true;
}

// The files to consider. Named files are always taken; folders are walked (walk()). Returns with
// `interrupted` set when `stop` was set during the walk.
Discovery discover(const std::vector<std::string>& inputs, std::vector<FileProblem>& problems,
                   std::map<std::string, std::size_t>& skipped, const std::atomic<bool>* stop = nullptr) {
  Discovery d;
  std::set<std::pair<dev_t, ino_t>> visited;
  std::vector<std::string> roots;  // the folders given, as real paths: where a symlinked folder may lead
  for (const auto& input : inputs) {
    struct stat st {};
    if (::stat(input.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) roots.push_back(real_path(input));
  }
  for (const auto& input : inputs) {
    struct stat st {};
    if (::stat(input.c_str(), &st) != 0) {
      // ELOOP and EACCES say more than "not found". A root that is gone (an unmounted drive, a typo)
      // keeps what was indexed from it.
      const int err = errno;
      problems.push_back({input, err == ENOENT ? "no such file or folder (documents indexed from it are kept)"
                                               : std::string("cannot open: ") + std::strerror(err)});
      std::error_code ec;
      const std::string why = err == ENOENT ? "is missing (an unmounted drive?)" : "could not be read";
      d.protect.push_back(fs::weakly_canonical(absolute_path(input), ec).string());
      d.protect.push_back(absolute_path(input));
      d.protect_why.insert(d.protect_why.end(), 2, why);
      continue;
    }
    const std::string real = real_path(input);
    if (S_ISDIR(st.st_mode)) {
      if (!walk(real, "", roots, stop, d, problems, visited, skipped)) {
        d.interrupted = true;
        return d;
      }
    } else {
      // A file named is read wherever it is (the user named it), but not when a link leads from the
      // name into a pseudo file system (a name that looks like a document, resolving to /proc/kmsg).
      if (const std::string pseudo = pseudo_file_system(real); !pseudo.empty() && real != absolute_path(input)) {
        d.warnings.push_back({input, "not followed: a link to the file " + real + ", in the " + pseudo +
                                         " pseudo file system, which holds the system's state, not documents"});
        ++d.not_followed;
        continue;
      }
      d.files.push_back({real, fs::path(input).filename().string(), st.st_dev, st.st_ino});
    }
  }
  // In path order; of the paths to one file, the one reached without a symlink, else the first by name.
  std::stable_sort(d.files.begin(), d.files.end(), [](const Found& a, const Found& b) {
    return std::tie(a.path, a.link, a.logical) < std::tie(b.path, b.link, b.logical);
  });
  d.files.erase(
      std::unique(d.files.begin(), d.files.end(), [](const Found& a, const Found& b) { return a.path == b.path; }),
      d.files.end());
  return d;
}

bool is_xml(const std::string& path) {
  const std::size_t dot = path.find_last_of('.');
  if (dot == std::string::npos || path.find('/', dot) != std::string::npos) return false;
  std::string ext = path.substr(dot + 1);
  for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext == "xml";
}

// The id a new text file's document gets: the path it was reached by under its input folder, without
// its extension ("2023/report" for 2023/report.txt), as id_from_name() makes it (valid UTF-8, white
// space, Unicode spaces and control characters as "_", bidi controls removed: one field in TREC and
// TSV output, the same id in every output, rt11h rows 4, 7) and at most 200 bytes. `taken`
// says whether an id is in use; then the extension is kept ("2023/report.md"), then "~2", "~3", ...
std::string derive_id(const std::string& logical, const std::function<bool(const std::string&)>& taken) {
  const std::string text = id_from_name(logical);
  const std::size_t slash = text.find_last_of('/');
  const std::size_t dot = text.find_last_of('.');
  const bool has_ext = dot != std::string::npos && (slash == std::string::npos || dot > slash + 1);
  const std::string base = has_ext ? text.substr(0, dot) : text;
  const auto fit = [&logical](std::string id) {
    if (id.size() <= 200) return id;
    std::size_t cut = 180;
    while (cut > 0 && (static_cast<unsigned char>(id[cut]) & 0xC0) == 0x80) --cut;
    return id.substr(0, cut) + "~" + content_hash(logical).substr(0, 8);
  };
  const std::string first = fit(base), second = fit(text);
  if (!taken(first)) return first;
  if (!taken(second)) return second;
  for (int n = 2;; ++n) {
    const std::string id = fit(text) + "~" + std::to_string(n);
    if (!taken(id)) return id;
  }
}

// What of a document's metadata is indexed, as one string, so a change to it is noticed.
std::string meta_key(const DocumentMeta& m) {
  std::string k = m.title + '\x1f' + m.date + '\x1f' + m.publisher;
  for (const auto& a : m.authors) k += '\x1f' + a;
  return k;
}

std::string fingerprint(const MetadataFields& fields) {
  if (fields.empty()) return "";
  std::string all;
  for (const auto& [k, v] : fields) all.append(k).append(1, '\x1f').append(v).append(1, '\x1e');
  return content_hash(all);
}

// Catalogue "by" values as actor ids, read in the document's year: a code held that year ("RUS" in
// 1965 is the Soviet Union), else an id, name or alias of the gazetteer; a value it does not know, or
// that could mean several actors, is kept as "~value".
void resolve_by(const Tagger& tagger, DocumentMeta& meta) {
  for (auto& v : meta.by) {
    std::vector<Resolution> r = tagger.gazetteer().resolve_on(v, meta.date);
    // With no date, a code that changed holder is today's holder, the one with no end (DEU is
    // Germany), as the text's names are the ones with no end year.
    if (r.size() > 1 && meta.date.empty()) {
      std::vector<Resolution> open;
      for (const auto& x : r)
        if (x.to == 0) open.push_back(x);
      if (open.size() == 1) r = open;
    }
    if (r.size() == 1)
      v = r[0].id;
    else
      v.insert(0, 1, '~');
  }
}

// The checks every document's metadata passes, whatever it was read from: a date that exists, fields
// of bounded size. What is dropped or cut is added to `warnings`.
void checked_metadata(DocumentMeta& meta, std::vector<std::string>& warnings) {
  if (!meta.date.empty()) {
    if (std::string why = date_problem(meta.date); !why.empty()) {
      warnings.push_back(why + "; the document is indexed without a date");
      meta.date.clear();
    }
  }
  for (auto& w : bound_fields(meta)) warnings.push_back(std::move(w));
}

// The people a file's catalogue fields name: its authors (a speech's speaker), affiliated with the actor
// the file is by, in the file's year.
void add_people(const Tagger& tagger, const MetadataFields& fields, std::vector<CataloguePerson>& out) {
  int year = 0;
  std::string by;
  std::vector<std::string> authors;
  for (const auto& [k, v] : fields) {
    if (k == "date" && v.size() >= 4) year = std::atoi(v.substr(0, 4).c_str());
    if (k == "by" && by.empty()) by = v.substr(0, v.find(';'));
    if (k == "author") {
      std::size_t start = 0;
      while (start <= v.size()) {
        std::size_t semi = v.find(';', start);
        if (semi == std::string::npos) semi = v.size();
        if (std::string a = collapse_space(v.substr(start, semi - start)); !a.empty()) authors.push_back(a);
        start = semi + 1;
      }
    }
  }
  std::string affiliation;
  if (!by.empty()) {
    const auto r = tagger.gazetteer().resolve_at(collapse_space(by), year);
    if (r.size() == 1) affiliation = r[0].id;
  }
  for (auto& a : authors) out.push_back({std::move(a), affiliation, year, year});
}

// The same person named by several files of one year, once.
std::vector<CataloguePerson> merge_people(const std::vector<CataloguePerson>& people) {
  std::map<std::tuple<std::string, std::string, int, int>, CataloguePerson> once;
  for (const auto& p : people) once.emplace(std::make_tuple(p.name, p.affiliation, p.from, p.to), p);
  std::vector<CataloguePerson> out;
  for (auto& [key, p] : once) out.push_back(std::move(p));
  return out;
}

std::string people_json(const std::vector<CataloguePerson>& people) {
  nlohmann::json j = nlohmann::json::array();
  for (const auto& p : people)
    j.push_back({{"name", p.name}, {"affiliation", p.affiliation}, {"from", p.from}, {"to", p.to}});
  return j.dump();
}

bool under_any(const std::string& path, const std::vector<std::string>& roots) {
  for (const auto& r : roots) {
    if (path == r) return true;
    const std::string dir = r.back() == '/' ? r : r + "/";
    if (path.compare(0, dir.size(), dir) == 0) return true;
  }
  return false;
}

}  // namespace

std::string skipped_line(const std::vector<std::pair<std::string, std::size_t>>& skipped) {
  std::size_t total = 0;
  std::string parts;
  for (const auto& [ext, n] : skipped) {
    total += n;
    const std::string what = ext.empty()         ? std::string("(no extension)")
                             : ext == "(hidden)" ? std::string("hidden (a name starting with '.')")
                                                 : "." + ext;
    parts += (parts.empty() ? "" : ", ") + what + " " + std::to_string(n);
  }
  return total == 0 ? "" : "skipped " + std::to_string(total) + ": " + parts;
}

namespace {

// One file to read, tag and prepare, and what came of it.
struct Job {
  std::string path;
  FileState state;  ///< size, mtime and metadata fingerprint; the rest is filled by prepare()
  std::optional<FileState> old;
  MetadataFields fields;
  bool text = false;       ///< not XML: the document id is quire's to give
  std::string derived_id;  ///< a text file's id when it is new (derive_id)
  /// Content hash -> id of a document whose file vanished: a new text file with that content is the
  /// same document, moved.
  const std::map<std::string, std::string>* moved = nullptr;

  enum Outcome { kPending, kFailed, kSameContent, kReady } outcome = kPending;
  std::string failure;
  std::exception_ptr error;  ///< anything other than an InputError, rethrown by the writer
  DocumentMeta meta;
  std::vector<std::string> warnings;
  std::size_t bytes = 0;
  std::size_t passages = 0;
  PreparedFile prepared;
};

// Everything that does not touch the index: read, clean, split, tag and make the index documents.
void prepare(Job& job, const IndexOptions& options) {
  try {
    std::string bytes = read_file_bytes(job.path, options.max_file_bytes);
    job.state.hash = content_hash(bytes);
    job.bytes = bytes.size();
    if (job.old && job.old->hash == job.state.hash && job.old->meta == job.state.meta) {
      job.outcome = Job::kSameContent;
      return;
    }
    ReadResult r = ReaderRegistry::builtin().read(job.path, bytes, options.read);
    std::string().swap(bytes);  // from here on, a file's memory is its text once (rt11j row 2)
    Document& doc = r.document;
    doc.meta.path = path_text(job.path);
    if (job.text) {
      doc.meta.id = job.old ? job.old->doc_id : job.derived_id;
      if (!job.old && job.moved)
        if (auto m = job.moved->find(job.state.hash); m != job.moved->end()) doc.meta.id = m->second;
      // The reader named the id it would give; the one stored is this (line breaks as "_", the path).
      for (auto& w : r.warnings)
        if (is_not_utf8_name_warning(w)) w = not_utf8_name_warning(doc.meta.id);
    }
    for (auto& w : apply_fields(job.fields, doc.meta))
      r.warnings.push_back(options.metadata->path() + ": " + w + "; the field is left out");
    // Fields filled from a file name ({name}, {stem}) may hold C1 controls too (a UTF-8 name made from
    // Latin-1): read as ReaderRegistry::read() reads the reader's (document.h).
    if (!job.fields.empty()) c1_as_cp1252(doc);
    checked_metadata(doc.meta, r.warnings);
    if (options.tagger) resolve_by(*options.tagger, doc.meta);
    std::vector<Passage> passages = split_passages(doc, options.split);
    std::vector<Section>().swap(doc.sections);  // the passages hold the text now
    std::vector<PassageTags> tags;
    if (options.tagger) {
      std::vector<std::string> texts, sections;
      texts.reserve(passages.size());
      for (const auto& ps : passages) {
        texts.push_back(ps.text);
        sections.push_back(ps.section);
      }
      tags = options.tagger->tag_document_on(texts, date_problem(doc.meta.date).empty() ? doc.meta.date : "", sections);
    }
    job.state.doc_id = doc.meta.id;
    job.state.passages = static_cast<int>(passages.size());
    job.passages = passages.size();
    job.prepared = prepare_file(doc.meta, std::move(passages), std::move(tags));
    job.meta = std::move(doc.meta);
    job.warnings = std::move(r.warnings);
    job.outcome = Job::kReady;
  } catch (const InputError& e) {
    job.outcome = Job::kFailed;
    job.failure = e.line() > 0 ? "line " + std::to_string(e.line()) + ": " + e.reason() : e.reason();
  } catch (const std::bad_alloc&) {
    job.outcome = Job::kFailed;
    job.failure = "not enough memory to index it";
  } catch (const std::exception& e) {
    // Whatever else one file brings about (a library's error on strange text) is that file's failure.
    job.outcome = Job::kFailed;
    job.failure = std::string("cannot be indexed: ") + e.what();
  } catch (...) {
    job.outcome = Job::kFailed;
    job.failure = "cannot be indexed: unknown error";
  }
}

// Runs prepare() on worker threads, ahead of the writer but never more than `window` jobs ahead, and
// hands the jobs back in their order.
class Pipeline {
 public:
  Pipeline(std::vector<Job>& jobs, const IndexOptions& options, unsigned threads, std::size_t window)
      : jobs_(jobs), options_(options), window_(window) {
    for (unsigned i = 0; i < threads; ++i) workers_.emplace_back([this] { work(); });
  }
  ~Pipeline() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      quit_ = true;
    }
    more_.notify_all();
    for (auto& w : workers_) w.join();
  }
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;

  /// Waits for job `i` to be prepared and lets the workers move on past it.
  Job& take(std::size_t i) {
    std::unique_lock<std::mutex> lock(mu_);
    done_cv_.wait(lock, [&] { return jobs_[i].outcome != Job::kPending; });
    taken_ = i + 1;
    more_.notify_all();
    return jobs_[i];
  }

 private:
  void work() {
    for (;;) {
      std::size_t i;
      {
        std::unique_lock<std::mutex> lock(mu_);
        more_.wait(lock, [&] { return quit_ || (next_ < jobs_.size() && next_ < taken_ + window_); });
        if (quit_) return;
        i = next_++;
      }
      Job local;
      local.path = jobs_[i].path;
      local.state = jobs_[i].state;
      local.old = jobs_[i].old;
      local.fields = jobs_[i].fields;
      local.text = jobs_[i].text;
      local.derived_id = jobs_[i].derived_id;
      local.moved = jobs_[i].moved;
      prepare(local, options_);
      {
        std::lock_guard<std::mutex> lock(mu_);
        jobs_[i] = std::move(local);
      }
      done_cv_.notify_all();
    }
  }

  std::vector<Job>& jobs_;
  const IndexOptions& options_;
  const std::size_t window_;
  std::mutex mu_;
  std::condition_variable more_, done_cv_;
  std::size_t next_ = 0, taken_ = 0;
  bool quit_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace

namespace {

// Why a file indexed before and not found now must not be pruned, or "" when it is gone for good.
// Gone means its path no longer exists (ENOENT) below a folder that is not empty: a folder that is
// empty now may be a mount point whose drive is not mounted, and a path that cannot be checked
// (permission denied) may still be there. `folder` is set to the folder to name in the report.
std::string keep_reason(const std::string& path, const std::vector<std::string>& protect,
                        const std::vector<std::string>& protect_why, std::string& folder) {
  for (std::size_t i = 0; i < protect.size(); ++i) {
    if (under_any(path, {protect[i]})) {
      folder = protect[i];
      return protect_why[i];
    }
  }
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0) return "";  // still there: not gone (never pruned here)
  if (errno != ENOENT && errno != ENOTDIR) {
    folder = fs::path(path).parent_path().string();
    return std::string("cannot be checked (") + std::strerror(errno) + ")";
  }
  fs::path up = fs::path(path).parent_path();
  while (!up.empty() && up != up.root_path()) {
    if (::lstat(up.c_str(), &st) == 0) break;
    if (errno != ENOENT && errno != ENOTDIR) {
      folder = up.string();
      return std::string("cannot be checked (") + std::strerror(errno) + ")";
    }
    up = up.parent_path();
  }
  // The nearest thing still there on the way must be a real folder quire can read, reached without a
  // link (the paths indexed are real paths): a folder moved to a drive and replaced by a link, a link
  // that leads nowhere (the drive unmounted), a link loop or a folder that cannot be read hide what is
  // under them, and a document quire cannot see is not a document gone.
  if (up.empty() || ::lstat(up.c_str(), &st) != 0) {
    folder = up.string();
    return std::string("cannot be checked (") + std::strerror(errno) + ")";
  }
  folder = up.string();
  if (S_ISLNK(st.st_mode)) {
    struct stat target {};
    if (::stat(up.c_str(), &target) != 0)
      return std::string("is a link that leads nowhere (unmounted drive?) (") + std::strerror(errno) + ")";
    return "is a link now, which quire does not follow for documents indexed from a folder there";
  }
  char* resolved = ::realpath(up.c_str(), nullptr);
  const std::string real = resolved ? resolved : "";
  std::free(resolved);
  if (real.empty()) return std::string("cannot be checked (") + std::strerror(errno) + ")";
  if (real != up.string()) return "is reached through a link now (" + real + "), which quire does not follow here";
  if (!S_ISDIR(st.st_mode)) {
    folder.clear();
    return "gone";  // a folder replaced by a file: what was in it is gone
  }
  if (::access(up.c_str(), R_OK | X_OK) != 0) return std::string("cannot be read (") + std::strerror(errno) + ")";
  std::error_code ec;
  if (fs::is_empty(up, ec) || ec)
    return ec ? "cannot be read (" + ec.message() + ")" : "is empty now (an unmounted drive?)";
  folder.clear();
  return "gone";
}

bool same_inode(const std::string& a, const std::string& b) {
  struct stat sa {
  }, sb{};
  return ::stat(a.c_str(), &sa) == 0 && ::stat(b.c_str(), &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

}  // namespace

namespace {

// A rebuild replaces the index with what the paths hold now, so a path that is missing, unreadable or
// an empty folder (an unmounted drive, a typo, an unset "$VARIABLE") would empty the index of
// everything indexed from it. --prune keeps those documents; a rebuild cannot, so it stops before it
// starts, and the index stays as it was. Throws IndexError naming the path and the reason.
void refuse_partial_rebuild(const std::string& db, const std::vector<std::string>& inputs, const Discovery& found) {
  const auto refuse = [&db](const std::string& path, const std::string& why) {
    throw IndexError("cannot rebuild " + db + ": " + (path.empty() ? std::string("an empty path") : path) + " " + why +
                     ", and a rebuild would drop every document indexed from it; the index is as it was "
                     "(name only paths that are there, or index without --rebuild)");
  };
  for (std::size_t i = 0; i < found.protect.size(); ++i) refuse(found.protect[i], found.protect_why[i]);
  for (const auto& input : inputs) {
    std::error_code ec;
    if (fs::is_directory(input, ec) && fs::is_empty(input, ec) && !ec)
      refuse(input, "is an empty folder (an unmounted drive?)");
  }
}

}  // namespace

IndexSummary index_paths(const std::vector<std::string>& inputs, const IndexOptions& given,
                         const std::function<void(const IndexProgress&)>& progress) {
  IndexOptions options = given;  // its tagger gains the catalogue's people below
  const auto t0 = std::chrono::steady_clock::now();
  const auto elapsed = [&t0] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); };
  IndexSummary summary;
  IndexWriter writer(options.db_path, options.rebuild, options.shards);
  std::map<std::string, std::size_t> skipped;
  Discovery found = discover(inputs, summary.failures, skipped, options.stop);
  std::size_t discovery_file_failures = 0;
  for (const auto& f : summary.failures)
    if (f.reason.rfind("cannot open", 0) == 0 || f.reason.rfind("cannot stat", 0) == 0) ++discovery_file_failures;
  summary.warnings.insert(summary.warnings.end(), found.warnings.begin(), found.warnings.end());
  summary.not_followed = found.not_followed;
  if (found.interrupted) {
    // Stopped while looking for files: nothing was read, nothing is written or pruned.
    summary.interrupted = true;
    summary.seconds = elapsed();
    return summary;
  }
  if (options.rebuild) refuse_partial_rebuild(options.db_path, inputs, found);
  summary.skipped.assign(skipped.begin(), skipped.end());
  std::stable_sort(summary.skipped.begin(), summary.skipped.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  const auto fail = [&summary](const std::string& path, std::string reason) {
    summary.failures.push_back({path, std::move(reason)});
  };

  // One file reached by two paths (hard links) is indexed once: by the path the index knows, else the first.
  {
    std::map<std::pair<dev_t, ino_t>, std::size_t> first;
    std::vector<bool> drop(found.files.size(), false);
    for (std::size_t i = 0; i < found.files.size(); ++i) {
      auto [it, fresh] = first.try_emplace({found.files[i].dev, found.files[i].ino}, i);
      if (fresh) continue;
      std::size_t keep = it->second, other = i;
      if (!writer.file_state(found.files[keep].path) && writer.file_state(found.files[other].path))
        std::swap(keep, other);
      it->second = keep;
      drop[other] = true;
      drop[keep] = false;
      summary.warnings.push_back(
          {found.files[other].path, "the same file as " + found.files[keep].path + " (a link): indexed once, as that"});
    }
    std::vector<Found> kept;
    for (std::size_t i = 0; i < found.files.size(); ++i)
      if (!drop[i]) kept.push_back(std::move(found.files[i]));
    found.files = std::move(kept);
  }
  // quire's own inputs inside a folder walked (the metadata map and its tables) are not documents:
  // reported and left out, wherever they lie and by whatever name (the same file by device and inode).
  if (options.metadata) {
    std::map<std::pair<dev_t, ino_t>, std::string> own;
    const std::vector<std::string> inputs_read = options.metadata->input_files();
    for (std::size_t i = 0; i < inputs_read.size(); ++i) {
      struct stat st {};
      if (::stat(inputs_read[i].c_str(), &st) == 0)
        own.emplace(std::pair{st.st_dev, st.st_ino}, i == 0 ? "the metadata map given with --metadata"
                                                            : "a table of the metadata map given with --metadata");
    }
    std::vector<Found> documents;
    for (auto& f : found.files) {
      if (auto it = own.find({f.dev, f.ino}); it != own.end()) {
        summary.warnings.push_back(
            {f.path, "not indexed: it is " + it->second + ", an input of quire, not a document"});
        continue;
      }
      documents.push_back(std::move(f));
    }
    found.files = std::move(documents);
  }
  std::set<std::string> present;
  for (const auto& f : found.files) present.insert(f.path);

  // Files indexed before, under the folders walked, that are not there now: gone for good (pruned with
  // --prune, and their documents may be taken over by the same content moved elsewhere), or kept.
  std::map<std::string, std::string> moved_id_by_hash;
  std::set<std::string> gone, movable;          // movable: gone, or under a folder that is empty now
  std::map<std::string, std::string> gone_ids;  // id -> path, of the documents of the movable files
  std::map<std::string, std::string> suspect;   // path -> the empty folder it was in
  std::map<std::string, std::pair<std::string, std::size_t>> kept_folders;  // folder -> reason, count
  for (const auto& path : writer.indexed_files()) {
    if (present.count(path) || (!under_any(path, found.roots) && !under_any(path, found.protect))) continue;
    std::string folder;
    const std::string why = keep_reason(path, found.protect, found.protect_why, folder);
    if (why.empty()) continue;
    const bool empty_folder = why.rfind("is empty now", 0) == 0;
    if (why == "gone" || empty_folder) {
      // A file of the same content found elsewhere is this document, moved: it takes the document over
      // (nothing is removed). Only a document nothing took over is pruned, and never from a folder
      // that is empty now.
      movable.insert(path);
      if (auto st = writer.file_state(path)) {
        gone_ids.emplace(st->doc_id, path);
        if (!st->hash.empty() && !moved_id_by_hash.count(st->hash)) moved_id_by_hash[st->hash] = st->doc_id;
      }
    }
    if (why == "gone") {
      gone.insert(path);
    } else {
      if (empty_folder) suspect[path] = folder;
      auto& k = kept_folders[folder];
      k.first = why;
      ++k.second;
    }
  }

  // A document's id is stable: the ids the saved collections hold are never given to another file (a
  // document that is gone keeps its id there, and is shown as gone), and a rebuild carries each file's
  // id over from the old index by its path, a file moved (the same content, elsewhere) keeping its
  // document's, so no id depends on the order the files are met in (rt11i row 1).
  const std::set<std::string> held = writer.collection_ids();
  std::map<std::string, std::string> carried;  // rebuild: path -> the id it had in the old index
  std::set<std::string> carried_ids;
  const std::map<std::string, FileState> before = options.rebuild ? writer.states_before() : std::map<std::string, FileState>{};
  if (options.rebuild) {
    for (auto& [path, st] : before) {
      // An id made under older rules (a control character, a bidi override) is not carried over: the
      // rebuild is how such an index gets today's ids (id_from_name(); an XML file's id is its own).
      const bool current = is_xml(path) || id_from_name(st.doc_id) == st.doc_id;
      if (present.count(path)) {
        carried_ids.insert(st.doc_id);
        if (current) carried.emplace(path, st.doc_id);
      } else {
        gone_ids.emplace(st.doc_id, path);
        if (current && !st.hash.empty() && !moved_id_by_hash.count(st.hash)) moved_id_by_hash[st.hash] = st.doc_id;
      }
    }
    // A document whose file stays carries its id; only a gone one's may move to the same content elsewhere.
    for (auto it = moved_id_by_hash.begin(); it != moved_id_by_hash.end();)
      it = carried_ids.count(it->second) ? moved_id_by_hash.erase(it) : std::next(it);
  }

  // The ids of documents removed before (pruned, or left out of a rebuild), by their files' paths
  // (rt11j row 3). A new file at such a path (restored, or restored and edited) takes the id back, and
  // so does a file of the same bytes elsewhere (restored into another folder: moved across the prune),
  // unless a document indexed now holds it; no other new file is given a recorded id.
  const std::map<std::string, RemovedId> removed = writer.removed_ids();
  std::set<std::string> recorded, restoring;  // every recorded id; those of records whose path is back
  for (const auto& [path, r] : removed) {
    recorded.insert(r.doc_id);
    if (present.count(path)) restoring.insert(r.doc_id);
  }
  const auto id_free = [&](const std::string& id) {
    return !carried_ids.count(id) && !writer.path_of_document(id).has_value();
  };
  for (const auto& [path, r] : removed)
    if (!present.count(path) && !r.hash.empty() && !restoring.count(r.doc_id) && !moved_id_by_hash.count(r.hash) &&
        id_free(r.doc_id))
      moved_id_by_hash[r.hash] = r.doc_id;

  // "indexed N of M files (K failed)" adds up: a file met in the walk that could not be opened (a
  // dangling link, a file gone since the listing) is one of the M, as it is one of the K.
  summary.files_seen = found.files.size() + discovery_file_failures;
  IndexProgress p;
  p.files_total = found.files.size();
  const auto file_done = [&] {
    ++p.files_done;
    p.passages = summary.passages;
    p.seconds = elapsed();
    if (progress) progress(p);
  };

  // First the cheap checks, in order: what is gone, too large or unchanged needs no reading.
  std::vector<Job> jobs;
  std::vector<CataloguePerson> people;  // every file's, changed or not, so the set is the same either way
  std::set<std::string> reserved;       // ids given to new files in this run
  for (const auto& f : found.files) {
    const std::string& path = f.path;
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
      fail(path, std::string("cannot stat: ") + std::strerror(errno));
      file_done();
      continue;
    }
    // Reading a FIFO would wait for a writer forever; devices and sockets are not documents either.
    if (!S_ISREG(st.st_mode)) {
      fail(path, "not a regular file: it is " + file_kind(st.st_mode) + "; quire reads only regular files");
      file_done();
      continue;
    }
    Job job;
    job.path = path;
    job.state.size = static_cast<std::uint64_t>(st.st_size);
    if (job.state.size > options.max_file_bytes) {
      char size[32];
      std::snprintf(size, sizeof size, "%.1f", static_cast<double>(job.state.size) / (1 << 20));
      fail(path, std::string("file is ") + size + " MB; the limit is " + std::to_string(options.max_file_bytes >> 20) +
                     " MB (--max-file-mb)");
      file_done();
      continue;
    }
    job.state.mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
    // The change time cannot be set back by touch -r or cp -p, and a new inode is a new file: either
    // makes quire read the file again (and re-index it only if its bytes changed).
    job.state.ctime_ns = static_cast<std::int64_t>(st.st_ctim.tv_sec) * 1000000000 + st.st_ctim.tv_nsec;
    job.state.inode = static_cast<std::uint64_t>(st.st_ino);
    job.fields = options.metadata ? options.metadata->fields_for(path) : MetadataFields{};
    job.state.meta = fingerprint(job.fields);
    if (options.tagger) add_people(*options.tagger, job.fields, people);
    job.old = writer.file_state(path);
    if (job.old && job.old->size == job.state.size && job.old->mtime_ns == job.state.mtime_ns &&
        job.old->ctime_ns == job.state.ctime_ns && job.old->inode == job.state.inode &&
        job.old->meta == job.state.meta) {
      ++summary.unchanged;
      file_done();
      continue;
    }
    job.text = !is_xml(path);
    const auto r = removed.find(path);
    if (auto c = carried.find(path); job.text && !job.old && c != carried.end()) {
      job.derived_id = c->second;
    } else if (job.text && !job.old && r != removed.end() && !reserved.count(r->second.doc_id) &&
               id_free(r->second.doc_id)) {
      // Restored at its path: its id back, whatever its bytes are now.
      job.derived_id = r->second.doc_id;
      reserved.insert(job.derived_id);
    } else if (job.text && !job.old) {
      // A new file's id is free: not given in this run, carried over, held by a document still indexed,
      // by a collection or by the record of a removed document. A gone file's id goes only to a file of its name (its folder moved).
      job.derived_id = derive_id(f.logical, [&](const std::string& id) {
        if (reserved.count(id) || carried_ids.count(id)) return true;
        if (auto g = gone_ids.find(id); g != gone_ids.end())
          return fs::path(g->second).filename() != fs::path(path).filename();
        // Any other document's: this file has none yet (a record's path is the name made UTF-8, so a
        // Latin-1 caf\xe9.txt and a UTF-8 café.txt look alike there: rt11i rows 1, 4).
        return writer.path_of_document(id).has_value() || held.count(id) > 0 || recorded.count(id) > 0;
      });
      reserved.insert(job.derived_id);
      job.moved = &moved_id_by_hash;
    }
    jobs.push_back(std::move(job));
  }

  // The catalogue's people become person actors of this index: for tagging here, and for the searcher.
  std::optional<Tagger> with_people;
  people = merge_people(people);
  if (options.tagger && !people.empty()) {
    with_people.emplace(options.tagger->with_people(people));
    options.tagger = &*with_people;
    writer.set_people(people_json(people));
  }

  // Then reading, tagging and making documents on every core, while this thread writes them in order.
  // Files are handed back in order, so the index does not depend on the number of threads.
  std::size_t since_commit = 0;
  {
    const unsigned threads = std::max(1u, std::min(options.threads, static_cast<unsigned>(jobs.size())));
    Pipeline pipeline(jobs, options, jobs.empty() ? 0 : threads, 4 * static_cast<std::size_t>(threads) + 4);
    for (std::size_t i = 0; i < jobs.size(); ++i) {
      if (options.stop && options.stop->load()) {
        summary.interrupted = true;
        break;
      }
      Job& job = pipeline.take(i);
      if (job.error) std::rethrow_exception(job.error);
      summary.bytes += job.bytes;
      std::optional<std::string> owner;
      if (job.outcome == Job::kReady) {
        owner = writer.path_of_document(job.meta.id);
        if (owner && *owner != job.path && !movable.count(*owner) && job.text && !job.old &&
            job.meta.id != job.derived_id) {
          // The moved document was taken by an earlier copy of the same content: this one is new.
          Job again;
          again.path = job.path;
          again.state = job.state;
          again.fields = job.fields;
          again.text = true;
          again.derived_id = job.derived_id;
          prepare(again, options);
          if (again.error) std::rethrow_exception(again.error);
          job = std::move(again);
          owner = job.outcome == Job::kReady ? writer.path_of_document(job.meta.id) : std::nullopt;
        }
      }
      if (job.outcome == Job::kFailed) {
        fail(job.path, job.failure);
      } else if (job.outcome == Job::kSameContent) {
        job.state.doc_id = job.old->doc_id;
        job.state.passages = job.old->passages;
        writer.update_file_state(job.path, job.state);
        ++summary.unchanged;
      } else if (const bool own = owner && job.old && job.old->doc_id == job.meta.id;
                 owner && !own && !movable.count(*owner) && !same_inode(*owner, job.path)) {
        fail(job.path,
             "duplicate document id \"" + job.meta.id + "\" (already indexed from " + path_text(*owner) + ")");
      } else {
        if (owner && !own) {
          // The document's file moved here (or is the same file by another path): it keeps its id and
          // its place in collections; the old path's record goes in the same commit.
          writer.remove_file(*owner, false);
          gone.erase(*owner);
          if (auto k = suspect.find(*owner); k != suspect.end()) {
            if (--kept_folders[k->second].second == 0) kept_folders.erase(k->second);
            suspect.erase(k);
          }
          movable.erase(*owner);
          ++summary.moved;
        }
        try {
          writer.replace_file(job.path, job.state, job.meta, std::move(job.prepared));
        } catch (const std::bad_alloc&) {  // the writer is failed now: the run stops at its last commit
          throw IndexError("cannot index " + path_text(job.path) +
                           ": out of memory while writing its passages (the index keeps its last commit; "
                           "index the other files without it, or with more memory)");
        }
        for (const auto& w : job.warnings) summary.warnings.push_back({job.path, w});
        ++summary.indexed;
        summary.passages += job.passages;
        since_commit += job.passages;
        if (since_commit >= options.commit_every_passages) {
          writer.commit();
          since_commit = 0;
        }
      }
      job = Job{};  // the documents are in the index now; free them
      file_done();
    }
  }

  if (summary.interrupted) {
    // A rebuild stopped half way is abandoned (the old index stays); other runs keep what is finished.
    if (!options.rebuild) summary.notes = writer.finish();
    summary.seconds = elapsed();
    return summary;
  }
  if (options.prune)
    for (const auto& [folder, k] : kept_folders)
      summary.kept.push_back({folder, k.first + "; " + std::to_string(k.second) + " indexed document(s) from it kept"});
  for (const auto& path : gone) {
    if (!options.prune) {
      ++summary.vanished;
      continue;
    }
    // Ctrl-C during pruning: each removal is whole (passages, metadata and state in one transaction),
    // and what was removed is committed.
    if (options.stop && options.stop->load()) {
      summary.interrupted = true;
      break;
    }
    writer.remove_file(path);
    ++summary.removed;
  }
  if (summary.interrupted && options.rebuild) {
    summary.seconds = elapsed();
    return summary;
  }
  if (options.rebuild) {
    // The new index keeps the old one's records of removed ids, and records the files the rebuild left
    // out (gone, and not moved: no document holds the id); none for a path indexed now.
    for (const auto& [path, r] : removed) writer.record_removed(path, r);
    for (const auto& [path, st] : before)
      if (!present.count(path) && !writer.path_of_document(st.doc_id)) writer.record_removed(path, {st.doc_id, st.hash});
  }
  summary.notes = writer.finish();
  summary.seconds = elapsed();
  return summary;
}

IndexSummary index_documents(const std::vector<Document>& documents, const std::string& source,
                             const IndexOptions& options, const std::function<void(const IndexProgress&)>& progress) {
  const auto t0 = std::chrono::steady_clock::now();
  const auto elapsed = [&t0] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); };
  IndexSummary summary;
  IndexWriter writer(options.db_path, options.rebuild, options.shards);
  // A test collection's ids are its own ("899"): in an index with other documents they would collide,
  // and a rebuild would replace a library. So an import has an index of its own: one of the same
  // collection from the same folder, or, for a rebuild, of any collection.
  for (const auto& path : writer.files_before()) {
    const bool imported =
        path.find(':') != std::string::npos && path.find('#') != std::string::npos && path.front() != '/';
    if (imported && (options.rebuild || path.rfind(source + "#", 0) == 0)) continue;
    throw IndexError("cannot import into " + options.db_path + ": it already holds other documents (" +
                     printable(path) + "), and a test collection needs an index of its own (give another --db)");
  }
  summary.files_seen = documents.size();
  IndexProgress p;
  p.files_total = documents.size();
  std::size_t since_commit = 0;
  std::set<std::string> present;
  for (const Document& doc : documents) {
    if (options.stop && options.stop->load()) {  // Ctrl-C: what is finished is kept, as index_paths() does
      summary.interrupted = true;
      break;
    }
    const std::string path = source + "#" + doc.meta.id;
    present.insert(path);
    Passage passage;
    passage.number = passage.paragraph = 1;
    for (const auto& s : doc.sections)
      for (const auto& para : s.paragraphs) passage.text += (passage.text.empty() ? "" : "\n") + para;
    if (passage.text.find_first_not_of(" \n\t") == std::string::npos) {
      summary.failures.push_back({path, "document has no text"});
    } else if (doc.meta.id.empty() || doc.meta.id.size() > format::kMaxIdBytes) {
      summary.failures.push_back(
          {path, "document id is empty or longer than " + std::to_string(format::kMaxIdBytes) + " bytes"});
    } else {
      FileState state;
      state.doc_id = doc.meta.id;
      state.passages = 1;
      state.size = passage.text.size();
      state.hash = content_hash(passage.text + '\x1f' + meta_key(doc.meta));
      summary.bytes += passage.text.size();
      const std::optional<FileState> old = writer.file_state(path);
      if (old && old->hash == state.hash) {
        ++summary.unchanged;
      } else {
        std::vector<PassageTags> tags;
        if (options.tagger) {
          tags = options.tagger->tag_document_on({passage.text}, date_problem(doc.meta.date).empty() ? doc.meta.date : "",
                                                 {passage.section});
        }
        DocumentMeta meta = doc.meta;
        meta.path = path_text(path);
        std::vector<std::string> warnings;
        checked_metadata(meta, warnings);
        for (auto& w : warnings) summary.warnings.push_back({path, std::move(w)});
        writer.replace_file(path, state, meta, {passage}, tags);
        ++summary.indexed;
        ++summary.passages;
        if (++since_commit >= options.commit_every_passages) {
          writer.commit();
          since_commit = 0;
        }
      }
    }
    ++p.files_done;
    p.passages = summary.passages;
    p.seconds = elapsed();
    if (progress && (p.files_done % 256 == 0 || p.files_done == p.files_total)) progress(p);
  }
  if (summary.interrupted) {
    // A rebuild stopped half way is abandoned (the old index stays); an import keeps what is finished.
    if (!options.rebuild) summary.notes = writer.finish();
    summary.seconds = elapsed();
    return summary;
  }
  if (options.prune) {
    const std::string prefix = source + "#";
    for (const auto& path : writer.indexed_files()) {
      if (path.compare(0, prefix.size(), prefix) != 0 || present.count(path)) continue;
      writer.remove_file(path, false);  // an imported document's id is its own
      ++summary.removed;
    }
  }
  summary.notes = writer.finish();
  summary.seconds = elapsed();
  return summary;
}

}  // namespace quire
