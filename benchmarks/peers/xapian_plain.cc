// The plain-Xapian peer for quire's benchmarks: what a user who picks Xapian 1.4 gets with its
// documented defaults: TermGenerator and QueryParser with the English stemmer (STEM_SOME), BM25Weight's
// default parameters, QueryParser's default flags and OR as the default operator. No stop words, no
// passages, no tagging. Built as build/benchmarks/xapian-plain; used by benchmarks/ranking.sh.
//
//   xapian-plain index DB DOCS.jsonl          one {"id", "text"} object per line
//   xapian-plain search DB QUERIES.tsv LIMIT  id<TAB>query per line; prints a TREC run
#include <xapian.h>

#include <cstdio>
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

}  // namespace

int main(int argc, char** argv) {
  try {
    const std::string cmd = argc > 1 ? argv[1] : "";
    if (cmd == "index" && argc == 4) return index(argv[2], argv[3]);
    if (cmd == "search" && argc == 5) return search(argv[2], argv[3], static_cast<unsigned>(std::stoul(argv[4])));
    std::fprintf(stderr, "usage: xapian-plain index DB DOCS.jsonl | search DB QUERIES.tsv LIMIT\n");
  } catch (const Xapian::Error& e) {
    std::fprintf(stderr, "xapian-plain: %s\n", e.get_description().c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "xapian-plain: %s\n", e.what());
  }
  return 2;
}
