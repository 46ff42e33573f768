#include "cli.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "quire/index_db.h"
#include "quire/request.h"
#include "quire/utf8.h"

namespace quire::cli {

std::string did_you_mean(const std::string& typed, const std::vector<std::string>& candidates) {
  const std::string guess = nearest(typed, candidates);
  return guess.empty() ? "" : " (did you mean '" + guess + "'?)";
}

std::string nearest(const std::string& word, const std::vector<std::string>& candidates) {
  // Optimal string alignment distance: Levenshtein with transpositions of neighbours.
  const auto distance = [](const std::string& a, const std::string& b) {
    std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
    for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
    for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
      for (std::size_t j = 1; j <= b.size(); ++j) {
        d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
        if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
          d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
    return d[a.size()][b.size()];
  };
  if (word.size() > 64) return "";
  const std::size_t allowed = std::max<std::size_t>(1, word.size() / 3);
  std::string best;
  std::size_t best_distance = allowed + 1;
  for (const auto& c : candidates) {
    if (c.size() > 64) continue;
    const std::size_t dist = distance(word, c);
    if (dist < best_distance) {
      best = c;
      best_distance = dist;
    }
  }
  return best;
}

bool dumb_terminal() {
  const char* term = std::getenv("TERM");
  return term && std::string(term) == "dumb";
}

std::string default_db() {
  // Set but empty gives "", which parse() refuses (an empty --db is a usage error, never the default).
  if (const char* env = std::getenv("QUIRE_DB")) return env;
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg) return std::string(xdg) + "/quire/index";
  if (const char* home = std::getenv("HOME"); home && *home) return std::string(home) + "/.local/share/quire/index";
  return "quire-index";
}

po::typed_value<std::vector<std::string>>* db_option(std::vector<std::string>& dbs) {
  return po::value<std::vector<std::string>>(&dbs)->default_value({default_db()}, default_db());
}

namespace {

// std::cout's buffer: writes to fd 1 with write(2) and keeps the first errno a write failed with, which
// the stream's own buffer forgets (it only sets badbit).
class CheckedOutput : public std::streambuf {
 public:
  explicit CheckedOutput(int fd) : fd_(fd) { setp(buffer_, buffer_ + sizeof buffer_); }
  int error() const { return error_; }

 protected:
  int overflow(int c) override {
    if (!drain()) return traits_type::eof();
    if (c != traits_type::eof()) {
      *pptr() = static_cast<char>(c);
      pbump(1);
    }
    return traits_type::not_eof(c);
  }
  int sync() override { return drain() ? 0 : -1; }

 private:
  // Writes the buffer out; after a failure the rest is dropped (nothing more can reach the file).
  bool drain() {
    const char* p = pbase();
    const char* const end = pptr();
    while (error_ == 0 && p < end) {
      const ssize_t n = ::write(fd_, p, static_cast<std::size_t>(end - p));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        error_ = n < 0 ? errno : EIO;
        break;
      }
      p += n;
    }
    setp(buffer_, buffer_ + sizeof buffer_);
    return error_ == 0;
  }

  int fd_;
  int error_ = 0;
  char buffer_[1 << 16];
};

CheckedOutput* g_output = nullptr;

std::atomic<bool> g_stop{false};
std::atomic<int> g_signal{0};

extern "C" void on_stop_signal(int sig) {
  g_signal.store(sig);
  g_stop.store(true);
}

// True for an option that takes a number. Boost.Program_options reads "-1" into an unsigned option
// as 4294967295 (or 2^64 - 1), so every numeric option's text is checked here before it is stored.
bool numeric(const po::value_semantic* v) {
  return dynamic_cast<const po::typed_value<unsigned>*>(v) || dynamic_cast<const po::typed_value<unsigned long>*>(v) ||
         dynamic_cast<const po::typed_value<unsigned long long>*>(v) || dynamic_cast<const po::typed_value<int>*>(v) ||
         dynamic_cast<const po::typed_value<long>*>(v) || dynamic_cast<const po::typed_value<long long>*>(v) ||
         dynamic_cast<const po::typed_value<double>*>(v);
}

}  // namespace

void install_checked_output() {
  // Never destroyed: std::cout is flushed by the library after every static of this program is gone.
  g_output = new CheckedOutput(STDOUT_FILENO);  // NOLINT(cppcoreguidelines-owning-memory)
  std::cout.rdbuf(g_output);
}

void check_output() {
  std::cout.flush();
  int error = g_output ? g_output->error() : 0;
  if (error == 0 && std::cout.bad()) error = EIO;
  errno = 0;
  if (std::fflush(stdout) != 0 || std::ferror(stdout)) {  // the few summaries printed with printf
    if (error == 0) error = errno != 0 ? errno : EIO;
  }
  if (error != 0)
    throw OutputError(std::string("cannot write output: standard output is cut short (") + std::strerror(error) + ")",
                      error);
}

bool stderr_failed() {
  std::cerr.flush();
  std::fflush(stderr);
  return std::cerr.bad() || std::ferror(stderr);
}

void catch_stop_signals() {
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sa.sa_flags = SA_RESTART;
  sigemptyset(&sa.sa_mask);
  ::sigaction(SIGINT, &sa, nullptr);
  ::sigaction(SIGTERM, &sa, nullptr);
}

const std::atomic<bool>& stop_flag() { return g_stop; }
int stop_signal() { return g_signal.load(); }
const char* stop_signal_name() { return g_signal.load() == SIGTERM ? "SIGTERM" : "SIGINT"; }

void check_stop(const std::string& what_happened) {
  if (g_stop.load()) throw Stopped(what_happened);
}

void check_run_tag(const std::string& option, const std::string& tag) {
  if (tag.empty()) throw UsageError(option + " must not be empty: a TREC run's last column is its tag");
  if (tag.size() > 200) throw UsageError(option + " is longer than 200 bytes");
  for (const unsigned char c : tag) {
    if (c <= ' ' || c == 0x7f)
      throw UsageError(option + " must be one word, without spaces or control characters (got \"" +
                       quire::printable_line(tag) + "\"): a TREC run's columns are separated by white space");
  }
}

namespace {

// --db names an index folder, a shard list file or tcp://HOST:PORT (docs/scale-out.md). Another scheme
// would be taken for a folder named "http:" and written there; a writing command (its --db is one
// folder; serve unless --read-only) takes an index folder only, as a remote shard is read-only and a
// shard list is a list of indexes. Throws UsageError.
void check_db_values(const po::variables_map& vm) {
  if (!vm.count("db")) return;
  const po::variable_value& v = vm["db"];
  std::vector<std::string> values;
  const auto* one = boost::any_cast<std::string>(&v.value());
  if (one) values.push_back(*one);
  if (const auto* many = boost::any_cast<std::vector<std::string>>(&v.value())) values = *many;
  const bool read_only = vm.count("read-only") && vm["read-only"].as<bool>();
  const bool writes = one != nullptr && !read_only;
  for (const auto& value : values) {
    const std::size_t scheme = value.find("://");
    const bool has_scheme =
        scheme != std::string::npos && scheme > 0 && std::isalpha(static_cast<unsigned char>(value[0])) &&
        value.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-") >= scheme;
    const std::string shown = "'" + quire::message_value(value) + "'";
    if (has_scheme && value.rfind("tcp://", 0) != 0)
      throw UsageError("--db " + shown + ": quire knows no '" + quire::message_value(value.substr(0, scheme)) +
                       "://'; give an index folder, a shard list file or tcp://HOST:PORT");
    if (!writes) continue;
    if (has_scheme)
      throw UsageError("--db " + shown +
                       ": a tcp:// shard is read-only; this command writes, so give it an index folder "
                       "(write on the shard's machine, see docs/scale-out.md)");
    if (quire::is_shard_list_file(value))
      throw UsageError("--db " + shown +
                       " is a shard list; this command writes, so give it one index folder (each shard is "
                       "written on its own)");
  }
}

}  // namespace

po::variables_map parse(const std::vector<std::string>& args, const po::options_description& opts,
                        const po::positional_options_description& pos) {
  po::variables_map vm;
  try {
    // No guessing: "--reb" is not --rebuild. An option is only ever its whole name.
    const int style = po::command_line_style::default_style & ~po::command_line_style::allow_guessing;
    const po::parsed_options parsed = po::command_line_parser(args).options(opts).positional(pos).style(style).run();
    // A shell's * hands over every name in the folder, a file named "--rebuild" among them: an option
    // that is also the name of a file here is refused rather than taken for one or the other. Only
    // where a * could have put it: a command that takes file names (search's words, info's nothing, do
    // not come from a *), and no "--" typed (then what comes before it was typed, as the advice says).
    const std::string operand = pos.max_total_count() > 0 ? pos.name_for_position(0) : "";
    const bool takes_files = operand == "input" || operand == "file" || operand == "path" || operand == "dir";
    const bool dashdash = std::find(args.begin(), args.end(), "--") != args.end();
    for (const auto& o : parsed.options) {
      if (!takes_files || dashdash) break;
      if (o.position_key < 0 && !o.original_tokens.empty()) {
        const std::string& token = o.original_tokens.front();
        struct stat st {};
        if (token.size() > 1 && token[0] == '-' && ::lstat(token.c_str(), &st) == 0)
          throw UsageError("'" + token +
                           "' is an option and also the name of a file in this folder (did a * in the "
                           "shell give it?); quire does not guess which is meant: write ./" +
                           token + " for the file, or put -- before the file names, or rename the file");
      }
    }
    for (const auto& o : parsed.options) {
      const po::option_description* d = o.position_key >= 0 ? nullptr : opts.find_nothrow(o.string_key, false);
      if (!d || !numeric(d->semantic().get())) continue;
      for (const auto& v : o.value) {
        const auto first = v.find_first_not_of(" \t");
        if (first != std::string::npos && v[first] == '-')
          throw UsageError("--" + o.string_key + " must not be negative (got \"" + v + "\")");
        if (first == std::string::npos || v.find_first_of("0123456789") == std::string::npos)
          throw UsageError("--" + o.string_key + " needs a number (got \"" + v + "\")");
      }
    }
    po::store(parsed, vm);
    po::notify(vm);
    // An empty path is a typo'd variable (--output "$OUT", QUIRE_DB=$TYPO), never a place to write:
    // taken as unset it would write to standard output or to the default index instead.
    for (const char* name : {"db", "output", "timings", "metadata", "schemas"}) {
      if (!vm.count(name)) continue;
      const po::variable_value& v = vm[name];
      std::vector<std::string> values;
      if (const auto* one = boost::any_cast<std::string>(&v.value())) values.push_back(*one);
      if (const auto* many = boost::any_cast<std::vector<std::string>>(&v.value())) values = *many;
      for (const auto& value : values) {
        if (!value.empty()) continue;
        if (std::string(name) == "db" && v.defaulted())
          throw UsageError("QUIRE_DB is set but empty; give it an index folder, unset it, or give --db DIR");
        throw UsageError(std::string("--") + name + " is empty; give a path");
      }
    }
    check_db_values(vm);
  } catch (const po::unknown_option& e) {
    // A typo'd option: the nearest one the command has, rather than nothing to go on.
    std::string name = e.get_option_name();
    name.erase(0, name.find_first_not_of('-'));
    std::vector<std::string> known;
    for (const auto& o : opts.options())
      if (!o->long_name().empty() && o->long_name() != "query") known.push_back(o->long_name());
    const std::string guess = nearest(name, known);
    throw UsageError(std::string(e.what()) + (guess.empty() ? "" : " (did you mean '--" + guess + "'?)") +
                     "; --help lists the options");
  } catch (const po::error& e) {
    throw UsageError(e.what());
  }
  return vm;
}

void check_range(const char* option, double value, double low, double high) {
  if (!(value >= low && value <= high)) {
    const auto text = [](double x) {
      std::ostringstream s;
      s.precision(15);
      s << x;
      return s.str();
    };
    throw UsageError(std::string("--") + option + " must be between " + text(low) + " and " + text(high));
  }
}

bool wants_help(const po::variables_map& vm, const po::options_description& opts, const char* synopsis) {
  if (!vm.count("help")) return false;
  std::cout << synopsis << "\n\n" << opts;
  return true;
}

bool read_line(std::istream& in, std::string& line, std::size_t max_bytes, bool* too_long) {
  line.clear();
  *too_long = false;
  std::streambuf* buf = in.rdbuf();
  bool any = false;
  std::size_t length = 0;
  const std::size_t hard_limit = std::max(kMaxLineBytes, max_bytes > (SIZE_MAX >> 2) ? SIZE_MAX : max_bytes * 4);
  for (;;) {
    const int c = buf->sbumpc();
    if (c == std::char_traits<char>::eof()) {
      if (!any) in.setstate(std::ios::eofbit);
      return any;
    }
    any = true;
    // /dev/zero, or a binary file named as the input: no line end ever comes.
    // The bound is above the caller's own (four times it): a line just over the caller's limit is
    // named and read past, and the next lines run.
    if (++length > hard_limit)
      throw UsageError("a line longer than " + std::to_string(hard_limit >> 20) +
                       " MB: the input is not lines of text (a device or a binary file?)");
    if (c == '\n') return true;
    if (c == '\r') {
      if (buf->sgetc() == '\n') buf->sbumpc();
      return true;
    }
    if (*too_long) continue;
    if (line.size() >= max_bytes) {
      *too_long = true;
      std::string().swap(line);
      continue;
    }
    line += static_cast<char>(c);
  }
}

std::string json_line_id(const nlohmann::json& id) {
  if (id.is_string()) return id.get<std::string>();
  if (id.is_number_integer()) return id.dump();  // exact, also past the range of long long
  // A number JSON cannot hold as a whole one (1.5, 1e0, or 23 digits, read as 1.2345678901234568e+22) is
  // shown as it was read, so that the message says why.
  throw std::invalid_argument(std::string("must be a string or a whole number of at most 19 digits, not ") +
                              (id.is_number_float() ? id.dump() : std::string(id.type_name())));
}

std::string clock_time(double seconds) {
  const long s = std::lround(seconds);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
  return buf;
}

std::string schema_dir(const std::string& given) {
  if (!given.empty()) return given;
  if (const char* env = std::getenv("QUIRE_SCHEMAS"); env && *env) return env;
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    for (const auto& candidate : {exe.parent_path().parent_path() / "schemas", exe.parent_path() / "schemas",
                                  exe.parent_path().parent_path() / "share" / "quire" / "schemas"}) {
      if (std::filesystem::exists(candidate / "actors.xml", ec)) return candidate.string();
    }
  }
  return QUIRE_SOURCE_SCHEMAS;
}

void add_ranking_options(po::options_description& opts, SearchOptions& o) {
  RankingOptions& r = o.ranking;
  // clang-format off
  opts.add_options()
      ("plain", po::bool_switch(&o.plain), "the query is plain text: no operators, phrases or fields")
      ("max-query-bytes", po::value<std::size_t>(&o.max_query_bytes)->default_value(o.max_query_bytes),
       "refuse longer queries")
      ("max-query-terms", po::value<std::size_t>(&o.max_query_terms)->default_value(o.max_query_terms),
       "refuse queries with more words")
      ("k1", po::value<double>(&r.k1)->default_value(r.k1), "BM25 term-frequency saturation")
      ("b", po::value<double>(&r.b)->default_value(r.b), "BM25 length normalisation (0..1)")
      ("weighting", po::value<std::string>(&r.weighting)->default_value(r.weighting),
       "bm25, bm25+, lm (Dirichlet), dlh, dph, pl2 or inl2")
      ("k3", po::value<double>(&r.k3)->default_value(r.k3), "BM25: saturation of a word repeated in the query")
      ("delta", po::value<double>(&r.delta)->default_value(r.delta), "bm25+: the least a matching word adds")
      ("mu", po::value<double>(&r.mu)->default_value(r.mu), "lm: Dirichlet smoothing")
      ("dfr-c", po::value<double>(&r.c)->default_value(r.c), "pl2, inl2: DFR length normalisation")
      ("proximity", po::value<double>(&r.proximity)->default_value(r.proximity),
       "weight of the bonus for query words close together, re-ranking the best results (0: off)")
      ("proximity-depth", po::value<unsigned>(&r.proximity_depth)->default_value(r.proximity_depth),
       "how many of the best results proximity re-ranks")
      ("drop-request-words", po::value<bool>(&r.drop_request_words)->default_value(r.drop_request_words),
       "plain queries of 8 words or more: drop the words of asking (interested, receive, ...)")
      ("feedback-docs", po::value<unsigned>(&r.feedback_documents)->default_value(r.feedback_documents),
       "pseudo-relevance feedback from this many top results (0: off)")
      ("feedback-terms", po::value<unsigned>(&r.feedback_terms)->default_value(r.feedback_terms),
       "words added to the query by feedback")
      ("feedback-weight", po::value<double>(&r.feedback_weight)->default_value(r.feedback_weight),
       "weight of the best added word, relative to a query word")
      ("title-weight", po::value<double>(&r.title_weight)->default_value(r.title_weight),
       "plain queries: weight of query words found in the title, relative to the text");
  // clang-format on
}

void check_ranking_options(const SearchOptions& o) {
  try {
    check_search_options(o);
  } catch (const RequestError& e) {
    throw UsageError(std::string("--") + e.what());
  }
  check_range("max-query-bytes", static_cast<double>(o.max_query_bytes), 1, 64 << 20);
  check_range("max-query-terms", static_cast<double>(o.max_query_terms), 1, 1000000);
}

}  // namespace quire::cli
