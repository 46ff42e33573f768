// Gazetteer loading and actor matching. See actors.h for the rules.
#include "quire/actors.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <fstream>
#include <pugixml.hpp>
#include <set>
#include <sstream>

#include "quire/errors.h"
#include "quire/files.h"
#include "quire/tokenizer.h"
#include "xml_input.h"

namespace quire {
namespace {

struct AliasEntry {
  std::vector<std::string> terms;  // the alias as the tokenizer splits it
  std::vector<bool> capital;       // which of its words are capitalised as written
  std::string text;                // as written in the gazetteer
  std::string actor;               // "" for a stop phrase
  MentionKind kind = MentionKind::kAlias;
  bool exact = false;  // case-sensitive (abbreviations)
  bool needs_context = false;
  bool after_comma = false;  // only as a qualifier after a comma ("Woodridge, Ill.")
  int from = 0, to = 0;      // years the alias means this actor; 0 = open
};

std::string join_terms(const std::vector<std::string>& terms) {
  std::string s;
  for (const auto& t : terms) s += (s.empty() ? "" : " ") + t;
  return s;
}

std::vector<std::string> terms_of(const std::string& text) {
  std::vector<std::string> out;
  for (auto& t : tokenize(text)) out.push_back(std::move(t.term));
  return out;
}

// Letters and digits of `s` only, for comparing abbreviations: "U.S." and "US" both give "US".
std::string squash(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c != '.' && c != ' ' && c != '-') out += c;
  }
  return out;
}

// "pakistan's" -> "pakistan", "states'" -> "states": a possessive names its owner.
std::string_view without_possessive(std::string_view term) {
  if (term.size() > 2 && term.compare(term.size() - 2, 2, "'s") == 0) return term.substr(0, term.size() - 2);
  if (term.size() > 1 && term.back() == '\'') return term.substr(0, term.size() - 1);
  return term;
}

std::size_t byte_at(std::string_view text, std::uint32_t cp) {
  std::size_t i = 0;
  for (std::uint32_t n = 0; i < text.size() && n < cp; ++n) {
    ++i;
    while (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) ++i;
  }
  return i;
}

}  // namespace

const char* to_string(ActorType t) {
  switch (t) {
    case ActorType::kState:
      return "state";
    case ActorType::kTerritory:
      return "territory";
    case ActorType::kOrganisation:
      return "organisation";
    case ActorType::kGroup:
      return "group";
    case ActorType::kPerson:
      return "person";
  }
  return "state";
}

const char* to_string(MentionKind k) {
  switch (k) {
    case MentionKind::kName:
      return "name";
    case MentionKind::kAlias:
      return "alias";
    case MentionKind::kDemonym:
      return "demonym";
    case MentionKind::kCapital:
      return "capital";
    case MentionKind::kPlace:
      return "place";
  }
  return "name";
}

struct Gazetteer::Impl {
  std::vector<Actor> actors;
  std::unordered_map<std::string, std::size_t> by_id;
  std::vector<AliasEntry> entries;
  std::unordered_map<std::string, std::vector<std::size_t>> by_first_term;  // longest first
  std::unordered_map<std::string, std::set<std::string>> by_normalised;     // for resolve()
};

Gazetteer::Gazetteer() : impl_(std::make_unique<Impl>()) {}
Gazetteer::~Gazetteer() = default;
Gazetteer::Gazetteer(Gazetteer&&) noexcept = default;
Gazetteer& Gazetteer::operator=(Gazetteer&&) noexcept = default;

Gazetteer Gazetteer::load(const std::string& path) { return parse(path, read_whole_file(path)); }

Gazetteer Gazetteer::parse(const std::string& path, const std::string& xml) {
  pugi::xml_document doc;
  const pugi::xml_node root = parse_rule_file(doc, path, xml, "actors");
  const auto fail = [&](const std::string& why, const pugi::xml_node& n) { fail_at(path, xml, n, why); };

  Gazetteer g;
  Impl& im = *g.impl_;
  const auto years = [&](const pugi::xml_node& n, int& from, int& to) {
    from = n.attribute("from").as_int(0);
    to = n.attribute("to").as_int(0);
    if (from != 0 && to != 0 && from > to) fail("from is after to", n);
  };
  const auto add_entry = [&](AliasEntry e, const pugi::xml_node& n) {
    for (const auto& t : tokenize(e.text)) {
      e.terms.push_back(t.term);
      const char c = e.text[t.byte_begin];
      e.capital.push_back(!(c >= 'a' && c <= 'z'));
    }
    if (e.terms.empty()) fail("alias \"" + e.text + "\" has no words", n);
    const std::string norm = join_terms(e.terms);
    if (!e.actor.empty()) im.by_normalised[norm].insert(e.actor);
    im.entries.push_back(std::move(e));
  };

  for (const pugi::xml_node n : root.children()) {
    if (n.type() != pugi::node_element) continue;
    const std::string tag = n.name();
    if (tag == "stop") {
      AliasEntry e;
      e.text = n.text().get();
      add_entry(std::move(e), n);
      continue;
    }
    if (tag != "actor") fail("unexpected element <" + tag + "> in <actors>", n);
    Actor a;
    a.id = n.attribute("id").as_string();
    if (a.id.empty()) fail("actor without an id", n);
    if (im.by_id.count(a.id)) fail("actor id \"" + a.id + "\" given twice", n);
    const std::string type = n.attribute("type").as_string();
    if (type == "state")
      a.type = ActorType::kState;
    else if (type == "territory")
      a.type = ActorType::kTerritory;
    else if (type == "organisation")
      a.type = ActorType::kOrganisation;
    else if (type == "group")
      a.type = ActorType::kGroup;
    else if (type == "person")
      a.type = ActorType::kPerson;
    else
      fail("actor \"" + a.id + "\" has type \"" + type + "\" (state, territory, organisation, group or person)", n);
    a.affiliation = n.attribute("affiliation").as_string();
    a.code = n.attribute("code").as_string();
    years(n, a.from, a.to);
    for (const pugi::xml_node c : n.children()) {
      if (c.type() != pugi::node_element) continue;
      const std::string ctag = c.name();
      AliasEntry e;
      e.actor = a.id;
      e.text = c.text().get();
      e.needs_context = std::string(c.attribute("needs").as_string()) == "context";
      e.exact = std::string(c.attribute("case").as_string()) == "exact";
      e.after_comma = std::string(c.attribute("after").as_string()) == "comma";
      years(c, e.from, e.to);
      if (ctag == "name") {
        if (!a.name.empty()) fail("actor \"" + a.id + "\" has two <name>s", c);
        a.name = e.text;
        e.kind = MentionKind::kName;
      } else if (ctag == "alias") {
        const std::string kind = c.attribute("kind").as_string("alias");
        if (kind == "alias")
          e.kind = MentionKind::kAlias;
        else if (kind == "demonym")
          e.kind = MentionKind::kDemonym;
        else if (kind == "capital")
          e.kind = MentionKind::kCapital;
        else if (kind == "place")
          e.kind = MentionKind::kPlace;
        else
          fail("alias kind \"" + kind + "\" (alias, demonym, capital or place)", c);
      } else {
        fail("unexpected element <" + ctag + "> in <actor>", c);
      }
      add_entry(std::move(e), c);
    }
    if (a.name.empty()) fail("actor \"" + a.id + "\" has no <name>", n);
    im.by_normalised[a.id].insert(a.id);
    // A code names the actor in catalogues and queries only; it is never looked for in the text.
    if (!a.code.empty()) im.by_normalised[join_terms(terms_of(a.code))].insert(a.id);
    im.by_id[a.id] = im.actors.size();
    im.actors.push_back(std::move(a));
  }
  for (const auto& a : im.actors) {
    if (!a.affiliation.empty() && !im.by_id.count(a.affiliation))
      throw InputError(path, "actor \"" + a.id + "\" is affiliated with unknown actor \"" + a.affiliation + "\"");
  }
  for (std::size_t i = 0; i < im.entries.size(); ++i) im.by_first_term[im.entries[i].terms.front()].push_back(i);
  for (auto& [term, list] : im.by_first_term) {
    std::stable_sort(list.begin(), list.end(), [&im](std::size_t x, std::size_t y) {
      return im.entries[x].terms.size() > im.entries[y].terms.size();
    });
  }
  return g;
}

const Actor* Gazetteer::find(const std::string& id) const {
  auto it = impl_->by_id.find(id);
  return it == impl_->by_id.end() ? nullptr : &impl_->actors[it->second];
}

const std::vector<Actor>& Gazetteer::actors() const { return impl_->actors; }

std::vector<std::string> Gazetteer::resolve(const std::string& name) const {
  auto it = impl_->by_normalised.find(join_terms(terms_of(name)));
  if (it == impl_->by_normalised.end()) {
    if (find(name)) return {name};
    return {};
  }
  return {it->second.begin(), it->second.end()};
}

std::vector<std::vector<ActorMention>> Gazetteer::tag(const std::vector<std::string>& passages, int year) const {
  const Impl& im = *impl_;
  struct Tentative {
    ActorMention m;
    bool certain;
  };
  std::vector<std::vector<Tentative>> found(passages.size());
  std::set<std::string> confirmed;

  const auto applies = [year](const AliasEntry& e) {
    if (year == 0) return e.to == 0;
    return (e.from == 0 || year >= e.from) && (e.to == 0 || year <= e.to);
  };
  for (std::size_t p = 0; p < passages.size(); ++p) {
    const std::string& text = passages[p];
    const std::vector<Token> tokens = tokenize(text);
    for (std::size_t i = 0; i < tokens.size();) {
      auto it = im.by_first_term.find(tokens[i].term);
      if (it == im.by_first_term.end()) it = im.by_first_term.find(std::string(without_possessive(tokens[i].term)));
      if (it == im.by_first_term.end()) {
        ++i;
        continue;
      }
      std::size_t best_len = 0;
      std::vector<const AliasEntry*> best;
      for (std::size_t idx : it->second) {
        const AliasEntry& e = im.entries[idx];
        const std::size_t len = e.terms.size();
        if (len < best_len) break;  // sorted longest first
        if (i + len > tokens.size()) continue;
        bool match = true;
        for (std::size_t k = 0; k < len && match; ++k) {
          const std::string& t = tokens[i + k].term;
          match = t == e.terms[k] || (k + 1 == len && without_possessive(t) == e.terms[k]);
        }
        if (!match || !applies(e)) continue;
        const std::size_t b = tokens[i].byte_begin, end = tokens[i + len - 1].byte_end;
        if (e.after_comma) {
          std::size_t k = b;
          while (k > 0 && text[k - 1] == ' ') --k;
          if (k == 0 || text[k - 1] != ',') continue;
        }
        if (e.exact) {
          // Exactly as written, or all in capitals (datelines and headlines are upper case).
          const std::string surface = squash(std::string_view(text).substr(b, end - b));
          std::string upper = squash(e.text);
          for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
          if (surface != squash(e.text) && !(e.after_comma && surface == upper)) continue;
        } else {
          // Names are proper nouns: each word capitalised in the alias is capitalised in the text
          // ("Islamic State" the group, not "an Islamic state").
          bool proper = true;
          for (std::size_t k = 0; k < len && proper; ++k) {
            const char c = text[tokens[i + k].byte_begin];
            proper = !(e.capital[k] && c >= 'a' && c <= 'z');
          }
          if (!proper) continue;
        }
        best_len = len;
        best.push_back(&e);
      }
      if (best.empty()) {
        ++i;
        continue;
      }
      // A date-bound alias is more specific than an open one ("Moscow" in 1987 is the Soviet Union).
      if (std::any_of(best.begin(), best.end(), [](const AliasEntry* e) { return e->from || e->to; })) {
        best.erase(std::remove_if(best.begin(), best.end(), [](const AliasEntry* e) { return !e->from && !e->to; }),
                   best.end());
      }
      std::set<std::string> actors;
      for (const AliasEntry* e : best) {
        if (!e->actor.empty()) actors.insert(e->actor);
      }
      if (!actors.empty()) {  // empty: a stop phrase, which just consumes its words
        const bool ambiguous = actors.size() > 1;
        for (const AliasEntry* e : best) {
          if (e->actor.empty()) continue;
          Tentative t;
          t.m.actor = e->actor;
          t.m.cp_begin = tokens[i].cp_begin;
          t.m.cp_end = tokens[i + best_len - 1].cp_end;
          t.m.kind = e->kind;
          t.certain = !ambiguous && !e->needs_context;
          if (t.certain) confirmed.insert(e->actor);
          if (!found[p].empty() && found[p].back().m.actor == t.m.actor && found[p].back().m.cp_begin == t.m.cp_begin)
            continue;  // same actor through two aliases of one spelling
          found[p].push_back(std::move(t));
        }
      }
      i += best_len;
    }
  }
  // "Birmingham, Ala.", "Paris, Texas": a place qualified by the place after it belongs to the second.
  for (std::size_t p = 0; p < passages.size(); ++p) {
    auto& f = found[p];
    for (std::size_t k = 0; k + 1 < f.size(); ++k) {
      const ActorMention& a = f[k].m;
      const ActorMention& b = f[k + 1].m;
      if (a.kind == MentionKind::kPlace && b.kind == MentionKind::kPlace && a.actor != b.actor &&
          b.cp_begin >= a.cp_end && b.cp_begin <= a.cp_end + 3) {
        const std::string between = passages[p].substr(
            byte_at(passages[p], a.cp_end), byte_at(passages[p], b.cp_begin) - byte_at(passages[p], a.cp_end));
        if (between.find(',') != std::string::npos) f[k].certain = false, f[k].m.actor.clear();
      }
    }
    f.erase(std::remove_if(f.begin(), f.end(), [](const Tentative& t) { return t.m.actor.empty(); }), f.end());
  }
  std::vector<std::vector<ActorMention>> out(passages.size());
  for (std::size_t p = 0; p < passages.size(); ++p) {
    for (auto& t : found[p]) {
      if (t.certain || confirmed.count(t.m.actor)) out[p].push_back(std::move(t.m));
    }
  }
  return out;
}

}  // namespace quire
