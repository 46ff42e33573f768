// Document tagging: runs the actor, date, quote and theme taggers over a document. See tagging.h.
#include "quire/tagging.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>

#include "quire/fold.h"
#include "quire/tokenizer.h"

namespace quire {

Tagger::Tagger(const std::string& schema_dir)
    : gazetteer_(Gazetteer::load(schema_dir + "/actors.xml")),
      themes_(std::make_shared<const ThemeSet>(ThemeSet::load(schema_dir + "/themes.xml"))),
      speakers_(std::make_shared<const SpeakerRules>(SpeakerRules::load(schema_dir + "/speakers.xml"))),
      blocks_(std::make_shared<const BlockRules>(BlockRules::load(schema_dir + "/blocks.xml"))) {
  index_known_speakers();
}

Tagger Tagger::with_people(const std::vector<CataloguePerson>& people) const {
  return Tagger(gazetteer_.with_people(people), themes_, speakers_, blocks_);
}

std::string unknown_speaker_key(const std::string& name) {
  std::vector<std::string> words;
  for (auto& t : tokenize(fold_accents(name))) words.push_back(std::move(t.term));
  // Middle names and initials are no part of who it is: "Nikita S. Khrushchev", "Franklin Delano
  // Roosevelt", "Leonid Ilyich Brezhnev" are their first and last names.
  if (words.empty()) return "~";
  return words.size() == 1 ? "~" + words[0] : "~" + words.front() + "-" + words.back();
}

namespace {

// The words of a key: "~dag-hammarskjold" -> {"dag", "hammarskjold"}.
std::vector<std::string> key_words(const std::string& key) {
  std::vector<std::string> out;
  std::size_t b = 1;
  while (b <= key.size()) {
    const std::size_t e = std::min(key.find('-', b), key.size());
    if (e > b) out.push_back(key.substr(b, e - b));
    b = e + 1;
  }
  return out;
}

// Levenshtein distance of a and b, or limit + 1 once it is sure to exceed `limit`.
std::size_t edit_distance(const std::string& a, const std::string& b, std::size_t limit) {
  if ((a.size() > b.size() ? a.size() - b.size() : b.size() - a.size()) > limit) return limit + 1;
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0], best = ++row[0];
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
      best = std::min(best, row[j]);
    }
    if (best > limit) return limit + 1;
  }
  return row[b.size()];
}

// How many letters a spelling of a name word may get wrong (OCR, typing) and still be that word: none
// in a short word, one from four letters, two from nine ("Haramarskjold").
std::size_t tolerance(const std::string& w) { return w.size() >= 9 ? 2 : w.size() >= 4 ? 1 : 0; }

bool close(const std::string& a, const std::string& b, std::size_t tol) {
  return a == b || edit_distance(a, b, tol) <= tol;
}

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

void Tagger::index_known_speakers() {
  std::set<std::string> keys;
  const auto add = [&](const std::string& id, const std::string& label, bool holder) {
    const std::string key = unknown_speaker_key(label);
    std::vector<std::string> words = key_words(key);
    if (words.size() < 2 || !keys.insert(key).second) return;  // a one-word name is nobody's in particular
    known_by_first_[words.front()].push_back(known_.size());
    known_by_last_[words.back()].push_back(known_.size());
    known_.push_back({id, label, std::move(words), holder});
  };
  for (const Actor& a : gazetteer_.actors())
    if (a.type == ActorType::kPerson) add(a.id, a.name, false);
  for (const std::string& name : office_holders(*speakers_)) {
    bool person = false;  // the gazetteer's entry first
    for (const auto& id : gazetteer_.resolve(name)) {
      const Actor* a = gazetteer_.find(id);
      person = person || (a && a->type == ActorType::kPerson);
    }
    if (!person) add("", name, true);
  }
}

const Tagger::KnownSpeaker* Tagger::known_speaker(const std::string& label) const {
  const std::vector<std::string> words = key_words(unknown_speaker_key(label));
  if (words.empty()) return nullptr;
  const KnownSpeaker* found = nullptr;
  bool several = false;
  const auto consider = [&](const KnownSpeaker& k) {
    if (found == &k) return;
    several = several || found;
    found = &k;
  };
  if (words.size() == 1) {
    // A surname alone: an office holder's, the one person the rules know by it ("Hammarskjold").
    // Other people need their full name, which the gazetteer's own rules judge.
    const std::string& w = words[0];
    if (w.size() < 4) return nullptr;
    for (const KnownSpeaker& k : known_)
      if (k.holder && close(w, k.words.back(), w.size() >= 6 ? tolerance(w) : 0)) consider(k);
    return several ? nullptr : found;
  }
  // First and last name: both as spelt, or one of them as spelt and the other within its tolerance
  // ("Dag Hammarskjld", "Dig Hammarskjold", "Kofi Anan").
  const std::string &first = words.front(), &last = words.back();
  for (const auto* list : {&known_by_first_, &known_by_last_}) {
    const auto it = list->find(list == &known_by_first_ ? first : last);
    if (it == list->end()) continue;
    for (std::size_t i : it->second) {
      const KnownSpeaker& k = known_[i];
      const bool first_same = k.words.front() == first, last_same = k.words.back() == last;
      if ((first_same && close(last, k.words.back(), tolerance(last))) ||
          (last_same && last.size() >= 6 && close(first, k.words.front(), first.size() >= 3 ? 1 : 0)))
        consider(k);
    }
  }
  return several ? nullptr : found;
}

std::string Tagger::speaker_key(const std::string& label) const {
  if (const KnownSpeaker* k = known_speaker(label)) return k->id.empty() ? unknown_speaker_key(k->label) : k->id;
  return unknown_speaker_key(label);
}

std::vector<PassageTags> Tagger::tag_document(const std::vector<std::string>& passages, int year,
                                              const std::vector<std::string>& sections) const {
  return tag_document_on(passages, year > 0 ? std::to_string(year) : std::string(), sections);
}

std::vector<PassageTags> Tagger::tag_document_on(const std::vector<std::string>& passages, const std::string& date,
                                                 const std::vector<std::string>& sections) const {
  thread_local const Stemmer stemmer;
  const int year = date.size() >= 4 ? std::atoi(date.substr(0, 4).c_str()) : 0;
  const std::vector<std::string> blocks = blocks_->classify(passages, sections);
  std::vector<std::vector<ActorMention>> mentions = gazetteer_.tag_on(passages, date);
  for (std::size_t p = 0; p < passages.size(); ++p) {
    if (!blocks[p].empty()) mentions[p].clear();
  }
  std::vector<std::vector<Quote>> quotes = find_quotes(passages, mentions, gazetteer_, *speakers_, year);
  one_speaker_per_surname(quotes, gazetteer_);
  // Then across documents: a person the gazetteer or the rules know keeps one key however the
  // document spells them.
  for (auto& qs : quotes) {
    for (auto& q : qs) {
      if (!q.speaker.empty() || q.speaker_name.empty()) continue;
      if (const KnownSpeaker* k = known_speaker(q.speaker_name)) {
        q.speaker = k->id;
        q.speaker_name = k->label;
      }
    }
  }
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
