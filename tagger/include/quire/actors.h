/** @file
 *  @brief The actor gazetteer (schemas/actors.xml) and actor tagging: finds the states,
 *  organisations, groups and people a text names, by name, alias, abbreviation, demonym, capital
 *  (for a government) or place, each in its time.
 *
 *  Matching works on the tokenizer's words, longest match first, and resolves ambiguity the way the
 *  gazetteer says: names are matched only when written as proper nouns ("Turkey", not "turkey"),
 *  abbreviations only in their exact case ("US", not "us"); an alias marked needs="context" ("Chad",
 *  "Georgia", a surname alone) counts only when the same document also names the actor unambiguously;
 *  an alias with from/to years applies only to documents dated in that span ("Germany" in 1987 is
 *  West Germany); <stop> phrases ("Indian Ocean") are never actors. An actor is never tagged in a
 *  document dated before it existed (Xi Jinping before 2012, Uzbekistan in 1966): a capital or place
 *  named then belongs to the actor it was part of, or its predecessor in force that year ("Tashkent"
 *  in 1966 is the Soviet Union), anything else is dropped. After an actor ceased, its mentions are kept
 *  only when a successor continues it ("the former Soviet Union", reached by lineage()); a body
 *  that ended with none (the Warsaw Pact in 1994) is no actor then, its words only text. A place or
 *  capital right before an event word ("Tashkent Agreement", "Geneva Conventions") names the event, not the place.
 *
 *  Codes (ISO 3166 and a catalogue's own, with the years each is in force) are a separate namespace:
 *  they are never looked for in the text, and a word that is a code resolves only as that code. The
 *  loader refuses, with file and line, a gazetteer whose codes, ids, names or aliases could mean two
 *  actors at once. A loaded Gazetteer is read-only and may be shared between threads.
 */
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace quire {

enum class ActorType { kState, kTerritory, kOrganisation, kGroup, kPerson };

/// A code an actor holds in some years (0 = open): ISO 3166 "RUS", or a catalogue's use ("RUS" for the
/// Soviet Union's seat until 1991 in UNGDC).
struct ActorCode {
  std::string code;
  int from = 0, to = 0;
};

struct Actor {
  std::string id;
  ActorType type = ActorType::kState;
  std::string name;
  std::string affiliation;  ///< the actor a person or body belongs to ("pakistan"), or ""
  std::string code;         ///< the ISO 3166 code it holds today, or in its own years ("PAK"); every code is in `codes`
  int from = 0, to = 0;     ///< years the actor existed; 0 = open. Not tagged in documents dated before
  int from_day = 0, to_day = 0;  ///< the same to the day, YYYYMMDD (a year alone: its first, its last day)
  std::vector<ActorCode> codes;           ///< every code, `code` first (held in the actor's own years)
  std::vector<std::string> predecessors;  ///< actors this one continues (russia: ussr; germany: west-germany)
  std::vector<std::string> successors;    ///< actors that name this one a predecessor (filled at load)
  std::string part_of;  ///< the actor its territory belonged to before `from` (uzbekistan: ussr), or ""
};

/// What a user's or a catalogue's word means: an actor, in the years the word means it (0 = open).
struct Resolution {
  std::string id;
  int from = 0, to = 0;
  int from_day = 0, to_day = 0;  ///< YYYYMMDD when the meaning starts or ends within the year, else 0
};

/// A person a catalogue names (a speech's speaker): becomes a person actor of the index.
struct CataloguePerson {
  std::string name;         ///< as the catalogue writes it ("Zulfikar Ali BHUTTO")
  std::string affiliation;  ///< actor id of the state or body they spoke for, or ""
  int from = 0, to = 0;     ///< the years the catalogue names them in
};

/// How a mention was written.
enum class MentionKind { kName, kAlias, kDemonym, kCapital, kPlace };

/// One place in a text that names an actor.
struct ActorMention {
  std::string actor;           ///< actor id
  std::uint32_t cp_begin = 0;  ///< code point span in the passage, end exclusive
  std::uint32_t cp_end = 0;
  MentionKind kind = MentionKind::kName;
};

const char* to_string(ActorType t);
const char* to_string(MentionKind k);

class Gazetteer {
 public:
  /// Loads actors.xml. Throws InputError (file, line, reason) if it is malformed.
  static Gazetteer load(const std::string& path);
  /// Parses gazetteer XML held in memory; `path` names it in errors.
  static Gazetteer parse(const std::string& path, const std::string& xml);

  Gazetteer();
  ~Gazetteer();
  Gazetteer(Gazetteer&&) noexcept;
  Gazetteer& operator=(Gazetteer&&) noexcept;

  const Actor* find(const std::string& id) const;
  const std::vector<Actor>& actors() const;

  /// The actor ids a user's word for an actor means ("beijing", "PRC", "china", "Khawaja Asif"):
  /// the ids of resolve_at(name, 0). Empty if none.
  std::vector<std::string> resolve(const std::string& name) const;

  /// What `name` means in `year` (0: a query, with no date). In order: an actor id (exactly); else a
  /// code, case-insensitive, and nothing but codes: the actor holding it that year (year 0: every actor
  /// that held it, each with the years it held it, today's holder unrestricted); else a name or alias
  /// meaning an actor that year (year 0: the canonical names first, then aliases with no end year, then
  /// any), date-bound aliases before open ones. Each result carries the years the word means that
  /// actor (0 = open), which a filter applies to each document's date. Empty if none.
  std::vector<Resolution> resolve_at(const std::string& name, int year) const;
  /// The same at a document's date, "YYYY", "YYYY-MM" or "YYYY-MM-DD" ("" or anything else: none, a
  /// query). A full date is read to the day where the gazetteer gives one (CHN dated 1971-10-26 is the
  /// PRC, which took the seat on 1971-10-25). A date of a year alone (or a month) is every day of it:
  /// a code that changed holder in it is the holder at its start (CHN dated 1971 is the Republic of
  /// China), a name the actor it names in any part of it.
  std::vector<Resolution> resolve_on(const std::string& name, const std::string& date) const;

  /// `id`, its predecessors back in time and its successors forward (ussr, russia), each once, `id`
  /// first: what `by:russia+` asks for. Empty for an unknown id.
  std::vector<std::string> lineage(const std::string& id) const;

  /// This gazetteer with the people a catalogue names added as person actors (id "~" + their words
  /// joined by '-'), unless a person of the gazetteer already has that name. Their full name counts
  /// in any document; their surname alone (the last word of at least four letters) counts only with
  /// a title before it ("Mr. Bhutto", "President Kennedy") or the full name in the same document, and
  /// only in the years the catalogue names them (one year either side).
  Gazetteer with_people(const std::vector<CataloguePerson>& people) const;

  /// Actor mentions in each passage of one document, in order. `year` is the document's year (0 if
  /// unknown), which selects date-bound aliases.
  std::vector<std::vector<ActorMention>> tag(const std::vector<std::string>& passages, int year) const;
  /// The same at a document's date (see resolve_on): dated 1990-10-04, "Germany" is unified Germany;
  /// dated 1990, West Germany (the alias bound to the year's part wins over the open one).
  std::vector<std::vector<ActorMention>> tag_on(const std::vector<std::string>& passages,
                                                const std::string& date) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace quire
