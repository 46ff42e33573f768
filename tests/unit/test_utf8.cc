// UTF-8 validation and repair.
#include <catch2/catch.hpp>

#include "quire/utf8.h"

using quire::repair_utf8;

TEST_CASE("repair_utf8 replaces each run of invalid bytes with one U+FFFD and counts them", "[utf8]") {
  struct Case {
    std::string in, out;
    std::size_t replaced;
  };
  const Case cases[] = {
      {"plain ascii", "plain ascii", 0},
      {"caf\xC3\xA9", "caf\xC3\xA9", 0},  // é, valid
      {"M\xFC"
       "nchen",
       "M\xEF\xBF\xBD"
       "nchen",
       1},                                                            // Latin-1 ü (as in reut2-017.xml)
      {"a\xC3(b", "a\xEF\xBF\xBD(b", 1},                              // truncated two-byte sequence
      {"\xE2\x80\x9Cq\xE2\x80\x9D", "\xE2\x80\x9Cq\xE2\x80\x9D", 0},  // curly quotes, valid
      {"x\xC0\xAFy", "x\xEF\xBF\xBDy", 1},                            // overlong '/'
      {"\xED\xA0\x80", "\xEF\xBF\xBD", 1},                            // UTF-16 surrogate
      {"\xF4\x90\x80\x80", "\xEF\xBF\xBD", 1},                        // past U+10FFFF
      {"a\x80\x80"
       "b\xFF",
       "a\xEF\xBF\xBD"
       "b\xEF\xBF\xBD",
       2},  // two separate bad runs
  };
  for (const auto& c : cases) {
    CAPTURE(c.in);
    const auto r = repair_utf8(c.in);
    CHECK(r.text == c.out);
    CHECK(r.replaced == c.replaced);
    CHECK(quire::is_valid_utf8(r.text));
    CHECK(quire::is_valid_utf8(c.in) == (c.replaced == 0));
  }
}

TEST_CASE("codepoint_count counts characters, not bytes", "[utf8]") {
  CHECK(quire::codepoint_count("") == 0);
  CHECK(quire::codepoint_count("abc") == 3);
  CHECK(quire::codepoint_count("Pakistan\xE2\x80\x99s") == 10);  // ’ is one character
  CHECK(quire::codepoint_count("\xF0\x9F\x98\x80") == 1);        // emoji, four bytes
}

TEST_CASE("append_utf8 and next_codepoint round-trip every plane", "[utf8]") {
  for (char32_t ch : {U'a', U'\u00E9', U'\u2019', U'\u4E2D', U'\U0001F600'}) {
    std::string s;
    quire::append_utf8(s, ch);
    std::size_t i = 0;
    CHECK(quire::next_codepoint(s, i) == ch);
    CHECK(i == s.size());
  }
}

TEST_CASE("c1_as_cp1252: C1 controls read as the Windows-1252 characters they stand for", "[utf8]") {
  struct Case {
    const char* in;
    const char* out;
  };
  const Case cases[] = {
      {"Mu\xC2\x92izzaddin", "Mu\xE2\x80\x99izzaddin"},  // UNGDC's BRN speaker (rt17 row 31)
      {"\xC2\x93quoted\xC2\x94", "\xE2\x80\x9Cquoted\xE2\x80\x9D"},
      {"wait\xC2\x85", "wait\xE2\x80\xA6"},
      {"un\xC2\x81"
       "assigned",
       "unassigned"},                                        // no Windows-1252 character: dropped
      {"S\xC3\xA3o Tom\xC3\xA9", "S\xC3\xA3o Tom\xC3\xA9"},  // other text unchanged
      {"", ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.in);
    CHECK(quire::c1_as_cp1252(c.in) == c.out);
  }
}
