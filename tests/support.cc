// Test helpers. See support.h.
#include "support.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace quire::test {

namespace fs = std::filesystem;

TempDir::TempDir() {
  std::string tmpl = (fs::temp_directory_path() / "quire-test-XXXXXX").string();
  if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

std::string TempDir::write(const std::string& name, const std::string& content) const {
  const fs::path p = fs::path(path_) / name;
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << content;
  return p.string();
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write(const std::string& path, const std::string& bytes) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream(path, std::ios::binary) << bytes;
}

RunResult run_quire(const std::vector<std::string>& args, const std::vector<std::string>& env) {
  std::vector<std::string> argv = {QUIRE_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_program(argv, env);
}

int spawn_quire(const std::vector<std::string>& args, const std::vector<std::string>& env, const std::string& out,
                const std::string& err) {
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    const int in = ::open("/dev/null", O_RDONLY);
    const int o = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int e = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(in, 0);
    ::dup2(o, 1);
    ::dup2(e, 2);
    for (const auto& v : env) ::putenv(const_cast<char*>(v.c_str()));
    std::vector<char*> argv = {const_cast<char*>(QUIRE_BINARY)};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(QUIRE_BINARY, argv.data());
    ::_exit(127);
  }
  return pid;
}

RunResult run_program(const std::vector<std::string>& args, const std::vector<std::string>& env) {
  TempDir tmp;
  const std::string out_path = tmp.path() + "/out", err_path = tmp.path() + "/err";
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    const int in = ::open("/dev/null", O_RDONLY);
    const int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(in, 0);
    ::dup2(out, 1);
    ::dup2(err, 2);
    for (const auto& e : env) ::putenv(const_cast<char*>(e.c_str()));
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execvp(argv[0], argv.data());
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  RunResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = read_file(out_path);
  r.err = read_file(err_path);
  return r;
}

const std::string& corpus_index() {
  static TempDir dir;
  static const std::string db = [] {
    const std::string path = dir.path() + "/index";
    const auto r = run_quire({"index", "--db", path, source_dir() + "/corpus"});
    if (r.exit_code != 0) throw std::runtime_error("indexing corpus/ failed: " + r.err);
    return path;
  }();
  return db;
}

std::string ungdc_index(const TempDir& dir, const std::vector<std::string>& members) {
  const std::string data = shared_dir() + "/data/ungdc";
  if (!std::filesystem::exists(data + "/ungdc-txt.tar.xz")) return "";
  std::vector<std::string> cmd = {"tar", "-xJf", data + "/ungdc-txt.tar.xz", "-C", dir.path()};
  cmd.insert(cmd.end(), members.begin(), members.end());
  auto r = run_program(cmd);
  if (r.exit_code != 0) throw std::runtime_error("cannot unpack UNGDC: " + r.err);
  std::filesystem::copy_file(source_dir() + "/benchmarks/ungdc/metadata.xml", dir.path() + "/metadata.xml");
  std::filesystem::copy_file(data + "/speakers_by_session.tsv", dir.path() + "/speakers_by_session.tsv");
  const std::string index = dir.path() + "/index";
  r = run_quire({"index", "--db", index, "--metadata", dir.path() + "/metadata.xml", dir.path() + "/TXT"});
  if (r.exit_code != 0) throw std::runtime_error("cannot index UNGDC: " + r.out + r.err);
  return index;
}

const std::string& pdf_index(std::string* index_output) {
  static TempDir dir;
  static std::string output;
  static const std::string db = [] {
    const std::string pdfs = shared_dir() + "/data/pdf";
    if (!std::filesystem::exists(pdfs)) return std::string();
    const std::string path = dir.path() + "/index";
    const auto r = run_quire({"index", "--db", path, pdfs});
    output = r.out + r.err;
    if (r.exit_code != 1) throw std::runtime_error("indexing " + pdfs + " did not exit 1: " + output);
    return path;
  }();
  if (index_output) *index_output = output;
  return db;
}

std::string source_dir() { return QUIRE_SOURCE_DIR; }
std::string shared_dir() { return QUIRE_SHARED_DIR; }

}  // namespace quire::test
