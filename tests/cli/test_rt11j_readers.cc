// The rt11j red team's reader rows 4, 6 and 8 (docs/red-team/2026-12-03-reliability-rt11j.md) on real
// files through the built quire: HTML pages without prose, UTF-32 in every reader that takes bytes, and
// stray NUL bytes in text.
#include <catch2/catch.hpp>
#include <string>

#include "support.h"

using quire::test::run_quire;
using quire::test::RunResult;
using quire::test::TempDir;

namespace {

std::string u32(const std::string& ascii, bool le, bool bom) {
  std::string out = bom ? (le ? std::string("\xFF\xFE\0\0", 4) : std::string("\0\0\xFE\xFF", 4)) : "";
  for (char c : ascii) out += le ? std::string{c, '\0', '\0', '\0'} : std::string{'\0', '\0', '\0', c};
  return out;
}

const std::string kNav = "<nav><ul><li><a href=/>Home</a></li><li><a href=/news>Latest news</a></li></ul></nav>";
const std::string kFooter = "<footer><p>Copyright 2026 the Ministry.</p><p>Privacy policy</p></footer>";

}  // namespace

TEST_CASE("rt11j row 4: HTML pages whose paragraphs are all short are indexed", "[rt11j][html]") {
  TempDir dir;
  const struct {
    const char* name;
    std::string html;
    const char* text;  // in the converted text
  } pages[] = {
      {"press.html",
       "<html><head><title>Ministry statement</title></head><body><h1>Statement on the border talks</h1><p>The "
       "foreign ministers met in Geneva on Monday.</p><p>Both sides agreed to resume the ceasefire talks.</p><p>A "
       "joint commission will monitor the line.</p><p>Prisoners of war will be exchanged next month.</p></body></html>",
       "Prisoners of war will be exchanged next month."},
      {"poem.html",
       "<html><head><title>Egret</title></head><body>" + kNav +
           "<p>The egret stands in water,<br>white against the reeds,<br>and waits.</p>"
           "<p>The river moves,<br>the egret does not.</p>" + kFooter + "</body></html>",
       "the egret does not."},
      {"list.html",
       "<html><body>" + kNav + "<ul><li>We support the treaty.</li><li>We oppose the tariffs.</li>"
           "<li>We call for talks on the okapi reserve.</li></ul></body></html>",
       "We call for talks on the okapi reserve."},
      {"table.html",
       "<html><body><table><tr><th>Country</th><th>Votes</th></tr><tr><td>Chad</td><td>12</td></tr>"
           "<tr><td>Peru</td><td>9</td></tr></table></body></html>",
       "Peru"},
  };
  for (const auto& p : pages) {
    CAPTURE(p.name);
    const std::string file = dir.write(std::string("h/") + p.name, p.html);
    const RunResult r = run_quire({"convert", "--text", file});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out.find(p.text) != std::string::npos);
    CHECK(r.out.find("Latest news") == std::string::npos);
  }
  const RunResult indexed = run_quire({"index", "--db", dir.path() + "/ih", dir.path() + "/h"});
  INFO(indexed.out << indexed.err);
  CHECK(indexed.exit_code == 0);
  CHECK(run_quire({"search", "--db", dir.path() + "/ih", "ceasefire"}).out.find("press") != std::string::npos);
  CHECK(run_quire({"search", "--db", dir.path() + "/ih", "okapi"}).out.find("list") != std::string::npos);

  // Only navigation and a footer: nothing of the page's own, so still refused (or next to nothing).
  const std::string furniture = dir.write("f/nav.html", "<html><body>" + kNav + kFooter + "</body></html>");
  const RunResult r = run_quire({"convert", "--text", furniture});
  INFO(r.out << r.err);
  CHECK(r.out.find("Latest news") == std::string::npos);
  CHECK((r.exit_code == 1 || r.out.size() < 60));
}

TEST_CASE("rt11j row 6: UTF-32 is decoded by every reader that takes bytes, never letter by letter",
          "[rt11j][encoding]") {
  TempDir dir;
  const std::string text = "UTF-32 text about the egret.\n";
  const std::string html = "<html><head><meta charset=\"utf-32\"><title>Egret</title></head><body><p>" + text +
                           " The egret waits in the reeds of the river, white against the water all day.</p>"
                           "</body></html>";
  const auto xml = [&text](const std::string& id) {
    return "<?xml version=\"1.0\" encoding=\"UTF-32\"?><document id=\"" + id + "\"><meta><title>Egret</title></meta><body>"
      "<section><p>" + text + "</p></section></body></document>";
  };
  const struct {
    const char* name;
    std::string bytes;
  } files[] = {
      {"le.txt", u32(text, true, true)},      {"be.txt", u32(text, false, true)},
      {"nobom-be.txt", u32(text, false, false)}, {"nobom-le.md", u32(text, true, false)},
      {"le.md", u32(text, true, true)},       {"le.html", u32(html, true, true)},
      {"be-nobom.html", u32(html, false, false)}, {"le.xml", u32(xml("x32"), true, true)},
      {"be.xml", u32(xml("x32be"), false, true)},
  };
  for (const auto& f : files) {
    CAPTURE(f.name);
    const std::string file = dir.write(std::string("u/") + f.name, f.bytes);
    const RunResult r = run_quire({"convert", "--text", file});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("about the egret") != std::string::npos);
    CHECK(r.err.find("NUL") == std::string::npos);
  }
  const RunResult indexed = run_quire({"index", "--db", dir.path() + "/i4", dir.path() + "/u"});
  INFO(indexed.out << indexed.err);
  CHECK(indexed.exit_code == 0);
  CHECK(indexed.err.find("NUL") == std::string::npos);
  const RunResult found = run_quire({"search", "--db", dir.path() + "/i4", "--json", "egret"});
  CHECK(found.out.find("\"le\"") != std::string::npos);
  CHECK(found.out.find("\"nobom-be\"") != std::string::npos);
  CHECK(found.out.find("\"x32\"") != std::string::npos);
}

TEST_CASE("rt11j row 8: a few stray NULs in a text file are replaced with a warning, binaries stay refused",
          "[rt11j][binary]") {
  TempDir dir;
  const std::string nul =
      dir.write("nul.txt", std::string("Plain ascii text with a NUL\0 byte inside and more words.\n", 57));
  const RunResult r = run_quire({"convert", "--text", nul});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("a NUL byte inside") != std::string::npos);
  CHECK(r.err.find("1 NUL byte(s) replaced with spaces") != std::string::npos);

  std::string elf("\x7F" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0", 16);
  elf += std::string(300, 'x');
  std::string blob;
  for (int i = 0; i < 4000; ++i) blob += static_cast<char>((i * 7919) % 256);
  const struct {
    const char* name;
    std::string bytes;
  } binaries[] = {
      {"elf.txt", elf},
      {"blob.txt", blob},
      {"pairs.txt", std::string("Some text\0\0\0\0 then binary\0\0\0\0 data.", 35)},
      {"png.md", std::string("\x89PNG\r\n\x1A\n\0\0\0\rIHDR\0\0\x01\x02\0\0\0\0", 24)},
  };
  for (const auto& b : binaries) {
    CAPTURE(b.name);
    const RunResult refused = run_quire({"convert", "--text", dir.write(b.name, b.bytes)});
    INFO(refused.out << refused.err);
    CHECK(refused.exit_code != 0);
    CHECK(refused.err.find("not text") != std::string::npos);
  }
}
