// The tokenizer must split words exactly as Xapian's TermGenerator does, or highlights drift.
#include <catch2/catch.hpp>

#include "quire/tokenizer.h"

namespace {

std::string terms_of(const std::string& text) {
  std::string out;
  for (const auto& t : quire::tokenize(text)) out += (out.empty() ? "" : "|") + t.term;
  return out;
}

}  // namespace

TEST_CASE("tokenizer follows the TermGenerator's word rules", "[tokenizer]") {
  struct Case {
    const char* text;
    const char* terms;
  };
  const Case cases[] = {
      {"Hello, World!", "hello|world"},
      {"Pakistan\xE2\x80\x99s loyalties", "pakistan's|loyalties"},  // U+2019 folded to '
      {"Pakistan's", "pakistan's"},
      {"the U.S. and the U.N.", "the|us|and|the|un"},  // dotted initials
      {"Sameer P. Lalwani", "sameer|p|lalwani"},       // one initial is not an acronym
      {"AT&T and M&S", "at&t|and|m&s"},
      {"C++ and C#", "c++|and|c#"},
      {"fish+chips", "fish|chips"},
      {"1,046 km and 4.2 billion", "1,046|km|and|4.2|billion"},  // separators between digits kept
      {"time\xE2\x80\x91tested", "time|tested"},                 // U+2011 non-breaking hyphen splits
      {"long-term", "long|term"},
      {"US$60 billion", "us|60|billion"},
      {"\xE2\x80\x9Ctransactional or flirtatious\xE2\x80\x9D", "transactional|or|flirtatious"},
      {"caf\xC3\xA9 M\xC3\x9CNCHEN", "caf\xC3\xA9|m\xC3\xBCnchen"},  // Unicode lower-casing
      {"zero\xE2\x80\x8Bwidth", "zerowidth"},                        // zero-width space ignored inside a word
      {"", ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    CHECK(terms_of(c.text) == c.terms);
  }
}

TEST_CASE("tokenizer reports code point offsets, end exclusive", "[tokenizer]") {
  // “Sanctions” — the opening quote is one code point but three bytes.
  const auto toks = quire::tokenize("\xE2\x80\x9CSanctions\xE2\x80\x9D bite");
  REQUIRE(toks.size() == 2);
  CHECK(toks[0].cp_begin == 1);
  CHECK(toks[0].cp_end == 10);
  CHECK(toks[0].byte_begin == 3);
  CHECK(toks[0].byte_end == 12);
  CHECK(toks[1].cp_begin == 12);
  CHECK(toks[1].cp_end == 16);
}

TEST_CASE("tokenizer drops words over 64 bytes without using a position", "[tokenizer]") {
  const std::string longword(65, 'x');
  CHECK(terms_of("a " + longword + " b") == "a|b");
  CHECK(terms_of("a " + std::string(64, 'y') + " b") == "a|" + std::string(64, 'y') + "|b");
}

TEST_CASE("acronym span excludes the final full stop", "[tokenizer]") {
  const auto toks = quire::tokenize("the U.S. said");
  REQUIRE(toks.size() == 3);
  CHECK(toks[1].term == "us");
  CHECK(toks[1].cp_begin == 4);
  CHECK(toks[1].cp_end == 7);  // "U.S" — the trailing '.' is punctuation
}

TEST_CASE("glued_number_base: three or more letters a-z with one or two digits glued on", "[tokenizer]") {
  const std::pair<const char*, const char*> cases[] = {
      {"efforts1", "efforts"}, {"latin1", "latin"}, {"treaty22", "treaty"}, {"phase2", "phase"},
      {"mp3", ""},             {"g20", ""},         {"sha256", ""},         {"efforts", ""},
      {"1efforts", ""},        {"eff1orts", ""},    {"efforts1a", ""},      {"", ""},
      {"abc", ""},             {"abc12", "abc"},    {"Efforts1", ""},       {"caf\xC3\xA9" "1", ""},
  };
  for (const auto& [term, base] : cases) {
    CAPTURE(term);
    CHECK(quire::glued_number_base(term) == base);
  }
}
