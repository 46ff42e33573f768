// The web-furniture pass over blocks of text, shared by the plain-text cleaner and the HTML reader.
// Split off from text_cleaner.cc so that both readers use one list of patterns. See web_furniture.h.
#include "quire/web_furniture.h"

#include <algorithm>
#include <regex>
#include <string_view>
#include <unordered_map>

#include "quire/tokenizer.h"
#include "text_helpers.h"

namespace quire {

using text::ascii_lower;
using text::cp_len;
using text::ends_sentence;
using text::has_word_char;
using text::last_cp;
using text::word_count;

namespace {

// A line that is only a date: "Monday, June 23, 2025", "June 23, 2025", "23 June 2025".
bool is_date_line(const std::string& t) {
  static const std::regex re(
      R"(^((mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?([a-z]+\.?\s+[0-9]{1,2},?\s+[0-9]{4}|[0-9]{1,2}\s+[a-z]+\.?,?\s+[0-9]{4})$)",
      std::regex::icase | std::regex::optimize);
  return t.size() < 40 && std::regex_match(t, re);
}

// A short "Label: Value" line of a listing: "Type: Analysis", "By: Sushant Singh".
bool is_label_line(const std::string& t) {
  static const std::regex re(R"(^(type|by|topic|topics|tags?|category|format):\s+.{1,40}$)",
                             std::regex::icase | std::regex::optimize);
  return std::regex_match(t, re);
}

std::string normalised_for_compare(const std::string& t) {
  std::string out;
  for (const auto& tok : tokenize(t)) {
    out += tok.term;
    out += ' ';
  }
  return out;
}

}  // namespace

bool is_related_heading(const std::string& t) {
  if (t.size() > 200) return false;  // a heading of a few words; std::regex recurses per character
  static const std::regex re(
      R"(^(related( research| articles?| content| posts?| stories| reading)?|more (from|on|in) .*|recommended( reading| for you)?|you may also like|further reading|read next|also read|latest (news|research|analysis))\b.*)",
      std::regex::icase | std::regex::optimize);
  return word_count(t) <= 6 && std::regex_match(t, re);
}

bool is_read_more(const std::string& t) {
  if (t.size() > 64) return false;  // the longest the pattern matches; std::regex is slow, so check first
  static const std::regex re(R"(^(read more|continue reading|view all|see all|show more)\b.{0,40}$)",
                             std::regex::icase | std::regex::optimize);
  return std::regex_match(t, re);
}

bool is_boilerplate(const std::string& t) {
  if (cp_len(t) > 400) return false;
  static const std::vector<std::string> phrases = {"click here",
                                                   "the views expressed above belong to",
                                                   "subscribe to our newsletter",
                                                   "all rights reserved",
                                                   "share this article",
                                                   "follow us on",
                                                   "sign up for our newsletter"};
  const std::string low = ascii_lower(t);
  for (const auto& p : phrases) {
    if (low.find(p) != std::string::npos) return true;
  }
  return false;
}

void drop_web_furniture(std::vector<TextBlock>& c, const FurnitureOptions& options) {
  // Navigation stubs: a run of two or more very short lines at the very top.
  std::size_t top = 0;
  while (options.navigation_stubs && top < c.size() && (word_count(c[top].text) <= 3 || !has_word_char(c[top].text)) &&
         !ends_sentence(c[top].text))
    ++top;
  if (top >= 2 && top < c.size()) c.erase(c.begin(), c.begin() + static_cast<std::ptrdiff_t>(top));

  // A "Related ..." heading followed by a list of teasers (dates on lines of their own, titles shown
  // twice, "Type: ..." labels) runs to the end of the page.
  for (std::size_t i = 1; i < c.size(); ++i) {
    if (!is_related_heading(c[i].text)) continue;
    int signals = 0;
    for (std::size_t j = i + 1; j < c.size(); ++j) {
      if (is_date_line(c[j].text) || c[j].text == c[j - 1].text || is_label_line(c[j].text)) ++signals;
    }
    if (signals >= 2) {
      c.resize(i);
      break;
    }
  }
  // Everything below works in place, with one small record a block at most beside the blocks: a file
  // of short lines has millions of them (rt11i row 7), and a copy each would cost as much again.
  std::size_t n = 0;
  for (std::size_t i = 0; i < c.size(); ++i) {
    const std::string& t = c[i].text;
    if (!has_word_char(t) || is_boilerplate(t)) continue;
    if (is_read_more(t)) {
      // A teaser cut off with "..." just before "Read More" goes too.
      if (n > 0) {
        const std::string& prev = c[n - 1].text;
        if (prev.size() >= 3 && (prev.compare(prev.size() - 3, 3, "...") == 0 || last_cp(prev) == 0x2026)) --n;
      }
      continue;
    }
    if (n != i) c[n] = std::move(c[i]);
    ++n;
  }
  c.resize(n);
  // Repeats: a paragraph said twice (a caption under a photo and again in the text), and pull quotes,
  // which repeat a sentence that stands inside a longer paragraph. Only paragraphs take part, so only
  // theirs are normalised.
  std::vector<std::string> norm(c.size());
  for (std::size_t i = 0; i < c.size(); ++i)
    if (c[i].kind == BlockKind::kParagraph) norm[i] = normalised_for_compare(c[i].text);
  std::vector<bool> drop(c.size(), false);
  // Said twice: every later copy goes (a hash of the text, so long documents stay linear).
  std::unordered_map<std::string_view, std::size_t> first_seen;
  for (std::size_t i = 0; i < c.size(); ++i) {
    if (c[i].kind != BlockKind::kParagraph || norm[i].size() < 30) continue;
    if (!first_seen.emplace(norm[i], i).second) drop[i] = true;
  }
  // Pull quotes stand near the paragraph they repeat: in a long document only the neighbours are
  // searched (the whole document when it is short), so the cost stays bounded.
  constexpr std::size_t kSmall = 3000, kWindow = 100;
  const bool small = c.size() <= kSmall;
  for (std::size_t i = 0; i < c.size(); ++i) {
    if (drop[i] || c[i].kind != BlockKind::kParagraph || norm[i].size() < 30) continue;
    const std::size_t lo = small || i < kWindow ? 0 : i - kWindow;
    const std::size_t hi = small ? c.size() : std::min(c.size(), i + kWindow + 1);
    for (std::size_t j = lo; j < hi; ++j) {
      if (i == j || drop[j] || c[j].kind != BlockKind::kParagraph) continue;
      if (norm[j].size() > norm[i].size() && norm[j].find(norm[i]) != std::string::npos) {
        drop[i] = true;
        break;
      }
    }
  }
  n = 0;
  for (std::size_t i = 0; i < c.size(); ++i) {
    if (drop[i]) continue;
    if (n != i) c[n] = std::move(c[i]);
    ++n;
  }
  c.resize(n);
}

std::size_t append_sections(std::vector<TextBlock>&& blocks, std::vector<Section>& sections) {
  std::size_t paragraphs = 0;
  // Each section's paragraphs are counted first, so its vector is allocated once, at its size: grown
  // by doubling, millions of one-line paragraphs would take twice their room (rt11i row 7).
  const auto reserve_section = [&blocks](Section& s, std::size_t from) {
    std::size_t n = 0;
    for (std::size_t j = from; j < blocks.size() && blocks[j].kind != BlockKind::kHeading; ++j) ++n;
    s.paragraphs.reserve(n);
  };
  Section current;
  reserve_section(current, 0);
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    TextBlock& b = blocks[i];
    if (b.kind == BlockKind::kHeading) {
      if (!current.paragraphs.empty() || !current.heading.empty()) sections.push_back(std::move(current));
      current = Section{};
      current.heading = std::move(b.text);
      reserve_section(current, i + 1);
    } else {
      current.paragraphs.push_back(std::move(b.text));
      ++paragraphs;
    }
  }
  if (!current.paragraphs.empty() || !current.heading.empty()) sections.push_back(std::move(current));
  std::vector<TextBlock>().swap(blocks);  // taken: its strings are the sections' now
  return paragraphs;
}

}  // namespace quire
