// Rule-file opening shared by the gazetteer and the theme taxonomy. See xml_input.h.
#include "xml_input.h"

#include "quire/errors.h"
#include "quire/files.h"

namespace quire {

void fail_at(const std::string& path, const std::string& xml, const pugi::xml_node& node, const std::string& why) {
  throw InputError(path, why, node ? line_at(xml, node.offset_debug()) : 0);
}

pugi::xml_node parse_rule_file(pugi::xml_document& doc, const std::string& path, const std::string& xml,
                               const char* root_name) {
  const auto parsed = doc.load_buffer(xml.data(), xml.size());
  if (!parsed)
    throw InputError(path, std::string("not well-formed XML: ") + parsed.description(), line_at(xml, parsed.offset));
  const pugi::xml_node root = doc.child(root_name);
  if (!root) fail_at(path, xml, doc.document_element(), std::string("root element must be <") + root_name + ">");
  return root;
}

}  // namespace quire
