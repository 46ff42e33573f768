// The static files quire serve answers from memory (generated from serve/static/ at build time).
#pragma once

#include <string>
#include <vector>

namespace quire::serve {

struct Asset {
  std::string path;  ///< "/static/app.js"
  std::string content_type;
  std::string body;
};

/// Every static file: the only files the server sends.
const std::vector<Asset>& assets();

}  // namespace quire::serve
