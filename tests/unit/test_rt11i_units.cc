// The rules behind the rt11i red team's rows 3 and 4 (docs/red-team/2026-12-03-reliability-rt11i.md):
// the one decoding policy (charset_of_label(), decode_text() with a declared charset, the HTML reader's
// declared_charset()), no C1 control stored by any reader (c1_as_cp1252() over a Document, applied by
// ReaderRegistry::read()), and paths shown so that they never name another file (path_text(), path_bytes()).
#include <catch2/catch.hpp>
#include <string>

#include "quire/document.h"
#include "quire/html_reader.h"
#include "quire/reader_registry.h"
#include "quire/utf8.h"

namespace {

const std::string kLdquo = "\xE2\x80\x9C", kRdquo = "\xE2\x80\x9D", kEuro = "\xE2\x82\xAC", kNdash = "\xE2\x80\x93";
const std::string kFffd = "\xEF\xBF\xBD";

// True when valid UTF-8 `s` holds a C1 control (U+0080-U+009F).
bool has_c1(const std::string& s) {
  for (std::size_t i = 0; i + 1 < s.size(); ++i)
    if (static_cast<unsigned char>(s[i]) == 0xC2 && static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
        static_cast<unsigned char>(s[i + 1]) < 0xA0)
      return true;
  return false;
}

std::string all_text(const quire::Document& d) {
  std::string out = d.meta.title + "\n";
  for (const auto& a : d.meta.authors) out += a + "\n";
  for (const auto& s : d.sections) {
    out += s.heading + "\n";
    for (const auto& p : s.paragraphs) out += p + "\n";
  }
  return out;
}

std::string blocks_text(const quire::HtmlContent& c) {
  std::string out = c.meta.title + "\n";
  for (const auto& b : c.blocks) out += b.text + "\n";
  return out;
}

std::string notes_of(const std::vector<std::string>& notes) {
  std::string out;
  for (const auto& n : notes) out += n + "\n";
  return out;
}

}  // namespace

TEST_CASE("charset_of_label reads the WHATWG labels of windows-1252 and UTF-8", "[rt11i][utf8]") {
  using quire::Charset;
  const std::pair<const char*, Charset> cases[] = {
      {"", Charset::kUndeclared},
      {"  ", Charset::kUndeclared},
      {"iso-8859-1", Charset::kWindows1252},
      {"ISO-8859-1", Charset::kWindows1252},
      {" latin1 ", Charset::kWindows1252},
      {"us-ascii", Charset::kWindows1252},
      {"windows-1252", Charset::kWindows1252},
      {"cp1252", Charset::kWindows1252},
      {"iso_8859-1:1987", Charset::kWindows1252},
      {"l1", Charset::kWindows1252},
      {"utf-8", Charset::kUtf8},
      {"UTF8", Charset::kUtf8},
      {"utf-16", Charset::kUtf8},
      {"iso-8859-2", Charset::kOther},
      {"shift_jis", Charset::kOther},
      {"iso-8859-15", Charset::kOther},
      {"koi8-r", Charset::kOther},
  };
  for (const auto& [label, want] : cases) {
    INFO(label);
    CHECK(quire::charset_of_label(label) == want);
  }
}

TEST_CASE("decode_text reads declared Windows-1252 as such and keeps UTF-8 around a stray bad byte", "[rt11i][utf8]") {
  using quire::Charset;
  const struct {
    const char* name;
    std::string bytes;
    Charset declared;
    std::string text;
    bool noted;
  } cases[] = {
      {"undeclared Windows-1252",
       "\x93q\x94 \x80 5\x96"
       "6",
       Charset::kUndeclared, kLdquo + "q" + kRdquo + " " + kEuro + " 5" + kNdash + "6", true},
      {"declared latin1 holding 0x93", "\x93q\x94", Charset::kWindows1252, kLdquo + "q" + kRdquo, false},
      {"declared latin1, bytes UTF-8", "caf\xC3\xA9", Charset::kWindows1252, "caf\xC3\xA9", false},
      {"declared latin1, mixed", "\xE2\x80\x99 \x93", Charset::kWindows1252,
       "\xC3\xA2\xE2\x82\xAC\xE2\x84\xA2 " + kLdquo, false},
      {"undeclared UTF-8 with a stray byte", "\xE2\x80\x99s caf\xC3\xA9 \x93", Charset::kUndeclared,
       "\xE2\x80\x99s caf\xC3\xA9 " + kFffd, true},
      {"declared UTF-8, single-byte", "\x93q\x94", Charset::kUtf8, kLdquo + "q" + kRdquo, true},
      {"UTF-8 byte order mark wins over latin1", "\xEF\xBB\xBF\xE2\x80\x9Cq", Charset::kWindows1252, kLdquo + "q",
       false},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    const quire::DecodedText d = quire::decode_text(c.bytes, c.declared);
    CHECK(d.text == c.text);
    CHECK(d.note.empty() == !c.noted);
    CHECK_FALSE(has_c1(d.text));
  }
}

TEST_CASE("declared_charset finds meta charset, http-equiv and the XML declaration, not comments", "[rt11i][html]") {
  const std::pair<std::string, std::string> cases[] = {
      {"<html><head><meta charset=\"ISO-8859-1\"><title>x</title>", "iso-8859-1"},
      {"<html><head><meta charset=latin1>", "latin1"},
      {"<head><META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=windows-1252\">", "windows-1252"},
      {"<head><meta content='text/html;charset=utf-8' http-equiv='content-type'/>", "utf-8"},
      {"<?xml version=\"1.0\" encoding=\"ISO-8859-2\"?><html>", "iso-8859-2"},
      {"<html><head><!-- <meta charset=\"koi8-r\"> --><title>x</title></head>", ""},
      {"<html><head><meta name=\"description\" content=\"the charset=utf-8 debate\">", ""},
      {"<html><head><title>x</title></head><body><meta charset=\"latin1\">", ""},
      {"<html><body><p>no head at all</p>", ""},
  };
  for (const auto& [page, label] : cases) {
    INFO(page);
    CHECK(quire::declared_charset(page) == label);
  }
}

TEST_CASE("extract_html decodes undeclared single-byte pages as Windows-1252, with a note", "[rt11i][html]") {
  const std::string body =
      "<body><article><p>The minister said \x93we will never accept\x94 it, \x80"
      "5 \x96 a long "
      "paragraph of body text that is kept.</p></article></body></html>";
  const struct {
    const char* name;
    std::string page;
    std::string want;  // in the text
    bool noted;
  } cases[] = {
      {"undeclared", "<html><head><title>T</title></head>" + body, kLdquo + "we will never accept" + kRdquo, true},
      {"meta charset iso-8859-1", "<html><head><meta charset=\"iso-8859-1\"><title>T</title></head>" + body,
       kLdquo + "we will never accept" + kRdquo, false},
      {"http-equiv latin1",
       "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=latin1\"></head>" + body,
       kEuro + "5 " + kNdash, false},
      {"XML declaration windows-1252", "<?xml version=\"1.0\" encoding=\"windows-1252\"?><html><head></head>" + body,
       kLdquo + "we", false},
      {"declared iso-8859-2 (libxml2 decodes it)",
       "<html><head><meta charset=\"iso-8859-2\"></head><body><article><p>Gda\xF1sk \xB1 is a long paragraph of "
       "body text that is kept here.</p></article></body></html>",
       "Gda\xC5\x84sk \xC4\x85", false},
      {"UTF-8 with one stray byte stays UTF-8",
       "<html><head></head><body><article><p>Caf\xC3\xA9 \xE2\x80\x99s and \xE2\x80\x94 dash \x93 a long paragraph "
       "of body text that is kept.</p></article></body></html>",
       "Caf\xC3\xA9 \xE2\x80\x99s and \xE2\x80\x94 dash " + kFffd, true},
      {"declared latin1 page written in UTF-8",
       "<html><head><meta charset=\"iso-8859-1\"></head><body><article><p>Caf\xC3\xA9 \xE2\x80\x9Cq\xE2\x80\x9D a "
       "long paragraph of body text that is kept.</p></article></body></html>",
       "Caf\xC3\xA9 " + kLdquo + "q" + kRdquo, false},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    const quire::HtmlContent h = quire::extract_html(c.page);
    const std::string text = blocks_text(h);
    INFO(text << notes_of(h.notes));
    CHECK(text.find(c.want) != std::string::npos);
    CHECK_FALSE(has_c1(text));
    CHECK(h.notes.empty() == !c.noted);
    CHECK(text.find("\xC3\xA2\xE2\x82\xAC") == std::string::npos);  // no mojibake of UTF-8 read as Latin-1
  }
}

TEST_CASE("no reader stores a C1 control: each is read as the Windows-1252 character it stands for",
          "[rt11i][readers]") {
  const std::string tail = " never accept it, a long paragraph of body text that is kept here.";
  const struct {
    const char* path;
    std::string bytes;
  } cases[] = {
      {"a.html", "<html><head><title>T&#x93;x&#x94;</title></head><body><article><p>said &#x93;we&#x94;" + tail +
                     "</p></article></body></html>"},
      {"b.html",
       "<html><head><meta charset=\"iso-8859-2\"><title>T</title></head><body><article><p>said "
       "\x93we\x94" +
           tail + "</p></article></body></html>"},
      {"c.xml",
       "<document version=\"1\" id=\"c\"><meta><title>T&#x93;x&#x94;</title></meta><body><section><p>said "
       "&#x93;we&#x94;" +
           tail + "</p></section></body></document>"},
      {"d.txt", "Title\n\nsaid \xC2\x93we\xC2\x94" + tail + "\n"},
      {"e.md", "# T\xC2\x93x\xC2\x94\n\nsaid \xC2\x93we\xC2\x94" + tail + "\n"},
      {"f.txt", "said \xC2\x93we\xC2\x94" + tail + "\fpage two \xC2\x93x, more text on the second page.\n"},
  };
  for (const auto& c : cases) {
    INFO(c.path);
    const quire::ReadResult r = quire::ReaderRegistry::builtin().read(c.path, c.bytes);
    const std::string text = all_text(r.document);
    INFO(text);
    CHECK_FALSE(has_c1(text));
    CHECK(text.find("said " + kLdquo + "we" + kRdquo) != std::string::npos);
  }
}

TEST_CASE("c1_as_cp1252 over a Document moves page marks with the bytes", "[rt11i][document]") {
  quire::Document d;
  d.meta.path = "/a/\xC2\x93.txt";  // a path names a file: kept
  d.sections.push_back({"H\xC2\x85",
                        {"a\xC2\x93"
                         "b|cd"},
                        {{{0, 1}, {5, 2}}}});
  CHECK(quire::c1_as_cp1252(d) == 2);
  CHECK(d.sections[0].heading == "H\xE2\x80\xA6");
  CHECK(d.sections[0].paragraphs[0] == "a" + kLdquo + "b|cd");
  CHECK(d.sections[0].pages[0][1].offset == 6);
  CHECK(d.sections[0].paragraphs[0].substr(6) == "cd");
  CHECK(d.meta.path == "/a/\xC2\x93.txt");
}

TEST_CASE("path_text shows a path that is not UTF-8 escaped, and path_bytes reverses it", "[rt11i][utf8]") {
  const std::pair<std::string, std::string> cases[] = {
      {"/d/caf\xE9.txt", "/d/caf\\xe9.txt"},
      {"/d/caf\xC3\xA9.txt", "/d/caf\xC3\xA9.txt"},
      {"/d/a\\b.txt", "/d/a\\b.txt"},             // UTF-8 with a backslash: as it is
      {"/d/a\\b\xFF.txt", "/d/a\\\\b\\xff.txt"},  // escaped: the backslash doubled
      {"/d/\xC3\xA9\xE9", "/d/\xC3\xA9\\xe9"},    // the valid part kept
      {"/d/\xE2\x80", "/d/\\xe2\\x80"},           // a cut sequence
  };
  for (const auto& [raw, shown] : cases) {
    INFO(shown);
    CHECK(quire::path_text(raw) == shown);
    CHECK(quire::is_valid_utf8(quire::path_text(raw)));
    CHECK(quire::path_bytes(quire::path_text(raw)) == raw);
  }
  // an escaped path never shows as the UTF-8 name of another file
  CHECK(quire::path_text("caf\xE9.txt") != quire::path_text("caf\xC3\xA9.txt"));
  CHECK(quire::path_bytes("C:\\x") == "C:\\x");
}

TEST_CASE("printable_line of path_text writes a name that is not UTF-8 as its path shows it", "[rt11i][utf8]") {
  CHECK(quire::printable_line(quire::path_text("/d/caf\xE9.txt")) == "/d/caf\\xe9.txt");
  CHECK(quire::printable_line(quire::path_text("/d/caf\xE9\n.txt")) == "/d/caf\\xe9\\n.txt");
}
