// The command line of a well-kept tool (issue 17, item 8): the man page names every command and option
// the program's option tables hold, bash completion completes them, `cmake --install` gives a quire that
// runs with no source tree around, and the JSON query echo carries the filters given as flags.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "quire/searcher.h"
#include "support.h"

using quire::test::corpus_index;
using quire::test::read_file;
using quire::test::run_program;
using quire::test::run_quire;
using quire::test::source_dir;
using quire::test::TempDir;

namespace fs = std::filesystem;

namespace {

// The commands `quire help` lists: its lines "  NAME ..." under "commands:".
std::vector<std::string> commands() {
  const auto r = run_quire({"help"});
  REQUIRE(r.exit_code == 0);
  std::vector<std::string> out;
  std::istringstream in(r.out.substr(r.out.find("commands:")));
  std::string line;
  const std::regex command("^  ([a-z]+)( |$).*");
  std::smatch m;
  while (std::getline(in, line))
    if (std::regex_match(line, m, command)) out.push_back(m[1]);
  return out;
}

// The actions of `quire collection`, from its usage line "collection new|add|...".
std::vector<std::string> collection_actions() {
  const auto r = run_quire({"help"});
  const std::regex actions("collection ([a-z|]+)");
  std::smatch m;
  REQUIRE(std::regex_search(r.out, m, actions));
  std::vector<std::string> out;
  std::istringstream in(m[1].str());
  std::string a;
  while (std::getline(in, a, '|')) out.push_back(a);
  return out;
}

// The positional arguments each command takes through a hidden option of its table: they show in
// --help as "--query arg", but are written as plain words.
const std::map<std::string, std::set<std::string>> kPositional = {
    {"search", {"query"}}, {"similar", {"query"}},       {"facets", {"query"}},     {"index", {"path"}},
    {"tag", {"file"}},     {"convert", {"file"}},        {"collection", {"words"}}, {"batch", {"input"}},
    {"eval", {"file"}},    {"import", {"format", "dir"}}};

// The options of `quire CMD --help`: lines "  --name ..." or "  -n [ --name ] ...".
std::set<std::string> options_of(const std::string& command) {
  const auto r = run_quire({command, "--help"});
  INFO(command << ": " << r.err);
  REQUIRE(r.exit_code == 0);
  std::set<std::string> out;
  std::istringstream in(r.out);
  std::string line;
  const std::regex option("^  (-[A-Za-z] \\[ )?--([a-z0-9][a-z0-9-]*).*");
  std::smatch m;
  while (std::getline(in, line)) {
    if (!std::regex_match(line, m, option)) continue;
    const auto p = kPositional.find(command);
    if (p != kPositional.end() && p->second.count(m[2])) continue;
    out.insert("--" + m[2].str());
  }
  return out;
}

// What bash completion offers for the words after `quire` (the last one being completed).
std::vector<std::string> complete(const std::vector<std::string>& words) {
  std::string script =
      "source '" + source_dir() + "/scripts/completion/quire.bash'; COMP_WORDS=('" + QUIRE_BINARY + "'";
  for (const auto& w : words) script += " '" + w + "'";
  script += "); COMP_CWORD=" + std::to_string(words.size()) + "; _quire; printf '%s\\n' \"${COMPREPLY[@]}\"";
  const auto r = run_program({"bash", "--norc", "-c", script});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  std::vector<std::string> out;
  std::istringstream in(r.out);
  std::string line;
  while (std::getline(in, line))
    if (!line.empty()) out.push_back(line);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("the man page names every command, collection action and option of the option tables", "[cli][man]") {
  const std::string man = read_file(source_dir() + "/docs/quire.1");
  REQUIRE(man.rfind(".TH QUIRE 1", 0) == 0);
  const auto cmds = commands();
  REQUIRE(cmds.size() >= 12);
  for (const auto& c : cmds) {
    INFO(c);
    CHECK(man.find(".SS \"quire " + c) != std::string::npos);  // a subsection per command
    for (const auto& o : options_of(c)) {
      INFO(o);
      // roff writes a hyphen as \-: "--max-query-bytes" is "\-\-max\-query\-bytes"; the name must be
      // whole there ("\-\-max" inside "\-\-max\-query\-bytes" does not count).
      std::string roff;
      for (const char ch : o) roff += ch == '-' ? std::string("\\-") : std::string(1, ch);
      bool found = false;
      for (std::size_t at = man.find(roff); at != std::string::npos && !found; at = man.find(roff, at + 1)) {
        const std::size_t end = at + roff.size();
        found = end >= man.size() ||
                (!std::isalnum(static_cast<unsigned char>(man[end])) && man.compare(end, 2, "\\-") != 0);
      }
      CHECK(found);
    }
  }
  for (const auto& a : collection_actions()) {
    INFO(a);
    CHECK(man.find("\\fBcollection " + a) != std::string::npos);
  }
}

TEST_CASE("bash completion completes commands, actions, options and their values", "[cli][completion]") {
  if (run_program({"bash", "--version"}).exit_code != 0) FAIL("bash is not installed");
  struct Case {
    std::vector<std::string> words;
    std::vector<std::string> offered;
  };
  const std::vector<Case> cases = {
      {{"se"}, {"search", "serve"}},
      {{"col"}, {"collection"}},
      {{"--ver"}, {"--version"}},
      {{"search", "--li"}, {"--limit"}},
      {{"search", "--expl"}, {"--explain"}},
      {{"search", "--sort", ""}, {"-date", "date", "relevance"}},
      {{"batch", "--format", ""}, {"jsonl", "trec", "tsv"}},
      {{"search", "--format", "c"}, {"csl-json", "csv"}},
      {{"collection", "ex"}, {"exclude", "export"}},
      {{"collection", "new", "--b"}, {"--by"}},
      {{"help", "ba"}, {"batch"}},
      {{"import", "c"}, {"cacm", "cisi", "cran"}},
      {{"batch", "--for"}, {"--force", "--format"}},
      {{"import", "x", "--qrels", "/dev/nu"}, {"/dev/null"}},
  };
  for (const auto& c : cases) {
    INFO(c.words.back());
    CHECK(complete(c.words) == c.offered);
  }
  // Every command `quire help` lists, and every option each one's --help lists.
  std::vector<std::string> cmds = commands();
  std::vector<std::string> offered = complete({""});
  for (const auto& c : cmds) CHECK(std::find(offered.begin(), offered.end(), c) != offered.end());
  for (const auto& c : cmds) {
    INFO(c);
    const auto want = options_of(c);
    const auto got = complete({c, "--"});
    for (const auto& o : want) CHECK(std::find(got.begin(), got.end(), o) != got.end());
  }
}

TEST_CASE("cmake --install gives a quire that finds its schemas with no source tree around", "[cli][install]") {
  TempDir dir;
  const std::string build = fs::path(QUIRE_BINARY).parent_path().string();
  const std::string prefix = "/opt/quire";
  auto r = run_program({"cmake", "--install", build, "--prefix", prefix}, {"DESTDIR=" + dir.path()});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  const std::string root = dir.path() + prefix;
  const std::string quire = root + "/bin/quire";
  for (const std::string f :
       {"/bin/quire", "/share/quire/schemas/actors.xml", "/share/quire/schemas/themes.xml",
        "/share/quire/schemas/speakers.xml", "/share/quire/schemas/blocks.xml", "/share/quire/schemas/document.xsd",
        "/share/man/man1/quire.1", "/share/bash-completion/completions/quire", "/share/zsh/site-functions/_quire"}) {
    INFO(f);
    CHECK(fs::exists(root + f));
  }
  // A copy of corpus/ in the temporary folder, indexed and searched from there by the installed quire.
  fs::copy(source_dir() + "/corpus", dir.path() + "/corpus");
  const std::vector<std::string> env = {"QUIRE_SCHEMAS=", "QUIRE_DB=", "HOME=" + dir.path(), "XDG_DATA_HOME="};
  const std::string db = dir.path() + "/index";
  r = run_program({quire, "index", "--db", db, dir.path() + "/corpus"}, env);
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  r = run_program({quire, "search", "--db", db, "--json", "--actor", "pakistan", "all-weather"}, env);
  REQUIRE(r.exit_code == 0);
  CHECK(nlohmann::json::parse(r.out).at("total").get<int>() > 0);
  // The rule files read are the installed ones: broken, the installed quire says so and names them.
  std::ofstream(root + "/share/quire/schemas/actors.xml") << "<actors";
  r = run_program({quire, "search", "--db", db, "all-weather"}, env);
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains(root + "/share/quire/schemas/actors.xml"));
}

TEST_CASE("the JSON query echo carries the filters given as flags", "[cli][json]") {
  auto r = run_quire({"search", "--db", corpus_index(), "--json", "--actor", "pakistan", "--published", "2020..2025",
                      "--actor", "china", "military"});
  REQUIRE((r.exit_code == 0 || r.exit_code == 1));
  auto j = nlohmann::json::parse(r.out);
  CHECK(j.at("query") == "military");
  CHECK(j.at("filters") == nlohmann::json({{"actor", {"pakistan", "china"}}, {"published", {"2020..2025"}}}));
  r = run_quire({"facets", "--db", corpus_index(), "--json", "--theme", "security"});
  REQUIRE(r.exit_code == 0);
  CHECK(nlohmann::json::parse(r.out).at("filters") == nlohmann::json({{"theme", {"security"}}}));
  r = run_quire({"search", "--db", corpus_index(), "--json", "military"});
  CHECK(nlohmann::json::parse(r.out).count("filters") == 0);
}

TEST_CASE("search --help names every field a query takes, and help --help is the usage", "[cli][usage]") {
  const auto help = run_quire({"search", "--help"});
  REQUIRE(help.exit_code == 0);
  for (const auto& f : quire::Searcher::fields()) {
    INFO(f);
    CHECK(help.out.find(f + ":") != std::string::npos);
  }
  CHECK_THAT(help.out, Catch::Contains("like:"));
  const auto usage = run_quire({"help", "--help"});
  CHECK(usage.exit_code == 0);
  CHECK(usage.out == run_quire({"help"}).out);
}

TEST_CASE("NO_COLOR means no colour on a terminal, as TERM=dumb does", "[cli][color]") {
  if (run_program({"script", "--version"}).exit_code != 0) FAIL("script(1) is not installed");
  const std::string cmd = std::string(QUIRE_BINARY) + " search --db '" + corpus_index() + "' '\"all-weather\"'";
  CHECK_THAT(run_program({"script", "-qec", cmd, "/dev/null"}, {"TERM=xterm"}).out, Catch::Contains("\033["));
  const auto plain = run_program({"script", "-qec", cmd, "/dev/null"}, {"TERM=xterm", "NO_COLOR=1"});
  CHECK_THAT(plain.out, Catch::Contains("all-weather"));
  CHECK_THAT(plain.out, !Catch::Contains("\033["));
}
