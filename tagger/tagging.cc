// Document tagging: runs the actor, date, quote and theme taggers over a document. See tagging.h.
#include "quire/tagging.h"

#include <algorithm>
#include <map>
#include <set>

#include "quire/fold.h"
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
  std::vector<std::string> words;
  for (auto& t : tokenize(fold_accents(name))) words.push_back(std::move(t.term));
  std::string key = "~";
  for (std::size_t k = 0; k < words.size(); ++k) {
    // A middle initial is no part of who it is: "Nikita S. Khrushchev", "Franklin D. Roosevelt".
    if (k > 0 && k + 1 < words.size() && words[k].size() == 1) continue;
    key += (key.size() > 1 ? "-" : "") + words[k];
  }
  return key;
}

namespace {

// The last word of a name's key: "~scott-reed" -> "reed".
std::string last_key_word(const std::string& key) {
  return key.substr(key.rfind('-') == std::string::npos ? 1 : key.rfind('-') + 1);
}

// A surname alone is the person the same document names in full: "Scott Reed" said, then "Reed
// added". Only when one person of the document has that surname (two Clintons stay apart).
void one_speaker_per_surname(std::vector<std::vector<Quote>>& quotes, const Gazetteer& gazetteer) {
  std::map<std::string, std::set<std::pair<std::string, std::string>>> full;  // surname -> (id, label)
  for (const auto& qs : quotes) {
    for (const auto& q : qs) {
      if (q.speaker_name.empty()) continue;
      std::string key = q.speaker.empty() ? unknown_speaker_key(q.speaker_name) : "";
      if (!q.speaker.empty()) {
        const Actor* a = gazetteer.find(q.speaker);
        if (!a || a->type != ActorType::kPerson) continue;
        key = unknown_speaker_key(a->name);
      }
      if (key.find('-') == std::string::npos) continue;
      full[last_key_word(key)].insert({q.speaker, q.speaker_name});
    }
  }
  for (auto& qs : quotes) {
    for (auto& q : qs) {
      if (!q.speaker.empty() || q.speaker_name.empty()) continue;
      const std::string key = unknown_speaker_key(q.speaker_name);
      if (key.find('-') != std::string::npos) continue;
      auto it = full.find(key.substr(1));
      if (it == full.end() || it->second.size() != 1) continue;
      q.speaker = it->second.begin()->first;
      q.speaker_name = it->second.begin()->second;
    }
  }
}

}  // namespace

std::vector<PassageTags> Tagger::tag_document(const std::vector<std::string>& passages, int year,
                                              const std::vector<std::string>& sections) const {
  thread_local const Stemmer stemmer;
  const std::vector<std::string> blocks = blocks_->classify(passages, sections);
  std::vector<std::vector<ActorMention>> mentions = gazetteer_.tag(passages, year);
  for (std::size_t p = 0; p < passages.size(); ++p) {
    if (!blocks[p].empty()) mentions[p].clear();
  }
  std::vector<std::vector<Quote>> quotes = find_quotes(passages, mentions, gazetteer_, *speakers_, year);
  one_speaker_per_surname(quotes, gazetteer_);
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
