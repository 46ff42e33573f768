// Theme loading and scoring. See themes.h.
#include "quire/themes.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <fstream>
#include <map>
#include <pugixml.hpp>
#include <set>
#include <sstream>
#include <unordered_map>

#include "quire/errors.h"
#include "quire/files.h"
#include "quire/tokenizer.h"
#include "xml_input.h"

namespace quire {
namespace {

struct Term {
  std::vector<std::string> stems;
  std::size_t theme;  // index into themes
  int weight;
  bool needs_context = false;  ///< a word of several senses: counts only beside a term of the theme without doubt
};

std::vector<std::string> stems_of(const std::string& text, const Stemmer& stem) {
  std::vector<std::string> out;
  for (const auto& t : tokenize(text)) out.push_back(t.stemmable ? stem(t.term) : t.term);
  return out;
}

// A term marked stem="no" matches words as written (lower case), kept apart from stems by this mark.
constexpr char kWordMark = '=';

std::vector<std::string> words_of(const std::string& text) {
  std::vector<std::string> out;
  for (const auto& t : tokenize(text)) out.push_back(kWordMark + t.term);
  return out;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

}  // namespace

struct ThemeSet::Impl {
  std::vector<Theme> themes;
  std::vector<Term> terms;
  std::unordered_map<std::string, std::vector<std::size_t>> by_first_stem;
};

ThemeSet::ThemeSet() : impl_(std::make_unique<Impl>()) {}
ThemeSet::~ThemeSet() = default;
ThemeSet::ThemeSet(ThemeSet&&) noexcept = default;
ThemeSet& ThemeSet::operator=(ThemeSet&&) noexcept = default;

ThemeSet ThemeSet::load(const std::string& path) { return parse(path, read_whole_file(path)); }

ThemeSet ThemeSet::parse(const std::string& path, const std::string& xml) {
  pugi::xml_document doc;
  const pugi::xml_node root = parse_rule_file(doc, path, xml, "themes");
  const auto fail = [&](const std::string& why, const pugi::xml_node& n) { fail_at(path, xml, n, why); };
  ThemeSet set;
  Impl& im = *set.impl_;
  const Stemmer stem;
  std::set<std::string> ids;
  std::vector<Theme> groups, children;
  for (const pugi::xml_node g : root.children()) {
    if (g.type() != pugi::node_element) continue;
    if (std::strcmp(g.name(), "group") != 0) fail("unexpected element <" + std::string(g.name()) + "> in <themes>", g);
    Theme group{g.attribute("id").as_string(), g.attribute("label").as_string(), "", 0};
    if (group.id.empty() || !ids.insert(group.id).second) fail("group without an id, or an id given twice", g);
    groups.push_back(group);
    for (const pugi::xml_node t : g.children()) {
      if (t.type() != pugi::node_element) continue;
      if (std::strcmp(t.name(), "theme") != 0) fail("unexpected element <" + std::string(t.name()) + "> in <group>", t);
      Theme theme{t.attribute("id").as_string(), t.attribute("label").as_string(), group.id,
                  t.attribute("threshold").as_int(0)};
      if (theme.id.empty() || !ids.insert(theme.id).second) fail("theme without an id, or an id given twice", t);
      if (theme.threshold <= 0) fail("theme \"" + theme.id + "\" needs a positive threshold", t);
      children.push_back(theme);
      for (const pugi::xml_node term : t.children()) {
        if (term.type() != pugi::node_element) continue;
        if (std::strcmp(term.name(), "term") != 0)
          fail("unexpected element <" + std::string(term.name()) + "> in <theme>", term);
        const std::string stemming = term.attribute("stem").as_string("yes");
        if (stemming != "yes" && stemming != "no") fail("stem=\"" + stemming + "\" (yes or no)", term);
        Term tm{stemming == "no" ? words_of(term.text().get()) : stems_of(term.text().get(), stem), 0,
                term.attribute("weight").as_int(1)};
        if (tm.stems.empty()) fail("empty <term>", term);
        const std::string needs = term.attribute("needs").as_string("");
        if (!needs.empty() && needs != "context") fail("needs=\"" + needs + "\" (only needs=\"context\")", term);
        tm.needs_context = needs == "context";
        tm.theme = children.size() - 1;  // fixed up below once groups are placed first
        im.terms.push_back(std::move(tm));
      }
    }
  }
  im.themes = groups;
  for (auto& t : im.terms) t.theme += groups.size();
  im.themes.insert(im.themes.end(), children.begin(), children.end());
  for (std::size_t i = 0; i < im.terms.size(); ++i) im.by_first_stem[im.terms[i].stems.front()].push_back(i);
  return set;
}

const std::vector<Theme>& ThemeSet::themes() const { return impl_->themes; }

const Theme* ThemeSet::find(const std::string& id) const {
  for (const auto& t : impl_->themes) {
    if (t.id == id) return &t;
  }
  return nullptr;
}

std::vector<std::string> ThemeSet::resolve(const std::string& word) const {
  const std::string w = lower(word);
  if (find(w)) return {w};
  std::vector<std::string> out;
  for (const auto& t : impl_->themes) {
    if (lower(t.id).find(w) != std::string::npos || lower(t.label).find(w) != std::string::npos) out.push_back(t.id);
  }
  return out;
}

std::vector<std::string> ThemeSet::tag(const std::string& text, const Stemmer& stem) const {
  const Impl& im = *impl_;
  // One tokenization gives both sequences (stems_of() and words_of() would each tokenize the text).
  std::vector<std::string> stems, words;
  for (const auto& t : tokenize(text)) {
    stems.push_back(t.stemmable ? stem(t.term) : t.term);
    words.push_back(kWordMark + t.term);
  }
  std::map<std::size_t, int> hits;  // term index -> occurrences
  for (const std::vector<std::string>* seq : {&stems, &words}) {
    for (std::size_t i = 0; i < seq->size(); ++i) {
      auto it = im.by_first_stem.find((*seq)[i]);
      if (it == im.by_first_stem.end()) continue;
      for (std::size_t ti : it->second) {
        const Term& t = im.terms[ti];
        if (i + t.stems.size() > seq->size()) continue;
        if (std::equal(t.stems.begin(), t.stems.end(), seq->begin() + static_cast<std::ptrdiff_t>(i))) ++hits[ti];
      }
    }
  }
  // A word of several senses ("import", "port", "tank") counts only when a term of its theme that
  // has one sense is there too: "the most important partner" is no trade.
  std::set<std::size_t> supported;
  for (const auto& [ti, n] : hits) {
    if (!im.terms[ti].needs_context) supported.insert(im.terms[ti].theme);
  }
  std::map<std::size_t, int> score;
  for (const auto& [ti, n] : hits) {
    if (im.terms[ti].needs_context && !supported.count(im.terms[ti].theme)) continue;
    score[im.terms[ti].theme] += im.terms[ti].weight * std::min(n, 2);
  }
  std::set<std::string> out;
  for (const auto& [theme, s] : score) {
    const Theme& t = im.themes[theme];
    if (s < t.threshold) continue;
    out.insert(t.id);
    out.insert(t.group);
  }
  return {out.begin(), out.end()};
}

}  // namespace quire
