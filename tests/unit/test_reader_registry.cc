// The reader registry: content sniffing and the choice of reader by content, then by extension.
#include <catch2/catch.hpp>
#include <string>

#include "quire/errors.h"
#include "quire/reader_registry.h"

using quire::ContentKind;

namespace {

// A minimal zip local file header for an entry `name` stored with `data`.
std::string zip_entry(const std::string& name, const std::string& data) {
  std::string h("PK\x03\x04", 4);
  h += std::string(4, '\0');  // version, flags
  h += std::string(2, '\0');  // method: stored
  h += std::string(8, '\0');  // time, date, crc
  const auto le32 = [](std::size_t v) {
    std::string s(4, '\0');
    for (int i = 0; i < 4; ++i) s[static_cast<std::size_t>(i)] = static_cast<char>((v >> (8 * i)) & 0xFF);
    return s;
  };
  h += le32(data.size()) + le32(data.size());
  h += std::string(1, static_cast<char>(name.size())) + std::string(1, '\0');
  h += std::string(2, '\0');  // extra length
  return h + name + data;
}

}  // namespace

TEST_CASE("sniff_content tells what bytes are, whatever the file is called", "[registry]") {
  struct Case {
    const char* what;
    std::string bytes;
    ContentKind kind;
  };
  const Case cases[] = {
      {"empty", "", ContentKind::kEmpty},
      {"PDF header", "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj", ContentKind::kPdf},
      {"PDF header after junk", "HTTP junk\r\n\r\n%PDF-1.4\n", ContentKind::kPdf},
      {"DOCX", zip_entry("[Content_Types].xml", "<Types/>") + zip_entry("word/document.xml", "<w:document/>"),
       ContentKind::kDocx},
      {"ODT", zip_entry("mimetype", "application/vnd.oasis.opendocument.text") + zip_entry("content.xml", "<x/>"),
       ContentKind::kOdt},
      {"EPUB", zip_entry("mimetype", "application/epub+zip") + zip_entry("META-INF/container.xml", "<c/>"),
       ContentKind::kEpub},
      {"XLSX is another zip", zip_entry("[Content_Types].xml", "<Types/>") + zip_entry("xl/workbook.xml", "<w/>"),
       ContentKind::kZip},
      {"truncated zip", std::string("PK\x03\x04\x14", 5), ContentKind::kZip},
      {"HTML doctype", "<!DOCTYPE html>\n<html><body>Hi</body></html>", ContentKind::kHtml},
      {"HTML without doctype, upper case", "\n  <HTML><HEAD><TITLE>x</TITLE>", ContentKind::kHtml},
      {"XHTML with an XML declaration", "<?xml version=\"1.0\"?>\n<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML\">",
       ContentKind::kHtml},
      {"HTML after a comment", "<!-- saved from url=(0014)about:internet -->\n<html>", ContentKind::kHtml},
      {"quire XML", "<?xml version=\"1.0\"?>\n<document id=\"a\" version=\"1\">", ContentKind::kXml},
      {"XML with an internal DTD subset", "<?xml version=\"1.0\"?>\n<!DOCTYPE d [ <!ENTITY a \"b\"> ]>\n<d>&a;</d>",
       ContentKind::kXml},
      {"XML declaration, then junk", "<?xml version=\"1.0\"?>\nnot an element", ContentKind::kXml},
      {"XML without declaration", "<document id=\"a\">", ContentKind::kXml},
      {"XML with a BOM", "\xEF\xBB\xBF<?xml version=\"1.0\"?><document/>", ContentKind::kXml},
      {"UTF-16 XML", std::string("\xFF\xFE<\0?\0x\0m\0l\0 \0", 14), ContentKind::kXml},
      {"UTF-16 text", std::string("\xFF\xFEH\0i\0 \0t\0h\0e\0r\0e\0", 18), ContentKind::kText},
      {"plain text", "Statement by the delegation of Fiji.\n", ContentKind::kText},
      {"text starting with '<'", "<<< draft >>> not for circulation", ContentKind::kText},
      {"text starting with a less-than number", "<3 years of data", ContentKind::kText},
      {"Markdown after an HTML comment", "<!-- front matter -->\n# Title\n\nText.", ContentKind::kText},
      {"Latin-1 text", "M\xFCnchen", ContentKind::kText},
      {"a run of NUL bytes (one stray NUL is text: rt11j row 8)", std::string("text\0\0with NUL", 14), ContentKind::kBinary},
      {"PNG", "\x89PNG\r\n\x1a\n", ContentKind::kBinary},
      {"JPEG", "\xFF\xD8\xFF\xE0", ContentKind::kBinary},
      {"gzip", "\x1F\x8B\x08", ContentKind::kBinary},
      {"ELF",
       "\x7F"
       "ELF\x02\x01",
       ContentKind::kBinary},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    CHECK(quire::to_string(quire::sniff_content(c.bytes)) == quire::to_string(c.kind));
  }
}

TEST_CASE("file_extension is the lower-case suffix of the file name only", "[registry]") {
  const std::pair<const char*, const char*> cases[] = {
      {"a/b/Report.PDF", "pdf"}, {"notes.txt", "txt"}, {"dir.v2/README", ""}, {".profile", ""},
      {"a/.hidden.md", "md"},    {"trailing.", ""},    {"x.tar.gz", "gz"},    {"", ""},
  };
  for (const auto& [path, ext] : cases) {
    INFO(path);
    CHECK(quire::file_extension(path) == ext);
  }
}

TEST_CASE("the registry chooses the reader by content first, then by extension", "[registry]") {
  const auto& reg = quire::ReaderRegistry::builtin();
  struct Case {
    const char* path;
    std::string bytes;
    const char* reader;  // "" for none
  };
  const Case cases[] = {
      {"a.txt", "Plain words.", "text"},
      {"a.md", "# Head\n\nWords.", "text"},
      {"a.xml", "<document id=\"a\">", "xml"},
      {"text-named.xml", "Plain words, not markup.", "text"},
      {"text-named.html", "Plain words in a file called .html.", "text"},
      {"xml-named.txt", "<?xml version=\"1.0\"?><document id=\"a\"/>", "xml"},
      {"binary.txt", std::string("ab\0\0cd", 6), "text"},  // the text reader refuses it in its own words
      {"image.png", "\x89PNG\r\n\x1a\n", ""},
      {"archive.zip", zip_entry("a.txt", "hello"), ""},
      {"noext", "\x89PNG\r\n", ""},
  };
  for (const auto& c : cases) {
    INFO(c.path);
    const quire::Reader* r = reg.find(c.path, c.bytes);
    CHECK((r ? r->name : std::string()) == c.reader);
  }
  CHECK_THROWS_WITH(reg.read("pic.png", "\x89PNG\r\n\x1a\n"),
                    Catch::StartsWith("pic.png: unsupported file type: binary data (PNG image) (.png); quire reads ."));
  CHECK_THROWS_WITH(reg.read("data.zip", zip_entry("a.txt", "x")),
                    Catch::StartsWith("data.zip: unsupported file type: zip archive (.zip)"));
  CHECK_THROWS_WITH(reg.read("b.txt", std::string("ab\0\0cd", 6)),
                    "b.txt: not text: the file holds binary data (NUL bytes in its first 8 KB), though its name ends in .txt");
}

TEST_CASE("in folders, files under unknown extensions are read only when their content is unmistakable", "[registry]") {
  const auto& reg = quire::ReaderRegistry::builtin();
  CHECK(quire::reader_for_folder_entry(reg, "d/notes.txt", "words") != nullptr);
  CHECK(quire::reader_for_folder_entry(reg, "d/data.json", "{\"a\": 1}") == nullptr);
  CHECK(quire::reader_for_folder_entry(reg, "d/table.csv", "a,b\n1,2\n") == nullptr);
  CHECK(quire::reader_for_folder_entry(reg, "d/page.png", "\x89PNG\r\n") == nullptr);
  CHECK(quire::reader_for_folder_entry(reg, "d/README", "Some words") == nullptr);
}
