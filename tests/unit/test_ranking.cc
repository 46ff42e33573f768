// How a result's score is formed (searcher/ranking.cc): BM25 over passages only, the proximity
// re-rank and the words of asking dropped from verbose plain queries.
#include <xapian.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <string>
#include <utility>
#include <vector>

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

TEST_CASE("stem_form_prefixes: every word the English stemmer takes to a stem starts with one of them", "[ranking]") {
  // The words whose stems are not their own beginnings: a changed last letter (happy, hoping, agency,
  // probability), the stemmer's exceptions (dying, skies, ugly), and words of more than one byte a letter.
  const Xapian::Stem stem("english");
  for (const char* word : {"happy",       "happiness",   "hoping",     "agency",   "agencies",
                           "probability", "probably",    "dying",      "lying",    "tying",
                           "dies",        "skies",       "skis",       "ugly",     "early",
                           "only",        "gently",      "singly",     "idly",     "news",
                           "atlas",       "cosmos",      "bias",       "andes",    "generalization",
                           "sensational", "conditional", "relational", "cries",    "flies",
                           "possibility", "activity",    "operator",   "creation", "succeeded",
                           "inning",      "a",           "as",         "us",       "naïvety",
                           "café",        "élan",        "über",       "nation's", "peacekeeping",
                           "hopefully",   "y",           "yes"}) {
    const std::string s = stem(word);
    INFO(word << " -> " << s);
    const auto prefixes = quire::stem_form_prefixes(s);
    REQUIRE_FALSE(prefixes.empty());
    CHECK(std::any_of(prefixes.begin(), prefixes.end(),
                      [&](const std::string& p) { return !p.empty() && std::string(word).rfind(p, 0) == 0; }));
  }
  // A prefix never cuts a letter of two bytes in half: "café" less its last letter is "caf".
  CHECK(quire::stem_form_prefixes("café") == std::vector<std::string>{"caf"});
  CHECK(quire::stem_form_prefixes("die") == std::vector<std::string>{"di", "dy"});
  CHECK(quire::stem_form_prefixes("x") == std::vector<std::string>{"x"});
}

namespace {

// The bonus as the re-rank computed it before it read positions per word: from the passage's term
// list (a term maps to its own word when the query has it as written, else to its stem's), the
// reference the positions per word must agree with on an undamaged index.
double termlist_bonus(const Xapian::Database& db, const std::vector<std::string>& words, const std::vector<double>& idf,
                      Xapian::docid passage) {
  const Xapian::Stem stem("english");
  std::vector<std::pair<Xapian::termpos, int>> at;
  const auto word_of = [&](const std::string& w) {
    const auto f = std::lower_bound(words.begin(), words.end(), w);
    return f != words.end() && *f == w ? static_cast<int>(f - words.begin()) : -1;
  };
  for (auto t = db.termlist_begin(passage); t != db.termlist_end(passage); ++t) {
    const std::string term = *t;
    if (term.empty() || (term[0] >= 'A' && term[0] <= 'Z')) continue;
    int w = word_of(term);
    const auto c = static_cast<unsigned char>(term[0]);
    if (w < 0 && ((c >= 'a' && c <= 'z') || c >= 0x80)) w = word_of("Z" + stem(term));
    if (w < 0) continue;
    for (auto p = t.positionlist_begin(); p != t.positionlist_end(); ++p) at.emplace_back(*p, w);
  }
  std::sort(at.begin(), at.end());
  const std::size_t n = words.size();
  std::map<std::pair<int, int>, Xapian::termpos> best;
  std::map<int, Xapian::termpos> last;
  for (const auto& [pos, w] : at) {
    for (const auto& [o, at_o] : last) {
      if (o == w) continue;
      const auto key = std::minmax(o, w);
      const auto found = best.find(key);
      if (found == best.end() || pos - at_o < found->second) best[key] = pos - at_o;
    }
    last[w] = pos;
  }
  double sum = 0;
  for (const auto& [pair, distance] : best)
    sum += std::min(idf[pair.first], idf[pair.second]) / std::max<Xapian::termpos>(1, distance);
  return n > 1 ? sum / static_cast<double>(n - 1) : 0;
}

}  // namespace

TEST_CASE("proximity from each query word's positions gives the bonus the passage's term list gave", "[ranking]") {
  TempDir db;
  quire::IndexOptions io;
  io.db_path = db.path() + "/index";
  quire::index_paths({quire::test::source_dir() + "/corpus"}, io);
  const Xapian::Database xdb(io.db_path);
  const Xapian::Stem stem("english");
  const double passages = quire::passage_stats(xdb).passages;

  // Every word of the index is found under the prefixes of its stem.
  std::size_t words_checked = 0;
  for (auto t = xdb.allterms_begin(); t != xdb.allterms_end(); ++t) {
    const std::string term = *t;
    const auto c = static_cast<unsigned char>(term[0]);
    if (!((c >= 'a' && c <= 'z') || c >= 0x80)) continue;
    const auto prefixes = quire::stem_form_prefixes(stem(term));
    INFO(term);
    CHECK(std::any_of(prefixes.begin(), prefixes.end(), [&](const std::string& p) { return term.rfind(p, 0) == 0; }));
    ++words_checked;
  }
  CHECK(words_checked > 1000);

  // Queries of the corpus's own words: three stems of a passage's words at positions 1, 4 and 9 (so
  // that they are near in some passages), and once the first of them as written too.
  std::vector<std::vector<std::string>> queries;
  for (auto p = xdb.postlist_begin(""); p != xdb.postlist_end("") && queries.size() < 60; ++p) {
    std::map<Xapian::termpos, std::string> by_pos;
    for (auto t = xdb.termlist_begin(*p); t != xdb.termlist_end(*p); ++t) {
      const std::string term = *t;
      if (term.empty() || !(term[0] >= 'a' && term[0] <= 'z')) continue;
      for (auto q = t.positionlist_begin(); q != t.positionlist_end(); ++q) by_pos[*q] = term;
    }
    if (!by_pos.count(1) || !by_pos.count(4) || !by_pos.count(9)) continue;
    std::vector<std::string> q;
    for (Xapian::termpos at : {1, 4, 9}) q.push_back("Z" + stem(by_pos[at]));
    queries.push_back(q);
    q.push_back(by_pos[1]);
    queries.push_back(q);
  }
  REQUIRE(queries.size() >= 20);
  // A word the index does not hold at all: no positions anywhere, no bonus from it.
  queries.push_back({"Zzzyzzx", "zzyzzx", "Z" + stem(queries[0][0].substr(1))});

  std::size_t compared = 0, with_bonus = 0;
  for (const auto& terms : queries) {
    const Xapian::Query query(Xapian::Query::OP_OR, terms.begin(), terms.end());
    std::vector<std::string> words(terms.begin(), terms.end());
    std::sort(words.begin(), words.end());
    words.erase(std::unique(words.begin(), words.end()), words.end());
    std::vector<double> idf;
    for (const auto& w : words) {
      const double df = xdb.get_termfreq(w);
      idf.push_back(std::log(1 + (passages - df + 0.5) / (df + 0.5)));
    }
    quire::Proximity prox(xdb, query);
    REQUIRE(prox.useful() == (words.size() >= 2));
    Xapian::Enquire enquire(xdb);
    enquire.set_query(query);
    const Xapian::MSet top = enquire.get_mset(0, 30);
    for (auto it = top.begin(); it != top.end(); ++it) {
      INFO(query.get_description() << " passage " << *it);
      const double expected = termlist_bonus(xdb, words, idf, *it);
      CHECK(prox.bonus(*it) == Approx(expected).margin(1e-12));
      ++compared;
      if (expected > 0) ++with_bonus;
    }
  }
  CHECK(compared > 300);
  CHECK(with_bonus > 100);
}

TEST_CASE("proximity finds a stem's word at each of its forms, and a word as written at its own", "[ranking]") {
  TempDir docs, db;
  // a is the longer, so BM25 alone puts b first.
  docs.write("a.xml", doc_xml("a", {"the soldiers were dying far from the harbours they had defended all winter"}));
  docs.write("b.xml", doc_xml("b", {"soldier rules changed slowly across many distant ports while others die"}));
  docs.write("c.xml", doc_xml("c", {"weather reports for sailors"}));
  index(db, docs);
  const Xapian::Database xdb(db.path() + "/index");
  const std::vector<std::string> words{"Zdie", "Zsoldier"};
  quire::Proximity prox(xdb, Xapian::Query(Xapian::Query::OP_OR, words.begin(), words.end()));
  REQUIRE(prox.useful());
  std::vector<std::pair<std::string, int>> expected{{"die", 0}, {"dying", 0}, {"soldier", 1}, {"soldiers", 1}};
  CHECK(prox.terms() == expected);
  quire::Searcher s(db.path() + "/index");
  quire::SearchOptions o;
  o.ranking.proximity = 0;
  CHECK(ids(s.search("die soldier", o)) == std::vector<std::string>{"b", "a"});
  // "soldiers were dying": two words apart in a, ten in b.
  o.ranking.proximity = 1;
  CHECK(ids(s.search("die soldier", o)) == std::vector<std::string>{"a", "b"});
  // Written as "soldiers" in quotes, the word is that term alone: "soldier" in b is not it.
  const std::vector<std::string> written{"Zdie", "soldiers"};
  quire::Proximity exact(xdb, Xapian::Query(Xapian::Query::OP_OR, written.begin(), written.end()));
  expected = {{"die", 0}, {"dying", 0}, {"soldiers", 1}};
  CHECK(exact.terms() == expected);
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
