// Actor tagging: aliases, case, context, dates, stop phrases, longest match, with the real gazetteer.
#include <catch2/catch.hpp>

#include "quire/actors.h"
#include "quire/errors.h"
#include "support.h"

namespace {

const quire::Gazetteer& gazetteer() {
  static const quire::Gazetteer g = quire::Gazetteer::load(quire::test::source_dir() + "/schemas/actors.xml");
  return g;
}

// Actor ids found in `text` (one passage), in order, joined with ' '.
std::string actors_in(const std::string& text, int year = 0) {
  std::string out;
  const auto tagged = gazetteer().tag({text}, year);
  for (const auto& m : tagged.at(0)) out += (out.empty() ? "" : " ") + m.actor;
  return out;
}

}  // namespace

TEST_CASE("actors are found by name, alias, abbreviation, demonym, capital and place", "[actors]") {
  struct Case {
    const char* text;
    int year;
    const char* actors;
  };
  const Case cases[] = {
      {"Pakistan and China signed it.", 0, "pakistan china"},
      {"Pakistan\xE2\x80\x99s loyalties stay with China\xE2\x80\x99s leaders.", 0, "pakistan china"},  // possessives
      {"The People's Republic of China and the Republic of China.", 0, "china taiwan"},                // longest match
      {"The PRC and the U.S. and the US and the USA.", 0, "china united-states united-states united-states"},
      {"Let us talk; it is up to us.", 0, ""},              // "us" is not the US
      {"Chinese engineers were attacked.", 0, "china"},     // a demonym alone is a mention
      {"Beijing rebuked Islamabad.", 0, "china pakistan"},  // capitals for governments
      {"Washington and Beijing.", 0, "united-states china"},
      {"A statue of George Washington.", 0, "george-washington"},  // the person, not the government
      {"We ate turkey. Turkey objected.", 0, "turkey"},            // the bird is lower case
      {"Jordan spoke to the press.", 0, ""},                       // Jordan alone needs context
      {"Jordan and Amman agreed.", 0, "jordan jordan"},            // ... which the capital gives
      {"Chad Smith scored.", 0, ""},
      {"Georgia passed a law.", 0, ""},
      {"Georgia and Tbilisi", 0, "georgia georgia"},
      {"the Indian Ocean and the South China Sea", 0, ""},      // stop phrases
      {"Germany and Bonn", 1987, "west-germany west-germany"},  // names that changed meaning
      {"Germany and Berlin", 2020, "germany germany"},
      {"Moscow said so.", 1985, "ussr"},
      {"Moscow said so.", 2020, "russia"},
      {"the Soviet Union collapsed", 0, "ussr"},
      {"the Shanghai Cooperation Organisation (SCO) and NATO", 0, "sco sco nato"},
      {"BIRMINGHAM, Ala., Feb 26 -", 1987, "united-states"},  // a place qualified by a state
      {"WOODRIDGE, ILL., March 5 -", 1987, "united-states"},  // abbreviations in capitals after a comma
      {"MISS ESTIMATES", 1987, ""},                           // ... but not elsewhere
      {"New Mexico voted", 0, "united-states"},               // a US state, not Mexico
      {"a nuclear-armed Islamic state", 0, ""},               // not the group Islamic State
      {"fighters of the Islamic State", 0, "isis"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text, c.year);
    CHECK(actors_in(c.text, c.year) == c.actors);
  }
}

TEST_CASE("a surname alone counts only when the document names the person in full", "[actors]") {
  const auto alone = gazetteer().tag({"Asif claimed in the interview that it was so."}, 0);
  CHECK(alone.at(0).empty());
  const auto both =
      gazetteer().tag({"Khawaja Asif said so.", "Later, Asif claimed in the interview that it was so."}, 0);
  REQUIRE(both.at(1).size() == 1);
  CHECK(both[1][0].actor == "khawaja-asif");
  CHECK(both[1][0].cp_begin == 7);
  CHECK(both[1][0].cp_end == 11);
}

TEST_CASE("resolve maps a user's word to actor ids", "[actors]") {
  const auto& g = gazetteer();
  CHECK(g.resolve("beijing") == std::vector<std::string>{"china"});
  CHECK(g.resolve("PRC") == std::vector<std::string>{"china"});
  CHECK(g.resolve("china") == std::vector<std::string>{"china"});
  CHECK(g.resolve("Khawaja Asif") == std::vector<std::string>{"khawaja-asif"});
  CHECK(g.resolve("united-states") == std::vector<std::string>{"united-states"});
  CHECK(g.resolve("Narnia").empty());
  const quire::Actor* asif = g.find("khawaja-asif");
  REQUIRE(asif != nullptr);
  CHECK(asif->type == quire::ActorType::kPerson);
  CHECK(asif->affiliation == "pakistan");
}

TEST_CASE("the gazetteer holds every UN member state", "[actors]") {
  std::size_t states = 0;
  for (const auto& a : gazetteer().actors()) {
    if (a.type == quire::ActorType::kState && a.to == 0 && a.id != "taiwan" && a.id != "palestine" &&
        a.id != "holy-see" && a.id != "kosovo")
      ++states;
  }
  CHECK(states == 193);
}

TEST_CASE("a malformed gazetteer is reported with file and line", "[actors]") {
  CHECK_THROWS_WITH(
      quire::Gazetteer::parse("a.xml", "<actors>\n<actor id=\"x\" type=\"planet\"><name>X</name></actor></actors>"),
      "a.xml:2: actor \"x\" has type \"planet\" (state, territory, organisation, group or person)");
  CHECK_THROWS_WITH(quire::Gazetteer::parse("a.xml", "<actors><actor id=\"x\" type=\"state\"/></actors>"),
                    "a.xml:1: actor \"x\" has no <name>");
  CHECK_THROWS_WITH(
      quire::Gazetteer::parse(
          "a.xml", "<actors><actor id=\"p\" type=\"person\" affiliation=\"nowhere\"><name>P Q</name></actor></actors>"),
      "a.xml: actor \"p\" is affiliated with unknown actor \"nowhere\"");
}
