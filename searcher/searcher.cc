// Query parsing, matching, grouping by document and highlighting. See searcher.h.
#include "quire/searcher.h"

#include <sys/stat.h>
#include <xapian.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <set>
#include <sstream>

#include "quire/errors.h"
#include "quire/fold.h"
#include "quire/index_db.h"
#include "quire/index_format.h"
#include "quire/json_input.h"
#include "quire/query_check.h"
#include "quire/ranking.h"
#include "quire/tagging.h"
#include "quire/tokenizer.h"
#include "quire/utf8.h"

namespace quire {

namespace fmt = format;

namespace {

struct FieldPrefix {
  const char* name;
  std::string_view prefix;
};
const FieldPrefix kFields[] = {{"title", fmt::kPrefixTitle},
                               {"author", fmt::kPrefixAuthor},
                               {"publisher", fmt::kPrefixPublisher},
                               {"quote", fmt::kPrefixQuote}};
// Boolean filter fields, each resolved by a FieldProcessor below.
const char* const kFilterFields[] = {"actor", "theme", "published", "mentions", "speaker", "dyad", "by"};
const char* const kFacets[] = {"actor", "theme", "published", "mentions", "speaker", "publisher", "dyad", "by"};

Xapian::Query or_of_terms(std::string_view prefix, const std::vector<std::string>& values) {
  std::vector<Xapian::Query> terms;
  terms.reserve(values.size());
  for (const auto& v : values) terms.emplace_back(std::string(prefix) + v);
  return Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
}

std::string strip_quotes(std::string s) {
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
  return s;
}

// "russia+": the actor with its predecessors and successors (the Soviet Union), asked for on purpose.
std::string without_plus(std::string v, bool& lineage) {
  lineage = v.size() > 1 && v.back() == '+';
  if (lineage) v.pop_back();
  return v;
}

std::vector<std::string> with_lineage(const Tagger& tagger, const std::vector<std::string>& ids) {
  std::vector<std::string> out;
  for (const auto& id : ids) {
    for (auto& l : tagger.gazetteer().lineage(id)) {
      if (std::find(out.begin(), out.end(), l) == out.end()) out.push_back(std::move(l));
    }
  }
  return out.empty() ? ids : out;
}

// Each actor a word means, in the years it means it ("RUS": the Soviet Union until 1991, Russia since;
// "Zaire": 1971 on), judged by each document's publication year.
Xapian::Query in_their_years(std::string_view prefix, const std::vector<Resolution>& meanings) {
  // A bound that falls on a day reads the date as written (YYYY[-MM[-DD]], which sorts as text) in
  // its year: by:"Upper Volta" (to 1984-08-03) is a speech of 1984-08-03, not one of 1984-08-05. A
  // date of that year alone, or of the bound's month alone, is any day of it, so it is kept.
  const auto text_of = [](int day) {
    char b[16];
    std::snprintf(b, sizeof b, "%04d-%02d-%02d", day / 10000, day / 100 % 100, day % 100);
    return std::string(b);
  };
  const auto dated = [](const std::string& lo, const std::string& hi) {
    return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, fmt::kSlotDate, lo, hi);
  };
  const auto from_day = [&](int day) {
    const std::string d = text_of(day);
    const std::vector<Xapian::Query> q = {dated(d, d.substr(0, 4) + "-12-31"), dated(d.substr(0, 4), d.substr(0, 4)),
                                          dated(d.substr(0, 7), d.substr(0, 7))};
    return Xapian::Query(Xapian::Query::OP_OR, q.begin(), q.end());
  };
  const auto to_day = [&](int day) {
    const std::string d = text_of(day);
    return dated(d.substr(0, 4), d);
  };
  std::vector<Xapian::Query> parts;
  for (const auto& r : meanings) {
    Xapian::Query q(std::string(prefix) + r.id);
    if (r.from || r.to) {
      const int first = r.from ? r.from : 1000, last = r.to ? r.to : 2099;
      std::vector<std::string> years;
      for (int y = r.from_day ? first + 1 : first; y <= (r.to_day ? last - 1 : last); ++y)
        years.push_back(std::to_string(y));
      std::vector<Xapian::Query> when = {or_of_terms(fmt::kPrefixPublished, years)};
      if (r.from_day && r.to_day && first == last)
        when.emplace_back(Xapian::Query::OP_AND, from_day(r.from_day), to_day(r.to_day));
      else {
        if (r.from_day) when.push_back(from_day(r.from_day));
        if (r.to_day) when.push_back(to_day(r.to_day));
      }
      q = Xapian::Query(Xapian::Query::OP_FILTER, q, Xapian::Query(Xapian::Query::OP_OR, when.begin(), when.end()));
    }
    parts.push_back(q);
  }
  return Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());
}

std::string ascii_lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

// Facets and filters agree by construction: a facet shows the values a passage's boolean terms
// hold (the index writer writes each facet slot and its terms from one list), and a filter given
// such a value, as a facet shows it, means that one term and nothing else. Only a value that is not
// one (a name, an alias, a word of a label) is resolved further. `known` is whether the rule files
// define the value as an id.
bool is_facet_value(const Xapian::Database* db, std::string_view prefix, const std::string& value, bool known) {
  if (value.empty()) return false;
  return known || (db && db->term_exists(std::string(prefix) + value));
}

// Levenshtein distance over bytes (insertions, deletions, substitutions), for did-you-mean on short values.
std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// actor:china, actor:beijing, actor:PRC, actor:"Khawaja Asif": every actor the name may mean.
class ActorField : public Xapian::FieldProcessor {
 public:
  ActorField(const Tagger* const& t, const Xapian::Database* db) : tagger_(t), db_(db) {}
  Xapian::Query operator()(const std::string& raw) override {
    const std::string written = strip_quotes(raw);
    if (const std::string id = ascii_lower(written);
        is_facet_value(db_, fmt::kPrefixActor, id, tagger_ && tagger_->gazetteer().find(id)))
      return Xapian::Query(std::string(fmt::kPrefixActor) + id);
    bool lineage = false;
    const std::string v = without_plus(written, lineage);
    if (!tagger_) return Xapian::Query(std::string(fmt::kPrefixActor) + v);
    const std::vector<Resolution> meanings = tagger_->gazetteer().resolve_at(v, 0);
    if (meanings.empty())
      throw QueryError("unknown actor '" + message_value(v, 60) +
                       "' (actor: takes a name, an alias or an id from schemas/actors.xml)");
    if (!lineage) return in_their_years(fmt::kPrefixActor, meanings);
    std::vector<std::string> ids;
    for (const auto& r : meanings) ids.push_back(r.id);
    return or_of_terms(fmt::kPrefixActor, with_lineage(*tagger_, ids));
  }

 private:
  const Tagger* const& tagger_;  // the searcher's, which may gain the index's people
  const Xapian::Database* db_;
};

// by:pakistan, by:PAK: documents by the actor, as their catalogue states (a speech's country). A name
// the gazetteer does not know matches a catalogue value kept as written ("~Leage of Arab States").
class ByField : public Xapian::FieldProcessor {
 public:
  ByField(const Tagger* const& t, const Xapian::Database* db) : tagger_(t), db_(db) {}
  Xapian::Query operator()(const std::string& raw) override {
    const std::string written = strip_quotes(raw);
    if (is_facet_value(db_, fmt::kPrefixBy, written,
                       written[0] == '~' || (tagger_ && tagger_->gazetteer().find(written))))
      return Xapian::Query(std::string(fmt::kPrefixBy) + written);
    bool lineage = false;
    const std::string v = without_plus(written, lineage);
    if (const std::string id = ascii_lower(v); !lineage && tagger_ && tagger_->gazetteer().find(id))
      return Xapian::Query(std::string(fmt::kPrefixBy) + id);
    const std::string as_written = std::string(fmt::kPrefixBy) + "~" + v;
    std::vector<Xapian::Query> parts = {Xapian::Query(as_written)};
    if (!tagger_) {
      parts.emplace_back(std::string(fmt::kPrefixBy) + v);
      return Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());
    }
    const std::vector<Resolution> meanings = tagger_->gazetteer().resolve_at(v, 0);
    // Neither an actor nor a catalogue value the index holds: a typo ("PAKK", "pakistn"), said so
    // rather than a silent 0.
    if (meanings.empty() && !(db_ && db_->term_exists(as_written))) throw QueryError(unknown(v));
    if (lineage) {
      std::vector<std::string> ids;
      for (const auto& r : meanings) ids.push_back(r.id);
      for (const auto& id : with_lineage(*tagger_, ids)) parts.emplace_back(std::string(fmt::kPrefixBy) + id);
    } else {
      parts.push_back(in_their_years(fmt::kPrefixBy, meanings));
    }
    return Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());
  }

 private:
  // "unknown actor 'pakistn' in by:pakistn (did you mean by:pakistan?)": the nearest of the by values
  // the index holds, by their ids, names and codes, within one edit of a short value, two of a longer.
  std::string unknown(const std::string& v) const {
    std::string message = "unknown actor '" + v + "' in by:" + v;
    std::string best;
    const std::string lower = Xapian::Unicode::tolower(v);
    std::size_t best_distance = lower.size() <= 4 ? 2 : 3;  // one edit in a code, two in a name
    const auto consider = [&](const std::string& shown, const std::string& candidate) {
      const std::size_t d = edit_distance(lower, Xapian::Unicode::tolower(candidate));
      if (d < best_distance && d < std::max<std::size_t>(lower.size(), 1)) {
        best_distance = d;
        best = shown;
      }
    };
    if (db_) {
      const std::string prefix(fmt::kPrefixBy);
      std::size_t seen = 0;
      for (auto t = db_->allterms_begin(prefix); t != db_->allterms_end(prefix) && ++seen <= 5000; ++t) {
        const std::string value = (*t).substr(prefix.size());
        if (value.empty()) continue;
        if (value[0] == '~') {
          consider(value.find(' ') == std::string::npos ? value.substr(1) : "\"" + value.substr(1) + "\"",
                   value.substr(1));
          continue;
        }
        consider(value, value);
        if (const Actor* a = tagger_->gazetteer().find(value)) {
          consider(a->name.find(' ') == std::string::npos ? a->name : "\"" + a->name + "\"", a->name);
          for (const auto& c : a->codes) consider(c.code, c.code);
        }
      }
    }
    if (!best.empty()) return message + " (did you mean by:" + best + "?)";
    return message +
           " (by: takes a name, an alias, a code or an id from schemas/actors.xml, or a value of the by facet)";
  }

  const Tagger* const& tagger_;  // the searcher's, which may gain the index's people
  const Xapian::Database* db_;
};

// A query that matches nothing and, unlike Query::MatchNothing, does not make the query parser
// think the whole query empty: no document has an empty id.
Xapian::Query no_match() { return Xapian::Query(std::string(fmt::kPrefixDocument)); }

// "15..20", "..20", "15..": a span of whole numbers, inclusive; nullopt for any other value.
std::optional<std::pair<long long, long long>> number_range(const std::string& v) {
  static const std::regex range(R"(([0-9]{1,15})?\.\.([0-9]{1,15})?)");
  std::smatch m;
  if (!std::regex_match(v, m, range) || (!m[1].matched && !m[2].matched)) return std::nullopt;
  const long long from = m[1].matched ? std::stoll(m[1]) : 0;
  const long long to = m[2].matched ? std::stoll(m[2]) : std::numeric_limits<long long>::max();
  return std::make_pair(from, to);
}

// session:20 and any other catalogue field the index holds: the value as the catalogue gave it;
// session:15..20 every numeric value of the field the index holds in that span.
class ExtraField : public Xapian::FieldProcessor {
 public:
  ExtraField(std::string name, const Xapian::Database* db) : name_(std::move(name)), db_(db) {}
  Xapian::Query operator()(const std::string& raw) override {
    const std::string v = strip_quotes(raw);
    const auto range = number_range(v);
    if (!range) return Xapian::Query(fmt::extra_term(name_, v));
    if (range->first > range->second) throw QueryError(name_ + ":" + message_value(v, 60) + " ends before it starts");
    const std::string prefix = fmt::extra_term(name_, "");
    std::vector<Xapian::Query> terms;
    for (auto t = db_->allterms_begin(prefix); t != db_->allterms_end(prefix); ++t) {
      const std::string value = (*t).substr(prefix.size());
      if (value.empty() || value.size() > 15 || value.find_first_not_of("0123456789") != std::string::npos) continue;
      const long long n = std::stoll(value);
      if (n >= range->first && n <= range->second) terms.emplace_back(*t);
    }
    if (terms.empty()) return no_match();
    return Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
  }
  const std::string& name() const { return name_; }

 private:
  std::string name_;
  const Xapian::Database* db_;
};

// theme:nuclear, theme:trade: an id, or any theme whose id or label holds the word.
class ThemeField : public Xapian::FieldProcessor {
 public:
  ThemeField(const Tagger* const& t, const Xapian::Database* db) : tagger_(t), db_(db) {}
  Xapian::Query operator()(const std::string& raw) override {
    const std::string v = strip_quotes(raw);
    if (is_facet_value(db_, fmt::kPrefixTheme, v, tagger_ && tagger_->themes().find(v)))
      return Xapian::Query(std::string(fmt::kPrefixTheme) + v);
    std::vector<std::string> ids = tagger_ ? tagger_->themes().resolve(v) : std::vector<std::string>{v};
    if (ids.empty()) throw QueryError("unknown theme '" + message_value(v, 60) + "' (see schemas/themes.xml)");
    return or_of_terms(fmt::kPrefixTheme, ids);
  }

 private:
  const Tagger* const& tagger_;  // the searcher's, which may gain the index's people
  const Xapian::Database* db_;
};

// speaker:"Wang Yi", speaker:"World Bank": a person or body of the gazetteer, or the name of someone
// who is not in it.
class SpeakerField : public Xapian::FieldProcessor {
 public:
  SpeakerField(const Tagger* const& t, const Xapian::Database* db) : tagger_(t), db_(db) {}
  Xapian::Query operator()(const std::string& raw) override {
    const std::string v = strip_quotes(raw);
    if (is_facet_value(db_, fmt::kPrefixSpeaker, v, v[0] == '~' || (tagger_ && tagger_->gazetteer().find(v))))
      return Xapian::Query(std::string(fmt::kPrefixSpeaker) + v);
    std::vector<std::string> keys;
    // Any actor the name resolves to: the tagger gives bodies (the World Bank, the UN) their actor id
    // as a speaker key as it does people (rt17h row 6). A state is never a speaker, so its id finds
    // nothing.
    if (tagger_) {
      for (const auto& id : tagger_->gazetteer().resolve(v)) keys.push_back(id);
    }
    keys.push_back(unknown_speaker_key(v));
    // A title or a variant names the person the tagger would name: "the Secretary General" in an
    // index of 1999 speeches is not a key, but its label is; "Hammarskjold" and "Dag Hammarskjöld"
    // are the key the tagger gives the office holder in every document.
    if (tagger_) {
      keys.push_back(tagger_->speaker_key(v));
      const std::string label = normalise_speaker(v, tagger_->speakers(), 0);
      if (!label.empty()) {
        keys.push_back(unknown_speaker_key(label));
        keys.push_back(tagger_->speaker_key(label));
      }
    }
    // A name's last words find the fuller names ending in them: speaker:Hammarskjold finds the quotes
    // of "Dag Hammarskjöld" (key ~dag-hammarskjold) as well as those of "Hammarskjold".
    if (db_) {
      std::set<std::string> endings;
      for (const auto& k : keys)
        if (k.size() > 1 && k[0] == '~') endings.insert("-" + k.substr(1));
      const std::string prefix = std::string(fmt::kPrefixSpeaker) + "~";
      std::size_t seen = 0, added = 0;
      for (auto t = db_->allterms_begin(prefix);
           !endings.empty() && t != db_->allterms_end(prefix) && ++seen <= 200000 && added < 200; ++t) {
        const std::string term = *t;
        for (const auto& e : endings) {
          if (term.size() > prefix.size() + e.size() && term.compare(term.size() - e.size(), e.size(), e) == 0) {
            keys.push_back(term.substr(fmt::kPrefixSpeaker.size()));
            ++added;
            break;
          }
        }
      }
    }
    return or_of_terms(fmt::kPrefixSpeaker, keys);
  }

 private:
  const Tagger* const& tagger_;  // the searcher's, which may gain the index's people
  const Xapian::Database* db_;
};

// dyad:china/pakistan, dyad:"Beijing/Islamabad": passages naming both actors (in either order).
class DyadField : public Xapian::FieldProcessor {
 public:
  DyadField(const Tagger* const& t, const Xapian::Database* db) : actors_(t, db), db_(db) {}
  Xapian::Query operator()(const std::string& raw) override {
    const std::string v = strip_quotes(raw);
    if (is_facet_value(db_, fmt::kPrefixDyad, v, false)) return Xapian::Query(std::string(fmt::kPrefixDyad) + v);
    const std::size_t slash = v.find('/');
    if (slash == std::string::npos)
      throw QueryError("dyad:" + message_value(v, 60) + " needs two actors joined by '/' (dyad:china/pakistan)");
    const Xapian::Query a = actors_(v.substr(0, slash)), b = actors_(v.substr(slash + 1));
    std::vector<Xapian::Query> pairs;
    const auto actor_term = [](const std::string& t) {
      return t.compare(0, fmt::kPrefixActor.size(), fmt::kPrefixActor) == 0;
    };
    for (auto i = a.get_unique_terms_begin(); i != a.get_unique_terms_end(); ++i) {
      if (!actor_term(*i)) continue;  // the years a name is bound to are not actors
      for (auto j = b.get_unique_terms_begin(); j != b.get_unique_terms_end(); ++j) {
        if (!actor_term(*j)) continue;
        std::string x = (*i).substr(fmt::kPrefixActor.size()), y = (*j).substr(fmt::kPrefixActor.size());
        if (y < x) std::swap(x, y);
        pairs.emplace_back(std::string(fmt::kPrefixDyad).append(x).append("/").append(y));
      }
    }
    return Xapian::Query(Xapian::Query::OP_OR, pairs.begin(), pairs.end());
  }

 private:
  ActorField actors_;
  const Xapian::Database* db_;
};

// "2020..2025", "2024", "1960s", "..1990", "2000..": a span of years, inclusive.
std::pair<int, int> parse_years(const std::string& raw, const char* field) {
  const std::string v = strip_quotes(raw);
  static const std::regex single(R"(([12][0-9]{3}))"), decade(R"(([12][0-9]{2}0)s)"),
      range(R"(([12][0-9]{3})?\.\.([12][0-9]{3})?)");
  std::smatch m;
  if (std::regex_match(v, m, single)) return {std::stoi(m[1]), std::stoi(m[1])};
  if (std::regex_match(v, m, decade)) return {std::stoi(m[1]), std::stoi(m[1]) + 9};
  if (std::regex_match(v, m, range) && (m[1].matched || m[2].matched)) {
    const int from = m[1].matched ? std::stoi(m[1]) : 1000, to = m[2].matched ? std::stoi(m[2]) : 2099;
    if (from > to) throw QueryError(std::string(field) + ":" + message_value(v, 60) + " ends before it starts");
    return {from, to};
  }
  throw QueryError(std::string(field) + ":" + message_value(v, 60) +
                   " is not a year or a span of years (2024, 2020..2025, 1960s)");
}

// A publisher as the publisher facet counts it (the slot's whole value), for a filter chosen from that
// facet; `publisher:` in a query is the fielded-text search instead.
// A publisher as the facet shows it; a value no passage holds as written means the publishers written
// so but for capitals and accents ("united nations general assembly": "United Nations General
// Assembly"), found among the passages whose publisher words hold the value's words as a phrase.
class PublisherValueField : public Xapian::FieldProcessor {
 public:
  explicit PublisherValueField(const Xapian::Database* db) : db_(db) {}
  Xapian::Query operator()(const std::string& raw) override {
    const std::string v = strip_quotes(raw);
    std::vector<Xapian::Query> parts = {Xapian::Query(Xapian::Query::OP_VALUE_RANGE, fmt::kSlotPublisherValue, v, v)};
    // A value as the facet shows it is that publisher: one passage found ends the check (the lookup
    // below reads every passage of the publisher's words, a fifth of a second on UNGDC).
    if (db_) {
      Xapian::Enquire exact(*db_);
      exact.set_query(parts.front());
      exact.set_weighting_scheme(Xapian::BoolWeight());
      if (!exact.get_mset(0, 1).empty()) return parts.front();
    }
    std::vector<Xapian::Query> words;
    for (const Token& t : tokenize(fold_accents(v))) words.emplace_back(std::string(fmt::kPrefixPublisher) + t.term);
    if (db_ && !words.empty() && words.size() <= 64) {
      Xapian::Enquire enquire(*db_);
      enquire.set_query(Xapian::Query(Xapian::Query::OP_PHRASE, words.begin(), words.end(), words.size()));
      enquire.set_weighting_scheme(Xapian::BoolWeight());
      enquire.set_collapse_key(fmt::kSlotPublisherValue);
      const std::string want = Xapian::Unicode::tolower(fold_accents(v));
      const Xapian::MSet m = enquire.get_mset(0, 100);
      for (auto it = m.begin(); it != m.end(); ++it) {
        const std::string value = it.get_document().get_value(fmt::kSlotPublisherValue);
        if (value != v && Xapian::Unicode::tolower(fold_accents(value)) == want)
          parts.emplace_back(Xapian::Query::OP_VALUE_RANGE, fmt::kSlotPublisherValue, value, value);
      }
    }
    return Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());
  }

 private:
  const Xapian::Database* db_;
};

class YearsField : public Xapian::FieldProcessor {
 public:
  YearsField(std::string_view prefix, const char* field) : prefix_(prefix), field_(field) {}
  Xapian::Query operator()(const std::string& raw) override {
    const auto [from, to] = parse_years(raw, field_);
    std::vector<std::string> years;
    for (int y = from; y <= to; ++y) years.push_back(std::to_string(y));
    return or_of_terms(prefix_, years);
  }

 private:
  std::string_view prefix_;
  const char* field_;
};

// A facet's counts: for each value, the matching passages and the distinct documents.
struct FacetCount {
  std::size_t passages = 0;
  std::set<std::string> documents;
};
using FacetCounts = std::map<std::string, FacetCount>;

// Adds what Xapian's ValueCountMatchSpy counted on a facet slot: each distinct slot value is
// "<doc id>\x1e<values>" (index_format.h) with the number of matching passages that hold it. Only
// values starting with `prefix` are kept, without it (a catalogue field's "name=" in kSlotExtra).
void add_counts(const Xapian::ValueCountMatchSpy& spy, const std::string& prefix, FacetCounts& out) {
  for (auto it = spy.values_begin(); it != spy.values_end(); ++it) {
    const std::string slot_value = *it;
    const std::size_t sep = slot_value.find(fmt::kDocSeparator);
    if (sep == std::string::npos) continue;
    const std::string document = slot_value.substr(0, sep);
    const Xapian::doccount n = it.get_termfreq();
    std::size_t start = sep + 1;
    while (start <= slot_value.size()) {
      std::size_t end = slot_value.find(fmt::kListSeparator, start);
      if (end == std::string::npos) end = slot_value.size();
      if (slot_value.compare(start, prefix.size(), prefix) == 0) {
        FacetCount& c = out[slot_value.substr(start + prefix.size(), end - start - prefix.size())];
        c.passages += n;
        c.documents.insert(document);
      }
      start = end + 1;
    }
  }
}

}  // namespace

bool facet_value_before(const FacetValue& x, const FacetValue& y) {
  const auto number = [](const std::string& v) {
    return !v.empty() && v.size() <= 18 && v.find_first_not_of("0123456789") == std::string::npos;
  };
  const bool nx = number(x.id), ny = number(y.id);
  if (nx != ny) return nx;  // numbers first
  if (nx) {
    const long long a = std::stoll(x.id), b = std::stoll(y.id);
    if (a != b) return a < b;
    return x.id < y.id;
  }
  const auto folded = [](const std::string& label) {
    std::string f = fold_accents(label);
    for (char& c : f) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return f;
  };
  const std::string lx = folded(x.label), ly = folded(y.label);
  if (lx != ly) return lx < ly;
  return x.id < y.id;
}

namespace {

// The value of catalogue field `name` as `meta` wrote it, for its lower-cased term value `value`;
// `value` when the document holds no such field.
std::string written_extra(const DocumentMeta& meta, const std::string& name, const std::string& value) {
  const std::string term = fmt::extra_term(name, value);
  for (const auto& [field, written] : meta.extra)
    if (field == name && fmt::extra_term(name, written) == term) return written;
  return value;
}

// A record's catalogue text as every output shows it (terminal, JSON, exports, citations): C1 control
// characters read as the Windows-1252 characters they stand for (UNGDC's "Mu\u0092izzaddin"), and an
// author's trailing commas dropped ("Celso Luiz Nunes Amorim,"). Ids and paths stay as stored.
DocumentMeta shown_meta(DocumentMeta m) {
  for (std::string* s : {&m.title, &m.subtitle, &m.publisher, &m.container}) *s = c1_as_cp1252(*s);
  for (auto& a : m.authors) {
    a = c1_as_cp1252(a);
    while (!a.empty() && (a.back() == ',' || a.back() == ' ')) a.pop_back();
  }
  m.authors.erase(std::remove(m.authors.begin(), m.authors.end(), std::string()), m.authors.end());
  for (auto& [name, value] : m.extra) value = c1_as_cp1252(value);
  return m;
}

unsigned facet_slot(const std::string& facet) {
  if (facet == "actor") return fmt::kSlotActors;
  if (facet == "theme") return fmt::kSlotThemes;
  if (facet == "published") return fmt::kSlotPublished;
  if (facet == "mentions") return fmt::kSlotMentioned;
  if (facet == "speaker") return fmt::kSlotSpeakers;
  if (facet == "publisher") return fmt::kSlotPublisher;
  if (facet == "dyad") return fmt::kSlotDyads;
  if (facet == "by") return fmt::kSlotBy;
  std::string known;
  for (const char* f : kFacets) known += (known.empty() ? "" : ", ") + std::string(f);
  throw QueryError("unknown facet '" + message_value(facet, 60) + "' (facets: " + known +
                   ", or a catalogue field of the index)");
}

bool is_unprefixed(const std::string& term) { return !term.empty() && !(term[0] >= 'A' && term[0] <= 'Z'); }

// Collects what the highlighter needs from a parsed query; terms of excluded branches are skipped.
void collect(const Xapian::Query& q, HighlightQuery& out) {
  const Xapian::Query::op op = q.get_type();
  if (op == Xapian::Query::LEAF_TERM) {
    const std::string term = *q.get_terms_begin();
    if (term.size() > 1 && term[0] == 'Z' && is_unprefixed(term.substr(1))) {
      out.stems.insert(term.substr(1));
    } else if (is_unprefixed(term)) {
      out.words.insert(term);
    }
    return;
  }
  if (op == Xapian::Query::OP_PHRASE) {
    std::vector<std::string> phrase;
    for (std::size_t i = 0; i < q.get_num_subqueries(); ++i) {
      const Xapian::Query sub = q.get_subquery(i);
      if (sub.get_type() != Xapian::Query::LEAF_TERM) {
        phrase.clear();
        break;
      }
      const std::string term = *sub.get_terms_begin();
      if (!is_unprefixed(term)) {
        phrase.clear();
        break;
      }
      phrase.push_back(term);
    }
    if (!phrase.empty()) {
      out.phrases.push_back(std::move(phrase));
      return;
    }
  }
  if (op == Xapian::Query::OP_WILDCARD) {
    // Xapian 1.4 exposes a wildcard's pattern only in its description: "Query(WILDCARD SYNONYM agri)".
    const std::string d = q.get_description();
    const std::size_t end = d.rfind(')');
    const std::size_t space = d.rfind(' ', end);
    if (end != std::string::npos && space != std::string::npos && space < end) {
      const std::string pattern = d.substr(space + 1, end - space - 1);
      if (is_unprefixed(pattern)) out.prefixes.push_back(pattern);
    }
    return;
  }
  std::size_t n = q.get_num_subqueries();
  if (op == Xapian::Query::OP_AND_NOT) n = std::min<std::size_t>(n, 1);
  for (std::size_t i = 0; i < n; ++i) collect(q.get_subquery(i), out);
}

std::uint64_t folder_size(const std::string& dir) {
  std::uint64_t total = 0;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    if (e.is_regular_file(ec)) total += e.file_size(ec);
  }
  return total;
}

// Plain text as a query: its words, stop words dropped, stemmed as QueryParser's STEM_SOME stems them
// (words starting with a letter), each weighted by how often it occurs.
Xapian::Query plain_query(const std::string& text, const Xapian::Stem& stem, const Xapian::Stopper& stopper,
                          const std::string& prefix = "", bool drop_request_words = false) {
  std::map<std::string, Xapian::termcount> counts;
  const std::vector<Token> tokens = tokenize(text);
  const bool verbose = drop_request_words && std::count_if(tokens.begin(), tokens.end(), [&](const Token& t) {
                                               return !stopper(t.term);
                                             }) >= static_cast<std::ptrdiff_t>(kVerboseQueryWords);
  for (const Token& t : tokens) {
    if (t.term.size() > kMaxWordBytes || stopper(t.term)) continue;
    if (verbose && is_request_word(t.term)) continue;
    ++counts[t.stemmable ? "Z" + prefix + stem(t.term) : prefix + t.term];
  }
  std::vector<Xapian::Query> terms;
  terms.reserve(counts.size());
  for (const auto& [term, n] : counts) terms.emplace_back(term, n);
  return Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
}

// Expansion terms for pseudo-relevance feedback: stemmed body words, not numbers or one letter.
class FeedbackTerms : public Xapian::ExpandDecider {
 public:
  explicit FeedbackTerms(std::set<std::string> exclude) : exclude_(std::move(exclude)) {}
  bool operator()(const std::string& term) const override {
    return term.size() > 3 && term[0] == 'Z' && std::islower(static_cast<unsigned char>(term[1])) &&
           !exclude_.count(term);
  }

 private:
  std::set<std::string> exclude_;
};

Xapian::Query with_feedback(Xapian::Enquire& enquire, const Xapian::Query& query, const RankingOptions& r) {
  const Xapian::MSet top = enquire.get_mset(0, r.feedback_documents);
  if (top.empty()) return query;
  Xapian::RSet rset;
  for (auto it = top.begin(); it != top.end(); ++it) rset.add_document(*it);
  std::set<std::string> in_query(query.get_terms_begin(), query.get_terms_end());
  const FeedbackTerms decider(std::move(in_query));
  const Xapian::ESet eset = enquire.get_eset(r.feedback_terms, rset, &decider);
  if (eset.empty()) return query;
  const double top_weight = eset.begin().get_weight();
  std::vector<Xapian::Query> added;
  for (auto it = eset.begin(); it != eset.end(); ++it)
    added.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(*it),
                       r.feedback_weight * it.get_weight() / top_weight);
  return Xapian::Query(Xapian::Query::OP_OR, Xapian::Query(Xapian::Query::OP_OR, added.begin(), added.end()), query);
}

// The fielded-text prefixes (title:, author:, publisher:, quote:), whose words are stemmed as the body's.
std::string_view text_prefix_of(const std::string& term) {
  for (const auto& f : kFields) {
    if (term.compare(0, f.prefix.size(), f.prefix) == 0) return f.prefix;
  }
  return {};
}

bool starts_with_letter(std::string_view word) {
  std::size_t i = 0;
  const auto cat = Xapian::Unicode::get_category(static_cast<unsigned>(next_codepoint(word, i)));
  return cat == Xapian::Unicode::LOWERCASE_LETTER || cat == Xapian::Unicode::UPPERCASE_LETTER ||
         cat == Xapian::Unicode::TITLECASE_LETTER || cat == Xapian::Unicode::MODIFIER_LETTER ||
         cat == Xapian::Unicode::OTHER_LETTER;
}

// The term the index holds for a query word outside a phrase, as QueryParser gave it unstemmed
// (STEM_NONE, lower-cased): a word starting with a letter becomes its Z-prefixed stem, so that
// "Pakistan" and "pakistan" are one term. Stems, numbers and boolean filter terms stay as they are.
std::string indexed_word(const std::string& term, const Xapian::Stem& stem) {
  if (term.empty() || term[0] == 'Z') return term;
  const std::string_view prefix = text_prefix_of(term);
  if (prefix.empty() && term[0] >= 'A' && term[0] <= 'Z') return term;  // a boolean filter's term
  const std::string word = term.substr(prefix.size());
  if (word.empty() || !starts_with_letter(word)) return term;
  return std::string("Z").append(prefix).append(stem(word));
}

// French elisions the index keeps as part of a word ("d'Ivoire" is the one word d'ivoire), so that a
// query word ("ivoire") also finds its elided forms.
const char* const kElisions[] = {"d'", "l'"};

// The elided forms of `term` (a query word as QueryParser gave it, its field prefix included) that
// `db` holds, stemmed as indexed_word() stems them: "ivoire" -> "Zd'ivoir".
std::vector<std::string> elided_forms(const std::string& term, const Xapian::Stem& stem, const Xapian::Database& db) {
  std::vector<std::string> out;
  if (term.empty() || term[0] == 'Z' || term.find('\'') != std::string::npos) return out;
  const std::string_view prefix = text_prefix_of(term);
  if (prefix.empty() && term[0] >= 'A' && term[0] <= 'Z') return out;  // a boolean filter's term
  const std::string word = term.substr(prefix.size());
  if (word.empty() || !starts_with_letter(word)) return out;
  for (const char* e : kElisions) {
    const std::string form = std::string("Z").append(prefix).append(stem(e + word));
    if (db.term_exists(form)) out.push_back(form);
  }
  return out;
}

// `q` with indexed_word() applied to every word outside phrases, NEAR groups and wildcards (which
// match the words as written), each with the elided forms `db` holds as its synonyms (when given).
// Operators without a parameter are rebuilt; others are kept whole.
Xapian::Query stem_words(const Xapian::Query& q, const Xapian::Stem& stem, const Xapian::Database* db = nullptr) {
  switch (q.get_type()) {
    case Xapian::Query::LEAF_TERM: {
      const std::string term = *q.get_terms_begin();
      const std::string indexed = indexed_word(term, stem);
      std::vector<Xapian::Query> forms;
      if (db) {
        for (const auto& f : elided_forms(term, stem, *db)) forms.emplace_back(f);
      }
      if (forms.empty()) return indexed == term ? q : Xapian::Query(indexed);
      forms.insert(forms.begin(), Xapian::Query(indexed));
      return Xapian::Query(Xapian::Query::OP_SYNONYM, forms.begin(), forms.end());
    }
    case Xapian::Query::OP_AND:
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_AND_NOT:
    case Xapian::Query::OP_XOR:
    case Xapian::Query::OP_AND_MAYBE:
    case Xapian::Query::OP_FILTER:
    case Xapian::Query::OP_SYNONYM:
    case Xapian::Query::OP_MAX: {
      std::vector<Xapian::Query> subs;
      for (std::size_t i = 0; i < q.get_num_subqueries(); ++i) subs.push_back(stem_words(q.get_subquery(i), stem, db));
      return Xapian::Query(q.get_type(), subs.begin(), subs.end());
    }
    default:
      return q;
  }
}

// A quote: query as the same words of the passage text: "ZXQsovereignti" -> "Zsovereignti", a phrase
// of XQ words the phrase of the words. NEAR becomes OR (its window is not readable in Xapian 1.4) and
// wildcards are left out: this query only weighs, the quote: query matches.
Xapian::Query as_body_words(const Xapian::Query& q) {
  const std::string prefix(fmt::kPrefixQuote);
  std::vector<Xapian::Query> subs;
  for (std::size_t i = 0; i < q.get_num_subqueries(); ++i) subs.push_back(as_body_words(q.get_subquery(i)));
  switch (q.get_type()) {
    case Xapian::Query::LEAF_TERM: {
      std::string term = *q.get_terms_begin();
      if (term.compare(0, prefix.size() + 1, "Z" + prefix) == 0)
        return Xapian::Query("Z" + term.substr(prefix.size() + 1));
      if (term.compare(0, prefix.size(), prefix) == 0) return Xapian::Query(term.substr(prefix.size()));
      return q;
    }
    case Xapian::Query::OP_PHRASE:
      return Xapian::Query(Xapian::Query::OP_PHRASE, subs.begin(), subs.end(), subs.size());
    case Xapian::Query::OP_AND:
    case Xapian::Query::OP_AND_NOT:
    case Xapian::Query::OP_XOR:
    case Xapian::Query::OP_AND_MAYBE:
    case Xapian::Query::OP_FILTER:
    case Xapian::Query::OP_SYNONYM:
    case Xapian::Query::OP_MAX:
      return Xapian::Query(q.get_type(), subs.begin(), subs.end());
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_NEAR:
      return Xapian::Query(Xapian::Query::OP_OR, subs.begin(), subs.end());
    default:
      return Xapian::Query();
  }
}

// title:, author:, publisher: and quote: restrict the results to the passages whose field holds the
// words (a filter: `author:bhutto kashmir` is Bhutto on Kashmir, not Bhutto or Kashmir), and the words
// still rank: each query made is kept in `weights`, which search() adds back for weight.
class TextField : public Xapian::FieldProcessor {
 public:
  TextField(std::string name, std::string_view prefix, const Xapian::Database* db, const Xapian::Stopper* stopper,
            std::vector<Xapian::Query>& weights)
      : name_(std::move(name)), prefix_(prefix), db_(db), stopper_(stopper), weights_(weights) {}
  Xapian::Query operator()(const std::string& raw) override {
    Xapian::QueryParser qp;
    qp.set_database(*db_);
    qp.set_stopper(stopper_);
    qp.set_stemming_strategy(Xapian::QueryParser::STEM_NONE);
    Xapian::Query q;
    // The value of field:word is the word; of field:"some words" the words without their quotes (a
    // phrase, then); of field:(a group), as quote_field_groups() wrote it, the group with its brackets.
    const bool group = raw.size() >= 2 && raw.front() == '(' && raw.back() == ')';
    const std::string value = !group && raw.find(' ') != std::string::npos ? "\"" + raw + "\"" : raw;
    try {
      qp.set_default_op(group ? Xapian::Query::OP_OR : Xapian::Query::OP_AND);
      unsigned flags = Xapian::QueryParser::FLAG_PHRASE | Xapian::QueryParser::FLAG_WILDCARD;
      if (group) flags |= Xapian::QueryParser::FLAG_BOOLEAN | Xapian::QueryParser::FLAG_LOVEHATE;
      q = qp.parse_query(value, flags, prefix_);
    } catch (const Xapian::QueryParserError& e) {
      throw QueryError(name_ + ":" + message_value(raw, 60) + ": " + e.get_msg());
    }
    if (q.empty())
      throw QueryError(name_ + ":" + message_value(raw, 60) +
                       " has no searchable words (only stop words or punctuation?)");
    q = stem_words(q, stem_, db_);
    // Quoted words are indexed with wdf 0 (index_writer.cc): they match but weigh nothing. They rank
    // and are highlighted as the passage's own words, which hold the same words with their counts.
    weights_.push_back(prefix_ == fmt::kPrefixQuote ? as_body_words(q) : q);
    return q;
  }

 private:
  std::string name_;
  std::string prefix_;
  const Xapian::Database* db_;
  const Xapian::Stopper* stopper_;
  Xapian::Stem stem_{"english"};
  std::vector<Xapian::Query>& weights_;
};

// like:'s words: body words as FeedbackTerms takes them, but not a stop word's stem ("that", "veri"
// for very, "ani" for any: README's "common words are ignored") nor a word in more than a fifth of the
// index's passages ("state", "unit" in UN speeches), which tell no document apart and, each matching
// most of the index, made like: searches slow (rt17 rows 39, 40).
class LikeTerms : public Xapian::ExpandDecider {
 public:
  explicit LikeTerms(const Xapian::Database& db) : db_(db), passages_(db.get_doccount()) {}
  bool operator()(const std::string& term) const override {
    if (!words_(term) || stop_stems().count(term)) return false;
    return db_.get_termfreq(term) * 5 <= passages_;
  }
  /// "Z" + the English stem of each stop word.
  static const std::set<std::string>& stop_stems() {
    static const std::set<std::string> stems = [] {
      std::set<std::string> out;
      const Xapian::Stem stem("english");
      for (const char* w : kStopWords) out.insert("Z" + stem(w));
      return out;
    }();
    return stems;
  }

 private:
  const FeedbackTerms words_{{}};
  const Xapian::Database& db_;
  Xapian::doccount passages_;
};

// like:ID, more like this: the words that best tell document ID (or passage ID#N) from the rest of the
// index (Xapian's ESet over its passages), each weighted by how characteristic it is. The document
// itself is left out of the results: its term goes into `excluded`, which search() takes out.
class LikeField : public Xapian::FieldProcessor {
 public:
  static constexpr Xapian::termcount kTerms = 40;
  LikeField(const Xapian::Database* db, std::vector<std::string>& excluded, std::vector<Xapian::Query>& weights)
      : db_(db), excluded_(excluded), weights_(weights) {}
  Xapian::Query operator()(const std::string& raw) override {
    const std::string id = strip_quotes(raw);
    Xapian::RSet rset;
    std::string document = id;
    if (id.empty() || id.size() > fmt::kMaxIdBytes + 12) throw QueryError("like: give a document id");
    const std::string passage = std::string(fmt::kPrefixPassageId) + id;
    if (id.find('#') != std::string::npos && db_->term_exists(passage)) {
      const Xapian::docid p = *db_->postlist_begin(passage);
      rset.add_document(p);
      document = db_->get_document(p).get_value(fmt::kSlotDocument);
    } else {
      const std::string term = std::string(fmt::kPrefixDocument) + id;
      for (auto p = db_->postlist_begin(term); p != db_->postlist_end(term); ++p) rset.add_document(*p);
    }
    if (rset.empty())
      throw QueryError("like:" + message_value(id, 60) +
                       ": the index holds no document (or passage ID#N) with that id");
    excluded_.push_back(std::string(fmt::kPrefixDocument) + document);
    Xapian::Enquire enquire(*db_);
    const LikeTerms words(*db_);
    const Xapian::ESet eset = enquire.get_eset(kTerms, rset, &words);
    if (eset.empty()) return no_match();
    const double top = eset.begin().get_weight();
    std::vector<Xapian::Query> terms;
    for (auto it = eset.begin(); it != eset.end(); ++it)
      terms.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(*it), it.get_weight() / top);
    Xapian::Query q(Xapian::Query::OP_OR, terms.begin(), terms.end());
    weights_.push_back(q);  // a filter to the documents sharing its words, ranked by them
    return q;
  }

 private:
  const Xapian::Database* db_;
  std::vector<std::string>& excluded_;
  std::vector<Xapian::Query>& weights_;
};

constexpr unsigned kParseFlags =
    Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_WILDCARD | Xapian::QueryParser::FLAG_PURE_NOT;

std::vector<std::string> split_spaces(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

// `query` with each "quoted phrase" of two words or more made its words NEAR each other
// ("a b c" -> (a NEAR b NEAR c)), the nearest looser query; "" when it holds no such phrase.
constexpr std::size_t kMaxLoosenedPhraseWords = 12;

std::string phrases_loosened(const std::string& query) {
  std::string out;
  bool changed = false;
  std::size_t at = 0;
  while (at < query.size()) {
    const std::size_t open = query.find('"', at);
    const std::size_t close = open == std::string::npos ? open : query.find('"', open + 1);
    if (close == std::string::npos) {
      out += query.substr(at);
      break;
    }
    out += query.substr(at, open - at);
    std::vector<std::string> words;
    for (const Token& t : tokenize(query.substr(open + 1, close - open - 1))) words.push_back(t.term);
    // A long phrase is not loosened: NEAR over hundreds of words ("the the ... the") checks every
    // document's positions for all of them, seconds for a suggestion nobody would take.
    if (words.size() < 2 || words.size() > kMaxLoosenedPhraseWords) {
      out += query.substr(open, close + 1 - open);
    } else {
      out += "(";
      for (std::size_t i = 0; i < words.size(); ++i) out += (i ? " NEAR " : "") + words[i];
      out += ")";
      changed = true;
    }
    at = close + 1;
  }
  return changed ? out : "";
}

// Field processors report a bad value by throwing QueryError. Inside QueryParser::parse_query an
// exception that is not Xapian's own leaks the parser's state, so the filter is called through this
// guard: the error is kept, the parse goes on with a query that matches nothing, and search() throws
// the kept error once Xapian has returned.
class GuardedField : public Xapian::FieldProcessor {
 public:
  GuardedField(Xapian::FieldProcessor& inner, std::string& error) : inner_(inner), error_(error) {}
  Xapian::Query operator()(const std::string& value) override {
    try {
      return inner_(value);
    } catch (const QueryError& e) {
      if (error_.empty()) error_ = e.what();
      return Xapian::Query::MatchNothing;
    }
  }

 private:
  Xapian::FieldProcessor& inner_;
  std::string& error_;
};

// qfiltergroup:N, a bracketed group of filters that filter_groups() took out of the query: the query
// its text parsed to, which the parser applies as one filter where the group was written.
class FilterGroupField : public Xapian::FieldProcessor {
 public:
  explicit FilterGroupField(const std::vector<Xapian::Query>& groups) : groups_(groups) {}
  Xapian::Query operator()(const std::string& n) override {
    if (n.empty() || n.size() > 6 || n.find_first_not_of("0123456789") != std::string::npos ||
        std::stoul(n) >= groups_.size())
      throw QueryError(std::string("unknown field '") + kFilterGroupField + ":'");
    return groups_[std::stoul(n)];
  }

 private:
  const std::vector<Xapian::Query>& groups_;
};

}  // namespace

// True when `q` might match a document record (index_format.h kTermRecord), which holds only the
// terms XREC and XRID<id> and no values: a query of MatchAll (filters only, pure NOTs) or naming those
// terms. Anything not known to need another term counts as might.
bool may_match_records(const Xapian::Query& q) {
  switch (q.get_type()) {
    case Xapian::Query::LEAF_MATCH_NOTHING:
    case Xapian::Query::OP_VALUE_RANGE:
    case Xapian::Query::OP_VALUE_GE:
    case Xapian::Query::OP_VALUE_LE:
      return false;
    case Xapian::Query::LEAF_TERM: {
      const std::string term = *q.get_terms_begin();
      return term == fmt::kTermRecord || term.compare(0, fmt::kPrefixRecordId.size(), fmt::kPrefixRecordId) == 0;
    }
    case Xapian::Query::OP_AND:
    case Xapian::Query::OP_FILTER:
    case Xapian::Query::OP_NEAR:
    case Xapian::Query::OP_PHRASE:
      for (std::size_t i = 0; i < q.get_num_subqueries(); ++i)
        if (!may_match_records(q.get_subquery(i))) return false;
      return true;
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_XOR:
    case Xapian::Query::OP_SYNONYM:
    case Xapian::Query::OP_MAX:
    case Xapian::Query::OP_ELITE_SET:
      for (std::size_t i = 0; i < q.get_num_subqueries(); ++i)
        if (may_match_records(q.get_subquery(i))) return true;
      return false;
    case Xapian::Query::OP_AND_NOT:
    case Xapian::Query::OP_AND_MAYBE:
    case Xapian::Query::OP_SCALE_WEIGHT:
      return q.get_num_subqueries() > 0 && may_match_records(q.get_subquery(0));
    default:  // MatchAll, wildcards, posting sources
      return true;
  }
}

// True when `q` checks word positions (a phrase, a hyphenated word, NEAR, ADJ): Xapian estimates such
// a query's matches from the first ones it checks, so a page of ten is a poor sample.
bool positional(const Xapian::Query& q) {
  const Xapian::Query::op op = q.get_type();
  if (op == Xapian::Query::OP_PHRASE || op == Xapian::Query::OP_NEAR) return true;
  for (std::size_t i = 0; i < q.get_num_subqueries(); ++i)
    if (positional(q.get_subquery(i))) return true;
  return false;
}

// True when `q` joins parts that must all match (AND, a filter, AND NOT): Xapian 1.4 estimates such a
// query's matches as if its parts were independent, and words that go together ("kashmir AND india",
// "kashmir by:PAK") are not: 4 documents were estimated of 36 (rt11i row 6).
bool conjunctive(const Xapian::Query& q) {
  const Xapian::Query::op op = q.get_type();
  if (op == Xapian::Query::OP_AND || op == Xapian::Query::OP_FILTER || op == Xapian::Query::OP_AND_NOT) return true;
  for (std::size_t i = 0; i < q.get_num_subqueries(); ++i)
    if (conjunctive(q.get_subquery(i))) return true;
  return false;
}

// Counts the matches Xapian checks (before the collapse to one per document). Fewer than it was asked to
// check means there were no more: it checked them all.
class CheckedCount : public Xapian::MatchSpy {
 public:
  void operator()(const Xapian::Document&, double) override { ++count_; }
  Xapian::doccount count() const { return count_; }

 private:
  Xapian::doccount count_ = 0;
};

// `q` without document records. Only a query that might match one gets the AND_NOT: on any other it
// would only cost Xapian its exact bounds (a single word's count is exact from its term frequency).
Xapian::Query without_records(const Xapian::Query& q) {
  if (!may_match_records(q)) return q;
  return Xapian::Query(Xapian::Query::OP_AND_NOT, q, Xapian::Query(std::string(fmt::kTermRecord)));
}

// --explain: the weighted parts of a query, each with the scale factor the query puts on it and the
// operators above it, which must match too for it to add weight (the b of `a OR (b AND c)` adds none
// to a passage without c, nor a phrase's word to a passage without the phrase).
struct WeightedPart {
  Xapian::Query query;  ///< a term, or a group Xapian weights as one (a wildcard's synonym, OP_MAX)
  double factor = 1;
  std::vector<Xapian::Query> within;  ///< the operators above it, below the whole query
};

// Every part of `q` that adds weight, with its factor: the branches a boolean filter, a NOT or a
// zero scale factor hides add none. `within` holds the operators above `q` (the root left out: every
// result matched it).
void weighted_parts(const Xapian::Query& q, double factor, std::vector<Xapian::Query> within,
                    std::vector<WeightedPart>& out, bool root = true) {
  if (factor == 0) return;
  const auto down = [&](std::size_t i, double f) {
    std::vector<Xapian::Query> below = within;
    if (!root) below.push_back(q);
    weighted_parts(q.get_subquery(i), f, std::move(below), out, false);
  };
  switch (q.get_type()) {
    case Xapian::Query::LEAF_TERM:
      out.push_back({q, factor, std::move(within)});
      return;
    case Xapian::Query::OP_SCALE_WEIGHT:
      if (q.get_num_subqueries() > 0) down(0, factor * scale_factor(q));
      return;
    case Xapian::Query::OP_AND_NOT:
    case Xapian::Query::OP_FILTER:
      if (q.get_num_subqueries() > 0) down(0, factor);
      return;
    case Xapian::Query::OP_AND:
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_XOR:
    case Xapian::Query::OP_AND_MAYBE:
    case Xapian::Query::OP_PHRASE:
    case Xapian::Query::OP_NEAR:
      for (std::size_t i = 0; i < q.get_num_subqueries(); ++i) down(i, factor);
      return;
    case Xapian::Query::LEAF_MATCH_ALL:
    case Xapian::Query::LEAF_MATCH_NOTHING:
    case Xapian::Query::OP_VALUE_RANGE:
    case Xapian::Query::OP_VALUE_GE:
    case Xapian::Query::OP_VALUE_LE:
      return;
    default:  // synonyms, wildcards, OP_MAX, elite sets: weighted as a whole
      out.push_back({q, factor, std::move(within)});
  }
}

// The terms of `q`'s boolean branches (filters), which add no weight but restrict.
void filter_terms(const Xapian::Query& q, bool boolean, std::set<std::string>& out) {
  switch (q.get_type()) {
    case Xapian::Query::LEAF_TERM:
      if (boolean) out.insert(*q.get_terms_begin());
      return;
    case Xapian::Query::OP_SCALE_WEIGHT:
      if (q.get_num_subqueries() > 0) filter_terms(q.get_subquery(0), boolean || scale_factor(q) == 0, out);
      return;
    case Xapian::Query::OP_AND_NOT:  // what a result does not hold is no filter it matched
      if (q.get_num_subqueries() > 0) filter_terms(q.get_subquery(0), boolean, out);
      return;
    case Xapian::Query::OP_FILTER:
      for (std::size_t i = 0; i < q.get_num_subqueries(); ++i) filter_terms(q.get_subquery(i), boolean || i > 0, out);
      return;
    default:
      for (std::size_t i = 0; i < q.get_num_subqueries(); ++i) filter_terms(q.get_subquery(i), boolean, out);
  }
}

// The field a term belongs to and its word, for --explain: ("title", "bhutto") for "Sbhutto",
// ("", "kashmir") for "Zkashmir", ("actor", "pakistan") for "XApakistan".
std::pair<std::string, std::string> term_field(std::string term) {
  if (term.size() > 1 && term[0] == 'Z') term.erase(0, 1);
  if (is_unprefixed(term)) return {"", term};
  // Longest prefixes first: XDY before XD..., XPUB before XP...
  static const std::pair<std::string_view, const char*> kNames[] = {
      {fmt::kPrefixDocument, "document"}, {fmt::kPrefixDyad, "dyad"},           {fmt::kPrefixPublisher, "publisher"},
      {fmt::kPrefixActor, "actor"},       {fmt::kPrefixTheme, "theme"},         {fmt::kPrefixMentioned, "mentions"},
      {fmt::kPrefixSpeaker, "speaker"},   {fmt::kPrefixPublished, "published"}, {fmt::kPrefixBy, "by"},
      {fmt::kPrefixQuote, "quote"},       {fmt::kPrefixTitle, "title"},         {fmt::kPrefixAuthor, "author"}};
  if (term.compare(0, fmt::kPrefixExtra.size(), fmt::kPrefixExtra) == 0) {
    const std::string rest = term.substr(fmt::kPrefixExtra.size());
    const std::size_t eq = rest.find('=');
    if (eq != std::string::npos) return {rest.substr(0, eq), rest.substr(eq + 1)};
  }
  for (const auto& [prefix, name] : kNames) {
    if (term.compare(0, prefix.size(), prefix) == 0) return {name, term.substr(prefix.size())};
  }
  return {"", term};
}

namespace {

// When a search must be done by. Shared by every copy of its DeadlineSource (one per shard, one per
// place in the query), all in the search's own thread; `passed` stays set once one of them saw it.
struct Deadline {
  std::chrono::steady_clock::time_point at;
  bool passed = false;
  bool over() {
    if (!passed && std::chrono::steady_clock::now() >= at) passed = true;
    return passed;
  }
};

// Matches every document until the deadline, then none. Xapian 1.4's Enquire::set_time_limit only
// stops counting between two matches, and a phrase or NEAR group looks for its next match inside one
// step of the match (a phrase of 999 common words checks every passage's positions before it returns:
// 34 s on the full UNGDC index). AND-ed into each positional operator, this source is asked about each
// candidate passage there, and ends the AND (and so the phrase and the match) once the deadline has
// passed. It adds no weight (under a zero scale factor) and claims every document, so Xapian's
// estimates are as without it; a match it ended is reported by the search as timed out.
class DeadlineSource : public Xapian::PostingSource {
 public:
  explicit DeadlineSource(std::shared_ptr<Deadline> deadline) : deadline_(std::move(deadline)) {}
  Xapian::PostingSource* clone() const override { return new DeadlineSource(deadline_); }
  void init(const Xapian::Database& db) override {
    last_ = db.get_lastdocid();
    documents_ = db.get_doccount();
    current_ = 0;
    ended_ = documents_ == 0;
    set_maxweight(0);
  }
  Xapian::doccount get_termfreq_min() const override { return documents_; }
  Xapian::doccount get_termfreq_est() const override { return documents_; }
  Xapian::doccount get_termfreq_max() const override { return documents_; }
  Xapian::docid get_docid() const override { return current_; }
  void next(double) override { move_to(current_ + 1); }
  void skip_to(Xapian::docid did, double) override {
    if (did > current_) move_to(did);
  }
  bool check(Xapian::docid did, double) override {
    if (did > current_) move_to(did);
    return true;
  }
  bool at_end() const override { return ended_; }
  std::string get_description() const override { return "quire's search deadline"; }

 private:
  void move_to(Xapian::docid did) {
    if (did > last_ || deadline_->over())
      ended_ = true;
    else
      current_ = did;
  }
  std::shared_ptr<Deadline> deadline_;
  Xapian::docid last_ = 0, current_ = 0;
  Xapian::doccount documents_ = 0;
  bool ended_ = true;
};

// `q` with `stop` (a DeadlineSource under a zero scale factor) AND-ed into every phrase and NEAR
// group, where Xapian 1.4 puts it in the same AND as the group's words (an AND gathers its subqueries'
// postings into one; OP_FILTER would not), and at the top. Operators with a parameter other than
// these are kept whole: QueryParser makes none with a phrase inside.
Xapian::Query bounded_part(const Xapian::Query& q, const Xapian::Query& stop) {
  switch (q.get_type()) {
    case Xapian::Query::OP_PHRASE:
    case Xapian::Query::OP_NEAR:
      return Xapian::Query(Xapian::Query::OP_AND, q, stop);
    case Xapian::Query::OP_SCALE_WEIGHT:
      return q.get_num_subqueries() == 0 ? q
                                         : Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                                                         bounded_part(q.get_subquery(0), stop), scale_factor(q));
    case Xapian::Query::OP_AND:
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_AND_NOT:
    case Xapian::Query::OP_XOR:
    case Xapian::Query::OP_AND_MAYBE:
    case Xapian::Query::OP_FILTER:
    case Xapian::Query::OP_SYNONYM:
    case Xapian::Query::OP_MAX: {
      std::vector<Xapian::Query> subs;
      for (std::size_t i = 0; i < q.get_num_subqueries(); ++i) subs.push_back(bounded_part(q.get_subquery(i), stop));
      return Xapian::Query(q.get_type(), subs.begin(), subs.end());
    }
    default:
      return q;
  }
}

Xapian::Query bounded(const Xapian::Query& q, const std::shared_ptr<Deadline>& deadline) {
  if (!deadline || q.empty()) return q;
  const Xapian::Query stop(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query((new DeadlineSource(deadline))->release()), 0);
  return Xapian::Query(Xapian::Query::OP_AND, bounded_part(q, stop), stop);
}

// Word positions a phrase or NEAR group may make the match check, at most: for each group, its words
// times the passages holding its rarest word (the candidates its AND yields). A wildcard or group
// inside counts as holding every passage.
double positional_cost(const Xapian::Query& q, const Xapian::Database& db) {
  const Xapian::Query::op op = q.get_type();
  if (op == Xapian::Query::OP_PHRASE || op == Xapian::Query::OP_NEAR) {
    double fewest = db.get_doccount();
    for (std::size_t i = 0; i < q.get_num_subqueries(); ++i) {
      const Xapian::Query sub = q.get_subquery(i);
      if (sub.get_type() == Xapian::Query::LEAF_TERM)
        fewest = std::min<double>(fewest, db.get_termfreq(*sub.get_terms_begin()));
    }
    return fewest * static_cast<double>(q.get_num_subqueries());
  }
  double sum = 0;
  for (std::size_t i = 0; i < q.get_num_subqueries(); ++i) sum += positional_cost(q.get_subquery(i), db);
  return sum;
}

// Word positions checked per second, at least: NEAR over 500 common words, the slowest kind, checked
// 2 million a second on 192 UNGDC speeches (4,542 passages, 1.2 s of CPU); phrases about ten times as many.
constexpr double kPositionsPerSecond = 2e6;

}  // namespace

struct Searcher::Impl {
  std::string dir;                 ///< what --db named (several joined by ", "), for messages
  std::vector<IndexShard> shards;  ///< every database searched, each on its own (for its metadata)
  Xapian::Database db;             ///< all of them as one (add_database)
  Xapian::QueryParser parser;
  Xapian::SimpleStopper stopper;
  Stemmer stemmer;
  StemCache stems{stemmer};  ///< the highlighter's memo of the stems of shown passages' words
  const Tagger* tagger;
  /// When the search running now must be done by (--timeout-ms, serve's time limit): the suggestion's
  /// counts are not run past it. Unset when the search has no bound.
  std::optional<std::chrono::steady_clock::time_point> deadline;
  /// The search's DeadlineSource state (null: no bound, or a tcp:// shard): counts for suggestions,
  /// feedback and explanations stop at it too.
  std::shared_ptr<Deadline> bound;
  const Tagger* base_tagger;  ///< the tagger given, before the index's catalogue people are added
  ActorField actor_field;
  ThemeField theme_field;
  SpeakerField speaker_field;
  DyadField dyad_field;
  ByField by_field;
  PublisherValueField publisher_field;
  std::vector<std::unique_ptr<ExtraField>> extra_fields;
  std::vector<Xapian::Query> field_weights;  ///< the fielded-text queries of the parse under way
  std::vector<std::unique_ptr<TextField>> text_fields;
  std::vector<std::string> like_excluded;  ///< like:ID's documents, taken out of the results
  std::unique_ptr<LikeField> like_field;
  Xapian::Stem stem{"english"};
  std::vector<std::string> field_names;       ///< fields() and the index's catalogue fields
  std::vector<std::string> filter_names;      ///< the boolean filters among them, whose values are not folded
  std::vector<std::string> text_field_names;  ///< title, author, publisher, quote
  YearsField published_field{fmt::kPrefixPublished, "published"};
  YearsField mentions_field{fmt::kPrefixMentioned, "mentions"};
  std::vector<std::unique_ptr<GuardedField>> guards;
  std::string field_error;                   ///< the first bad filter value met during a parse
  std::vector<Xapian::Query> group_queries;  ///< the parse under way's groups of filters (filter_groups())
  FilterGroupField group_field{group_queries};

  std::optional<Tagger> with_people;  ///< the tagger with the people of this index's catalogue

  explicit Impl(const Tagger* t)
      : tagger(t),
        base_tagger(t),
        actor_field(tagger, &db),
        theme_field(tagger, &db),
        speaker_field(tagger, &db),
        dyad_field(tagger, &db),
        by_field(tagger, &db),
        publisher_field(&db) {}

  bool reopen_all() {
    bool changed = db.reopen();
    for (auto& shard : shards) changed = shard.db.reopen() || changed;
    return changed;
  }

  Xapian::FieldProcessor& filter(const std::string& field) {
    if (field == "actor") return actor_field;
    if (field == "theme") return theme_field;
    if (field == "speaker") return speaker_field;
    if (field == "published") return published_field;
    if (field == "mentions") return mentions_field;
    if (field == "dyad") return dyad_field;
    if (field == "by") return by_field;
    if (field == "publisher") return publisher_field;  // SearchOptions::filters only, not the query syntax
    for (auto& e : extra_fields) {
      if (e->name() == field) return *e;
    }
    throw QueryError("unknown filter '" + message_value(field, 60) + "'");
  }

  /// `text` parsed, each bracketed group of filters a filter where it stands (filter_groups()): its
  /// groups are parsed first, innermost first, then the rest.
  Xapian::Query parse(const std::string& written, unsigned flags) {
    // Filters restrict the whole query (or their brackets), not one operand of AND, OR, NOT, XOR.
    const std::string text = filters_lifted(written, field_names);
    const FilterGroups split = filter_groups(text, field_names);
    group_queries.clear();
    for (const auto& g : split.groups) group_queries.push_back(parser.parse_query(g, kParseFlags));
    return parser.parse_query(split.query, flags);
  }

  std::string label(const std::string& facet, const std::string& value) const {
    if ((facet == "actor" || facet == "by") && tagger) {
      if (const Actor* a = tagger->gazetteer().find(value)) return a->name;
      if (facet == "by" && !value.empty() && value[0] == '~') return value.substr(1);
    } else if (facet == "theme" && tagger) {
      if (const Theme* t = tagger->themes().find(value)) return t->label;
    } else if (facet == "speaker") {
      if (tagger) {
        if (const Actor* a = tagger->gazetteer().find(value)) return a->name;
      }
      if (!value.empty() && value[0] == '~') {
        if (value.size() < 190) {
          for (const auto& shard : shards) {
            std::string written = shard.db.get_metadata(std::string(fmt::kKeySpeakerLabelPrefix) + value);
            if (!written.empty()) return written;
          }
        }
        std::string name = value.substr(1);
        std::replace(name.begin(), name.end(), '-', ' ');
        return name;
      }
    } else if (facet == "dyad") {
      const std::size_t slash = value.find('/');
      if (slash != std::string::npos)
        return label("actor", value.substr(0, slash)) + " / " + label("actor", value.substr(slash + 1));
    }
    return value;
  }

  struct Stored {
    DocumentMeta meta;
    std::map<std::string, int> actors, themes;
  };
  /// Document records read so far (metadata JSON parsed once per document, not once per hit), at most
  /// kMaxStoredDocuments of them.
  static constexpr std::size_t kMaxStoredDocuments = 20000;
  std::optional<std::size_t> documents;  ///< document records, counted once per snapshot

  std::size_t document_count() {
    if (!documents) documents = db.get_termfreq(std::string(fmt::kTermRecord));
    return *documents;
  }

  /// The stored data of document `id`'s record, "" when no shard holds it.
  std::string record(const std::string& id) {
    const std::string term = std::string(fmt::kPrefixRecordId) + id;
    Xapian::PostingIterator p = db.postlist_begin(term);
    if (p == db.postlist_end(term)) return "";
    return db.get_document(*p).get_data();
  }
  std::map<std::string, Stored> stored;

  const Stored& document(const std::string& id) {
    auto it = stored.find(id);
    if (it != stored.end()) return it->second;
    if (stored.size() >= kMaxStoredDocuments) stored.clear();  // a bound, not an LRU: records are cheap to reread
    const std::string json = record(id);
    Stored st;
    if (!json.empty()) {
      const nlohmann::json j = parse_json(json);
      st.meta = shown_meta(meta_from_json(j));
      if (auto t = j.find("tags"); t != j.end()) {
        st.actors = t->value("actors", std::map<std::string, int>{});
        st.themes = t->value("themes", std::map<std::string, int>{});
      }
    }
    if (st.meta.id.empty()) st.meta.id = id;
    return stored.emplace(id, std::move(st)).first->second;
  }

  /// `q` restricted by the filters given as options (SearchOptions::filters, document).
  Xapian::Query with_filters(Xapian::Query q, const SearchOptions& o) {
    const auto restrict = [&q](const Xapian::Query& f) {
      q = q.get_type() == Xapian::Query::LEAF_MATCH_ALL ? Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, f, 0)
                                                        : Xapian::Query(Xapian::Query::OP_FILTER, q, f);
    };
    for (const auto& [field, value] : o.filters) restrict(filter(field)(value));
    if (!o.document.empty()) restrict(Xapian::Query(std::string(fmt::kPrefixDocument) + o.document));
    return q;
  }

  /// How many results (documents, or passages in passage mode) the query string `text` has with the
  /// options' filters, counting at most `enough`; 0 when it is not a query quire can run.
  Xapian::doccount count_of(const std::string& text, const SearchOptions& o, Xapian::doccount enough) {
    Xapian::Query q;
    try {
      if (!check_query(text, field_names).empty()) return 0;
      field_error.clear();
      q = parse(text, kParseFlags);
    } catch (const Xapian::QueryParserError&) {
      return 0;
    }
    if (!field_error.empty() || q.empty()) return 0;
    // The search's time bound holds for the suggestion's counts too: none is run past it.
    double left_s = 0;
    if (deadline) {
      left_s = std::chrono::duration<double>(*deadline - std::chrono::steady_clock::now()).count();
      if (left_s <= 0) return 0;
    }
    Xapian::Enquire enquire(db);
    if (deadline) enquire.set_time_limit(left_s);
    // As search_once(): document records are no passages (a query of NOTs would count them).
    enquire.set_query(bounded(without_records(with_filters(stem_words(q, stem, &db), o)), bound));
    if (!o.passages) enquire.set_collapse_key(fmt::kSlotDocument, 1);
    return enquire.get_mset(0, enough, enough).get_matches_lower_bound();
  }

  /// How often the index holds `word` (its count in the spelling table: the body's, title's, author's
  /// and publisher's words), 0 when it does not.
  Xapian::doccount word_frequency(const std::string& word) {
    Xapian::TermIterator it = db.spellings_begin();
    it.skip_to(word);
    return it != db.spellings_end() && *it == word ? it.get_termfreq() : 0;
  }

  /// The word did you mean puts for `word` (lower-cased, as indexed), "" for none. A word the index
  /// does not hold becomes the most frequent word it holds within two edits (Xapian's spelling
  /// suggestion). A word it holds is kept (a name, a place, a rare word: "Nehru", "devil", "sulfur"),
  /// unless the index holds it at most kRareWord times, a typo of its texts, and holds a word one edit
  /// away kCommonerWord times as often ("peacefull", 2, beside "peaceful", 23,246 in UNGDC).
  static constexpr Xapian::doccount kRareWord = 3;
  static constexpr Xapian::doccount kCommonerWord = 1000;
  std::string corrected_word(const std::string& word) {
    const Xapian::doccount f = word_frequency(word);
    if (f == 0) {
      // A word the index holds elided ("ivoire" in d'Ivoire) is found as it is (stem_words()).
      for (const char* e : kElisions)
        if (word_frequency(e + word) > 0) return "";
      // The nearest word may itself be a rare typo of the texts ("peacefulll": "peacefull" before "peaceful").
      const std::string s = db.get_spelling_suggestion(word);
      const std::string better = s.empty() ? "" : corrected_word(s);
      return better.empty() ? s : better;
    }
    if (f > kRareWord) return "";
    const std::string near = db.get_spelling_suggestion(word, 1);
    return !near.empty() && word_frequency(near) >= kCommonerWord * f ? near : "";
  }

  /// `query` (folded, as search_once() parses it) with corrected_word() put for each word it has one
  /// for: words of the text and of the fielded text (title:, author:, publisher:, quote:), not field
  /// names, operators, wildcards, numbers or the values of filters. The other words stay as typed;
  /// "" when no word changes.
  std::string corrected_query(const std::string& query) {
    // The byte spans of filter values (by:PAK, speaker:"Kofi Annan", session:20), as fold_query() finds them.
    std::vector<std::pair<std::size_t, std::size_t>> kept;
    for (std::size_t i = 0; i < query.size(); ++i) {
      const bool word_start = i == 0 || query[i - 1] == ' ' || query[i - 1] == '(' ||
                              ((query[i - 1] == '+' || query[i - 1] == '-') && (i == 1 || query[i - 2] == ' '));
      if (!word_start) continue;
      const std::size_t colon = query.find(':', i);
      if (colon == std::string::npos) break;
      if (std::find(filter_names.begin(), filter_names.end(), query.substr(i, colon - i)) == filter_names.end())
        continue;
      std::size_t end = colon + 1;
      if (end < query.size() && query[end] == '"') {
        end = query.find('"', end + 1);
        end = end == std::string::npos ? query.size() : end + 1;
      } else if (end < query.size() && query[end] == '(') {
        int depth = 0;
        for (; end < query.size(); ++end) {
          if (query[end] == '(') ++depth;
          if (query[end] == ')' && --depth == 0) break;
        }
        end = std::min(end + 1, query.size());
      } else {
        end = std::min(query.find_first_of(" )", end), query.size());
      }
      kept.emplace_back(i, end);
      i = end - 1;
    }
    std::string out;
    std::size_t done = 0;
    bool changed = false;
    for (const Token& t : tokenize(query)) {
      if (std::any_of(kept.begin(), kept.end(),
                      [&](const auto& k) { return t.byte_begin < k.second && t.byte_end > k.first; }))
        continue;
      if (t.byte_end < query.size() && (query[t.byte_end] == ':' || query[t.byte_end] == '*')) continue;
      const std::string written = query.substr(t.byte_begin, t.byte_end - t.byte_begin);
      if (written == "AND" || written == "OR" || written == "NOT" || written == "XOR" || written == "NEAR" ||
          written == "ADJ")
        continue;
      if (!t.stemmable || std::any_of(t.term.begin(), t.term.end(), [](char c) { return c >= '0' && c <= '9'; }))
        continue;
      // A part of a URL, an e-mail address or an id (www.un.org/kashmir, a@b.org, doc_12) is not a word
      // to correct: "org" would become "or" (rt11j row 13).
      std::size_t cb = t.byte_begin, ce = t.byte_end;
      while (cb > 0 && query[cb - 1] != ' ') --cb;
      while (ce < query.size() && query[ce] != ' ') ++ce;
      const std::string chunk = query.substr(cb, ce - cb);
      bool url_like = chunk.find_first_of("/@_\\") != std::string::npos;
      for (std::size_t k = 1; !url_like && k + 1 < chunk.size(); ++k)
        url_like = chunk[k] == '.' && std::isalnum(static_cast<unsigned char>(chunk[k - 1])) &&
                   std::isalpha(static_cast<unsigned char>(chunk[k + 1]));
      if (url_like) continue;
      const std::string fix = corrected_word(t.term);
      if (fix.empty() || fix == t.term) continue;
      // Never a stop word, nor a word of under three letters, for a word typed.
      if (stopper(fix) || fix.size() < 3) continue;
      out += query.substr(done, t.byte_begin - done) + fix;
      done = t.byte_end;
      changed = true;
    }
    return changed ? out + query.substr(done) : "";
  }

  /// `query` with the words of its phrases in their other spelling (British or American: sulphur,
  /// civilizations) where the index holds that spelling more often; "" when none has one.
  std::string respelt_phrases(const std::string& query) {
    // Each pair both ways, one change per word.
    static const std::pair<const char*, const char*> kVariants[] = {
        {"isation", "ization"}, {"ise", "ize"}, {"yse", "yze"}, {"our", "or"}, {"ph", "f"}, {"tre", "ter"},
        {"ence", "ense"},       {"ogue", "og"}, {"ae", "e"},    {"oe", "e"},   {"ll", "l"}};
    std::string out;
    std::size_t done = 0;
    bool changed = false;
    for (std::size_t open = query.find('"'); open != std::string::npos;) {
      const std::size_t close = query.find('"', open + 1);
      if (close == std::string::npos) break;
      const std::string inner = query.substr(open + 1, close - open - 1);
      for (const Token& t : tokenize(inner)) {
        const std::string& w = t.term;
        Xapian::doccount best_f = word_frequency(w);
        std::string best;
        for (const auto& [a, b] : kVariants) {
          for (const auto& [from, to] :
               {std::pair(std::string(a), std::string(b)), std::pair(std::string(b), std::string(a))}) {
            for (std::size_t at = w.find(from); at != std::string::npos; at = w.find(from, at + 1)) {
              const std::string v = w.substr(0, at) + to + w.substr(at + from.size());
              if (const Xapian::doccount f = word_frequency(v); f > best_f) {
                best_f = f;
                best = v;
              }
            }
          }
        }
        if (best.empty()) continue;
        const std::size_t b = open + 1 + t.byte_begin;
        out += query.substr(done, b - done) + best;
        done = open + 1 + t.byte_end;
        changed = true;
      }
      open = query.find('"', close + 1);
    }
    return changed ? out + query.substr(done) : "";
  }

  /// SearchResults::suggestion for `query`, which has `total` results: the query with its misspelt
  /// words corrected (corrected_query()), when that finds something; for a phrase with no match, its
  /// words in their other spelling, or near each other. Each is offered only when it finds results,
  /// whatever `total` is and whether it was counted or estimated.
  std::string suggest(const std::string& query, std::size_t total, const SearchOptions& o) {
    const std::string corrected = corrected_query(query);
    if (!corrected.empty()) {
      if (count_of(corrected, o, 1) > 0) return corrected;
      // A word corrected to a name the fields hold ("bhuto": "bhutto", an author): that field.
      const std::vector<std::string> was = split_spaces(query), now = split_spaces(corrected);
      if (was.size() == now.size()) {
        for (const auto& f : kFields) {
          if (f.prefix == fmt::kPrefixQuote) continue;
          std::string fielded;
          for (std::size_t i = 0; i < now.size(); ++i) {
            const bool fix = now[i] != was[i] && now[i].find(':') == std::string::npos &&
                             now[i].find('"') == std::string::npos && now[i].find('(') == std::string::npos;
            fielded += (i ? " " : "") + (fix ? std::string(f.name) + ":" + now[i] : now[i]);
          }
          if (fielded != corrected && count_of(fielded, o, 1) > 0) return fielded;
        }
      }
    }
    if (total > 0 || query.find('"') == std::string::npos) return "";
    if (deadline && std::chrono::steady_clock::now() >= *deadline) return "";
    // A word's other spelling before its nearest word: "sulfur" is sulphur before it is suffer.
    for (const std::string& respelt : {respelt_phrases(query), corrected.empty() ? "" : respelt_phrases(corrected)})
      if (!respelt.empty() && count_of(respelt, o, 1) > 0) return respelt;
    const std::string looser = phrases_loosened(corrected.empty() ? query : corrected);
    if (!looser.empty() && count_of(looser, o, 1) > 0) return looser;
    return "";
  }

  void fill(SearchHit& hit, const std::string& id) {
    const Stored& st = document(id);
    hit.meta = st.meta;
    hit.document_actors = st.actors;
    hit.document_themes = st.themes;
  }
};

const std::vector<std::string>& Searcher::fields() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const auto& f : kFields) v.emplace_back(f.name);
    for (const char* f : kFilterFields) v.emplace_back(f);
    return v;
  }();
  return names;
}

const std::vector<std::string>& Searcher::facet_names() {
  static const std::vector<std::string> names(std::begin(kFacets), std::end(kFacets));
  return names;
}

namespace {
// Xapian's remote backend does not tell a database's revision: 0 for a remote shard.
std::uint64_t shard_revision(const IndexShard& shard) {
  try {
    return shard.db.get_revision();
  } catch (const Xapian::UnimplementedError&) {
    return 0;
  }
}

void check_shard(const std::string& name, const Xapian::Database& db) {
  const std::string version = db.get_metadata(std::string(fmt::kKeyFormat));
  if (version != std::to_string(fmt::kFormatVersion))
    throw IndexError(version.empty() ? name + " is not a quire index"
                                     : "index " + name + " has format version " + message_value(version) +
                                           "; this quire reads version " + std::to_string(fmt::kFormatVersion) +
                                           " (run 'quire index --rebuild PATH...')");
}
}  // namespace

Searcher::Searcher(const std::string& dir, const Tagger* tagger) : Searcher(std::vector<std::string>{dir}, tagger) {}

Searcher::Searcher(const std::vector<std::string>& dbs, const Tagger* tagger) : impl_(std::make_unique<Impl>(tagger)) {
  if (dbs.empty()) throw IndexError("no index to search (give --db)");
  for (const auto& d : dbs) impl_->dir += (impl_->dir.empty() ? "" : ", ") + d;
  const IndexReadGuard guard(impl_->dir);
  for (const auto& d : dbs)
    for (auto& shard : open_index_shards(d)) impl_->shards.push_back(std::move(shard));
  // The same database twice would count every passage twice (totals, facets, IDF): refused, naming both
  // (a folder by its device and inode, so a link or "idx/." is the same folder; a remote one by address).
  for (std::size_t i = 0; i < impl_->shards.size(); ++i)
    for (std::size_t j = 0; j < i; ++j) {
      const IndexShard &a = impl_->shards[j], &b = impl_->shards[i];
      const bool same = a.remote || b.remote
                            ? a.remote && b.remote && a.name == b.name
                            : a.folder_ino != 0 && a.folder_dev == b.folder_dev && a.folder_ino == b.folder_ino;
      if (same)
        throw IndexError("the same index is given twice: " + a.name + " and " + b.name +
                         (a.name == b.name ? "" : " are one folder") + "; give each index once");
    }
  for (const auto& shard : impl_->shards) impl_->db.add_database(shard.db);
  std::string name;
  try {
    for (const auto& shard : impl_->shards) {
      name = shard.name;
      check_shard(shard.name, shard.db);
    }
    name = impl_->dir;
    open_checks();
  } catch (const IndexError&) {
    throw;
  } catch (...) {
    throw index_error(name, std::current_exception());
  }
}

void Searcher::open_checks() {
  const std::string& dir = impl_->dir;
  // The people of every shard's catalogue (each shard keeps those of its own documents).
  std::vector<CataloguePerson> list;
  for (const auto& shard : impl_->shards) {
    const std::string people = shard.db.get_metadata(std::string(fmt::kKeyPeople));
    if (people.empty()) continue;
    const auto j = parse_json(people);
    if (!j.is_array()) continue;
    for (const auto& p : j) {
      if (!p.is_object()) continue;
      list.push_back({p.value("name", std::string()), p.value("affiliation", std::string()), p.value("from", 0),
                      p.value("to", 0)});
    }
  }
  if (!list.empty() && impl_->base_tagger) {
    impl_->with_people.emplace(impl_->base_tagger->with_people(list));
    impl_->tagger = &*impl_->with_people;
  }
  for (const char* w : kStopWords) impl_->stopper.add(w);
  Xapian::QueryParser& qp = impl_->parser;
  qp.set_database(impl_->db);
  qp.set_stemmer(Xapian::Stem("english"));
  // Words come unstemmed and are stemmed by stem_words(), whatever their capitals.
  qp.set_stemming_strategy(Xapian::QueryParser::STEM_NONE);
  qp.set_stopper(&impl_->stopper);
  qp.set_default_op(Xapian::Query::OP_OR);
  // Filters: each its own group, so two of them must both hold (actor:china actor:pakistan).
  const std::string own_group;
  for (const auto& f : kFields) {
    impl_->text_fields.push_back(
        std::make_unique<TextField>(f.name, f.prefix, &impl_->db, &impl_->stopper, impl_->field_weights));
    impl_->guards.push_back(std::make_unique<GuardedField>(*impl_->text_fields.back(), impl_->field_error));
    qp.add_boolean_prefix(f.name, impl_->guards.back().get(), &own_group);
    impl_->text_field_names.emplace_back(f.name);
  }
  for (const char* f : kFilterFields) {
    impl_->guards.push_back(std::make_unique<GuardedField>(impl_->filter(f), impl_->field_error));
    qp.add_boolean_prefix(f, impl_->guards.back().get(), &own_group);
  }
  impl_->field_names = fields();
  impl_->filter_names.assign(std::begin(kFilterFields), std::end(kFilterFields));
  impl_->like_field = std::make_unique<LikeField>(&impl_->db, impl_->like_excluded, impl_->field_weights);
  impl_->guards.push_back(std::make_unique<GuardedField>(*impl_->like_field, impl_->field_error));
  qp.add_boolean_prefix("like", impl_->guards.back().get(), &own_group);
  impl_->field_names.emplace_back("like");
  impl_->filter_names.emplace_back("like");
  impl_->guards.push_back(std::make_unique<GuardedField>(impl_->group_field, impl_->field_error));
  qp.add_boolean_prefix(kFilterGroupField, impl_->guards.back().get(), &own_group);
  // Read once per open index, from every shard; bounded, so a hostile list cannot make every search slow.
  std::string extra_names;
  for (const auto& shard : impl_->shards)
    extra_names += shard.db.get_metadata(std::string(fmt::kKeyExtraFields)) + "\n";
  std::istringstream extra(extra_names);
  std::set<std::string> seen(impl_->field_names.begin(), impl_->field_names.end());
  for (std::string name; std::getline(extra, name);) {
    if (name.empty() || !seen.insert(name).second) continue;
    if (impl_->extra_fields.size() >= fmt::kMaxCatalogueFields)
      throw IndexError("index " + dir + " names more than " + std::to_string(fmt::kMaxCatalogueFields) +
                       " catalogue fields (" + std::string(fmt::kKeyExtraFields) +
                       "); quire reads no more: it is not an index quire wrote from a metadata map");
    impl_->extra_fields.push_back(std::make_unique<ExtraField>(name, &impl_->db));
    impl_->guards.push_back(std::make_unique<GuardedField>(*impl_->extra_fields.back(), impl_->field_error));
    qp.add_boolean_prefix(name, impl_->guards.back().get(), &own_group);
    impl_->field_names.push_back(name);
    impl_->filter_names.push_back(name);
  }
}

Searcher::~Searcher() = default;

void check_query_bytes(const std::string& query, std::size_t max_bytes) {
  if (query.size() > max_bytes)
    throw QueryError("the query is " + std::to_string(query.size()) + " bytes long; the limit is " +
                     std::to_string(max_bytes) + " (--max-query-bytes)");
}

SearchResults Searcher::search(const std::string& raw_query, const SearchOptions& o) {
  // A writer that commits twice while a search reads makes Xapian throw DatabaseModifiedError: the
  // search reopens the index at its newest revision and runs again, a few times at most.
  constexpr int kAttempts = 5;
  const IndexReadGuard guard(impl_->dir);
  for (int attempt = 1;; ++attempt) {
    try {
      return search_once(raw_query, o);
    } catch (const Xapian::DatabaseModifiedError& e) {
      if (attempt == kAttempts)
        throw IndexError("the index changed " + std::to_string(kAttempts) +
                         " times while this search read it; try again (" + e.get_msg() + ")");
      // Xapian says so also when a table is damaged: then there is no newer revision to reopen.
      bool reopened = false;
      try {
        reopened = impl_->reopen_all();
      } catch (const Xapian::DatabaseModifiedError&) {
        reopened = true;  // a commit during the reopen itself: read again, while attempts are left
      } catch (...) {
        throw index_error(impl_->dir, std::current_exception());
      }
      if (!reopened) throw damaged_index_error(impl_->dir, e.get_description() + ", though no other revision exists");
      impl_->stored.clear();
      impl_->documents.reset();
    } catch (const QueryError&) {
      throw;
    } catch (const IndexError&) {
      throw;
    } catch (...) {  // Xapian's errors, and records that are not what quire writes
      throw index_error(impl_->dir, std::current_exception());
    }
  }
}

namespace {

// Matches checked before a query of positions is estimated (search_once()). On the full UNGDC (376,409
// passages) 2,000 left "nuclear weapons" at 1,844 documents of 3,808 and an OR of three common phrases
// at 900 of 10,937; 20,000 gives 4,000 and 8,000, the same on page 21, for at most 0.7 s more (the
// OR; a single phrase costs no more). The cost is bounded by the sample, not by the index's size.
constexpr Xapian::doccount kPositionalSample = 20000;

// Matches checked before a query of AND or filters stops (search_once()): every count up to it is exact,
// and a larger one is shown as the lower bound it is. See the README ("at least") for what it costs.
constexpr Xapian::doccount kConjunctiveSample = 20000;

// More wildcards than any person types in one query.
constexpr std::size_t kMaxWildcards = 10;

// The words of `query` that Xapian's parser takes as wildcards: a '*' right after a word character.
std::size_t count_wildcards(const std::string& query) {
  std::size_t n = 0;
  for (std::size_t i = 1; i < query.size(); ++i) {
    const auto c = static_cast<unsigned char>(query[i - 1]);
    if (query[i] == '*' && (std::isalnum(c) || c >= 0x80)) ++n;
  }
  return n;
}

}  // namespace

bool counting_cut(const MatchCounts& m) {
  if (m.limit_ms <= 0 || m.elapsed_ms < m.limit_ms) return false;
  if (m.lower != m.upper || m.uncollapsed_lower != m.uncollapsed_upper) return true;
  return m.spied && *m.spied < m.uncollapsed_lower;
}

SearchResults Searcher::search_once(const std::string& raw_query, const SearchOptions& o) {
  SearchResults res;
  res.query = raw_query;
  res.filters = o.filters;
  res.passage_mode = o.passages;
  res.offset = o.offset;
  // One bound on the search, from --timeout-ms or the caller's time_limit_seconds (quire serve), from
  // now: every match below stops at it (DeadlineSource), and Xapian's own time limit stops exact
  // counting a quarter earlier, so that a match Xapian can prune still finishes with the best results.
  double limit_ms = o.time_limit_seconds * 1000;
  if (o.timeout_ms > 0 && (limit_ms <= 0 || o.timeout_ms < limit_ms)) limit_ms = o.timeout_ms;
  const auto started = std::chrono::steady_clock::now();
  Impl& im = *impl_;
  im.deadline.reset();
  const bool remote = std::any_of(im.shards.begin(), im.shards.end(), [](const IndexShard& s) { return s.remote; });
  std::shared_ptr<Deadline> deadline;
  if (limit_ms > 0) {
    im.deadline = started + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                std::chrono::duration<double, std::milli>(limit_ms));
    // A tcp:// shard's server runs the query as it is: it knows no source of quire's (the cost rule
    // below holds for it instead).
    if (!remote) deadline = std::make_shared<Deadline>(Deadline{*im.deadline});
  }
  im.bound = deadline;
  check_query_bytes(raw_query, o.max_query_bytes);
  // A control character in a field's value would become a space (normalise_query()), leaving the field
  // with no value or half of one: it is named instead. Capitalised field names read as the fields.
  if (!o.plain) {
    if (std::string problem = field_control_problem(raw_query, impl_->field_names); !problem.empty())
      throw QueryError(problem);
  }
  if (std::string problem = word_control_problem(raw_query); !problem.empty()) throw QueryError(problem);
  const std::string normal = normalise_query(raw_query);
  const std::string query =
      quote_field_groups(fold_query(o.plain ? normal : fold_field_names(normal, impl_->field_names),
                                    impl_->filter_names),
                         impl_->text_field_names);
  if (const std::size_t words = tokenize(query).size(); words > o.max_query_terms)
    throw QueryError("the query has " + std::to_string(words) + " words; the limit is " +
                     std::to_string(o.max_query_terms) + " (--max-query-terms)");
  // Each wildcard is a scan of the term list and an OR of up to --max-wildcard terms, done before the
  // time limit starts: a query of many wildcards (`a* a* a* ...`) would keep a core busy for minutes.
  if (const std::size_t wildcards = count_wildcards(query); wildcards > kMaxWildcards)
    throw QueryError("the query has " + std::to_string(wildcards) + " wildcards; the limit is " +
                     std::to_string(kMaxWildcards));
  const bool match_all = query.find_first_not_of(' ') == std::string::npos &&
                         (!o.filters.empty() || !o.facets.empty() || !o.document.empty());
  if (!match_all && !o.plain) {
    if (std::string problem = check_query(query, impl_->field_names); !problem.empty()) throw QueryError(problem);
  }

  // A query of its own that matches everything, not a copy of Xapian::Query::MatchAll: that one is a
  // static whose reference count Xapian changes without atomics, so searches in two threads (batch,
  // serve) copying and dropping it at once freed it under each other (AddressSanitizer, use after free).
  Xapian::Query parsed{std::string()};
  bool conjunction = false;  // the query joins parts with AND or a filter (conjunctive())
  if (!match_all && o.plain) {
    const Xapian::Stem stem("english");
    parsed = plain_query(query, stem, im.stopper, "", o.ranking.drop_request_words);
    if (o.ranking.title_weight > 0 && !parsed.empty())
      parsed = Xapian::Query(Xapian::Query::OP_OR, parsed,
                             Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                                           plain_query(query, stem, im.stopper, std::string(fmt::kPrefixTitle),
                                                       o.ranking.drop_request_words),
                                           o.ranking.title_weight));
    if (parsed.empty()) throw QueryError("the query has no searchable words (only stop words or punctuation?)");
  } else if (!match_all) {
    try {
      im.parser.set_max_expansion(o.max_wildcard_expansion, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
      im.field_error.clear();
      im.field_weights.clear();
      im.like_excluded.clear();
      parsed = im.parse(query, kParseFlags);
    } catch (const Xapian::QueryParserError& e) {
      throw QueryError("cannot parse query: " + e.get_msg());
    }
    if (!im.field_error.empty()) throw QueryError(im.field_error);
    if (parsed.empty()) throw QueryError("the query has no searchable words (only stop words or punctuation?)");
    parsed = stem_words(parsed, im.stem, &im.db);
    conjunction = conjunctive(parsed);  // before like:'s exclusion of its own document
    if (!im.like_excluded.empty())  // more like this, not this
      parsed = Xapian::Query(Xapian::Query::OP_AND_NOT, parsed,
                             Xapian::Query(Xapian::Query::OP_OR, im.like_excluded.begin(), im.like_excluded.end()));
    // The fields filtered; their words rank too (a boolean filter alone adds no weight).
    if (!im.field_weights.empty())
      parsed = Xapian::Query(Xapian::Query::OP_AND_MAYBE, parsed,
                             Xapian::Query(Xapian::Query::OP_OR, im.field_weights.begin(), im.field_weights.end()));
  }
  parsed = im.with_filters(parsed, o);
  conjunction = conjunction || !o.filters.empty();
  HighlightQuery hq;
  collect(parsed, hq);
  // Document records are no passages: a query of filters only, or of NOTs, would match them.
  parsed = without_records(parsed);
  // A tcp:// shard cannot be stopped at the time limit: a query whose phrases and NEAR groups would
  // check more word positions than can be checked in it is refused before it is sent.
  if (remote && limit_ms > 0) {
    const double cost = positional_cost(parsed, im.db), budget = kPositionsPerSecond * limit_ms / 1000;
    if (cost > budget)
      throw QueryError("the query's phrases and NEAR groups would check up to " + std::to_string(std::llround(cost)) +
                       " word positions, more than fit in the time limit of " + std::to_string(std::llround(limit_ms)) +
                       " ms on an index with tcp:// shards (which cannot be stopped at it): use fewer or rarer words "
                       "in them");
  }

  const Xapian::doccount all = im.db.get_doccount();
  Xapian::Enquire enquire(im.db);
  if (o.order == SearchOptions::Order::in_document)
    enquire.set_sort_by_value(fmt::kSlotParagraph, false);
  else if (o.order != SearchOptions::Order::relevance)
    enquire.set_sort_by_value_then_relevance(fmt::kSlotDate, o.order == SearchOptions::Order::newest);
  else  // equal scores in document id order, so that one index and any set of shards rank alike
    enquire.set_sort_by_relevance_then_value(fmt::kSlotDocument, false);
  // What a score is: searcher/ranking.cc. The query's words are scaled to quire's BM25 (the query
  // without those factors is kept for --explain, whose parts are scaled alike).
  const PassageStats stats = passage_stats(im.db);
  enquire.set_weighting_scheme(*make_weighting(o.ranking, stats));
  enquire.set_query(bounded(with_passage_idf(parsed, im.db, o.ranking, stats), deadline));
  if (o.ranking.feedback_documents > 0 && !match_all) {
    try {
      parsed = with_feedback(enquire, parsed, o.ranking);
    } catch (const Xapian::DatabaseError&) {
      throw;  // search() reopens and retries, or reports the index damaged
    } catch (const Xapian::DocNotFoundError&) {
      throw;  // a posting list naming a document that is not there: damage (index_error())
    } catch (const Xapian::SerialisationError&) {
      throw;
    } catch (const Xapian::Error& e) {
      throw QueryError("query failed: " + e.get_description());
    }
    enquire.set_query(bounded(with_passage_idf(parsed, im.db, o.ranking, stats), deadline));
  }
  // Exact counts need every match visited; otherwise Xapian stops once the results shown are certain
  // (max-weight pruning) and estimates the total.
  const bool exact = o.exact || !o.facets.empty();
  // Each facet's counts: Xapian's own ValueCountMatchSpy on its slot (the one spy a stock xapian-tcpsrv
  // runs), one per slot; the catalogue fields share kSlotExtra, each keeping the values of its "name=".
  std::map<unsigned, std::unique_ptr<Xapian::ValueCountMatchSpy>> spies;
  std::vector<std::pair<unsigned, std::string>> facet_source;  // per facet: slot, value prefix
  // Xapian 1.4.22 counts some passages twice when spies run over two or more remote shards, results are
  // not collapsed (passages) and sorted by relevance then value: a remote passage that sorts below a
  // full page is given to the local spy as well as counted by its server (multimatch.cc's shortcut for
  // such items lacks the is_remote check of its main path). Then the facets get a match of their own,
  // by relevance alone (the checked path), asking for no results: exact counts, one more round trip.
  const bool spy_apart = o.passages && !o.facets.empty() &&
                         std::any_of(im.shards.begin(), im.shards.end(), [](const IndexShard& s) { return s.remote; });
  Xapian::Enquire facet_enquire(im.db);
  facet_enquire.set_query(bounded(parsed, deadline));
  for (const auto& facet : o.facets) {
    const bool catalogue = std::find_if(im.extra_fields.begin(), im.extra_fields.end(),
                                        [&](const auto& e) { return e->name() == facet; }) != im.extra_fields.end();
    const unsigned slot = catalogue ? fmt::kSlotExtra : facet_slot(facet);
    facet_source.emplace_back(slot, catalogue ? fmt::extra_term(facet, "").substr(fmt::kPrefixExtra.size()) : "");
    if (!spies.count(slot)) {
      spies[slot] = std::make_unique<Xapian::ValueCountMatchSpy>(slot);
      (spy_apart ? facet_enquire : enquire).add_matchspy(spies[slot].get());
    }
  }
  // Documents are ranked by their best passage: collapsing to one passage per document gives the ranking
  // and Xapian's count of documents. Their other passages are fetched afterwards, for the shown ones only.
  const std::size_t fetch = o.offset + o.limit;
  if (!o.passages) enquire.set_collapse_key(fmt::kSlotDocument, 1);
  // Xapian's time limit counts from the match's start: what is left of the soft bound then.
  const double counting_ms =
      limit_ms * (deadline ? 0.75 : 1) -
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  if (limit_ms > 0) enquire.set_time_limit(std::max(counting_ms, 1.0) / 1000);
  if (limit_ms > 0) facet_enquire.set_time_limit(std::max(counting_ms, 1.0) / 1000);
  const auto run_on = [&](Xapian::Enquire& en, Xapian::doccount first, std::size_t count, Xapian::doccount check) {
    try {
      return en.get_mset(first, static_cast<Xapian::doccount>(count), check);
    } catch (const Xapian::DatabaseError&) {
      throw;  // search() reopens and retries, or reports the index damaged
    } catch (const Xapian::DocNotFoundError&) {
      throw;  // a posting list naming a document that is not there: damage (index_error())
    } catch (const Xapian::SerialisationError&) {
      throw;
    } catch (const Xapian::Error& e) {
      throw QueryError("query failed: " + e.get_description());
    }
  };
  const auto run = [&](Xapian::doccount first, std::size_t count, Xapian::doccount check) {
    return run_on(enquire, first, count, check);
  };
  // Without --exact Xapian checks matches until the page is certain and estimates the rest. A query of
  // positions is estimated from the share of the matches checked that hold the words in place, so it
  // checks at least kPositionalSample of them, the same on every page until paging passes them.
  // With proximity on, the best proximity_depth results (or more, to reach the page asked for) are
  // fetched and re-ranked (searcher/ranking.cc), and the page is cut from them.
  const bool rerank = o.ranking.proximity > 0 && !match_all && o.order == SearchOptions::Order::relevance &&
                      o.offset < o.ranking.proximity_depth;
  const std::size_t depth = std::max<std::size_t>(o.ranking.proximity_depth, fetch);
  // A query of AND or filters is counted up to kConjunctiveSample matches, so that a count up to there
  // is exact; past it, Xapian's estimate of it is no estimate (see conjunctive()): the count of the
  // matches checked is shown, as a lower bound ("at least").
  const Xapian::doccount sample = positional(parsed) ? kPositionalSample
                                  : conjunction      ? kConjunctiveSample
                                                     : Xapian::doccount{0};
  const Xapian::doccount check = exact ? all : std::max(static_cast<Xapian::doccount>(rerank ? depth : fetch), sample);
  // Documents collapsed, Xapian's bounds stay apart even when it checked every passage (36 and 88 for
  // "kashmir AND india" on two UNGDC sessions): a count of the passages it checked tells. Not on a
  // tcp:// shard, whose server knows no spy of quire's.
  CheckedCount checked;
  const bool count_checked = !o.passages && !exact && !remote;
  if (count_checked) enquire.add_matchspy(&checked);
  const Xapian::MSet mset =
      rerank ? run(0, depth, check) : run(static_cast<Xapian::doccount>(o.offset), o.limit, check);
  // Xapian's time limit stops checking too: a count it may have cut tells nothing.
  const bool within_time_limit =
      limit_ms <= 0 ||
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count() < counting_ms;
  if (spy_apart) run_on(facet_enquire, 0, 0, all);
  // The results of the page asked for, in order, with their scores; the proximity bonus in each.
  std::vector<std::pair<Xapian::MSetIterator, double>> shown;
  std::map<Xapian::docid, double> bonus_of;
  if (rerank) {
    std::vector<Ranked> top;
    std::map<Xapian::docid, Xapian::MSetIterator> at;
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      top.push_back({*it, it.get_weight()});
      at.emplace(*it, it);
    }
    const std::size_t n = std::min<std::size_t>(top.size(), o.ranking.proximity_depth);
    std::vector<Ranked> head(top.begin(), top.begin() + static_cast<std::ptrdiff_t>(n));
    rerank_by_proximity(im.db, parsed, o.ranking, head);
    std::copy(head.begin(), head.end(), top.begin());
    for (std::size_t i = o.offset; i < top.size() && i < fetch; ++i) {
      shown.emplace_back(at.at(top[i].passage), top[i].score);
      bonus_of[top[i].passage] = top[i].bonus;
    }
  } else {
    for (auto it = mset.begin(); it != mset.end(); ++it) shown.emplace_back(it, it.get_weight());
  }
  if (exact && limit_ms > 0) {
    MatchCounts m;
    m.elapsed_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    // Xapian's own limit stops counting a quarter before the deadline (above).
    m.limit_ms = limit_ms * (deadline ? 0.75 : 1);
    m.lower = mset.get_matches_lower_bound();
    m.upper = mset.get_matches_upper_bound();
    m.uncollapsed_lower = mset.get_uncollapsed_matches_lower_bound();
    m.uncollapsed_upper = mset.get_uncollapsed_matches_upper_bound();
    if (!spies.empty()) m.spied = spies.begin()->second->get_total();
    res.timed_out = counting_cut(m);
  }
  // The deadline ended the match: what was found by then, with counts that are lower bounds.
  if (deadline && deadline->passed) res.timed_out = true;
  res.time_limited = res.timed_out;
  // A later match (explanations, a document's other passages, a suggestion's count) that the deadline
  // stopped leaves the answer incomplete too.
  const auto note_deadline = [&] {
    if (!deadline || !deadline->passed) return;
    res.timed_out = res.time_limited = true;
    res.total_exact = false;
  };
  // Xapian's bounds meet when it counted every match (a small result set counts exactly anyway).
  const Xapian::doccount lower = mset.get_matches_lower_bound(), upper = mset.get_matches_upper_bound();
  // Every passage checked (fewer than asked for): the documents the collapse kept are the count.
  const bool every_match =
      count_checked && checked.count() < check && within_time_limit && !(deadline && deadline->passed);
  res.total_exact = !res.timed_out && (exact || lower == upper || every_match);
  if (o.passages) {
    res.total = res.total_exact ? lower : mset.get_matches_estimated();
  } else if (res.total_exact) {
    res.total = lower;  // with every match checked, the documents the collapse kept: one per document
  } else {
    // Xapian's estimate of a collapsed count can pass the number of documents (7,000 of 2,000 for
    // "human rights"), so it is capped by a second estimate from its passage estimate P: if P of the N
    // passages matched, spread evenly over D documents of N/D passages, a document has one with
    // probability 1 - (1 - P/N)^(N/D). Both stay within Xapian's bounds.
    const double n = all, d = static_cast<double>(im.document_count());
    const double p = std::min(1.0, mset.get_uncollapsed_matches_estimated() / std::max(1.0, n));
    double docs = mset.get_matches_estimated();
    if (d > 0) docs = std::min(docs, d * (1 - std::pow(1 - p, n / d)));
    res.total = static_cast<std::size_t>(
        std::llround(std::clamp(docs, static_cast<double>(lower), static_cast<double>(std::max(lower, upper)))));
  }
  if (!res.total_exact && conjunction && !res.timed_out) {
    res.total = lower;
    res.total_lower_bound = true;
  }
  // An estimate is never more than the index holds: its passages, or its documents but like:'s own.
  if (!res.total_exact && !res.total_lower_bound) {
    const std::size_t records = im.document_count();
    const std::size_t most =
        o.passages ? all - std::min<std::size_t>(all, records) : records - std::min(records, im.like_excluded.size());
    res.total = std::max<std::size_t>(lower, std::min(res.total, most));
  }

  const auto passage_of = [&](const Xapian::MSetIterator& it) {
    const nlohmann::json data = parse_json(it.get_document().get_data());
    PassageHit p;
    p.number = data.value(fmt::kDataPassage, 0);
    p.paragraph = data.value(fmt::kDataParagraph, 0);
    p.section = data.value(fmt::kDataSection, "");
    p.page = data.value(fmt::kDataPage, 0);
    p.page_label = data.value(fmt::kDataPageLabel, "");
    p.page_end = data.value(fmt::kDataPageEnd, p.page);
    p.page_label_end = data.value(fmt::kDataPageLabelEnd, p.page_label);
    p.score = it.get_weight();
    if (!o.passage_text) return std::make_pair(data.value(fmt::kDataDocument, ""), std::move(p));
    p.text = data.value(fmt::kDataText, "");
    p.highlights = highlight(p.text, hq, im.stems);
    if (auto a = data.find(fmt::kDataActors); a != data.end()) {
      std::set<std::string> ids;
      for (const auto& m : *a) ids.insert(m.at(0).get<std::string>());
      p.actors.assign(ids.begin(), ids.end());
    }
    if (auto t = data.find(fmt::kDataThemes); t != data.end()) p.themes = t->get<std::vector<std::string>>();
    if (auto y = data.find(fmt::kDataYears); y != data.end()) p.years = y->get<std::vector<int>>();
    if (auto qs = data.find(fmt::kDataQuotes); qs != data.end()) {
      for (const auto& jq : *qs) {
        QuoteHit q;
        q.cp_begin = jq.value("b", 0u);
        q.cp_end = jq.value("e", 0u);
        q.speaker = jq.value("s", "");
        q.speaker_name = jq.value("n", "");
        q.scare = jq.value("scare", false);
        p.quotes.push_back(std::move(q));
      }
    }
    return std::make_pair(data.value(fmt::kDataDocument, ""), std::move(p));
  };

  // Facet values, most documents first, at most facet_limit each.
  const auto fill_facets = [&]() {
    for (std::size_t i = 0; i < o.facets.size(); ++i) {
      FacetCounts counts;
      add_counts(*spies.at(facet_source[i].first), facet_source[i].second, counts);
      std::vector<FacetValue> values;
      const bool catalogue = facet_source[i].first == fmt::kSlotExtra;
      for (const auto& [value, count] : counts) {
        // A catalogue field keeps its values lower-cased: shown as one document wrote it.
        std::string label = catalogue && !count.documents.empty()
                                ? written_extra(im.document(*count.documents.begin()).meta, o.facets[i], value)
                                : im.label(o.facets[i], value);
        values.push_back({value, std::move(label), count.documents.size(), count.passages});
      }
      std::sort(values.begin(), values.end(), [](const FacetValue& x, const FacetValue& y) {
        if (x.documents != y.documents) return x.documents > y.documents;
        if (x.passages != y.passages) return x.passages > y.passages;
        return x.id < y.id;
      });
      if (values.size() > o.facet_limit) values.resize(o.facet_limit);
      if (o.facet_order == SearchOptions::FacetOrder::value)
        std::sort(values.begin(), values.end(), facet_value_before);
      res.facets.emplace_back(o.facets[i], std::move(values));
    }
  };
  fill_facets();
  if (shown.empty() && res.total > 0 && o.offset >= res.total && o.limit > 0)
    res.last_page_offset = (res.total - 1) / o.limit * o.limit;
  if (!match_all && !o.plain && o.suggest && !res.timed_out) res.suggestion = im.suggest(query, res.total, o);

  // --explain: each weighted part of the ranked query scored alone on the results' best passages, with
  // the same weighting and statistics (a boolean filter adds no weight), so that the parts sum to the
  // score; and the filter terms each best passage holds.
  const Xapian::Query ranked = parsed;
  const auto explain = [&](const std::vector<Xapian::docid>& best_of) {
    std::vector<WeightedPart> parts;
    weighted_parts(ranked, 1, {}, parts);
    std::set<std::string> filters;
    filter_terms(ranked, false, filters);
    std::vector<Xapian::Query> ids;
    std::map<Xapian::docid, Explanation*> by_id;
    for (std::size_t i = 0; i < res.hits.size(); ++i) {
      SearchHit& hit = res.hits[i];
      if (!hit.explanation) hit.explanation.emplace();
      Explanation& e = *hit.explanation;
      e.threshold = hit.score * o.passage_score_ratio;
      by_id[best_of[i]] = &e;
      ids.emplace_back(std::string(fmt::kPrefixPassageId) + hit.meta.id + "#" +
                       std::to_string(hit.passages.front().number));
      Xapian::TermIterator t = im.db.termlist_begin(best_of[i]);
      for (const auto& f : filters) {
        t.skip_to(f);
        if (t == im.db.termlist_end(best_of[i])) break;
        if (*t != f) continue;
        // Text words are no filter: like:'s words restrict to the documents sharing one, but rank.
        const auto [field, value] = term_field(f);
        if (!field.empty()) e.filters.push_back(field + ":" + value);
      }
    }
    if (ids.empty()) return;
    const Xapian::Query only(Xapian::Query::OP_OR, ids.begin(), ids.end());
    Xapian::Enquire alone(im.db);
    alone.set_weighting_scheme(*make_weighting(o.ranking, stats));
    for (const auto& part : parts) {
      const Xapian::Query scaled =
          part.factor == 1 ? part.query : Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, part.query, part.factor);
      // Scored alone, on the results' best passages that match every operator above it.
      std::vector<Xapian::Query> where = part.within;
      where.push_back(only);
      // Its idf factor: its own, or, inside a phrase or NEAR, the group's (ranking.h).
      Xapian::Query weighted = with_passage_idf(scaled, im.db, o.ranking, stats);
      for (const auto& above : part.within)
        if (above.get_type() == Xapian::Query::OP_PHRASE || above.get_type() == Xapian::Query::OP_NEAR)
          weighted = Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, scaled,
                                   passage_idf_group_factor(above, im.db, o.ranking, stats));
      alone.set_query(bounded(Xapian::Query(Xapian::Query::OP_FILTER, weighted,
                                            Xapian::Query(Xapian::Query::OP_AND, where.begin(), where.end())),
                              deadline));
      const Xapian::MSet m = alone.get_mset(0, static_cast<Xapian::doccount>(ids.size()));
      const bool term = part.query.get_type() == Xapian::Query::LEAF_TERM;
      TermWeight w;
      if (term) {
        w.term = *part.query.get_terms_begin();
        std::tie(w.field, w.word) = term_field(w.term);
        w.termfreq = im.db.get_termfreq(w.term);
      } else {
        w.term = part.query.get_description();
        if (w.term.rfind("Query(", 0) == 0 && w.term.back() == ')') w.term = w.term.substr(6, w.term.size() - 7);
        w.word = w.term;
      }
      w.factor = part.factor;
      for (auto it = m.begin(); it != m.end(); ++it) {
        const auto found = by_id.find(*it);
        if (found == by_id.end()) continue;
        TermWeight here = w;
        here.weight = it.get_weight();
        if (term) {
          Xapian::TermIterator t = im.db.termlist_begin(*it);
          t.skip_to(w.term);
          if (t != im.db.termlist_end(*it) && *t == w.term) here.wdf = t.get_wdf();
        }
        // A word given twice is two parts of one term: one line.
        auto& terms = found->second->terms;
        const auto same = std::find_if(terms.begin(), terms.end(), [&](const TermWeight& x) {
          return x.term == here.term && x.factor == here.factor;
        });
        if (same == terms.end())
          terms.push_back(std::move(here));
        else
          same->weight += here.weight;
      }
    }
    // The proximity re-rank's bonus is a part of the score too.
    for (const auto& [id, bonus] : bonus_of) {
      const auto found = by_id.find(id);
      if (found == by_id.end() || bonus <= 0) continue;
      TermWeight w;
      w.term = "proximity";
      w.word = "proximity of the query words";
      w.weight = bonus;
      found->second->terms.push_back(std::move(w));
    }
    for (auto& [id, e] : by_id)
      std::stable_sort(e->terms.begin(), e->terms.end(),
                       [](const TermWeight& a, const TermWeight& b) { return a.weight > b.weight; });
  };

  if (o.passages) {
    std::size_t rank = o.offset;
    std::vector<Xapian::docid> best_of;
    for (const auto& [it, score] : shown) {
      auto [doc_id, p] = passage_of(it);
      p.score = score;
      SearchHit hit;
      hit.rank = ++rank;
      im.fill(hit, doc_id);
      hit.score = score;
      if (o.explain) {
        hit.explanation.emplace();
        hit.explanation->passages.push_back({p.number, p.paragraph, p.score, true});
      }
      hit.passages.push_back(std::move(p));
      res.hits.push_back(std::move(hit));
      best_of.push_back(*it);
    }
    if (o.explain) explain(best_of);
    note_deadline();
    return res;
  }

  // Documents in the order of their best passage.
  std::vector<std::string> order;
  std::map<std::string, SearchHit> by_doc;
  std::set<Xapian::docid> best;
  std::vector<Xapian::docid> best_of;
  for (const auto& [it, score] : shown) {
    const std::string doc_id = it.get_collapse_key();
    SearchHit& hit = by_doc[doc_id];
    order.push_back(doc_id);
    best.insert(*it);
    best_of.push_back(*it);
    hit.score = score;
    hit.passages.push_back(passage_of(it).second);
    hit.passages.back().score = score;
    if (o.explain) {
      const PassageHit& p = hit.passages.back();
      hit.explanation.emplace();
      hit.explanation->passages.push_back({p.number, p.paragraph, p.score, true});
    }
  }
  // Their next best passages: the same query over the shown documents' passages only (a boolean
  // filter adds no weight, so each passage scores as it did), at most passages_per_document each.
  if (o.passage_text && o.passages_per_document > 1 && !order.empty()) {
    std::vector<Xapian::Query> docs;
    for (const auto& id : order) docs.emplace_back(std::string(fmt::kPrefixDocument) + id);
    enquire.clear_matchspies();
    enquire.set_time_limit(0);
    enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, enquire.get_query(),
                                    Xapian::Query(Xapian::Query::OP_OR, docs.begin(), docs.end())));
    enquire.set_collapse_key(fmt::kSlotDocument, static_cast<Xapian::doccount>(o.passages_per_document));
    const Xapian::MSet more = run(0, order.size() * o.passages_per_document, 0);
    // With the re-rank on, each of them scores as the best ones did: BM25 and its proximity bonus.
    std::optional<Proximity> prox;
    if (rerank) prox.emplace(im.db, parsed);
    for (auto it = more.begin(); it != more.end(); ++it) {
      auto found = by_doc.find(it.get_collapse_key());
      if (found == by_doc.end() || best.count(*it)) continue;
      SearchHit& hit = found->second;
      const double score = it.get_weight() + (prox ? o.ranking.proximity * prox->bonus(*it) : 0);
      if (hit.passages.size() >= o.passages_per_document || score < hit.score * o.passage_score_ratio) {
        if (o.explain) {  // looked at and left out
          const nlohmann::json data = parse_json(it.get_document().get_data());
          hit.explanation->passages.push_back(
              {data.value(fmt::kDataPassage, 0), data.value(fmt::kDataParagraph, 0), score, false});
        }
        continue;
      }
      hit.passages.push_back(passage_of(it).second);
      hit.passages.back().score = score;
      if (o.explain) {
        const PassageHit& p = hit.passages.back();
        hit.explanation->passages.push_back({p.number, p.paragraph, p.score, true});
      }
    }
  }
  for (std::size_t i = 0; i < order.size(); ++i) {
    SearchHit hit = std::move(by_doc[order[i]]);
    hit.rank = o.offset + i + 1;
    im.fill(hit, order[i]);
    res.hits.push_back(std::move(hit));
  }
  if (o.explain) explain(best_of);
  note_deadline();
  return res;
}

bool Searcher::reopen() {
  // A rebuild swaps a new index in at the same path (common/index_folder.h): Xapian's reopen() would
  // keep reading the old one's files, so a folder that is another folder now is reported, and the
  // caller opens a new Searcher.
  for (const auto& shard : impl_->shards) {
    if (shard.remote) continue;
    struct stat st {};
    if (::stat(shard.name.c_str(), &st) != 0 || st.st_dev != shard.folder_dev || st.st_ino != shard.folder_ino)
      throw IndexError("index " + shard.name + " was replaced (rebuilt or moved) since it was opened; open it again");
  }
  try {
    if (!impl_->reopen_all()) return false;
  } catch (const Xapian::Error& e) {
    throw IndexError("cannot reopen index " + impl_->dir + ": " + e.get_description());
  }
  impl_->stored.clear();
  impl_->documents.reset();
  return true;
}

std::uint64_t Searcher::revision() const {
  // A multi-database has no revision of its own: the sum of its shards' grows with every commit to any.
  std::uint64_t sum = 0;
  for (const auto& shard : impl_->shards) sum += shard_revision(shard);
  return sum;
}

template <typename Fn>
auto Searcher::reading(Fn&& fn) const {
  const IndexReadGuard guard(impl_->dir);
  for (int attempt = 1;; ++attempt) {
    try {
      return fn();
    } catch (const Xapian::DatabaseModifiedError& e) {
      // A writer's commits, as in search(); or a damaged table, when there is no other revision to read.
      bool reopened = false;
      try {
        reopened = impl_->db.reopen();
      } catch (const Xapian::DatabaseModifiedError&) {
        reopened = true;  // as in search()
      } catch (...) {
        throw index_error(impl_->dir, std::current_exception());
      }
      if (!reopened) throw damaged_index_error(impl_->dir, e.get_description() + ", though no other revision exists");
      if (attempt == 5) throw index_error(impl_->dir, e);
      impl_->stored.clear();
      impl_->documents.reset();
    } catch (...) {
      throw index_error(impl_->dir, std::current_exception());
    }
  }
}

std::string Searcher::digest() const {
  return reading([&] { return digest_once(); });
}

std::string Searcher::digest_once() const {
  const Xapian::Database& db = impl_->db;
  const std::string prefix(fmt::kPrefixPassageId);
  std::uint64_t h = 1469598103934665603ULL;
  const auto mix = [&h](const std::string& bytes) {
    for (unsigned char c : bytes) {
      h ^= c;
      h *= 1099511628211ULL;
    }
    h ^= 0xFF;  // a separator no UTF-8 text holds
    h *= 1099511628211ULL;
  };
  std::size_t n = 0;
  for (auto t = db.allterms_begin(prefix); t != db.allterms_end(prefix); ++t) {
    const Xapian::PostingIterator p = db.postlist_begin(*t);
    if (p == db.postlist_end(*t)) continue;
    mix(*t);
    mix(db.get_document(*p).get_data());
    ++n;
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "%zu:%016llx", n, static_cast<unsigned long long>(h));
  return buf;
}

std::optional<DocumentMeta> Searcher::document(const std::string& id) {
  return reading([&]() -> std::optional<DocumentMeta> {
    if (id.empty() || id.size() > fmt::kMaxIdBytes) return std::nullopt;  // no such id can be indexed
    if (impl_->record(id).empty()) return std::nullopt;
    return impl_->document(id).meta;
  });
}

IndexInfo Searcher::info() const {
  return reading([&] { return info_once(); });
}

IndexInfo Searcher::info_once() const {
  IndexInfo info;
  const Xapian::Database& db = impl_->db;
  info.path = impl_->dir;
  info.documents = db.get_termfreq(std::string(fmt::kTermRecord));
  info.passages = db.get_doccount() - info.documents;
  for (auto it = db.allterms_begin(); it != db.allterms_end(); ++it) ++info.terms;
  info.revision = revision();
  info.format_version = fmt::kFormatVersion;  // every shard's was checked when it was opened
  for (const auto& shard : impl_->shards) {
    ShardInfo si;
    si.name = shard.name;
    si.remote = shard.remote;
    si.documents = shard.db.get_termfreq(std::string(fmt::kTermRecord));
    si.passages = shard.db.get_doccount() - si.documents;
    si.revision = shard_revision(shard);
    if (!shard.remote) si.bytes_on_disk = folder_size(shard.name);
    info.bytes_on_disk += si.bytes_on_disk;
    info.shards.push_back(std::move(si));
  }
  return info;
}

}  // namespace quire
