// The XML reader's errors (file, line, reason) and round trip, and the text reader's handling.
#include <catch2/catch.hpp>

#include "quire/errors.h"
#include "quire/readers.h"

namespace {

const char* const kGood =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<document version=\"1\" id=\"doc-1\">\n"
    "  <meta>\n"
    "    <title devised=\"true\">A devised title</title>\n"
    "    <authors><author>Jane Roe</author><author>John Doe</author></authors>\n"
    "    <publisher>Institute &amp; Co</publisher>\n"
    "    <date>2024-07</date>\n"
    "  </meta>\n"
    "  <body>\n"
    "    <section><heading>Intro</heading>\n"
    "      <p>First   paragraph,\n   wrapped in the file.</p>\n"
    "      <p>Second.</p>\n"
    "    </section>\n"
    "  </body>\n"
    "</document>\n";

// The InputError message for `xml`, or "" if it reads.
std::string error_of(const std::string& xml) {
  try {
    quire::read_xml_document("f.xml", xml);
  } catch (const quire::InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("XML reader reads metadata and paragraphs, collapsing layout white space", "[xml]") {
  const auto r = quire::read_xml_document("f.xml", kGood);
  const auto& d = r.document;
  CHECK(d.meta.id == "doc-1");
  CHECK(d.meta.title == "A devised title");
  CHECK(d.meta.title_devised);
  CHECK(d.meta.authors == std::vector<std::string>{"Jane Roe", "John Doe"});
  CHECK(d.meta.publisher == "Institute & Co");
  CHECK(d.meta.date == "2024-07");
  REQUIRE(d.sections.size() == 1);
  CHECK(d.sections[0].heading == "Intro");
  CHECK(d.sections[0].paragraphs == std::vector<std::string>{"First paragraph, wrapped in the file.", "Second."});
  CHECK(r.warnings.empty());
}

TEST_CASE("XML reader names the file, the line and what is wrong", "[xml]") {
  const std::string good = kGood;
  const auto replace = [&good](const std::string& from, const std::string& to) {
    std::string s = good;
    s.replace(s.find(from), from.size(), to);
    return s;
  };
  struct Case {
    std::string name, xml, message;
  };
  const Case cases[] = {
      {"truncated", good.substr(0, good.size() / 2), "f.xml:"},
      {"not well-formed", replace("<p>Second.</p>", "<p>Second.</q>"), "f.xml:13: not well-formed XML"},
      {"foreign root", "<html><body/></html>", "f.xml:1: root element is <html>, expected <document>"},
      {"missing id", replace(" id=\"doc-1\"", ""), "f.xml:2: missing or invalid id"},
      {"unknown meta field", replace("<date>", "<colour>red</colour><date>"),
       "f.xml:7: unexpected element <colour> in <meta>"},
      {"element inside a paragraph", replace("<p>Second.</p>", "<p>Sec<b>ond</b>.</p>"),
       "f.xml:13: unexpected element <b> inside <p>"},
      {"no paragraphs", replace("<p>Second.</p>", "").replace(good.find("<p>First"), 0, ""), ""},
      {"heading after a paragraph", replace("<p>Second.</p>", "<p>Second.</p><heading>Late</heading>"),
       "f.xml:13: <heading> must come once"},
      {"field twice", replace("<date>", "<date>2020</date><date>"), "f.xml:7: <date> given twice"},
      {"other version", replace("version=\"1\" id", "version=\"2\" id"),
       "f.xml:2: unsupported document format version \"2\""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    if (c.name == "no paragraphs") {
      std::string s = "<document id=\"x\"><meta/><body><section><heading>H</heading></section></body></document>";
      CHECK(error_of(s) == "f.xml:1: the document has no paragraphs");
      continue;
    }
    const std::string err = error_of(c.xml);
    CHECK(err.rfind(c.message, 0) == 0);
  }
}

TEST_CASE("XML reader leaves out a date that is not one, with a warning naming the line", "[xml]") {
  std::string xml = kGood;
  xml.replace(xml.find("2024-07"), 7, "July 2024");
  const auto r = quire::read_xml_document("f.xml", xml);
  CHECK(r.document.meta.date.empty());
  REQUIRE(r.warnings.size() == 1);
  CHECK(r.warnings[0] ==
        "line 7: date \"July 2024\" is not YYYY, YYYY-MM or YYYY-MM-DD; the document is indexed without a date");
}

TEST_CASE("XML with a DTD or entity declarations is rejected, never expanded", "[xml]") {
  const std::string xml =
      "<!DOCTYPE d [<!ENTITY x \"boom\">]>\n<document "
      "id=\"a\"><meta/><body><section><p>&x;</p></section></body></document>";
  CHECK(error_of(xml) == "f.xml:1: document type declarations (<!DOCTYPE ...>) are not allowed");
}

TEST_CASE("write_xml_document output reads back to the same document", "[xml]") {
  const auto first = quire::read_xml_document("f.xml", kGood).document;
  const std::string xml = quire::write_xml_document(first);
  const auto second = quire::read_xml_document("f.xml", xml).document;
  CHECK(second.meta.id == first.meta.id);
  CHECK(second.meta.title == first.meta.title);
  CHECK(second.meta.title_devised == first.meta.title_devised);
  CHECK(second.meta.authors == first.meta.authors);
  CHECK(second.meta.publisher == first.meta.publisher);
  CHECK(second.sections.size() == first.sections.size());
  CHECK(second.sections[0].paragraphs == first.sections[0].paragraphs);
}

TEST_CASE("text reader: id from the file name, bad bytes repaired and reported, binaries refused", "[text]") {
  const auto r =
      quire::read_text_document("/x/y/My Report.txt", "M\xFCnchen is a city in Bavaria, and this is a sentence.\n");
  CHECK(r.document.meta.id == "My_Report");  // id_from_name(): the id `quire index` gives (rt11h row 4)
  // Not UTF-8 at all: read as Windows-1252, so 0xFC is ü.
  REQUIRE(r.warnings.size() == 1);
  CHECK(r.warnings[0] == "not UTF-8: read as Windows-1252 (Latin-1)");
  CHECK(r.document.sections.at(0).paragraphs.at(0).rfind("M\xC3\xBCnchen", 0) == 0);
  // UTF-8 with a damaged byte: the byte is replaced, the rest kept.
  const auto damaged = quire::read_text_document(
      "d.txt", "Z\xC3\xBCrich and M\xFCnchen are cities, and this is a sentence about both of them.\n");
  REQUIRE(damaged.warnings.size() == 1);
  CHECK(damaged.warnings[0] == "1 invalid UTF-8 byte sequence(s) replaced with U+FFFD");
  CHECK(damaged.document.sections.at(0).paragraphs.at(0).find("M\xEF\xBF\xBDnchen") != std::string::npos);

  CHECK_THROWS_WITH(quire::read_text_document("b.txt", std::string("ab\0\0cd", 6)),
                    "b.txt: not text: the file holds binary data (NUL bytes in its first 8 KB), though its name ends in .txt");
  CHECK_THROWS_WITH(quire::read_text_document("e.txt", "  \n\n"),
                    "e.txt: no text to index (empty, or nothing left after cleaning)");
  CHECK_THROWS_WITH(quire::read_document("a.png", "\x89PNG\r\n"),
                    Catch::StartsWith("a.png: unsupported file type: binary data (PNG image) (.png)"));
}
