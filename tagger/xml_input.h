/** @file
 *  @brief Opening a rule file (actors.xml, themes.xml): parse it and check its root element, with
 *  errors that name the file and line. Private to the tagger library.
 */
#pragma once

#include <pugixml.hpp>
#include <string>

namespace quire {

/// Throws InputError(path, why) at the line of `node` in `xml`.
[[noreturn]] void fail_at(const std::string& path, const std::string& xml, const pugi::xml_node& node,
                          const std::string& why);

/// Parses `xml` into `doc` and returns its <root_name> element. Throws InputError if the XML is not
/// well-formed or the root is another element.
pugi::xml_node parse_rule_file(pugi::xml_document& doc, const std::string& path, const std::string& xml,
                               const char* root_name);

}  // namespace quire
