// PDF parsing with poppler-cpp (step 1 of pdf_reader.h), OCR of pages without text, the child process
// that isolates both (step 2), and the pipe format between them.
#include <fcntl.h>
#include <poll.h>
#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-page.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <limits>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <regex>
#include <sstream>

#include "quire/errors.h"
#include "quire/pdf_reader.h"
#include "quire/utf8.h"

namespace quire {
namespace {

std::string utf8_of(const poppler::ustring& u) {
  const poppler::byte_array b = u.to_utf8();
  std::string s(b.begin(), b.end());
  return is_valid_utf8(s) ? s : repair_utf8(s).text;
}

// A text string of the info dictionary. Poppler decodes a string without a UTF-16 byte order mark as
// Latin-1, but such strings are in PDFDocEncoding, which differs from Latin-1 in 0x18-0x1F and
// 0x7F-0xA0 (0x90 is a right quotation mark, not the C1 control U+0090). A string holding any of
// those controls was decoded so: it is decoded again. (0xA0 alone is a no-break space in UTF-16 and
// the euro in PDFDocEncoding: read as PDFDocEncoding only with a control beside it.)
std::string info_text(const poppler::ustring& u) {
  bool controls = false, wide = false;
  for (const auto unit : u) {
    if (unit >= 0x100) wide = true;
    if ((unit >= 0x18 && unit <= 0x1F) || (unit >= 0x7F && unit <= 0x9F)) controls = true;
  }
  if (!controls || wide) return utf8_of(u);
  std::string bytes;
  for (const auto unit : u) bytes += static_cast<char>(unit);
  return pdf_doc_encoding_to_utf8(bytes);
}

// The XMP packet as the bytes the file holds. Poppler hands it over as if it were a text string,
// one unit per byte (no byte order mark), but the packet is XML in UTF-8: read as Latin-1 its "’"
// would come out as "â\u0080\u0099". Units past 0xFF mean poppler did decode it (UTF-16): kept so.
std::string xmp_bytes(const poppler::ustring& u) {
  std::string bytes;
  bytes.reserve(u.size());
  for (const auto unit : u) {
    if (unit > 0xFF) return utf8_of(u);
    bytes += static_cast<char>(unit);
  }
  return is_valid_utf8(bytes) ? bytes : repair_utf8(bytes).text;
}

// Poppler reports problems through one process-wide function; the last few are kept for messages.
std::mutex g_poppler_mu;
std::vector<std::string>* g_poppler_errors = nullptr;

void on_poppler_error(const std::string& message, void*) {
  if (g_poppler_errors && g_poppler_errors->size() < 20) g_poppler_errors->push_back(message);
}

std::string collapse(const std::string& s) {
  std::string out;
  for (char c : s) {
    const bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r';
    if (space) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// Title, creator and date from an XMP packet (Dublin Core and the XMP basic schema).
void read_xmp(const std::string& xmp, std::string& title, std::string& author, std::string& date) {
  pugi::xml_document x;
  if (xmp.empty() || !x.load_buffer(xmp.data(), xmp.size())) return;
  const auto first_li = [&x](const char* element) -> std::string {
    const pugi::xpath_node n = x.select_node((std::string("//*[local-name()='") + element + "']").c_str());
    if (!n) return {};
    std::string out;
    for (const pugi::xpath_node li : n.node().select_nodes(".//*[local-name()='li']")) {
      const std::string v = collapse(li.node().text().get());
      if (!v.empty()) out += (out.empty() ? "" : "; ") + v;
      if (std::string(element) == "title" && !out.empty()) break;  // one language of the title
    }
    return out.empty() ? collapse(n.node().text().get()) : out;
  };
  if (title.empty()) title = first_li("title");
  if (author.empty()) author = first_li("creator");
  if (date.empty()) {
    for (const char* e : {"CreateDate", "date"}) {
      const pugi::xpath_node n = x.select_node((std::string("//*[local-name()='") + e + "']").c_str());
      if (n) date = pdf_date(first_li(e));
      if (!date.empty()) break;
    }
  }
}

// Titles that are not titles: what a conversion tool wrote ("Microsoft Word - draft.docx").
bool junk_title(const std::string& t) {
  if (t.empty()) return true;
  std::string l = t;
  std::transform(l.begin(), l.end(), l.begin(), [](unsigned char c) { return std::tolower(c); });
  for (const char* bad : {"microsoft word", "untitled", ".doc", ".pdf", ".indd", ".tex", ".dvi", "powerpoint"}) {
    if (l.find(bad) != std::string::npos) return true;
  }
  // A file name: "10811.exe", "report_final.docx".
  static const std::regex file_name(R"(^\S+\.[a-z0-9]{2,4}$)");
  if (std::regex_match(l, file_name)) return true;
  return l.find_first_not_of("0123456789-_ .") == std::string::npos;
}

// Words (in poppler's reading order) grouped into lines: a word starts a new line when it does not sit
// on the previous word's line or lies to its left.
std::vector<PdfLine> lines_of(const std::vector<poppler::text_box>& words) {
  std::vector<PdfLine> lines;
  bool space_after = false;
  double prev_size = 0, prev_bottom = 0, prev_top = 0;
  for (const auto& w : words) {
    const poppler::rectf b = w.bbox();
    std::string t = utf8_of(w.text());
    if (t.empty()) continue;
    const bool rotated = w.rotation() == 1 || w.rotation() == 3;
    const double y0 = b.top(), y1 = b.bottom();
    // A footnote marker: a number or dagger in small print, raised above the word before it.
    const bool marker_chars = t.size() <= 3 && t.find_first_not_of("0123456789*") == std::string::npos;
    const bool dagger = t == "\u2020" || t == "\u2021";
    if ((marker_chars || dagger) && !lines.empty() && !rotated && prev_size > 0 &&
        w.get_font_size() < 0.8 * prev_size && y1 < prev_bottom - 0.15 * (prev_bottom - prev_top) &&
        b.left() >= lines.back().x1 - 1) {
      space_after = w.has_space_after();
      continue;
    }
    prev_size = w.get_font_size();
    prev_bottom = y1;
    prev_top = y0;
    bool same = false;
    if (!lines.empty()) {
      const PdfLine& l = lines.back();
      const double overlap = std::min(l.y1, y1) - std::max(l.y0, y0);
      const double h = std::max(1.0, std::min(l.y1 - l.y0, y1 - y0));
      // Words far apart on one baseline are in different columns (or a sidebar beside the text).
      same = l.rotated == rotated &&
             (rotated || (overlap > 0.5 * h && b.left() >= l.x1 - 0.5 * h && b.left() - l.x1 < 1.5 * h));
      if (rotated && same) same = std::abs(b.left() - l.x0) < 0.5 * std::max(1.0, b.width());
    }
    if (!same) {
      PdfLine l;
      l.x0 = b.left();
      l.x1 = b.right();
      l.y0 = y0;
      l.y1 = y1;
      l.rotated = rotated;
      lines.push_back(std::move(l));
    } else if (space_after || b.left() - lines.back().x1 > 0.15 * (y1 - y0)) {
      lines.back().text += ' ';
    }
    PdfLine& l = lines.back();
    l.text += collapse(t);
    l.x0 = std::min(l.x0, b.left());
    l.x1 = std::max(l.x1, b.right());
    l.y0 = std::min(l.y0, y0);
    l.y1 = std::max(l.y1, y1);
    l.font_size = std::max(l.font_size, w.get_font_size());
    space_after = w.has_space_after();
  }
  return lines;
}

// Runs `argv` with stdout to `out_path`; true on exit code 0.
bool run_tool(const std::vector<std::string>& argv, const std::string& out_path) {
  const pid_t pid = ::fork();
  if (pid < 0) return false;
  if (pid == 0) {
    const int out = ::open(out_path.empty() ? "/dev/null" : out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int null = ::open("/dev/null", O_RDWR);
    if (out >= 0) ::dup2(out, STDOUT_FILENO);
    if (null >= 0) {
      ::dup2(null, STDIN_FILENO);
      ::dup2(null, STDERR_FILENO);
    }
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execvp(args[0], args.data());
    ::_exit(127);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

// OCR of the pages in `pages` (0-based) that have no text: pdftoppm renders each at 300 dpi, tesseract
// reads it. Throws InputError when the tools are missing.
void ocr_pages(const std::string& path, const std::string& bytes, std::vector<PdfPage>& pages) {
  char tmpl[] = "/tmp/quire-ocr-XXXXXX";
  if (!::mkdtemp(tmpl))
    throw InputError(path, std::string("OCR: cannot make a temporary folder: ") + std::strerror(errno));
  const std::string dir = tmpl;
  struct Cleanup {
    std::string dir;
    ~Cleanup() {
      std::error_code ec;
      std::filesystem::remove_all(dir, ec);
    }
  } cleanup{dir};
  const std::string pdf = dir + "/in.pdf";
  {
    std::FILE* f = std::fopen(pdf.c_str(), "wb");
    if (!f || std::fwrite(bytes.data(), 1, bytes.size(), f) != bytes.size()) {
      if (f) std::fclose(f);
      throw InputError(path, "OCR: cannot write a temporary copy");
    }
    std::fclose(f);
  }
  for (std::size_t i = 0; i < pages.size(); ++i) {
    if (!pages[i].lines.empty()) continue;
    const std::string n = std::to_string(i + 1);
    const std::string png = dir + "/page";
    if (!run_tool({"pdftoppm", "-r", "300", "-gray", "-png", "-singlefile", "-f", n, "-l", n, pdf, png}, ""))
      throw InputError(path, "OCR: pdftoppm (poppler-utils) failed or is not installed");
    const std::string txt = dir + "/page.txt";
    if (!run_tool({"tesseract", png + ".png", "stdout", "-l", "eng", "--psm", "1"}, txt))
      throw InputError(path, "OCR: tesseract (tesseract-ocr, tesseract-ocr-eng) failed or is not installed");
    std::ifstream in(txt);
    std::string line;
    double y = 0;
    while (std::getline(in, line)) {
      y += 12;
      const std::string t = collapse(line);
      PdfLine l;
      l.text = is_valid_utf8(t) ? t : repair_utf8(t).text;
      l.x0 = 72;
      l.x1 = t.empty() ? 72 : 540;
      l.y0 = y;
      l.y1 = y + 10;
      l.font_size = 10;
      if (t.empty())
        y += 12;  // a blank line: the next paragraph starts lower
      else
        pages[i].lines.push_back(std::move(l));
    }
    pages[i].ocr = true;
  }
}

}  // namespace

std::string pdf_date(const std::string& v) {
  std::string s = v;
  if (s.compare(0, 2, "D:") == 0) s = s.substr(2);
  std::string digits;
  for (char c : s) {
    if (c >= '0' && c <= '9')
      digits += c;
    else if (c != '-' || digits.size() >= 8)
      break;
  }
  if (digits.size() < 4) return {};
  const int year = std::stoi(digits.substr(0, 4));
  if (year < 1900 || year > 2100) return {};
  std::string out = digits.substr(0, 4);
  if (digits.size() >= 6) {
    const int month = std::stoi(digits.substr(4, 2));
    if (month < 1 || month > 12) return out;
    out += "-" + digits.substr(4, 2);
    if (digits.size() >= 8) {
      const int day = std::stoi(digits.substr(6, 2));
      if (day >= 1 && day <= 31) out += "-" + digits.substr(6, 2);
    }
  }
  return out;
}

std::string pdf_doc_encoding_to_utf8(std::string_view bytes) {
  // PDF 32000-1:2008 Annex D.2: where PDFDocEncoding is not Latin-1. 0 marks a byte with no character.
  static const char32_t k18[8] = {0x02D8, 0x02C7, 0x02C6, 0x02D9, 0x02DD, 0x02DB, 0x02DA, 0x02DC};
  static const char32_t k7F[34] = {0,      0x2022, 0x2020, 0x2021, 0x2026, 0x2014, 0x2013, 0x0192, 0x2044,
                                   0x2039, 0x203A, 0x2212, 0x2030, 0x201E, 0x201C, 0x201D, 0x2018, 0x2019,
                                   0x201A, 0x2122, 0xFB01, 0xFB02, 0x0141, 0x0152, 0x0160, 0x0178, 0x017D,
                                   0x0131, 0x0142, 0x0153, 0x0161, 0x017E, 0,      0x20AC};
  std::string out;
  out.reserve(bytes.size());
  for (const char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    char32_t cp = c;
    if (c >= 0x18 && c <= 0x1F) cp = k18[c - 0x18];
    if (c >= 0x7F && c <= 0xA0) cp = k7F[c - 0x7F];
    if (c == 0xAD) cp = 0;
    append_utf8(out, cp == 0 ? kReplacementChar : cp);
  }
  return out;
}

std::string fold_ligatures(const std::string& text) {
  if (text.find("\xEF\xAC") == std::string::npos) return text;
  static const char* const kFolded[] = {"ff", "fi", "fl", "ffi", "ffl", "st", "st"};
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i + 2 < text.size() && text[i] == '\xEF' && text[i + 1] == '\xAC') {
      const auto c = static_cast<unsigned char>(text[i + 2]);
      if (c >= 0x80 && c <= 0x86) {
        out += kFolded[c - 0x80];
        i += 2;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

PdfText extract_pdf(const std::string& path, const std::string& bytes, bool ocr) {
  if (bytes.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
    throw InputError(path, "PDF too large for the parser (2 GB)");
  std::vector<std::string> errors;
  std::unique_ptr<poppler::document> doc;
  {
    // Poppler's error callback is process-wide: one parse opens a file at a time (pages are read below).
    std::lock_guard<std::mutex> lock(g_poppler_mu);
    g_poppler_errors = &errors;
    poppler::set_debug_error_function(on_poppler_error, nullptr);
    doc.reset(poppler::document::load_from_raw_data(bytes.data(), static_cast<int>(bytes.size())));
    g_poppler_errors = nullptr;
  }
  if (!doc) {
    std::string why = errors.empty() ? "poppler cannot open it" : errors.back();
    for (const auto& e : errors) {
      if (e.find("Incorrect password") != std::string::npos) why = e;
    }
    if (bytes.compare(0, 5, "%PDF-") != 0 && bytes.find("%PDF-") == std::string::npos)
      throw InputError(path, "not a PDF (no %PDF- header)");
    throw InputError(path, "damaged PDF, not readable: " + why);
  }
  if (doc->is_locked())
    throw InputError(path, "encrypted: the PDF needs a user password to open (quire cannot read it)");
  PdfText out;
  const int n = doc->pages();
  if (n <= 0) throw InputError(path, "damaged PDF: it has no pages");
  // Metadata: the title from XMP's dc:title when it has one (Unicode, and what the authoring tool keeps
  // up to date), else the info dictionary's; author and date from the info dictionary, XMP for what it
  // lacks. Nothing is guessed.
  std::string title = collapse(fold_ligatures(info_text(doc->info_key("Title"))));
  if (junk_title(title)) title.clear();
  out.author = collapse(info_text(doc->info_key("Author")));
  out.date = pdf_date(info_text(doc->info_key("CreationDate")));
  std::string xmp_title;
  read_xmp(xmp_bytes(doc->metadata()), xmp_title, out.author, out.date);
  xmp_title = collapse(xmp_title);
  if (!junk_title(xmp_title)) title = xmp_title;
  out.title = title;
  bool any_text = false;
  for (int i = 0; i < n; ++i) {
    PdfPage page;
    std::unique_ptr<poppler::page> p(doc->create_page(i));
    if (!p) {
      out.warnings.push_back("page " + std::to_string(i + 1) + " could not be read");
      out.pages.push_back(std::move(page));
      continue;
    }
    page.label = collapse(utf8_of(p->label()));
    const poppler::rectf box = p->page_rect(poppler::media_box);
    page.width = box.width();
    page.height = box.height();
    page.lines = lines_of(p->text_list(poppler::page::text_list_include_font));
    for (auto& l : page.lines) l.text = fold_ligatures(l.text);
    any_text = any_text || !page.lines.empty();
    out.pages.push_back(std::move(page));
  }
  if (ocr) {
    const bool some_empty =
        std::any_of(out.pages.begin(), out.pages.end(), [](const PdfPage& p) { return p.lines.empty(); });
    if (some_empty) ocr_pages(path, bytes, out.pages);
  } else if (!any_text) {
    throw InputError(path, "no text layer (a scanned PDF?); run with --ocr to read it with tesseract");
  }
  return out;
}

// The pipe format: one JSON object. Compact keys; the child and the parent are the same program.
std::string serialise(const PdfText& t) {
  nlohmann::json pages = nlohmann::json::array();
  for (const auto& p : t.pages) {
    nlohmann::json lines = nlohmann::json::array();
    for (const auto& l : p.lines) lines.push_back({l.text, l.x0, l.y0, l.x1, l.y1, l.font_size, l.rotated});
    pages.push_back({{"l", p.label}, {"w", p.width}, {"h", p.height}, {"o", p.ocr}, {"t", std::move(lines)}});
  }
  return nlohmann::json{
      {"pages", std::move(pages)}, {"title", t.title}, {"author", t.author}, {"date", t.date}, {"warnings", t.warnings}}
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

PdfText deserialise_pdf_text(const std::string& data) {
  const nlohmann::json j = nlohmann::json::parse(data);
  PdfText t;
  t.title = j.value("title", "");
  t.author = j.value("author", "");
  t.date = j.value("date", "");
  t.warnings = j.value("warnings", std::vector<std::string>{});
  for (const auto& jp : j.at("pages")) {
    PdfPage p;
    p.label = jp.value("l", "");
    p.width = jp.value("w", 0.0);
    p.height = jp.value("h", 0.0);
    p.ocr = jp.value("o", false);
    for (const auto& jl : jp.at("t")) {
      PdfLine l;
      l.text = jl.at(0).get<std::string>();
      l.x0 = jl.at(1).get<double>();
      l.y0 = jl.at(2).get<double>();
      l.x1 = jl.at(3).get<double>();
      l.y1 = jl.at(4).get<double>();
      l.font_size = jl.at(5).get<double>();
      l.rotated = jl.at(6).get<bool>();
      p.lines.push_back(std::move(l));
    }
    t.pages.push_back(std::move(p));
  }
  return t;
}

int run_pdf_helper(const std::vector<std::string>& args) {
  bool ocr = false;
  std::string path = "-";
  for (const auto& a : args) {
    if (a == "--ocr")
      ocr = true;
    else
      path = a;
  }
  std::string bytes((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  nlohmann::json reply;
  int code = 0;
  try {
    reply = {{"ok", serialise(extract_pdf(path, bytes, ocr))}};
  } catch (const InputError& e) {
    reply = {{"error", e.reason()}};
    code = 1;
  } catch (const std::exception& e) {
    reply = {{"error", std::string("the PDF parser failed: ") + e.what()}};
    code = 1;
  }
  std::cout << reply.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::cout.flush();
  return code;
}

PdfText extract_pdf_isolated(const std::string& path, const std::string& bytes, const ReadContext& ctx) {
  if (ctx.helper_program.empty()) return extract_pdf(path, bytes, ctx.ocr);
  // The bytes go to the child through an anonymous memory file as its standard input; its answer comes
  // back through a pipe, read while it runs so a large answer cannot block it.
  const int in = ::memfd_create("quire-pdf", MFD_CLOEXEC);
  if (in < 0) throw InputError(path, std::string("cannot start the PDF parser: memfd_create: ") + std::strerror(errno));
  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t w = ::write(in, bytes.data() + written, bytes.size() - written);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) {
      ::close(in);
      throw InputError(path, std::string("cannot start the PDF parser: ") + std::strerror(errno));
    }
    written += static_cast<std::size_t>(w);
  }
  ::lseek(in, 0, SEEK_SET);
  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) {
    ::close(in);
    throw InputError(path, std::string("cannot start the PDF parser: pipe: ") + std::strerror(errno));
  }
  std::vector<std::string> argv = {ctx.helper_program, "__extract-pdf"};
  if (ctx.ocr) argv.push_back("--ocr");
  argv.push_back(path);
  std::vector<char*> cargv;
  for (auto& a : argv) cargv.push_back(a.data());
  cargv.push_back(nullptr);
  const rlim_t cpu = ctx.cpu_seconds * (ctx.ocr ? 10 : 1);
  const rlim_t mem = static_cast<rlim_t>(ctx.memory_mb) << 20;
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(in);
    ::close(out[0]);
    ::close(out[1]);
    throw InputError(path, std::string("cannot start the PDF parser: fork: ") + std::strerror(errno));
  }
  if (pid == 0) {
    // Only async-signal-safe calls between fork and exec.
    ::dup2(in, STDIN_FILENO);
    ::dup2(out[1], STDOUT_FILENO);
    const int null = ::open("/dev/null", O_WRONLY);
    if (null >= 0) ::dup2(null, STDERR_FILENO);
    ::setpgid(0, 0);
    struct rlimit r {};
    r.rlim_cur = cpu;  // SIGXCPU; the hard limit (SIGKILL) a little later
    r.rlim_max = cpu + 5;
    ::setrlimit(RLIMIT_CPU, &r);
    // AddressSanitizer reserves terabytes of address space for its shadow memory, so a sanitizer build
    // cannot start under an address-space limit: there the child is bounded by time only.
#if !defined(__SANITIZE_ADDRESS__)
    r.rlim_cur = r.rlim_max = mem;
    ::setrlimit(RLIMIT_AS, &r);
#else
    (void)mem;
#endif
    r.rlim_cur = r.rlim_max = 0;
    ::setrlimit(RLIMIT_CORE, &r);
    ::execv(cargv[0], cargv.data());
    ::_exit(127);
  }
  ::close(in);
  ::close(out[1]);
  std::string answer;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(ctx.wall_seconds * (ctx.ocr ? 10 : 1));
  bool timed_out = false;
  char buf[65536];
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    struct pollfd pfd {
      out[0], POLLIN, 0
    };
    const int ready = ::poll(&pfd, 1, static_cast<int>(std::min<long long>(left.count(), 1000)));
    if (ready < 0 && errno != EINTR) break;
    if (ready <= 0) continue;
    const ssize_t r = ::read(out[0], buf, sizeof buf);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    answer.append(buf, static_cast<std::size_t>(r));
  }
  ::close(out[0]);
  if (timed_out) ::kill(-pid, SIGKILL), ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  const std::string limits = " (limits: " + std::to_string(cpu) + " s CPU, " + std::to_string(ctx.memory_mb) +
                             " MB memory, " + std::to_string(ctx.wall_seconds * (ctx.ocr ? 10 : 1)) + " s)";
  if (timed_out) throw InputError(path, "the PDF parser did not finish and was stopped" + limits);
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    if (sig == SIGXCPU || sig == SIGKILL)
      throw InputError(path, "the PDF parser ran out of CPU time and was stopped" + limits);
    throw InputError(path, std::string("the PDF parser crashed (") + strsignal(sig) + ") on this file" + limits);
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 127 && answer.empty())
    throw InputError(path, "cannot start the PDF parser " + ctx.helper_program);
  nlohmann::json reply;
  try {
    reply = nlohmann::json::parse(answer);
  } catch (const nlohmann::json::exception&) {
    // std::bad_alloc in the child under RLIMIT_AS ends it with SIGABRT or an exit without an answer.
    throw InputError(path, "the PDF parser failed without an answer (out of memory?)" + limits);
  }
  if (reply.contains("error")) throw InputError(path, reply.at("error").get<std::string>());
  return deserialise_pdf_text(reply.at("ok").get<std::string>());
}

ReadResult read_pdf_document(const std::string& path, const std::string& bytes, const ReadContext& context) {
  // Chosen by its name alone: say what the file is instead.
  if (const ContentKind kind = sniff_content(bytes); kind != ContentKind::kPdf)
    throw InputError(path, "not a PDF (no %PDF- header): the content is " + to_string(kind));
  return pdf_to_document(path, extract_pdf_isolated(path, bytes, context));
}

}  // namespace quire
