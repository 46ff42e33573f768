// quire eval RUN QRELS: trec_eval's measures for a TREC run.
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli.h"
#include "quire/evaluation.h"
#include "quire/json_input.h"
#include "quire/utf8.h"

namespace quire::cli {
namespace {

// Rows in trec_eval's layout and with its measure names: "map<TAB>all<TAB>0.1234".
void print_rows(const QueryEval& q, bool with_counts) {
  // A query id comes from the run file: an ESC in it must not reach the terminal.
  const std::string id = printable_line(q.query);
  const auto row = [&](const char* name, double v) { std::printf("%-12s\t%s\t%.4f\n", name, id.c_str(), v); };
  if (with_counts) {
    std::printf("%-12s\t%s\t%zu\n", "num_ret", id.c_str(), q.retrieved);
    std::printf("%-12s\t%s\t%zu\n", "num_rel", id.c_str(), q.relevant);
    std::printf("%-12s\t%s\t%zu\n", "num_rel_ret", id.c_str(), q.relevant_retrieved);
  }
  row("map", q.map);
  row("ndcg_cut_10", q.ndcg10);
  row("P_10", q.p10);
  row("recall_100", q.recall100);
  row("recall_1000", q.recall1000);
  row("recip_rank", q.mrr);
}

nlohmann::json to_json(const QueryEval& q) {
  return {{"query", q.query},
          {"retrieved", q.retrieved},
          {"relevant", q.relevant},
          {"relevant_retrieved", q.relevant_retrieved},
          {"map", q.map},
          {"ndcg@10", q.ndcg10},
          {"p@10", q.p10},
          {"recall@100", q.recall100},
          {"recall@1000", q.recall1000},
          {"mrr", q.mrr}};
}

}  // namespace

int cmd_eval(const std::vector<std::string>& args) {
  std::vector<std::string> files;
  bool per_query = false, json = false;
  po::options_description opts("options");
  // clang-format off
  opts.add_options()
      ("help,h", "show this help")
      ("per-query,q", po::bool_switch(&per_query), "also print each query's measures")
      ("json", po::bool_switch(&json), "print JSON")
      ("file", po::value<std::vector<std::string>>(&files), "RUN and QRELS");
  // clang-format on
  po::positional_options_description pos;
  pos.add("file", 2);
  const auto vm = parse(args, opts, pos);
  if (wants_help(vm, opts,
                 "usage: quire eval [--per-query] [--json] RUN QRELS\n"
                 "Scores a TREC run (qid Q0 docid rank score tag) against TREC qrels (qid 0 docid rel) or BEIR\n"
                 "qrels (query-id corpus-id score, with a header line) with trec_eval's definitions: MAP,\n"
                 "nDCG@10, P@10, recall@100, recall@1000, reciprocal rank. docs/evaluation.md says how."))
    return kExitOk;
  if (files.size() != 2) throw UsageError("eval: give a run file and a qrels file");
  const Run run = read_run_file(files[0]);
  const Qrels qrels = read_qrels_file(files[1]);
  const Evaluation e = evaluate(run, qrels);
  if (e.queries.empty()) {
    std::cerr << "quire: eval: no query of " << printable_line(files[0]) << " is judged in " << printable_line(files[1])
              << "\n";
    return kExitError;
  }
  if (json) {
    nlohmann::json out = {{"queries", e.queries.size()}, {"all", to_json(e.mean)}};
    if (per_query) {
      out["per_query"] = nlohmann::json::array();
      for (const auto& q : e.queries) out["per_query"].push_back(to_json(q));
    }
    std::cout << quire::json_text(out) << "\n";
    return kExitOk;
  }
  if (per_query)
    for (const auto& q : e.queries) print_rows(q, true);
  std::printf("%-12s\tall\t%zu\n", "num_q", e.queries.size());
  print_rows(e.mean, true);
  return kExitOk;
}

}  // namespace quire::cli
