// Non-content block rules and passage classification. See blocks.h.
#include "quire/blocks.h"

#include <algorithm>
#include <cstring>
#include <pugixml.hpp>
#include <regex>

#include "quire/files.h"
#include "quire/tokenizer.h"
#include "xml_input.h"

namespace quire {

namespace {

struct Rule {
  std::string kind;
  std::regex re;
  bool heading = false;  ///< matches a whole section heading; else a paragraph's start
  bool at_end = false;   ///< a paragraph rule only for the last quarter of the passages
};

}  // namespace

struct BlockRules::Impl {
  std::vector<Rule> rules;
};

BlockRules::BlockRules() : impl_(std::make_unique<Impl>()) {}
BlockRules::~BlockRules() = default;
BlockRules::BlockRules(BlockRules&&) noexcept = default;
BlockRules& BlockRules::operator=(BlockRules&&) noexcept = default;

BlockRules BlockRules::load(const std::string& path) { return parse(path, read_whole_file(path)); }

BlockRules BlockRules::parse(const std::string& path, const std::string& xml) {
  pugi::xml_document doc;
  const pugi::xml_node root = parse_rule_file(doc, path, xml, "blocks");
  const auto fail = [&](const std::string& why, const pugi::xml_node& n) { fail_at(path, xml, n, why); };
  BlockRules out;
  for (const pugi::xml_node b : root.children()) {
    if (b.type() != pugi::node_element) continue;
    if (std::strcmp(b.name(), "block") != 0) fail("unexpected element <" + std::string(b.name()) + "> in <blocks>", b);
    const std::string kind = b.attribute("kind").as_string();
    if (kind.empty()) fail("<block> needs a kind", b);
    for (const pugi::xml_node r : b.children()) {
      if (r.type() != pugi::node_element) continue;
      const bool heading = std::strcmp(r.name(), "heading") == 0;
      if (!heading && std::strcmp(r.name(), "paragraph") != 0)
        fail("unexpected element <" + std::string(r.name()) + "> in <block>", r);
      const std::string pattern = r.text().get();
      if (pattern.empty()) fail("empty <" + std::string(r.name()) + ">", r);
      auto flags = std::regex::ECMAScript | std::regex::optimize;
      if (heading || std::strcmp(r.attribute("case").as_string("any"), "exact") != 0) flags |= std::regex::icase;
      Rule rule{kind, {}, heading, std::strcmp(r.attribute("position").as_string(""), "end") == 0};
      try {
        rule.re = std::regex(heading ? "(" + pattern + ")" : "^(" + pattern + ")", flags);
      } catch (const std::regex_error& e) {
        fail("bad regular expression \"" + pattern + "\": " + e.what(), r);
      }
      out.impl_->rules.push_back(std::move(rule));
    }
  }
  return out;
}

std::vector<std::string> BlockRules::classify(const std::vector<std::string>& passages,
                                              const std::vector<std::string>& sections) const {
  std::vector<std::string> out(passages.size());
  const std::size_t end_from = passages.size() - passages.size() / 4;
  const auto without_stop = [](std::string h) {
    while (!h.empty() && (h.back() == ':' || h.back() == '.')) h.pop_back();
    return h;
  };
  // A heading that reached us as a paragraph of its own (PDFs, plain text): "Acknowledgments".
  const auto heading_kind = [&](const std::string& h) -> std::string {
    if (h.empty() || h.size() > 80) return "";
    for (const Rule& r : impl_->rules) {
      if (r.heading && std::regex_match(h, r.re)) return r.kind;
    }
    return "";
  };
  // A short paragraph with no sentence in it: the next heading, which ends a running block.
  const auto heading_like = [](const std::string& t) {
    if (t.empty() || t.size() > 80 || t.back() == '.' || !(t[0] >= 'A' && t[0] <= 'Z')) return false;
    return std::count(t.begin(), t.end(), ' ') < 8;
  };
  std::string running;  // the block a heading paragraph opened, until the next heading
  for (std::size_t p = 0; p < passages.size(); ++p) {
    const std::string heading = p < sections.size() ? collapse_space(sections[p]) : std::string();
    const std::string text = collapse_space(passages[p].substr(0, 400));
    if (std::string kind = heading_kind(without_stop(text)); !kind.empty()) {
      out[p] = running = kind;
      continue;
    }
    // "References Akari Asai, Kazuma Hashimoto, ...": the heading run into the first entry.
    for (const char* word : {"References ", "Bibliography "}) {
      const std::size_t n = std::strlen(word);
      if (text.compare(0, n, word) == 0 && text.size() > n && text[n] >= 'A' && text[n] <= 'Z') running = "references";
    }
    if (!running.empty() && heading_like(text)) running.clear();
    if (!running.empty()) {
      out[p] = running;
      continue;
    }
    for (const Rule& r : impl_->rules) {
      bool hit = false;
      if (r.heading) {
        // A heading is matched whole, without a trailing colon or full stop ("References:").
        const std::string h = without_stop(heading);
        hit = !h.empty() && std::regex_match(h, r.re);
      } else if (!r.at_end || p >= end_from) {
        // Only the paragraph's start is read: a pattern needs no more, and the regex stays cheap.
        const std::string head = passages[p].substr(0, 400);
        hit = std::regex_search(head, r.re, std::regex_constants::match_continuous);
      }
      if (hit) {
        out[p] = r.kind;
        break;
      }
    }
  }
  return out;
}

}  // namespace quire
