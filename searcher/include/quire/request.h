/** @file
 *  @brief A search request from named parameters: the one seam where a query, its filters and its
 *  options are read and checked, shared by the command line (`quire search`, `facets`, `batch`) and
 *  the HTTP server (`quire serve`), so that both accept the same names and refuse the same values with
 *  the same words. No Xapian here.
 */
#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "quire/searcher.h"

namespace quire {

/// A parameter with a bad value or an unknown name. The message starts with the parameter's name
/// ("limit must be between 1 and 10000"); the command line adds "--", the server answers 400.
class RequestError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// Parameters that add a filter, as SearchOptions::filters fields: actor, theme, published, mentions,
/// speaker, by, dyad, publisher (the whole publisher as the publisher facet lists it).
const std::vector<std::string>& filter_parameters();

/// The most filters one request may hold (after repeats are merged): each costs a term list walk, and
/// no real search names more (docs/robustness.md).
inline constexpr std::size_t kMaxFilters = 64;

/// Adds `value` as a `field` filter; a filter the request holds already is merged (not added twice).
/// Throws RequestError for a field not in filter_parameters(), an empty value, or a request that would
/// hold more than kMaxFilters filters.
void add_filter(SearchOptions& options, const std::string& field, const std::string& value);
/// add_filter() without the check of the field's name, for a batch line's "filters", which may name an
/// index's catalogue fields (the searcher checks those): merges repeats, bounds the number.
void merge_filter(SearchOptions& options, const std::string& field, const std::string& value);

/// Sets options.facets from a comma-separated list ("actor,theme"); empty items are skipped. Throws
/// RequestError naming an unknown facet.
void set_facets(SearchOptions& options, const std::string& list);
/// Sets options.facets from a list of names (a batch line's "facets": [...]): repeats are merged, so
/// the list holds each of Searcher::facet_names() at most once however long the input. Throws
/// RequestError naming an unknown facet.
void set_facets(SearchOptions& options, const std::vector<std::string>& names);

/// The deepest offset (results skipped) any search takes: `search --offset`, a batch line's "offset"
/// and the server's `offset`. Results past it are not worth the time to rank, and offset + limit must
/// fit Xapian's counts. The one number; docs/robustness.md ("Limits") states it.
inline constexpr std::size_t kMaxOffset = 100000;

/// The most words a wildcard may expand to (`--max-wildcard`, the server's `max-wildcard`); 0 would mean
/// no limit to Xapian, so the least is 1.
inline constexpr unsigned kMaxWildcardExpansion = 100000;

/// Limits a caller may lower, never raise, for one request.
struct RequestLimits {
  std::size_t max_limit = 10000;        ///< results per page
  std::size_t max_offset = kMaxOffset;  ///< results skipped
  std::size_t max_facet_limit = 1000;   ///< values per facet
};

/// Throws RequestError when an option is out of range: limit, offset, facet_limit, max_wildcard and the
/// ranking options (k1, b, k3, delta, mu, dfr-c, weighting, proximity, proximity-depth, feedback-docs,
/// feedback-terms, feedback-weight, title-weight). The one place these ranges are written: the CLI's
/// flags and the server's parameters are both checked here.
void check_search_options(const SearchOptions& options, const RequestLimits& limits = {});

/// "relevance", "date" or "oldest" (oldest first), "-date" or "newest" (newest first); throws
/// RequestError for anything else.
SearchOptions::Order parse_order(const std::string& name);
/// "count" (most documents first) or "value" (values in order); throws RequestError for anything else.
SearchOptions::FacetOrder parse_facet_order(const std::string& name);
const char* order_name(SearchOptions::Order order);

/// A search as the server receives it: the query and the options, from (name, value) pairs in order.
struct SearchRequest {
  std::string query;
  SearchOptions options;
};

/// Reads `params` (URL query parameters): q (the query; repeated values are joined with spaces),
/// the filter parameters (repeatable), facets, facet-limit, facet-order, limit, offset, passages (1/true/on),
/// plain, sort, max-wildcard, k1, b, feedback-docs, feedback-terms, feedback-weight, title-weight.
/// Starts from `defaults`, applies the parameters, then check_search_options(limits). Throws
/// RequestError for an unknown parameter, a number that does not parse, or a value out of range.
/// A request with neither a query nor a filter nor a facet is refused ("q: give a query").
SearchRequest parse_search_request(const std::vector<std::pair<std::string, std::string>>& params,
                                   const SearchOptions& defaults, const RequestLimits& limits = {},
                                   const std::vector<std::string>& ignored = {});

}  // namespace quire
