// JSON mapping and citation text for document metadata.
#include "quire/document.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string_view>

#include "quire/invisible.h"
#include "quire/utf8.h"

namespace quire {

namespace {

// C1 characters in valid UTF-8 `s`: C2 80 - C2 9F.
std::size_t c1_count(const std::string& s) {
  std::size_t n = 0;
  for (std::size_t i = 0; i + 1 < s.size(); ++i)
    n += static_cast<unsigned char>(s[i]) == 0xC2 && static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
         static_cast<unsigned char>(s[i + 1]) < 0xA0;
  return n;
}

}  // namespace

std::size_t c1_as_cp1252(Document& doc) {
  std::size_t n = 0;
  const auto clean = [&n](std::string& s) {
    if (const std::size_t k = c1_count(s); k > 0) {
      n += k;
      s = c1_as_cp1252(s);
    }
  };
  DocumentMeta& m = doc.meta;
  for (std::string* s : {&m.title, &m.subtitle, &m.publisher, &m.container, &m.volume, &m.issue, &m.pages, &m.date,
                         &m.type, &m.language, &m.url, &m.source})
    clean(*s);
  for (auto& a : m.authors) clean(a);
  for (auto& b : m.by) clean(b);
  for (auto& [name, value] : m.extra) {
    clean(name);
    clean(value);
  }
  for (auto& label : doc.page_labels) clean(label);
  for (Section& sec : doc.sections) {
    clean(sec.heading);
    for (std::size_t p = 0; p < sec.paragraphs.size(); ++p) {
      std::string& text = sec.paragraphs[p];
      if (c1_count(text) == 0) continue;
      if (p < sec.pages.size())  // an offset moves by what the text before it grew
        for (PageMark& mark : sec.pages[p])
          mark.offset = c1_as_cp1252(std::string_view(text).substr(0, std::min(mark.offset, text.size()))).size();
      clean(text);
    }
  }
  return n;
}

nlohmann::json to_json(const DocumentMeta& m) {
  nlohmann::json j = nlohmann::json::object();
  const auto put = [&j](const char* key, const std::string& v) {
    if (!v.empty()) j[key] = v;
  };
  put("id", m.id);
  put("title", m.title);
  if (m.title_devised) j["title_devised"] = true;
  put("subtitle", m.subtitle);
  if (!m.authors.empty()) j["authors"] = m.authors;
  put("publisher", m.publisher);
  put("container", m.container);
  put("volume", m.volume);
  put("issue", m.issue);
  put("pages", m.pages);
  put("date", m.date);
  put("type", m.type);
  put("language", m.language);
  put("url", m.url);
  put("source", m.source);
  put("path", m.path);
  if (!m.by.empty()) j["by"] = m.by;
  if (!m.extra.empty()) {
    nlohmann::json extra = nlohmann::json::object();
    for (const auto& [k, v] : m.extra) extra[k] = v;
    j["extra"] = std::move(extra);
  }
  return j;
}

DocumentMeta meta_from_json(const nlohmann::json& j) {
  DocumentMeta m;
  const auto get = [&j](const char* key, std::string& out) {
    auto it = j.find(key);
    if (it != j.end() && it->is_string()) out = it->get<std::string>();
  };
  get("id", m.id);
  get("title", m.title);
  m.title_devised = j.value("title_devised", false);
  get("subtitle", m.subtitle);
  if (auto it = j.find("authors"); it != j.end() && it->is_array()) {
    for (const auto& a : *it) {
      if (a.is_string()) m.authors.push_back(a.get<std::string>());
    }
  }
  get("publisher", m.publisher);
  get("container", m.container);
  get("volume", m.volume);
  get("issue", m.issue);
  get("pages", m.pages);
  get("date", m.date);
  get("type", m.type);
  m.language.clear();
  get("language", m.language);
  get("url", m.url);
  get("source", m.source);
  get("path", m.path);
  if (auto it = j.find("by"); it != j.end() && it->is_array()) {
    for (const auto& a : *it) {
      if (a.is_string()) m.by.push_back(a.get<std::string>());
    }
  }
  if (auto it = j.find("extra"); it != j.end() && it->is_object()) {
    for (const auto& [k, v] : it->items()) {
      if (v.is_string()) m.extra.emplace_back(k, v.get<std::string>());
    }
  }
  return m;
}

std::string display_title(const DocumentMeta& m) {
  if (m.title.empty()) return "[untitled]";
  return m.title_devised ? "[" + m.title + "]" : m.title;
}

std::string format_citation(const DocumentMeta& m, int paragraph, const std::string& page_label,
                            const std::string& page_label_end) {
  std::string out;
  for (std::size_t i = 0; i < m.authors.size(); ++i) {
    if (i > 0) out += i + 1 == m.authors.size() ? " and " : ", ";
    out += m.authors[i];
  }
  if (!out.empty()) out += ", ";
  out += m.title.empty() || m.title_devised ? display_title(m) : "\u201C" + m.title + "\u201D";
  std::string where = m.container.empty() ? m.publisher : m.container;
  if (!m.container.empty()) {
    if (!m.volume.empty()) where += " " + m.volume;
    if (!m.issue.empty()) where += (m.volume.empty() ? " no. " : ", no. ") + m.issue;
  }
  if (!where.empty()) out += ", " + where;
  if (!m.date.empty()) out += ", " + m.date;
  if (!page_label.empty()) {
    if (page_label_end.empty() || page_label_end == page_label)
      out += ", p. " + page_label;
    else
      out += ", pp. " + page_label + "-" + page_label_end;
  } else if (paragraph > 0) {
    out += ", para. " + std::to_string(paragraph);
  }
  out += ".";
  return out;
}

int days_in_month(int year, int month) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

std::string date_problem(const std::string& date) {
  const auto digits = [&date](std::size_t from, std::size_t n) {
    for (std::size_t i = from; i < from + n; ++i)
      if (date[i] < '0' || date[i] > '9') return -1;
    return std::stoi(date.substr(from, n));
  };
  const bool shape = (date.size() == 4 || (date.size() == 7 && date[4] == '-') ||
                      (date.size() == 10 && date[4] == '-' && date[7] == '-')) &&
                     digits(0, 4) >= 0 && (date.size() < 7 || digits(5, 2) >= 0) &&
                     (date.size() < 10 || digits(8, 2) >= 0);
  if (!shape) return "date \"" + date + "\" is not YYYY, YYYY-MM or YYYY-MM-DD";
  const int year = digits(0, 4);
  if (year < 1000 || year > 2999)
    return "date \"" + date + "\" has year " + date.substr(0, 4) + " (quire takes 1000 to 2999)";
  if (date.size() == 4) return "";
  const int month = digits(5, 2);
  if (month < 1 || month > 12) return "date \"" + date + "\" has month " + date.substr(5, 2) + " (01 to 12)";
  if (date.size() == 7) return "";
  const int day = digits(8, 2), days = days_in_month(year, month);
  if (day < 1 || day > days)
    return "date \"" + date + "\" does not exist (that month has " + std::to_string(days) + " days)";
  return "";
}

namespace {

// `s` cut to at most `limit` bytes at a character boundary, with "…" (3 bytes) inside the limit.
std::string cut(const std::string& s, std::size_t limit) {
  std::size_t end = limit > 3 ? limit - 3 : 0;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  return s.substr(0, end) + "\u2026";
}

}  // namespace

std::vector<std::string> bound_fields(DocumentMeta& m, const FieldLimits& limits) {
  std::vector<std::string> warnings;
  const auto bound = [&warnings](const char* name, std::string& v, std::size_t limit) {
    if (v.size() <= limit) return;
    warnings.push_back(std::string(name) + " is " + std::to_string(v.size()) + " bytes; cut to " +
                       std::to_string(limit) + " (quire's limit for it)");
    v = cut(v, limit);
  };
  bound("title", m.title, limits.title);
  bound("subtitle", m.subtitle, limits.title);
  bound("publisher", m.publisher, limits.name);
  bound("container", m.container, limits.name);
  for (const auto& [name, field] : {std::pair{"volume", &m.volume},
                                    {"issue", &m.issue},
                                    {"pages", &m.pages},
                                    {"type", &m.type},
                                    {"language", &m.language}})
    bound(name, *field, limits.short_field);
  bound("url", m.url, limits.url);
  bound("source", m.source, limits.url);
  const auto count = [&warnings](const char* what, auto& list, std::size_t limit) {
    if (list.size() <= limit) return;
    warnings.push_back(std::to_string(list.size()) + " " + what + "; the first " + std::to_string(limit) +
                       " are kept (quire's limit)");
    list.resize(limit);
  };
  count("authors", m.authors, limits.authors);
  for (auto& a : m.authors) bound("an author", a, limits.name);
  count("\"by\" actors", m.by, limits.by);
  for (auto& b : m.by) bound("a \"by\" actor", b, limits.name);
  count("catalogue fields", m.extra, limits.extra_fields);
  for (auto& [name, value] : m.extra) bound(name.c_str(), value, limits.extra_value);
  return warnings;
}

void settle_document_text(Document& doc, std::vector<std::string>& warnings) {
  // A warning, as for bytes decoded: the text is not as the file had it.
  if (const std::size_t n = c1_as_cp1252(doc); n > 0)
    warnings.push_back(std::to_string(n) +
                       " C1 control character(s) (U+0080-U+009F) read as the Windows-1252 characters they stand for");
  drop_break_hints(doc);  // stored and shown as it is seen
}

}  // namespace quire
