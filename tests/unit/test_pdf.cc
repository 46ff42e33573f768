// The PDF reader's pure steps: ligatures, dates, the pipe format, and the layout step on pages of lines
// (running headers, footers, page numbers, margin stamps, footnotes, hyphenation, page marks), and the
// same page handling for plain text with form feeds.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "quire/errors.h"
#include "quire/passage_splitter.h"
#include "quire/pdf_reader.h"
#include "quire/readers.h"
#include "quire/text_cleaner.h"

namespace {

// A US Letter page of body lines (11 pt, 13 pt apart from y = 90), with a running header and a footer.
quire::PdfPage page(const std::vector<std::string>& body, const std::string& label, int number,
                    const std::vector<std::string>& notes = {}) {
  quire::PdfPage p;
  p.label = label;
  p.width = 612;
  p.height = 792;
  p.lines.push_back({"Seabed Mining: Issues for Congress", 225, 36, 522, 46, 8, false});
  double y = 90;
  for (const auto& t : body) {
    if (t.empty()) {  // a paragraph break: extra space
      y += 8;
      continue;
    }
    const double right = t.size() < 40 ? 90 + 5.0 * static_cast<double>(t.size()) : 518;
    p.lines.push_back({t, 90, y, right, y + 12, 11, false});
    y += 13;
  }
  double ny = 640;
  for (const auto& n : notes) {
    p.lines.push_back({n, 90, ny, 500, ny + 10, 9, false});
    ny += 11;
  }
  p.lines.push_back({"Congressional Research Service " + std::to_string(number), 90, 740, 522, 750, 9, false});
  // A stamp set sideways in the left margin.
  p.lines.push_back({"Downloaded on 2026-04-20", 20, 200, 30, 400, 8, true});
  return p;
}

std::vector<std::string> paragraphs(const quire::Document& d) {
  std::vector<std::string> out;
  for (const auto& s : d.sections)
    for (const auto& p : s.paragraphs) out.push_back(p);
  return out;
}

}  // namespace

TEST_CASE("fold_ligatures spells out U+FB00-FB06", "[pdf]") {
  const std::pair<const char*, const char*> cases[] = {
      {"e\xEF\xAC\x80"
       "ect",
       "effect"},
      {"\xEF\xAC\x81nal", "final"},
      {"\xEF\xAC\x82ow", "flow"},
      {"o\xEF\xAC\x83"
       "ce",
       "office"},
      {"ba\xEF\xAC\x84"
       "e",
       "baffle"},
      {"\xEF\xAC\x85op", "stop"},
      {"\xEF\xAC\x86yle", "style"},
      {"no ligature", "no ligature"},
      {"\xEF\xAC\x87x", "\xEF\xAC\x87x"},
  };
  for (const auto& [in, out] : cases) {
    INFO(in);
    CHECK(quire::fold_ligatures(in) == out);
  }
}

TEST_CASE("pdf_date reads info-dictionary and XMP dates, and nothing else", "[pdf]") {
  const std::pair<const char*, const char*> cases[] = {
      {"D:20260415093000-05'00'", "2026-04-15"},
      {"D:2007", "2007"},
      {"D:200702", "2007-02"},
      {"2023-01-15T09:30:00Z", "2023-01-15"},
      {"2023-01", "2023-01"},
      {"D:20071399", "2007"},  // month 13: the year only
      {"yesterday", ""},
      {"", ""},
      {"D:1066", ""},
  };
  for (const auto& [in, out] : cases) {
    INFO(in);
    CHECK(quire::pdf_date(in) == out);
  }
}

TEST_CASE("the pipe format carries every field of the extracted pages", "[pdf]") {
  quire::PdfText t;
  t.title = "A \"quoted\" title";
  t.author = "Ann Author";
  t.date = "2026-04";
  t.warnings = {"page 3 could not be read"};
  t.pages.push_back(page({"One line.", "Another \xE2\x80\x9Cline\xE2\x80\x9D."}, "iii", 1));
  t.pages.back().ocr = true;
  const quire::PdfText back = quire::deserialise_pdf_text(quire::serialise(t));
  CHECK(back.title == t.title);
  CHECK(back.author == t.author);
  CHECK(back.date == t.date);
  CHECK(back.warnings == t.warnings);
  REQUIRE(back.pages.size() == 1);
  CHECK(back.pages[0].label == "iii");
  CHECK(back.pages[0].ocr);
  REQUIRE(back.pages[0].lines.size() == t.pages[0].lines.size());
  CHECK(back.pages[0].lines[2].text == t.pages[0].lines[2].text);
  CHECK(back.pages[0].lines.back().rotated);
  CHECK(back.pages[0].lines[1].y0 == Approx(90));
}

TEST_CASE("pdf_to_document drops page furniture and stamps, rejoins words and keeps footnotes apart", "[pdf]") {
  quire::PdfText t;
  t.title = "Seabed Mining";
  t.author = "Caitlin Keating-Bitonti; Emma Kaboli";
  t.pages.push_back(page({"The Authority has issued thirty-one exploration con-", "tracts since 2001.", "",
                          "Nauru notified the Authority of its sponsorship and of its plan to recover nodules from the",
                          "deep seabed, which triggered a rule that required regulations within two govern-"},
                         "13", 1, {"12 ISA, Exploration Contracts.", "13 See the decision of the Council."}));
  t.pages.push_back(page({"ments to agree on them, and the deadline passed without them.", "",
                          "Some scientists estimate that certain deposits are more abundant on the seafloor."},
                         "14", 2));
  t.pages.push_back(page({"A last short page of text, with \xEF\xAC\x81nal words."}, "15", 3));
  const quire::ReadResult r = quire::pdf_to_document("/x/report.pdf", t);
  const quire::Document& d = r.document;
  CHECK(d.meta.id == "report");
  CHECK(d.meta.title == "Seabed Mining");
  CHECK(d.meta.authors == std::vector<std::string>{"Caitlin Keating-Bitonti", "Emma Kaboli"});
  CHECK(d.page_labels == std::vector<std::string>{"13", "14", "15"});
  const std::vector<std::string> expected = {
      "The Authority has issued thirty-one exploration contracts since 2001.",
      "Nauru notified the Authority of its sponsorship and of its plan to recover nodules from the deep seabed, which "
      "triggered a rule that required regulations within two governments to agree on them, and the deadline passed "
      "without them.",
      // The footnotes of page 13 come after the paragraph they interrupted, not inside it.
      "12 ISA, Exploration Contracts.",
      "13 See the decision of the Council.",
      "Some scientists estimate that certain deposits are more abundant on the seafloor.",
      "A last short page of text, with final words.",
  };
  CHECK(paragraphs(d) == expected);
  for (const auto& p : paragraphs(d)) {
    CHECK_THAT(p, !Catch::Contains("Congressional Research Service"));
    CHECK_THAT(p, !Catch::Contains("Issues for Congress"));
    CHECK_THAT(p, !Catch::Contains("Downloaded"));
  }
  // Page marks: the second paragraph starts on page 1 and goes on to page 2 at "ments".
  const auto& marks = d.sections.at(0).pages.at(1);
  REQUIRE(marks.size() == 2);
  CHECK(marks[0] == quire::PageMark{0, 1});
  CHECK(d.sections[0].paragraphs[1].substr(marks[1].offset, 4) == "ment");
  CHECK(marks[1].page == 2);

  quire::SplitOptions o;
  o.min_chars = 10;
  const auto passages = quire::split_passages(d, o);
  REQUIRE(passages.size() == 6);
  CHECK(passages[0].page == 1);
  CHECK(passages[0].page_label == "13");
  CHECK(passages[1].page == 1);
  CHECK(passages[1].page_end == 2);
  CHECK(passages[1].page_label_end == "14");
  CHECK(passages[4].page_label == "14");
  CHECK(passages[5].page_label == "15");
}

TEST_CASE("pdf_to_document says when there is no text", "[pdf]") {
  quire::PdfText t;
  t.pages.resize(2);
  CHECK_THROWS_WITH(quire::pdf_to_document("scan.pdf", t),
                    "scan.pdf: no text layer (a scanned PDF?); run with --ocr to read it with tesseract");
  t.pages[0].ocr = t.pages[1].ocr = true;
  CHECK_THROWS_WITH(quire::pdf_to_document("scan.pdf", t), Catch::Contains("OCR found no words"));
}

TEST_CASE("text with form feeds: pages numbered, furniture dropped, a word broken across pages rejoined", "[pdf]") {
  const std::string text =
      "Annual Report on Water\n\nThe committee met in March to discuss the role of local govern-\n3\n\f"
      "Annual Report on Water\nments in the provision of water. It decided nothing at all.\n\n"
      "A second paragraph starts here and goes on for a while.\n4\n\f"
      "Annual Report on Water\nThird page text is here, and it is long enough.\n5\n\f";
  const quire::ReadResult r = quire::read_text_document("/d/report.txt", text);
  const std::vector<std::string> expected = {
      "The committee met in March to discuss the role of local governments in the provision of water. It decided "
      "nothing at all.",
      "A second paragraph starts here and goes on for a while.",
      "Third page text is here, and it is long enough.",
  };
  CHECK(paragraphs(r.document) == expected);
  CHECK(r.document.page_labels.size() == 3);
  const auto passages = quire::split_passages(r.document);
  REQUIRE(passages.size() == 2);  // the short middle paragraph is merged into the next
  CHECK(passages[0].page == 1);
  CHECK(passages[0].page_end == 2);
  CHECK(passages[1].page == 2);
  CHECK(passages[1].page_end == 3);
}

TEST_CASE("a line longer than the cleaner's bound is broken between sentences, not inside one", "[text]") {
  std::string line;
  int n = 0;
  while (line.size() < 3 * quire::kLongestLine) {
    line += "Sentence number " + std::to_string(++n) + " says that Mr. Smith of the U.S. delegation agreed. ";
  }
  const quire::CleanResult r = quire::clean_text(line + "\n");
  REQUIRE(r.blocks.size() >= 3);
  for (const auto& b : r.blocks) {
    INFO(b.text.substr(0, 80));
    CHECK(b.text.size() <= quire::kLongestLine);
    CHECK(b.text.rfind("Sentence number ", 0) == 0);
    CHECK(b.text.substr(b.text.size() - 7) == "agreed.");
  }
}
