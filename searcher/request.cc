// Search requests from named parameters, shared by the CLI and the server. See request.h.
#include "quire/request.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "quire/ranking.h"
#include "quire/utf8.h"

namespace quire {

const std::vector<std::string>& filter_parameters() {
  static const std::vector<std::string> names = {"actor",   "theme", "published", "mentions",
                                                 "speaker", "by",    "dyad",      "publisher"};
  return names;
}

void add_filter(SearchOptions& o, const std::string& field, const std::string& value) {
  const auto& names = filter_parameters();
  if (std::find(names.begin(), names.end(), field) == names.end())
    throw RequestError("unknown filter '" + message_value(field, 40) + "'");
  if (value.find_first_not_of(" \t") == std::string::npos)
    throw RequestError(message_value(field, 40) + ": give a value");
  merge_filter(o, field, value);
}

void merge_filter(SearchOptions& o, const std::string& field, const std::string& value) {
  const std::pair<std::string, std::string> filter(field, value);
  if (std::find(o.filters.begin(), o.filters.end(), filter) != o.filters.end()) return;
  if (o.filters.size() >= kMaxFilters)
    throw RequestError(field + ": a request holds at most " + std::to_string(kMaxFilters) + " different filters");
  o.filters.push_back(filter);
}

namespace {

// Whether `f` reads as a catalogue field's name (a metadata map's field: lower-case letters, digits, '-'
// or '_', from a letter); which ones an index holds only its searcher knows, and it says so.
bool reads_as_field_name(const std::string& f) {
  return !f.empty() && f.size() <= 64 && f[0] >= 'a' && f[0] <= 'z' &&
         f.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_-") == std::string::npos;
}

// Adds facet `f` to o.facets unless it is there; throws RequestError for a name that is neither one of
// quire's facets nor could be a catalogue field (session, for an index made with a metadata map).
void add_facet(SearchOptions& o, const std::string& f) {
  const auto& names = Searcher::facet_names();
  if (std::find(names.begin(), names.end(), f) == names.end() && !reads_as_field_name(f)) {
    std::string known;
    for (const auto& n : names) {
      if (!known.empty()) known += ", ";
      known += n;
    }
    throw RequestError("facets: unknown facet '" + message_value(f, 40) + "' (known: " + known +
                       ", or a catalogue field of the index)");
  }
  if (std::find(o.facets.begin(), o.facets.end(), f) == o.facets.end()) o.facets.push_back(f);
}

}  // namespace

void set_facets(SearchOptions& o, const std::string& list) {
  o.facets.clear();
  std::size_t at = 0;
  while (at <= list.size()) {
    std::size_t comma = list.find(',', at);
    if (comma == std::string::npos) comma = list.size();
    const std::string f = list.substr(at, comma - at);
    at = comma + 1;
    if (!f.empty()) add_facet(o, f);
  }
}

void set_facets(SearchOptions& o, const std::vector<std::string>& names) {
  o.facets.clear();
  for (const auto& f : names)
    if (!f.empty()) add_facet(o, f);
}

void check_search_options(const SearchOptions& o, const RequestLimits& l) {
  if (o.limit == 0 || o.limit > l.max_limit)
    throw RequestError("limit must be between 1 and " + std::to_string(l.max_limit));
  if (o.offset > l.max_offset) throw RequestError("offset must be at most " + std::to_string(l.max_offset));
  if (o.facet_limit == 0 || o.facet_limit > l.max_facet_limit)
    throw RequestError("facet-limit must be between 1 and " + std::to_string(l.max_facet_limit));
  if (o.max_wildcard_expansion == 0 || o.max_wildcard_expansion > kMaxWildcardExpansion)
    throw RequestError("max-wildcard must be between 1 and " + std::to_string(kMaxWildcardExpansion));
  const RankingOptions& r = o.ranking;
  if (!(r.k1 >= 0 && r.k1 <= 100)) throw RequestError("k1 must be between 0 and 100");
  if (!(r.b >= 0 && r.b <= 1)) throw RequestError("b must be between 0 and 1");
  if (r.feedback_documents > 1000) throw RequestError("feedback-docs must be at most 1000");
  if (r.feedback_terms > 1000) throw RequestError("feedback-terms must be at most 1000");
  if (!(r.title_weight >= 0 && r.title_weight <= 10)) throw RequestError("title-weight must be between 0 and 10");
  if (!is_weighting(r.weighting))
    throw RequestError("weighting must be " + std::string(kWeightingNames) + ", not '" +
                       message_value(r.weighting, 40) + "'");
  if (!(r.k3 >= 0 && r.k3 <= 1000)) throw RequestError("k3 must be between 0 and 1000");
  if (!(r.delta >= 0 && r.delta <= 10)) throw RequestError("delta must be between 0 and 10");
  if (!(r.mu > 0 && r.mu <= 1e6)) throw RequestError("mu must be above 0 and at most 1000000");
  if (!(r.c > 0 && r.c <= 100)) throw RequestError("dfr-c must be above 0 and at most 100");
  if (!(r.proximity >= 0 && r.proximity <= 10)) throw RequestError("proximity must be between 0 and 10");
  if (r.proximity_depth > 1000) throw RequestError("proximity-depth must be at most 1000");
  if (!(r.feedback_weight >= 0 && r.feedback_weight <= 10))
    throw RequestError("feedback-weight must be between 0 and 10");
}

SearchOptions::Order parse_order(const std::string& name) {
  if (name == "relevance" || name.empty()) return SearchOptions::Order::relevance;
  if (name == "newest" || name == "-date") return SearchOptions::Order::newest;
  if (name == "oldest" || name == "date") return SearchOptions::Order::oldest;
  throw RequestError("sort must be relevance, date (oldest first), -date (newest first), newest or oldest, not '" +
                     message_value(name, 40) + "'");
}

SearchOptions::FacetOrder parse_facet_order(const std::string& name) {
  if (name == "count" || name.empty()) return SearchOptions::FacetOrder::count;
  if (name == "value") return SearchOptions::FacetOrder::value;
  throw RequestError("facet-order must be count or value, not '" + message_value(name, 40) + "'");
}

const char* order_name(SearchOptions::Order order) {
  switch (order) {
    case SearchOptions::Order::newest:
      return "newest";
    case SearchOptions::Order::oldest:
      return "oldest";
    case SearchOptions::Order::in_document:
      return "in-document";
    case SearchOptions::Order::relevance:
      break;
  }
  return "relevance";
}

namespace {

std::size_t to_count(const std::string& name, const std::string& v) {
  if (v.empty() || v.size() > 12 || v.find_first_not_of("0123456789") != std::string::npos)
    throw RequestError(name + " must be a whole number, not '" + message_value(v, 40) + "'");
  return static_cast<std::size_t>(std::stoull(v));
}

double to_number(const std::string& name, const std::string& v) {
  errno = 0;
  char* end = nullptr;
  const double d = v.empty() || v.size() > 32 ? NAN : std::strtod(v.c_str(), &end);
  if (std::isnan(d) || errno != 0 || end == nullptr || *end != '\0' || !std::isfinite(d))
    throw RequestError(name + " must be a number, not '" + message_value(v, 40) + "'");
  return d;
}

bool to_flag(const std::string& name, const std::string& v) {
  if (v.empty() || v == "1" || v == "true" || v == "on" || v == "yes") return true;
  if (v == "0" || v == "false" || v == "off" || v == "no") return false;
  throw RequestError(name + " must be 1 or 0, not '" + message_value(v, 40) + "'");
}

unsigned to_unsigned(const std::string& name, const std::string& v) {
  const std::size_t n = to_count(name, v);
  if (n > std::numeric_limits<unsigned>::max()) throw RequestError(name + " is too large");
  return static_cast<unsigned>(n);
}

}  // namespace

SearchRequest parse_search_request(const std::vector<std::pair<std::string, std::string>>& params,
                                   const SearchOptions& defaults, const RequestLimits& limits,
                                   const std::vector<std::string>& ignored) {
  SearchRequest req;
  req.options = defaults;
  SearchOptions& o = req.options;
  RankingOptions& r = o.ranking;
  const auto& filters = filter_parameters();
  for (const auto& [name, value] : params) {
    if (std::find(ignored.begin(), ignored.end(), name) != ignored.end()) continue;
    if (name == "q") {
      if (value.find_first_not_of(' ') == std::string::npos) continue;
      req.query += (req.query.empty() ? "" : " ") + value;
    } else if (std::find(filters.begin(), filters.end(), name) != filters.end()) {
      if (!value.empty()) add_filter(o, name, value);
    } else if (name == "facets") {
      set_facets(o, value);
    } else if (name == "facet-order") {
      o.facet_order = parse_facet_order(value);
    } else if (name == "facet-limit") {
      o.facet_limit = to_count(name, value);
    } else if (name == "limit") {
      o.limit = to_count(name, value);
    } else if (name == "offset") {
      o.offset = to_count(name, value);
    } else if (name == "passages") {
      o.passages = to_flag(name, value);
    } else if (name == "plain") {
      o.plain = to_flag(name, value);
    } else if (name == "sort") {
      o.order = parse_order(value);
    } else if (name == "max-wildcard") {
      o.max_wildcard_expansion = to_unsigned(name, value);
    } else if (name == "k1") {
      r.k1 = to_number(name, value);
    } else if (name == "b") {
      r.b = to_number(name, value);
    } else if (name == "feedback-docs") {
      r.feedback_documents = to_unsigned(name, value);
    } else if (name == "feedback-terms") {
      r.feedback_terms = to_unsigned(name, value);
    } else if (name == "feedback-weight") {
      r.feedback_weight = to_number(name, value);
    } else if (name == "title-weight") {
      r.title_weight = to_number(name, value);
    } else if (name == "weighting") {
      r.weighting = value;
    } else if (name == "k3") {
      r.k3 = to_number(name, value);
    } else if (name == "delta") {
      r.delta = to_number(name, value);
    } else if (name == "mu") {
      r.mu = to_number(name, value);
    } else if (name == "dfr-c") {
      r.c = to_number(name, value);
    } else if (name == "proximity") {
      r.proximity = to_number(name, value);
    } else if (name == "proximity-depth") {
      r.proximity_depth = to_unsigned(name, value);
    } else if (name == "drop-request-words") {
      r.drop_request_words = to_flag(name, value);
    } else {
      throw RequestError("unknown parameter '" + message_value(name, 40) + "'");
    }
  }
  check_search_options(o, limits);
  check_query_bytes(req.query, o.max_query_bytes);
  if (req.query.empty() && o.filters.empty() && o.facets.empty()) throw RequestError("q: give a query");
  return req;
}

}  // namespace quire
