// Word splitting that agrees with Xapian's TermGenerator; the rules are listed in tokenizer.h.
#include "quire/tokenizer.h"

#include <xapian.h>  // Xapian::Unicode only; <xapian/unicode.h> may not be included directly

#include "quire/invisible.h"
#include "quire/utf8.h"

namespace quire {
namespace {

constexpr char32_t kIgnore = 0xFFFFFFFF;

bool is_word(char32_t ch) { return Xapian::Unicode::is_wordchar(static_cast<unsigned>(ch)); }

bool is_digit(char32_t ch) {
  return Xapian::Unicode::get_category(static_cast<unsigned>(ch)) == Xapian::Unicode::DECIMAL_DIGIT_NUMBER;
}

char32_t lower(char32_t ch) { return static_cast<char32_t>(Xapian::Unicode::tolower(static_cast<unsigned>(ch))); }

bool is_ascii_upper(char32_t ch) { return ch >= 'A' && ch <= 'Z'; }

// What a character between two word characters becomes inside the word: itself, '\'', kIgnore, or 0 to end it.
// Xapian ignores only U+200B-U+200D, U+2060 and U+FEFF there; the index holds text without any
// is_ignorable_in_word() character (fold_accents()), so a word reads across each of them.
char32_t infix(char32_t ch, char32_t prev, char32_t next) {
  if (is_digit(prev) && is_digit(next)) {
    switch (ch) {
      case ',':
      case '.':
      case ';':
      case 0x037E:
      case 0x0589:
      case 0x060D:
      case 0x07F8:
      case 0x2044:
      case 0xFE10:
      case 0xFE13:
      case 0xFE14:
        return ch;
      default:
        return is_ignorable_in_word(ch) ? kIgnore : 0;
    }
  }
  if (ch == '\'' || ch == '&' || ch == 0xB7 || ch == 0x5F4 || ch == 0x2027) return ch;
  if (ch == 0x2019 || ch == 0x201B) return '\'';
  return is_ignorable_in_word(ch) ? kIgnore : 0;
}

bool starts_with_letter(const std::string& term) {
  std::size_t i = 0;
  const auto cat = Xapian::Unicode::get_category(static_cast<unsigned>(next_codepoint(term, i)));
  return cat == Xapian::Unicode::LOWERCASE_LETTER || cat == Xapian::Unicode::TITLECASE_LETTER ||
         cat == Xapian::Unicode::MODIFIER_LETTER || cat == Xapian::Unicode::OTHER_LETTER;
}

// The text decoded once, so the scanner can look ahead by code points. The is_ignorable_in_word()
// characters are left out, as fold_accents() leaves them out of the text the index holds; each kept
// code point remembers where it is in the text, so a token's span still marks the text as written.
struct Decoded {
  std::vector<char32_t> cps;
  std::vector<std::size_t> byte_at;  // byte offset of each code point
  std::vector<std::uint32_t> cp_at;  // its index among the text's code points
};

// Bytes of the UTF-8 encoding of `ch`.
std::size_t utf8_length(char32_t ch) { return ch < 0x80 ? 1 : ch < 0x800 ? 2 : ch < 0x10000 ? 3 : 4; }

Decoded decode(std::string_view text) {
  Decoded d;
  d.cps.reserve(text.size());
  d.byte_at.reserve(text.size());
  d.cp_at.reserve(text.size());
  std::uint32_t n = 0;
  for (std::size_t i = 0; i < text.size(); ++n) {
    const std::size_t start = i;
    const char32_t ch = next_codepoint(text, i);
    if (is_ignorable_in_word(ch)) continue;
    d.byte_at.push_back(start);
    d.cp_at.push_back(n);
    d.cps.push_back(ch);
  }
  return d;
}

}  // namespace

bool is_word_char(char32_t ch) { return is_word(ch); }

std::string scan_word(std::u32string_view cps, std::size_t i, std::size_t& end, bool& initials, std::size_t& suffix) {
  const std::size_t n = cps.size();
  std::string term;
  initials = false;
  suffix = 0;
  // Dotted upper-case initials: U.S., P.T.O.
  if (is_ascii_upper(cps[i])) {
    std::size_t p = i;
    std::string letters;
    while (true) {
      append_utf8(letters, cps[p++]);
      if (p + 1 < n && cps[p] == '.' && is_ascii_upper(cps[p + 1])) {
        ++p;
        continue;
      }
      if (p < n && cps[p] == '.') ++p;
      break;
    }
    if (letters.size() > 1 && (p == n || !is_word(cps[p]))) {
      end = p;
      initials = true;
      return letters;
    }
  }
  while (true) {
    char32_t prev = 0;
    while (i < n && is_word(cps[i])) {
      append_utf8(term, cps[i]);
      prev = cps[i];
      ++i;
    }
    if (i + 1 >= n || !is_word(cps[i + 1])) break;
    const char32_t joined = infix(cps[i], prev, cps[i + 1]);
    if (joined == 0) break;
    if (joined != kIgnore) append_utf8(term, joined);
    ++i;
  }
  // Trailing '+'/'#' (C++, C#), at most three, and only when no word character follows.
  std::size_t k = i, count = 0;
  while (k < n && (cps[k] == '+' || cps[k] == '#') && count <= 3) {
    ++k;
    ++count;
  }
  if (count > 0 && count <= 3 && (k == n || !is_word(cps[k]))) {
    for (std::size_t j = i; j < k; ++j) term += static_cast<char>(cps[j]);
    suffix = count;
    i = k;
  }
  end = i;
  return term;
}

std::vector<Token> tokenize(std::string_view text) {
  const Decoded d = decode(text);
  const std::u32string_view cps(d.cps.data(), d.cps.size());
  const std::size_t n = d.cps.size();
  std::vector<Token> tokens;
  std::size_t i = 0;
  while (i < n) {
    if (!is_word(d.cps[i])) {
      ++i;
      continue;
    }
    const std::size_t start = i;
    bool initials = false;
    std::size_t suffix = 0;
    const std::string written = scan_word(cps, start, i, initials, suffix);
    std::string term;
    for (std::size_t at = 0; at < written.size();) append_utf8(term, lower(next_codepoint(written, at)));
    if (term.size() > kMaxWordBytes) continue;
    // The visible span ends at the last code point that is part of the word (not a trailing '.').
    std::size_t end = i;
    while (end > start && !is_word(d.cps[end - 1]) && d.cps[end - 1] != '+' && d.cps[end - 1] != '#') --end;
    Token t;
    t.stemmable = starts_with_letter(term);
    t.term = std::move(term);
    t.byte_begin = d.byte_at[start];
    t.byte_end = d.byte_at[end - 1] + utf8_length(d.cps[end - 1]);
    t.cp_begin = d.cp_at[start];
    t.cp_end = d.cp_at[end - 1] + 1;
    tokens.push_back(std::move(t));
  }
  return tokens;
}

std::string glued_number_base(std::string_view term) {
  std::size_t letters = 0;
  while (letters < term.size() && term[letters] >= 'a' && term[letters] <= 'z') ++letters;
  const std::size_t digits = term.size() - letters;
  if (letters < 3 || digits < 1 || digits > 2) return {};
  for (std::size_t i = letters; i < term.size(); ++i)
    if (term[i] < '0' || term[i] > '9') return {};
  return std::string(term.substr(0, letters));
}

std::string fold_case(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    char32_t ch = next_codepoint(text, i);
    if (ch == 0x2019 || ch == 0x201B) ch = '\'';
    append_utf8(out, lower(ch));
  }
  return out;
}

std::string collapse_space(std::string_view text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

}  // namespace quire
