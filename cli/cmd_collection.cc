// quire collection: named, saved result sets that librarians keep current and export.
#include <algorithm>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>

#include "cli.h"
#include "quire/collections.h"
#include "quire/errors.h"
#include "quire/json_input.h"
#include "quire/exports.h"
#include "quire/files.h"
#include "quire/output.h"
#include "quire/searcher.h"
#include "quire/tagging.h"
#include "quire/utf8.h"

namespace quire::cli {
namespace {

const char* const kCollectionUsage =
    "usage: quire collection new NAME [--query Q] [--actor A] [--theme T] [--published Y..Y] [--mentions Y..Y]\n"
    "                            [--speaker S] [--by A] [--publisher P] [--plain] [--replace]\n"
    "       quire collection add NAME ID...        add documents by id\n"
    "       quire collection exclude NAME ID...    leave documents out, even when the query matches them\n"
    "       quire collection list\n"
    "       quire collection show NAME [--json]\n"
    "       quire collection refresh NAME          re-run the query; report what is new and what is gone\n"
    "       quire collection export NAME --format ris|bibtex|csl-json|csv|jsonl [--output FILE [--force]]\n"
    "       quire collection delete NAME\n"
    "Every form takes --db DIR. Collections are stored in the index and survive re-indexing.";

Collection must_load(const std::string& db, const std::string& name) {
  auto c = load_collection(db, name);
  if (!c) throw UsageError("collection: no collection '" + name + "' in " + db + " (see 'quire collection list')");
  return *c;
}

void print_refresh(const Collection& c, const CollectionRefresh& r, Searcher& searcher) {
  std::cout << printable_line(c.name) << ": " << r.matched << " document" << (r.matched == 1 ? "" : "s") << " match, "
            << r.added.size() << " new, " << r.gone.size() << " gone (index revision " << r.revision << ")\n";
  for (const auto& id : r.added) {
    const auto m = searcher.document(id);
    std::cout << "  + " << printable_line(id) << "  " << (m ? printable_line(display_title(*m)) : "") << "\n";
  }
  for (const auto& id : r.gone) std::cout << "  - " << printable_line(id) << "\n";
}

}  // namespace

int cmd_collection(const std::vector<std::string>& args) {
  std::string db = default_db(), schemas, query, format, output;
  std::vector<std::string> words, actor, theme, published, mentions, speaker, by, publisher;
  bool plain = false, replace = false, json = false, force = false;
  po::options_description opts("options");
  // clang-format off
  opts.add_options()
      ("help,h", "show this help")
      ("db", po::value<std::string>(&db)->default_value(db), "index folder")
      ("schemas", po::value<std::string>(&schemas), "folder with actors.xml and themes.xml")
      ("query,q", po::value<std::string>(&query), "new: the saved query (Xapian syntax, or text with --plain)")
      ("actor", po::value<std::vector<std::string>>(&actor), "new: only passages naming this actor (repeatable)")
      ("theme", po::value<std::vector<std::string>>(&theme), "new: only passages on this theme (repeatable)")
      ("published", po::value<std::vector<std::string>>(&published), "new: only documents published in these years")
      ("mentions", po::value<std::vector<std::string>>(&mentions), "new: only passages mentioning these years")
      ("speaker", po::value<std::vector<std::string>>(&speaker), "new: only passages quoting this person")
      ("by", po::value<std::vector<std::string>>(&by), "new: only documents by this actor, as their catalogue states")
      ("publisher", po::value<std::vector<std::string>>(&publisher), "new: only documents of this publisher, as the publisher facet shows it")
      ("plain", po::bool_switch(&plain), "new: the query is plain text")
      ("replace", po::bool_switch(&replace), "new: replace a collection of the same name")
      ("json", po::bool_switch(&json), "show: print JSON")
      ("format", po::value<std::string>(&format), "export: ris, bibtex, csl-json, csv or jsonl")
      ("output,o", po::value<std::string>(&output), "export: write to FILE, not standard output (a new file)")
      ("force", po::bool_switch(&force), kForceHelp)
      ("words", po::value<std::vector<std::string>>(&words), "ACTION NAME ID...");
  // clang-format on
  po::positional_options_description pos;
  pos.add("words", -1);
  const auto vm = parse(args, opts, pos);
  if (wants_help(vm, opts, kCollectionUsage)) return kExitOk;
  if (words.empty()) throw UsageError(std::string("collection: give an action\n") + kCollectionUsage);
  const std::string action = words[0];
  if (action == "list") {
    std::vector<std::string> skipped, damaged;
    // One read of the manifest for them all (a load of each read it whole once per collection).
    const std::vector<Collection> all = load_collections(db, &skipped, &damaged);
    for (const auto& why : damaged) std::cerr << "quire: " << printable_line(why) << "; left out of the list\n";
    for (const auto& key : skipped)
      std::cerr << "quire: note: index " << printable_line(db) << " holds a collection record named '"
                << message_value(key)
                << "', which is not a collection name; left out (a hand-edited or damaged index)\n";
    for (const Collection& c : all) {
      std::cout << printable_line(c.name) << "\t" << c.documents().size() << " documents\t"
                << printable_line(collection_search(c)) << "\n";
    }
    return damaged.empty() ? kExitOk : kExitSomeLinesFailed;
  }
  const std::vector<std::string> actions = {"list", "new", "add", "exclude", "refresh", "show", "export", "delete"};
  if (std::find(actions.begin(), actions.end(), action) == actions.end())
    throw UsageError("collection: unknown action '" + printable_line(action) + "'" + did_you_mean(action, actions) +
                     "; 'quire collection --help' lists the actions");
  if (force && (action != "export" || output.empty()))
    throw UsageError("collection: --force replaces the file export --output names; give --output FILE too");
  if (words.size() < 2) throw UsageError("collection " + action + ": give the collection's name");
  const std::string name = words[1];
  const std::vector<std::string> ids(words.begin() + 2, words.end());
  try {
    check_collection_name(name);
  } catch (const std::invalid_argument& e) {
    throw UsageError(std::string("collection: ") + e.what());
  }
  const Tagger tagger(schema_dir(schemas));

  if (action == "new") {
    Collection fresh;
    fresh.name = name;
    fresh.query = query;
    fresh.plain = plain;
    for (const auto& [field, values] : {std::pair{"actor", &actor},
                                        {"theme", &theme},
                                        {"published", &published},
                                        {"mentions", &mentions},
                                        {"speaker", &speaker},
                                        {"by", &by},
                                        {"publisher", &publisher}})
      for (const auto& v : *values) fresh.filters.emplace_back(field, v);
    if (fresh.query.empty() && fresh.filters.empty()) throw UsageError("collection new: give --query or a filter");
    std::size_t matched = 0;
    // Each change reads, changes and writes the collection under the index's write lock.
    update_collection(db, name, [&](std::optional<Collection>& stored) {
      if (stored && !replace)
        throw UsageError("collection new: '" + name + "' exists (use --replace, or another name)");
      Searcher searcher(db, &tagger);
      matched = refresh_collection(fresh, searcher).matched;
      stored = std::move(fresh);
    });
    std::cout << "created collection " << name << ": " << matched << " document" << (matched == 1 ? "" : "s") << "\n";
    return kExitOk;
  }
  if (action == "add" || action == "exclude") {
    if (ids.empty()) throw UsageError("collection " + action + ": give document ids");
    std::size_t unknown = 0, size = 0;
    update_collection(db, name, [&](std::optional<Collection>& stored) {
      if (!stored)
        throw UsageError("collection: no collection '" + name + "' in " + db + " (see 'quire collection list')");
      Collection& c = *stored;
      Searcher searcher(db, &tagger);
      std::vector<std::string> known;
      for (const auto& id : ids) {
        if (action == "add" && !searcher.document(id)) {
          std::cerr << "quire: collection add: no document '" << message_value(id) << "' in " << printable_line(db)
                    << "\n";
          ++unknown;
          continue;
        }
        known.push_back(id);
      }
      mark_documents(c, known, action == "exclude");
      size = c.documents().size();
    });
    std::cout << name << ": " << size << " documents\n";
    return unknown == 0 ? kExitOk : kExitSomeLinesFailed;
  }
  if (action == "refresh") {
    Collection after;
    CollectionRefresh r;
    update_collection(db, name, [&](std::optional<Collection>& stored) {
      if (!stored)
        throw UsageError("collection: no collection '" + name + "' in " + db + " (see 'quire collection list')");
      Searcher searcher(db, &tagger);
      r = refresh_collection(*stored, searcher);
      after = *stored;
    });
    Searcher searcher(db, &tagger);
    print_refresh(after, r, searcher);
    return kExitOk;
  }
  if (action == "show") {
    const Collection c = must_load(db, name);
    Searcher searcher(db, &tagger);
    const std::set<std::string> by_hand(c.added.begin(), c.added.end());
    if (json) {
      nlohmann::json docs = nlohmann::json::array();
      for (const auto& id : c.documents()) {
        const auto m = searcher.document(id);
        docs.push_back({{"id", id},
                        {"in_index", m.has_value()},
                        {"added", by_hand.count(id) > 0},
                        {"title", m ? display_title(*m) : ""},
                        {"date", m ? m->date : ""}});
      }
      nlohmann::json history = nlohmann::json::array();
      for (const auto& h : c.history)
        history.push_back(
            {{"at", h.at}, {"revision", h.revision}, {"matched", h.matched}, {"added", h.added}, {"gone", h.gone}});
      std::cout
          << quire::json_text(nlohmann::json{{"name", c.name},         {"query", c.query},     {"filters", filters_to_json(c.filters)},
                            {"plain", c.plain},       {"created", c.created}, {"documents", docs},
                            {"excluded", c.excluded}, {"history", history}})
          << "\n";
      return kExitOk;
    }
    std::cout << printable_line(c.name) << ": " << (c.query.empty() ? "(filters only)" : printable_line(c.query));
    for (const auto& [f, v] : c.filters) std::cout << " " << printable_line(filter_as_query(f, v));
    // Every value read from the manifest goes through printable_line(): a received index's "created"
    // or "at" could otherwise retitle or clear the terminal.
    std::cout << "\ncreated " << printable_line(c.created) << ", refreshed " << c.history.size() << " time(s), last "
              << (c.history.empty() ? std::string("never") : printable_line(c.history.back().at)) << "\n";
    for (const auto& id : c.documents()) {
      const auto m = searcher.document(id);
      std::cout << (by_hand.count(id) ? "  + " : "    ") << printable_line(id) << "  "
                << (m ? printable_line(display_title(*m) + (m->date.empty() ? "" : " (" + m->date + ")"))
                      : "[no longer in the index]")
                << "\n";
    }
    if (!c.excluded.empty()) std::cout << c.excluded.size() << " excluded\n";
    return kExitOk;
  }
  if (action == "export") {
    const auto& formats = export_formats();
    if (std::find(formats.begin(), formats.end(), format) == formats.end())
      throw UsageError("collection export: --format must be ris, bibtex, csl-json, csv or jsonl");
    if (!output.empty()) check_output_path("--output", output, {}, {db}, existing(force));
    const Collection c = must_load(db, name);
    Searcher searcher(db, &tagger);
    catch_stop_signals();
    const std::string kept = output.empty() ? "nothing was printed" : printable_line(output) + " is as it was";
    std::vector<DocumentMeta> docs;
    for (const auto& id : c.documents()) {
      if (docs.size() % 64 == 0) check_stop("collection export: " + kept);
      if (auto m = searcher.document(id)) {
        docs.push_back(std::move(*m));
      } else {
        std::cerr << "quire: collection export: " << message_value(id) << " is no longer in the index; left out\n";
      }
    }
    const std::string text = export_documents(docs, format);
    check_stop("collection export: " + kept);
    if (output.empty()) {
      std::cout << text;
    } else {
      write_output_file(output, text, &stop_flag(), existing(force));
      std::cerr << "quire: exported " << docs.size() << " documents to " << printable_line(output) << "\n";
    }
    return kExitOk;
  }
  if (action == "delete") {
    if (!delete_collection(db, name)) throw UsageError("collection delete: no collection '" + name + "'");
    std::cout << "deleted collection " << name << "\n";
    return kExitOk;
  }
  throw UsageError("collection: unknown action '" + printable_line(action) + "'");  // checked above
}

}  // namespace quire::cli
