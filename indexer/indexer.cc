// The indexing driver: discovery, change detection, reading and writing. See indexer.h.
#include "quire/indexer.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <set>

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

// The files to consider, sorted. Folders are walked recursively (not into hidden folders, not through
// symlinked folders); inside them only supported extensions count. Named files are always taken.
std::vector<std::string> discover(const std::vector<std::string>& inputs, std::vector<FileProblem>& problems) {
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
      if (!is_supported_extension(it->path().string())) continue;
      if (it->is_regular_file(ec)) {
        files.insert(absolute_path(it->path().string()));
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
    v = ids.size() == 1 ? ids[0] : "~" + v;
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

IndexSummary index_paths(const std::vector<std::string>& inputs, const IndexOptions& options,
                         const std::function<void(const IndexProgress&)>& progress) {
  const auto t0 = std::chrono::steady_clock::now();
  const auto elapsed = [&t0] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); };
  IndexSummary summary;
  IndexWriter writer(options.db_path, options.rebuild);
  const std::vector<std::string> files = discover(inputs, summary.failures);
  summary.files_seen = files.size();
  std::size_t since_commit = 0;
  IndexProgress p;
  p.files_total = files.size();

  for (const auto& path : files) {
    if (options.stop && options.stop->load()) {
      summary.interrupted = true;
      break;
    }
    try {
      struct stat st {};
      if (::stat(path.c_str(), &st) != 0) throw InputError(path, std::string("cannot stat: ") + std::strerror(errno));
      // Reading a FIFO would wait for a writer forever; devices and sockets are not documents either.
      if (!S_ISREG(st.st_mode)) throw InputError(path, "not a regular file (a pipe, device or socket)");
      FileState state;
      state.size = static_cast<std::uint64_t>(st.st_size);
      if (state.size > options.max_file_bytes) {
        char size[32];
        std::snprintf(size, sizeof size, "%.1f", static_cast<double>(state.size) / (1 << 20));
        throw InputError(path, std::string("file is ") + size + " MB; the limit is " +
                                   std::to_string(options.max_file_bytes >> 20) + " MB (--max-file-mb)");
      }
      state.mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
      const MetadataFields fields = options.metadata ? options.metadata->fields_for(path) : MetadataFields{};
      state.meta = fingerprint(fields);
      const std::optional<FileState> old = writer.file_state(path);
      if (old && old->size == state.size && old->mtime_ns == state.mtime_ns && old->meta == state.meta) {
        ++summary.unchanged;
      } else {
        const std::string bytes = read_file_bytes(path);
        state.hash = content_hash(bytes);
        summary.bytes += bytes.size();
        if (old && old->hash == state.hash && old->meta == state.meta) {
          state.doc_id = old->doc_id;
          state.passages = old->passages;
          writer.update_file_state(path, state);
          ++summary.unchanged;
        } else {
          ReadResult r = read_document(path, bytes);
          Document& doc = r.document;
          doc.meta.path = path;
          for (auto& w : apply_fields(fields, doc.meta))
            r.warnings.push_back(options.metadata->path() + ": " + w + "; the field is left out");
          if (options.tagger) resolve_by(*options.tagger, doc.meta);
          if (auto owner = writer.path_of_document(doc.meta.id); owner && *owner != path)
            throw InputError(path,
                             "duplicate document id \"" + doc.meta.id + "\" (already indexed from " + *owner + ")");
          const std::vector<Passage> passages = split_passages(doc, options.split);
          std::vector<PassageTags> tags;
          if (options.tagger) {
            std::vector<std::string> texts;
            texts.reserve(passages.size());
            for (const auto& ps : passages) texts.push_back(ps.text);
            const int year = doc.meta.date.size() >= 4 ? std::stoi(doc.meta.date.substr(0, 4)) : 0;
            tags = options.tagger->tag_document(texts, year);
          }
          state.doc_id = doc.meta.id;
          state.passages = static_cast<int>(passages.size());
          writer.replace_file(path, state, doc.meta, passages, tags);
          for (const auto& w : r.warnings) summary.warnings.push_back({path, w});
          ++summary.indexed;
          summary.passages += passages.size();
          since_commit += passages.size();
          if (since_commit >= options.commit_every_passages) {
            writer.commit();
            since_commit = 0;
          }
        }
      }
    } catch (const InputError& e) {
      summary.failures.push_back(
          {path, e.line() > 0 ? "line " + std::to_string(e.line()) + ": " + e.reason() : e.reason()});
    }
    ++p.files_done;
    p.passages = summary.passages;
    p.seconds = elapsed();
    if (progress) progress(p);
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
