// Depth-checked JSON parsing for input quire did not write. See json_input.h.
#include "quire/json_input.h"

#include <set>
#include <string>
#include <vector>

#include "quire/utf8.h"

namespace quire {

std::string json_text(const nlohmann::json& j, int indent) {
  const std::string text = j.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
  // The bytes of these characters occur only inside strings (JSON's own syntax is ASCII), and the
  // dump is valid UTF-8, so each one is a whole character to write as its escape.
  std::string out;
  out.reserve(text.size());
  auto escape = [&out](unsigned cp) {
    static const char kHex[] = "0123456789abcdef";
    out += "\\u";
    for (int shift = 12; shift >= 0; shift -= 4) out += kHex[(cp >> shift) & 0xF];
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto b = static_cast<unsigned char>(text[i]);
    const auto next = [&](std::size_t k) { return i + k < text.size() ? static_cast<unsigned char>(text[i + k]) : 0u; };
    if (b == 0x7F) {
      escape(0x7F);
    } else if (b == 0xC2 && next(1) >= 0x80 && next(1) <= 0x9F) {
      escape(next(1));
      i += 1;
    } else if (b == 0xE2 && (next(1) == 0x80 || next(1) == 0x81) && next(2) >= 0x80 && next(2) <= 0xBF) {
      const unsigned cp = 0x2000u | ((next(1) & 0x3Fu) << 6) | (next(2) & 0x3Fu);
      if (is_line_break(cp) || is_display_control(cp)) {
        escape(cp);
        i += 2;
      } else {
        out += text[i];
      }
    } else {
      out += text[i];
    }
  }
  return out;
}

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

const char* json_kind(const nlohmann::json& j) {
  if (j.is_string()) return "a string";
  if (j.is_number()) return "a number";
  if (j.is_boolean()) return "true or false";
  if (j.is_array()) return "an array";
  if (j.is_object()) return "an object";
  return "null";
}

namespace {
std::string named(std::string_view key) { return "\"" + message_value(std::string(key)) + "\""; }
}  // namespace

std::string json_string(const nlohmann::json& j, std::string_view key) {
  if (!j.is_string()) throw JsonValueError(named(key) + " must be a string, not " + json_kind(j));
  return j.get<std::string>();
}

bool json_bool(const nlohmann::json& j, std::string_view key) {
  if (!j.is_boolean()) throw JsonValueError(named(key) + " must be true or false, not " + json_kind(j));
  return j.get<bool>();
}

std::vector<std::string> json_strings(const nlohmann::json& j, std::string_view key) {
  const auto bad = [&](const nlohmann::json& v) {
    return JsonValueError(named(key) + " must be a list of strings, not " + std::string(json_kind(v)) +
                          (&v == &j ? "" : " in the list"));
  };
  if (!j.is_array()) throw bad(j);
  std::vector<std::string> out;
  out.reserve(j.size());
  for (const auto& v : j) {
    if (!v.is_string()) throw bad(v);
    out.push_back(v.get<std::string>());
  }
  return out;
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
