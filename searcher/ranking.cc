#include "quire/ranking.h"

#include <algorithm>
#include <cmath>
#include <limits>

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
  const double all = db.get_doccount();
  s.passages = std::max(1.0, all - db.get_termfreq(std::string(format::kTermRecord)));
  s.average_length = std::max(1.0, db.get_avlength() * all / s.passages);  // records hold no words
  s.share = all > 0 ? s.passages / all : 1;
  return s;
}

PassageBM25::PassageBM25(double k1, double k3, double b, double delta, PassageStats stats)
    : k1_(k1), k3_(k3), b_(b), delta_(delta), stats_(stats) {
  need_stat(TERMFREQ);
  need_stat(WQF);
  need_stat(WDF);
  need_stat(DOC_LENGTH);
  need_stat(DOC_LENGTH_MIN);
  need_stat(WDF_MAX);
}

void PassageBM25::init(double factor) {
  if (factor == 0) {  // the extra part, which is none
    term_weight_ = 0;
    return;
  }
  const double n = get_termfreq(), q = get_wqf();
  const double idf = std::log(1 + (stats_.passages - n + 0.5) / (n + 0.5));
  term_weight_ = factor * idf * (k3_ + 1) * q / (k3_ + q);
}

double PassageBM25::get_sumpart(Xapian::termcount wdf, Xapian::termcount len, Xapian::termcount) const {
  if (wdf == 0) return 0;
  const double norm = k1_ * (1 - b_ + b_ * std::max(0.5, len / stats_.average_length));
  return term_weight_ * ((k1_ + 1) * wdf / (norm + wdf) + delta_);
}

double PassageBM25::get_maxpart() const {
  const double wdf = get_wdf_upper_bound();
  if (wdf == 0) return 0;
  const double norm = k1_ * (1 - b_ + b_ * std::max(0.5, get_doclength_lower_bound() / stats_.average_length));
  return term_weight_ * ((k1_ + 1) * wdf / (norm + wdf) + delta_);
}

std::unique_ptr<Xapian::Weight> make_weighting(const RankingOptions& r, const PassageStats& stats, bool remote) {
  const double delta = r.weighting == "bm25+" ? r.delta : 0;
  if (r.weighting == "bm25" || r.weighting == "bm25+") {
    if (!remote) return std::make_unique<PassageBM25>(r.k1, r.k3, r.b, delta, stats);
    // Xapian's average length counts the records too: the k1 and b that give the same
    // k1 * (1 - b + b * len / average_length) over its shorter average. Its idf counts them too.
    const double k1 = r.k1 * (1 - r.b + r.b * stats.share);
    const double b = k1 > 0 ? r.k1 * r.b * stats.share / k1 : r.b;
    if (delta > 0) return std::make_unique<Xapian::BM25PlusWeight>(k1, 0, r.k3, b, 0.5, delta);
    return std::make_unique<Xapian::BM25Weight>(k1, 0, r.k3, b, 0.5);
  }
  if (r.weighting == "lm") return std::make_unique<Xapian::LMWeight>(0, Xapian::Weight::DIRICHLET_SMOOTHING, r.mu, 0);
  if (r.weighting == "dlh") return std::make_unique<Xapian::DLHWeight>();
  if (r.weighting == "dph") return std::make_unique<Xapian::DPHWeight>();
  if (r.weighting == "pl2") return std::make_unique<Xapian::PL2Weight>(r.c);
  if (r.weighting == "inl2") return std::make_unique<Xapian::InL2Weight>(r.c);
  return std::make_unique<Xapian::BM25Weight>(r.k1, 0, r.k3, r.b, 0.5);
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
}

int Proximity::word_of(const std::string& term) {
  if (auto it = cache_.find(term); it != cache_.end()) return it->second;
  auto find = [&](const std::string& w) {
    auto f = std::lower_bound(words_.begin(), words_.end(), w);
    return f != words_.end() && *f == w ? static_cast<int>(f - words_.begin()) : -1;
  };
  int index = find(term);
  if (index < 0 && starts_with_ascii_or_utf8_letter(term)) index = find("Z" + stem_(term));
  cache_.emplace(term, index);
  return index;
}

double Proximity::bonus(Xapian::docid passage) {
  if (!useful()) return 0;
  std::vector<std::pair<Xapian::termpos, int>> at;  // (position, word index)
  for (auto t = db_.termlist_begin(passage); t != db_.termlist_end(passage); ++t) {
    const std::string term = *t;
    if (!unprefixed(term)) continue;
    const int w = word_of(term);
    if (w < 0) continue;
    for (auto p = t.positionlist_begin(); p != t.positionlist_end(); ++p) at.emplace_back(*p, w);
  }
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
  for (auto& x : results) x.score += r.proximity * prox.bonus(x.passage);
  std::stable_sort(results.begin(), results.end(), [](const Ranked& a, const Ranked& b) { return a.score > b.score; });
}

}  // namespace quire
