// The rt11e red team's findings (issue 11) that a unit can show: when a time bound cut the counting.
#include <catch2/catch.hpp>

#include "quire/searcher.h"

using quire::counting_cut;
using quire::MatchCounts;

TEST_CASE("rt11e: a count cut by the time bound is never called whole", "[rt11e][timeout]") {
  struct Case {
    const char* what;
    MatchCounts m;
    bool cut;
  };
  const auto counts = [](double ms, double limit, std::size_t l, std::size_t u, std::size_t ul, std::size_t uu,
                         std::optional<std::size_t> spied = std::nullopt) {
    MatchCounts m;
    m.elapsed_ms = ms;
    m.limit_ms = limit;
    m.lower = l;
    m.upper = u;
    m.uncollapsed_lower = ul;
    m.uncollapsed_upper = uu;
    m.spied = spied;
    return m;
  };
  const Case cases[] = {
      {"no bound", counts(50, 0, 88, 14073, 15102, 15102), false},
      {"within the bound", counts(3, 5, 88, 14073, 15102, 15102), false},
      // What rt11e saw: one word, documents cut at 88..14,073 while its passage count is its term frequency.
      {"documents cut, passages whole (one word)", counts(16, 5, 88, 14073, 15102, 15102), true},
      {"passages cut", counts(16, 5, 900, 900, 900, 15000), true},
      {"every match counted though late", counts(16, 5, 2002, 2002, 15102, 15102), false},
      {"facets saw fewer passages than matched", counts(16, 5, 15102, 15102, 15102, 15102, 4000), true},
      {"facets saw every passage", counts(16, 5, 2002, 2002, 15102, 15102, 15102), false},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    CHECK(counting_cut(c.m) == c.cut);
  }
}
