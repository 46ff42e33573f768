// Depth-checked JSON parsing for input quire did not write. See json_input.h.
#include "quire/json_input.h"

#include <set>
#include <string>
#include <vector>

#include "quire/utf8.h"

namespace quire {

std::size_t json_depth(std::string_view text, std::size_t limit) {
  std::size_t depth = 0, deepest = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > deepest) deepest = depth;
      if (deepest > limit) return deepest;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

std::string json_error_text(const std::exception& e) {
  std::string m = e.what();
  if (m.rfind("[json.exception.", 0) == 0) {
    const std::size_t close = m.find("] ");
    if (close != std::string::npos) m.erase(0, close + 2);
  }
  return m;
}

nlohmann::json parse_json(std::string_view text, std::size_t max_depth, DuplicateKeys duplicates) {
  if (json_depth(text, max_depth) > max_depth)
    throw JsonDepthError("JSON nested deeper than " + std::to_string(max_depth) + " levels");
  if (duplicates == DuplicateKeys::kAllow) return nlohmann::json::parse(text.begin(), text.end());
  // The keys of each object open at this point of the parse, innermost last.
  std::vector<std::set<std::string>> open;
  using Event = nlohmann::json::parse_event_t;
  const auto check = [&open](int, Event event, nlohmann::json& parsed) {
    if (event == Event::object_start) {
      open.emplace_back();
    } else if (event == Event::object_end) {
      if (!open.empty()) open.pop_back();
    } else if (event == Event::key && !open.empty()) {
      const std::string& key = parsed.get_ref<const std::string&>();
      if (!open.back().insert(key).second) throw JsonDuplicateKeyError("duplicate key \"" + message_value(key) + "\"");
    }
    return true;
  };
  return nlohmann::json::parse(text.begin(), text.end(), check);
}

}  // namespace quire
