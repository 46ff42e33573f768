// How a result's score is formed (ranking.h): quire's BM25 through Xapian's stock weighting schemes and
// per-word scale factors, the proximity re-rank of the best results, and the words of asking.
#include "quire/ranking.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <map>

#include "quire/index_format.h"

namespace quire {

const char* const kWeightingNames = "bm25, bm25+, lm, dlh, dph, pl2 or inl2";

bool is_weighting(const std::string& name) {
  for (const char* n : {"bm25", "bm25+", "lm", "dlh", "dph", "pl2", "inl2"})
    if (name == n) return true;
  return false;
}

PassageStats passage_stats(const Xapian::Database& db) {
  PassageStats s;
  s.documents = db.get_doccount();
  s.passages = std::max(1.0, s.documents - db.get_termfreq(std::string(format::kTermRecord)));
  s.average_length = std::max(1.0, db.get_avlength() * s.documents / s.passages);  // records hold no words
  s.share = s.documents > 0 ? std::min(1.0, s.passages / s.documents) : 1;
  return s;
}

namespace {

bool is_bm25(const RankingOptions& r) { return r.weighting == "bm25" || r.weighting == "bm25+"; }

// The k1 and b that give, over Xapian's average length (passages times `share`), the K of ranking.h:
// k1' * (1 - b') = k1 * (1 - b) and k1' * b' = k1 * b * share; and min_normlen 0.5 / share.
struct XapianBM25 {
  double k1, b, min_normlen;
};
XapianBM25 xapian_bm25(const RankingOptions& r, const PassageStats& s) {
  const double k1 = r.k1 * (1 - r.b + r.b * s.share);
  return {k1, k1 > 0 ? r.k1 * r.b * s.share / k1 : r.b, 0.5 / s.share};
}

// Xapian 1.4's idf of a word in n of N documents: BM25Weight's log((N - n + 0.5) / (n + 0.5)),
// BM25PlusWeight's log((N + 1) / n), each with a ratio under 2 raised to ratio / 2 + 1.
double xapian_idf(bool plus, double documents, double n) {
  double tw = plus ? (documents + 1) / n : (documents - n + 0.5) / (n + 0.5);
  if (tw < 2) tw = tw * 0.5 + 1;
  return std::log(tw);
}

}  // namespace

std::unique_ptr<Xapian::Weight> make_weighting(const RankingOptions& r, const PassageStats& stats) {
  if (is_bm25(r)) {
    const XapianBM25 x = xapian_bm25(r, stats);
    // BM25PlusWeight adds delta times its term weight, which holds its own k1 + 1: passage_idf_factor()
    // puts quire's k1 + 1 in its place, so delta is given in Xapian's terms.
    if (r.weighting == "bm25+")
      return std::make_unique<Xapian::BM25PlusWeight>(x.k1, 0, r.k3, x.b, x.min_normlen,
                                                      r.delta * (x.k1 + 1) / (r.k1 + 1));
    return std::make_unique<Xapian::BM25Weight>(x.k1, 0, r.k3, x.b, x.min_normlen);
  }
  if (r.weighting == "lm") return std::make_unique<Xapian::LMWeight>(0, Xapian::Weight::DIRICHLET_SMOOTHING, r.mu, 0);
  if (r.weighting == "dlh") return std::make_unique<Xapian::DLHWeight>();
  if (r.weighting == "dph") return std::make_unique<Xapian::DPHWeight>();
  if (r.weighting == "pl2") return std::make_unique<Xapian::PL2Weight>(r.c);
  if (r.weighting == "inl2") return std::make_unique<Xapian::InL2Weight>(r.c);
  return std::make_unique<Xapian::BM25Weight>(r.k1, 0, r.k3, r.b, 0.5);
}

double passage_idf_factor(const RankingOptions& r, const PassageStats& stats, double n) {
  if (!is_bm25(r) || n <= 0) return 1;
  const double idf = std::log(1 + (stats.passages - n + 0.5) / (n + 0.5));
  return idf / xapian_idf(r.weighting == "bm25+", stats.documents, n) * (r.k1 + 1) / (xapian_bm25(r, stats).k1 + 1);
}

double scale_factor(const Xapian::Query& q) {
  const std::string d = q.get_description();
  const std::size_t open = d.find('(');
  return open == std::string::npos ? 1 : std::strtod(d.c_str() + open + 1, nullptr);
}

namespace {

struct IdfScaler {
  const Xapian::Database& db;
  const RankingOptions& r;
  const PassageStats& stats;
  std::map<std::string, double> factors;

  double factor(const std::string& term) {
    auto [it, added] = factors.emplace(term, 1);
    if (added) it->second = passage_idf_factor(r, stats, db.get_termfreq(term));
    return it->second;
  }
  double group_factor(const Xapian::Query& q) {
    double sum = 0;
    std::size_t words = 0;
    for (auto t = q.get_terms_begin(); t != q.get_terms_end(); ++t, ++words) sum += factor(*t);
    return words > 0 ? sum / static_cast<double>(words) : passage_idf_factor(r, stats, 1);
  }
  Xapian::Query scaled(const Xapian::Query& q, double f) {
    return f == 1 ? q : Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q, f);
  }
  Xapian::Query operator()(const Xapian::Query& q) {
    const auto rebuilt = [&](std::size_t weighted) {  // the first `weighted` subqueries add weight
      std::vector<Xapian::Query> subs;
      for (std::size_t i = 0; i < q.get_num_subqueries(); ++i)
        subs.push_back(i < weighted ? (*this)(q.get_subquery(i)) : q.get_subquery(i));
      return Xapian::Query(q.get_type(), subs.begin(), subs.end());
    };
    switch (q.get_type()) {
      case Xapian::Query::LEAF_TERM:
        return scaled(q, factor(*q.get_terms_begin()));
      case Xapian::Query::OP_AND:
      case Xapian::Query::OP_OR:
      case Xapian::Query::OP_XOR:
      case Xapian::Query::OP_AND_MAYBE:
      case Xapian::Query::OP_MAX:
        return rebuilt(q.get_num_subqueries());
      case Xapian::Query::OP_AND_NOT:
      case Xapian::Query::OP_FILTER:
        return rebuilt(1);
      case Xapian::Query::OP_SCALE_WEIGHT: {
        const double f = scale_factor(q);
        if (f == 0 || q.get_num_subqueries() == 0) return q;
        return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, (*this)(q.get_subquery(0)), f);
      }
      case Xapian::Query::LEAF_MATCH_ALL:
      case Xapian::Query::LEAF_MATCH_NOTHING:
      case Xapian::Query::OP_VALUE_RANGE:
      case Xapian::Query::OP_VALUE_GE:
      case Xapian::Query::OP_VALUE_LE:
        return q;
      default:  // phrases, NEAR, synonyms, wildcards, elite sets: weighted as a group
        return scaled(q, group_factor(q));
    }
  }
};

}  // namespace

Xapian::Query with_passage_idf(const Xapian::Query& q, const Xapian::Database& db, const RankingOptions& r,
                               const PassageStats& stats) {
  if (!is_bm25(r)) return q;
  IdfScaler scale{db, r, stats, {}};
  return scale(q);
}

double passage_idf_group_factor(const Xapian::Query& group, const Xapian::Database& db, const RankingOptions& r,
                                const PassageStats& stats) {
  if (!is_bm25(r)) return 1;
  IdfScaler scale{db, r, stats, {}};
  return scale.group_factor(group);
}

bool is_request_word(const std::string& word) {
  static const char* const kWords[] = {"interested",   "interest", "pleased", "grateful", "receive",    "wish",
                                       "want",         "like",     "looking", "please",   "appreciate", "especially",
                                       "particularly", "describe", "give",    "find",     "would"};
  for (const char* w : kWords)
    if (word == w) return true;
  return false;
}

namespace {

bool unprefixed(const std::string& term) { return !term.empty() && !(term[0] >= 'A' && term[0] <= 'Z'); }

bool starts_with_ascii_or_utf8_letter(const std::string& term) {
  const auto c = static_cast<unsigned char>(term[0]);
  return (c >= 'a' && c <= 'z') || c >= 0x80;
}

}  // namespace

std::vector<std::string> stem_form_prefixes(const std::string& stem) {
  std::size_t last = stem.size();  // where the last UTF-8 character starts
  while (last > 0 && (static_cast<unsigned char>(stem[last - 1]) & 0xC0) == 0x80) --last;
  if (last > 0) --last;
  std::vector<std::string> prefixes{last > 0 ? stem.substr(0, last) : stem};
  if (stem.size() >= 3 && stem.compare(stem.size() - 2, 2, "ie") == 0)
    prefixes.push_back(stem.substr(0, stem.size() - 2) + "y");
  return prefixes;
}

Proximity::Proximity(const Xapian::Database& db, const Xapian::Query& query) : db_(db) {
  for (auto t = query.get_terms_begin(); t != query.get_terms_end(); ++t) {
    const std::string& term = *t;
    if (unprefixed(term) || (term.size() > 1 && term[0] == 'Z' && unprefixed(term.substr(1)))) words_.push_back(term);
  }
  std::sort(words_.begin(), words_.end());
  words_.erase(std::unique(words_.begin(), words_.end()), words_.end());
  const double n = passage_stats(db_).passages;
  for (const auto& w : words_) {
    const double df = db_.get_termfreq(w);
    idf_.push_back(std::log(1 + (n - df + 0.5) / (df + 0.5)));
  }
  if (!useful()) return;
  // A term of a passage is the word it is when the query has it as written, else the word of its stem
  // (when it starts with a letter: the stemmer leaves numbers be).
  const Xapian::Stem stem("english");
  const auto is_word = [&](const std::string& t) { return std::binary_search(words_.begin(), words_.end(), t); };
  for (std::size_t i = 0; i < words_.size(); ++i) {
    const std::string& w = words_[i];
    const int index = static_cast<int>(i);
    if (w[0] != 'Z') {
      terms_.emplace_back(w, index);
      continue;
    }
    const std::string s = w.substr(1);
    for (const auto& prefix : stem_form_prefixes(s))
      for (auto t = db_.allterms_begin(prefix); t != db_.allterms_end(prefix); ++t) {
        const std::string form = *t;
        if (starts_with_ascii_or_utf8_letter(form) && !is_word(form) && stem(form) == s)
          terms_.emplace_back(form, index);
      }
  }
  std::sort(terms_.begin(), terms_.end());
  terms_.erase(std::unique(terms_.begin(), terms_.end()), terms_.end());
}

double Proximity::bonus(Xapian::docid passage) {
  if (!useful()) return 0;
  std::vector<std::pair<Xapian::termpos, int>> at;  // (position, word index)
  for (const auto& [term, w] : terms_)
    for (auto p = db_.positionlist_begin(passage, term); p != db_.positionlist_end(passage, term); ++p)
      at.emplace_back(*p, w);
  if (at.size() < 2) return 0;
  std::sort(at.begin(), at.end());
  const std::size_t n = words_.size();
  constexpr Xapian::termpos kNone = std::numeric_limits<Xapian::termpos>::max();
  std::vector<Xapian::termpos> last(n, kNone), best(n * n, kNone);
  for (const auto& [pos, w] : at) {
    for (std::size_t o = 0; o < n; ++o) {
      if (static_cast<int>(o) == w || last[o] == kNone) continue;
      const std::size_t i = std::min<std::size_t>(o, w), j = std::max<std::size_t>(o, w);
      best[i * n + j] = std::min(best[i * n + j], pos - last[o]);
    }
    last[w] = pos;
  }
  double sum = 0;
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = i + 1; j < n; ++j)
      if (best[i * n + j] != kNone) sum += std::min(idf_[i], idf_[j]) / std::max<Xapian::termpos>(1, best[i * n + j]);
  return sum / static_cast<double>(n - 1);
}

void rerank_by_proximity(const Xapian::Database& db, const Xapian::Query& query, const RankingOptions& r,
                         std::vector<Ranked>& results) {
  if (r.proximity <= 0 || results.size() < 2) return;
  Proximity prox(db, query);
  if (!prox.useful()) return;
  for (auto& x : results) {
    x.bonus = r.proximity * prox.bonus(x.passage);
    x.score += x.bonus;
  }
  std::stable_sort(results.begin(), results.end(), [](const Ranked& a, const Ranked& b) { return a.score > b.score; });
}

}  // namespace quire
