// HTML extraction speed: libxml2's bare parse (htmlReadMemory, the same flags quire uses) beside
// quire's whole HTML reader (parse, main content, metadata, furniture) on the same pages, one core, in
// one run, timed in CPU seconds of the thread. Usage: html-speed [--rounds N] FILE...   Prints one line per side: pages/s and MB/s.
#include <libxml/HTMLparser.h>

#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "quire/html_reader.h"

namespace {

std::string slurp(const char* path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// CPU time of this thread: pages per CPU-second is throughput per core, also on a shared machine where
// wall-clock time counts other processes' turns.
double cpu_now() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

}  // namespace

int main(int argc, char** argv) {
  int rounds = 3;
  std::vector<std::string> pages;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--rounds") == 0 && i + 1 < argc) {
      rounds = std::atoi(argv[++i]);
    } else {
      pages.push_back(slurp(argv[i]));
    }
  }
  if (pages.empty() || rounds < 1) {
    std::fprintf(stderr, "usage: html-speed [--rounds N] FILE...\n");
    return 2;
  }
  double bytes = 0;
  for (const auto& p : pages) bytes += static_cast<double>(p.size());
  xmlInitParser();
  const int flags = HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET | HTML_PARSE_RECOVER |
                    HTML_PARSE_COMPACT | HTML_PARSE_NOBLANKS;
  // Alternate the two sides round by round so both see the same cache and frequency conditions.
  double bare = 0, quire_s = 0;
  std::size_t blocks = 0;
  for (int r = 0; r < rounds; ++r) {
    double t0 = cpu_now();
    for (const auto& p : pages) {
      xmlDocPtr d = htmlReadMemory(p.data(), static_cast<int>(p.size()), nullptr, "UTF-8", flags);
      if (d != nullptr) xmlFreeDoc(d);
    }
    bare += cpu_now() - t0;
    t0 = cpu_now();
    for (const auto& p : pages) blocks += quire::extract_html(p).blocks.size();
    quire_s += cpu_now() - t0;
  }
  const double n = static_cast<double>(pages.size()) * rounds, mb = bytes * rounds / 1e6;
  std::printf("libxml2 htmlReadMemory (bare parse): %.0f pages/s, %.1f MB/s per CPU-second\n", n / bare, mb / bare);
  std::printf("quire extract_html (end to end):     %.0f pages/s, %.1f MB/s  (%zu blocks)\n", n / quire_s,
              mb / quire_s, blocks / static_cast<std::size_t>(rounds));
  return 0;
}
