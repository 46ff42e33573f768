// Query syntax checks. See query_check.h.
#include "quire/query_check.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>

#include <xapian.h>  // Xapian::Unicode only

#include "quire/fold.h"
#include "quire/tokenizer.h"
#include "quire/utf8.h"

namespace quire {
namespace {

bool is_binary_operator(const std::string& w) {
  if (w == "AND" || w == "OR" || w == "XOR" || w == "NEAR" || w == "ADJ") return true;
  for (const char* op : {"NEAR/", "ADJ/"}) {
    const std::size_t n = std::char_traits<char>::length(op);
    if (w.size() > n && w.compare(0, n, op) == 0 &&
        std::all_of(w.begin() + static_cast<std::ptrdiff_t>(n), w.end(),
                    [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
      return true;
  }
  return false;
}

// What is wrong with the distance of `w` when it is written NEAR/n or ADJ/n, else "". Xapian's parser
// takes the operator only for n of digits alone, not 0, read into 32 bits: any other (NEAR/0, ADJ/-1,
// NEAR/x, NEAR/5x, a number that wraps to another) it quietly reads as words, so that "peace NEAR/0
// war" searched peace OR near OR 0 OR war.
std::string window_problem(const std::string& w) {
  for (const char* op : {"NEAR/", "ADJ/"}) {
    const std::size_t n = std::char_traits<char>::length(op);
    if (w.compare(0, n, op) != 0) continue;
    const std::string distance = w.substr(n);
    // Leading zeros are digits Xapian reads (NEAR/05 is NEAR/5); the value is compared as digits, never
    // converted, so a number that would not fit is no special case.
    const std::string most = std::to_string(kMaxProximityWindow);
    const std::size_t first = std::min(distance.find_first_not_of('0'), distance.size());
    const std::string digits = distance.substr(first);
    const bool number = !distance.empty() && std::all_of(distance.begin(), distance.end(), [](char c) {
      return std::isdigit(static_cast<unsigned char>(c));
    });
    if (!number || digits.empty() || digits.size() > most.size() || (digits.size() == most.size() && digits > most))
      return "the distance must be a whole number of words from 1 to " + most + " (" + std::string(op, n) +
             "5: within 5 words)";
    return "";
  }
  return "";
}

// A byte of a word: an ASCII letter or digit, or part of a UTF-8 sequence.
bool word_byte(char c) { return std::isalnum(static_cast<unsigned char>(c)) || static_cast<unsigned char>(c) >= 0x80; }

struct Word {
  std::string text;
  std::size_t pos;  // 1-based character position
};

}  // namespace

namespace {

bool is_letter_or_digit(char32_t c) {
  if (c < 0x80) return std::isalnum(static_cast<int>(c)) != 0;
  // Above ASCII: every letter quire's tokenizer reads, not the punctuation and space blocks.
  return c >= 0xC0 && !(c >= 0x2000 && c <= 0x2BFF) && !(c >= 0x3000 && c <= 0x303F) && c != 0xFEFF &&
         !(c >= 0xFE30 && c <= 0xFE6F) && !(c >= 0xFF00 && c <= 0xFF20);
}

// Hyphens and dashes a word processor puts inside a hyphenated word: hyphen, non-breaking hyphen, figure
// dash, en and em dash, minus, small and fullwidth hyphen-minus.
bool is_typographic_hyphen(char32_t c) {
  return (c >= 0x2010 && c <= 0x2014) || c == 0x2212 || c == 0xFE63 || c == 0xFF0D;
}

bool opens_single_quote(char32_t c) { return c == 0x2018 || c == 0x201A || c == 0x201B; }
bool closes_single_quote(char32_t c) { return c == 0x2019 || c == 0x2018; }

}  // namespace

std::string normalise_query(std::string_view query) {
  std::vector<char32_t> cps;
  cps.reserve(query.size());
  for (std::size_t i = 0; i < query.size();) cps.push_back(next_codepoint(query, i));
  const auto at = [&](std::size_t k) -> char32_t { return k < cps.size() ? cps[k] : U' '; };
  const auto word_before = [&](std::size_t k) { return k > 0 && is_letter_or_digit(cps[k - 1]); };
  const auto word_after = [&](std::size_t k) { return is_letter_or_digit(at(k + 1)); };

  // A single typographic quote opens a phrase at the start of a word when a closing one ends a word
  // later on (‘apartheid regime’); any other is an apostrophe (d’Ivoire, peoples’, ’n’).
  std::vector<bool> phrase_quote(cps.size(), false);
  for (std::size_t k = 0; k < cps.size(); ++k) {
    if (!opens_single_quote(cps[k]) || word_before(k) || !word_after(k)) continue;
    for (std::size_t e = k + 1; e < cps.size(); ++e) {
      if (cps[e] == '"' || cps[e] == 0x201C || cps[e] == 0x201D) break;
      const char32_t before = cps[e - 1];
      const bool ends_word = is_letter_or_digit(before) || before == '.' || before == '!' || before == '?';
      if (closes_single_quote(cps[e]) && ends_word && !word_after(e)) {
        phrase_quote[k] = phrase_quote[e] = true;
        k = e;
        break;
      }
    }
  }

  std::string out;
  out.reserve(query.size());
  for (std::size_t k = 0; k < cps.size(); ++k) {
    char32_t ch = cps[k];
    switch (ch) {
      case 0x201C:
      case 0x201D:
      case 0x201E:
      case 0x201F:
      case 0x00AB:
      case 0x00BB:
      case 0x2033:
        ch = '"';
        break;
      case 0x2018:
      case 0x2019:
      case 0x201A:
      case 0x201B:
      case 0x2032:
        ch = phrase_quote[k] ? U'"' : U'\'';
        break;
      default:
        break;
    }
    // A typographic hyphen between two letters joins a hyphenated word, as '-' does.
    if (is_typographic_hyphen(ch) && word_before(k) && word_after(k)) ch = '-';
    // Control characters (tabs, line ends from a pasted paragraph) become spaces.
    if (ch < 0x20 || ch == 0x7F) ch = ' ';
    append_utf8(out, ch);
  }
  return out;
}

namespace {

// The length of the field name at query[i] ("Title" of "Title:x"): ASCII letters, digits, '-' or '_'
// from a letter, then ':', whose lower-case form is one of `fields`; 0 when there is none.
std::size_t field_name_at(std::string_view query, std::size_t i, const std::vector<std::string>& fields) {
  std::size_t e = i;
  while (e < query.size() && (std::isalnum(static_cast<unsigned char>(query[e])) || query[e] == '_' || query[e] == '-'))
    ++e;
  if (e == i || e >= query.size() || query[e] != ':' || !std::isalpha(static_cast<unsigned char>(query[i]))) return 0;
  std::string name(query.substr(i, e - i));
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return std::find(fields.begin(), fields.end(), name) != fields.end() ? e - i : 0;
}

// Whether query[i] starts a word outside quotes: after a space (or a control character), '(' or a
// leading '+' or '-'.
bool starts_word(std::string_view query, std::size_t i) {
  if (i == 0) return true;
  const auto before = static_cast<unsigned char>(query[i - 1]);
  if (before == ' ' || before == '(' || before < 0x20) return true;
  return (before == '+' || before == '-') && (i == 1 || query[i - 2] == ' ' || query[i - 2] == '(');
}

// Tab, line ends and form feed: spaces in a query, as a pasted paragraph holds them.
bool is_space_control(unsigned char c) { return c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'; }
bool is_control(unsigned char c) { return (c < 0x20 || c == 0x7F) && !is_space_control(c); }

}  // namespace

std::string word_control_problem(std::string_view query) {
  std::vector<char32_t> cps;
  std::vector<std::size_t> at;  // the byte each character starts at
  for (std::size_t i = 0; i < query.size();) {
    at.push_back(i);
    cps.push_back(next_codepoint(query, i));
  }
  at.push_back(query.size());
  const auto control = [&](std::size_t k) { return cps[k] < 0x80 && is_control(static_cast<unsigned char>(cps[k])); };
  for (std::size_t k = 1; k < cps.size(); ++k) {
    if (!control(k) || !is_letter_or_digit(cps[k - 1])) continue;
    std::size_t e = k;
    while (e < cps.size() && control(e)) ++e;
    if (e == cps.size() || !is_letter_or_digit(cps[e])) {
      k = e;
      continue;
    }
    std::size_t b = k - 1, end = e;  // the word around it, from the last space before to the next after
    while (b > 0 && (is_letter_or_digit(cps[b - 1]) || control(b - 1))) --b;
    while (end < cps.size() && (is_letter_or_digit(cps[end]) || control(end))) ++end;
    char hex[8];
    std::snprintf(hex, sizeof hex, "\\x%02x", static_cast<unsigned>(cps[k]));
    return "the word '" + message_value(query.substr(at[b], at[end] - at[b])) + "' at character " +
           std::to_string(b + 1) + " holds the control character " + hex;
  }
  return "";
}

std::string fold_field_names(std::string_view query, const std::vector<std::string>& fields) {
  std::string out(query);
  bool quoted = false;
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (out[i] == '"') quoted = !quoted;
    if (quoted || !starts_word(out, i)) continue;
    const std::size_t n = field_name_at(out, i, fields);
    for (std::size_t k = i; k < i + n; ++k) out[k] = static_cast<char>(std::tolower(static_cast<unsigned char>(out[k])));
    i += n;
  }
  return out;
}

std::string field_control_problem(std::string_view query, const std::vector<std::string>& fields) {
  bool quoted = false;
  std::size_t cp = 0;  // characters before query[i]
  for (std::size_t i = 0; i < query.size(); ++i) {
    if ((static_cast<unsigned char>(query[i]) & 0xC0) != 0x80) ++cp;
    if (query[i] == '"') quoted = !quoted;
    if (quoted || !starts_word(query, i)) continue;
    const std::size_t n = field_name_at(query, i, fields);
    if (n == 0) continue;
    // The value: a quoted string, or up to the next space, ')' or whitespace control.
    std::size_t end = i + n + 1;
    if (end < query.size() && query[end] == '"') {
      end = query.find('"', end + 1);
      end = end == std::string_view::npos ? query.size() : end;
    } else {
      while (end < query.size() && query[end] != ' ' && query[end] != ')' &&
             !is_space_control(static_cast<unsigned char>(query[end])))
        ++end;
    }
    for (std::size_t k = i + n + 1; k < end; ++k) {
      const auto c = static_cast<unsigned char>(query[k]);
      if (!is_control(c)) continue;
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02x", c);
      return "'" + std::string(query.substr(i, n + 1)) + "' at character " + std::to_string(cp) +
             ": its value holds the control character " + hex;
    }
  }
  return "";
}

std::string fold_query(std::string_view query, const std::vector<std::string>& keep) {
  std::string out;
  std::size_t done = 0;  // query[done..] is not yet in out
  for (std::size_t i = 0; i < query.size(); ++i) {
    const bool word_start = i == 0 || query[i - 1] == ' ' || query[i - 1] == '(' ||
                            ((query[i - 1] == '+' || query[i - 1] == '-') && (i == 1 || query[i - 2] == ' '));
    if (!word_start) continue;
    const std::size_t colon = query.find(':', i);
    if (colon == std::string_view::npos) break;
    const std::string name(query.substr(i, colon - i));
    if (std::find(keep.begin(), keep.end(), name) == keep.end()) continue;
    // A kept value: a quoted string, or up to the next space or ')'.
    std::size_t end = colon + 1;
    if (end < query.size() && query[end] == '"') {
      end = query.find('"', end + 1);
      end = end == std::string_view::npos ? query.size() : end + 1;
    } else {
      end = std::min(query.find_first_of(" )", end), query.size());
    }
    out += fold_accents(query.substr(done, i - done));
    out.append(query.substr(i, end - i));
    done = end;
    i = end - 1;
  }
  out += fold_accents(query.substr(done));
  return out;
}

std::string quote_field_groups(std::string_view query, const std::vector<std::string>& fields) {
  std::string out(query);
  for (const auto& name : fields) {
    const std::string opener = name + ":(";
    for (std::size_t at = out.find(opener); at != std::string::npos; at = out.find(opener, at + 1)) {
      if (at > 0 && out[at - 1] != ' ' && out[at - 1] != '(' && out[at - 1] != '+' && out[at - 1] != '-') continue;
      const std::size_t open = at + opener.size() - 1;
      int depth = 0;
      bool quoted = false;
      std::size_t close = std::string::npos;
      for (std::size_t i = open; i < out.size(); ++i) {
        if (out[i] == '"') quoted = !quoted;
        if (quoted) continue;
        if (out[i] == '(') ++depth;
        if (out[i] == ')' && --depth == 0) {
          close = i;
          break;
        }
      }
      if (close == std::string::npos) continue;
      // Inside Xapian's quoted value a quote is written twice: the phrases of the group stay phrases.
      std::string value = "\"";
      for (std::size_t i = open; i <= close; ++i) value += out[i] == '"' ? std::string("\"\"") : std::string(1, out[i]);
      value += '"';
      out.replace(open, close + 1 - open, value);
      at = open + value.size() - 1;
    }
  }
  return out;
}

namespace {

// True when `group` (a bracketed group's text, its inner groups of filters already taken out) holds a
// filter and nothing but filters and the operators AND, OR, NOT, XOR.
bool only_filters(const std::string& group, const std::vector<std::string>& fields) {
  std::vector<std::string> tokens;
  std::string cur;
  bool quoted = false;
  for (const char c : group) {
    if (c == '"') quoted = !quoted;
    if (c == ' ' && !quoted) {
      if (!cur.empty()) tokens.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) tokens.push_back(cur);
  bool filter = false;
  for (std::string t : tokens) {
    if (t == "AND" || t == "OR" || t == "NOT" || t == "XOR") continue;
    if (t[0] == '+' || t[0] == '-') t.erase(0, 1);
    const std::size_t colon = t.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == t.size()) return false;
    const std::string name = t.substr(0, colon);
    if (name != kFilterGroupField && std::find(fields.begin(), fields.end(), name) == fields.end()) return false;
    filter = true;
  }
  return filter;
}

}  // namespace

namespace {

// One item of a level of a query: a word, a field and its value, a phrase, a bracketed group (with
// `+`, `-` or `name:` before it), or an operator.
struct Item {
  std::string text;
  bool group = false;  // text is "(...)", with a sign before it or not
};

std::vector<Item> level_items(std::string_view q) {
  std::vector<Item> items;
  std::size_t i = 0;
  while (i < q.size()) {
    if (q[i] == ' ') {
      ++i;
      continue;
    }
    const std::size_t start = i;
    bool quoted = false, group = false;
    int depth = 0;
    for (; i < q.size(); ++i) {
      const char c = q[i];
      if (c == '"') quoted = !quoted;
      if (quoted) continue;
      if (c == '(') {
        if (depth == 0 && (i == start || (i == start + 1 && (q[start] == '+' || q[start] == '-')))) group = true;
        ++depth;
      } else if (c == ')') {
        if (depth == 0) break;  // unbalanced: check_query() says so
        if (--depth == 0 && group) {
          ++i;
          break;
        }
      } else if (c == ' ' && depth == 0) {
        break;
      }
    }
    if (i == start) ++i;  // a stray ')': an item of its own
    items.push_back({std::string(q.substr(start, i - start)), group});
  }
  return items;
}

bool boolean_operator(const std::string& w) { return w == "AND" || w == "OR" || w == "XOR" || w == "NOT"; }

// Brackets deeper than this are left as written (and their groups count as words): no query a person
// writes nests so deep, and each level is a scan of the text inside it.
constexpr int kMaxLiftDepth = 32;

bool is_filter(const Item& item, const std::vector<std::string>& fields, int depth);

// A group's inside, filters and boolean operators only, at least one filter.
bool filters_only(std::string_view inside, const std::vector<std::string>& fields, int depth) {
  if (depth > kMaxLiftDepth) return false;
  bool any = false;
  for (const Item& it : level_items(inside)) {
    if (boolean_operator(it.text)) continue;
    if (!is_filter(it, fields, depth)) return false;
    any = true;
  }
  return any;
}

bool is_filter(const Item& item, const std::vector<std::string>& fields, int depth) {
  std::string_view t = item.text;
  if (!t.empty() && (t[0] == '+' || t[0] == '-')) t.remove_prefix(1);
  if (item.group) return t.size() >= 2 && t.back() == ')' && filters_only(t.substr(1, t.size() - 2), fields, depth + 1);
  const std::size_t colon = t.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == t.size()) return false;
  return std::find(fields.begin(), fields.end(), std::string(t.substr(0, colon))) != fields.end();
}

std::string lifted_at(std::string_view query, const std::vector<std::string>& fields, int depth) {
  if (depth > kMaxLiftDepth) return std::string(query);
  std::vector<Item> items = level_items(query);
  // Each group's inside first, by the same rule.
  bool changed = false;
  for (Item& it : items) {
    if (!it.group) continue;
    const std::size_t open = it.text.find('(');
    if (it.text.size() < open + 2 || it.text.back() != ')') continue;
    const std::string inside = it.text.substr(open + 1, it.text.size() - open - 2);
    const std::string now = lifted_at(inside, fields, depth + 1);
    if (now == inside) continue;
    it.text = it.text.substr(0, open + 1) + now + ")";
    changed = true;
  }
  const bool operators =
      std::any_of(items.begin(), items.end(), [](const Item& it) { return boolean_operator(it.text); });
  std::string kept, lifted;
  const auto add = [](std::string& to, const std::string& text) { to += (to.empty() ? "" : " ") + text; };
  if (operators) {
    // Operands: the items between two boolean operators. In an operand holding a word every filter
    // moves out but NOT's first item; an operand of filters alone keeps the filters next to its
    // operators (the operand proper) and the others move out.
    std::size_t begin = 0;
    bool after_operator = false, after_not = false;
    while (begin <= items.size()) {
      std::size_t end = begin;
      while (end < items.size() && !boolean_operator(items[end].text)) ++end;
      const bool before_operator = end < items.size();
      bool words = false;
      std::vector<bool> filter(end - begin);
      for (std::size_t k = begin; k < end; ++k) {
        filter[k - begin] = is_filter(items[k], fields, depth);
        words = words || !filter[k - begin];
      }
      for (std::size_t k = begin; k < end; ++k) {
        const bool stays =
            words ? after_not && k == begin : (after_operator && k == begin) || (before_operator && k + 1 == end);
        add(filter[k - begin] && !stays ? lifted : kept, items[k].text);
      }
      if (end == items.size()) break;
      add(kept, items[end].text);
      after_operator = true;
      after_not = items[end].text == "NOT";
      begin = end + 1;
    }
  }
  if (lifted.empty()) {
    if (!changed) return std::string(query);
    std::string out;
    for (const Item& it : items) add(out, it.text);
    return out;
  }
  return "(" + kept + ") " + lifted;
}

}  // namespace

std::string filters_lifted(std::string_view query, const std::vector<std::string>& fields) {
  return lifted_at(query, fields, 0);
}

FilterGroups filter_groups(std::string_view query, const std::vector<std::string>& fields) {
  FilterGroups out;
  std::vector<std::pair<std::size_t, bool>> open;  // each open bracket: where in out.query, a field's value
  bool quoted = false;
  for (std::size_t i = 0; i < query.size(); ++i) {
    const char c = query[i];
    if (c == '"') quoted = !quoted;
    if (quoted || (c != '(' && c != ')')) {
      out.query += c;
      continue;
    }
    if (c == '(') {
      open.emplace_back(out.query.size(), i > 0 && query[i - 1] == ':');
      out.query += c;
      continue;
    }
    if (open.empty()) {  // unbalanced: check_query() says so; left as written
      out.query += c;
      continue;
    }
    const auto [at, value] = open.back();
    open.pop_back();
    const std::string group = out.query.substr(at + 1);
    if (value || !only_filters(group, fields)) {
      out.query += c;
      continue;
    }
    out.query.resize(at);
    out.query += std::string(kFilterGroupField) + ":" + std::to_string(out.groups.size());
    out.groups.push_back(group);
  }
  return out;
}

std::string restore_filter_groups(const std::string& text, const std::vector<std::string>& groups) {
  const std::string field = std::string(kFilterGroupField) + ":";
  std::string out;
  std::size_t done = 0;
  for (std::size_t at = text.find(field); at != std::string::npos; at = text.find(field, done)) {
    std::size_t end = at + field.size();
    while (end < text.size() && std::isdigit(static_cast<unsigned char>(text[end]))) ++end;
    out += text.substr(done, at - done);
    const std::string n = text.substr(at + field.size(), end - at - field.size());
    if (!n.empty() && n.size() < 6 && std::stoul(n) < groups.size())
      out += "(" + restore_filter_groups(groups[std::stoul(n)], groups) + ")";
    else
      out += text.substr(at, end - at);
    done = end;
  }
  return out + text.substr(done);
}

namespace {

// What Xapian's QueryParser (1.4) reads a query as: its lexer's tokens, with the flags quire parses
// with (boolean operators, phrases, love/hate, wildcards; every field a boolean prefix), so that
// check_query() judges the query Xapian will parse and not a guess at it. Words are read by the
// tokenizer's rules (scan_word()); what stands between them follows the parser's lexer: '"', '(',
// ')', '+' and '-' are syntax only where it takes them as such, other punctuation is no term at all.
enum class Lex { Term, GroupTerm, PhrTerm, Wild, Quote, Bra, Ket, Love, Hate, HateAfterAnd, And, Or, Xor, Not, Near,
                 Adj, Filter, EmptyGroupOk };

struct Lexeme {
  Lex kind;
  std::string text;  // a word as written; a filter's name:value
  std::size_t pos;   // 1-based character position
  std::string value; // a filter's value
  bool stop = false; // a stop word (Term, GroupTerm)
};

bool is_space(char32_t c) { return Xapian::Unicode::is_whitespace(static_cast<unsigned>(c)); }

bool phrase_generator(char32_t c) { return c < 128 && c != 0 && std::strchr(".-/:\\@", static_cast<int>(c)); }

bool stop_word(const std::string& lower) {
  return std::any_of(std::begin(kStopWords), std::end(kStopWords), [&](const char* w) { return lower == w; });
}

std::string utf8_of(std::u32string_view cps) {
  std::string out;
  for (char32_t c : cps) append_utf8(out, c);
  return out;
}

struct Lexed {
  std::vector<Lexeme> lexemes;
  std::string problem;  // a NEAR/n, ADJ/n the parser reads as words
};

Lexed xapian_lexemes(std::string_view query, const std::vector<std::string>& fields) {
  std::u32string cps;
  for (std::size_t i = 0; i < query.size();) cps.push_back(next_codepoint(query, i));
  const std::size_t n = cps.size();
  Lexed out;
  auto& lx = out.lexemes;
  enum Mode { kDefault, kInQuotes, kPhrased, kGroup, kGroup2 } mode = kDefault;
  const auto in_default = [&] { return mode == kDefault || mode == kGroup || mode == kGroup2; };
  char32_t newprev = ' ';
  std::size_t it = 0;
  bool last_was_operator = false, needing_term = false;
  const auto emit = [&](Lex k, std::size_t at, std::string text = {}) { lx.push_back({k, std::move(text), at + 1, {}, false}); };
  while (it < n) {
    bool after_operator = last_was_operator, after_needing = needing_term;
    last_was_operator = needing_term = false;
    if (mode == kPhrased) mode = kDefault;
    if (is_space(cps[it])) {
      newprev = ' ';
      while (it < n && is_space(cps[it])) ++it;
      if (it == n) break;
    }
    if (!is_word_char(cps[it])) {
      const char32_t prev = newprev, ch = cps[it];
      const std::size_t at = it++;
      newprev = ch;
      if (mode == kGroup || mode == kGroup2) mode = kDefault;
      if (ch == '"') {
        if (mode == kDefault) {
          while (it < n && is_space(cps[it])) ++it;
          if (it == n) break;
          if (cps[it] == '"') {  // "" is ignored
            newprev = cps[it++];
            continue;
          }
        }
        emit(Lex::Quote, at);
        mode = mode == kDefault ? kInQuotes : kDefault;
      } else if (ch == '+' || ch == '-') {
        if (it == n) break;
        if (prev > ' ' && prev != '(') continue;
        if (is_space(cps[it]) || cps[it] == '+' || cps[it] == '-') {
          newprev = cps[it++];
          continue;
        }
        if (mode == kDefault) {
          emit(ch == '+' ? Lex::Love : after_operator ? Lex::HateAfterAnd : Lex::Hate, at);
          last_was_operator = needing_term = true;
        }
      } else if (ch == '(') {
        while (it < n && is_space(cps[it])) ++it;
        if (it == n) break;
        if (prev > ' ' && prev != '(' && prev != ')' && prev != '+' && prev != '-') continue;
        if (cps[it] == ')') {
          newprev = cps[it++];
          continue;
        }
        if (mode == kDefault) emit(Lex::Bra, at);
      } else if (ch == ')') {
        if (mode == kDefault) emit(Lex::Ket, at);
      }
      continue;
    }
    newprev = 'A';
    std::size_t start = it;
    // A field's name and its value: up to a space or ')', or a quoted string ("" in it is one ").
    if (in_default() && !fields.empty()) {
      std::size_t p = start;
      while (p < n && is_word_char(cps[p])) ++p;
      if (p + 1 < n && cps[p] == ':' && cps[p + 1] > ' ' && cps[p + 1] != ')') {
        const std::string name = utf8_of(std::u32string_view(cps).substr(start, p - start));
        if (std::find(fields.begin(), fields.end(), name) != fields.end()) {
          if (mode == kGroup || mode == kGroup2) mode = kDefault;
          it = p + 1;
          std::u32string value;
          if (cps[it] == '"') {
            ++it;
            while (it < n) {
              if (cps[it] == '"' && (++it == n || cps[it] != '"')) break;
              value.push_back(cps[it++]);
            }
          } else {
            while (it < n && cps[it] > ' ' && cps[it] != ')') value.push_back(cps[it++]);
          }
          emit(Lex::Filter, start, utf8_of(std::u32string_view(cps).substr(start, it - start)));
          lx.back().value = utf8_of(value);
          continue;
        }
      }
    }
    while (true) {  // phrased_term: words joined by . - / : \ @ read one after the other
      bool initials = false;
      std::size_t suffix = 0, end = start;
      std::string word = scan_word(cps, start, end, initials, suffix);
      it = end;
      // Boolean operators, by the word as written. A trailing + or # is the word's own only when the
      // index holds the word with it (C++): an operator's word is in every index, so AND+ is AND.
      if (in_default() && !initials) {
        std::string op = word.substr(0, word.size() - suffix);
        if (op.size() >= 2 && op.size() <= 4 && std::isalpha(static_cast<unsigned char>(op[0]))) {
          const std::size_t op_end = it - suffix;
          Lex kind = Lex::Term;
          if (op == "AND") kind = Lex::And;
          if (op == "OR") kind = Lex::Or;
          if (op == "XOR") kind = Lex::Xor;
          if (op == "NOT") kind = Lex::Not;
          if (op == "NEAR" || op == "ADJ") {
            kind = op == "NEAR" ? Lex::Near : Lex::Adj;
            if (op_end < n && cps[op_end] == '/') {
              std::size_t p = op_end + 1;
              bool width = false;
              for (; p < n && cps[p] >= '0' && cps[p] <= '9'; ++p) width = width || cps[p] != '0';
              if (width && (p == n || is_space(cps[p]))) {
                it = p;
              } else {
                if (width && out.problem.empty())
                  out.problem = "'" + utf8_of(std::u32string_view(cps).substr(start, p - start)) + "' at character " +
                                std::to_string(start + 1) + " needs a space after it (it is read as words otherwise)";
                kind = Lex::Term;
              }
            }
          }
          if (kind != Lex::Term) {
            if (kind != Lex::Near && kind != Lex::Adj) it = op_end;
            emit(kind, start, op);
            last_was_operator = true;
            mode = kDefault;
            break;
          }
        }
      }
      std::string lower;
      for (std::size_t at = 0; at < word.size();) append_utf8(lower, Xapian::Unicode::tolower(next_codepoint(word, at)));
      if (in_default() && it < n && cps[it] == '*' && (it + 1 == n || !is_word_char(cps[it + 1]))) {
        ++it;
        if (mode == kGroup2) emit(Lex::EmptyGroupOk, start);
        mode = kDefault;
        emit(Lex::Wild, start, word);
        break;
      }
      if (mode == kPhrased) {
        emit(Lex::PhrTerm, start, word);
      } else {
        if ((mode == kGroup || mode == kGroup2) && it < n && phrase_generator(cps[it])) {
          std::size_t p = it;
          while (p < n && phrase_generator(cps[p])) ++p;
          if (p < n && is_word_char(cps[p])) mode = kDefault;
        }
        Lex kind = Lex::Term;
        if (mode == kGroup || mode == kGroup2) {
          mode = kGroup2;
          kind = Lex::GroupTerm;
        }
        emit(kind, start, word);
        lx.back().stop = stop_word(lower);
        if (kind == Lex::Term && mode != kDefault) break;  // in quotes
      }
      if (it == n) break;
      if (phrase_generator(cps[it])) {
        while (it < n && phrase_generator(cps[it])) ++it;
        if (it < n && is_word_char(cps[it])) {
          mode = kPhrased;
          start = it;
          continue;
        }
      } else if (in_default()) {
        const Mode old = mode;
        mode = kDefault;
        if (!after_needing && is_space(cps[it])) {
          newprev = ' ';
          while (it < n && is_space(cps[it])) ++it;
          if (it < n && is_word_char(cps[it])) mode = old == kDefault ? kGroup : kGroup2;
        }
      }
      break;
    }
  }
  return out;
}

// Brackets deeper than this are not checked inside (each level is a call).
constexpr int kMaxCheckDepth = 200;

// The operators Xapian's grammar gives two operands, tighter binding higher (OR < XOR < AND, NOT).
int precedence(Lex k) { return k == Lex::Or ? 1 : k == Lex::Xor ? 2 : 3; }

struct Operator {
  std::string text;  // AND, OR, XOR, NOT, "AND NOT"
  std::size_t pos;
  Lex kind;
};

std::string check_level(const std::vector<Lexeme>& lx, std::size_t& i, bool pure_not, bool& null, int depth);

// One operand's item at lx[i] (a word, a group of words, a phrase, brackets, a filter, +/- and what
// they apply to), which it steps past. `null`: Xapian's parser makes it no query (a stop word, a
// bracket of stop words), `filter`: a field's filter.
std::string item_at(const std::vector<Lexeme>& lx, std::size_t& i, bool pure_not, bool& null, bool& filter,
                    bool& hate, int depth) {
  null = filter = hate = false;
  const Lexeme& t = lx[i];
  switch (t.kind) {
    case Lex::Term: {
      bool all_stop = t.stop, group = false, empty_ok = false;
      ++i;
      for (; i < lx.size() && (lx[i].kind == Lex::GroupTerm || lx[i].kind == Lex::EmptyGroupOk); ++i) {
        group = true;
        if (lx[i].kind == Lex::EmptyGroupOk) empty_ok = true;
        else all_stop = all_stop && lx[i].stop;
      }
      // A word joined to the next by punctuation (a phrase), or by NEAR or ADJ: never stopped.
      bool joined = false;
      while (i < lx.size() && lx[i].kind == Lex::PhrTerm) ++i, joined = true;
      while (i + 1 < lx.size() && (lx[i].kind == Lex::Near || lx[i].kind == Lex::Adj) && lx[i + 1].kind == Lex::Term)
        i += 2, joined = true;
      if (joined) return "";
      null = group ? all_stop && empty_ok : all_stop;
      return "";
    }
    case Lex::Quote:
      for (++i; i < lx.size() && lx[i].kind != Lex::Quote; ++i) {
      }
      if (i < lx.size()) ++i;
      return "";
    case Lex::Bra: {
      ++i;
      if (depth > kMaxCheckDepth) {  // deeper than anyone writes: stepped over unchecked
        for (int open = 1; i < lx.size() && open > 0; ++i) open += lx[i].kind == Lex::Bra ? 1 : lx[i].kind == Lex::Ket ? -1 : 0;
        return "";
      }
      std::string problem = check_level(lx, i, pure_not, null, depth + 1);
      if (i < lx.size() && lx[i].kind == Lex::Ket) ++i;
      return problem;
    }
    case Lex::Love:
    case Lex::Hate:
    case Lex::HateAfterAnd: {
      ++i;
      if (i >= lx.size()) return "";
      bool inner_null = false, inner_filter = false, inner_hate = false;
      std::string problem = item_at(lx, i, pure_not, inner_null, inner_filter, inner_hate, depth);
      filter = inner_filter;
      hate = t.kind != Lex::Love;
      return problem;
    }
    case Lex::Filter:
      filter = true;
      ++i;
      return "";
    default:
      ++i;
      return "";
  }
}

std::string check_level(const std::vector<Lexeme>& lx, std::size_t& i, bool pure_not, bool& null, int depth) {
  // An operand: the items between two operators of this level.
  struct Run {
    std::size_t items = 0, words = 0;  // words: items that are not filters, + or -
    bool null_words = true;            // every word is no query
    bool bare_term = false;            // its one word is a single word
    bool filter = false, first_filter = false, love_or_hate = false;
  };
  std::vector<Run> runs(1);
  std::vector<Operator> ops;
  while (i < lx.size() && lx[i].kind != Lex::Ket) {
    const Lexeme& t = lx[i];
    if (t.kind == Lex::And || t.kind == Lex::Or || t.kind == Lex::Xor || t.kind == Lex::Not) {
      Operator op{t.text, t.pos, t.kind};
      if (t.kind == Lex::And && i + 1 < lx.size() && lx[i + 1].kind == Lex::Not) {
        op.text = "AND NOT";  // one operator, binding as AND
        ++i;
      }
      ops.push_back(op);
      runs.emplace_back();
      ++i;
      // '-' right after an operator: Xapian's grammar takes it only after AND.
      if (i < lx.size() && lx[i].kind == Lex::HateAfterAnd && op.text != "AND")
        return "'" + op.text + "' at character " + std::to_string(op.pos) +
               " needs a term after it, not '-' (write NOT word to leave a word out)";
      continue;
    }
    if (t.kind == Lex::Near || t.kind == Lex::Adj) {  // NEAR or ADJ with no word before it: no operand
      ++i;
      continue;
    }
    Run& r = runs.back();
    const bool bare = t.kind == Lex::Term && (i + 1 >= lx.size() || lx[i + 1].kind != Lex::GroupTerm);
    bool item_null = false, filter = false, hate = false;
    if (std::string problem = item_at(lx, i, pure_not, item_null, filter, hate, depth); !problem.empty()) return problem;
    if (r.items++ == 0) r.first_filter = filter;
    if (filter) {
      r.filter = true;
    } else if (hate || t.kind == Lex::Love) {
      r.love_or_hate = true;
    } else {
      r.bare_term = ++r.words == 1 && bare;
      r.null_words = r.null_words && item_null;
    }
  }
  // Whether each operand is no query to Xapian's parser. Filters beside words are moved out of the
  // operand (filters_lifted()), but the first item after NOT; one word alone is never stopped.
  const auto no_query = [&](std::size_t k) {
    const Run& r = runs[k];
    if (r.items == 0) return true;
    if (r.love_or_hate || r.words == 0) return false;
    if (r.first_filter && k > 0 && ops[k - 1].kind == Lex::Not) return false;
    if (r.words == 1 && r.bare_term) return false;
    return r.null_words;
  };
  for (std::size_t k = 0; k < runs.size(); ++k) {
    if (!no_query(k)) continue;
    const Operator* left = k > 0 ? &ops[k - 1] : nullptr;
    const Operator* right = k < ops.size() ? &ops[k] : nullptr;
    if (!left && !right) continue;  // the whole level: "no searchable words", or its brackets are
    // NOT word, alone or after a looser operator: everything but word.
    if (right && right->text == "NOT" && pure_not && (!left || precedence(left->kind) < precedence(Lex::Not)))
      continue;
    const bool by_left = left && (!right || precedence(left->kind) >= precedence(right->kind));
    const Operator& op = by_left ? *left : *right;
    std::string message = "'" + op.text + "' at character " + std::to_string(op.pos) +
                          (by_left && op.kind == Lex::Not ? " needs a term after it" : " needs a term on each side");
    if (runs[k].items > 0)
      message += std::string(" (the words ") + (by_left ? "after" : "before") +
                 " it are only common words, which are not searched)";
    return message;
  }
  null = ops.empty() && runs[0].items > 0 && no_query(0);
  return "";
}

// Xapian's parser joins only single words with NEAR and ADJ; with a phrase, a hyphenated word (a
// phrase too), a wildcard, a bracket, a filter or +/- on either side it quietly reads the whole query
// as words, the operator's own word among them (so it does when a word stands beside the operand with no
// operator between: "peace war NEAR conflict") ("apartheid NEAR \"South Africa\"" matched 10 times
// the passages "apartheid" alone does: rt17h row 1).
std::string proximity_operand_problem(std::string_view query, const std::vector<Lexeme>& lx) {
  std::u32string cps;
  for (std::size_t i = 0; i < query.size();) cps.push_back(next_codepoint(query, i));
  // Two words with only spaces between them: the parser's group of words (a comma would end it).
  const auto only_space_between = [&](const Lexeme& a, const Lexeme& b) {
    std::size_t from = a.pos - 1;
    for (std::size_t at = 0; at < a.text.size(); ++from) next_codepoint(a.text, at);
    for (std::size_t i = from; i + 1 < b.pos && i < cps.size(); ++i)
      if (!is_space(cps[i])) return false;
    return true;
  };
  const auto single_word = [&](std::size_t k) {
    return k < lx.size() && lx[k].kind == Lex::Term;
  };
  const auto what = [&](std::size_t k) -> std::string {
    if (k >= lx.size()) return "nothing";
    switch (lx[k].kind) {
      case Lex::Quote: return "a phrase";
      case Lex::PhrTerm: return "a hyphenated word (or words joined by . / : @)";
      case Lex::GroupTerm: return "another word with no operator ('" + lx[k].text + "')";
      case Lex::Wild: return "a wildcard ('" + lx[k].text + "*')";
      case Lex::Bra:
      case Lex::Ket: return "a bracket";
      case Lex::Filter: return "a field ('" + lx[k].text + "')";
      case Lex::Love:
      case Lex::Hate:
      case Lex::HateAfterAnd: return "a + or -";
      default: return "'" + lx[k].text + "'";
    }
  };
  for (std::size_t k = 0; k < lx.size(); ++k) {
    if (lx[k].kind != Lex::Near && lx[k].kind != Lex::Adj) continue;
    std::string bad;
    if (k > 0 && !single_word(k - 1)) bad = what(k - 1);
    else if (!single_word(k + 1)) bad = what(k + 1);
    else if (k + 2 < lx.size() && lx[k + 2].kind == Lex::PhrTerm) bad = what(k + 2);
    else if (k + 2 < lx.size() && lx[k + 2].kind == Lex::Wild) bad = what(k + 2);
    else if (k + 2 < lx.size() && (lx[k + 2].kind == Lex::Term || lx[k + 2].kind == Lex::GroupTerm) &&
             only_space_between(lx[k + 1], lx[k + 2]))
      bad = "another word with no operator ('" + lx[k + 2].text + "')";
    if (bad.empty() || bad == "nothing") continue;  // no operand at all: check_level() says so
    return "'" + lx[k].text + "' at character " + std::to_string(lx[k].pos) +
           " joins single words only, and " + bad +
           " stands beside it (write single words, e.g. apartheid NEAR south NEAR africa, and brackets around the rest: peace (war NEAR conflict))";
  }
  return "";
}

}  // namespace

std::string check_query(std::string_view q, const std::vector<std::string>& fields) {
  if (q.find_first_not_of(' ') == std::string_view::npos) return "empty query";
  // Character positions, for messages.
  std::vector<std::size_t> cp_at(q.size() + 1, 0);
  {
    std::size_t cp = 0;
    for (std::size_t i = 0; i < q.size(); ++i) {
      cp_at[i] = cp + 1;
      if ((static_cast<unsigned char>(q[i]) & 0xC0) != 0x80) ++cp;
    }
  }
  // Quotes first: everything inside a phrase is words, not syntax.
  std::size_t open_quote = std::string_view::npos;
  int depth = 0;
  std::vector<std::size_t> open_parens;
  std::vector<Word> words;  // outside quotes; "(" and ")" are words of their own
  std::string cur;
  std::size_t cur_pos = 0;
  const auto end_word = [&]() {
    if (!cur.empty()) words.push_back({cur, cur_pos});
    cur.clear();
  };
  for (std::size_t i = 0; i < q.size(); ++i) {
    const char c = q[i];
    if (c == '"') {
      end_word();
      if (open_quote == std::string_view::npos) {
        open_quote = i;
        words.push_back({"\"", cp_at[i]});
      } else {
        open_quote = std::string_view::npos;
      }
      continue;
    }
    if (open_quote != std::string_view::npos) continue;
    if (c == '(' || c == ')') {
      end_word();
      if (c == '(') {
        ++depth;
        open_parens.push_back(i);
      } else if (--depth < 0) {
        return "unbalanced parentheses: ')' at character " + std::to_string(cp_at[i]) + " has no matching '('";
      } else {
        open_parens.pop_back();
      }
      words.push_back({std::string(1, c), cp_at[i]});
      continue;
    }
    if (c == ' ') {
      end_word();
      continue;
    }
    if (cur.empty()) cur_pos = cp_at[i];
    cur += c;
  }
  end_word();
  if (open_quote != std::string_view::npos)
    return "unbalanced quotes: the phrase opened at character " + std::to_string(cp_at[open_quote]) + " is not closed";
  if (depth > 0)
    return "unbalanced parentheses: '(' at character " + std::to_string(cp_at[open_parens.back()]) + " is not closed";

  for (std::size_t i = 0; i < words.size(); ++i) {
    const Word& w = words[i];
    if (const std::string problem = window_problem(w.text); !problem.empty())
      return "'" + w.text + "' at character " + std::to_string(w.pos) + ": " + problem;
    if (is_binary_operator(w.text)) {
      const bool left_ok =
          i > 0 && words[i - 1].text != "(" && !is_binary_operator(words[i - 1].text) && words[i - 1].text != "NOT";
      const bool right_ok = i + 1 < words.size() && words[i + 1].text != ")" && !is_binary_operator(words[i + 1].text);
      if (!left_ok || !right_ok)
        return "'" + w.text + "' at character " + std::to_string(w.pos) + " needs a term on each side";
    } else if (w.text == "NOT") {
      if (i + 1 >= words.size() || words[i + 1].text == ")" || is_binary_operator(words[i + 1].text))
        return "'NOT' at character " + std::to_string(w.pos) + " needs a term after it";
    } else if (w.text == "(" && i + 1 < words.size() && words[i + 1].text == ")") {
      return "empty parentheses at character " + std::to_string(w.pos);
    }
    // A '*' or '?' inside a word: Xapian's parser would search the letters after it as a word of their
    // own ("kashm*r" as kashm* and r), so the lone letters matched.
    if (w.text.find("://") == std::string::npos) {
      for (std::size_t k = 1; k + 1 < w.text.size(); ++k) {
        if ((w.text[k] == '*' || w.text[k] == '?') && word_byte(w.text[k - 1]) && word_byte(w.text[k + 1]))
          return "'" + w.text + "' at character " + std::to_string(w.pos) + ": only a trailing * is supported (" +
                 w.text.substr(0, k) + "*)";
      }
    }
    // field:value with an unknown field name.
    const std::size_t colon = w.text.find(':');
    if (colon != std::string::npos && colon > 0) {
      const std::string name = w.text.substr(0, colon);
      // Capitalised too (Kashmir:India, as typed or pasted): a capitalised known field was folded to lower
      // case before (fold_field_names()), so this one is unknown and is named, not searched as nothing.
      const bool identifier = std::all_of(
          name.begin(), name.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; });
      const bool has_value = colon + 1 < w.text.size() || (i + 1 < words.size() && words[i + 1].text == "\"" &&
                                                           words[i + 1].pos == w.pos + w.text.size());
      const bool value_starts_word =
          colon + 1 >= w.text.size() || std::isalnum(static_cast<unsigned char>(w.text[colon + 1])) ||
          w.text[colon + 1] == '(' || (static_cast<unsigned char>(w.text[colon + 1]) >= 0x80);
      const bool is_field = std::find(fields.begin(), fields.end(), name) != fields.end();
      // A known field with nothing after its colon would be searched as the word of its name.
      if (is_field && identifier && !has_value && (i + 1 >= words.size() || words[i + 1].pos != w.pos + w.text.size()))
        return "'" + name + ":' at character " + std::to_string(w.pos) + " has no value (write " + name + ":word or " +
               name + ":\"some words\", with no space after the colon)";
      if (is_field && w.text.compare(colon + 1, std::string::npos, "..") == 0)
        return "'" + w.text + "' at character " + std::to_string(w.pos) + " is a range with no ends (write " + name +
               ":15..20, " + name + ":15.. or " + name + ":..20)";
      if (identifier && has_value && value_starts_word && !is_field) {
        std::string known;
        for (const auto& f : fields) known += (known.empty() ? "" : ", ") + f + ":";
        return "unknown field '" + name + ":' at character " + std::to_string(w.pos) + " (known fields: " + known + ")";
      }
    }
  }
  // What Xapian's parser will read: its operators' operands, the fields' values.
  const Lexed lexed = xapian_lexemes(q, fields);
  if (!lexed.problem.empty()) return lexed.problem;
  if (std::string problem = proximity_operand_problem(q, lexed.lexemes); !problem.empty()) return problem;
  for (const Lexeme& t : lexed.lexemes) {
    if (t.kind != Lex::Filter) continue;
    const std::string name = t.text.substr(0, t.text.find(':'));
    if (t.value.find_first_not_of(' ') == std::string::npos)
      return "'" + t.text + "' at character " + std::to_string(t.pos) + " has no value (write " + name + ":word or " +
             name + ":\"some words\")";
    // A field's bracketed group (title:(a OR b)) is parsed as a query of its own, without fields and
    // without a NOT of its own.
    if (t.value.size() >= 2 && t.value.front() == '(' && t.value.back() == ')') {
      const Lexed inner = xapian_lexemes(t.value, {});
      std::size_t at = 0;
      bool null = false;
      if (std::string problem = check_level(inner.lexemes, at, false, null, 0); !problem.empty())
        return "in " + name + ":" + t.value + ", " + problem;
    }
  }
  for (std::size_t at = 0; at < lexed.lexemes.size(); ++at) {  // a ')' with no '(' ends a level
    bool null = false;
    if (std::string problem = check_level(lexed.lexemes, at, true, null, 0); !problem.empty()) return problem;
  }
  return "";
}

}  // namespace quire
