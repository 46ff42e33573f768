// quire: command-line entry point. Parses arguments into the libraries' option structs, runs one
// subcommand, and maps every outcome to an exit code and at most a line per problem on stderr.
#include <unistd.h>

#include <algorithm>
#include <new>
#include <boost/program_options.hpp>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "cli.h"
#include "quire/actors.h"
#include "quire/dates.h"
#include "quire/errors.h"
#include "quire/exports.h"
#include "quire/index_format.h"
#include "quire/indexer.h"
#include "quire/json_input.h"
#include "quire/output.h"
#include "quire/pdf_reader.h"
#include "quire/quotes.h"
#include "quire/reader_registry.h"
#include "quire/readers.h"
#include "quire/request.h"
#include "quire/searcher.h"
#include "quire/tagging.h"
#include "quire/utf8.h"

namespace po = boost::program_options;
using namespace quire::cli;  // NOLINT(google-build-using-namespace): the CLI's own helpers

namespace {

const char* const kUsage =
    "usage: quire <command> [options]\n"
    "\n"
    "commands:\n"
    "  index [--db DIR] [--prune] [--ocr] PATH...\n"
    "                                        index documents (.xml, .txt, .md, .pdf; folders recursively)\n"
    "  search [--db DIR] [--json] [--limit N] [--offset N] [--passages] [--facets LIST] QUERY...\n"
    "                                        ranked, highlighted passages with citations\n"
    "  similar [--db DIR] [--json] [--limit N] [--passages] [filters] ID\n"
    "                                        documents like document ID (more like this)\n"
    "  facets [--db DIR] [--json] [--facets LIST] [QUERY...]\n"
    "                                        counts per actor, theme, year, speaker, publisher, actor pair\n"
    "  info [--db DIR] [--json]              what the index holds\n"
    "  batch [--db DIR] [--format jsonl|trec|tsv] [FILE|-]\n"
    "                                        many queries from a file, on every core, in input order\n"
    "  eval RUN QRELS                        trec_eval's measures for a TREC run\n"
    "  import FORMAT DIR                     index a test collection (beir, cisi, cran, med, cacm, adi, npl, lisa)\n"
    "  collection new|add|exclude|list|show|refresh|export|delete\n"
    "                                        named, saved result sets; RIS, BibTeX, CSL-JSON, CSV exports\n"
    "  serve [--db DIR] [--host 127.0.0.1] [--port 8080] [--read-only]\n"
    "                                        web pages and an HTTP JSON API over the index\n"
    "  convert [--text] [--ocr] FILE         print a file (any format quire reads) as quire XML, or its\n"
    "                                        cleaned text, one paragraph per line\n"
    "  tag [--schemas DIR] [--year N] FILE | --jsonl\n"
    "                                        the actors a document names (JSON)\n"
    "\n"
    "The index is --db DIR, else $QUIRE_DB, else $XDG_DATA_HOME/quire/index\n"
    "(~/.local/share/quire/index). 'quire COMMAND --help' shows a command's options.\n";

const char* const kCommands[] = {"index",  "search",     "similar", "facets",  "info", "batch", "eval",
                                 "import", "collection", "serve",   "convert", "tag",  "help"};

// " (did you mean 'search'?)" for a typo of a command, and where the list of commands is.
std::string command_hint(const std::string& typed) {
  const std::string guess = nearest(typed, std::vector<std::string>(std::begin(kCommands), std::end(kCommands)));
  return (guess.empty() ? std::string() : " (did you mean '" + guess + "'?)") + "; 'quire help' lists the commands";
}

// The read context of `index` and `convert`: PDFs are parsed by this program in a child process.
quire::ReadContext read_context(bool ocr, unsigned pdf_seconds) {
  quire::ReadContext c;
  c.ocr = ocr;
  if (pdf_seconds == 0 || pdf_seconds > 86400) throw UsageError("--pdf-seconds must be between 1 and 86400");
  c.wall_seconds = pdf_seconds;
  c.cpu_seconds = pdf_seconds;
  std::error_code ec;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) c.helper_program = self.string();
  return c;
}

// --max-file-mb of `index`, `convert` and `tag`.
void check_file_mb(const char* command, std::uint64_t mb) {
  if (mb == 0 || mb > (1u << 20))
    throw UsageError(std::string(command) + ": --max-file-mb must be between 1 and 1048576");
}

// A reader's warnings about `path`, one line each; paths and reasons quote what a file holds, so no
// control character reaches the terminal.
void print_warnings(const std::string& path, const std::vector<std::string>& warnings) {
  for (const auto& w : warnings)
    std::cerr << "quire: warning: " << quire::printable_line(quire::path_text(path)) << ": " << quire::printable_line(w)
              << "\n";
}

int cmd_index(const std::vector<std::string>& args) {
  quire::IndexOptions options;
  std::vector<std::string> paths;
  std::string schemas, metadata;
  std::uint64_t max_file_mb = 0;
  bool ocr = false;
  unsigned pdf_seconds = quire::ReadContext{}.wall_seconds;
  po::options_description opts("options");
  opts.add_options()("help,h", "show this help")(
      "ocr", po::bool_switch(&ocr), "read PDF pages without a text layer (scans) with OCR (pdftoppm + tesseract)")(
      "pdf-seconds", po::value<unsigned>(&pdf_seconds)->default_value(pdf_seconds),
      "a PDF whose parse takes longer (CPU or wall clock; x10 with --ocr) is stopped and reported")(
      "db", po::value<std::string>(&options.db_path)->default_value(default_db()), "index folder")(
      "schemas", po::value<std::string>(&schemas),
      "folder with the rule files (actors.xml, themes.xml, speakers.xml, blocks.xml)")(
      "metadata", po::value<std::string>(&metadata),
      "catalogue fields from a metadata map (docs/metadata.md): file-name patterns and TSV/CSV tables")(
      "prune", po::bool_switch(&options.prune), "remove indexed files under PATH that no longer exist")(
      "rebuild", po::bool_switch(&options.rebuild),
      "index PATH afresh into a new index beside this one, then swap it in with the collections (for an older "
      "index format); until then the old index stays as it is")(
      "max-passage", po::value<std::size_t>(&options.split.max_chars)->default_value(options.split.max_chars),
      "split paragraphs longer than this many characters at sentence boundaries")(
      "max-file-mb", po::value<std::uint64_t>(&max_file_mb)->default_value(options.max_file_bytes >> 20),
      "files larger than this are reported and not indexed")(
      "commit-every",
      po::value<std::size_t>(&options.commit_every_passages)->default_value(options.commit_every_passages),
      "commit after this many new passages (each commit is durable; fewer commits index faster)")(
      "threads", po::value<unsigned>(&options.threads)->default_value(options.threads),
      "threads that read and tag files while one writes (default: the number of cores)")(
      "shards", po::value<std::size_t>(&options.shards),
      "for a new index or a --rebuild: write N shards at once, a thread each (docs/scale-out.md); an existing "
      "index keeps its number")("path", po::value<std::vector<std::string>>(&paths), "files or folders");
  po::positional_options_description pos;
  pos.add("path", -1);
  const auto vm = parse(args, opts, pos);
  if (wants_help(vm, opts, "usage: quire index [--db DIR] [--prune] PATH...")) return kExitOk;
  if (paths.empty()) throw UsageError("index: give at least one file or folder");
  check_range("max-passage", static_cast<double>(options.split.max_chars), 200, 1000000);
  check_range("commit-every", static_cast<double>(options.commit_every_passages), 1, 1e9);
  if (options.threads == 0 || options.threads > 256) throw UsageError("index: --threads must be between 1 and 256");
  if (vm.count("shards") && (options.shards == 0 || options.shards > 64))
    throw UsageError("index: --shards must be between 1 and 64");
  check_file_mb("index", max_file_mb);
  options.max_file_bytes = max_file_mb << 20;
  options.read = read_context(ocr, pdf_seconds);

  const quire::Tagger tagger(schema_dir(schemas));
  options.tagger = &tagger;
  std::optional<quire::MetadataMap> map;
  if (!metadata.empty()) {
    map = quire::MetadataMap::load(metadata);
    options.metadata = &*map;
    for (const auto& w : map->warnings()) std::cerr << "quire: warning: " << quire::printable_line(w) << "\n";
  }
  const bool tty = ::isatty(STDERR_FILENO) != 0;
  const auto progress = [tty](const quire::IndexProgress& p) {
    if (!tty) return;
    const double rate = p.seconds > 0 ? static_cast<double>(p.files_done) / p.seconds : 0;
    const double eta = rate > 0 ? static_cast<double>(p.files_total - p.files_done) / rate : 0;
    std::fprintf(stderr, "\r\033[Kindexing: %zu/%zu files, %zu passages, %.1f files/s, ETA %s", p.files_done,
                 p.files_total, p.passages, rate, clock_time(eta).c_str());
    std::fflush(stderr);
  };
  options.stop = &stop_flag();
  catch_stop_signals();
  const quire::IndexSummary s = quire::index_paths(paths, options, progress);
  if (tty) std::fprintf(stderr, "\r\033[K");
  // File names and reasons quote what a file holds: no control characters reach the terminal.
  for (const auto& w : s.warnings)
    std::cerr << "quire: warning: " << quire::printable_line(quire::path_text(w.path)) << ": "
              << quire::printable_line(w.reason) << "\n";
  for (const auto& f : s.failures)
    std::cerr << "quire: not indexed: " << quire::printable_line(quire::path_text(f.path)) << ": "
              << quire::printable_line(f.reason) << "\n";
  for (const auto& k : s.kept)
    std::cerr << "quire: not pruned: " << quire::printable_line(quire::path_text(k.path)) << ": "
              << quire::printable_line(k.reason) << "\n";
  for (const auto& n : s.notes) std::cerr << "quire: " << quire::printable_line(n) << "\n";
  const double mb = static_cast<double>(s.bytes) / 1e6;
  std::printf(
      "indexed %zu of %zu files (%zu unchanged, %zu removed, %zu failed), %zu passages, %.2f MB in %.2f s (%.2f MB/s) "
      "-> %s\n",
      s.indexed, s.files_seen, s.unchanged, s.removed, s.failures.size(), s.passages, mb, s.seconds,
      s.seconds > 0 ? mb / s.seconds : 0.0, quire::printable_line(options.db_path).c_str());
  if (!s.skipped.empty())
    std::printf("%s (%s)\n", quire::skipped_line(s.skipped).c_str(),
                s.skipped.size() == 1 && s.skipped[0].first == "(hidden)" ? "hidden files and folders are not read"
                                                                          : "no reader for these types");
  if (s.not_followed > 0)
    std::printf("%zu link(s) not followed (outside the folders given, or into a pseudo file system)\n", s.not_followed);
  if (s.moved > 0) std::printf("%zu document(s) moved to another file keep their ids\n", s.moved);
  if (s.vanished > 0) std::printf("%zu indexed file(s) no longer exist; run with --prune to remove them\n", s.vanished);
  if (s.interrupted && options.rebuild) {
    const int sig = stop_signal();
    std::fprintf(stderr,
                 "quire: stopped by %s: the rebuild is abandoned and %s is as it was, with its collections; run the "
                 "same command again to rebuild it\n",
                 sig == SIGTERM ? "SIGTERM" : "SIGINT", quire::printable_line(options.db_path).c_str());
    return 128 + sig;
  }
  if (s.interrupted) {
    const int sig = stop_signal();
    std::fprintf(stderr,
                 "quire: stopped by %s: the %zu file(s) finished are committed; run the same command again to "
                 "index the rest\n",
                 sig == SIGTERM ? "SIGTERM" : "SIGINT", s.indexed);
    return 128 + sig;
  }
  return s.failures.empty() && s.kept.empty() ? kExitOk : kExitSomeFilesFailed;
}

// Options shared by `search` and `facets`: filters, facets, the index and the schemas.
struct QueryArgs {
  std::vector<std::string> db;  ///< --db, repeatable: several indexes or shard lists searched as one
  std::string schemas, color = "auto", facets, facet_order;
  std::vector<std::string> words, actor, theme, published, mentions, speaker, by, publisher;
  bool json = false;
};

void add_query_options(po::options_description& opts, QueryArgs& a, quire::SearchOptions& o) {
  // clang-format off
  opts.add_options()
      ("help,h", "show this help")
      ("db", db_option(a.db), kDbHelp)
      ("schemas", po::value<std::string>(&a.schemas), "folder with the rule files (actors.xml, themes.xml, speakers.xml, blocks.xml)")
      ("json", po::bool_switch(&a.json), "print JSON (docs/json-output.md)")
      ("actor", po::value<std::vector<std::string>>(&a.actor), "only passages naming this actor (repeatable; all must hold)")
      ("theme", po::value<std::vector<std::string>>(&a.theme), "only passages on this theme (repeatable)")
      ("published", po::value<std::vector<std::string>>(&a.published), "only documents published in these years: 2024, 2020..2025")
      ("mentions", po::value<std::vector<std::string>>(&a.mentions), "only passages mentioning a year in this span: 1962..1971, 1960s")
      ("speaker", po::value<std::vector<std::string>>(&a.speaker), "only passages quoting this person")
      ("by", po::value<std::vector<std::string>>(&a.by), "only documents by this actor, as their catalogue states (a speech's country)")
      ("publisher", po::value<std::vector<std::string>>(&a.publisher), "only documents of this publisher, exactly as the publisher facet shows it")
      ("facets", po::value<std::string>(&a.facets), "count values: actor,theme,published,mentions,speaker,publisher,dyad,by")
      ("facet-limit", po::value<std::size_t>(&o.facet_limit)->default_value(o.facet_limit), "values shown per facet")
      ("facet-order", po::value<std::string>(&a.facet_order), "list facet values by count (most documents first) or value (years in order)")
      ("max-wildcard", po::value<unsigned>(&o.max_wildcard_expansion)->default_value(o.max_wildcard_expansion),
       "a wildcard matches at most this many words (the most frequent)")
      ("query", po::value<std::vector<std::string>>(&a.words), "query words");
  // clang-format on
}

void check_query_options(const quire::SearchOptions& o) {
  quire::RequestLimits limits;
  limits.max_facet_limit = 10000;  // the command line's own, above the server's
  try {
    quire::check_search_options(o, limits);  // max-wildcard's range too, as the server checks it
  } catch (const quire::RequestError& e) {
    throw UsageError(std::string("--") + e.what());
  }
}

// The flags become the same search request the server builds (quire/request.h).
void apply_query_args(const QueryArgs& a, quire::SearchOptions& o) {
  try {
    for (const auto& [field, values] : {std::pair{"actor", &a.actor},
                                        {"theme", &a.theme},
                                        {"published", &a.published},
                                        {"mentions", &a.mentions},
                                        {"speaker", &a.speaker},
                                        {"by", &a.by},
                                        {"publisher", &a.publisher}}) {
      for (const auto& v : *values) quire::add_filter(o, field, v);
    }
    quire::set_facets(o, a.facets);
    o.facet_order = quire::parse_facet_order(a.facet_order);
  } catch (const quire::RequestError& e) {
    throw UsageError(
        std::string("--") + e.what() +
        (std::string(e.what()).rfind("facet-order", 0) == 0 ? did_you_mean(a.facet_order, {"count", "value"}) : ""));
  }
}

std::string joined(const std::vector<std::string>& words) {
  std::string q;
  for (const auto& w : words) q += (q.empty() ? "" : " ") + w;
  return q;
}

// `quire search`, and `quire similar ID` (`similar`): the query like:"ID".
int cmd_search(const std::vector<std::string>& args, bool similar = false) {
  quire::SearchOptions options;
  QueryArgs a;
  std::string format, sort;
  bool html = false;
  po::options_description opts("options");
  add_query_options(opts, a, options);
  // clang-format off
  opts.add_options()
      ("limit,n", po::value<std::size_t>(&options.limit)->default_value(options.limit), "results to show")
      ("offset", po::value<std::size_t>(&options.offset)->default_value(0), "results to skip")
      ("passages", po::bool_switch(&options.passages), "rank passages, not documents")
      ("sort", po::value<std::string>(&sort), "relevance (the default), date (oldest first) or -date (newest first); ties by relevance")
      ("color", po::value<std::string>(&a.color)->default_value("auto"), "highlight with colour: auto, always, never")
      ("format", po::value<std::string>(&format), "print the result documents as ris, bibtex, csl-json, csv or jsonl")
      ("html", po::bool_switch(&html), "print the results as an HTML page (document text escaped)")
      ("explain", po::bool_switch(&options.explain),
       "show why each result scored as it did: each query word's BM25 weight, the filters matched, the passage scores")
      ("exact", po::bool_switch(&options.exact), "count every match: an exact total, not an estimate")
      ("timeout-ms", po::value<unsigned>(&options.timeout_ms)->default_value(0),
       "stop exact counting after this many milliseconds (0: no limit)");
  // clang-format on
  add_ranking_options(opts, options);
  po::positional_options_description pos;
  pos.add("query", -1);
  const auto vm = parse(args, opts, pos);
  if (similar &&
      wants_help(vm, opts,
                 "usage: quire similar [--db DIR] [--json] [--limit N] [--passages] [filters] ID\n"
                 "Documents like document ID (or passages like passage ID#N): ranked by the words that best\n"
                 "tell it from the rest of the index; ID itself is left out. The same as searching like:ID."))
    return kExitOk;
  if (similar) {
    if (a.words.size() != 1) throw UsageError("similar: give one document id (quire similar ID)");
    if (a.words[0].find('"') != std::string::npos) throw UsageError("similar: a document id holds no '\"'");
    a.words[0] = "like:\"" + a.words[0] + "\"";
  }
  if (wants_help(
          vm, opts,
          "usage: quire search [--db DIR] [--json] [--limit N] [--offset N] [--passages] [--facets LIST]\n"
          "                    [--actor A] [--theme T] [--published Y..Y] [--mentions Y..Y] [--speaker S] QUERY...\n"
          "QUERY uses Xapian's syntax: AND OR NOT, \"phrases\", NEAR, wild*. Fields restrict the results and their\n"
          "words rank: title:, author:, publisher:, quote:. Filters: actor:, theme:, published:, mentions:,\n"
          "speaker:, dyad:, by: and the index's catalogue fields (session:20, session:15..20). like:ID finds\n"
          "documents like document ID."))
    return kExitOk;
  apply_query_args(a, options);
  try {
    options.order = quire::parse_order(sort);
  } catch (const quire::RequestError& e) {
    throw UsageError(std::string("search: --") + e.what() +
                     did_you_mean(sort, {"relevance", "date", "-date", "newest", "oldest"}));
  }
  if (a.words.empty() && options.filters.empty()) throw UsageError("search: give a query");
  if (options.limit == 0 || options.limit > 10000) throw UsageError("search: --limit must be between 1 and 10000");
  check_range("offset", static_cast<double>(options.offset), 0, static_cast<double>(quire::kMaxOffset));
  check_query_options(options);
  if (options.timeout_ms > kMaxTimeoutMs) throw UsageError("search: --timeout-ms must be between 0 and 3600000");
  check_ranking_options(options);
  if (!format.empty()) {
    const auto& formats = quire::export_formats();
    if (std::find(formats.begin(), formats.end(), format) == formats.end())
      throw UsageError("search: --format must be ris, bibtex, csl-json, csv or jsonl" + did_you_mean(format, formats));
    options.passage_text = false;
    options.exact = true;
  }
  if (a.color != "auto" && a.color != "always" && a.color != "never")
    throw UsageError("search: --color must be auto, always or never" +
                     did_you_mean(a.color, {"auto", "always", "never"}));

  const quire::Tagger tagger(schema_dir(a.schemas));
  quire::Searcher searcher(a.db, &tagger);
  const quire::SearchResults r = searcher.search(joined(a.words), options);
  if (!format.empty()) {
    // One record per document, in the order of its best result, listing the passages found in it
    // (with --passages, each passage result of the document; else its best passage).
    std::vector<quire::ExportRecord> records;
    std::map<std::string, std::size_t> record_of;
    for (const auto& hit : r.hits) {
      const auto [it, fresh] = record_of.try_emplace(hit.meta.id, records.size());
      if (fresh) records.push_back({hit.meta, {}});
      for (const auto& p : hit.passages)
        records[it->second].passages.push_back({p.paragraph, p.page_label, p.page_label_end});
    }
    std::cout << quire::export_records(records, format);
    // An export holds one page of results, as a search shows (rt17 row 25): said on stderr when more
    // matched, so that a reference manager's import is not taken for all of them.
    const std::size_t shown_to = options.offset + r.hits.size();
    if (r.total > shown_to) {
      const std::string unit = options.passages ? "passages" : "documents";
      std::cerr << "quire: note: exported " << records.size() << " record(s) from results " << options.offset + 1 << "-"
                << shown_to << " of " << r.total << " matching " << unit << " (--limit " << options.limit << "); "
                << (r.total <= 10000 ? "--limit " + std::to_string(r.total) + " exports them all"
                                     : "--offset pages through the rest")
                << "\n";
    }
  } else if (html) {
    quire::print_results_html(std::cout, r);
  } else if (a.json) {
    std::cout << quire::json_text(quire::results_to_json(r)) << "\n";
  } else {
    quire::TerminalStyle style;
    style.color = a.color == "always" ||
                  (a.color == "auto" && ::isatty(STDOUT_FILENO) && !std::getenv("NO_COLOR") && !dumb_terminal());
    quire::print_results(std::cout, r, style);
    quire::print_facets(std::cout, r);
  }
  return r.total > 0 ? kExitOk : kExitNoResults;
}

int cmd_facets(const std::vector<std::string>& args) {
  quire::SearchOptions options;
  QueryArgs a;
  po::options_description opts("options");
  add_query_options(opts, a, options);
  opts.add_options()("timeout-ms", po::value<unsigned>(&options.timeout_ms)->default_value(0),
                     "stop counting after this many milliseconds (0: no limit); the counts are then lower bounds");
  po::positional_options_description pos;
  pos.add("query", -1);
  const auto vm = parse(args, opts, pos);
  if (wants_help(vm, opts,
                 "usage: quire facets [--db DIR] [--json] [--facets LIST] [--facet-limit N] [filters] [QUERY...]\n"
                 "Counts documents and passages per actor, theme, year, speaker, publisher and actor pair, over the\n"
                 "whole index or over what QUERY and the filters match."))
    return kExitOk;
  if (a.facets.empty()) a.facets = "actor,theme,published,mentions,speaker,publisher,dyad";
  apply_query_args(a, options);
  check_query_options(options);
  if (options.timeout_ms > kMaxTimeoutMs) throw UsageError("facets: --timeout-ms must be between 0 and 3600000");
  options.limit = 1;
  const quire::Tagger tagger(schema_dir(a.schemas));
  quire::Searcher searcher(a.db, &tagger);
  const quire::SearchResults r = searcher.search(joined(a.words), options);
  if (a.json) {
    const nlohmann::json j = quire::facet_counts_to_json(r);
    std::cout << quire::json_text(j) << "\n";
  } else {
    std::cout << quire::total_text(r) << "\n";
    quire::print_facets(std::cout, r);
  }
  return r.total > 0 ? kExitOk : kExitNoResults;
}

int cmd_info(const std::vector<std::string>& args) {
  std::vector<std::string> db;
  bool json = false, digest = false;
  po::options_description opts("options");
  // clang-format off
  opts.add_options()
      ("help,h", "show this help")
      ("db", db_option(db), kDbHelp)
      ("json", po::bool_switch(&json), "print as JSON")
      ("digest", po::bool_switch(&digest), "print only a fingerprint of the passages (count:hash), to compare indexes");
  // clang-format on
  const auto vm = parse(args, opts, {});
  if (wants_help(vm, opts, "usage: quire info [--db DIR] [--json] [--digest]")) return kExitOk;
  if (digest) {
    std::cout << quire::Searcher(db).digest() << "\n";
    return kExitOk;
  }
  const quire::IndexInfo info = quire::Searcher(db).info();
  if (json) {
    std::cout << quire::json_text(quire::info_to_json(info)) << "\n";
  } else {
    quire::print_info(std::cout, info);
  }
  return kExitOk;
}

nlohmann::json mentions_json(const quire::Gazetteer& g,
                             const std::vector<std::vector<quire::ActorMention>>& per_passage) {
  struct Count {
    int mentions = 0;
    std::size_t first_passage = 0;
    std::vector<int> per_passage;
  };
  std::map<std::string, Count> counts;
  for (std::size_t p = 0; p < per_passage.size(); ++p) {
    for (const auto& m : per_passage[p]) {
      auto [it, fresh] = counts.try_emplace(m.actor);
      if (fresh) {
        it->second.first_passage = p;
        it->second.per_passage.assign(per_passage.size(), 0);
      }
      ++it->second.mentions;
      ++it->second.per_passage[p];
    }
  }
  nlohmann::json actors = nlohmann::json::array();
  for (const auto& [id, c] : counts) {
    const quire::Actor* a = g.find(id);
    actors.push_back({{"id", id},
                      {"label", a ? a->name : id},
                      {"type", a ? quire::to_string(a->type) : ""},
                      {"mentions", c.mentions},
                      {"first_passage", c.first_passage},
                      {"per_passage", c.per_passage}});
  }
  return actors;
}

// One quote of passage `p` (0-based): its paragraph, code point span and speaker.
nlohmann::json quote_json(const quire::Quote& q, std::size_t p) {
  nlohmann::json o = {{"paragraph", p + 1}, {"begin", q.cp_begin}, {"end", q.cp_end}, {"scare", q.scare}};
  if (!q.speaker_name.empty())
    o["speaker"] = {{"id", q.speaker},
                    {"name", q.speaker_name},
                    {"key", q.speaker.empty() ? quire::unknown_speaker_key(q.speaker_name) : q.speaker}};
  return o;
}

int cmd_tag(const std::vector<std::string>& args) {
  std::string schemas;
  std::vector<std::string> files;
  int year = 0;
  bool jsonl = false;
  std::uint64_t max_file_mb = quire::kDefaultMaxFileBytes >> 20;
  po::options_description opts("options");
  opts.add_options()("help,h", "show this help")(
      "schemas", po::value<std::string>(&schemas),
      "folder with the rule files (actors.xml, themes.xml, speakers.xml, blocks.xml)")(
      "year", po::value<int>(&year)->default_value(0), "the document's year, for names whose meaning changed")(
      "jsonl", po::bool_switch(&jsonl),
      "read {\"id\", \"passages\": [...], \"year\"} lines on stdin, write one line each")(
      "max-file-mb", po::value<std::uint64_t>(&max_file_mb)->default_value(max_file_mb), "a larger FILE is refused")(
      "file", po::value<std::vector<std::string>>(&files), "document");
  po::positional_options_description pos;
  pos.add("file", -1);
  const auto vm = parse(args, opts, pos);
  if (wants_help(vm, opts,
                 "usage: quire tag [--schemas DIR] [--year N] FILE\n       quire tag [--schemas DIR] --jsonl < LINES"))
    return kExitOk;
  if (year != 0) check_range("year", year, 1000, 2999);
  check_file_mb("tag", max_file_mb);
  if (jsonl) {
    const quire::Tagger tagger(schema_dir(schemas));
    const quire::Gazetteer& g = tagger.gazetteer();
    std::string line;
    std::size_t number = 0, bad = 0;
    bool too_long = false;
    // A line is a whole document's passages: generous, but bounded.
    constexpr std::size_t kMaxTagLineBytes = std::size_t{64} << 20;
    // One output line for each input line that is not blank, in order, so that a script may pair them by
    // position as well as by id: a line that cannot be tagged gets {"id", "line", "error"}, as in batch.
    const auto refuse = [&](const nlohmann::json& id, const std::string& why) {
      ++bad;
      std::cerr << "quire: stdin:" << number << ": " << quire::printable_line(why) << "\n";
      std::cout << quire::json_text(nlohmann::json{{"id", id}, {"line", number}, {"error", why}}) << "\n";
      check_output();
    };
    while (read_line(std::cin, line, kMaxTagLineBytes, &too_long)) {
      ++number;
      if (too_long) {
        refuse(nullptr, "the line is longer than " + std::to_string(kMaxTagLineBytes) + " bytes");
        continue;
      }
      if (number == 1) quire::drop_utf8_bom(line);
      // Blank lines and # comments are skipped, as in batch.
      const std::size_t first = line.find_first_not_of(" \t");
      if (first == std::string::npos || line[first] == '#') continue;
      nlohmann::json id;  // null until the line's id is read
      try {
        nlohmann::json in;
        try {
          in = quire::parse_json(line, quire::kMaxJsonDepth, quire::DuplicateKeys::kRefuse);
        } catch (const std::exception& e) {  // not JSON, too deep, a key twice: batch's words
          throw std::invalid_argument(std::string("bad JSON: ") + e.what());
        }
        if (!in.is_object()) throw std::invalid_argument("bad JSON: not an object");
        const auto i = in.find("id");
        if (i == in.end()) throw std::invalid_argument("the line has no \"id\"");
        try {
          id = json_line_id(*i);
        } catch (const std::invalid_argument& e) {
          throw std::invalid_argument(std::string("bad value for \"id\": ") + e.what());
        }
        const auto given = in.find("passages");
        if (given == in.end() || !given->is_array() ||
            !std::all_of(given->begin(), given->end(), [](const nlohmann::json& v) { return v.is_string(); }))
          throw std::invalid_argument("\"passages\" must be an array of strings");
        const auto passages = given->get<std::vector<std::string>>();
        const auto y = in.find("year");
        if (y != in.end() && !(y->is_number_integer() && y->get<long long>() >= 0 && y->get<long long>() <= 9999))
          throw std::invalid_argument("\"year\" must be a whole number from 0 to 9999");
        const auto sections = in.value("sections", std::vector<std::string>{});
        const auto tags = tagger.tag_document(passages, y == in.end() ? 0 : y->get<int>(), sections);
        std::vector<std::vector<quire::ActorMention>> mentions;
        nlohmann::json quotes = nlohmann::json::array();
        for (std::size_t p = 0; p < tags.size(); ++p) {
          mentions.push_back(tags[p].mentions);
          for (const auto& q : tags[p].quotes) quotes.push_back(quote_json(q, p));
        }
        std::cout << quire::json_text(
                         nlohmann::json{{"id", id}, {"actors", mentions_json(g, mentions)}, {"quotes", quotes}})
                  << "\n";
        check_output();  // a full disk or a closed pipe stops the loop at the line it hit
      } catch (const OutputError&) {
        throw;
      } catch (const std::exception& e) {  // bad JSON, too deep, wrong types
        refuse(id, e.what());
      }
    }
    return bad == 0 ? kExitOk : kExitSomeLinesFailed;
  }
  if (files.size() != 1) throw UsageError("tag: give exactly one file, or --jsonl");
  const quire::ReadResult r =
      quire::ReaderRegistry::builtin().read(files[0], quire::read_file_bytes(files[0], max_file_mb << 20),
                                            read_context(false, quire::ReadContext{}.wall_seconds));
  print_warnings(files[0], r.warnings);
  std::vector<std::string> passages, headings;
  for (const auto& s : r.document.sections) {
    for (const auto& p : s.paragraphs) {
      passages.push_back(p);
      headings.push_back(s.heading);
    }
  }
  // --year, else the document's own date, read to the day when it gives one.
  std::string date = year != 0 ? std::to_string(year) : std::string();
  if (year == 0 && quire::date_problem(r.document.meta.date).empty()) {
    year = std::stoi(r.document.meta.date.substr(0, 4));
    date = r.document.meta.date;
  }
  const quire::Tagger tagger(schema_dir(schemas));
  const quire::Gazetteer& g = tagger.gazetteer();
  const std::vector<quire::PassageTags> tags = tagger.tag_document_on(passages, date, headings);
  std::vector<std::vector<quire::ActorMention>> mentions;
  nlohmann::json jq = nlohmann::json::array(), jd = nlohmann::json::array(), jb = nlohmann::json::array();
  std::map<std::string, int> themes;
  for (std::size_t p = 0; p < passages.size(); ++p) {
    mentions.push_back(tags[p].mentions);
    for (const auto& q : tags[p].quotes) {
      nlohmann::json o = quote_json(q, p);
      o["text"] = q.text;
      jq.push_back(std::move(o));
    }
    if (!tags[p].block.empty()) jb.push_back({{"paragraph", p + 1}, {"kind", tags[p].block}});
    for (const auto& d : tags[p].dates) jd.push_back({{"paragraph", p + 1}, {"from", d.from}, {"to", d.to}});
    for (const auto& t : tags[p].themes) ++themes[t];
  }
  std::cout << quire::json_text(nlohmann::json{{"id", r.document.meta.id},
                              {"published", r.document.meta.date},
                              {"actors", mentions_json(g, mentions)},
                              {"themes", themes},
                              {"quotes", jq},
                              {"dates", jd},
                              {"blocks", jb}},
                               2)
            << "\n";
  return kExitOk;
}

int cmd_convert(const std::vector<std::string>& args) {
  std::vector<std::string> files;
  bool text = false, ocr = false;
  unsigned pdf_seconds = quire::ReadContext{}.wall_seconds;
  std::uint64_t max_file_mb = quire::kDefaultMaxFileBytes >> 20;
  po::options_description opts("options");
  opts.add_options()("help,h", "show this help")("text", po::bool_switch(&text),
                                                 "print the cleaned body text, one paragraph (or heading) per line")(
      "ocr", po::bool_switch(&ocr), "read PDF pages without a text layer with OCR")(
      "pdf-seconds", po::value<unsigned>(&pdf_seconds)->default_value(pdf_seconds), "time limit of the PDF parse")(
      "max-file-mb", po::value<std::uint64_t>(&max_file_mb)->default_value(max_file_mb), "a larger FILE is refused")(
      "file", po::value<std::vector<std::string>>(&files), "file");
  po::positional_options_description pos;
  pos.add("file", -1);
  const auto vm = parse(args, opts, pos);
  if (wants_help(vm, opts,
                 "usage: quire convert [--text] [--ocr] FILE\nPrints FILE, read and cleaned by the reader its content "
                 "calls for, as quire XML\n(with the pages of a PDF) or, with --text, as text, on stdout."))
    return kExitOk;
  if (files.size() != 1) throw UsageError("convert: give exactly one file");
  check_file_mb("convert", max_file_mb);
  const quire::ReadResult r = quire::ReaderRegistry::builtin().read(
      files[0], quire::read_file_bytes(files[0], max_file_mb << 20), read_context(ocr, pdf_seconds));
  print_warnings(files[0], r.warnings);
  if (text) {
    for (const auto& s : r.document.sections) {
      // Text for people, likely a terminal: printable(), as `quire search` shows passages (no ESC runs).
      if (!s.heading.empty()) std::cout << quire::printable(s.heading) << "\n";
      for (const auto& p : s.paragraphs) std::cout << quire::printable(p) << "\n";
    }
  } else {
    std::cout << quire::write_xml_document(r.document);
  }
  return kExitOk;
}

// Runs one subcommand; "help" and "--version" too.
int dispatch(const std::string& command, const std::vector<std::string>& args) {
  if (command == "__extract-pdf") return quire::run_pdf_helper(args);  // the isolated PDF parse (pdf_reader.h)
  if (command == "index") return cmd_index(args);
  if (command == "search") return cmd_search(args);
  if (command == "similar") return cmd_search(args, true);
  if (command == "info") return cmd_info(args);
  if (command == "convert") return cmd_convert(args);
  if (command == "tag") return cmd_tag(args);
  if (command == "facets") return cmd_facets(args);
  if (command == "eval") return cmd_eval(args);
  if (command == "import") return cmd_import(args);
  if (command == "batch") return cmd_batch(args);
  if (command == "collection") return cmd_collection(args);
  if (command == "serve") return cmd_serve(args);
  if (command == "help" || command == "--help" || command == "-h") {
    // quire help CMD: that command's --help.
    if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) {  // quire help --help
      std::cout << kUsage;
      return kExitOk;
    }
    if (!args.empty() && args[0] != "help" &&
        std::find(std::begin(kCommands), std::end(kCommands), args[0]) != std::end(kCommands))
      return dispatch(args[0], {"--help"});
    if (!args.empty() && args[0] != "help")
      throw UsageError("help: unknown command '" + args[0] + "'" + command_hint(args[0]));
    std::cout << kUsage;
    return kExitOk;
  }
  if (command == "--version" || command == "version") {
    std::cout << "quire " << QUIRE_VERSION << " (index format " << quire::format::kFormatVersion << ")\n";
    return kExitOk;
  }
  throw UsageError("unknown command '" + command + "'" + command_hint(command));
}

}  // namespace

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  // Past a file-size limit, let writes fail with EFBIG (reported as an error) rather than be killed.
  std::signal(SIGXFSZ, SIG_IGN);
  // A reader that went away (`quire search ... | head -1`) is an EPIPE for check_output(), not a silent
  // death: the command stops where it is, removes its temporary files and exits 141 without a word.
  std::signal(SIGPIPE, SIG_IGN);
  install_checked_output();
  if (argc < 2) {
    std::cerr << kUsage;
    return kExitError;
  }
  const std::string command = argv[1];
  const std::vector<std::string> args(argv + 2, argv + argc);
  // What the command printed must have reached standard output and error whole, or the exit code says so.
  const auto finish = [](int code) {
    try {
      check_output();
    } catch (const OutputError& e) {
      if (e.error() == EPIPE) return kExitClosedPipe;
      std::cerr << "quire: " << e.what() << "\n";
      return kExitError;
    }
    return stderr_failed() && code == kExitOk ? kExitError : code;
  };
  int code = kExitError;
  try {
    if (command == "__extract-pdf") return quire::run_pdf_helper(args);  // the isolated PDF parse (pdf_reader.h)
    return finish(dispatch(command, args));
  } catch (const OutputError&) {
    return finish(kExitError);
  } catch (const Stopped& e) {
    code = 128 + stop_signal();
    std::cerr << "quire: stopped by " << stop_signal_name() << ": " << quire::printable_line(e.what()) << "\n";
    finish(code);
    return code;
  } catch (const UsageError& e) {  // messages quote paths and input: printable() keeps escapes off the terminal
    std::cerr << "quire: " << quire::printable(e.what()) << "\n";  // usage messages have several lines
  } catch (const quire::QueryError& e) {
    std::cerr << "quire: bad query: " << quire::printable_line(e.what()) << "\n";
  } catch (const quire::Error& e) {
    std::cerr << "quire: " << quire::printable_line(e.what()) << "\n";
  } catch (const std::bad_alloc&) {  // not a bug: the machine, or a limit set on the process (ulimit -v)
    std::cerr << "quire: " << command
              << ": out of memory; an index being written keeps its last commit (a large file can be left out "
                 "with --max-file-mb, or indexed with more memory)\n";
  } catch (const std::exception& e) {
    std::cerr << "quire: internal error: " << quire::printable_line(e.what()) << "\n";
  } catch (...) {  // the libraries translate their dependencies' errors; this is a last resort
    std::cerr << "quire: internal error: an exception of an unknown type\n";
  }
  // A signal that came while the command failed (its output file abandoned, a read cut short) is why it
  // stopped: the exit code says so, as for a command that stopped at a safe point.
  if (stop_signal() != 0) code = 128 + stop_signal();
  finish(code);
  return code;
}
