// The XML and plain-text document readers. See readers.h; the XML format is schemas/document.xsd.
#include "quire/readers.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <pugixml.hpp>
#include <regex>
#include <sstream>

#include "quire/dates.h"
#include "quire/errors.h"
#include "quire/files.h"
#include "quire/index_format.h"
#include "quire/pdf_reader.h"
#include "quire/reader_registry.h"
#include "quire/text_cleaner.h"
#include "quire/tokenizer.h"
#include "quire/utf8.h"

namespace quire {
namespace {

using format::kMaxIdBytes;

std::string extension_of(const std::string& path) {
  const std::size_t slash = path.find_last_of('/');
  const std::size_t dot = path.find_last_of('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return {};
  std::string ext = path.substr(dot + 1);
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext;
}

std::string stem_of(const std::string& path) {
  const std::size_t slash = path.find_last_of('/');
  std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  const std::size_t dot = name.find_last_of('.');
  return dot == std::string::npos || dot == 0 ? name : name.substr(0, dot);
}

// Plain text with form feeds as PDF pages: one line per text line, laid out on a grid (12 points a
// line, 5 a character) so that the PDF reader's gaps, indents and page bands apply.
PdfText text_pages(const std::string& text) {
  PdfText out;
  std::vector<std::string> notes;
  std::size_t b = 0;
  while (b <= text.size()) {
    std::size_t e = text.find('\f', b);
    if (e == std::string::npos) e = text.size();
    PdfPage page;
    page.width = 612;
    double y = 0;
    std::size_t lb = b;
    while (lb < e) {
      // The line ends within this page: searching past the form feed would make a file of one-line
      // pages quadratic.
      const void* nl = std::memchr(text.data() + lb, '\n', e - lb);
      const std::size_t le = nl != nullptr ? static_cast<std::size_t>(static_cast<const char*>(nl) - text.data()) : e;
      std::string line = text.substr(lb, le - lb);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      const std::size_t indent = line.find_first_not_of(" \t");
      y += 12;
      if (indent != std::string::npos) {
        PdfLine l;
        l.text = collapse_space(line);
        l.x0 = 5.0 * static_cast<double>(indent);
        l.x1 = l.x0 + 5.0 * static_cast<double>(codepoint_count(l.text));
        l.y0 = y;
        l.y1 = y + 10;
        l.font_size = 10;
        page.lines.push_back(std::move(l));
      }
      lb = le + 1;
    }
    page.height = y + 12;
    // A trailing form feed ends the last page; it does not start an empty one.
    if (e < text.size() || !page.lines.empty() || out.pages.empty()) out.pages.push_back(std::move(page));
    if (e >= text.size()) break;
    b = e + 1;
  }
  while (out.pages.size() > 1 && out.pages.back().lines.empty()) out.pages.pop_back();
  return out;
}

// A text file's document id: its name without the extension, as id_from_name() makes it (as UTF-8,
// white space and controls as "_": the id `quire index` gives, rt11h row 4), and when longer than an id
// may be, cut with a hash of the whole name, so two long names that begin alike stay two documents.
std::string id_of(const std::string& path, std::vector<std::string>& warnings) {
  const std::string raw = stem_of(path);
  std::string id = id_from_name(raw);
  if (as_utf8(raw) != raw) warnings.push_back(not_utf8_name_warning(id));
  if (id.size() > kMaxIdBytes) {
    std::uint64_t h = 1469598103934665603ULL;
    for (unsigned char c : raw) {
      h ^= c;
      h *= 1099511628211ULL;
    }
    std::size_t end = kMaxIdBytes - 17;
    while (end > 0 && (static_cast<unsigned char>(id[end]) & 0xC0) == 0x80) --end;
    char hash[17];
    std::snprintf(hash, sizeof hash, "%016llx", static_cast<unsigned long long>(h));
    warnings.push_back("file name is " + std::to_string(raw.size()) +
                       " bytes without its extension; its document id is cut to its first " + std::to_string(end) +
                       " bytes and a hash (ids are at most " + std::to_string(kMaxIdBytes) + " bytes)");
    id = id.substr(0, end) + "~" + hash;
  }
  return id;
}

// XML 1.0's Char production: what a character reference may stand for.
bool xml_char(unsigned long c) { return c <= 0x10FFFF && !is_xml_nonchar(static_cast<char32_t>(c)); }

// The first character reference (&#...; or &#x...;) in `text` that names no XML character (&#0;, a
// surrogate such as &#xD800;, past U+10FFFF): its offset and text, or npos. pugixml would decode it
// into bytes that are not UTF-8, or cut the text at a NUL.
std::size_t bad_char_ref(const std::string& text, std::string& ref) {
  for (std::size_t at = text.find("&#"); at != std::string::npos; at = text.find("&#", at + 2)) {
    std::size_t i = at + 2;
    const bool hex = i < text.size() && text[i] == 'x';
    if (hex) ++i;
    unsigned long value = 0;
    std::size_t digits = 0;
    for (; i < text.size(); ++i, ++digits) {
      const char c = text[i];
      int d = -1;
      if (c >= '0' && c <= '9') d = c - '0';
      if (hex && c >= 'a' && c <= 'f') d = c - 'a' + 10;
      if (hex && c >= 'A' && c <= 'F') d = c - 'A' + 10;
      if (d < 0) break;
      if (value <= 0x10FFFF) value = value * (hex ? 16 : 10) + static_cast<unsigned long>(d);  // past it: refused
    }
    if (digits == 0 || i >= text.size() || text[i] != ';') continue;  // not a reference; pugixml decides
    if (!xml_char(value)) {
      ref = text.substr(at, i + 1 - at);
      return at;
    }
  }
  return std::string::npos;
}

class XmlDocumentReader {
 public:
  XmlDocumentReader(const std::string& path, const std::string& bytes) : path_(path), bytes_(bytes) {}

  ReadResult read() {
    ReadResult r;
    const std::string* input = &bytes_;
    Utf8Repair repaired;
    const std::string_view head(bytes_.data(), std::min<std::size_t>(bytes_.size(), 200));
    if (wide_form(bytes_).form != WideForm::kNone) {  // UTF-16 or UTF-32, by the one policy
      repaired.text = decode_text(bytes_).text;
      input = &repaired.text;
    } else if (!is_valid_utf8(bytes_)) {
      // Bytes that are not UTF-8: Latin-1 or Windows-1252 when they read as a single-byte encoding (or
      // the declaration says so), else UTF-8 with damaged bytes.
      const bool declared_latin = head.find("ISO-8859-1") != std::string_view::npos ||
                                  head.find("iso-8859-1") != std::string_view::npos ||
                                  head.find("indows-1252") != std::string_view::npos;
      if (declared_latin || looks_single_byte(bytes_)) {
        repaired.text = cp1252_to_utf8(bytes_);
        r.warnings.push_back("not UTF-8: read as Windows-1252 (Latin-1)");
      } else {
        repaired = repair_utf8(bytes_);
        r.warnings.push_back(std::to_string(repaired.replaced) +
                             " invalid UTF-8 byte sequence(s) replaced with U+FFFD");
      }
      input = &repaired.text;
    }
    pugi::xml_document xml;
    const pugi::xml_parse_result parsed =
        xml.load_buffer(input->data(), input->size(),
                        pugi::parse_default | pugi::parse_ws_pcdata_single | pugi::parse_doctype, pugi::encoding_utf8);
    if (!parsed) fail(std::string("not well-formed XML: ") + parsed.description(), line_at(*input, parsed.offset));
    text_ = input;
    std::string ref;
    if (const std::size_t at = bad_char_ref(*input, ref); at != std::string::npos)
      fail("not well-formed XML: character reference " + ref + " names no character XML allows",
           line_at(*input, static_cast<std::ptrdiff_t>(at)));

    for (const pugi::xml_node n : xml.children()) {
      // No DTDs: entity declarations could expand without bound, and quire's format needs none.
      if (n.type() == pugi::node_doctype) fail("document type declarations (<!DOCTYPE ...>) are not allowed", n);
    }
    const pugi::xml_node root = xml.document_element();
    if (std::strcmp(root.name(), "document") != 0)
      fail(std::string("root element is <") + root.name() + ">, expected <document> (see schemas/document.xsd)", root);
    const std::string version = root.attribute("version").as_string("1");
    if (version != "1") fail("unsupported document format version \"" + version + "\" (this quire reads 1)", root);
    Document& doc = r.document;
    doc.meta.id = root.attribute("id").as_string();
    static const std::regex id_re(R"([A-Za-z0-9][A-Za-z0-9._:-]{0,199})");
    if (!std::regex_match(doc.meta.id, id_re))
      fail("missing or invalid id attribute \"" + as_utf8(doc.meta.id) + "\" (letters, digits, . _ : - ; at most 200)",
           root);

    for (const pugi::xml_node child : root.children()) {
      if (child.type() != pugi::node_element) continue;
      const std::string name = child.name();
      if (name == "meta") {
        read_meta(child, doc.meta);
      } else if (name == "body") {
        read_body(child, doc);
      } else {
        fail("unexpected element <" + name + "> in <document>", child);
      }
    }
    if (!root.child("meta")) fail("missing <meta>", root);
    if (!root.child("body")) fail("missing <body>", root);
    std::size_t paragraphs = 0;
    for (const auto& s : doc.sections) paragraphs += s.paragraphs.size();
    if (paragraphs == 0) fail("the document has no paragraphs", root.child("body"));
    doc.meta.path = path_text(path_);
    r.warnings.insert(r.warnings.end(), warnings_.begin(), warnings_.end());
    return r;
  }

 private:
  [[noreturn]] void fail(const std::string& why, const pugi::xml_node& at) const {
    fail(why, at ? line_at(*text_, at.offset_debug()) : 0);
  }
  [[noreturn]] void fail(const std::string& why, int line) const { throw InputError(path_, why, line); }

  std::string text_of(const pugi::xml_node& n) const {
    for (const pugi::xml_node c : n.children()) {
      if (c.type() == pugi::node_element)
        fail("unexpected element <" + std::string(c.name()) + "> inside <" + n.name() + ">", c);
    }
    return as_utf8(collapse_space(n.text().get()));  // pugixml checked nothing of the bytes
  }

  void read_meta(const pugi::xml_node& meta, DocumentMeta& m) {
    std::vector<std::string> seen;
    for (const pugi::xml_node f : meta.children()) {
      if (f.type() != pugi::node_element) continue;
      const std::string name = f.name();
      if (std::find(seen.begin(), seen.end(), name) != seen.end()) fail("<" + name + "> given twice in <meta>", f);
      seen.push_back(name);
      if (name == "authors") {
        for (const pugi::xml_node a : f.children()) {
          if (a.type() != pugi::node_element) continue;
          if (std::strcmp(a.name(), "author") != 0)
            fail("unexpected element <" + std::string(a.name()) + "> in <authors>", a);
          const std::string who = text_of(a);
          if (who.empty()) fail("empty <author>", a);
          m.authors.push_back(who);
        }
        continue;
      }
      const std::string v = text_of(f);
      if (name == "title") {
        m.title = v;
        const std::string devised = f.attribute("devised").as_string("false");
        if (devised != "true" && devised != "false") fail("devised must be true or false", f);
        m.title_devised = devised == "true";
      } else if (name == "subtitle") {
        m.subtitle = v;
      } else if (name == "publisher") {
        m.publisher = v;
      } else if (name == "container") {
        m.container = v;
      } else if (name == "volume") {
        m.volume = v;
      } else if (name == "issue") {
        m.issue = v;
      } else if (name == "pages") {
        m.pages = v;
      } else if (name == "date") {
        // A bad date is left out and the document indexed: its text is worth more than its date.
        if (std::string why = v.empty() ? "" : date_problem(v); !why.empty())
          warnings_.push_back("line " + std::to_string(line_at(*text_, f.offset_debug())) + ": " + why +
                              "; the document is indexed without a date");
        else
          m.date = v;
      } else if (name == "type") {
        m.type = v;
      } else if (name == "language") {
        m.language = v;
      } else if (name == "url") {
        m.url = v;
      } else if (name == "source") {
        m.source = v;
      } else if (name == "note") {  // curator's note: kept in the file, not indexed
      } else {
        fail("unexpected element <" + name + "> in <meta>", f);
      }
    }
  }

  // The pages attribute of <p> ("0:13:13 412:14:14"); its labels go into doc.page_labels.
  std::vector<PageMark> read_pages(const pugi::xml_node& p, std::size_t text_size, Document& doc) const {
    std::vector<PageMark> marks;
    const pugi::xml_attribute a = p.attribute("pages");
    if (!a) return marks;
    static const std::regex entry_re(R"(([0-9]{1,9}):([0-9]{1,6}):(\S{1,40}))");
    std::istringstream in(a.value());
    for (std::string e; in >> e;) {
      std::smatch m;
      if (!std::regex_match(e, m, entry_re)) fail("pages entry \"" + e + "\" is not OFFSET:PAGE:LABEL", p);
      PageMark mark{std::stoul(m[1]), std::stoi(m[2])};
      if (mark.page < 1 || (marks.empty() ? mark.offset != 0 : mark.offset <= marks.back().offset) ||
          mark.offset >= std::max<std::size_t>(text_size, 1))
        fail("pages entry \"" + e + "\" is out of order or past the paragraph's end", p);
      const auto page = static_cast<std::size_t>(mark.page);
      if (doc.page_labels.size() < page) {
        for (std::size_t k = doc.page_labels.size(); k < page; ++k) doc.page_labels.push_back(std::to_string(k + 1));
      }
      doc.page_labels[page - 1] = m[3];
      marks.push_back(mark);
    }
    return marks;
  }

  void read_body(const pugi::xml_node& body, Document& doc) {
    for (const pugi::xml_node s : body.children()) {
      if (s.type() != pugi::node_element) continue;
      if (std::strcmp(s.name(), "section") != 0)
        fail("unexpected element <" + std::string(s.name()) + "> in <body>", s);
      Section section;
      bool seen_p = false;
      for (const pugi::xml_node c : s.children()) {
        if (c.type() != pugi::node_element) continue;
        const std::string name = c.name();
        if (name == "heading") {
          if (seen_p || !section.heading.empty()) fail("<heading> must come once, before the paragraphs", c);
          section.heading = text_of(c);
        } else if (name == "p") {
          seen_p = true;
          std::string t = text_of(c);
          if (t.empty()) continue;
          std::vector<PageMark> marks = read_pages(c, t.size(), doc);
          if (!marks.empty() || !section.pages.empty()) {
            section.pages.resize(section.paragraphs.size());
            section.pages.push_back(std::move(marks));
          }
          section.paragraphs.push_back(std::move(t));
        } else {
          fail("unexpected element <" + name + "> in <section>", c);
        }
      }
      doc.sections.push_back(std::move(section));
    }
  }

  std::string path_;
  const std::string& bytes_;
  const std::string* text_ = nullptr;
  std::vector<std::string> warnings_;
};

}  // namespace

std::string not_utf8_name_warning(const std::string& id) {
  return "file name is not UTF-8: its document id is \"" + id + "\"";
}

bool is_not_utf8_name_warning(const std::string& warning) {
  const std::string empty = not_utf8_name_warning("");
  return warning.rfind(empty.substr(0, empty.size() - 1), 0) == 0;
}

std::string document_id_from_path(const std::string& path, std::vector<std::string>* warnings) {
  std::vector<std::string> ignored;
  return id_of(path, warnings != nullptr ? *warnings : ignored);
}

ReadResult read_xml_document(const std::string& path, const std::string& bytes) {
  return XmlDocumentReader(path, bytes).read();
}

ReadResult read_text_document(const std::string& path, const std::string& bytes) {
  ReadResult r;
  // UTF-16 and UTF-32 (Windows' "Unicode" text) are full of NUL bytes: decoded before looking for binary
  // files. A few stray NULs in text are replaced below; more than that is binary data.
  const bool wide = wide_form(bytes).form != WideForm::kNone;
  DecodedText decoded;
  if (wide) decoded = decode_text(bytes);
  const std::size_t probe = std::min<std::size_t>(bytes.size(), 8192);
  if (nul_bytes_binary(bytes)) {
    const std::string ext = extension_of(path);
    throw InputError(path, "not text: the file holds " + describe_content(bytes) + " (NUL bytes in its first 8 KB)" +
                               (ext.empty() ? std::string() : ", though its name ends in ." + ext));
  } else if (!wide) {
    // Binary data without NUL bytes (compressed or random bytes): control characters and bytes that
    // read as no encoding, where text has next to none.
    std::size_t odd = 0;
    const std::string_view head(bytes.data(), probe);
    for (const char ch : head) {
      const auto c = static_cast<unsigned char>(ch);
      odd += (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v' && c != 0x1B) || c == 0x7F;
    }
    if (probe >= 64 && odd * 20 > probe && repair_utf8(head).replaced * 10 > probe / 4) {
      const std::string ext = extension_of(path);
      throw InputError(path, "not text: the file holds " + describe_content(bytes) + " (" +
                                 std::to_string(odd * 100 / probe) + "% control bytes in its first " +
                                 std::to_string(probe) + " bytes)" +
                                 (ext.empty() ? std::string() : ", though its name ends in ." + ext));
    }
    decoded.text = bytes;
    if (!is_valid_utf8(bytes)) decoded = decode_text(bytes);
  }
  if (!decoded.note.empty() && decoded.note.rfind("read as UTF-", 0) != 0) r.warnings.push_back(decoded.note);
  std::string& text = decoded.text;
  if (text.compare(0, 3, "\xEF\xBB\xBF") == 0) text.erase(0, 3);
  if (text.find('\0') != std::string::npos) {  // stray NULs (nul_bytes_binary()), or past the probe
    const auto nuls = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\0'));
    std::replace(text.begin(), text.end(), '\0', ' ');
    r.warnings.push_back(std::to_string(nuls) + " NUL byte(s) replaced with spaces");
  }
  // Line ends: CR LF (Windows) and a lone CR (classic Mac OS, some exporters) are line breaks.
  if (text.find('\r') != std::string::npos) {
    std::string lf;
    lf.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] != '\r') {
        lf += text[i];
      } else if (i + 1 >= text.size() || text[i + 1] != '\n') {
        lf += '\n';
      }
    }
    text.swap(lf);
  }
  // Text with form feeds came from a PDF (pdftotext): its pages go through the PDF reader's page handling.
  if (text.find('\f') != std::string::npos && extension_of(path) != "md") {
    ReadResult paged = pdf_to_document(path, text_pages(text));
    paged.warnings.insert(paged.warnings.begin(), r.warnings.begin(), r.warnings.end());
    std::vector<std::string> opening;
    for (const auto& s : paged.document.sections) {
      for (std::size_t i = 0; i < s.paragraphs.size() && opening.size() < 3; ++i) opening.push_back(s.paragraphs[i]);
    }
    paged.document.meta.date = infer_publication_date(opening);
    paged.document.meta.title.clear();  // a text file states no title
    return paged;
  }
  CleanOptions options;
  options.markdown = extension_of(path) == "md";
  CleanResult cleaned = clean_text(text, options);
  r.warnings.insert(r.warnings.end(), cleaned.notes.begin(), cleaned.notes.end());
  Document& doc = r.document;
  doc.meta.id = id_of(path, r.warnings);
  doc.meta.path = path_text(path);
  doc.meta.authors = cleaned.authors;
  // A publication date the text states: in its running headers, or in its first lines.
  std::vector<std::string> opening = cleaned.furniture;
  for (std::size_t i = 0; i < cleaned.blocks.size() && i < 3; ++i) opening.push_back(cleaned.blocks[i].text);
  doc.meta.date = infer_publication_date(opening);
  if (append_sections(std::move(cleaned.blocks), doc.sections) == 0)
    throw InputError(path, "no text to index (empty, or nothing left after cleaning)");
  return r;
}

bool is_supported_extension(const std::string& path) {
  return ReaderRegistry::builtin().find_by_extension(path) != nullptr;
}

ReadResult read_document(const std::string& path, const std::string& bytes) {
  return ReaderRegistry::builtin().read(path, bytes);
}

std::string read_file_bytes(const std::string& path, std::uint64_t max_bytes) {
  return read_whole_file(path, max_bytes);
}

ReadResult read_document_file(const std::string& path) { return read_document(path, read_file_bytes(path)); }

}  // namespace quire

namespace quire {

std::string write_xml_document(const Document& doc) {
  // Every text through xml_text() (utf8.h): pugixml would write ESC as `&#27;` and U+FFFF raw, which
  // XML 1.0 does not allow, so expat and xmllint would refuse the file (rt11h row 3). C1 controls, bidi
  // overrides and U+2028/9 are written as references (xml_char_refs(), at the end): none raw, and the
  // text reads back as it was (rt11h row 2).
  pugi::xml_document xml;
  auto decl = xml.append_child(pugi::node_declaration);
  decl.append_attribute("version") = "1.0";
  decl.append_attribute("encoding") = "UTF-8";
  pugi::xml_node root = xml.append_child("document");
  root.append_attribute("version") = "1";
  root.append_attribute("id") = xml_text(doc.meta.id).c_str();
  pugi::xml_node meta = root.append_child("meta");
  const DocumentMeta& m = doc.meta;
  const auto field = [&meta](const char* name, const std::string& v) {
    if (!v.empty()) meta.append_child(name).text() = xml_text(v).c_str();
  };
  if (!m.title.empty()) {
    pugi::xml_node t = meta.append_child("title");
    if (m.title_devised) t.append_attribute("devised") = "true";
    t.text() = xml_text(m.title).c_str();
  }
  field("subtitle", m.subtitle);
  if (!m.authors.empty()) {
    pugi::xml_node authors = meta.append_child("authors");
    for (const auto& a : m.authors) authors.append_child("author").text() = xml_text(a).c_str();
  }
  field("publisher", m.publisher);
  field("container", m.container);
  field("volume", m.volume);
  field("issue", m.issue);
  field("pages", m.pages);
  field("date", m.date);
  field("type", m.type);
  field("language", m.language);
  field("url", m.url);
  field("source", m.source);
  pugi::xml_node body = root.append_child("body");
  for (const auto& s : doc.sections) {
    pugi::xml_node sec = body.append_child("section");
    if (!s.heading.empty()) sec.append_child("heading").text() = xml_text(s.heading).c_str();
    for (std::size_t i = 0; i < s.paragraphs.size(); ++i) {
      pugi::xml_node p = sec.append_child("p");
      if (i < s.pages.size() && !s.pages[i].empty()) {
        std::string pages;
        for (const auto& mark : s.pages[i]) {
          const auto page = static_cast<std::size_t>(mark.page);
          const std::string label =
              page >= 1 && page <= doc.page_labels.size() ? doc.page_labels[page - 1] : std::to_string(mark.page);
          pages +=
              (pages.empty() ? "" : " ") + std::to_string(mark.offset) + ":" + std::to_string(mark.page) + ":" + label;
        }
        p.append_attribute("pages") = xml_text(pages).c_str();
      }
      p.text() = xml_text(s.paragraphs[i]).c_str();
    }
  }
  std::ostringstream out;
  xml.save(out, "  ", pugi::format_default, pugi::encoding_utf8);
  return xml_char_refs(out.str());
}

}  // namespace quire
