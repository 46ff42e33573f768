/** @file
 *  @brief Tags a whole document's passages at once: actors, actor pairs, themes, mentioned dates and
 *  quotes with their speakers. One Tagger is built from the schema folder and shared read-only;
 *  tag_document() is safe to call from several threads.
 */
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "quire/actors.h"
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
  std::vector<std::string> speakers;  ///< distinct speaker keys: a person id, or "~name" for an unknown person
};

class Tagger {
 public:
  /// Loads actors.xml and themes.xml from `schema_dir`. Throws InputError if either is bad or missing.
  explicit Tagger(const std::string& schema_dir);

  /// This tagger with the people a catalogue names added to its gazetteer (Gazetteer::with_people).
  Tagger with_people(const std::vector<CataloguePerson>& people) const;

  /// Tags of each passage; `year` is the document's publication year (0 if unknown).
  std::vector<PassageTags> tag_document(const std::vector<std::string>& passages, int year) const;

  const Gazetteer& gazetteer() const { return gazetteer_; }
  const ThemeSet& themes() const { return *themes_; }

 private:
  Tagger(Gazetteer g, std::shared_ptr<const ThemeSet> themes) : gazetteer_(std::move(g)), themes_(std::move(themes)) {}
  Gazetteer gazetteer_;
  std::shared_ptr<const ThemeSet> themes_;
};

/// The speaker key of a speaker name that is not a gazetteer person: "~" + the name's words joined by '-'.
std::string unknown_speaker_key(const std::string& name);

}  // namespace quire
