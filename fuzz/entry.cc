// One libFuzzer program per target: QUIRE_FUZZ_TARGET names the function in targets.h.
#include <cstddef>
#include <cstdint>

#include "targets.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return quire::fuzz::QUIRE_FUZZ_TARGET(data, size);
}
