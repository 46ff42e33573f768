// The plain-Xapian peer for quire's benchmarks: what a user who picks Xapian 1.4 gets with its
// documented defaults: TermGenerator and QueryParser with the English stemmer (STEM_SOME), BM25Weight's
// default parameters, QueryParser's default flags and OR as the default operator. No stop words, no
// passages, no tagging. Built as build/benchmarks/xapian-plain; used by benchmarks/ranking.sh.
//
//   xapian-plain index DB DOCS.jsonl          one {"id", "text"} object per line
//   xapian-plain search DB QUERIES.tsv LIMIT  id<TAB>query per line; prints a TREC run
//   xapian-plain index-rows DB ROWS.tsv       doc<TAB>country<TAB>year<TAB>text per line, one document
//                                             each (benchmarks/ungdc.py: one per paragraph), one commit
//   xapian-plain latency DB QUERIES.jsonl LIMIT TIMINGS
//                                             {"id", "query", "by", "from", "to", "facets"} per line:
//                                             top LIMIT with a snippet each (and with "facets": true,
//                                             country and year counts over every match); writes
//                                             id<TAB>milliseconds<TAB>CPU milliseconds
//   xapian-plain count DB QUERIES.jsonl       the same queries (without filters): id<TAB>exact matches
#include <xapian.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

namespace {

int index(const std::string& db_path, const std::string& docs) {
  Xapian::WritableDatabase db(db_path, Xapian::DB_CREATE_OR_OVERWRITE);
  Xapian::TermGenerator tg;
  tg.set_stemmer(Xapian::Stem("english"));
  std::ifstream in(docs);
  std::size_t n = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    const auto j = nlohmann::json::parse(line);
    Xapian::Document doc;
    tg.set_document(doc);
    tg.index_text(j.at("text").get<std::string>());
    const std::string id = j.at("id").get<std::string>();
    doc.set_data(id);
    doc.add_boolean_term("Q" + id);
    db.replace_document("Q" + id, doc);
    ++n;
  }
  db.commit();
  std::fprintf(stderr, "xapian-plain: indexed %zu documents\n", n);
  return 0;
}

int search(const std::string& db_path, const std::string& queries, unsigned limit) {
  Xapian::Database db(db_path);
  Xapian::QueryParser qp;
  qp.set_database(db);
  qp.set_stemmer(Xapian::Stem("english"));
  qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  Xapian::Enquire enquire(db);
  std::ifstream in(queries);
  std::size_t failed = 0;
  for (std::string line; std::getline(in, line);) {
    const auto tab = line.find('\t');
    if (tab == std::string::npos) continue;
    const std::string id = line.substr(0, tab), text = line.substr(tab + 1);
    Xapian::Query q;
    try {
      q = qp.parse_query(text);
    } catch (const Xapian::QueryParserError&) {
      // Natural-language text is not always valid syntax; a user would retry without operators.
      q = qp.parse_query(text, 0);
      ++failed;
    }
    enquire.set_query(q);
    const Xapian::MSet mset = enquire.get_mset(0, limit);
    unsigned rank = 0;
    for (auto it = mset.begin(); it != mset.end(); ++it)
      std::printf("%s Q0 %s %u %.6f xapian\n", id.c_str(), it.get_document().get_data().c_str(), ++rank,
                  it.get_weight());
  }
  if (failed) std::fprintf(stderr, "xapian-plain: %zu queries reparsed without operators\n", failed);
  return 0;
}

int index_rows(const std::string& db_path, const std::string& rows) {
  Xapian::WritableDatabase db(db_path, Xapian::DB_CREATE_OR_OVERWRITE);
  Xapian::TermGenerator tg;
  tg.set_stemmer(Xapian::Stem("english"));
  std::ifstream in(rows);
  std::size_t n = 0;
  for (std::string line; std::getline(in, line);) {
    std::size_t a = line.find('\t'), b = line.find('\t', a + 1), c = line.find('\t', b + 1);
    if (c == std::string::npos) continue;
    const std::string text = line.substr(c + 1);
    Xapian::Document doc;
    tg.set_document(doc);
    tg.index_text(text);
    doc.set_data(line.substr(0, a) + '\t' + text);
    // Filters as a Xapian user would add them: boolean terms for the country and the year.
    doc.add_boolean_term("XC" + line.substr(a + 1, b - a - 1));
    doc.add_boolean_term("XY" + line.substr(b + 1, c - b - 1));
    // And as values, for counting them over the matches (ValueCountMatchSpy).
    doc.add_value(0, line.substr(a + 1, b - a - 1));
    doc.add_value(1, line.substr(b + 1, c - b - 1));
    db.add_document(doc);
    ++n;
  }
  db.commit();
  std::printf("%zu\n", n);
  return 0;
}

int latency(const std::string& db_path, const std::string& queries, unsigned limit, const std::string& timings) {
  Xapian::Database db(db_path);
  Xapian::QueryParser qp;
  qp.set_database(db);
  qp.set_stemmer(Xapian::Stem("english"));
  qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  const Xapian::Stem stem("english");
  Xapian::Enquire enquire(db);
  std::ifstream in(queries);
  std::ofstream out(timings);
  std::size_t snippet_bytes = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    const auto j = nlohmann::json::parse(line);
    const auto t0 = std::chrono::steady_clock::now();
    timespec c0{}, c1{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c0);
    Xapian::Query q = qp.parse_query(j.at("query").get<std::string>());
    if (j.contains("by"))
      q = Xapian::Query(Xapian::Query::OP_FILTER, q, Xapian::Query("XC" + j["by"].get<std::string>()));
    if (j.contains("from")) {
      std::vector<Xapian::Query> years;
      for (int y = j["from"].get<int>(); y <= j["to"].get<int>(); ++y) years.emplace_back("XY" + std::to_string(y));
      q = Xapian::Query(Xapian::Query::OP_FILTER, q, Xapian::Query(Xapian::Query::OP_OR, years.begin(), years.end()));
    }
    enquire.set_query(q);
    // "facets": count countries and years over every match, as a Xapian user would.
    Xapian::ValueCountMatchSpy countries(0), years(1);
    enquire.clear_matchspies();
    const bool facets = j.value("facets", false);
    if (facets) {
      enquire.add_matchspy(&countries);
      enquire.add_matchspy(&years);
    }
    const Xapian::MSet mset = enquire.get_mset(0, limit, facets ? db.get_doccount() : 0);
    if (facets) {
      for (auto v = countries.top_values_begin(10); v != countries.top_values_end(10); ++v)
        snippet_bytes += (*v).size();
      for (auto v = years.top_values_begin(10); v != years.top_values_end(10); ++v) snippet_bytes += (*v).size();
    }
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      const std::string data = it.get_document().get_data();
      snippet_bytes += mset.snippet(data.substr(data.find('\t') + 1), 200, stem).size();
    }
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c1);
    out << j.at("id").get<std::string>() << '\t'
        << std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count() << '\t'
        << static_cast<double>(c1.tv_sec - c0.tv_sec) * 1e3 + static_cast<double>(c1.tv_nsec - c0.tv_nsec) / 1e6
        << '\n';
  }
  std::fprintf(stderr, "xapian-plain: %zu bytes of snippets\n", snippet_bytes);
  return 0;
}

// Exact matches of each query (every match counted), for comparing what two engines' queries mean.
int count(const std::string& db_path, const std::string& queries) {
  Xapian::Database db(db_path);
  Xapian::QueryParser qp;
  qp.set_database(db);
  qp.set_stemmer(Xapian::Stem("english"));
  qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  Xapian::Enquire enquire(db);
  std::ifstream in(queries);
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    const auto j = nlohmann::json::parse(line);
    enquire.set_query(qp.parse_query(j.at("query").get<std::string>()));
    const Xapian::MSet mset = enquire.get_mset(0, 0, db.get_doccount());
    std::printf("%s\t%u\n", j.at("id").get<std::string>().c_str(), mset.get_matches_estimated());
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const std::string cmd = argc > 1 ? argv[1] : "";
    if (cmd == "index" && argc == 4) return index(argv[2], argv[3]);
    if (cmd == "search" && argc == 5) return search(argv[2], argv[3], static_cast<unsigned>(std::stoul(argv[4])));
    if (cmd == "index-rows" && argc == 4) return index_rows(argv[2], argv[3]);
    if (cmd == "count" && argc == 4) return count(argv[2], argv[3]);
    if (cmd == "latency" && argc == 6)
      return latency(argv[2], argv[3], static_cast<unsigned>(std::stoul(argv[4])), argv[5]);
    std::fprintf(stderr,
                 "usage: xapian-plain index DB DOCS.jsonl | search DB QUERIES.tsv LIMIT | index-rows DB ROWS.tsv |\n"
                 "       latency DB QUERIES.jsonl LIMIT TIMINGS | count DB QUERIES.jsonl\n");
  } catch (const Xapian::Error& e) {
    std::fprintf(stderr, "xapian-plain: %s\n", e.get_description().c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "xapian-plain: %s\n", e.what());
  }
  return 2;
}
