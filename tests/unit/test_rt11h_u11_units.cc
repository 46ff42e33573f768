// The rules behind the rt11h red team's rows 2-7, 10 and 11 (docs/red-team/2026-12-02-reliability-rt11h.md),
// one table per helper of utf8.h: what is a line break, a Unicode space, an XML non-character, and what
// printable(), xml_text(), id_from_name(), other_line_breaks_as_spaces(), trec_token() and json_text()
// make of each.
#include <catch2/catch.hpp>
#include <string>

#include "quire/evaluation.h"
#include "quire/json_input.h"
#include "quire/output.h"
#include "quire/utf8.h"

namespace {

const std::string kFffd = "\xEF\xBF\xBD";

}  // namespace

TEST_CASE("is_line_break, is_unicode_space and is_xml_nonchar name the code points of their rule", "[rt11h][utf8]") {
  const struct {
    char32_t cp;
    bool line_break, space, nonchar;
  } cases[] = {
      {U'\n', true, false, false},  {U'\r', true, false, false},  {0x0B, true, false, true},
      {0x0C, true, false, true},    {0x85, true, false, false},   {0x2028, true, false, false},
      {0x2029, true, false, false}, {U'\t', false, false, false}, {U' ', false, true, false},
      {0xA0, false, true, false},   {0x1680, false, true, false}, {0x2000, false, true, false},
      {0x2009, false, true, false}, {0x200A, false, true, false}, {0x202F, false, true, false},
      {0x205F, false, true, false}, {0x3000, false, true, false}, {0x200B, false, false, false},
      {0x1B, false, false, true},   {0x00, false, false, true},   {0x7F, false, false, false},
      {0x9B, false, false, false},  {0xD800, false, false, true}, {0xFFFE, false, false, true},
      {0xFFFF, false, false, true}, {0xFFFD, false, false, false}, {0x10FFFF, false, false, false},
      {0x110000, false, false, true}, {U'a', false, false, false}, {0x200F, false, false, false},
  };
  for (const auto& c : cases) {
    INFO(std::hex << static_cast<unsigned>(c.cp));
    CHECK(quire::is_line_break(c.cp) == c.line_break);
    CHECK(quire::is_unicode_space(c.cp) == c.space);
    CHECK(quire::is_xml_nonchar(c.cp) == c.nonchar);
  }
}

TEST_CASE("printable makes every line break but LF a space and XML non-characters U+FFFD, one for one",
          "[rt11h][utf8]") {
  const std::pair<std::string, std::string> cases[] = {
      {"a\xE2\x80\xA8" "b", "a b"},
      {"a\xE2\x80\xA9" "b", "a b"},
      {"a\xC2\x85" "b", "a b"},
      {"a\x0b" "b\x0c" "c\rd", "a b c d"},
      {"a\nb\tc", "a\nb\tc"},
      {"a\xEF\xBF\xBE" "b\xEF\xBF\xBF", "a" + kFffd + "b" + kFffd},
      {"a\xC2\x9B" "2J", "a" + kFffd + "2J"},
      {"a\xE2\x80\xAE" "b", "a" + kFffd + "b"},
      // rt11h row 11: the marks right-to-left text needs (LRM, RLM, ALM) are kept
      {"\xD7\xA9\xD7\x9C\xE2\x80\x8F" "1", "\xD7\xA9\xD7\x9C\xE2\x80\x8F" "1"},
      {"a\xE2\x80\x8E" "b\xD8\x9C" "c", "a\xE2\x80\x8E" "b\xD8\x9C" "c"},
  };
  for (const auto& [in, out] : cases) {
    INFO(quire::printable_line(in));
    CHECK(quire::printable(in) == out);
    CHECK(quire::codepoint_count(quire::printable(in)) == quire::codepoint_count(in));
  }
  // and so HTML (html_escape() applies printable())
  CHECK(quire::html_escape("x\xE2\x80\xA8<y>") == "x &lt;y&gt;");
}

TEST_CASE("printable_line escapes every line break", "[rt11h][utf8]") {
  const std::pair<std::string, std::string> cases[] = {
      {"a\nb\rc", "a\\nb\\rc"},  {"a\xE2\x80\xA8" "b", "a\\u2028b"}, {"a\xC2\x85" "b", "a\\u0085b"},
      {"a\x0b" "b", "a\\x0bb"}, {"a\xE2\x80\x8F" "b", "a\xE2\x80\x8F" "b"},
  };
  for (const auto& [in, out] : cases) CHECK(quire::printable_line(in) == out);
}

TEST_CASE("xml_text writes only XML 1.0 Chars: C0 dropped, VT and FF spaces, U+FFFE and U+FFFF U+FFFD",
          "[rt11h][utf8][xml]") {
  const std::pair<std::string, std::string> cases[] = {
      {"a\x1b]0;t\x07z", "a]0;tz"},  // C0: dropped, as before
      {"t\tn\nr\r", "t\tn\nr\r"},
      {"del\x7f", "del"},
      {"a\xEF\xBF\xBE" "b\xEF\xBF\xBF" "c", "a" + kFffd + "b" + kFffd + "c"},
      {"d\x0b" "e\x0c" "f", "d e f"},
      {"bad\xFF", "bad" + kFffd},
      // left for xml_char_refs(): legal XML Chars
      {"a\xC2\x9B" "b\xE2\x80\xAE" "c\xE2\x80\xA8", "a\xC2\x9B" "b\xE2\x80\xAE" "c\xE2\x80\xA8"},
      {"\xF0\x9F\x98\x80 caf\xC3\xA9 \xE2\x80\x8F", "\xF0\x9F\x98\x80 caf\xC3\xA9 \xE2\x80\x8F"},
  };
  for (const auto& [in, out] : cases) {
    INFO(quire::printable_line(in));
    CHECK(quire::xml_text(in) == out);
    for (std::size_t i = 0; i < out.size();) CHECK_FALSE(quire::is_xml_nonchar(quire::next_codepoint(out, i)));
  }
}

TEST_CASE("xml_char_refs writes C1, NEL, U+2028/9 and bidi controls as references and nothing else",
          "[rt11h][utf8][xml]") {
  const std::pair<std::string, std::string> cases[] = {
      {"<p a=\"x\xC2\x9B\">6n\xC2\x85</p>", "<p a=\"x&#x9B;\">6n&#x85;</p>"},
      {"a\xE2\x80\xAE" "b\xE2\x81\xA6" "c\xE2\x81\xA9", "a&#x202E;b&#x2066;c&#x2069;"},
      {"a\xE2\x80\xA8" "b\xE2\x80\xA9", "a&#x2028;b&#x2029;"},
      {"a\nb\tc &amp; \xE2\x80\x8F\xD8\x9C caf\xC3\xA9", "a\nb\tc &amp; \xE2\x80\x8F\xD8\x9C caf\xC3\xA9"},
  };
  for (const auto& [in, out] : cases) CHECK(quire::xml_char_refs(in) == out);
}

TEST_CASE("id_from_name: controls, line breaks and Unicode spaces as _, bidi controls removed", "[rt11h][ids]") {
  const std::pair<std::string, std::string> cases[] = {
      {"zq\nnewline", "zq_newline"},
      {"zq\rcr\ttab", "zq_cr_tab"},
      {"a b", "a_b"},
      {"a\xC2\xA0" "nbsp", "a_nbsp"},
      {"b\xE3\x80\x80" "ideo", "b_ideo"},
      {"c\xE2\x80\x89" "thin", "c_thin"},
      {"d\xE1\x9A\x80" "ogham", "d_ogham"},
      {"zq \xE2\x80\xAEtxt.exe", "zq_txt.exe"},
      {"zq \xC2\x9B" "2J", "zq__2J"},
      {"e\xE2\x80\xA8" "f", "e_f"},
      {"g\xEF\xBF\xBF", "g_"},
      {"2023/report", "2023/report"},
      {"caf\xE9", "caf\xC3\xA9"},  // Latin-1, read as Windows-1252
      {"caf\xC3\xA9", "caf\xC3\xA9"},
      {"\xD7\xA9\xE2\x80\x8F", "\xD7\xA9"},  // RLM dropped, as every default-ignorable is (rt11j row 14)
  };
  for (const auto& [in, out] : cases) {
    INFO(quire::printable_line(in));
    CHECK(quire::id_from_name(in) == out);
    CHECK(quire::id_from_name(out) == out);  // cleaning twice changes nothing
  }
}

TEST_CASE("other_line_breaks_as_spaces keeps LF and CR and makes the rest spaces", "[rt11h][utf8]") {
  const std::pair<std::string, std::string> cases[] = {
      {"a\nb\rc", "a\nb\rc"},
      {"a\xE2\x80\xA8" "b\xE2\x80\xA9" "c\xC2\x85" "d\x0b" "e\x0c" "f", "a b c d e f"},
      {"a\tb \xC2\xA0" "c", "a\tb \xC2\xA0" "c"},
  };
  for (const auto& [in, out] : cases) CHECK(quire::other_line_breaks_as_spaces(in) == out);
}

TEST_CASE("trec_token writes every Unicode space and line break of an id as %XX", "[rt11h][ids]") {
  const std::pair<std::string, std::string> cases[] = {
      {"a\xC2\xA0" "nbsp", "a%C2%A0nbsp"},
      {"b\xE3\x80\x80" "ideo", "b%E3%80%80ideo"},
      {"c\xE2\x80\x89" "thin", "c%E2%80%89thin"},
      {"d\xE1\x9A\x80" "ogham", "d%E1%9A%80ogham"},
      {"e\xE2\x80\xAF" "f\xE2\x81\x9F" "g", "e%E2%80%AFf%E2%81%9Fg"},
      {"h\xC2\x85" "i", "h%C2%85i"},
      {"j\xE2\x80\xA8" "k", "j%E2%80%A8k"},
      {"l\xE2\x80\x8F" "m", "l\xE2\x80\x8F" "m"},  // RLM is no space and reorders nothing (row 11)
      {"n\xE2\x80\x8B" "o", "n\xE2\x80\x8B" "o"},  // U+200B is Cf, not Zs: no field splits there
  };
  for (const auto& [in, out] : cases) CHECK(quire::trec_token(in) == out);
}

TEST_CASE("json_text escapes the line breaks and bidi controls it did, by the shared rules", "[rt11h][json]") {
  const std::pair<std::string, std::string> cases[] = {
      {"a\xE2\x80\xA8" "b", "\"a\\u2028b\""},
      {"a\xE2\x80\xA9" "b", "\"a\\u2029b\""},
      {"a\xE2\x80\xAE" "b", "\"a\\u202eb\""},
      {"a\xE2\x81\xA9" "b", "\"a\\u2069b\""},
      {"a\xC2\x85" "b", "\"a\\u0085b\""},
      {"a\xE2\x80\x8F" "b", "\"a\xE2\x80\x8F" "b\""},
      {"a\xE2\x80\x89" "b", "\"a\xE2\x80\x89" "b\""},
  };
  for (const auto& [in, out] : cases) CHECK(quire::json_text(nlohmann::json(in)) == out);
}
