// JSON mapping and citation text for document metadata.
#include "quire/document.h"

#include <nlohmann/json.hpp>

namespace quire {

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

}  // namespace quire
