/** @file
 *  @brief Tags a whole document's passages at once: actors, actor pairs, themes, mentioned dates and
 *  quotes with their speakers. One Tagger is built from the schema folder and shared read-only;
 *  tag_document() is safe to call from several threads.
 */
#pragma once

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "quire/actors.h"
#include "quire/blocks.h"
#include "quire/dates.h"
#include "quire/quotes.h"
#include "quire/themes.h"

namespace quire {

struct PassageTags {
  std::vector<ActorMention> mentions;
  std::vector<std::string> actors;  ///< distinct actor ids, sorted
  std::vector<std::string> dyads;   ///< "a/b" for each pair of non-person actors named together, a < b
  std::vector<std::string> themes;  ///< theme and group ids, sorted
  std::vector<DateMention> dates;
  std::vector<int> years;  ///< distinct years the dates cover, sorted
  std::vector<Quote> quotes;
  std::vector<std::string> speakers;  ///< distinct speaker keys: an actor id, or "~name" for one not in the gazetteer
  std::string block;  ///< the non-content block kind ("biography", ...; schemas/blocks.xml), "" for content
};

class Tagger {
 public:
  /// Loads actors.xml, themes.xml, speakers.xml and blocks.xml from `schema_dir`. Throws InputError
  /// if one is bad or missing.
  explicit Tagger(const std::string& schema_dir);

  /// This tagger with the people a catalogue names added to its gazetteer (Gazetteer::with_people); the
  /// theme, speaker and block rules are shared.
  Tagger with_people(const std::vector<CataloguePerson>& people) const;

  /// Tags of each passage; `year` is the document's publication year (0 if unknown); `sections` the
  /// section heading of each passage ("" or missing when none), for non-content blocks. A passage of
  /// a non-content block gets dates and quote spans only: no mentions, actors, dyads, themes or
  /// speakers.
  std::vector<PassageTags> tag_document(const std::vector<std::string>& passages, int year,
                                        const std::vector<std::string>& sections = {}) const;
  /// The same at the document's date as written ("YYYY", "YYYY-MM" or "YYYY-MM-DD", "" if unknown):
  /// actors are read to the day where the gazetteer gives one (Gazetteer::tag_on), speakers' offices
  /// by the year.
  std::vector<PassageTags> tag_document_on(const std::vector<std::string>& passages, const std::string& date,
                                           const std::vector<std::string>& sections = {}) const;

  /// The speaker key a speaker's label gets in any document: a person the gazetteer (with the
  /// catalogue's people) or the rules' office holders know, however it is spelt ("Dag Hammarskjld",
  /// "Hammarskjold" for an office holder, "Nelson Mandela" for the catalogue's "Nelson Rolihlahla
  /// Mandela"): their actor id or "~" key; else unknown_speaker_key(label). What speaker: filters ask.
  std::string speaker_key(const std::string& label) const;

  /// The known person `label` names, as (actor id or "", label), or nullptr. See speaker_key().
  struct KnownSpeaker {
    std::string id, label;
    std::vector<std::string> words;  ///< the words of its key: first and last name
    bool holder = false;             ///< an office holder of the rules (known by the surname alone)
  };
  const KnownSpeaker* known_speaker(const std::string& label) const;

  const Gazetteer& gazetteer() const { return gazetteer_; }
  const ThemeSet& themes() const { return *themes_; }
  const SpeakerRules& speakers() const { return *speakers_; }

 private:
  Tagger(Gazetteer g, std::shared_ptr<const ThemeSet> themes, std::shared_ptr<const SpeakerRules> speakers,
         std::shared_ptr<const BlockRules> blocks)
      : gazetteer_(std::move(g)),
        themes_(std::move(themes)),
        speakers_(std::move(speakers)),
        blocks_(std::move(blocks)) {
    index_known_speakers();
  }
  void index_known_speakers();
  Gazetteer gazetteer_;
  std::vector<KnownSpeaker> known_;
  std::map<std::string, std::vector<std::size_t>> known_by_first_, known_by_last_;  // into known_
  std::shared_ptr<const ThemeSet> themes_;
  std::shared_ptr<const SpeakerRules> speakers_;
  std::shared_ptr<const BlockRules> blocks_;
};

/// The speaker key of a speaker name that is not a gazetteer person: "~" + its first and last words
/// joined by '-', accents folded ("Leonid Ilyich Brezhnev" is "~leonid-brezhnev").
std::string unknown_speaker_key(const std::string& name);

}  // namespace quire
