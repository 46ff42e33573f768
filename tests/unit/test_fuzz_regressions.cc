// Replays every input the fuzzers ever crashed on (fuzz/regressions/TARGET/*), and the bundled corpus,
// through the fuzz targets: each must return without a crash, a sanitizer report or a foreign exception.
#include <catch2/catch.hpp>
#include <filesystem>

#include "support.h"
#include "targets.h"

namespace fs = std::filesystem;

TEST_CASE("fuzz targets: saved crashes and the corpus run clean", "[fuzz]") {
  const std::string regressions = quire::test::source_dir() + "/fuzz/regressions";
  std::size_t replayed = 0;
  for (const auto& [name, target] : quire::fuzz::targets()) {
    INFO(name);
    std::vector<fs::path> inputs;
    if (fs::exists(regressions + "/" + name))
      for (const auto& e : fs::directory_iterator(regressions + "/" + name)) inputs.push_back(e.path());
    for (const auto& e : fs::directory_iterator(quire::test::source_dir() + "/corpus")) inputs.push_back(e.path());
    for (const auto& in : inputs) {
      INFO(in.string());
      const std::string bytes = quire::test::read_file(in.string());
      CHECK(target(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()) == 0);
      ++replayed;
    }
    CHECK(target(nullptr, 0) == 0);
  }
  CHECK(replayed >= 25);
}
