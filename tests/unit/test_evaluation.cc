// Relevance measures, checked against values worked out by hand from trec_eval's definitions
// (trec_eval 9.0.8: m_map.c, m_ndcg_cut.c, m_P.c, m_recall.c, m_recip_rank.c).
#include <catch2/catch.hpp>
#include <cmath>
#include <sstream>

#include "quire/errors.h"
#include "quire/evaluation.h"

namespace {

quire::Qrels qrels_of(const std::string& text) {
  std::istringstream in(text);
  return quire::read_qrels(in, "qrels");
}

quire::Run run_of(const std::string& text) {
  std::istringstream in(text);
  return quire::read_run(in, "run");
}

const quire::QueryEval& query(const quire::Evaluation& e, const std::string& id) {
  for (const auto& q : e.queries)
    if (q.query == id) return q;
  FAIL("query " << id << " not scored");
  throw;
}

}  // namespace

TEST_CASE("binary judgments: MAP, P@10, recall, MRR and nDCG by hand", "[eval]") {
  // Relevant: d1 d3 d5; d2 judged not relevant. Retrieved d1 d2 d3 d4: relevant at ranks 1 and 3.
  const auto qrels = qrels_of("q1 0 d1 1\nq1 0 d2 0\nq1 0 d3 1\nq1 0 d5 1\n");
  const auto run = run_of("q1 Q0 d1 1 3.0 t\nq1 Q0 d2 2 2.0 t\nq1 Q0 d3 3 1.0 t\nq1 Q0 d4 4 0.5 t\n");
  const auto e = quire::evaluate(run, qrels);
  const auto& q = query(e, "q1");
  CHECK(q.relevant == 3);
  CHECK(q.relevant_retrieved == 2);
  CHECK(q.map == Approx((1.0 / 1 + 2.0 / 3) / 3));  // 0.5556
  CHECK(q.p10 == Approx(0.2));                      // P@10 divides by 10 whatever was retrieved
  CHECK(q.recall100 == Approx(2.0 / 3));
  CHECK(q.mrr == Approx(1.0));
  const double dcg = 1 + 1 / std::log2(4.0);         // ranks 1 and 3
  const double idcg = 1 + 1 / std::log2(3.0) + 0.5;  // three relevant at ranks 1..3
  CHECK(q.ndcg10 == Approx(dcg / idcg));             // 0.7039
  CHECK(q.ndcg10 == Approx(0.7039).margin(5e-5));
}

TEST_CASE("graded judgments, and ties broken by document id descending", "[eval]") {
  // a=2, b=1, c=0. Scores c 2.0, a 1.0, b 1.0: the tie puts b before a, so the ranking is c b a.
  const auto e = quire::evaluate(run_of("q2 Q0 a 1 1.0 t\nq2 Q0 b 2 1.0 t\nq2 Q0 c 3 2.0 t\n"),
                                 qrels_of("q2 0 a 2\nq2 0 b 1\nq2 0 c 0\n"));
  const auto& q = query(e, "q2");
  CHECK(q.mrr == Approx(0.5));
  CHECK(q.map == Approx((1.0 / 2 + 2.0 / 3) / 2));
  const double dcg = 1 / std::log2(3.0) + 2 / std::log2(4.0);  // b at 2, a at 3
  const double idcg = 2 + 1 / std::log2(3.0);
  CHECK(q.ndcg10 == Approx(dcg / idcg));
  CHECK(q.ndcg10 == Approx(0.6199).margin(5e-5));
}

TEST_CASE("only queries both judged and run are scored: means are over them", "[eval]") {
  const auto qrels = qrels_of("a 0 x 1\nb 0 y 1\nc 0 z 1\n");
  const auto run = run_of("a Q0 x 1 9 t\nb Q0 n 1 9 t\nb Q0 y 2 8 t\nd Q0 x 1 9 t\n");
  const auto e = quire::evaluate(run, qrels);
  REQUIRE(e.queries.size() == 2);  // c was not run, d is not judged
  CHECK(e.mean.mrr == Approx((1.0 + 0.5) / 2));
  CHECK(e.mean.map == Approx((1.0 + 0.5) / 2));
  CHECK(e.mean.relevant_retrieved == 2);
}

TEST_CASE("nDCG@10 and P@10 look at the first ten only: R@1000 at a thousand", "[eval]") {
  std::string run;
  for (int i = 1; i <= 1200; ++i)
    run += "q Q0 d" + std::to_string(i) + " " + std::to_string(i) + " " + std::to_string(2000 - i) + " t\n";
  // Relevant: d11 (rank 11), d150 (rank 150), d1100 (rank 1100).
  const auto e = quire::evaluate(run_of(run), qrels_of("q 0 d11 1\nq 0 d150 1\nq 0 d1100 1\n"));
  const auto& q = query(e, "q");
  CHECK(q.ndcg10 == 0);
  CHECK(q.p10 == 0);
  CHECK(q.recall100 == Approx(1.0 / 3));  // d11 only
  CHECK(q.recall1000 == Approx(2.0 / 3));
  CHECK(q.mrr == Approx(1.0 / 11));
  CHECK(q.map == Approx((1.0 / 11 + 2.0 / 150 + 3.0 / 1100) / 3));
}

TEST_CASE("BEIR qrels: header line, CRLF, tabs", "[eval]") {
  const auto q = qrels_of("query-id\tcorpus-id\tscore\r\n1\t31715818\t1\r\n3\t14717500\t1\r\n\r\n");
  REQUIRE(q.size() == 2);
  CHECK(q.at("1").at("31715818") == 1);
  CHECK(q.at("3").at("14717500") == 1);
}

TEST_CASE("malformed runs and judgments name the line", "[eval]") {
  CHECK_THROWS_WITH(qrels_of("q 0 d 1\nq 0 d\n"), Catch::Contains("qrels:2:"));
  CHECK_THROWS_WITH(qrels_of("q 0 d high\n"), Catch::Contains("'high' is not an integer"));
  CHECK_THROWS_WITH(run_of("q Q0 d 1 1.0 t\nq Q0 e 2 x t\n"), Catch::Contains("run:2:"));
  CHECK_THROWS_WITH(run_of("q Q0 d 1\n"), Catch::Contains("found 4 fields"));
  CHECK_THROWS_AS(quire::read_run_file("/nonexistent/run"), quire::InputError);
}
