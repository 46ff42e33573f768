// Highlighting by re-tokenizing the passage exactly as the index did. See highlighter.h.
#include "quire/highlighter.h"

#include <algorithm>

#include "quire/fold.h"
#include "quire/tokenizer.h"

namespace quire {
namespace {

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

const std::string& StemCache::operator()(const std::string& word) {
  if (auto it = stems_.find(word); it != stems_.end()) return it->second;
  if (stems_.size() >= max_words_) stems_.clear();  // a bound, not an LRU: a stem is cheap to redo
  return stems_.emplace(word, stemmer_(word)).first->second;
}

std::vector<Span> highlight(std::string_view text, const HighlightQuery& q, const Stemmer& stemmer) {
  StemCache stems(stemmer);
  return highlight(text, q, stems);
}

std::vector<Span> highlight(std::string_view text, const HighlightQuery& q, StemCache& stems) {
  std::vector<Span> spans;
  if (q.empty()) return spans;
  std::vector<Token> tokens = tokenize(text);
  // The index holds the words accent-folded (fold.h), and so does the query; the spans still mark
  // the characters of `text` as written.
  for (Token& t : tokens) t.term = fold_accents(t.term);
  // "efforts1" is also "efforts" (glued_number_base()), as the index has it.
  std::vector<std::string> bases(tokens.size());
  for (std::size_t i = 0; i < tokens.size(); ++i) bases[i] = glued_number_base(tokens[i].term);
  const auto is = [&](std::size_t i, const std::string& word) {
    return tokens[i].term == word || (!bases[i].empty() && bases[i] == word);
  };
  std::vector<bool> in_phrase(tokens.size(), false);
  for (const auto& phrase : q.phrases) {
    if (phrase.empty() || phrase.size() > tokens.size()) continue;
    for (std::size_t i = 0; i + phrase.size() <= tokens.size(); ++i) {
      bool match = true;
      for (std::size_t k = 0; k < phrase.size() && match; ++k) match = is(i + k, phrase[k]);
      if (!match) continue;
      spans.emplace_back(tokens[i].cp_begin, tokens[i + phrase.size() - 1].cp_end);
      for (std::size_t k = 0; k < phrase.size(); ++k) in_phrase[i + k] = true;
    }
  }
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (in_phrase[i]) continue;
    const Token& t = tokens[i];
    const std::string& base = bases[i];
    bool hit = q.words.count(t.term) > 0 || (!base.empty() && q.words.count(base) > 0);
    // "Pakistan" in a query matches the word; show "Pakistan's" too.
    if (!hit && ends_with(t.term, "'s")) hit = q.words.count(t.term.substr(0, t.term.size() - 2)) > 0;
    if (!hit && !q.stems.empty() && t.stemmable)
      hit = q.stems.count(stems(t.term)) > 0 || (!base.empty() && q.stems.count(stems(base)) > 0);
    if (!hit) {
      for (const auto& p : q.prefixes) {
        if (t.term.compare(0, p.size(), p) == 0) {
          hit = true;
          break;
        }
      }
    }
    if (hit) spans.emplace_back(t.cp_begin, t.cp_end);
  }
  std::sort(spans.begin(), spans.end());
  // Merge overlaps (two phrases sharing words become one span).
  std::vector<Span> merged;
  for (const auto& s : spans) {
    if (!merged.empty() && s.first < merged.back().second) {
      merged.back().second = std::max(merged.back().second, s.second);
    } else {
      merged.push_back(s);
    }
  }
  return merged;
}

std::size_t byte_offset(std::string_view text, std::uint32_t cp) {
  std::size_t i = 0;
  std::uint32_t n = 0;
  while (i < text.size() && n < cp) {
    ++i;
    while (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) ++i;
    ++n;
  }
  return i;
}

}  // namespace quire
