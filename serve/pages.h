// The HTML pages of quire serve, rendered on the server so they work without JavaScript. Every string
// taken from a document, a query or a parameter goes through html_escape (or url_encode in a link).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "quire/collections.h"
#include "quire/searcher.h"

namespace quire::serve {

using Params = std::vector<std::pair<std::string, std::string>>;

/// RFC 3986 percent-encoding of everything but unreserved characters.
std::string url_encode(const std::string& text);
/// "/?a=b&c=d" style link from a path and parameters (empty values left out).
std::string link(const std::string& path, const Params& params);

struct PageContext {
  std::string csrf;  ///< the token every form carries
  bool read_only = false;
  std::vector<std::string> collections;  ///< names, for the collection picker
};

/// The search page: `params` are the page's own parameters (q, filters, passages, sort, offset, c);
/// `results` is null before the first search; `error` is shown instead of results when not empty.
std::string search_page(const PageContext& ctx, const Params& params, const SearchResults* results,
                        const std::string& error, const std::optional<Collection>& current);

/// One document: its metadata, every passage (with the query's highlights where it matched), tags,
/// quotes with speakers, and a link to its source.
std::string document_page(const PageContext& ctx, const SearchHit& document, const std::string& query);

/// The collections listed, and a note for each damaged record (`damaged`: load_collections()'s messages).
std::string collections_page(const PageContext& ctx, const std::vector<Collection>& collections,
                             const std::vector<std::string>& damaged = {});
std::string collection_page(const PageContext& ctx, const Collection& c,
                            const std::vector<std::pair<std::string, std::optional<DocumentMeta>>>& documents);
std::string help_page(const PageContext& ctx);
std::string error_page(const PageContext& ctx, int status, const std::string& message);

}  // namespace quire::serve
