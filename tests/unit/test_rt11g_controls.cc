// The rt11g red team's rows 2, 3, 10 and 14 (docs/red-team/2026-12-02-reliability-rt11g.md): text from
// a document with C0 controls (ESC, BEL) and bidi overrides reached some outputs raw. One table runs
// every writer that puts document text out on the same hostile text and checks it against the rule of
// its reader: nothing shown to people or written as HTML, XML, TSV or CSV holds ESC, BEL or U+202E raw.
#include <catch2/catch.hpp>
#include <functional>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "quire/evaluation.h"
#include "quire/exports.h"
#include "quire/json_input.h"
#include "quire/output.h"
#include "quire/readers.h"
#include "quire/utf8.h"

namespace {

// ESC ] 0 ; ... BEL (retitles a terminal window), ESC [ 41 m (colour), U+202E RIGHT-TO-LEFT OVERRIDE,
// U+2066 LEFT-TO-RIGHT ISOLATE, U+202C POP DIRECTIONAL FORMATTING.
const std::string kEvil = "Report \x1b]0;PWNED\x07\x1b[41mRED \xE2\x80\xAEgnp.exe\xE2\x81\xA6x\xE2\x80\xAC end";

quire::SearchResults results() {
  quire::SearchResults r;
  r.query = "zebra";
  r.total = 1;
  quire::SearchHit hit;
  hit.rank = 1;
  hit.meta.id = "=cmd_[31m\xE2\x80\xAE" "evil";
  hit.meta.title = kEvil;
  hit.meta.authors = {kEvil};
  hit.meta.publisher = kEvil;
  hit.meta.path = "evil/" + kEvil + ".html";
  quire::PassageHit p;
  p.number = 1;
  p.paragraph = 1;
  p.text = "Zebra " + kEvil;
  p.highlights = {{0, 5}};
  hit.passages.push_back(p);
  r.hits.push_back(hit);
  return r;
}

bool has_raw_c0(const std::string& s) {
  for (const char c : s)
    if (c == '\x1b' || c == '\x07') return true;
  return false;
}
bool has_raw_bidi(const std::string& s) {
  return s.find("\xE2\x80\xAE") != std::string::npos || s.find("\xE2\x81\xA6") != std::string::npos ||
         s.find("\xE2\x80\xAC") != std::string::npos;
}

struct Writer {
  const char* name;
  std::function<std::string()> write;
  bool bidi_neutralised;  ///< false for JSON meant for programs, which keeps the text as it is
};

}  // namespace

TEST_CASE("every writer of document text keeps ESC BEL and bidi overrides from its reader", "[controls]") {
  const quire::SearchResults r = results();
  quire::ExportRecord rec{r.hits[0].meta, {}};
  std::vector<Writer> writers = {
      {"html_escape", [] { return quire::html_escape(kEvil); }, true},
      {"highlighted_html", [&r] { return quire::highlighted_html(r.hits[0].passages[0].text, {{0, 5}}); }, true},
      {"search --html",
       [&r] {
         std::ostringstream o;
         quire::print_results_html(o, r);
         return o.str();
       },
       true},
      {"search text",
       [&r] {
         std::ostringstream o;
         quire::print_results(o, r, {});
         return o.str();
       },
       true},
      {"search --json", [&r] { return quire::results_to_json(r).dump(); }, false},
      {"trec_token of an id", [&r] { return quire::trec_token(r.hits[0].meta.id); }, true},
      {"printable", [] { return quire::printable(kEvil); }, true},
      {"printable_line", [] { return quire::printable_line(kEvil); }, true},
      {"convert (quire XML)",
       [&r] {
         quire::Document d;
         d.meta = r.hits[0].meta;
         d.sections.push_back({kEvil, {kEvil}, {}});
         return quire::write_xml_document(d);
       },
       false},
  };
  for (const std::string& format : quire::export_formats())
    writers.push_back({format.c_str(), [rec, format] { return quire::export_records({rec}, format); }, true});
  for (const auto& w : writers) {
    const std::string out = w.write();
    INFO(w.name << ": " << quire::printable_line(out.substr(0, 400)));
    CHECK_FALSE(has_raw_c0(out));
    if (w.bidi_neutralised) CHECK_FALSE(has_raw_bidi(out));
  }
}

TEST_CASE("html_escape shows controls as U+FFFD one for one so highlights still hold", "[controls]") {
  const struct {
    std::string in, out;
  } cases[] = {
      {"a\x1b[31mb", "a\xEF\xBF\xBD[31mb"},
      {"bell\x07", "bell\xEF\xBF\xBD"},
      {"x\xE2\x80\xAEy", "x\xEF\xBF\xBDy"},
      {"<b>\x01&", "&lt;b&gt;\xEF\xBF\xBD&amp;"},
      {"tab\tand\nline", "tab\tand\nline"},
  };
  for (const auto& c : cases) CHECK(quire::html_escape(c.in) == c.out);
  // The highlight after the override is still on "mark".
  CHECK(quire::highlighted_html("a\xE2\x80\xAE mark", {{3, 7}}) == "a\xEF\xBF\xBD <mark>mark</mark>");
}

TEST_CASE("without_c0_controls keeps tab and line breaks and removes the rest of C0 and DEL", "[controls]") {
  const struct {
    std::string in, out;
  } cases[] = {
      {"a\x1b]0;t\x07z", "a]0;tz"}, {"t\tn\nr\r", "t\tn\nr\r"}, {std::string("n\0ul", 4), "nul"},
      {"del\x7f", "del"},           {"\xE2\x80\xAE", "\xE2\x80\xAE"},
  };
  for (const auto& c : cases) CHECK(quire::without_c0_controls(c.in) == c.out);
}

TEST_CASE("trec_token writes a C1 control or a bidi override in an id as %XX", "[controls]") {
  const struct {
    std::string in, out;
  } cases[] = {
      {"=cmd_[31m\xE2\x80\xAE" "evil", "=cmd_[31m%E2%80%AEevil"},
      {"a\xC2\x9B" "b", "a%C2%9Bb"},
      {"doc 1", "doc%201"},
      {"caf\xC3\xA9", "caf\xC3\xA9"},
      {"\xE2\x81\xA6x\xE2\x81\xA9", "%E2%81%A6x%E2%81%A9"},
  };
  for (const auto& c : cases) CHECK(quire::trec_token(c.in) == c.out);
}

TEST_CASE("convert writes XML its own reader takes back for a title with ESC", "[controls]") {
  quire::Document d;
  d.meta.id = "t";
  d.meta.title = "Report \x1b]0;PWNED\x07RED";
  d.sections.push_back({"", {"Zebra \x1b[31m prose"}, {}});
  const std::string xml = quire::write_xml_document(d);
  CHECK(xml.find("&#") == std::string::npos);
  const quire::ReadResult back = quire::read_document("t.xml", xml);
  CHECK(back.document.meta.title == "Report ]0;PWNEDRED");
}

// rt11h row 1: nlohmann escapes only C0, so DEL, U+009B (a terminal's CSI) and the bidi controls went
// to a terminal raw from every --json output. json_text() is what every JSON output prints.
TEST_CASE("json_text writes DEL the C1 controls line separators and bidi controls as escapes", "[controls]") {
  struct Case {
    std::string in, out;
  };
  const std::vector<Case> cases = {
      {"a\x7f" "b", "\"a\\u007fb\""},
      {"\xC2\x9B" "6n", "\"\\u009b6n\""},
      {"x\xC2\x85y\xC2\x80\xC2\x9F", "\"x\\u0085y\\u0080\\u009f\""},
      {"l\xE2\x80\xA8m\xE2\x80\xA9", "\"l\\u2028m\\u2029\""},
      {"\xE2\x80\xAA\xE2\x80\xAE\xE2\x81\xA6\xE2\x81\xA9\xE2\x81\xAF", "\"\\u202a\\u202e\\u2066\\u2069\\u206f\""},
      {"\x1b[31m", "\"\\u001b[31m\""},
      // Kept as they are: other letters and punctuation of the same lead bytes, and the rest of Unicode.
      {"\xC2\xA0\xC2\xA9 \xE2\x80\x94 \xE2\x80\x9C" "q\xE2\x80\x9D \xE2\x81\x84 caf\xC3\xA9 \xE2\x80\x8D",
       "\"\xC2\xA0\xC2\xA9 \xE2\x80\x94 \xE2\x80\x9C" "q\xE2\x80\x9D \xE2\x81\x84 caf\xC3\xA9 \xE2\x80\x8D\""},
      // Invalid UTF-8 becomes U+FFFD, as before.
      {"a\xFF" "b", "\"a\xEF\xBF\xBD" "b\""},
  };
  for (const Case& c : cases) {
    INFO(c.in);
    const std::string text = quire::json_text(nlohmann::json(c.in));
    CHECK(text == c.out);
    if (c.in.find('\xFF') == std::string::npos) CHECK(nlohmann::json::parse(text).get<std::string>() == c.in);
  }
  // Keys and nested values too, and the indented form.
  const nlohmann::json j = {{"t\xC2\x9B", {{"k", {"\xE2\x80\xAE"}}}}};
  CHECK(quire::json_text(j) == "{\"t\\u009b\":{\"k\":[\"\\u202e\"]}}");
  CHECK(nlohmann::json::parse(quire::json_text(j, 2)) == j);
}
