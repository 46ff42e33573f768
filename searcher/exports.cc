#include "quire/exports.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string_view>

#include "quire/fold.h"
#include "quire/json_input.h"
#include "quire/utf8.h"

namespace quire {
namespace {

struct TexChar {
  char32_t cp;
  const char* tex;
};
// Latin-1 and Latin Extended-A letters with one accent, special letters, and typographic punctuation,
// sorted by code point for binary search.
const TexChar kTexChars[] = {
    {0x00A0, "~"},       {0x00A1, "!`"},      {0x00A7, "\\S{}"},   {0x00A9, "\\textcopyright{}"},
    {0x00B6, "\\P{}"},   {0x00BF, "?`"},      {0x00C0, "{\\`A}"},  {0x00C1, "{\\'A}"},
    {0x00C2, "{\\^A}"},  {0x00C3, "{\\~A}"},  {0x00C4, "{\\\"A}"}, {0x00C5, "{\\AA}"},
    {0x00C6, "{\\AE}"},  {0x00C7, "{\\c C}"}, {0x00C8, "{\\`E}"},  {0x00C9, "{\\'E}"},
    {0x00CA, "{\\^E}"},  {0x00CB, "{\\\"E}"}, {0x00CC, "{\\`I}"},  {0x00CD, "{\\'I}"},
    {0x00CE, "{\\^I}"},  {0x00CF, "{\\\"I}"}, {0x00D1, "{\\~N}"},  {0x00D2, "{\\`O}"},
    {0x00D3, "{\\'O}"},  {0x00D4, "{\\^O}"},  {0x00D5, "{\\~O}"},  {0x00D6, "{\\\"O}"},
    {0x00D8, "{\\O}"},   {0x00D9, "{\\`U}"},  {0x00DA, "{\\'U}"},  {0x00DB, "{\\^U}"},
    {0x00DC, "{\\\"U}"}, {0x00DD, "{\\'Y}"},  {0x00DF, "{\\ss}"},  {0x00E0, "{\\`a}"},
    {0x00E1, "{\\'a}"},  {0x00E2, "{\\^a}"},  {0x00E3, "{\\~a}"},  {0x00E4, "{\\\"a}"},
    {0x00E5, "{\\aa}"},  {0x00E6, "{\\ae}"},  {0x00E7, "{\\c c}"}, {0x00E8, "{\\`e}"},
    {0x00E9, "{\\'e}"},  {0x00EA, "{\\^e}"},  {0x00EB, "{\\\"e}"}, {0x00EC, "{\\`i}"},
    {0x00ED, "{\\'i}"},  {0x00EE, "{\\^i}"},  {0x00EF, "{\\\"i}"}, {0x00F1, "{\\~n}"},
    {0x00F2, "{\\`o}"},  {0x00F3, "{\\'o}"},  {0x00F4, "{\\^o}"},  {0x00F5, "{\\~o}"},
    {0x00F6, "{\\\"o}"}, {0x00F8, "{\\o}"},   {0x00F9, "{\\`u}"},  {0x00FA, "{\\'u}"},
    {0x00FB, "{\\^u}"},  {0x00FC, "{\\\"u}"}, {0x00FD, "{\\'y}"},  {0x00FF, "{\\\"y}"},
    {0x0100, "{\\=A}"},  {0x0101, "{\\=a}"},  {0x0102, "{\\u A}"}, {0x0103, "{\\u a}"},
    {0x0104, "{\\k A}"}, {0x0105, "{\\k a}"}, {0x0106, "{\\'C}"},  {0x0107, "{\\'c}"},
    {0x0108, "{\\^C}"},  {0x0109, "{\\^c}"},  {0x010A, "{\\.C}"},  {0x010B, "{\\.c}"},
    {0x010C, "{\\v C}"}, {0x010D, "{\\v c}"}, {0x010E, "{\\v D}"}, {0x010F, "{\\v d}"},
    {0x0112, "{\\=E}"},  {0x0113, "{\\=e}"},  {0x0114, "{\\u E}"}, {0x0115, "{\\u e}"},
    {0x0116, "{\\.E}"},  {0x0117, "{\\.e}"},  {0x0118, "{\\k E}"}, {0x0119, "{\\k e}"},
    {0x011A, "{\\v E}"}, {0x011B, "{\\v e}"}, {0x011C, "{\\^G}"},  {0x011D, "{\\^g}"},
    {0x011E, "{\\u G}"}, {0x011F, "{\\u g}"}, {0x0120, "{\\.G}"},  {0x0121, "{\\.g}"},
    {0x0122, "{\\c G}"}, {0x0123, "{\\c g}"}, {0x0124, "{\\^H}"},  {0x0125, "{\\^h}"},
    {0x0128, "{\\~I}"},  {0x0129, "{\\~i}"},  {0x012A, "{\\=I}"},  {0x012B, "{\\=i}"},
    {0x012C, "{\\u I}"}, {0x012D, "{\\u i}"}, {0x012E, "{\\k I}"}, {0x012F, "{\\k i}"},
    {0x0130, "{\\.I}"},  {0x0131, "{\\i}"},   {0x0134, "{\\^J}"},  {0x0135, "{\\^j}"},
    {0x0136, "{\\c K}"}, {0x0137, "{\\c k}"}, {0x0139, "{\\'L}"},  {0x013A, "{\\'l}"},
    {0x013B, "{\\c L}"}, {0x013C, "{\\c l}"}, {0x013D, "{\\v L}"}, {0x013E, "{\\v l}"},
    {0x0141, "{\\L}"},   {0x0142, "{\\l}"},   {0x0143, "{\\'N}"},  {0x0144, "{\\'n}"},
    {0x0145, "{\\c N}"}, {0x0146, "{\\c n}"}, {0x0147, "{\\v N}"}, {0x0148, "{\\v n}"},
    {0x014C, "{\\=O}"},  {0x014D, "{\\=o}"},  {0x014E, "{\\u O}"}, {0x014F, "{\\u o}"},
    {0x0150, "{\\H O}"}, {0x0151, "{\\H o}"}, {0x0152, "{\\OE}"},  {0x0153, "{\\oe}"},
    {0x0154, "{\\'R}"},  {0x0155, "{\\'r}"},  {0x0156, "{\\c R}"}, {0x0157, "{\\c r}"},
    {0x0158, "{\\v R}"}, {0x0159, "{\\v r}"}, {0x015A, "{\\'S}"},  {0x015B, "{\\'s}"},
    {0x015C, "{\\^S}"},  {0x015D, "{\\^s}"},  {0x015E, "{\\c S}"}, {0x015F, "{\\c s}"},
    {0x0160, "{\\v S}"}, {0x0161, "{\\v s}"}, {0x0162, "{\\c T}"}, {0x0163, "{\\c t}"},
    {0x0164, "{\\v T}"}, {0x0165, "{\\v t}"}, {0x0168, "{\\~U}"},  {0x0169, "{\\~u}"},
    {0x016A, "{\\=U}"},  {0x016B, "{\\=u}"},  {0x016C, "{\\u U}"}, {0x016D, "{\\u u}"},
    {0x016E, "{\\r U}"}, {0x016F, "{\\r u}"}, {0x0170, "{\\H U}"}, {0x0171, "{\\H u}"},
    {0x0172, "{\\k U}"}, {0x0173, "{\\k u}"}, {0x0174, "{\\^W}"},  {0x0175, "{\\^w}"},
    {0x0176, "{\\^Y}"},  {0x0177, "{\\^y}"},  {0x0178, "{\\\"Y}"}, {0x0179, "{\\'Z}"},
    {0x017A, "{\\'z}"},  {0x017B, "{\\.Z}"},  {0x017C, "{\\.z}"},  {0x017D, "{\\v Z}"},
    {0x017E, "{\\v z}"}, {0x2013, "--"},      {0x2014, "---"},     {0x2018, "`"},
    {0x2019, "'"},       {0x201C, "``"},      {0x201D, "''"},      {0x2026, "\\ldots{}"}};

const char* tex_of(char32_t cp) {
  const auto it = std::lower_bound(std::begin(kTexChars), std::end(kTexChars), cp,
                                   [](const TexChar& t, char32_t c) { return t.cp < c; });
  return it != std::end(kTexChars) && it->cp == cp ? it->tex : nullptr;
}

// One line of text: C1 controls read as Windows-1252 (c1_as_cp1252), then every control character (tab,
// CR, LF, vertical tab, form feed, ...) and every
// Unicode line or paragraph separator (U+0085, U+2028, U+2029) becomes a space, runs of spaces one. A
// reader that breaks lines at any of them then still sees one field on one line.
std::string single_line(const std::string& s) {
  const std::string valid = c1_as_cp1252(is_valid_utf8(s) ? s : repair_utf8(s).text);
  std::string out;
  for (std::size_t i = 0; i < valid.size();) {
    const std::size_t start = i;
    const char32_t cp = next_codepoint(valid, i);
    const bool space = cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) || is_line_break(cp);
    if (space || cp == ' ') {
      if (!out.empty() && out.back() != ' ') out += ' ';
      continue;
    }
    out.append(valid, start, i - start);
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// A URL for BibTeX's url field, which biblatex and the url package take verbatim: the characters that
// would end the field or the entry (braces: BibTeX counts them even after a backslash), start a TeX
// command (backslash), or that a URL may not hold (spaces, quotes, control characters) are
// percent-encoded, which a browser reads the same. '%' and '#' stay: the url package takes them.
std::string bibtex_url(const std::string& url) {
  static const char* const kHex = "0123456789ABCDEF";
  std::string out;
  for (const char ch : single_line(url)) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '{' || c == '}' || c == '\\' || c == ' ' || c == '"' || c < 0x20 || c == 0x7F)
      out.append(1, '%').append(1, kHex[c >> 4]).append(1, kHex[c & 15]);
    else
      out += ch;
  }
  return out;
}

std::string year_of(const std::string& date) { return date.size() >= 4 ? date.substr(0, 4) : ""; }

std::string title_for_export(const DocumentMeta& m) {
  std::string t = m.title;
  if (!m.subtitle.empty()) t += ": " + m.subtitle;
  if (m.title_devised && !t.empty()) t = "[" + t + "]";
  return single_line(t);
}

// The record's citation, at its first passage when it has one.
std::string citation_of(const ExportRecord& r) {
  if (r.passages.empty()) return format_citation(r.meta, 0);
  const ExportPassage& p = r.passages.front();
  return format_citation(r.meta, p.paragraph, p.page_label, p.page_label_end);
}

// "para. 12 (p. 4)" for a passage: its paragraph, and its page or pages when the file has them.
std::string passage_place(const ExportPassage& p) {
  std::string out = "para. " + std::to_string(p.paragraph);
  if (!p.page_label.empty())
    out += p.page_label_end.empty() || p.page_label_end == p.page_label
               ? " (p. " + p.page_label + ")"
               : " (pp. " + p.page_label + "-" + p.page_label_end + ")";
  return out;
}

// The notes every format but CSV and JSON Lines carries as text: whom the document is by, its catalogue
// fields, the passages found and the citation. One "Label: value" line each.
std::vector<std::string> record_notes(const ExportRecord& r) {
  std::vector<std::string> notes;
  if (!r.meta.by.empty()) {
    std::string by;
    for (const auto& b : r.meta.by) by += (by.empty() ? "" : "; ") + (b.size() > 1 && b[0] == '~' ? b.substr(1) : b);
    notes.push_back("By: " + by);
  }
  for (const auto& [name, value] : r.meta.extra) notes.push_back(name + ": " + value);
  if (!r.passages.empty()) {
    std::string places;
    for (const auto& p : r.passages) places += (places.empty() ? "" : "; ") + passage_place(p);
    notes.push_back("Passages: " + places);
  }
  notes.push_back("Cite as: " + citation_of(r));
  return notes;
}

bool is_journal(const DocumentMeta& m) { return m.type == "journal-article" || m.type == "article"; }

// A quire document type in each format (docs/exports.md). BibTeX's @article needs a journal; see bibtex().
struct TypeNames {
  const char* quire;
  const char* ris;
  const char* bibtex;
  const char* csl;
};
const TypeNames kTypes[] = {{"report", "RPRT", "techreport", "report"},
                            {"journal-article", "JOUR", "article", "article-journal"},
                            {"article", "JOUR", "article", "article-journal"},
                            {"book", "BOOK", "book", "book"},
                            {"news", "NEWS", "misc", "article-newspaper"},
                            {"analysis", "NEWS", "misc", "article"},
                            {"speech", "GEN", "misc", "speech"}};
const TypeNames kOtherType = {"", "GEN", "misc", "document"};

const TypeNames& type_names(const DocumentMeta& m) {
  for (const auto& t : kTypes)
    if (m.type == t.quire) return t;
  return kOtherType;
}

// ---- RIS -------------------------------------------------------------------------------------------

std::string ris(const std::vector<ExportRecord>& records) {
  std::ostringstream out;
  for (const auto& r : records) {
    const DocumentMeta& m = r.meta;
    const std::string type = type_names(m).ris;
    const auto tag = [&out](const char* t, const std::string& v) {
      const std::string line = single_line(v);
      if (!line.empty()) out << t << "  - " << line << "\r\n";
    };
    tag("TY", type);
    tag("ID", m.id);
    tag("TI", title_for_export(m));
    for (const auto& a : m.authors) {
      tag("AU", author_entry(a, name_order(m.by)));
    }
    tag("PY", year_of(m.date));
    if (!m.date.empty()) {
      std::string da = m.date;
      std::replace(da.begin(), da.end(), '-', '/');
      tag("DA", da);
    }
    tag(is_journal(m) ? "JO" : "T2", m.container);
    tag("PB", m.publisher);
    tag("VL", m.volume);
    tag("IS", m.issue);
    if (const auto dash = m.pages.find('-'); dash != std::string::npos) {
      tag("SP", m.pages.substr(0, dash));
      tag("EP", m.pages.substr(dash + 1));
    } else {
      tag("SP", m.pages);
    }
    if (m.type == "speech") tag("M3", "Speech");
    tag("LA", m.language);
    tag("UR", m.url);
    if (m.title_devised) tag("N1", "Title devised by the cataloguer; the document states none.");
    for (const auto& note : record_notes(r)) tag("N1", note);
    out << "ER  - \r\n\r\n";
  }
  return out.str();
}

// ---- BibTeX ----------------------------------------------------------------------------------------

// A title's words with a capital after their first letter (US, CPEC, iPhone) are braced, so BibTeX
// styles that lower-case titles keep them.
std::string bibtex_title(const std::string& title) {
  std::string out, word;
  const auto flush = [&]() {
    bool inner_capital = false, letter_seen = false;
    for (char ch : word) {
      inner_capital = inner_capital || (letter_seen && ch >= 'A' && ch <= 'Z');
      letter_seen = letter_seen || std::isalpha(static_cast<unsigned char>(ch));
    }
    out += inner_capital ? "{" + bibtex_escape(word) + "}" : bibtex_escape(word);
    word.clear();
  };
  for (char c : title) {
    if (c == ' ') {
      flush();
      out += ' ';
    } else {
      word += c;
    }
  }
  flush();
  return out;
}

// The entry keys given so far, and for each key the next number to try after it: ids that all become
// one key (a collection of ids in another script: "____") take key, key_2, key_3, ... in linear time,
// not by trying every number from 2 again for each.
struct BibtexKeys {
  std::set<std::string> used;
  std::map<std::string, int> next;
};

std::string bibtex_key(const std::string& id, BibtexKeys& keys) {
  std::string key;
  // One '_' for each character a key may not hold, however many bytes it takes (rt11j row 14: the two
  // bytes of a soft hyphen made "title__soft").
  for (std::size_t i = 0; i < id.size();) {
    const char32_t cp = next_codepoint(id, i);
    key += cp < 0x80 && (std::isalnum(static_cast<int>(cp)) || cp == '-' || cp == '_' || cp == ':') ? static_cast<char>(cp)
                                                                                                  : '_';
  }
  if (key.empty()) key = "doc";
  std::string unique = key;
  int& n = keys.next.try_emplace(key, 2).first->second;
  while (!keys.used.insert(unique).second) unique = key + "_" + std::to_string(n++);
  return unique;
}

std::string bibtex(const std::vector<ExportRecord>& records) {
  std::ostringstream out;
  BibtexKeys used;
  static const char* const kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                        "jul", "aug", "sep", "oct", "nov", "dec"};
  for (const auto& r : records) {
    const DocumentMeta& m = r.meta;
    std::string type = type_names(m).bibtex;
    if (type == "article" && m.container.empty()) type = "misc";  // @article requires a journal
    out << "@" << type << "{" << bibtex_key(m.id, used) << ",\n";
    const auto field = [&out](const char* name, const std::string& braced_value) {
      if (!braced_value.empty()) out << "  " << name << " = {" << braced_value << "},\n";
    };
    field("title", bibtex_title(title_for_export(m)));
    std::string authors;
    for (const auto& a : m.authors) {
      const auto [family, given] = split_name(single_line(a), name_order(m.by));
      // An organisation (one word here, or anything with no given name) is braced so it is not split.
      const std::string one =
          given.empty() ? "{" + bibtex_escape(family) + "}" : bibtex_escape(family) + ", " + bibtex_escape(given);
      authors += (authors.empty() ? "" : " and ") + one;
    }
    field("author", authors);
    field("year", bibtex_escape(year_of(m.date)));
    if (m.date.size() >= 7) {
      const int month = std::atoi(m.date.substr(5, 2).c_str());
      if (month >= 1 && month <= 12) out << "  month = " << kMonths[month - 1] << ",\n";
    }
    field("date", bibtex_escape(m.date));
    if (type == "techreport")
      field("institution", bibtex_escape(single_line(m.publisher)));
    else
      field("publisher", bibtex_escape(single_line(m.publisher)));
    field(type == "article" ? "journal" : "howpublished", bibtex_escape(single_line(m.container)));
    field("volume", bibtex_escape(m.volume));
    field("number", bibtex_escape(m.issue));
    std::string pages = m.pages;
    if (const auto dash = pages.find('-'); dash != std::string::npos && pages.find("--") == std::string::npos)
      pages.replace(dash, 1, "--");
    field("pages", bibtex_escape(pages));
    if (m.type == "speech") field("type", "Speech");
    field("language", bibtex_escape(m.language));
    field("url", bibtex_url(m.url));  // url fields are verbatim in biblatex and the url package
    std::string note = m.title_devised ? "Title devised by the cataloguer; the document states none." : "";
    // Notes joined as sentences: ". " between them, or a space after one that ends with its own stop.
    for (const auto& n : record_notes(r)) note += (note.empty() ? "" : note.back() == '.' ? " " : ". ") + n;
    field("note", bibtex_escape(single_line(note)));
    out << "}\n\n";
  }
  return out.str();
}

// ---- CSL-JSON --------------------------------------------------------------------------------------

nlohmann::json csl(const std::vector<ExportRecord>& records) {
  nlohmann::json items = nlohmann::json::array();
  for (const auto& r : records) {
    const DocumentMeta& m = r.meta;
    const std::string type = type_names(m).csl;
    nlohmann::json j = {{"id", m.id}, {"type", type}, {"title", title_for_export(m)}};
    nlohmann::json authors = nlohmann::json::array();
    for (const auto& a : m.authors) {
      const auto [family, given] = split_name(a, name_order(m.by));
      authors.push_back(given.empty() ? nlohmann::json{{"literal", family}}
                                      : nlohmann::json{{"family", family}, {"given", given}});
    }
    if (!authors.empty()) j["author"] = authors;
    if (!m.date.empty()) {
      nlohmann::json parts = nlohmann::json::array();
      std::stringstream ds(m.date);
      for (std::string p; std::getline(ds, p, '-');) parts.push_back(std::atoi(p.c_str()));
      j["issued"] = {{"date-parts", {parts}}};
    }
    const auto put = [&j](const char* k, const std::string& v) {
      if (!v.empty()) j[k] = v;
    };
    put("publisher", m.publisher);
    put("container-title", m.container);
    put("volume", m.volume);
    put("issue", m.issue);
    put("page", m.pages);
    put("URL", m.url);
    put("language", m.language);
    // CSL's note holds free text, one "Label: value" line each (citeproc-js reads such lines).
    std::string note = m.title_devised ? "Title devised by the cataloguer; the document states none." : "";
    for (const auto& n : record_notes(r)) note += (note.empty() ? "" : "\n") + n;
    put("note", note);
    items.push_back(std::move(j));
  }
  return items;
}

// ---- CSV (RFC 4180) --------------------------------------------------------------------------------

std::string csv_field(const std::string& raw) {
  std::string v = spreadsheet_text(raw);
  if (v.find_first_of(",;\t\"\r\n") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string csv(const std::vector<ExportRecord>& records) {
  std::string out =
      "id,title,title_devised,authors,date,publisher,container,volume,issue,pages,type,language,url,path,by,"
      "catalogue,citation,paragraph,page\r\n";
  for (const auto& r : records) {
    const DocumentMeta& m = r.meta;
    // The path is a file name, which may hold LF or CR: shown as `quire search` shows it, with visible
    // escapes (printable_line(), rt11h row 10), so the cell names the file on one line.
    std::string authors, by, catalogue, paragraphs, pages;
    // Authors as RIS and BibTeX give them ("Family, Given"), not as the catalogue wrote them (rt17h row 20).
    for (const auto& a : m.authors) authors += (authors.empty() ? "" : "; ") + author_entry(a, name_order(m.by));
    for (const auto& b : m.by) by += (by.empty() ? "" : "; ") + b;
    for (const auto& [name, value] : m.extra) catalogue += (catalogue.empty() ? "" : "; ") + name + "=" + value;
    // The passages found, in rank order: "12; 30" and their pages "4; 9" (a page range "4-5").
    for (const auto& p : r.passages) {
      paragraphs += (paragraphs.empty() ? "" : "; ") + std::to_string(p.paragraph);
      const std::string page = p.page_label_end.empty() || p.page_label_end == p.page_label
                                   ? p.page_label
                                   : p.page_label + "-" + p.page_label_end;
      if (!page.empty()) pages += (pages.empty() ? "" : "; ") + page;
    }
    const std::string fields[] = {m.id,        m.title,        m.title_devised ? "yes" : "no",
                                  authors,     m.date,         m.publisher,
                                  m.container, m.volume,       m.issue,
                                  m.pages,     m.type,         m.language,
                                  m.url,       printable_line(m.path), by,
                                  catalogue,   citation_of(r), paragraphs,
                                  pages};
    bool first = true;
    for (const auto& f : fields) {
      out += (first ? "" : ",") + csv_field(f);
      first = false;
    }
    out += "\r\n";
  }
  return out;
}

}  // namespace

namespace {

// A word of a name, lower-cased (ASCII), without the dots and apostrophes of an abbreviation:
// "H.E." is "he", "Dato'" is "dato".
std::string name_key(const std::string& word) {
  std::string k;
  for (const char c : word) {
    if (c == '.' || c == '\'' || c == ' ' || c == ',') continue;
    k += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  }
  if (k.size() >= 3 && k.compare(k.size() - 3, 3, "\xE2\x80\x99") == 0) k.erase(k.size() - 3);  // Dato’
  return k;
}

// Titles and forms of address written before a name, which are no part of it.
bool is_honorific(const std::string& word) {
  static const std::set<std::string> kHonorifics = {
      "mr", "mrs", "ms", "miss", "mme", "dr", "prof", "professor", "he", "his", "her", "excellency", "majesty",
      "highness", "royal", "sir", "dame", "lord", "lady", "sheikh", "sheikha", "shaikh", "shaikha", "sheik", "king",
      "queen", "prince", "princess", "crown", "emir", "amir", "sultan", "president", "general", "gen", "rev",
      "reverend", "hon", "honourable", "honorable", "ambassador", "dato", "datuk", "datin", "tun", "haj", "hajj",
      "haji", "alhaji", "mgr", "msgr", "fr",
      // Titles of church, army, rank and custom that UNGDC's speakers list writes before names: Cardinal
      // Pietro Parolin, Colonel Muammar Al-Qadhafi, Chief Ojo Maduekwe, Baron Divavesi Waqa, U Tin Win
      // (Burmese), Daw (Burmese, of a woman), Nana Addo Dankwa Akufo-Addo, Sayyid Badr Albusaidi.
      "cardinal", "archbishop", "bishop", "monsignor", "father", "colonel", "col", "major", "maj", "captain", "capt",
      "lieutenant", "lt", "brigadier", "marshal", "admiral", "commander", "chief", "baron", "baroness", "u", "daw",
      "nana", "sayyid", "begum"};
  const std::string k = name_key(word);
  // "He" is a family name (He Yafei); the honorific is written H.E.
  if (k == "he") return word.find('.') != std::string::npos;
  return kHonorifics.count(k) > 0;
}

// Honorifics that are one only after another ("Dato' Sri", "Tan Sri", "Dato Seri"): Sri and Tan alone
// begin names (Sri Mulyani Indrawati, Tan Keng Yam).
bool is_second_honorific(const std::string& word) {
  const std::string k = name_key(word);
  return k == "sri" || k == "seri";
}

// Words that belong with the family name that follows them: "van den Broek", "de Gortari",
// "bin Mohamad", "Al Sisi", "al- Faisal".
bool is_particle(const std::string& word) {
  static const std::set<std::string> kParticles = {
      "van", "von", "vom", "der", "den", "de",  "del", "della", "dei", "di",  "da",   "das", "dos",  "do",  "du", "des",
      "la",  "le",  "ter", "ten", "al",  "al-", "el",  "el-",   "bin", "ibn", "bint", "ben", "ould", "abu", "st"};
  return kParticles.count(name_key(word)) > 0;
}

// Degrees and suffixes written after a comma: "Lotay Tshering, MBBS, MD".
bool is_name_suffix(const std::string& part) {
  static const std::set<std::string> kSuffixes = {"jr", "sr", "phd", "md", "mbbs", "kbe",   "obe", "cbe",
                                                  "mp", "ii", "iii", "iv", "esq",  "dphil", "llm", "mba"};
  return kSuffixes.count(name_key(part)) > 0;
}

std::vector<std::string> name_words(const std::string& s) {
  std::vector<std::string> words;
  std::istringstream in(s);
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

std::string joined_words(const std::vector<std::string>& words, std::size_t from, std::size_t to) {
  std::string out;
  for (std::size_t i = from; i < to; ++i) {
    const bool glue = !out.empty() && out.back() == '-';  // "al-" + "Faisal" is "al-Faisal"
    out += (out.empty() || glue ? "" : " ") + words[i];
  }
  return out;
}

// `words` without the honorifics before the name (never all of them: "Sir" alone stays).
void drop_honorifics(std::vector<std::string>& words) {
  std::size_t first = 0;
  while (first + 1 < words.size()) {
    if (name_key(words[first]) == "the" && first + 2 < words.size() && is_honorific(words[first + 1])) {
      first += 2;  // "The Reverend Benjamin Nuñez", "The Hon. Philip Davis"
    } else if (is_honorific(words[first]) || (first > 0 && is_second_honorific(words[first]))) {
      ++first;
    } else if (name_key(words[first]) == "tan" && is_second_honorific(words[first + 1])) {  // Tan Sri
      first += 2;
    } else if (is_particle(words[first]) && is_honorific(words[first + 1])) {  // "El Haj Omar Bongo"
      first += 2;
    } else {
      break;
    }
  }
  words.erase(words.begin(), words.begin() + static_cast<std::ptrdiff_t>(std::min(first, words.size() - 1)));
}

}  // namespace

NameOrder name_order(const std::vector<std::string>& by) {
  // Chinese, Korean, Vietnamese and Khmer names put the family name first (Wang Yi, Ban Ki-moon,
  // Nguyen Phu Trong, Hun Sen), and the UN's records keep that order; Spanish names end in two
  // surnames. Actor ids of schemas/actors.xml.
  static const std::set<std::string> kFamilyFirst = {"china",   "roc",      "dprk",          "south-korea",
                                                     "vietnam", "cambodia", "south-vietnam", "north-vietnam"};
  static const std::set<std::string> kTwoSurnames = {
      "argentina", "bolivia",     "chile",    "colombia", "costa-rica", "cuba",      "dominican-republic",
      "ecuador",   "el-salvador", "equatorial-guinea",    "guatemala",  "honduras",  "mexico",
      "nicaragua", "panama",      "paraguay", "peru",     "spain",      "uruguay",   "venezuela"};
  const auto any_of = [&by](const std::set<std::string>& seats) {
    return std::any_of(by.begin(), by.end(), [&seats](const std::string& b) { return seats.count(b) > 0; });
  };
  if (any_of(kFamilyFirst)) return NameOrder::kFamilyFirst;
  if (any_of(kTwoSurnames)) return NameOrder::kTwoSurnames;
  return NameOrder::kGivenFamily;
}

namespace {

// Whether `word` has letters and no lower-case ones: "ROA", "BHUTTO", "PÉREZ-CASTEJÓN" (bytes over
// 0x7F are taken as letters of either case, so accents do not decide), not "II" after a name (a
// suffix, which the caller has set aside) nor "R." (an initial: one letter).
bool in_capitals(const std::string& word) {
  std::size_t upper = 0;
  for (const char c : word) {
    if (c >= 'a' && c <= 'z') return false;
    if (c >= 'A' && c <= 'Z') ++upper;
  }
  return upper >= 2;
}

// Given names that come second in Spanish names (Juan Manuel, José Miguel, Julio María, Luis
// Alberto), which make a three-word name one surname: accents folded, lower case.
bool is_second_given_name(const std::string& word) {
  static const std::set<std::string> kNames = {
      "alberto", "alejandro", "alfonso", "alfredo", "andres", "angel",  "antonio", "arturo",  "augusto", "carlos",
      "cesar",   "daniel",    "david",   "diego",   "eduardo", "emilio", "enrique", "ernesto", "felipe",  "fernando",
      "francisco", "gabriel", "gonzalo", "guillermo", "gustavo", "hector", "ignacio", "jaime", "javier", "jesus",
      "jorge",   "jose",      "juan",    "julio",   "leonel",  "luis",   "manuel",  "maria",   "mario",   "miguel",
      "nicolas", "oscar",     "pablo",   "pedro",   "rafael",  "ramon",  "raul",    "ricardo", "roberto", "rodrigo",
      "salvador", "sebastian", "tomas",  "vicente", "ana",     "beatriz", "carmen", "cristina", "elena",  "isabel",
      "josefa",  "laura",     "lucia",   "rosa",    "teresa",  "violeta", "abel",    "adolfo",  "agustin", "alonso",
      "alvaro",  "armando",   "benjamin", "cristobal", "domingo", "esteban", "federico", "felix", "fidel",  "gerardo",
      "gregorio", "hernan",   "hugo",    "ivan",    "joaquin", "leopoldo", "lorenzo", "marcelo", "marco",  "marcos",
      "martin",  "mauricio",  "nestor",  "octavio", "omar",    "orlando", "osvaldo", "patricio", "ramiro", "rene",
      "ruben",   "santiago",  "sergio",  "simon",   "victor",  "xavier",  "adriana", "alicia",  "claudia", "gloria",
      "margarita", "mercedes", "patricia", "silvia", "susana", "veronica"};
  std::string k = fold_accents(word);
  for (char& c : k) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return kNames.count(k) > 0;
}

// Where the surname unit ending at `end` (exclusive) begins: its last word and the particles before it.
std::size_t surname_start(const std::vector<std::string>& words, std::size_t end) {
  std::size_t start = end - 1;
  while (start > 0 && is_particle(words[start - 1])) --start;
  return start;
}

}  // namespace

std::pair<std::string, std::string> split_name(const std::string& name, NameOrder order) {
  std::string n = single_line(name);
  while (!n.empty() && (n.back() == ',' || n.back() == ' ')) n.pop_back();  // "Celso Amorim,"
  // Degrees and suffixes after commas are no part of the name.
  for (std::size_t comma; (comma = n.rfind(',')) != std::string::npos && is_name_suffix(n.substr(comma + 1));)
    n.erase(comma);
  // A form of address written with a comma ("Mr, KAMOUGUE", "Mr., BAROUM") is no "Family, Given".
  for (std::size_t comma; (comma = n.find(',')) != std::string::npos;) {
    const std::vector<std::string> before = name_words(n.substr(0, comma));
    if (before.empty() || !std::all_of(before.begin(), before.end(), is_honorific)) break;
    n.erase(0, comma + 1);
  }
  if (const auto comma = n.find(','); comma != std::string::npos) {  // already "Family, Given"
    std::vector<std::string> given = name_words(n.substr(comma + 1));
    drop_honorifics(given);
    std::vector<std::string> family = name_words(n.substr(0, comma));
    return {joined_words(family, 0, family.size()), joined_words(given, 0, given.size())};
  }
  std::vector<std::string> words = name_words(n);
  if (words.size() < 2) return {joined_words(words, 0, words.size()), ""};
  // A peer's title names a place after "of": Lord Tu'ivakano of Nukunuku is Tu'ivakano.
  const std::string title = name_key(words[0]);
  if (title == "lord" || title == "lady" || title == "baron" || title == "baroness") {
    for (std::size_t i = 2; i + 1 < words.size(); ++i)
      if (words[i] == "of") {
        words.resize(i);
        break;
      }
  }
  const std::size_t before = words.size();
  drop_honorifics(words);
  const bool addressed = words.size() < before;
  // A numeral or suffix at the end goes with the family name: "Abdullah II", "bin Abdullah II".
  std::size_t end = words.size();
  if (end > 1 && is_name_suffix(words[end - 1])) --end;
  const auto split_at = [&words](std::size_t family) {
    return std::make_pair(joined_words(words, family, words.size()), joined_words(words, 0, family));
  };
  // A name that begins with a particle in lower case is all surname: "Mr. de Freitas Valle", "van den
  // BROEK" (not "Al Hussein bin Abdullah II", whose Al begins the given name).
  if (is_particle(words[0]) && words[0][0] >= 'a' && words[0][0] <= 'z') return split_at(0);
  // The UN's records write surnames in capitals: after given names written otherwise ("Zulfikar Ali
  // BHUTTO", "Dr. João Bernardo de MIRANDA") the capitals are the surname; after a form of address
  // alone, all of it is ("Mr. ROA GARCIA"), unless it begins with a known given name.
  std::size_t caps = end;
  while (caps > 0 && (in_capitals(words[caps - 1]) || (caps < end && is_particle(words[caps - 1])))) --caps;
  while (caps < end && is_particle(words[caps])) ++caps;  // the particles before the run are the surname's
  if (caps == 0 && addressed && !is_second_given_name(words[0])) return split_at(0);
  if (caps > 0 && caps < end && !in_capitals(words[caps - 1])) return split_at(surname_start(words, caps + 1));
  if (order == NameOrder::kFamilyFirst && words.size() >= 2)
    return {words[0], joined_words(words, 1, words.size())};
  if (end == 1) return split_at(0);
  std::size_t family = surname_start(words, end);
  // Spanish names: the father's surname before the mother's ("Boric Font", "Fernández de Kirchner"),
  // when there is a given name left before them. A second word that is a given name keeps a three-word
  // name to one surname (Juan Manuel Santos); a name in capitals with no known given name is all surname
  // (BELAUNDE TERRY).
  if (order == NameOrder::kTwoSurnames && family > 0) {
    const std::size_t father = surname_start(words, family);
    const bool second_given = father == 1 && family == 2 && is_second_given_name(words[1]);
    if (father >= 1 && !second_given) family = father;
    else if (father == 0 && caps == 0 && !is_second_given_name(words[0])) family = 0;
  }
  return split_at(family);
}

std::string author_entry(const std::string& name, NameOrder order) {
  const auto [family, given] = split_name(name, order);
  return given.empty() ? family : family + ", " + given;
}

std::string bibtex_escape(const std::string& text) {
  const std::string valid = is_valid_utf8(text) ? text : repair_utf8(text).text;
  std::string out;
  for (std::size_t i = 0; i < valid.size();) {
    const std::size_t start = i;
    const char32_t cp = next_codepoint(valid, i);
    switch (cp) {
      case '\\':
        out += "\\textbackslash{}";
        continue;
      case '{':  // BibTeX counts braces even after a backslash: \{ alone would unbalance the field
        out += "\\textbraceleft{}";
        continue;
      case '}':
        out += "\\textbraceright{}";
        continue;
      case '@':  // some .bib readers (not BibTeX) start an entry at any '@'
        out += "{@}";
        continue;
      case '#':
      case '$':
      case '%':
      case '&':
      case '_':
        out += '\\';
        out += static_cast<char>(cp);
        continue;
      case '~':
        out += "\\textasciitilde{}";
        continue;
      case '^':
        out += "\\textasciicircum{}";
        continue;
      case '\n':
      case '\r':
      case '\t':
        out += ' ';
        continue;
      case '"': {
        // A straight double quote would print as a closing one: open after a space or a bracket.
        const char before = out.empty() ? ' ' : out.back();
        out += (before == ' ' || before == '(' || before == '[' || before == '{') ? "``" : "''";
        continue;
      }
      default:
        break;
    }
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) || cp == 0x2028 || cp == 0x2029) {
      out += ' ';  // no control character or line separator inside a field
      continue;
    }
    if (const char* tex = cp >= 0x80 ? tex_of(cp) : nullptr) {
      out += tex;
    } else {
      out.append(valid, start, i - start);
    }
  }
  return out;
}

// OWASP's CSV-injection rule: a cell that starts with = + - @, a tab or a carriage return is a formula
// to Excel, LibreOffice and Google Sheets (=HYPERLINK(...), =cmd|...), so it gets a leading single
// quote, which they show as text. The full-width forms (U+FF1D = U+FF0B + U+FF0D - U+FF20 @), which
// some spreadsheets fold to ASCII, are treated alike. A spreadsheet may also split a cell where this
// file did not mean it to: at ';' where the list separator is a semicolon (most of Europe), at a tab,
// at ',' in a file read as TSV, and at a line break when the quoting is lost. So every part of the value
// after one of those (spaces skipped) is checked as a cell of its own: "a;=HYPERLINK(...)" becomes
// "a;'=HYPERLINK(...)".
std::string spreadsheet_text(const std::string& v) {
  static const char* const kFullWidth[] = {"\uFF1D", "\uFF0B", "\uFF0D", "\uFF20"};
  const auto formula_at = [&v](std::size_t i, bool cell_start) {
    if (i >= v.size()) return false;
    if (std::string_view("=+-@").find(v[i]) != std::string_view::npos) return true;
    if (cell_start && (v[i] == '\t' || v[i] == '\r')) return true;
    for (const char* f : kFullWidth)
      if (v.compare(i, std::strlen(f), f) == 0) return true;
    return false;
  };
  std::string out;
  out.reserve(v.size() + 1);
  if (formula_at(0, true)) out += '\'';
  for (std::size_t i = 0; i < v.size(); ++i) {
    out += v[i];
    if (std::string_view(",;\t\r\n").find(v[i]) == std::string_view::npos) continue;
    std::size_t j = i + 1;
    while (j < v.size() && v[j] == ' ') ++j;
    if (formula_at(j, false)) {
      out.append(v, i + 1, j - i - 1);
      out += '\'';
      i = j - 1;
    }
  }
  return out;
}

const std::vector<std::string>& export_formats() {
  static const std::vector<std::string> formats = {"ris", "bibtex", "csl-json", "csv", "jsonl"};
  return formats;
}

namespace {

// A field as every export writes it: valid UTF-8 with the line breaks other than LF and CR (VT, FF,
// NEL, U+2028, U+2029) as spaces (rt11h row 5: a CSV reader takes none of them for a break, Python's
// splitlines() all), without the other C0 controls (ESC, BEL: a CSV printed on a terminal cannot
// retitle it), C1 controls read as Windows-1252, and without display controls (utf8.h): a reference
// manager or spreadsheet shows the text as it was written, never reordered by a U+202E in a title.
void clean_field(std::string& s) {
  s = without_display_controls(c1_as_cp1252(
      without_c0_controls(other_line_breaks_as_spaces(is_valid_utf8(s) ? s : repair_utf8(s).text))));
}

std::vector<ExportRecord> cleaned(std::vector<ExportRecord> records) {
  for (ExportRecord& r : records) {
    DocumentMeta& m = r.meta;
    for (std::string* s : {&m.id, &m.title, &m.subtitle, &m.publisher, &m.container, &m.volume, &m.issue, &m.pages,
                           &m.date, &m.type, &m.language, &m.url, &m.source})
      clean_field(*s);
    // A path names a file: never rewritten into the name of another (a C1 control read as Windows-1252
    // would be one), only its controls written as visible escapes (rt11i row 4).
    m.path = printable_line(m.path);
    for (auto& a : m.authors) clean_field(a);
    for (auto& b : m.by) clean_field(b);
    for (auto& [name, value] : m.extra) {
      clean_field(name);
      clean_field(value);
    }
    for (ExportPassage& p : r.passages) {
      clean_field(p.page_label);
      clean_field(p.page_label_end);
    }
  }
  return records;
}

}  // namespace

std::string export_records(const std::vector<ExportRecord>& input, const std::string& format) {
  const std::vector<ExportRecord> records = cleaned(input);
  if (format == "ris") return ris(records);
  if (format == "bibtex") return bibtex(records);
  if (format == "csl-json") return json_text(csl(records), 2) + "\n";
  if (format == "csv") return csv(records);
  if (format == "jsonl") {
    std::string out;
    for (const auto& r : records) {
      nlohmann::json j = to_json(r.meta);
      j["citation"] = citation_of(r);
      if (!r.passages.empty()) {
        nlohmann::json passages = nlohmann::json::array();
        for (const auto& p : r.passages) {
          nlohmann::json jp = {{"paragraph", p.paragraph}};
          if (!p.page_label.empty()) jp["page_label"] = p.page_label;
          if (!p.page_label_end.empty() && p.page_label_end != p.page_label) jp["page_label_end"] = p.page_label_end;
          passages.push_back(std::move(jp));
        }
        j["passages"] = std::move(passages);
      }
      out += json_text(j) + "\n";
    }
    return out;
  }
  throw std::invalid_argument("unknown export format '" + format + "' (ris, bibtex, csl-json, csv, jsonl)");
}

std::string export_documents(const std::vector<DocumentMeta>& documents, const std::string& format) {
  std::vector<ExportRecord> records;
  records.reserve(documents.size());
  for (const auto& m : documents) records.push_back({m, {}});
  return export_records(records, format);
}

}  // namespace quire
