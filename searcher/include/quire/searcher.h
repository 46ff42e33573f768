/** @file
 *  @brief Runs ranked queries over a quire index and describes the index. Queries use Xapian's
 *  QueryParser syntax (AND, OR, NOT, "phrases", NEAR, wildcards, title:, author:, publisher:),
 *  ranked by BM25 over passages. By default one result per document with its best passages; in
 *  passage mode each passage is a result of its own.
 *
 *  A Searcher reads a snapshot of the index; it is not thread-safe (use one per thread).
 */
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "quire/document.h"
#include "quire/highlighter.h"
#include "quire/tagging.h"

namespace quire {

/// How passages are scored. BM25 (Robertson, Walker et al.), optionally with pseudo-relevance feedback:
/// the query is run once, the best `feedback_documents` results are taken as relevant, and the
/// `feedback_terms` words that best tell them from the rest (Xapian's ESet) are added to the query with
/// weights scaled to at most `feedback_weight`. Defaults and how they were chosen: benchmarks/README.md.
struct RankingOptions {
  double k1 = 1.5;  ///< term-frequency saturation
  double b = 0.75;  ///< length normalisation, 0 (none) to 1 (full)
  unsigned feedback_documents = 0;
  unsigned feedback_terms = 10;
  double feedback_weight = 0.5;
  /// Plain queries: the query's words matched in the title too, at this share of their body weight.
  double title_weight = 0;
  /// The weighting scheme (searcher/ranking.cc): bm25, bm25+, lm (Dirichlet), dlh, dph, pl2, inl2.
  std::string weighting = "bm25";
  double k3 = 1000;  ///< bm25/bm25+: query-word-count saturation (1000: a word twice in the query counts twice)
  double delta = 1;  ///< bm25+: the lower bound a matching term adds whatever the passage's length
  double mu = 2000;  ///< lm: Dirichlet smoothing
  double c = 1;      ///< pl2/inl2: the DFR normalisation parameter
  /// Proximity: the best `proximity_depth` results re-ranked with a bonus for query words found close
  /// together (searcher/ranking.cc), at this weight; 0 is off. Off by default for now: it reads each
  /// query word's positions (Database::positionlist_begin); benchmarks/README.md's ranking table was
  /// measured with 1, which waits on a CI run with it on (a libxapian leak first blamed on it was seen
  /// with it off as well: tests/lsan.supp).
  double proximity = 0;
  unsigned proximity_depth = 30;
  /// Plain queries of many words (a question, a request): the words of asking ("interested",
  /// "receive", "pleased", ...: ranking.cc) are dropped like stop words.
  bool drop_request_words = true;
};

/// Throws QueryError ("the query is N bytes long; the limit is M (--max-query-bytes)") when `query` is
/// longer than `max_bytes`: the one check of a query's length, made by Searcher::search and, before
/// anything is run or saved, by parse_search_request() (so a collection `quire serve` creates holds to
/// the limit its searches hold to, rt11j row 12).
void check_query_bytes(const std::string& query, std::size_t max_bytes);

struct SearchOptions {
  std::size_t limit = 10;
  std::size_t offset = 0;
  bool passages = false;  ///< rank passages instead of documents
  std::size_t passages_per_document = 3;
  double passage_score_ratio = 0.5;       ///< a document's 2nd/3rd passage is shown if it scores this share of its best
  unsigned max_wildcard_expansion = 500;  ///< a wildcard matches at most this many words (the most frequent)
  /// Longer queries are refused with a QueryError: Xapian 1.4 takes over a minute on a flat 112 KB query.
  std::size_t max_query_bytes = 16384;
  std::size_t max_query_terms = 1000;  ///< words in the query, counted as the index splits words
  /// Extra filters as (field, value) pairs, as if "field:value" were in the query ("actor", "china");
  /// also ("publisher", a value of the publisher facet), which matches that whole publisher exactly.
  std::vector<std::pair<std::string, std::string>> filters;
  /// Facets to count over the whole result set: actor, theme, published, mentions, speaker, publisher, dyad.
  std::vector<std::string> facets;
  std::size_t facet_limit = 10;  ///< values per facet, the most frequent by documents
  /// How a facet's values are listed: by documents (most first), or by value (years in order; still
  /// the facet_limit values with most documents).
  enum class FacetOrder { count, value };
  FacetOrder facet_order = FacetOrder::count;
  /// The query is plain text (a pasted claim, a test collection's question): every word counts, and
  /// nothing in it is an operator, a phrase or a field.
  bool plain = false;
  /// Fill passages' text and highlights; off when only ids and scores are wanted (TREC runs).
  bool passage_text = true;
  /// Count every match, so SearchResults::total is exact. Off, matching stops once the results shown
  /// are certain (Xapian's max-weight pruning) and the total is Xapian's estimate. Asking for facets
  /// counts exactly whatever this says (the counts need every match).
  bool exact = false;
  /// A bound on exact counting, in milliseconds (0: none). When it runs out, counting stops (the results
  /// shown are still the best ones) and SearchResults::timed_out is set; the total and facets then cover
  /// only the matches counted so far.
  unsigned timeout_ms = 0;
  RankingOptions ranking;
  /// Result order: by score, or by publication date (newest or oldest first, then by score). Undated
  /// documents sort as the oldest.
  /// `in_document`: in the order of the passages in their document (for one document's passages).
  enum class Order { relevance, newest, oldest, in_document };
  Order order = Order::relevance;
  /// Stop matching after this many seconds (0: no bound) and rank what was found so far; the counts
  /// then cover only what was looked at (SearchResults::time_limited says so).
  double time_limit_seconds = 0;
  /// Only passages of the document with this id (empty: all); with no query, all of its passages.
  std::string document;
  /// Look for a SearchResults::suggestion (did you mean).
  bool suggest = true;
  /// Fill SearchHit::explanation: why each result scored as it did.
  bool explain = false;
};

/// One value of a facet with exact counts over the whole result set.
struct FacetValue {
  std::string id;
  std::string label;
  std::size_t documents = 0;
  std::size_t passages = 0;
};

/// --facet-order value: whole numbers first, in numeric order (sessions, years), then the others by
/// label, capitals and accents aside ("Soviet Union" before "Spain"), then by id.
bool facet_value_before(const FacetValue& x, const FacetValue& y);

/// A quotation in a passage, with its speaker (empty when unknown or a scare quote).
struct QuoteHit {
  std::uint32_t cp_begin = 0, cp_end = 0;
  std::string speaker;  ///< person id, or "~name"
  std::string speaker_name;
  bool scare = false;
};

struct PassageHit {
  int number = 0;
  int paragraph = 0;
  /// Physical pages of the passage's start and end and their printed labels, for paginated files
  /// (PDF, text with form feeds); 0 and "" otherwise.
  int page = 0, page_end = 0;
  std::string page_label, page_label_end;
  std::string section;
  std::string text;
  double score = 0;
  std::vector<Span> highlights;
  std::vector<std::string> actors;  ///< actor ids named in the passage
  std::vector<std::string> themes;
  std::vector<int> years;  ///< years the passage mentions
  std::vector<QuoteHit> quotes;
};

/// One weighted part of the query and its BM25 share of a passage's score, as Xapian's BM25Weight
/// computes it (the same weighting, statistics and query scale factors as the search).
struct TermWeight {
  std::string term;       ///< the term as the index holds it ("Zkashmir", "Sbhutto"), or a wildcard's group
  std::string field;      ///< "" for the text; "title", "author", "publisher", "quote" for fielded words
  std::string word;       ///< the term without its prefix and stem marker
  unsigned wdf = 0;       ///< times the passage holds it (0 for a group)
  unsigned termfreq = 0;  ///< passages holding it (0 for a group)
  double factor = 1;      ///< the query's scale factor on it (feedback, like:, --title-weight)
  double weight = 0;      ///< its share of the score
};

/// A passage of a result's document that the ranking looked at when it chose the passages shown.
struct PassageScore {
  int number = 0;
  int paragraph = 0;
  double score = 0;
  bool shown = false;
};

/// Why a result scored as it did (SearchOptions::explain).
struct Explanation {
  /// Each weighted part of the query on the result's best passage; their weights sum to its score.
  std::vector<TermWeight> terms;
  /// The filters (boolean terms of the query and the filter options) the best passage holds, as
  /// "field:value" ("actor:pakistan", "published:1965"). Filters on values (publisher, number ranges)
  /// are not listed: every result passed them.
  std::vector<std::string> filters;
  /// Document mode: the document's best passages by score, the shown ones and those left out
  /// (below `threshold` or past SearchOptions::passages_per_document).
  std::vector<PassageScore> passages;
  double threshold = 0;  ///< the score a passage needed to be shown beside the best one
};

struct SearchHit {
  std::size_t rank = 0;  ///< 1-based, counting from the first result of the whole result set
  DocumentMeta meta;
  double score = 0;
  std::vector<PassageHit> passages;
  std::map<std::string, int> document_actors;  ///< every actor of the document: passages naming it
  std::map<std::string, int> document_themes;  ///< every theme of the document: its passages
  std::optional<Explanation> explanation;      ///< set when SearchOptions::explain was
};

struct SearchResults {
  std::string query;
  /// The filters given beside the query (SearchOptions::filters: command-line flags, URL parameters,
  /// a batch line's "filters"), echoed with it.
  std::vector<std::pair<std::string, std::string>> filters;
  bool passage_mode = false;
  std::size_t total = 0;    ///< matching documents (or passages in passage mode); see total_exact
  bool total_exact = true;  ///< false: total is Xapian's estimate (SearchOptions::exact off, or timed out)
  /// With total_exact false: total is a lower bound (the matches counted), not an estimate. So for a
  /// query joining words with AND or filters (correlated words: Xapian's estimate assumes them
  /// independent and fell ten times short) whose matches outnumber the sample counted.
  bool total_lower_bound = false;
  bool timed_out = false;   ///< SearchOptions::timeout_ms ran out before every match was counted
  std::size_t offset = 0;
  std::vector<SearchHit> hits;
  std::vector<std::pair<std::string, std::vector<FacetValue>>> facets;  ///< in the order asked
  bool time_limited = false;  ///< SearchOptions::time_limit_seconds ran out: counts are lower bounds
  /// Did you mean: a query like this one with more results. Its words that the index does not hold
  /// corrected to the nearest words it does (as words, or as the field that holds them:
  /// "author:bhutto"), or, when a phrase matches nothing, its words NEAR each other. Empty when
  /// there is none.
  std::string suggestion;
  /// Set when the page asked for (offset) is past the last result while there are results: where
  /// the last page of `limit` results starts.
  std::optional<std::size_t> last_page_offset;
};

/// One database of a search (a local index folder or a tcp:// shard), as `quire info` reports it.
struct ShardInfo {
  std::string name;
  bool remote = false;
  std::size_t documents = 0;
  std::size_t passages = 0;
  std::uint64_t revision = 0;
  std::uint64_t bytes_on_disk = 0;  ///< 0 for a remote shard (its server's disk)
};

struct IndexInfo {
  std::string path;
  std::size_t documents = 0;
  std::size_t passages = 0;
  std::size_t terms = 0;  ///< distinct terms, prefixed ones included
  std::uint64_t revision = 0;
  std::uint64_t bytes_on_disk = 0;
  int format_version = 0;
  std::vector<ShardInfo> shards;  ///< every database searched, in --db and shard list order
};

/// What a match reports of its counting, to tell a cut count from a whole one.
struct MatchCounts {
  double elapsed_ms = 0, limit_ms = 0;                       ///< time the match took; its bound (0: none)
  std::size_t lower = 0, upper = 0;                          ///< Xapian's bounds on the (collapsed) matches
  std::size_t uncollapsed_lower = 0, uncollapsed_upper = 0;  ///< and on the passages matched
  /// Passages the facet spies saw (their get_total()), when there are facets.
  std::optional<std::size_t> spied;
};

/// True when the time bound stopped the counting before every match was counted: the total and the
/// facets are then partial. Past the bound, any pair of Xapian's bounds that do not meet says so: in
/// document mode the passage bounds of a single word meet (its term frequency) while the documents
/// are cut short; and facet spies that saw fewer passages than matched were cut too.
bool counting_cut(const MatchCounts& m);

class Searcher {
 public:
  /// Opens the index at `dir` for reading. Throws IndexError if there is none or it is of another format.
  /// `tagger` (kept by the caller, may be null) resolves actor, theme and speaker names in queries and
  /// labels facet values; without it those fields take ids only.
  /// `dir` is an index folder, tcp://HOST:PORT (a xapian-tcpsrv) or a shard list file (index_db.h).
  explicit Searcher(const std::string& dir, const Tagger* tagger = nullptr);
  /// Searches every database `dbs` names as one index (Xapian's add_database): the same ranking, facets
  /// and documents as one index of the same files.
  explicit Searcher(const std::vector<std::string>& dbs, const Tagger* tagger = nullptr);
  ~Searcher();
  Searcher(const Searcher&) = delete;
  Searcher& operator=(const Searcher&) = delete;

  /// Runs `query`. Throws QueryError for a malformed query, with a one-line reason.
  SearchResults search(const std::string& query, const SearchOptions& options = {});

  IndexInfo info() const;

  /// A fingerprint of the passages: 64-bit FNV-1a over every passage's id and stored data, in id order,
  /// with the count. Two indexes of the same files have the same digest however they were built.
  std::string digest() const;

  /// Moves to the newest committed revision of the index (a concurrent `quire index` may have committed).
  /// Returns true when the revision changed. Throws IndexError when the index cannot be read, or when
  /// the folder is another one now (a rebuild swapped a new index in): open a new Searcher then.
  bool reopen();

  /// The revision of the snapshot being read.
  std::uint64_t revision() const;

  /// The metadata of document `id`, if the index holds it.
  std::optional<DocumentMeta> document(const std::string& id);

  /// Field names allowed before ':' in a query.
  static const std::vector<std::string>& fields();
  /// Facet names search() can count.
  static const std::vector<std::string>& facet_names();

 private:
  SearchResults search_once(const std::string& query, const SearchOptions& options);
  void open_checks();
  std::string digest_once() const;
  IndexInfo info_once() const;
  // Runs a read; any failure (Xapian's, a damaged record) becomes the IndexError index_error() gives.
  template <typename Fn>
  auto reading(Fn&& fn) const;

  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace quire
