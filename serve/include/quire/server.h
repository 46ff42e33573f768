/** @file
 *  @brief `quire serve`: the librarians' web pages and the HTTP JSON API (docs/http-api.md) over one
 *  index, on cpp-httplib. Reads run on a pool of Searchers that move to the newest commit before each
 *  request (so a concurrent `quire index` shows up); changes to collections are POSTs checked for the
 *  Host, the Origin and a per-process CSRF token, and refused with --read-only.
 *
 *  Connections: cpp-httplib gives each connection a thread for as long as it stays open. The pool
 *  grows to `max_threads`, so idle keep-alive connections do not hold up new ones, and searches run at
 *  most `search_threads` at a time, so the cores are not oversubscribed.
 */
#pragma once

#include <cstddef>
#include <ctime>
#include <memory>
#include <string>
#include <vector>

#include "quire/tagging.h"

namespace quire {

struct ServeOptions {
  std::string db;
  std::string host = "127.0.0.1";
  int port = 8080;  ///< 0: any free port (see WebServer::port)
  bool read_only = false;
  /// Host header values accepted besides 127.0.0.1, localhost, [::1] and `host` (with or without the
  /// port): the names a LAN uses for this machine.
  std::vector<std::string> allowed_hosts;
  unsigned search_threads = 0;    ///< concurrent searches; 0: the number of cores
  std::size_t min_threads = 8;    ///< connection threads started at once
  std::size_t max_threads = 512;  ///< connection threads at most; past it new connections wait
  std::time_t keep_alive_seconds = 5;
  std::size_t keep_alive_requests = 100;  ///< requests per connection before it is closed
  std::time_t read_timeout_seconds = 5;
  std::time_t write_timeout_seconds = 10;
  std::size_t max_body_bytes = 64 * 1024;
  std::size_t max_query_bytes = 4096;
  std::size_t max_limit = 1000;          ///< results per request
  double time_limit_seconds = 2.0;       ///< per search
  std::time_t search_wait_seconds = 10;  ///< a request waits this long for a free searcher, then 503
};

class WebServer {
 public:
  /// Opens the index (throws IndexError as Searcher does) and sets up the routes. `tagger` is kept by
  /// the caller.
  WebServer(const ServeOptions& options, const Tagger* tagger);
  ~WebServer();
  WebServer(const WebServer&) = delete;
  WebServer& operator=(const WebServer&) = delete;

  /// Binds the listening socket; returns the port. Throws std::runtime_error when it cannot.
  int bind();
  /// Serves until stop(). Returns false if the server could not run.
  bool run();
  /// Thread-safe; run() returns soon after.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace quire
