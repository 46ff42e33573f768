// rt11j row 14 (docs/red-team/2026-12-03-reliability-rt11j.md): ids made from file names kept the soft
// hyphen and the other default-ignorable characters, so `similar titlesoft` found nothing.
#include <catch2/catch.hpp>
#include <string>

#include "quire/exports.h"
#include "quire/utf8.h"

TEST_CASE("id_from_name drops the characters invisible in a word", "[ids][rt11j]") {
  struct Case {
    const char* name;
    const char* id;
  };
  const Case cases[] = {
      {"title\u00adsoft", "titlesoft"},   {"zero\u200bwidth", "zerowidth"}, {"join\u2060er", "joiner"},
      {"bom\ufeffname", "bomname"},       {"zw\u200dj", "zwj"},             {"cgj\u034fx", "cgjx"},
      {"a b", "a_b"},                     {"plain", "plain"},               {"caf\u00e9", "caf\u00e9"},
      {"hangul\u3164filler", "hangul\u3164filler"}};
  for (const auto& c : cases) {
    INFO(c.name);
    CHECK(quire::id_from_name(c.name) == c.id);
  }
}

TEST_CASE("a BibTeX key has one underscore for each character it cannot hold", "[exports][rt11j]") {
  struct Case {
    const char* id;
    const char* key;
  };
  const Case cases[] = {{"title\u00adsoft", "@misc{title_soft,"}, {"caf\u00e9 bar", "@misc{caf__bar,"},
                        {"a b", "@misc{a_b,"},                      {"\u4e2d\u6587", "@misc{__,"}};
  for (const auto& c : cases) {
    INFO(c.id);
    quire::DocumentMeta m;
    m.id = c.id;
    m.title = "T";
    CHECK(quire::export_documents({m}, "bibtex").find(c.key) != std::string::npos);
  }
}
