/** @file
 *  @brief Readers for IR test collections, so quire's ranking can be measured on judged queries:
 *  BEIR's layout (corpus.jsonl, queries.jsonl, qrels/SPLIT.tsv) and the classic collections in their
 *  original distributions (CISI, CRAN, MED, CACM and ADI in SMART's ".I/.T/.W" layout; NPL; LISA).
 *
 *  Every document becomes a Document with one paragraph: test collections are judged at document level.
 *  Query and document ids are kept as the collection writes them, without leading zeros, so that the
 *  judgments, the queries and a run agree. What each reader does with a collection's known defects is
 *  said in docs/evaluation.md.
 */
#pragma once

#include <string>
#include <vector>

#include "quire/document.h"

namespace quire {

struct TestQuery {
  std::string id;
  std::string text;
};

struct Judgment {
  std::string query;
  std::string doc;
  int relevance = 0;  ///< 1 or more: relevant; graded collections give higher values to better documents
};

struct TestCollection {
  std::string name;
  std::vector<Document> documents;
  std::vector<TestQuery> queries;
  std::vector<Judgment> judgments;
  std::vector<std::string> notes;    ///< defects met and how they were handled, one line each
  std::vector<std::string> skipped;  ///< "FILE:LINE: reason" of each input line left out (import exits 1)
  std::string queries_source;        ///< the file the queries were read from ("" when none was read)
  std::string judgments_source;      ///< the file the judgments were read from ("" when none was read)
};

/// "; it has train, test": the BEIR splits (qrels/SPLIT.tsv) in `dir`, for messages.
std::string beir_splits(const std::string& dir);

/// Formats read_test_collection() knows: beir, cisi, cran, med, cacm, adi, npl, lisa.
const std::vector<std::string>& test_collection_formats();

/// Reads the collection in `dir`. For BEIR, `split` names qrels/SPLIT.tsv and only the queries judged
/// there are kept; classic collections ignore it. Throws InputError naming the file and line.
TestCollection read_test_collection(const std::string& format, const std::string& dir, const std::string& split = "");

}  // namespace quire
