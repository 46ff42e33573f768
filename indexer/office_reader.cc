// DOCX, ODT and EPUB: a bounded zip reader (libzip) and the XML of each format (pugixml); EPUB chapters
// through the HTML reader. See office_reader.h.
#include "quire/office_reader.h"

#include <zip.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <pugixml.hpp>
#include <vector>

#include "quire/errors.h"
#include "quire/html_reader.h"
#include "quire/readers.h"
#include "quire/utf8.h"
#include "text_helpers.h"

namespace quire {
namespace {

// ---- the zip archive ---------------------------------------------------------------------------

class ZipArchive {
 public:
  ZipArchive(const std::string& path, const std::string& bytes, const char* what) : path_(path) {
    zip_error_t err;
    zip_error_init(&err);
    zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &err);
    if (src != nullptr) {
      zip_ = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &err);
      if (zip_ == nullptr) {
        // Some writers leave small inconsistencies; try again without the consistency check.
        zip_error_fini(&err);
        zip_error_init(&err);
        zip_ = zip_open_from_source(src, ZIP_RDONLY, &err);
      }
      if (zip_ == nullptr) zip_source_free(src);
    }
    if (zip_ == nullptr) {
      const std::string why = zip_error_strerror(&err);
      zip_error_fini(&err);
      throw InputError(path_, std::string("not a readable ") + what + " (a zip archive): " + why);
    }
    zip_error_fini(&err);
    const zip_int64_t n = zip_get_num_entries(zip_, 0);
    if (n < 0 || static_cast<std::size_t>(n) > kMaxZipEntries) {
      // A constructor that throws runs no destructor: the archive is closed here.
      zip_discard(zip_);
      zip_ = nullptr;
      throw InputError(path_, "the archive has " + std::to_string(n) + " entries, more than the " +
                                  std::to_string(kMaxZipEntries) + " quire reads");
    }
  }
  ~ZipArchive() {
    if (zip_ != nullptr) zip_discard(zip_);
  }
  ZipArchive(const ZipArchive&) = delete;
  ZipArchive& operator=(const ZipArchive&) = delete;

  bool has(const std::string& name) const { return zip_name_locate(zip_, name.c_str(), 0) >= 0; }

  /// The decompressed entry `name`; throws when it is missing (if `required`), encrypted, damaged or
  /// larger than the bounds. Returns "" for a missing optional entry.
  std::string read(const std::string& name, bool required = true) {
    const zip_int64_t index = zip_name_locate(zip_, name.c_str(), 0);
    if (index < 0) {
      if (required) throw InputError(path_, "no " + name + " in the archive");
      return {};
    }
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(zip_, static_cast<zip_uint64_t>(index), 0, &st) == 0) {
      if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE)
        throw InputError(path_, name + " is encrypted (password-protected document)");
      if ((st.valid & ZIP_STAT_SIZE) && st.size > kMaxEntryBytes) too_big(name);
    }
    zip_file_t* f = zip_fopen_index(zip_, static_cast<zip_uint64_t>(index), 0);
    if (f == nullptr) throw InputError(path_, name + " cannot be read: " + zip_strerror(zip_));
    std::unique_ptr<zip_file_t, int (*)(zip_file_t*)> guard(f, zip_fclose);
    std::string out;
    char buf[65536];
    for (;;) {
      const zip_int64_t got = zip_fread(f, buf, sizeof buf);
      if (got < 0) throw InputError(path_, name + " is damaged: " + zip_file_strerror(f));
      if (got == 0) break;
      out.append(buf, static_cast<std::size_t>(got));
      total_ += static_cast<std::size_t>(got);
      // The sizes in the headers may lie: the bounds hold on what is actually decompressed.
      if (out.size() > kMaxEntryBytes) too_big(name);
      if (total_ > kMaxArchiveBytes)
        throw InputError(path_, "the archive decompresses to more than " + std::to_string(kMaxArchiveBytes >> 20) +
                                    " MB (a zip bomb?)");
    }
    return out;
  }

 private:
  [[noreturn]] void too_big(const std::string& name) const {
    throw InputError(path_,
                     name + " decompresses to more than " + std::to_string(kMaxEntryBytes >> 20) + " MB (a zip bomb?)");
  }

  std::string path_;
  zip_t* zip_ = nullptr;
  std::size_t total_ = 0;
};

// ---- XML helpers -------------------------------------------------------------------------------

// The element name without its namespace prefix ("w:p" -> "p").
const char* local(const pugi::xml_node& n) {
  const char* name = n.name();
  const char* colon = std::strrchr(name, ':');
  return colon != nullptr ? colon + 1 : name;
}

bool is(const pugi::xml_node& n, const char* name) { return std::strcmp(local(n), name) == 0; }

pugi::xml_node child_named(const pugi::xml_node& n, const char* name) {
  for (const pugi::xml_node c : n.children()) {
    if (c.type() == pugi::node_element && is(c, name)) return c;
  }
  return {};
}

// An attribute by its local name ("w:val" as "val").
std::string attr_named(const pugi::xml_node& n, const char* name) {
  for (const pugi::xml_attribute a : n.attributes()) {
    const char* an = a.name();
    const char* colon = std::strrchr(an, ':');
    if (std::strcmp(colon != nullptr ? colon + 1 : an, name) == 0) return a.value();
  }
  return {};
}

// Visits the descendants of `root` in document order without recursion (a document nested 100,000
// levels deep is read, not dropped, and cannot overflow the stack). `visit(node)` returns the node whose
// children are visited next: the node itself to go down into it, another (one of its children) to go
// down into that one only, or a null node to go no deeper.
template <typename Visit>
void preorder(const pugi::xml_node& root, Visit visit) {
  std::vector<pugi::xml_node> resume;  // where to go on at each level above
  pugi::xml_node n = root.first_child();
  for (;;) {
    if (!n) {
      if (resume.empty()) return;
      n = resume.back();
      resume.pop_back();
      continue;
    }
    const pugi::xml_node down = visit(n);
    if (down && down.first_child()) {
      resume.push_back(n.next_sibling());
      n = down.first_child();
    } else {
      n = n.next_sibling();
    }
  }
}

// Markup compatibility (mc:AlternateContent): the same content in several forms, of which a reader
// takes one. The first mc:Choice (the form Word writes for itself, a text box as DrawingML), else the
// mc:Fallback (the same text box as VML); never both, or the text is read twice.
pugi::xml_node alternative(const pugi::xml_node& alternate) {
  const pugi::xml_node choice = child_named(alternate, "Choice");
  return choice ? choice : child_named(alternate, "Fallback");
}

void parse_xml(pugi::xml_document& doc, const std::string& path, const std::string& part, const std::string& xml) {
  // No DTDs (parse_default leaves doctype nodes out and expands no entities of their own).
  const pugi::xml_parse_result r =
      doc.load_buffer(xml.data(), xml.size(), pugi::parse_default | pugi::parse_ws_pcdata, pugi::encoding_auto);
  if (!r) throw InputError(path, part + " is not well-formed XML: " + r.description());
}

std::string squeeze(const std::string& s) {
  std::string t = text::squeeze_spaces(s);
  if (!is_valid_utf8(t)) t = repair_utf8(t).text;
  return t;
}

void add_block(std::vector<TextBlock>& blocks, BlockKind kind, const std::string& raw) {
  std::string t = squeeze(raw);
  if (!t.empty()) blocks.push_back({kind, std::move(t)});
}

// Headings start sections; at least one paragraph must be left.
Document to_document(const std::string& path, DocumentMeta meta, std::vector<TextBlock> blocks) {
  Document doc;
  doc.meta = std::move(meta);
  doc.meta.id = document_id_from_path(path, nullptr);
  doc.meta.path = path_text(path);
  if (append_sections(std::move(blocks), doc.sections) == 0)
    throw InputError(path, "no text to index (the document has no paragraphs)");
  return doc;
}

// "2019-11-18T09:30:00Z" -> "2019-11-18".
std::string iso_date(const std::string& s) { return normalise_page_date(s); }

// Authors as one string "A; B" or "A, B and C" (as Word and LibreOffice store them) -> names.
void add_authors(std::vector<std::string>& out, const std::string& raw) {
  std::string s = squeeze(raw);
  std::size_t start = 0;
  while (start <= s.size()) {
    std::size_t end = s.find(';', start);
    if (end == std::string::npos) end = s.size();
    std::string a = text::trim(s.substr(start, end - start));
    if (!a.empty() && std::find(out.begin(), out.end(), a) == out.end()) out.push_back(a);
    start = end + 1;
  }
}

// ---- DOCX --------------------------------------------------------------------------------------

struct DocxReader {
  std::vector<TextBlock> blocks;
  std::vector<std::pair<std::string, bool>> heading_styles;  // style id -> is a heading

  bool is_heading_style(const std::string& id) const {
    for (const auto& [s, h] : heading_styles) {
      if (s == id) return h;
    }
    const std::string l = text::ascii_lower(id);
    return l.rfind("heading", 0) == 0 || l == "title";
  }

  void read_styles(const pugi::xml_document& styles) {
    for (const pugi::xml_node s : child_named(styles, "styles").children()) {
      if (!is(s, "style")) continue;
      const std::string name = text::ascii_lower(attr_named(child_named(s, "name"), "val"));
      const bool outline = static_cast<bool>(child_named(child_named(s, "pPr"), "outlineLvl"));
      heading_styles.emplace_back(attr_named(s, "styleId"),
                                  name.rfind("heading", 0) == 0 || name == "title" || outline);
    }
  }

  // The text of a paragraph's runs, at any depth (hyperlinks, insertions, smart tags, content
  // controls, text boxes).
  void run_text(const pugi::xml_node& p, std::string& out) const {
    preorder(p, [&out](const pugi::xml_node& c) -> pugi::xml_node {
      if (c.type() != pugi::node_element) return {};
      const char* l = local(c);
      if (std::strcmp(l, "t") == 0) {
        out += c.text().get();
      } else if (std::strcmp(l, "tab") == 0 || std::strcmp(l, "br") == 0 || std::strcmp(l, "cr") == 0) {
        out += ' ';
      } else if (std::strcmp(l, "noBreakHyphen") == 0) {
        out += '-';
      } else if (std::strcmp(l, "delText") == 0 || std::strcmp(l, "instrText") == 0 || std::strcmp(l, "del") == 0 ||
                 std::strcmp(l, "footnoteReference") == 0 || std::strcmp(l, "endnoteReference") == 0 ||
                 std::strcmp(l, "pPr") == 0 || std::strcmp(l, "rPr") == 0) {
        // deleted text, field codes, note marks and properties are not the text
      } else if (std::strcmp(l, "AlternateContent") == 0) {
        return alternative(c);
      } else {
        return c;
      }
      return {};
    });
  }

  void paragraph(const pugi::xml_node& p) {
    const pugi::xml_node ppr = child_named(p, "pPr");
    const bool heading = is_heading_style(attr_named(child_named(ppr, "pStyle"), "val")) ||
                         static_cast<bool>(child_named(ppr, "outlineLvl"));
    std::string t;
    run_text(p, t);
    add_block(blocks, heading ? BlockKind::kHeading : BlockKind::kParagraph, t);
  }

  // Paragraphs in document order, also inside tables, text boxes and content controls, at any depth.
  void walk(const pugi::xml_node& body) {
    preorder(body, [this](const pugi::xml_node& c) -> pugi::xml_node {
      if (c.type() != pugi::node_element || is(c, "sectPr")) return {};
      if (is(c, "p")) {
        paragraph(c);
        return {};
      }
      return is(c, "AlternateContent") ? alternative(c) : c;
    });
  }
};

DocumentMeta core_properties(const pugi::xml_document& core) {
  DocumentMeta m;
  for (const pugi::xml_node f : child_named(core, "coreProperties").children()) {
    if (f.type() != pugi::node_element) continue;
    const std::string v = squeeze(f.child_value());
    if (is(f, "title")) {
      m.title = v;
    } else if (is(f, "creator")) {
      add_authors(m.authors, v);
    } else if (is(f, "created")) {
      m.date = iso_date(v);
    } else if (is(f, "language")) {
      const std::string lang = text::ascii_lower(v.substr(0, v.find_first_of("-_")));
      if (lang.size() == 2 || lang.size() == 3) m.language = lang;
    }
  }
  return m;
}

// ---- ODT ---------------------------------------------------------------------------------------

std::string odt_text(const pugi::xml_node& p) {
  std::string out;
  preorder(p, [&out](const pugi::xml_node& c) -> pugi::xml_node {
    if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) {
      out += c.value();
      return {};
    }
    if (c.type() != pugi::node_element) return {};
    if (is(c, "s") || is(c, "tab") || is(c, "line-break")) {
      out += ' ';
    } else if (is(c, "note") || is(c, "annotation") || is(c, "bookmark") || is(c, "tracked-changes")) {
      // footnotes and comments are not the sentence they sit in
    } else {
      return c;  // spans, links, fields
    }
    return {};
  });
  return out;
}

void odt_walk(const pugi::xml_node& text, std::vector<TextBlock>& blocks) {
  preorder(text, [&blocks](const pugi::xml_node& c) -> pugi::xml_node {
    if (c.type() != pugi::node_element) return {};
    if (is(c, "h") || is(c, "p")) {
      add_block(blocks, is(c, "h") ? BlockKind::kHeading : BlockKind::kParagraph, odt_text(c));
      return {};
    }
    if (is(c, "tracked-changes") || is(c, "annotation") || is(c, "sequence-decls") || is(c, "variable-decls"))
      return {};
    return c;  // lists, sections, tables, frames
  });
}

DocumentMeta odt_meta(const pugi::xml_document& meta) {
  DocumentMeta m;
  const pugi::xml_node office_meta = child_named(child_named(meta, "document-meta"), "meta");
  std::string creator, initial, created, date;
  for (const pugi::xml_node f : office_meta.children()) {
    if (f.type() != pugi::node_element) continue;
    const std::string v = squeeze(f.child_value());
    if (is(f, "title")) m.title = v;
    if (is(f, "initial-creator")) initial = v;
    if (is(f, "creator")) creator = v;
    if (is(f, "creation-date")) created = v;
    if (is(f, "language")) {
      const std::string lang = text::ascii_lower(v.substr(0, v.find_first_of("-_")));
      if (lang.size() == 2 || lang.size() == 3) m.language = lang;
    }
  }
  add_authors(m.authors, initial.empty() ? creator : initial);
  m.date = iso_date(created);
  return m;
}

// ---- EPUB --------------------------------------------------------------------------------------

// "OEBPS/content.opf" + "../Text/ch%201.xhtml" -> "Text/ch 1.xhtml".
std::string resolve_href(const std::string& base_dir, const std::string& href) {
  std::string h = href.substr(0, href.find('#'));
  std::string decoded;
  for (std::size_t i = 0; i < h.size(); ++i) {
    if (h[i] == '%' && i + 2 < h.size() && std::isxdigit(static_cast<unsigned char>(h[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(h[i + 2]))) {
      decoded += static_cast<char>(std::stoi(h.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      decoded += h[i];
    }
  }
  std::vector<std::string> parts;
  const std::string joined = decoded.rfind('/', 0) == 0 ? decoded.substr(1) : base_dir + decoded;
  std::size_t start = 0;
  while (start <= joined.size()) {
    std::size_t end = joined.find('/', start);
    if (end == std::string::npos) end = joined.size();
    const std::string part = joined.substr(start, end - start);
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    start = end + 1;
  }
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "/") + p;
  return out;
}

}  // namespace

ReadResult read_docx_document(const std::string& path, const std::string& bytes) {
  ZipArchive zip(path, bytes, "Word document");
  if (!zip.has("word/document.xml")) throw InputError(path, "no word/document.xml: not a Word (DOCX) document");
  DocxReader reader;
  if (zip.has("word/styles.xml")) {
    pugi::xml_document styles;
    parse_xml(styles, path, "word/styles.xml", zip.read("word/styles.xml"));
    reader.read_styles(styles);
  }
  pugi::xml_document body;
  parse_xml(body, path, "word/document.xml", zip.read("word/document.xml"));
  reader.walk(child_named(child_named(body, "document"), "body"));
  DocumentMeta meta;
  if (zip.has("docProps/core.xml")) {
    pugi::xml_document core;
    parse_xml(core, path, "docProps/core.xml", zip.read("docProps/core.xml"));
    meta = core_properties(core);
  }
  ReadResult r;
  r.document = to_document(path, std::move(meta), std::move(reader.blocks));
  return r;
}

ReadResult read_odt_document(const std::string& path, const std::string& bytes) {
  ZipArchive zip(path, bytes, "OpenDocument text");
  pugi::xml_document content;
  parse_xml(content, path, "content.xml", zip.read("content.xml"));
  std::vector<TextBlock> blocks;
  const pugi::xml_node text = child_named(child_named(child_named(content, "document-content"), "body"), "text");
  if (!text) throw InputError(path, "content.xml has no <office:text>: not an OpenDocument text");
  odt_walk(text, blocks);
  DocumentMeta meta;
  if (zip.has("meta.xml")) {
    pugi::xml_document m;
    parse_xml(m, path, "meta.xml", zip.read("meta.xml"));
    meta = odt_meta(m);
  }
  ReadResult r;
  r.document = to_document(path, std::move(meta), std::move(blocks));
  return r;
}

ReadResult read_epub_document(const std::string& path, const std::string& bytes) {
  ZipArchive zip(path, bytes, "EPUB book");
  pugi::xml_document container;
  parse_xml(container, path, "META-INF/container.xml", zip.read("META-INF/container.xml"));
  const std::string opf_path =
      attr_named(child_named(child_named(child_named(container, "container"), "rootfiles"), "rootfile"), "full-path");
  if (opf_path.empty()) throw InputError(path, "META-INF/container.xml names no package document (rootfile)");
  pugi::xml_document opf;
  parse_xml(opf, path, opf_path, zip.read(opf_path));
  const pugi::xml_node package = child_named(opf, "package");
  const std::size_t slash = opf_path.find_last_of('/');
  const std::string base = slash == std::string::npos ? "" : opf_path.substr(0, slash + 1);

  DocumentMeta meta;
  for (const pugi::xml_node f : child_named(package, "metadata").children()) {
    if (f.type() != pugi::node_element) continue;
    const std::string v = squeeze(f.child_value());
    if (is(f, "title") && meta.title.empty()) meta.title = v;
    if (is(f, "creator")) add_authors(meta.authors, v);
    if (is(f, "publisher") && meta.publisher.empty()) meta.publisher = v;
    if (is(f, "date") && meta.date.empty()) meta.date = iso_date(v);
    if (is(f, "language")) {
      const std::string lang = text::ascii_lower(v.substr(0, v.find_first_of("-_")));
      if (lang.size() == 2 || lang.size() == 3) meta.language = lang;
    }
  }
  meta.type = "book";
  std::vector<std::pair<std::string, std::string>> manifest;  // id -> entry
  for (const pugi::xml_node item : child_named(package, "manifest").children()) {
    if (is(item, "item")) manifest.emplace_back(attr_named(item, "id"), resolve_href(base, attr_named(item, "href")));
  }
  Document doc;
  doc.meta = std::move(meta);
  doc.meta.id = document_id_from_path(path, nullptr);
  doc.meta.path = path_text(path);
  ReadResult r;
  std::size_t missing = 0;
  std::vector<std::string> read_entries;
  for (const pugi::xml_node ref : child_named(package, "spine").children()) {
    if (!is(ref, "itemref")) continue;
    const std::string idref = attr_named(ref, "idref");
    const auto it = std::find_if(manifest.begin(), manifest.end(), [&](const auto& m) { return m.first == idref; });
    if (it == manifest.end() || !zip.has(it->second)) {
      ++missing;
      continue;
    }
    // A chapter the spine names twice is read once (a spine of 3,000 copies is no way to a zip bomb).
    if (std::find(read_entries.begin(), read_entries.end(), it->second) != read_entries.end()) continue;
    read_entries.push_back(it->second);
    HtmlOptions options;
    options.main_content = false;
    HtmlContent chapter = extract_html(zip.read(it->second), options);
    // One section per chapter: its first heading names it, the rest is its text.
    Section s;
    for (auto& b : chapter.blocks) {
      if (s.heading.empty() && s.paragraphs.empty() && b.kind == BlockKind::kHeading) {
        s.heading = std::move(b.text);
      } else {
        s.paragraphs.push_back(std::move(b.text));
      }
    }
    if (!s.paragraphs.empty()) doc.sections.push_back(std::move(s));
  }
  if (missing > 0)
    r.warnings.push_back(std::to_string(missing) + " chapter(s) of the spine are missing from the archive");
  if (doc.sections.empty()) throw InputError(path, "no text to index (the book's chapters hold no text)");
  r.document = std::move(doc);
  return r;
}

}  // namespace quire
