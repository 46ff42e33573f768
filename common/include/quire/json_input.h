/** @file
 *  @brief JSON as quire prints it for people and programs (json_text()), and parsing JSON that quire did
 *  not write itself, or that came back from a file someone else
 *  may have made: batch and tag --jsonl lines, test collections, and the records inside an index
 *  received from others. nlohmann::json recurses on nesting when it copies, compares, prints and
 *  converts a value, so 70,000 levels of `[` overflow the stack; the depth is checked before parsing.
 */
#pragma once

#include <cstddef>
#include <exception>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "quire/errors.h"

namespace quire {

/// `j` as JSON text (`indent` as nlohmann's dump: -1 one line), the way every output of quire prints it:
/// invalid UTF-8 replaced by U+FFFD, and beside the C0 controls JSON itself escapes, the characters that
/// act on a terminal or on the text around them written as `\uXXXX` escapes: DEL, the C1 controls
/// U+0080-009F (U+009B is a terminal's CSI), U+2028 and U+2029, and the bidi embeddings, overrides and
/// isolates U+202A-202E and U+2066-206F. A parser reads back the very same strings; a terminal shown
/// the text sees only ASCII there.
std::string json_text(const nlohmann::json& j, int indent = -1);

/// Deepest nesting of arrays and objects quire reads. Its own records nest at most 4 levels.
inline constexpr std::size_t kMaxJsonDepth = 64;

/// JSON nested too deeply (thrown by parse_json before any parsing).
class JsonDepthError : public Error {
 public:
  using Error::Error;
};

/// The nesting depth of arrays and objects in `text`, ignoring brackets inside strings; it stops
/// counting past `limit`. Text that is not JSON gets some number; the parser then refuses it.
std::size_t json_depth(std::string_view text, std::size_t limit = kMaxJsonDepth);

/// The message of a JSON error for a user: nlohmann's "[json.exception.parse_error.101] " tag removed.
std::string json_error_text(const std::exception& e);

/// An object that gives one key twice (thrown by parse_json when asked): nlohmann keeps the last value
/// without a word, so `{"query": "a", "query": "b"}` would run b where a was meant.
class JsonDuplicateKeyError : public Error {
 public:
  using Error::Error;
};

/// Whether parse_json refuses an object holding a key twice: yes for what a person writes (batch and tag
/// lines, request bodies), no for quire's own records, which never hold one.
enum class DuplicateKeys { kAllow, kRefuse };

/// Parses `text` like nlohmann::json::parse (and throws its parse_error on bad JSON), after checking
/// that it nests at most `max_depth` levels (else JsonDepthError, "JSON nested deeper than 64 levels").
/// With DuplicateKeys::kRefuse, an object at any depth holding a key twice is a JsonDuplicateKeyError:
/// `duplicate key "query"`.
nlohmann::json parse_json(std::string_view text, std::size_t max_depth = kMaxJsonDepth,
                          DuplicateKeys duplicates = DuplicateKeys::kAllow);

/// A value of the wrong kind in JSON someone wrote (a request body, a batch line): the message names
/// the key and what it takes, `"q" must be a string, not a number`, never nlohmann's
/// "[json.exception.type_error.302] ..." text.
class JsonValueError : public Error {
 public:
  using Error::Error;
};

/// What `j` is, for a message: "a string", "a number", "true or false" (a boolean), "null", "an array",
/// "an object".
const char* json_kind(const nlohmann::json& j);

/// `j` (the value of `key`) as a string; JsonValueError `"KEY" must be a string, not a number` otherwise.
std::string json_string(const nlohmann::json& j, std::string_view key);
/// `j` (the value of `key`) as true or false; JsonValueError `"KEY" must be true or false, not a string`.
bool json_bool(const nlohmann::json& j, std::string_view key);
/// `j` (the value of `key`) as a list of strings; JsonValueError `"KEY" must be a list of strings`.
std::vector<std::string> json_strings(const nlohmann::json& j, std::string_view key);

}  // namespace quire
