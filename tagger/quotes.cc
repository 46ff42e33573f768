// Quote spans and speaker attribution. See quotes.h for the rules.
#include "quire/quotes.h"

#include <algorithm>
#include <regex>
#include <set>

#include "quire/tokenizer.h"
#include "quire/utf8.h"

namespace quire {
namespace {

const std::set<std::string>& speech_verbs() {
  static const std::set<std::string> v = {
      "said",      "says",      "say",          "saying",        "described",   "describes",   "describing",
      "called",    "calls",     "calling",      "stated",        "stating",     "told",        "tells",
      "noted",     "notes",     "noting",       "added",         "adding",      "claimed",     "claims",
      "claiming",  "declared",  "declaring",    "emphasised",    "emphasized",  "emphasising", "emphasizing",
      "insisted",  "insisting", "acknowledged", "acknowledging", "highlighted", "expressed",   "pledged",
      "warned",    "warning",   "argued",       "arguing",       "wrote",       "writes",      "remarked",
      "announced", "stressed",  "stressing",    "urged",         "praised",     "asserted",    "observed",
      "explained", "affirmed",  "reiterated",   "promised",      "vowed",       "labelled",    "labeled",
      "termed",    "dubbed",    "quipped",      "replied",       "responded"};
  return v;
}

struct Span {
  std::uint32_t b, e;  // code points
};

// Quote spans (inside the marks) in a passage given as code points.
std::vector<Span> quote_spans(const std::vector<char32_t>& cps) {
  std::vector<Span> out;
  const auto is_letter = [](char32_t c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0xC0;
  };
  for (std::uint32_t i = 0; i < cps.size(); ++i) {
    const char32_t c = cps[i];
    char32_t close = 0;
    if (c == 0x201C)
      close = 0x201D;
    else if (c == '"')
      close = '"';
    else if (c == 0x2018 && (i == 0 || !is_letter(cps[i - 1])))
      close = 0x2019;
    if (!close) continue;
    for (std::uint32_t j = i + 1; j < cps.size(); ++j) {
      if (cps[j] != close) continue;
      // A closing single quote is also an apostrophe: only one followed by a non-letter closes.
      if (close == 0x2019 && j + 1 < cps.size() && is_letter(cps[j + 1])) continue;
      if (j > i + 1) out.push_back({i + 1, j});
      i = j;
      break;
    }
  }
  return out;
}

// Start of the sentence holding code point `at`: just after the last ". " (or ! ?) before it.
std::uint32_t sentence_start(const std::vector<char32_t>& cps, std::uint32_t at) {
  for (std::uint32_t i = at; i-- > 1;) {
    const char32_t c = cps[i - 1];
    if ((c == '.' || c == '!' || c == '?') && cps[i] == ' ' && i >= 2) {
      const char32_t before = cps[i - 2];
      if ((before >= 'a' && before <= 'z') || before == ')' || (before >= '0' && before <= '9') || before == 0x201D)
        return i + 1;
    }
  }
  return 0;
}

std::uint32_t sentence_end(const std::vector<char32_t>& cps, std::uint32_t at) {
  for (std::uint32_t i = at; i + 1 < cps.size(); ++i) {
    const char32_t c = cps[i];
    if ((c == '.' || c == '!' || c == '?') && cps[i + 1] == ' ' && i > 0 && cps[i - 1] >= 'a' && cps[i - 1] <= 'z')
      return i + 1;
  }
  return static_cast<std::uint32_t>(cps.size());
}

struct Person {
  std::uint32_t b, e;
  std::string id, name;
};

}  // namespace

std::vector<std::vector<Quote>> find_quotes(const std::vector<std::string>& passages,
                                            const std::vector<std::vector<ActorMention>>& mentions,
                                            const Gazetteer& g) {
  std::vector<std::vector<Quote>> out(passages.size());
  std::vector<std::string> previous_sentence_people;  // people named in the last sentence that named any
  static const std::regex named_before_verb(
      R"(([A-Z][a-z]+(?:[ -][A-Z][a-z]+){1,2})\s+(?:said|says|told|stated|added|noted|claimed|declared|insisted|warned|wrote|argued|explained|highlighted|emphasised|emphasized|described|called|stressed)\b)",
      std::regex::optimize);

  for (std::size_t p = 0; p < passages.size(); ++p) {
    const std::string& text = passages[p];
    std::vector<char32_t> cps;
    std::vector<std::size_t> byte_at;
    for (std::size_t i = 0; i < text.size();) {
      byte_at.push_back(i);
      cps.push_back(next_codepoint(text, i));
    }
    byte_at.push_back(text.size());
    const auto substr = [&](std::uint32_t b, std::uint32_t e) {
      return text.substr(byte_at[b], byte_at[e] - byte_at[b]);
    };

    std::vector<Person> people;
    for (const auto& m : p < mentions.size() ? mentions[p] : std::vector<ActorMention>{}) {
      const Actor* a = g.find(m.actor);
      if (a && a->type == ActorType::kPerson)
        people.push_back({m.cp_begin, m.cp_end, m.actor, substr(m.cp_begin, m.cp_end)});
    }
    const std::vector<Token> tokens = tokenize(text);
    const auto is_verb = [&](const Token& t) { return speech_verbs().count(t.term) > 0; };

    std::uint32_t last_sentence_seen = 0;
    const auto note_people_up_to = [&](std::uint32_t upto) {
      // Record, sentence by sentence, who the latest sentence naming anyone named.
      while (last_sentence_seen < upto) {
        const std::uint32_t end = sentence_end(cps, last_sentence_seen);
        if (end > upto) break;  // the sentence reaching past `upto` is not finished yet
        std::vector<std::string> named;
        for (const auto& person : people) {
          if (person.b >= last_sentence_seen && person.b < end &&
              std::find(named.begin(), named.end(), person.id) == named.end())
            named.push_back(person.id);
        }
        if (!named.empty()) previous_sentence_people = named;
        if (end <= last_sentence_seen) break;
        last_sentence_seen = end;
      }
    };

    for (const Span& s : quote_spans(cps)) {
      Quote q;
      q.cp_begin = s.b;
      q.cp_end = s.e;
      q.text = substr(s.b, s.e);
      // Words as written, split at spaces: "all-weather friendship" is two words.
      std::size_t words = 0;
      bool in_word = false;
      for (std::uint32_t k = s.b; k < s.e; ++k) {
        const bool space = cps[k] == ' ' || cps[k] == 0xA0;
        if (!space && !in_word) ++words;
        in_word = !space;
      }
      q.scare = words <= 2;
      const std::uint32_t start = sentence_start(cps, s.b - 1);
      note_people_up_to(start);
      if (!q.scare) {
        // Reporting verbs between the sentence start and the quote, nearest the quote first.
        std::vector<std::size_t> verbs;
        for (std::size_t k = 0; k < tokens.size(); ++k) {
          if (tokens[k].cp_begin >= start && tokens[k].cp_end <= s.b && is_verb(tokens[k])) verbs.push_back(k);
        }
        std::size_t v = verbs.size();
        while (v > 0) {
          const std::size_t k = verbs[v - 1];
          const bool coordinated = k > 0 && (tokens[k - 1].term == "and" || tokens[k - 1].term == "but");
          if (coordinated && v > 1) {
            --v;
            continue;
          }
          break;
        }
        if (v > 0) {
          const std::uint32_t verb_at = tokens[verbs[v - 1]].cp_begin;
          const Person* best = nullptr;
          for (const auto& person : people) {
            if (person.b >= start && person.e <= verb_at) best = &person;
          }
          if (best) {
            q.speaker = best->id;
            q.speaker_name = best->name;
          } else {
            // "he said": the one person the sentence before named.
            const std::size_t k = verbs[v - 1];
            const bool pronoun = k > 0 && (tokens[k - 1].term == "he" || tokens[k - 1].term == "she");
            if (pronoun && previous_sentence_people.size() == 1) {
              q.speaker = previous_sentence_people.front();
              const Actor* a = g.find(q.speaker);
              q.speaker_name = a ? a->name : q.speaker;
            } else {
              std::smatch m;
              const std::string before = substr(start, s.b);
              if (std::regex_search(before, m, named_before_verb)) q.speaker_name = m[1].str();
            }
          }
        }
        if (q.speaker_name.empty()) {
          // Right after the quote: "…,” said Foreign Minister Ishaq Dar. / "…,” Dar said.
          std::size_t k = 0;
          while (k < tokens.size() && tokens[k].cp_begin < s.e) ++k;
          static const std::set<std::string> said = {"said", "says",    "added", "noted",     "wrote",
                                                     "told", "replied", "asked", "continued", "explained"};
          const auto person_at = [&](std::size_t tok) -> const Person* {
            for (const auto& person : people) {
              if (tok < tokens.size() && person.b == tokens[tok].cp_begin) return &person;
            }
            return nullptr;
          };
          const Person* who = nullptr;
          if (k < tokens.size() && tokens[k].cp_begin <= s.e + 3 && said.count(tokens[k].term)) {
            for (std::size_t j = k + 1; j < tokens.size() && j <= k + 4 && !who; ++j) who = person_at(j);
          } else if (const Person* first = person_at(k); first && tokens[k].cp_begin <= s.e + 3) {
            std::size_t j = k;
            while (j < tokens.size() && tokens[j].cp_end <= first->e) ++j;
            if (j < tokens.size() && said.count(tokens[j].term)) who = first;
          }
          if (who) {
            q.speaker = who->id;
            q.speaker_name = who->name;
          }
        }
      }
      out[p].push_back(std::move(q));
    }
    note_people_up_to(static_cast<std::uint32_t>(cps.size()));
  }
  return out;
}

}  // namespace quire
