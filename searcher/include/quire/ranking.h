/** @file
 *  @brief How a result's score is formed: the weighting scheme Xapian scores passages with, and the
 *  optional proximity re-rank of the best results. The one place the score is defined; `--explain`
 *  and benchmarks/README.md describe what is here.
 */
#pragma once

#include <xapian.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "quire/searcher.h"

namespace quire {

/// The names RankingOptions::weighting takes, as "a, b or c" for messages.
extern const char* const kWeightingNames;
bool is_weighting(const std::string& name);

/// The passages of an index, as BM25 must count them: document records are Xapian documents too
/// (format 4) but hold no text, so Xapian's own document count and average length count them.
struct PassageStats {
  double documents = 0;       ///< Xapian documents: passages and document records
  double passages = 0;        ///< Xapian documents less document records
  double average_length = 0;  ///< words per passage
  double share = 1;           ///< passages / Xapian documents
};
PassageStats passage_stats(const Xapian::Database& db);

/// quire's BM25 (bm25+ adds delta to each matching word) scores a query word in a passage as
///   idf * (k3 + 1) * qtf / (k3 + qtf) * ((k1 + 1) * tf / (K + tf) + delta),
///   idf = log(1 + (N - n + 0.5) / (n + 0.5)),  K = k1 * (1 - b + b * max(0.5, len / average_length)),
/// N the passages (PassageStats), tf the word's count in the passage, n the passages holding it, qtf
/// its count in the query, times the query's own OP_SCALE_WEIGHT factors. It is computed by Xapian's
/// stock BM25Weight (BM25PlusWeight), the only schemes a stock xapian-tcpsrv runs, so that local and
/// remote shards score alike: make_weighting() gives it the k1, b and min_normlen that normalise
/// over Xapian's average length (records counted, as empty documents) as K does over passages, and
/// with_passage_idf() scales each word of the query by passage_idf_factor(), turning Xapian's idf
/// (records counted in N) and its (k1 + 1) into the ones above.
///
/// The weighting scheme of `r`: BM25Weight or BM25PlusWeight as above for bm25 and bm25+, else
/// Xapian's scheme of that name (whose statistics count the records).
std::unique_ptr<Xapian::Weight> make_weighting(const RankingOptions& r, const PassageStats& stats);

/// The factor on a word held by `n` passages: quire's idf over Xapian's, times (k1 + 1) over the k1 + 1
/// of make_weighting(). 1 for the schemes other than bm25 and bm25+, and for a word no passage holds.
double passage_idf_factor(const RankingOptions& r, const PassageStats& stats, double n);

/// `q` with every word that adds weight scaled by passage_idf_factor() (OP_SCALE_WEIGHT, which a
/// remote shard is sent with the query). A group Xapian weights as one (a phrase, NEAR, a wildcard's
/// synonyms) is scaled by the mean of its words' factors (that of a word in one passage when it
/// names none). Boolean branches (filters, NOTs) are kept as they are.
Xapian::Query with_passage_idf(const Xapian::Query& q, const Xapian::Database& db, const RankingOptions& r,
                               const PassageStats& stats);

/// The factor with_passage_idf() puts on a group (a phrase, NEAR): the mean of its words' factors.
double passage_idf_group_factor(const Xapian::Query& group, const Xapian::Database& db, const RankingOptions& r,
                                const PassageStats& stats);

/// The factor of an OP_SCALE_WEIGHT query: Xapian 1.4 gives it only in the description, written with
/// 20 significant digits ("Query(0.33333333333333331483 * Zfoo)"), so it reads back exactly.
double scale_factor(const Xapian::Query& q);

/// A word of asking, not of the subject ("interested", "receive", "grateful"), lower-case.
bool is_request_word(const std::string& word);
/// Plain queries with at least this many words other than stop words are verbose requests.
constexpr std::size_t kVerboseQueryWords = 8;

/// A result being re-ranked: its passage, its score and the proximity bonus in it.
struct Ranked {
  Xapian::docid passage = 0;
  double score = 0;
  double bonus = 0;
};

/// The proximity bonus of one passage: for each pair of distinct query words it holds, the rarer
/// word's idf over the smallest distance between them in words (1 when adjacent), summed and divided
/// by the number of query words less one. `words` are the query's indexed terms ("Z" + stem, or the
/// word as written). Positions are kept on the unstemmed terms only, so a stem's word is found at the
/// positions of each term of the index that stems to it (its forms: "tariffs" and "tariff" for
/// "Ztariff"), a word as written at its own.
///
/// It reads the positions of those terms in each passage (Database::positionlist_begin), never the
/// passage's term list: on a damaged termlist table Xapian 1.4 reads past its buffer there. Both
/// functions let Xapian's errors through (DatabaseCorruptError and the rest), for the search to report
/// the index damaged as it does without the re-rank; a term the passage does not hold has no positions.
class Proximity {
 public:
  /// Finds the forms of the query's stems in the index's list of terms (a range of it for each stem).
  Proximity(const Xapian::Database& db, const Xapian::Query& query);
  double bonus(Xapian::docid passage);
  bool useful() const { return idf_.size() >= 2; }
  /// The terms whose positions are read, each with the index of its word in the sorted query words.
  const std::vector<std::pair<std::string, int>>& terms() const { return terms_; }

 private:
  const Xapian::Database& db_;
  std::vector<std::string> words_;                  ///< the query's terms, sorted
  std::vector<double> idf_;                         ///< per word
  std::vector<std::pair<std::string, int>> terms_;  ///< (term with positions, word index)
};

/// Where in the sorted list of terms every word that the English stemmer takes to `stem` lies: the
/// prefixes those words start with. Snowball's English stemmer keeps a word's beginning and changes at
/// most the last letter of the stem it keeps (happy -> happi, hoping -> hope, agency -> agenc), but for
/// dying, lying and tying (die, lie, tie); so the stem less its last letter, and for a stem ending in
/// "ie" also the stem less "ie" with "y". Never empty: a stem of one letter gives itself.
std::vector<std::string> stem_form_prefixes(const std::string& stem);

/// Adds r.proximity times each result's Proximity::bonus to its score (and to Ranked::bonus) and
/// sorts by the new score (ties: the earlier rank first).
void rerank_by_proximity(const Xapian::Database& db, const Xapian::Query& query, const RankingOptions& r,
                         std::vector<Ranked>& results);

}  // namespace quire
