#include "targets.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "quire/actors.h"
#include "quire/dates.h"
#include "quire/errors.h"
#include "quire/html_reader.h"
#include "quire/index_writer.h"
#include "quire/office_reader.h"
#include "quire/passage_splitter.h"
#include "quire/query_check.h"
#include "quire/quotes.h"
#include "quire/readers.h"
#include "quire/searcher.h"
#include "quire/tagging.h"
#include "quire/utf8.h"

namespace quire::fuzz {
namespace {

std::string bytes(const std::uint8_t* data, std::size_t size) {
  return std::string(reinterpret_cast<const char*>(data), size);
}

// Valid UTF-8, as every reader hands on to the rest of quire.
std::string utf8(const std::uint8_t* data, std::size_t size) {
  std::string s = bytes(data, size);
  return is_valid_utf8(s) ? s : repair_utf8(s).text;
}

std::string schemas() {
  if (const char* env = std::getenv("QUIRE_SCHEMAS")) return env;
  return QUIRE_SOURCE_DIR "/schemas";
}

void split(const Document& d) {
  SplitOptions o;
  o.max_chars = 300;
  (void)split_passages(d, o);
}

}  // namespace

int text_reader(const std::uint8_t* data, std::size_t size) {
  try {
    split(read_text_document("fuzz.txt", bytes(data, size)).document);
    split(read_text_document("fuzz.md", bytes(data, size)).document);
  } catch (const InputError&) {
  }
  return 0;
}

int xml_reader(const std::uint8_t* data, std::size_t size) {
  try {
    split(read_document("fuzz.xml", bytes(data, size)).document);
  } catch (const InputError&) {
  }
  return 0;
}

int html_reader(const std::uint8_t* data, std::size_t size) {
  const std::string in = bytes(data, size);
  try {
    split(read_html_document("fuzz.html", in).document);
  } catch (const InputError&) {
  }
  HtmlOptions chapter;
  chapter.main_content = false;
  (void)extract_html(in, chapter);
  return 0;
}

int office_reader(const std::uint8_t* data, std::size_t size) {
  const std::string in = bytes(data, size);
  for (const auto read : {read_docx_document, read_odt_document, read_epub_document}) {
    try {
      split(read("fuzz.zip", in).document);
    } catch (const InputError&) {
    }
  }
  return 0;
}

int dates(const std::uint8_t* data, std::size_t size) {
  const std::string text = utf8(data, size);
  for (const auto& m : extract_dates(text)) (void)years_of(m);
  (void)infer_publication_date({text});
  return 0;
}

int quotes(const std::uint8_t* data, std::size_t size) {
  static const Tagger tagger(schemas());
  const std::string text = utf8(data, size);
  // Two passages, so "he said" can look back a passage.
  const std::size_t half = text.size() / 2;
  std::size_t cut = half;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  (void)tagger.tag_document({text.substr(0, cut), text.substr(cut)}, 2024);
  return 0;
}

int query(const std::uint8_t* data, std::size_t size) {
  // One small index of the bundled corpus, made on first use.
  static const std::string dir = [] {
    char tmpl[] = "/tmp/quire-fuzz-XXXXXX";
    const std::string d = ::mkdtemp(tmpl) ? std::string(tmpl) + "/index" : "/tmp/quire-fuzz-index";
    IndexWriter w(d, true);
    int n = 0;
    for (const auto& e : std::filesystem::directory_iterator(QUIRE_SOURCE_DIR "/corpus")) {
      const ReadResult r = read_document_file(e.path().string());
      FileState st;
      st.doc_id = r.document.meta.id;
      w.replace_file(e.path().string(), st, r.document.meta, split_passages(r.document));
      if (++n == 2) break;
    }
    w.commit();
    return d;
  }();
  static const Tagger tagger(schemas());
  static Searcher searcher(dir, &tagger);
  const std::string q = bytes(data, size);
  (void)check_query(normalise_query(q), Searcher::fields());
  SearchOptions o;
  o.limit = 3;
  o.facets = {"actor", "published"};
  try {
    (void)searcher.search(q, o);
  } catch (const QueryError&) {
  }
  o.plain = true;
  try {
    (void)searcher.search(q, o);
  } catch (const QueryError&) {
  }
  return 0;
}

const std::vector<std::pair<std::string, Target>>& targets() {
  static const std::vector<std::pair<std::string, Target>> all = {{"text_reader", text_reader},
                                                                  {"xml_reader", xml_reader},
                                                                  {"html_reader", html_reader},
                                                                  {"office_reader", office_reader},
                                                                  {"dates", dates},
                                                                  {"quotes", quotes},
                                                                  {"query", query}};
  return all;
}

}  // namespace quire::fuzz
