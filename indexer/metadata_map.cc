// Catalogue metadata from a map file, file-name patterns and tables. See metadata_map.h and
// docs/metadata.md.
#include "quire/metadata_map.h"

#include <fnmatch.h>

#include <filesystem>
#include <map>
#include <pugixml.hpp>
#include <regex>
#include <set>
#include <unordered_map>

#include "pseudo_fs.h"
#include "quire/errors.h"
#include "quire/files.h"
#include "quire/tokenizer.h"
#include "quire/utf8.h"

namespace quire {
namespace fs = std::filesystem;

namespace {

using Context = std::map<std::string, std::string>;

// How table cells and pattern captures are compared: white space collapsed, and numbers by value, so
// that "01" in a file name meets "1" in a spreadsheet.
std::string key_form(std::string_view s) {
  std::string v = collapse_space(s);
  if (!v.empty() && v.find_first_not_of("0123456789") == std::string::npos) {
    const std::size_t nz = v.find_first_not_of('0');
    v = nz == std::string::npos ? "0" : v.substr(nz);
  }
  return v;
}

bool has_glob(std::string_view s) { return s.find_first_of("*?[") != std::string_view::npos; }

// A text with {name} placeholders.
struct Template {
  std::vector<std::string> literals;  ///< one more than names
  std::vector<std::string> names;

  // The text with every placeholder filled; nullopt-like empty flag when one has no value.
  bool fill(const Context& c, std::string& out) const {
    out = literals[0];
    for (std::size_t i = 0; i < names.size(); ++i) {
      auto it = c.find(names[i]);
      if (it == c.end() || collapse_space(it->second).empty()) return false;
      out += collapse_space(it->second);
      out += literals[i + 1];
    }
    return true;
  }
};

// Parses "{a}_{b}.txt". Returns a reason on failure.
std::string parse_template(const std::string& text, Template& t) {
  t.literals.assign(1, "");
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '{') {
      const std::size_t close = text.find('}', i);
      if (close == std::string::npos) return "'{' without '}' in \"" + text + "\"";
      const std::string name = collapse_space(text.substr(i + 1, close - i - 1));
      if (name.empty() || name.find('{') != std::string::npos) return "empty or nested {} in \"" + text + "\"";
      t.names.push_back(name);
      t.literals.emplace_back();
      i = close;
    } else if (text[i] == '}') {
      return "'}' without '{' in \"" + text + "\"";
    } else {
      t.literals.back() += text[i];
    }
  }
  return "";
}

struct Table {
  std::string path;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<std::pair<std::size_t, Template>> match;  ///< column, value it must equal
  std::unordered_map<std::string, std::size_t> exact;   ///< joined key -> first row
  std::vector<std::size_t> globbed;                     ///< rows whose key cells hold * ? [

  static constexpr char kJoin = '\x1f';

  // The row for this context, or -1: the first whose key cells equal the filled templates (or match
  // them as globs).
  long find(const Context& c) const {
    std::vector<std::string> want;
    std::string key;
    for (const auto& [col, tmpl] : match) {
      std::string v;
      if (!tmpl.fill(c, v)) return -1;
      want.push_back(v);
      key += key_form(v);
      key += kJoin;
    }
    long best = -1;
    if (auto it = exact.find(key); it != exact.end()) best = static_cast<long>(it->second);
    for (std::size_t r : globbed) {
      if (best >= 0 && static_cast<long>(r) > best) break;
      bool all = true;
      for (std::size_t i = 0; i < match.size() && all; ++i) {
        const std::string cell = collapse_space(rows[r][match[i].first]);
        all = has_glob(cell) ? ::fnmatch(cell.c_str(), want[i].c_str(), 0) == 0 : key_form(cell) == key_form(want[i]);
      }
      if (all) return static_cast<long>(r);
    }
    return best;
  }
};

// Splits a table file into rows of cells, as Excel and LibreOffice write them, in CSV (',') and TSV
// (tab) alike: a cell that begins with '"' is quoted, holds separators, line breaks and doubled quotes
// ("a ""quoted"" word"), and ends at a '"' followed by the separator or the line's end. A cell that
// only begins with a quote mark ("Hello" she said, in a table typed by hand) is taken as it is written.
// LF, CR LF and a lone CR (Excel's "CSV (Macintosh)") end a row.
std::vector<std::vector<std::string>> split_table(const std::string& text, char sep, const std::string& path,
                                                  std::size_t from) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row(1);
  bool quoted = false;
  std::size_t cell_start = 0;  // where the quoted cell began (its opening quote)
  int line = 1, quote_line = 1;
  std::size_t i = from;
  const auto end_row = [&] {
    if (!(row.size() == 1 && row[0].empty())) rows.push_back(std::move(row));
    row.assign(1, "");
  };
  const auto at_cell_end = [&](std::size_t j) {
    return j >= text.size() || text[j] == sep || text[j] == '\n' || text[j] == '\r';
  };
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') ++line;
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        row.back() += '"';
        ++i;
      } else if (c == '"' && at_cell_end(i + 1)) {
        quoted = false;
      } else if (c == '"') {
        // Not a quoted cell after all: the cell is its text as written, from its first quote mark.
        quoted = false;
        row.back() = text.substr(cell_start, i + 1 - cell_start);
      } else {
        row.back() += c;
      }
    } else if (c == '"' && row.back().empty()) {
      quoted = true;
      cell_start = i;
      quote_line = line;
    } else if (c == sep) {
      row.emplace_back();
    } else if (c == '\n' || (c == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n'))) {
      if (c == '\r') ++line;
      end_row();
    } else if (c != '\r') {
      row.back() += c;
    }
  }
  if (quoted) throw InputError(path, "a quoted cell is not closed (it opens on this line)", quote_line);
  end_row();
  return rows;
}

// A cell as catalogue text: a C1 control character is read as the Windows-1252 character its byte
// stands for (UNGDC's "Mu\u0092izzaddin" is "Mu\u2019izzaddin", as the search shows older indexes'
// records); C0 controls other than tab and line feed (ESC, BEL, a stray NUL) and the C1 bytes
// Windows-1252 leaves unassigned are dropped, as they are from a document's text, so that no export
// or listing carries a terminal escape a table held.
void strip_controls(std::string& cell) {
  if (is_valid_utf8(cell)) cell = c1_as_cp1252(cell);
  std::string out;
  out.reserve(cell.size());
  for (std::size_t i = 0; i < cell.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(cell[i]);
    if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f) continue;
    if (c == 0xc2 && i + 1 < cell.size() && static_cast<unsigned char>(cell[i + 1]) >= 0x80 &&
        static_cast<unsigned char>(cell[i + 1]) <= 0x9f) {
      ++i;
      continue;
    }
    out += cell[i];
  }
  cell.swap(out);
}

Table load_table(const fs::path& file, const std::string& format, const std::string& match, const std::string& map_path,
                 int map_line, std::vector<std::string>& warnings) {
  Table t;
  t.path = file.string();
  // The rule of documents: nothing is read from a pseudo file system (/proc/self/environ is no table,
  // and /proc/kmsg would never end), whatever link leads there.
  {
    std::error_code ec;
    const fs::path real = fs::canonical(file, ec);
    if (!ec)
      if (const std::string pseudo = pseudo_file_system(real.string()); !pseudo.empty())
        throw InputError(map_path,
                         "table " + t.path + " is " + real.string() + ", in the " + pseudo +
                             " pseudo file system, which holds the system's state, not a table; not read",
                         map_line);
  }
  std::string text;
  try {
    DecodedText d = decode_text(read_whole_file(t.path));
    if (!d.note.empty()) warnings.push_back(t.path + ": " + d.note);
    text = std::move(d.text);
  } catch (const Error& e) {
    throw InputError(map_path, "table " + t.path + ": " + e.what(), map_line);
  }
  std::string ext = file.extension().string();
  const bool csv = format == "csv" || (format.empty() && (ext == ".csv" || ext == ".CSV"));
  if (!format.empty() && format != "csv" && format != "tsv")
    throw InputError(map_path, "table format must be tsv or csv, not \"" + format + "\"", map_line);
  // A CSV file as Excel writes it: in most European locales ';' separates the cells, and a first line
  // "sep=;" (Excel's own hint) may say which separator the rest uses.
  std::size_t from = text.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;  // a spreadsheet's byte order mark
  char sep = csv ? ',' : '\t';
  const std::size_t first_end = std::min(text.find_first_of("\r\n", from), text.size());
  const std::string first_line = text.substr(from, first_end - from);
  if (first_line.size() == 5 && first_line.compare(0, 4, "sep=") == 0) {
    sep = first_line[4];
    from = first_end;
    while (from < text.size() && (text[from] == '\r' || text[from] == '\n')) ++from;
  } else if (csv && first_line.find(',') == std::string::npos && first_line.find(';') != std::string::npos) {
    sep = ';';
    warnings.push_back(t.path +
                       ": its first line has no ',' but ';': read with ';' between the cells (as "
                       "Excel writes CSV in many languages)");
  }
  auto rows = split_table(text, sep, t.path, from);
  for (auto& r : rows)
    for (auto& cell : r) strip_controls(cell);
  if (rows.empty()) throw InputError(t.path, "table is empty (its first line must name the columns)");
  for (const auto& h : rows[0]) t.header.push_back(collapse_space(h));
  rows.erase(rows.begin());
  t.rows = std::move(rows);
  for (auto& r : t.rows) r.resize(t.header.size());

  // match="Column={field}; Other Column={other}"
  std::size_t start = 0;
  while (start < match.size()) {
    std::size_t semi = match.find(';', start);
    if (semi == std::string::npos) semi = match.size();
    const std::string part = match.substr(start, semi - start);
    start = semi + 1;
    if (collapse_space(part).empty()) continue;
    const std::size_t eq = part.find('=');
    if (eq == std::string::npos)
      throw InputError(map_path, "match needs Column={field} pairs split by ';', not \"" + part + "\"", map_line);
    const std::string column = collapse_space(part.substr(0, eq));
    std::size_t col = 0;
    while (col < t.header.size() && t.header[col] != column) ++col;
    if (col == t.header.size()) {
      // One column holding another separator: the table is split by a character quire did not take.
      std::string hint;
      if (t.header.size() == 1)
        for (const char other : {';', ',', '\t', '|'})
          if (other != sep && t.header[0].find(other) != std::string::npos)
            hint = std::string("; the header is one column \"") + message_value(t.header[0]) +
                   "\": are the cells separated by " +
                   (other == '\t' ? std::string("tabs") : "'" + std::string(1, other) + "'") +
                   "? (a first line sep=" + (other == '\t' ? std::string("\\t") : std::string(1, other)) +
                   " says so, or save the table as CSV with ',')";
      throw InputError(t.path, std::string("no column named \"")
                                   .append(column)
                                   .append("\" (match in ")
                                   .append(map_path)
                                   .append(")")
                                   .append(hint));
    }
    Template tmpl;
    if (std::string why = parse_template(collapse_space(part.substr(eq + 1)), tmpl); !why.empty())
      throw InputError(map_path, why, map_line);
    t.match.emplace_back(col, std::move(tmpl));
  }
  if (t.match.empty()) throw InputError(map_path, "a table needs match=\"Column={field}\"", map_line);
  std::size_t duplicates = 0;
  std::string match_text;
  for (const auto& [col, tmpl] : t.match) match_text += (match_text.empty() ? "" : ", ") + t.header[col];
  match_text = (t.match.size() == 1 ? "key (" : "keys (") + match_text + ")";
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    bool glob = false;
    std::string key;
    for (const auto& [col, tmpl] : t.match) {
      glob = glob || has_glob(t.rows[r][col]);
      key += key_form(t.rows[r][col]);
      key += Table::kJoin;
    }
    if (glob) {
      t.globbed.push_back(r);
    } else if (const auto [it, fresh] = t.exact.emplace(key, r); !fresh) {
      // The first row with a key wins; the user is told, since the other row's values are never used.
      if (++duplicates <= 5)
        warnings.push_back(t.path + ": rows " + std::to_string(it->second + 1) + " and " + std::to_string(r + 1) +
                           " (after the header) have the same " + match_text + "; the first is used");
    }
  }
  if (duplicates > 5)
    warnings.push_back(t.path + ": " + std::to_string(duplicates) + " rows in all repeat the key of an earlier row");
  return t;
}

struct Block {
  std::regex name;  ///< over the file name; captures the placeholders below
  bool any_name = true;
  std::vector<std::string> captures;
  std::string path_glob;  ///< over the path relative to the map's folder; empty: any
  std::vector<Table> tables;
  std::vector<std::pair<std::string, Template>> fields;
};

// "{iso3}_{session}_{year}.txt" as a regular expression over the whole name; * and ? are wildcards.
std::regex name_regex(const std::string& pattern, std::vector<std::string>& captures, std::string& why) {
  std::string re;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '{') {
      const std::size_t close = pattern.find('}', i);
      if (close == std::string::npos) {
        why = "'{' without '}' in name=\"" + pattern + "\"";
        return {};
      }
      captures.push_back(collapse_space(pattern.substr(i + 1, close - i - 1)));
      if (captures.back().empty()) {
        why = "empty {} in name=\"" + pattern + "\"";
        return {};
      }
      re += "(.+?)";
      i = close;
    } else if (c == '*') {
      re += ".*";
    } else if (c == '?') {
      re += '.';
    } else {
      if (std::string("\\^$.|+()[]{}").find(c) != std::string::npos) re += '\\';
      re += c;
    }
  }
  return std::regex(re);
}

// A field name becomes a query filter (session:20), so it must read as one and not be taken.
std::string check_field_name(const std::string& name) {
  static const std::set<std::string> known = {"id",        "title",    "subtitle", "author", "publisher",
                                              "container", "volume",   "issue",    "pages",  "date",
                                              "type",      "language", "url",      "by"};
  static const std::set<std::string> taken = {"actor", "theme", "published", "mentions", "speaker",
                                              "dyad",  "quote", "source",    "path"};
  if (known.count(name)) return "";
  if (taken.count(name)) return "field name \"" + name + "\" is one of quire's own; choose another";
  const bool ok = name[0] >= 'a' && name[0] <= 'z' &&
                  name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_-") == std::string::npos;
  if (!ok) return "field name \"" + name + "\" must be lower-case letters, digits, '-' or '_', from a letter";
  return "";
}

}  // namespace

struct MetadataMap::Impl {
  std::string path;
  std::vector<std::string> warnings;
  fs::path folder;
  std::vector<Block> blocks;
};

MetadataMap::MetadataMap() : impl_(std::make_unique<Impl>()) {}
MetadataMap::~MetadataMap() = default;
MetadataMap::MetadataMap(MetadataMap&&) noexcept = default;
MetadataMap& MetadataMap::operator=(MetadataMap&&) noexcept = default;

const std::string& MetadataMap::path() const { return impl_->path; }

const std::vector<std::string>& MetadataMap::warnings() const { return impl_->warnings; }

std::vector<std::string> MetadataMap::input_files() const {
  std::vector<std::string> files = {impl_->path};
  for (const Block& b : impl_->blocks)
    for (const Table& t : b.tables) files.push_back(t.path);
  return files;
}

MetadataMap MetadataMap::load(const std::string& path) {
  DecodedText decoded = decode_text(read_whole_file(path));
  const std::string& xml = decoded.text;
  pugi::xml_document doc;
  const auto parsed = doc.load_buffer(xml.data(), xml.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!parsed)
    throw InputError(path, std::string("not well-formed XML: ") + parsed.description(), line_at(xml, parsed.offset));
  const auto line_of = [&xml](const pugi::xml_node& n) { return line_at(xml, n.offset_debug()); };
  const pugi::xml_node root = doc.child("metadata");
  if (!root) throw InputError(path, "root element must be <metadata>", line_of(doc.document_element()));

  MetadataMap map;
  Impl& im = *map.impl_;
  im.path = path;
  if (!decoded.note.empty()) im.warnings.push_back(path + ": " + decoded.note);
  std::error_code ec;
  im.folder = fs::absolute(fs::path(path), ec).parent_path().lexically_normal();
  for (const pugi::xml_node& f : root.children()) {
    if (f.type() != pugi::node_element) continue;
    if (std::string(f.name()) != "files")
      throw InputError(path, std::string("unknown element <") + f.name() + "> (expected <files>)", line_of(f));
    Block b;
    if (const char* name = f.attribute("name").value(); *name) {
      std::string why;
      b.name = name_regex(name, b.captures, why);
      if (!why.empty()) throw InputError(path, why, line_of(f));
      b.any_name = false;
    }
    b.path_glob = f.attribute("path").value();
    for (const pugi::xml_node& c : f.children()) {
      if (c.type() != pugi::node_element) continue;
      const std::string what = c.name();
      if (what == "table") {
        const std::string file = c.attribute("file").value();
        if (file.empty()) throw InputError(path, "<table> needs file=\"...\"", line_of(c));
        const fs::path p = fs::path(file).is_absolute() ? fs::path(file) : im.folder / file;
        b.tables.push_back(
            load_table(p, c.attribute("format").value(), c.attribute("match").value(), path, line_of(c), im.warnings));
      } else if (what == "field") {
        const std::string name = collapse_space(c.attribute("name").value());
        if (name.empty()) throw InputError(path, "<field> needs name=\"...\"", line_of(c));
        if (std::string why = check_field_name(name); !why.empty()) throw InputError(path, why, line_of(c));
        Template t;
        if (std::string why = parse_template(c.text().get(), t); !why.empty()) throw InputError(path, why, line_of(c));
        b.fields.emplace_back(name, std::move(t));
      } else {
        throw InputError(path, "unknown element <" + what + "> in <files> (expected <table> or <field>)", line_of(c));
      }
    }
    im.blocks.push_back(std::move(b));
  }
  return map;
}

MetadataFields MetadataMap::fields_for(const std::string& file) const {
  const fs::path p(file);
  // Names are matched and filled in as UTF-8 (a Latin-1 name read as Windows-1252), like the tables.
  const std::string name = as_utf8(p.filename().string());
  const fs::path rel_path = p.lexically_relative(impl_->folder);
  const bool inside = !rel_path.empty() && rel_path.begin()->string() != "..";
  const std::string rel = as_utf8(inside ? rel_path.string() : file);
  MetadataFields out;
  for (const Block& b : impl_->blocks) {
    Context c = {{"path", rel}, {"name", name}, {"stem", as_utf8(p.stem().string())}};
    if (!b.path_glob.empty() && ::fnmatch(b.path_glob.c_str(), rel.c_str(), 0) != 0) continue;
    if (!b.any_name) {
      std::smatch m;
      if (!std::regex_match(name, m, b.name)) continue;
      for (std::size_t i = 0; i < b.captures.size(); ++i) c[b.captures[i]] = m[i + 1].str();
    }
    for (const Table& t : b.tables) {
      const long r = t.find(c);
      if (r < 0) continue;
      for (std::size_t col = 0; col < t.header.size(); ++col) c.emplace(t.header[col], t.rows[r][col]);
    }
    for (const auto& [field, tmpl] : b.fields) {
      std::string v;
      if (!tmpl.fill(c, v) || collapse_space(v).empty()) continue;
      v = collapse_space(v);
      // A later block replaces a field; author and by may repeat within one block.
      const bool repeatable = field == "author" || field == "by";
      bool replaced = false;
      for (auto& [k, old] : out) {
        if (k == field && !repeatable) {
          old = v;
          replaced = true;
        }
      }
      if (!replaced) out.emplace_back(field, v);
    }
  }
  return out;
}

std::vector<std::string> apply_fields(const MetadataFields& fields, DocumentMeta& meta) {
  std::vector<std::string> refused;
  std::map<std::string, std::string*> simple = {{"id", &meta.id},
                                                {"title", &meta.title},
                                                {"subtitle", &meta.subtitle},
                                                {"publisher", &meta.publisher},
                                                {"container", &meta.container},
                                                {"volume", &meta.volume},
                                                {"issue", &meta.issue},
                                                {"pages", &meta.pages},
                                                {"type", &meta.type},
                                                {"language", &meta.language},
                                                {"url", &meta.url}};
  static const std::regex id(R"([A-Za-z0-9][A-Za-z0-9._:-]{0,199})");
  bool authors_set = false, by_set = false;
  const auto split = [](const std::string& v) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (start <= v.size()) {
      std::size_t semi = v.find(';', start);
      if (semi == std::string::npos) semi = v.size();
      if (std::string part = collapse_space(v.substr(start, semi - start)); !part.empty()) parts.push_back(part);
      start = semi + 1;
    }
    return parts;
  };
  for (const auto& [name, value] : fields) {
    if (name == "id" && !std::regex_match(value, id)) {
      refused.push_back("id \"" + value + "\" is not letters, digits and . _ : - (at most 200)");
    } else if (auto it = simple.find(name); it != simple.end()) {
      *it->second = value;
      if (name == "title") meta.title_devised = true;
    } else if (name == "date") {
      if (std::string why = date_problem(value); why.empty())
        meta.date = value;
      else
        refused.push_back(why);
    } else if (name == "author") {
      if (!authors_set) meta.authors.clear();
      authors_set = true;
      for (auto& a : split(value)) meta.authors.push_back(std::move(a));
    } else if (name == "by") {
      if (!by_set) meta.by.clear();
      by_set = true;
      for (auto& a : split(value)) meta.by.push_back(std::move(a));
    } else {
      bool found = false;
      for (auto& [k, v] : meta.extra) {
        if (k == name) v = value, found = true;
      }
      if (!found) meta.extra.emplace_back(name, value);
    }
  }
  return refused;
}

}  // namespace quire
