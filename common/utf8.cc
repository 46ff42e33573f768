// UTF-8 validation and repair, written against RFC 3629's table of well-formed byte sequences.
#include "quire/utf8.h"

#include "quire/invisible.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace quire {
namespace {

// Length of the well-formed sequence starting at s[i], or 0 if the bytes there are not one.
std::size_t valid_sequence_length(std::string_view s, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b0 = byte(i);
  if (b0 < 0x80) return 1;
  std::size_t len;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    if (b0 == 0xE0) lo = 0xA0;  // no overlongs
    if (b0 == 0xED) hi = 0x9F;  // no surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;  // nothing past U+10FFFF
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (std::size_t k = 2; k < len; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  }
  return len;
}

}  // namespace

bool is_valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t len = valid_sequence_length(s, i);
    if (len == 0) return false;
    i += len;
  }
  return true;
}

Utf8Repair repair_utf8(std::string_view s) {
  Utf8Repair out;
  out.text.reserve(s.size());
  bool in_bad_run = false;
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t len = valid_sequence_length(s, i);
    if (len == 0) {
      // One replacement per run of bad bytes, so "\xFC" and "\xC3\x28" each cost one U+FFFD.
      if (!in_bad_run) {
        append_utf8(out.text, kReplacementChar);
        ++out.replaced;
      }
      in_bad_run = true;
      ++i;
      continue;
    }
    in_bad_run = false;
    out.text.append(s.substr(i, len));
    i += len;
  }
  return out;
}

bool looks_single_byte(std::string_view s) {
  bool high = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (static_cast<unsigned char>(s[i]) < 0x80) continue;
    if (valid_sequence_length(s, i) > 1) return false;  // a real UTF-8 sequence: this is UTF-8, damaged
    high = true;
  }
  return high;
}

std::string cp1252_to_utf8(std::string_view s) {
  // 0x80-0x9F in Windows-1252; 0 marks the unassigned bytes.
  static const char16_t kHigh[32] = {0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
                                     0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
                                     0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
                                     0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  for (const char c : s) {
    const auto b = static_cast<unsigned char>(c);
    if (b < 0x80) {
      out += c;
    } else if (b < 0xA0) {
      append_utf8(out, kHigh[b - 0x80] ? kHigh[b - 0x80] : kReplacementChar);
    } else {
      append_utf8(out, b);
    }
  }
  return out;
}

std::string c1_as_cp1252(std::string_view s) {
  // U+0080-U+009F are C2 80 - C2 9F in UTF-8; most text has none and is returned as it is.
  bool any = false;
  for (std::size_t i = 0; i + 1 < s.size() && !any; ++i)
    any = static_cast<unsigned char>(s[i]) == 0xC2 && static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
          static_cast<unsigned char>(s[i + 1]) < 0xA0;
  if (!any) return std::string(s);
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t start = i;
    const char32_t cp = next_codepoint(s, i);
    if (cp < 0x80 || cp >= 0xA0) {
      out.append(s, start, i - start);
      continue;
    }
    const std::string one = cp1252_to_utf8(std::string(1, static_cast<char>(cp)));
    if (one != "\xEF\xBF\xBD") out += one;  // an unassigned byte: dropped
  }
  return out;
}

std::string utf16_to_utf8(std::string_view bytes, bool little_endian) {
  std::string out;
  out.reserve(bytes.size());
  const auto unit = [&](std::size_t i) {
    const auto a = static_cast<unsigned char>(bytes[i]), b = static_cast<unsigned char>(bytes[i + 1]);
    return static_cast<char32_t>(little_endian ? (b << 8 | a) : (a << 8 | b));
  };
  for (std::size_t i = 0; i + 1 < bytes.size(); i += 2) {
    const char32_t u = unit(i);
    if (u >= 0xD800 && u < 0xDC00 && i + 3 < bytes.size()) {
      const char32_t low = unit(i + 2);
      if (low >= 0xDC00 && low < 0xE000) {
        append_utf8(out, 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00));
        i += 2;
        continue;
      }
    }
    append_utf8(out, (u >= 0xD800 && u < 0xE000) ? kReplacementChar : u);
  }
  return out;
}

std::string utf32_to_utf8(std::string_view bytes, bool little_endian) {
  std::string out;
  out.reserve(bytes.size() / 2);
  std::size_t i = 0;
  for (; i + 3 < bytes.size(); i += 4) {
    char32_t u = 0;
    for (std::size_t k = 0; k < 4; ++k)
      u = (u << 8) | static_cast<unsigned char>(bytes[little_endian ? i + 3 - k : i + k]);
    append_utf8(out, u > 0x10FFFF || (u >= 0xD800 && u < 0xE000) ? kReplacementChar : u);
  }
  if (i < bytes.size()) append_utf8(out, kReplacementChar);  // a cut last unit
  return out;
}

namespace {

// UTF-32 without a byte order mark (see wide_form()): 1 little-endian, 2 big-endian, 0 neither.
int bomless_utf32(std::string_view b) {
  const std::size_t n = std::min<std::size_t>(b.size(), 4096) & ~std::size_t{3};
  if (n < 8) return 0;
  for (int kind = 1; kind <= 2; ++kind) {
    const bool le = kind == 1;
    std::size_t narrow = 0;
    bool ok = true;
    for (std::size_t i = 0; i < n && ok; i += 4) {
      char32_t u = 0;
      for (std::size_t k = 0; k < 4; ++k) u = (u << 8) | static_cast<unsigned char>(b[le ? i + 3 - k : i + k]);
      ok = u != 0 && u <= 0x10FFFF && !(u >= 0xD800 && u < 0xE000);
      narrow += u < 0x100;
    }
    if (ok && narrow * 10 >= (n / 4) * 9) return kind;
  }
  return 0;
}

}  // namespace

Wide wide_form(std::string_view b) {
  if (b.substr(0, 4) == std::string_view("\xFF\xFE\0\0", 4)) return {WideForm::kUtf32le, 4};
  if (b.substr(0, 4) == std::string_view("\0\0\xFE\xFF", 4)) return {WideForm::kUtf32be, 4};
  if (b.substr(0, 2) == "\xFF\xFE") return {WideForm::kUtf16le, 2};
  if (b.substr(0, 2) == "\xFE\xFF") return {WideForm::kUtf16be, 2};
  if (const int k = bomless_utf32(b)) return {k == 1 ? WideForm::kUtf32le : WideForm::kUtf32be, 0};
  if (const int k = bomless_utf16(b)) return {k == 1 ? WideForm::kUtf16le : WideForm::kUtf16be, 0};
  return {};
}

char32_t next_codepoint(std::string_view s, std::size_t& i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  std::size_t len = b0 >= 0xF0 ? 4 : b0 >= 0xE0 ? 3 : 2;
  if (i + len > s.size()) {  // defensive: callers promise valid UTF-8
    ++i;
    return kReplacementChar;
  }
  char32_t ch = b0 & (0x7F >> len);
  for (std::size_t k = 1; k < len; ++k) ch = (ch << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  i += len;
  return ch;
}

void append_utf8(std::string& out, char32_t ch) {
  if (ch < 0x80) {
    out += static_cast<char>(ch);
  } else if (ch < 0x800) {
    out += static_cast<char>(0xC0 | (ch >> 6));
    out += static_cast<char>(0x80 | (ch & 0x3F));
  } else if (ch < 0x10000) {
    out += static_cast<char>(0xE0 | (ch >> 12));
    out += static_cast<char>(0x80 | ((ch >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (ch & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (ch >> 18));
    out += static_cast<char>(0x80 | ((ch >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((ch >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (ch & 0x3F));
  }
}

std::size_t codepoint_count(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::string as_utf8(std::string_view s) {
  if (is_valid_utf8(s)) return std::string(s);
  if (looks_single_byte(s)) return cp1252_to_utf8(s);
  return repair_utf8(s).text;
}

bool drop_utf8_bom(std::string& line) {
  if (line.compare(0, 3, "\xEF\xBB\xBF") != 0) return false;
  line.erase(0, 3);
  return true;
}

int bomless_utf16(std::string_view b) {
  const std::size_t n = std::min<std::size_t>(b.size(), 4096) & ~std::size_t{1};
  if (n < 8) return 0;
  std::size_t even_nul = 0, odd_nul = 0;
  for (std::size_t i = 0; i < n; i += 2) {
    even_nul += b[i] == '\0';
    odd_nul += b[i + 1] == '\0';
  }
  const std::size_t pairs = n / 2;
  if (odd_nul * 10 >= pairs * 9 && even_nul == 0) return 1;
  if (even_nul * 10 >= pairs * 9 && odd_nul == 0) return 2;
  return 0;
}

Charset charset_of_label(std::string_view label) {
  while (!label.empty() && std::isspace(static_cast<unsigned char>(label.front()))) label.remove_prefix(1);
  while (!label.empty() && std::isspace(static_cast<unsigned char>(label.back()))) label.remove_suffix(1);
  if (label.empty()) return Charset::kUndeclared;
  std::string l(label);
  for (char& c : l) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  // The WHATWG Encoding Standard's labels of windows-1252 and of UTF-8 (and UTF-16, which a declaration
  // read as ASCII cannot mean: browsers read it as UTF-8).
  static const char* const kCp1252[] = {"ansi_x3.4-1968", "ascii",           "cp1252",     "cp819",     "csisolatin1",
                                        "ibm819",         "iso-8859-1",      "iso-ir-100", "iso8859-1", "iso88591",
                                        "iso_8859-1",     "iso_8859-1:1987", "l1",         "latin1",    "us-ascii",
                                        "windows-1252",   "x-cp1252"};
  static const char* const kUtf8[] = {"unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "utf-8",   "utf8",
                                      "x-unicode20utf8",   "utf-16",        "utf-16le",      "utf-16be",
                                      "utf-32",            "utf-32le",      "utf-32be"};
  for (const char* c : kCp1252)
    if (l == c) return Charset::kWindows1252;
  for (const char* c : kUtf8)
    if (l == c) return Charset::kUtf8;
  return Charset::kOther;
}

DecodedText decode_text(std::string_view bytes, Charset declared) {
  DecodedText out;
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
  if (const Wide w = wide_form(bytes); w.form != WideForm::kNone) {
    const std::string_view units = bytes.substr(w.bom);
    out.text = w.unit() == 4 ? utf32_to_utf8(units, w.little_endian()) : utf16_to_utf8(units, w.little_endian());
    const std::string name = std::string(w.unit() == 4 ? "UTF-32" : "UTF-16") + (w.little_endian() ? "LE" : "BE");
    out.note = w.bom != 0 ? "read as " + name : name + " without a byte order mark: read as " + name;
    return out;
  }
  if (is_valid_utf8(bytes)) {
    out.text = std::string(bytes);
  } else if (declared == Charset::kWindows1252) {
    out.text = cp1252_to_utf8(bytes);  // as declared: no note
  } else if (looks_single_byte(bytes)) {
    out.text = cp1252_to_utf8(bytes);
    out.note = "not UTF-8: read as Windows-1252 (Latin-1)";
  } else {
    Utf8Repair r = repair_utf8(bytes);
    out.text = std::move(r.text);
    out.note = std::to_string(r.replaced) + " invalid UTF-8 byte sequence(s) replaced with U+FFFD";
  }
  return out;
}

std::string path_text(std::string_view path) {
  if (is_valid_utf8(path)) return std::string(path);
  std::string out;
  for (std::size_t i = 0; i < path.size();) {
    if (const std::size_t len = valid_sequence_length(path, i); len > 0 && path[i] != '\\') {
      out.append(path.substr(i, len));
      i += len;
      continue;
    }
    if (path[i] == '\\') {
      out += "\\\\";
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned char>(path[i]));
      out += buf;
    }
    ++i;
  }
  return out;
}

std::string path_bytes(std::string_view text) {
  if (text.find('\\') == std::string_view::npos) return std::string(text);
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\') {
      out += text[i];
      continue;
    }
    const auto hex = [&](std::size_t k) {
      return k < text.size() && std::isxdigit(static_cast<unsigned char>(text[k]));
    };
    if (i + 1 < text.size() && text[i + 1] == '\\') {
      out += '\\';
      ++i;
    } else if (i + 3 < text.size() && text[i + 1] == 'x' && hex(i + 2) && hex(i + 3)) {
      out += static_cast<char>(std::stoi(std::string(text.substr(i + 2, 2)), nullptr, 16));
      i += 3;
    } else {
      return std::string(text);  // not an escape: a UTF-8 name holding a backslash
    }
  }
  return is_valid_utf8(out) ? std::string(text) : out;
}

bool is_display_control(char32_t cp) {
  return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x206F) || (cp >= 0xFFF9 && cp <= 0xFFFB);
}

bool is_line_break(char32_t cp) {
  return (cp >= 0x0A && cp <= 0x0D) || cp == 0x85 || cp == 0x2028 || cp == 0x2029;
}

bool is_unicode_space(char32_t cp) {
  return cp == 0x20 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F ||
         cp == 0x205F || cp == 0x3000;
}

bool is_xml_nonchar(char32_t cp) {
  return (cp < 0x20 && cp != 0x9 && cp != 0xA && cp != 0xD) || (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE ||
         cp == 0xFFFF || cp > 0x10FFFF;
}

namespace {

// C0, DEL and C1.
bool is_control(char32_t cp) { return cp < 0x20 || (cp >= 0x7F && cp < 0xA0); }

// Copies valid UTF-8 `s` a code point at a time: `put(cp, out)` writes what stands for `cp` and returns
// true, or returns false to have the character copied as it is. The one loop of the cleaning rules below.
template <typename Put>
std::string each_codepoint(std::string_view s, Put put) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t start = i;
    const char32_t cp = next_codepoint(s, i);
    if (!put(cp, out)) out.append(s, start, i - start);
  }
  return out;
}

std::string repaired(std::string_view s) { return is_valid_utf8(s) ? std::string(s) : repair_utf8(s).text; }

}  // namespace

std::string xml_text(std::string_view s) {
  return each_codepoint(repaired(s), [](char32_t cp, std::string& out) {
    if (cp == '\t' || cp == '\n' || cp == '\r' || cp >= 0x80) {
      if (!is_xml_nonchar(cp)) return false;
      append_utf8(out, kReplacementChar);
    } else if (is_line_break(cp)) {
      out += ' ';  // VT, FF
    } else if (cp < 0x20 || cp == 0x7F) {
      // as without_c0_controls(): ESC and BEL say nothing
    } else {
      return false;
    }
    return true;
  });
}

std::string xml_char_refs(std::string_view xml) {
  return each_codepoint(xml, [](char32_t cp, std::string& out) {
    if (!(cp >= 0x80 && (is_control(cp) || is_line_break(cp) || is_display_control(cp)))) return false;
    char buf[16];
    std::snprintf(buf, sizeof buf, "&#x%X;", static_cast<unsigned>(cp));
    out += buf;
    return true;
  });
}

std::string id_from_name(std::string_view name) {
  return each_codepoint(as_utf8(name), [](char32_t cp, std::string& out) {
    if (is_display_control(cp)) return true;  // removed, as the exports remove it
    // Invisible in a word (a soft hyphen, a zero width joiner): the id is the name as seen, so
    // `similar titlesoft` finds title<U+00AD>soft.html (rt11j row 14).
    if (is_ignorable_in_word(cp)) return true;
    if (!is_control(cp) && !is_line_break(cp) && !is_unicode_space(cp) && !is_xml_nonchar(cp)) return false;
    out += '_';
    return true;
  });
}

std::string other_line_breaks_as_spaces(std::string_view s) {
  return each_codepoint(s, [](char32_t cp, std::string& out) {
    if (!is_line_break(cp) || cp == '\n' || cp == '\r') return false;
    out += ' ';
    return true;
  });
}

std::string without_display_controls(std::string_view s) {
  return each_codepoint(s, [](char32_t cp, std::string&) { return is_display_control(cp); });
}

std::string without_c0_controls(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) continue;
    out += ch;
  }
  return out;
}

std::string printable(std::string_view s) {
  return each_codepoint(repaired(s), [](char32_t cp, std::string& out) {
    if (cp == '\n' || cp == '\t') return false;
    if (is_line_break(cp)) {
      out += ' ';  // one character for one: highlight offsets still hold
    } else if (is_control(cp) || is_display_control(cp) || is_xml_nonchar(cp)) {
      append_utf8(out, kReplacementChar);
    } else {
      return false;
    }
    return true;
  });
}

std::string message_value(std::string_view s, std::size_t max_bytes) {
  if (s.size() <= max_bytes) return printable_line(s);
  std::size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // a continuation byte
  return printable_line(s.substr(0, cut)) + "... (" + std::to_string(s.size()) + " bytes)";
}

std::string printable_line(std::string_view s) {
  return each_codepoint(repaired(s), [](char32_t cp, std::string& out) {
    if (cp == '\n') {
      out += "\\n";
    } else if (cp == '\t') {
      out += "\\t";
    } else if (cp == '\r') {
      out += "\\r";
    } else if (is_control(cp) || is_line_break(cp) || is_display_control(cp)) {
      char buf[8];
      std::snprintf(buf, sizeof buf, cp < 0x80 ? "\\x%02x" : "\\u%04x", static_cast<unsigned>(cp));
      out += buf;
    } else {
      return false;
    }
    return true;
  });
}

}  // namespace quire
