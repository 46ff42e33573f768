// The index writer and searcher together, on temporary indexes: incremental updates, grouping,
// fielded search, and agreement between quire's tokenizer and Xapian's TermGenerator.
#include <xapian.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <map>

#include "quire/errors.h"
#include "quire/indexer.h"
#include "quire/readers.h"
#include "quire/searcher.h"
#include "quire/text_cleaner.h"
#include "quire/tokenizer.h"
#include "support.h"

using quire::test::TempDir;

namespace {

std::string doc_xml(const std::string& id, const std::string& title, const std::vector<std::string>& paras) {
  std::string s = "<document id=\"" + id + "\"><meta><title>" + title +
                  "</title><authors><author>Jane Roe</author></authors>"
                  "<publisher>Institute</publisher></meta><body><section>";
  for (const auto& p : paras) s += "<p>" + p + "</p>";
  return s + "</section></body></document>";
}

quire::IndexSummary index(const TempDir& db, const std::vector<std::string>& paths, bool prune = false) {
  quire::IndexOptions o;
  o.db_path = db.path() + "/index";
  o.prune = prune;
  return quire::index_paths(paths, o);
}

std::vector<std::string> ids(const quire::SearchResults& r) {
  std::vector<std::string> out;
  for (const auto& h : r.hits) out.push_back(h.meta.id);
  return out;
}

}  // namespace

TEST_CASE("tokenizer positions agree with Xapian's TermGenerator on the seed documents", "[index][tokenizer]") {
  const std::string seeds = quire::test::shared_dir() + "/seeds";
  if (!std::filesystem::exists(seeds)) {
    WARN("skipped: " << seeds << " is not there");
    return;
  }
  std::size_t compared = 0;
  for (const auto& e : std::filesystem::directory_iterator(seeds)) {
    const auto cleaned = quire::clean_text(quire::test::read_file(e.path().string()));
    for (const auto& block : cleaned.blocks) {
      Xapian::Document doc;
      Xapian::TermGenerator tg;
      tg.set_document(doc);
      tg.index_text(block.text);
      std::map<Xapian::termpos, std::string> by_pos;
      for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t)
        for (auto p = t.positionlist_begin(); p != t.positionlist_end(); ++p) by_pos[*p] = *t;
      const auto tokens = quire::tokenize(block.text);
      REQUIRE(tokens.size() == by_pos.size());
      for (std::size_t i = 0; i < tokens.size(); ++i) {
        CAPTURE(block.text, i);
        CHECK(tokens[i].term == by_pos[static_cast<Xapian::termpos>(i + 1)]);
      }
      ++compared;
    }
  }
  CHECK(compared > 100);
}

TEST_CASE("re-indexing skips unchanged files, replaces changed ones, prunes vanished ones", "[index]") {
  TempDir docs, db;
  const std::string a = docs.write("a.xml", doc_xml("a", "Alpha", {"Sanctions were imposed after the tests in 1998."}));
  const std::string b =
      docs.write("sub/b.txt", "Beta text about the corridor and its projects, long enough to index.\n");

  auto s = index(db, {docs.path()});
  CHECK(s.indexed == 2);
  CHECK(s.failures.empty());
  CHECK(quire::Searcher(db.path() + "/index").info().documents == 2);

  s = index(db, {docs.path()});
  CHECK(s.indexed == 0);
  CHECK(s.unchanged == 2);

  // Change a's text: its passages are replaced, not added to.
  std::filesystem::last_write_time(a, std::filesystem::last_write_time(a) + std::chrono::seconds(5));
  docs.write("a.xml", doc_xml("a", "Alpha", {"Entirely different words about maritime security."}));
  s = index(db, {docs.path()});
  CHECK(s.indexed == 1);
  {
    quire::Searcher searcher(db.path() + "/index");
    CHECK(searcher.search("sanctions").total == 0);
    CHECK(searcher.search("maritime").total == 1);
    CHECK(searcher.info().passages == 2);
  }

  // The last file of sub/ deleted: sub/ is empty now, as an unmounted drive's folder is, so --prune
  // keeps the document and says so; once the folder is gone too, the file is gone for good.
  std::filesystem::remove(b);
  s = index(db, {docs.path()}, true);
  CHECK(s.removed == 0);
  CHECK(s.kept.size() == 1);
  std::filesystem::remove(docs.path() + "/sub");
  s = index(db, {docs.path()});
  CHECK(s.vanished == 1);
  CHECK(quire::Searcher(db.path() + "/index").search("corridor").total == 1);  // kept without --prune
  s = index(db, {docs.path()}, true);
  CHECK(s.removed == 1);
  CHECK(quire::Searcher(db.path() + "/index").search("corridor").total == 0);
}

TEST_CASE("a bad file is reported and the others are indexed", "[index]") {
  TempDir docs, db;
  docs.write("good.xml",
             doc_xml("good", "Good",
                     {"Perfectly ordinary text about trade and tariffs, long enough to be a passage of its own."}));
  docs.write("broken.xml", "<document id=\"x\"><meta>");
  docs.write("zdup.xml", doc_xml("good", "Duplicate", {"Same id as another file, which is an error."}));
  const auto s = index(db, {docs.path()});
  CHECK(s.indexed == 1);
  REQUIRE(s.failures.size() == 2);
  std::string reasons;
  for (const auto& f : s.failures) reasons += f.reason + "\n";
  CHECK_THAT(reasons, Catch::Contains("not well-formed XML"));
  CHECK_THAT(reasons, Catch::Contains("duplicate document id \"good\""));
  CHECK(quire::Searcher(db.path() + "/index").search("tariffs").total == 1);
}

TEST_CASE("search groups passages by document and ranks passages in passage mode", "[search]") {
  TempDir docs, db;
  docs.write(
      "a.xml",
      doc_xml("a", "Sanctions policy",
              {"Sanctions on exports were tightened in the first year of the crisis, as officials said then.",
               "The sanctions regime was later eased after the long negotiations between the parties ended.",
               "Unrelated paragraph about agriculture and the wheat harvests of the northern provinces this year."}));
  docs.write("b.xml",
             doc_xml("b", "Trade", {"A single mention of sanctions in a longer paragraph about tariffs and trade."}));
  index(db, {docs.path()});
  quire::Searcher s(db.path() + "/index");

  const auto docs_mode = s.search("sanctions");
  CHECK(docs_mode.total == 2);
  REQUIRE(docs_mode.hits.size() == 2);
  CHECK(docs_mode.hits[0].rank == 1);
  CHECK(docs_mode.hits[1].rank == 2);
  for (const auto& h : docs_mode.hits) CHECK(h.passages.size() == (h.meta.id == "a" ? 2u : 1u));

  quire::SearchOptions o;
  o.passages = true;
  const auto passages = s.search("sanctions", o);
  CHECK(passages.total == 3);
  CHECK(passages.hits.size() == 3);
  for (const auto& h : passages.hits) CHECK(h.passages.size() == 1);

  o.offset = 1;
  o.limit = 1;
  const auto page = s.search("sanctions", o);
  REQUIRE(page.hits.size() == 1);
  CHECK(page.hits[0].rank == 2);
  CHECK(page.total == 3);

  SECTION("fielded search") {
    CHECK(ids(s.search("title:trade")) == std::vector<std::string>{"b"});
    CHECK(s.search("author:roe").total == 2);
    CHECK(s.search("publisher:institute").total == 2);
  }
  SECTION("boolean operators and wildcards") {
    CHECK(ids(s.search("sanctions NOT tariffs")) == std::vector<std::string>{"a"});
    CHECK(s.search("agri*").total == 1);
    CHECK(ids(s.search("sanctions NEAR eased")) == std::vector<std::string>{"a"});
    CHECK(s.search("exports NEAR/2 eased").total == 0);  // same document, different passages
    CHECK(s.search("sanctions AND wheat").total == 0);   // no single passage has both
  }
  SECTION("a malformed query is a QueryError with the reason") {
    CHECK_THROWS_AS(s.search("\"open phrase"), quire::QueryError);
    CHECK_THROWS_WITH(s.search("sanctions AND"), "'AND' at character 11 needs a term on each side");
  }
}

TEST_CASE("opening a missing index or a non-quire database fails clearly", "[index]") {
  TempDir db;
  CHECK_THROWS_WITH(quire::Searcher(db.path() + "/none"), Catch::StartsWith("no index at"));
  {
    Xapian::WritableDatabase plain(db.path() + "/plain", Xapian::DB_CREATE);
    plain.add_document(Xapian::Document());
    plain.commit();
  }
  CHECK_THROWS_WITH(quire::Searcher(db.path() + "/plain"), Catch::EndsWith("is not a quire index"));
  quire::IndexOptions o;
  o.db_path = db.path() + "/plain";
  CHECK_THROWS_WITH(quire::index_paths({db.path()}, o), Catch::EndsWith("a Xapian database, but not a quire index"));
}

TEST_CASE("an index of another format version is refused, and --rebuild starts it afresh", "[index]") {
  TempDir docs, db;
  docs.write("a.xml", doc_xml("a", "Alpha", {"A paragraph about maritime security in the Arabian Sea, long enough."}));
  index(db, {docs.path()});
  {
    Xapian::WritableDatabase w(db.path() + "/index", Xapian::DB_OPEN);
    w.set_metadata("quire:format", "1");
    w.commit();
  }
  CHECK_THROWS_WITH(index(db, {docs.path()}), Catch::Contains("has format version 1") && Catch::Contains("--rebuild"));
  CHECK_THROWS_WITH(quire::Searcher(db.path() + "/index"), Catch::Contains("has format version 1"));
  quire::IndexOptions o;
  o.db_path = db.path() + "/index";
  o.rebuild = true;
  const auto s = quire::index_paths({docs.path()}, o);
  CHECK(s.indexed == 1);
  CHECK(quire::Searcher(db.path() + "/index").search("maritime").total == 1);
}

namespace {

// The spelling table's words and counts, and what they should be: each word's wdf summed over the
// index's passages, its fielded copies (title, author, publisher) counted as the word.
using Counts = std::map<std::string, Xapian::termcount>;
Counts spelling_table(const Xapian::Database& db) {
  Counts out;
  for (auto w = db.spellings_begin(); w != db.spellings_end(); ++w) out[*w] = w.get_termfreq();
  return out;
}
Counts passage_words(const Xapian::Database& db) {
  Counts out;
  for (auto p = db.postlist_begin(""); p != db.postlist_end(""); ++p) {
    const Xapian::Document doc = db.get_document(*p);
    if (doc.get_data().find("\"t\":") == std::string::npos) continue;  // a document record, not a passage
    for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
      std::string term = *t;
      const auto upper = [](char c) { return c >= 'A' && c <= 'Z'; };
      for (const std::string prefix : {"S", "A", "XPUB"})
        if (term.size() > prefix.size() && term.rfind(prefix, 0) == 0 && !upper(term[prefix.size()])) {
          term.erase(0, prefix.size());
          break;
        }
      if (term.empty() || upper(term[0]) || (term[0] >= '0' && term[0] <= '9')) continue;
      out[term] += std::max<Xapian::termcount>(1, t.get_wdf());
    }
  }
  return out;
}

}  // namespace

TEST_CASE("the spelling table counts every passage's words, through changes and removals", "[index][spelling]") {
  TempDir docs, db;
  const std::string a = docs.write("a.xml", doc_xml("a", "Harbour Report",
                                                    {"The harbour treaty, harbour fees and harbour dues.",
                                                     "Fishing in the harbour was argued over for years and years.",
                                                     "Zanzibarium fishing rights were signed."}));
  docs.write("b.xml", doc_xml("b", "Fishing", {"Fishing boats left the harbour at dawn."}));
  REQUIRE(index(db, {docs.path()}).failures.empty());
  const auto check = [&](const std::string& word, bool held) {
    const Xapian::Database x(db.path() + "/index");
    const Counts table = spelling_table(x), expected = passage_words(x);
    CHECK(table == expected);
    CHECK(table.count(word) == (held ? 1u : 0u));
  };
  check("zanzibarium", true);
  {
    // Five in the text, and one for the title in each of a's passages.
    const Xapian::Database x(db.path() + "/index");
    CHECK(spelling_table(x).at("harbour") == 5 + x.get_termfreq("XDOCa"));
  }

  std::filesystem::last_write_time(a, std::filesystem::last_write_time(a) + std::chrono::seconds(5));
  docs.write("a.xml", doc_xml("a", "Harbour Report", {"The harbour was quiet.", "Nothing was signed."}));
  REQUIRE(index(db, {docs.path()}).indexed == 1);
  check("zanzibarium", false);

  std::filesystem::remove(a);
  REQUIRE(index(db, {docs.path()}, true).failures.empty());
  check("report", false);
}
