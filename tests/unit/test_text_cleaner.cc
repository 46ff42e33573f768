// Cleaning messy text into headings and paragraphs: one table per kind of mess.
#include <catch2/catch.hpp>

#include "quire/text_cleaner.h"

using quire::BlockKind;
using quire::clean_text;

namespace {

// Blocks rendered one per line: "# heading" or the paragraph text.
std::string render(const std::string& text, bool markdown = false) {
  quire::CleanOptions o;
  o.markdown = markdown;
  std::string out;
  for (const auto& b : clean_text(text, o).blocks) out += (b.kind == BlockKind::kHeading ? "# " : "") + b.text + "\n";
  return out;
}

// Hard-wrapped filler prose long enough for layout detection: `n` lines of about 80 characters.
std::string wrapped_prose(int n, const std::string& blank_between = "") {
  std::string s;
  for (int i = 0; i < n; ++i)
    s +=
        "line " + std::to_string(i) + " of some wrapped prose that runs on across the page width and\n" + blank_between;
  return s;
}

}  // namespace

TEST_CASE("one paragraph per line: web text keeps its lines as paragraphs, finds headings", "[clean]") {
  const std::string in =
      "Summary\n"
      "  \xE2\x80\xA2 China is Pakistan\xE2\x80\x99s most important defense partner since the end of the Cold War.\n"
      "Shifting U.S. Focus Toward Indo-Pacific\n"
      "About the Author\n"
      "Sameer P. Lalwani is a senior expert in the Asia Center.\n";
  CHECK(render(in) ==
        "# Summary\n"
        "China is Pakistan\xE2\x80\x99s most important defense partner since the end of the Cold War.\n"
        "# Shifting U.S. Focus Toward Indo-Pacific\n"
        "# About the Author\n"
        "Sameer P. Lalwani is a senior expert in the Asia Center.\n");
}

TEST_CASE("hard-wrapped lines are rejoined into paragraphs", "[clean]") {
  struct Case {
    std::string name, in, expect_contains;
  };
  const std::string body = wrapped_prose(8);
  const Case cases[] = {
      {"plain wrap", body + "the last line ends here.\n\n" + body + "and this one too.\n",
       "page width and line 1 of some"},
      {"blank line after every line", wrapped_prose(8, "\n") + "the last line ends here.\n\n",
       "page width and line 1 of some"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    const auto r = clean_text(c.in);
    REQUIRE(!r.blocks.empty());
    CHECK(r.blocks[0].text.find(c.expect_contains) != std::string::npos);
    CHECK(r.blocks[0].text.find('\n') == std::string::npos);
  }
  SECTION("a short line ending a sentence ends the paragraph, even with blank lines everywhere") {
    const auto r = clean_text(wrapped_prose(6, "\n") + "end of the first.\n\n" +
                              "A second paragraph starts here and\n\n" + wrapped_prose(6, "\n") + "end.\n");
    REQUIRE(r.blocks.size() == 2);
    CHECK(r.blocks[0].text.substr(r.blocks[0].text.size() - 17) == "end of the first.");
  }
}

TEST_CASE("words hyphenated across lines are rejoined", "[clean]") {
  const std::unordered_set<std::string> vocab = {"economic", "long-term", "cooperation"};
  struct Case {
    const char* head;
    const char* tail;
    const char* out;
  };
  const Case cases[] = {
      {"the eco-", "nomic gains", "the economic gains"},               // the joined word occurs elsewhere
      {"Pakistan's long-", "term plan", "Pakistan's long-term plan"},  // the hyphenated word occurs elsewhere
      {"co-", "operation", "cooperation"},                             // the joined word occurs elsewhere
      {"co-", "ordination", "co-ordination"},                          // neither form known: keep the hyphen...
      {"the implementa-", "tion of", "the implementation of"},         // ...unless the tail is a suffix
      {"a well-", "known case", "a well-known case"},                  // unknown: keep the hyphen
  };
  for (const auto& c : cases) {
    CAPTURE(c.head, c.tail);
    CHECK(quire::join_hyphenated(c.head, c.tail, vocab) == c.out);
  }
}

TEST_CASE("running page headers, footers and page numbers are dropped and the sentence rejoined", "[clean]") {
  const std::string in = wrapped_prose(6, "\n") +
                         "the relations with china may entail rivalry and divergent interest between \n\n"
                         "International Journal of Something & Culture                    ISSN-1234-5678  \n"
                         "http://example.org/index.php/journal/issue/view/199               PISSN1234-5679 \n"
                         "(Volume.4, Issue.3 (2024) \n(July-September) \n \n\n14 \n \n\n"
                         "these super powers (Soomro, 2021). These two sets of alignments are the foreign policy \n\n" +
                         wrapped_prose(4, "\n") + "end.\n";
  const auto r = clean_text(in);
  std::string all;
  for (const auto& b : r.blocks) all += b.text + "\n";
  CHECK(all.find("divergent interest between these super powers (Soomro, 2021).") != std::string::npos);
  CHECK(all.find("ISSN") == std::string::npos);
  CHECK(all.find("July-September") == std::string::npos);
  CHECK(all.find(" 14 ") == std::string::npos);
  REQUIRE(r.furniture.size() == 5);
  CHECK(r.furniture[2] == "(Volume.4, Issue.3 (2024)");
}

TEST_CASE("lines repeated on many pages are dropped as running headers", "[clean]") {
  std::string in;
  const char* endings[] = {"the first page ends here", "the second page ends", "the third page ends", "the last page"};
  for (const char* ending : endings) in += "Journal of Policy Studies\n" + wrapped_prose(6) + ending + "\n";
  in += "end.\n";
  std::string all;
  for (const auto& b : clean_text(in).blocks) all += b.text + "\n";
  CHECK(all.find("Journal of Policy Studies") == std::string::npos);
  CHECK(all.find("the first page ends here line 0") != std::string::npos);  // the sentence runs on across the page
}

TEST_CASE("web furniture is dropped", "[clean]") {
  struct Case {
    std::string name, in, out;
  };
  const std::string para = "Pakistan\xE2\x80\x99s loyalties stay with China, its strategic partner and support.";
  const Case cases[] = {
      {"navigation stubs at the top", "-\nCENTRES\nProgrammes & Centres\nLocation\n" + para + "\n", para + "\n"},
      {"a caption repeated twice",
       "A jet flies over Islamabad during a celebration. (Photo by AP)\nA jet flies over Islamabad during a "
       "celebration. (Photo by AP)\n" +
           para + "\n",
       "A jet flies over Islamabad during a celebration. (Photo by AP)\n" + para + "\n"},
      {"a pull quote repeating a sentence of the body",
       "Is tactical and temporary, offering short-term benefits for both.\n"
       "However, this rapprochement is tactical and temporary, offering short-term benefits for both. More follows.\n",
       "However, this rapprochement is tactical and temporary, offering short-term benefits for both. More follows.\n"},
      {"a teaser and Read More",
       para + "\nSarral Sharma is a Doctoral Candidate at a University. He was a ...\nRead More +\n", para + "\n"},
      {"promotional boilerplate",
       para + "\nThe views expressed above belong to the author(s). Click here to access our curated content.\n",
       para + "\n"},
      {"a related-articles list with dates and teasers",
       para +
           "\nAnother paragraph of the article, which ends here.\nRelated Research & Analysis\nWhat\xE2\x80\x99s at "
           "Stake?\nWhat\xE2\x80\x99s at Stake?\n"
           "Monday, June 23, 2025\nChina has major energy interests.\nType: Analysis\nView All Research & Analysis\n",
       para + "\nAnother paragraph of the article, which ends here.\n"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    CHECK(render(c.in) == c.out);
  }
}

TEST_CASE("plain text keeps digits glued to words and the numbers of numbered lines (rt11i row 5, rt11j row 7)",
          "[clean]") {
  // Plain text has no superscripts, so a digit glued to a word cannot be told from a word with digits
  // ("latin1", "phase2", "G7"), and a numbered line from a footnote or a list item: all are kept as
  // written, so quotes match. (The index also holds "efforts1" as "efforts": tokenizer.h.)
  const std::string notes = "\n\n1 See the report of 2019.\n\n2 Ibid., p. 4.\n\n3 Ibid.\n";
  const struct {
    const char* name;
    std::string in;
    std::string out;
  } cases[] = {
      {"no footnotes: words with digits stay",
       "He said latin1 is old and phase2 matters and the treaty2 clause.\n",
       "He said latin1 is old and phase2 matters and the treaty2 clause.\n"},
      {"no footnotes: the first number 1 before a full stop stays", "The latin1 codec.\n", "The latin1 codec.\n"},
      {"a seed text's markers stay as written",
       "The U.S. relied on Pakistani mediation during evacuation efforts1. China's investments grew.\n",
       "The U.S. relied on Pakistani mediation during evacuation efforts1. China's investments grew.\n"},
      {"markers 1, 2, 3 with their footnotes stay", "First claim1. Second claim2, and a third3." + notes,
       "First claim1. Second claim2, and a third3.\n1 See the report of 2019.\n2 Ibid., p. 4.\n3 Ibid.\n"},
      {"numbered notes do not take the digits of words", 
       "The plan has phase1 and phase2 components, agreed at the G7 summit.\n\n1. Ibid.\n2. See annex.\n",
       "The plan has phase1 and phase2 components, agreed at the G7 summit.\n1. Ibid.\n2. See annex.\n"},
      {"notes numbered 1. and 1 and [1] keep their numbers alike",
       "Countries1 agreed.\n\n1 UN doc A/1.\n\n2. See the report.\n\n[3] Ibid.\n",
       "Countries1 agreed.\n1 UN doc A/1.\n2. See the report.\n[3] Ibid.\n"},
      {"a numbered list keeps its numbers",
       "Steps to take:\n\n1. Install the latin1 codec\n\n2) Run phase2 of it\n",
       "# Steps to take:\n# 1. Install the latin1 codec\n# 2) Run phase2 of it\n"},
      {"a bullet sign goes", "Points:\n\n- The first point is made here.\n\n\u2022 The second point is made here.\n",
       "# Points:\nThe first point is made here.\nThe second point is made here.\n"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    CHECK(render(c.in) == c.out);
  }
}

TEST_CASE("a byline gives the authors and leaves the text", "[clean]") {
  const auto r = clean_text(
      "By: Priya Naik, Research Analyst, GSDN\n\nPakistan\xE2\x80\x99s significance has been shaped by three "
      "phases.\n");
  CHECK(r.authors == std::vector<std::string>{"Priya Naik"});
  REQUIRE(r.blocks.size() == 1);
  CHECK(r.blocks[0].text.rfind("Pakistan", 0) == 0);
  CHECK(clean_text("By Jane Roe and John Doe\nSome text of the article follows here.\n").authors ==
        std::vector<std::string>{"Jane Roe", "John Doe"});
}

TEST_CASE("markdown headings and emphasis", "[clean]") {
  CHECK(render("# Title\n\nSome *emphasised* and **strong** words\nwrapped onto a second line.\n\n## Part\n\nMore.\n",
               true) == "# Title\nSome emphasised and strong words wrapped onto a second line.\n# Part\nMore.\n");
}

TEST_CASE("empty and whitespace-only text gives no blocks", "[clean]") {
  CHECK(clean_text("").blocks.empty());
  CHECK(clean_text(" \n\t\n\n").blocks.empty());
  CHECK(clean_text("\xEF\xBB\xBF").blocks.empty());  // a byte-order mark alone
}

TEST_CASE("plain-text speeches: no heading made of a sentence's start, and real headings stay (rt17 rows 21 and 22)",
          "[clean]") {
  struct Case {
    std::string name, in;
    std::vector<std::string> headings;  // every heading the text has
    std::string starts;                 // the first paragraph's start
  };
  const std::string body = wrapped_prose(12);
  const std::string end = "and here the last line of it all ends.\n";
  const std::vector<Case> cases = {
      {"a name cut by the wrap",
       "I congratulate Mr. Diogo\nFreitas do Amaral on his election to the presidency of\n" + body + end,
       {},
       "I congratulate Mr. Diogo Freitas do Amaral on his election"},
      {"a function word ending the line",
       "On behalf of the\nDelegation of Bhutan, allow me to congratulate you on\n" + body + end,
       {},
       "On behalf of the Delegation of Bhutan"},
      {"one function word",
       "For\nDecades now we have been hearing very disturbing things\n" + body + end,
       {},
       "For Decades now"},
      {"a UN page mark between pages",
       body + "the international community\n\n37 09-52320\n\nThe people of Iran are\n" + body + end,
       {},
       "line 0 of some"},
      {"a short line running on into the next",
       "The General\nAssembly meets again in a year of crises that\n" + body + end,
       {},
       "The General Assembly meets"},
      {"real headings in wrapped text",
       "The Way Forward\n\nThe first paragraph starts here and\n" + body + end +
           "\nAbout the Author\n\nThe author wrote this paragraph and\n" + body + end,
       {"The Way Forward", "About the Author"},
       "The first paragraph starts here and line 0"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    const auto r = clean_text(c.in);
    std::vector<std::string> headings;
    std::string first, all;
    for (const auto& b : r.blocks) {
      all += b.text + "\n";
      if (b.kind == BlockKind::kHeading) headings.push_back(b.text);
      if (b.kind == BlockKind::kParagraph && first.empty()) first = b.text;
    }
    CHECK(headings == c.headings);
    CHECK(first.rfind(c.starts, 0) == 0);
    CHECK(all.find("09-52320") == std::string::npos);
  }
  SECTION("one paragraph per line: a numbered paragraph leading into a quotation is no heading") {
    const std::string in =
        "117. Still more recently, the Declaration of the Second Conference of Heads of State, held in Cairo, stated:\n"
        "\"The Conference solemnly reaffirms the right of peoples to self-determination and to their destiny.\"\n"
        "118. This Declaration also stated:\n"
        "\"The process of liberation is irresistible and irreversible, and it goes on.\"\n"
        "Recommendations\n"
        "164. We also feel it necessary to draw the attention\n"
        "\"We are on the side of resistance and liberation everywhere and against\n"
        "119. Every word in these declarations sanctions the standpoint we take on the question.\n";
    CHECK(
        render(in) ==
        "117. Still more recently, the Declaration of the Second Conference of Heads of State, held in Cairo, stated:\n"
        "\"The Conference solemnly reaffirms the right of peoples to self-determination and to their destiny.\"\n"
        "118. This Declaration also stated:\n"
        "\"The process of liberation is irresistible and irreversible, and it goes on.\"\n"
        "# Recommendations\n"
        "164. We also feel it necessary to draw the attention\n"
        "\"We are on the side of resistance and liberation everywhere and against\n"
        "119. Every word in these declarations sanctions the standpoint we take on the question.\n");
  }
}
