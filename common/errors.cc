// Message formatting for quire's error types.
#include "quire/errors.h"

namespace quire {
namespace {

std::string input_message(const std::string& path, const std::string& reason, int line) {
  std::string m = path;
  if (line > 0) m += ":" + std::to_string(line);
  return m + ": " + reason;
}

}  // namespace

InputError::InputError(std::string path, std::string reason, int line)
    : Error(input_message(path, reason, line)), path_(std::move(path)), reason_(std::move(reason)), line_(line) {}

}  // namespace quire
