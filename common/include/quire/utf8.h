/** @file
 *  @brief UTF-8 checking, repair and code point counting. quire keeps every string as valid UTF-8:
 *  readers repair their input once with repair_utf8(), so nothing downstream has to.
 */
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace quire {

/// Replacement character written in place of each invalid byte sequence.
inline constexpr char32_t kReplacementChar = 0xFFFD;

/// The result of repair_utf8(): valid UTF-8 text and how many invalid sequences were replaced.
struct Utf8Repair {
  std::string text;
  std::size_t replaced = 0;
};

/// Returns true if `s` is well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
bool is_valid_utf8(std::string_view s);

/// Copies `s`, replacing each maximal invalid subsequence with U+FFFD. Never throws on bad input.
Utf8Repair repair_utf8(std::string_view s);

/// True when `s` is not UTF-8 but reads as a single-byte encoding: it has bytes from 0x80 up and none of
/// them starts a valid UTF-8 sequence (Latin-1 and Windows-1252 text, as old files and Reuters-21578 are).
bool looks_single_byte(std::string_view s);

/// Decodes Windows-1252 (a superset of Latin-1's printable characters) to UTF-8. Its five unassigned
/// bytes (0x81, 0x8D, 0x8F, 0x90, 0x9D) become U+FFFD.
std::string cp1252_to_utf8(std::string_view s);

/// `s` (valid UTF-8) with each C1 control character (U+0080-U+009F) read as the Windows-1252 character
/// its byte stands for: text decoded as Latin-1 when it was Windows-1252 ("Mu\u0092izzaddin" is
/// "Mu\u2019izzaddin"). The five bytes Windows-1252 leaves unassigned are dropped. Catalogue values
/// (indexing) and exports are cleaned with it, so that every output shows one form.
std::string c1_as_cp1252(std::string_view s);

/// Decodes UTF-16 (after its byte order mark) to UTF-8; unpaired surrogates become U+FFFD.
std::string utf16_to_utf8(std::string_view bytes, bool little_endian);

/// UTF-16 without a byte order mark: in the first 4 KB every other byte is NUL (at least 90% of them)
/// and no byte between them is. Returns 1 for little-endian, 2 for big-endian, 0 for neither.
int bomless_utf16(std::string_view bytes);

/// Decodes UTF-32 (after its byte order mark) to UTF-8; a unit that is no character (a surrogate, past
/// U+10FFFF) and a cut last unit become U+FFFD, a U+0000 stays a NUL (for the readers' NUL rule).
std::string utf32_to_utf8(std::string_view bytes, bool little_endian);

/// The Unicode form of text whose code units are wider than a byte: UTF-16 or UTF-32, by its byte order
/// mark (FF FE 00 00 and 00 00 FE FF are UTF-32's, checked before UTF-16's FF FE and FE FF) or, without
/// one, by its NUL pattern (bomless_utf16(); for UTF-32, in the first 4 KB every unit is a character
/// and at least 90% of them have their three high bytes NUL, none all NUL). The one test of "these
/// bytes are UTF-16 or UTF-32" for decode_text(), the readers' binary tests and sniff_content().
enum class WideForm { kNone, kUtf16le, kUtf16be, kUtf32le, kUtf32be };
struct Wide {
  WideForm form = WideForm::kNone;
  std::size_t bom = 0;  ///< bytes of byte order mark: 0, 2 or 4
  std::size_t unit() const { return form == WideForm::kUtf32le || form == WideForm::kUtf32be ? 4 : 2; }
  bool little_endian() const { return form == WideForm::kUtf16le || form == WideForm::kUtf32le; }
};
Wide wide_form(std::string_view bytes);

/// Drops a UTF-8 byte order mark (EF BB BF, as Notepad writes one) from the start of `line`; true when
/// there was one. For the first line of the line-by-line inputs (batch queries, tag --jsonl, runs and
/// qrels), where it would be read as part of the first id (rt11j row 5).
bool drop_utf8_bom(std::string& line);

/// `s` as valid UTF-8 for showing and storing: unchanged when it is UTF-8, read as Windows-1252 when it
/// looks single-byte (a Latin-1 file name), else with its bad sequences replaced by U+FFFD.
std::string as_utf8(std::string_view s);

/// What a charset a file declares (an HTML page's `<meta charset>` or `http-equiv` content type, an XML
/// declaration's encoding) means to decode_text(). Labels are the WHATWG Encoding Standard's, as
/// browsers read them: "latin1", "iso-8859-1", "us-ascii", "cp1252", ... all mean Windows-1252
/// (a page labelled ISO-8859-1 that holds 0x93 means the quotation mark "\u201c"); "utf-8", "utf8", ...
/// and "utf-16", "utf-32" (which a page's bytes cannot be if its declaration was readable) mean UTF-8.
enum class Charset {
  kUndeclared,   ///< nothing declared (or an empty label)
  kUtf8,         ///< a UTF-8 label
  kWindows1252,  ///< a Windows-1252 label (Latin-1 and ASCII labels included)
  kOther,        ///< a label decode_text() does not decode (ISO-8859-2, Shift_JIS, KOI8-R, ...)
};

/// The Charset of a declared label, compared without case and surrounding white space.
Charset charset_of_label(std::string_view label);

/// Text of a whole file as UTF-8, whatever its encoding, and what was done to it (empty when nothing):
/// a UTF-8 byte order mark is dropped; UTF-16 and UTF-32, with a byte order mark or without one
/// (wide_form()), are decoded. Other bytes: valid UTF-8 is kept as it is (whatever was declared: pages
/// labelled ISO-8859-1 but written in UTF-8 are common); declared Windows-1252 is read as Windows-1252;
/// otherwise (undeclared, declared UTF-8 or kOther) bytes that look_single_byte() are read as
/// Windows-1252 with a note, and UTF-8 with a stray bad byte keeps its UTF-8, only the bad sequences
/// replaced by U+FFFD (with a note). The one decoding policy of every reader of text and markup
/// (the text and markdown readers, the HTML reader, EPUB chapters, metadata tables).
struct DecodedText {
  std::string text;
  std::string note;  ///< "read as UTF-16LE", "not UTF-8: read as Windows-1252 (Latin-1)", ...
};
DecodedText decode_text(std::string_view bytes, Charset declared = Charset::kUndeclared);

/// A file path as text, for showing and storing (a document's `path`): unchanged when it is UTF-8;
/// otherwise each byte outside a valid UTF-8 sequence is written as `\xHH` and each backslash as `\\`,
/// so a Latin-1 name "caf\xE9.txt" shows as `caf\xe9.txt`, never as the UTF-8 name "café.txt" of
/// another file. path_bytes() reverses it.
std::string path_text(std::string_view path);

/// The bytes of the path that path_text() made `text`: `text` unescaped when it holds only valid
/// escapes and unescapes to bytes that are not UTF-8, else `text` itself (a UTF-8 path).
std::string path_bytes(std::string_view text);

/// Whether `cp` is an invisible format character that changes how the text after it is shown, not what
/// it says: the bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069), which
/// reorder the rest of the line (a title holding U+202E shows reversed: "Trojan Source",
/// CVE-2021-42574), the deprecated shaping and swapping controls (U+206A-U+206F) and the interlinear
/// annotation controls (U+FFF9-U+FFFB), which hide text. The marks right-to-left text needs (U+200E,
/// U+200F, U+061C), the joiners (U+200C, U+200D) and soft hyphens are not: they reorder nothing.
bool is_display_control(char32_t cp);

/// Whether `cp` ends a line for some reader of quire's output: line feed, vertical tab, form feed,
/// carriage return, NEL (U+0085) and the line and paragraph separators (U+2028, U+2029), which
/// JavaScript, Python's splitlines() and many editors break lines at. The one rule for "a line break"
/// (docs/robustness.md): text shown or written as one line turns each into a space or an escape.
bool is_line_break(char32_t cp);

/// Whether `cp` is a Unicode space separator (general category Zs): U+0020, NBSP (U+00A0), U+1680,
/// U+2000-U+200A, U+202F, U+205F, U+3000. Python's str.split() and many tools split fields at each,
/// so an id in a TREC run or TSV column writes them as %XX (trec_token()).
bool is_unicode_space(char32_t cp);

/// Whether `cp` is outside XML 1.0's Char production (#x9 | #xA | #xD | [#x20-#xD7FF] |
/// [#xE000-#xFFFD] | [#x10000-#x10FFFF]): the other C0 controls, surrogates, U+FFFE, U+FFFF and
/// anything past U+10FFFF. No XML file may hold one, not even as a reference; xmllint and expat refuse it.
bool is_xml_nonchar(char32_t cp);

/// `s` fit to write as the text of an XML document quire writes (`quire convert`): the C0 controls
/// other than tab, line feed and carriage return, and DEL, are dropped (as without_c0_controls()),
/// vertical tab and form feed become a space, and every other is_xml_nonchar() character (U+FFFE,
/// U+FFFF) U+FFFD. Invalid UTF-8 is repaired first. The result holds only XML 1.0 Chars, so xmllint
/// and expat read the file (rt11h row 3).
std::string xml_text(std::string_view s);

/// `xml` (valid UTF-8, written by quire) with each C1 control, line break past ASCII (NEL, U+2028,
/// U+2029) and is_display_control() character written as a character reference (`&#x9B;`,
/// `&#x202E;`): valid XML that reads back as the same text, with nothing raw that a terminal acts on
/// or that reorders the line it is shown on (rt11h row 2). Such characters are never markup, so the
/// whole serialized document is passed through it.
std::string xml_char_refs(std::string_view xml);

/// The document id a file name (or a path under an input folder, without its extension) gives: as
/// UTF-8 (a Latin-1 name read as Windows-1252, as as_utf8() reads it), with every control character
/// (C0, DEL, C1), line break, Unicode space (is_unicode_space()) and XML non-character as "_", and the
/// is_display_control() characters removed. So an id is one token in TREC and TSV output, shows the
/// same in every output (exports drop display controls too), and is what `quire similar` and
/// /api/documents/ID are given back. The one function for "id from file name": `quire index` and
/// `quire convert` both use it. Ids already stored in an index are kept as they are.
std::string id_from_name(std::string_view name);

/// `s` (valid UTF-8) with each is_line_break() character other than line feed and carriage return (VT,
/// FF, NEL, U+2028, U+2029) as a space: the breaks a CSV reader does not treat as one (and does not quote
/// for) but Python's splitlines(), editors and browsers' scripts do. Exports are cleaned so.
std::string other_line_breaks_as_spaces(std::string_view s);

/// `s` (valid UTF-8) with every is_display_control() character removed: the text in the order it was
/// written. Exports are cleaned so (docs/exports.md).
std::string without_display_controls(std::string_view s);

/// `s` without the C0 control characters other than tab, line feed and carriage return, and without
/// DEL: the characters XML 1.0 allows in no form (not even as a reference such as `&#27;`) and that no
/// reader of a title or a paragraph wants (ESC, BEL, backspace). Works on bytes, so any string is fine.
/// The HTML reader cleans every metadata value with it (as libxml2 cleans a `<title>`), and
/// write_xml_document() writes every text through it, so `quire convert` prints well-formed XML.
std::string without_c0_controls(std::string_view s);

/// `s` fit to print on a terminal: C0 and C1 control characters (ESC, BEL, backspace, ...) other than
/// line feed and tab, is_display_control() characters and XML non-characters (U+FFFE, U+FFFF)
/// become U+FFFD, and the other line breaks (is_line_break(): CR, VT, FF, NEL, U+2028, U+2029) a space,
/// so text from a document cannot move the cursor, retitle the window, reorder what is shown or break a
/// line where a reader (a TSV cell, a browser's text) does not expect it. Invalid UTF-8 is repaired first.
/// Each character stays one character, so code point offsets (highlights) still hold. This is the one
/// rule for text shown to people: the terminal, HTML (html_escape() applies it), TSV title cells.
std::string printable(std::string_view s);

/// `s` fit to print as one line of a message (a file name, a reason): every control character, line
/// feed and tab included, is written as a visible escape ("\n", "\t", "\x1b", "\u0085"), and so are the
/// other line breaks (is_line_break(): "\u2028", "\u0085") and is_display_control() characters ("\u202e"), so a
/// file named "a\nquire: b" cannot fake a second message, move the cursor or reorder the line. Invalid
/// UTF-8 is repaired first (a file path is given as printable_line(path_text(path)), so that a message
/// names a file as its document's path does).
std::string printable_line(std::string_view s);

/// A value read from an index or a file, quoted in a message: printable_line() of at most its first
/// `max_bytes` bytes (cut at a character's start), and, when it was longer, "... (N bytes)", so that a
/// 100 KB record cannot make a 100 KB message.
std::string message_value(std::string_view s, std::size_t max_bytes = 60);

/// Decodes the code point starting at byte `i` of valid UTF-8 `s` and advances `i` past it.
char32_t next_codepoint(std::string_view s, std::size_t& i);

/// Appends the UTF-8 encoding of `ch` to `out`.
void append_utf8(std::string& out, char32_t ch);

/// Number of code points in valid UTF-8 `s`.
std::size_t codepoint_count(std::string_view s);

}  // namespace quire
