// JSON and terminal rendering. See output.h.
#include "quire/output.h"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "quire/utf8.h"

namespace quire {
namespace {

// The citation of a hit, at its first passage: its pages when the file has them, else its paragraph.
std::string citation_of(const SearchHit& hit) {
  if (hit.passages.empty()) return format_citation(hit.meta, 0);
  const PassageHit& p = hit.passages.front();
  return format_citation(hit.meta, p.paragraph, p.page_label, p.page_label_end);
}

}  // namespace

std::string total_qualifier(const SearchResults& r) {
  if (r.total_lower_bound && !r.time_limited) return "at least ";
  return !r.total_exact || r.time_limited ? "about " : "";
}

std::string total_text(const SearchResults& r) {
  std::string n = std::to_string(r.total);
  if (r.total_lower_bound && r.total >= 1000) {
    // A lower bound keeps its digits (rounding could pass the count), with thousands separators.
    const std::string digits = n;
    n.clear();
    for (std::size_t i = 0; i < digits.size(); ++i) {
      if (i > 0 && (digits.size() - i) % 3 == 0) n += ',';
      n += digits[i];
    }
  } else if (!r.total_exact && r.total >= 100) {
    // Three significant figures, with thousands separators: an estimate's digits beyond are noise.
    std::size_t scale = 1;
    while (r.total / scale >= 1000) scale *= 10;
    std::string digits = std::to_string((r.total + scale / 2) / scale * scale);
    n.clear();
    for (std::size_t i = 0; i < digits.size(); ++i) {
      if (i > 0 && (digits.size() - i) % 3 == 0) n += ',';
      n += digits[i];
    }
  }
  std::string out = total_qualifier(r) + n + " matching " + (r.passage_mode ? "passage" : "document") +
                    (r.total == 1 ? "" : "s");
  if (r.timed_out) out += " (the search stopped at its time limit: counts and results are what it found by then)";
  return out;
}

nlohmann::json filters_to_json(const std::vector<std::pair<std::string, std::string>>& filters) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [field, value] : filters) out[field].push_back(value);
  return out;
}

nlohmann::json explanation_to_json(const Explanation& e) {
  nlohmann::json terms = nlohmann::json::array(), passages = nlohmann::json::array();
  double sum = 0;
  for (const auto& t : e.terms) {
    nlohmann::json jt = {{"term", t.term},         {"field", t.field},   {"word", t.word},    {"wdf", t.wdf},
                         {"termfreq", t.termfreq}, {"factor", t.factor}, {"weight", t.weight}};
    terms.push_back(std::move(jt));
    sum += t.weight;
  }
  for (const auto& p : e.passages)
    passages.push_back({{"passage", p.number}, {"paragraph", p.paragraph}, {"score", p.score}, {"shown", p.shown}});
  return {{"sum", sum},
          {"terms", std::move(terms)},
          {"filters", e.filters},
          {"passages", std::move(passages)},
          {"threshold", e.threshold}};
}

nlohmann::json results_to_json(const SearchResults& r) {
  nlohmann::json results = nlohmann::json::array();
  for (const auto& hit : r.hits) {
    nlohmann::json passages = nlohmann::json::array();
    for (const auto& p : hit.passages) {
      nlohmann::json hl = nlohmann::json::array();
      for (const auto& [b, e] : p.highlights) hl.push_back({b, e});
      nlohmann::json jp = {{"paragraph", p.paragraph}, {"passage", p.number}, {"score", p.score},
                           {"text", p.text},           {"highlights", hl},    {"actors", p.actors},
                           {"themes", p.themes},       {"mentions", p.years}};
      if (!p.section.empty()) jp["section"] = p.section;
      if (p.page > 0) {
        jp["page"] = p.page;
        jp["page_label"] = p.page_label;
        if (p.page_end != p.page) {
          jp["page_end"] = p.page_end;
          jp["page_label_end"] = p.page_label_end;
        }
      }
      nlohmann::json quotes = nlohmann::json::array();
      for (const auto& q : p.quotes) {
        nlohmann::json jq = {{"start", q.cp_begin}, {"end", q.cp_end}};
        if (q.scare) jq["scare"] = true;
        if (!q.speaker_name.empty()) jq["speaker"] = {{"id", q.speaker}, {"name", q.speaker_name}};
        quotes.push_back(std::move(jq));
      }
      jp["quotes"] = std::move(quotes);
      passages.push_back(std::move(jp));
    }
    const DocumentMeta& m = hit.meta;
    nlohmann::json j = {{"rank", hit.rank},
                        {"id", m.id},
                        {"title", m.title},
                        {"title_devised", m.title_devised},
                        {"authors", m.authors},
                        {"publisher", m.publisher},
                        {"date", m.date},
                        {"path", m.path},
                        {"score", hit.score},
                        {"citation", citation_of(hit)},
                        {"document_tags", {{"actors", hit.document_actors}, {"themes", hit.document_themes}}},
                        {"passages", std::move(passages)}};
    for (const auto& [key, value] : {std::pair{"subtitle", &m.subtitle},
                                     {"container", &m.container},
                                     {"volume", &m.volume},
                                     {"issue", &m.issue},
                                     {"type", &m.type},
                                     {"url", &m.url},
                                     {"source", &m.source}}) {
      if (!value->empty()) j[key] = *value;
    }
    if (!m.by.empty()) j["by"] = m.by;
    if (!m.extra.empty()) {
      nlohmann::json extra = nlohmann::json::object();
      for (const auto& [k, v] : m.extra) extra[k] = v;
      j["extra"] = std::move(extra);
    }
    if (hit.explanation) j["explain"] = explanation_to_json(*hit.explanation);
    results.push_back(std::move(j));
  }
  nlohmann::json out = {{"query", r.query},   {"mode", r.passage_mode ? "passages" : "documents"},
                        {"total", r.total},   {"total_exact", r.total_exact},
                        {"offset", r.offset}, {"results", std::move(results)}};
  if (r.total_lower_bound) out["total_lower_bound"] = true;
  if (!r.filters.empty()) out["filters"] = filters_to_json(r.filters);
  if (r.timed_out) out["timed_out"] = true;
  if (!r.suggestion.empty()) out["suggestion"] = r.suggestion;
  if (r.last_page_offset) out["last_page_offset"] = *r.last_page_offset;
  if (!r.facets.empty()) out["facets"] = facets_to_json(r);
  return out;
}

nlohmann::json facets_to_json(const SearchResults& r) {
  nlohmann::json facets = nlohmann::json::object();
  for (const auto& [name, values] : r.facets) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& v : values)
      list.push_back({{"id", v.id}, {"label", v.label}, {"documents", v.documents}, {"passages", v.passages}});
    facets[name] = std::move(list);
  }
  return facets;
}

nlohmann::json facet_counts_to_json(const SearchResults& r) {
  nlohmann::json out = {{"query", r.query},
                        {"total", r.total},
                        {"total_exact", r.total_exact && !r.timed_out && !r.time_limited},
                        {"facets", facets_to_json(r)}};
  if (!r.filters.empty()) out["filters"] = filters_to_json(r.filters);
  if (r.timed_out) out["timed_out"] = true;
  return out;
}

nlohmann::json info_to_json(const IndexInfo& i) {
  nlohmann::json shards = nlohmann::json::array();
  for (const auto& s : i.shards)
    shards.push_back({{"name", s.name},
                      {"remote", s.remote},
                      {"documents", s.documents},
                      {"passages", s.passages},
                      {"revision", s.revision},
                      {"bytes_on_disk", s.bytes_on_disk}});
  return {{"path", i.path},
          {"documents", i.documents},
          {"passages", i.passages},
          {"terms", i.terms},
          {"revision", i.revision},
          {"bytes_on_disk", i.bytes_on_disk},
          {"format_version", i.format_version},
          {"shards", shards}};
}

std::string excerpt(const std::string& text, const std::vector<Span>& hl, std::size_t max_chars, const std::string& on,
                    const std::string& off) {
  const auto n = static_cast<std::uint32_t>(codepoint_count(text));
  std::uint32_t begin = 0, end = n;
  if (n > max_chars) {
    const std::uint32_t focus = hl.empty() ? 0 : hl.front().first;
    const auto half = static_cast<std::uint32_t>(max_chars / 3);
    begin = focus > half ? focus - half : 0;
    end = std::min<std::uint32_t>(n, begin + static_cast<std::uint32_t>(max_chars));
    if (end == n) begin = n - static_cast<std::uint32_t>(max_chars);
    // Move the cut points to word boundaries.
    const std::size_t b0 = byte_offset(text, begin);
    if (begin > 0) {
      const std::size_t sp = text.find(' ', b0);
      if (sp != std::string::npos && sp - b0 < 40)
        begin += static_cast<std::uint32_t>(codepoint_count(text.substr(b0, sp + 1 - b0)));
    }
    const std::size_t e0 = byte_offset(text, end);
    if (end < n) {
      const std::size_t sp = text.rfind(' ', e0);
      if (sp != std::string::npos && e0 - sp < 40 && sp > b0)
        end -= static_cast<std::uint32_t>(codepoint_count(text.substr(sp, e0 - sp)));
    }
  }
  std::string out = begin > 0 ? "\u2026" : "";
  std::uint32_t at = begin;
  for (const auto& [b, e] : hl) {
    if (e <= begin || b >= end) continue;
    const std::uint32_t hb = std::max(b, begin), he = std::min(e, end);
    out += text.substr(byte_offset(text, at), byte_offset(text, hb) - byte_offset(text, at));
    out += on;
    out += text.substr(byte_offset(text, hb), byte_offset(text, he) - byte_offset(text, hb));
    out += off;
    at = he;
  }
  out += text.substr(byte_offset(text, at), byte_offset(text, end) - byte_offset(text, at));
  if (end < n) out += "\u2026";
  return out;
}

void print_explanation(std::ostream& out, const Explanation& e, double score) {
  const auto number = [](double x) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4f", x);
    return std::string(buf);
  };
  out << "   explain: score " << number(score) << " =";
  if (e.terms.empty()) out << " 0 (no weighted words)";
  for (std::size_t i = 0; i < e.terms.size(); ++i) {
    const TermWeight& t = e.terms[i];
    out << (i ? "\n                  + " : " ") << number(t.weight) << "  "
        << printable_line(t.field.empty() ? t.word : t.field + ":" + t.word);
    if (t.wdf > 0) out << " (" << t.wdf << "x in the passage, in " << t.termfreq << " passages)";
    if (t.factor != 1) out << " x" << number(t.factor);
  }
  out << "\n";
  if (!e.filters.empty()) {
    out << "   filters matched:";
    for (const auto& f : e.filters) out << " " << printable_line(f);
    out << "\n";
  }
  if (!e.passages.empty()) {
    out << "   passages (shown at " << number(e.threshold) << " or more):";
    for (const auto& p : e.passages)
      out << " \u00B6" << p.paragraph << " " << number(p.score) << (p.shown ? "" : " (not shown)");
    out << "\n";
  }
}

void print_results(std::ostream& out, const SearchResults& r, const TerminalStyle& style) {
  const std::string bold = style.color ? "\033[1m" : "";
  const std::string dim = style.color ? "\033[2m" : "";
  const std::string on = style.color ? "\033[1;33m" : "";
  const std::string reset = style.color ? "\033[0m" : "";
  const std::size_t first = r.hits.empty() ? 0 : r.hits.front().rank;
  const std::size_t last = r.hits.empty() ? 0 : r.hits.back().rank;
  out << total_text(r);
  if (!r.hits.empty()) out << ", showing " << first << "-" << last;
  out << "\n";
  if (r.last_page_offset)
    out << "This page is past the last result; the last page starts at --offset " << *r.last_page_offset << ".\n";
  if (!r.suggestion.empty()) out << "Did you mean: " << bold << printable_line(r.suggestion) << reset << "?\n";
  for (const auto& hit : r.hits) {
    const DocumentMeta& m = hit.meta;
    char score[32];
    std::snprintf(score, sizeof score, "%.2f", hit.score);
    out << "\n"
        << bold << hit.rank << ". " << printable_line(display_title(m)) << reset << dim << "  (score " << score << ")"
        << reset << "\n";
    // Everything from a document goes through printable_line() (one line: a line break in a file name or
    // title cannot forge a result line), or printable() for passage text: no ESC reaches the terminal.
    out << "   " << printable_line(citation_of(hit)) << "\n";
    out << "   " << dim << printable_line(m.path) << reset << "\n";
    for (const auto& p : hit.passages) {
      const std::string where = p.page_label.empty()               ? "\u00B6" + std::to_string(p.paragraph)
                                : p.page_label_end == p.page_label ? "p. " + p.page_label
                                                                   : "pp. " + p.page_label + "-" + p.page_label_end;
      out << "   " << dim << printable_line(where) << (p.section.empty() ? "" : " \u00B7 " + printable_line(p.section))
          << reset << "\n";
      // printable_line() keeps the number of code points, so the highlight offsets still hold.
      const std::string text = printable(p.text);
      out << "     " << excerpt(text, p.highlights, style.context_chars, on, reset) << "\n";
      for (const auto& q : p.quotes) {
        if (q.speaker_name.empty()) continue;
        const std::size_t b = byte_offset(text, q.cp_begin), e = byte_offset(text, q.cp_end);
        if (b >= e || e > text.size()) continue;  // offsets from an index quire did not write
        std::string words = text.substr(b, e - b);
        if (codepoint_count(words) > 80) words = words.substr(0, byte_offset(words, 77)) + "\u2026";
        out << "     " << dim << "\u201C" << words << "\u201D \u2014 " << printable_line(q.speaker_name) << reset
            << "\n";
      }
    }
    if (hit.explanation) print_explanation(out, *hit.explanation, hit.score);
  }
}

std::string html_escape(std::string_view raw) {
  // printable() first: no C0 or C1 control (not even as a reference, which XHTML readers refuse) and no
  // bidi override reaches a page, one character for one, so highlight offsets still hold.
  const std::string text = printable(raw);
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string highlighted_html(const std::string& text, const std::vector<Span>& highlights) {
  std::string out;
  std::size_t at = 0;  // bytes of `text` written so far
  for (const auto& [b, e] : highlights) {
    const std::size_t bb = byte_offset(text, b), eb = byte_offset(text, e);
    if (bb < at || eb <= bb) continue;  // overlapping or empty: skip, never emit broken markup
    out += html_escape(std::string_view(text).substr(at, bb - at));
    out += "<mark>" + html_escape(std::string_view(text).substr(bb, eb - bb)) + "</mark>";
    at = eb;
  }
  out += html_escape(std::string_view(text).substr(std::min(at, text.size())));
  return out;
}

void print_results_html(std::ostream& out, const SearchResults& r) {
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>quire: " << html_escape(r.query)
      << "</title>\n</head>\n<body>\n<h1>" << html_escape(r.query) << "</h1>\n<p>" << total_text(r) << "</p>\n";
  if (!r.suggestion.empty())
    out << "<p class=\"suggestion\">Did you mean: <em>" << html_escape(r.suggestion) << "</em>?</p>\n";
  out << "<ol>\n";
  for (const auto& hit : r.hits) {
    out << "<li value=\"" << hit.rank << "\">\n<h2>" << html_escape(display_title(hit.meta))
        << "</h2>\n<p class=\"cite\">" << html_escape(citation_of(hit)) << "</p>\n";
    for (const auto& p : hit.passages) {
      out << "<blockquote data-paragraph=\"" << p.paragraph << "\"><p>" << highlighted_html(p.text, p.highlights)
          << "</p>";
      for (const auto& q : p.quotes)
        if (!q.speaker_name.empty()) out << "<footer>\u2014 " << html_escape(q.speaker_name) << "</footer>";
      out << "</blockquote>\n";
    }
    out << "</li>\n";
  }
  out << "</ol>\n";
  for (const auto& [name, values] : r.facets) {
    out << "<h3>" << html_escape(name) << (r.timed_out ? " (partial: counting stopped at the time limit)" : "")
        << "</h3>\n<ul>\n";
    for (const auto& v : values)
      out << "<li>" << html_escape(v.label) << " (" << v.documents << ", " << v.passages << ")</li>\n";
    out << "</ul>\n";
  }
  out << "</body>\n</html>\n";
}

void print_facets(std::ostream& out, const SearchResults& r) {
  for (const auto& [name, values] : r.facets) {
    // Counting that stopped at the time limit counted only part of the matches (JSON's timed_out).
    out << "\n"
        << name << " (documents, passages" << (r.timed_out ? "; partial: counting stopped at the time limit" : "")
        << ")\n";
    if (values.empty()) out << "  (none)\n";
    for (const auto& v : values)
      out << "  " << printable_line(v.label) << "  " << v.documents << ", " << v.passages << "\n";
  }
}

void print_info(std::ostream& out, const IndexInfo& i) {
  char size[32];
  std::snprintf(size, sizeof size, "%.1f MB", static_cast<double>(i.bytes_on_disk) / 1e6);
  out << "index:          " << printable_line(i.path) << "\n"
      << "documents:      " << i.documents << "\n"
      << "passages:       " << i.passages << "\n"
      << "distinct terms: " << i.terms << "\n"
      << "revision:       " << i.revision << "\n"
      << "size on disk:   " << size << " (" << i.bytes_on_disk << " bytes)\n"
      << "format version: " << i.format_version << "\n";
  if (i.shards.size() < 2) return;
  out << "shards:         " << i.shards.size() << "\n";
  for (const auto& s : i.shards)
    out << "  " << printable_line(s.name) << ": " << s.documents << " documents, " << s.passages
        << " passages, revision " << s.revision << (s.remote ? ", remote" : "") << "\n";
}

}  // namespace quire
