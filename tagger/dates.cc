// Date extraction with a small set of regular expressions, tried longest form first. See dates.h.
#include "quire/dates.h"

#include <algorithm>
#include <cstdio>
#include <regex>
#include <set>

#include "quire/document.h"

namespace quire {
namespace {

int month_number(std::string m) {
  std::transform(m.begin(), m.end(), m.begin(), [](unsigned char c) { return std::tolower(c); });
  if (!m.empty() && m.back() == '.') m.pop_back();
  static const char* const names[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                      "jul", "aug", "sep", "oct", "nov", "dec"};
  if (m == "sept") return 9;
  for (int i = 0; i < 12; ++i) {
    const std::string full_prefix = names[i];
    if (m.size() >= 3 && m.compare(0, 3, full_prefix) == 0) {
      static const char* const full[] = {"january", "february", "march",     "april",   "may",      "june",
                                         "july",    "august",   "september", "october", "november", "december"};
      if (m.size() == 3 || std::string(full[i]).compare(0, m.size(), m) == 0) return i + 1;
    }
  }
  return 0;
}

std::string ymd(int y, int m = 0, int d = 0) {
  char buf[16];
  if (d)
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  else if (m)
    std::snprintf(buf, sizeof buf, "%04d-%02d", y, m);
  else
    std::snprintf(buf, sizeof buf, "%04d", y);
  return buf;
}

bool plausible_year(int y) { return y >= 1000 && y <= 2099; }

// What std::regex's \b takes as a word character (ASCII letters, digits, underscore).
bool is_word_byte(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Code point offset of byte offset `b`.
std::uint32_t cp_at(std::string_view s, std::size_t b) {
  std::uint32_t n = 0;
  for (std::size_t i = 0; i < b && i < s.size(); ++i) n += (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80;
  return n;
}

const std::string kMonth =
    R"((January|February|March|April|May|June|July|August|September|October|November|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?))";
const std::string kDash = "(?:-|‐|‑|–|—)";  // hyphen-minus, hyphen, non-breaking hyphen, en and em dash (UTF-8)

struct Pattern {
  std::regex re;
  int kind;
};

enum Kind { kMdy, kDmy, kIso, kMonthYear, kBetween, kFromTo, kDecadeRange, kDecade, kYearRange, kNineEleven, kYear };

const std::vector<Pattern>& patterns() {
  static const std::vector<Pattern> p = [] {
    const auto R = [](const std::string& s) { return std::regex(s, std::regex::optimize); };
    std::vector<Pattern> v;
    v.push_back({R(kMonth + R"(\s+([0-3]?[0-9])(?:st|nd|rd|th)?,?\s+([12][0-9]{3})\b)"), kMdy});
    v.push_back({R(R"(\b([0-3]?[0-9])(?:st|nd|rd|th)?\s+)" + kMonth + R"(,?\s+([12][0-9]{3})\b)"), kDmy});
    v.push_back({R(R"(\b([12][0-9]{3})-([01][0-9])-([0-3][0-9])\b)"), kIso});
    v.push_back({R(kMonth + R"(\s+([12][0-9]{3})\b)"), kMonthYear});
    v.push_back({R(R"(\b[Bb]etween\s+([12][0-9]{3})\s+and\s+([12][0-9]{3})\b)"), kBetween});
    v.push_back({R(R"(\b[Ff]rom\s+([12][0-9]{3})\s+(?:to|until|till)\s+([12][0-9]{3})\b)"), kFromTo});
    v.push_back({R(R"(\b([12][0-9]{2}0)s\s*)" + kDash + R"(\s*([12][0-9]{2}0)s\b)"), kDecadeRange});
    v.push_back({R(R"(\b([12][0-9]{2}0)s\b)"), kDecade});
    v.push_back({R(R"(\b([12][0-9]{3})\s*)" + kDash + R"(\s*([0-9]{2}|[12][0-9]{3})\b)"), kYearRange});
    v.push_back({R(R"(\b9/11\b)"), kNineEleven});
    v.push_back({R(R"(\b([12][0-9]{3})\b)"), kYear});
    return v;
  }();
  return p;
}

bool is_upper_byte(char c) { return c >= 'A' && c <= 'Z'; }
bool is_alpha_byte(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }

// True when the number at text[b] is part of a document symbol: a run of letters, digits, dots and
// slashes with no space, opening with capitals and a slash ("A/1376", "S/RES/1373", "S/2001/1234",
// "E/CN.4/1999"). "2000/2001" opens with a digit and is two years.
bool in_symbol(std::string_view text, std::size_t b) {
  std::size_t s = b;
  while (s > 0 && (is_word_byte(text[s - 1]) || text[s - 1] == '/' || text[s - 1] == '.')) --s;
  if (s == b || text.substr(s, b - s).find('/') == std::string_view::npos) return false;
  std::size_t k = s;
  while (k < b && is_upper_byte(text[k])) ++k;
  return k > s && k < b && text[k] == '/';
}

// The words that number the item after them: "resolution 1514 (XV)", "decision 1999", "No. 1244". A
// four-digit number after one is the item's number, not a year. Lower case.
bool numbering_word(std::string w) {
  for (char& c : w) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  static const std::set<std::string> words = {"resolution", "resolutions", "decision", "decisions", "document",
                                              "documents",  "no",          "nos",      "number",    "numbers",
                                              "res",        "page",        "pages",    "pp"};
  return words.count(w) > 0;
}

// True when the number at text[b] is numbered by the words before it: "resolution 1514", "resolution
// No. 1244", or a later item of such a list ("resolutions 1325 (2000) and 1820 (2008)", "1514 (XV),
// 1541 (XV) and 2621 (XXV)"), each item's bracket skipped. "the resolution of 1967" is a year.
bool numbered(std::string_view text, std::size_t b) {
  std::size_t at = b;
  for (int items = 0; items < 32; ++items) {
    std::size_t k = at;
    if (k > 0 && text[k - 1] == '[') --k;  // "resolution [1514 (XV)]", as the 1960s records write it
    while (k > 0 && text[k - 1] == ' ') --k;
    const bool dot = k > 0 && text[k - 1] == '.';  // "No. 1244", but not "The resolution. 1973 was"
    if (dot) --k;
    std::size_t w = k;
    while (w > 0 && is_alpha_byte(text[w - 1])) --w;
    if (w < k) {
      const std::string word(text.substr(w, k - w));
      if (dot) return word == "No" || word == "Nos" || word == "no" || word == "nos" || word == "pp";
      if (numbering_word(word)) return true;
      if (word != "and" && word != "or" && word != "to") return false;
      k = w;
      while (k > 0 && text[k - 1] == ' ') --k;
    } else if (k > 0 && text[k - 1] == ',') {
      --k;
      while (k > 0 && text[k - 1] == ' ') --k;
    } else {
      return false;
    }
    // The item before the separator: a number, with its bracket: "1325 (2000)", "1514 (XV)".
    if (k > 0 && text[k - 1] == ')') {
      const std::size_t open = text.rfind('(', k - 1);
      if (open == std::string_view::npos || k - open > 12) return false;
      k = open;
      while (k > 0 && text[k - 1] == ' ') --k;
    }
    std::size_t n = k;
    while (n > 0 && is_digit(text[n - 1])) --n;
    if (n == k || (n > 0 && is_word_byte(text[n - 1]))) return false;
    at = n;
  }
  return false;
}

// A bare four-digit number is a year unless it reads as a quantity: part of "1,046", a decimal, a
// currency amount, or followed by a unit; or as the number of a resolution or a document.
// True when the number ending at text[e] is followed by the Roman numeral of a session in brackets,
// as the General Assembly numbers its resolutions: "1514 (XV)", "1378(xiv)", "1474 (ES-IV)".
bool session_after(std::string_view text, std::size_t e) {
  std::size_t k = e;
  if (k < text.size() && text[k] == ' ') ++k;
  if (k >= text.size() || text[k] != '(') return false;
  ++k;
  if (text.substr(k, 3) == "ES-") k += 3;
  const std::size_t roman = k;
  while (k < text.size() && std::string_view("IVXLivxl").find(text[k]) != std::string_view::npos) ++k;
  return k > roman && k < text.size() && (text[k] == ')' || text[k] == ']');
}

bool looks_like_year(std::string_view text, std::size_t b, std::size_t e) {
  if (numbered(text, b) || in_symbol(text, b) || session_after(text, e)) return false;
  if (b > 0) {
    const char prev = text[b - 1];
    if (prev == ',' || prev == '.' || prev == '$' || prev == '#' || std::isdigit(static_cast<unsigned char>(prev)))
      return false;
  }
  if (e < text.size()) {
    const char next = text[e];
    if (next == '%' || std::isdigit(static_cast<unsigned char>(next))) return false;
    if ((next == ',' || next == '.') && e + 1 < text.size() && std::isdigit(static_cast<unsigned char>(text[e + 1])))
      return false;
  }
  // Followed by a unit ("1946 km", "2000 troops"): a quantity. Looked for in the next 24 bytes.
  const std::string_view window = text.substr(std::min(e, text.size()), 24);
  std::size_t i = 0;
  while (i < window.size() && std::isspace(static_cast<unsigned char>(window[i]))) ++i;
  std::size_t j = i;
  while (j < window.size() && std::isalpha(static_cast<unsigned char>(window[j]))) ++j;
  if (j == i || (j < window.size() && is_word_byte(window[j]))) return true;
  std::string word(window.substr(i, j - i));
  for (char& c : word) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  static const std::set<std::string> units = {"km",        "kilometres", "kilometers", "miles",   "mw",      "kw",
                                              "tonnes",    "tons",       "bags",       "barrels", "bpd",     "dwt",
                                              "metres",    "meters",     "feet",       "people",  "troops",  "soldiers",
                                              "personnel", "cts",        "dlrs",       "mln",     "billion", "million"};
  return units.count(word) == 0;
}

}  // namespace

std::vector<DateMention> extract_dates(std::string_view text_view) {
  const std::string text(text_view);
  std::vector<std::pair<std::size_t, std::size_t>> taken;  // byte spans already used
  std::vector<std::pair<std::size_t, DateMention>> found;
  const auto overlaps = [&taken](std::size_t b, std::size_t e) {
    for (const auto& [tb, te] : taken) {
      if (b < te && tb < e) return true;
    }
    return false;
  };
  // Every form holds a year ([12][0-9]{3}, a decade's too) or is 9/11: most passages have neither, and
  // each pattern below also needs a word or character that is cheap to look for first. std::regex is
  // slow, so it runs only where it may match.
  bool any_year = false;
  for (std::size_t i = 0; i + 3 < text.size() && !any_year; ++i)
    any_year =
        (text[i] == '1' || text[i] == '2') && is_digit(text[i + 1]) && is_digit(text[i + 2]) && is_digit(text[i + 3]);
  const auto has = [&text](const char* s) { return text.find(s) != std::string::npos; };
  if (!any_year) {
    if (!has("9/11")) return {};
  }
  bool month = false;
  for (const char* m : {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"})
    month = month || has(m);
  const bool dash = has("-") || has("\xE2\x80");
  const auto may_match = [&](int kind) {
    switch (kind) {
      case kMdy:
      case kDmy:
      case kMonthYear:
        return any_year && month;
      case kIso:
        return any_year && has("-");
      case kBetween:
        return any_year && has("etween");
      case kFromTo:
        return any_year && has("rom");
      case kDecadeRange:
        return any_year && dash && has("0s");
      case kDecade:
        return any_year && has("0s");
      case kYearRange:
        return any_year && dash;
      case kNineEleven:
        return has("9/11");
      default:
        return any_year;
    }
  };
  for (const Pattern& pat : patterns()) {
    if (!may_match(pat.kind)) continue;
    if (pat.kind == kYear) {
      // \b([12][0-9]{3})\b without the regex: the commonest form by far.
      for (std::size_t b = 0; b + 4 <= text.size(); ++b) {
        const std::size_t e = b + 4;
        if ((text[b] != '1' && text[b] != '2') || !is_digit(text[b + 1]) || !is_digit(text[b + 2]) ||
            !is_digit(text[b + 3]) || (b > 0 && is_word_byte(text[b - 1])) ||
            (e < text.size() && is_word_byte(text[e])) || overlaps(b, e))
          continue;
        const int y = std::stoi(text.substr(b, 4));
        if (!plausible_year(y) || !looks_like_year(text, b, e)) continue;
        DateMention d;
        d.from = d.to = ymd(y);
        d.cp_begin = cp_at(text, b);
        d.cp_end = cp_at(text, e);
        taken.emplace_back(b, e);
        found.emplace_back(b, std::move(d));
      }
      continue;
    }
    for (std::sregex_iterator it(text.begin(), text.end(), pat.re), end; it != end; ++it) {
      const std::smatch& m = *it;
      const auto b = static_cast<std::size_t>(m.position(0));
      const std::size_t e = b + static_cast<std::size_t>(m.length(0));
      if (overlaps(b, e)) continue;
      DateMention d;
      const auto num = [&m](int i) { return std::stoi(m[i].str()); };
      switch (pat.kind) {
        case kMdy:
        case kDmy: {
          const int mon = month_number(m[pat.kind == kMdy ? 1 : 2].str());
          const int day = num(pat.kind == kMdy ? 2 : 1);
          const int year = num(3);
          if (!mon || day < 1 || day > days_in_month(year, mon) || !plausible_year(year)) continue;  // no 30 February
          d.from = d.to = ymd(year, mon, day);
          break;
        }
        case kIso: {
          const int mon = num(2), day = num(3);
          if (mon < 1 || mon > 12 || day < 1 || day > days_in_month(num(1), mon)) continue;
          d.from = d.to = ymd(num(1), mon, day);
          break;
        }
        case kMonthYear: {
          const int mon = month_number(m[1].str());
          // "May 2024" is a date; "may" lower case is a verb, and "Mar"/"Jan" alone are fine in context.
          if (!mon || !plausible_year(num(2))) continue;
          d.from = d.to = ymd(num(2), mon);
          break;
        }
        case kBetween:
        case kFromTo: {
          if (!plausible_year(num(1)) || !plausible_year(num(2)) || num(2) < num(1)) continue;
          d.from = ymd(num(1));
          d.to = ymd(num(2));
          break;
        }
        case kDecadeRange:
          if (num(2) < num(1)) continue;
          d.from = ymd(num(1));
          d.to = ymd(num(2) + 9);
          break;
        case kDecade:
          d.from = ymd(num(1));
          d.to = ymd(num(1) + 9);
          break;
        case kYearRange: {
          const int y1 = num(1);
          int y2 = num(2);
          if (m[2].length() == 2) y2 = y1 / 100 * 100 + y2;
          if (!plausible_year(y1) || y2 <= y1 || y2 - y1 > 100) continue;
          if (!looks_like_year(text, b, b + 4)) continue;
          d.from = ymd(y1);
          d.to = ymd(y2);
          break;
        }
        case kNineEleven:
          d.from = d.to = "2001-09-11";
          break;
        case kYear: {
          const int y = num(1);
          if (!plausible_year(y) || !looks_like_year(text, b, e)) continue;
          d.from = d.to = ymd(y);
          break;
        }
      }
      d.cp_begin = cp_at(text, b);
      d.cp_end = cp_at(text, e);
      taken.emplace_back(b, e);
      found.emplace_back(b, std::move(d));
    }
  }
  std::sort(found.begin(), found.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  std::vector<DateMention> out;
  for (auto& f : found) out.push_back(std::move(f.second));
  return out;
}

std::vector<int> years_of(const DateMention& m) {
  const int from = std::stoi(m.from.substr(0, 4));
  const int to = std::stoi(m.to.substr(0, 4));
  std::vector<int> ys;
  for (int y = from; y <= to && ys.size() < 300; ++y) ys.push_back(y);
  return ys;
}

std::string infer_publication_date(const std::vector<std::string>& lines) {
  static const std::regex published(R"(\b(?:[Pp]ublished|[Pp]osted|[Dd]ate)(?: on)?:?\s+(.{6,40}))",
                                    std::regex::optimize);
  static const std::regex volume(R"(\b(?:Volume|Vol)\.?\s*[0-9]+.{0,30}?\(([12][0-9]{3})\))",
                                 std::regex::optimize | std::regex::icase);
  for (const auto& line : lines) {
    std::smatch m;
    if (std::regex_search(line, m, published)) {
      const auto ds = extract_dates(m[1].str());
      if (!ds.empty() && ds.front().from == ds.front().to) return ds.front().from;
    }
    if (std::regex_search(line, m, volume)) return m[1].str();
  }
  // A line that is nothing but a full date ("Monday, June 23, 2025").
  for (const auto& line : lines) {
    if (line.size() > 40) continue;
    const auto ds = extract_dates(line);
    if (ds.size() == 1 && ds[0].from.size() == 10) return ds[0].from;
  }
  return "";
}

}  // namespace quire
