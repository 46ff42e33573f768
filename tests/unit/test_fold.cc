// Accent and typography folding (fold.h), the query folding that spares filter values, and the
// highlighter marking the characters as written when the query was folded.
#include <catch2/catch.hpp>

#include "quire/fold.h"
#include "quire/highlighter.h"
#include "quire/output.h"
#include "quire/query_check.h"
#include "quire/tokenizer.h"

TEST_CASE("fold_accents gives base letters, keeps case and everything else", "[fold]") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"Café", "Cafe"},
      {"naïve", "naive"},
      {"São Paulo", "Sao Paulo"},
      {"Ærø Øresund", "AEro Oresund"},
      {"Straße", "Strasse"},
      {"Œuvre cœur", "OEuvre coeur"},
      {"Łódź Kraków Gdańsk", "Lodz Krakow Gdansk"},
      {"Ștefan Țara", "Stefan Tara"},
      {"Đặng", "Dặng"},                          // the letters of Latin Extended Additional (ặ) stay as they are
      {"Cafe\u0301 nai\u0308ve", "Cafe naive"},  // combining marks (decomposed text) are dropped
      {"\uFB01nance e\uFB00ort", "finance effort"},
      {"plain ASCII, 1965: \"quoted\"", "plain ASCII, 1965: \"quoted\""},
      {"Pakistan\u2019s \u201Cword\u201D \u2014 dash", "Pakistan\u2019s \u201Cword\u201D \u2014 dash"},
      {"Ελλάδα Россия 中国", "Ελλάδα Россия 中国"},
      {"", ""},
  };
  for (const auto& [in, want] : cases) {
    INFO(in);
    CHECK(quire::fold_accents(in) == want);
    CHECK(quire::fold_accents(want) == want);  // folding twice changes nothing more
  }
}

TEST_CASE("folding keeps the words of a text and their number", "[fold]") {
  for (const std::string text :
       {"Le Café de Flore, naïve São Paulo; Straße 12", "\uFB01nance e\u0301te\u0301 coop\u00E9ration"}) {
    INFO(text);
    const auto before = quire::tokenize(text), after = quire::tokenize(quire::fold_accents(text));
    REQUIRE(before.size() == after.size());
    for (std::size_t i = 0; i < before.size(); ++i) CHECK(quire::fold_accents(before[i].term) == after[i].term);
  }
}

TEST_CASE("fold_query folds words and text fields, not the values of filters", "[fold][query]") {
  const std::vector<std::string> keep = {"actor", "speaker", "by", "session"};
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"café naïve", "cafe naive"},
      {"\"São Paulo\" AND Café", "\"Sao Paulo\" AND Cafe"},
      {"author:Martí title:\"Café Society\"", "author:Marti title:\"Cafe Society\""},
      {"speaker:\"José Martí\" café", "speaker:\"José Martí\" cafe"},
      {"café speaker:\"José Martí\"", "cafe speaker:\"José Martí\""},
      {"by:Curaçao café", "by:Curaçao cafe"},
      {"(actor:Curaçao OR café) -by:Curaçao", "(actor:Curaçao OR cafe) -by:Curaçao"},
      {"xactor:Curaçao", "xactor:Curacao"},  // not a kept field
      {"speaker:\"unclosed é", "speaker:\"unclosed é"},
  };
  for (const auto& [in, want] : cases) {
    INFO(in);
    CHECK(quire::fold_query(in, keep) == want);
  }
}

TEST_CASE("a folded query highlights the characters as written", "[fold][highlight]") {
  static const quire::Stemmer stem;
  const std::string text = "Le Café de Flore: a naïve view of São Paulo.";
  quire::HighlightQuery q;
  q.words = {"cafe"};
  q.stems = {stem("naive")};
  q.phrases = {{"sao", "paulo"}};
  std::string marked;
  std::size_t at = 0;
  for (const auto& [b, e] : quire::highlight(text, q, stem)) {
    const std::size_t bb = quire::byte_offset(text, b), be = quire::byte_offset(text, e);
    marked += text.substr(at, bb - at) + "[" + text.substr(bb, be - bb) + "]";
    at = be;
  }
  marked += text.substr(at);
  CHECK(marked == "Le [Café] de Flore: a [naïve] view of [São Paulo].");
}

TEST_CASE("quote_field_groups gives a field its whole group of words", "[query][fields]") {
  const std::vector<std::string> fields = {"title", "author"};
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"title:(china pakistan) kashmir", "title:\"(china pakistan)\" kashmir"},
      {"kashmir -title:(india OR china)", "kashmir -title:\"(india OR china)\""},
      {"(title:(a (b c)) x)", "(title:\"(a (b c))\" x)"},
      {"title:(a b) author:(c d)", "title:\"(a b)\" author:\"(c d)\""},
      {"title:(unclosed kashmir", "title:(unclosed kashmir"},
      // A phrase in the group stays a phrase: Xapian reads "" in a quoted value as one quote.
      {"title:(\"a phrase\" b)", "title:\"(\"\"a phrase\"\" b)\""},
      {"author:(\"Benazir Bhutto\")", "author:\"(\"\"Benazir Bhutto\"\")\""},
      {"author:(\"de marco\" OR lula) x", "author:\"(\"\"de marco\"\" OR lula)\" x"},
      {"title:(\"a (b\" c)", "title:\"(\"\"a (b\"\" c)\""},  // a bracket inside a phrase is a word's
      {"title:(\"unclosed b)", "title:(\"unclosed b)"},
      {"subtitle:(a b)", "subtitle:(a b)"},
      {"actor:(china)", "actor:(china)"},
      {"title:china", "title:china"},
  };
  for (const auto& [in, want] : cases) {
    INFO(in);
    CHECK(quire::quote_field_groups(in, fields) == want);
  }
}
