// Quote spans and speaker attribution. See quotes.h for the rules; the word lists are in
// schemas/speakers.xml.
#include "quire/quotes.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <optional>
#include <pugixml.hpp>
#include <set>

#include "quire/errors.h"
#include "quire/files.h"
#include "quire/tokenizer.h"
#include "quire/utf8.h"
#include "xml_input.h"

namespace quire {

namespace {

// A phrase of the rules, as the tokenizer splits it.
struct Phrase {
  std::vector<std::string> terms;  ///< lower case
  std::vector<std::string> exact;  ///< as written, dots removed; empty unless case="exact"
};

struct Holder {
  std::string name;
  int from = 0, to = 0;  ///< years; 0 = open
};

struct Office {
  std::string title;
  std::vector<Phrase> names;  ///< the title and its aliases
  std::vector<Holder> holders;
};

std::string without_dots(const std::string& s) {
  std::string out;
  for (char c : s)
    if (c != '.') out += c;
  return out;
}

}  // namespace

struct SpeakerRules::Impl {
  std::set<std::string> verbs, function_words, between, abbreviations, not_speakers, not_alone, joiners;
  std::vector<Phrase> honorifics, titles;
  std::vector<Office> offices;
};

SpeakerRules::SpeakerRules() : impl_(std::make_unique<Impl>()) {}
SpeakerRules::~SpeakerRules() = default;
SpeakerRules::SpeakerRules(SpeakerRules&&) noexcept = default;
SpeakerRules& SpeakerRules::operator=(SpeakerRules&&) noexcept = default;

SpeakerRules SpeakerRules::load(const std::string& path) { return parse(path, read_whole_file(path)); }

SpeakerRules SpeakerRules::parse(const std::string& path, const std::string& xml) {
  pugi::xml_document doc;
  const pugi::xml_node root = parse_rule_file(doc, path, xml, "speakers");
  const auto fail = [&](const std::string& why, const pugi::xml_node& n) { fail_at(path, xml, n, why); };
  SpeakerRules rules;
  Impl& im = *rules.impl_;
  const auto phrase = [&](const pugi::xml_node& n, const std::string& text) {
    Phrase p;
    const bool exact = std::strcmp(n.attribute("case").as_string("any"), "exact") == 0;
    for (const auto& t : tokenize(text)) {
      p.terms.push_back(t.term);
      if (exact) p.exact.push_back(without_dots(text.substr(t.byte_begin, t.byte_end - t.byte_begin)));
    }
    if (p.terms.empty()) fail("<" + std::string(n.name()) + "> has no words", n);
    return p;
  };
  const auto word = [&](const pugi::xml_node& n) {
    const std::vector<Token> t = tokenize(n.text().get());
    if (t.size() != 1) fail("<" + std::string(n.name()) + "> must be one word", n);
    return t.front().term;
  };
  const auto year = [&](const pugi::xml_node& n, const char* attr) {
    const std::string v = n.attribute(attr).as_string();
    if (v.empty()) return 0;
    if (v.size() < 4 || v.find_first_not_of("0123456789-") != std::string::npos)
      fail(std::string(attr) + "=\"" + v + "\" is not a date (YYYY or YYYY-MM-DD)", n);
    return std::stoi(v.substr(0, 4));
  };
  for (const pugi::xml_node n : root.children()) {
    if (n.type() != pugi::node_element) continue;
    const std::string name = n.name();
    if (name == "verb") {
      im.verbs.insert(word(n));
    } else if (name == "function") {
      im.function_words.insert(word(n));
    } else if (name == "abbreviation") {
      std::string a = without_dots(n.text().get());
      if (a.empty() || a.size() + 1 != std::string(n.text().get()).size() || std::string(n.text().get()).back() != '.')
        fail("<abbreviation> must be one word ending in a dot (\"Dr.\")", n);
      for (char& c : a)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      im.abbreviations.insert(a);
    } else if (name == "not-speaker") {
      im.not_speakers.insert(word(n));
    } else if (name == "not-alone") {
      im.not_alone.insert(word(n));
    } else if (name == "between") {
      im.between.insert(word(n));
    } else if (name == "joiner") {
      im.joiners.insert(word(n));
    } else if (name == "honorific") {
      im.honorifics.push_back(phrase(n, n.text().get()));
    } else if (name == "title") {
      im.titles.push_back(phrase(n, n.text().get()));
    } else if (name == "office") {
      Office o;
      o.title = n.attribute("title").as_string();
      if (o.title.empty()) fail("<office> needs a title", n);
      o.names.push_back(phrase(n, o.title));
      for (const pugi::xml_node c : n.children()) {
        if (c.type() != pugi::node_element) continue;
        if (std::strcmp(c.name(), "alias") == 0) {
          o.names.push_back(phrase(c, c.text().get()));
        } else if (std::strcmp(c.name(), "holder") == 0) {
          Holder h{c.attribute("name").as_string(), year(c, "from"), year(c, "to")};
          if (h.name.empty()) fail("<holder> needs a name", c);
          if (h.from && h.to && h.from > h.to) fail("from is after to", c);
          o.holders.push_back(h);
        } else {
          fail("unexpected element <" + std::string(c.name()) + "> in <office>", c);
        }
      }
      im.offices.push_back(std::move(o));
    } else {
      fail("unexpected element <" + name + "> in <speakers>", n);
    }
  }
  if (im.verbs.empty()) fail("no <verb> given", root);
  return rules;
}

namespace {

// One word of a passage, with its spelling as written.
struct Word {
  std::string term, raw;
  std::uint32_t b = 0, e = 0;
  bool cap = false;  ///< starts with an upper-case letter
};

std::vector<Word> words_of(const std::string& text) {
  std::vector<Word> out;
  for (const Token& t : tokenize(text)) {
    Word w{t.term, text.substr(t.byte_begin, t.byte_end - t.byte_begin), t.cp_begin, t.cp_end, false};
    std::size_t i = 0;
    std::string first;
    append_utf8(first, next_codepoint(w.raw, i));
    w.cap = fold_case(first) != first;
    out.push_back(std::move(w));
  }
  return out;
}

bool possessive(const Word& w) {
  const std::string& t = w.term;
  return (t.size() > 2 && t.compare(t.size() - 2, 2, "'s") == 0) || (t.size() > 2 && t.back() == '\'');
}

bool is_pronoun(const Word& w) { return w.term == "he" || w.term == "she"; }

// Length of the longest phrase of `list` at words[i], or 0.
std::size_t phrase_at(const std::vector<Phrase>& list, const std::vector<Word>& words, std::size_t i, std::size_t end) {
  std::size_t best = 0;
  for (const Phrase& p : list) {
    if (p.terms.size() <= best || i + p.terms.size() > end) continue;
    bool ok = true;
    for (std::size_t k = 0; k < p.terms.size() && ok; ++k) {
      ok = p.exact.empty() ? words[i + k].term == p.terms[k] : without_dots(words[i + k].raw) == p.exact[k];
    }
    if (ok) best = p.terms.size();
  }
  return best;
}

bool is_title_word(const SpeakerRules::Impl& r, const std::vector<Word>& words, std::size_t i) {
  return phrase_at(r.titles, words, i, words.size()) > 0 || phrase_at(r.honorifics, words, i, words.size()) > 0;
}

// Particles inside names: "Javier Pérez de Cuéllar", "Osama bin Laden".
bool connector(const Word& w) {
  static const std::set<std::string> c = {"de",  "da",  "del", "della", "di",  "dos", "du", "la", "le",  "van",
                                          "von", "der", "den", "bin",   "ibn", "al",  "el", "y",  "ben", "abu"};
  return !w.cap && c.count(w.term) > 0;
}

// The holder of an office whose name is exactly words[i, end), at `year`: nullopt if the words name no
// office; "" (nobody) if no holder is known at that date ("the Secretary-General" in 1945); the
// office's title in a document with no date.
std::optional<std::string> office_holder(const SpeakerRules::Impl& r, const std::vector<Word>& words, std::size_t i,
                                         std::size_t end, int year) {
  for (const Office& o : r.offices) {
    for (const Phrase& p : o.names) {
      if (p.terms.size() != end - i) continue;
      if (phrase_at({p}, words, i, end) != p.terms.size()) continue;
      if (year == 0) return o.title;
      const Holder* best = nullptr;
      for (const Holder& h : o.holders) {
        if ((h.from == 0 || h.from <= year) && (h.to == 0 || year <= h.to) && (!best || h.from >= best->from))
          best = &h;
      }
      return best ? best->name : std::string();
    }
  }
  return std::nullopt;
}

// Skips the words a speaker's label never starts with from words[i]: function words ("As", "the"),
// honorifics ("Mr.", "His Excellency") and, with `titles`, titles ("President").
std::size_t skip_leading(const SpeakerRules::Impl& r, const std::vector<Word>& words, std::size_t i, std::size_t to,
                         bool titles) {
  for (;;) {
    if (i >= to) return i;
    // An honorific first: "His Majesty" is no "His" then "Majesty".
    if (const std::size_t n = phrase_at(r.honorifics, words, i, to)) {
      i += n;
      continue;
    }
    if (r.function_words.count(words[i].term) && (words[i].cap || !words[i].raw.empty())) {
      // A lower- or upper-case function word ("As", "the"); "US" written in capitals is no "us".
      if (!(words[i].raw.size() > 1 && without_dots(words[i].raw) == words[i].raw &&
            std::all_of(words[i].raw.begin(), words[i].raw.end(), [](char c) { return c >= 'A' && c <= 'Z'; }))) {
        ++i;
        continue;
      }
    }
    if (titles) {
      if (const std::size_t n = phrase_at(r.titles, words, i, to)) {
        i += n;
        continue;
      }
    }
    return i;
  }
}

// True when words[k] joins an office or a body to what it is of, inside one capitalised phrase: a
// lower-case joiner of the rules ("of", "for") after a capitalised word, or "the" after such a joiner
// ("Minister of the Interior"), with a capitalised word after it.
bool joins(const SpeakerRules::Impl& r, const std::vector<Word>& words, std::size_t k) {
  if (k == 0 || k + 1 >= words.size() || words[k].cap) return false;
  if (r.joiners.count(words[k].term))
    return words[k - 1].cap &&
           (words[k + 1].cap || (words[k + 1].term == "the" && k + 2 < words.size() && words[k + 2].cap));
  return words[k].term == "the" && words[k + 1].cap && k >= 2 && !words[k - 1].cap &&
         r.joiners.count(words[k - 1].term) && words[k - 2].cap;
}

// A title of the rules that starts before words[j] and takes it in ("Minister for Foreign Affairs",
// "Secretary of State"): its first word, or `j` if none.
std::size_t title_over(const SpeakerRules::Impl& r, const std::vector<Word>& words, std::size_t from, std::size_t j,
                       std::size_t to) {
  for (std::size_t k = from; k < j; ++k) {
    if (const std::size_t n = phrase_at(r.titles, words, k, to); n && k + n > j) return k;
  }
  return j;
}

// The first joiner of words[from, to) that splits "X of Y" (words[from, j) speak for themselves): not
// one a title takes in, nor one `inside` says is part of a known name ("Organization of American
// States"). `to` if none.
template <typename Inside>
std::size_t joiner_split(const SpeakerRules::Impl& r, const std::vector<Word>& words, std::size_t from, std::size_t to,
                         Inside inside) {
  for (std::size_t j = from + 1; j + 1 < to; ++j) {
    if (!r.joiners.count(words[j].term) || words[j].cap || !joins(r, words, j)) continue;
    if (title_over(r, words, from, j, to) < j || inside(j)) continue;
    return j;
  }
  return to;
}

std::size_t joiner_split(const SpeakerRules::Impl& r, const std::vector<Word>& words, std::size_t from,
                         std::size_t to) {
  return joiner_split(r, words, from, to, [](std::size_t) { return false; });
}

// A word as a label writes it: as written, except that a word in capitals is capitalised ("ANNAN").
std::string proper_case(const std::string& raw) {
  bool lower = false;
  std::size_t letters = 0;
  for (unsigned char c : raw) {
    if (c >= 'a' && c <= 'z') lower = true;
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) ++letters;
  }
  const bool roman = raw.find_first_not_of("IVXLCDM") == std::string::npos;  // "John XXIII"
  if (lower || letters <= 3 || roman) return raw;
  std::string out = raw;
  for (std::size_t k = 1; k < out.size(); ++k) {
    if (out[k] >= 'A' && out[k] <= 'Z' && out[k - 1] != ' ' && out[k - 1] != '-')
      out[k] = static_cast<char>(out[k] - 'A' + 'a');
  }
  return out;
}

// The label of the speaker phrase words[from, to) of `text`, or "".
std::string label_of(const SpeakerRules::Impl& r, const std::string& text, const std::vector<std::size_t>& byte_at,
                     const std::vector<Word>& words, std::size_t from, std::size_t to, int year) {
  const auto strip_leading = [&](std::size_t i, bool titles) { return skip_leading(r, words, i, to, titles); };
  std::size_t i = strip_leading(from, false);
  if (i >= to) return "";
  if (const auto holder = office_holder(r, words, i, to, year)) return *holder;
  // "X of Y", "X for Y": X is the one who speaks ("Jane Roe of the Heritage Foundation" is Jane Roe),
  // and an office or a body with only its head ("the Ministry of Defence", "the President of the
  // General Assembly") is nobody, unless the rules know its holder (above). An X that is an office of
  // the rules, of a Y that is not its body, is another office: "the Secretary-General of NATO" is not
  // the UN's.
  if (const std::size_t j = joiner_split(r, words, i, to); j < to) {
    if (office_holder(r, words, i, j, year)) return "";
    std::string before = label_of(r, text, byte_at, words, i, j, year);
    // "Speaker of the House Rep. Paul Ryan": a bare title, what it is of, then a title and a name.
    for (std::size_t t = to - 1; before.empty() && t > j + 1; --t)
      if (is_title_word(r, words, t) && t + 1 < to) return label_of(r, text, byte_at, words, t, to, year);
    return before;
  }
  // The name is the trailing run of capitalised words that are no title: "Clinton's campaign
  // manager Robby Mook" is Robby Mook.
  std::size_t b = to;
  while (b > i) {
    const Word& w = words[b - 1];
    if (possessive(w)) break;
    if (w.cap && !is_title_word(r, words, b - 1) && !r.function_words.count(w.term)) {
      --b;
      continue;
    }
    if (connector(w) && b < to && b - 1 > i && words[b - 2].cap) {
      --b;
      continue;
    }
    break;
  }
  if (b == to) return "";
  // A title the run only ends ("Minister for Foreign Affairs Jane Roe"): the run starts with the title.
  b = title_over(r, words, i, b, to);
  b = strip_leading(b, true);
  if (b >= to) return "";
  // A text or a place is nobody's voice: "the Charter says", "Article III states". The head
  // decides (the last word, before a number): "Bill Clinton" is a person.
  std::size_t head = to - 1;
  if (head > b && words[head].raw.find_first_not_of("IVXLCDM0123456789") == std::string::npos) --head;
  if (r.not_speakers.count(words[head].term)) return "";
  if (b + 1 == to && r.not_alone.count(words[b].term)) return "";  // "my Government", "the Assembly"
  // A participle alone is no name: "Having said this, ...".
  if (b + 1 == to && words[b].term.size() > 5 && words[b].term.compare(words[b].term.size() - 3, 3, "ing") == 0)
    return "";
  if (const auto holder = office_holder(r, words, b, to, year)) return *holder;
  std::string label;
  for (std::size_t k = b; k < to; ++k) {
    if (k > b) {
      // Keep what joins the words as written ("Ki-moon", "John F. Kennedy"), with spaces made single.
      std::string gap = text.substr(byte_at[words[k - 1].e], byte_at[words[k].b] - byte_at[words[k - 1].e]);
      label += gap.find_first_not_of(" \t\n\xC2\xA0") == std::string::npos
                   ? " "
                   : collapse_space(gap) + (gap.back() == ' ' ? " " : "");
    }
    label += proper_case(words[k].raw);
  }
  return label;
}

struct Span {
  std::uint32_t b, e;  // code points
};

// Quote spans (inside the marks) in a passage given as code points.
//
// A double quotation mark opens or closes by what stands beside it, not by its shape alone: texts
// mix straight and curly marks (“…," or "…”) and turn curly ones the wrong way (“It's over,“ said
// Dar). A mark after a space, a bracket, a dash or the passage's start and before a non-space
// opens; a mark after a non-space and before a space, punctuation or the end closes. A mark with
// neither context (a lone mark between spaces, or inside a word) goes by its shape: “ opens, ”
// closes, " closes an open quote or else opens one. Marks nest: a closing mark closes the latest
// open one, and a quote inside another is part of it (only the outer one is kept). A mark never
// closed (a quotation that goes on in the next paragraph) gives no span. Curly single quotes pair
// only with each other, outside double quotes, told apart from apostrophes.
std::vector<Span> quote_spans(const std::vector<char32_t>& cps) {
  std::vector<Span> found;
  const auto is_letter = [](char32_t c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0xC0;
  };
  const auto is_space = [](char32_t c) { return c == ' ' || c == '\t' || c == 0xA0 || c == '\n'; };
  const auto is_double = [](char32_t c) { return c == 0x201C || c == 0x201D || c == '"'; };
  const auto opener_before = [&](char32_t c) {
    return is_space(c) || c == '(' || c == '[' || c == 0x2014 || c == 0x2013 || c == '-' || c == '/' || c == 0xFEFF;
  };
  const std::uint32_t n = static_cast<std::uint32_t>(cps.size());
  std::vector<std::uint32_t> open;  // positions of the open double marks, innermost last
  for (std::uint32_t i = 0; i < n; ++i) {
    const char32_t c = cps[i];
    if (is_double(c)) {
      const bool space_left = i == 0 || opener_before(cps[i - 1]);
      const bool space_right = i + 1 == n || is_space(cps[i + 1]);
      const bool word_right = !space_right && (is_letter(cps[i + 1]) || !is_double(cps[i + 1]));
      const bool closes_right = space_right || !is_letter(cps[i + 1]);
      bool opening;
      if (space_left && word_right && !space_right)
        opening = true;
      else if (!space_left && closes_right)
        opening = false;
      else
        opening = c == 0x201C || (c == '"' && open.empty());
      if (opening) {
        open.push_back(i);
      } else if (!open.empty()) {
        if (i > open.back() + 1) found.push_back({open.back() + 1, i});
        open.pop_back();
      }
      continue;
    }
    if (!open.empty() || c != 0x2018 || (i > 0 && is_letter(cps[i - 1]))) continue;
    for (std::uint32_t j = i + 1; j < n; ++j) {
      if (cps[j] != 0x2019) continue;
      // A closing single quote is also an apostrophe: only one followed by a non-letter closes.
      if (j + 1 < n && is_letter(cps[j + 1])) continue;
      if (j > i + 1) found.push_back({i + 1, j});
      i = j;
      break;
    }
  }
  // Outer quotes only, in text order.
  std::sort(found.begin(), found.end(),
            [](const Span& x, const Span& y) { return x.b < y.b || (x.b == y.b && x.e > y.e); });
  std::vector<Span> out;
  for (const Span& s : found)
    if (out.empty() || s.b >= out.back().e) out.push_back(s);
  return out;
}

// True when the '.' at cps[dot] ends an abbreviation of the rules ("Dr.", "Sen.", "Sept.").
bool abbreviation_at(const std::vector<char32_t>& cps, std::uint32_t dot, const std::set<std::string>& abbreviations) {
  std::string word;
  std::uint32_t b = dot;
  while (b > 0 && ((cps[b - 1] >= 'a' && cps[b - 1] <= 'z') || (cps[b - 1] >= 'A' && cps[b - 1] <= 'Z'))) --b;
  if (b == dot || dot - b > 6) return false;
  for (std::uint32_t k = b; k < dot; ++k)
    word += static_cast<char>(cps[k] >= 'A' && cps[k] <= 'Z' ? cps[k] - 'A' + 'a' : cps[k]);
  return abbreviations.count(word) > 0;
}

// Start of the sentence holding code point `at`: just after the last ". " (or ! ?) before it.
std::uint32_t sentence_start(const std::vector<char32_t>& cps, std::uint32_t at, const std::set<std::string>& abbr) {
  for (std::uint32_t i = at; i-- > 1;) {
    const char32_t c = cps[i - 1];
    if ((c == '.' || c == '!' || c == '?') && cps[i] == ' ' && i >= 2 &&
        !(c == '.' && abbreviation_at(cps, i - 1, abbr))) {
      const char32_t before = cps[i - 2];
      if ((before >= 'a' && before <= 'z') || before == ')' || (before >= '0' && before <= '9') || before == 0x201D)
        return i + 1;
    }
  }
  return 0;
}

std::uint32_t sentence_end(const std::vector<char32_t>& cps, std::uint32_t at, const std::set<std::string>& abbr) {
  for (std::uint32_t i = at; i + 1 < cps.size(); ++i) {
    const char32_t c = cps[i];
    if ((c == '.' || c == '!' || c == '?') && cps[i + 1] == ' ' && i > 0 && cps[i - 1] >= 'a' && cps[i - 1] <= 'z' &&
        !(c == '.' && abbreviation_at(cps, i, abbr)))
      return i + 1;
  }
  return static_cast<std::uint32_t>(cps.size());
}

// A quotation of capitalised words is a name of a work or a show ("Meet the Press", "Gang of
// Eight"), not somebody's words: like a scare quote, it has no speaker.
bool title_case(const std::vector<Word>& words, const Span& s) {
  static const std::set<std::string> minor = {"a",  "an", "the", "of",   "and", "or",   "in", "on",
                                              "at", "to", "for", "with", "by",  "from", "vs", "de"};
  std::size_t n = 0;
  for (const Word& w : words) {
    if (w.b < s.b || w.e > s.e) continue;
    if (!w.cap && (n == 0 || !minor.count(w.term))) return false;
    ++n;
  }
  return n > 0 && n <= 8;
}

std::string last_word(const std::string& label) {
  const std::size_t space = label.rfind(' ');
  return space == std::string::npos ? label : label.substr(space + 1);
}

struct Named {
  std::uint32_t b, e;
  std::string id, name;
  bool person;
};

struct Speaker {
  std::string id, name;
  bool pronoun = false;
  bool empty() const { return id.empty() && name.empty() && !pronoun; }
};

}  // namespace

std::vector<std::string> office_holders(const SpeakerRules& rules) {
  std::vector<std::string> out;
  for (const Office& o : rules.impl().offices)
    for (const Holder& h : o.holders)
      if (std::find(out.begin(), out.end(), h.name) == out.end()) out.push_back(h.name);
  return out;
}

std::string normalise_speaker(const std::string& phrase, const SpeakerRules& rules, int year) {
  const std::vector<Word> words = words_of(phrase);
  std::vector<std::size_t> byte_at;
  for (std::size_t i = 0; i < phrase.size();) {
    byte_at.push_back(i);
    next_codepoint(phrase, i);
  }
  byte_at.push_back(phrase.size());
  return label_of(rules.impl(), phrase, byte_at, words, 0, words.size(), year);
}

std::vector<std::vector<Quote>> find_quotes(const std::vector<std::string>& passages,
                                            const std::vector<std::vector<ActorMention>>& mentions, const Gazetteer& g,
                                            const SpeakerRules& rules, int year) {
  const SpeakerRules::Impl& r = rules.impl();
  std::vector<std::vector<Quote>> out(passages.size());
  std::vector<std::string> previous_sentence_people;  // people named in the last sentence that named any
  Speaker last_speaker;                               // of the last attributed quote
  std::size_t last_speaker_passage = 0;
  std::set<std::string> quoted_names;  // last words of the speakers found so far
  struct Pending {
    std::size_t passage, quote;
    Speaker who;
  };
  std::vector<Pending> pending;  // a sentence's opening name, kept until the document quotes it elsewhere
  Speaker continued;             // of the last quote that was not a scare quote, while no text came after it
  std::size_t continued_passage = 0;
  Speaker previous_intro;  // the speaker a passage ending with a colon introduces
  std::size_t intro_passage = 0;

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

    // People and bodies the gazetteer names (not a state's demonym, capital or place).
    std::vector<Named> named, places;  // places: states, territories, demonyms (nobody's voice)
    for (const auto& m : p < mentions.size() ? mentions[p] : std::vector<ActorMention>{}) {
      const Actor* a = g.find(m.actor);
      if (!a) continue;
      const bool person = a->type == ActorType::kPerson;
      const bool body =
          a->type == ActorType::kOrganisation && (m.kind == MentionKind::kName || m.kind == MentionKind::kAlias);
      if (person || body)
        named.push_back({m.cp_begin, m.cp_end, m.actor, a->name, person});
      else
        places.push_back({m.cp_begin, m.cp_end, m.actor, a->name, false});
    }
    // Words in parentheses are skipped: "Gov. John Kasich (R-OH), said" reads as "Kasich, said".
    std::vector<Word> words;
    {
      int depth = 0;
      std::uint32_t at = 0;
      for (Word& w : words_of(text)) {
        for (; at < w.b; ++at) {
          if (cps[at] == '(') ++depth;
          if (cps[at] == ')' && depth > 0) --depth;
        }
        if (depth == 0) words.push_back(std::move(w));
      }
    }
    const auto gap = [&](std::size_t i) {  // text between words i and i + 1, without parentheses
      if (i + 1 >= words.size()) return std::string();
      std::string raw_gap = substr(words[i].e, words[i + 1].b), cleaned;
      int depth = 0;
      for (char c : raw_gap) {
        if (c == '(') ++depth;
        if (depth == 0) cleaned += c;
        if (c == ')' && depth > 0) --depth;
      }
      while (cleaned.find("  ") != std::string::npos) cleaned.erase(cleaned.find("  "), 1);
      return cleaned;
    };
    // Words i and i + 1 belong to one phrase: only spaces, a hyphen, or the dot of an abbreviation.
    const auto joined = [&](std::size_t i) {
      const std::string s = gap(i);
      if (s.find_first_not_of(" \xC2\xA0") == std::string::npos) return true;
      if (s == "-") return true;
      const Word& w = words[i];
      return (s == ". " || s == ".") && w.cap && w.raw.size() <= 4;
    };
    const auto is_verb = [&](std::size_t k) { return r.verbs.count(words[k].term) > 0 && !words[k].cap; };

    // A speaker for the phrase words[from, to): the last gazetteer person or body in it, a pronoun,
    // or the phrase's label.
    const auto speaker_of = [&](std::size_t from, std::size_t to) {
      Speaker s;
      if (from >= to) return s;
      if (to - from == 1 && is_pronoun(words[from])) {
        s.pronoun = true;
        return s;
      }
      // "X of Y": X speaks, not Y ("Jane Roe of the Heritage Foundation", "the Secretary-General of
      // the United Nations"), unless a gazetteer person ends the phrase ("Prime Minister of India
      // Narendra Modi") or the joiner is inside a name the gazetteer knows ("Organization of
      // American States", "Republic of Korea").
      bool person_ends = false;
      for (const auto& n : named)
        person_ends = person_ends || (n.person && n.e == words[to - 1].e && n.b >= words[from].b);
      const auto inside = [&](std::size_t j) {
        for (const auto* list : {&named, &places})
          for (const auto& n : *list)
            if (n.b < words[j].b && words[j].e <= n.e) return true;
        return false;
      };
      if (const std::size_t j = person_ends ? to : joiner_split(r, words, from, to, inside); j < to) {
        // The whole phrase an office of the rules: its holder.
        const std::size_t i = skip_leading(r, words, from, to, false);
        if (i < to) {
          if (const auto holder = office_holder(r, words, i, to, year)) {
            s.name = *holder;
            return s;
          }
        }
        // "the Prime Minister of Japan Shinzo Abe": a bare title, a place, then a name.
        const std::size_t k = skip_leading(r, words, from, j, true);
        std::size_t after = j + 1;
        if (after < to && words[after].term == "the") ++after;
        std::size_t name_after = to;
        if (k >= j && after < to) {
          for (const auto& n : places) {
            if (n.b != words[after].b) continue;
            std::size_t e = after;
            while (e < to && words[e].e <= n.e) ++e;
            if (e < to && words[e].cap) name_after = e;
          }
        }
        // "Speaker of the House Rep. Paul Ryan": a bare title, what it is of, then a title and a name.
        // Not a body's name after the title ("the President of the General Assembly").
        for (std::size_t t = to - 1; k >= j && name_after == to && t > j + 1; --t) {
          if (!is_title_word(r, words, t) || t + 1 >= to) continue;
          bool body = false;
          for (const auto& n : named) body = body || (!n.person && n.b >= words[t].b && n.b < words[to - 1].e);
          if (!body) name_after = t;
        }
        if (name_after < to) {
          from = name_after;
        } else {
          // X, an office of the rules, of a Y that is not its body: another body's office, nobody
          // ("the Secretary-General of NATO" is not the UN's).
          if (i < j && office_holder(r, words, i, j, year)) return s;
          to = j;
        }
      }
      // A gazetteer person or body heads the phrase when it ends it: "CIA spokesman Ryan Trapani" is
      // Trapani, not the CIA.
      for (const auto& n : named) {
        if (n.b >= words[from].b && n.e == words[to - 1].e) {
          s.id = n.id;
          s.name = n.name;
        }
      }
      if (s.id.empty()) {
        // A state, its people or a place is not a speaker: "Chinese officials", "China said".
        for (const auto& n : places)
          if (n.b <= words[to - 1].b && words[to - 1].e <= n.e) return s;
        s.name = label_of(r, text, byte_at, words, from, to, year);
        // ... nor is a state's name the gazetteer knows only with context: "the representative of
        // Jordan said" is the delegate of a state, not a person called Jordan.
        for (const auto& id : g.resolve(s.name)) {
          const Actor* a = g.find(id);
          if (a && (a->type == ActorType::kState || a->type == ActorType::kTerritory)) s.name.clear();
        }
      }
      return s;
    };
    // The subject phrase ending just before word k (a verb), not reaching before word `left`.
    const auto subject_before = [&](std::size_t k, std::size_t left) {
      if (k == 0 || k <= left) return Speaker{};
      std::size_t m = k - 1;  // last word of the phrase
      while (m > left && !words[m].cap && r.between.count(words[m].term) && joined(m)) --m;
      if (!joined(m) && m + 1 < k) return Speaker{};
      if (gap(m).find(',') != std::string::npos && m + 1 == k) {
        // "Mook, Clinton's campaign manager, said": the phrase before the apposition.
        std::size_t j = m;
        bool found = false;
        while (j > left && m - j < 15) {
          --j;
          if (gap(j).find(',') != std::string::npos) {
            found = true;
            break;
          }
          if (!joined(j)) break;
        }
        // Without one, only a comma after a party tag: "Gov. John Kasich (R-OH), said".
        if (found)
          m = j;
        else if (substr(words[m].e, words[k].b).find(')') == std::string::npos)
          return Speaker{};
      } else if (!joined(m) && m + 1 == k && gap(m).find_first_not_of(" \xC2\xA0") != std::string::npos) {
        return Speaker{};
      }
      std::size_t b = m + 1;
      while (b > left && m + 1 - b < 12) {
        const Word& w = words[b - 1];
        // "of" and "for" inside the phrase ("The Minister for Foreign Affairs said"), for
        // speaker_of to read.
        const bool nameish = w.cap || possessive(w) || connector(w) || is_title_word(r, words, b - 1) ||
                             (b - 1 > left && b - 1 < m && joins(r, words, b - 1)) ||
                             (b - 1 < m && (w.term == "campaign" || w.term == "senior" || w.term == "press"));
        if (!nameish) break;
        if (b - 1 < m && !joined(b - 1)) break;
        --b;
        if (is_pronoun(w)) break;
      }
      return speaker_of(b, m + 1);
    };
    // The phrase starting at word k, up to a punctuation mark or a lower-case function word.
    const auto phrase_from = [&](std::size_t k) {
      std::size_t e = k;
      while (e < words.size() && e - k < 8) {
        const Word& w = words[e];
        if (e > k && !w.cap && (r.function_words.count(w.term) || r.verbs.count(w.term)) && !joins(r, words, e)) break;
        ++e;
        if (is_pronoun(w) && e == k + 1) break;
        if (e < words.size() && !joined(e - 1)) break;
      }
      return std::make_pair(k, e);
    };

    // The speaker a reporting verb between words [first_in, quote_first) gives, the sentence
    // starting at code point `start`: the subject of the nearest verb ("Dar described it as"), or
    // what follows a verb that opens the sentence or has no subject ("Said Jane Roe, “…”", "But,
    // said Roe, “…”"); a verb without a subject of its own ("…, adding, “…”") takes the one of the
    // verb before it.
    const auto verb_speaker = [&](std::size_t first_in, std::size_t quote_first, std::uint32_t start) {
      Speaker who;
      std::vector<std::size_t> verbs;
      for (std::size_t k = first_in; k < quote_first; ++k)
        if (is_verb(k) || (k == first_in && r.verbs.count(words[k].term) > 0) ||
            (words[k].term == "according" && k + 1 < quote_first && words[k + 1].term == "to"))  // "…; According to"
          verbs.push_back(k);
      std::size_t v = verbs.size();
      while (v > 1 && (words[verbs[v - 1] - 1].term == "and" || words[verbs[v - 1] - 1].term == "but")) --v;
      bool sourced = false;  // "According to a Department of State report, “…”": the report's, whoever it is
      for (; v > 0 && who.empty() && !sourced; --v) {
        const std::size_t k = verbs[v - 1];
        if (words[k].term == "according") {
          if (k + 1 < quote_first && words[k + 1].term == "to") {
            const auto [b, e] = phrase_from(k + 2);
            who = speaker_of(b, std::min(e, quote_first));
            sourced = true;
          }
          continue;
        }
        if (k > first_in) who = subject_before(k, first_in);
        // Inverted: the name right after the verb, up to a comma, a colon or the quote. Not after a
        // verb whose object is the listener ("telling The Daily Beast, “…”").
        const std::string& t = words[k].term;
        const bool no_subject = k == first_in || !joined(k - 1);
        if (who.empty() && no_subject && t != "told" && t != "telling" && t != "tells" && t != "asked" &&
            t != "asking" && t != "asks" && k + 1 < quote_first && words[k + 1].cap && joined(k)) {
          auto [b, e] = phrase_from(k + 1);
          e = std::min(e, quote_first);
          const std::string after = e < quote_first ? gap(e - 1) : std::string(":");
          if (after.find_first_of(",:") != std::string::npos || e == quote_first) who = speaker_of(b, e);
        }
      }
      if (who.empty() && !verbs.empty() && !sourced) {
        // "Trump met Munir and claimed ...": the person named last before the first verb.
        for (const auto& n : named)
          if (n.person && n.b >= start && n.e <= words[verbs.front()].b) who = Speaker{n.id, n.name, false};
      }
      return who;
    };
    Speaker intro;  // of a passage ending with a colon ("Jane Roe said:"), for a quote opening the next
    const bool colon_end = [&] {
      const std::size_t last = text.find_last_not_of(" \t\xC2\xA0");
      return last != std::string::npos && text[last] == ':';
    }();

    std::uint32_t last_sentence_seen = 0;
    const auto note_people_up_to = [&](std::uint32_t upto) {
      // Record, sentence by sentence, who the latest sentence naming anyone named.
      while (last_sentence_seen < upto) {
        const std::uint32_t end = sentence_end(cps, last_sentence_seen, r.abbreviations);
        if (end > upto) break;  // the sentence reaching past `upto` is not finished yet
        std::vector<std::string> ids;
        for (const auto& n : named) {
          if (n.person && n.b >= last_sentence_seen && n.b < end &&
              std::find(ids.begin(), ids.end(), n.id) == ids.end())
            ids.push_back(n.id);
        }
        if (!ids.empty()) previous_sentence_people = ids;
        if (end <= last_sentence_seen) break;
        last_sentence_seen = end;
      }
    };

    const std::vector<Span> spans = quote_spans(cps);
    for (const Span& s : spans) {
      Quote q;
      q.cp_begin = s.b;
      q.cp_end = s.e;
      q.text = substr(s.b, s.e);
      // Words as written, split at spaces: "all-weather friendship" is two words.
      std::size_t nwords = 0;
      bool in_word = false;
      for (std::uint32_t k = s.b; k < s.e; ++k) {
        const bool space = cps[k] == ' ' || cps[k] == 0xA0;
        if (!space && !in_word) ++nwords;
        in_word = !space;
      }
      std::size_t first_after = 0;  // first word after the quote
      while (first_after < words.size() && words[first_after].b < s.e) ++first_after;
      // One or two words are a scare quote, unless they are a whole utterance: ending with a comma,
      // "!" or "?" inside the marks and followed by its reporting clause ("“Meh,” wrote Roe",
      // "“It's unusual,” Roe said").
      const auto utterance = [&] {
        if (nwords == 0 || first_after >= words.size() || words[first_after].b > s.e + 3) return false;
        const char32_t last = cps[s.e - 1];
        if (last != ',' && last != '!' && last != '?') return false;
        if (is_verb(first_after)) return first_after + 1 < words.size() && words[first_after + 1].cap;
        std::size_t k = first_after;
        while (k < words.size() && k - first_after < 4 && words[k].cap && (k == first_after || joined(k - 1))) ++k;
        return k > first_after && k < words.size() && is_verb(k) && joined(k - 1);
      };
      q.scare = nwords <= 2 ? !utterance() : title_case(words, s);
      const std::uint32_t start = sentence_start(cps, s.b - 1, r.abbreviations);
      note_people_up_to(start);
      if (q.scare) {
        out[p].push_back(std::move(q));
        continue;
      }
      std::size_t first_in = 0;  // first word of the quote's sentence
      while (first_in < words.size() && words[first_in].b < start) ++first_in;
      std::size_t quote_first = first_in;  // first word inside the quote
      while (quote_first < words.size() && words[quote_first].b < s.b) ++quote_first;

      Speaker who;
      // 1. Right after the quote: "…,” said Dar / "…,” Dar said / "…,” according to Dar.
      if (first_after < words.size() && words[first_after].b <= s.e + 3) {
        const std::string between = substr(s.e, words[first_after].b);
        // A quote that ends its sentence ("….”) is followed by a new one, unless a lower-case word
        // goes on ("….” he said).
        const char32_t last = s.e > s.b ? cps[s.e - 1] : 0;
        const bool ends_sentence = last == '.' && words[first_after].cap;
        const bool open = between.find('.') == std::string::npos || between.find(',') != std::string::npos;
        const std::size_t k = first_after;
        if (open && !ends_sentence && is_verb(k) && words[k].term != "told" && words[k].term != "telling") {
          std::size_t from = k + 1;
          if (words[k].term == "according" && from < words.size() && words[from].term == "to") ++from;
          if (from < words.size() && joined(k)) {
            const auto [b, e] = phrase_from(from);
            who = speaker_of(b, e);
          }
        } else if (open) {
          // "…,” Dar said / "…,” Ryan, the convention chair, told them: a phrase, at most one
          // apposition between commas, then the verb.
          std::size_t v = k;
          int commas = 0;
          while (v < words.size() && v - k < 16 && !is_verb(v)) {
            if (!joined(v)) {
              const std::string between_words = gap(v);
              if (between_words.find_first_not_of(", \xC2\xA0") != std::string::npos || ++commas > 2) break;
            }
            ++v;
          }
          // After a quote that ends its sentence, only a whole short clause: "….” Trump said.
          const bool clause =
              !ends_sentence || v + 1 >= words.size() || gap(v).find_first_of(".,") != std::string::npos;
          if (v < words.size() && v > k && is_verb(v) && words[v].term != "according" && clause)
            who = subject_before(v, k);
        }
      }
      // "…; According to a 2026 Department of State report, “…”": a quote that names its own source
      // is that source's, though it be nobody the rules can name: not the sentence's subject, nor a
      // quotation going on.
      bool own_source = false;
      for (std::size_t k = first_in; k + 1 < quote_first && !own_source; ++k)
        own_source = words[k].term == "according" && words[k + 1].term == "to";
      // 2. The reporting verb nearest before the quote in its sentence.
      if (who.empty()) who = verb_speaker(first_in, quote_first, start);
      // 3. "Cruz blamed the law on “…”", "Trump, who leads, mocked Rubio for “…”": the name that
      // opens the sentence, when a lower-case word follows it.
      std::size_t opening = first_in;  // "Later on Sunday, Carson shared ...": after the opening phrase
      for (std::size_t k = first_in; k < quote_first && k < first_in + 6; ++k) {
        if (!words[k].cap && gap(k).find(',') != std::string::npos) {
          opening = k + 1;
          break;
        }
      }
      // The sentence's own start first ("Roe rallied supporters, saying “…”"), then after its opening
      // phrase.
      for (int attempt = 0; attempt < 2; ++attempt) {
        const std::size_t first_in_clause = attempt == 0 ? first_in : opening;
        if (!who.empty() || own_source || quote_first <= first_in_clause + 1 || (attempt == 1 && opening == first_in))
          continue;
        std::size_t e = first_in_clause;
        while (e < quote_first && e - first_in_clause < 8 && (words[e].cap || connector(words[e])) &&
               (e == first_in_clause || joined(e - 1)))
          ++e;
        std::size_t next = e;
        // "Jane Roe also sent ...": words such as "also" and "has" may stand before the verb.
        while (next < quote_first && next > first_in_clause && !words[next].cap && r.between.count(words[next].term) &&
               joined(next - 1))
          ++next;
        if (next == e && e > first_in_clause && e < quote_first && gap(e - 1).find(',') != std::string::npos) {
          // an apposition up to the next comma
          next = e;
          while (next < quote_first && next - e < 15 && gap(next).find(',') == std::string::npos) ++next;
          ++next;
        }
        // Not words of an earlier quotation ("“Increasing numbers”, he wrote"), nor a participle
        // opening the sentence ("Having said this, ...").
        bool quoted = false;
        for (const Span& other : spans)
          quoted = quoted ||
                   (e > first_in_clause && other.b <= words[first_in_clause].b && words[first_in_clause].b < other.e);
        const std::string& t0 = words[first_in_clause].term;
        const bool participle = e == first_in_clause + 1 && t0.size() > 4 && t0.compare(t0.size() - 3, 3, "ing") == 0;
        if (e > first_in_clause && next < quote_first && !words[next].cap && !quoted && !participle &&
            !r.function_words.count(words[next].term) && (next == e ? joined(e - 1) : true))
          who = speaker_of(first_in_clause, e);
        // Without a reporting verb, only a person known to speak: a gazetteer person, or a name the
        // document quotes elsewhere with one.
        const std::size_t at = std::min(next, quote_first - 1);
        const std::string& verb = words[at].term;
        const auto ends = [](const std::string& w, const char* suffix) {
          const std::size_t n = std::strlen(suffix);
          return w.size() > n + 2 && w.compare(w.size() - n, n, suffix) == 0;
        };
        const bool progressive =
            (verb == "is" || verb == "was") && at + 1 < quote_first && ends(words[at + 1].term, "ing");
        bool place = false;  // "Gwadar Port offers": a place, unless a title says it is a person
        if (!who.name.empty()) {
          bool titled = false;
          for (std::size_t k = first_in_clause; k < e; ++k) titled = titled || is_title_word(r, words, k);
          for (const auto& n : places)
            if (n.b >= words[first_in_clause].b && n.e <= words[e - 1].e) place = !titled;
        }
        const bool past = !place && (ends(verb, "ed") || ends(verb, "s") || progressive);
        // A reporting verb later in the sentence, with no subject of its own, speaks for this one:
        // "Roe rallied supporters, saying “…”".
        bool reported = false;
        for (std::size_t k = next; k < quote_first && !reported; ++k) {
          const std::string& t = words[k].term;
          reported = k > e && is_verb(k) && t.size() > 4 && t.compare(t.size() - 3, 3, "ing") == 0 && !joined(k - 1) &&
                     gap(k - 1).find(',') != std::string::npos;
        }
        const bool known = (!who.id.empty() && g.find(who.id) && g.find(who.id)->type == ActorType::kPerson) ||
                           (!who.name.empty() && past && reported) ||
                           (!who.name.empty() && (quoted_names.count(last_word(who.name)) ||
                                                  (past && who.name.find(' ') != std::string::npos)));
        if (!who.pronoun && !known && !who.name.empty()) pending.push_back({p, out[p].size(), who});
        if (who.pronoun || !known) who = Speaker{};
      }
      // 4. "Clinton: “…”": a name opening the sentence, a colon, the quote.
      if (who.empty() && quote_first > first_in && s.b >= 2 &&
          substr(words[quote_first - 1].e, s.b - 1).find(':') != std::string::npos) {
        bool name = true;
        for (std::size_t k = first_in; k < quote_first && name; ++k)
          name = (words[k].cap || connector(words[k])) && (k + 1 == quote_first || joined(k));
        if (name && quote_first - first_in <= 6) who = speaker_of(first_in, quote_first);
      }
      if (who.empty() && s.b <= 1 && intro_passage + 1 == p && !previous_intro.empty()) who = previous_intro;
      if (who.pronoun) {
        // "he said": the speaker just quoted, or the one person the sentence before named.
        Speaker resolved;
        if (!last_speaker.empty() && last_speaker_passage + 1 >= p) {
          resolved = last_speaker;
        } else if (previous_sentence_people.size() == 1) {
          const Actor* a = g.find(previous_sentence_people.front());
          resolved = Speaker{previous_sentence_people.front(), a ? a->name : previous_sentence_people.front(), false};
        }
        who = resolved;
      }
      if (who.empty() && !continued.empty() && !own_source) {
        // A quotation that goes on: right after the speaker's last quote in the same passage, or
        // opening the passage after a passage that ended with one.
        const bool opens = s.b <= 2;
        if (continued_passage == p || (opens && continued_passage + 1 == p)) who = continued;
      }
      if (!who.id.empty() || !who.name.empty()) {
        quoted_names.insert(last_word(who.name));
        q.speaker = who.id;
        q.speaker_name = who.name;
        last_speaker = who;
        last_speaker_passage = p;
      }
      continued = Speaker{q.speaker, q.speaker_name, false};
      continued_passage = p;
      out[p].push_back(std::move(q));
    }
    note_people_up_to(static_cast<std::uint32_t>(cps.size()));
    if (colon_end && !words.empty()) {
      const std::uint32_t start = sentence_start(cps, static_cast<std::uint32_t>(cps.size() - 1), r.abbreviations);
      std::size_t first_in = 0;
      while (first_in < words.size() && words[first_in].b < start) ++first_in;
      intro = verb_speaker(first_in, words.size(), start);
      if (!intro.empty()) {
        previous_intro = intro;
        intro_passage = p;
      }
    }
    // A passage that goes on after its last quote by more than the attribution ends the quotation.
    if (!out[p].empty() && !out[p].back().scare) {
      const std::uint32_t after = out[p].back().cp_end;
      const std::uint32_t end_of_sentence = sentence_end(cps, after, r.abbreviations);
      if (end_of_sentence + 2 < cps.size()) continued = Speaker{};
    } else {
      continued = Speaker{};
    }
  }
  for (const Pending& pd : pending) {
    Quote& q = out[pd.passage][pd.quote];
    if (q.speaker_name.empty() && quoted_names.count(last_word(pd.who.name))) {
      q.speaker = pd.who.id;
      q.speaker_name = pd.who.name;
    }
  }
  return out;
}

}  // namespace quire
