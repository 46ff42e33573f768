#include "quire/test_collections.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "quire/document.h"
#include "quire/errors.h"
#include "quire/files.h"
#include "quire/json_input.h"
#include "quire/utf8.h"

namespace quire {
namespace {

namespace fs = std::filesystem;

// A file's text, with any bytes that are not UTF-8 replaced (the old collections are ASCII, mostly).
std::string text_of(const fs::path& path, std::vector<std::string>& notes) {
  std::string bytes = read_whole_file(path.string());
  if (is_valid_utf8(bytes)) return bytes;
  Utf8Repair r = repair_utf8(bytes);
  notes.push_back(path.string() + ": " + std::to_string(r.replaced) + " byte(s) that are not UTF-8 replaced");
  return std::move(r.text);
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(std::move(line));
  }
  return lines;
}

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

// Lines joined into running text: single spaces, nothing at either end.
std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) {
    std::istringstream words(l);
    for (std::string w; words >> w;) out += (out.empty() ? "" : " ") + w;
  }
  return out;
}

// "007" -> "7": the classic collections pad ids in some files and not in others.
std::string canonical_id(const std::string& id, const std::string& path, int line) {
  if (id.empty() || id.find_first_not_of("0123456789") != std::string::npos)
    throw InputError(path, "expected a number as id, found '" + id + "'", line);
  const auto nz = id.find_first_not_of('0');
  return nz == std::string::npos ? "0" : id.substr(nz);
}

Document make_document(const std::string& id, const std::string& title, const std::string& text,
                       const std::vector<std::string>& authors = {}) {
  Document d;
  d.meta.id = id;
  d.meta.title = title;
  d.meta.authors = authors;
  d.meta.type = "article";
  Section s;
  // One paragraph holding the title and the text: documents are judged whole, and the title counts as
  // text (BEIR's "flat" indexing), as well as being searchable with title:.
  std::string body = title;
  if (!text.empty()) body += (body.empty() ? "" : "\n") + text;
  if (!body.empty()) s.paragraphs.push_back(std::move(body));
  d.sections.push_back(std::move(s));
  return d;
}

// SMART's layout: ".I id" starts a record; ".T", ".A", ".W", ... start its fields, whose text follows on
// the next lines. Repeated fields are concatenated.
struct SmartRecord {
  std::string id;
  int line = 0;
  std::map<char, std::vector<std::string>> fields;
};

std::vector<SmartRecord> read_smart(const fs::path& path, std::vector<std::string>& notes) {
  std::vector<SmartRecord> records;
  const auto lines = lines_of(text_of(path, notes));
  char field = 0;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string& l = lines[i];
    const int number = static_cast<int>(i + 1);
    if (l.size() >= 2 && l[0] == '.' && std::isupper(static_cast<unsigned char>(l[1])) &&
        (l.size() == 2 || l[2] == ' ' || l[2] == '\t')) {
      if (l[1] == 'I') {
        records.push_back({canonical_id(trim(l.substr(2)), path.string(), number), number, {}});
        field = 0;
      } else {
        if (records.empty()) throw InputError(path.string(), "field before the first .I record", number);
        field = l[1];
        records.back().fields[field];  // a field may be present and empty
      }
      continue;
    }
    if (records.empty()) {
      if (trim(l).empty()) continue;
      throw InputError(path.string(), "text before the first .I record", number);
    }
    if (field) {
      records.back().fields[field].push_back(l);
    } else if (const std::string t = trim(l); !t.empty() && t.find_first_not_of("0123456789") == std::string::npos) {
      // CACM writes one id across two lines (".I 28" then "56" for 2856): digits before any field continue it.
      records.back().id += t;
      notes.push_back(path.string() + ":" + std::to_string(number) + ": id continued on the next line, read as " +
                      records.back().id);
    }
  }
  return records;
}

std::string field(const SmartRecord& r, char f) {
  const auto it = r.fields.find(f);
  return it == r.fields.end() ? "" : joined(it->second);
}

std::vector<std::string> authors(const SmartRecord& r) {
  std::vector<std::string> out;
  if (auto it = r.fields.find('A'); it != r.fields.end())
    for (const auto& l : it->second)
      if (!trim(l).empty()) out.push_back(trim(l));
  return out;
}

fs::path find_file(const fs::path& dir, const std::vector<std::string>& names) {
  for (const auto& n : names)
    if (fs::exists(dir / n)) return dir / n;
  throw InputError((dir / names.front()).string(), "not found (the collection's folder as distributed is expected)");
}

void add_duplicate_checked(TestCollection& c, Document d, std::set<std::string>& seen, const std::string& where) {
  if (!seen.insert(d.meta.id).second) {
    c.notes.push_back(where + ": document " + d.meta.id + " appears again; the first copy is kept");
    return;
  }
  // Every reader's pass (document.h), as for files: an imported text is stored and shown as one read from a file.
  std::vector<std::string> warnings;
  settle_document_text(d, warnings);
  for (const auto& w : warnings) c.notes.push_back(where + ": document " + d.meta.id + ": " + w);
  c.documents.push_back(std::move(d));
}

void read_smart_documents(TestCollection& c, const fs::path& file) {
  std::set<std::string> seen;
  for (const auto& r : read_smart(file, c.notes))
    add_duplicate_checked(c, make_document(r.id, field(r, 'T'), field(r, 'W'), authors(r)), seen, file.string());
}

void read_smart_queries(TestCollection& c, const fs::path& file) {
  c.queries_source = file.string();
  for (const auto& r : read_smart(file, c.notes)) c.queries.push_back({r.id, field(r, 'W')});
}

// A judgment's grade or score: an integer, else InputError naming the file and line (std::stoi would
// say only "stoi").
int judgment_number(const std::string& text, const std::string& file, int line, const char* what) {
  std::size_t used = 0;
  long long v = 0;
  try {
    v = std::stoll(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size() || v < -1000000 || v > 1000000)
    throw InputError(
        file, std::string(what) + " '" + message_value(text) + "' is not an integer from -1000000 to 1000000", line);
  return static_cast<int>(v);
}

// Judgments with the query id in column `q`, the document in column `d` and (if `grade` >= 0) a grade.
void read_columns(TestCollection& c, const fs::path& file, std::size_t q, std::size_t d, int grade = -1) {
  c.judgments_source = file.string();
  const auto lines = lines_of(text_of(file, c.notes));
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::istringstream in(lines[i]);
    std::vector<std::string> f;
    for (std::string w; in >> w;) f.push_back(w);
    if (f.empty()) continue;
    const int number = static_cast<int>(i + 1);
    const std::size_t need = std::max({q, d, grade < 0 ? std::size_t{0} : static_cast<std::size_t>(grade)}) + 1;
    if (f.size() < need)
      throw InputError(file.string(), "expected at least " + std::to_string(need) + " columns", number);
    Judgment j{canonical_id(f[q], file.string(), number), canonical_id(f[d], file.string(), number), 1};
    if (grade >= 0) {
      // Cranfield's codes: 1 = complete answer ... 4 = minimum interest; -1 marks the query's source
      // document. Gains 4..1 for codes 1..4, 0 (judged, not relevant) for -1.
      const int code = judgment_number(f[static_cast<std::size_t>(grade)], file.string(), number, "grade");
      j.relevance = code >= 1 && code <= 4 ? 5 - code : 0;
    }
    c.judgments.push_back(std::move(j));
  }
}

// NPL: records are an id line, text lines, and a line holding "/".
std::vector<std::pair<std::string, std::vector<std::string>>> read_slash_records(const fs::path& file,
                                                                                 std::vector<std::string>& notes) {
  std::vector<std::pair<std::string, std::vector<std::string>>> out;
  const auto lines = lines_of(text_of(file, notes));
  bool open = false;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string t = trim(lines[i]);
    if (t.empty()) continue;
    if (!open) {
      out.emplace_back(canonical_id(t, file.string(), static_cast<int>(i + 1)), std::vector<std::string>{});
      open = true;
    } else if (t == "/") {
      open = false;
    } else {
      out.back().second.push_back(t);
    }
  }
  return out;
}

void read_npl(TestCollection& c, const fs::path& dir) {
  std::set<std::string> seen;
  for (auto& [id, lines] : read_slash_records(find_file(dir, {"doc-text"}), c.notes))
    add_duplicate_checked(c, make_document(id, "", joined(lines)), seen, "doc-text");
  c.queries_source = find_file(dir, {"query-text"}).string();
  for (auto& [id, lines] : read_slash_records(c.queries_source, c.notes)) c.queries.push_back({id, joined(lines)});
  const fs::path rel = find_file(dir, {"rlv-ass"});
  c.judgments_source = rel.string();
  for (auto& [id, lines] : read_slash_records(rel, c.notes)) {
    std::istringstream in(joined(lines));
    for (std::string d; in >> d;) c.judgments.push_back({id, canonical_id(d, rel.string(), 0), 1});
  }
}

// LISA: "Document N", title lines, a blank line, abstract lines, a line of asterisks.
void read_lisa(TestCollection& c, const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    // LISA1.501.ALL repeats LISA1.501's documents plus copies of 1998-2001: read the numbered parts only.
    if (name.rfind("LISA", 0) == 0 && name.size() > 5 && std::isdigit(static_cast<unsigned char>(name[4])) &&
        name.find(".ALL") == std::string::npos)
      files.push_back(e.path());
  }
  if (files.empty()) throw InputError((dir / "LISA0.001").string(), "not found");
  std::sort(files.begin(), files.end());
  std::set<std::string> seen;
  for (const auto& file : files) {
    const auto lines = lines_of(text_of(file, c.notes));
    std::string id;
    std::vector<std::string> title, text;
    bool in_text = false;
    const auto flush = [&]() {
      if (!id.empty()) add_duplicate_checked(c, make_document(id, joined(title), joined(text)), seen, file.string());
      id.clear();
      title.clear();
      text.clear();
      in_text = false;
    };
    for (std::size_t i = 0; i < lines.size(); ++i) {
      const std::string t = trim(lines[i]);
      if (t.rfind("Document", 0) == 0) {
        flush();
        id = canonical_id(trim(t.substr(8)), file.string(), static_cast<int>(i + 1));
      } else if (t.find_first_not_of('*') == std::string::npos && !t.empty()) {
        flush();
      } else if (t.empty()) {
        if (!title.empty()) in_text = true;
      } else if (!id.empty()) {
        (in_text ? text : title).push_back(t);
      }
    }
    flush();
  }
  c.notes.push_back("LISA: documents 1993-1997 are missing from the distribution; judgments of them stay unmatched");

  // Queries: an id line, text lines, the last ending with " #".
  const fs::path que = find_file(dir, {"LISA.QUE"});
  c.queries_source = que.string();
  const auto qlines = lines_of(text_of(que, c.notes));
  std::string qid;
  std::vector<std::string> qtext;
  for (std::size_t i = 0; i < qlines.size(); ++i) {
    std::string t = trim(qlines[i]);
    if (t.empty()) continue;
    if (qid.empty()) {
      qid = canonical_id(t, que.string(), static_cast<int>(i + 1));
      continue;
    }
    const bool last = !t.empty() && t.back() == '#';
    if (last) t = trim(t.substr(0, t.size() - 1));
    qtext.push_back(t);
    if (last) {
      c.queries.push_back({qid, joined(qtext)});
      qid.clear();
      qtext.clear();
    }
  }
  // Judgments: "Query N", "K Relevant Refs:", ids ending with -1. LISA.REL is used; LISARJ.NUM disagrees
  // with it on queries 21-23.
  const fs::path rel = find_file(dir, {"LISA.REL"});
  c.judgments_source = rel.string();
  const auto rlines = lines_of(text_of(rel, c.notes));
  std::string rq;
  for (std::size_t i = 0; i < rlines.size(); ++i) {
    const std::string t = trim(rlines[i]);
    if (t.rfind("Query", 0) == 0) {
      rq = canonical_id(trim(t.substr(5)), rel.string(), static_cast<int>(i + 1));
    } else if (t.find("Relevant Refs") != std::string::npos || t.empty()) {
      continue;
    } else {
      std::istringstream in(t);
      for (std::string d; in >> d;)
        if (d != "-1") c.judgments.push_back({rq, canonical_id(d, rel.string(), static_cast<int>(i + 1)), 1});
    }
  }
  c.notes.push_back("LISA: judgments from LISA.REL (LISARJ.NUM disagrees on queries 21-23)");
}

}  // namespace

std::string beir_splits(const std::string& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (fs::directory_iterator it(fs::path(dir) / "qrels", ec), end; !ec && it != end; it.increment(ec))
    if (it->path().extension() == ".tsv") names.push_back(it->path().stem().string());
  std::sort(names.begin(), names.end());
  std::string text;
  for (const auto& n : names) text += (text.empty() ? "" : ", ") + n;
  return text.empty() ? "; it has no qrels/*.tsv" : "; it has " + text;
}

namespace {

void read_beir(TestCollection& c, const fs::path& dir, const std::string& split) {
  const fs::path corpus = find_file(dir, {"corpus.jsonl"});
  std::set<std::string> seen;
  {
    const auto lines = lines_of(text_of(corpus, c.notes));
    for (std::size_t i = 0; i < lines.size(); ++i) {
      if (trim(lines[i]).empty()) continue;
      try {
        const auto j = parse_json(lines[i]);
        add_duplicate_checked(c,
                              make_document(j.at("_id").get<std::string>(), j.value("title", ""), j.value("text", "")),
                              seen, corpus.string());
      } catch (const std::exception& e) {
        // Bad JSON, too deep, or fields of the wrong type: that line is named and left out, the rest
        // imported ("one bad line never stops a run").
        c.skipped.push_back(corpus.string() + ":" + std::to_string(i + 1) + ": " + json_error_text(e) +
                            "; the line is left out");
      }
    }
  }
  std::set<std::string> judged;
  if (!split.empty()) {
    const fs::path qrels = dir / "qrels" / (split + ".tsv");
    if (!fs::exists(qrels))
      throw InputError(qrels.string(),
                       "not found (is '" + split + "' a split of this collection?" + beir_splits(dir) + ")");
    c.judgments_source = qrels.string();
    const auto lines = lines_of(text_of(qrels, c.notes));
    for (std::size_t i = 0; i < lines.size(); ++i) {
      // BEIR's qrels are tab-separated: an id may hold spaces. A file without tabs is split at spaces.
      std::string q, d, score;
      const std::string& l = lines[i];
      if (const auto t1 = l.find('\t'), t2 = t1 == std::string::npos ? t1 : l.find('\t', t1 + 1);
          t2 != std::string::npos) {
        q = l.substr(0, t1);
        d = l.substr(t1 + 1, t2 - t1 - 1);
        score = trim(l.substr(t2 + 1));
        if (!score.empty() && score.back() == '\r') score.pop_back();
        if (q.empty() || d.empty() || score.empty()) continue;
      } else {
        std::istringstream in(l);
        if (!(in >> q >> d >> score)) continue;
      }
      if (i == 0 && score.find_first_not_of("-0123456789") != std::string::npos) continue;  // header
      c.judgments.push_back({q, d, judgment_number(score, qrels.string(), static_cast<int>(i + 1), "score")});
      judged.insert(q);
    }
  }
  const fs::path queries = find_file(dir, {"queries.jsonl"});
  c.queries_source = queries.string();
  const auto lines = lines_of(text_of(queries, c.notes));
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (trim(lines[i]).empty()) continue;
    try {
      const auto j = parse_json(lines[i]);
      std::string id = j.at("_id").get<std::string>();
      if (split.empty() || judged.count(id)) c.queries.push_back({std::move(id), j.value("text", "")});
    } catch (const std::exception& e) {
      c.skipped.push_back(queries.string() + ":" + std::to_string(i + 1) + ": " + json_error_text(e) +
                          "; the query is left out");
    }
  }
}

// The SMART-layout collections whose judgments list query and document in plain columns.
struct SmartLayout {
  const char* format;
  const char* documents;
  const char* queries;
  const char* judgments;
  std::size_t doc_column;  ///< MED.REL is "qid 0 docid 1"; the others "qid docid ..."
};
const SmartLayout kSmartLayouts[] = {{"cisi", "CISI.ALL", "CISI.QRY", "CISI.REL", 1},
                                     {"adi", "ADI.ALL", "ADI.QRY", "ADI.REL", 1},
                                     {"med", "MED.ALL", "MED.QRY", "MED.REL", 2},
                                     {"cacm", "cacm.all", "query.text", "qrels.text", 1}};

const SmartLayout* smart_layout(const std::string& format) {
  for (const auto& l : kSmartLayouts)
    if (format == l.format) return &l;
  return nullptr;
}

}  // namespace

const std::vector<std::string>& test_collection_formats() {
  static const std::vector<std::string> formats = {"beir", "cisi", "cran", "med", "cacm", "adi", "npl", "lisa"};
  return formats;
}

TestCollection read_test_collection(const std::string& format, const std::string& dir_name, const std::string& split) {
  const fs::path dir(dir_name);
  if (!fs::is_directory(dir)) throw InputError(dir_name, "not a folder");
  TestCollection c;
  c.name = format;
  if (format == "beir") {
    read_beir(c, dir, split);
  } else if (const SmartLayout* l = smart_layout(format)) {
    read_smart_documents(c, find_file(dir, {l->documents}));
    read_smart_queries(c, find_file(dir, {l->queries}));
    read_columns(c, find_file(dir, {l->judgments}), 0, l->doc_column);
  } else if (format == "cran") {
    read_smart_documents(c, find_file(dir, {"cran.all.1400"}));
    read_smart_queries(c, find_file(dir, {"cran.qry"}));
    // cran.qry numbers its queries with gaps; cranqrel numbers them 1..225 in file order.
    for (std::size_t i = 0; i < c.queries.size(); ++i) c.queries[i].id = std::to_string(i + 1);
    c.notes.push_back("CRAN: queries renumbered 1.." + std::to_string(c.queries.size()) +
                      " in file order, as cranqrel numbers them");
    read_columns(c, find_file(dir, {"cranqrel"}), 0, 1, 2);
  } else if (format == "npl") {
    read_npl(c, dir);
  } else if (format == "lisa") {
    read_lisa(c, dir);
  } else {
    throw InputError(dir_name, "unknown collection format '" + format + "'");
  }
  if (c.documents.empty()) throw InputError(dir_name, "no documents found for format '" + format + "'");
  return c;
}

}  // namespace quire
