// rt11g rows 11 and 15: the JSON lines of `batch` and `tag --jsonl` name their queries by an id that has
// one spelling, and every line that is not blank gets one output line, in order, errors as records.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "support.h"

using quire::test::corpus_index;
using quire::test::run_program;
using quire::test::TempDir;

namespace {

std::vector<nlohmann::json> json_lines(const std::string& out) {
  std::vector<nlohmann::json> v;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) v.push_back(nlohmann::json::parse(line));
  return v;
}

quire::test::RunResult run_with_input(const std::vector<std::string>& args, const std::string& file) {
  std::string cmd = "exec \"$0\"";
  for (std::size_t i = 0; i < args.size(); ++i) cmd += " \"$" + std::to_string(i + 2) + "\"";
  cmd += " < \"$1\"";
  std::vector<std::string> argv = {"sh", "-c", cmd, QUIRE_BINARY, file};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_program(argv);
}

}  // namespace

TEST_CASE("json lines: an id is a string or a whole number, in batch and tag --jsonl", "[json-lines]") {
  struct Case {
    const char* id;        // the JSON value
    const char* expected;  // the id in the output, or nullptr when the line is refused
  };
  const Case cases[] = {
      {"\"q1\"", "q1"},
      {"7", "7"},
      {"-3", "-3"},
      {"18446744073709551615", "18446744073709551615"},
      {"null", nullptr},
      {"true", nullptr},
      {"1.5", nullptr},
      {"[1]", nullptr},
      {"{\"a\":1}", nullptr},
  };
  TempDir tmp;
  for (const auto& c : cases) {
    CAPTURE(c.id);
    const auto batch_in = tmp.write("b.jsonl", std::string("{\"id\":") + c.id + ",\"query\":\"pakistan\"}\n");
    const auto b = run_with_input({"batch", "--db", corpus_index(), "-"}, batch_in);
    const auto tag_in = tmp.write("t.jsonl", std::string("{\"id\":") + c.id + ",\"passages\":[\"China said\"]}\n");
    const auto t = run_with_input({"tag", "--jsonl"}, tag_in);
    for (const auto* r : {&b, &t}) {
      INFO(r->err);
      const auto out = json_lines(r->out);
      REQUIRE(out.size() == 1);
      if (c.expected) {
        CHECK(r->exit_code == 0);
        CHECK(out[0]["id"] == c.expected);
        CHECK(!out[0].contains("error"));
      } else {
        CHECK(r->exit_code == 1);
        CHECK(out[0]["line"] == 1);
        CHECK_THAT(out[0]["error"].get<std::string>(),
                   Catch::StartsWith("bad value for \"id\": must be a string or a whole number"));
        CHECK_THAT(r->err, Catch::Contains("bad value for \"id\""));
      }
    }
  }
}

TEST_CASE("json lines: a byte order mark, blank lines and # comments, in batch, tag --jsonl and eval", "[json-lines]") {
  // rt11j rows 5 and 11: Notepad's UTF-8 byte order mark is not part of the first id, and a line of spaces
  // or a # comment gets no answer, in tag --jsonl as in batch.
  TempDir tmp;
  const std::string bom = "\xEF\xBB\xBF";
  const auto tsv = tmp.write("q.tsv", bom + "q1\tnuclear\nq2\ttrade\n");
  const auto trec = run_with_input({"batch", "--db", corpus_index(), "--format", "trec", "-"}, tsv);
  INFO(trec.err);
  REQUIRE(trec.exit_code == 0);
  CHECK(trec.out.rfind("q1 Q0 ", 0) == 0);
  CHECK(trec.out.find(bom) == std::string::npos);
  const auto jsonl = tmp.write("q.jsonl", bom + "{\"id\":\"j1\",\"query\":\"pakistan\"}\n   \n# a comment\n");
  const auto b = run_with_input({"batch", "--db", corpus_index(), "-"}, jsonl);
  REQUIRE(b.exit_code == 0);
  REQUIRE(json_lines(b.out).size() == 1);
  CHECK(json_lines(b.out)[0]["id"] == "j1");
  const auto tags = tmp.write("t.jsonl", bom + "{\"id\":\"a\",\"passages\":[\"China\"]}\n   \n# c\n\t\n"
                                               "{\"id\":\"b\",\"passages\":[\"India\"]}\n");
  const auto t = run_with_input({"tag", "--jsonl"}, tags);
  INFO(t.err);
  CHECK(t.exit_code == 0);
  const auto out = json_lines(t.out);
  REQUIRE(out.size() == 2);
  CHECK(out[0]["id"] == "a");
  CHECK(out[1]["id"] == "b");
  // eval: a run and qrels each starting with a byte order mark score both queries.
  const auto run = tmp.write("run", bom + "q1 Q0 a 1 1.0 t\nq2 Q0 b 1 1.0 t\n");
  const auto qrels = tmp.write("qrels", bom + "q1 0 a 1\nq2 0 b 1\n");
  const auto e = quire::test::run_quire({"eval", run, qrels});
  INFO(e.out << e.err);
  REQUIRE(e.exit_code == 0);
  CHECK(e.out.find("num_q") != std::string::npos);
  CHECK(e.out.find("num_q       \tall\t2\n") != std::string::npos);
}

TEST_CASE("json lines: tag --jsonl answers every line that is not blank, in order", "[json-lines][tag]") {
  TempDir tmp;
  const auto in = tmp.write("t.jsonl",
                            "{\"id\":\"a\",\"passages\":[\"China\"]}\n"
                            "not json\n"
                            "\n"
                            "{\"id\":\"c\",\"passages\":[\"India\"]}\n"
                            "{\"passages\":[\"Peru\"]}\n"
                            "{\"id\":\"e\",\"passages\":\"Chile\"}\n"
                            "[1,2]\n"
                            "{\"id\":\"g\",\"passages\":[\"Peru\"],\"year\":-1}\n");
  const auto r = run_with_input({"tag", "--jsonl"}, in);
  INFO(r.err);
  CHECK(r.exit_code == 1);
  const auto out = json_lines(r.out);
  REQUIRE(out.size() == 7);
  CHECK(out[0]["id"] == "a");
  CHECK(out[0]["actors"].dump().find("china") != std::string::npos);
  struct Refused {
    std::size_t index;
    int line;
    const char* id;  // nullptr: null
    const char* error;
  };
  const Refused refused[] = {
      {1, 2, nullptr, "bad JSON: "},
      {3, 5, nullptr, "the line has no \"id\""},
      {4, 6, "e", "\"passages\" must be an array of strings"},
      {5, 7, nullptr, "bad JSON: not an object"},
      {6, 8, "g", "\"year\" must be a whole number"},
  };
  for (const auto& x : refused) {
    CAPTURE(x.index);
    CHECK(out[x.index]["line"] == x.line);
    if (x.id)
      CHECK(out[x.index]["id"] == x.id);
    else
      CHECK(out[x.index]["id"].is_null());
    REQUIRE(out[x.index]["error"].is_string());
    CHECK_THAT(out[x.index]["error"].get<std::string>(), Catch::Contains(x.error));
    CHECK_THAT(r.err, Catch::Contains("stdin:" + std::to_string(x.line) + ": "));
  }
  CHECK(out[2]["id"] == "c");
  CHECK(out[2]["actors"].dump().find("india") != std::string::npos);
}
