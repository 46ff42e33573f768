// A search's time limit bounds its match (issue 11, rt11d row 6): queries whose match runs long (a
// phrase of 999 common words, NEAR chains, OR of hundreds of phrases, with exact counts and facets) stop
// near --timeout-ms in search, facets and batch, and near --time-limit in serve, and say they stopped.
// On a real-sized index: three sessions of UN General Debate speeches from ../shared/data.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <vector>

#include "support.h"

using quire::test::read_file;
using quire::test::run_program;
using quire::test::run_quire;
using quire::test::shared_dir;
using quire::test::TempDir;

namespace fs = std::filesystem;

namespace {

// Sessions 76 to 78 (2021-2023): 580 speeches, 14,000 passages. "" without the data.
const std::string& sessions_index() {
  static TempDir dir;
  static const std::string db = [] {
    const std::string archive = shared_dir() + "/data/ungdc/ungdc-txt.tar.xz";
    if (!fs::exists(archive)) return std::string();
    auto r = run_program({"tar", "-xJf", archive, "-C", dir.path(), "TXT/Session 76 - 2021", "TXT/Session 77 - 2022",
                          "TXT/Session 78 - 2023"});
    if (r.exit_code != 0) FAIL("cannot unpack UNGDC: " << r.err);
    const std::string index = dir.path() + "/index";
    r = run_quire({"index", "--db", index, dir.path() + "/TXT"});
    if (r.exit_code != 0) FAIL("cannot index UNGDC: " << r.out << r.err);
    return index;
  }();
  return db;
}

std::string repeated(const std::string& words, int n, const std::string& joiner = " ") {
  std::string out;
  for (int i = 0; i < n; ++i) out += (i ? joiner : "") + words;
  return out;
}

struct Timed {
  quire::test::RunResult r;
  double cpu_seconds = 0;  ///< user and system time of the quire process
};

// Runs quire and takes the CPU time it used (wait4's rusage): a bound on that holds however loaded the
// machine is, and a match that ignores the time limit exceeds it.
Timed run_timed(const std::vector<std::string>& args) {
  TempDir tmp;
  const std::string out = tmp.path() + "/out", err = tmp.path() + "/err";
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    const int in = ::open("/dev/null", O_RDONLY);
    const int o = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int e = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(in, 0);
    ::dup2(o, 1);
    ::dup2(e, 2);
    std::vector<char*> argv = {const_cast<char*>(QUIRE_BINARY)};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(QUIRE_BINARY, argv.data());
    ::_exit(127);
  }
  int status = 0;
  rusage usage{};
  REQUIRE(::wait4(pid, &status, 0, &usage) == pid);
  Timed t;
  t.r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  t.r.out = read_file(out);
  t.r.err = read_file(err);
  t.cpu_seconds = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                  static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  return t;
}

// The costly queries, each inside the query limits (16 KB, 1000 words).
struct Costly {
  const char* name;
  std::string query;
};
std::vector<Costly> costly_queries() {
  return {{"a phrase of 999 'the'", "\"" + repeated("the", 999) + "\""},
          {"a phrase of 'of the' 499 times", "\"" + repeated("of the", 499) + "\""},
          {"NEAR over 500 'the'", repeated("the", 500, " NEAR ")},
          {"an OR of 490 phrases 'of the'", repeated("\"of the\"", 490)}};
}

// What a query costs with no limit at all is the CPU of its setting up (the rule files, the index):
// a bound of the limit plus that, plus a second for scheduling and sanitizers.
double startup_cpu(const std::string& db) {
  return run_timed({"search", "--db", db, "--json", "assembly"}).cpu_seconds;
}

// quire serve on a free port, its stderr read until it says where it listens; stopped with SIGTERM.
class Server {
 public:
  Server(const std::string& db, const std::string& time_limit) {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    pid_ = ::fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      const int null = ::open("/dev/null", O_RDWR);
      ::dup2(null, 0);
      ::dup2(null, 1);
      ::dup2(fds[1], 2);
      ::close(fds[0]);
      const char* argv[] = {QUIRE_BINARY,       "serve", "--db", db.c_str(), "--port", "0", "--time-limit",
                            time_limit.c_str(), nullptr};
      ::execv(QUIRE_BINARY, const_cast<char* const*>(argv));
      ::_exit(127);
    }
    ::close(fds[1]);
    std::string said;
    const std::regex at(R"(at http://[^ ]*:(\d+)/)");
    std::smatch m;
    char buf[512];
    while (!std::regex_search(said, m, at)) {
      const ssize_t n = ::read(fds[0], buf, sizeof buf);  // blocks until serve writes or exits
      if (n <= 0) break;
      said.append(buf, static_cast<std::size_t>(n));
    }
    err_fd_ = fds[0];
    INFO(said);
    REQUIRE(std::regex_search(said, m, at));
    port_ = std::stoi(m[1]);
  }
  ~Server() {
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    ::close(err_fd_);
  }
  // The CPU seconds serve has used so far (/proc/PID/stat: utime and stime, in clock ticks).
  double cpu_seconds() const {
    std::ifstream in("/proc/" + std::to_string(pid_) + "/stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::istringstream fields(stat.substr(stat.rfind(')') + 2));
    std::string f;
    double ticks = 0;
    for (int i = 3; i <= 15 && fields >> f; ++i)
      if (i >= 14) ticks += std::stod(f);
    return ticks / static_cast<double>(::sysconf(_SC_CLK_TCK));
  }
  // GET `target`: the response's status line and body.
  std::pair<std::string, std::string> get(const std::string& target) const {
    const int s = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(s >= 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port_));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    const std::string request =
        "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port_) + "\r\nConnection: close\r\n\r\n";
    REQUIRE(::write(s, request.data(), request.size()) == static_cast<ssize_t>(request.size()));
    std::string response;
    char buf[65536];
    for (ssize_t n; (n = ::read(s, buf, sizeof buf)) > 0;) response.append(buf, static_cast<std::size_t>(n));
    ::close(s);
    const std::size_t head = response.find("\r\n\r\n");
    REQUIRE(head != std::string::npos);
    return {response.substr(0, response.find("\r\n")), response.substr(head + 4)};
  }

 private:
  pid_t pid_ = -1;
  int err_fd_ = -1;
  int port_ = 0;
};

std::string url_encode(const std::string& s) {
  std::string out;
  const char* hex = "0123456789ABCDEF";
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

#define SKIP_WITHOUT_UNGDC()                                         \
  if (sessions_index().empty()) {                                    \
    WARN("skipped: " << shared_dir() << "/data/ungdc is not there"); \
    return;                                                          \
  }

}  // namespace

TEST_CASE("search, facets and batch stop a costly match near --timeout-ms and say it timed out",
          "[cli][time-limit][ungdc]") {
  SKIP_WITHOUT_UNGDC();
  const std::string& db = sessions_index();
  const double limit = 0.1, bound = limit + startup_cpu(db) + 1.0;
  for (const auto& c : costly_queries()) {
    struct Way {
      const char* name;
      std::vector<std::string> args;
    };
    const std::vector<Way> ways = {
        {"search", {"search", "--db", db, "--json", "--timeout-ms", "100", c.query}},
        {"search --exact --facets",
         {"search", "--db", db, "--json", "--timeout-ms", "100", "--exact", "--facets", "actor,theme,published",
          c.query}},
        {"search --passages --explain",
         {"search", "--db", db, "--json", "--timeout-ms", "100", "--passages", "--explain", c.query}},
        {"facets", {"facets", "--db", db, "--json", "--timeout-ms", "100", c.query}},
    };
    for (const auto& w : ways) {
      INFO(c.name << ", " << w.name);
      const Timed t = run_timed(w.args);
      INFO(t.r.err);
      REQUIRE((t.r.exit_code == 0 || t.r.exit_code == 1));
      const auto j = nlohmann::json::parse(t.r.out);
      CHECK(j.value("timed_out", false));
      CHECK(t.cpu_seconds < bound);
    }
    // The terminal says so on its count line.
    const Timed text = run_timed({"search", "--db", db, "--timeout-ms", "100", "--color", "never", c.query});
    INFO(c.name << ": " << text.r.out << text.r.err);
    CHECK_THAT(text.r.out, Catch::Contains("the search stopped at its time limit"));
    CHECK(text.cpu_seconds < bound);
  }

  // A batch of them, on two threads: each answer says it timed out, and the batch takes about the
  // limit per query, not the match's own time.
  TempDir tmp;
  std::string lines;
  const auto queries = costly_queries();
  for (std::size_t i = 0; i < queries.size(); ++i) lines += "q" + std::to_string(i) + "\t" + queries[i].query + "\n";
  const std::string file = tmp.write("q.tsv", lines);
  const Timed batch = run_timed({"batch", "--db", db, "--threads", "2", "--timeout-ms", "100", file});
  INFO(batch.r.err);
  REQUIRE(batch.r.exit_code == 0);
  std::istringstream out(batch.r.out);
  std::size_t answers = 0;
  for (std::string line; std::getline(out, line);) {
    INFO(line.substr(0, 200));
    CHECK(nlohmann::json::parse(line).value("timed_out", false));
    ++answers;
  }
  CHECK(answers == queries.size());
  CHECK_THAT(batch.r.err, Catch::Contains("4 queries, 0 failed, 4 stopped at the time limit"));
  CHECK(batch.cpu_seconds < limit * static_cast<double>(queries.size()) + bound);
}

TEST_CASE("a cheap query is not cut by a time limit: the same answer with and without one",
          "[cli][time-limit][ungdc]") {
  SKIP_WITHOUT_UNGDC();
  const std::string& db = sessions_index();
  for (const std::string q : {"\"united nations\" climate", "security NEAR council", "sustainable development"}) {
    INFO(q);
    const auto free = run_quire({"search", "--db", db, "--json", "--exact", q});
    const auto bound = run_quire({"search", "--db", db, "--json", "--exact", "--timeout-ms", "60000", q});
    REQUIRE(free.exit_code == 0);
    CHECK(bound.out == free.out);
    CHECK_FALSE(nlohmann::json::parse(bound.out).contains("timed_out"));
  }
}

TEST_CASE("quire serve answers a costly query near its --time-limit and says it stopped", "[cli][time-limit][ungdc]") {
  SKIP_WITHOUT_UNGDC();
  const std::string& db = sessions_index();
  const Server server(db, "0.1");
  const double bound = 0.1 + 1.0;
  // Within serve's own limit of 4096 bytes a query (and 8 KB a URL).
  const std::vector<Costly> queries = {{"a phrase of 999 'the'", "\"" + repeated("the", 999) + "\""},
                                       {"a phrase of 'of the' 499 times", "\"" + repeated("of the", 499) + "\""},
                                       {"NEAR over 330 'the'", repeated("the", 330, " NEAR ")},
                                       {"an OR of 300 phrases 'of the'", repeated("\"of the\"", 300)}};
  for (const auto& c : queries) {
    INFO(c.name);
    double before = server.cpu_seconds();
    const auto [status, body] = server.get("/api/search?q=" + url_encode(c.query));
    INFO(status << " " << body.substr(0, 300));
    REQUIRE(status == "HTTP/1.1 200 OK");
    const auto j = nlohmann::json::parse(body);
    CHECK(j.value("timed_out", false));
    CHECK(j.value("time_limited", false));
    CHECK(server.cpu_seconds() - before < bound);

    // The page says so to the person reading it.
    before = server.cpu_seconds();
    const auto [page_status, page] = server.get("/?q=" + url_encode(c.query));
    REQUIRE(page_status == "HTTP/1.1 200 OK");
    CHECK_THAT(page, Catch::Contains("The search stopped at its time limit"));
    CHECK(server.cpu_seconds() - before < bound);
  }
}
