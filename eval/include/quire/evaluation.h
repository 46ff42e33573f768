/** @file
 *  @brief Relevance evaluation with trec_eval's definitions: runs (`qid Q0 docid rank score tag`),
 *  judgments (TREC qrels `qid iter docid rel`, or BEIR's TSV `query-id corpus-id score` with a header
 *  line), and per-query and mean MAP, nDCG@10, P@10, R@100, R@1000 and reciprocal rank.
 *
 *  As in trec_eval 9.0.8 without -c: a run's ranking is its scores in decreasing order, ties broken by
 *  document id in decreasing byte order (the rank column is ignored); only queries that are both judged
 *  and in the run are scored; a document is relevant when its judgment is at least 1; nDCG gains are the
 *  judgments themselves, discounted by log2(rank + 1).
 */
#pragma once

#include <cstddef>
#include <istream>
#include <map>
#include <string>
#include <vector>

namespace quire {

/// Judgments: query id -> document id -> relevance (0 or less is judged not relevant).
using Qrels = std::map<std::string, std::map<std::string, int>>;

struct RunEntry {
  std::string doc;
  double score = 0;
};
/// A run: query id -> retrieved documents in file order.
using Run = std::map<std::string, std::vector<RunEntry>>;

/// `id` as one token of a TREC run, TREC qrels or a TSV column: every byte that is white space, a
/// control character or '%' is written as %XX (so "doc 1" is "doc%201"), and so is each byte of a C1
/// control, a line break (is_line_break(): U+2028, U+2029), a Unicode space (is_unicode_space(): NBSP
/// is "%C2%A0", U+3000 "%E3%80%80") or an is_display_control() character (U+202E is "%E2%80%AE"); any
/// other byte as it is.
/// quire writes runs, qrels and query files this way, so ids with spaces or tabs survive the round trip
/// through `quire batch` and `quire eval`.
std::string trec_token(const std::string& id);

/// Reads TREC or BEIR judgments, CRLF or LF. Throws InputError naming `name` and the line.
Qrels read_qrels(std::istream& in, const std::string& name);
Qrels read_qrels_file(const std::string& path);
/// Reads a TREC run. Throws InputError naming `name` and the line.
Run read_run(std::istream& in, const std::string& name);
Run read_run_file(const std::string& path);

struct QueryEval {
  std::string query;
  std::size_t retrieved = 0;
  std::size_t relevant = 0;  ///< judged relevant
  std::size_t relevant_retrieved = 0;
  double map = 0, ndcg10 = 0, p10 = 0, recall100 = 0, recall1000 = 0, mrr = 0;
};

struct Evaluation {
  std::vector<QueryEval> queries;  ///< scored queries, sorted by id
  QueryEval mean;                  ///< arithmetic means (counts are sums); query = "all"
};

/// Scores `run` against `qrels`.
Evaluation evaluate(const Run& run, const Qrels& qrels);

}  // namespace quire
