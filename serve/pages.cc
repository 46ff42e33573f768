// HTML pages of quire serve. See pages.h. No inline script or style anywhere (the Content-Security-Policy
// forbids them): behaviour is in /static/app.js, looks in /static/style.css, bar heights are SVG
// attributes.
#include "pages.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>

#include "quire/highlighter.h"
#include "quire/output.h"
#include "quire/request.h"
#include "quire/utf8.h"

namespace quire::serve {
namespace {

const char* const kFacetTitles[][2] = {
    {"actor", "Actors named"}, {"theme", "Themes"},     {"published", "Published"}, {"mentions", "Years mentioned"},
    {"speaker", "Speakers"},   {"dyad", "Actor pairs"}, {"publisher", "Publisher"}, {"by", "By"}};

// Text for a page: escaped for HTML, invalid UTF-8 (a request's parameters may hold any bytes) repaired
// and control characters other than tab and line feed (a NUL, ESC) shown as U+FFFD.
std::string esc(const std::string& s) { return html_escape(s); }  // html_escape() applies printable()

std::string get(const Params& p, const std::string& name) {
  for (const auto& [k, v] : p)
    if (k == name) return v;
  return "";
}

Params without(const Params& p, const std::string& name, const std::string& value = "\x01") {
  Params out;
  for (const auto& kv : p)
    if (!(kv.first == name && (value == "\x01" || kv.second == value))) out.push_back(kv);
  return out;
}

Params with(Params p, const std::string& name, const std::string& value) {
  p = without(p, name);
  if (!value.empty()) p.emplace_back(name, value);
  return p;
}

bool is_filter(const std::string& name) {
  const auto& f = filter_parameters();
  return name == "publisher" || std::find(f.begin(), f.end(), name) != f.end();
}

// The value a click on a facet value filters by: ids for actors, themes, years, pairs and speakers (so
// the link finds exactly what the facet counted, rt17h row 6); names for catalogue actors quire does
// not know ("~name" keys) and for publishers. The chip shows the label either way.
std::string filter_value(const std::string& facet, const FacetValue& v) {
  if (facet == "publisher") return v.label;
  if (facet == "by" && !v.id.empty() && v.id[0] == '~') return v.label;
  return v.id;
}

std::string header(const PageContext& ctx, const std::string& title, const std::string& q, const Params& keep) {
  std::string h =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<meta name=\"csrf-token\" content=\"" +
      esc(ctx.csrf) + "\">\n<title>" + esc(title) +
      " \u2013 quire</title>\n<link rel=\"stylesheet\" href=\"/static/style.css\">\n"
      "<script src=\"/static/app.js\" defer></script>\n</head>\n<body>\n"
      "<a class=\"skip\" href=\"#main\">Skip to results</a>\n<header class=\"top\">\n"
      "<a class=\"brand\" href=\"/\">quire</a>\n"
      "<form class=\"search\" role=\"search\" action=\"/\" method=\"get\">\n"
      "<label for=\"q\">Search the index</label>\n<div class=\"searchrow\">"
      "<input id=\"q\" name=\"q\" type=\"search\" value=\"" +
      esc(q) + "\" autocomplete=\"off\" aria-describedby=\"syntax-hint\">";
  for (const auto& [k, v] : keep) h += "<input type=\"hidden\" name=\"" + esc(k) + "\" value=\"" + esc(v) + "\">";
  h += "<button type=\"submit\">Search</button></div>\n"
       "<details class=\"syntax\" id=\"syntax-hint\"><summary>Query syntax</summary>\n"
       "<ul><li><code>\"exact phrase\"</code> words in order</li>"
       "<li><code>AND</code>, <code>OR</code>, <code>NOT</code>, <code>NEAR</code>, <code>( )</code></li>"
       "<li><code>nucl*</code> words starting with nucl</li>"
       "<li><code>title:</code> <code>author:</code> <code>publisher:</code> <code>quote:</code> fields</li>"
       "<li><code>actor:china</code> <code>theme:nuclear</code> <code>published:2020..2025</code> "
       "<code>mentions:1960s</code> <code>speaker:\"Wang Yi\"</code> <code>dyad:china/pakistan</code> "
       "<code>by:PAK</code> filters</li></ul>\n<p><a href=\"/help\">More on the syntax</a></p></details>\n"
       "</form>\n<nav class=\"links\" aria-label=\"Site\"><a href=\"/collections\">Collections</a> "
       "<a href=\"/help\">Help</a></nav>\n</header>\n";
  (void)ctx;
  return h;
}

const char* const kFooter = "</body>\n</html>\n";

std::string csrf_field(const PageContext& ctx) {
  return "<input type=\"hidden\" name=\"csrf\" value=\"" + esc(ctx.csrf) + "\">";
}

std::string copy_button(const std::string& text) {
  return "<button type=\"button\" class=\"copy\" data-copy=\"" + esc(text) + "\" hidden>Copy citation</button>";
}

std::string passage_html(const PassageHit& p, const std::string& doc_id, bool link_to_doc) {
  std::string h = "<blockquote class=\"passage\" data-paragraph=\"" + std::to_string(p.paragraph) + "\"><p>" +
                  highlighted_html(p.text, p.highlights) + "</p><footer>";
  if (link_to_doc)
    h += "<a href=\"/doc/" + url_encode(doc_id) + "#p" + std::to_string(p.number) + "\">para. " +
         std::to_string(p.paragraph) + "</a>";
  else
    h += "para. " + std::to_string(p.paragraph);
  if (!p.section.empty()) h += " \u00b7 " + esc(p.section);
  std::set<std::string> speakers;
  for (const auto& q : p.quotes)
    if (!q.speaker_name.empty() && speakers.insert(q.speaker_name).second)
      h += " \u00b7 quoting " + esc(q.speaker_name);
  return h + "</footer></blockquote>\n";
}

std::string meta_line(const DocumentMeta& m) {
  std::string h;
  const auto add = [&h](const std::string& s) {
    if (s.empty()) return;
    h += (h.empty() ? "" : " \u00b7 ") + esc(s);
  };
  add(m.date);
  add(m.type);
  add(m.container.empty() ? m.publisher : m.container);
  if (!m.pages.empty()) add("pp. " + m.pages);
  return h;
}

std::string year_histogram(const std::vector<FacetValue>& years, const Params& params) {
  std::map<int, std::size_t> counts;
  for (const auto& v : years) {
    if (v.id.size() == 4 && std::all_of(v.id.begin(), v.id.end(), ::isdigit)) counts[std::stoi(v.id)] = v.documents;
  }
  if (counts.empty()) return "";
  const int lo = counts.begin()->first, hi = counts.rbegin()->first;
  std::size_t top = 1;
  for (const auto& kv : counts) top = std::max(top, kv.second);
  const int n = hi - lo + 1;
  const double w = 240.0 / n;
  const Params base = without(without(params, "published"), "offset");
  std::string h = "<svg class=\"hist\" viewBox=\"0 0 240 64\" role=\"group\" aria-label=\"Documents per year, " +
                  std::to_string(lo) + " to " + std::to_string(hi) + "\" data-min=\"" + std::to_string(lo) +
                  "\" data-max=\"" + std::to_string(hi) + "\" data-base=\"" + esc(link("/", base)) + "\">";
  char buf[256];
  for (const auto& [year, count] : counts) {
    const double bh = 60.0 * static_cast<double>(count) / static_cast<double>(top);
    std::snprintf(buf, sizeof buf,
                  "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\"><title>%d: %zu document%s</title></rect>",
                  (year - lo) * w, 62.0 - bh, std::max(w - 0.5, 0.8), std::max(bh, 1.0), year, count,
                  count == 1 ? "" : "s");
    h += "<a href=\"" + esc(link("/", with(base, "published", std::to_string(year)))) + "\">" + buf + "</a>";
  }
  h += "</svg>\n<p class=\"hist-range\"><span>" + std::to_string(lo) + "</span><span>" + std::to_string(hi) +
       "</span></p>\n";
  return h;
}

std::string facets_html(const SearchResults& r, const Params& params) {
  std::string h = "<aside class=\"facets\" aria-label=\"Filters\">\n<h2 class=\"vh\">Narrow the results</h2>\n";
  for (const auto& facet : r.facets) {
    // Named copies, not structured bindings: C++17 lambdas cannot capture a binding (clang refuses).
    const std::string& name = facet.first;
    const auto& values = facet.second;
    std::string title = name;
    for (const auto& t : kFacetTitles)
      if (name == t[0]) title = t[1];
    h += "<section class=\"facet\" data-facet=\"" + esc(name) + "\"><h3>" + esc(title) + "</h3>\n";
    if (values.empty()) {
      h += "<p class=\"none\">none</p></section>\n";
      continue;
    }
    if (name == "published") h += year_histogram(values, params);
    h += "<ul>\n";
    std::size_t shown = 0;
    std::vector<FacetValue> list = values;
    if (name == "published" || name == "mentions")
      std::sort(list.begin(), list.end(), [](const FacetValue& a, const FacetValue& b) {
        return a.documents != b.documents ? a.documents > b.documents : a.id < b.id;
      });
    for (const auto& v : list) {
      if (++shown > 10) break;
      const std::string value = filter_value(name, v);
      const bool active = std::any_of(params.begin(), params.end(),
                                      [&](const auto& kv) { return kv.first == name && kv.second == value; });
      Params next = without(params, "offset");
      if (!active) next.emplace_back(name, value);
      h += "<li><a href=\"" + esc(link("/", active ? without(next, name, value) : next)) + "\"" +
           (active ? " aria-current=\"true\" class=\"on\"" : "") + "><span class=\"label\">" + esc(v.label) +
           "</span> <span class=\"count\" title=\"documents\">" + std::to_string(v.documents) + "</span></a></li>\n";
    }
    h += "</ul></section>\n";
  }
  return h + "</aside>\n";
}

std::string chip_label(const SearchResults* r, const std::string& field, const std::string& value) {
  if (r) {
    for (const auto& [name, values] : r->facets) {
      if (name != field) continue;
      for (const auto& v : values)
        if (filter_value(name, v) == value) return v.label;
    }
  }
  return value;
}

// `in`: whether the collection holds document `id` (the page finds its documents once, not per result).
std::string collection_forms(const PageContext& ctx, const Collection& c, const std::string& id, bool in,
                             const std::string& back) {
  if (ctx.read_only) return "";
  const std::string action = in ? "exclude" : "add";
  return "<form class=\"collect\" method=\"post\" action=\"/collections/" + url_encode(c.name) + "/" + action + "\">" +
         csrf_field(ctx) + "<input type=\"hidden\" name=\"id\" value=\"" + esc(id) +
         "\"><input type=\"hidden\" name=\"back\" value=\"" + esc(back) + "\"><span class=\"state\">" +
         (in ? "in " + esc(c.name) : "not in " + esc(c.name)) + "</span> <button type=\"submit\" class=\"" + action +
         "\">" + (in ? "Exclude" : "Add") + "<span class=\"vh\"> " + esc(id) + "</span></button></form>\n";
}

}  // namespace

std::string url_encode(const std::string& text) {
  static const char* const hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
        c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string link(const std::string& path, const Params& params) {
  std::string out = path;
  char sep = '?';
  for (const auto& [k, v] : params) {
    if (v.empty()) continue;
    out += sep + url_encode(k) + "=" + url_encode(v);
    sep = '&';
  }
  return out;
}

std::string search_page(const PageContext& ctx, const Params& params, const SearchResults* r, const std::string& error,
                        const std::optional<Collection>& current) {
  const std::string q = get(params, "q");
  Params keep;  // what a new query keeps: filters, mode, sort, collection
  for (const auto& kv : params)
    if (kv.first != "q" && kv.first != "offset") keep.push_back(kv);
  std::string h = header(ctx, q.empty() ? "Search" : q, q, keep);
  h += "<main id=\"main\" class=\"layout\">\n<div class=\"results-col\">\n";

  // Chips: one per filter, each a link that removes it.
  std::string chips;
  for (const auto& [k, v] : params) {
    if (!is_filter(k)) continue;
    chips += "<li><a class=\"chip\" href=\"" + esc(link("/", without(without(params, k, v), "offset"))) +
             "\" aria-label=\"Remove filter " + esc(k) + ": " + esc(chip_label(r, k, v)) + "\">" + esc(k) + ": " +
             esc(chip_label(r, k, v)) + " <span aria-hidden=\"true\">\u00d7</span></a></li>";
  }
  if (!chips.empty()) h += "<ul class=\"chips\" aria-label=\"Filters in use\">" + chips + "</ul>\n";

  if (!error.empty()) {
    h += "<p class=\"error\" role=\"alert\">" + esc(error) + "</p>\n";
  } else if (!r) {
    h += "<p class=\"intro\">Type words, a phrase in quotes, or a filter such as <code>actor:china</code>.</p>\n";
  }
  if (r) {
    const bool passages = r->passage_mode;
    const std::size_t first = r->hits.empty() ? 0 : r->hits.front().rank;
    const std::size_t last = r->hits.empty() ? 0 : r->hits.back().rank;
    h += "<div class=\"bar\"><p class=\"count\" role=\"status\">" +
         total_qualifier(*r) + std::to_string(r->total) +
         (passages ? " passage" : " document") + (r->total == 1 ? "" : "s");
    if (!r->hits.empty()) h += ", " + std::to_string(first) + "\u2013" + std::to_string(last) + " shown";
    h += "</p>\n<nav class=\"modes\" aria-label=\"Result options\"><span>Show:</span> ";
    const Params base = without(params, "offset");
    h +=
        passages
            ? "<a href=\"" + esc(link("/", without(base, "passages"))) + "\">documents</a> <strong>passages</strong>"
            : "<strong>documents</strong> <a href=\"" + esc(link("/", with(base, "passages", "1"))) + "\">passages</a>";
    h += " <span>Sort:</span> ";
    const std::string sort = get(params, "sort").empty() ? "relevance" : get(params, "sort");
    for (const char* s : {"relevance", "newest", "oldest"}) {
      h += sort == s ? std::string("<strong>") + s + "</strong> "
                     : "<a href=\"" + esc(link("/", with(base, "sort", s == std::string("relevance") ? "" : s))) +
                           "\">" + s + "</a> ";
    }
    h += "</nav></div>\n";
    if (r->time_limited)
      h += "<p class=\"notice\" role=\"status\">The search stopped at its time limit: these are the results it "
           "found by then.</p>\n";
    if (!r->suggestion.empty())
      h += "<p class=\"suggestion\">Did you mean: <a href=\"" +
           esc(link("/", with(without(params, "offset"), "q", r->suggestion))) + "\">" + esc(r->suggestion) +
           "</a>?</p>\n";

    // The current collection, or a form to make one from this search.
    if (current) {
      h += "<p class=\"collection-bar\">Collecting into <a href=\"/collections/" + url_encode(current->name) + "\">" +
           esc(current->name) + "</a> (" + std::to_string(current->documents().size()) +
           " documents) \u00b7 <a href=\"" + esc(link("/", without(params, "c"))) + "\">stop</a></p>\n";
    } else if (!ctx.read_only) {
      h += "<form class=\"new-collection\" method=\"post\" action=\"/collections\">" + csrf_field(ctx);
      for (const auto& [k, v] : params)
        if (k == "q" || is_filter(k)) h += "<input type=\"hidden\" name=\"" + esc(k) + "\" value=\"" + esc(v) + "\">";
      h += "<label for=\"cname\">Save this search as a collection</label> <input id=\"cname\" name=\"name\" "
           "required pattern=\"[A-Za-z0-9._\\-]{1,100}\" title=\"letters, digits, . _ -\"> <button "
           "type=\"submit\">Create collection</button></form>\n";
    }
    if (!ctx.collections.empty() && !current) {
      h += "<form class=\"pick\" method=\"get\" action=\"/\">";
      for (const auto& [k, v] : params)
        if (k != "c") h += "<input type=\"hidden\" name=\"" + esc(k) + "\" value=\"" + esc(v) + "\">";
      h += "<label for=\"pick-c\">Collect into</label> <select id=\"pick-c\" name=\"c\">";
      for (const auto& n : ctx.collections) h += "<option>" + esc(n) + "</option>";
      h += "</select> <button type=\"submit\">Choose</button></form>\n";
    }

    const std::string back = link("/", params);
    std::set<std::string> collected;
    if (current)
      for (auto& id : current->documents()) collected.insert(std::move(id));
    h += "<ol class=\"results\" start=\"" + std::to_string(first) + "\">\n";
    for (const auto& hit : r->hits) {
      const DocumentMeta& m = hit.meta;
      const int paragraph = hit.passages.empty() ? 0 : hit.passages.front().paragraph;
      const std::string cite = format_citation(m, paragraph);
      h += "<li class=\"result\" data-id=\"" + esc(m.id) + "\">\n<h2><a href=\"" +
           esc(link("/doc/" + url_encode(m.id), {{"q", q}})) + "\">" + esc(display_title(m)) + "</a></h2>\n";
      if (const std::string line = meta_line(m); !line.empty()) h += "<p class=\"meta\">" + line + "</p>\n";
      h += "<p class=\"cite\"><span class=\"cite-text\">" + esc(cite) + "</span> " + copy_button(cite) + "</p>\n";
      for (const auto& p : hit.passages) h += passage_html(p, m.id, true);
      if (current) h += collection_forms(ctx, *current, m.id, collected.count(m.id) > 0, back);
      h += "</li>\n";
    }
    h += "</ol>\n";
    if (r->hits.empty() && error.empty() && r->last_page_offset) {
      h += "<p class=\"none\">This page is past the last result; <a href=\"" +
           esc(link("/", with(params, "offset", *r->last_page_offset ? std::to_string(*r->last_page_offset) : ""))) +
           "\">the last page</a> starts at result " + std::to_string(*r->last_page_offset + 1) + ".</p>\n";
    } else if (r->hits.empty() && error.empty()) {
      h += "<p class=\"none\">Nothing matched.</p>\n";
    }
    // Paging, by the page's own size.
    // (results exist, so a limit given was checked: a whole number from 1 up)
    const std::string asked = get(params, "limit");
    const std::size_t page = asked.empty() ? 10 : std::strtoul(asked.c_str(), nullptr, 10);
    const std::size_t offset = r->offset;
    h += "<nav class=\"paging\" aria-label=\"Pages\">";
    if (offset > 0)
      h += "<a rel=\"prev\" href=\"" +
           esc(link("/", with(params, "offset", offset > page ? std::to_string(offset - page) : ""))) +
           "\">\u2190 Previous</a> ";
    if (offset + r->hits.size() < r->total)
      h += "<a rel=\"next\" href=\"" + esc(link("/", with(params, "offset", std::to_string(offset + r->hits.size())))) +
           "\">Next \u2192</a>";
    h += "</nav>\n</div>\n";
    h += facets_html(*r, params);
  } else {
    h += "</div>\n";
  }
  h += "</main>\n";
  return h + kFooter;
}

std::string document_page(const PageContext& ctx, const SearchHit& d, const std::string& query) {
  const DocumentMeta& m = d.meta;
  std::string h = header(ctx, display_title(m), query, {});
  h += "<main id=\"main\" class=\"document\">\n<h1>" + esc(display_title(m)) + "</h1>\n";
  if (!m.subtitle.empty()) h += "<p class=\"subtitle\">" + esc(m.subtitle) + "</p>\n";
  const std::string cite = format_citation(m, 0);
  h += "<p class=\"cite\"><span class=\"cite-text\">" + esc(cite) + "</span> " + copy_button(cite) +
       "</p>\n<dl class=\"fields\">";
  const auto field = [&h](const char* name, const std::string& value) {
    if (!value.empty()) h += "<dt>" + std::string(name) + "</dt><dd>" + esc(value) + "</dd>";
  };
  std::string authors;
  for (const auto& a : m.authors) authors += (authors.empty() ? "" : "; ") + a;
  field("Authors", authors);
  field("Published", m.date);
  field("Publisher", m.publisher);
  field("In", m.container);
  field("Pages", m.pages);
  field("Type", m.type);
  field("Id", m.id);
  for (const auto& [k, v] : m.extra) field(k.c_str(), v);
  // Only web addresses become links; anything else (javascript:, data:) is shown as text.
  if (m.url.rfind("https://", 0) == 0 || m.url.rfind("http://", 0) == 0)
    h += "<dt>Source</dt><dd><a href=\"" + esc(m.url) + "\" rel=\"noopener noreferrer\">" + esc(m.url) + "</a></dd>";
  else
    field("Source", m.url);
  field("Curated from", m.source);
  if (!m.path.empty()) h += "<dt>File</dt><dd><code>" + esc(printable_line(m.path)) + "</code></dd>";
  h += "</dl>\n";
  if (!d.document_actors.empty() || !d.document_themes.empty()) {
    h += "<section class=\"tags\"><h2>Tags</h2><ul>";
    for (const auto& [id, n] : d.document_actors)
      h += "<li><a href=\"" + esc(link("/", {{"actor", id}})) + "\">actor: " + esc(id) + "</a> (" + std::to_string(n) +
           ")</li>";
    for (const auto& [id, n] : d.document_themes)
      h += "<li><a href=\"" + esc(link("/", {{"theme", id}})) + "\">theme: " + esc(id) + "</a> (" + std::to_string(n) +
           ")</li>";
    h += "</ul></section>\n";
  }
  std::string quotes;
  for (const auto& p : d.passages) {
    for (const auto& qh : p.quotes) {
      if (qh.scare || qh.cp_end <= qh.cp_begin) continue;
      const std::size_t b = byte_offset(p.text, qh.cp_begin), e = byte_offset(p.text, qh.cp_end);
      quotes += "<li><q>" + esc(p.text.substr(b, e - b)) + "</q> \u2014 " +
                (qh.speaker_name.empty() ? std::string("speaker unknown") : esc(qh.speaker_name)) + " (<a href=\"#p" +
                std::to_string(p.number) + "\">para. " + std::to_string(p.paragraph) + "</a>)</li>";
    }
  }
  if (!quotes.empty()) h += "<section class=\"quotes\"><h2>Quotations</h2><ul>" + quotes + "</ul></section>\n";
  h += "<section class=\"text\"><h2>Text</h2>\n";
  std::string section;
  for (const auto& p : d.passages) {
    if (p.section != section && !p.section.empty()) h += "<h3>" + esc(p.section) + "</h3>\n";
    section = p.section;
    h += "<div id=\"p" + std::to_string(p.number) + "\">" + passage_html(p, m.id, false) + "</div>";
  }
  h += "</section>\n</main>\n";
  return h + kFooter;
}

std::string collections_page(const PageContext& ctx, const std::vector<Collection>& list,
                             const std::vector<std::string>& damaged) {
  std::string h = header(ctx, "Collections", "", {});
  h += "<main id=\"main\" class=\"collections\">\n<h1>Collections</h1>\n";
  for (const auto& why : damaged) h += "<p class=\"note\">" + esc(why) + "; left out of the list.</p>\n";
  if (list.empty() && damaged.empty())
    h += "<p>No collections yet: search, then save the search as a collection.</p>\n";
  h += "<ul class=\"clist\">";
  for (const auto& c : list)
    h += "<li><a href=\"/collections/" + url_encode(c.name) + "\">" + esc(c.name) + "</a> \u2013 " +
         std::to_string(c.documents().size()) + " documents \u00b7 <code>" + esc(collection_search(c)) + "</code></li>";
  h += "</ul>\n";
  if (!ctx.read_only)
    h += "<form method=\"post\" action=\"/collections\">" + csrf_field(ctx) +
         "<p><label for=\"nc-name\">Name</label> <input id=\"nc-name\" name=\"name\" required> <label "
         "for=\"nc-q\">Query</label> <input id=\"nc-q\" name=\"q\"> <button type=\"submit\">Create "
         "collection</button></p></form>\n";
  h += "</main>\n";
  return h + kFooter;
}

std::string collection_page(const PageContext& ctx, const Collection& c,
                            const std::vector<std::pair<std::string, std::optional<DocumentMeta>>>& docs) {
  std::string h = header(ctx, c.name, "", {});
  const std::string self = "/collections/" + url_encode(c.name);
  h += "<main id=\"main\" class=\"collection\">\n<h1>Collection " + esc(c.name) + "</h1>\n<p>Query: <code>" +
       esc(c.query.empty() ? "(filters only)" : c.query) + "</code>";
  Params search{{"q", c.query}};
  for (const auto& [f, v] : c.filters) {
    h += " <span class=\"chip static\">" + esc(f) + ": " + esc(v) + "</span>";
    search.emplace_back(f, v);
  }
  search.emplace_back("c", c.name);
  h += " \u00b7 <a href=\"" + esc(link("/", search)) + "\">search and collect</a></p>\n";
  h += "<p>Created " + esc(c.created) + "; " + std::to_string(docs.size()) + " documents, " +
       std::to_string(c.excluded.size()) + " excluded.</p>\n";
  if (!c.history.empty()) {
    const CollectionRefresh& r = c.history.back();
    h += "<section class=\"refresh\" aria-live=\"polite\"><h2>Last refresh</h2><p>" + esc(r.at) + ": " +
         std::to_string(r.matched) + " matched, <span class=\"new-count\">" + std::to_string(r.added.size()) +
         "</span> new, <span class=\"gone-count\">" + std::to_string(r.gone.size()) + "</span> gone</p>";
    if (!r.added.empty()) {
      h += "<h3>New</h3><ul class=\"new\">";
      for (const auto& id : r.added) h += "<li><a href=\"/doc/" + url_encode(id) + "\">" + esc(id) + "</a></li>";
      h += "</ul>";
    }
    if (!r.gone.empty()) {
      h += "<h3>Gone</h3><ul class=\"gone\">";
      for (const auto& id : r.gone) h += "<li>" + esc(id) + "</li>";
      h += "</ul>";
    }
    h += "</section>\n";
  }
  if (!ctx.read_only)
    h += "<form method=\"post\" action=\"" + self + "/refresh\">" + csrf_field(ctx) +
         "<button type=\"submit\" id=\"refresh\">Refresh: re-run the query</button></form>\n";
  h += "<p class=\"exports\">Export: ";
  for (const char* f : {"ris", "bibtex", "csl-json", "csv"})
    h += "<a download href=\"" + self + "/export?format=" + f + "\">" + f + "</a> ";
  h += "</p>\n<ol class=\"cdocs\">";
  const std::set<std::string> by_hand(c.added.begin(), c.added.end());
  for (const auto& [id, m] : docs) {
    h += "<li data-id=\"" + esc(id) + "\"><a href=\"/doc/" + url_encode(id) + "\">" +
         esc(m ? display_title(*m) : id + " (no longer in the index)") + "</a>" +
         (m && !m->date.empty() ? " (" + esc(m->date) + ")" : "") + (by_hand.count(id) ? " \u00b7 added by hand" : "");
    if (!ctx.read_only)
      h += "<form class=\"inline\" method=\"post\" action=\"" + self + "/exclude\">" + csrf_field(ctx) +
           "<input type=\"hidden\" name=\"id\" value=\"" + esc(id) +
           "\"><input type=\"hidden\" name=\"back\" value=\"" + esc(self) +
           "\"><button type=\"submit\">Exclude<span class=\"vh\"> " + esc(id) + "</span></button></form>";
    h += "</li>\n";
  }
  h += "</ol>\n";
  if (!c.excluded.empty()) {
    h += "<h2>Excluded</h2><ul class=\"excluded\">";
    for (const auto& id : c.excluded) {
      h += "<li>" + esc(id);
      if (!ctx.read_only)
        h += "<form class=\"inline\" method=\"post\" action=\"" + self + "/add\">" + csrf_field(ctx) +
             "<input type=\"hidden\" name=\"id\" value=\"" + esc(id) +
             "\"><input type=\"hidden\" name=\"back\" value=\"" + esc(self) +
             "\"><button type=\"submit\">Put back<span class=\"vh\"> " + esc(id) + "</span></button></form>";
      h += "</li>";
    }
    h += "</ul>\n";
  }
  if (!ctx.read_only)
    h += "<form method=\"post\" action=\"" + self + "/delete\">" + csrf_field(ctx) +
         "<button type=\"submit\" class=\"danger\">Delete this collection</button></form>\n";
  h += "</main>\n";
  return h + kFooter;
}

std::string help_page(const PageContext& ctx) {
  std::string h = header(ctx, "Query syntax", "", {});
  h += "<main id=\"main\" class=\"help\">\n<h1>Query syntax</h1>\n<dl>"
       "<dt>Words</dt><dd>matched on their English stems: <code>sanction</code> finds \u201csanctions\u201d; "
       "capitalised words as written.</dd>"
       "<dt>Phrases</dt><dd><code>\"all-weather friendship\"</code>: the words in order. Typographic quotes work "
       "too.</dd>"
       "<dt>Operators</dt><dd><code>AND</code> <code>OR</code> <code>NOT</code> <code>XOR</code> <code>NEAR</code> "
       "<code>NEAR/n</code> <code>ADJ/n</code>, parentheses, <code>+must</code>, <code>-mustnot</code>.</dd>"
       "<dt>Wildcards</dt><dd><code>nucl*</code></dd>"
       "<dt>Fields</dt><dd><code>title:</code> <code>author:</code> <code>publisher:</code> <code>quote:</code></dd>"
       "<dt>Filters</dt><dd><code>actor:china</code> <code>theme:nuclear</code> <code>published:2020..2025</code> "
       "<code>mentions:1960s</code> <code>speaker:\"Wang Yi\"</code> <code>dyad:china/pakistan</code> "
       "<code>by:PAK</code>; or click a value in the sidebar.</dd></dl>\n"
       "<h2>Keyboard</h2><p><kbd>/</kbd> moves to the search box; <kbd>Tab</kbd> moves through results, "
       "filters and buttons.</p>\n<p>Scripts: the JSON API is described in docs/http-api.md "
       "(<code>/api/search?q=...</code>).</p>\n</main>\n";
  return h + kFooter;
}

std::string error_page(const PageContext& ctx, int status, const std::string& message) {
  std::string h = header(ctx, "Error", "", {});
  h += "<main id=\"main\"><h1>Error " + std::to_string(status) + "</h1><p class=\"error\" role=\"alert\">" +
       esc(message) + "</p><p><a href=\"/\">Back to the search</a></p></main>\n";
  return h + kFooter;
}

}  // namespace quire::serve
