// quire serve: the web interface and the HTTP JSON API over one index (serve/, docs/http-api.md).
#include <pthread.h>
#include <unistd.h>

#include <csignal>
#include <iostream>
#include <thread>

#include "cli.h"
#include "quire/server.h"
#include "quire/tagging.h"
#include "quire/utf8.h"

namespace quire::cli {

int cmd_serve(const std::vector<std::string>& args) {
  ServeOptions o;
  std::string schemas;
  po::options_description opts("options");
  // clang-format off
  opts.add_options()
      ("help,h", "show this help")
      ("db", po::value<std::string>(&o.db)->default_value(default_db()), "index folder")
      ("schemas", po::value<std::string>(&schemas), "folder with actors.xml and themes.xml")
      ("host", po::value<std::string>(&o.host)->default_value(o.host),
       "address to listen on (anything but loopback lets other machines connect)")
      ("port", po::value<int>(&o.port)->default_value(o.port), "TCP port (0: any free port)")
      ("read-only", po::bool_switch(&o.read_only), "refuse every change (collections stay as they are)")
      ("allow-host", po::value<std::vector<std::string>>(&o.allowed_hosts),
       "also accept this Host header (the machine's LAN name; repeatable)")
      ("search-threads", po::value<unsigned>(&o.search_threads)->default_value(0),
       "searches run at once (0: the number of cores)")
      ("max-connections", po::value<std::size_t>(&o.max_threads)->default_value(o.max_threads),
       "connections served at once (one thread each); more wait")
      ("keep-alive", po::value<std::time_t>(&o.keep_alive_seconds)->default_value(o.keep_alive_seconds),
       "seconds an idle connection is kept open")
      ("time-limit", po::value<double>(&o.time_limit_seconds)->default_value(o.time_limit_seconds),
       "seconds a search may take; past it, what was found so far is ranked");
  // clang-format on
  const auto vm = parse(args, opts, {});
  if (wants_help(vm, opts,
                 "usage: quire serve [--db DIR] [--host 127.0.0.1] [--port 8080] [--read-only]\n"
                 "Serves the search pages at http://HOST:PORT/ and the JSON API under /api/ (docs/http-api.md)."))
    return kExitOk;
  if (o.port < 0 || o.port > 65535) throw UsageError("serve: --port must be between 0 and 65535");
  if (o.max_threads < 1 || o.max_threads > 10000)
    throw UsageError("serve: --max-connections must be between 1 and 10000");
  if (o.search_threads > 256) throw UsageError("serve: --search-threads must be at most 256");
  if (o.keep_alive_seconds < 1 || o.keep_alive_seconds > 3600)
    throw UsageError("serve: --keep-alive must be between 1 and 3600 seconds");
  if (!(o.time_limit_seconds > 0 && o.time_limit_seconds <= 600))
    throw UsageError("serve: --time-limit must be more than 0 and at most 600 seconds");
  o.min_threads = std::min(o.min_threads, o.max_threads);

  // SIGINT and SIGTERM are taken by one thread (sigwait), which stops the server: the request
  // threads, started after this, inherit the blocked mask.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  const Tagger tagger(schema_dir(schemas));
  WebServer server(o, &tagger);
  int port = 0;
  try {
    port = server.bind();
  } catch (const std::runtime_error& e) {
    throw UsageError(std::string("serve: ") + e.what());
  }
  const bool loopback =
      o.host == "127.0.0.1" || o.host == "localhost" || o.host == "::1" || o.host.rfind("127.", 0) == 0;
  if (!loopback)
    std::cerr << "quire: warning: listening on " << o.host
              << ", not loopback: anyone who can reach this machine can search the index"
              << (o.read_only ? "" : " and change its collections (consider --read-only)")
              << "; browsers must use 127.0.0.1, localhost or a name given with --allow-host\n";
  const std::string shown = o.host.find(':') != std::string::npos ? "[" + o.host + "]" : o.host;
  std::cerr << "quire: serving " << printable_line(o.db) << " at http://" << shown << ":" << port << "/"
            << (o.read_only ? " (read-only)" : "") << "; Ctrl-C stops" << std::endl;

  int caught = 0;
  std::thread watcher([&] {
    int sig = 0;
    if (sigwait(&stop_signals, &sig) == 0) caught = sig;
    server.stop();
  });
  const bool ok = server.run();
  if (caught == 0) ::kill(::getpid(), SIGTERM);  // run() ended on its own: wake the watcher (blocked here)
  watcher.join();
  std::cerr << "quire: stopped serving"
            << (caught == SIGINT    ? " (SIGINT)"
                : caught == SIGTERM ? " (SIGTERM)"
                                    : "")
            << "\n";
  return ok || caught != 0 ? kExitOk : kExitError;
}

}  // namespace quire::cli
