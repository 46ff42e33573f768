#include "cli.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>

namespace quire::cli {

std::string default_db() {
  if (const char* env = std::getenv("QUIRE_DB"); env && *env) return env;
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg) return std::string(xdg) + "/quire/index";
  if (const char* home = std::getenv("HOME"); home && *home) return std::string(home) + "/.local/share/quire/index";
  return "quire-index";
}

po::variables_map parse(const std::vector<std::string>& args, const po::options_description& opts,
                        const po::positional_options_description& pos) {
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(opts).positional(pos).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw UsageError(e.what());
  }
  return vm;
}

bool wants_help(const po::variables_map& vm, const po::options_description& opts, const char* synopsis) {
  if (!vm.count("help")) return false;
  std::cout << synopsis << "\n\n" << opts;
  return true;
}

std::string clock_time(double seconds) {
  const long s = std::lround(seconds);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
  return buf;
}

std::string schema_dir(const std::string& given) {
  if (!given.empty()) return given;
  if (const char* env = std::getenv("QUIRE_SCHEMAS"); env && *env) return env;
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    for (const auto& candidate : {exe.parent_path().parent_path() / "schemas", exe.parent_path() / "schemas",
                                  exe.parent_path().parent_path() / "share" / "quire" / "schemas"}) {
      if (std::filesystem::exists(candidate / "actors.xml", ec)) return candidate.string();
    }
  }
  return QUIRE_SOURCE_SCHEMAS;
}

}  // namespace quire::cli
