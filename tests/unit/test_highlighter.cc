// Highlighting: words, stems, wildcard prefixes and whole phrases, with code point offsets.
#include <catch2/catch.hpp>

#include "quire/highlighter.h"
#include "quire/output.h"

namespace {

// The text with each span wrapped in [ ].
std::string marked(const std::string& text, const quire::HighlightQuery& q) {
  static const quire::Stemmer stem;
  std::string out;
  std::size_t at = 0;
  for (const auto& [b, e] : quire::highlight(text, q, stem)) {
    const std::size_t bb = quire::byte_offset(text, b), be = quire::byte_offset(text, e);
    out += text.substr(at, bb - at) + "[" + text.substr(bb, be - bb) + "]";
    at = be;
  }
  return out + text.substr(at);
}

quire::HighlightQuery words(std::set<std::string> w) {
  quire::HighlightQuery q;
  q.words = std::move(w);
  return q;
}
quire::HighlightQuery stems(std::set<std::string> s) {
  quire::HighlightQuery q;
  q.stems = std::move(s);
  return q;
}
quire::HighlightQuery phrase(std::vector<std::string> p) {
  quire::HighlightQuery q;
  q.phrases.push_back(std::move(p));
  return q;
}

}  // namespace

TEST_CASE("highlighter marks words, stems, prefixes and phrases", "[highlight]") {
  struct Case {
    std::string name, text;
    quire::HighlightQuery query;
    std::string expected;
  };
  quire::HighlightQuery prefix;
  prefix.prefixes = {"nucl"};
  const Case cases[] = {
      {"exact word, any case", "Pakistan and PAKISTAN", words({"pakistan"}), "[Pakistan] and [PAKISTAN]"},
      {"stem-aware: sanction lights up sanctions and sanctioned", "New sanctions were sanctioned.", stems({"sanction"}),
       "New [sanctions] were [sanctioned]."},
      {"a possessive shows for its word", "Pakistan\xE2\x80\x99s loyalties", words({"pakistan"}),
       "[Pakistan\xE2\x80\x99s] loyalties"},
      {"a phrase is one span, curly quotes outside it",
       "as \xE2\x80\x9Ctransactional or flirtatious\xE2\x80\x9D, suggesting",
       phrase({"transactional", "or", "flirtatious"}),
       "as \xE2\x80\x9C[transactional or flirtatious]\xE2\x80\x9D, suggesting"},
      {"phrase words elsewhere are not marked on their own", "or else: transactional or flirtatious",
       phrase({"transactional", "or", "flirtatious"}), "or else: [transactional or flirtatious]"},
      {"a phrase across a U+2011 hyphen", "relationship \xE2\x80\x9Crock\xE2\x80\x91solid\xE2\x80\x9D and",
       phrase({"rock", "solid"}), "relationship \xE2\x80\x9C[rock\xE2\x80\x91solid]\xE2\x80\x9D and"},
      {"wildcard prefix", "nuclear and nucleus, not unclear", prefix, "[nuclear] and [nucleus], not unclear"},
      {"acronym with dots", "the U.S. said", words({"us"}), "the [U.S]. said"},
      {"no match", "nothing here", words({"absent"}), "nothing here"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    CHECK(marked(c.text, c.query) == c.expected);
  }
}

TEST_CASE("highlight offsets count code points in non-ASCII text", "[highlight]") {
  static const quire::Stemmer stem;
  // "Zürich’s “sanctions”": ü, ’ and “ are one code point each.
  const std::string text = "Z\xC3\xBCrich\xE2\x80\x99s \xE2\x80\x9Csanctions\xE2\x80\x9D";
  const auto spans = quire::highlight(text, stems({"sanction"}), stem);
  REQUIRE(spans.size() == 1);
  CHECK(spans[0] == quire::Span{10, 19});
}

TEST_CASE("overlapping phrases merge into one span", "[highlight]") {
  static const quire::Stemmer stem;
  quire::HighlightQuery q;
  q.phrases = {{"a", "b"}, {"b", "c"}};
  CHECK(quire::highlight("a b c", q, stem) == std::vector<quire::Span>{{0, 5}});
}

TEST_CASE("a stem memo kept across passages and queries highlights what the stemmer does", "[highlight]") {
  static const quire::Stemmer stem;
  // A memo of 3 words, so that the texts below overflow it and it starts again mid-way.
  quire::StemCache small(stem, 3);
  quire::StemCache large(stem);
  struct Case {
    std::string text;
    quire::HighlightQuery query;
  };
  const Case cases[] = {
      {"New sanctions were sanctioned; sanctioning goes on.", stems({"sanction"})},
      {"Developing countries and the developed country, development", stems({"develop", "countri"})},
      {"sanctions sanctions sanctions", stems({"sanction"})},
      {"Nations united: the united nations and a nation", stems({"nation", "unit"})},
      {"generously generous generosity", stems({"generous"})},
      {"Z\xC3\xBCrich\xE2\x80\x99s banks, banking, banked", stems({"bank"})},
      {"nothing to see", stems({"absent"})},
  };
  // Twice over, so that the second round reads stems the memo already holds.
  for (int round = 0; round < 2; ++round) {
    for (const auto& c : cases) {
      CAPTURE(round, c.text);
      const auto expected = quire::highlight(c.text, c.query, stem);
      CHECK(quire::highlight(c.text, c.query, small) == expected);
      CHECK(quire::highlight(c.text, c.query, large) == expected);
      CHECK(small.size() <= 3);
    }
  }
  CHECK(large.size() > 3);
  for (const std::string w : {"sanctions", "countries", "generously", "nations", "banking", "the"}) {
    CAPTURE(w);
    CHECK(small(w) == stem(w));
    CHECK(large(w) == stem(w));
  }
}

TEST_CASE("HTML output escapes document text inside and outside highlights", "[html]") {
  const std::string text = "<script>alert(\"x\")</script> & 'China' <b>corridor</b>";
  // Highlight "China" (code points 31-36) and a span that covers markup, "<b>corridor</b>" (38-53).
  const std::vector<quire::Span> spans = {{31, 36}, {38, 53}};
  const std::string html = quire::highlighted_html(text, spans);
  CHECK(html ==
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;<mark>China</mark>&#39; "
        "<mark>&lt;b&gt;corridor&lt;/b&gt;</mark>");
  CHECK(html.find("<script") == std::string::npos);
  CHECK(quire::html_escape("a<b>&\"'") == "a&lt;b&gt;&amp;&quot;&#39;");
  // Overlapping or out-of-range spans never produce unbalanced markup.
  const std::string odd = quire::highlighted_html("abc<def", {{1, 3}, {2, 5}, {9, 12}});
  CHECK(odd == "a<mark>bc</mark>&lt;def");
}
