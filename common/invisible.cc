// Invisible characters in words and text; the classes are described in invisible.h.
#include "quire/invisible.h"

#include <vector>

#include "quire/document.h"
#include "quire/utf8.h"

namespace quire {

bool is_ignorable_in_word(char32_t cp) {
  if (cp < 0x00AD) return false;
  if (cp < 0x2000) {
    return cp == 0x00AD || cp == 0x034F || cp == 0x061C || cp == 0x17B4 || cp == 0x17B5 ||
           (cp >= 0x180B && cp <= 0x180F);
  }
  return (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x206F) ||
         (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0xFEFF || (cp >= 0xFFF0 && cp <= 0xFFF8) ||
         (cp >= 0x1BCA0 && cp <= 0x1BCA3) || (cp >= 0x1D173 && cp <= 0x1D17A) || (cp >= 0xE0000 && cp <= 0xE0FFF);
}

bool is_break_hint(char32_t cp) { return cp == 0x00AD || cp == 0x200B || cp == 0x2060 || cp == 0xFEFF; }

std::string without_break_hints(std::string_view s) {
  // Most text holds none: only the lead bytes C2 (U+00AD), E2 (U+200B, U+2060) and EF (U+FEFF) start one.
  if (s.find_first_of("\xC2\xE2\xEF") == std::string_view::npos) return std::string(s);
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t start = i;
    if (!is_break_hint(next_codepoint(s, i))) out.append(s, start, i - start);
  }
  return out;
}

void drop_break_hints(Document& doc) {
  const auto clean = [](std::string& s) { s = without_break_hints(s); };
  DocumentMeta& m = doc.meta;
  for (std::string* s : {&m.title, &m.subtitle, &m.publisher, &m.container}) clean(*s);
  for (std::string& a : m.authors) clean(a);
  for (Section& section : doc.sections) {
    clean(section.heading);
    for (std::size_t p = 0; p < section.paragraphs.size(); ++p) {
      std::string& text = section.paragraphs[p];
      std::string kept = without_break_hints(text);
      if (kept.size() == text.size()) continue;
      if (p < section.pages.size()) {
        // A page mark at byte `offset` moves back by the bytes removed before it (marks ascend).
        std::vector<PageMark>& marks = section.pages[p];
        std::size_t removed = 0, next = 0;
        for (std::size_t i = 0; i < text.size();) {
          for (; next < marks.size() && marks[next].offset <= i; ++next) marks[next].offset -= removed;
          const std::size_t start = i;
          if (is_break_hint(next_codepoint(text, i))) removed += i - start;
        }
        for (; next < marks.size(); ++next) marks[next].offset -= removed;
      }
      text = std::move(kept);
    }
  }
}

}  // namespace quire
