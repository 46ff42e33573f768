// From the lines of a PDF's pages to a Document (step 3 of pdf_reader.h): page furniture, margin
// stamps, footnotes, headings, paragraphs, hyphenation and page marks. Pure functions of the lines.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <regex>
#include <unordered_map>
#include <unordered_set>

#include "quire/errors.h"
#include "quire/pdf_reader.h"
#include "quire/readers.h"
#include "quire/text_cleaner.h"
#include "quire/tokenizer.h"
#include "quire/utf8.h"

namespace quire {
namespace {

// A line's text with digit runs folded to '#', lower case, spaces dropped: running headers and footers
// differ from page to page only in their numbers.
std::string furniture_key(const std::string& t) {
  std::string k;
  bool digit = false;
  for (char c : t) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      if (!digit) k += '#';
      digit = true;
      continue;
    }
    digit = false;
    if (c == ' ') continue;
    k += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return k;
}

// A page number as printed: "14", "xiv", "Page 14", "Page ii", "14 of 20", "- 14 -".
bool is_page_number(const std::string& t) {
  static const std::regex re(
      R"(^(page\s+)?([0-9]{1,4}|[ivxlcdm]{1,7})(\s*(of|/)\s*[0-9]{1,4})?$|^[-–—]\s*[0-9]{1,4}\s*[-–—]$)",
      std::regex::icase | std::regex::optimize);
  return t.size() < 24 && std::regex_match(t, re);
}

// A table-of-contents line: a run of dot leaders ("Introduction ........ 3").
bool is_dot_leader(const std::string& t) {
  int run = 0;
  for (char c : t) {
    if (c == '.') {
      if (++run >= 5) return true;
    } else if (c != ' ') {
      run = 0;
    }
  }
  return false;
}

bool ends_sentence(const std::string& t) {
  std::size_t i = t.size();
  while (i > 0) {
    const unsigned char c = static_cast<unsigned char>(t[i - 1]);
    if (c == '.' || c == '!' || c == '?' || c == ':') return true;
    // closing quotes and brackets, ASCII or UTF-8 (” ’ end in 0x9D / 0x99)
    if (c == '"' || c == '\'' || c == ')' || c == ']') {
      --i;
      continue;
    }
    if (i >= 3 && static_cast<unsigned char>(t[i - 3]) == 0xE2 && static_cast<unsigned char>(t[i - 2]) == 0x80 &&
        (c == 0x9D || c == 0x99)) {
      i -= 3;
      continue;
    }
    return false;
  }
  return false;
}

bool starts_lower(const std::string& t) { return !t.empty() && std::islower(static_cast<unsigned char>(t[0])); }

// A footnote's first line: a number (or symbol) then text: "14 See ...", "14See", "* Note".
bool starts_footnote(const std::string& t) {
  std::size_t i = 0;
  while (i < t.size() && i < 3 && std::isdigit(static_cast<unsigned char>(t[i]))) ++i;
  if (i == 0) return t.compare(0, 1, "*") == 0 || t.compare(0, 3, "\u2020") == 0;
  return i < t.size() && (t[i] == ' ' || t[i] == '.' || std::isalpha(static_cast<unsigned char>(t[i])) || t[i] == '"');
}

void add_words(const std::string& text, std::unordered_set<std::string>& vocab) {
  std::string w;
  for (char c : text + ' ') {
    if (std::isalpha(static_cast<unsigned char>(c)) || (c == '-' && !w.empty())) {
      w += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else {
      while (!w.empty() && w.back() == '-') w.pop_back();
      if (w.size() > 2) vocab.insert(w);
      w.clear();
    }
  }
}

enum class Role { kBody, kFurniture, kFootnote, kHeading, kDropped };

struct Placed {
  const PdfLine* line;
  int page;  // 1-based
  Role role = Role::kBody;
  std::string text;  // the line's text, ligatures folded
};

// A paragraph being built.
struct Para {
  std::string text;
  std::vector<PageMark> marks;
  double right = 0;  // rightmost edge of its lines

  void append(const std::string& t, int page, const std::unordered_set<std::string>& vocab) {
    if (text.empty()) {
      marks.push_back({0, page});
      text = t;
      return;
    }
    const bool hyphen = text.size() > 1 && text.back() == '-' &&
                        std::isalpha(static_cast<unsigned char>(text[text.size() - 2])) && starts_lower(t);
    std::size_t at;
    if (hyphen) {
      const std::size_t ws = text.find_last_of(' ');
      const std::size_t head_at = ws == std::string::npos ? 0 : ws + 1;
      std::string joined = join_hyphenated(std::string_view(text).substr(head_at), t, vocab);
      // Kept as a compound only when both halves are words of the document ("decision-making"); a
      // syllable break of a word the document has nowhere else ("im-portant") is joined.
      if (joined.size() == text.size() - head_at + t.size()) {
        std::string first = text.substr(head_at, text.size() - head_at - 1);
        std::string second = t.substr(0, t.find_first_of(" ,.;:!?)"));
        for (auto* w : {&first, &second})
          std::transform(w->begin(), w->end(), w->begin(), [](unsigned char c) { return std::tolower(c); });
        const auto word = [&vocab](const std::string& w) { return w.size() >= 3 && vocab.count(w) > 0; };
        if (!(word(first) && word(second))) joined = text.substr(head_at, text.size() - head_at - 1) + t;
      }
      text.resize(head_at);
      // The tail starts where the joined word's second half starts.
      at = head_at + (joined.size() - t.size());
      text += joined;
    } else {
      text += ' ';
      at = text.size();
      text += t;
    }
    if (marks.back().page != page) marks.push_back({at, page});
  }
};

// ---- reading order ------------------------------------------------------------------------------

// Lines of one part of a page, in reading order: the part cut into strips (runs of lines overlapping
// in height), and runs of strips whose lines leave a vertical gutter between them read as columns, left
// then right (each column ordered the same way, so three columns are two cuts). Lines with no gutter
// between them keep their given order within a strip, strips go top to bottom.
void order_region(std::vector<const PdfLine*> lines, std::vector<const PdfLine*>& out, int depth) {
  if (lines.size() < 4 || depth > 8) {
    out.insert(out.end(), lines.begin(), lines.end());
    return;
  }
  std::vector<double> heights;
  for (const PdfLine* l : lines) heights.push_back(l->y1 - l->y0);
  std::nth_element(heights.begin(), heights.begin() + static_cast<std::ptrdiff_t>(heights.size() / 2), heights.end());
  // A gutter is wider than the widest space between two words of a line (lines_of() splits there).
  const double gutter = std::max(4.0, 1.0 * heights[heights.size() / 2]);
  // Strips: sorted by top (stable: the given order breaks ties), a new strip where a line starts below
  // every line so far.
  std::vector<std::size_t> order(lines.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return lines[a]->y0 < lines[b]->y0; });
  std::vector<std::vector<std::size_t>> strips;
  double bottom = -1e18;
  for (const std::size_t i : order) {
    if (strips.empty() || lines[i]->y0 >= bottom) strips.emplace_back();
    strips.back().push_back(i);
    bottom = std::max(bottom, lines[i]->y1);
  }
  // The x-coverage of a set of lines as sorted disjoint intervals, and its first inner gap of `gutter`.
  using Spans = std::vector<std::pair<double, double>>;
  const auto add_span = [](Spans& spans, double a, double b) {
    Spans next;
    for (const auto& s : spans) {
      if (s.second < a || s.first > b) {
        next.push_back(s);
      } else {
        a = std::min(a, s.first);
        b = std::max(b, s.second);
      }
    }
    next.emplace_back(a, b);
    std::sort(next.begin(), next.end());
    spans = std::move(next);
  };
  const auto gap_at = [gutter](const Spans& spans) {
    for (std::size_t k = 1; k < spans.size(); ++k) {
      if (spans[k].first - spans[k - 1].second >= gutter) return (spans[k].first + spans[k - 1].second) / 2;
    }
    return -1.0;
  };
  for (std::size_t i = 0; i < strips.size();) {
    // The longest run of strips from i with a gutter through all of them.
    Spans spans;
    std::size_t j = i;
    double cut = -1;
    for (std::size_t k = i; k < strips.size(); ++k) {
      Spans grown = spans;
      for (const std::size_t li : strips[k]) add_span(grown, lines[li]->x0, lines[li]->x1);
      const double c = gap_at(grown);
      if (c < 0 && k > i) break;
      spans = std::move(grown);
      j = k + 1;
      cut = c;
      if (c < 0) break;  // the first strip has no gutter: it is read alone
    }
    std::vector<const PdfLine*> left, right, band;
    for (std::size_t k = i; k < j; ++k) {
      std::vector<std::size_t> in_order = strips[k];
      std::sort(in_order.begin(), in_order.end());  // the given order within a strip
      for (const std::size_t li : in_order) {
        band.push_back(lines[li]);
        (lines[li]->x1 <= cut ? left : right).push_back(lines[li]);
      }
    }
    // Columns of prose: on each side most lines hold several words. The cells of a table (numbers,
    // short labels) also leave gutters, but are read row by row, as they are given.
    const auto prose = [](const std::vector<const PdfLine*>& side) {
      std::size_t wordy = 0;
      for (const PdfLine* l : side) wordy += std::count(l->text.begin(), l->text.end(), ' ') >= 3;
      return side.size() >= 2 && wordy * 5 >= side.size() * 3;
    };
    if (cut >= 0 && prose(left) && prose(right)) {
      order_region(std::move(left), out, depth + 1);
      order_region(std::move(right), out, depth + 1);
    } else {
      // No gutter, or too little prose on a side to be a column (a date beside a name, a table): the
      // strips as they are.
      out.insert(out.end(), band.begin(), band.end());
    }
    i = j;
  }
}

}  // namespace

std::vector<const PdfLine*> reading_order(const PdfPage& page) {
  std::vector<const PdfLine*> upright, rotated, out;
  for (const auto& l : page.lines) (l.rotated ? rotated : upright).push_back(&l);
  // Past a few thousand lines a page is not prose set in columns (and the cut is quadratic): as given.
  if (upright.size() > 3000) {
    out = upright;
  } else {
    order_region(std::move(upright), out, 0);
  }
  out.insert(out.end(), rotated.begin(), rotated.end());
  return out;
}

ReadResult pdf_to_document(const std::string& path, const PdfText& pdf) {
  ReadResult r;
  r.warnings = pdf.warnings;
  Document& doc = r.document;
  doc.meta.id = document_id_from_path(path, &r.warnings);
  doc.meta.path = path_text(path);
  doc.meta.title = pdf.title;
  doc.meta.date = pdf.date;
  // Authors: "A; B", or "A, B" when each part is a name of two or more words.
  if (!pdf.author.empty()) {
    std::vector<std::string> parts;
    const char sep = pdf.author.find(';') != std::string::npos ? ';' : ',';
    std::size_t b = 0;
    for (;;) {
      const std::size_t e = pdf.author.find(sep, b);
      std::string p = collapse_space(pdf.author.substr(b, e == std::string::npos ? std::string::npos : e - b));
      if (!p.empty()) parts.push_back(p);
      if (e == std::string::npos) break;
      b = e + 1;
    }
    const bool names =
        std::all_of(parts.begin(), parts.end(), [](const std::string& p) { return p.find(' ') != std::string::npos; });
    if (sep == ',' && !names) parts = {collapse_space(pdf.author)};
    doc.meta.authors = parts;
  }

  // The body font size: the size most characters are set in.
  std::map<long, std::size_t> sizes;
  std::vector<Placed> lines;
  std::vector<int> ocr_pages;
  for (std::size_t p = 0; p < pdf.pages.size(); ++p) {
    const PdfPage& page = pdf.pages[p];
    doc.page_labels.push_back(page.label.empty() ? std::to_string(p + 1) : page.label);
    if (page.ocr) ocr_pages.push_back(static_cast<int>(p) + 1);
    std::size_t rotated = 0, all = 0;
    for (const auto& l : page.lines) {
      all += l.text.size();
      if (l.rotated) rotated += l.text.size();
    }
    for (const PdfLine* line : reading_order(page)) {
      const PdfLine& l = *line;
      Placed pl{&l, static_cast<int>(p) + 1, Role::kBody, fold_ligatures(l.text)};
      // Text set sideways in the margin of an upright page (arXiv and Federal Register stamps).
      if (l.rotated && rotated * 2 < all) pl.role = Role::kDropped;
      // Contents lines ("Introduction ...... 3") and list bullets set apart from their items.
      if (is_dot_leader(l.text) ||
          l.text.find_first_not_of("\xE2\x80\xA2\xE2\x97\xA6\xE2\x96\xAA\xEF\x82\xB7 ") == std::string::npos)
        pl.role = Role::kDropped;
      // The body size is judged on the upper half of pages: footnotes below can outweigh the body text.
      if (pl.role == Role::kBody && (page.height <= 0 || l.y0 < 0.5 * page.height))
        sizes[std::lround(l.font_size * 2)] += l.text.size();
      lines.push_back(pl);
    }
  }
  double body = 10;
  std::size_t best = 0;
  for (const auto& [s, n] : sizes) {
    if (n > best) {
      best = n;
      body = static_cast<double>(s) / 2;
    }
  }

  // Running headers and footers: lines near the top or bottom edge of the page whose text (numbers
  // aside) comes back on other pages, and page numbers there.
  // The band of a page is its top and bottom 12%, and its first two and last two lines wherever they are.
  std::unordered_map<std::string, std::unordered_set<int>> seen_on;
  std::vector<std::pair<double, double>> band(pdf.pages.size(), {0.0, 0.0});
  for (std::size_t p = 0; p < pdf.pages.size(); ++p) {
    const PdfPage& page = pdf.pages[p];
    std::vector<double> tops, bottoms;
    for (const auto& l : page.lines) {
      if (l.rotated) continue;
      tops.push_back(l.y0);
      bottoms.push_back(l.y1);
    }
    std::sort(tops.begin(), tops.end());
    std::sort(bottoms.begin(), bottoms.end());
    double top = page.height > 0 ? 0.12 * page.height : 0, bottom = page.height > 0 ? 0.88 * page.height : 1e18;
    if (!tops.empty()) {
      const std::size_t k = tops.size() >= 4 ? 1 : 0;
      top = std::max(top, tops[k]);
      bottom = std::min(bottom, bottoms[bottoms.size() - 1 - k]);
    }
    band[p] = {top, bottom};
  }
  const auto in_band = [&pdf, &band](const Placed& pl) {
    const std::size_t p = static_cast<std::size_t>(pl.page) - 1;
    if (pdf.pages[p].ocr) return false;
    return pl.line->y0 <= band[p].first || pl.line->y1 >= band[p].second;
  };
  // A running header or footer runs above or below a page's body: on a page whose every line is in
  // the band (one or two lines: plain text with a form feed after each line, a one-line slide) no line
  // is taken for one by its repetition, or every line of such a file would be dropped.
  std::vector<bool> has_body(pdf.pages.size(), false);
  {
    std::vector<int> upright(pdf.pages.size(), 0);
    for (const auto& pl : lines) {
      const auto p = static_cast<std::size_t>(pl.page) - 1;
      if (pl.line->rotated) continue;
      // Three lines (a header, a line of text, a footer) can be a page with furniture.
      if (!in_band(pl) || ++upright[p] >= 3) has_body[p] = true;
    }
  }
  int pages_with_text = 0;
  {
    int last = 0;
    for (const auto& pl : lines) {
      if (pl.page != last) ++pages_with_text;
      last = pl.page;
      if (pl.role == Role::kBody && in_band(pl) && has_body[static_cast<std::size_t>(pl.page) - 1])
        seen_on[furniture_key(pl.text)].insert(pl.page);
    }
  }
  const std::size_t repeats = static_cast<std::size_t>(std::max(2, pages_with_text / 4));
  for (auto& pl : lines) {
    if (pl.role != Role::kBody || !in_band(pl)) continue;
    const std::string& t = pl.text;
    const std::string& label = doc.page_labels[static_cast<std::size_t>(pl.page) - 1];
    const bool repeated =
        has_body[static_cast<std::size_t>(pl.page) - 1] && seen_on[furniture_key(t)].size() >= repeats;
    if (is_page_number(t) || t == label || repeated) pl.role = Role::kFurniture;
  }

  // Footnotes: from a small-print line that starts like a footnote, in the lower part of the page, to the
  // page's end, everything in small print (or furniture) is a footnote.
  for (std::size_t i = 0; i < lines.size();) {
    std::size_t end = i;
    while (end < lines.size() && lines[end].page == lines[i].page) ++end;
    const PdfPage& page = pdf.pages[static_cast<std::size_t>(lines[i].page) - 1];
    const auto small = [&](const Placed& pl) { return pl.line->font_size > 0 && pl.line->font_size < 0.9 * body; };
    for (std::size_t k = i; k < end; ++k) {
      Placed& pl = lines[k];
      if (pl.role != Role::kBody || !small(pl) || !starts_footnote(pl.text)) continue;
      if (page.height > 0 && pl.line->y0 < 0.4 * page.height) continue;
      // Everything below it on the page must be small print, furniture or dropped.
      bool all_small = true;
      for (std::size_t m = i; m < end && all_small; ++m) {
        const Placed& o = lines[m];
        if (o.line->y0 > pl.line->y0 && o.role == Role::kBody && !small(o)) all_small = false;
      }
      if (!all_small) continue;
      for (std::size_t m = i; m < end; ++m) {
        Placed& o = lines[m];
        if (o.line->y0 >= pl.line->y0 - 0.5 && o.role == Role::kBody && small(o)) o.role = Role::kFootnote;
      }
      break;
    }
    i = end;
  }

  // Headings: short body lines set clearly larger than the body text. A run of more than three such
  // lines in one size is text (a preface or a box set large), not a heading.
  for (auto& pl : lines) {
    if (pl.role == Role::kBody && pl.line->font_size >= 1.15 * body && pl.text.size() < 160) pl.role = Role::kHeading;
  }
  for (std::size_t i = 0; i < lines.size();) {
    if (lines[i].role != Role::kHeading) {
      ++i;
      continue;
    }
    std::size_t e = i + 1;
    while (e < lines.size() &&
           (lines[e].role == Role::kHeading || lines[e].role == Role::kFurniture || lines[e].role == Role::kDropped) &&
           (lines[e].role != Role::kHeading || std::abs(lines[e].line->font_size - lines[i].line->font_size) < 0.5))
      ++e;
    std::size_t n = 0;
    for (std::size_t k = i; k < e; ++k) n += lines[k].role == Role::kHeading;
    if (n > 3) {
      for (std::size_t k = i; k < e; ++k) {
        if (lines[k].role == Role::kHeading) lines[k].role = Role::kBody;
      }
    }
    i = e;
  }

  std::unordered_set<std::string> vocab;
  for (const auto& pl : lines) {
    if (pl.role == Role::kBody || pl.role == Role::kFootnote) add_words(pl.text, vocab);
  }

  // Paragraphs. The typical gap between lines of a paragraph, to tell paragraph breaks from line breaks.
  std::vector<double> gaps;
  {
    const Placed* prev = nullptr;
    for (const auto& pl : lines) {
      if (pl.role != Role::kBody) continue;
      if (prev && prev->page == pl.page) {
        const double h = prev->line->y1 - prev->line->y0;
        const double g = pl.line->y0 - prev->line->y1;
        if (g > -0.5 * h && g < 2 * h) gaps.push_back(g / std::max(1.0, h));
      }
      prev = &pl;
    }
  }
  std::sort(gaps.begin(), gaps.end());
  // Too few lines to tell: a usual leading.
  const double usual_gap = gaps.size() < 10 ? 0.15 : gaps[gaps.size() / 3];

  Section section;
  Para para, footnote;
  std::vector<Para> pending_notes;  // footnotes waiting for the paragraph they interrupt to end
  const auto flush_para = [&] {
    if (!para.text.empty()) {
      section.paragraphs.push_back(collapse_space(para.text));
      section.pages.push_back(para.marks);
    }
    para = Para{};
    for (auto& n : pending_notes) {
      section.paragraphs.push_back(collapse_space(n.text));
      section.pages.push_back(n.marks);
    }
    pending_notes.clear();
  };
  const auto flush_note = [&] {
    if (!footnote.text.empty()) pending_notes.push_back(std::move(footnote));
    footnote = Para{};
  };
  const Placed* prev = nullptr;
  int note_page = 0;
  for (const auto& pl : lines) {
    const PdfLine& l = *pl.line;
    if (pl.role == Role::kFurniture || pl.role == Role::kDropped) continue;
    if (pl.role == Role::kFootnote) {
      if (pl.page != note_page || starts_footnote(pl.text)) flush_note();
      note_page = pl.page;
      footnote.append(pl.text, pl.page, vocab);
      continue;
    }
    flush_note();
    if (pl.role == Role::kHeading) {
      // Consecutive heading lines make one heading.
      if (prev && prev->role == Role::kHeading && prev->page == pl.page && para.text.empty() &&
          section.paragraphs.empty()) {
        section.heading += " " + pl.text;
      } else {
        flush_para();
        if (!section.paragraphs.empty() || !section.heading.empty()) doc.sections.push_back(std::move(section));
        section = Section{};
        section.heading = pl.text;
      }
      prev = &pl;
      continue;
    }
    bool new_para = para.text.empty() || !prev || prev->role != Role::kBody;
    if (!new_para) {
      const PdfLine& p = *prev->line;
      const double h = std::max(1.0, p.y1 - p.y0);
      const bool open = !ends_sentence(para.text) || para.text.back() == '-';
      if (prev->page != pl.page) {
        new_para = !open && !starts_lower(pl.text);
      } else if (l.y0 < p.y0 - 0.5 * h || l.x0 > p.x1) {  // up or across: the next column or block
        new_para = !open && !starts_lower(pl.text);
      } else {
        const double gap = (l.y0 - p.y1) / h;
        const bool wide_gap = gap > usual_gap + 0.45;
        const bool short_prev = !open && p.x1 < std::max(para.right, l.x1) - 3 * std::max(body, p.font_size);
        const bool indented = !open && l.x0 > p.x0 + 1.0 * body && l.x0 < p.x0 + 6 * body;
        const bool size_change = std::abs(l.font_size - p.font_size) > 0.15 * body;
        new_para = wide_gap || short_prev || indented || (size_change && !open);
      }
    }
    if (new_para) flush_para();
    para.append(pl.text, pl.page, vocab);
    para.right = std::max(para.right, l.x1);
    prev = &pl;
  }
  flush_note();
  flush_para();
  if (!section.paragraphs.empty() || !section.heading.empty()) doc.sections.push_back(std::move(section));

  std::size_t paragraphs = 0;
  for (const auto& s : doc.sections) paragraphs += s.paragraphs.size();
  if (paragraphs == 0) {
    if (!ocr_pages.empty()) throw InputError(path, "no text: OCR found no words on the scanned pages");
    throw InputError(path, "no text layer (a scanned PDF?); run with --ocr to read it with tesseract");
  }
  if (!ocr_pages.empty()) {
    std::string list;
    for (int p : ocr_pages) list += (list.empty() ? "" : ", ") + std::to_string(p);
    doc.meta.extra.emplace_back("ocr_pages", list);
    r.warnings.push_back("no text layer on page(s) " + list + ": read by OCR (tesseract); expect misread words");
  }
  return r;
}

}  // namespace quire
