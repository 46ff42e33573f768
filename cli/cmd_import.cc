// quire import FORMAT DIR: indexes a test collection at document level, and writes its queries and
// judgments in the forms `quire batch` and `quire eval` read.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli.h"
#include "quire/errors.h"
#include "quire/evaluation.h"
#include "quire/json_input.h"
#include "quire/files.h"
#include "quire/indexer.h"
#include "quire/tagging.h"
#include "quire/test_collections.h"
#include "quire/utf8.h"

namespace quire::cli {
namespace {
namespace fs = std::filesystem;

// A query's id or text as one TSV cell: tab, LF, CR and the other line breaks (is_line_break(): U+2028,
// NEL) as spaces, and without bidi overrides and isolates, which would reorder the line on a terminal
// (rt11h row 6). The queries file and the qrels name each query by this same text, so `quire batch`'s
// run (trec_token() of the id it read) and the qrels agree.
std::string one_line(const std::string& text) {
  std::string s = without_display_controls(other_line_breaks_as_spaces(as_utf8(text)));
  for (char& c : s)
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  return s;
}

// The outputs are checked before anything is read or indexed: none inside the index, none over a file
// of the collection being imported (the files under `dir`: a collection is a few files, so all are
// looked at), and no two the same file.
void check_outputs(const std::vector<std::pair<std::string, std::string>>& outputs, const std::string& dir,
                   const std::string& db, bool force) {
  std::vector<std::string> inputs;
  std::error_code ec;
  constexpr std::size_t kMaxInputs = 100000;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end && inputs.size() < kMaxInputs;
       it.increment(ec))
    if (it->is_regular_file(ec)) inputs.push_back(it->path().string());
  std::vector<std::pair<std::string, fs::path>> seen;
  for (const auto& [option, path] : outputs) {
    if (path.empty()) continue;
    check_output_path(option, path, inputs, {db}, existing(force));
    const fs::path where = fs::weakly_canonical(fs::absolute(path), ec);
    for (const auto& [other, at] : seen)
      if (!ec && at == where)
        throw UsageError("import: " + other + " and " + option + " name the same file " + path +
                         "; give each its own file");
    seen.emplace_back(option, where);
  }
}

}  // namespace

int cmd_import(const std::vector<std::string>& args) {
  IndexOptions options;
  std::string format, dir, split, queries_out, qrels_out, docs_out, schemas;
  bool tag = false, force = false;
  po::options_description opts("options");
  // clang-format off
  opts.add_options()
      ("help,h", "show this help")
      ("db", po::value<std::string>(&options.db_path), "index folder for the collection (required: a test collection gets an index of its own)")
      ("split", po::value<std::string>(&split), "BEIR: keep the queries judged in qrels/SPLIT.tsv")
      ("queries", po::value<std::string>(&queries_out), "write the queries here as TSV (id<TAB>text), for quire batch")
      ("qrels", po::value<std::string>(&qrels_out), "write the judgments here as TREC qrels, for quire eval")
      ("documents", po::value<std::string>(&docs_out), "write the documents here as JSON Lines {id, title, text} (for peers)")
      ("force", po::bool_switch(&force), kForceHelp)
      ("rebuild", po::bool_switch(&options.rebuild), "delete the index first")
      ("prune", po::bool_switch(&options.prune), "remove documents no longer in the collection")
      ("tag", po::bool_switch(&tag), "tag actors, themes and dates (off: test collections are judged on text alone)")
      ("schemas", po::value<std::string>(&schemas), "folder with actors.xml and themes.xml (with --tag)")
      ("format", po::value<std::string>(&format), "collection format")
      ("dir", po::value<std::string>(&dir), "collection folder");
  // clang-format on
  po::positional_options_description pos;
  pos.add("format", 1).add("dir", 1);
  const auto vm = parse(args, opts, pos);
  if (wants_help(vm, opts,
                 "usage: quire import FORMAT DIR [--db DIR] [--split SPLIT] [--queries FILE] [--qrels FILE]\n"
                 "       [--documents FILE] [--force]\n"
                 "FORMAT: beir (corpus.jsonl, queries.jsonl, qrels/SPLIT.tsv), or a classic collection in its\n"
                 "original files: cisi, cran, med, cacm, adi, npl, lisa. Each document becomes one passage."))
    return kExitOk;
  if (format.empty() || dir.empty()) throw UsageError("import: give a format and a folder");
  if (options.db_path.empty())
    throw UsageError("import: give --db FOLDER: a test collection gets an index of its own, never your library's");
  bool known = false;
  for (const auto& f : test_collection_formats()) known = known || f == format;
  if (!known) throw UsageError("import: unknown format '" + format + "' (beir, cisi, cran, med, cacm, adi, npl, lisa)");

  if (force && queries_out.empty() && qrels_out.empty() && docs_out.empty())
    throw UsageError("import: --force replaces the files --queries, --qrels and --documents name; give one of them");
  check_outputs({{"--queries", queries_out}, {"--qrels", qrels_out}, {"--documents", docs_out}}, dir, options.db_path,
                force);
  catch_stop_signals();
  const TestCollection c = read_test_collection(format, dir, split);
  for (const auto& n : c.notes) std::cerr << "quire: note: " << printable_line(n) << "\n";
  for (const auto& n : c.skipped) std::cerr << "quire: " << printable_line(n) << "\n";
  // An output asked for must not come out empty because its input was missing or empty: that is an
  // error naming the input, found before anything is indexed or written.
  if (!qrels_out.empty() && c.judgments.empty()) {
    if (c.judgments_source.empty())
      throw InputError(dir, "--qrels " + qrels_out + ": BEIR judgments are in qrels/SPLIT.tsv; give --split SPLIT" +
                                beir_splits(dir) + "; nothing was imported");
    throw InputError(c.judgments_source,
                     "holds no judgments, so --qrels " + qrels_out + " would be empty; nothing was imported");
  }
  if (!queries_out.empty() && c.queries.empty())
    throw InputError(c.queries_source.empty() ? dir : c.queries_source,
                     std::string("holds no queries") + (split.empty() ? "" : " judged in qrels/" + split + ".tsv") +
                         ", so --queries " + queries_out + " would be empty; nothing was imported");
  check_stop("import: nothing was imported");
  std::unique_ptr<Tagger> tagger;
  if (tag) {
    tagger = std::make_unique<Tagger>(schema_dir(schemas));
    options.tagger = tagger.get();
  }
  options.commit_every_passages = 100000;
  options.stop = &stop_flag();
  const bool tty = ::isatty(STDERR_FILENO) != 0;
  const IndexSummary s =
      index_documents(c.documents, format + ":" + std::filesystem::weakly_canonical(dir).string(), options,
                      [tty](const IndexProgress& p) {
                        if (tty)
                          std::fprintf(stderr, "\r\033[Kimporting: %zu/%zu documents", p.files_done, p.files_total);
                      });
  if (tty) std::fprintf(stderr, "\r\033[K");
  for (const auto& f : s.failures)
    std::cerr << "quire: not indexed: " << printable_line(path_text(f.path)) << ": " << printable_line(f.reason)
              << "\n";
  if (s.interrupted)
    throw Stopped(options.rebuild ? "import: the rebuild is abandoned and " + options.db_path +
                                        " is as it was; no query or qrels file was written"
                                  : "import: the " + std::to_string(s.indexed) +
                                        " document(s) finished are committed; no query or qrels file was written; "
                                        "run the same command again to import the rest");
  if (!queries_out.empty()) {
    std::string out;
    for (const auto& q : c.queries) out += one_line(q.id) + '\t' + one_line(q.text) + '\n';
    write_output_file(queries_out, out, &stop_flag(), existing(force));
  }
  if (!qrels_out.empty()) {
    std::string out;
    for (const auto& j : c.judgments)
      out += trec_token(one_line(j.query)) + " 0 " + trec_token(j.doc) + ' ' + std::to_string(j.relevance) + '\n';
    write_output_file(qrels_out, out, &stop_flag(), existing(force));
  }
  if (!docs_out.empty()) {
    std::string out;
    for (const auto& d : c.documents) {
      std::string text;
      for (const auto& sec : d.sections)
        for (const auto& p : sec.paragraphs) text += (text.empty() ? "" : "\n") + p;
      out += quire::json_text(nlohmann::json{{"id", d.meta.id}, {"title", d.meta.title}, {"text", text}}) +
             '\n';
    }
    write_output_file(docs_out, out, &stop_flag(), existing(force));
  }
  std::printf(
      "imported %s: %zu documents (%zu new or changed, %zu unchanged, %zu removed, %zu without text), "
      "%zu queries, %zu judgments in %.2f s -> %s\n",
      format.c_str(), c.documents.size(), s.indexed, s.unchanged, s.removed, s.failures.size(), c.queries.size(),
      c.judgments.size(), s.seconds, printable_line(options.db_path).c_str());
  return c.skipped.empty() ? kExitOk : kExitSomeLinesFailed;
}

}  // namespace quire::cli
