// Sentence splitting and passage assembly.
#include <catch2/catch.hpp>

#include "quire/passage_splitter.h"
#include "quire/utf8.h"

TEST_CASE("split_sentences splits at sentence ends, not at abbreviations or initials", "[passages]") {
  struct Case {
    const char* text;
    std::vector<std::string> sentences;
  };
  const Case cases[] = {
      {"One. Two! Three?", {"One.", "Two!", "Three?"}},
      {"He said \xE2\x80\x9CNo.\xE2\x80\x9D Then he left.", {"He said \xE2\x80\x9CNo.\xE2\x80\x9D", "Then he left."}},
      {"Sameer P. Lalwani wrote it. It is long.", {"Sameer P. Lalwani wrote it.", "It is long."}},
      {"Aid fell, e.g. in 1993. Then it rose.", {"Aid fell, e.g. in 1993.", "Then it rose."}},
      {"Dr. Khan met Gen. Munir in Jan. 2024. They talked.", {"Dr. Khan met Gen. Munir in Jan. 2024.", "They talked."}},
      {"The U.S. Congress voted. It passed.", {"The U.S. Congress voted.", "It passed."}},
      {"It grew 4.2 percent. Then 5.1 percent.", {"It grew 4.2 percent.", "Then 5.1 percent."}},
      {"lower case after a stop. does not split", {"lower case after a stop. does not split"}},
      {"No end punctuation", {"No end punctuation"}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    CHECK(quire::split_sentences(c.text) == c.sentences);
  }
}

TEST_CASE("split_passages: paragraphs, long ones split at sentences, short ones merged", "[passages]") {
  quire::Document doc;
  doc.meta.id = "d";
  std::string sentence = "This sentence is about forty-six characters.";
  std::string long_para;
  for (int i = 0; i < 60; ++i) long_para += (i ? " " : "") + sentence;  // about 2,700 characters
  doc.sections.push_back(
      {"Intro", {"Short one.", "A paragraph of ordinary length that stands on its own as a passage in the index."}, {}});
  doc.sections.push_back({"Body", {long_para, "Tail."}, {}});
  quire::SplitOptions o;
  o.max_chars = 1000;
  o.min_chars = 40;
  const auto ps = quire::split_passages(doc, o);

  SECTION("the short first paragraph is merged into the next, keeping the first paragraph's number") {
    REQUIRE(ps.size() >= 2);
    CHECK(ps[0].text.rfind("Short one. A paragraph", 0) == 0);
    CHECK(ps[0].paragraph == 1);
    CHECK(ps[0].section == "Intro");
  }
  SECTION("the long paragraph is split into bounded parts that end at sentences") {
    std::size_t parts = 0;
    for (const auto& p : ps) {
      if (p.paragraph != 3) continue;
      ++parts;
      CHECK(quire::codepoint_count(p.text) <= o.max_chars + o.min_chars);
      CHECK(p.text.back() == '.');
      CHECK(p.text.rfind("This sentence", 0) == 0);
    }
    CHECK(parts == 3);
  }
  SECTION("a short last paragraph joins the passage before it in its section") {
    CHECK(ps.back().text.size() >= 5);
    CHECK(ps.back().text.substr(ps.back().text.size() - 5) == "Tail.");
    CHECK(ps.back().paragraph == 3);
  }
  SECTION("passages are numbered from 1 in order") {
    for (std::size_t i = 0; i < ps.size(); ++i) CHECK(ps[i].number == static_cast<int>(i) + 1);
  }
}

TEST_CASE("a sentence longer than a passage is cut at a space", "[passages]") {
  quire::Document doc;
  std::string words;
  for (int i = 0; i < 400; ++i) words += "word ";
  doc.sections.push_back({"", {words}, {}});
  quire::SplitOptions o;
  o.max_chars = 300;
  for (const auto& p : quire::split_passages(doc, o)) {
    CHECK(quire::codepoint_count(p.text) <= 300 + o.min_chars);
    CHECK(p.text.front() == 'w');
    CHECK(p.text.back() == 'd');
  }
}
