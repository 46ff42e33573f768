// quire batch: many queries from a file, answered on every core, printed in input order.
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>
#include <thread>

#include "cli.h"
#include "quire/errors.h"
#include "quire/evaluation.h"
#include "quire/exports.h"
#include "quire/files.h"
#include "quire/json_input.h"
#include "quire/output.h"
#include "quire/request.h"
#include "quire/searcher.h"
#include "quire/tagging.h"
#include "quire/utf8.h"

namespace quire::cli {
namespace {

// A query line longer than this is reported and skipped: no query needs a megabyte.
constexpr std::size_t kMaxBatchLineBytes = 1 << 20;

// One query of the batch, as read from its line.
struct BatchQuery {
  int line = 0;
  std::string id;
  std::string query;
  SearchOptions options;
  std::string error;  ///< set when the line cannot be used
};

std::string trimmed(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

// Reads "id<TAB>query" or {"id", "query", "filters", "facets", "facet_order", "limit", "offset", ...}.
BatchQuery parse_line(const std::string& raw, int line, const SearchOptions& defaults) {
  BatchQuery q;
  q.line = line;
  q.options = defaults;
  const std::string text = trimmed(raw);
  if (text[0] != '{') {
    const auto tab = text.find('\t');
    if (tab == std::string::npos) {
      q.error = "expected 'id<TAB>query' or a JSON object";
      return q;
    }
    q.id = trimmed(text.substr(0, tab));
    q.query = trimmed(text.substr(tab + 1));
    if (q.id.empty()) q.error = "the query id is empty";
    return q;
  }
  nlohmann::json j;
  try {
    j = parse_json(text, kMaxJsonDepth, DuplicateKeys::kRefuse);
  } catch (const JsonDuplicateKeyError& e) {  // {"query": "a", "query": "b"}: which one was meant?
    q.error = e.what();
    return q;
  } catch (const std::exception& e) {  // not JSON, too deep
    q.error = std::string("bad JSON: ") + e.what();
    return q;
  }
  if (!j.is_object()) {
    q.error = "bad JSON: not an object";
    return q;
  }
  // The id first, so that an error about any other key still names the query it belongs to.
  if (auto id = j.find("id"); id != j.end()) {
    try {
      q.id = json_line_id(*id);
    } catch (const std::invalid_argument& e) {
      q.error = std::string("bad value for \"id\": ") + e.what();
      return q;
    }
  }
  // The key whose value is being read, for "bad value for "limit": ...".
  std::string key;
  // The request parser's errors name their parameter already ("actor: a request holds at most ...").
  struct Named : std::runtime_error {
    using std::runtime_error::runtime_error;
  };
  const auto named = [](const auto& fn) {
    try {
      fn();
    } catch (const RequestError& e) {
      throw Named(e.what());
    }
  };
  // A string where one is wanted, else a plain message (not nlohmann's "[json.exception.type_error.302]").
  const auto string_of = [](const nlohmann::json& v) {
    if (!v.is_string()) throw RequestError(std::string("must be a string, not ") + json_kind(v));
    return v.get<std::string>();
  };
  try {
    // A key quire does not know is a typo ("filter", "limt"): ignored, it would run another query than
    // the one meant, so the line is refused. The keys read below, in the order the message lists them.
    static const std::vector<std::string> known = {"id",     "query",    "filters", "facets", "facet_order", "limit",
                                                   "offset", "passages", "plain",   "exact",  "explain",     "sort"};
    for (const auto& [name, value] : j.items()) {
      (void)value;
      if (std::find(known.begin(), known.end(), name) == known.end()) {
        std::string list;
        for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
        throw RequestError("unknown key \"" + message_value(name) + "\" (a line takes " + list + ")");
      }
    }
    if (!j.contains("id")) throw RequestError("the line has no \"id\"");
    key = "query";
    if (auto f = j.find("query"); f != j.end()) q.query = string_of(*f);
    // Filters and facets are read by the request parser the server and the options share (request.h):
    // repeats are merged and the number of filters is bounded.
    key = "filters";
    if (auto f = j.find("filters"); f != j.end()) {
      if (!f->is_object()) throw RequestError("must be an object of field: value");
      for (const auto& item : f->items()) {
        // A copy, not a structured binding: C++17 lambdas cannot capture bindings (clang refuses).
        const std::string field = item.key();
        const auto& value = item.value();
        std::vector<std::string> values;
        if (value.is_array()) {
          for (const auto& v : value) values.push_back(string_of(v));
        } else {
          values.push_back(value.is_string() ? value.get<std::string>() : value.dump());
        }
        for (const auto& v : values) named([&] { merge_filter(q.options, field, v); });
      }
    }
    key = "facets";
    if (auto f = j.find("facets"); f != j.end()) {
      if (!f->is_array()) throw RequestError(std::string("must be a list of names, not ") + json_kind(*f));
      std::vector<std::string> names;
      for (const auto& v : *f) names.push_back(string_of(v));
      named([&] { set_facets(q.options, names); });
    }
    key = "facet_order";
    if (auto f = j.find("facet_order"); f != j.end()) q.options.facet_order = parse_facet_order(string_of(*f));
    // A number out of range (-1, 1e300) must not be converted: that would wrap or be undefined.
    const auto count = [&j, &key](const char* name, long long from, long long to, std::size_t& out) {
      key = name;
      auto f = j.find(name);
      if (f == j.end()) return;
      if (!f->is_number_integer() || f->get<long long>() < from || f->get<long long>() > to)
        throw RequestError("must be a whole number from " + std::to_string(from) + " to " + std::to_string(to));
      out = f->get<std::size_t>();
    };
    count("limit", 1, 10000, q.options.limit);
    count("offset", 0, static_cast<long long>(kMaxOffset), q.options.offset);
    for (const auto& [name, flag] : {std::pair<const char*, bool*>{"passages", &q.options.passages},
                                     {"plain", &q.options.plain},
                                     {"exact", &q.options.exact},
                                     {"explain", &q.options.explain}}) {
      key = name;
      if (auto f = j.find(name); f != j.end()) {
        if (!f->is_boolean()) throw RequestError("must be true or false");
        *flag = f->get<bool>();
      }
    }
    key = "sort";
    if (auto f = j.find("sort"); f != j.end()) {
      if (!f->is_string()) throw RequestError("must be \"relevance\", \"date\" or \"-date\"");
      q.options.order = parse_order(f->get<std::string>());
    }
    if (q.id.empty()) q.error = "the query id is empty";
  } catch (const Named& e) {
    q.error = e.what();
  } catch (const RequestError& e) {
    q.error = key.empty() ? e.what() : "bad value for \"" + key + "\": " + e.what();
  } catch (const std::exception& e) {  // a value of the wrong type
    q.error = "bad value for \"" + key + "\": " + json_error_text(e);
  }
  return q;
}

std::string one_field(std::string s) {
  for (char& c : s)
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  return s;
}

// An id in a TSV cell: trec_token() (white space and % as %XX), and a leading = + - @ as %XX too, so
// that a spreadsheet opening the file never takes a file named "=HYPERLINK(...).txt" for a formula.
std::string tsv_id(const std::string& id) {
  std::string out = trec_token(id);
  if (!out.empty() && (out[0] == '=' || out[0] == '+' || out[0] == '-' || out[0] == '@')) {
    static const char* const kHex = "0123456789ABCDEF";
    const auto c = static_cast<unsigned char>(out[0]);
    out = std::string("%") + kHex[c >> 4] + kHex[c & 15] + out.substr(1);
  }
  return out;
}

std::string render(const BatchQuery& q, const SearchResults& r, const std::string& format, const std::string& tag) {
  std::ostringstream out;
  if (format == "jsonl") {
    nlohmann::json j = results_to_json(r);
    j["id"] = q.id;
    out << quire::json_text(j) << '\n';
  } else if (format == "trec") {
    // In passage mode a document has several passages: each is its own run entry, "doc#n".
    for (const auto& hit : r.hits) {
      out << trec_token(q.id) << " Q0 " << trec_token(hit.meta.id);
      if (r.passage_mode && !hit.passages.empty()) out << '#' << hit.passages.front().number;
      out << ' ' << hit.rank << ' ' << hit.score << ' ' << tag << '\n';
    }
  } else {  // tsv
    for (const auto& hit : r.hits) {
      const int paragraph = hit.passages.empty() ? 0 : hit.passages.front().paragraph;
      out << tsv_id(q.id) << '\t' << hit.rank << '\t' << tsv_id(hit.meta.id) << '\t' << hit.score << '\t' << paragraph
          << '\t' << spreadsheet_text(printable(one_field(display_title(hit.meta)))) << '\n';
    }
  }
  return out.str();
}

// CPU time of the calling thread in milliseconds: what a query cost, whatever else the machine runs.
double thread_cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

std::string error_record(const BatchQuery& q, const std::string& format) {
  if (format != "jsonl") return "";
  return quire::json_text(nlohmann::json{{"id", q.id}, {"line", q.line}, {"error", q.error}}) +
         "\n";
}

}  // namespace

int cmd_batch(const std::vector<std::string>& args) {
  SearchOptions defaults;
  std::vector<std::string> db;
  std::string schemas, format = "jsonl", input = "-", tag = "quire", timings;
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  bool force = false;
  po::options_description opts("options");
  // clang-format off
  opts.add_options()
      ("help,h", "show this help")
      ("db", db_option(db), kDbHelp)
      ("schemas", po::value<std::string>(&schemas), "folder with actors.xml and themes.xml")
      ("format", po::value<std::string>(&format)->default_value(format), "jsonl, trec or tsv")
      ("limit,n", po::value<std::size_t>(&defaults.limit)->default_value(defaults.limit), "results per query")
      ("passages", po::bool_switch(&defaults.passages), "rank passages, not documents")
      ("run-tag", po::value<std::string>(&tag)->default_value(tag), "last column of a TREC run")
      ("threads", po::value<unsigned>(&threads)->default_value(threads), "queries answered at once")
      ("timings", po::value<std::string>(&timings), "write id<TAB>milliseconds<TAB>CPU milliseconds per query to this new file (search and output)")
      ("force", po::bool_switch(&force), kForceHelp)
      ("exact", po::bool_switch(&defaults.exact), "count every match: exact totals, not estimates")
      ("timeout-ms", po::value<unsigned>(&defaults.timeout_ms)->default_value(0),
       "stop a query's exact counting after this many milliseconds (0: no limit)")
      ("input", po::value<std::string>(&input), "query file, or - for standard input");
  // clang-format on
  add_ranking_options(opts, defaults);
  po::positional_options_description pos;
  pos.add("input", 1);
  const auto vm = parse(args, opts, pos);
  if (wants_help(vm, opts,
                 "usage: quire batch [--db DIR] [--format jsonl|trec|tsv] [--limit N] [--passages] [FILE|-]\n"
                 "Each line is 'id<TAB>query' or {\"id\": ..., \"query\": ..., \"filters\": {\"actor\": ...},\n"
                 "\"facets\": [...], \"limit\": N, \"plain\": true}. Results come in input order: JSON Lines with\n"
                 "quire search --json's shape plus \"id\", a TREC run, or TSV. A bad line is reported with its\n"
                 "number and skipped (JSON Lines get an {\"id\", \"line\", \"error\"} record); exit code 1 then."))
    return kExitOk;
  if (format != "jsonl" && format != "trec" && format != "tsv")
    throw UsageError("batch: --format must be jsonl, trec or tsv");
  if (defaults.limit == 0 || defaults.limit > 10000) throw UsageError("batch: --limit must be between 1 and 10000");
  if (threads == 0 || threads > 64) throw UsageError("batch: --threads must be between 1 and 64");
  if (defaults.timeout_ms > kMaxTimeoutMs) throw UsageError("batch: --timeout-ms must be between 0 and 3600000");
  check_ranking_options(defaults);
  check_run_tag("batch: --run-tag", tag);
  if (force && timings.empty())
    throw UsageError("batch: --force replaces the file --timings names; give --timings FILE too");
  defaults.passage_text = format == "jsonl";

  std::ifstream file;
  if (input != "-") {
    // A file or a pipe (`quire batch <(make-queries)`); a device such as /dev/zero never ends.
    struct stat st {};
    if (::stat(input.c_str(), &st) != 0) throw InputError(input, std::string("cannot open: ") + std::strerror(errno));
    if (S_ISDIR(st.st_mode)) throw InputError(input, "is a folder, not a file of queries");
    if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode))
      throw InputError(input,
                       "not a regular file or a pipe: it is " + file_kind(st.st_mode) + "; give a file of queries");
    file.open(input, std::ios::binary);
    if (!file) throw InputError(input, "cannot open");
  }
  if (!timings.empty()) {
    check_output_path("--timings", timings, {input}, {db}, existing(force));
  }
  std::istream& in = input == "-" ? std::cin : file;
  const std::string name = input == "-" ? "stdin" : input;
  std::vector<BatchQuery> queries;
  {
    std::string line;
    int number = 0;
    bool too_long = false;
    while (read_line(in, line, kMaxBatchLineBytes, &too_long)) {
      ++number;
      if (too_long) {
        BatchQuery q;
        q.line = number;
        q.error = "the line is longer than " + std::to_string(kMaxBatchLineBytes) + " bytes";
        queries.push_back(std::move(q));
        continue;
      }
      if (number == 1) quire::drop_utf8_bom(line);
      const std::string t = trimmed(line);
      if (t.empty() || t[0] == '#') continue;
      queries.push_back(parse_line(line, number, defaults));
    }
  }
  // An id given twice: a TREC run or a TSV would hold both queries' results under one id, which an
  // evaluation scores as one topic. The first line with it runs, the others are bad lines.
  {
    std::map<std::string, int> first_line;
    for (BatchQuery& q : queries) {
      if (!q.error.empty()) continue;
      const auto [at, fresh] = first_line.emplace(q.id, q.line);
      if (!fresh)
        q.error =
            "duplicate query id \"" + message_value(q.id) + "\" (first at line " + std::to_string(at->second) + ")";
    }
  }

  // From here on a signal stops the batch between two answers. Not before: a read of standard input
  // from a terminal waits in the kernel, where a handled signal would not end it.
  catch_stop_signals();
  const Tagger tagger(schema_dir(schemas));
  // Open one searcher per worker up front, so a missing index is one clear error, not one per query.
  threads = std::min<unsigned>(threads, std::max<std::size_t>(1, queries.size()));
  std::vector<std::unique_ptr<Searcher>> searchers;
  for (unsigned t = 0; t < threads; ++t) searchers.push_back(std::make_unique<Searcher>(db, &tagger));

  std::vector<std::optional<std::string>> outputs(queries.size());
  std::vector<double> millis(queries.size(), 0.0), cpu_millis(queries.size(), 0.0);
  std::mutex mutex;
  std::condition_variable ready;
  std::atomic<std::size_t> next{0};
  // Set when the printing stops early (a signal, output that cannot be written): workers take no more.
  std::atomic<bool> abandon{false};
  std::atomic<std::size_t> stopped_at_limit{0};  ///< answers the time limit cut short
  const auto work = [&](Searcher& searcher) {
    for (std::size_t i; !abandon.load() && !stop_flag().load() && (i = next.fetch_add(1)) < queries.size();) {
      BatchQuery& q = queries[i];
      std::string text;
      const auto start = std::chrono::steady_clock::now();
      const double cpu_start = thread_cpu_ms();
      if (q.error.empty()) {
        try {
          const SearchResults r = searcher.search(q.query, q.options);
          if (r.timed_out) ++stopped_at_limit;
          text = render(q, r, format, tag);
        } catch (const QueryError& e) {
          q.error = std::string("bad query: ") + e.what();
        } catch (const Error& e) {
          q.error = e.what();
        } catch (const std::exception& e) {  // never let one query end the batch (or the process)
          q.error = std::string("internal error: ") + e.what();
        } catch (...) {
          q.error = "internal error";
        }
      }
      if (!q.error.empty()) text = error_record(q, format);
      millis[i] = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
      cpu_millis[i] = thread_cpu_ms() - cpu_start;
      {
        std::lock_guard<std::mutex> lock(mutex);
        outputs[i] = std::move(text);
      }
      ready.notify_one();
    }
  };
  std::vector<std::thread> workers;
  for (unsigned t = 0; t < threads; ++t) workers.emplace_back(work, std::ref(*searchers[t]));

  // Print in input order as results arrive. Each answer is flushed and checked, so a full disk or a
  // closed pipe stops the batch at once; a stop signal is seen between two answers.
  std::size_t failed = 0, printed = 0;
  try {
    for (std::size_t i = 0; i < queries.size(); ++i) {
      std::string text;
      {
        std::unique_lock<std::mutex> lock(mutex);
        // Waits in steps so that a signal is seen while a slow query runs.
        while (!ready.wait_for(lock, std::chrono::milliseconds(50), [&] { return outputs[i].has_value(); }))
          check_stop("batch: " + std::to_string(printed) + " of " + std::to_string(queries.size()) +
                     " queries answered and printed" + (timings.empty() ? "" : "; --timings not written"));
        text = std::move(*outputs[i]);
        outputs[i].reset();
      }
      std::cout << text;
      if (!queries[i].error.empty()) {
        ++failed;
        std::cerr << "quire: " << printable_line(name) << ":" << queries[i].line << ": "
                  << printable_line(queries[i].error) << "\n";
      }
      check_output();
      ++printed;
      check_stop("batch: " + std::to_string(printed) + " of " + std::to_string(queries.size()) +
                 " queries answered and printed" + (timings.empty() ? "" : "; --timings not written"));
    }
  } catch (...) {
    abandon.store(true);
    for (auto& w : workers) w.join();
    throw;
  }
  for (auto& w : workers) w.join();
  check_output();
  if (!timings.empty()) {
    std::ostringstream t;
    for (std::size_t i = 0; i < queries.size(); ++i)
      t << tsv_id(queries[i].id) << '\t' << millis[i] << '\t' << cpu_millis[i] << '\n';
    write_output_file(timings, t.str(), &stop_flag(), existing(force));
  }
  // TREC and TSV answers cannot say that a query stopped at --timeout-ms: the summary does.
  if (stopped_at_limit > 0)
    std::fprintf(stderr,
                 "quire: batch: %zu queries, %zu failed, %zu stopped at the time limit (their results are "
                 "what was found by then)\n",
                 queries.size(), failed, stopped_at_limit.load());
  else
    std::fprintf(stderr, "quire: batch: %zu queries, %zu failed\n", queries.size(), failed);
  return failed == 0 ? kExitOk : kExitSomeLinesFailed;
}

}  // namespace quire::cli
