// Sentence splitting and passage assembly. See passage_splitter.h.
#include "quire/passage_splitter.h"

#include <algorithm>
#include <cctype>
#include <unordered_set>

#include "quire/utf8.h"

namespace quire {
namespace {

bool is_terminal(char32_t ch) { return ch == '.' || ch == '!' || ch == '?' || ch == 0x2026; }
bool is_closer(char32_t ch) {
  return ch == '"' || ch == '\'' || ch == ')' || ch == ']' || ch == 0x201D || ch == 0x2019;
}
bool is_opener(char32_t ch) {
  return ch == '"' || ch == '\'' || ch == '(' || ch == '[' || ch == 0x201C || ch == 0x2018;
}
bool is_space(char32_t ch) { return ch == ' ' || ch == '\t' || ch == '\n' || ch == 0xA0; }
bool starts_sentence(char32_t ch) {
  return (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || is_opener(ch) || (ch >= 0xC0 && ch <= 0xDE);
}

const std::unordered_set<std::string>& abbreviations() {
  static const std::unordered_set<std::string> a = {
      "mr",  "mrs", "ms",   "dr",  "prof",   "gen", "col",  "lt",   "sgt", "capt", "maj", "adm", "st",
      "vs",  "etc", "al",   "e.g", "i.e",    "cf",  "fig",  "jan",  "feb", "mar",  "apr", "jun", "jul",
      "aug", "sep", "sept", "oct", "nov",    "dec", "inc",  "ltd",  "co",  "corp", "jr",  "sr",  "rev",
      "hon", "gov", "sen",  "rep", "approx", "est", "dept", "univ", "ed",  "eds"};
  return a;
}

// The word just before a '.' at byte `dot` of `text`, lower-cased (letters and inner dots).
std::string word_before(std::string_view text, std::size_t dot) {
  std::size_t b = dot;
  while (b > 0 && (std::isalpha(static_cast<unsigned char>(text[b - 1])) || text[b - 1] == '.')) --b;
  std::string w(text.substr(b, dot - b));
  for (char& c : w) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return w;
}

// Abbreviations that are only abbreviations before a number: "No. 5", "p. 12", "Vol. 4".
bool is_numeric_abbreviation(const std::string& w) {
  return w == "no" || w == "nos" || w == "p" || w == "pp" || w == "vol" || w == "fig";
}

bool is_abbreviation(std::string_view text, std::size_t dot, char32_t next) {
  const std::string w = word_before(text, dot);
  if (w.empty()) return false;
  if (w.size() == 1 && std::isupper(static_cast<unsigned char>(text[dot - 1]))) return true;  // an initial
  if (is_numeric_abbreviation(w)) return next >= '0' && next <= '9';
  if (abbreviations().count(w)) return true;
  return w.find('.') != std::string::npos;  // U.S., U.N., e.g.
}

std::string trim_spaces(std::string_view s) {
  std::size_t b = s.find_first_not_of(' ');
  if (b == std::string_view::npos) return {};
  std::size_t e = s.find_last_not_of(' ');
  return std::string(s.substr(b, e - b + 1));
}

// Splits a sentence too long for one passage at the last space before `max` code points.
std::vector<std::string> hard_split(const std::string& s, std::size_t max) {
  std::vector<std::string> out;
  std::string_view rest = s;
  // Counted once and kept up to date: recounting the rest each time is quadratic on a long line.
  std::size_t remaining = codepoint_count(rest);
  while (remaining > max) {
    std::size_t i = 0, cps = 0, last_space = 0, cps_at_space = 0;
    while (i < rest.size() && cps < max) {
      if (rest[i] == ' ') {
        last_space = i;
        cps_at_space = cps;
      }
      next_codepoint(rest, i);
      ++cps;
    }
    const std::size_t cut = last_space > 0 ? last_space : i;
    out.push_back(trim_spaces(rest.substr(0, cut)));
    rest.remove_prefix(cut);
    remaining -= last_space > 0 ? cps_at_space : cps;
  }
  if (!trim_spaces(rest).empty()) out.push_back(trim_spaces(rest));
  return out;
}

// Greedy packing of sentences into parts of at most `max` code points; a short tail joins the part before.
std::vector<std::string> pack(const std::vector<std::string>& sentences, const SplitOptions& o) {
  std::vector<std::string> parts;
  std::string cur;
  for (const auto& s : sentences) {
    for (const auto& piece : hard_split(s, o.max_chars)) {
      if (!cur.empty() && codepoint_count(cur) + 1 + codepoint_count(piece) > o.max_chars) {
        parts.push_back(cur);
        cur.clear();
      }
      if (!cur.empty()) cur += ' ';
      cur += piece;
    }
  }
  if (!cur.empty()) {
    if (!parts.empty() && codepoint_count(cur) < o.min_chars) {
      parts.back() += ' ' + cur;
    } else {
      parts.push_back(cur);
    }
  }
  return parts;
}

// The page of byte `offset` of a paragraph with page marks `marks` (0 when there are none).
int page_at(const std::vector<PageMark>& marks, std::size_t offset) {
  int page = 0;
  for (const auto& m : marks) {
    if (m.offset > offset) break;
    page = m.page;
  }
  return page;
}

std::string label_of(const std::vector<std::string>& labels, int page) {
  return page >= 1 && static_cast<std::size_t>(page) <= labels.size() ? labels[static_cast<std::size_t>(page) - 1]
                                                                      : std::to_string(page);
}

// Sets the passage's pages from the marks of the text it was cut from; `begin` and `end` are its bytes there.
void set_pages(Passage& p, const std::vector<PageMark>& marks, std::size_t begin, std::size_t end,
               const std::vector<std::string>& labels) {
  if (marks.empty()) return;
  p.page = page_at(marks, begin);
  p.page_end = page_at(marks, end > begin ? end - 1 : begin);
  p.page_label = label_of(labels, p.page);
  p.page_label_end = label_of(labels, p.page_end);
}

}  // namespace

std::vector<std::string> split_sentences(std::string_view text) {
  std::vector<std::string> out;
  std::size_t start = 0, i = 0;
  while (i < text.size()) {
    const std::size_t at = i;
    const char32_t ch = next_codepoint(text, i);
    if (!is_terminal(ch)) continue;
    // Take the run of terminal punctuation and closing quotes/brackets.
    std::size_t j = i;
    while (j < text.size()) {
      std::size_t k = j;
      const char32_t c2 = next_codepoint(text, k);
      if (!is_terminal(c2) && !is_closer(c2)) break;
      j = k;
    }
    if (j >= text.size()) break;
    std::size_t k = j;
    if (!is_space(next_codepoint(text, k))) continue;
    while (k < text.size() && text[k] == ' ') ++k;
    if (k >= text.size()) break;
    std::size_t peek = k;
    const char32_t next = next_codepoint(text, peek);
    if (!starts_sentence(next)) continue;
    if (ch == '.' && is_abbreviation(text, at, next)) continue;
    out.push_back(trim_spaces(text.substr(start, j - start)));
    start = k;
    i = k;
  }
  if (start < text.size()) {
    std::string last = trim_spaces(text.substr(start));
    if (!last.empty()) out.push_back(std::move(last));
  }
  return out;
}

std::vector<Passage> split_passages(const Document& doc, const SplitOptions& o) {
  std::vector<Passage> out;
  int paragraph = 0;
  for (const auto& section : doc.sections) {
    std::string carry;  // short paragraphs waiting to be merged into the next
    std::vector<PageMark> carry_marks;
    int carry_paragraph = 0;
    const bool paged = !section.pages.empty() && section.pages.size() == section.paragraphs.size();
    for (std::size_t i = 0; i < section.paragraphs.size(); ++i) {
      ++paragraph;
      std::string text = section.paragraphs[i];
      std::vector<PageMark> marks = paged ? section.pages[i] : std::vector<PageMark>{};
      int first_paragraph = paragraph;
      if (!carry.empty()) {
        for (auto& m : marks) m.offset += carry.size() + 1;
        marks.insert(marks.begin(), carry_marks.begin(), carry_marks.end());
        text = carry + ' ' + text;
        first_paragraph = carry_paragraph;
        carry.clear();
        carry_marks.clear();
      }
      const bool last_in_section = i + 1 == section.paragraphs.size();
      if (codepoint_count(text) < o.min_chars && !last_in_section) {
        carry = text;
        carry_marks = std::move(marks);
        carry_paragraph = first_paragraph;
        continue;
      }
      if (codepoint_count(text) < o.min_chars && last_in_section && !out.empty() &&
          out.back().section == section.heading &&
          codepoint_count(out.back().text) + codepoint_count(text) < o.max_chars) {
        out.back().text += ' ' + text;
        // The passage now ends where this text ends.
        if (!marks.empty() && out.back().page > 0) {
          const int end = page_at(marks, text.empty() ? 0 : text.size() - 1);
          if (end > out.back().page_end) {
            out.back().page_end = end;
            out.back().page_label_end = label_of(doc.page_labels, end);
          }
        }
        continue;
      }
      const std::vector<std::string> parts =
          codepoint_count(text) > o.max_chars ? pack(split_sentences(text), o) : std::vector<std::string>{text};
      std::size_t pos = 0;  // where the next part starts in `text`
      for (const auto& part : parts) {
        Passage p;
        p.number = static_cast<int>(out.size()) + 1;
        p.paragraph = first_paragraph;
        p.section = section.heading;
        p.text = part;
        if (!marks.empty()) {
          // The parts are the text's sentences in order, less the spaces between them.
          const std::size_t at = text.find(part.substr(0, std::min<std::size_t>(part.size(), 40)), pos);
          const std::size_t begin = at == std::string::npos ? pos : at;
          set_pages(p, marks, begin, begin + part.size(), doc.page_labels);
          pos = std::min(text.size(), begin + part.size());
        }
        out.push_back(std::move(p));
      }
    }
  }
  return out;
}

}  // namespace quire
