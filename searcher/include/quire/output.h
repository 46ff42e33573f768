/** @file
 *  @brief Renders search results and index information for people (a terminal, with colour when it
 *  is one) and for programs (JSON, documented in docs/json-output.md). No Xapian here.
 */
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "quire/searcher.h"

namespace quire {

/// "1234 matching documents", or "about 12,400 matching passages" when the total is an estimate (three
/// significant figures), or "at least 20,000 matching passages" when it is a lower bound (every digit),
/// with a note when counting stopped at the time limit.
std::string total_text(const SearchResults& results);

/// What stands before a total shown: "" (counted), "about " (an estimate, or a count the time limit
/// stopped) or "at least " (SearchResults::total_lower_bound). The terminal and the server's pages.
std::string total_qualifier(const SearchResults& results);

/// The `quire search --json` object.
nlohmann::json results_to_json(const SearchResults& results);

/// The "filters" object beside "query": {"actor": ["pakistan"], "published": ["1960..1965"]}, each
/// field's values in the order given (the shape a batch line's "filters" takes).
nlohmann::json filters_to_json(const std::vector<std::pair<std::string, std::string>>& filters);

/// A result's "explain" object (docs/json-output.md): its terms' weights and their "sum", the filters
/// it matched, the passage scores that chose its passages.
nlohmann::json explanation_to_json(const Explanation& explanation);

/// An explanation as text, under its result.
void print_explanation(std::ostream& out, const Explanation& explanation, double score);

/// The "facets" object: {"actor": [{"id", "label", "documents", "passages"}, ...], ...}.
nlohmann::json facets_to_json(const SearchResults& results);

/// The `quire facets --json` object (and /api/facets'): {"query", "total", "total_exact", "facets"},
/// with "filters" and "timed_out" as results_to_json() writes them. "total_exact" is false when a time
/// limit cut the counting (timed_out, time_limited) or the total is an estimate, as in a search's JSON.
nlohmann::json facet_counts_to_json(const SearchResults& results);

/// Facet counts as text, one block per facet.
void print_facets(std::ostream& out, const SearchResults& results);

/// The `quire info --json` object.
nlohmann::json info_to_json(const IndexInfo& info);

struct TerminalStyle {
  bool color = false;  ///< ANSI bold yellow for highlights, dim for secondary lines
  std::size_t context_chars =
      320;  ///< longest stretch of a passage shown (code points), centred on the first highlight
};

/// Ranked results as text: title line, citation, then each passage with its highlights.
void print_results(std::ostream& out, const SearchResults& results, const TerminalStyle& style);

void print_info(std::ostream& out, const IndexInfo& info);

/// `text` with &, <, >, " and ' replaced by character references, safe in HTML text and attributes,
/// after printable(): control characters (ESC, BEL, C1) and bidi overrides, embeddings and isolates
/// become U+FFFD, as on the terminal. Every HTML writer (`search --html`, serve's pages) goes through it.
std::string html_escape(std::string_view text);

/// `text` as HTML with each highlight in <mark>: the text between and inside highlights is escaped
/// piece by piece, so nothing in a document (tags, entities, quotes) reaches the page as markup.
std::string highlighted_html(const std::string& text, const std::vector<Span>& highlights);

/// Ranked results as a standalone HTML page (UTF-8): title, citation, passages with <mark> highlights,
/// speakers, facets. Every string taken from documents or the query is escaped.
void print_results_html(std::ostream& out, const SearchResults& results);

/// The part of `text` to show around its first highlight, with "…" where it was cut; highlights are
/// wrapped in `on`/`off`.
std::string excerpt(const std::string& text, const std::vector<Span>& highlights, std::size_t max_chars,
                    const std::string& on, const std::string& off);

}  // namespace quire
