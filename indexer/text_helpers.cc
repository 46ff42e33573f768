// Small UTF-8 string helpers shared by the plain-text cleaner, the web-furniture pass and the HTML
// reader. Split off from text_cleaner.cc so those three use one copy. See text_helpers.h.
#include "text_helpers.h"

#include <xapian.h>  // Xapian::Unicode only; <xapian/unicode.h> may not be included directly

#include <cctype>

#include "quire/utf8.h"

namespace quire::text {

bool is_space_cp(char32_t ch) {
  return ch == ' ' || ch == '\t' || ch == 0xA0 || ch == 0x3000 || (ch >= 0x2000 && ch <= 0x200A);
}

std::string trim(std::string_view s) { return std::string(trim_view(s)); }

std::string_view trim_view(std::string_view s) {
  std::size_t b = 0, e = s.size();
  // Trim ASCII space/tab and U+00A0 (C2 A0), which scraped pages leave at line ends.
  while (true) {
    if (b < e && (s[b] == ' ' || s[b] == '\t')) {
      ++b;
      continue;
    }
    if (b + 1 < e && static_cast<unsigned char>(s[b]) == 0xC2 && static_cast<unsigned char>(s[b + 1]) == 0xA0) {
      b += 2;
      continue;
    }
    break;
  }
  while (true) {
    if (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t')) {
      --e;
      continue;
    }
    if (e >= b + 2 && static_cast<unsigned char>(s[e - 2]) == 0xC2 && static_cast<unsigned char>(s[e - 1]) == 0xA0) {
      e -= 2;
      continue;
    }
    break;
  }
  return s.substr(b, e - b);
}

// Collapses runs of white space (including no-break and typographic spaces) into one ASCII space.
std::string squeeze_spaces(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool pending = false;
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t at = i;
    const char32_t ch = next_codepoint(s, i);
    if (is_space_cp(ch)) {
      pending = !out.empty();
      continue;
    }
    if (pending) out += ' ';
    pending = false;
    out.append(s.substr(at, i - at));
  }
  return out;
}

std::size_t cp_len(std::string_view s) { return codepoint_count(s); }

char32_t first_cp(std::string_view s) {
  if (s.empty()) return 0;
  std::size_t i = 0;
  return next_codepoint(s, i);
}

char32_t last_cp(std::string_view s) {
  if (s.empty()) return 0;
  std::size_t i = s.size() - 1;
  while (i > 0 && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) --i;
  return next_codepoint(s, i);
}

bool is_upper(char32_t ch) {
  return Xapian::Unicode::get_category(static_cast<unsigned>(ch)) == Xapian::Unicode::UPPERCASE_LETTER;
}
bool is_lower(char32_t ch) {
  return Xapian::Unicode::get_category(static_cast<unsigned>(ch)) == Xapian::Unicode::LOWERCASE_LETTER;
}
bool is_letter(char32_t ch) { return is_upper(ch) || is_lower(ch); }

bool is_closing(char32_t ch) {
  return ch == '"' || ch == '\'' || ch == ')' || ch == ']' || ch == 0x201D || ch == 0x2019 || ch == 0xBB;
}

// Does the line end a sentence: . ! ? (or :) possibly followed by closing quotes/brackets?
bool ends_sentence(std::string_view s, bool colon_counts) {
  std::string t = trim(s);
  while (!t.empty()) {
    const char32_t ch = last_cp(t);
    if (ch == '.' || ch == '!' || ch == '?' || ch == 0x2026 || (colon_counts && ch == ':')) return true;
    if (!is_closing(ch)) return false;
    std::size_t cut = t.size() - 1;
    while (cut > 0 && (static_cast<unsigned char>(t[cut]) & 0xC0) == 0x80) --cut;
    t.resize(cut);
  }
  return false;
}

std::size_t word_count(std::string_view s) {
  std::size_t n = 0;
  bool in = false;
  for (char c : s) {
    const bool sp = c == ' ' || c == '\t';
    if (!sp && !in) ++n;
    in = !sp;
  }
  return n;
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool has_word_char(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    if (Xapian::Unicode::is_wordchar(static_cast<unsigned>(next_codepoint(s, i)))) return true;
  }
  return false;
}

}  // namespace quire::text
