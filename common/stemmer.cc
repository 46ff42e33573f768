// Thin RAII wrapper over libstemmer's C API.
#include "quire/stemmer.h"

#include <libstemmer.h>

#include "quire/errors.h"

namespace quire {

Stemmer::Stemmer(const char* language) : stemmer_(sb_stemmer_new(language, "UTF_8")) {
  if (stemmer_ == nullptr) throw Error(std::string("no Snowball stemmer for language '") + language + "'");
}

Stemmer::~Stemmer() { sb_stemmer_delete(stemmer_); }

std::string Stemmer::operator()(std::string_view word) const {
  const sb_symbol* out =
      sb_stemmer_stem(stemmer_, reinterpret_cast<const sb_symbol*>(word.data()), static_cast<int>(word.size()));
  if (out == nullptr) return std::string(word);  // out of memory: fall back to the word itself
  return std::string(reinterpret_cast<const char*>(out), static_cast<std::size_t>(sb_stemmer_length(stemmer_)));
}

}  // namespace quire
