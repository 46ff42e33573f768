// The indexing driver: discovery, change detection, reading and writing. See indexer.h.
#include "quire/indexer.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "quire/errors.h"
#include "quire/index_writer.h"
#include "quire/readers.h"

namespace quire {
namespace fs = std::filesystem;

namespace {

std::string absolute_path(const std::string& p) {
  std::error_code ec;
  fs::path a = fs::absolute(p, ec);
  return (ec ? fs::path(p) : a).lexically_normal().string();
}

bool is_hidden(const fs::path& p) {
  const std::string name = p.filename().string();
  return name.size() > 1 && name[0] == '.';
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

// The files to consider, sorted. Folders are walked recursively (not into hidden folders, not through
// symlinked folders); inside them only files a reader reads count (reader_for_folder_entry()), the
// others are counted by extension in `skipped`. Named files are always taken.
std::vector<std::string> discover(const std::vector<std::string>& inputs, std::vector<FileProblem>& problems,
                                  std::map<std::string, std::size_t>& skipped) {
  std::set<std::string> files;
  for (const auto& input : inputs) {
    std::error_code ec;
    const fs::file_status st = fs::status(input, ec);
    if (ec || !fs::exists(st)) {
      // ELOOP and EACCES say more than "not found".
      const bool missing = !ec || ec == std::errc::no_such_file_or_directory;
      problems.push_back({input, missing ? "no such file or folder" : "cannot open: " + ec.message()});
      continue;
    }
    if (!fs::is_directory(st)) {
      files.insert(absolute_path(input));
      continue;
    }
    fs::recursive_directory_iterator it(input, fs::directory_options::skip_permission_denied, ec), end;
    if (ec) {
      problems.push_back({input, "cannot read folder: " + ec.message()});
      continue;
    }
    for (; it != end; it.increment(ec)) {
      if (ec) {
        problems.push_back({it->path().string(), "cannot read: " + ec.message()});
        ec.clear();
        continue;
      }
      if (is_hidden(it->path())) {
        if (it->is_directory(ec)) it.disable_recursion_pending();
        continue;
      }
      // A Xapian database (this index, kept beside the documents, or another) holds no documents.
      if (it->is_directory(ec) &&
          (fs::exists(it->path() / "iamglass", ec) || fs::exists(it->path() / "iamchert", ec))) {
        it.disable_recursion_pending();
        continue;
      }
      if (it->is_regular_file(ec)) {
        const std::string path = it->path().string();
        // A known extension is enough; other files are opened to see whether they are PDFs or the like.
        if (!is_supported_extension(path) &&
            !reader_for_folder_entry(ReaderRegistry::builtin(), path, file_head(path))) {
          ++skipped[file_extension(path)];
          continue;
        }
        files.insert(absolute_path(path));
      } else if (ec) {  // a dangling link or a link loop
        problems.push_back({it->path().string(), "cannot open: " + ec.message()});
        ec.clear();
      } else if (!it->is_directory(ec)) {
        problems.push_back({it->path().string(), "not a regular file (a pipe, device or socket)"});
      }
    }
  }
  return {files.begin(), files.end()};
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

// Catalogue "by" values as actor ids: an id, code, name or alias of the gazetteer ("PAK", "Pakistan");
// a value it does not know, or that could mean several actors, is kept as "~value".
void resolve_by(const Tagger& tagger, DocumentMeta& meta) {
  for (auto& v : meta.by) {
    const std::vector<std::string> ids = tagger.gazetteer().resolve(v);
    if (ids.size() == 1)
      v = ids[0];
    else
      v.insert(0, 1, '~');
  }
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
    parts += (parts.empty() ? "" : ", ") + (ext.empty() ? std::string("(no extension)") : "." + ext) + " " +
             std::to_string(n);
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
    const std::string bytes = read_file_bytes(job.path);
    job.state.hash = content_hash(bytes);
    job.bytes = bytes.size();
    if (job.old && job.old->hash == job.state.hash && job.old->meta == job.state.meta) {
      job.outcome = Job::kSameContent;
      return;
    }
    ReadResult r = ReaderRegistry::builtin().read(job.path, bytes, options.read);
    Document& doc = r.document;
    doc.meta.path = job.path;
    for (auto& w : apply_fields(job.fields, doc.meta))
      r.warnings.push_back(options.metadata->path() + ": " + w + "; the field is left out");
    if (options.tagger) resolve_by(*options.tagger, doc.meta);
    const std::vector<Passage> passages = split_passages(doc, options.split);
    std::vector<PassageTags> tags;
    if (options.tagger) {
      std::vector<std::string> texts;
      texts.reserve(passages.size());
      for (const auto& ps : passages) texts.push_back(ps.text);
      const int year = doc.meta.date.size() >= 4 ? std::stoi(doc.meta.date.substr(0, 4)) : 0;
      tags = options.tagger->tag_document(texts, year);
    }
    job.state.doc_id = doc.meta.id;
    job.state.passages = static_cast<int>(passages.size());
    job.passages = passages.size();
    job.prepared = prepare_file(doc.meta, passages, tags);
    job.meta = std::move(doc.meta);
    job.warnings = std::move(r.warnings);
    job.outcome = Job::kReady;
  } catch (const InputError& e) {
    job.outcome = Job::kFailed;
    job.failure = e.line() > 0 ? "line " + std::to_string(e.line()) + ": " + e.reason() : e.reason();
  } catch (...) {
    job.outcome = Job::kFailed;
    job.error = std::current_exception();
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

IndexSummary index_paths(const std::vector<std::string>& inputs, const IndexOptions& options,
                         const std::function<void(const IndexProgress&)>& progress) {
  const auto t0 = std::chrono::steady_clock::now();
  const auto elapsed = [&t0] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); };
  IndexSummary summary;
  IndexWriter writer(options.db_path, options.rebuild);
  std::map<std::string, std::size_t> skipped;
  const std::vector<std::string> files = discover(inputs, summary.failures, skipped);
  summary.skipped.assign(skipped.begin(), skipped.end());
  std::stable_sort(summary.skipped.begin(), summary.skipped.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  summary.files_seen = files.size();
  IndexProgress p;
  p.files_total = files.size();
  const auto file_done = [&] {
    ++p.files_done;
    p.passages = summary.passages;
    p.seconds = elapsed();
    if (progress) progress(p);
  };
  const auto fail = [&summary](const std::string& path, std::string reason) {
    summary.failures.push_back({path, std::move(reason)});
  };

  // First the cheap checks, in order: what is gone, too large or unchanged needs no reading.
  std::vector<Job> jobs;
  for (const auto& path : files) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
      fail(path, std::string("cannot stat: ") + std::strerror(errno));
      file_done();
      continue;
    }
    // Reading a FIFO would wait for a writer forever; devices and sockets are not documents either.
    if (!S_ISREG(st.st_mode)) {
      fail(path, "not a regular file (a pipe, device or socket)");
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
    job.fields = options.metadata ? options.metadata->fields_for(path) : MetadataFields{};
    job.state.meta = fingerprint(job.fields);
    job.old = writer.file_state(path);
    if (job.old && job.old->size == job.state.size && job.old->mtime_ns == job.state.mtime_ns &&
        job.old->meta == job.state.meta) {
      ++summary.unchanged;
      file_done();
      continue;
    }
    jobs.push_back(std::move(job));
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
      if (job.outcome == Job::kFailed) {
        fail(job.path, job.failure);
      } else if (job.outcome == Job::kSameContent) {
        job.state.doc_id = job.old->doc_id;
        job.state.passages = job.old->passages;
        writer.update_file_state(job.path, job.state);
        ++summary.unchanged;
      } else if (auto owner = writer.path_of_document(job.meta.id); owner && *owner != job.path) {
        fail(job.path, "duplicate document id \"" + job.meta.id + "\" (already indexed from " + *owner + ")");
      } else {
        writer.replace_file(job.path, job.state, job.meta, std::move(job.prepared));
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
    writer.commit();
    summary.seconds = elapsed();
    return summary;
  }
  // Files indexed before, under the folders given, that are gone now.
  std::vector<std::string> roots;
  roots.reserve(inputs.size());
  for (const auto& in : inputs) roots.push_back(absolute_path(in));
  for (const auto& path : writer.indexed_files()) {
    std::error_code ec;
    if (!under_any(path, roots) || fs::exists(path, ec)) continue;
    if (options.prune) {
      writer.remove_file(path);
      ++summary.removed;
    } else {
      ++summary.vanished;
    }
  }
  writer.commit();
  summary.seconds = elapsed();
  return summary;
}

IndexSummary index_documents(const std::vector<Document>& documents, const std::string& source,
                             const IndexOptions& options, const std::function<void(const IndexProgress&)>& progress) {
  const auto t0 = std::chrono::steady_clock::now();
  const auto elapsed = [&t0] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); };
  IndexSummary summary;
  IndexWriter writer(options.db_path, options.rebuild);
  summary.files_seen = documents.size();
  IndexProgress p;
  p.files_total = documents.size();
  std::size_t since_commit = 0;
  std::set<std::string> present;
  for (const Document& doc : documents) {
    const std::string path = source + "#" + doc.meta.id;
    present.insert(path);
    Passage passage;
    passage.number = passage.paragraph = 1;
    for (const auto& s : doc.sections)
      for (const auto& para : s.paragraphs) passage.text += (passage.text.empty() ? "" : "\n") + para;
    if (passage.text.find_first_not_of(" \n\t") == std::string::npos) {
      summary.failures.push_back({path, "document has no text"});
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
          const int year = doc.meta.date.size() >= 4 ? std::stoi(doc.meta.date.substr(0, 4)) : 0;
          tags = options.tagger->tag_document({passage.text}, year);
        }
        DocumentMeta meta = doc.meta;
        meta.path = path;
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
  if (options.prune) {
    const std::string prefix = source + "#";
    for (const auto& path : writer.indexed_files()) {
      if (path.compare(0, prefix.size(), prefix) != 0 || present.count(path)) continue;
      writer.remove_file(path);
      ++summary.removed;
    }
  }
  writer.commit();
  summary.seconds = elapsed();
  return summary;
}

}  // namespace quire
