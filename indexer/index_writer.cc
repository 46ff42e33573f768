// Xapian side of indexing. See index_writer.h; every prefix, slot and key is in quire/index_format.h.
#include "quire/index_writer.h"

#include <fcntl.h>
#include <unistd.h>
#include <xapian.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "quire/errors.h"
#include "quire/index_format.h"

namespace quire {

namespace fmt = format;

struct IndexWriter::Impl {
  std::string dir;
  Xapian::WritableDatabase db;
  bool failed = false;                ///< a write failed: what is pending is abandoned, never committed
  std::set<std::string> extra_names;  ///< catalogue field names the index holds (kKeyExtraFields)

  // Runs a change; a Xapian error (disk full, I/O error) marks the writer failed and becomes an IndexError.
  template <typename Fn>
  void write(Fn&& fn) {
    if (failed) throw IndexError("cannot write to index " + dir + ": an earlier write failed");
    try {
      fn();
    } catch (const Xapian::Error& e) {
      failed = true;
      throw IndexError("cannot write to index " + dir + ": " + e.get_description() +
                       " (the index keeps its last commit)");
    }
  }
};

namespace {

std::string key(std::string_view prefix, const std::string& rest) { return std::string(prefix) + rest; }

using fmt::extra_term;

nlohmann::json state_to_json(const FileState& s) {
  nlohmann::json j = {
      {"id", s.doc_id}, {"mtime_ns", s.mtime_ns}, {"size", s.size}, {"hash", s.hash}, {"passages", s.passages}};
  if (!s.meta.empty()) j["meta"] = s.meta;
  return j;
}

FileState state_from_json(const nlohmann::json& j) {
  FileState s;
  s.doc_id = j.value("id", "");
  s.mtime_ns = j.value("mtime_ns", std::int64_t{0});
  s.size = j.value("size", std::uint64_t{0});
  s.hash = j.value("hash", "");
  s.passages = j.value("passages", 0);
  s.meta = j.value("meta", "");
  return s;
}

// A creation that never finished: the folder holds Xapian's first files but no revision file
// (iamglass), so nothing was ever committed there. Such a folder is what a kill during the very first
// moments of `quire index` leaves, and Xapian refuses to open or create over it.
bool unfinished_creation(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec) || std::filesystem::exists(dir / "iamglass", ec)) return false;
  bool any = false;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    const std::string ext = e.path().extension().string();
    const bool xapian_file = name == "flintlock" || name == "v.tmp" || ext == ".glass" || ext == ".tmp" ||
                             ext == ".baseA" || ext == ".baseB";
    if (!xapian_file || !e.is_regular_file(ec)) return false;
    any = true;
  }
  if (!any || ec) return false;
  // Not if a live writer is creating it right now: it holds a lock on flintlock.
  const int fd = ::open((dir / "flintlock").c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return true;
  struct flock fl {};
  fl.l_type = F_WRLCK;
  fl.l_whence = SEEK_SET;
  const bool free = ::fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type == F_UNLCK;
  ::close(fd);
  return free;
}

}  // namespace

std::string content_hash(const std::string& bytes) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

IndexWriter::IndexWriter(const std::string& dir, bool rebuild) : impl_(std::make_unique<Impl>()) {
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(dir).parent_path(), ec);
  // Saved collections are the librarians' work, not derived from documents: a rebuild keeps them.
  std::vector<std::pair<std::string, std::string>> collections;
  if (rebuild) {
    try {
      const Xapian::Database old(dir);
      const std::string prefix(fmt::kKeyCollectionPrefix);
      for (auto it = old.metadata_keys_begin(prefix); it != old.metadata_keys_end(prefix); ++it)
        collections.emplace_back(*it, old.get_metadata(*it));
    } catch (const Xapian::Error&) {
      // Nothing readable there: nothing to keep.
    }
  }
  // Xapian buffers this many changed documents before it writes them into its B-trees (the default is
  // 10000). Passages are small, and on 800 UNGDC speeches 1000 indexed 27% faster with a third of
  // the memory (benchmarks/README.md). A value the user set is kept.
  ::setenv("XAPIAN_FLUSH_THRESHOLD", "1000", 0);
  const int flags = (rebuild ? Xapian::DB_CREATE_OR_OVERWRITE : Xapian::DB_CREATE_OR_OPEN) | Xapian::DB_BACKEND_GLASS;
  try {
    try {
      impl_->db = Xapian::WritableDatabase(dir, flags);
    } catch (const Xapian::DatabaseNotFoundError&) {
      if (!unfinished_creation(dir)) throw;
      for (const auto& e : std::filesystem::directory_iterator(dir)) std::filesystem::remove(e.path());
      impl_->db = Xapian::WritableDatabase(dir, flags);
    }
  } catch (const Xapian::DatabaseLockError&) {
    throw IndexError("index " + dir + " is locked: another 'quire index' is writing to it");
  } catch (const Xapian::Error& e) {
    throw IndexError("cannot open index " + dir + " for writing: " + e.get_description());
  }
  const std::string version = impl_->db.get_metadata(std::string(fmt::kKeyFormat));
  if (version.empty()) {
    if (impl_->db.get_doccount() != 0) throw IndexError(dir + " is a Xapian database, but not a quire index");
    impl_->db.set_metadata(std::string(fmt::kKeyFormat), std::to_string(fmt::kFormatVersion));
  } else if (version != std::to_string(fmt::kFormatVersion)) {
    throw IndexError("index " + dir + " has format version " + version + "; this quire reads version " +
                     std::to_string(fmt::kFormatVersion) + " (run 'quire index --rebuild' to index afresh into it)");
  }
  for (const auto& [k, v] : collections) impl_->db.set_metadata(k, v);
  std::istringstream names(impl_->db.get_metadata(std::string(fmt::kKeyExtraFields)));
  for (std::string name; std::getline(names, name);) impl_->extra_names.insert(name);
  impl_->dir = dir;
  impl_->db.begin_transaction(true);
}

IndexWriter::~IndexWriter() {
  // Work since the last commit() is in a transaction: committed on a normal close, cancelled after a
  // failed write. Either way the index is at a commit. Files whose state was not committed are redone
  // on the next run, since replace_file() records a file's state after its passages.
  try {
    if (!impl_) return;
    if (impl_->failed) {
      impl_->db.cancel_transaction();
    } else {
      impl_->db.commit_transaction();
    }
    impl_->db.close();
  } catch (...) {
  }
}

std::optional<FileState> IndexWriter::file_state(const std::string& path) const {
  const std::string v = impl_->db.get_metadata(key(fmt::kKeyFilePrefix, path));
  if (v.empty()) return std::nullopt;
  return state_from_json(nlohmann::json::parse(v));
}

std::vector<std::string> IndexWriter::indexed_files() const {
  std::vector<std::string> out;
  const std::string prefix(fmt::kKeyFilePrefix);
  for (auto it = impl_->db.metadata_keys_begin(prefix); it != impl_->db.metadata_keys_end(prefix); ++it)
    out.push_back((*it).substr(prefix.size()));
  return out;
}

std::optional<std::string> IndexWriter::path_of_document(const std::string& doc_id) const {
  const std::string v = impl_->db.get_metadata(key(fmt::kKeyDocPrefix, doc_id));
  if (v.empty()) return std::nullopt;
  return nlohmann::json::parse(v).value("path", "");
}

namespace {

std::string join_list(const std::vector<std::string>& values) {
  std::string s;
  for (const auto& v : values) {
    if (!s.empty()) s += fmt::kListSeparator;
    s += v;
  }
  return s;
}

// Boolean terms, facet values and stored tags of one passage.
void add_tags(Xapian::Document& doc, Xapian::TermGenerator& tg, const PassageTags& t, nlohmann::json& data) {
  const auto terms = [&doc](std::string_view prefix, const std::vector<std::string>& values) {
    for (const auto& v : values) doc.add_boolean_term(std::string(prefix) + v);
  };
  std::vector<std::string> years;
  for (int y : t.years) years.push_back(std::to_string(y));
  terms(fmt::kPrefixActor, t.actors);
  terms(fmt::kPrefixTheme, t.themes);
  terms(fmt::kPrefixMentioned, years);
  terms(fmt::kPrefixSpeaker, t.speakers);
  terms(fmt::kPrefixDyad, t.dyads);
  doc.add_value(fmt::kSlotActors, join_list(t.actors));
  doc.add_value(fmt::kSlotThemes, join_list(t.themes));
  doc.add_value(fmt::kSlotMentioned, join_list(years));
  doc.add_value(fmt::kSlotSpeakers, join_list(t.speakers));
  doc.add_value(fmt::kSlotDyads, join_list(t.dyads));
  // Quoted words are also fielded text, so quote:"..." matches only inside quotations. Their wdf is 0:
  // they are there to match, and must not make the passage look longer to BM25.
  for (const auto& q : t.quotes) {
    tg.increase_termpos(10);
    tg.index_text(q.text, 0, std::string(fmt::kPrefixQuote));
  }
  nlohmann::json mentions = nlohmann::json::array();
  for (const auto& m : t.mentions) mentions.push_back({m.actor, m.cp_begin, m.cp_end});
  if (!mentions.empty()) data[fmt::kDataActors] = std::move(mentions);
  if (!t.themes.empty()) data[fmt::kDataThemes] = t.themes;
  if (!t.years.empty()) data[fmt::kDataYears] = t.years;
  nlohmann::json quotes = nlohmann::json::array();
  for (const auto& q : t.quotes) {
    nlohmann::json jq = {{"b", q.cp_begin}, {"e", q.cp_end}};
    if (!q.speaker.empty())
      jq["s"] = q.speaker;
    else if (!q.speaker_name.empty())
      jq["s"] = unknown_speaker_key(q.speaker_name);
    if (!q.speaker_name.empty()) jq["n"] = q.speaker_name;
    if (q.scare) jq["scare"] = true;
    quotes.push_back(std::move(jq));
  }
  if (!quotes.empty()) data[fmt::kDataQuotes] = std::move(quotes);
}

}  // namespace

struct PreparedFile::Impl {
  std::vector<Xapian::Document> passages;
  std::string stored;  ///< the document's metadata JSON, with its tags
};

PreparedFile::PreparedFile() : impl_(std::make_unique<Impl>()) {}
PreparedFile::~PreparedFile() = default;
PreparedFile::PreparedFile(PreparedFile&&) noexcept = default;
PreparedFile& PreparedFile::operator=(PreparedFile&&) noexcept = default;

PreparedFile prepare_file(const DocumentMeta& meta, const std::vector<Passage>& passages,
                          const std::vector<PassageTags>& tags) {
  PreparedFile out;
  Xapian::TermGenerator tg;
  tg.set_stemmer(Xapian::Stem("english"));
  tg.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
  std::vector<std::string> by_terms, extra_terms;
  for (const auto& b : meta.by) by_terms.push_back(key(fmt::kPrefixBy, b));
  for (const auto& [name, value] : meta.extra) extra_terms.push_back(extra_term(name, value));
  const std::string by_list = join_list(meta.by);
  const std::string year = meta.date.size() >= 4 ? meta.date.substr(0, 4) : "";
  const std::string& publisher = meta.publisher.empty() ? meta.container : meta.publisher;
  out.impl_->passages.reserve(passages.size());
  for (const Passage& p : passages) {
    Xapian::Document doc;
    tg.set_document(doc);
    tg.set_termpos(0);
    tg.index_text(p.text);
    // Fielded text: searchable with title:, author:, publisher:, never mixed into the body's terms.
    tg.index_text(meta.title, 1, std::string(fmt::kPrefixTitle));
    tg.increase_termpos(10);
    tg.index_text(meta.subtitle, 1, std::string(fmt::kPrefixTitle));
    for (const auto& a : meta.authors) {
      tg.increase_termpos(10);
      tg.index_text(a, 1, std::string(fmt::kPrefixAuthor));
    }
    tg.index_text(meta.publisher, 1, std::string(fmt::kPrefixPublisher));
    tg.increase_termpos(10);
    tg.index_text(meta.container, 1, std::string(fmt::kPrefixPublisher));
    nlohmann::json data = {{fmt::kDataDocument, meta.id},
                           {fmt::kDataPassage, p.number},
                           {fmt::kDataParagraph, p.paragraph},
                           {fmt::kDataText, p.text}};
    if (!p.section.empty()) data[fmt::kDataSection] = p.section;
    if (p.page > 0) {
      data[fmt::kDataPage] = p.page;
      data[fmt::kDataPageLabel] = p.page_label;
      if (p.page_end != p.page) {
        data[fmt::kDataPageEnd] = p.page_end;
        data[fmt::kDataPageLabelEnd] = p.page_label_end;
      }
    }
    if (!tags.empty()) add_tags(doc, tg, tags[static_cast<std::size_t>(p.number - 1)], data);
    if (!year.empty()) {
      doc.add_boolean_term(std::string(fmt::kPrefixPublished) + year);
      doc.add_value(fmt::kSlotPublished, year);
    }
    for (const auto& t : by_terms) doc.add_boolean_term(t);
    if (!by_list.empty()) doc.add_value(fmt::kSlotBy, by_list);
    for (const auto& t : extra_terms) doc.add_boolean_term(t);
    if (!publisher.empty()) doc.add_value(fmt::kSlotPublisher, publisher);
    doc.add_boolean_term(key(fmt::kPrefixDocument, meta.id));
    doc.add_boolean_term(key(fmt::kPrefixPassageId, meta.id + "#" + std::to_string(p.number)));
    doc.add_value(fmt::kSlotDocument, meta.id);
    doc.add_value(fmt::kSlotParagraph, Xapian::sortable_serialise(p.paragraph));
    if (!meta.date.empty()) doc.add_value(fmt::kSlotDate, meta.date);
    doc.set_data(data.dump());
    out.impl_->passages.push_back(std::move(doc));
  }
  nlohmann::json stored = to_json(meta);
  if (!tags.empty()) {
    // Document-level tags: every actor and theme of any passage, with passage counts.
    std::map<std::string, int> actors, themes;
    for (const auto& t : tags) {
      for (const auto& a : t.actors) ++actors[a];
      for (const auto& th : t.themes) ++themes[th];
    }
    stored["tags"] = {{"actors", actors}, {"themes", themes}};
  }
  out.impl_->stored = stored.dump();
  return out;
}

void IndexWriter::replace_file(const std::string& path, const FileState& state, const DocumentMeta& meta,
                               const std::vector<Passage>& passages, const std::vector<PassageTags>& tags) {
  replace_file(path, state, meta, prepare_file(meta, passages, tags));
}

void IndexWriter::replace_file(const std::string& path, const FileState& state, const DocumentMeta& meta,
                               PreparedFile&& file) {
  impl_->write([&] {
    // Order matters: old passages out, new passages in, and the file's state last (see ~IndexWriter).
    Xapian::WritableDatabase& db = impl_->db;
    if (auto old = file_state(path)) {
      db.delete_document(key(fmt::kPrefixDocument, old->doc_id));
      db.set_metadata(key(fmt::kKeyDocPrefix, old->doc_id), "");
    }
    for (const Xapian::Document& doc : file.impl_->passages) db.add_document(doc);
    db.set_metadata(key(fmt::kKeyDocPrefix, meta.id), file.impl_->stored);
    if (!meta.extra.empty()) note_extra_fields(meta.extra);
    db.set_metadata(key(fmt::kKeyFilePrefix, path), state_to_json(state).dump());
  });
}

void IndexWriter::note_extra_fields(const std::vector<std::pair<std::string, std::string>>& extra) {
  bool added = false;
  for (const auto& kv : extra) added = impl_->extra_names.insert(kv.first).second || added;
  if (!added) return;
  std::string list;
  for (const auto& name : impl_->extra_names) list += name + "\n";
  impl_->db.set_metadata(std::string(fmt::kKeyExtraFields), list);
}

void IndexWriter::update_file_state(const std::string& path, const FileState& state) {
  impl_->write([&] { impl_->db.set_metadata(key(fmt::kKeyFilePrefix, path), state_to_json(state).dump()); });
}

void IndexWriter::remove_file(const std::string& path) {
  auto old = file_state(path);
  if (!old) return;
  impl_->write([&] {
    impl_->db.delete_document(key(fmt::kPrefixDocument, old->doc_id));
    impl_->db.set_metadata(key(fmt::kKeyDocPrefix, old->doc_id), "");
    impl_->db.set_metadata(key(fmt::kKeyFilePrefix, path), "");
  });
}

void IndexWriter::commit() {
  // One transaction per commit: everything since the last commit becomes durable at once, or not at all.
  impl_->write([&] {
    impl_->db.commit_transaction();
    impl_->db.begin_transaction(true);
  });
}

}  // namespace quire
