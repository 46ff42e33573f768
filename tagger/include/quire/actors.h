/** @file
 *  @brief The actor gazetteer (schemas/actors.xml) and actor tagging: finds the states,
 *  organisations, groups and people a text names, by name, alias, abbreviation, demonym, capital
 *  (for a government) or place.
 *
 *  Matching works on the tokenizer's words, longest match first, and resolves ambiguity the way the
 *  gazetteer says: names are matched only when written as proper nouns ("Turkey", not "turkey"),
 *  abbreviations only in their exact case ("US", not "us"); an alias marked needs="context" ("Chad",
 *  "Georgia", a surname alone) counts only when the same document also names the actor unambiguously;
 *  an alias with from/to years applies only to documents dated in that span ("Germany" in 1987 is
 *  West Germany); <stop> phrases ("Indian Ocean") are never actors. A loaded Gazetteer is read-only
 *  and may be shared between threads.
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

struct Actor {
  std::string id;
  ActorType type = ActorType::kState;
  std::string name;
  std::string affiliation;  ///< the actor a person or body belongs to ("pakistan"), or ""
  std::string code;         ///< a state's ISO 3166-1 alpha-3 code ("PAK"): resolve() knows it, tagging does not
  int from = 0, to = 0;     ///< years the actor existed; 0 = open
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
  /// an id, a code, a name or any alias, case-insensitive. Empty if none.
  std::vector<std::string> resolve(const std::string& name) const;

  /// Actor mentions in each passage of one document, in order. `year` is the document's year (0 if
  /// unknown), which selects date-bound aliases.
  std::vector<std::vector<ActorMention>> tag(const std::vector<std::string>& passages, int year) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace quire
