// Theme rules: weights, thresholds, stems, groups.
#include <catch2/catch.hpp>

#include "quire/themes.h"
#include "support.h"

TEST_CASE("a passage has a theme when its terms' weights reach the threshold", "[themes]") {
  const std::string xml =
      "<themes><group id=\"sec\" label=\"Security\">"
      "<theme id=\"nuclear\" label=\"Nuclear weapons\" threshold=\"4\">"
      "<term weight=\"4\">nuclear test</term><term weight=\"2\">warhead</term><term weight=\"1\">uranium</term>"
      "</theme></group></themes>";
  const auto set = quire::ThemeSet::parse("t.xml", xml);
  const quire::Stemmer stem;
  struct Case {
    const char* text;
    std::vector<std::string> themes;
  };
  const Case cases[] = {
      {"After the nuclear tests of 1998.", {"nuclear", "sec"}},  // phrase on stems: tests -> test
      {"Two warheads.", {}},                                     // 2 < 4
      {"Warheads and more warheads.", {"nuclear", "sec"}},       // 2 x 2 = 4
      {"Warheads, warheads, warheads, uranium.", {"nuclear", "sec"}},
      {"Uranium, uranium, uranium, uranium.", {}},  // a term counts at most twice
      {"NUCLEAR TEST", {"nuclear", "sec"}},         // case does not matter
      {"nothing relevant", {}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    CHECK(set.tag(c.text, stem) == c.themes);
  }
  CHECK(set.resolve("nuclear") == std::vector<std::string>{"nuclear"});
  CHECK(set.resolve("Security") == std::vector<std::string>{"sec"});
}

TEST_CASE("the bundled taxonomy has at least 15 themes in groups", "[themes]") {
  const auto set = quire::ThemeSet::load(quire::test::source_dir() + "/schemas/themes.xml");
  std::size_t themes = 0;
  for (const auto& t : set.themes()) themes += !t.group.empty();
  CHECK(themes >= 15);
  const quire::Stemmer stem;
  CHECK(set.tag("China-Pakistan Economic Corridor (CPEC) projects under the Belt and Road", stem) ==
        std::vector<std::string>{"economy", "investment-infrastructure"});
  CHECK(set.resolve("nuclear") == std::vector<std::string>{"nuclear"});
}

TEST_CASE("a malformed theme file is reported with file and line", "[themes]") {
  CHECK_THROWS_WITH(quire::ThemeSet::parse("t.xml", "<themes>\n<group id=\"g\"><theme id=\"x\"/></group></themes>"),
                    "t.xml:2: theme \"x\" needs a positive threshold");
}

TEST_CASE("words of several senses count only in their theme's company, or only as written", "[themes]") {
  const auto set = quire::ThemeSet::load(quire::test::source_dir() + "/schemas/themes.xml");
  const quire::Stemmer stem;
  const auto has = [&](const char* text, const char* theme) {
    const auto t = set.tag(text, stem);
    return std::find(t.begin(), t.end(), theme) != t.end();
  };
  struct Case {
    const char* text;
    const char* theme;
    bool expected;
  };
  const Case cases[] = {
      // The paragraph (corpus/000): "important" stems to "import"; arms, strike: no trade.
      {"China is Pakistan\xE2\x80\x99s most important defense partner since the end of the Cold War. Beijing has "
       "become the leading supplier of Pakistan\xE2\x80\x99s conventional weapons and strategic platforms and the "
       "dominant supplier of Pakistan\xE2\x80\x99s higher-end offensive strike capabilities.",
       "trade", false},
      {"The importance of the matter was stressed.", "trade", false},
      {"Pakistan exports textiles and imports machinery.", "trade", true},  // the words themselves
      {"Pakistan\xE2\x80\x99s exports to China grew.", "trade", true},
      {"The port was busy.", "maritime", false},           // "port" alone: a drink, a computer port
      {"The port hosts a naval base.", "maritime", true},  // beside a term without doubt
      {"That book is mine, not yours.", "critical-minerals", false},
      {"A new copper mine opened.", "critical-minerals", true},
      {"The tank was full of water and the tank was old.", "defence-arms", false},
      {"Tanks and missiles were delivered to the army.", "defence-arms", true},  // 1 + 2 + 1
  };
  for (const auto& c : cases) {
    CAPTURE(c.text, c.theme);
    CHECK(has(c.text, c.theme) == c.expected);
  }
}

TEST_CASE("theme terms reject unknown needs= and stem= values", "[themes]") {
  const char* bad[] = {
      "<themes><group id=\"g\"><theme id=\"x\" threshold=\"1\"><term "
      "needs=\"always\">a</term></theme></group></themes>",
      "<themes><group id=\"g\"><theme id=\"x\" threshold=\"1\"><term stem=\"maybe\">a</term></theme></group></themes>",
  };
  for (const char* xml : bad) {
    CAPTURE(xml);
    CHECK_THROWS_WITH(quire::ThemeSet::parse("t.xml", xml), Catch::StartsWith("t.xml:1: "));
  }
}
