// Document tagging: runs the actor, date, quote and theme taggers over a document. See tagging.h.
#include "quire/tagging.h"

#include <algorithm>
#include <set>

#include "quire/tokenizer.h"

namespace quire {

Tagger::Tagger(const std::string& schema_dir)
    : gazetteer_(Gazetteer::load(schema_dir + "/actors.xml")),
      themes_(std::make_shared<const ThemeSet>(ThemeSet::load(schema_dir + "/themes.xml"))),
      speakers_(std::make_shared<const SpeakerRules>(SpeakerRules::load(schema_dir + "/speakers.xml"))),
      blocks_(std::make_shared<const BlockRules>(BlockRules::load(schema_dir + "/blocks.xml"))) {}

Tagger Tagger::with_people(const std::vector<CataloguePerson>& people) const {
  return Tagger(gazetteer_.with_people(people), themes_, speakers_, blocks_);
}

std::string unknown_speaker_key(const std::string& name) {
  std::string key = "~";
  for (const auto& t : tokenize(name)) key += (key.size() > 1 ? "-" : "") + t.term;
  return key;
}

std::vector<PassageTags> Tagger::tag_document(const std::vector<std::string>& passages, int year,
                                              const std::vector<std::string>& sections) const {
  thread_local const Stemmer stemmer;
  const std::vector<std::string> blocks = blocks_->classify(passages, sections);
  std::vector<std::vector<ActorMention>> mentions = gazetteer_.tag(passages, year);
  for (std::size_t p = 0; p < passages.size(); ++p) {
    if (!blocks[p].empty()) mentions[p].clear();
  }
  std::vector<std::vector<Quote>> quotes = find_quotes(passages, mentions, gazetteer_, *speakers_, year);
  std::vector<PassageTags> out(passages.size());
  for (std::size_t p = 0; p < passages.size(); ++p) {
    PassageTags& t = out[p];
    if (!blocks[p].empty()) {
      // About the document, not its subject: searchable text, dates and quote spans, nothing else.
      t.block = blocks[p];
      t.dates = extract_dates(passages[p]);
      for (auto& q : quotes[p]) {
        q.speaker.clear();
        q.speaker_name.clear();
      }
      t.quotes = std::move(quotes[p]);
      continue;
    }
    std::set<std::string> actors, parties;
    for (const auto& m : mentions[p]) {
      actors.insert(m.actor);
      const Actor* a = gazetteer_.find(m.actor);
      if (a && a->type != ActorType::kPerson) parties.insert(m.actor);
    }
    t.actors.assign(actors.begin(), actors.end());
    for (auto i = parties.begin(); i != parties.end(); ++i) {
      for (auto j = std::next(i); j != parties.end(); ++j) t.dyads.push_back(*i + "/" + *j);
    }
    t.mentions = std::move(mentions[p]);
    t.themes = themes_->tag(passages[p], stemmer);
    t.dates = extract_dates(passages[p]);
    std::set<int> years;
    for (const auto& d : t.dates) {
      for (int y : years_of(d)) years.insert(y);
    }
    t.years.assign(years.begin(), years.end());
    t.quotes = quotes[p];
    std::set<std::string> speakers;
    for (const auto& q : t.quotes) {
      if (!q.speaker.empty())
        speakers.insert(q.speaker);
      else if (!q.speaker_name.empty())
        speakers.insert(unknown_speaker_key(q.speaker_name));
    }
    t.speakers.assign(speakers.begin(), speakers.end());
  }
  return out;
}

}  // namespace quire
