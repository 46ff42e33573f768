// Search requests from named parameters (quire/request.h): what the CLI and the server accept and refuse.
#include <catch2/catch.hpp>

#include "quire/request.h"

using Params = std::vector<std::pair<std::string, std::string>>;

TEST_CASE("parse_search_request refuses bad parameters with the parameter's name", "[request]") {
  struct Case {
    Params params;
    std::string error;  // "" means accepted
  };
  const Case cases[] = {
      {{{"q", "china"}}, ""},
      {{{"actor", "china"}}, ""},
      {{{"facets", "actor"}}, ""},
      {{{"q", "china"}, {"limit", "1000"}, {"offset", "5"}, {"passages", "1"}, {"sort", "newest"}}, ""},
      {{{"q", "china"}, {"k1", "1.2"}, {"b", "0"}, {"plain", "true"}}, ""},
      {{}, "q: give a query"},
      {{{"q", "   "}}, "q: give a query"},
      {{{"q", "x"}, {"limit", "0"}}, "limit must be between 1 and 1000"},
      {{{"q", "x"}, {"limit", "1001"}}, "limit must be between 1 and 1000"},
      {{{"q", "x"}, {"limit", "10x"}}, "limit must be a whole number, not '10x'"},
      {{{"q", "x"}, {"limit", "-3"}}, "limit must be a whole number, not '-3'"},
      {{{"q", "x"}, {"limit", "99999999999999999999"}}, "limit must be a whole number"},
      {{{"q", "x"}, {"offset", "100001"}}, "offset must be at most 100000"},  // quire::kMaxOffset
      {{{"q", "x"}, {"facet-limit", "0"}}, "facet-limit must be between 1 and"},
      {{{"q", "x"}, {"k1", "inf"}}, "k1 must be a number, not 'inf'"},
      {{{"q", "x"}, {"k1", "1e3"}}, "k1 must be between 0 and 100"},
      {{{"q", "x"}, {"b", "nan"}}, "b must be a number"},
      {{{"q", "x"}, {"b", "1.5"}}, "b must be between 0 and 1"},
      {{{"q", "x"}, {"weighting", "tfidf"}}, "weighting must be bm25, bm25+, lm, dlh, dph, pl2 or inl2, not 'tfidf'"},
      {{{"q", "x"}, {"proximity", "-1"}}, "proximity must be between 0 and 10"},
      {{{"q", "x"}, {"title-weight", "-1"}}, "title-weight must be between 0 and 10"},
      {{{"q", "x"}, {"feedback-docs", "1001"}}, "feedback-docs must be at most 1000"},
      {{{"q", "x"}, {"max-wildcard", "0"}}, "max-wildcard must be between 1 and 100000"},
      {{{"q", "x"}, {"max-wildcard", "100000"}}, ""},
      {{{"q", "x"}, {"max-wildcard", "100001"}}, "max-wildcard must be between 1 and 100000"},
      {{{"q", "x"}, {"max-wildcard", "999999999"}}, "max-wildcard must be between 1 and 100000"},  // rt11i row 10
      {{{"q", "x"}, {"feedback-terms", "1001"}}, "feedback-terms must be at most 1000"},
      {{{"q", "x"}, {"feedback-weight", "11"}}, "feedback-weight must be between 0 and 10"},
      {{{"q", "x"}, {"k3", "1001"}}, "k3 must be between 0 and 1000"},
      {{{"q", "x"}, {"delta", "11"}}, "delta must be between 0 and 10"},
      {{{"q", "x"}, {"mu", "0"}}, "mu must be above 0"},
      {{{"q", "x"}, {"dfr-c", "0"}}, "dfr-c must be above 0"},
      {{{"q", "x"}, {"proximity-depth", "1001"}}, "proximity-depth must be at most 1000"},
      {{{"q", "x"}, {"passages", "maybe"}}, "passages must be 1 or 0, not 'maybe'"},
      {{{"q", "x"}, {"sort", "random"}},
       "sort must be relevance, date (oldest first), -date (newest first), newest or oldest"},
      {{{"q", "x"}, {"facets", "actor,Colour!"}}, "facets: unknown facet 'Colour!'"},
      {{{"q", "x"}, {"facets", "actor,<b>"}}, "facets: unknown facet '<b>'"},
      {{{"q", "x"}, {"colour", "red"}}, "unknown parameter 'colour'"},
      {{{"q", "x"}, {"actor", "  "}}, "actor: give a value"},
  };
  quire::RequestLimits limits;
  limits.max_limit = 1000;
  for (const auto& c : cases) {
    CAPTURE(c.params.size(), c.error);
    if (c.error.empty()) {
      CHECK_NOTHROW(quire::parse_search_request(c.params, {}, limits));
    } else {
      CHECK_THROWS_WITH(quire::parse_search_request(c.params, {}, limits), Catch::Contains(c.error));
    }
  }
}

TEST_CASE("parse_search_request fills the options the CLI's flags fill", "[request]") {
  const Params p = {{"q", "kashmir"},     {"q", "plebiscite"},           {"by", "PAK"},          {"published", "1960s"},
                    {"by", "IND"},        {"facets", "by,published,by"}, {"limit", "25"},        {"passages", "0"},
                    {"sort", "oldest"},   {"feedback-docs", "5"},        {"weighting", "bm25+"}, {"k3", "7"},
                    {"proximity", "0.5"}, {"drop-request-words", "1"}};
  quire::SearchOptions defaults;
  defaults.max_query_bytes = 99;
  const quire::SearchRequest r = quire::parse_search_request(p, defaults);
  CHECK(r.query == "kashmir plebiscite");
  CHECK(r.options.filters ==
        std::vector<std::pair<std::string, std::string>>{{"by", "PAK"}, {"published", "1960s"}, {"by", "IND"}});
  CHECK(r.options.facets == std::vector<std::string>{"by", "published"});
  CHECK(r.options.limit == 25);
  CHECK_FALSE(r.options.passages);
  CHECK(r.options.order == quire::SearchOptions::Order::oldest);
  CHECK(r.options.ranking.feedback_documents == 5);
  CHECK(r.options.ranking.weighting == "bm25+");
  CHECK(r.options.ranking.k3 == 7);
  CHECK(r.options.ranking.proximity == 0.5);
  CHECK(r.options.ranking.drop_request_words);
  CHECK(r.options.max_query_bytes == 99);  // defaults the parameters do not touch stay
}

TEST_CASE("parse_search_request skips the parameters it is told to ignore", "[request]") {
  const quire::SearchRequest r = quire::parse_search_request({{"q", "x"}, {"c", "my-collection"}}, {}, {}, {"c"});
  CHECK(r.query == "x");
  CHECK_THROWS_AS(quire::parse_search_request({{"q", "x"}, {"c", "y"}}, {}), quire::RequestError);
}

TEST_CASE("a request naming a facet or a filter thousands of times holds it once: filters are bounded",
          "[request][amplification]") {
  // Each row: what the request names, and what the options hold (or the error).
  struct Case {
    const char* what;
    Params params;
    std::size_t facets, filters;
    const char* error;
  };
  Params five_thousand_facets, same_filter, distinct_64, distinct_65;
  for (int i = 0; i < 5000; ++i) five_thousand_facets.push_back({"facets", "actor,actor"});
  for (int i = 0; i < 5000; ++i) same_filter.push_back({"actor", "china"});
  for (int i = 0; i < 64; ++i) distinct_64.push_back({"theme", "t" + std::to_string(i)});
  distinct_65 = distinct_64;
  distinct_65.push_back({"actor", "x"});
  for (auto* p : {&five_thousand_facets, &same_filter, &distinct_64, &distinct_65}) p->push_back({"q", "x"});
  const Case cases[] = {
      {"facets=actor,actor x 5000", five_thousand_facets, 1, 0, nullptr},
      {"actor=china x 5000", same_filter, 0, 1, nullptr},
      {"64 different filters", distinct_64, 0, 64, nullptr},
      {"65 different filters", distinct_65, 0, 0, "actor: a request holds at most 64 different filters"},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    if (c.error) {
      CHECK_THROWS_WITH(quire::parse_search_request(c.params, {}), Catch::Contains(c.error));
    } else {
      const quire::SearchRequest r = quire::parse_search_request(c.params, {});
      CHECK(r.options.facets.size() == c.facets);
      CHECK(r.options.filters.size() == c.filters);
    }
  }
  // A batch line's "facets": [...] list goes through the same parser.
  quire::SearchOptions o;
  quire::set_facets(o, std::vector<std::string>(5000, "actor"));
  CHECK(o.facets == std::vector<std::string>{"actor"});
  CHECK_THROWS_WITH(quire::set_facets(o, std::vector<std::string>{"actor", "no pe"}),
                    Catch::Contains("unknown facet 'no pe'"));
  // A name that could be a catalogue field (session:20) is the index's to know: the searcher says.
  quire::set_facets(o, std::vector<std::string>{"actor", "session"});
  CHECK(o.facets == std::vector<std::string>{"actor", "session"});
}
