// Query parsing, matching, grouping by document and highlighting. See searcher.h.
#include "quire/searcher.h"

#include <sys/stat.h>
#include <xapian.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <set>
#include <sstream>

#include "quire/errors.h"
#include "quire/index_db.h"
#include "quire/index_format.h"
#include "quire/json_input.h"
#include "quire/query_check.h"
#include "quire/tagging.h"
#include "quire/tokenizer.h"
#include "quire/utf8.h"

namespace quire {

namespace fmt = format;

namespace {

// Common English function words, dropped from free-text queries (kept inside "phrases").
const char* const kStopWords[] = {
    "a",      "about",  "after",  "all",     "also", "an",    "and",    "any",  "are",   "as",     "at",      "be",
    "been",   "before", "being",  "between", "both", "but",   "by",     "can",  "could", "did",    "do",      "does",
    "during", "each",   "for",    "from",    "had",  "has",   "have",   "he",   "her",   "here",   "hers",    "him",
    "his",    "how",    "i",      "if",      "in",   "into",  "is",     "it",   "its",   "itself", "me",      "more",
    "most",   "my",     "no",     "nor",     "not",  "of",    "on",     "once", "only",  "or",     "other",   "our",
    "ours",   "out",    "over",   "own",     "same", "she",   "should", "so",   "some",  "such",   "than",    "that",
    "the",    "their",  "theirs", "them",    "then", "there", "these",  "they", "this",  "those",  "through", "to",
    "too",    "under",  "until",  "up",      "very", "was",   "we",     "were", "what",  "when",   "where",   "which",
    "while",  "who",    "whom",   "why",     "will", "with",  "would",  "you",  "your",  "yours"};

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
  std::vector<Xapian::Query> parts;
  for (const auto& r : meanings) {
    Xapian::Query q(std::string(prefix) + r.id);
    if (r.from || r.to) {
      std::vector<std::string> years;
      for (int y = r.from ? r.from : 1000; y <= (r.to ? r.to : 2099); ++y) years.push_back(std::to_string(y));
      q = Xapian::Query(Xapian::Query::OP_FILTER, q, or_of_terms(fmt::kPrefixPublished, years));
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
      throw QueryError("unknown actor '" + v + "' (actor: takes a name, an alias or an id from schemas/actors.xml)");
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
    std::vector<Xapian::Query> parts = {Xapian::Query(std::string(fmt::kPrefixBy) + "~" + v)};
    if (!tagger_) {
      parts.emplace_back(std::string(fmt::kPrefixBy) + v);
    } else if (lineage) {
      std::vector<std::string> ids;
      for (const auto& r : tagger_->gazetteer().resolve_at(v, 0)) ids.push_back(r.id);
      for (const auto& id : with_lineage(*tagger_, ids)) parts.emplace_back(std::string(fmt::kPrefixBy) + id);
    } else {
      parts.push_back(in_their_years(fmt::kPrefixBy, tagger_->gazetteer().resolve_at(v, 0)));
    }
    return Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());
  }

 private:
  const Tagger* const& tagger_;  // the searcher's, which may gain the index's people
  const Xapian::Database* db_;
};

// session:20 and any other catalogue field the index holds: the value as the catalogue gave it.
class ExtraField : public Xapian::FieldProcessor {
 public:
  explicit ExtraField(std::string name) : name_(std::move(name)) {}
  Xapian::Query operator()(const std::string& raw) override {
    return Xapian::Query(fmt::extra_term(name_, strip_quotes(raw)));
  }
  const std::string& name() const { return name_; }

 private:
  std::string name_;
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
    if (ids.empty()) throw QueryError("unknown theme '" + v + "' (see schemas/themes.xml)");
    return or_of_terms(fmt::kPrefixTheme, ids);
  }

 private:
  const Tagger* const& tagger_;  // the searcher's, which may gain the index's people
  const Xapian::Database* db_;
};

// speaker:"Wang Yi": a person of the gazetteer, or the name of someone who is not in it.
class SpeakerField : public Xapian::FieldProcessor {
 public:
  SpeakerField(const Tagger* const& t, const Xapian::Database* db) : tagger_(t), db_(db) {}
  Xapian::Query operator()(const std::string& raw) override {
    const std::string v = strip_quotes(raw);
    if (is_facet_value(db_, fmt::kPrefixSpeaker, v, v[0] == '~' || (tagger_ && tagger_->gazetteer().find(v))))
      return Xapian::Query(std::string(fmt::kPrefixSpeaker) + v);
    std::vector<std::string> keys;
    if (tagger_) {
      for (const auto& id : tagger_->gazetteer().resolve(v)) {
        const Actor* a = tagger_->gazetteer().find(id);
        if (a && a->type == ActorType::kPerson) keys.push_back(id);
      }
    }
    keys.push_back(unknown_speaker_key(v));
    // A title or a variant names the person the tagger would name: "the Secretary General" in an
    // index of 1999 speeches is not a key, but its label is.
    if (tagger_) {
      const std::string label = normalise_speaker(v, tagger_->speakers(), 0);
      if (!label.empty()) keys.push_back(unknown_speaker_key(label));
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
      throw QueryError("dyad:" + v + " needs two actors joined by '/' (dyad:china/pakistan)");
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
    if (from > to) throw QueryError(std::string(field) + ":" + v + " ends before it starts");
    return {from, to};
  }
  throw QueryError(std::string(field) + ":" + v + " is not a year or a span of years (2024, 2020..2025, 1960s)");
}

// A publisher as the publisher facet counts it (the slot's whole value), for a filter chosen from that
// facet; `publisher:` in a query is the fielded-text search instead.
class PublisherValueField : public Xapian::FieldProcessor {
 public:
  Xapian::Query operator()(const std::string& raw) override {
    const std::string v = strip_quotes(raw);
    return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, fmt::kSlotPublisher, v, v);
  }
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

// Counts, for the values in one facet slot, the matching passages and the distinct documents.
class FacetSpy : public Xapian::MatchSpy {
 public:
  explicit FacetSpy(unsigned slot) : slot_(slot) {}
  void operator()(const Xapian::Document& doc, double) override {
    const std::string list = doc.get_value(slot_);
    if (list.empty()) return;
    const std::string document = doc.get_value(fmt::kSlotDocument);
    std::size_t start = 0;
    while (start <= list.size()) {
      std::size_t end = list.find(fmt::kListSeparator, start);
      if (end == std::string::npos) end = list.size();
      Count& c = counts_[list.substr(start, end - start)];
      ++c.passages;
      c.documents.insert(document);
      start = end + 1;
    }
  }
  std::string name() const override { return "quire::FacetSpy"; }

  struct Count {
    std::size_t passages = 0;
    std::set<std::string> documents;
  };
  const std::map<std::string, Count>& counts() const { return counts_; }

 private:
  unsigned slot_;
  std::map<std::string, Count> counts_;
};

// Counts, for a catalogue field, the values its boolean terms (XE<name>=<value>) hold: the same
// terms its filter matches.
class TermFacetSpy : public Xapian::MatchSpy {
 public:
  explicit TermFacetSpy(std::string prefix) : prefix_(std::move(prefix)) {}
  void operator()(const Xapian::Document& doc, double) override {
    const std::string document = doc.get_value(fmt::kSlotDocument);
    Xapian::TermIterator t = doc.termlist_begin();
    t.skip_to(prefix_);
    for (; t != doc.termlist_end(); ++t) {
      const std::string term = *t;
      if (term.compare(0, prefix_.size(), prefix_) != 0) break;
      Count& c = counts_[term.substr(prefix_.size())];
      ++c.passages;
      c.documents.insert(document);
    }
  }
  std::string name() const override { return "quire::TermFacetSpy"; }

  using Count = FacetSpy::Count;
  const std::map<std::string, Count>& counts() const { return counts_; }

 private:
  std::string prefix_;
  std::map<std::string, Count> counts_;
};

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
  throw QueryError("unknown facet '" + facet + "' (facets: " + known + ", or a catalogue field of the index)");
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
                          const std::string& prefix = "") {
  std::map<std::string, Xapian::termcount> counts;
  for (const Token& t : tokenize(text)) {
    if (t.term.size() > kMaxWordBytes || stopper(t.term)) continue;
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

}  // namespace

struct Searcher::Impl {
  std::string dir;
  dev_t folder_dev = 0;  ///< the index folder as opened (reopen() tells a swapped-in rebuild by it)
  ino_t folder_ino = 0;
  Xapian::Database db;
  Xapian::QueryParser parser;
  Xapian::SimpleStopper stopper;
  Stemmer stemmer;
  StemCache stems{stemmer};  ///< the highlighter's memo of the stems of shown passages' words
  const Tagger* tagger;
  const Tagger* base_tagger;  ///< the tagger given, before the index's catalogue people are added
  ActorField actor_field;
  ThemeField theme_field;
  SpeakerField speaker_field;
  DyadField dyad_field;
  ByField by_field;
  PublisherValueField publisher_field;
  std::vector<std::unique_ptr<ExtraField>> extra_fields;
  std::vector<std::string> field_names;  ///< fields() and the index's catalogue fields
  YearsField published_field{fmt::kPrefixPublished, "published"};
  YearsField mentions_field{fmt::kPrefixMentioned, "mentions"};
  std::vector<std::unique_ptr<GuardedField>> guards;
  std::string field_error;  ///< the first bad filter value met during a parse

  std::optional<Tagger> with_people;  ///< the tagger with the people of this index's catalogue

  explicit Impl(const Tagger* t)
      : tagger(t),
        base_tagger(t),
        actor_field(tagger, &db),
        theme_field(tagger, &db),
        speaker_field(tagger, &db),
        dyad_field(tagger, &db),
        by_field(tagger, &db) {}

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
    throw QueryError("unknown filter '" + field + "'");
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
          std::string written = db.get_metadata(std::string(fmt::kKeySpeakerLabelPrefix) + value);
          if (!written.empty()) return written;
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
  std::optional<std::size_t> documents;  ///< D: records, counted once per snapshot

  std::size_t document_count() {
    if (!documents) {
      const std::string prefix(fmt::kKeyDocPrefix);
      std::size_t n = 0;
      for (auto it = db.metadata_keys_begin(prefix); it != db.metadata_keys_end(prefix); ++it) ++n;
      documents = n;
    }
    return *documents;
  }
  std::map<std::string, Stored> stored;

  const Stored& document(const std::string& id) {
    auto it = stored.find(id);
    if (it != stored.end()) return it->second;
    if (stored.size() >= kMaxStoredDocuments) stored.clear();  // a bound, not an LRU: records are cheap to reread
    const std::string json = db.get_metadata(std::string(fmt::kKeyDocPrefix) + id);
    Stored st;
    if (!json.empty()) {
      const nlohmann::json j = parse_json(json);
      st.meta = meta_from_json(j);
      if (auto t = j.find("tags"); t != j.end()) {
        st.actors = t->value("actors", std::map<std::string, int>{});
        st.themes = t->value("themes", std::map<std::string, int>{});
      }
    }
    if (st.meta.id.empty()) st.meta.id = id;
    return stored.emplace(id, std::move(st)).first->second;
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

Searcher::Searcher(const std::string& dir, const Tagger* tagger) : impl_(std::make_unique<Impl>(tagger)) {
  impl_->dir = dir;
  // The folder's identity before its files are opened: if it is swapped between the two, reopen()
  // sees a change and the caller opens it again.
  struct stat st {};
  if (::stat(dir.c_str(), &st) == 0) {
    impl_->folder_dev = st.st_dev;
    impl_->folder_ino = st.st_ino;
  }
  const IndexReadGuard guard(dir);
  impl_->db = open_index(dir);
  try {
    open_checks();
  } catch (const IndexError&) {
    throw;
  } catch (...) {
    throw index_error(dir, std::current_exception());
  }
}

void Searcher::open_checks() {
  const std::string& dir = impl_->dir;
  const std::string version = impl_->db.get_metadata(std::string(fmt::kKeyFormat));
  if (version != std::to_string(fmt::kFormatVersion))
    throw IndexError(version.empty() ? dir + " is not a quire index"
                                     : "index " + dir + " has format version " + message_value(version) +
                                           "; this quire reads version " + std::to_string(fmt::kFormatVersion) +
                                           " (run 'quire index --rebuild PATH...')");
  if (const std::string people = impl_->db.get_metadata(std::string(fmt::kKeyPeople));
      !people.empty() && impl_->base_tagger) {
    std::vector<CataloguePerson> list;
    const auto j = parse_json(people);
    if (j.is_array()) {
      for (const auto& p : j) {
        if (!p.is_object()) continue;
        list.push_back({p.value("name", std::string()), p.value("affiliation", std::string()), p.value("from", 0),
                        p.value("to", 0)});
      }
    }
    impl_->with_people.emplace(impl_->base_tagger->with_people(list));
    impl_->tagger = &*impl_->with_people;
  }
  for (const char* w : kStopWords) impl_->stopper.add(w);
  Xapian::QueryParser& qp = impl_->parser;
  qp.set_database(impl_->db);
  qp.set_stemmer(Xapian::Stem("english"));
  qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  qp.set_stopper(&impl_->stopper);
  qp.set_default_op(Xapian::Query::OP_OR);
  for (const auto& f : kFields) qp.add_prefix(f.name, std::string(f.prefix));
  // Filters: each its own group, so two of them must both hold (actor:china actor:pakistan).
  const std::string own_group;
  for (const char* f : kFilterFields) {
    impl_->guards.push_back(std::make_unique<GuardedField>(impl_->filter(f), impl_->field_error));
    qp.add_boolean_prefix(f, impl_->guards.back().get(), &own_group);
  }
  impl_->field_names = fields();
  // Read once per open index; bounded, so a hostile list cannot make every search slow.
  std::istringstream extra(impl_->db.get_metadata(std::string(fmt::kKeyExtraFields)));
  std::set<std::string> seen(impl_->field_names.begin(), impl_->field_names.end());
  for (std::string name; std::getline(extra, name);) {
    if (name.empty() || !seen.insert(name).second) continue;
    if (impl_->extra_fields.size() >= fmt::kMaxCatalogueFields)
      throw IndexError("index " + dir + " names more than " + std::to_string(fmt::kMaxCatalogueFields) +
                       " catalogue fields (" + std::string(fmt::kKeyExtraFields) +
                       "); quire reads no more: it is not an index quire wrote from a metadata map");
    impl_->extra_fields.push_back(std::make_unique<ExtraField>(name));
    impl_->guards.push_back(std::make_unique<GuardedField>(*impl_->extra_fields.back(), impl_->field_error));
    qp.add_boolean_prefix(name, impl_->guards.back().get(), &own_group);
    impl_->field_names.push_back(name);
  }
}

Searcher::~Searcher() = default;

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
        reopened = impl_->db.reopen();
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

SearchResults Searcher::search_once(const std::string& raw_query, const SearchOptions& o) {
  SearchResults res;
  res.query = raw_query;
  res.passage_mode = o.passages;
  res.offset = o.offset;
  if (raw_query.size() > o.max_query_bytes)
    throw QueryError("the query is " + std::to_string(raw_query.size()) + " bytes long; the limit is " +
                     std::to_string(o.max_query_bytes) + " (--max-query-bytes)");
  const std::string query = normalise_query(raw_query);
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

  Xapian::Query parsed = Xapian::Query::MatchAll;
  Impl& im = *impl_;
  if (!match_all && o.plain) {
    const Xapian::Stem stem("english");
    parsed = plain_query(query, stem, im.stopper);
    if (o.ranking.title_weight > 0 && !parsed.empty())
      parsed = Xapian::Query(
          Xapian::Query::OP_OR, parsed,
          Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                        plain_query(query, stem, im.stopper, std::string(fmt::kPrefixTitle)), o.ranking.title_weight));
    if (parsed.empty()) throw QueryError("the query has no searchable words (only stop words or punctuation?)");
  } else if (!match_all) {
    try {
      im.parser.set_max_expansion(o.max_wildcard_expansion, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
      im.field_error.clear();
      parsed = im.parser.parse_query(query, Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_WILDCARD |
                                                Xapian::QueryParser::FLAG_PURE_NOT);
    } catch (const Xapian::QueryParserError& e) {
      throw QueryError("cannot parse query: " + e.get_msg());
    }
    if (!im.field_error.empty()) throw QueryError(im.field_error);
    if (parsed.empty()) throw QueryError("the query has no searchable words (only stop words or punctuation?)");
  }
  for (const auto& [field, value] : o.filters) {
    const Xapian::Query f = im.filter(field)(value);
    parsed = parsed.get_type() == Xapian::Query::LEAF_MATCH_ALL ? Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, f, 0)
                                                                : Xapian::Query(Xapian::Query::OP_FILTER, parsed, f);
  }
  if (!o.document.empty()) {
    const Xapian::Query d(std::string(fmt::kPrefixDocument) + o.document);
    parsed = parsed.get_type() == Xapian::Query::LEAF_MATCH_ALL ? Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, d, 0)
                                                                : Xapian::Query(Xapian::Query::OP_FILTER, parsed, d);
  }
  HighlightQuery hq;
  collect(parsed, hq);

  const Xapian::doccount all = im.db.get_doccount();
  Xapian::Enquire enquire(im.db);
  if (o.order == SearchOptions::Order::in_document)
    enquire.set_sort_by_value(fmt::kSlotParagraph, false);
  else if (o.order != SearchOptions::Order::relevance)
    enquire.set_sort_by_value_then_relevance(fmt::kSlotDate, o.order == SearchOptions::Order::newest);
  enquire.set_weighting_scheme(Xapian::BM25Weight(o.ranking.k1, 0, 1, o.ranking.b, 0.5));
  enquire.set_query(parsed);
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
    enquire.set_query(parsed);
  }
  // Exact counts need every match visited; otherwise Xapian stops once the results shown are certain
  // (max-weight pruning) and estimates the total.
  const bool exact = o.exact || !o.facets.empty();
  // Each facet's counts: a slot's values, or a catalogue field's terms.
  std::vector<std::unique_ptr<FacetSpy>> spies;
  std::vector<std::unique_ptr<TermFacetSpy>> term_spies;
  std::vector<const std::map<std::string, FacetSpy::Count>*> facet_counts;
  for (const auto& facet : o.facets) {
    const bool catalogue = std::find_if(im.extra_fields.begin(), im.extra_fields.end(),
                                        [&](const auto& e) { return e->name() == facet; }) != im.extra_fields.end();
    if (catalogue) {
      term_spies.push_back(std::make_unique<TermFacetSpy>(fmt::extra_term(facet, "")));
      enquire.add_matchspy(term_spies.back().get());
      facet_counts.push_back(&term_spies.back()->counts());
    } else {
      spies.push_back(std::make_unique<FacetSpy>(facet_slot(facet)));
      enquire.add_matchspy(spies.back().get());
      facet_counts.push_back(&spies.back()->counts());
    }
  }
  // Documents are ranked by their best passage: collapsing to one passage per document gives the ranking
  // and Xapian's count of documents. Their other passages are fetched afterwards, for the shown ones only.
  const std::size_t fetch = o.offset + o.limit;
  if (!o.passages) enquire.set_collapse_key(fmt::kSlotDocument, 1);
  // One bound on counting, from --timeout-ms or the caller's time_limit_seconds (quire serve).
  double limit_ms = o.time_limit_seconds * 1000;
  if (o.timeout_ms > 0 && (limit_ms <= 0 || o.timeout_ms < limit_ms)) limit_ms = o.timeout_ms;
  if (limit_ms > 0) enquire.set_time_limit(limit_ms / 1000);
  const auto started = std::chrono::steady_clock::now();
  const auto run = [&](Xapian::doccount first, std::size_t count, Xapian::doccount check) {
    try {
      return enquire.get_mset(first, static_cast<Xapian::doccount>(count), check);
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
  const Xapian::MSet mset =
      run(static_cast<Xapian::doccount>(o.offset), o.limit, exact ? all : static_cast<Xapian::doccount>(fetch));
  if (exact && limit_ms > 0) {
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    // Past the limit Xapian stops counting; its passage bounds then no longer meet.
    res.timed_out =
        ms >= limit_ms && mset.get_uncollapsed_matches_lower_bound() != mset.get_uncollapsed_matches_upper_bound();
    res.time_limited = res.timed_out;
  }
  // Xapian's bounds meet when it counted every match (a small result set counts exactly anyway).
  const Xapian::doccount lower = mset.get_matches_lower_bound(), upper = mset.get_matches_upper_bound();
  res.total_exact = (exact && !res.timed_out) || lower == upper;
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
      std::vector<FacetValue> values;
      for (const auto& [value, count] : *facet_counts[i])
        values.push_back({value, im.label(o.facets[i], value), count.documents.size(), count.passages});
      std::sort(values.begin(), values.end(), [](const FacetValue& x, const FacetValue& y) {
        if (x.documents != y.documents) return x.documents > y.documents;
        if (x.passages != y.passages) return x.passages > y.passages;
        return x.id < y.id;
      });
      if (values.size() > o.facet_limit) values.resize(o.facet_limit);
      res.facets.emplace_back(o.facets[i], std::move(values));
    }
  };
  fill_facets();

  if (o.passages) {
    std::size_t rank = o.offset;
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      auto [doc_id, p] = passage_of(it);
      SearchHit hit;
      hit.rank = ++rank;
      im.fill(hit, doc_id);
      hit.score = p.score;
      hit.passages.push_back(std::move(p));
      res.hits.push_back(std::move(hit));
    }
    return res;
  }

  // Documents in the order of their best passage.
  std::vector<std::string> order;
  std::map<std::string, SearchHit> by_doc;
  std::set<Xapian::docid> best;
  for (auto it = mset.begin(); it != mset.end(); ++it) {
    const std::string doc_id = it.get_collapse_key();
    SearchHit& hit = by_doc[doc_id];
    order.push_back(doc_id);
    best.insert(*it);
    hit.score = it.get_weight();
    hit.passages.push_back(passage_of(it).second);
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
    for (auto it = more.begin(); it != more.end(); ++it) {
      auto found = by_doc.find(it.get_collapse_key());
      if (found == by_doc.end() || best.count(*it)) continue;
      SearchHit& hit = found->second;
      if (hit.passages.size() >= o.passages_per_document || it.get_weight() < hit.score * o.passage_score_ratio)
        continue;
      hit.passages.push_back(passage_of(it).second);
    }
  }
  for (std::size_t i = 0; i < order.size(); ++i) {
    SearchHit hit = std::move(by_doc[order[i]]);
    hit.rank = o.offset + i + 1;
    im.fill(hit, order[i]);
    res.hits.push_back(std::move(hit));
  }
  return res;
}

bool Searcher::reopen() {
  // A rebuild swaps a new index in at the same path (common/index_folder.h): Xapian's reopen() would
  // keep reading the old one's files, so a folder that is another folder now is reported, and the
  // caller opens a new Searcher.
  struct stat st {};
  if (::stat(impl_->dir.c_str(), &st) != 0 || st.st_dev != impl_->folder_dev || st.st_ino != impl_->folder_ino)
    throw IndexError("index " + impl_->dir + " was replaced (rebuilt or moved) since it was opened; open it again");
  try {
    if (!impl_->db.reopen()) return false;
  } catch (const Xapian::Error& e) {
    throw IndexError("cannot reopen index " + impl_->dir + ": " + e.get_description());
  }
  impl_->stored.clear();
  impl_->documents.reset();
  return true;
}

std::uint64_t Searcher::revision() const { return impl_->db.get_revision(); }

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
    if (impl_->db.get_metadata(std::string(fmt::kKeyDocPrefix) + id).empty()) return std::nullopt;
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
  info.passages = db.get_doccount();
  const std::string doc_prefix(fmt::kKeyDocPrefix);
  for (auto it = db.metadata_keys_begin(doc_prefix); it != db.metadata_keys_end(doc_prefix); ++it) ++info.documents;
  for (auto it = db.allterms_begin(); it != db.allterms_end(); ++it) ++info.terms;
  info.revision = db.get_revision();
  info.bytes_on_disk = folder_size(impl_->dir);
  info.format_version = std::stoi(db.get_metadata(std::string(fmt::kKeyFormat)));
  return info;
}

}  // namespace quire
