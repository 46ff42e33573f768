// The rules behind the rt11j red team's rows 4, 6 and 8 (docs/red-team/2026-12-03-reliability-rt11j.md):
// UTF-32 decoded by the one decoding policy (wide_form(), decode_text()), the NUL test that tells a few
// stray NULs in text from binary data (nul_bytes_binary(), sniff_content()), and an HTML page without
// prose read as its text without the web furniture (extract_html()).
#include <catch2/catch.hpp>
#include <string>

#include "quire/html_reader.h"
#include "quire/reader_registry.h"
#include "quire/utf8.h"

namespace {

std::string u32(const std::string& ascii, bool le, bool bom) {
  std::string out = bom ? (le ? std::string("\xFF\xFE\0\0", 4) : std::string("\0\0\xFE\xFF", 4)) : "";
  for (char c : ascii) out += le ? std::string{c, '\0', '\0', '\0'} : std::string{'\0', '\0', '\0', c};
  return out;
}

std::string u16(const std::string& ascii, bool le) {
  std::string out;
  for (char c : ascii) out += le ? std::string{c, '\0'} : std::string{'\0', c};
  return out;
}

std::string text_of(const quire::HtmlContent& c) {
  std::string out;
  for (const auto& b : c.blocks) out += b.text + "\n";
  return out;
}

}  // namespace

TEST_CASE("decode_text reads UTF-32 with and without a byte order mark", "[rt11j][utf8]") {
  const std::string egret = "UTF-32 text about the egret.\n";
  const struct {
    const char* kind;
    std::string bytes;
    std::string text;
    const char* note;
  } cases[] = {
      {"UTF-32LE BOM", u32(egret, true, true), egret, "read as UTF-32LE"},
      {"UTF-32BE BOM", u32(egret, false, true), egret, "read as UTF-32BE"},
      {"UTF-32LE, no BOM", u32(egret, true, false), egret, "UTF-32LE without a byte order mark"},
      {"UTF-32BE, no BOM", u32(egret, false, false), egret, "UTF-32BE without a byte order mark"},
      {"UTF-32LE emoji", std::string("\xFF\xFE\0\0\x00\xF6\x01\x00", 8), "\xF0\x9F\x98\x80", "UTF-32LE"},
      {"UTF-32LE past U+10FFFF", std::string("\xFF\xFE\0\0\x00\x00\x11\x00" "A\0\0\0", 12), "\xEF\xBF\xBD" "A",
       "UTF-32LE"},
      {"UTF-32LE cut last unit", std::string("\xFF\xFE\0\0" "A\0\0\0" "B\0", 10), "A\xEF\xBF\xBD", "UTF-32LE"},
      {"UTF-16LE BOM still UTF-16", "\xFF\xFE" + u16("hello world", true), "hello world", "read as UTF-16LE"},
      {"UTF-16BE, no BOM still UTF-16", u16("hello world", false), "hello world", "UTF-16BE without"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.kind);
    const auto d = quire::decode_text(c.bytes);
    CHECK(d.text == c.text);
    CHECK_THAT(d.note, Catch::Contains(c.note));
    CHECK(quire::is_valid_utf8(d.text));
  }
}

TEST_CASE("nul_bytes_binary tells a few stray NULs in text from binary data", "[rt11j][sniff]") {
  std::string long_text;
  for (int i = 0; i < 200; ++i) long_text += "Plain ascii text with words about the treaty. ";
  std::string many_nuls = long_text;
  for (std::size_t i = 10; i < many_nuls.size(); i += 50) many_nuls[i] = '\0';  // 2% of the bytes
  std::string elf("\x7F" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0", 16);
  elf += std::string(200, 'x');
  const struct {
    const char* kind;
    std::string bytes;
    bool binary;
    quire::ContentKind sniffed;
  } cases[] = {
      {"one stray NUL (row 8)", std::string("Plain ascii text with a NUL\0 byte inside and more words.\n", 57), false,
       quire::ContentKind::kText},
      {"four stray NULs in a short line", std::string("a\0b\0c\0d\0 and some more words here", 33), false,
       quire::ContentKind::kText},
      {"stray NULs, 1% of a long text", long_text.substr(0, 5000).replace(100, 1, 1, '\0').replace(900, 1, 1, '\0'),
       false, quire::ContentKind::kText},
      {"stray NUL in HTML", std::string("<html><body><p>Text\0 here.</p></body></html>", 44), false,
       quire::ContentKind::kHtml},
      {"NULs in 2% of the bytes", many_nuls, true, quire::ContentKind::kBinary},
      {"two NULs side by side", std::string("Plain text\0\0 with a pair of NULs.", 33), true, quire::ContentKind::kBinary},
      {"ELF", elf, true, quire::ContentKind::kBinary},
      {"PNG", std::string("\x89PNG\r\n\x1A\n\0\0\0\rIHDR\0\0\x01\x02", 20), true, quire::ContentKind::kBinary},
      {"control bytes around a NUL", std::string("\x01\x02\x03\x04\x05\x06\0\x07\x08\x0E\x0F\x10 text", 17), true,
       quire::ContentKind::kBinary},
      {"no NUL", "plain text", false, quire::ContentKind::kText},
      {"UTF-16LE", "\xFF\xFE" + u16("hello world", true), false, quire::ContentKind::kText},
      {"UTF-32LE", u32("hello world", true, true), false, quire::ContentKind::kText},
      {"UTF-32BE without a BOM", u32("hello world", false, false), false, quire::ContentKind::kText},
      {"UTF-32LE HTML", u32("<html><body><p>x</p></body></html>", true, true), false, quire::ContentKind::kHtml},
      {"UTF-32BE XML", u32("<?xml version=\"1.0\" encoding=\"UTF-32\"?><document/>", false, true), false,
       quire::ContentKind::kXml},
  };
  for (const auto& c : cases) {
    CAPTURE(c.kind);
    CHECK(quire::nul_bytes_binary(c.bytes) == c.binary);
    CHECK(quire::sniff_content(c.bytes) == c.sniffed);
  }
}

TEST_CASE("an HTML page without prose is read as its text without the web furniture", "[rt11j][html]") {
  const std::string nav = "<nav><ul><li><a href=/>Home</a></li><li><a href=/n>News</a></li></ul></nav>";
  const std::string footer = "<footer><p>Copyright 2026 Ministry</p><p>Privacy policy</p></footer>";
  const struct {
    const char* kind;
    std::string html;
    const char* has;       // in the text
    const char* has_not;   // not in it
  } cases[] = {
      {"press release",
       "<html><head><title>Ministry statement</title></head><body>" + nav +
           "<h1>Statement on the border talks</h1><p>The foreign ministers met in Geneva on Monday.</p>"
           "<p>Both sides agreed to resume the ceasefire talks.</p><p>A joint commission will monitor the line.</p>"
           "<p>Prisoners of war will be exchanged next month.</p>" + footer + "</body></html>",
       "Prisoners of war will be exchanged next month.", "News"},
      {"poem with br",
       "<html><body>" + nav + "<div class=poem><p>The egret stands in water,<br>white against the reeds,<br>"
           "and waits.</p><p>The river moves,<br>the egret does not.</p></div></body></html>",
       "the egret does not.", "Home"},
      {"list of statements",
       "<html><body><ul><li>We support the treaty.</li><li>We oppose the tariffs.</li>"
           "<li>We call for talks.</li></ul></body></html>",
       "We call for talks.", "\x01"},
      {"only a table",
       "<html><body><table><tr><td>Country</td><td>Votes</td></tr><tr><td>Chad</td><td>12</td></tr>"
           "</table></body></html>",
       "Chad", "\x01"},
      {"a page with prose still picks its article",
       "<html><body>" + nav + "<article><p>This is the article body text about nuclear policy with considerable "
           "length here, enough to read as prose.</p></article>" + footer + "</body></html>",
       "considerable length", "Copyright"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.kind);
    const std::string text = text_of(quire::extract_html(c.html));
    CAPTURE(text);
    CHECK_THAT(text, Catch::Contains(c.has));
    CHECK_THAT(text, !Catch::Contains(c.has_not));
  }
}
