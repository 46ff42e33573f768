// Query parsing, matching, grouping by document and highlighting. See searcher.h.
#include "quire/searcher.h"

#include <xapian.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "quire/errors.h"
#include "quire/index_format.h"
#include "quire/query_check.h"

namespace quire {

namespace fmt = format;

namespace {

// Common English function words, dropped from free-text queries (kept inside "phrases").
const char* const kStopWords[] = {
    "a",      "about",  "after",  "all",     "also", "an",    "and",    "any",  "are",   "as",     "at",      "be",
    "been",   "before", "being",  "between", "both", "but",   "by",     "can",  "could", "did",    "do",      "does",
    "during", "each",   "for",    "from",    "had",  "has",   "have",   "he",   "her",   "here",   "hers",    "him",
    "his",    "how",    "i",      "if",      "in",   "into",  "is",     "it",   "its",   "itself", "me",      "more",
    "most",   "my",     "no",     "nor",     "not",  "of",    "on",     "once", "only",  "or",     "other",   "our",
    "ours",   "out",    "over",   "own",     "same", "she",   "should", "so",   "some",  "such",   "than",    "that",
    "the",    "their",  "theirs", "them",    "then", "there", "these",  "they", "this",  "those",  "through", "to",
    "too",    "under",  "until",  "up",      "very", "was",   "we",     "were", "what",  "when",   "where",   "which",
    "while",  "who",    "whom",   "why",     "will", "with",  "would",  "you",  "your",  "yours"};

struct FieldPrefix {
  const char* name;
  std::string_view prefix;
};
const FieldPrefix kFields[] = {
    {"title", fmt::kPrefixTitle}, {"author", fmt::kPrefixAuthor}, {"publisher", fmt::kPrefixPublisher}};

bool is_unprefixed(const std::string& term) { return !term.empty() && !(term[0] >= 'A' && term[0] <= 'Z'); }

// Collects what the highlighter needs from a parsed query; terms of excluded branches are skipped.
void collect(const Xapian::Query& q, HighlightQuery& out) {
  const Xapian::Query::op op = q.get_type();
  if (op == Xapian::Query::LEAF_TERM) {
    const std::string term = *q.get_terms_begin();
    if (term.size() > 1 && term[0] == 'Z' && is_unprefixed(term.substr(1))) {
      out.stems.insert(term.substr(1));
    } else if (is_unprefixed(term)) {
      out.words.insert(term);
    }
    return;
  }
  if (op == Xapian::Query::OP_PHRASE) {
    std::vector<std::string> phrase;
    for (std::size_t i = 0; i < q.get_num_subqueries(); ++i) {
      const Xapian::Query sub = q.get_subquery(i);
      if (sub.get_type() != Xapian::Query::LEAF_TERM) {
        phrase.clear();
        break;
      }
      const std::string term = *sub.get_terms_begin();
      if (!is_unprefixed(term)) {
        phrase.clear();
        break;
      }
      phrase.push_back(term);
    }
    if (!phrase.empty()) {
      out.phrases.push_back(std::move(phrase));
      return;
    }
  }
  if (op == Xapian::Query::OP_WILDCARD) {
    // Xapian 1.4 exposes a wildcard's pattern only in its description: "Query(WILDCARD SYNONYM agri)".
    const std::string d = q.get_description();
    const std::size_t end = d.rfind(')');
    const std::size_t space = d.rfind(' ', end);
    if (end != std::string::npos && space != std::string::npos && space < end) {
      const std::string pattern = d.substr(space + 1, end - space - 1);
      if (is_unprefixed(pattern)) out.prefixes.push_back(pattern);
    }
    return;
  }
  std::size_t n = q.get_num_subqueries();
  if (op == Xapian::Query::OP_AND_NOT) n = std::min<std::size_t>(n, 1);
  for (std::size_t i = 0; i < n; ++i) collect(q.get_subquery(i), out);
}

std::uint64_t folder_size(const std::string& dir) {
  std::uint64_t total = 0;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    if (e.is_regular_file(ec)) total += e.file_size(ec);
  }
  return total;
}

}  // namespace

struct Searcher::Impl {
  std::string dir;
  Xapian::Database db;
  Xapian::QueryParser parser;
  Xapian::SimpleStopper stopper;
  Stemmer stemmer;
  std::map<std::string, DocumentMeta> meta_cache;

  const DocumentMeta& meta(const std::string& id) {
    auto it = meta_cache.find(id);
    if (it != meta_cache.end()) return it->second;
    const std::string json = db.get_metadata(std::string(fmt::kKeyDocPrefix) + id);
    DocumentMeta m = json.empty() ? DocumentMeta{} : meta_from_json(nlohmann::json::parse(json));
    if (m.id.empty()) m.id = id;
    return meta_cache.emplace(id, std::move(m)).first->second;
  }
};

const std::vector<std::string>& Searcher::fields() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const auto& f : kFields) v.emplace_back(f.name);
    return v;
  }();
  return names;
}

Searcher::Searcher(const std::string& dir) : impl_(std::make_unique<Impl>()) {
  impl_->dir = dir;
  try {
    impl_->db = Xapian::Database(dir);
  } catch (const Xapian::DatabaseNotFoundError&) {
    throw IndexError("no index at " + dir + " (create one with 'quire index PATH...')");
  } catch (const Xapian::Error& e) {
    throw IndexError("cannot open index " + dir + ": " + e.get_description());
  }
  const std::string version = impl_->db.get_metadata(std::string(fmt::kKeyFormat));
  if (version != std::to_string(fmt::kFormatVersion))
    throw IndexError(version.empty() ? dir + " is not a quire index"
                                     : "index " + dir + " has format version " + version +
                                           "; this quire reads version " + std::to_string(fmt::kFormatVersion));
  for (const char* w : kStopWords) impl_->stopper.add(w);
  Xapian::QueryParser& qp = impl_->parser;
  qp.set_database(impl_->db);
  qp.set_stemmer(Xapian::Stem("english"));
  qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  qp.set_stopper(&impl_->stopper);
  qp.set_default_op(Xapian::Query::OP_OR);
  for (const auto& f : kFields) qp.add_prefix(f.name, std::string(f.prefix));
}

Searcher::~Searcher() = default;

SearchResults Searcher::search(const std::string& raw_query, const SearchOptions& o) {
  SearchResults res;
  res.query = raw_query;
  res.passage_mode = o.passages;
  res.offset = o.offset;
  const std::string query = normalise_query(raw_query);
  if (std::string problem = check_query(query, fields()); !problem.empty()) throw QueryError(problem);

  Xapian::Query parsed;
  Impl& im = *impl_;
  try {
    im.parser.set_max_expansion(o.max_wildcard_expansion, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
    parsed = im.parser.parse_query(query, Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_WILDCARD |
                                              Xapian::QueryParser::FLAG_PURE_NOT);
  } catch (const Xapian::QueryParserError& e) {
    throw QueryError("cannot parse query: " + e.get_msg());
  }
  if (parsed.empty()) throw QueryError("the query has no searchable words (only stop words or punctuation?)");
  HighlightQuery hq;
  collect(parsed, hq);

  const Xapian::doccount all = im.db.get_doccount();
  Xapian::Enquire enquire(im.db);
  enquire.set_query(parsed);
  enquire.set_weighting_scheme(Xapian::BM25Weight());
  Xapian::ValueCountMatchSpy per_document(fmt::kSlotDocument);
  std::size_t fetch;
  if (o.passages) {
    fetch = o.offset + o.limit;
  } else {
    enquire.set_collapse_key(fmt::kSlotDocument, static_cast<Xapian::doccount>(o.passages_per_document));
    enquire.add_matchspy(&per_document);
    fetch = (o.offset + o.limit) * o.passages_per_document;
  }
  Xapian::MSet mset;
  try {
    mset = enquire.get_mset(0, static_cast<Xapian::doccount>(fetch), all);
  } catch (const Xapian::Error& e) {
    throw QueryError("query failed: " + e.get_description());
  }

  const auto passage_of = [&](const Xapian::MSetIterator& it) {
    const nlohmann::json data = nlohmann::json::parse(it.get_document().get_data());
    PassageHit p;
    p.number = data.value(fmt::kDataPassage, 0);
    p.paragraph = data.value(fmt::kDataParagraph, 0);
    p.section = data.value(fmt::kDataSection, "");
    p.text = data.value(fmt::kDataText, "");
    p.score = it.get_weight();
    p.highlights = highlight(p.text, hq, im.stemmer);
    return std::make_pair(data.value(fmt::kDataDocument, ""), std::move(p));
  };

  if (o.passages) {
    res.total = mset.get_matches_estimated();
    std::size_t rank = 0;
    for (auto it = mset.begin(); it != mset.end(); ++it, ++rank) {
      if (rank < o.offset) continue;
      auto [doc_id, p] = passage_of(it);
      SearchHit hit;
      hit.rank = rank + 1;
      hit.meta = im.meta(doc_id);
      hit.score = p.score;
      hit.passages.push_back(std::move(p));
      res.hits.push_back(std::move(hit));
    }
    return res;
  }

  // Documents in the order of their best passage.
  res.total = 0;
  for (auto v = per_document.values_begin(); v != per_document.values_end(); ++v) ++res.total;
  std::vector<std::string> order;
  std::map<std::string, SearchHit> by_doc;
  for (auto it = mset.begin(); it != mset.end(); ++it) {
    const std::string doc_id = it.get_collapse_key();
    auto found = by_doc.find(doc_id);
    if (found == by_doc.end()) {
      if (order.size() >= o.offset + o.limit) continue;
      order.push_back(doc_id);
      found = by_doc.emplace(doc_id, SearchHit{}).first;
      found->second.score = it.get_weight();
    }
    SearchHit& hit = found->second;
    if (hit.passages.size() >= o.passages_per_document || it.get_weight() < hit.score * o.passage_score_ratio) continue;
    hit.passages.push_back(passage_of(it).second);
  }
  for (std::size_t i = o.offset; i < order.size(); ++i) {
    SearchHit hit = std::move(by_doc[order[i]]);
    hit.rank = i + 1;
    hit.meta = im.meta(order[i]);
    res.hits.push_back(std::move(hit));
  }
  return res;
}

IndexInfo Searcher::info() const {
  IndexInfo info;
  const Xapian::Database& db = impl_->db;
  info.path = impl_->dir;
  info.passages = db.get_doccount();
  const std::string doc_prefix(fmt::kKeyDocPrefix);
  for (auto it = db.metadata_keys_begin(doc_prefix); it != db.metadata_keys_end(doc_prefix); ++it) ++info.documents;
  for (auto it = db.allterms_begin(); it != db.allterms_end(); ++it) ++info.terms;
  info.revision = db.get_revision();
  info.bytes_on_disk = folder_size(impl_->dir);
  info.format_version = std::stoi(db.get_metadata(std::string(fmt::kKeyFormat)));
  return info;
}

}  // namespace quire
