// The readers at the edges of their input: files that are not regular or too large, markup nested past
// libxml2's limits, huge text nodes, DTD internal subsets, UTF-16 without a byte order mark, Office
// markup-compatibility blocks and deep nesting, PDFDocEncoding, one-line pages of form-feed text,
// binary data under a text name, column order on PDF pages, and the one block -> section builder.
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "quire/errors.h"
#include "quire/files.h"
#include "quire/html_reader.h"
#include "quire/office_reader.h"
#include "quire/pdf_reader.h"
#include "quire/reader_registry.h"
#include "quire/readers.h"
#include "quire/utf8.h"
#include "support.h"

namespace {

std::string all_text(const quire::Document& d) {
  std::string out;
  for (const auto& s : d.sections) {
    if (!s.heading.empty()) out += "# " + s.heading + "\n";
    for (const auto& p : s.paragraphs) out += p + "\n";
  }
  return out;
}

std::string repeat(const std::string& s, std::size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

std::string reason_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const quire::InputError& e) {
    return e.what();
  }
  return "(no error)";
}

std::string zip_of(const std::vector<std::pair<std::string, std::string>>& entries) {
  quire::test::TempDir dir;
  const std::string path = dir.path() + "/a.zip";
  int err = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
  REQUIRE(z != nullptr);
  for (const auto& [name, data] : entries) {
    zip_source_t* s = zip_source_buffer(z, data.data(), data.size(), 0);
    REQUIRE(s != nullptr);
    REQUIRE(zip_file_add(z, name.c_str(), s, ZIP_FL_OVERWRITE) >= 0);
  }
  REQUIRE(zip_close(z) == 0);
  return quire::test::read_file(path);
}

std::string docx_of(const std::string& body_xml) {
  return zip_of({{"[Content_Types].xml", "<Types/>"},
                 {"word/document.xml",
                  "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" "
                  "xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\"><w:body>" +
                      body_xml + "</w:body></w:document>"}});
}

std::string odt_of(const std::string& text_xml) {
  return zip_of(
      {{"mimetype", "application/vnd.oasis.opendocument.text"},
       {"content.xml", "<office:document-content xmlns:office=\"o\" xmlns:text=\"t\"><office:body><office:text>" +
                           text_xml + "</office:text></office:body></office:document-content>"}});
}

std::string utf16(const std::string& ascii, bool little_endian) {
  std::string out;
  for (const char c : ascii) {
    if (little_endian) {
      out += c;
      out += '\0';
    } else {
      out += '\0';
      out += c;
    }
  }
  return out;
}

}  // namespace

TEST_CASE("read_whole_file refuses what is not a regular file, and files past the size bound, by name", "[files]") {
  quire::test::TempDir dir;
  const std::string fifo = dir.path() + "/pipe.txt";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  const std::string link = dir.path() + "/zero.txt";
  REQUIRE(::symlink("/dev/zero", link.c_str()) == 0);
  const std::string big = dir.write("big.txt", std::string(5000, 'a'));
  const std::string only = "; quire reads only regular files";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {fifo, fifo + ": not a regular file: it is a named pipe" + only},
      {"/dev/zero", "/dev/zero: not a regular file: it is a device" + only},
      {link, link + ": not a regular file: it is a device" + only},
      {dir.path(), dir.path() + ": not a regular file: it is a folder" + only},
      {big, big + ": file is 5000 bytes; the limit is 4000 bytes (--max-file-mb)"},
      {dir.path() + "/missing.txt", dir.path() + "/missing.txt: cannot open: No such file or directory"},
  };
  for (const auto& [path, message] : cases) {
    CAPTURE(path);
    CHECK(reason_of([&] { quire::read_whole_file(path, 4000); }) == message);
  }
  CHECK(quire::read_whole_file(big, 5000).size() == 5000);
  CHECK(quire::read_file_bytes(big, 5000).size() == 5000);
}

TEST_CASE("HTML nested past libxml2's 256 levels, or with a text node over 10 MB, loses no text", "[html]") {
  for (const std::size_t depth : {300u, 1000u, 20000u}) {
    CAPTURE(depth);
    const std::string page = "<html><body><p>Opening words of the page.</p>" + repeat("<div>", depth) +
                             "<p>Deep words at the bottom.</p>" + repeat("</div>", depth) +
                             "<p>Closing words after the nesting.</p></body></html>";
    const quire::HtmlContent c = quire::extract_html(page, quire::HtmlOptions{false});
    std::string text;
    for (const auto& b : c.blocks) text += b.text + "\n";
    CHECK_THAT(text, Catch::Contains("Opening words of the page."));
    CHECK_THAT(text, Catch::Contains("Deep words at the bottom."));
    CHECK_THAT(text, Catch::Contains("Closing words after the nesting."));
    for (const auto& n : c.notes) CHECK_THAT(n, !Catch::Contains("stopped before the end"));
    if (depth > 500) {
      REQUIRE(!c.notes.empty());
      CHECK_THAT(c.notes.back(), Catch::Contains("nested deeper than 500 levels"));
    }
  }
  const std::string huge = repeat("lorem ipsum ", 1000000);  // 12 MB in one text node
  const quire::HtmlContent c = quire::extract_html(
      "<html><body><p>" + huge + "final marker</p><p>After it.</p></body></html>", quire::HtmlOptions{false});
  std::size_t chars = 0;
  std::string text;
  for (const auto& b : c.blocks) {
    chars += b.text.size();
    if (b.text.size() < 1000) text += b.text;
  }
  CHECK(chars >= huge.size() - 1000);
  CHECK_THAT(c.blocks.at(0).text.substr(c.blocks.at(0).text.size() - 12), Catch::Equals("final marker"));
  CHECK_THAT(text, Catch::Contains("After it."));
}

TEST_CASE("a DTD's internal subset is not read as text (EPUB chapters, saved pages)", "[html]") {
  const std::vector<std::string> subsets = {
      "<!DOCTYPE html [ <!ENTITY nbsp \"&#160;\"> <!ENTITY copy \"&#169;\"> ]>",
      "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.1//EN\" \"http://www.w3.org/TR/xhtml11/DTD/xhtml11.dtd\" [\n"
      "  <!ENTITY gt2 \"a > b ] c\">\n  <!-- a comment with ]> inside -->\n  <!ATTLIST p id ID #IMPLIED>\n]>",
      "<?xml version=\"1.0\"?>\n<!DOCTYPE html [<!ELEMENT p ANY>]>",
  };
  for (const auto& subset : subsets) {
    CAPTURE(subset);
    const std::string page = subset + "<html><body><p>The chapter text begins here.</p></body></html>";
    const quire::HtmlContent c = quire::extract_html(page, quire::HtmlOptions{false});
    std::string text;
    for (const auto& b : c.blocks) text += b.text + "\n";
    CHECK(text == "The chapter text begins here.\n");
  }
  // In an EPUB, as the red team found it.
  const std::string epub = zip_of({
      {"mimetype", "application/epub+zip"},
      {"META-INF/container.xml", "<container><rootfiles><rootfile full-path=\"p.opf\"/></rootfiles></container>"},
      {"p.opf",
       "<package><manifest><item id=\"a\" href=\"a.xhtml\"/></manifest><spine><itemref idref=\"a\"/></spine>"
       "</package>"},
      {"a.xhtml",
       "<?xml version=\"1.0\"?>\n<!DOCTYPE html [ <!ENTITY secret \"SUBSETWORD\"> ]>\n"
       "<html xmlns=\"http://www.w3.org/1999/xhtml\"><body><h1>One</h1><p>Chapter words.</p></body></html>"},
  });
  const auto r = quire::read_epub_document("b.epub", epub);
  CHECK(all_text(r.document) == "# One\nChapter words.\n");
}

TEST_CASE("UTF-16 HTML and text without a byte order mark are recognised and read", "[html][registry]") {
  const std::string html =
      "<!DOCTYPE html><html><head><title>Sixteen</title></head><body><article><p>The "
      "delegates met in Geneva to agree on a text about water rights for farmers.</p>"
      "</article></body></html>";
  for (const bool le : {true, false}) {
    CAPTURE(le);
    const std::string bytes = utf16(html, le);
    CHECK(quire::sniff_content(bytes) == quire::ContentKind::kHtml);
    const auto r = quire::ReaderRegistry::builtin().read("page.html", bytes);
    CHECK_THAT(all_text(r.document), Catch::Contains("delegates met in Geneva"));
    CHECK(r.document.meta.title == "Sixteen");
    REQUIRE(!r.warnings.empty());
    CHECK_THAT(r.warnings[0], Catch::Contains("without a byte order mark"));
    // With a byte order mark: no warning.
    const auto with_bom = quire::ReaderRegistry::builtin().read(
        "page.html", (le ? std::string("\xFF\xFE") : std::string("\xFE\xFF")) + bytes);
    CHECK_THAT(all_text(with_bom.document), Catch::Contains("delegates met in Geneva"));
    CHECK(with_bom.warnings.empty());
  }
  const std::string text = utf16("Plain text saved by Notepad as Unicode, without a mark.\n", true);
  CHECK(quire::sniff_content(text) == quire::ContentKind::kText);
  CHECK_THAT(all_text(quire::ReaderRegistry::builtin().read("note.txt", text).document),
             Catch::Contains("saved by Notepad"));
}

TEST_CASE("DOCX markup compatibility: a text box in mc:Choice and mc:Fallback is read once", "[office]") {
  const std::string box = "<w:txbxContent><w:p><w:r><w:t>Boxed words.</w:t></w:r></w:p></w:txbxContent>";
  struct Case {
    const char* what;
    std::string body;
    std::string text;
  };
  const std::vector<Case> cases = {
      {"in a run",
       "<w:p><w:r><w:t>Before the box. </w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires=\"wps\">"
       "<w:drawing>" +
           box + "</w:drawing></mc:Choice><mc:Fallback><w:pict>" + box +
           "</w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>",
       "Before the box. Boxed words.\n"},
      {"between paragraphs",
       "<mc:AlternateContent><mc:Choice Requires=\"w14\"><w:p><w:r><w:t>Choice text.</w:t></w:r></w:p></mc:Choice>"
       "<mc:Fallback><w:p><w:r><w:t>Choice text.</w:t></w:r></w:p></mc:Fallback></mc:AlternateContent>"
       "<w:p><w:r><w:t>After.</w:t></w:r></w:p>",
       "Choice text.\nAfter.\n"},
      {"fallback only",
       "<w:p><w:r><mc:AlternateContent><mc:Fallback><w:t>Only the fallback.</w:t></mc:Fallback>"
       "</mc:AlternateContent></w:r></w:p>",
       "Only the fallback.\n"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.what);
    CHECK(all_text(quire::read_docx_document("a.docx", docx_of(c.body)).document) == c.text);
  }
}

TEST_CASE("DOCX and ODT content nested deeply is read, not dropped", "[office]") {
  for (const std::size_t depth : {10u, 100u, 5000u}) {
    CAPTURE(depth);
    const std::string docx = docx_of(
        "<w:p><w:r><w:t>Top paragraph.</w:t></w:r></w:p>" + repeat("<w:sdt><w:sdtContent>", depth) + "<w:p>" +
        repeat("<w:hyperlink>", depth) + "<w:r><w:t>Deep paragraph.</w:t></w:r>" + repeat("</w:hyperlink>", depth) +
        "</w:p>" + repeat("</w:sdtContent></w:sdt>", depth) + "<w:p><w:r><w:t>Last paragraph.</w:t></w:r></w:p>");
    CHECK(all_text(quire::read_docx_document("a.docx", docx).document) ==
          "Top paragraph.\nDeep paragraph.\nLast paragraph.\n");
    const std::string odt = odt_of("<text:p>Top.</text:p>" + repeat("<text:section>", depth) + "<text:p>" +
                                   repeat("<text:span>", depth) + "Deep." + repeat("</text:span>", depth) +
                                   "</text:p>" + repeat("</text:section>", depth) + "<text:p>Last.</text:p>");
    CHECK(all_text(quire::read_odt_document("a.odt", odt).document) == "Top.\nDeep.\nLast.\n");
  }
}

TEST_CASE("PDFDocEncoding text strings decode to the characters they stand for", "[pdf]") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"plain ASCII", "plain ASCII"},
      {"Nations\x90 rights", "Nations\u2019 rights"},
      {"\x8Dquoted\x8E", "\u201Cquoted\u201D"},
      {"2019\x85"
       "2020 \x84 a \x80 b \x83",
       "2019\u20132020 \u2014 a \u2022 b \u2026"},
      {"\xA0"
       "5 \x92",
       "\u20AC5 \u2122"},
      {"\x93nance \x94ow", "\uFB01nance \uFB02ow"},
      {"\x95\xF3"
       "d\xBC",
       "\u0141\u00F3d\u00BC"},  // Latin-1 above 0xA0 is Latin-1
      {"\x18\x19\x1F", "\u02D8\u02C7\u02DC"},
      {"bad \x7F \x9F \xAD", "bad \uFFFD \uFFFD \uFFFD"},
  };
  for (const auto& [in, out] : cases) {
    CAPTURE(in);
    CHECK(quire::pdf_doc_encoding_to_utf8(in) == out);
  }
}

TEST_CASE("form-feed text of one line per page keeps every line, in linear time", "[pdf][text]") {
  struct Case {
    const char* what;
    std::string text;
    std::size_t pages;
    std::string first, last;
  };
  std::string numbered, same, dense;
  for (int i = 1; i <= 20; ++i) numbered += "Line " + std::to_string(i) + " of the record.\f";
  for (int i = 1; i <= 20; ++i) same += "The same sentence on every page.\f";
  // 100,000 one-line pages and no line feed at all: quadratic before (each line searched to the end).
  for (int i = 1; i <= 100000; ++i) dense += "Entry " + std::to_string(i) + " is here.\f";
  const std::vector<Case> cases = {
      {"numbered lines", numbered, 20, "Line 1 of the record.", "Line 20 of the record."},
      {"one sentence repeated", same, 20, "The same sentence on every page.", "The same sentence on every page."},
      {"100,000 pages", dense, 100000, "Entry 1 is here.", "Entry 100000 is here."},
  };
  for (const auto& c : cases) {
    CAPTURE(c.what);
    const auto r = quire::read_text_document("log.txt", c.text);
    CHECK(r.document.page_labels.size() == c.pages);
    std::vector<std::string> paras;
    for (const auto& s : r.document.sections) paras.insert(paras.end(), s.paragraphs.begin(), s.paragraphs.end());
    REQUIRE(!paras.empty());
    const std::string joined = all_text(r.document);
    CHECK(joined.rfind(c.first, 0) == 0);
    CHECK(joined.size() >= c.last.size());
    CHECK(joined.substr(joined.size() - c.last.size() - 1) == c.last + "\n");
    std::size_t words = 0;
    for (const auto& p : paras) words += static_cast<std::size_t>(std::count(p.begin(), p.end(), ' ')) + 1;
    CHECK(words ==
          c.pages *
              (c.first == c.last ? 6 : static_cast<std::size_t>(std::count(c.first.begin(), c.first.end(), ' ')) + 1));
  }
}

TEST_CASE("binary data under a text name is refused naming the file and what it holds", "[registry]") {
  std::string random;
  unsigned x = 12345;
  for (int i = 0; i < 8192; ++i) {
    x = x * 1103515245u + 12345u;
    const char c = static_cast<char>((x >> 16) & 0xFF);
    random += c == '\0' ? '\x01' : c;
  }
  const std::vector<std::pair<std::string, std::string>> cases = {
      {std::string("\x89PNG\r\n\x1A\n\0\0\0\rIHDR", 16) + std::string(100, '\0'),
       "dir/bin.txt: not text: the file holds binary data (PNG image) (NUL bytes in its first 8 KB), though its name "
       "ends in .txt"},
      // Two NULs side by side: binary (one stray NUL in text is replaced with a warning, rt11j row 8).
      {std::string("abc\0\0def", 8),
       "dir/bin.txt: not text: the file holds binary data (NUL bytes in its first 8 KB), "
       "though its name ends in .txt"},
      {random, "dir/bin.txt: not text: the file holds"},
  };
  for (const auto& [bytes, message] : cases) {
    CHECK_THAT(reason_of([&] { quire::ReaderRegistry::builtin().read("dir/bin.txt", bytes); }),
               Catch::StartsWith(message));
  }
  // Text with a few control characters is still text.
  CHECK_NOTHROW(quire::read_text_document("ok.txt", "A line with a bell \a and a tab\t in it, and more words.\n"));
}

namespace {

// A line of prose: `t` and a few words, so that a side of such lines reads as a column.
quire::PdfLine line(const std::string& t, double x0, double y0, double x1) {
  return {t + " with words of prose", x0, y0, x1, y0 + 10, 10, false};
}
// A table cell: a number or a short label.
quire::PdfLine cell(const std::string& t, double x0, double y0, double x1) {
  return {t, x0, y0, x1, y0 + 10, 10, false};
}

std::vector<std::string> ordered(const quire::PdfPage& p) {
  std::vector<std::string> out;
  for (const quire::PdfLine* l : quire::reading_order(p)) out.push_back(l->text.substr(0, l->text.find(" with words")));
  return out;
}

}  // namespace

TEST_CASE("reading_order reads columns and sidebars left then right, and leaves single columns alone", "[pdf]") {
  struct Case {
    const char* what;
    std::vector<quire::PdfLine> lines;  // in the order poppler gave them
    std::vector<std::string> expected;
  };
  const std::vector<Case> cases = {
      {"two columns interleaved line by line, a title above and a footnote below",
       {line("Title across the page", 72, 50, 540), line("L1", 72, 80, 290), line("R1", 320, 80, 540),
        line("L2", 72, 92, 290), line("R2", 320, 92, 540), line("L3", 72, 104, 290), line("R3", 320, 104, 540),
        line("Footnote across the page", 72, 700, 540)},
       {"Title across the page", "L1", "L2", "L3", "R1", "R2", "R3", "Footnote across the page"}},
      {"a sidebar box beside the first lines, then full-width text",
       {line("Body 1", 72, 80, 300), line("Box 1", 330, 80, 540), line("Body 2", 72, 92, 300),
        line("Box 2", 330, 92, 540), line("Body 3", 72, 104, 300), line("Body 4 across", 72, 116, 540),
        line("Body 5 across", 72, 128, 540)},
       {"Body 1", "Body 2", "Body 3", "Box 1", "Box 2", "Body 4 across", "Body 5 across"}},
      {"a column spliced: poppler read part of the left column after the right",
       {line("L1", 72, 80, 290), line("L2", 72, 92, 290), line("R1", 320, 80, 540), line("R2", 320, 92, 540),
        line("R3", 320, 104, 540), line("L3", 72, 104, 290), line("L4", 72, 116, 290)},
       {"L1", "L2", "L3", "L4", "R1", "R2", "R3"}},
      {"three columns",
       {line("A1", 50, 80, 200), line("B1", 230, 80, 380), line("C1", 410, 80, 560), line("A2", 50, 92, 200),
        line("B2", 230, 92, 380), line("C2", 410, 92, 560)},
       {"A1", "A2", "B1", "B2", "C1", "C2"}},
      {"one column with short and indented lines",
       {line("First line of prose", 72, 80, 540), line("short end.", 72, 92, 200),
        line("Indented start of the next", 100, 104, 540), line("line", 72, 116, 540)},
       {"First line of prose", "short end.", "Indented start of the next", "line"}},
      {"a table: short cells in rows, read row by row",
       {cell("State", 72, 80, 150), cell("Seats", 300, 80, 340), cell("Louisiana", 72, 92, 150),
        cell("6", 300, 92, 340), cell("Maine", 72, 104, 150), cell("2", 300, 104, 340)},
       {"State", "Seats", "Louisiana", "6", "Maine", "2"}},
      {"a name and a date on one line, too little to be columns",
       {line("Congressional Research Service", 72, 40, 250), line("May 2, 2024", 450, 40, 540),
        line("Body text across", 72, 80, 540), line("More body text", 72, 92, 540)},
       {"Congressional Research Service", "May 2, 2024", "Body text across", "More body text"}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.what);
    quire::PdfPage p;
    p.width = 612;
    p.height = 792;
    p.lines = c.lines;
    CHECK(ordered(p) == c.expected);
  }
}

TEST_CASE("append_sections: each heading starts a section, paragraphs before the first make one without", "[blocks]") {
  using quire::BlockKind;
  struct Case {
    std::vector<quire::TextBlock> blocks;
    std::size_t paragraphs;
    std::vector<std::pair<std::string, std::size_t>> sections;  // heading, paragraphs
  };
  const std::vector<Case> cases = {
      {{}, 0, {}},
      {{{BlockKind::kParagraph, "a"}, {BlockKind::kParagraph, "b"}}, 2, {{"", 2}}},
      {{{BlockKind::kParagraph, "a"}, {BlockKind::kHeading, "H"}, {BlockKind::kParagraph, "b"}},
       2,
       {{"", 1}, {"H", 1}}},
      {{{BlockKind::kHeading, "H1"}, {BlockKind::kHeading, "H2"}, {BlockKind::kParagraph, "b"}},
       1,
       {{"H1", 0}, {"H2", 1}}},
      {{{BlockKind::kHeading, "only"}}, 0, {{"only", 0}}},
  };
  for (const auto& c : cases) {
    std::vector<quire::Section> sections;
    CHECK(quire::append_sections(std::vector<quire::TextBlock>(c.blocks), sections) == c.paragraphs);
    std::vector<std::pair<std::string, std::size_t>> got;
    for (const auto& s : sections) got.emplace_back(s.heading, s.paragraphs.size());
    CHECK(got == c.sections);
  }
}
