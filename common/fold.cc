// Accent and typography folding; the mapping is described in fold.h.
#include "quire/fold.h"

#include "quire/invisible.h"
#include "quire/utf8.h"

namespace quire {
namespace {

// Base letters of U+00C0-U+00FF ('\0': not a letter with a diacritic, kept as it is).
constexpr char kLatin1[] = "AAAAAA\0CEEEEIIIIDNOOOOO\0OUUUUY\0\0aaaaaa\0ceeeeiiiidnooooo\0ouuuuy\0y";
// Base letters of U+0100-U+017F ('\0': spelt out in fold_one()).
constexpr char kExtendedA[] =
    "AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIi\0\0JjKkkLlLlLlLlLlNnNnNnnNnOoOoOo\0\0RrRrRrSsSsSsSsTtTtTtUuUuUu"
    "UuUuUuWwYyYZzZzZzs";

// The folded form of `ch`, or nullptr when it folds to itself; "" drops it.
const char* fold_one(char32_t ch, char (&buf)[2]) {
  buf[1] = '\0';
  if (is_ignorable_in_word(ch)) return "";  // soft hyphens, zero-width and other invisible characters
  if (ch < 0xC0) return nullptr;
  if (ch <= 0xFF) {
    switch (ch) {
      case 0xC6:
        return "AE";
      case 0xE6:
        return "ae";
      case 0xDE:
        return "TH";
      case 0xFE:
        return "th";
      case 0xDF:
        return "ss";
      default:
        buf[0] = kLatin1[ch - 0xC0];
        return buf[0] ? buf : nullptr;
    }
  }
  if (ch <= 0x17F) {
    switch (ch) {
      case 0x132:
        return "IJ";
      case 0x133:
        return "ij";
      case 0x152:
        return "OE";
      case 0x153:
        return "oe";
      default:
        buf[0] = kExtendedA[ch - 0x100];
        return buf[0] ? buf : nullptr;
    }
  }
  if (ch >= 0x300 && ch <= 0x36F) return "";  // combining diacritical marks
  switch (ch) {
    case 0x192:
      return "f";
    case 0x1A0:
      return "O";
    case 0x1A1:
      return "o";
    case 0x1AF:
      return "U";
    case 0x1B0:
      return "u";
    case 0x1CD:
      return "A";
    case 0x1CE:
      return "a";
    case 0x1CF:
      return "I";
    case 0x1D0:
      return "i";
    case 0x1D1:
      return "O";
    case 0x1D2:
      return "o";
    case 0x1D3:
      return "U";
    case 0x1D4:
      return "u";
    case 0x218:
      return "S";
    case 0x219:
      return "s";
    case 0x21A:
      return "T";
    case 0x21B:
      return "t";
    case 0xFB00:
      return "ff";
    case 0xFB01:
      return "fi";
    case 0xFB02:
      return "fl";
    case 0xFB03:
      return "ffi";
    case 0xFB04:
      return "ffl";
    case 0xFB05:
    case 0xFB06:
      return "st";
    default:
      return nullptr;
  }
}

}  // namespace

std::string fold_accents(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  char buf[2];
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t start = i;
    const char32_t ch = next_codepoint(text, i);
    if (const char* f = fold_one(ch, buf)) {
      out += f;
    } else {
      out.append(text.substr(start, i - start));
    }
  }
  return out;
}

}  // namespace quire
