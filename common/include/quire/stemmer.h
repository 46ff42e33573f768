/** @file
 *  @brief English Snowball stemming through libstemmer, for code that must not depend on Xapian
 *  (highlighting, and tagging later). Xapian 1.4 ships the same Snowball English algorithm, so a word
 *  stems here as it stems in the index. Not thread-safe: use one Stemmer per thread.
 */
#pragma once

#include <memory>
#include <string>
#include <string_view>

struct sb_stemmer;

namespace quire {

class Stemmer {
 public:
  /// Throws quire::Error if libstemmer has no algorithm called `language`.
  explicit Stemmer(const char* language = "english");
  ~Stemmer();
  Stemmer(const Stemmer&) = delete;
  Stemmer& operator=(const Stemmer&) = delete;

  /// Stem of a lower-case word; words libstemmer cannot stem come back unchanged.
  std::string operator()(std::string_view word) const;

 private:
  sb_stemmer* stemmer_;
};

}  // namespace quire
