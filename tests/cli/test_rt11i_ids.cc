// The rt11i red team's row 1 (docs/red-team/2026-12-03-reliability-rt11i.md) on real files: a document's
// id is stable. `--rebuild` carries each file's id over from the old index (so files that share a stem
// do not swap ids), a new file never takes an id a saved collection holds, and a collection member whose
// file is gone shows as gone (show, export), never as another document. Incremental runs alike: a file
// of another name that appears when one is deleted (with or without --prune) gets an id of its own.
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support.h"

using quire::test::run_quire;
using quire::test::RunResult;
using quire::test::shared_dir;
using quire::test::TempDir;
using quire::test::write;

namespace fs = std::filesystem;

namespace {

// An index of one folder, and the commands the red team ran on it.
struct Shelf {
  TempDir dir;
  std::string docs = dir.path() + "/docs";
  std::string db = dir.path() + "/index";
  std::string shards = "1";

  RunResult index(const std::vector<std::string>& extra = {}) const {
    std::vector<std::string> args = {"index", "--db", db, "--shards", shards};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(docs);
    return run_quire(args);
  }
  RunResult collection(std::vector<std::string> args) const {
    args.insert(args.begin(), "collection");
    args.push_back("--db");
    args.push_back(db);
    return run_quire(args);
  }
  // The id of the one document `word` finds ("" when none or several).
  std::string id_of(const std::string& word) const {
    const RunResult r = run_quire({"search", "--db", db, "--json", word});
    if (r.exit_code != 0) return "";
    const auto j = nlohmann::json::parse(r.out);
    return j["results"].size() == 1 ? j["results"][0]["id"].get<std::string>() : "";
  }
  nlohmann::json show(const std::string& name) const {
    return nlohmann::json::parse(collection({"show", name, "--json"}).out);
  }
};

std::string seabed_pdf() {
  const std::string p = shared_dir() + "/data/pdf/crs-R47324.18-seabed-mining.pdf";
  return fs::exists(p) ? p : "";
}

struct StemPair {
  const char* what;
  std::string first, second;  // `first` is indexed first; `second` comes before it in a walk
  std::string second_text;    // "" : a copy of the seabed-mining PDF
};

const std::vector<StemPair> kStemPairs = {
    {"report.txt then report.md", "report.txt", "report.md", "# Koala\n\nKoala markdown text about quendor.\n"},
    {"a_b.txt then a b.txt", "a_b.txt", "a b.txt", "Koala spaced name text about quendor.\n"},
    {"Latin-1 caf\\xe9.txt then UTF-8 caf\xc3\xa9.txt", "caf\xe9.txt", "caf\xc3\xa9.txt",
     "Koala UTF-8 name text about quendor.\n"},
    {"x.txt then x.pdf", "x.txt", "x.pdf", ""},
};

}  // namespace

TEST_CASE("rebuild keeps the ids of files that share a stem, and a collection keeps its document", "[rt11i][ids]") {
  for (const std::string shards : {"1", "2"}) {
    for (const auto& c : kStemPairs) {
      if (c.second_text.empty() && seabed_pdf().empty()) continue;
      INFO(c.what << ", " << shards << " shard(s)");
      Shelf s;
      s.shards = shards;
      write(s.docs + "/" + c.first, "Wombat draft text about zintar.\n");
      REQUIRE(s.index().exit_code == 0);
      const std::string wombat = s.id_of("zintar");
      REQUIRE(!wombat.empty());
      REQUIRE(s.collection({"new", "w", "--query", "zintar"}).exit_code == 0);
      if (c.second_text.empty())
        fs::copy_file(seabed_pdf(), s.docs + "/" + c.second);
      else
        write(s.docs + "/" + c.second, c.second_text);
      REQUIRE(s.index().exit_code == 0);
      const std::string other = s.id_of(c.second_text.empty() ? "seabed" : "quendor");
      REQUIRE(!other.empty());
      CHECK(other != wombat);

      const RunResult rebuilt = s.index({"--rebuild"});
      REQUIRE(rebuilt.exit_code == 0);
      CHECK(s.id_of("zintar") == wombat);
      CHECK(s.id_of(c.second_text.empty() ? "seabed" : "quendor") == other);
      const auto show = s.show("w");
      REQUIRE(show["documents"].size() == 1);
      CHECK(show["documents"][0]["id"] == wombat);
      CHECK(show["documents"][0]["in_index"] == true);
      // The export cites the wombat note's file, not the other one.
      const RunResult csv = s.collection({"export", "w", "--format", "csv"});
      REQUIRE(csv.exit_code == 0);
      CHECK(csv.out.find(c.second_text.empty() ? "x.pdf" : "quendor") == std::string::npos);
      if (c.first.find('\xe9') == std::string::npos) CHECK(csv.out.find(c.first) != std::string::npos);
      const RunResult refresh = s.collection({"refresh", "w"});
      CHECK(refresh.exit_code == 0);
      CHECK(refresh.out.find("0 new, 0 gone") != std::string::npos);
    }
  }
}

TEST_CASE("a collection member whose file was deleted shows as gone after a rebuild, never as another file",
          "[rt11i][ids]") {
  struct Case {
    const char* what;
    std::string gone, stays;  // `gone` comes first in a walk, so it was given the stem
  };
  std::vector<Case> cases = {{"report.md deleted, report.txt stays", "report.md", "report.txt"}};
  if (!seabed_pdf().empty()) cases.push_back({"report.pdf deleted, report.txt stays", "report.pdf", "report.txt"});
  for (const std::string shards : {"1", "2"}) {
    for (const auto& c : cases) {
      INFO(c.what << ", " << shards << " shard(s)");
      Shelf s;
      s.shards = shards;
      fs::create_directories(s.docs);
      if (c.gone == "report.pdf")
        fs::copy_file(seabed_pdf(), s.docs + "/" + c.gone);
      else
        write(s.docs + "/" + c.gone, "# Seabed\n\nSeabed mining notes.\n");
      write(s.docs + "/" + c.stays, "Draft notes about wombat policy.\n");
      REQUIRE(s.index().exit_code == 0);
      const std::string seabed = s.id_of("seabed");
      const std::string wombat = s.id_of("wombat");
      REQUIRE(seabed == "report");
      REQUIRE(!wombat.empty());
      REQUIRE(s.collection({"new", "seabed", "--query", "nomatchqq"}).exit_code == 0);
      REQUIRE(s.collection({"add", "seabed", seabed}).exit_code == 0);
      fs::remove(s.docs + "/" + c.gone);
      REQUIRE(s.index({"--rebuild"}).exit_code == 0);
      CHECK(s.id_of("wombat") == wombat);
      const auto show = s.show("seabed");
      REQUIRE(show["documents"].size() == 1);
      CHECK(show["documents"][0]["id"] == seabed);
      CHECK(show["documents"][0]["in_index"] == false);
      const RunResult csv = s.collection({"export", "seabed", "--format", "csv"});
      CHECK(csv.out.find("report.txt") == std::string::npos);
      CHECK(csv.err.find("no longer in the index") != std::string::npos);
      const RunResult refresh = s.collection({"refresh", "seabed"});
      CHECK(refresh.out.find("0 new, 0 gone") != std::string::npos);
      // A file of the same stem that comes later gets an id of its own: the collection holds "report".
      write(s.docs + "/report.html",
            "<html><head><title>Koala</title></head><body><article><p>Koala page about quendor, a long "
            "paragraph of body text to keep.</p></article></body></html>");
      REQUIRE(s.index().exit_code == 0);
      CHECK(s.id_of("quendor") != seabed);
      CHECK(s.show("seabed")["documents"][0]["in_index"] == false);
      REQUIRE(s.index({"--rebuild"}).exit_code == 0);
      CHECK(s.id_of("quendor") != seabed);
      CHECK(s.show("seabed")["documents"][0]["in_index"] == false);
    }
  }
}

TEST_CASE("incremental index never gives a deleted file's id to a file of another name", "[rt11i][ids]") {
  struct Case {
    const char* what;
    std::vector<std::string> flags;  // of the run that meets the deletion and the new file
    bool prune_first;                // the deletion pruned in a run of its own before the new file comes
  };
  const std::vector<Case> cases = {
      {"deleted and replaced in one run, --prune", {"--prune"}, false},
      {"deleted and replaced in one run, no --prune", {}, false},
      {"deleted and pruned, then a new file", {}, true},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    Shelf s;
    write(s.docs + "/report.txt", "Wombat draft text about zintar.\n");
    write(s.docs + "/other.txt", "Other text about nothing much.\n");  // the folder is never empty
    REQUIRE(s.index().exit_code == 0);
    REQUIRE(s.id_of("zintar") == "report");
    REQUIRE(s.collection({"new", "w", "--query", "zintar"}).exit_code == 0);
    fs::remove(s.docs + "/report.txt");
    if (c.prune_first) REQUIRE(s.index({"--prune"}).exit_code == 0);
    write(s.docs + "/report.md", "# Koala\n\nKoala markdown text about quendor.\n");
    const RunResult r = s.index(c.flags);
    REQUIRE(r.exit_code == 0);
    CHECK(s.id_of("quendor") != "report");
    CHECK(r.out.find("moved to another file") == std::string::npos);
    const auto show = s.show("w");
    REQUIRE(show["documents"].size() == 1);
    CHECK(show["documents"][0]["id"] == "report");
    // Without --prune the deleted file's document is kept: still the wombat note, not the koala one.
    if (!c.prune_first && c.flags.empty()) {
      CHECK(show["documents"][0]["in_index"] == true);
      CHECK(s.id_of("zintar") == "report");
    } else {
      CHECK(show["documents"][0]["in_index"] == false);
    }
  }
}

TEST_CASE("rebuild: a file moved (same content, another path) keeps its document's id and collection", "[rt11i][ids]") {
  Shelf s;
  write(s.docs + "/2023/report.txt", "Wombat draft text about zintar.\n");
  write(s.docs + "/2024/report.txt", "Koala text about quendor.\n");
  REQUIRE(s.index().exit_code == 0);
  REQUIRE(s.id_of("zintar") == "2023/report");
  REQUIRE(s.collection({"new", "w", "--query", "zintar"}).exit_code == 0);
  fs::create_directories(s.docs + "/archive");
  fs::rename(s.docs + "/2023/report.txt", s.docs + "/archive/wombat.txt");
  REQUIRE(s.index({"--rebuild"}).exit_code == 0);
  CHECK(s.id_of("zintar") == "2023/report");
  CHECK(s.id_of("quendor") == "2024/report");
  const auto show = s.show("w");
  REQUIRE(show["documents"].size() == 1);
  CHECK(show["documents"][0]["in_index"] == true);
  // A new file at the moved file's old name is another document: the id is taken.
  write(s.docs + "/2023/report.md", "Platypus text about vorpal.\n");
  REQUIRE(s.index().exit_code == 0);
  CHECK(s.id_of("vorpal") != "2023/report");
  REQUIRE(s.index({"--rebuild"}).exit_code == 0);
  CHECK(s.id_of("vorpal") != "2023/report");
  CHECK(s.id_of("zintar") == "2023/report");
}
