// Content sniffing and the table of readers. See reader_registry.h.
#include "quire/reader_registry.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <set>

#include "quire/document.h"
#include "quire/errors.h"
#include "quire/html_reader.h"
#include "quire/office_reader.h"
#include "quire/pdf_reader.h"
#include "quire/utf8.h"

namespace quire {
namespace {

bool starts_with(std::string_view s, std::string_view p) { return s.size() >= p.size() && s.substr(0, p.size()) == p; }

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

unsigned read_le16(std::string_view b, std::size_t at) {
  return static_cast<unsigned char>(b[at]) | (static_cast<unsigned>(static_cast<unsigned char>(b[at + 1])) << 8);
}

// A zip container's kind from the entry names in its local and central directory headers, and the
// stored (uncompressed) "mimetype" entry that ODF and EPUB put first.
ContentKind sniff_zip(std::string_view b) {
  bool word = false, content_types = false;
  std::string mimetype;
  for (const std::string_view sig : {std::string_view("PK\x03\x04", 4), std::string_view("PK\x01\x02", 4)}) {
    const bool local = sig[2] == '\x03';
    const std::size_t name_at = local ? 30 : 46;
    std::size_t pos = 0;
    while ((pos = b.find(sig, pos)) != std::string_view::npos) {
      if (pos + name_at > b.size()) break;
      const std::size_t name_len = read_le16(b, pos + (local ? 26 : 28));
      if (pos + name_at + name_len > b.size()) break;
      const std::string_view name = b.substr(pos + name_at, name_len);
      if (starts_with(name, "word/")) word = true;
      if (name == "[Content_Types].xml") content_types = true;
      if (local && name == "mimetype" && mimetype.empty() && read_le16(b, pos + 8) == 0) {
        const std::size_t data = pos + name_at + name_len + read_le16(b, pos + 28);
        const std::size_t size = read_le16(b, pos + 18);
        if (data + size <= b.size() && size < 200) mimetype = std::string(b.substr(data, size));
      }
      pos += 4;
    }
  }
  if (mimetype == "application/epub+zip") return ContentKind::kEpub;
  if (mimetype == "application/vnd.oasis.opendocument.text") return ContentKind::kOdt;
  if (word && content_types) return ContentKind::kDocx;
  return ContentKind::kZip;
}

// Markup: the first non-space character is '<'. HTML when a doctype or one of the elements only HTML has
// comes first.
ContentKind sniff_markup(std::string_view head) {
  const std::string h = lower_ascii(head.substr(0, 2048));
  std::size_t i = 0;
  // Past declarations, comments and processing instructions to the first element.
  for (;;) {
    while (i < h.size() && std::isspace(static_cast<unsigned char>(h[i]))) ++i;
    if (h.compare(i, 9, "<!doctype") == 0) {
      const std::size_t e = h.find('>', i);
      const std::string doctype = h.substr(i, e == std::string::npos ? std::string::npos : e - i);
      return doctype.find("html") != std::string::npos ? ContentKind::kHtml : ContentKind::kXml;
    } else if (h.compare(i, 4, "<!--") == 0) {
      const std::size_t e = h.find("-->", i);
      if (e == std::string::npos) break;
      i = e + 3;
    } else if (h.compare(i, 2, "<?") == 0) {
      const std::size_t e = h.find("?>", i);
      if (e == std::string::npos) break;
      i = e + 2;
    } else {
      break;
    }
  }
  const bool declared = h.compare(0, 5, "<?xml") == 0;
  if (i >= h.size() || h[i] != '<')  // a comment, then text (as Markdown often has); XML when declared
    return declared ? ContentKind::kXml : ContentKind::kText;
  for (const char* tag : {"<html", "<head", "<body", "<meta", "<title", "<div", "<p>", "<p ", "<article", "<section"}) {
    if (h.compare(i, std::strlen(tag), tag) == 0) return ContentKind::kHtml;
  }
  if (declared) return ContentKind::kXml;
  // A root element ("<document id=...>"): XML. Text that merely starts with '<' ("<<< draft >>>",
  // "<3") is text.
  std::size_t e = i + 1;
  while (e < h.size() &&
         (std::isalnum(static_cast<unsigned char>(h[e])) || h[e] == '_' || h[e] == ':' || h[e] == '-' || h[e] == '.'))
    ++e;
  if (e == i + 1 || !std::isalpha(static_cast<unsigned char>(h[i + 1]))) return ContentKind::kText;
  if (e < h.size() && h[e] != '>' && h[e] != '/' && !std::isspace(static_cast<unsigned char>(h[e])))
    return ContentKind::kText;
  return ContentKind::kXml;
}

const char* binary_name(std::string_view b) {
  struct Magic {
    std::string_view bytes;
    const char* name;
  };
  static const Magic magics[] = {
      {std::string_view("\x89PNG", 4), "PNG image"},
      {std::string_view("\xFF\xD8\xFF", 3), "JPEG image"},
      {"GIF8", "GIF image"},
      {std::string_view("II*\0", 4), "TIFF image"},
      {std::string_view("MM\0*", 4), "TIFF image"},
      {std::string_view("\x7F"
                        "ELF",
                        4),
       "executable"},
      {std::string_view("\x1F\x8B", 2), "gzip archive"},
      {"BZh", "bzip2 archive"},
      {std::string_view("\xFD"
                        "7zXZ",
                        5),
       "xz archive"},
      {std::string_view("7z\xBC\xAF", 4), "7-Zip archive"},
      {std::string_view("\xD0\xCF\x11\xE0", 4), "old Microsoft Office file (OLE)"},
      {"{\\rtf", "RTF document"},
  };
  for (const auto& m : magics) {
    if (starts_with(b, m.bytes)) return m.name;
  }
  if (b.size() >= 12 && b.substr(4, 4) == "ftyp") return "video or image (ISO media)";
  if (starts_with(b, "RIFF")) return "audio, video or image (RIFF)";
  return nullptr;
}

}  // namespace

std::string to_string(ContentKind kind) {
  switch (kind) {
    case ContentKind::kEmpty:
      return "empty file";
    case ContentKind::kPdf:
      return "PDF";
    case ContentKind::kDocx:
      return "Word document (DOCX)";
    case ContentKind::kOdt:
      return "OpenDocument text (ODT)";
    case ContentKind::kEpub:
      return "EPUB book";
    case ContentKind::kZip:
      return "zip archive";
    case ContentKind::kHtml:
      return "HTML";
    case ContentKind::kXml:
      return "XML";
    case ContentKind::kText:
      return "text";
    case ContentKind::kBinary:
      return "binary data";
  }
  return "unknown";
}

bool nul_bytes_binary(std::string_view b) {
  const std::string_view head = b.substr(0, std::min<std::size_t>(b.size(), 8192));
  if (std::memchr(head.data(), '\0', head.size()) == nullptr) return false;
  if (wide_form(b).form != WideForm::kNone) return false;
  std::size_t nuls = 0, controls = 0;
  for (std::size_t i = 0; i < head.size(); ++i) {
    const auto c = static_cast<unsigned char>(head[i]);
    if (c == 0) {
      if (i + 1 < head.size() && head[i + 1] == '\0') return true;  // a run of NULs: binary data
      ++nuls;
    } else {
      controls += (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1B) || c == 0x7F;
    }
  }
  return nuls > std::max<std::size_t>(4, head.size() / 100) || controls * 50 > head.size() ||
         repair_utf8(head).replaced * 20 > head.size();
}

ContentKind sniff_content(std::string_view b) {
  if (b.empty()) return ContentKind::kEmpty;
  // PDF readers accept a header within the first KB (after junk a mailer or a web server put there).
  const std::string_view head = b.substr(0, std::min<std::size_t>(b.size(), 1024));
  if (head.find("%PDF-") != std::string_view::npos) return ContentKind::kPdf;
  if (starts_with(b, std::string_view("PK\x03\x04", 4)) || starts_with(b, std::string_view("PK\x05\x06", 4)))
    return sniff_zip(b);
  if (binary_name(b) != nullptr) return ContentKind::kBinary;
  if (nul_bytes_binary(b)) return ContentKind::kBinary;
  const std::size_t probe = std::min<std::size_t>(b.size(), 8192);
  std::string narrowed;  // UTF-16 or UTF-32: its ASCII characters, enough to judge markup
  std::string_view t = b.substr(0, probe);
  if (const Wide w = wide_form(b); w.form != WideForm::kNone) {
    const std::size_t lo = w.little_endian() ? 0 : w.unit() - 1;
    for (std::size_t k = w.bom + lo; k < probe; k += w.unit()) narrowed += b[k] == 0 ? '?' : b[k];
    t = narrowed;
  }
  if (starts_with(t, "\xEF\xBB\xBF")) t.remove_prefix(3);
  const std::size_t first = t.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && t[first] == '<') return sniff_markup(t.substr(first));
  return ContentKind::kText;
}

std::string describe_content(std::string_view bytes) {
  const ContentKind kind = sniff_content(bytes);
  std::string what = to_string(kind);
  if (kind == ContentKind::kBinary) {
    if (const char* name = binary_name(bytes)) what += std::string(" (") + name + ")";
  }
  return what;
}

std::string file_extension(const std::string& path) {
  const std::size_t slash = path.find_last_of('/');
  const std::size_t dot = path.find_last_of('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash) || dot + 1 == path.size()) return {};
  if (dot == (slash == std::string::npos ? 0 : slash + 1)) return {};  // ".profile" has no extension
  return lower_ascii(path.substr(dot + 1));
}

void ReaderRegistry::add(Reader reader) {
  for (auto& r : readers_) {
    if (r.name == reader.name) {
      r = std::move(reader);
      return;
    }
  }
  readers_.push_back(std::move(reader));
}

const Reader* ReaderRegistry::find_by_extension(const std::string& path) const {
  const std::string ext = file_extension(path);
  if (ext.empty()) return nullptr;
  for (const auto& r : readers_) {
    if (std::find(r.extensions.begin(), r.extensions.end(), ext) != r.extensions.end()) return &r;
  }
  return nullptr;
}

const Reader* ReaderRegistry::find(const std::string& path, std::string_view bytes) const {
  const ContentKind kind = sniff_content(bytes);
  const Reader* by_ext = find_by_extension(path);
  // The content decides: of the readers for this kind, the one the extension names, else the first.
  const Reader* by_kind = nullptr;
  for (const auto& r : readers_) {
    if (std::find(r.kinds.begin(), r.kinds.end(), kind) == r.kinds.end()) continue;
    if (&r == by_ext) return by_ext;
    if (!by_kind) by_kind = &r;
  }
  if (by_kind) return by_kind;
  // Content no reader claims (binary data, an empty file, markup without its reader): the extension's
  // reader, which says what is wrong with it in its own terms ("binary file ... with a text extension").
  return by_ext;
}

ReadResult ReaderRegistry::read(const std::string& path, const std::string& bytes, const ReadContext& context) const {
  const Reader* r = find(path, bytes);
  if (!r) {
    const std::string what = describe_content(bytes);
    const std::string ext = file_extension(path);
    std::string reads;
    for (const auto& e : extensions()) reads += (reads.empty() ? "." : ", .") + e;
    throw InputError(
        path, "unsupported file type: " + what + (ext.empty() ? "" : " (." + ext + ")") + "; quire reads " + reads);
  }
  ReadResult result = r->read(path, bytes, context);
  // The one place no reader's C1 controls or break hints get past (document.h).
  settle_document_text(result.document, result.warnings);
  return result;
}

std::vector<std::string> ReaderRegistry::extensions() const {
  std::set<std::string> all;
  for (const auto& r : readers_) all.insert(r.extensions.begin(), r.extensions.end());
  return {all.begin(), all.end()};
}

const Reader* reader_for_folder_entry(const ReaderRegistry& registry, const std::string& path, std::string_view head) {
  // A supported extension: the file is meant to be read (and fails loudly if it cannot be).
  if (registry.find_by_extension(path)) return registry.find(path, head);
  // Otherwise only content that says unmistakably what it is: a PDF or an office container saved under
  // another name. Text and markup under unknown extensions (.json, .csv, .c) are not documents.
  const ContentKind kind = sniff_content(head);
  if (kind != ContentKind::kPdf && kind != ContentKind::kDocx && kind != ContentKind::kOdt &&
      kind != ContentKind::kEpub)
    return nullptr;
  for (const auto& r : registry.readers()) {
    if (std::find(r.kinds.begin(), r.kinds.end(), kind) != r.kinds.end()) return &r;
  }
  return nullptr;
}

const ReaderRegistry& ReaderRegistry::builtin() {
  static const ReaderRegistry registry = [] {
    ReaderRegistry r;
    r.add({"xml",
           {"xml"},
           {ContentKind::kXml},
           [](const std::string& path, const std::string& bytes, const ReadContext&) {
             return read_xml_document(path, bytes);
           }});
    r.add({"text",
           {"txt", "text", "md"},
           {ContentKind::kText},
           [](const std::string& path, const std::string& bytes, const ReadContext&) {
             return read_text_document(path, bytes);
           }});
    // .xhtml files often start with an XML declaration; their extension then picks this reader.
    r.add({"html",
           {"html", "htm", "xhtml"},
           {ContentKind::kHtml, ContentKind::kXml},
           [](const std::string& path, const std::string& bytes, const ReadContext&) {
             return read_html_document(path, bytes);
           }});
    r.add({"docx",
           {"docx"},
           {ContentKind::kDocx},
           [](const std::string& path, const std::string& bytes, const ReadContext&) {
             return read_docx_document(path, bytes);
           }});
    r.add({"odt",
           {"odt"},
           {ContentKind::kOdt},
           [](const std::string& path, const std::string& bytes, const ReadContext&) {
             return read_odt_document(path, bytes);
           }});
    r.add({"epub",
           {"epub"},
           {ContentKind::kEpub},
           [](const std::string& path, const std::string& bytes, const ReadContext&) {
             return read_epub_document(path, bytes);
           }});
    r.add({"pdf", {"pdf"}, {ContentKind::kPdf}, read_pdf_document});
    // Further readers register here: {name, extensions, content kinds, read function}.
    return r;
  }();
  return registry;
}

}  // namespace quire
