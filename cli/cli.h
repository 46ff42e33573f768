// What every quire subcommand shares: exit codes, usage errors, option parsing, where the index and
// the schemas are. Each cmd_*.cc holds one or a few subcommands; main.cc dispatches.
#pragma once

#include <atomic>
#include <boost/program_options.hpp>
#include <nlohmann/json_fwd.hpp>
#include <istream>
#include <stdexcept>
#include <string>
#include <vector>

#include "quire/files.h"
#include "quire/searcher.h"

namespace quire::cli {

namespace po = boost::program_options;

// Exit codes, documented in README.md ("Exit codes").
constexpr int kExitOk = 0;
constexpr int kExitNoResults = 1;            // search: nothing matched
constexpr int kExitSomeFilesFailed = 1;      // index: some files could not be indexed; the rest were
constexpr int kExitSomeLinesFailed = 1;      // batch, tag --jsonl: some input lines were bad; the rest ran
constexpr int kExitError = 2;                // bad usage, bad query, index cannot be opened or written
constexpr int kExitClosedPipe = 141;         // standard output's reader went away (128 + SIGPIPE), no message
constexpr unsigned kMaxTimeoutMs = 3600000;  // --timeout-ms: an hour at most
// A command stopped by SIGINT or SIGTERM exits 128 + the signal: 130 or 143.

/// A run tag (the last column of a TREC run) must be one token: no white space, not empty, printable.
/// Throws UsageError naming `option` otherwise. The one check for every place a run tag is accepted.
void check_run_tag(const std::string& option, const std::string& tag);

class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Standard output that cannot be written (a full disk, /dev/full, a reader that went away): thrown by
/// check_output(); main() prints "cannot write output: ... (REASON)" and exits 2, or exits 141 without a
/// word for a closed pipe (EPIPE), as `cat` or `grep` do when `head` stops reading.
class OutputError : public std::runtime_error {
 public:
  OutputError(const std::string& what, int error) : std::runtime_error(what), error_(error) {}
  int error() const { return error_; }

 private:
  int error_;
};

/// Makes std::cout write through a buffer that remembers the first failed write and its errno. Called
/// once, by main(), before any command runs.
void install_checked_output();
/// Flushes std::cout and C's stdout and throws OutputError when anything written to them was lost.
/// Commands that print in a loop call it after each batch of output, so a full disk stops them; main()
/// calls it once more at the end.
void check_output();
/// True when something written to standard error was lost (its writes cannot be reported).
bool stderr_failed();

/// SIGINT and SIGTERM set a flag instead of ending the process, so that a long-running command (index,
/// import, batch, collection) stops at the next safe point, keeps what is whole, renames no half-written
/// output over a file, says so and exits 128 + the signal. Called by the commands that check the flag.
void catch_stop_signals();
/// The flag catch_stop_signals() sets (for the libraries' `stop` options).
const std::atomic<bool>& stop_flag();
/// The signal that set the flag (SIGINT, SIGTERM), or 0.
int stop_signal();
/// "SIGINT" or "SIGTERM".
const char* stop_signal_name();

/// Thrown by check_stop(); main() prints "stopped by SIGINT: WHAT" and exits 128 + the signal.
class Stopped : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};
/// Throws Stopped(`what_happened`) when a stop signal came.
void check_stop(const std::string& what_happened);

/// --db's default: $QUIRE_DB, else $XDG_DATA_HOME/quire/index, else ~/.local/share/quire/index.
std::string default_db();

/// --db for the searching commands (search, facets, info, batch): repeatable, each an index folder,
/// tcp://HOST:PORT or a shard list file (docs/scale-out.md), all searched as one; default_db() when absent.
po::typed_value<std::vector<std::string>>* db_option(std::vector<std::string>& dbs);
inline constexpr const char* kDbHelp =
    "index folder, tcp://HOST:PORT or shard list file; repeat to search several as one (docs/scale-out.md)";

/// --force, for the commands that write a file the user names (collection export --output, import
/// --queries/--qrels/--documents, batch --timings): an output refuses a file already there unless it
/// is given, and some files always (quire::check_output_path(), docs/robustness.md).
inline constexpr const char* kForceHelp =
    "replace an output file that exists (an ordinary file only: never a program, a folder, a pipe or device)";
inline quire::Existing existing(bool force) { return force ? quire::Existing::kReplace : quire::Existing::kRefuse; }

/// Parses `args`; a bad option becomes a UsageError, and so does a negative number for any numeric
/// option ("--offset must not be negative"), which Boost would otherwise wrap to a huge unsigned value.
po::variables_map parse(const std::vector<std::string>& args, const po::options_description& opts,
                        const po::positional_options_description& pos);

/// Throws UsageError "--OPTION must be between LOW and HIGH" unless low <= value <= high. (A negative
/// number for any numeric option is refused by parse() already.)
void check_range(const char* option, double value, double low, double high);

/// Prints `synopsis` and the options and returns true when --help was given.
bool wants_help(const po::variables_map& vm, const po::options_description& opts, const char* synopsis);

/// The folder holding actors.xml and themes.xml: `given`, else $QUIRE_SCHEMAS, else schemas/ beside the
/// program's folder, else the source tree quire was built from.
std::string schema_dir(const std::string& given);

/// --plain, --k1, --b and the feedback options, shared by search and batch.
void add_ranking_options(po::options_description& opts, SearchOptions& o);
/// Throws UsageError when a ranking option is out of range.
void check_ranking_options(const SearchOptions& o);

/// The longest line read_line() reads, when four times the caller's `max_bytes` is less.
inline constexpr std::size_t kMaxLineBytes = 64u << 20;
/// Reads one line of `in` into `line`, without its end: LF, CR LF, or a lone CR (old Mac files) ends a
/// line. Returns false at the end of the input. A line longer than `max_bytes` is read to its end but
/// kept empty, with `*too_long` set, so that one hostile line costs no memory and the caller can name it.
/// Throws UsageError when a line runs past that bound without an end (the input is /dev/zero or
/// binary data: no line end ever comes, and reading on would never finish).
bool read_line(std::istream& in, std::string& line, std::size_t max_bytes, bool* too_long);

/// The "id" of a JSON input line (batch, tag --jsonl): a string, or a whole number as its decimal
/// digits (TREC topic numbers: 7 and "7" are one topic). Throws std::invalid_argument for null, true,
/// 1.5, an object or an array, which have no one spelling ("null" would pass for a query named null).
std::string json_line_id(const nlohmann::json& id);

/// The one of `candidates` nearest to `word` by edit distance (insertions, deletions, substitutions
/// and swaps of two neighbours), if it is near enough to be a typo of it (at most a third of the
/// word's letters, and at least one); "" otherwise.
std::string nearest(const std::string& word, const std::vector<std::string>& candidates);

/// " (did you mean 'newest'?)" for a mistyped value of an option or an action, nearest() of
/// `candidates`; "" when none is near.
std::string did_you_mean(const std::string& typed, const std::vector<std::string>& candidates);

/// True when $TERM is "dumb" (an editor's shell, a pager that shows escapes): no colour then.
bool dumb_terminal();

/// "1:05" style duration for progress lines.
std::string clock_time(double seconds);

int cmd_eval(const std::vector<std::string>& args);
int cmd_batch(const std::vector<std::string>& args);
int cmd_import(const std::vector<std::string>& args);
int cmd_collection(const std::vector<std::string>& args);
int cmd_serve(const std::vector<std::string>& args);

}  // namespace quire::cli
