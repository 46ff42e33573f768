// How a result's score is formed (searcher/ranking.cc): BM25 over passages only, the proximity
// re-rank and the words of asking dropped from verbose plain queries.
#include <xapian.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <map>

#include "quire/indexer.h"
#include "quire/ranking.h"
#include "quire/searcher.h"
#include "support.h"

using quire::test::TempDir;

namespace {

std::string doc_xml(const std::string& id, const std::vector<std::string>& paras) {
  std::string s = "<document id=\"" + id + "\"><meta><title>" + id + "</title></meta><body><section>";
  for (const auto& p : paras) s += "<p>" + p + "</p>";
  return s + "</section></body></document>";
}

void index(const TempDir& db, const TempDir& docs) {
  quire::IndexOptions o;
  o.db_path = db.path() + "/index";
  quire::index_paths({docs.path()}, o);
}

std::vector<std::string> ids(const quire::SearchResults& r) {
  std::vector<std::string> out;
  for (const auto& h : r.hits) out.push_back(h.meta.id);
  return out;
}

}  // namespace

TEST_CASE("the weighting names are checked", "[ranking]") {
  for (const char* name : {"bm25", "bm25+", "lm", "dlh", "dph", "pl2", "inl2"}) CHECK(quire::is_weighting(name));
  for (const char* name : {"", "BM25", "tfidf", "bm25 "}) CHECK_FALSE(quire::is_weighting(name));
}

TEST_CASE("every weighting scheme is one of Xapian's own, which a stock xapian-tcpsrv runs", "[ranking]") {
  // A remote shard scores with the scheme it is sent, unserialised from Xapian's registry: a scheme of
  // quire's own would be refused there, or would need a server built with it.
  const Xapian::Registry registry;
  quire::PassageStats stats;
  stats.documents = 20;
  stats.passages = 10;
  stats.average_length = 30;
  stats.share = 0.5;
  for (const char* name : {"bm25", "bm25+", "lm", "dlh", "dph", "pl2", "inl2"}) {
    INFO(name);
    quire::RankingOptions r;
    r.weighting = name;
    const auto w = quire::make_weighting(r, stats);
    REQUIRE(w);
    CHECK(registry.get_weighting_scheme(w->name()) != nullptr);
  }
}

TEST_CASE("the idf factor turns Xapian's idf, records counted, into the passages' own", "[ranking]") {
  quire::PassageStats stats;
  stats.documents = 2000;  // 1000 passages, 1000 document records
  stats.passages = 1000;
  stats.average_length = 50;
  stats.share = 0.5;
  quire::RankingOptions r;  // k1 1.5, b 0.75: Xapian's k1 is 1.5 * (0.25 + 0.75 * 0.5) = 0.9375
  const double k1x = 0.9375;
  struct Case {
    double n;
  };
  for (const Case c : {Case{1}, Case{10}, Case{500}, Case{999}, Case{1000}}) {
    INFO("n " << c.n);
    const double ours = std::log(1 + (1000 - c.n + 0.5) / (c.n + 0.5));
    double tw = (2000 - c.n + 0.5) / (c.n + 0.5);
    if (tw < 2) tw = tw / 2 + 1;
    CHECK(quire::passage_idf_factor(r, stats, c.n) == Approx(ours / std::log(tw) * 2.5 / (k1x + 1)));
  }
  CHECK(quire::passage_idf_factor(r, stats, 0) == 1);  // no passage holds it: nothing to weigh
  r.weighting = "dlh";
  CHECK(quire::passage_idf_factor(r, stats, 10) == 1);
}

TEST_CASE("BM25 counts passages, not document records, in N and the average length", "[ranking]") {
  TempDir docs, db;
  // Three documents of one passage each, and so three document records that hold no words.
  docs.write("a.xml", doc_xml("a", {"harbour cranes lifted containers"}));
  docs.write("b.xml", doc_xml("b", {"harbour tugs pushed barges alongside wharves near sunrise"}));
  docs.write("c.xml", doc_xml("c", {"engineers measured tides currents winds waves sediments channels buoys"}));
  index(db, docs);
  const Xapian::Database xdb(db.path() + "/index");
  REQUIRE(xdb.get_doccount() == 6);
  double words = 0;
  std::map<double, bool> lengths;  // the passages holding "harbour", by length
  for (auto it = xdb.postlist_begin(""); it != xdb.postlist_end(""); ++it) words += xdb.get_doclength(*it);
  for (auto it = xdb.postlist_begin("Zharbour"); it != xdb.postlist_end("Zharbour"); ++it)
    lengths[xdb.get_doclength(*it)] = true;
  REQUIRE(lengths.size() == 2);
  const quire::PassageStats stats = quire::passage_stats(xdb);
  CHECK(stats.passages == 3);
  CHECK(stats.average_length == Approx(words / 3));

  quire::Searcher s(db.path() + "/index");
  quire::SearchOptions o;
  o.passages = true;
  const auto r = s.search("harbour", o);
  REQUIRE(r.hits.size() == 2);
  // By hand: N 3, n 2, so idf log(1 + 1.5 / 2.5); k1 1.5, b 0.75; tf 1; qtf 1 (its k3 part is 1).
  const double idf = std::log(1.6);
  const auto expected = [&](double len) {
    return idf * 2.5 / (1.5 * (0.25 + 0.75 * std::max(0.5, len / stats.average_length)) + 1);
  };
  CHECK(r.hits[0].meta.id == "a");
  CHECK(r.hits[0].score == Approx(expected(lengths.begin()->first)));
  CHECK(r.hits[1].score == Approx(expected(lengths.rbegin()->first)));

  SECTION("bm25+ adds delta times the term weight to each matching word") {
    o.ranking.weighting = "bm25+";
    o.ranking.delta = 1;
    const auto plus = s.search("harbour", o);
    REQUIRE(plus.hits.size() == 2);
    CHECK(plus.hits[0].score == Approx(expected(lengths.begin()->first) + idf));
  }
}

TEST_CASE("proximity re-ranks the best results by how close the query words are", "[ranking]") {
  TempDir docs, db;
  // The same words and length; in "b" the two query words are adjacent, in "a" eight words apart.
  docs.write("a.xml", doc_xml("a", {"tariff rules changed slowly across many distant ports quota"}));
  docs.write("b.xml", doc_xml("b", {"tariff quota rules changed slowly across many distant ports"}));
  docs.write("c.xml", doc_xml("c", {"weather reports for sailors"}));
  index(db, docs);
  quire::Searcher s(db.path() + "/index");
  quire::SearchOptions o;
  CHECK(o.ranking.proximity == 0);  // the default: off (searcher.h says why)
  o.ranking.proximity = 0;
  CHECK(ids(s.search("tariff quota", o)) == std::vector<std::string>{"a", "b"});  // a tie, by document id
  o.ranking.proximity = 1;
  const auto r = s.search("tariff quota", o);
  CHECK(ids(r) == std::vector<std::string>{"b", "a"});
  REQUIRE(r.hits.size() == 2);
  // Bonus: the rarer word's idf over the distance, over (2 words - 1): idf / 1 for b, idf / 8 for a.
  const double idf = std::log(1 + (3 - 2 + 0.5) / (2 + 0.5));
  CHECK(r.hits[0].score - r.hits[1].score == Approx(idf - idf / 8));
  SECTION("one query word: nothing to be close to, the scores are BM25's") {
    o.ranking.proximity = 0;
    const double plain = s.search("tariff", o).hits[0].score;
    o.ranking.proximity = 1;
    CHECK(s.search("tariff", o).hits[0].score == Approx(plain));
  }
  SECTION("a page past the first is cut from the re-ranked list") {
    o.limit = 1;
    o.offset = 1;
    CHECK(ids(s.search("tariff quota", o)) == std::vector<std::string>{"a"});
  }
}

TEST_CASE("verbose plain queries drop the words of asking", "[ranking]") {
  TempDir docs, db;
  docs.write("a.xml", doc_xml("a", {"readers interested in receiving pleased grateful letters"}));
  docs.write("b.xml", doc_xml("b", {"periodicals budgets cuts in academic libraries journals"}));
  index(db, docs);
  quire::Searcher s(db.path() + "/index");
  quire::SearchOptions o;
  o.plain = true;
  o.limit = 5;
  const std::string verbose =
      "I would be pleased and grateful to receive anything; I am interested in journals, "
      "periodicals, budgets and cuts";
  o.ranking.drop_request_words = false;
  auto both = ids(s.search(verbose, o));
  std::sort(both.begin(), both.end());
  CHECK(both == std::vector<std::string>{"a", "b"});
  o.ranking.drop_request_words = true;
  CHECK(ids(s.search(verbose, o)) == std::vector<std::string>{"b"});
  // A short query keeps them: "interested readers" is a subject, not a request.
  CHECK(ids(s.search("interested readers", o)) == std::vector<std::string>{"a"});
  for (const char* w : {"interested", "receive", "pleased", "grateful"}) CHECK(quire::is_request_word(w));
  for (const char* w : {"journals", "information", "libraries"}) CHECK_FALSE(quire::is_request_word(w));
}
