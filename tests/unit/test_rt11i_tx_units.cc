// The rt11i red team's rows 2 and 12 (docs/red-team/2026-12-03-reliability-rt11i.md) on the units:
// soft hyphens and the other invisible format characters (Unicode's Default_Ignorable_Code_Point set)
// inside a word. The tokenizer reads a word across them, fold_accents() drops them, so the index, the
// query and the highlighter see one word; the line-break hints (U+00AD, U+200B, U+2060, U+FEFF) are
// not kept in a document's stored text at all.
#include <xapian.h>

#include <catch2/catch.hpp>
#include <map>
#include <string>
#include <vector>

#include "quire/document.h"
#include "quire/fold.h"
#include "quire/highlighter.h"
#include "quire/invisible.h"
#include "quire/tokenizer.h"
#include "quire/utf8.h"

namespace {

std::string utf8(char32_t cp) {
  std::string s;
  quire::append_utf8(s, cp);
  return s;
}

std::string terms_of(const std::string& text) {
  std::string out;
  for (const auto& t : quire::tokenize(text)) out += (out.empty() ? "" : "|") + quire::fold_accents(t.term);
  return out;
}

// The terms Xapian's TermGenerator indexes for `text` as the index writer gives it (accent-folded), in
// position order.
std::string indexed_terms(const std::string& text) {
  Xapian::Document doc;
  Xapian::TermGenerator tg;
  tg.set_document(doc);
  tg.index_text(quire::fold_accents(text));
  std::map<Xapian::termpos, std::string> by_pos;
  for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t)
    for (auto p = t.positionlist_begin(); p != t.positionlist_end(); ++p) by_pos[*p] = *t;
  std::string out;
  for (const auto& [pos, term] : by_pos) out += (out.empty() ? "" : "|") + term;
  return out;
}

// One of each kind of the Default_Ignorable_Code_Point set a word may hold (Cf and Mn, in every plane).
const std::vector<char32_t> kIgnorable = {
    0x00AD,   // soft hyphen
    0x034F,   // combining grapheme joiner (Mn)
    0x061C,   // Arabic letter mark
    0x17B4,   // Khmer vowel inherent aq (Mn)
    0x180B,   // Mongolian free variation selector one (Mn)
    0x180E,   // Mongolian vowel separator
    0x200B,   // zero width space
    0x200C,   // zero width non-joiner
    0x200D,   // zero width joiner
    0x200E,   // left-to-right mark
    0x200F,   // right-to-left mark
    0x202A,   // left-to-right embedding
    0x202E,   // right-to-left override
    0x2060,   // word joiner
    0x2061,   // function application
    0x2064,   // invisible plus
    0x2066,   // left-to-right isolate
    0x206F,   // nominal digit shapes
    0xFE00,   // variation selector 1 (Mn)
    0xFE0F,   // variation selector 16 (Mn)
    0xFEFF,   // zero width no-break space (byte order mark)
    0x1BCA0,  // shorthand format letter overlap
    0x1D173,  // musical symbol begin beam
    0xE0001,  // language tag
    0xE0041,  // tag latin capital letter a
    0xE0100,  // variation selector 17 (Mn)
};

}  // namespace

TEST_CASE("rt11i row 2: is_ignorable_in_word is Default_Ignorable_Code_Point without the Hangul fillers",
          "[rt11i][utf8]") {
  for (const char32_t cp : kIgnorable) {
    CAPTURE(static_cast<unsigned>(cp));
    CHECK(quire::is_ignorable_in_word(cp));
  }
  // Letters, spaces, hyphens and visible marks are not; nor are the Hangul fillers (letters, Lo).
  for (const char32_t cp : {0x41, 0x20, 0xA0, 0x2D, 0x2010, 0x2011, 0x0301, 0x115F, 0x1160, 0x3164, 0xFFA0, 0x2028,
                            0x202F, 0xFFFD, 0x1F600})
    CHECK_FALSE(quire::is_ignorable_in_word(cp));
}

TEST_CASE("rt11i row 2: the tokenizer reads a word across an invisible format character, as the index does",
          "[rt11i][tokenizer]") {
  for (const char32_t cp : kIgnorable) {
    const std::string x = utf8(cp);
    CAPTURE(static_cast<unsigned>(cp));
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"The nu" + x + "clear commit" + x + "tee", "the|nuclear|committee"},
        {"intergovern" + x + "mental", "intergovernmental"},
        {"two" + x + x + "in" + x + utf8(0x00AD) + "a row", "twoina|row"},  // runs of them, mixed
        {"1" + x + "046 and 4" + x + ".2", "1046|and|4.2"},                 // between digits, before a '.'
        {"Pakistan" + x + "\xE2\x80\x99s", "pakistan's"},                   // before an apostrophe
        {x + "lead and trail" + x, "lead|and|trail"},
        {"U" + x + ".S. aid", "us|aid"},
        {"C" + x + "++ code", "c++|code"},
        {"caf" + x + "\xC3\xA9", "cafe"},
    };
    for (const auto& [text, terms] : cases) {
      CAPTURE(quire::printable_line(text));
      CHECK(terms_of(text) == terms);
      CHECK(indexed_terms(text) == terms);  // Xapian's TermGenerator over the folded text agrees
    }
  }
  // What is not invisible still splits a word: a space, NBSP, a hyphen, a non-breaking hyphen.
  for (const std::string sep : {" ", "\xC2\xA0", "-", "\xE2\x80\x91", "\xE2\x80\xA8"}) {
    CHECK(terms_of("nu" + sep + "clear") == "nu|clear");
    CHECK(indexed_terms("nu" + sep + "clear") == "nu|clear");
  }
}

TEST_CASE("rt11i row 2: a word read across invisible characters spans them, and only them", "[rt11i][tokenizer]") {
  // "nu\u00ADclear\u200B arms": the first word is code points 0-8 (bytes 0-9), the ZWSP after it is not in it.
  const auto toks = quire::tokenize("nu\xC2\xAD"
                                    "clear\xE2\x80\x8B arms");
  REQUIRE(toks.size() == 2);
  CHECK(toks[0].term == "nuclear");
  CHECK(toks[0].cp_begin == 0);
  CHECK(toks[0].cp_end == 8);
  CHECK(toks[0].byte_begin == 0);
  CHECK(toks[0].byte_end == 9);
  CHECK(toks[1].term == "arms");
  CHECK(toks[1].cp_begin == 10);
  CHECK(toks[1].cp_end == 14);
  CHECK(toks[1].byte_begin == 13);
}

TEST_CASE("rt11i row 2: fold_accents drops the invisible format characters and keeps the rest", "[rt11i][fold]") {
  for (const char32_t cp : kIgnorable) {
    CAPTURE(static_cast<unsigned>(cp));
    CHECK(quire::fold_accents("nu" + utf8(cp) + "cl" + utf8(cp) + "\xC3\xA9" + "ar") == "nuclear");
  }
  CHECK(quire::fold_accents("\xE1\x85\x9F\xE3\x85\xA4") == "\xE1\x85\x9F\xE3\x85\xA4");  // Hangul fillers stay
  CHECK(quire::fold_accents("a\xC2\xA0" "b-c") == "a\xC2\xA0" "b-c");
}

TEST_CASE("rt11i row 2: the highlighter marks a word written with soft hyphens, whole", "[rt11i][highlight]") {
  static const quire::Stemmer stem;
  const std::string text = "The nu\xC2\xAD"
                           "clear disarma\xC2\xAD"
                           "ment talks";
  quire::HighlightQuery words;
  words.words = {"nuclear"};
  CHECK(quire::highlight(text, words, stem) == std::vector<quire::Span>{{4, 12}});
  quire::HighlightQuery phrase;
  phrase.phrases.push_back({"nuclear", "disarmament"});
  CHECK(quire::highlight(text, phrase, stem) == std::vector<quire::Span>{{4, 25}});
  quire::HighlightQuery stems;
  stems.stems = {stem("disarmament")};
  CHECK(quire::highlight(text, stems, stem) == std::vector<quire::Span>{{13, 25}});
}

TEST_CASE("rt11i rows 2 and 12: without_break_hints drops soft hyphens, ZWSP, WJ and ZWNBSP only",
          "[rt11i][utf8]") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"nu\xC2\xAD"
       "clear",
       "nuclear"},
      {"Zero\xE2\x80\x8Bwidth", "Zerowidth"},
      {"word\xE2\x81\xA0joiner and \xEF\xBB\xBF"
       "bom",
       "wordjoiner and bom"},
      // Kept: what shapes or orders text (ZWNJ and ZWJ in Persian and emoji, RLM, ALM, the Mongolian
      // vowel separator, variation selectors) and what is shown (bidi overrides become U+FFFD on display).
      {"\xD9\x85\xE2\x80\x8C\xDB\x8C", "\xD9\x85\xE2\x80\x8C\xDB\x8C"},
      {"\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x92\xBB", "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x92\xBB"},
      {"\xD8\xB3\xE2\x80\x8F\xD9\x84", "\xD8\xB3\xE2\x80\x8F\xD9\x84"},
      {"a\xD8\x9C"
       "b\xE1\xA0\x8E"
       "c\xEF\xB8\x8F",
       "a\xD8\x9C"
       "b\xE1\xA0\x8E"
       "c\xEF\xB8\x8F"},
      {"x\xE2\x80\xAEy", "x\xE2\x80\xAEy"},
      {"plain text, 1965", "plain text, 1965"},
      {"", ""},
  };
  for (const auto& [in, want] : cases) {
    CAPTURE(quire::printable_line(in));
    CHECK(quire::without_break_hints(in) == want);
  }
  for (const char32_t cp : {0x00AD, 0x200B, 0x2060, 0xFEFF}) CHECK(quire::is_break_hint(cp));
  for (const char32_t cp : {0x200C, 0x200D, 0x200E, 0x061C, 0x180E, 0x202E, 0x2011, 0x20}) CHECK_FALSE(quire::is_break_hint(cp));
}

TEST_CASE("rt11i rows 2 and 12: a document's text and metadata hold no break hints, and page marks still hold",
          "[rt11i][document]") {
  quire::Document doc;
  doc.meta.title = "Nu\xC2\xAD"
                   "clear\xE2\x80\x8B Talks";
  doc.meta.subtitle = "a\xC2\xAD"
                      "b";
  doc.meta.authors = {"Jo\xC2\xAD"
                      "an Roe"};
  doc.meta.publisher = "Insti\xC2\xADtute";
  doc.meta.container = "Jour\xC2\xADnal";
  doc.meta.id = "keep\xC2\xAD"
                "id";  // ids and paths are names, kept as they are
  doc.meta.path = "/x/keep\xC2\xAD"
                  "path.txt";
  quire::Section s;
  s.heading = "Head\xC2\xAD"
              "ing";
  // Page 1 for "ab\u00ADcd " (7 bytes), page 2 from "ef\u00ADgh" (byte 7) on.
  s.paragraphs = {"ab\xC2\xAD"
                  "cd ef\xC2\xAD"
                  "gh",
                  "plain"};
  s.pages = {{{0, 1}, {7, 2}}, {{0, 2}}};
  doc.sections.push_back(s);
  quire::drop_break_hints(doc);
  CHECK(doc.meta.title == "Nuclear Talks");
  CHECK(doc.meta.subtitle == "ab");
  CHECK(doc.meta.authors == std::vector<std::string>{"Joan Roe"});
  CHECK(doc.meta.publisher == "Institute");
  CHECK(doc.meta.container == "Journal");
  CHECK(doc.meta.id == "keep\xC2\xAD"
                       "id");
  CHECK(doc.meta.path == "/x/keep\xC2\xAD"
                         "path.txt");
  REQUIRE(doc.sections.size() == 1);
  CHECK(doc.sections[0].heading == "Heading");
  CHECK(doc.sections[0].paragraphs == std::vector<std::string>{"abcd efgh", "plain"});
  CHECK(doc.sections[0].pages ==
        std::vector<std::vector<quire::PageMark>>{{{0, 1}, {5, 2}}, {{0, 2}}});
}
