// write_file_durably (common/index_folder.h) makes its temporary file under a name nobody else holds
// and removes only that file: a user's NAME.tmp, or a link planted at that name, is never truncated,
// followed or deleted, and a failed write leaves nothing of its own behind.
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "quire/errors.h"
#include "quire/index_folder.h"
#include "support.h"

namespace fs = std::filesystem;
using quire::test::read_file;
using quire::test::TempDir;

namespace {

std::set<std::string> names_in(const std::string& dir) {
  std::set<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.insert(e.path().filename().string());
  return out;
}

}  // namespace

TEST_CASE("write_file_durably never truncates, follows or removes a file at its temporary names",
          "[index-folder][durable-write]") {
  struct Case {
    const char* name;
    void (*plant)(const std::string& dir, const std::string& victim);
  };
  const std::vector<Case> cases = {
      {"a user's file at NAME.tmp",
       [](const std::string& dir, const std::string&) { std::ofstream(dir + "/out.json.tmp") << "my notes\n"; }},
      {"a link at NAME.tmp to a file elsewhere",
       [](const std::string& dir, const std::string& victim) { fs::create_symlink(victim, dir + "/out.json.tmp"); }},
      {"a dangling link at NAME.tmp",
       [](const std::string& dir, const std::string&) { fs::create_symlink("/nonexistent/x", dir + "/out.json.tmp"); }},
      {"a folder at NAME.tmp",
       [](const std::string& dir, const std::string&) { fs::create_directory(dir + "/out.json.tmp"); }},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    TempDir tmp;
    const std::string dir = tmp.path() + "/d", victim = tmp.write("victim.txt", "precious\n");
    fs::create_directories(dir);
    c.plant(dir, victim);
    const std::string planted_target =
        fs::is_symlink(dir + "/out.json.tmp") ? fs::read_symlink(dir + "/out.json.tmp").string() : "";
    const std::string planted_text =
        fs::is_regular_file(fs::symlink_status(dir + "/out.json.tmp")) ? read_file(dir + "/out.json.tmp") : "";
    const std::set<std::string> before = names_in(dir);

    quire::write_file_durably(dir + "/out.json", "{\"a\": 1}\n");
    CHECK(read_file(dir + "/out.json") == "{\"a\": 1}\n");
    quire::write_file_durably(dir + "/out.json", "{\"a\": 2}\n");  // over its own file
    CHECK(read_file(dir + "/out.json") == "{\"a\": 2}\n");

    // What was there is as it was, and nothing else is left: the file written and the planted entry.
    std::set<std::string> after = names_in(dir);
    after.erase("out.json");
    CHECK(after == before);
    CHECK(read_file(victim) == "precious\n");
    if (!planted_target.empty()) CHECK(fs::read_symlink(dir + "/out.json.tmp").string() == planted_target);
    if (!planted_text.empty()) CHECK(read_file(dir + "/out.json.tmp") == planted_text);
  }
}

TEST_CASE("write_file_durably that fails removes its own temporary file and keeps the old file",
          "[index-folder][durable-write]") {
  TempDir tmp;
  const std::string dir = tmp.path();
  quire::write_file_durably(dir + "/out.json", "old\n");
  std::ofstream(dir + "/out.json.tmp") << "my notes\n";
  const std::set<std::string> before = names_in(dir);
  // A file-size limit makes the write fail after the temporary file exists (in a child, to keep the
  // limit there).
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    std::signal(SIGXFSZ, SIG_IGN);
    const rlimit small{1024, 1024};
    ::setrlimit(RLIMIT_FSIZE, &small);
    try {
      quire::write_file_durably(dir + "/out.json", std::string(100000, 'x'));
    } catch (const quire::IndexError&) {
      ::_exit(3);  // refused, as expected
    }
    ::_exit(0);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 3);
  CHECK(names_in(dir) == before);
  CHECK(read_file(dir + "/out.json") == "old\n");
  CHECK(read_file(dir + "/out.json.tmp") == "my notes\n");
}
