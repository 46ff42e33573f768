// Non-content blocks (schemas/blocks.xml): biographies, acknowledgements, references, disclaimers
// and copyright notices are recognised, and the tagger gives them no actors, themes or speakers.
#include <catch2/catch.hpp>

#include "quire/blocks.h"
#include "quire/tagging.h"
#include "support.h"

namespace {

const quire::BlockRules& rules() {
  static const quire::BlockRules r = quire::BlockRules::load(quire::test::source_dir() + "/schemas/blocks.xml");
  return r;
}

}  // namespace

TEST_CASE("non-content blocks are recognised by heading or by their opening words", "[blocks]") {
  struct Case {
    const char* heading;
    const char* text;
    bool last;  ///< the passage is at the end of a long document
    const char* kind;
  };
  const Case cases[] = {
      // corpus/000: the heading of the bio that ranked first for theme:nuclear.
      {"About the Author",
       "Sameer P. Lalwani is a senior expert in the Asia Center at USIP. He researches nuclear deterrence.", false,
       "biography"},
      {"ABOUT THE AUTHORS", "Two researchers.", false, "biography"},
      {"Notes on Contributors", "Jane Roe teaches at Oxford.", false, "biography"},
      {"", "Sameer P. Lalwani is a senior fellow at the Stimson Center.", true, "biography"},
      {"", "Sameer P. Lalwani is a senior fellow at the Stimson Center, said the minister.", false, ""},  // not at end
      // corpus/001's last paragraph: the role capitalised, as such notes often write it.
      {"", "Sarral Sharma is a Doctoral Candidate at Jawaharlal Nehru University, New Delhi.", true, "biography"},
      {"", "Jane Roe is a Senior Fellow at the Heritage Foundation.", true, "biography"},
      {"Acknowledgements", "We thank the reviewers.", false, "acknowledgements"},
      {"Acknowledgments:", "We thank the reviewers.", false, "acknowledgements"},
      {"", "The author would like to thank the two anonymous reviewers.", false, "acknowledgements"},
      {"References", "Smith, J. (2020). A book. Press.", false, "references"},
      {"Bibliography", "Anything.", false, "references"},
      {"", "Lalwani, S. P. (2023). A Threshold Alliance. USIP.", true, "references"},
      {"Disclaimer", "Anything.", false, "disclaimer"},
      {"", "The views expressed in this report are those of the author alone.", false, "disclaimer"},
      {"", "\xC2\xA9 2024 United States Institute of Peace. All rights reserved.", false, "copyright"},
      {"", "Copyright 2016 The Associated Press.", false, "copyright"},
      {"Introduction", "China is Pakistan\xE2\x80\x99s most important defense partner.", false, ""},
      {"The Rise of China-Pakistan Ties", "References to the 1962 war abound.", false, ""},
      {"Conclusion", "The author argues that the alliance will last.", false, ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.heading, c.text, c.last);
    // Eight passages; the one tested is the first, or the last (in the last quarter).
    std::vector<std::string> passages(8, "Body text."), sections(8, "");
    const std::size_t at = c.last ? 7 : 0;
    passages[at] = c.text;
    sections[at] = c.heading;
    CHECK(rules().classify(passages, sections)[at] == c.kind);
  }
}

TEST_CASE("a biography gets no actors, themes, dyads or speakers, and stays text", "[blocks]") {
  const quire::Tagger tagger(quire::test::source_dir() + "/schemas");
  const std::vector<std::string> passages = {
      "Pakistan and China tested nuclear weapons and warheads, \xE2\x80\x9Cwe will never give them up,\xE2\x80\x9D "
      "said Khawaja Asif.",
      "Sameer P. Lalwani researches nuclear deterrence, nuclear weapons and warheads in Pakistan and China. "
      "\xE2\x80\x9CThe best work on the subject,\xE2\x80\x9D said Khawaja Asif."};
  const auto tags = tagger.tag_document(passages, 2024, {"Analysis", "About the Author"});
  REQUIRE(tags.size() == 2);
  CHECK(tags[0].block.empty());
  CHECK(!tags[0].actors.empty());
  CHECK(!tags[0].themes.empty());
  CHECK(!tags[0].dyads.empty());
  CHECK(tags[0].speakers == std::vector<std::string>{"khawaja-asif"});
  CHECK(tags[1].block == "biography");
  CHECK(tags[1].actors.empty());
  CHECK(tags[1].mentions.empty());
  CHECK(tags[1].themes.empty());
  CHECK(tags[1].dyads.empty());
  CHECK(tags[1].speakers.empty());
  REQUIRE(tags[1].quotes.size() == 1);  // the quote is still a quote, but nobody's in this index
  CHECK(tags[1].quotes[0].speaker_name.empty());
}

TEST_CASE("blocks.xml errors name the file and line", "[blocks]") {
  const char* bad[] = {
      "<blocks><block><heading>x</heading></block></blocks>",             // no kind
      "<blocks><block kind=\"a\"><heading>(</heading></block></blocks>",  // bad regex
      "<blocks><block kind=\"a\"><footer>x</footer></block></blocks>",    // unknown element
      "<blocks><section kind=\"a\"/></blocks>",                           // unknown element
  };
  for (const char* xml : bad) {
    CAPTURE(xml);
    CHECK_THROWS_WITH(quire::BlockRules::parse("blocks.xml", xml), Catch::StartsWith("blocks.xml:1: "));
  }
}

TEST_CASE("rt13: a heading that came as a paragraph opens its block until the next heading", "[blocks][rt13]") {
  // Row 41: the DPR paper (pdf/dpr-emnlp2020-two-column.pdf) as quire reads it: its headings are
  // paragraphs, and "References" runs into the first entry.
  const std::vector<std::string> passages = {
      "5 Conclusion",
      "In this work, we demonstrated that dense retrieval can outperform the traditional sparse retrieval.",
      "Acknowledgments",
      "We thank the anonymous reviewers for their helpful comments and suggestions.",
      "References Akari Asai, Kazuma Hashimoto, Hannaneh Hajishirzi, Richard Socher, and Caiming Xiong. 2020. "
      "Learning to retrieve reasoning paths over Wikipedia graph for question answering.",
      "Dan Moldovan, Marius Pasca, Sanda Harabagiu, and Mihai Surdeanu. 2003. Performance issues and error "
      "analysis in an open-domain question answering system.",
      "A Distant Supervision",
      "When training our final DPR model using Natural Questions, we use the passages in our retrieval.",
  };
  const auto kinds = rules().classify(passages, std::vector<std::string>(passages.size()));
  const std::vector<std::string> expected = {"", "", "acknowledgements", "acknowledgements", "references", "references",
                                             "", ""};
  CHECK(kinds == expected);
  // ... and "Moldovan" in the reference list is no mention of Moldova.
  const quire::Tagger tagger(quire::test::source_dir() + "/schemas");
  const auto tags = tagger.tag_document(passages, 2020, {});
  CHECK(tags[5].actors.empty());
  CHECK(tags[5].block == "references");
}
