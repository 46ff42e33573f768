/** @file
 *  @brief How a result's score is formed: the weighting scheme Xapian scores passages with, and the
 *  optional proximity re-rank of the best results. The one place the score is defined; `--explain`
 *  and benchmarks/README.md describe what is here.
 */
#pragma once

#include <xapian.h>

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "quire/searcher.h"

namespace quire {

/// The names RankingOptions::weighting takes, as "a, b or c" for messages.
extern const char* const kWeightingNames;
bool is_weighting(const std::string& name);

/// The passages of an index, as BM25 must count them: document records are Xapian documents too
/// (format 4) but hold no text, so Xapian's own document count and average length would count them.
struct PassageStats {
  double passages = 0;        ///< Xapian documents less document records
  double average_length = 0;  ///< words per passage
  double share = 1;           ///< passages / Xapian documents
};
PassageStats passage_stats(const Xapian::Database& db);

/// BM25 (and BM25+ when delta > 0) over passages, with PassageStats for N and the average length.
/// A query word's score in a passage, times its OP_SCALE_WEIGHT factor:
///   idf * (k3 + 1) * qtf / (k3 + qtf) * ((k1 + 1) * tf / (K + tf) + delta),
///   idf = log(1 + (N - n + 0.5) / (n + 0.5)),  K = k1 * (1 - b + b * max(0.5, len / average_length)),
/// tf the word's count in the passage, n the passages holding it, qtf its count in the query.
class PassageBM25 : public Xapian::Weight {
 public:
  PassageBM25(double k1, double k3, double b, double delta, PassageStats stats);
  std::string name() const override { return "quire.PassageBM25"; }
  Xapian::Weight* clone() const override { return new PassageBM25(k1_, k3_, b_, delta_, stats_); }
  void init(double factor) override;
  double get_sumpart(Xapian::termcount wdf, Xapian::termcount len, Xapian::termcount uniqterms) const override;
  double get_maxpart() const override;
  double get_sumextra(Xapian::termcount, Xapian::termcount) const override { return 0; }
  double get_maxextra() const override { return 0; }

 private:
  double k1_, k3_, b_, delta_;
  PassageStats stats_;
  double term_weight_ = 0;  ///< idf and query-frequency part, times the factor
};

/// The weighting scheme of `r`: PassageBM25 for bm25 and bm25+ (Xapian's own BM25 with equivalent
/// k1 and b when `remote`, as a stock xapian-tcpsrv knows no other scheme), else Xapian's scheme.
std::unique_ptr<Xapian::Weight> make_weighting(const RankingOptions& r, const PassageStats& stats, bool remote);

/// A word of asking, not of the subject ("interested", "receive", "grateful"), lower-case.
bool is_request_word(const std::string& word);
/// Plain queries with at least this many words other than stop words are verbose requests.
constexpr std::size_t kVerboseQueryWords = 8;

/// A result being re-ranked: its passage and its score.
struct Ranked {
  Xapian::docid passage = 0;
  double score = 0;
};

/// The proximity bonus of one passage: for each pair of distinct query words it holds, the rarer
/// word's idf over the smallest distance between them in words (1 when adjacent), summed and divided
/// by the number of query words less one. `words` are the query's indexed terms ("Z" + stem, or the
/// word as written); positions are read from the passage's unstemmed terms.
class Proximity {
 public:
  Proximity(const Xapian::Database& db, const Xapian::Query& query);
  double bonus(Xapian::docid passage);
  bool useful() const { return idf_.size() >= 2; }

 private:
  const Xapian::Database& db_;
  Xapian::Stem stem_{"english"};
  std::vector<std::string> words_;              ///< the query's terms, sorted
  std::vector<double> idf_;                     ///< per word
  std::unordered_map<std::string, int> cache_;  ///< unstemmed term -> word index or -1
  int word_of(const std::string& term);
};

/// Adds r.proximity times each result's Proximity::bonus to its score and sorts by the new score
/// (ties: the earlier rank first).
void rerank_by_proximity(const Xapian::Database& db, const Xapian::Query& query, const RankingOptions& r,
                         std::vector<Ranked>& results);

}  // namespace quire
