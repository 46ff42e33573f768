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
  bool after_comma = false;          // only as a qualifier after a comma ("Woodridge, Ill.")
  bool proper = false;               // case="proper": capitalised, never all capitals ("Xi", not "XI" the numeral)
  bool title_confirms = false;       // a person's name: a title word just before confirms it
  std::set<std::string> not_after;   // words that, just before, make it another word ("let us")
  std::set<std::string> not_before;  // words that, just after, make it another word
  bool not_before_name = false;      // not-before="[Name]": a capitalised word just after (Chad Smith)
  int from = 0, to = 0;              // days (day_key) the alias means this actor; 0 = open
  int official_to = 0;               // last day it was the actor's official name (by:Zaire to 1997); 0 = none
  std::ptrdiff_t offset = -1;        // where in the gazetteer file, for load-time errors
};

// Bounds are day keys, YYYYMMDD: the gazetteer's from="1990" is 1990-01-01, to="1990" 1990-12-31,
// from="1990-10-03" that day. 0 is open.
bool overlaps(int a_from, int a_to, int b_from, int b_to) {
  const int af = a_from ? a_from : -1, at = a_to ? a_to : 99999999;
  const int bf = b_from ? b_from : -1, bt = b_to ? b_to : 99999999;
  return af <= bt && bf <= at;
}

int year_of(int key) { return key / 10000; }

// A document's date as the days it may be: a full date one day, a year alone (or a month) all its
// days. lo == 0: no date.
struct When {
  int lo = 0, hi = 0;
  bool known() const { return lo != 0; }
  bool one_day() const { return lo == hi; }
};

When when_year(int year) { return year ? When{year * 10000 + 101, year * 10000 + 1231} : When{}; }

// "YYYY", "YYYY-MM" or "YYYY-MM-DD" (quire's document dates); anything else is no date.
When when_date(const std::string& date) {
  const auto digits = [&](std::size_t at, std::size_t n) {
    int v = 0;
    for (std::size_t i = at; i < at + n; ++i) {
      if (i >= date.size() || date[i] < '0' || date[i] > '9') return -1;
      v = v * 10 + (date[i] - '0');
    }
    return v;
  };
  const int y = digits(0, 4);
  if (y <= 0) return {};
  if (date.size() == 4) return when_year(y);
  const int m = date.size() >= 7 && date[4] == '-' ? digits(5, 2) : -1;
  if (m < 1 || m > 12) return when_year(y);
  if (date.size() == 7) return {y * 10000 + m * 100 + 1, y * 10000 + m * 100 + 31};
  const int d = date.size() == 10 && date[7] == '-' ? digits(8, 2) : -1;
  if (d < 1 || d > 31) return {y * 10000 + m * 100 + 1, y * 10000 + m * 100 + 31};
  return {y * 10000 + m * 100 + d, y * 10000 + m * 100 + d};
}

// Whether any day of `w` falls within [from, to] (0 = open). A year alone is within a span that
// starts or ends inside it: "Germany" (West Germany to 1990-10-02) in a document dated 1990.
bool within(const When& w, int from, int to) { return (from == 0 || w.hi >= from) && (to == 0 || w.lo <= to); }

// "U.S." has a dot inside it, "US" and "Ill." do not: the two spellings of an abbreviation are kept apart
// so that a rule on one ("US" is not "us" after "let") does not reach the other.
bool inner_dot(std::string_view s) {
  for (std::size_t i = 0; i + 1 < s.size(); ++i) {
    if (s[i] == '.' && std::isalpha(static_cast<unsigned char>(s[i + 1]))) return true;
  }
  return false;
}

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::set<std::string> word_set(const std::string& list) {
  std::set<std::string> out;
  std::istringstream in(list);
  for (std::string w; in >> w;) {
    if (w != "[Name]") out.insert(fold_case(w));
  }
  return out;
}

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
  std::unordered_map<std::string, std::vector<std::size_t>> by_normalised;  // entries, for resolve()
  struct CodeUse {
    std::size_t actor;
    int from, to;    // the years the code means the actor
    bool own_years;  // the code attribute: held in the actor's own years, no restriction in queries
  };
  std::unordered_map<std::string, std::vector<CodeUse>> by_code;  // upper case
  std::set<std::string> event_words;                              // "agreement": a place just before one names an event
  std::set<std::string> title_words;      // "mr", "president": a title just before a person's name
  std::set<std::string> geography_words;  // "gulf", "strait": "Gulf of Guinea" is water, not the state

  void index_entries() {
    by_first_term.clear();
    by_normalised.clear();
    for (std::size_t i = 0; i < entries.size(); ++i) {
      by_first_term[entries[i].terms.front()].push_back(i);
      if (!entries[i].actor.empty()) by_normalised[join_terms(entries[i].terms)].push_back(i);
    }
    for (auto& [term, list] : by_first_term) {
      std::stable_sort(list.begin(), list.end(), [this](std::size_t x, std::size_t y) {
        return entries[x].terms.size() > entries[y].terms.size();
      });
    }
    for (auto& a : actors) a.successors.clear();
    for (const auto& a : actors) {
      for (const auto& p : a.predecessors) actors[by_id.at(p)].successors.push_back(a.id);
    }
  }

  const Actor* find(const std::string& id) const {
    auto it = by_id.find(id);
    return it == by_id.end() ? nullptr : &actors[it->second];
  }

  std::vector<Resolution> resolve(const Gazetteer& g, const std::string& raw, const When& when) const;
  std::vector<std::vector<ActorMention>> tag(const std::vector<std::string>& passages, const When& when) const;

  // The actor that held `a`'s territory in `year`, before `a` existed: through part-of and predecessor
  // links, the one actor that existed that year. "" if none or several.
  std::string in_force_before(const Actor& a, const When& when) const {
    std::set<std::string> found, seen;
    std::vector<const Actor*> todo = {&a};
    while (!todo.empty()) {
      const Actor* x = todo.back();
      todo.pop_back();
      std::vector<std::string> next = x->predecessors;
      if (!x->part_of.empty()) next.push_back(x->part_of);
      for (const auto& id : next) {
        if (!seen.insert(id).second) continue;
        const Actor* y = find(id);
        if (!y) continue;
        if (within(when, y->from_day, y->to_day))
          found.insert(y->id);
        else if (y->from_day && when.hi < y->from_day)
          todo.push_back(y);
      }
    }
    return found.size() == 1 ? *found.begin() : "";
  }
};

Gazetteer::Gazetteer() : impl_(std::make_unique<Impl>()) {}
Gazetteer::~Gazetteer() = default;
Gazetteer::Gazetteer(Gazetteer&&) noexcept = default;
Gazetteer& Gazetteer::operator=(Gazetteer&&) noexcept = default;

Gazetteer Gazetteer::load(const std::string& path) { return parse(path, read_whole_file(path)); }

namespace {

// Fills an entry's words and which of them are capitalised as written.
void split_entry(AliasEntry& e) {
  for (const auto& t : tokenize(e.text)) {
    e.terms.push_back(t.term);
    const char c = e.text[t.byte_begin];
    e.capital.push_back(!(c >= 'a' && c <= 'z'));
  }
}

}  // namespace

Gazetteer Gazetteer::parse(const std::string& path, const std::string& xml) {
  pugi::xml_document doc;
  const pugi::xml_node root = parse_rule_file(doc, path, xml, "actors");
  const auto fail = [&](const std::string& why, const pugi::xml_node& n) { fail_at(path, xml, n, why); };
  const auto line_of = [&](std::ptrdiff_t offset) { return std::to_string(line_at(xml, offset)); };

  Gazetteer g;
  Impl& im = *g.impl_;
  // A bound is a year or a day, YYYY or YYYY-MM-DD, as a day key (a year's first day for from, its last
  // for to); absent, 0.
  const auto bound = [&](const pugi::xml_node& n, const char* attribute, bool end) {
    const std::string v = n.attribute(attribute).as_string();
    if (v.empty()) return 0;
    const When w = when_date(v);
    if (!w.known() || (v.size() != 4 && (v.size() != 10 || !w.one_day())))
      fail(std::string(attribute) + "=\"" + v + "\" (a year, YYYY, or a day, YYYY-MM-DD)", n);
    return end ? w.hi : w.lo;
  };
  const auto years = [&](const pugi::xml_node& n, int& from, int& to) {
    from = bound(n, "from", false);
    to = bound(n, "to", true);
    if (from != 0 && to != 0 && from > to) fail("from is after to", n);
  };
  const auto add_entry = [&](AliasEntry e, const pugi::xml_node& n) {
    split_entry(e);
    if (e.terms.empty()) fail("alias \"" + e.text + "\" has no words", n);
    e.offset = n.offset_debug();
    im.entries.push_back(std::move(e));
  };
  struct CodeAt {
    std::string code;
    std::size_t actor;
    int from, to;
    bool own;
    pugi::xml_node node;
  };
  std::vector<CodeAt> codes;
  std::vector<pugi::xml_node> actor_nodes;

  for (const pugi::xml_node n : root.children()) {
    if (n.type() != pugi::node_element) continue;
    const std::string tag = n.name();
    if (tag == "stop") {
      AliasEntry e;
      e.text = n.text().get();
      add_entry(std::move(e), n);
      continue;
    }
    if (tag == "event" || tag == "title" || tag == "geography") {
      const std::string w = fold_case(collapse_space(n.text().get()));
      if (w.empty() || w.find(' ') != std::string::npos) fail("<" + tag + "> holds one word", n);
      (tag == "event" ? im.event_words : tag == "title" ? im.title_words : im.geography_words).insert(w);
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
    a.part_of = n.attribute("part-of").as_string();
    {
      std::istringstream in(n.attribute("predecessors").as_string());
      for (std::string p; in >> p;) a.predecessors.push_back(p);
    }
    years(n, a.from_day, a.to_day);
    a.from = year_of(a.from_day);
    a.to = year_of(a.to_day);
    const std::size_t index = im.actors.size();
    if (!a.code.empty()) {
      a.codes.push_back({a.code, a.from, a.to});
      codes.push_back({upper(a.code), index, a.from_day, a.to_day, true, n});
    }
    for (const pugi::xml_node c : n.children()) {
      if (c.type() != pugi::node_element) continue;
      const std::string ctag = c.name();
      if (ctag == "code") {
        ActorCode code{collapse_space(c.text().get()), 0, 0};
        int from = 0, to = 0;
        years(c, from, to);
        code.from = year_of(from);
        code.to = year_of(to);
        if (code.code.empty()) fail("an empty <code>", c);
        codes.push_back({upper(code.code), index, from, to, false, c});
        a.codes.push_back(std::move(code));
        continue;
      }
      AliasEntry e;
      e.actor = a.id;
      e.text = c.text().get();
      e.needs_context = std::string(c.attribute("needs").as_string()) == "context";
      const std::string cs = c.attribute("case").as_string();
      if (!cs.empty() && cs != "exact" && cs != "proper") fail("case=\"" + cs + "\" (exact or proper)", c);
      e.exact = cs == "exact";
      e.proper = cs == "proper";
      e.after_comma = std::string(c.attribute("after").as_string()) == "comma";
      e.title_confirms = a.type == ActorType::kPerson;
      e.not_after = word_set(c.attribute("not-after").as_string());
      e.not_before = word_set(c.attribute("not-before").as_string());
      e.not_before_name = std::string(c.attribute("not-before").as_string()).find("[Name]") != std::string::npos;
      years(c, e.from, e.to);
      e.official_to = bound(c, "official-to", true);
      if (e.official_to && e.from && e.official_to < e.from) fail("official-to is before from", c);
      if (e.official_to && e.to) fail("official-to with to: the alias already ends in its to year", c);
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
    if (a.code.empty()) {  // the code it holds today, if any (Russia: RUS from 1992)
      for (const auto& c : a.codes) {
        if (c.to == 0) a.code = c.code;
      }
    }
    im.by_id[a.id] = index;
    im.actors.push_back(std::move(a));
    actor_nodes.push_back(n);
  }
  for (std::size_t i = 0; i < im.actors.size(); ++i) {
    const Actor& a = im.actors[i];
    if (!a.affiliation.empty() && !im.by_id.count(a.affiliation))
      throw InputError(path, "actor \"" + a.id + "\" is affiliated with unknown actor \"" + a.affiliation + "\"");
    for (const auto& p : a.predecessors) {
      if (!im.by_id.count(p) || p == a.id)
        fail("actor \"" + a.id + "\" has unknown predecessor \"" + p + "\"", actor_nodes[i]);
    }
    if (!a.part_of.empty() && (!im.by_id.count(a.part_of) || a.part_of == a.id))
      fail("actor \"" + a.id + "\" is part-of unknown actor \"" + a.part_of + "\"", actor_nodes[i]);
  }

  // Ambiguity is refused here, not guessed at later. A code means one actor in any year, and is no
  // other actor's id (by:NAM cannot be both Namibia and the group with id "nam").
  std::unordered_map<std::string, std::string> lower_ids;
  for (const auto& a : im.actors) lower_ids[fold_case(a.id)] = a.id;
  for (std::size_t i = 0; i < codes.size(); ++i) {
    const CodeAt& c = codes[i];
    const std::string& owner = im.actors[c.actor].id;
    if (auto it = lower_ids.find(fold_case(c.code)); it != lower_ids.end() && it->second != owner)
      fail("code \"" + c.code + "\" of \"" + owner + "\" is the id of actor \"" + it->second + "\"", c.node);
    for (std::size_t j = 0; j < i; ++j) {
      const CodeAt& d = codes[j];
      if (d.code == c.code && d.actor != c.actor && overlaps(c.from, c.to, d.from, d.to))
        fail("code \"" + c.code + "\" of \"" + owner + "\" also means \"" + im.actors[d.actor].id + "\" (line " +
                 line_of(d.node.offset_debug()) + ") in the same years; give each its years (<code from=... to=...>)",
             c.node);
    }
    im.by_code[c.code].push_back({c.actor, c.from, c.to, c.own});
  }
  im.index_entries();
  // A spelling two actors share in the same years must say the document decides (needs="context"),
  // unless one of them is date-bound and the other not (the date-bound one is the more specific).
  for (const auto& [norm, list] : im.by_normalised) {
    for (std::size_t x = 0; x < list.size(); ++x) {
      const AliasEntry& e = im.entries[list[x]];
      const Actor& ea = *im.find(e.actor);
      for (std::size_t y = 0; y < x; ++y) {
        const AliasEntry& f = im.entries[list[y]];
        if (f.actor == e.actor || e.needs_context || f.needs_context) continue;
        if ((e.from || e.to) != (f.from || f.to)) continue;
        if (e.exact && f.exact && (squash(e.text) != squash(f.text) || inner_dot(e.text) != inner_dot(f.text)))
          continue;
        const Actor& fa = *im.find(f.actor);
        if (!overlaps(e.from, e.to, f.from, f.to) || !overlaps(ea.from, ea.to, fa.from, fa.to)) continue;
        const auto& later = e.offset > f.offset ? e : f;
        const auto& earlier = e.offset > f.offset ? f : e;
        throw InputError(path,
                         "\"" + later.text + "\" of \"" + later.actor + "\" also means \"" + earlier.actor +
                             "\" (line " + line_of(earlier.offset) +
                             ") in the same years; mark both needs=\"context\" or give them years",
                         line_at(xml, later.offset));
      }
    }
  }
  return g;
}

Gazetteer Gazetteer::with_people(const std::vector<CataloguePerson>& people) const {
  Gazetteer g;
  *g.impl_ = *impl_;
  Impl& im = *g.impl_;
  // Honorifics and function words the catalogue writes before a name ("Mr. BHUTTO", "H.E. Mr. X").
  static const std::set<std::string> honorifics = {"mr",         "mrs", "ms",  "miss",       "dr",
                                                   "h.e",        "he",  "sir", "his",        "her",
                                                   "excellency", "the", "hon", "honourable", "honorable"};
  std::map<std::string, std::size_t> added;                       // id -> actor index
  std::map<std::string, std::vector<std::pair<int, int>>> spans;  // id -> the years each record names
  for (const auto& p : people) {
    std::vector<std::string> words;
    std::string name;
    for (const auto& t : tokenize(p.name)) {
      if (words.empty() && (honorifics.count(t.term) || im.title_words.count(t.term))) continue;
      words.push_back(t.term);
      // "BHUTTO" as catalogues write surnames is "Bhutto" in a label.
      std::string w = p.name.substr(t.byte_begin, t.byte_end - t.byte_begin);
      if (w.size() > 2 && std::none_of(w.begin(), w.end(), [](char c) { return c >= 'a' && c <= 'z'; })) {
        for (std::size_t k = 1; k < w.size(); ++k) {
          if (std::isalpha(static_cast<unsigned char>(w[k - 1])))
            w[k] = static_cast<char>(std::tolower(static_cast<unsigned char>(w[k])));
        }
      }
      name += (name.empty() ? "" : " ") + w;
    }
    if (words.empty()) continue;
    const std::string norm = join_terms(words);
    bool known = false;
    if (auto it = im.by_normalised.find(norm); it != im.by_normalised.end()) {
      for (std::size_t e : it->second) {
        const Actor* a = im.find(im.entries[e].actor);
        known = known || (a && a->type == ActorType::kPerson && im.entries[e].actor[0] != '~');
      }
    }
    if (known) continue;
    std::string id = "~";
    for (const auto& w : words) id += (id.size() > 1 ? "-" : "") + w;
    if (added.count(id)) {
      spans[id].emplace_back(p.from, p.to);
      continue;
    }
    if (im.by_id.count(id)) continue;
    spans[id].emplace_back(p.from, p.to);
    Actor a;
    a.id = id;
    a.type = ActorType::kPerson;
    a.name = name;
    a.affiliation = im.by_id.count(p.affiliation) ? p.affiliation : "";  // years: the catalogue's, not a life
    added[id] = im.actors.size();
    im.by_id[id] = im.actors.size();
    im.actors.push_back(std::move(a));
  }
  for (const auto& [id, index] : added) {
    const Actor& a = im.actors[index];
    AliasEntry full;
    full.actor = id;
    full.text = a.name;
    full.kind = MentionKind::kName;
    full.title_confirms = true;
    split_entry(full);
    // A one-word name ("Mr. BHUTTO") is a surname, like the last word of a longer one: it needs a title
    // or the document's support, and counts only in the years the catalogue names the person (one
    // year either side of each run of years), so the Mr. Khan of 1950 is not the Mr. Khan of 1990.
    AliasEntry surname = full;
    if (full.terms.size() > 1) {
      surname.text = a.name.substr(a.name.rfind(' ') + 1);
      surname.kind = MentionKind::kAlias;
      surname.terms.clear();
      surname.capital.clear();
      split_entry(surname);
      if (surname.terms.size() != 1 || surname.terms[0].size() < 4) surname.terms.clear();  // not "Li", "Roy"
      im.entries.push_back(full);
    }
    if (surname.terms.empty()) continue;
    surname.needs_context = true;
    // A first word of someone else's fuller name is not this person: the "Jorge" of a catalogue is not
    // "Mr. Jorge Illueca", its "Andrei" not "Mr. Andrei A. Gromyko" (rt13g rows 2-3).
    surname.not_before_name = true;
    auto years = spans[id];
    std::sort(years.begin(), years.end());
    std::vector<std::pair<int, int>> runs;
    for (const auto& [from, to] : years) {
      if (!runs.empty() && runs.back().second && from && from <= runs.back().second + 2)
        runs.back().second = std::max(runs.back().second, to);
      else
        runs.emplace_back(from, to);
    }
    for (const auto& [from, to] : runs) {
      surname.from = from ? when_year(from - 1).lo : 0;
      surname.to = to ? when_year(to + 1).hi : 0;
      im.entries.push_back(surname);
    }
  }
  im.index_entries();
  return g;
}

const Actor* Gazetteer::find(const std::string& id) const { return impl_->find(id); }

const std::vector<Actor>& Gazetteer::actors() const { return impl_->actors; }

std::vector<std::string> Gazetteer::resolve(const std::string& name) const {
  std::vector<std::string> ids;
  for (const auto& r : resolve_at(name, 0)) ids.push_back(r.id);
  return ids;
}

std::vector<Resolution> Gazetteer::resolve_at(const std::string& raw, int year) const {
  return impl_->resolve(*this, raw, when_year(year));
}

std::vector<Resolution> Gazetteer::resolve_on(const std::string& raw, const std::string& date) const {
  return impl_->resolve(*this, raw, when_date(date));
}

namespace {

Resolution resolution(const std::string& id, int from, int to) {
  Resolution r{id, year_of(from), year_of(to)};
  if (from % 10000 != 101) r.from_day = from;
  if (to % 10000 != 1231) r.to_day = to;
  return r;
}

}  // namespace

std::vector<Resolution> Gazetteer::Impl::resolve(const Gazetteer& g, const std::string& raw, const When& when) const {
  const Impl& im = *this;
  const bool year = when.known();
  const std::string name = collapse_space(raw);
  if (im.find(name)) return {{name, 0, 0}};
  // Codes first, and only codes.
  if (auto it = im.by_code.find(upper(name)); it != im.by_code.end()) {
    // With no date, every actor that held the code, each in the years it held it (RUS: the Soviet Union
    // until 1991, Russia since), so a filter reads each document's code at the document's date; the
    // holder of today, or a code's only holder, without a restriction.
    std::vector<Resolution> held, all;
    int first_from = 0;
    for (const auto& u : it->second) {
      const bool free = u.to == 0 || it->second.size() == 1;
      const Resolution r = resolution(im.actors[u.actor].id, free ? 0 : u.from, free ? 0 : u.to);
      if (year && within(when, u.from, u.to)) {
        // A date of a year alone (or a month) that a change of holder falls in means the holder at its
        // start: CHN dated 1971 is the Republic of China, whose seat the PRC took on 1971-10-25.
        if (!held.empty() && u.from > first_from) continue;
        if (!held.empty()) held.clear();
        first_from = u.from;
        held.push_back(r);
      }
      all.push_back(r);
    }
    return held.empty() ? all : held;
  }
  auto it = im.by_normalised.find(join_terms(terms_of(name)));
  if (it == im.by_normalised.end()) return {};
  std::vector<const AliasEntry*> cands;
  for (std::size_t i : it->second) cands.push_back(&im.entries[i]);
  const auto keep = [&](auto pred) {
    std::vector<const AliasEntry*> out;
    for (const auto* e : cands) {
      if (pred(*e)) out.push_back(e);
    }
    return out;
  };
  std::vector<const AliasEntry*> chosen;
  if (year) {
    chosen = keep([&](const AliasEntry& e) {
      const Actor* a = im.find(e.actor);
      return within(when, e.from, e.official_to ? e.official_to : e.to) && (!a->from_day || when.hi >= a->from_day);
    });
    if (std::any_of(chosen.begin(), chosen.end(), [](const AliasEntry* e) { return e->from || e->to; }))
      chosen.erase(std::remove_if(chosen.begin(), chosen.end(), [](const AliasEntry* e) { return !e->from && !e->to; }),
                   chosen.end());
  }
  if (chosen.empty()) chosen = keep([](const AliasEntry& e) { return e.kind == MentionKind::kName; });
  if (chosen.empty()) {
    chosen = keep([](const AliasEntry& e) { return e.to == 0; });
    // An actor's own lineage shares its names over time: "Federal Republic of Germany" is Germany and,
    // in its years, West Germany; "Moscow" the Soviet Union to 1991 and Russia after.
    std::set<std::string> kin;
    for (const auto* e : chosen) {
      for (const auto& id : g.lineage(e->actor)) kin.insert(id);
    }
    for (const auto* e : keep([&](const AliasEntry& e) { return e.to != 0 && kin.count(e.actor); }))
      chosen.push_back(e);
  }
  if (chosen.empty()) chosen = cands;
  std::vector<Resolution> out;
  for (const auto* e : chosen) {
    auto same = std::find_if(out.begin(), out.end(), [&](const Resolution& r) { return r.id == e->actor; });
    const int to = e->official_to ? e->official_to : e->to;
    if (same == out.end())
      out.push_back(resolution(e->actor, e->from, to));
    else if (!e->from && !to)
      *same = Resolution{e->actor, 0, 0};
  }
  std::sort(out.begin(), out.end(), [](const Resolution& a, const Resolution& b) { return a.id < b.id; });
  return out;
}

std::vector<std::string> Gazetteer::lineage(const std::string& id) const {
  const Actor* start = find(id);
  if (!start) return {};
  std::vector<std::string> out = {id};
  for (const bool back : {true, false}) {
    std::vector<const Actor*> todo = {start};
    while (!todo.empty()) {
      const Actor* a = todo.back();
      todo.pop_back();
      for (const auto& next : back ? a->predecessors : a->successors) {
        if (std::find(out.begin(), out.end(), next) != out.end()) continue;
        out.push_back(next);
        if (const Actor* n = find(next)) todo.push_back(n);
      }
    }
  }
  return out;
}

std::vector<std::vector<ActorMention>> Gazetteer::tag(const std::vector<std::string>& passages, int year) const {
  return impl_->tag(passages, when_year(year));
}

std::vector<std::vector<ActorMention>> Gazetteer::tag_on(const std::vector<std::string>& passages,
                                                          const std::string& date) const {
  return impl_->tag(passages, when_date(date));
}

std::vector<std::vector<ActorMention>> Gazetteer::Impl::tag(const std::vector<std::string>& passages,
                                                            const When& when) const {
  const Impl& im = *this;
  const bool year = when.known();
  struct Tentative {
    ActorMention m;
    bool certain;
    bool ambiguous = false;  // one spelling of several actors ("Dominican", "Congolese")
    bool fallback = false;   // ambiguous, and what the spelling means when the document supports none
  };
  std::vector<std::vector<Tentative>> found(passages.size());
  std::map<std::string, int> confirmed;  // actor -> its certain mentions in the document

  const auto applies = [&when](const AliasEntry& e) {
    if (!when.known()) return e.to == 0;
    return within(when, e.from, e.to);
  };
  const auto is_upper = [](char c) { return c >= 'A' && c <= 'Z'; };
  const auto is_lower = [](char c) { return c >= 'a' && c <= 'z'; };
  for (std::size_t p = 0; p < passages.size(); ++p) {
    const std::string& text = passages[p];
    const std::vector<Token> tokens = tokenize(text);
    // Only spaces between two tokens: they are neighbours in one phrase ("Chad Smith", not "Chad. Smith").
    const auto adjacent = [&](std::size_t a, std::size_t b) {
      for (std::size_t k = tokens[a].byte_end; k < tokens[b].byte_begin; ++k) {
        if (text[k] != ' ') return false;
      }
      return true;
    };
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
        if (!e.not_after.empty() && i > 0 && e.not_after.count(tokens[i - 1].term)) continue;
        if (i + len < tokens.size()) {
          const Token& next = tokens[i + len];
          if (e.not_before.count(next.term)) continue;
          if (e.not_before_name && adjacent(i + len - 1, i + len) && is_upper(text[next.byte_begin])) continue;
        }
        if (e.exact) {
          // Exactly as written, or all in capitals (datelines and headlines are upper case).
          const std::string_view written =
              std::string_view(text).substr(b, end - b + (end < text.size() && text[end] == '.'));
          const std::string surface = squash(written);
          if (inner_dot(written) != inner_dot(e.text)) continue;
          if (surface != squash(e.text) && !(e.after_comma && surface == upper(squash(e.text)))) continue;
        } else {
          // Names are proper nouns: each word capitalised in the alias is capitalised in the text
          // ("Islamic State" the group, not "an Islamic state"); case="proper" also refuses a word
          // all in capitals ("XI" the numeral is not "Xi").
          bool proper = true;
          for (std::size_t k = 0; k < len && proper; ++k) {
            const Token& t = tokens[i + k];
            const char c = text[t.byte_begin];
            proper = !(e.capital[k] && is_lower(c));
            if (proper && e.proper) {
              proper = is_upper(c) || static_cast<unsigned char>(c) >= 0x80;
              bool lower_after = t.byte_end - t.byte_begin == 1;
              for (std::size_t q = t.byte_begin + 1; q < t.byte_end && !lower_after; ++q)
                lower_after = is_lower(text[q]);
              proper = proper && lower_after;
            }
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
      // A date-bound alias is more specific than an open one ("Moscow" in 1987 is the Soviet Union),
      // unless it needs context: then the open one is what the word means when the document does not
      // name the other ("Korea" from 1954 is South Korea in a document naming it, else the peninsula).
      if (std::any_of(best.begin(), best.end(),
                      [](const AliasEntry* e) { return (e->from || e->to) && !e->needs_context; })) {
        best.erase(std::remove_if(best.begin(), best.end(), [](const AliasEntry* e) { return !e->from && !e->to; }),
                   best.end());
      }
      // A place or capital just before an event word, or after "Treaty of", names the event: the
      // "Tashkent Agreement", the "Geneva Conventions", the "Treaty of Rome".
      // The event word may follow a few capitalised words of the name: the "Helsinki Final Act", the
      // "Addis Ababa Action Agenda", the "Doha Development Agenda", the "Bali Action Plan".
      bool event_after = false;
      for (std::size_t j = i + best_len; j < tokens.size() && j < i + best_len + 3; ++j) {
        if (!adjacent(j - 1, j)) break;
        // Right after the place in any case ("the Paris accord"); after words between, only as one
        // capitalised name ("Huawei's Lahore R&D centre" is in Pakistan).
        const bool capital = is_upper(text[tokens[j].byte_begin]);
        if ((capital || j == i + best_len) && im.event_words.count(std::string(without_possessive(tokens[j].term)))) {
          event_after = true;
          break;
        }
        if (!capital) break;
      }
      const bool event_before = i >= 2 && tokens[i - 1].term == "of" && im.event_words.count(tokens[i - 2].term) &&
                                is_upper(text[tokens[i - 2].byte_begin]);
      // "Gulf of Guinea", "Strait of Hormuz": water named after a state or a place is geography.
      const bool geography = i >= 2 && tokens[i - 1].term == "of" && im.geography_words.count(tokens[i - 2].term) &&
                             is_upper(text[tokens[i - 2].byte_begin]);
      if (geography) {
        i += best_len;
        continue;
      }
      if (event_after || event_before) {
        best.erase(std::remove_if(best.begin(), best.end(),
                                  [](const AliasEntry* e) {
                                    return e->kind == MentionKind::kCapital || e->kind == MentionKind::kPlace;
                                  }),
                   best.end());
        if (best.empty()) {
          i += best_len;
          continue;
        }
      }
      // "Mr. Bhutto", "President Kennedy": a title just before a person's name confirms it.
      const bool titled = i > 0 && im.title_words.count(tokens[i - 1].term) && is_upper(text[tokens[i - 1].byte_begin]);
      std::vector<std::pair<const AliasEntry*, std::string>> resolved;  // entry, actor in force
      for (const AliasEntry* e : best) {
        if (e->actor.empty()) {
          resolved.emplace_back(e, "");
          continue;
        }
        std::string actor = e->actor;
        const Actor* a = im.find(actor);
        if (year && a && a->from_day && when.hi < a->from_day) {
          // Not yet in existence: a place belongs to whoever held it that year; any other name is dropped.
          actor =
              (e->kind == MentionKind::kCapital || e->kind == MentionKind::kPlace) ? im.in_force_before(*a, when) : "";
          if (actor.empty()) continue;
        } else if (year && a && a->to_day && when.lo > a->to_day && a->successors.empty()) {
          // Gone, and nothing continues it (the Warsaw Pact in 1995): history, searchable as text, no
          // actor of that year. With a successor ("the former Soviet Union") the mention is kept.
          continue;
        }
        resolved.emplace_back(e, actor);
      }
      std::set<std::string> meant;
      for (const auto& [e, actor] : resolved) {
        if (!e->actor.empty()) meant.insert(actor);
      }
      if (!meant.empty()) {  // empty: a stop phrase, which just consumes its words
        const bool ambiguous = meant.size() > 1;
        for (const auto& [e, actor] : resolved) {
          if (e->actor.empty()) continue;
          Tentative t;
          t.m.actor = actor;
          t.m.cp_begin = tokens[i].cp_begin;
          t.m.cp_end = tokens[i + best_len - 1].cp_end;
          t.m.kind = e->kind;
          t.certain = !ambiguous && (!e->needs_context || (titled && e->title_confirms));
          t.ambiguous = ambiguous;
          t.fallback = ambiguous && !e->needs_context && !e->from && !e->to;
          if (t.certain) ++confirmed[actor];
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
  // A spelling several actors share goes to the one the document names most without doubt: in the
  // Dominican Republic's speech that names Dominica once, "the Dominican Government" is its own.
  const auto support = [&](const std::string& actor) {
    auto it = confirmed.find(actor);
    return it == confirmed.end() ? 0 : it->second;
  };
  std::vector<std::vector<ActorMention>> out(passages.size());
  for (std::size_t p = 0; p < passages.size(); ++p) {
    auto& f = found[p];
    for (std::size_t k = 0; k < f.size(); ++k) {
      Tentative& t = f[k];
      int best = 0;  // of the actors sharing this spelling here
      if (t.ambiguous) {
        for (const auto& o : f) {
          if (o.ambiguous && o.m.cp_begin == t.m.cp_begin && o.m.cp_end == t.m.cp_end)
            best = std::max(best, support(o.m.actor));
        }
      }
      // Supported by nothing: only the open reading of a spelling that another actor takes in context.
      if (!t.certain && !support(t.m.actor) && !(t.fallback && best == 0)) continue;
      if (t.ambiguous && support(t.m.actor) < best) continue;
      out[p].push_back(t.m);
    }
  }
  return out;
}

}  // namespace quire
