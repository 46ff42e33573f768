/** @file
 *  @brief Web-page furniture at the level of blocks (headings and paragraphs): the one list of what
 *  scraped pages carry besides their text, shared by the plain-text cleaner (clean_text) and the HTML
 *  reader (read_html_document). Navigation stubs at the top, a "Related ..." heading followed by a list
 *  of teasers, "Read More" teasers, promotional and legal boilerplate, paragraphs said twice (a caption
 *  repeated in the text) and pull quotes that repeat a sentence of the body. Pure functions.
 */
#pragma once

#include <string>
#include <vector>

#include "quire/document.h"

namespace quire {

enum class BlockKind { kHeading, kParagraph };

struct TextBlock {
  BlockKind kind;
  std::string text;

  bool operator==(const TextBlock& o) const { return kind == o.kind && text == o.text; }
};

struct FurnitureOptions {
  /// Drop a run of two or more very short lines at the very top (a menu flattened into text). Off
  /// where the reader has already cut the navigation away by the page's structure.
  bool navigation_stubs = true;
};

/// The blocks as a document's sections, appended to `sections`: each heading starts a section, the
/// paragraphs after it are its paragraphs (those before the first heading make a section without one).
/// Returns the number of paragraphs appended. Every reader that produces blocks builds its sections here.
std::size_t append_sections(std::vector<TextBlock>&& blocks, std::vector<Section>& sections);

/// Removes furniture from `blocks` (texts already white-space squeezed), keeping the order of the rest.
void drop_web_furniture(std::vector<TextBlock>& blocks, const FurnitureOptions& options = {});

/// "Related articles", "More from ...", "You may also like", ...: a heading that opens a list of teasers.
bool is_related_heading(const std::string& text);
/// "Read more", "Continue reading", "View all", ...: a teaser's link line.
bool is_read_more(const std::string& text);
/// A promotional or legal line ("Subscribe to our newsletter", "All rights reserved", ...).
bool is_boilerplate(const std::string& text);

}  // namespace quire
