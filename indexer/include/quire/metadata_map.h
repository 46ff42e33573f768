/** @file
 *  @brief Catalogue metadata kept outside the documents: a map file (XML) that gives files their
 *  title, authors, date, the actor they are by and any other field, from patterns over the file name
 *  and from tables (TSV or CSV) joined on what the pattern captured or on the file's path.
 *
 *  @code{.xml}
 *  <metadata version="1">
 *    <files name="{iso3}_{session}_{year}.txt">
 *      <table file="speakers_by_session.tsv" match="ISO Code={iso3}; Session={session}; Year={year}"/>
 *      <field name="by">{iso3}</field>
 *      <field name="date">{year}</field>
 *      <field name="author">{Name of Person Speaking}</field>
 *    </files>
 *  </metadata>
 *  @endcode
 *
 *  Every <files> block whose `name` pattern (over the file name) and `path` glob (over the path
 *  relative to the map's folder) both match applies, in order; a later block's field replaces an
 *  earlier one's. docs/metadata.md describes the format in full. A loaded map is read-only.
 */
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "quire/document.h"

namespace quire {

/// Field name and value, in the order the map gives them.
using MetadataFields = std::vector<std::pair<std::string, std::string>>;

class MetadataMap {
 public:
  /// Reads the map and every table it names. Throws InputError naming the map or the table, and the
  /// line, for anything malformed (unknown element, a pattern that cannot be read, a missing column).
  static MetadataMap load(const std::string& path);

  MetadataMap();
  ~MetadataMap();
  MetadataMap(MetadataMap&&) noexcept;
  MetadataMap& operator=(MetadataMap&&) noexcept;

  /// The fields the map gives the file at `path` (absolute). Empty when no block matches.
  MetadataFields fields_for(const std::string& path) const;

  /// The map file's path.
  const std::string& path() const;

  /// The files load() read: the map, then each table it names (as the map names them). quire's own
  /// inputs, never indexed as documents (index_paths()).
  std::vector<std::string> input_files() const;

  /// What load() repaired, one line each naming the file: a table in Windows-1252 (Excel's default
  /// for CSV) or UTF-16 (Excel's "Unicode text") read as such.
  const std::vector<std::string>& warnings() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Sets `meta` from catalogue fields: id, title, subtitle, author, publisher, container, volume, issue,
/// pages, date, type, language, url and by set the fields of DocumentMeta (author and by may repeat, or
/// hold several values split by ';'); any other name goes to DocumentMeta::extra. A title given here
/// is marked devised (a cataloguer's title, shown in [brackets]). Returns one line per value refused
/// (a date that is not YYYY[-MM[-DD]]), naming the field.
std::vector<std::string> apply_fields(const MetadataFields& fields, DocumentMeta& meta);

}  // namespace quire
