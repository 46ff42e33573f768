// The HTML reader: metadata precedence, furniture dropped and article text kept, dates, encodings,
// broken markup. One table per behaviour.
#include <algorithm>
#include <catch2/catch.hpp>

#include "quire/errors.h"
#include "quire/html_reader.h"
#include "quire/text_cleaner.h"
#include "support.h"

using quire::extract_html;

namespace {

// A page with `head` in its <head> and an article of three prose paragraphs.
std::string page(const std::string& head, const std::string& body_extra = "") {
  return "<!DOCTYPE html><html><head>" + head +
         "</head><body><article><h1>Headline of the page</h1>"
         "<p>The first paragraph of the article says something of substance, with a comma.</p>"
         "<p>The second paragraph goes on about the same subject at some length, as articles do.</p>"
         "<p>The third paragraph closes the argument and leaves the reader with a thought.</p>" +
         body_extra + "</article></body></html>";
}

std::string all_text(const quire::HtmlContent& c) {
  std::string out;
  for (const auto& b : c.blocks) out += b.text + "\n";
  return out;
}

std::string ld(const std::string& json) { return "<script type=\"application/ld+json\">" + json + "</script>"; }

}  // namespace

TEST_CASE("HTML metadata: JSON-LD, then citation_*, then Dublin Core, then Open Graph, then <title>", "[html]") {
  struct Case {
    const char* name;
    std::string head;
    std::string title, date, url;
    std::vector<std::string> authors;
  };
  const std::string citation =
      "<meta name=\"citation_title\" content=\"Citation title\">"
      "<meta name=\"citation_author\" content=\"Roe, Jane\"><meta name=\"citation_author\" content=\"Doe, John\">"
      "<meta name=\"citation_publication_date\" content=\"2018/04/09\">";
  const std::string dc =
      "<meta name=\"DC.title\" content=\"DC title\"><meta name=\"DC.creator\" content=\"Dee Creator\">"
      "<meta name=\"dcterms.date\" content=\"2017-02\">";
  const std::string og =
      "<meta property=\"og:title\" content=\"OG title\"><meta property=\"og:url\" content=\"https://og.example/x\">"
      "<meta property=\"article:published_time\" content=\"2016-01-02T10:00:00Z\">"
      "<meta property=\"article:author\" content=\"https://facebook.com/someone\">";
  const std::string title = "<title>Tag title</title>";
  const std::string json =
      ld(R"({"@type": "NewsArticle", "headline": "LD headline", "datePublished": "2019-11-18T09:30:00Z",
      "author": [{"@type": "Person", "name": "Ada Lovelace"}, {"name": "By Alan Turing"}]})");
  const Case cases[] = {
      {"JSON-LD first",
       json + citation + dc + og + title,
       "LD headline",
       "2019-11-18",
       "https://og.example/x",
       {"Ada Lovelace", "Alan Turing"}},
      {"JSON-LD inside @graph, beside a WebSite",
       ld(R"({"@context": "https://schema.org", "@graph": [{"@type": "WebSite", "name": "Site"},
            {"@type": ["ScholarlyArticle"], "name": "Graph article", "datePublished": "2020-03"}]})") +
           title,
       "Graph article",
       "2020-03",
       "",
       {}},
      {"JSON-LD of another type is not the article",
       ld(R"({"@type": "Organization", "name": "Org name"})") + citation + title,
       "Citation title",
       "2018-04-09",
       "",
       {"Jane Roe", "John Doe"}},
      {"broken JSON-LD is skipped",
       ld(R"({"@type": "Article", "headline": )") + citation,
       "Citation title",
       "2018-04-09",
       "",
       {"Jane Roe", "John Doe"}},
      {"JSON-LD with raw line breaks inside a string",
       ld("{\"@type\": \"Article\", \"headline\": \"Two\nlines\"}") + title,
       "Two lines",
       "",
       "",
       {}},
      {"citation_* before Dublin Core",
       citation + dc + og + title,
       "Citation title",
       "2018-04-09",
       "https://og.example/x",
       {"Jane Roe", "John Doe"}},
      {"Dublin Core before Open Graph",
       dc + og + title,
       "DC title",
       "2017-02",
       "https://og.example/x",
       {"Dee Creator"}},
      {"Open Graph before <title>; an author that is a URL is not a name",
       og + title,
       "OG title",
       "2016-01-02",
       "https://og.example/x",
       {}},
      {"<title> alone, the site's name cut when Open Graph names it",
       "<title>Real headline | The Site</title><meta property=\"og:site_name\" content=\"The Site\">",
       "Real headline",
       "",
       "",
       {}},
      {"canonical link before og:url",
       og + "<link rel=\"canonical\" href=\"https://example.org/canonical\">",
       "OG title",
       "2016-01-02",
       "https://example.org/canonical",
       {}},
      {"nothing stated: nothing invented", "", "", "", "", {}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    const auto r = extract_html(page(c.head));
    CHECK(r.meta.title == c.title);
    CHECK(r.meta.date == c.date);
    CHECK(r.meta.url == c.url);
    CHECK(r.meta.authors == c.authors);
  }
}

TEST_CASE("HTML main content: the article's text, headings and quotes kept, furniture dropped", "[html]") {
  const std::string bytes = quire::test::read_file(quire::test::source_dir() + "/tests/data/html/article.html");
  const auto r = extract_html(bytes);
  const std::string text = all_text(r);
  struct Case {
    const char* what;
    const char* needle;
    bool kept;
  };
  const Case cases[] = {
      {"first paragraph", "Eleven dams now stand on the main stream", true},
      {"entity decoded", "\xE2\x80\x9Clate, partial and sometimes wrong\xE2\x80\x9D", true},
      {"sub-heading", "A commission without teeth", true},
      {"block quote", "We are asked to manage a river", true},
      {"last paragraph", "Negotiators meet again in Vientiane", true},
      {"headline (it is the title)", "Headline", false},
      {"cookie banner", "cookies", false},
      {"navigation", "About us", false},
      {"byline", "By Mai Tran", false},
      {"share bar", "Share on", false},
      {"advertisement label", "Advertisement", false},
      {"hidden element", "Hidden text", false},
      {"related-articles list", "Drought grips", false},
      {"related heading", "Related stories", false},
      {"comments", "reader comment", false},
      {"comments heading", "3 comments", false},
      {"sidebar", "sidebar blurb", false},
      {"footer", "All rights reserved", false},
      {"script", "script text", false},
  };
  for (const auto& c : cases) {
    CAPTURE(c.what, text);
    CHECK((text.find(c.needle) != std::string::npos) == c.kept);
  }
  REQUIRE(r.blocks.size() == 6);
  CHECK(r.blocks[2].kind == quire::BlockKind::kHeading);
  CHECK(r.meta.title == "Dams and Diplomacy on the Mekong");
  CHECK(r.meta.publisher == "River Watch Media");
  CHECK(r.meta.url == "https://example.org/mekong-dams");
  CHECK(r.meta.language == "en");
}

TEST_CASE("HTML main content: furniture named by class or id inside the article is dropped", "[html]") {
  struct Case {
    const char* name;
    std::string extra;
    const char* gone;
  };
  const Case cases[] = {
      {"share widget", "<div class=\"social-share\"><p>Share this article with your friends, it is great.</p></div>",
       "Share this"},
      {"newsletter box",
       "<div class=\"newsletter-signup\"><p>Get our daily briefing, every morning, in your inbox now.</p></div>",
       "daily briefing"},
      {"comment under a content class",
       "<div class=\"comment-body\"><p>A reader writes a long comment here, with opinions, at length.</p></div>",
       "reader writes"},
      {"list of links",
       "<ul><li><a href=/1>One linked story title</a></li><li><a href=/2>Another linked story</a></li></ul>",
       "linked story"},
      {"aside pull quote", "<aside><p>A pull quote, set apart from the text, as magazines like to do.</p></aside>",
       "pull quote"},
      {"display:none", "<p style=\"display: none\">Invisible paragraph of text, with a comma, never shown.</p>",
       "Invisible"},
      {"boilerplate line", "<p>Sign up for our newsletter</p>", "Sign up"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    const std::string text = all_text(extract_html(page("", c.extra)));
    CAPTURE(text);
    CHECK(text.find("The first paragraph of the article") != std::string::npos);
    CHECK(text.find("The third paragraph closes") != std::string::npos);
    CHECK(text.find(c.gone) == std::string::npos);
  }
}

TEST_CASE("HTML main content: a wrapper whose class names furniture still gives its article", "[html]") {
  // A layout wrapper named after a sidebar (or a form around the whole page, as ASP.NET pages have)
  // holds the article: it is not furniture.
  for (const std::string& open :
       {std::string("<div class=\"page-with-sidebar\">"), std::string("<form id=\"aspnetForm\">")}) {
    CAPTURE(open);
    const std::string html =
        "<html><body>" + open +
        "<p>The first paragraph of the article says something of substance, with a comma.</p>"
        "<p>The second paragraph goes on about the same subject at some length, as articles do.</p>"
        "</" +
        (open[1] == 'd' ? std::string("div") : std::string("form")) + "></body></html>";
    const std::string text = all_text(extract_html(html));
    CHECK(text.find("The first paragraph") != std::string::npos);
    CHECK(text.find("The second paragraph") != std::string::npos);
  }
}

TEST_CASE("HTML input: encodings, broken markup and pages without text", "[html]") {
  struct Case {
    const char* name;
    std::string bytes;
    const char* expect;  // in the text, or "" for no blocks
  };
  const std::string prose = " paragraph of the article says something of substance, with a comma.";
  const Case cases[] = {
      {"Windows-1252 declared", "<html><head><meta charset=\"windows-1252\"></head><body><p>Caf\xE9" + prose + "</p>",
       "Caf\xC3\xA9 paragraph"},
      {"UTF-8 undeclared", "<p>Caf\xC3\xA9" + prose + "</p>", "Caf\xC3\xA9 paragraph"},
      {"unclosed tags", "<div><p>First" + prose + "<p>Second" + prose, "Second paragraph"},
      {"no html or body", "<p>Bare" + prose + "</p>", "Bare paragraph"},
      {"CJK prose without spaces",
       "<p>\xE5\x85\x88\xE6\x97\xA5\xE3\x80\x81\xE4\xB8\x8D\xE6\xAD\xA3\xE3\x81\xAB\xE6\x94\xB9\xE9\x80\xA0\xE3\x81"
       "\x97\xE3\x81\x9F\xE3\x82\xA2\xE3\x82\xA4\xE3\x83\x95\xE3\x82\xA9\xE3\x83\xB3\xE3\x82\x92\xE8\xB2\xA9\xE5\xA3"
       "\xB2\xE3\x81\x97\xE3\x81\x9F\xE3\x81\xA8\xE3\x81\x97\xE3\x81\xA6\xE3\x80\x81\xE5\x95\x86\xE6\xA8\x99\xE6\xB3"
       "\x95\xE9\x81\x95\xE5\x8F\x8D\xE3\x81\xAE\xE7\x96\x91\xE3\x81\x84\xE3\x81\xA7\xE9\x80\xAE\xE6\x8D\x95\xE3\x80"
       "\x82"
       "\xE5\x85\x88\xE6\x97\xA5\xE3\x80\x81\xE4\xB8\x8D\xE6\xAD\xA3\xE3\x81\xAB\xE6\x94\xB9\xE9\x80\xA0\xE3\x81"
       "\x97\xE3\x81\x9F\xE3\x82\xA2\xE3\x82\xA4\xE3\x83\x95\xE3\x82\xA9\xE3\x83\xB3\xE3\x82\x92\xE8\xB2\xA9\xE5\xA3"
       "\xB2\xE3\x81\x97\xE3\x81\x9F\xE3\x81\xA8\xE3\x81\x97\xE3\x81\xA6\xE3\x80\x81\xE5\x95\x86\xE6\xA8\x99\xE6\xB3"
       "\x95\xE9\x81\x95\xE5\x8F\x8D\xE3\x81\xAE\xE7\x96\x91\xE3\x81\x84\xE3\x81\xA7\xE9\x80\xAE\xE6\x8D\x95\xE3\x80"
       "\x82</p><ul><li><a href=/>HOME</a></li></ul>",
       "\xE5\x85\x88\xE6\x97\xA5"},
      {"empty", "", ""},
      {"only scripts and styles", "<html><script>var x = 'text';</script><style>p{}</style></html>", ""},
      {"only navigation", "<nav><a href=/a>Home</a> <a href=/b>News</a></nav>", ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    const auto r = extract_html(c.bytes);
    const std::string text = all_text(r);
    CAPTURE(text);
    if (std::string(c.expect).empty()) {
      CHECK(r.blocks.empty());
    } else {
      CHECK(text.find(c.expect) != std::string::npos);
    }
  }
}

TEST_CASE("HTML input built to hurt: deep JSON-LD, huge words, thousands of paragraphs", "[html]") {
  const std::string prose = "Text of the page, with a comma, and enough words to be prose here.";
  std::string many = "<html><body>";
  for (int i = 0; i < 20000; ++i)
    many += "<p>Paragraph " + std::to_string(i) + " of a long page, with a comma, and words.</p>";
  struct Case {
    const char* name;
    std::string bytes;
    std::size_t blocks;
    const char* note;  // in the notes, or ""
  };
  const Case cases[] = {
      {"JSON-LD nested 100,000 deep is skipped",
       "<script type=\"application/ld+json\">{\"@type\": \"Article\", \"author\": " + std::string(100000, '[') +
           std::string(100000, ']') + "}</script><p>" + prose + "</p>",
       1, ""},
      {"a 2 MB word is shortened", "<p>" + prose + " " + std::string(2000000, 'y') + "</p>", 1, "shortened"},
      {"a 'related' heading of 2 MB",
       "<p>" + prose + "</p><h2>related " + std::string(2000000, 'x') +
           "</h2><p>A different closing paragraph, with a comma, and several more words.</p>",
       3, "shortened"},
      {"20,000 paragraphs (repeats found by hash, not by pairs)", many + "</body></html>", 20000, ""},
      {"elements nested deeper than libxml2 goes", std::string(100000, '<') + "div>", 0, ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    const auto r = extract_html(c.bytes);
    CHECK(r.blocks.size() == c.blocks);
    std::string notes;
    for (const auto& n : r.notes) notes += n;
    CHECK_THAT(notes, Catch::Contains(c.note));
    std::size_t longest = 0;
    for (const auto& b : r.blocks) {
      for (std::size_t i = 0, run = 0; i < b.text.size(); ++i) {
        run = b.text[i] == ' ' ? 0 : run + 1;
        longest = std::max(longest, run);
      }
    }
    CHECK(longest <= quire::kLongestWordKept + 3);  // + the "…" marking the cut
  }
  // A sentence in a script written without spaces is a long run of bytes, not a word: it is kept whole.
  std::string han;
  for (int i = 0; i < 150; ++i) han += "\xE6\xBC\xA2";
  const auto r = extract_html("<p>" + han + "\xE3\x80\x82</p>");
  REQUIRE(r.blocks.size() == 1);
  CHECK(r.blocks[0].text == han + "\xE3\x80\x82");
  CHECK(r.notes.empty());
}

TEST_CASE("HTML reader: a page with no text is an error naming the file", "[html]") {
  try {
    quire::read_html_document("empty.html", "<html><body><nav><a href=/>Home</a></nav></body></html>");
    FAIL("no error");
  } catch (const quire::InputError& e) {
    CHECK(e.path() == "empty.html");
    CHECK_THAT(e.reason(), Catch::Contains("no text"));
  }
  const auto r = quire::read_html_document("dir/page.htm", page(ld(R"({"@type": "Article", "headline": "H"})")));
  CHECK(r.document.meta.id == "page");
  CHECK(r.document.meta.path == "dir/page.htm");
  REQUIRE(!r.document.sections.empty());
  CHECK(r.document.sections[0].paragraphs.size() == 3);
}

TEST_CASE("HTML chapters (EPUB) keep every visible block, furniture tags included", "[html]") {
  quire::HtmlOptions o;
  o.main_content = false;
  const auto r = extract_html(
      "<html><body><h1>Chapter</h1><p>Short.</p><nav><p>A nav in a book.</p></nav>"
      "<script>x</script></body></html>",
      o);
  REQUIRE(r.blocks.size() == 3);
  CHECK(r.blocks[0].kind == quire::BlockKind::kHeading);
  CHECK(r.blocks[1].text == "Short.");
  CHECK(r.blocks[2].text == "A nav in a book.");
}

TEST_CASE("page dates normalise to YYYY-MM-DD, YYYY-MM or YYYY", "[html]") {
  struct Case {
    const char* in;
    const char* out;
  };
  const Case cases[] = {
      {"2019-11-18T09:30:00Z", "2019-11-18"},
      {"2019-11-18", "2019-11-18"},
      {"2019/11/18", "2019-11-18"},
      {"20191118", "2019-11-18"},
      {"2019-11", "2019-11"},
      {"2019", "2019"},
      {"November 18, 2019", "2019-11-18"},
      {"18 November 2019", "2019-11-18"},
      {"2019-13-45", ""},
      {"not a date", ""},
      {"", ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.in);
    CHECK(quire::normalise_page_date(c.in) == c.out);
  }
}
