// DOCX, ODT and EPUB: the hand-made fixtures in tests/data/office/, and damaged or hostile archives
// built here with libzip (zip bombs, too many entries, missing parts, encryption).
#include <zip.h>

#include <catch2/catch.hpp>

#include "quire/errors.h"
#include "quire/office_reader.h"
#include "quire/reader_registry.h"
#include "support.h"

namespace {

std::string fixture(const std::string& name) {
  return quire::test::read_file(quire::test::source_dir() + "/tests/data/office/" + name);
}

struct Entry {
  std::string name;
  std::string data;
  bool encrypt = false;
};

// A zip archive holding `entries`, as bytes.
std::string make_zip(const std::vector<Entry>& entries) {
  quire::test::TempDir dir;
  const std::string path = dir.path() + "/a.zip";
  int err = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
  REQUIRE(z != nullptr);
  for (const auto& e : entries) {
    zip_source_t* s = zip_source_buffer(z, e.data.data(), e.data.size(), 0);
    REQUIRE(s != nullptr);
    const zip_int64_t i = zip_file_add(z, e.name.c_str(), s, ZIP_FL_OVERWRITE);
    REQUIRE(i >= 0);
    if (e.encrypt) REQUIRE(zip_file_set_encryption(z, static_cast<zip_uint64_t>(i), ZIP_EM_AES_256, "secret") == 0);
  }
  REQUIRE(zip_close(z) == 0);
  return quire::test::read_file(path);
}

std::string text_of(const quire::Document& d) {
  std::string out;
  for (const auto& s : d.sections) {
    if (!s.heading.empty()) out += "# " + s.heading + "\n";
    for (const auto& p : s.paragraphs) out += p + "\n";
  }
  return out;
}

std::string error_of(quire::ReadResult (*read)(const std::string&, const std::string&), const std::string& bytes) {
  try {
    read("doc.bin", bytes);
  } catch (const quire::InputError& e) {
    CHECK(e.path() == "doc.bin");
    return e.reason();
  }
  return "";
}

const char* const kDocxBody =
    "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>"
    "<w:p><w:r><w:t>Hello.</w:t></w:r></w:p></w:body></w:document>";

}  // namespace

TEST_CASE("DOCX: headings by style (also localised style ids) and outline level, paragraphs, core properties",
          "[office]") {
  const auto r = quire::read_docx_document("dir/report.docx", fixture("report.docx"));
  CHECK(text_of(r.document) ==
        "# Water Policy Review\n"
        "# Findings\n"
        "The basin authority rationed water in 2019.\n"  // deleted text and the footnote mark left out
        "Farmers called it \xE2\x80\x9C"
        "a slow drought of rules\xE2\x80\x9D.\n"
        "Table cell about reservoir levels.\n"
        "# Outlook\n"
        "Linked text stays in its sentence.\n");
  const auto& m = r.document.meta;
  CHECK(m.id == "report");
  CHECK(m.title == "Water Policy Review");
  CHECK(m.authors == std::vector<std::string>{"Jane Roe", "John Doe"});
  CHECK(m.date == "2021-03-04");
  CHECK(m.language == "en");
}

TEST_CASE("ODT: headings, paragraphs, lists and tables in order, notes left out, meta.xml", "[office]") {
  const auto r = quire::read_odt_document("minutes.odt", fixture("minutes.odt"));
  CHECK(text_of(r.document) ==
        "# Session one\n"
        "The committee agreed on the budget after midnight.\n"
        "Item about ferry subsidies.\n"
        "Cell on harbour fees.\n"
        "# Session two\n"
        "Nothing was decided.\n");
  const auto& m = r.document.meta;
  CHECK(m.title == "Harbour Committee Minutes");
  CHECK(m.authors == std::vector<std::string>{"Ann Author"});  // the initial creator, not the last editor
  CHECK(m.date == "2020-01-02");
}

TEST_CASE("EPUB: one section per chapter in spine order, through the HTML reader, with OPF metadata", "[office]") {
  const auto r = quire::read_epub_document("book.epub", fixture("book.epub"));
  const auto& s = r.document.sections;
  REQUIRE(s.size() == 2);  // the cover has no text
  CHECK(s[0].heading == "The Source");
  CHECK(s[0].paragraphs == std::vector<std::string>{"The river began in a quiet valley.", "A spring",
                                                    "Its first spring was called Fonte."});
  CHECK(s[1].heading == "The Delta");  // "ch%202.xhtml" in the manifest is "ch 2.xhtml" in the archive
  const auto& m = r.document.meta;
  CHECK(m.title == "Rivers and Rules");
  CHECK(m.authors == std::vector<std::string>{"Bo Writer"});
  CHECK(m.publisher == "Delta Press");
  CHECK(m.date == "2019-06");
}

TEST_CASE("the registry reads office files by content, whatever their name", "[office]") {
  const auto& reg = quire::ReaderRegistry::builtin();
  struct Case {
    const char* fixture;
    const char* named;
    const char* title;
  };
  const Case cases[] = {{"report.docx", "x.docx", "Water Policy Review"},
                        {"minutes.odt", "renamed.zip", "Harbour Committee Minutes"},
                        {"book.epub", "book.epub", "Rivers and Rules"}};
  for (const auto& c : cases) {
    CAPTURE(c.fixture, c.named);
    CHECK(reg.read(c.named, fixture(c.fixture)).document.meta.title == c.title);
  }
}

TEST_CASE("office archives that are damaged or hostile are refused with a reason", "[office]") {
  struct Case {
    const char* name;
    quire::ReadResult (*read)(const std::string&, const std::string&);
    std::string bytes;
    const char* reason;
  };
  const std::string zeros(quire::kMaxEntryBytes + 1, '\0');  // compresses to a few KB
  std::vector<Entry> many;
  for (std::size_t i = 0; i <= quire::kMaxZipEntries; ++i) many.push_back({"f" + std::to_string(i), ""});
  const Case cases[] = {
      {"not a zip", quire::read_docx_document, "plain text, not an archive", "not a readable Word document"},
      {"truncated zip", quire::read_odt_document, fixture("minutes.odt").substr(0, 300),
       "not a readable OpenDocument text"},
      {"zip without the document part", quire::read_docx_document, make_zip({{"word/other.xml", "<x/>"}}),
       "no word/document.xml"},
      {"malformed XML", quire::read_docx_document, make_zip({{"word/document.xml", "<w:document><w:body>"}}),
       "word/document.xml is not well-formed XML"},
      {"zip bomb: one part past the bound", quire::read_docx_document, make_zip({{"word/document.xml", zeros}}),
       "(a zip bomb?)"},
      {"too many entries", quire::read_odt_document, make_zip(many), "entries, more than"},
      {"encrypted part", quire::read_docx_document, make_zip({{"word/document.xml", kDocxBody, true}}), "encrypted"},
      {"ODT without office:text", quire::read_odt_document, make_zip({{"content.xml", "<a/>"}}), "no <office:text>"},
      {"EPUB without container.xml", quire::read_epub_document, make_zip({{"mimetype", "application/epub+zip"}}),
       "no META-INF/container.xml"},
      {"DOCX without text", quire::read_docx_document,
       make_zip({{"word/document.xml", "<w:document xmlns:w=\"x\"><w:body><w:p/></w:body></w:document>"}}),
       "no text to index"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    CHECK_THAT(error_of(c.read, c.bytes), Catch::Contains(c.reason));
  }
}

TEST_CASE("EPUB: a chapter the spine names many times is read once", "[office]") {
  std::string spine;
  for (int i = 0; i < 3000; ++i) spine += "<itemref idref=\"a\"/>";
  const std::string epub = make_zip({
      {"mimetype", "application/epub+zip"},
      {"META-INF/container.xml", "<container><rootfiles><rootfile full-path=\"p.opf\"/></rootfiles></container>"},
      {"p.opf",
       "<package><manifest><item id=\"a\" href=\"a.html\"/><item id=\"b\" href=\"gone.html\"/></manifest>"
       "<spine>" +
           spine + "<itemref idref=\"b\"/></spine></package>"},
      {"a.html", "<p>" + std::string(1 << 20, 'w') + " once.</p>"},
  });
  const auto r = quire::read_epub_document("b.epub", epub);
  CHECK(r.document.sections.size() == 1);
  REQUIRE(r.warnings.size() == 1);
  CHECK_THAT(r.warnings[0], Catch::Contains("1 chapter(s) of the spine are missing"));
}

TEST_CASE("DOCX, ODT and EPUB store no C1 control: references and undeclared Windows-1252 chapters",
          "[office][rt11i]") {
  const std::string said = "said &#x93;we&#x94; would never accept it, a long paragraph of body text kept here.";
  const std::string container = "<container><rootfiles><rootfile full-path=\"p.opf\"/></rootfiles></container>";
  const std::string opf =
      "<package><manifest><item id=\"a\" href=\"a.html\"/></manifest><spine><itemref idref=\"a\"/></spine></package>";
  const struct {
    const char* path;
    std::string bytes;
  } cases[] = {
      {"a.docx", make_zip({{"word/document.xml",
                            "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
                            "<w:body><w:p><w:r><w:t>" +
                                said + "</w:t></w:r></w:p></w:body></w:document>"}})},
      {"b.odt", make_zip({{"content.xml",
                           "<office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
                           "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\"><office:body><office:text>"
                           "<text:p>" +
                               said + "</text:p></office:text></office:body></office:document-content>"}})},
      {"c.epub", make_zip({{"mimetype", "application/epub+zip"},
                           {"META-INF/container.xml", container},
                           {"p.opf", opf},
                           {"a.html", "<html><body><p>" + said + "</p></body></html>"}})},
      {"d.epub", make_zip({{"mimetype", "application/epub+zip"},
                           {"META-INF/container.xml", container},
                           {"p.opf", opf},
                           {"a.html",
                            "<html><body><p>said \x93we\x94 would never accept it, a long paragraph of "
                            "body text kept here.</p></body></html>"}})},
  };
  for (const auto& c : cases) {
    CAPTURE(c.path);
    const quire::ReadResult r = quire::ReaderRegistry::builtin().read(c.path, c.bytes);
    const std::string text = text_of(r.document);
    CAPTURE(text);
    CHECK(text.find("\xC2\x93") == std::string::npos);
    CHECK(text.find("said \xE2\x80\x9Cwe\xE2\x80\x9D") != std::string::npos);
  }
}
