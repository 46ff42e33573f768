/** @file
 *  @brief The errors quire throws, split the way Xapian splits them: a bug in the caller (LogicError)
 *  versus bad data or environment (the rest). The command line maps each to an exit code.
 */
#pragma once

#include <stdexcept>
#include <string>

namespace quire {

/// Base of every error quire throws on purpose. what() is one line, fit to print to a user.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A document that cannot be read: names the file, and the line where one is known.
class InputError : public Error {
 public:
  InputError(std::string path, std::string reason, int line = 0);
  const std::string& path() const { return path_; }
  const std::string& reason() const { return reason_; }
  int line() const { return line_; }

 private:
  std::string path_;
  std::string reason_;
  int line_;
};

/// A query that cannot be parsed: what() says what is wrong with it.
class QueryError : public Error {
 public:
  using Error::Error;
};

/// The index cannot be opened, written or is of an unknown format.
class IndexError : public Error {
 public:
  using Error::Error;
};

/// The index's write lock is held by another writer (`quire index`, a collection change) for longer
/// than the caller would wait: nothing was changed; try again later.
class IndexLockedError : public IndexError {
 public:
  using IndexError::IndexError;
};

}  // namespace quire
