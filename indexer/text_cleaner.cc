// Plain-text cleaning: layout detection, page furniture, line joining, web furniture. See text_cleaner.h.
#include "quire/text_cleaner.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <regex>
#include <unordered_map>
#include <unordered_set>

#include "quire/tokenizer.h"
#include "quire/utf8.h"
#include "text_helpers.h"

namespace quire {

using text::ascii_lower;
using text::cp_len;
using text::ends_sentence;
using text::first_cp;
using text::has_word_char;
using text::is_letter;
using text::is_lower;
using text::is_upper;
using text::last_cp;
using text::squeeze_spaces;
using text::trim;
using text::trim_view;
using text::word_count;

namespace {

// ---- lines --------------------------------------------------------------------------------------

// A file of short lines has millions of these (rt11i row 7): each a view of the text being cleaned,
// which outlives them, so a line costs 24 bytes however short it is.
struct Line {
  std::string_view text;  // without its line end, trimmed
  bool blank = false;
  bool dropped = false;
};

// `text` has no tabs (clean_text() made them spaces).
std::vector<Line> split_lines(std::string_view text) {
  std::vector<Line> lines;
  lines.reserve(static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1);
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view l = text.substr(start, end - start);
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    Line line;
    line.text = trim_view(l);
    line.blank = line.text.empty();
    lines.push_back(std::move(line));
    if (end == text.size()) break;
    start = end + 1;
  }
  while (!lines.empty() && lines.back().blank) lines.pop_back();
  return lines;
}

// The typical length of a full line: the 80th percentile of non-blank line lengths.
std::size_t typical_length(const std::vector<Line>& lines) {
  std::vector<std::size_t> lens;
  for (const auto& l : lines) {
    if (!l.blank) lens.push_back(cp_len(l.text));
  }
  if (lens.empty()) return 0;
  std::sort(lens.begin(), lens.end());
  return lens[std::min(lens.size() - 1, lens.size() * 8 / 10)];
}

enum class Layout { kLinePerParagraph, kWrapped };

// Hard-wrapped text has lines of similar, bounded length, most of which do not end a sentence.
Layout detect_layout(const std::vector<Line>& lines, std::size_t full) {
  if (full < 30 || full > 160) return Layout::kLinePerParagraph;
  std::size_t long_lines = 0, open_ended = 0;
  for (const auto& l : lines) {
    if (l.blank || cp_len(l.text) < full * 6 / 10) continue;
    ++long_lines;
    if (!ends_sentence(l.text)) ++open_ended;
  }
  return long_lines >= 5 && open_ended * 10 >= long_lines * 6 ? Layout::kWrapped : Layout::kLinePerParagraph;
}

// Text where (nearly) every line is followed by a blank line: blank lines then say nothing.
bool blank_after_every_line(const std::vector<Line>& lines) {
  std::size_t text_lines = 0, followed = 0;
  for (std::size_t i = 0; i + 1 < lines.size(); ++i) {
    if (lines[i].blank) continue;
    ++text_lines;
    if (lines[i + 1].blank) ++followed;
  }
  return text_lines >= 6 && followed * 10 >= text_lines * 8;
}

const std::regex& page_number_re() {
  // "12", "page 3 of 9", "- 4 -", and a UN document's page mark: its page and job number ("37 09-52320").
  static const std::regex re(R"(^(page\s+)?[0-9]{1,4}(\s+(of|/)\s+[0-9]{1,4})?$|^(-|–|—)\s*[0-9]{1,4}\s*(-|–|—)$|)"
                             R"(^([0-9]{1,4}\s+)?[0-9]{2}-[0-9]{5}(\s+[0-9]{1,4})?$)",
                             std::regex::icase | std::regex::optimize);
  return re;
}

bool is_url_only(std::string_view t) {
  static const std::regex re(R"(^(https?://|www\.)\S+$)", std::regex::icase | std::regex::optimize);
  return std::regex_match(t.data(), t.data() + t.size(), re);
}

// A page header often sets two items apart with a wide gap: "Journal of X        ISSN 1234".
bool has_wide_gap(std::string_view t) { return t.find("     ") != std::string_view::npos; }

bool is_page_anchor(std::string_view t) {
  return std::regex_match(t.data(), t.data() + t.size(), page_number_re()) || is_url_only(t) || has_wide_gap(t);
}

// Marks running headers/footers and page numbers in hard-wrapped text as dropped.
void drop_page_furniture(std::vector<Line>& lines, std::size_t full, std::vector<std::string>& furniture) {
  const std::size_t short_len = full * 7 / 10;
  // Lines a header block may take beside its anchor: short, no sentence end, and not starting with a
  // letter ("(Volume.4, Issue.3 (2024)"), so prose and headings next to a page break stay.
  const auto is_short_nonprose = [&](const Line& l) {
    return !l.blank && cp_len(l.text) < short_len && !ends_sentence(l.text) && !is_letter(first_cp(l.text));
  };
  // Lines that repeat on many pages (page numbers folded to '#').
  std::unordered_map<std::string, int> seen;
  const auto key = [](std::string_view t) {
    std::string k;
    for (char c : t) k += std::isdigit(static_cast<unsigned char>(c)) ? '#' : c;
    return k;
  };
  for (const auto& l : lines) {
    if (!l.blank && cp_len(l.text) < short_len) ++seen[key(l.text)];
  }
  for (std::size_t i = 0; i < lines.size(); ++i) {
    Line& l = lines[i];
    if (l.blank || l.dropped) continue;
    const bool repeated = cp_len(l.text) < short_len && seen[key(l.text)] >= 3 && has_word_char(l.text);
    if (!repeated && !is_page_anchor(l.text)) continue;
    std::size_t lo = i, hi = i;
    if (repeated && !is_page_anchor(l.text)) {
      l.dropped = true;
      furniture.emplace_back(l.text);
      continue;
    }
    // Extend over the short, non-prose lines that stand with the anchor in one block.
    for (std::size_t j = i; j-- > 0;) {
      if (lines[j].blank) continue;
      if (!is_short_nonprose(lines[j]) && !is_page_anchor(lines[j].text)) break;
      lo = j;
    }
    for (std::size_t j = i + 1; j < lines.size(); ++j) {
      if (lines[j].blank) continue;
      if (!is_short_nonprose(lines[j]) && !is_page_anchor(lines[j].text)) break;
      hi = j;
    }
    for (std::size_t j = lo; j <= hi; ++j) {
      if (lines[j].blank || lines[j].dropped) continue;
      lines[j].dropped = true;
      furniture.emplace_back(lines[j].text);
    }
  }
}

const std::vector<std::string>& common_suffixes() {
  static const std::vector<std::string> s = {
      "tion", "tions", "sion", "sions", "ment", "ments", "ness", "ity",  "ities", "ance",   "ances", "ence", "ences",
      "ing",  "ings",  "ed",   "ly",    "ous",  "ive",   "ical", "ally", "ation", "ations", "ism",   "ist",  "ists",
      "able", "ible",  "ship", "ful",   "ize",  "ise",   "ized", "ised", "izing", "ising",  "ial",   "ary"};
  return s;
}

// The last word of `t`, lower-cased (ASCII), without the punctuation around it.
std::string last_word_lower(const std::string& t) {
  std::size_t end = t.size();
  while (end > 0 && !std::isalnum(static_cast<unsigned char>(t[end - 1]))) --end;
  std::size_t start = end;
  while (start > 0 && t[start - 1] != ' ') --start;
  std::string w = t.substr(start, end - start);
  for (char& c : w) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return w;
}

// A line that reads as the start of a sentence cut by the wrap or leading into what follows, never a
// heading (rt17 rows 21, 22, on UNGDC speeches): it ends with a word that a sentence goes on after
// ("For", "On behalf of the", "I congratulate Mr."); it is the speaker's own "I congratulate ...";
// it holds no letter ("37 09-52320"); it ends with a colon after more than four words or after a
// paragraph number ("118. This Declaration also stated:"); it starts with a paragraph number past 99;
// or it opens a quotation that it does not close.
bool reads_as_sentence_start(const std::string& t) {
  static const std::unordered_set<std::string> kGoesOn = {
      "the",  "a",    "an",  "of",   "for",  "and",   "or",  "but", "to",  "in",    "on",  "at",  "by",
      "with", "from", "as",  "that", "this", "these", "our", "my",  "its", "their", "his", "her", "your",
      "is",   "are",  "was", "were", "be",   "mr",    "mrs", "ms",  "dr",  "sir",   "i",   "we",  "which"};
  bool letter = false;
  for (std::size_t i = 0; i < t.size() && !letter;) letter = is_letter(next_codepoint(t, i));
  if (!letter) return true;
  if (kGoesOn.count(last_word_lower(t))) return true;
  if (t.size() > 2 && t[0] == 'I' && t[1] == ' ' && std::islower(static_cast<unsigned char>(t[2]))) return true;
  if (last_cp(t) == ':') {
    static const std::regex numbered(R"(^[0-9]{1,4}\.\s)", std::regex::optimize);
    if (word_count(t) > 4 || std::regex_search(t, numbered)) return true;
  }
  // A paragraph numbered past 99 ("164. We also feel ..."): sections are not numbered so high.
  static const std::regex paragraph_number(R"(^[0-9]{3,4}\.\s)", std::regex::optimize);
  if (std::regex_search(t, paragraph_number)) return true;
  // A quotation that opens and does not close on the line.
  const char32_t first = first_cp(t);
  if (first == '"' || first == 0x201C) {
    const std::size_t quotes = static_cast<std::size_t>(std::count(t.begin(), t.end(), '"'));
    if (quotes < 2 && t.find("\xE2\x80\x9D") == std::string::npos) return true;
  }
  return false;
}

// Heading: short, no sentence punctuation at the end, starts with a capital or a digit, and does not
// read as the start of a sentence.
bool looks_like_heading(const std::string& t, std::size_t max_words) {
  if (t.empty() || word_count(t) > max_words) return false;
  if (reads_as_sentence_start(t)) return false;
  const char32_t last = last_cp(t);
  if (last == '.' || last == ',' || last == ';' || last == '!' || last == '?' || last == 0x2026 || last == 0x201D ||
      last == '"')
    return false;
  static const std::regex sentence_end(R"([a-z]{2}[.?!]\s)", std::regex::optimize);
  if (std::regex_search(t, sentence_end)) return false;  // holds a sentence end ("U.S. Focus" does not)
  const char32_t first = first_cp(t);
  return is_upper(first) || (first >= '0' && first <= '9') || first == 0x201C || first == '"';
}

std::string strip_bullet(const std::string& t, bool* was_bullet) {
  // A bullet sign is no word, and goes. A number ("1. ", "2) ") is the author's, as much a part of the
  // text as a footnote's number ("1 UN doc"), and stays: the line still starts an item of its own
  // (rt11j row 7). "1962-1971: ..." is no numbered item.
  static const std::regex sign(R"(^(?:[-*]|•|‣|▪|●|◦|–|—)\s+)", std::regex::optimize);
  static const std::regex number(R"(^\d{1,2}[.)]\s+)", std::regex::optimize);
  std::smatch m;
  if (std::regex_search(t, m, sign)) {
    *was_bullet = true;
    return t.substr(static_cast<std::size_t>(m.length(0)));
  }
  *was_bullet = std::regex_search(t, number);
  return t;
}

std::string strip_markdown_emphasis(const std::string& t) {
  static const std::regex re(R"((\*\*|__|\*|`)([^*_`]+)\1)", std::regex::optimize);
  return std::regex_replace(t, re, "$2");
}

std::vector<std::string> parse_byline(std::vector<Line>& lines) {
  static const std::regex re(R"(^by:?\s+(.+)$)", std::regex::icase | std::regex::optimize);
  std::size_t seen = 0;
  for (auto& l : lines) {
    if (l.blank || l.dropped) continue;
    if (++seen > 5) break;
    std::cmatch m;
    if (!std::regex_match(l.text.data(), l.text.data() + l.text.size(), m, re) || word_count(l.text) > 15) continue;
    // "By: Name, Affiliation, Org" -> Name; "By A and B" -> A, B.
    std::string names = m[1].str();
    names = names.substr(0, names.find(','));
    std::vector<std::string> authors;
    static const std::regex sep(R"(\s+(and|&)\s+)", std::regex::icase);
    for (std::sregex_token_iterator it(names.begin(), names.end(), sep, -1), end; it != end; ++it) {
      std::string a = trim(it->str());
      if (!a.empty()) authors.push_back(a);
    }
    l.dropped = true;
    return authors;
  }
  return {};
}

std::unordered_set<std::string> vocabulary_of(const std::vector<Line>& lines) {
  std::unordered_set<std::string> vocab;
  for (const auto& l : lines) {
    if (l.blank) continue;
    for (const auto& tok : tokenize(l.text)) vocab.insert(tok.term);
    // Hyphenated words as written ("long-term") so the joiner can keep hyphens the author used.
    static const std::regex hy(R"([A-Za-z]+(-[A-Za-z]+)+)", std::regex::optimize);
    for (std::cregex_iterator it(l.text.data(), l.text.data() + l.text.size(), hy), end; it != end; ++it)
      vocab.insert(ascii_lower(it->str()));
  }
  return vocab;
}

}  // namespace

std::string join_hyphenated(std::string_view head, std::string_view tail,
                            const std::unordered_set<std::string>& vocabulary) {
  std::string h(head);
  if (!h.empty() && h.back() == '-') h.pop_back();
  // The broken word's two halves.
  std::size_t ws = h.find_last_of(' ');
  const std::string first = ascii_lower(h.substr(ws == std::string::npos ? 0 : ws + 1));
  std::size_t we = tail.find_first_of(" ,.;:!?)");
  const std::string second = ascii_lower(std::string(tail.substr(0, we)));
  const std::string joined = first + second;
  std::string clean_second = second;
  while (!clean_second.empty() && !std::isalpha(static_cast<unsigned char>(clean_second.back())))
    clean_second.pop_back();
  const bool known_joined = vocabulary.count(joined) > 0;
  const bool known_hyphenated = vocabulary.count(first + "-" + clean_second) > 0;
  const bool suffix =
      std::find(common_suffixes().begin(), common_suffixes().end(), clean_second) != common_suffixes().end();
  if ((known_joined && !known_hyphenated) || (suffix && !known_hyphenated)) return h + std::string(tail);
  return h + "-" + std::string(tail);
}

namespace {

bool starts_sentence_byte(char c) {
  const auto u = static_cast<unsigned char>(c);
  return std::isupper(u) || std::isdigit(u) || c == '"' || c == '(' || u == 0xE2 /* “ ‘ */ || u >= 0xC3;
}

// A word that ends a sentence: "2015." "said!" "peace.”" but not "Mr." "U.S." or an initial "J.".
bool ends_sentence_word(std::string_view w) {
  while (!w.empty() && (w.back() == '"' || w.back() == '\'' || w.back() == ')')) w.remove_suffix(1);
  if (w.size() >= 3 && w.substr(w.size() - 3) == "\xE2\x80\x9D") w.remove_suffix(3);  // ”
  if (w.empty() || (w.back() != '.' && w.back() != '!' && w.back() != '?')) return false;
  if (w.back() != '.') return true;
  const std::string_view stem = w.substr(0, w.size() - 1);
  if (stem.find('.') != std::string_view::npos) return false;  // U.S. e.g.
  if (stem.size() <= 3 && !stem.empty() && std::isupper(static_cast<unsigned char>(stem[0])))
    return false;  // Mr. Dr. J.
  return stem.size() >= 2;
}

// Bounds what the line patterns see: std::regex recurses once per character it repeats over, so a
// 100,000-letter "word" or a line of megabytes without a break would overflow the stack.
std::string bound_words_and_lines(std::string_view text, std::vector<std::string>& notes) {
  std::string out;
  out.reserve(text.size());
  std::size_t shortened = 0, broken = 0, line_len = 0, last_space = std::string::npos;
  // The last space between two sentences on this line ("... 2015. The ..."), where a break splits no
  // sentence; `after_stop` is a space after a word that ends one, confirmed when a capital follows.
  std::size_t last_sentence_space = std::string::npos, after_stop = std::string::npos;
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t end = text.find_first_of(" \t\n", i);
    const std::size_t word_end = end == std::string_view::npos ? text.size() : end;
    std::string_view word = text.substr(i, word_end - i);
    if (word.size() > kLongestWordKept) {
      std::size_t cut = kLongestWordKept;
      while (cut > 0 && (static_cast<unsigned char>(word[cut]) & 0xC0) == 0x80) --cut;  // a code point boundary
      word = word.substr(0, cut);
      ++shortened;
    }
    if (after_stop != std::string::npos && !word.empty() && starts_sentence_byte(word[0]))
      last_sentence_space = after_stop;
    after_stop = std::string::npos;
    if (line_len + word.size() > kLongestLine && last_space != std::string::npos) {
      // Break between sentences when the line has a sentence end in its second half, else at a space.
      const std::size_t line_start = out.size() - line_len;
      const bool sentence_ok =
          last_sentence_space != std::string::npos && last_sentence_space >= line_start + kLongestLine / 2;
      const std::size_t at = sentence_ok ? last_sentence_space : last_space;
      out[at] = '\n';
      line_len = out.size() - at - 1;
      last_sentence_space = std::string::npos;
      ++broken;
    }
    out.append(word);
    line_len += word.size();
    if (word.size() < word_end - i) {
      out.append("\xE2\x80\xA6");
      line_len += 3;
    }
    if (word_end < text.size()) {
      const char sep = text[word_end];
      if (sep == '\n') {
        line_len = 0;
        last_space = last_sentence_space = std::string::npos;
      } else {
        last_space = out.size();
        if (ends_sentence_word(word)) after_stop = out.size();
        ++line_len;
      }
      out += sep;
    }
    i = word_end + 1;
  }
  if (shortened)
    notes.push_back(std::to_string(shortened) + " word(s) longer than " + std::to_string(kLongestWordKept) +
                    " bytes shortened (words that long cannot be searched)");
  if (broken)
    notes.push_back(std::to_string(broken) + " break(s) added to lines longer than " + std::to_string(kLongestLine) +
                    " bytes");
  return out;
}

}  // namespace

CleanResult clean_text(std::string_view input, const CleanOptions& options) {
  CleanResult result;
  std::string_view text = input;
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  // The lines are views of `text`: what cleaning changes first (long words and lines bounded, tabs made
  // spaces) is changed in one copy of it.
  std::string own;
  bool owned = false;
  if (text.size() > kLongestWordKept) {
    own = bound_words_and_lines(text, result.notes);
    owned = true;
  }
  if (text.find('\t') != std::string_view::npos) {
    if (!owned) own.assign(text);
    owned = true;
    std::replace(own.begin(), own.end(), '\t', ' ');
  }
  if (owned) text = own;
  std::vector<Line> lines = split_lines(text);
  const std::size_t full = typical_length(lines);
  const Layout layout = detect_layout(lines, full);
  const bool spaced = blank_after_every_line(lines);
  if (layout == Layout::kWrapped) drop_page_furniture(lines, full, result.furniture);
  result.authors = parse_byline(lines);

  const std::unordered_set<std::string> vocab =
      layout == Layout::kWrapped ? vocabulary_of(lines) : std::unordered_set<std::string>{};
  // Blocks are built in place, one copy of the text at a time. At most a block a line that is not blank
  // (a heading, or a one-line paragraph): room for that at once, as doubling would take up to twice it
  // when there are millions.
  std::vector<TextBlock>& blocks = result.blocks;
  blocks.reserve(static_cast<std::size_t>(
      std::count_if(lines.begin(), lines.end(), [](const Line& l) { return !l.blank; })));
  const auto add = [&](BlockKind kind, std::string block) { blocks.push_back({kind, std::move(block)}); };
  std::string para;  // paragraph being assembled from wrapped lines
  const auto flush = [&]() {
    if (!para.empty()) add(BlockKind::kParagraph, para);
    para.clear();
  };
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const Line& l = lines[i];
    if (l.dropped) continue;
    if (l.blank) {
      // A blank line ends a paragraph, unless the text puts one after every line.
      if (!spaced || layout == Layout::kLinePerParagraph) flush();
      continue;
    }
    bool bullet = false;
    std::string t = strip_bullet(std::string(l.text), &bullet);
    if (options.markdown) {
      const std::size_t hashes = t.find_first_not_of('#');
      if (hashes > 0 && hashes != std::string::npos && hashes <= 6 && t[hashes] == ' ') {
        flush();
        add(BlockKind::kHeading, trim(t.substr(hashes)));
        continue;
      }
      t = strip_markdown_emphasis(t);
    }
    if (layout == Layout::kLinePerParagraph && !(options.markdown && !bullet)) {
      add(looks_like_heading(t, bullet ? 10 : 12) ? BlockKind::kHeading : BlockKind::kParagraph, t);
      continue;
    }
    // Wrapped text: decide whether this line starts something new.
    const std::size_t len = cp_len(t);
    if (bullet) flush();
    if (para.empty()) {
      // A short line with no sentence end, followed by a capitalised line, is a heading when it stands
      // apart, a blank line after it (unless every line has one): a short line running on into the next
      // is a sentence's start (UNGDC's "The General" / "Assembly ...", rt17 row 22).
      std::size_t nx = i + 1;
      bool blank_after = nx >= lines.size();
      for (; nx < lines.size() && (lines[nx].blank || lines[nx].dropped); ++nx) blank_after |= lines[nx].blank;
      const bool next_capital = nx >= lines.size() || is_upper(first_cp(lines[nx].text));
      if (!options.markdown && len < full * 7 / 10 && looks_like_heading(t, 10) && next_capital && !bullet &&
          (spaced || blank_after)) {
        add(BlockKind::kHeading, t);
        continue;
      }
      para = t;
    } else if (!para.empty() && para.back() == '-' && para.size() >= 2 &&
               is_letter(last_cp(para.substr(0, para.size() - 1))) && is_lower(first_cp(t))) {
      para = join_hyphenated(para, t, vocab);
    } else {
      para += ' ';
      para += t;
    }
    // A line that ends a sentence well short of the full width ends the paragraph.
    if (!options.markdown && ends_sentence(t, true) && len < full * 85 / 100) flush();
  }
  flush();
  std::vector<Line>().swap(lines);  // the lines are in the blocks now
  for (TextBlock& c : blocks) c.text = squeeze_spaces(c.text);
  drop_web_furniture(result.blocks);
  result.blocks.erase(
      std::remove_if(result.blocks.begin(), result.blocks.end(), [](const TextBlock& b) { return b.text.empty(); }),
      result.blocks.end());
  return result;
}

}  // namespace quire
