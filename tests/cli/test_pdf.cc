// quire on the real PDFs of ../shared/data/pdf: the readable ones indexed with pages and labels, the
// broken ones reported by name and reason, no running header or footer left in a passage; PDFs under
// other names read by what they are; damaged copies; OCR; text with form feeds; convert.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "support.h"

using quire::test::run_quire;
using quire::test::shared_dir;
using quire::test::TempDir;

namespace {

// As quire names it: absolute and normalised.
std::string pdf(const std::string& name) {
  // As quire names it: its real path (../shared may be a link).
  std::error_code ec;
  const std::filesystem::path p = std::filesystem::absolute(shared_dir() + "/data/pdf/" + name).lexically_normal();
  const std::filesystem::path real = std::filesystem::canonical(p, ec);
  return (ec ? p : real).string();
}

bool have_pdfs() {
  if (std::filesystem::exists(shared_dir() + "/data/pdf")) return true;
  WARN("skipped: " << shared_dir() << "/data/pdf is not there");
  return false;
}

nlohmann::json search(const std::string& db, const std::string& query, int limit = 1) {
  const auto r = run_quire({"search", "--db", db, "--json", "--passages", "--limit", std::to_string(limit), query});
  REQUIRE(r.exit_code == 0);
  return nlohmann::json::parse(r.out)["results"];
}

}  // namespace

// In test_quotes.cc: the PDF rows of tests/data/quotes.tsv against an index of ../shared/data/pdf.
void check_pdf_quotes(const std::string& db);

// One test case for everything that needs the index of the whole folder, so it is made once.
TEST_CASE("a folder of real PDFs: readable ones indexed with pages and labels, the rest named with the reason",
          "[cli][pdf]") {
  if (!have_pdfs()) return;
  std::string output;
  const std::string& db = quire::test::pdf_index(&output);
  check_pdf_quotes(db);
  struct Broken {
    const char* file;
    const char* reason;
  };
  const Broken broken[] = {
      {"doclaynet-p3-user-password-1234.pdf", "encrypted: the PDF needs a user password to open"},
      {"huckfinn-p22-scanned-no-text.pdf", "no text layer (a scanned PDF?); run with --ocr"},
  };
  for (const auto& b : broken) {
    CAPTURE(b.file);
    CHECK_THAT(output, Catch::Contains("quire: not indexed: " + pdf(b.file) + ": " + b.reason));
  }
  // An HTML page saved as .pdf is judged by its content: read as HTML when quire has that reader, else
  // reported as not a PDF; never as a damaged PDF.
  CHECK_THAT(output, !Catch::Contains("gao-08-1075t-actually-html.pdf: damaged"));
  if (output.find("gao-08-1075t-actually-html.pdf:") != std::string::npos)
    CHECK_THAT(output,
               Catch::Contains("gao-08-1075t-actually-html.pdf: not a PDF (no %PDF- header): the content is HTML"));
  // 20 PDFs, the README and manifest; the .tsv has no reader and is counted.
  CHECK_THAT(output, Catch::Contains("skipped 1: .tsv 1"));
  const auto info = run_quire({"info", "--db", db, "--json"});
  REQUIRE(info.exit_code == 0);
  CHECK(nlohmann::json::parse(info.out)["documents"].get<int>() >= 18);
  // Owner-password-only and RC4 files are indexed.
  for (const char* id : {"layoutparser-owner-password-aes", "copyright-office-dmca-summary-rc4"}) {
    CAPTURE(id);
    CHECK_THAT(output, !Catch::Contains(std::string(id) + ".pdf: "));
  }

  // Sentences found with their physical page and printed label.
  struct Case {
    const char* query;
    const char* id;
    int page;
    const char* label;
  };
  const Case cases[] = {
      {"\"Nauru claimed its efforts to mine the seabed would support the global transition\"",
       "crs-R47324.18-seabed-mining", 14, "14"},
      {"\"The ISA did not meet this two-year deadline\"", "crs-R47324.18-seabed-mining", 14, "14"},
      {"\"IEA classifies oil sands as nonconventional\"", "gao-07-283-crude-oil-peak", 20, "20"},
      {"\"passage encoders can be implemented by any neural networks\"", "dpr-emnlp2020-two-column", 3, "3"},
      {"\"number of people with a disability increased by 2.2 million\"", "icdar2013-us-001-census-disability", 2, "2"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.query);
    const auto hits = search(db, c.query);
    REQUIRE(hits.size() == 1);
    CHECK(hits[0]["id"] == c.id);
    const auto& p = hits[0]["passages"][0];
    CHECK(p["page"] == c.page);
    CHECK(p["page_label"] == c.label);
    CHECK_THAT(hits[0]["citation"].get<std::string>(), Catch::EndsWith(std::string(", p. ") + c.label + "."));
  }
  // The terminal output cites the page too.
  const auto text = run_quire({"search", "--db", db, "--color", "never", "\"Nauru claimed its efforts\""});
  CHECK_THAT(text.out, Catch::Contains("Issues for Congress\u201D, 2026-04-17, p. 14.\n"));

  // No running header, footer or page number left in a passage of a real report.
  struct Furniture {
    const char* query;  // finds passages where furniture would be
    const char* furniture;
  };

  const Furniture furniture[] = {
      {"\"Congressional Research Service\"", R"(Congressional Research Service \d{1,3}\b)"},
      {"crsreports", R"(https://crsreports\.congress\.gov\s*$)"},
      {"\"Seabed Mining in Areas Beyond National Jurisdiction\"", R"(Jurisdiction: Issues for Congress \w+ \w+)"},
      {"GAO-07-283", R"(Page \d+ GAO-07-283)"},
      {"\"Federal Register\"", R"(Federal Register / Vol\. 85)"},
      {"arXiv", R"(arXiv:2004\.04906v\d)"},
  };
  for (const auto& c : furniture) {
    CAPTURE(c.query);
    const std::regex bad(c.furniture);
    const auto hits = search(db, c.query, 50);
    for (const auto& h : hits) {
      for (const auto& p : h["passages"]) {
        const std::string t = p["text"];
        CAPTURE(h["id"], t.substr(0, 200));
        CHECK(!std::regex_search(t, bad));
      }
    }
  }
}

TEST_CASE("printed page labels differ from physical pages where the PDF says so", "[cli][pdf]") {
  if (!have_pdfs()) return;
  const auto r = run_quire({"convert", pdf("pagelabels-roman-frontmatter.pdf")});
  REQUIRE(r.exit_code == 0);
  // Roman labels on the first two pages, then arabic numbering restarting at 1 twice.
  CHECK_THAT(r.out, Catch::Contains("pages=\"0:1:iii\""));
  CHECK_THAT(r.out, Catch::Contains("pages=\"0:2:iv\""));
  CHECK_THAT(r.out, Catch::Contains(":3:1\""));
  CHECK_THAT(r.out, Catch::Contains(":5:1\""));
}

TEST_CASE("PDFs are read by what they are whatever their names, and damaged copies are reported", "[cli][pdf]") {
  if (!have_pdfs()) return;
  TempDir dir;
  std::string bytes = quire::test::read_file(pdf("crs-LSB11419.2-election-law-supreme-court.pdf"));
  dir.write("named-as-text.txt", bytes);
  dir.write("no-extension", bytes);
  dir.write("truncated.pdf", bytes.substr(0, bytes.size() / 3));
  // A wrong startxref offset: poppler rebuilds a classic cross-reference table, and reports one kept in
  // a stream that it cannot rebuild.
  const auto break_xref = [](std::string b) {
    const std::size_t sx = b.rfind("startxref");
    REQUIRE(sx != std::string::npos);
    const std::size_t end = b.find_first_of("\r\n", sx + 10);
    return b.replace(sx + 10, end - (sx + 10), "999");
  };
  dir.write("bad-xref.pdf", break_xref(quire::test::read_file(pdf("gao-08-587t-testimony.pdf"))));
  dir.write("bad-xref-stream.pdf", break_xref(bytes));
  dir.write("empty.pdf", "");
  dir.write("header-only.pdf", "%PDF-1.7\n");
  const auto r = run_quire({"index", "--db", dir.path() + "/index", dir.path()});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains(dir.path() + "/truncated.pdf: damaged PDF"));
  CHECK_THAT(r.err, Catch::Contains(dir.path() + "/header-only.pdf: damaged PDF"));
  CHECK_THAT(r.err, Catch::Contains(dir.path() + "/empty.pdf: not a PDF (no %PDF- header): the content is empty file"));
  CHECK_THAT(r.err, !Catch::Contains("named-as-text.txt"));
  CHECK_THAT(r.err, !Catch::Contains("no-extension"));
  CHECK_THAT(r.err, !Catch::Contains("bad-xref.pdf"));
  CHECK_THAT(
      r.err,
      Catch::Contains(dir.path() + "/bad-xref-stream.pdf: damaged PDF, not readable: error: Couldn't read xref table"));
  CHECK_THAT(r.out, Catch::Contains("indexed 3 of 7 files"));
  const auto documents = [&dir](const std::string& q) {
    std::set<std::string> ids;
    for (const auto& h : search(dir.path() + "/index", q, 100)) ids.insert(h["id"].get<std::string>());
    return ids;
  };
  CHECK(documents("\"Supreme Court\"") == std::set<std::string>{"named-as-text", "no-extension"});
  CHECK(documents("\"Government Accountability Office\"") == std::set<std::string>{"bad-xref"});
}

TEST_CASE("a PDF that takes too long to parse is stopped and reported, and the run goes on", "[cli][pdf]") {
  TempDir dir;
  // One page with a content stream of a million text operations: seconds of work for the parser.
  std::string content;
  for (int i = 0; i < 400000; ++i) content += "BT /F1 9 Tf 72 700 Td (word " + std::to_string(i) + ") Tj ET\n";
  std::string p =
      "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
      "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
      "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
      "/Resources << /Font << /F1 5 0 R >> >> >> endobj\n"
      "5 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj\n"
      "4 0 obj << /Length " +
      std::to_string(content.size()) + " >> stream\n" + content +
      "endstream endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
  dir.write("slow.pdf", p);
  dir.write("fine.txt", "A perfectly good document about maritime security in the Arabian Sea.\n");
  const auto r = run_quire({"index", "--db", dir.path() + "/index", "--pdf-seconds", "1", dir.path()});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains(dir.path() + "/slow.pdf: the PDF parser"));
  CHECK_THAT(r.err, Catch::Contains("and was stopped"));
  CHECK_THAT(r.out, Catch::Contains("indexed 1 of 2 files"));
}

TEST_CASE("a scanned PDF is read with --ocr, and its text marked as OCR", "[cli][pdf][ocr]") {
  if (!have_pdfs()) return;
  if (std::system("command -v tesseract >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1") != 0) {
    WARN("skipped: tesseract or pdftoppm is not installed");
    return;
  }
  TempDir dir;
  const auto r = run_quire({"index", "--db", dir.path() + "/index", "--ocr", pdf("huckfinn-p22-scanned-no-text.pdf")});
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.err, Catch::Contains("read by OCR (tesseract)"));
  const auto hits = search(dir.path() + "/index", "\"stooping down so as the branches\"");
  REQUIRE(hits.size() == 1);
  CHECK(hits[0]["passages"][0]["page"] == 1);
  CHECK(hits[0]["extra"]["ocr_pages"] == "1");
}

TEST_CASE("real PDF titles read as pdfinfo shows them, from XMP or the info dictionary", "[cli][pdf]") {
  if (!have_pdfs()) return;
  const struct {
    const char* file;
    const char* title;  ///< as pdfinfo prints it
  } cases[] = {
      // XMP packets in UTF-8: a curly apostrophe, no-break spaces.
      {"crs-IF12672.12-russia-nuclear-weapons.pdf", "<title>Russia\xE2\x80\x99s Nuclear Weapons</title>"},
      {"crs-RL34498-income-tax-brackets.pdf",
       "<title>Federal Individual Income Tax Brackets, Standard Deductions, and Personal Exemption: "
       "1988\xC2\xA0"
       "to\xC2\xA0"
       "2026</title>"},
      {"crs-R47324.18-seabed-mining.pdf",
       "<title>Seabed Mining in Areas Beyond National Jurisdiction: Issues for Congress</title>"},
  };
  for (const auto& c : cases) {
    INFO(c.file);
    const auto xml = run_quire({"convert", pdf(c.file)});
    REQUIRE(xml.exit_code == 0);
    CHECK_THAT(xml.out, Catch::Contains(c.title));
    CHECK_THAT(xml.out, !Catch::Contains("\xC3\xA2\xC2\x80"));  // UTF-8 read as Latin-1 ("â\u0080")
  }
}

TEST_CASE("convert --text prints one paragraph per line, and convert of a PDF keeps the pages", "[cli][pdf]") {
  if (!have_pdfs()) return;
  const auto text = run_quire({"convert", "--text", pdf("crs-R47324.18-seabed-mining.pdf")});
  REQUIRE(text.exit_code == 0);
  CHECK_THAT(text.out, Catch::Contains("\nIn 2021, the Republic of Nauru, a Pacific Island country, notified the ISA"));
  CHECK_THAT(text.out, !Catch::Contains("Congressional Research Service 14"));
  const auto xml = run_quire({"convert", pdf("crs-R47324.18-seabed-mining.pdf")});
  REQUIRE(xml.exit_code == 0);
  CHECK_THAT(xml.out, Catch::Contains(
                          "<title>Seabed Mining in Areas Beyond National Jurisdiction: Issues for Congress</title>"));
  CHECK_THAT(xml.out, Catch::Contains(":14:14"));
  // The XML read back gives the same passages with the same pages.
  TempDir dir;
  dir.write("seabed.xml", xml.out);
  REQUIRE(run_quire({"index", "--db", dir.path() + "/index", dir.path() + "/seabed.xml"}).exit_code == 0);
  const auto hits = search(dir.path() + "/index", "\"Nauru claimed its efforts\"");
  REQUIRE(hits.size() == 1);
  CHECK(hits[0]["passages"][0]["page_label"] == "14");
}

TEST_CASE("pdftotext output with form feeds gets its pages", "[cli][pdf]") {
  if (!have_pdfs() || std::system("command -v pdftotext >/dev/null 2>&1") != 0) return;
  TempDir dir;
  const std::string txt = dir.path() + "/seabed.txt";
  REQUIRE(std::system(
              ("pdftotext -enc UTF-8 '" + pdf("crs-R47324.18-seabed-mining.pdf") + "' '" + txt + "'").c_str()) == 0);
  REQUIRE(run_quire({"index", "--db", dir.path() + "/index", txt}).exit_code == 0);
  const auto hits = search(dir.path() + "/index", "\"Nauru claimed its efforts to mine the seabed\"");
  REQUIRE(hits.size() == 1);
  // The sentence is on page 14; its passage may begin on page 13 (footnotes are not told apart in text).
  const auto& first = hits[0]["passages"][0];
  CHECK(first.value("page_end", first["page"].get<int>()) == 14);
  const auto furniture = search(dir.path() + "/index", "\"Congressional Research Service\"", 50);
  for (const auto& h : furniture) {
    for (const auto& p : h["passages"])
      CHECK(!std::regex_search(p["text"].get<std::string>(), std::regex(R"(Congressional Research Service \d)")));
  }
}

TEST_CASE("a real speech on one line longer than 16 KB is broken between sentences, and a phrase at the bound is found",
          "[cli][text]") {
  const std::string archive = shared_dir() + "/data/ungdc/ungdc-txt.tar.xz";
  if (!std::filesystem::exists(archive)) {
    WARN("skipped: " << archive << " is not there");
    return;
  }
  TempDir dir;
  const std::string member = "TXT/Session 79 - 2024/TUR_79_2024.txt";
  REQUIRE(std::system(("tar -xJf '" + archive + "' -C '" + dir.path() + "' '" + member + "'").c_str()) == 0);
  const std::string text = quire::test::read_file(dir.path() + "/" + member);
  // The speech's longest line, and the words around the last space before 16 KB, where a break at a
  // space would fall: the phrase must not be cut.
  std::string line;
  std::size_t b = 0;
  while (b < text.size()) {
    std::size_t e = text.find('\n', b);
    if (e == std::string::npos) e = text.size();
    if (e - b > line.size()) line = text.substr(b, e - b);
    b = e + 1;
  }
  REQUIRE(line.size() > 16384);
  const std::size_t cut = line.rfind(' ', 16383);
  std::size_t from = cut, to = cut;
  for (int w = 0; w < 4; ++w) from = line.rfind(' ', from - 1);
  for (int w = 0; w < 4; ++w) to = line.find(' ', to + 1);
  const std::string phrase = line.substr(from + 1, to - from - 1);
  CAPTURE(phrase);
  REQUIRE(phrase.find_first_of(".!?") == std::string::npos);  // within one sentence
  REQUIRE(run_quire({"index", "--db", dir.path() + "/index", dir.path() + "/TXT"}).exit_code == 0);
  const auto hits = search(dir.path() + "/index", "\"" + phrase + "\"");
  REQUIRE(hits.size() == 1);
  CHECK(hits[0]["id"] == "Session_79_-_2024/TUR_79_2024");  // its path under the folder given
}
