// The hostile-input catalogue: indexes, documents, tables, queries and options made by someone who
// means harm, or by a careless user, and received from elsewhere (docs/robustness.md, "Threat model").
// Each table's cases are one class: a stub that would run a program, a damaged index, one bad file in
// a folder, input nested or sized without bound, an export cell that is a formula, an edge of the input
// formats, a numeric option out of range. Every case runs the built quire on real files.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <random>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "quire/index_db.h"
#include "quire/index_format.h"
#include "support.h"

using quire::test::corpus_index;
using quire::test::run_program;
using quire::test::run_quire;
using quire::test::TempDir;

using quire::test::write;

namespace fs = std::filesystem;

namespace {

std::string repeat(const std::string& s, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

std::string xml_doc(const std::string& id, const std::string& meta, const std::string& body) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<document version=\"1\" id=\"" + id + "\"><meta>" + meta +
         "</meta><body><section>" + body + "</section></body></document>\n";
}

std::string utf16(const std::string& ascii, bool little_endian, bool bom) {
  std::string out = bom ? (little_endian ? "\xFF\xFE" : "\xFE\xFF") : "";
  for (char c : ascii) out += little_endian ? std::string{c, '\0'} : std::string{'\0', c};
  return out;
}

// A small index of two documents, copied fresh for each case that damages it.
const std::string& small_index() {
  static TempDir dir;
  static const std::string db = [] {
    write(dir.path() + "/docs/a.xml",
          xml_doc("alpha", "<title>Alpha</title>", "<p>The Pakistan corridor talks went on for hours.</p>"));
    write(dir.path() + "/docs/b.txt", "Beta text about the Pakistan corridor and the sea.\n");
    const std::string path = dir.path() + "/index";
    const auto r = run_quire({"index", "--db", path, dir.path() + "/docs"});
    if (r.exit_code != 0) FAIL("indexing the small index failed: " << r.err);
    return path;
  }();
  return db;
}

std::string copy_index(const TempDir& into) {
  const std::string db = into.path() + "/copy";
  fs::copy(small_index(), db, fs::copy_options::recursive);
  return db;
}

// Every command that opens an index, as arguments after "quire".
std::vector<std::vector<std::string>> index_commands(const std::string& db, const std::string& batch_file) {
  return {{"search", "--db", db, "pakistan"},
          {"search", "--db", db, "--json", "pakistan"},
          {"facets", "--db", db},
          {"info", "--db", db},
          {"info", "--db", db, "--digest"},
          {"batch", "--db", db, batch_file},
          {"collection", "list", "--db", db},
          {"collection", "show", "c1", "--db", db},
          {"collection", "new", "c1", "--query", "pakistan", "--db", db},
          {"collection", "export", "c1", "--format", "csv", "--db", db}};
}

std::string joined(const std::vector<std::string>& args) {
  std::string s;
  for (const auto& a : args) s += (s.empty() ? "" : " ") + a;
  return s;
}

// What no command may ever print: an abort's trace, an internal error, a damaged index read as a bad
// query, a digest of an index that could not be read.
void check_clean_failure(const quire::test::RunResult& r) {
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::StartsWith("quire: "));
  CHECK_THAT(r.err, !Catch::Contains("internal error") && !Catch::Contains("bad query") &&
                        !Catch::Contains("terminate") && !Catch::Contains("json.exception"));
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  CHECK_THAT(r.out, !Catch::Matches("(.|\n)*[0-9]+:[0-9a-f]{16}(.|\n)*"));
}

}  // namespace

// ---- 1. Opening an index never runs anything ------------------------------------------------------

TEST_CASE("hostile index: a Xapian stub file is never followed, so opening an index runs nothing", "[hostile][stub]") {
  struct Stub {
    const char* kind;
    std::function<std::string(const std::string& dir, const std::string& mark)> make;  ///< returns --db
    const char* message;
  };
  const Stub stubs[] = {
      {"remote :PROG stub XAPIANDB inside the folder",
       [](const std::string& d, const std::string& mark) {
         write(d + "/idx/XAPIANDB", "remote :/usr/bin/touch " + mark + "\n");
         return d + "/idx";
       },
       "it holds XAPIANDB"},
      {"remote :PROG stub file in place of the folder",
       [](const std::string& d, const std::string& mark) {
         write(d + "/idx", "remote :/usr/bin/touch " + mark + "\n");
         return d + "/idx";
       },
       "it is a file, not a folder"},
      {"remote stub with a shell (sh -c)",
       [](const std::string& d, const std::string& mark) {
         write(d + "/idx/XAPIANDB", "remote :/bin/sh -c 'touch " + mark + "'\n");
         return d + "/idx";
       },
       "it holds XAPIANDB"},
      {"auto stub pointing at a real quire index elsewhere",
       [](const std::string& d, const std::string&) {
         write(d + "/idx/XAPIANDB", "auto " + small_index() + "\n");
         return d + "/idx";
       },
       "it holds XAPIANDB"},
      {"auto stub file in place of the folder",
       [](const std::string& d, const std::string&) {
         write(d + "/idx", "auto " + small_index() + "\n");
         return d + "/idx";
       },
       "it is a file, not a folder"},
      {"tcp stub",
       [](const std::string& d, const std::string&) {
         write(d + "/idx/XAPIANDB", "tcp 127.0.0.1 9\n");
         return d + "/idx";
       },
       "it holds XAPIANDB"},
      {"inmemory stub",
       [](const std::string& d, const std::string&) {
         write(d + "/idx/XAPIANDB", "inmemory\n");
         return d + "/idx";
       },
       "it holds XAPIANDB"},
      {"a chert database marker (iamchert)",
       [](const std::string& d, const std::string&) {
         write(d + "/idx/iamchert", "");
         return d + "/idx";
       },
       "it holds iamchert"},
  };
  for (const auto& s : stubs) {
    DYNAMIC_SECTION(s.kind) {
      TempDir dir;
      const std::string mark = dir.path() + "/pwned";
      const std::string db = s.make(dir.path(), mark);
      const std::string batch = dir.write("q.tsv", "q1\tpakistan\n");
      auto commands = index_commands(db, batch);
      for (const auto& args : commands) {
        INFO(joined(args));
        const auto r = run_quire(args);
        INFO(r.out << r.err);
        check_clean_failure(r);
        CHECK_THAT(r.err, Catch::Contains(s.message) && Catch::Contains(db));
        CHECK(!fs::exists(mark));
      }
      // $QUIRE_DB is the same door.
      const auto env = run_quire({"search", "pakistan"}, {"QUIRE_DB=" + db});
      check_clean_failure(env);
      CHECK(!fs::exists(mark));
      // Writing: `quire index` never runs the stub either (into a stub file it cannot create an index).
      write(dir.path() + "/docs/d.txt", "A document about Pakistan.\n");
      run_quire({"index", "--db", db, dir.path() + "/docs"});
      CHECK(!fs::exists(mark));
    }
  }
}

TEST_CASE("hostile index: a stub file beside a real index's files is ignored, the glass index is read",
          "[hostile][stub]") {
  TempDir dir;
  const std::string db = copy_index(dir);
  write(db + "/XAPIANDB", "remote :/usr/bin/touch " + dir.path() + "/pwned\n");
  const auto r = run_quire({"search", "--db", db, "corridor"});
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("2 matching documents"));
  CHECK(!fs::exists(dir.path() + "/pwned"));
}

TEST_CASE("hostile index: a link or hard link inside a shared index never reaches the user's files",
          "[hostile][links]") {
  // An index made by someone else (unpacked from a tar) may hold links to the user's files: a writer
  // would open them (flintlock with O_TRUNC, v.tmp, a table) and truncate or overwrite the file named.
  struct Entry {
    const char* name;  ///< the entry in the index that points at the user's file
    bool hard;         ///< a hard link, else a symbolic one
    bool readable;     ///< reading commands still work (a hard link harms nothing that is only read)
  };
  const Entry entries[] = {
      {"flintlock", false, false},
      {"v.tmp", false, false},
      {"iamglass", false, false},
      {"postlist.glass", false, false},
      {"position.tmp", false, false},
      {"flintlock", true, true},
      {"postlist.glass", true, true},
      {"termlist.glass", true, true},
      // The manifest (collections, format 4) and its temporary file, which a collection change writes.
      {"quire-manifest.json", false, false},
      {"quire-manifest.json.tmp", false, false},
      {"quire-manifest.json", true, true},
  };
  for (const auto& e : entries) {
    DYNAMIC_SECTION(e.name << (e.hard ? " (hard link)" : " (symbolic link)")) {
      TempDir dir;
      const std::string db = copy_index(dir);
      const std::string mine = dir.path() + "/home/thesis.tex";
      const std::string target = db + "/" + e.name;
      if (e.hard) {
        // The user's file is the entry's other name: keep the index's bytes (the table must still read).
        if (!fs::exists(target)) write(target, "");
        fs::create_directories(fs::path(mine).parent_path());
        fs::create_hard_link(target, mine);
      } else {
        write(mine, "\\documentclass{article} my thesis\n");
        fs::remove(target);
        fs::create_symlink("../home/thesis.tex", target);
      }
      const std::string before = quire::test::read_file(mine);
      write(dir.path() + "/docs/d.txt", "A new document about Pakistan.\n");
      const std::string batch = dir.write("q.tsv", "q1\tpakistan\n");
      std::vector<std::vector<std::string>> writes = {
          {"index", "--db", db, dir.path() + "/docs"},
          {"index", "--db", db, "--rebuild", dir.path() + "/docs"},
          {"collection", "new", "mine", "--query", "pakistan", "--db", db},
          {"collection", "delete", "c1", "--db", db},
      };
      for (const auto& args : writes) {
        INFO(joined(args));
        const auto r = run_quire(args);
        INFO(r.out << r.err);
        CHECK(r.exit_code == 2);
        CHECK_THAT(r.err, Catch::Contains(e.name) && Catch::Contains(e.hard ? "hard links" : "is a symbolic link"));
        CHECK(quire::test::read_file(mine) == before);
        CHECK(fs::exists(db + "/" + e.name));
      }
      const auto search = run_quire({"search", "--db", db, "corridor"});
      INFO(search.err);
      CHECK(search.exit_code == (e.readable ? 0 : 2));
      if (!e.readable) CHECK_THAT(search.err, Catch::Contains("is a symbolic link"));
      CHECK(quire::test::read_file(mine) == before);
    }
  }
}

TEST_CASE("hostile index: every Xapian database is opened through quire/index_db.h, the one seam", "[hostile][stub]") {
  // Constructing Xapian::Database or Xapian::WritableDatabase with arguments anywhere else would open
  // a path without forcing the glass backend.
  // A temporary (Xapian::Database(path)) or a variable with arguments (Xapian::Database db(path, ...));
  // not a function declaration, whose first parameter has a type.
  const std::regex construct(
      R"(Xapian::(Writable)?Database\s*[({]\s*[^)}\s]|Xapian::(Writable)?Database\s+\w+\s*[({]\s*(\w+|"[^"]*")\s*[,)}])");
  std::vector<std::string> offenders;
  for (const char* folder : {"cli", "common", "eval", "indexer", "searcher", "tagger", "fuzz"}) {
    for (const auto& e : fs::recursive_directory_iterator(quire::test::source_dir() + "/" + folder)) {
      const std::string p = e.path().string();
      if (!e.is_regular_file() || (e.path().extension() != ".cc" && e.path().extension() != ".h")) continue;
      if (p.find("common/index_db.cc") != std::string::npos) continue;
      if (std::regex_search(quire::test::read_file(p), construct)) offenders.push_back(p);
    }
  }
  INFO("files that open a database themselves: " << joined(offenders));
  CHECK(offenders.empty());
}

// ---- 5. Damaged indexes ---------------------------------------------------------------------------

TEST_CASE("hostile index: a damaged index is named as damaged by every command, exit 2", "[hostile][damaged]") {
  struct Damage {
    const char* kind;
    std::function<void(const std::string& db)> damage;
    const char* message;
  };
  const auto random_bytes = [](const std::string& path, std::size_t n) {
    std::mt19937 rng(11);
    std::string b(n, '\0');
    for (auto& c : b) c = static_cast<char>(rng());
    std::ofstream(path, std::ios::binary | std::ios::trunc) << b;
  };
  const Damage damages[] = {
      {"postlist.glass truncated to 100 bytes",
       [](const std::string& db) { fs::resize_file(db + "/postlist.glass", 100); }, "is damaged"},
      {"postlist.glass empty", [](const std::string& db) { fs::resize_file(db + "/postlist.glass", 0); }, "is damaged"},
      {"postlist.glass overwritten with random bytes",
       [&](const std::string& db) { random_bytes(db + "/postlist.glass", fs::file_size(db + "/postlist.glass")); },
       "is damaged"},
      {"iamglass empty", [](const std::string& db) { fs::resize_file(db + "/iamglass", 0); }, "is damaged"},
      {"iamglass random bytes", [&](const std::string& db) { random_bytes(db + "/iamglass", 200); }, "is damaged"},
      {"iamglass missing", [](const std::string& db) { fs::remove(db + "/iamglass"); }, "iamglass is missing"},
      {"every table empty",
       [](const std::string& db) {
         for (const auto& e : fs::directory_iterator(db))
           if (e.path().extension() == ".glass") fs::resize_file(e.path(), 0);
       },
       "is damaged"},
      {"the index folder is a file",
       [](const std::string& db) {
         fs::remove_all(db);
         write(db, "just a file\n");
       },
       "not a quire index"},
      {"postlist.glass replaced by a pipe (opening it would wait for ever)",
       [](const std::string& db) {
         fs::remove(db + "/postlist.glass");
         REQUIRE(::mkfifo((db + "/postlist.glass").c_str(), 0600) == 0);
       },
       "postlist.glass in it is not a regular file"},
      {"iamglass a link to a device",
       [](const std::string& db) {
         fs::remove(db + "/iamglass");
         fs::create_symlink("/dev/zero", db + "/iamglass");
       },
       "iamglass in it is a symbolic link"},
      {"the index folder a dangling link",
       [](const std::string& db) {
         fs::remove_all(db);
         fs::create_symlink(db + ".gone", db);
       },
       "cannot open index"},
      {"iamglass is a folder",
       [](const std::string& db) {
         fs::remove(db + "/iamglass");
         fs::create_directory(db + "/iamglass");
       },
       "is damaged"},
  };
  for (const auto& d : damages) {
    DYNAMIC_SECTION(d.kind) {
      TempDir dir;
      const std::string db = copy_index(dir);
      d.damage(db);
      const std::string batch = dir.write("q.tsv", "q1\tpakistan\nq2\tcorridor\n");
      for (const auto& args : index_commands(db, batch)) {
        INFO(joined(args));
        const auto r = run_quire(args);
        INFO(r.out << r.err);
        if (args[0] == "batch") {  // one error for the batch, before any query
          CHECK(r.exit_code == 2);
          CHECK_THAT(r.err, Catch::Contains(d.message));
          continue;
        }
        check_clean_failure(r);
        CHECK_THAT(r.err, Catch::Contains(d.message) && Catch::Contains(db));
        if (std::string(d.message) == "is damaged") CHECK_THAT(r.err, Catch::Contains("(run xapian-check " + db + ")"));
      }
    }
  }
}

TEST_CASE("hostile index: records that are not what quire writes are reported as damage", "[hostile][damaged]") {
  struct Record {
    const char* kind;
    std::function<void(Xapian::WritableDatabase& w, const std::string& db)> edit;
    std::vector<std::string> args;  ///< after --db DB
  };
  const std::string deep = repeat("[", 100000) + repeat("]", 100000);
  // The record of document alpha (a Xapian document of its own, index_format.h kPrefixRecordId) gets `data`.
  const auto set_record = [](Xapian::WritableDatabase& w, const std::string& data) {
    const std::string term = std::string(quire::format::kPrefixRecordId) + "alpha";
    REQUIRE(w.postlist_begin(term) != w.postlist_end(term));
    Xapian::Document doc = w.get_document(*w.postlist_begin(term));
    doc.set_data(data);
    w.replace_document(term, doc);
  };
  // The manifest (index_format.h kManifestFile) with collection c1 as `json`, written as quire would not.
  const auto set_collection = [](const std::string& db, const std::string& json) {
    std::ofstream(db + "/" + std::string(quire::format::kManifestFile))
        << R"({"format":4,"collections":{"c1":)" << json << "}}";
  };
  const Record records[] = {
      {"a document record that is not JSON",
       [&](Xapian::WritableDatabase& w, const std::string&) { set_record(w, "{oops"); },
       {"search", "alpha OR corridor"}},
      {"a document record nested 100,000 levels",
       [&](Xapian::WritableDatabase& w, const std::string&) { set_record(w, deep); },
       {"search", "corridor"}},
      {"a document record of the wrong types",
       [&](Xapian::WritableDatabase& w, const std::string&) {
         set_record(w, R"({"id":"alpha","tags":{"actors":[1,2,3]}})");
       },
       {"search", "corridor"}},
      {"passage data that is not JSON",
       [](Xapian::WritableDatabase& w, const std::string&) {
         for (Xapian::docid id = 1; id <= w.get_lastdocid(); ++id) {
           Xapian::Document doc = w.get_document(id);
           doc.set_data("not json");
           w.replace_document(id, doc);
         }
       },
       {"search", "--json", "corridor"}},
      {"a file record (F:) that is not JSON",
       [](Xapian::WritableDatabase& w, const std::string&) {
         const std::string prefix(quire::format::kKeyFilePrefix);
         for (auto it = w.metadata_keys_begin(prefix); it != w.metadata_keys_end(prefix); ++it)
           w.set_metadata(*it, "[[");
       },
       {"index", "DOCS"}},
      {"a collection record nested 100,000 levels",
       [&](Xapian::WritableDatabase&, const std::string& db) { set_collection(db, deep); },
       {"collection", "show", "c1"}},
      {"a collection record of the wrong types",
       [&](Xapian::WritableDatabase&, const std::string& db) {
         set_collection(db, R"({"name":"c1","filters":[[1,2]],"added":7})");
       },
       {"collection", "export", "c1", "--format", "ris"}},
  };
  for (const auto& rec : records) {
    DYNAMIC_SECTION(rec.kind) {
      TempDir dir;
      const std::string db = copy_index(dir);
      {
        Xapian::WritableDatabase w = quire::open_index_for_writing(db, Xapian::DB_OPEN);
        rec.edit(w, db);
        w.commit();
      }
      std::vector<std::string> args = {rec.args[0], "--db", db};
      for (std::size_t i = 1; i < rec.args.size(); ++i)
        args.push_back(rec.args[i] == "DOCS" ? fs::path(small_index()).parent_path().string() + "/docs" : rec.args[i]);
      const auto r = run_quire(args);
      INFO(r.out << r.err);
      check_clean_failure(r);
      CHECK_THAT(r.err, Catch::Contains(db) && Catch::Contains("damaged"));
    }
  }
}

TEST_CASE("hostile index: a collection is named by its key, whatever its record says", "[hostile][damaged]") {
  TempDir dir;
  const std::string db = copy_index(dir);
  REQUIRE(run_quire({"collection", "new", "y", "--query", "pakistan", "--db", db}).exit_code == 0);
  {
    // The collection's record in the manifest (index_format.h kManifestFile) says another name.
    const std::string manifest = db + "/" + std::string(quire::format::kManifestFile);
    auto j = nlohmann::json::parse(quire::test::read_file(manifest));
    REQUIRE(j["collections"].contains("y"));
    j["collections"]["y"]["name"] = "invoice.hta\"; x=\"";
    std::ofstream(manifest, std::ios::trunc) << j.dump();
  }
  const auto show = run_quire({"collection", "show", "y", "--json", "--db", db});
  INFO(show.err);
  REQUIRE(show.exit_code == 0);
  CHECK(nlohmann::json::parse(show.out)["name"] == "y");
  const auto list = run_quire({"collection", "list", "--db", db});
  CHECK_THAT(list.out, !Catch::Contains("invoice"));
}

TEST_CASE("hostile index: a read-only index is searched, and writing to it says read-only, not locked",
          "[hostile][damaged]") {
  TempDir dir;
  const std::string db = copy_index(dir);
  write(dir.path() + "/docs/new.txt", "A new document about Pakistan.\n");
  ::chmod(dir.path().c_str(), 0755);
  REQUIRE(run_program({"chmod", "-R", "a-w", db}).exit_code == 0);
  REQUIRE(run_program({"chmod", "-R", "a+rX", dir.path()}).exit_code == 0);
  const auto as_user = [&](std::vector<std::string> args) {
    args.insert(args.begin(), QUIRE_BINARY);
    if (::geteuid() == 0) args.insert(args.begin(), {"runuser", "-u", "nobody", "--"});
    return run_program(args);
  };
  const auto search = as_user({"search", "--db", db, "pakistan"});
  if (::geteuid() == 0 && (search.exit_code == 127 || search.err.find("runuser") != std::string::npos)) {
    WARN("skipped: running as root without runuser: " << search.err);
    run_program({"chmod", "-R", "u+w", db});
    return;
  }
  CHECK(search.exit_code == 0);
  for (const auto& args :
       std::vector<std::vector<std::string>>{{"collection", "new", "c1", "--query", "pakistan", "--db", db},
                                             {"index", "--db", db, dir.path() + "/docs"}}) {
    INFO(joined(args));
    const auto r = as_user(args);
    INFO(r.err);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("index " + db + " is read-only"));
    CHECK_THAT(r.err, !Catch::Contains("locked"));
  }
  run_program({"chmod", "-R", "u+w", db});
}

// ---- 3. One bad file never stops a run ------------------------------------------------------------

TEST_CASE("hostile files: one bad file or name is named and counted, and every other file is indexed",
          "[hostile][files]") {
  struct FileCase {
    const char* kind;
    std::function<std::string(const std::string& docs)> make;  ///< writes the file, returns its path
    int exit_code;
    const char* message;  ///< on stderr (warning or "not indexed"), "" for none expected
    const char* search;   ///< a word of it that must be found ("" when it is refused)
  };
  const std::string name249 = repeat("n", 245) + ".txt";
  const FileCase cases[] = {
      {"a Latin-1 file name",
       [](const std::string& d) {
         write(d + "/caf\xE9.txt", "Viennese cafes and the Habsburg archive.\n");
         return d + "/caf\xE9.txt";
       },
       0, "file name is not UTF-8: its document id is \"caf\xC3\xA9\"", "habsburg"},
      {"a file name of bytes that are no encoding",
       [](const std::string& d) {
         write(d + "/\xFF\xFE\x80.txt", "Text about the Orinoco basin.\n");
         return d + "/\xFF\xFE\x80.txt";
       },
       0, "file name is not UTF-8", "orinoco"},
      {"a non-UTF-8 folder name",
       [](const std::string& d) {
         write(d + "/Z\xFCrich/report.txt", "The Zurich report on the Rhine.\n");
         return d + "/Z\xFCrich/report.txt";
       },
       0, "", "rhine"},
      {"a 249-byte file name (the term limit is 245)",
       [&](const std::string& d) {
         write(d + "/" + name249, "Text about the Kalahari desert.\n");
         return d + "/" + name249;
       },
       0, "file name is 245 bytes without its extension; its document id is cut", "kalahari"},
      {"a path through 200 nested folders (past the key limit)",
       [](const std::string& d) {
         const std::string p = d + "/" + repeat("folder/", 200) + "deep.txt";
         write(p, "Deep text about the Atacama.\n");
         return p;
       },
       0, "", "atacama"},
      {"a file name with terminal escapes",
       [](const std::string& d) {
         write(d + "/evil\x1b]0;owned\x07\x1b[2J.txt", "");
         return d + "/evil\x1b]0;owned\x07\x1b[2J.txt";
       },
       1, "no text to index", ""},
      {"XML with &#xD800; (a lone surrogate)",
       [](const std::string& d) {
         write(d + "/sur.xml", xml_doc("sur", "<title>T</title>", "<p>Before &#xD800; after</p>"));
         return d + "/sur.xml";
       },
       1, "line 2: not well-formed XML: character reference &#xD800; names no character XML allows", ""},
      {"XML with &#0;",
       [](const std::string& d) {
         write(d + "/nul.xml", xml_doc("nul", "<title>T</title>", "<p>Before &#0; after</p>"));
         return d + "/nul.xml";
       },
       1, "character reference &#0;", ""},
      {"XML with &#x110000; (past Unicode)",
       [](const std::string& d) {
         write(d + "/big.xml", xml_doc("big", "<title>T</title>", "<p>Before &#x110000; after</p>"));
         return d + "/big.xml";
       },
       1, "character reference &#x110000;", ""},
      {"XML with &#1; and &#xFFFE; (not XML characters)",
       [](const std::string& d) {
         write(d + "/ctl.xml", xml_doc("ctl", "<title>&#xFFFE;</title>", "<p>Before &#1; after</p>"));
         return d + "/ctl.xml";
       },
       1, "names no character XML allows", ""},
      {"XML with &#99999999999999999999; (overflow)",
       [](const std::string& d) {
         write(d + "/ovf.xml", xml_doc("ovf", "<title>T</title>", "<p>&#99999999999999999999;</p>"));
         return d + "/ovf.xml";
       },
       1, "names no character XML allows", ""},
      {"XML with a surrogate in an attribute",
       [](const std::string& d) {
         write(d + "/attr.xml", xml_doc("a&#xDFFF;b", "<title>T</title>", "<p>x</p>"));
         return d + "/attr.xml";
       },
       1, "character reference &#xDFFF;", ""},
      {"XML with valid character references (kept)",
       [](const std::string& d) {
         write(d + "/ok.xml", xml_doc("okref", "<title>T</title>", "<p>Caf&#xE9; &#233; &#x1F600; Tbilisi</p>"));
         return d + "/ok.xml";
       },
       0, "", "tbilisi"},
      {"a 250 KB title (cut, not repeated into every passage)",
       [](const std::string& d) {
         std::string body;
         for (int i = 0; i < 200; ++i) body += "<p>Paragraph " + std::to_string(i) + " on the Mekong river.</p>";
         write(d + "/title.xml", xml_doc("title", "<title>" + repeat("longtitle ", 25000) + "</title>", body));
         return d + "/title.xml";
       },
       0, "bytes; cut to 2000 (quire's limit for it)", "mekong"},
      {"1,000 authors",
       [](const std::string& d) {
         std::string authors;
         for (int i = 0; i < 1000; ++i) authors += "<author>Author Number" + std::to_string(i) + "</author>";
         write(d + "/authors.xml", xml_doc("authors", "<authors>" + authors + "</authors>", "<p>The Danube.</p>"));
         return d + "/authors.xml";
       },
       0, "1000 authors; the first 100 are kept", "danube"},
      {"a 5,000-byte author (past the term limit)",
       [](const std::string& d) {
         write(d + "/author.xml",
               xml_doc("author", "<authors><author>" + repeat("x", 5000) + "</author></authors>", "<p>The Volga.</p>"));
         return d + "/author.xml";
       },
       0, "an author is 5000 bytes; cut to 500", "volga"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.kind) {
      TempDir dir;
      const std::string docs = dir.path() + "/docs", db = dir.path() + "/index";
      write(docs + "/good.txt", "The maritime corridor through the Arabian Sea.\n");
      const std::string bad = c.make(docs);
      const auto r = run_quire({"index", "--db", db, docs});
      INFO(r.out << r.err);
      CHECK(r.exit_code == c.exit_code);
      if (*c.message) CHECK_THAT(r.err, Catch::Contains(c.message));
      CHECK_THAT(r.err, !Catch::Contains("internal error") && !Catch::Contains("cannot write to index"));
      CHECK(r.err.find('\x1b') == std::string::npos);  // no escape reaches the terminal
      CHECK(r.err.find('\x07') == std::string::npos);
      CHECK(run_quire({"search", "--db", db, "arabian"}).exit_code == 0);
      if (*c.search) {
        const auto s = run_quire({"search", "--db", db, "--json", c.search});
        INFO(s.err);
        CHECK(s.exit_code == 0);
        const auto j = nlohmann::json::parse(s.out);  // valid UTF-8 and JSON
        CHECK(j["total"] == 1);
      }
      // The second run finds everything unchanged: the state of every file was recorded.
      const auto again = run_quire({"index", "--db", db, docs});
      CHECK_THAT(again.out, Catch::Contains("(" + std::to_string(*c.search ? 2 : 1) + " unchanged"));
      // A file gone is pruned, whatever its name or depth. A folder that is empty now may be an unmounted
      // drive and keeps its documents (test_data_loss.cc), so the bad file's folders go with it.
      const fs::path top = *fs::relative(bad, docs).begin();
      fs::remove_all(fs::path(docs) / top);
      const auto pruned = run_quire({"index", "--db", db, "--prune", docs});
      INFO(pruned.err);
      if (*c.search) CHECK_THAT(pruned.out, Catch::Contains("1 removed"));
      CHECK(run_quire({"search", "--db", db, "arabian"}).exit_code == 0);
      REQUIRE(run_quire({"info", "--db", db}).exit_code == 0);
    }
  }
}

TEST_CASE("hostile files: a 250 KB title does not multiply the index", "[hostile][files]") {
  TempDir dir;
  std::string body;
  for (int i = 0; i < 400; ++i) body += "<p>Paragraph " + std::to_string(i) + " on the Mekong river basin.</p>";
  write(dir.path() + "/docs/t.xml", xml_doc("t", "<title>" + repeat("wordy ", 42000) + "</title>", body));
  const auto r = run_quire({"index", "--db", dir.path() + "/index", dir.path() + "/docs"});
  REQUIRE(r.exit_code == 0);
  std::uintmax_t bytes = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir.path() + "/index"))
    if (e.is_regular_file()) bytes += e.file_size();
  CHECK(bytes < 20u << 20);  // was 440 MB for a 1.2 MB file
}

TEST_CASE("hostile files: metadata tables in Excel's encodings and line ends", "[hostile][files][metadata]") {
  struct TableCase {
    const char* kind;
    const char* table_name;
    std::string bytes;
    const char* warning;
    const char* title;  ///< the title the file must get, as UTF-8
  };
  const TableCase cases[] = {
      {"Windows-1252 TSV (Excel's default)", "cat.tsv",
       "file\ttitle\ns1\tD\xE9"
       "claration \x93sur\x94 l\x92"
       "eau\n",
       "not UTF-8: read as Windows-1252",
       "D\xC3\xA9"
       "claration \xE2\x80\x9Csur\xE2\x80\x9D l\xE2\x80\x99"
       "eau"},
      {"UTF-16LE TSV with a BOM (Excel's \"Unicode text\")", "cat.tsv",
       utf16("file\ttitle\r\ns1\tUnicode title\r\n", true, true), "read as UTF-16LE", "Unicode title"},
      {"UTF-16BE CSV with a BOM", "cat.csv", utf16("file,title\ns1,Big endian title\n", false, true),
       "read as UTF-16BE", "Big endian title"},
      {"CSV with CR-only line ends (CSV for Macintosh)", "cat.csv", "file,title\rs0,Other\rs1,Carriage title\r", "",
       "Carriage title"},
      {"UTF-8 CSV with a BOM and CR LF", "cat.csv",
       "\xEF\xBB\xBF"
       "file,title\r\ns1,Bom title\r\n",
       "", "Bom title"},
      {"Latin-1 CSV with a quoted cell", "cat.csv",
       "file,title\ns1,\"Gr\xFC\xDF"
       "e, aus Wien\"\n",
       "Windows-1252",
       "Gr\xC3\xBC\xC3\x9F"
       "e, aus Wien"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.kind) {
      TempDir dir;
      write(dir.path() + "/docs/s1.txt", "A speech on the Baltic Sea.\n");
      write(dir.path() + "/map/" + c.table_name, c.bytes);
      write(dir.path() + "/map/map.xml", std::string("<metadata><files name=\"{stem}.txt\"><table file=\"") +
                                             c.table_name +
                                             "\" match=\"file={stem}\"/><field name=\"title\">{title}</field>"
                                             "</files></metadata>\n");
      const std::string db = dir.path() + "/index";
      const auto r = run_quire({"index", "--db", db, "--metadata", dir.path() + "/map/map.xml", dir.path() + "/docs"});
      INFO(r.err);
      CHECK(r.exit_code == 0);
      if (*c.warning)
        CHECK_THAT(r.err, Catch::Contains(std::string(c.table_name) + ": ") && Catch::Contains(c.warning));
      const auto s = run_quire({"search", "--db", db, "--json", "baltic"});
      REQUIRE(s.exit_code == 0);
      CHECK(nlohmann::json::parse(s.out)["results"][0]["title"] == c.title);
    }
  }
}

TEST_CASE("hostile files: long and non-UTF-8 values from a metadata map stay within Xapian's limits",
          "[hostile][files][metadata]") {
  TempDir dir;
  write(dir.path() + "/docs/s\xE9.txt", "A speech on the Adriatic.\n");
  write(dir.path() + "/docs/s2.txt", "A speech on the Aegean.\n");
  write(dir.path() + "/map/cat.tsv",
        "file\tby\tsession\n"
        "s\xE9\t" +
            repeat("b", 300) + "\t" + repeat("7", 5000) + "\ns2\tPAK\t12\n");
  write(dir.path() + "/map/map.xml",
        "<metadata><files name=\"{stem}.txt\"><table file=\"cat.tsv\" match=\"file={stem}\"/>"
        "<field name=\"title\">Speech {stem}</field><field name=\"by\">{by}</field>"
        "<field name=\"session\">{session}</field></files></metadata>\n");
  const std::string db = dir.path() + "/index";
  const auto r = run_quire({"index", "--db", db, "--metadata", dir.path() + "/map/map.xml", dir.path() + "/docs"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::StartsWith("indexed 2 of 2 files"));
  CHECK_THAT(r.err, Catch::Contains("session is 5000 bytes; cut to 1000"));
  const auto s = run_quire({"search", "--db", db, "--json", "adriatic"});
  REQUIRE(s.exit_code == 0);
  CHECK(nlohmann::json::parse(s.out)["results"][0]["title"] == "Speech s\xC3\xA9");
  CHECK(run_quire({"search", "--db", db, "session:12"}).exit_code == 0);
}

// ---- 4. Bounded readers ---------------------------------------------------------------------------

TEST_CASE("hostile input: JSON nested without bound is refused line by line, the rest runs", "[hostile][json]") {
  const std::string deep = repeat("[", 70000) + repeat("]", 70000);
  const std::string deep_obj = repeat("{\"a\":", 70000) + "1" + repeat("}", 70000);
  struct Line {
    const char* kind;
    std::string line;
    const char* message;
  };
  const Line lines[] = {
      {"70,000 levels in the query", "{\"id\":\"d1\",\"query\":" + deep + "}", "nested deeper than 64 levels"},
      {"70,000 levels of objects", "{\"id\":\"d2\",\"filters\":" + deep_obj + "}", "nested deeper than 64 levels"},
      {"a deep id (printed with dump())", "{\"id\":" + repeat("[", 100) + repeat("]", 100) + ",\"query\":\"x\"}",
       "nested deeper than 64 levels"},
      {"a deep line that is not even closed", "{\"id\":\"d4\",\"query\":" + repeat("[", 70000), "nested deeper"},
      {"limit -1 (would wrap)", R"({"id":"l1","query":"pakistan","limit":-1})",
       "bad value for \"limit\": must be a whole number"},
      {"limit 1e300 (undefined to convert)", R"({"id":"l2","query":"pakistan","limit":1e300})",
       "bad value for \"limit\": must be a whole number"},
      {"limit as a string", R"({"id":"l3","query":"pakistan","limit":"10"})",
       "bad value for \"limit\": must be a whole number"},
      {"facets of the wrong type", R"({"id":"f1","query":"pakistan","facets":{"a":1}})", "bad value for \"facets\""},
      {"a JSON array, not an object", "[1,2,3]", "expected 'id<TAB>query' or a JSON object"},
      {"a 2 MB JSON line (unbounded memory)", "{\"id\":\"b1\",\"query\":\"" + repeat("pakistan ", 230000) + "\"}",
       "the line is longer than 1048576 bytes"},
      {"a 2 MB TSV line without a tab", repeat("x", 2 << 20), "the line is longer than 1048576 bytes"},
      {"a 2 MB TSV query", "b3\t" + repeat("kashmir ", 270000), "the line is longer than 1048576 bytes"},
  };
  TempDir dir;
  std::string text;
  for (const auto& l : lines) text += l.line + "\n";
  text += "good\tpakistan\n";
  const std::string file = dir.write("q.jsonl", text);
  const auto r = run_quire({"batch", "--db", corpus_index(), "--format", "trec", file});
  INFO(r.err.substr(0, 4000));
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out, Catch::StartsWith("good Q0 "));
  for (std::size_t i = 0; i < std::size(lines); ++i) {
    INFO(lines[i].kind);
    CHECK_THAT(r.err, Catch::Contains(file + ":" + std::to_string(i + 1) + ": ") && Catch::Contains(lines[i].message));
  }
  CHECK_THAT(r.err, Catch::Contains("batch: " + std::to_string(std::size(lines) + 1) + " queries, " +
                                    std::to_string(std::size(lines)) + " failed"));
}

TEST_CASE("hostile input: tag --jsonl and import bound their JSON too", "[hostile][json]") {
  TempDir dir;
  const std::string input =
      dir.write("in.jsonl", "{\"id\":1,\"passages\":" + repeat("[", 70000) + repeat("]", 70000) + "}\n" +
                                R"({"id":2,"passages":["Pakistan and China"],"year":1e300})"
                                "\n" +
                                R"({"id":3,"passages":["Pakistan and China"],"year":-5})"
                                "\n" +
                                R"({"id":4,"passages":["Pakistan and China"]})"
                                "\n");
  const auto r = run_program({"sh", "-c", "'" + std::string(QUIRE_BINARY) + "' tag --jsonl < '" + input + "'"});
  INFO(r.err);
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("stdin:1: bad JSON: JSON nested deeper than 64 levels"));
  CHECK_THAT(r.err, Catch::Contains("stdin:2: \"year\" must be a whole number"));
  CHECK_THAT(r.err, Catch::Contains("stdin:3: \"year\" must be a whole number"));
  CHECK_THAT(r.out, Catch::Contains("\"id\":\"4\""));  // ids are strings out, as in batch

  write(dir.path() + "/beir/corpus.jsonl", R"({"_id":"d1","title":"T","text":"Pakistan"})"
                                           "\n" +
                                               std::string("{\"_id\":") + repeat("[", 70000) + repeat("]", 70000) +
                                               "}\n");
  write(dir.path() + "/beir/queries.jsonl", R"({"_id":"q1","text":"pakistan"})"
                                            "\n");
  const auto imp = run_quire({"import", "beir", dir.path() + "/beir", "--db", dir.path() + "/index"});
  // The line is named and left out; the rest is imported (exit 1).
  CHECK(imp.exit_code == 1);
  CHECK_THAT(imp.err, Catch::Contains("corpus.jsonl:2: JSON nested deeper than 64 levels"));
}

// ---- 7. Exports safe to open ----------------------------------------------------------------------

namespace {

// RFC 4180 cells of `csv`, row by row.
std::vector<std::vector<std::string>> csv_rows(const std::string& csv) {
  std::vector<std::vector<std::string>> rows(1, std::vector<std::string>(1));
  bool quoted = false;
  for (std::size_t i = 0; i < csv.size(); ++i) {
    const char c = csv[i];
    if (quoted) {
      if (c == '"' && i + 1 < csv.size() && csv[i + 1] == '"') {
        rows.back().back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        rows.back().back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.back().emplace_back();
    } else if (c == '\r' && i + 1 < csv.size() && csv[i + 1] == '\n') {
      ++i;
      rows.emplace_back(1);
    } else {
      rows.back().back() += c;
    }
  }
  if (rows.back().size() == 1 && rows.back()[0].empty()) rows.pop_back();
  return rows;
}

// The field names of each BibTeX entry, read the way BibTeX reads them: braces counted, backslashes not.
std::vector<std::vector<std::string>> bibtex_fields(const std::string& bib) {
  std::vector<std::vector<std::string>> entries;
  std::size_t i = 0;
  while ((i = bib.find('@', i)) != std::string::npos) {
    const std::size_t open = bib.find('{', i);
    std::size_t pos = bib.find(',', open) + 1;
    entries.emplace_back();
    int depth = 1;
    std::string name;
    bool in_value = false;
    for (; pos < bib.size() && depth > 0; ++pos) {
      const char c = bib[pos];
      if (c == '{') {
        ++depth;
        if (depth == 2) in_value = true;
      } else if (c == '}') {
        --depth;
        if (depth == 1) in_value = false;
      } else if (depth == 1 && !in_value) {
        if (c == '=') {
          entries.back().push_back(name.substr(name.find_first_not_of(" \n,"),
                                               name.find_last_not_of(" \n") - name.find_first_not_of(" \n,") + 1));
          name.clear();
        } else if (c == ',') {
          name.clear();
        } else {
          name += c;
        }
      }
    }
    i = pos;
  }
  return entries;
}

}  // namespace

TEST_CASE("hostile exports: formulas, brace and line breakouts are neutralised in every format", "[hostile][exports]") {
  TempDir dir;
  const std::string meta =
      "<title>=HYPERLINK(\"http://evil.example\",\"x\")</title><authors><author>@SUM(1+1)</author>"
      "<author>+cmd|' /C calc'!A0</author></authors><publisher>-2+3</publisher><container>&#9;tabbed</container>"
      "<volume>}} , author = {Injected</volume><url>http://e.example/a}}, author = {Evil}\\x</url>"
      "<pages>1&#x2028;ER  - </pages>";
  write(dir.path() + "/docs/evil.xml", xml_doc("evil", meta, "<p>The Caspian pipeline.</p>"));
  write(dir.path() + "/docs/plain.xml",
        xml_doc("plain", "<title>Plain</title><url>http://ok.example/</url>", "<p>The Caspian shelf.</p>"));
  const std::string db = dir.path() + "/index";
  REQUIRE(run_quire({"index", "--db", db, dir.path() + "/docs"}).exit_code == 0);
  REQUIRE(run_quire({"collection", "new", "c1", "--query", "caspian", "--db", db}).exit_code == 0);
  for (const bool collection : {false, true}) {
    const auto get = [&](const std::string& format) {
      const auto r = collection ? run_quire({"collection", "export", "c1", "--format", format, "--db", db})
                                : run_quire({"search", "--db", db, "--format", format, "caspian"});
      INFO(r.err);
      REQUIRE(r.exit_code == 0);
      return r.out;
    };
    INFO((collection ? "collection export" : "search --format"));
    // CSV: no cell starts with = + - @, a tab or a CR.
    const auto rows = csv_rows(get("csv"));
    REQUIRE(rows.size() == 3);
    for (const auto& row : rows) {
      CHECK(row.size() == rows[0].size());
      for (const auto& cell : row) {
        INFO(cell);
        CHECK((cell.empty() || std::string("=+-@\t\r").find(cell[0]) == std::string::npos));
      }
    }
    // BibTeX: each entry has exactly the fields quire wrote, nothing injected.
    const auto entries = bibtex_fields(get("bibtex"));
    REQUIRE(entries.size() == 2);
    for (const auto& fields : entries) {
      INFO(joined(fields));
      CHECK(std::count(fields.begin(), fields.end(), "author") <= 1);
      CHECK(std::count(fields.begin(), fields.end(), "url") == 1);
    }
    // RIS: every line is a tag line, and each record ends once.
    const std::string ris = get("ris");
    std::istringstream lines(ris);
    int records = 0;
    for (std::string l; std::getline(lines, l);) {
      if (!l.empty() && l.back() == '\r') l.pop_back();
      if (l.empty()) continue;
      INFO(l);
      CHECK(std::regex_match(l, std::regex("[A-Z][A-Z0-9]  - .*")));
      if (l.rfind("ER  - ", 0) == 0) ++records;
    }
    CHECK(records == 2);
    CHECK(ris.find("\xE2\x80\xA8") == std::string::npos);  // U+2028, a line break to some readers
    // JSON exports parse.
    CHECK(nlohmann::json::parse(get("csl-json")).size() == 2);
  }
}

TEST_CASE("hostile outputs: a write that fails (a full disk) leaves the user's old file as it was",
          "[hostile][exports]") {
  if (run_program({"prlimit", "--version"}).exit_code != 0) FAIL("prlimit (util-linux) is needed for this test");
  TempDir dir;
  const std::string db = copy_index(dir);
  REQUIRE(run_quire({"collection", "new", "c1", "--query", "pakistan", "--db", db}).exit_code == 0);
  const std::string batch = dir.write("q.tsv", "q1\tpakistan\nq2\tcorridor\n");
  const std::string old = "my own notes, kept for years\n";
  const struct {
    const char* kind;
    std::vector<std::string> args;  ///< after "quire", with OUT for the file
  } cases[] = {
      {"collection export --output",
       {"collection", "export", "c1", "--format", "ris", "--db", db, "--output", "OUT", "--force"}},
      {"batch --timings", {"batch", "--db", db, "--timings", "OUT", "--force", batch}},
  };
  for (const auto& c : cases) {
    INFO(c.kind);
    const std::string out = dir.write("out.txt", old);
    // The file-size limit holds for every file quire writes; its messages go through a pipe, which
    // has none, so that they are not cut short too.
    std::string command = "set -o pipefail; prlimit --fsize=8 '" + std::string(QUIRE_BINARY) + "'";
    for (const auto& a : c.args) command += " '" + (a == "OUT" ? out : a) + "'";
    const auto r = run_program({"bash", "-c", command + " 2>&1 >/dev/null | cat >&2"});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains(out) && Catch::Contains("the file is as it was"));
    CHECK(quire::test::read_file(out) == old);
    std::size_t files = 0;
    for (const auto& e : fs::directory_iterator(dir.path()))
      files += e.path().filename().string().find("out.txt") != std::string::npos;
    CHECK(files == 1);  // no temporary file left beside it
    // With room, the same command replaces it.
    std::vector<std::string> again;
    for (const auto& a : c.args) again.push_back(a == "OUT" ? out : a);
    CHECK(run_quire(again).exit_code == 0);
    CHECK(quire::test::read_file(out) != old);
  }
}

TEST_CASE("hostile output: terminal escapes in a document never reach the terminal", "[hostile][exports]") {
  TempDir dir;
  write(dir.path() + "/docs/esc.xml",
        xml_doc("esc", "<title>Title\x1b]0;owned\x07 \x1b[31mred</title><authors><author>A\x1b[2J</author></authors>",
                "<p>The Caspian \x1b[1A\x1b[2Kpipeline\xC2\x9B.</p>"));
  const std::string db = dir.path() + "/index";
  REQUIRE(run_quire({"index", "--db", db, dir.path() + "/docs"}).exit_code == 0);
  for (const auto& args :
       std::vector<std::vector<std::string>>{{"search", "--db", db, "--color", "never", "caspian"},
                                             {"search", "--db", db, "--color", "never", "--facets", "actor", "caspian"},
                                             {"collection", "new", "c1", "--query", "caspian", "--db", db},
                                             {"collection", "show", "c1", "--db", db}}) {
    INFO(joined(args));
    const auto r = run_quire(args);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find('\x1b') == std::string::npos);
    CHECK(r.out.find('\x07') == std::string::npos);
    CHECK(r.out.find("\xC2\x9B") == std::string::npos);  // CSI as one C1 character
  }
}

// ---- 8. Input edge cases --------------------------------------------------------------------------

TEST_CASE("hostile input: CR-only line ends and UTF-16 text files are read", "[hostile][edge]") {
  struct TextCase {
    const char* kind;
    std::string bytes;
    const char* word;
    int passages;
  };
  // Paragraphs long enough not to be merged (passages under 80 characters join the next).
  const std::string one = "The first paragraph is about Nauru and its phosphate, and it runs on for a while.";
  const std::string two = "The second paragraph is about Palau and its reefs, and it also runs on for a while.";
  const TextCase cases[] = {
      {"CR-only line ends", one + "\r\r" + two + "\r", "palau", 2},
      {"CR LF line ends", one + "\r\n\r\n" + two + "\r\n", "palau", 2},
      {"UTF-16LE with a BOM", utf16(one + "\n\n" + two + "\n", true, true), "palau", 2},
      {"UTF-16BE with a BOM", utf16(one + "\n\n" + two + "\n", false, true), "palau", 2},
      {"UTF-16LE without a BOM", utf16(one + "\n\n" + two + "\n", true, false), "palau", 2},
      {"UTF-16LE with CR LF (Notepad's Unicode)", utf16(one + "\r\n\r\n" + two + "\r\n", true, true), "palau", 2},
      {"UTF-8 with a BOM", "\xEF\xBB\xBF" + one + "\n\n" + two + "\n", "nauru", 2},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.kind) {
      TempDir dir;
      write(dir.path() + "/docs/t.txt", c.bytes);
      const std::string db = dir.path() + "/index";
      const auto r = run_quire({"index", "--db", db, dir.path() + "/docs"});
      INFO(r.err);
      CHECK(r.exit_code == 0);
      CHECK_THAT(r.out, Catch::Contains(std::to_string(c.passages) + " passages"));
      const auto s = run_quire({"search", "--db", db, "--json", c.word});
      REQUIRE(s.exit_code == 0);
      const auto text = nlohmann::json::parse(s.out)["results"][0]["passages"][0]["text"].get<std::string>();
      CHECK(text.find('\r') == std::string::npos);
      CHECK(text.find('\0') == std::string::npos);
      CHECK(text.rfind("\xEF\xBB\xBF", 0) == std::string::npos);
    }
  }
}

TEST_CASE("hostile input: a file with CR-only or CR LF line ends reads exactly as its LF twin", "[hostile][edge]") {
  const std::string texts[] = {
      "The first paragraph is about\nNauru and its phos-\nphate, and it runs\non for a while.\n\nThe second one.\n",
      "Title Line\n\nBy: Jane Doe, Institute\n\nA paragraph about Palau\nthat was broken by a PDF\nextractor.\n",
      "- a list item\n- another item about Fiji\n\n1\n\nPage text continues here about Samoa.\n",
  };
  TempDir dir;
  for (const auto& lf : texts) {
    std::string cr = lf, crlf;
    std::replace(cr.begin(), cr.end(), '\n', '\r');
    for (char c : lf) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
    const auto convert = [&](const std::string& bytes) {
      const std::string p = dir.write("t.txt", bytes);
      const auto r = run_quire({"convert", p});
      REQUIRE(r.exit_code == 0);
      return r.out;
    };
    const std::string want = convert(lf);
    CHECK(convert(cr) == want);
    CHECK(convert(crlf) == want);
  }
}

TEST_CASE("hostile input: dates that do not exist are left out with a warning, the document indexed",
          "[hostile][edge]") {
  const struct {
    const char* date;
    const char* message;  ///< "" when the date is good
  } dates[] = {
      {"0000", "has year 0000"},
      {"2024-02-30", "does not exist"},
      {"2023-13-01", "has month 13"},
      {"2023-00", "has month 00"},
      {"1999-04-31", "does not exist"},
      {"2100-02-29", "does not exist"},
      {"2023-02-29", "does not exist"},
      {"20240101", "is not YYYY"},
      {"July 2024", "is not YYYY"},
      {"2024-02-29", ""},
      {"2000-02-29", ""},
      {"1648", ""},
  };
  for (const auto& d : dates) {
    DYNAMIC_SECTION(d.date) {
      TempDir dir;
      write(dir.path() + "/docs/d.xml", xml_doc("d", std::string("<title>T</title><date>") + d.date + "</date>",
                                                "<p>The Westphalia treaty text.</p>"));
      const std::string db = dir.path() + "/index";
      const auto r = run_quire({"index", "--db", db, dir.path() + "/docs"});
      INFO(r.err);
      CHECK(r.exit_code == 0);
      const auto s = run_quire({"search", "--db", db, "--json", "westphalia"});
      REQUIRE(s.exit_code == 0);
      const auto j = nlohmann::json::parse(s.out)["results"][0];
      if (*d.message) {
        CHECK_THAT(r.err, Catch::Contains("d.xml: line 2: date \"" + std::string(d.date) + "\"") &&
                              Catch::Contains(d.message) && Catch::Contains("indexed without a date"));
        CHECK(j["date"] == "");
      } else {
        CHECK(r.err.empty());
        CHECK(j["date"] == d.date);
      }
    }
  }
}

TEST_CASE("hostile options: negative and out-of-range numbers are usage errors naming the option",
          "[hostile][options]") {
  TempDir dir;
  const std::string db = corpus_index(), q = dir.write("q.tsv", "q1\tpakistan\n");
  const struct {
    std::vector<std::string> args;
    const char* message;
  } cases[] = {
      {{"search", "--db", db, "--offset", "-1", "x"}, "--offset must not be negative"},
      {{"search", "--db", db, "--offset=-1", "x"}, "--offset must not be negative"},
      {{"search", "--db", db, "--offset", "100001", "x"}, "--offset must be between 0 and 100000"},
      {{"search", "--db", db, "--limit=-1", "x"}, "--limit must not be negative"},
      {{"search", "--db", db, "--max-wildcard=-1", "x"}, "--max-wildcard must not be negative"},
      {{"search", "--db", db, "--max-wildcard=0", "x"}, "--max-wildcard must be between 1 and 100000"},
      {{"search", "--db", db, "--max-query-bytes=-1", "x"}, "--max-query-bytes must not be negative"},
      {{"search", "--db", db, "--max-query-bytes=0", "x"}, "--max-query-bytes must be between 1"},
      {{"search", "--db", db, "--max-query-terms=-1", "x"}, "--max-query-terms must not be negative"},
      {{"search", "--db", db, "--max-query-terms=0", "x"}, "--max-query-terms must be between 1"},
      {{"search", "--db", db, "--facet-limit=-1", "x"}, "--facet-limit must not be negative"},
      {{"search", "--db", db, "--facet-limit=0", "x"}, "--facet-limit must be between 1"},
      {{"search", "--db", db, "--feedback-docs=-1", "x"}, "--feedback-docs must not be negative"},
      {{"search", "--db", db, "--k1= -2", "x"}, "--k1 must not be negative"},
      {{"search", "--db", db, "--offset=1e3", "x"}, "--offset' is invalid"},
      {{"search", "--db", db, "--offset=99999999999999999999999", "x"}, "--offset' is invalid"},
      {{"facets", "--db", db, "--facet-limit=-3"}, "--facet-limit must not be negative"},
      {{"batch", "--db", db, "--threads=-1", q}, "--threads must not be negative"},
      {{"batch", "--db", db, "--limit=-1", q}, "--limit must not be negative"},
      {{"batch", "--db", db, "--max-query-terms=-1", q}, "--max-query-terms must not be negative"},
      {{"index", "--db", dir.path() + "/i", "--threads=-1", dir.path()}, "--threads must not be negative"},
      {{"index", "--db", dir.path() + "/i", "--commit-every=-1", dir.path()}, "--commit-every must not be negative"},
      {{"index", "--db", dir.path() + "/i", "--max-passage=-1", dir.path()}, "--max-passage must not be negative"},
      {{"index", "--db", dir.path() + "/i", "--max-passage=99999999", dir.path()}, "--max-passage must be between"},
      {{"index", "--db", dir.path() + "/i", "--max-file-mb=-1", dir.path()}, "--max-file-mb must not be negative"},
      {{"tag", "--year=-5", q}, "--year must not be negative"},
      {{"tag", "--year=20000", q}, "--year must be between 1000 and 2999"},
  };
  for (const auto& c : cases) {
    INFO(joined(c.args));
    const auto r = run_quire(c.args);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::StartsWith("quire: ") && Catch::Contains(c.message));
    CHECK(!fs::exists(dir.path() + "/i"));  // refused before anything was opened
  }
}

TEST_CASE("hostile input: JSON output never fails on bytes that are not UTF-8", "[hostile][json]") {
  TempDir dir;
  const std::string db = dir.path() + "/ind\xFF";
  fs::copy(small_index(), db, fs::copy_options::recursive);
  const std::string qrels = dir.write("qrels", "q\xFF 0 alpha 1\n"), run = dir.write("run", "q\xFF Q0 alpha 1 1.0 r\n");
  for (const auto& args : std::vector<std::vector<std::string>>{{"info", "--json", "--db", db},
                                                                {"search", "--json", "--db", db, "corridor \xFF\xFE"},
                                                                {"facets", "--json", "--db", db, "corridor"},
                                                                {"eval", "--json", run, qrels}}) {
    INFO(joined(args));
    const auto r = run_quire(args);
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK_NOTHROW(nlohmann::json::parse(r.out));
  }
}
