/** @file
 *  @brief The HTML reader: saved web pages (.html, .htm, .xhtml) and the XHTML chapters of an EPUB.
 *
 *  Parsed with libxml2's HTML parser (recovering from broken markup, never fetching anything). For a web
 *  page it keeps the article: the text, its headings and quotations, and drops navigation, related-article
 *  lists, teasers, cookie banners, share bars, comments and footers (see docs/formats.md for how).
 *  Metadata is taken in this order of trust: JSON-LD (Article, NewsArticle, ScholarlyArticle, ...,
 *  also inside @graph), citation_* (Highwire / Google Scholar), Dublin Core, Open Graph and article:*,
 *  then <title>; the URL from <link rel=canonical>. Pure functions, safe to call from several threads.
 */
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "quire/document.h"
#include "quire/readers.h"
#include "quire/web_furniture.h"

namespace quire {

struct HtmlOptions {
  /// true: keep the page's main content only (a saved web page); false: every visible block of the
  /// body in order (an EPUB chapter, where everything is text).
  bool main_content = true;
};

struct HtmlContent {
  DocumentMeta meta;  ///< what the page states about itself; id and path left empty
  std::vector<TextBlock> blocks;
  std::vector<std::string> notes;  ///< repairs made (bad bytes replaced), for warnings
};

/// The charset label a page declares in its first 8 KB (before `</head>`, comments skipped): a
/// `<meta charset>`, a `<meta http-equiv="Content-Type" content="...; charset=...">` or an XML
/// declaration's encoding; "" when none. Exposed for tests.
std::string declared_charset(std::string_view bytes);

/// Extracts `bytes`, decoded by decode_text()'s policy with the charset the page declares
/// (declared_charset()): valid UTF-8 as UTF-8, a Windows-1252 label (latin1, iso-8859-1, ...) or no
/// declaration with single-byte text as Windows-1252 (then with a note), UTF-8 with a stray bad byte
/// as UTF-8 with that byte replaced; other declared charsets (ISO-8859-2, Shift_JIS, ...) are decoded by
/// libxml2. Never throws on bad markup: what libxml2 recovers is read; nothing readable gives no
/// blocks.
HtmlContent extract_html(std::string_view bytes, const HtmlOptions& options = {});

/// A saved web page as a Document: extract_html() with main_content, headings starting sections. The id
/// is the file name without its extension. Throws InputError when no text is left.
ReadResult read_html_document(const std::string& path, const std::string& bytes);

/// Normalises a date as pages write it ("2019-11-18T09:30:00Z", "2019/11/18", "November 18, 2019")
/// to YYYY-MM-DD, YYYY-MM or YYYY; "" when it holds no date. Exposed for tests.
std::string normalise_page_date(std::string_view text);

}  // namespace quire
