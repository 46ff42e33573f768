// quire serve: routes, security checks, the searcher pool and the connection pool. See server.h and
// docs/http-api.md.
#include "quire/server.h"

#include <httplib.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <deque>
#include <fstream>
#include <functional>
#include <iostream>
#include <limits>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <stdexcept>
#include <string_view>
#include <thread>

#include "assets.h"
#include "pages.h"
#include "quire/collections.h"
#include "quire/errors.h"
#include "quire/exports.h"
#include "quire/json_input.h"
#include "quire/output.h"
#include "quire/request.h"
#include "quire/searcher.h"
#include "quire/utf8.h"

namespace quire {
namespace {

using json = nlohmann::json;
using serve::Params;

// An error with its HTTP status; handlers throw it, the exception handler answers it.
struct HttpError : std::runtime_error {
  int status;
  HttpError(int s, const std::string& what) : std::runtime_error(what), status(s) {}
};

std::string dump(const json& j) { return quire::json_text(j); }

// A value the request sent (a path, a parameter, a header), quoted in an error message whole up to 200
// bytes: control characters (a NUL too) escaped and invalid UTF-8 repaired, in JSON and on a page alike.
std::string shown(const std::string& s) { return message_value(s, 200); }

// How long a collection change from the server waits for the index's write lock before it answers 409
// with Retry-After: long enough for another change (a moment), short of a `quire index` run; the
// command line waits kCollectionLockWait.
constexpr std::chrono::milliseconds kServeLockWait{500};
constexpr int kRetryAfterSeconds = 5;

// cpp-httplib 0.11 (Debian 12's) bounds a body only by its Content-Length: a chunked body, or one with
// neither, is read whole into memory whatever set_payload_max_length says, and so is a line (the request
// line, a header, a chunk's size) up to its '\n' however long, and any number of headers. So the server
// reads each connection through a LimitedStream of its own (process_and_close_socket is cpp-httplib's
// virtual seam for that): a request's head is held to kMaxHeadBytes and kMaxHeaderLines, its body to the
// body limit plus room for chunk framing (the decoded body is checked exactly in check_body()), and past
// either the stream fails the read, the answer is 431 or 413, and the connection is closed.
constexpr std::size_t kMaxHeadBytes = 32 * 1024;
constexpr std::size_t kMaxHeaderLines = 100;
constexpr std::size_t kChunkFraming = 16 * 1024;
// A request's head must be whole this long after its first byte (README: "a request's headers to 5 s"),
// however slowly it comes: a read timeout alone is per read, so a byte a second would hold a connection
// (and its thread) for ever.
constexpr std::chrono::seconds kHeadSeconds{5};
// The whole request, head and body, must be whole this long after its first byte: the head's deadline
// alone let a body trickled at a byte a second hold its connection and thread for hours (60,000 bytes).
// At the default body limit (64 KB) this asks for 6.5 KB/s at the least.
constexpr std::chrono::seconds kRequestSeconds{10};

enum class Over { none, head, body };
thread_local Over t_over = Over::none;    // what the stream of this thread's request ran past
thread_local bool t_close_after = false;  // a refusal left a body unread: close the connection
thread_local int t_bad_status = 0;        // HeadCheck refused this thread's request: 400 or 501 ...
thread_local std::string t_bad_why;       // ... for this reason

std::string lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

bool is_tchar(unsigned char c) {
  return std::isalnum(c) != 0 || (c != 0 && std::strchr("!#$%&'*+-.^_`|~", c) != nullptr);
}
bool is_token(std::string_view s) {
  return !s.empty() &&
         std::all_of(s.begin(), s.end(), [](char c) { return c != 0 && is_tchar(static_cast<unsigned char>(c)); });
}
std::string_view trim_ows(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}
std::vector<std::string_view> list_items(std::string_view s) {  // a header's comma-separated list
  std::vector<std::string_view> items;
  for (std::size_t start = 0;;) {
    const std::size_t comma = s.find(',', start);
    items.push_back(trim_ows(s.substr(start, comma == std::string_view::npos ? s.npos : comma - start)));
    if (comma == std::string_view::npos) return items;
    start = comma + 1;
  }
}

// The framing of a request's head (RFC 9112), checked on the bytes as they come, before cpp-httplib
// parses them. cpp-httplib 0.11 skips a header line that ends in a bare LF (and then waits, to the read
// timeout, for an end of the head that never comes), drops a line that starts with a space (obs-fold) or
// has no ':', reads Content-Length with strtoull ("1e3" is 1, "-1" is 2^64 - 1) and takes the first of
// two, reads a body as chunked when Content-Length is there too, and reads no body at all for a GET. Each
// of those lets a proxy in front and this server disagree on where a request ends (request smuggling).
// So a head that is not plainly framed is refused: 400 (501 for a transfer coding other than chunked),
// and the connection is closed, never read on as another request.
class HeadCheck {
 public:
  /// Takes the head's next byte. False once the head is refused: status() and why() say so.
  bool take(char c) {
    const bool after_cr = cr_;
    cr_ = c == '\r';
    if (after_cr && c != '\n') refuse(400, "a CR in the request's head that does not end a line");
    if (c == '\n') {
      if (!after_cr)
        refuse(400, "a line of the request's head ends in a bare LF (each line must end in CRLF)");
      else if (why_.empty())
        line_done();
      line_.clear();
      ++lines_;
    } else if (c != '\r') {
      line_ += c;
    }
    return why_.empty();
  }
  /// The empty line that ends the head has been taken.
  bool ended() const { return ended_; }
  /// Lines ended so far (the request line is the first).
  std::size_t lines() const { return lines_; }
  /// The head, ended and not refused, says its body is chunked.
  bool chunked() const { return ended_ && why_.empty() && !codings_.empty(); }
  int status() const { return status_; }
  const std::string& why() const { return why_; }

 private:
  void refuse(int status, std::string why) {
    if (!why_.empty()) return;
    status_ = status;
    why_ = std::move(why);
  }
  void line_done() {
    if (lines_ == 0) return request_line();
    if (line_.empty()) {
      ended_ = true;
      return head_done();
    }
    field();
  }

  void request_line() {
    const std::size_t sp1 = line_.find(' ');
    const std::size_t sp2 = sp1 == std::string::npos ? sp1 : line_.find(' ', sp1 + 1);
    if (sp2 == std::string::npos || line_.find(' ', sp2 + 1) != std::string::npos)
      return refuse(
          400, "the request line '" + message_value(line_, 80) + "' is not METHOD TARGET HTTP/1.1 with single spaces");
    method_ = line_.substr(0, sp1);
    const std::string target = line_.substr(sp1 + 1, sp2 - sp1 - 1);
    version_ = line_.substr(sp2 + 1);
    if (!is_token(method_)) return refuse(400, "the method '" + message_value(method_, 40) + "' is not a token");
    if (target.empty() || std::any_of(target.begin(), target.end(),
                                      [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }))
      return refuse(400,
                    "the request target '" + message_value(target, 80) + "' is empty or holds a control character");
    if (version_ != "HTTP/1.1" && version_ != "HTTP/1.0")
      return refuse(400, "HTTP version '" + message_value(version_, 40) + "' is not served (HTTP/1.1 or 1.0)");
  }

  void field() {
    if (line_[0] == ' ' || line_[0] == '\t')
      return refuse(
          400, "a header line starts with a space or tab (obs-fold, RFC 9112 5.2): '" + message_value(line_, 60) + "'");
    const std::size_t colon = line_.find(':');
    if (colon == std::string::npos) return refuse(400, "the header line '" + message_value(line_, 60) + "' has no ':'");
    const std::string name = line_.substr(0, colon);
    if (!is_token(name))
      return refuse(400, "the header name '" + message_value(name, 60) +
                             "' is not a token (no space before the ':', no control character)");
    const std::string_view value = trim_ows(std::string_view(line_).substr(colon + 1));
    if (std::any_of(value.begin(), value.end(), [](char c) {
          const auto u = static_cast<unsigned char>(c);
          return (u < 0x20 && u != '\t') || u == 0x7f;
        }))
      return refuse(400, "the header " + name + " holds a control character: '" + message_value(value, 60) + "'");
    const std::string key = lower(name);
    if (key == "content-length") return content_length(value);
    if (key == "transfer-encoding") {
      coding_text_ += (coding_text_.empty() ? "" : ", ") + std::string(value);
      for (const auto item : list_items(value)) codings_.push_back(lower(std::string(item)));
    }
  }

  // Content-Length: digits only; a list ("5, 5") or a repeated header only of one value.
  void content_length(std::string_view value) {
    for (const auto item : list_items(value)) {
      if (item.empty() || item.find_first_not_of("0123456789") != std::string_view::npos)
        return refuse(400, "Content-Length '" + message_value(value, 40) + "' is not a number of bytes (digits only)");
      std::uint64_t n = 0;
      for (const char d : item) {
        const auto digit = static_cast<std::uint64_t>(d - '0');
        if (n > (std::numeric_limits<std::uint64_t>::max() - digit) / 10)
          return refuse(400, "Content-Length '" + message_value(value, 40) + "' is too large a number");
        n = n * 10 + digit;
      }
      if (length_ && *length_ != n)
        return refuse(400, "two different Content-Length values (" + std::to_string(*length_) + " and " +
                               std::to_string(n) + ")");
      length_ = n;
    }
  }

  void head_done() {
    const bool te = !codings_.empty();
    if (te && length_)
      return refuse(400,
                    "a request with both Content-Length and Transfer-Encoding (RFC 9112 6.3): its length "
                    "could be read two ways");
    if (te && version_ == "HTTP/1.0") return refuse(400, "Transfer-Encoding in an HTTP/1.0 request");
    if (te && (codings_.back() != "chunked" || std::count(codings_.begin(), codings_.end(), "chunked") > 1))
      return refuse(400, "Transfer-Encoding '" + message_value(coding_text_, 60) +
                             "' does not end in one chunked: the body's length cannot be known");
    if (te && codings_.size() > 1)
      return refuse(501, "Transfer-Encoding '" + message_value(coding_text_, 60) + "' is not supported (only chunked)");
    // cpp-httplib reads no body for these: what was sent as one would be read as the next request.
    if ((method_ == "GET" || method_ == "HEAD") && (te || length_.value_or(0) > 0))
      return refuse(400, "a " + method_ + " request cannot carry a body (Content-Length or Transfer-Encoding)");
  }

  std::string line_;  // the line so far, without its CRLF
  std::size_t lines_ = 0;
  bool cr_ = false;
  bool ended_ = false;
  std::string method_, version_;
  std::optional<std::uint64_t> length_;
  std::vector<std::string> codings_;  // Transfer-Encoding's, lower case, in order
  std::string coding_text_;           // ... as sent
  int status_ = 0;
  std::string why_;
};

// The framing of a chunked body (RFC 9112 section 7.1), checked on the bytes as they come, before
// cpp-httplib reads them. cpp-httplib 0.11 reads a chunk size with strtoul ("0x14" is 20, "-14" a size
// near 2^64 that it then waits for, " 14" and "+14" are 20), skips the two bytes after a chunk's data
// without looking at them, ends chunk lines at a bare LF, and ignores what follows the size on its line.
// A proxy in front may read each of those another way. So the size must be plain HEXDIG, every line end
// CRLF and the data followed by CRLF, and a chunk extension (";name=value", ignored) well-formed;
// trailer fields, which quire does not use, are refused rather than read one way or the other.
class ChunkCheck {
 public:
  /// Takes the body's next `n` bytes (or as many as the body still has); returns how many it took, and
  /// sets why() once the framing is refused. done() once the last chunk and the empty line after it
  /// have been taken.
  std::size_t take(const char* p, std::size_t n) {
    std::size_t i = 0;
    while (i < n && why_.empty() && state_ != State::done) {
      if (state_ == State::data) {
        const std::size_t k = static_cast<std::size_t>(std::min<std::uint64_t>(left_, n - i));
        left_ -= k;
        i += k;
        if (left_ == 0) state_ = State::data_cr;
        continue;
      }
      step(p[i++]);
    }
    return i;
  }
  bool done() const { return state_ == State::done; }
  /// The size of the chunk whose size line was taken last.
  std::uint64_t last_size() const { return size_; }
  const std::string& why() const { return why_; }

 private:
  enum class State { size, ext, size_lf, data, data_cr, data_lf, end_cr, end_lf, done };
  void refuse(std::string why) { why_ = std::move(why); }
  static int hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }
  // chunk-ext = *( BWS ";" BWS name [ BWS "=" BWS ( token / quoted-string ) ] ), name a token.
  static bool valid_ext(std::string_view e) {
    const auto bws = [&e] {
      while (!e.empty() && (e.front() == ' ' || e.front() == '\t')) e.remove_prefix(1);
    };
    const auto token = [&e] {
      std::size_t n = 0;
      while (n < e.size() && is_tchar(static_cast<unsigned char>(e[n]))) ++n;
      e.remove_prefix(n);
      return n > 0;
    };
    bws();
    if (e.empty()) return false;  // spaces after the size and nothing else
    while (!e.empty()) {
      if (e.front() != ';') return false;
      e.remove_prefix(1);
      bws();
      if (!token()) return false;
      bws();
      if (e.empty() || e.front() != '=') continue;
      e.remove_prefix(1);
      bws();
      if (!e.empty() && e.front() == '"') {
        std::size_t i = 1;
        for (; i < e.size() && e[i] != '"'; ++i) {
          const auto u = static_cast<unsigned char>(e[i]);
          if ((u < 0x20 && u != '\t') || u == 0x7f) return false;
          if (e[i] == '\\') ++i;
        }
        if (i >= e.size()) return false;  // no closing quote
        e.remove_prefix(i + 1);
      } else if (!token()) {
        return false;
      }
      bws();
    }
    return true;
  }
  void step(char c) {
    switch (state_) {
      case State::size:
        if (const int h = hex(c); h >= 0) {
          if (size_ > (std::numeric_limits<std::uint64_t>::max() >> 4))
            return refuse("bad chunk size: '" + message_value(text_ + c, 40) + "...' overflows 64 bits");
          size_ = size_ * 16 + static_cast<std::uint64_t>(h);
          if (text_.size() < 40) text_ += c;
          ++digits_;
          return;
        }
        if (c == '\r' && digits_ > 0) {
          state_ = State::size_lf;
          return;
        }
        if ((c == ';' || c == ' ' || c == '\t') && digits_ > 0) {
          ext_ = c;
          state_ = State::ext;
          return;
        }
        if (c == '\n') return refuse("bad chunk size line: it ends in a bare LF (each line must end in CRLF)");
        return refuse("bad chunk size: '" + message_value(text_ + c, 40) +
                      "' is not hexadecimal digits only (no 0x, sign, space or empty size)");
      case State::ext:
        if (c == '\n') return refuse("bad chunk size line: it ends in a bare LF (each line must end in CRLF)");
        if (c != '\r') {
          if (ext_.size() >= 1024) return refuse("a chunk extension over 1024 bytes");
          ext_ += c;
          return;
        }
        if (ext_.find(';') == std::string::npos)
          return refuse("bad chunk size: '" + message_value(text_ + ext_, 40) +
                        "' is not hexadecimal digits only (no 0x, sign, space or empty size)");
        if (!valid_ext(ext_))
          return refuse("bad chunk extension '" + message_value(ext_, 60) +
                        "' (RFC 9112 7.1.1: ;name or ;name=value, a token or a quoted string)");
        state_ = State::size_lf;
        return;
      case State::size_lf:
        if (c != '\n') return refuse("bad chunk size line: a CR in it that does not end it");
        if (size_ == 0) {
          state_ = State::end_cr;
        } else {
          left_ = size_;
          state_ = State::data;
        }
        return;
      case State::data_cr:
        if (c == '\n') return refuse("chunk data is followed by a bare LF, not CRLF");
        if (c != '\r') return refuse("chunk data is not followed by CRLF (a chunk longer than its size)");
        state_ = State::data_lf;
        return;
      case State::data_lf:
        if (c != '\n') return refuse("chunk data is not followed by CRLF (a CR without its LF)");
        size_ = 0;
        digits_ = 0;
        text_.clear();
        ext_.clear();
        state_ = State::size;
        return;
      case State::end_cr:
        if (c == '\n') return refuse("the last chunk is followed by a bare LF, not CRLF");
        if (c != '\r') return refuse("trailer fields after the last chunk are not accepted");
        state_ = State::end_lf;
        return;
      case State::end_lf:
        if (c != '\n') return refuse("the last chunk is not followed by CRLF (a CR without its LF)");
        state_ = State::done;
        return;
      case State::data:
      case State::done:
        return;
    }
  }

  State state_ = State::size;
  std::uint64_t size_ = 0, left_ = 0;
  std::size_t digits_ = 0;
  std::string text_;  // the size's digits so far (up to 40), for the message
  std::string ext_;   // a chunk extension, from the ';' (or the space before it) to the CR
  std::string why_;
};

bool wait_for(int fd, short events, int timeout_ms) {
  pollfd p{fd, events, 0};
  int r;
  do {
    r = ::poll(&p, 1, timeout_ms);
  } while (r < 0 && errno == EINTR);
  return r > 0;
}

class LimitedStream : public httplib::Stream {
 public:
  LimitedStream(socket_t sock, time_t read_s, time_t write_s, std::size_t body_max)
      : sock_(sock),
        read_ms_(static_cast<int>(read_s * 1000)),
        write_ms_(static_cast<int>(write_s * 1000)),
        body_max_(body_max + kChunkFraming) {}

  void start_request() {
    head_ = body_ = 0;
    in_body_ = false;
    check_ = HeadCheck();
    chunks_ = ChunkCheck();
    timed_out_ = false;
    written_ = 0;
    t_over = Over::none;
    t_close_after = false;
    t_bad_status = 0;
    t_bad_why.clear();
  }
  bool buffered() const { return pos_ < end_; }

  bool is_readable() const override { return buffered() || wait_for(sock_, POLLIN, read_ms_); }
  bool is_writable() const override { return wait_for(sock_, POLLOUT, write_ms_); }

  ssize_t read(char* ptr, std::size_t size) override {
    // cpp-httplib answers a request only once it has its request line: a refused one is passed on to
    // its end (cpp-httplib refuses it too, or fails at the read after it), a refused header at once.
    if (t_over != Over::none || (t_bad_status != 0 && check_.lines() > 0)) return -1;
    if (!buffered()) {
      if (late() || !wait_for(sock_, POLLIN, wait_ms())) {
        if (late()) {
          timed_out_ = true;
          t_bad_status = 408;
          t_bad_why = in_body_ ? "the request was not complete " + std::to_string(kRequestSeconds.count()) +
                                     " s after its first byte (its body came too slowly)"
                               : "the request's head was not complete " + std::to_string(kHeadSeconds.count()) +
                                     " s after its first byte";
        }
        return -1;
      }
      ssize_t n;
      do {
        n = ::recv(sock_, buf_, sizeof buf_, 0);
      } while (n < 0 && errno == EINTR);
      if (n <= 0) return n;
      pos_ = 0;
      end_ = static_cast<std::size_t>(n);
    }
    std::size_t n = 0;
    if (!in_body_) {
      // The head, byte by byte, to check its framing and see where it ends: at an empty line ("\r\n")
      // after the request line.
      while (n < size && buffered() && !in_body_) {
        const char c = buf_[pos_++];
        ptr[n++] = c;
        if (head_ == 0) {
          started_ = std::chrono::steady_clock::now();
          head_deadline_ = started_ + kHeadSeconds;
        }
        if (++head_ > kMaxHeadBytes) return over(Over::head);
        const bool request_line = check_.lines() == 0;
        if (!check_.take(c)) {
          t_bad_status = check_.status();
          t_bad_why = check_.why();
          if (!request_line) return -1;
        }
        if (check_.ended()) in_body_ = true;
        if (check_.lines() > kMaxHeaderLines + 1) return over(Over::head);
      }
      return static_cast<ssize_t>(n);
    }
    n = std::min(size, end_ - pos_);
    if (body_ + n > body_max_) return over(Over::body);
    if (check_.chunked()) {
      chunks_.take(buf_ + pos_, n);
      if (!chunks_.why().empty()) {
        t_bad_status = 400;
        t_bad_why = chunks_.why();
        return -1;
      }
      if (chunks_.last_size() > body_max_) return over(Over::body);
    }
    std::memcpy(ptr, buf_ + pos_, n);
    pos_ += n;
    body_ += n;
    return static_cast<ssize_t>(n);
  }

  ssize_t write(const char* ptr, std::size_t size) override {
    if (!is_writable()) return -1;
    ssize_t n;
    do {
      n = ::send(sock_, ptr, size, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    if (n > 0) written_ += static_cast<std::size_t>(n);
    return n;
  }

  /// The request's head ran past kHeadSeconds, or the request past kRequestSeconds, before it was whole.
  bool timed_out() const { return timed_out_; }
  /// Bytes of an answer written since start_request().
  std::size_t written() const { return written_; }

  void get_remote_ip_and_port(std::string& ip, int& port) const override { address(true, ip, port); }
  void get_local_ip_and_port(std::string& ip, int& port) const override { address(false, ip, port); }
  socket_t socket() const override { return sock_; }

 private:
  ssize_t over(Over what) {
    t_over = what;
    return -1;
  }
  // The deadline of what is being read: the head's, or once it is whole the request's.
  std::chrono::steady_clock::time_point deadline() const {
    return in_body_ ? started_ + kRequestSeconds : head_deadline_;
  }
  bool late() const { return head_ > 0 && std::chrono::steady_clock::now() >= deadline(); }
  // How long a read waits: the read timeout, and within a request no later than its deadline.
  int wait_ms() const {
    if (head_ == 0) return read_ms_;
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline() - std::chrono::steady_clock::now());
    // One more millisecond: poll() would return a part of one early, before the deadline.
    return static_cast<int>(std::clamp<long long>(left.count() + 1, 0, read_ms_));
  }
  void address(bool peer, std::string& ip, int& port) const {
    sockaddr_storage a{};
    socklen_t len = sizeof a;
    if ((peer ? ::getpeername(sock_, reinterpret_cast<sockaddr*>(&a), &len)
              : ::getsockname(sock_, reinterpret_cast<sockaddr*>(&a), &len)) != 0)
      return;
    char host[NI_MAXHOST], serv[NI_MAXSERV];
    if (::getnameinfo(reinterpret_cast<sockaddr*>(&a), len, host, sizeof host, serv, sizeof serv,
                      NI_NUMERICHOST | NI_NUMERICSERV) == 0) {
      ip = host;
      port = std::atoi(serv);
    }
  }

  socket_t sock_;
  int read_ms_, write_ms_;
  std::size_t body_max_;
  char buf_[4096];
  std::size_t pos_ = 0, end_ = 0;
  std::size_t head_ = 0, body_ = 0;
  bool in_body_ = false;
  HeadCheck check_;
  ChunkCheck chunks_;
  std::chrono::steady_clock::time_point started_, head_deadline_;
  bool timed_out_ = false;
  std::size_t written_ = 0;
};

class BoundedServer : public httplib::Server {
 public:
  std::size_t body_max = 64 * 1024;

 private:
  bool process_and_close_socket(socket_t sock) override {
    LimitedStream strm(sock, read_timeout_sec_, write_timeout_sec_, body_max);
    bool ok = true;
    for (std::size_t left = keep_alive_max_count_; left > 0; --left) {
      if (!strm.buffered() && !idle_until_readable(sock)) break;
      strm.start_request();
      bool closed = false;
      ok = process_request(strm, left == 1, closed, nullptr);
      if (strm.timed_out() && strm.written() == 0) {
        // cpp-httplib answers nothing to a request line that never ended.
        const std::string body = dump({{"error", t_bad_why}});
        const std::string answer = "HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Type: "
                                   "application/json\r\nContent-Length: " +
                                   std::to_string(body.size()) + "\r\n\r\n" + body;
        strm.write(answer.data(), answer.size());
        t_close_after = true;  // drained before the close, so that the answer is not lost to a reset
      }
      if (!ok || closed || t_over != Over::none || t_close_after || strm.timed_out()) break;
    }
    if (t_over != Over::none || t_close_after) {
      // The client may still be sending what was refused: stop writing, read a little more (so the
      // answer is not lost to a reset), then close.
      ::shutdown(sock, SHUT_WR);
      char sink[4096];
      std::size_t drained = 0;
      // A megabyte or two seconds at most: a client that dribbles what was refused holds no thread.
      const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(2);
      while (drained < 1024 * 1024 && std::chrono::steady_clock::now() < until && wait_for(sock, POLLIN, 1000)) {
        const ssize_t n = ::recv(sock, sink, sizeof sink, 0);
        if (n <= 0) break;
        drained += static_cast<std::size_t>(n);
      }
    }
    ::shutdown(sock, SHUT_RDWR);
    ::close(sock);
    return ok;
  }

  // Waits for the next request of a kept-alive connection, in short steps so that stop() ends it.
  bool idle_until_readable(socket_t sock) const {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(keep_alive_timeout_sec_);
    while (svr_sock_ != INVALID_SOCKET && std::chrono::steady_clock::now() < until)
      if (wait_for(sock, POLLIN, 100)) return true;
    return false;
  }
};

// A task queue whose threads grow with the connections open (up to a bound): cpp-httplib keeps a
// thread for each connection while it is kept alive, so a fixed pool stalls new connections behind
// idle ones.
class GrowingPool : public httplib::TaskQueue {
 public:
  GrowingPool(std::size_t min, std::size_t max) : max_(std::max<std::size_t>(1, max)) {
    std::lock_guard<std::mutex> lock(mutex_);
    for (std::size_t i = 0; i < std::min(min, max_); ++i) threads_.emplace_back([this] { work(); });
  }
  ~GrowingPool() override = default;

  void enqueue(std::function<void()> fn) override {
    std::lock_guard<std::mutex> lock(mutex_);
    jobs_.push_back(std::move(fn));
    if (jobs_.size() > idle_ && threads_.size() < max_) {
      threads_.emplace_back([this] { work(); });
    } else {
      ready_.notify_one();
    }
  }

  void shutdown() override {
    std::vector<std::thread> threads;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
      threads.swap(threads_);
    }
    ready_.notify_all();
    for (auto& t : threads) t.join();
  }

 private:
  void work() {
    for (;;) {
      std::function<void()> fn;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        ++idle_;
        ready_.wait(lock, [this] { return stop_ || !jobs_.empty(); });
        --idle_;
        if (jobs_.empty()) return;  // stopping
        fn = std::move(jobs_.front());
        jobs_.pop_front();
      }
      fn();
    }
  }

  std::size_t max_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> jobs_;
  std::vector<std::thread> threads_;
  std::size_t idle_ = 0;
  bool stop_ = false;
};

// Searchers for the request threads: at most `size` searches at once; each one moves to the newest
// commit before it is lent.
class SearcherPool {
 public:
  SearcherPool(std::string db, const Tagger* tagger, std::size_t size, std::time_t wait)
      : db_(std::move(db)), tagger_(tagger), size_(size), wait_(wait) {
    free_.push_back(std::make_unique<Searcher>(db_, tagger_));  // fails now if the index cannot be read
    created_ = 1;
  }

  class Lease {
   public:
    Lease(SearcherPool& pool, std::unique_ptr<Searcher> s) : pool_(pool), s_(std::move(s)) {}
    ~Lease() { pool_.give_back(std::move(s_)); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Searcher& operator*() { return *s_; }
    Searcher* operator->() { return s_.get(); }
    /// The searcher failed (the index was replaced under it): open a new one next time.
    void discard() { s_.reset(); }

   private:
    SearcherPool& pool_;
    std::unique_ptr<Searcher> s_;
  };

  std::unique_ptr<Lease> take() {
    std::unique_ptr<Searcher> s;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      if (!available_.wait_for(lock, std::chrono::seconds(wait_),
                               [this] { return !free_.empty() || created_ < size_; }))
        throw HttpError(503, "the server is busy; try again");
      if (!free_.empty()) {
        s = std::move(free_.back());
        free_.pop_back();
      } else {
        ++created_;
      }
    }
    try {
      if (s) {
        try {
          s->reopen();
        } catch (const IndexError&) {
          s.reset();  // the index was replaced (--rebuild) or damaged: open it afresh
        }
      }
      if (!s) s = std::make_unique<Searcher>(db_, tagger_);
    } catch (...) {
      std::lock_guard<std::mutex> lock(mutex_);
      --created_;
      available_.notify_one();
      throw;
    }
    return std::make_unique<Lease>(*this, std::move(s));
  }

 private:
  void give_back(std::unique_ptr<Searcher> s) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (s) {
      free_.push_back(std::move(s));
    } else {
      --created_;
    }
    available_.notify_one();
  }

  std::string db_;
  const Tagger* tagger_;
  std::size_t size_, created_ = 0;
  std::time_t wait_;
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Searcher>> free_;
};

std::string random_token() {
  std::ifstream in("/dev/urandom", std::ios::binary);
  unsigned char bytes[24];
  if (!in.read(reinterpret_cast<char*>(bytes), sizeof bytes)) throw std::runtime_error("cannot read /dev/urandom");
  static const char* const hex = "0123456789abcdef";
  std::string t;
  for (unsigned char b : bytes) {
    t += hex[b >> 4];
    t += hex[b & 15];
  }
  return t;
}

bool same_secret(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

// Request parameters in the order cpp-httplib keeps them (grouped by name).
Params params_of(const httplib::Request& req) {
  Params p;
  for (const auto& [k, v] : req.params) p.emplace_back(k, v);
  return p;
}

std::string param(const httplib::Request& req, const std::string& name) {
  return req.has_param(name) ? req.get_param_value(name) : "";
}

// A page's or a request's parameters as a search request (`ignored`: those only the page uses).
SearchRequest to_request(const Params& params, const SearchOptions& defaults, const RequestLimits& limits,
                         const std::vector<std::string>& ignored) {
  return parse_search_request(params, defaults, limits, ignored);
}

}  // namespace

struct WebServer::Impl {
  ServeOptions o;
  const Tagger* tagger;
  std::string csrf;
  BoundedServer http;
  std::unique_ptr<SearcherPool> searchers;
  std::mutex write_mutex;  ///< one collection change at a time
  std::set<std::string> hosts;
  int port = 0;

  SearchOptions defaults() const {
    SearchOptions d;
    d.max_query_bytes = o.max_query_bytes;
    d.time_limit_seconds = o.time_limit_seconds;
    return d;
  }
  RequestLimits limits() const {
    RequestLimits l;
    l.max_limit = o.max_limit;
    l.max_offset = kMaxOffset;
    l.max_facet_limit = 200;
    return l;
  }

  serve::PageContext context() const {
    serve::PageContext c;
    c.csrf = csrf;
    c.read_only = o.read_only;
    try {
      c.collections = list_collections(o.db);
    } catch (const Error&) {
    }
    return c;
  }

  SearchResults run(const SearchRequest& r) {
    auto lease = searchers->take();
    try {
      return (*lease)->search(r.query, r.options);
    } catch (const IndexError&) {
      lease->discard();
      throw;
    }
  }

  // ---- security ----
  bool host_allowed(const std::string& host_header) const { return hosts.count(lower(host_header)) > 0; }

  // For a POST: read-only, Origin (or Sec-Fetch-Site) and the CSRF token. Throws HttpError.
  void check_change(const httplib::Request& req) const {
    // A chunked body is read up to the limit and its framing; what it decodes to is held to the limit here.
    if (req.body.size() > o.max_body_bytes) throw HttpError(413, "the request body is too large");
    // A field given twice (in the form, or once in the URL and once in the form) could be read two
    // ways (the first csrf checked, the second used): refused, as a JSON key given twice is. Document
    // ids and filters are lists.
    const auto& lists = filter_parameters();
    for (auto it = req.params.begin(); it != req.params.end(); it = req.params.upper_bound(it->first))
      if (req.params.count(it->first) > 1 && it->first != "id" &&
          std::find(lists.begin(), lists.end(), it->first) == lists.end())
        throw HttpError(400, "the field '" + shown(it->first) + "' is given twice");
    if (o.read_only) throw HttpError(403, "this server is read-only (--read-only): no changes");
    const std::string host = req.get_header_value("Host");
    if (req.has_header("Origin")) {
      if (lower(req.get_header_value("Origin")) != "http://" + lower(host))
        throw HttpError(
            403, "cross-origin request refused (Origin " + message_value(req.get_header_value("Origin"), 100) + ")");
    } else if (req.has_header("Sec-Fetch-Site")) {
      const std::string site = req.get_header_value("Sec-Fetch-Site");
      if (site != "same-origin" && site != "none") throw HttpError(403, "cross-site request refused");
    }
    std::string token = req.get_header_value("X-CSRF-Token");
    if (token.empty()) token = param(req, "csrf");
    if (!same_secret(token, csrf)) throw HttpError(403, "missing or wrong CSRF token (get one from /api/token)");
  }

  // ---- collections ----
  static void check_name(const std::string& name) {
    try {
      check_collection_name(name);
    } catch (const std::invalid_argument& e) {
      throw HttpError(400, e.what());
    }
  }

  Collection must_load(const std::string& name) {
    check_name(name);
    auto c = load_collection(o.db, name);
    if (!c) throw HttpError(404, "no collection '" + name + "'");
    return *c;
  }

  // Each change reads, changes and writes the collection under the index's write lock
  // (update_collection), so a change from `quire collection` meanwhile is never overwritten; while
  // `quire index` holds the lock, it waits kServeLockWait and fails with IndexLockedError (409).
  Collection create(const std::string& name, const SearchRequest& r, bool replace) {
    check_name(name);
    std::lock_guard<std::mutex> lock(write_mutex);
    Collection c;
    c.name = name;
    c.query = r.query;
    c.filters = r.options.filters;
    c.plain = r.options.plain;
    update_collection(
        o.db, name,
        [&](std::optional<Collection>& stored) {
          if (stored && !replace) throw HttpError(409, "collection '" + name + "' exists");
          auto lease = searchers->take();
          refresh_collection(c, **lease);
          stored = c;
        },
        kServeLockWait);
    return c;
  }

  // add, exclude, refresh, delete. Returns the collection after the change (before it, for delete).
  Collection change(const std::string& name, const std::string& action, const std::vector<std::string>& ids) {
    check_name(name);
    if (action != "add" && action != "exclude" && action != "refresh" && action != "delete")
      throw HttpError(400, "unknown action '" + message_value(action, 40) + "' (add, exclude, refresh, delete)");
    if ((action == "add" || action == "exclude") && ids.empty()) throw HttpError(400, action + ": give document ids");
    if (ids.size() > 10000) throw HttpError(400, action + ": at most 10000 ids at once");
    std::lock_guard<std::mutex> lock(write_mutex);
    Collection out;
    if (action == "delete") {  // without reading the record, so that a damaged one can be deleted
      if (!delete_collection(o.db, name, kServeLockWait)) throw HttpError(404, "no collection '" + shown(name) + "'");
      out.name = name;
      return out;
    }
    update_collection(
        o.db, name,
        [&](std::optional<Collection>& stored) {
          if (!stored) throw HttpError(404, "no collection '" + shown(name) + "'");
          Collection& c = *stored;
          if (action == "add" || action == "exclude") {
            auto lease = searchers->take();
            if (action == "add")
              for (const auto& id : ids)
                if (!(*lease)->document(id)) throw HttpError(404, "no document '" + shown(id) + "'");
            mark_documents(c, ids, action == "exclude");
          } else if (action == "refresh") {
            auto lease = searchers->take();
            refresh_collection(c, **lease);
          }
          out = c;
          if (action == "delete") stored.reset();
        },
        kServeLockWait);
    return out;
  }

  // A collection's filters as the API takes and gives them: [field, value] pairs in their order.
  static json filter_pairs(const Collection& c) {
    json filters = json::array();
    for (const auto& [f, v] : c.filters) filters.push_back({f, v});
    return filters;
  }

  json collection_json(const Collection& c) {
    auto lease = searchers->take();
    const std::set<std::string> by_hand(c.added.begin(), c.added.end());
    json docs = json::array();
    for (const auto& id : c.documents()) {
      const auto m = (*lease)->document(id);
      docs.push_back({{"id", id},
                      {"in_index", m.has_value()},
                      {"added", by_hand.count(id) > 0},
                      {"title", m ? display_title(*m) : ""},
                      {"date", m ? m->date : ""}});
    }
    json history = json::array();
    for (const auto& h : c.history)
      history.push_back(
          {{"at", h.at}, {"revision", h.revision}, {"matched", h.matched}, {"added", h.added}, {"gone", h.gone}});
    return {{"name", c.name},       {"query", c.query},  {"filters", filter_pairs(c)}, {"plain", c.plain},
            {"created", c.created}, {"documents", docs}, {"excluded", c.excluded}, {"history", history}};
  }

  std::string export_text(const Collection& c, const std::string& format) {
    const auto& formats = export_formats();
    if (std::find(formats.begin(), formats.end(), format) == formats.end())
      throw HttpError(400, "format must be ris, bibtex, csl-json, csv or jsonl");
    auto lease = searchers->take();
    std::vector<DocumentMeta> docs;
    for (const auto& id : c.documents())
      if (auto m = (*lease)->document(id)) docs.push_back(std::move(*m));
    return export_documents(docs, format);
  }

  // One document with every passage, in document order; highlights from `query` where it matches.
  SearchHit document(const std::string& id, const std::string& query) {
    auto lease = searchers->take();
    if (!(*lease)->document(id)) throw HttpError(404, "no document '" + shown(id) + "'");
    SearchOptions all = defaults();
    all.document = id;
    all.order = SearchOptions::Order::in_document;
    all.limit = 1;
    all.passages_per_document = 100000;
    all.passage_score_ratio = 0;
    all.time_limit_seconds = 0;
    SearchResults r = (*lease)->search("", all);
    if (r.hits.empty()) throw HttpError(404, "document '" + shown(id) + "' has no passages");
    SearchHit hit = std::move(r.hits.front());
    if (query.find_first_not_of(' ') != std::string::npos) {
      SearchOptions hl = defaults();
      hl.document = id;
      hl.passages = true;
      hl.limit = 10000;
      try {
        const SearchResults m = (*lease)->search(query, hl);
        std::map<int, std::vector<Span>> spans;
        for (const auto& h : m.hits)
          for (const auto& p : h.passages) spans[p.number] = p.highlights;
        for (auto& p : hit.passages)
          if (auto it = spans.find(p.number); it != spans.end()) p.highlights = it->second;
      } catch (const QueryError&) {
        // The document is still shown, without highlights.
      }
    }
    return hit;
  }

  std::string back_link(const std::string& back, const std::string& fallback) {
    // Only a path on this server: "/..." and not "//host" or "/\host", and no control character at all
    // (browsers drop tabs and line breaks from a URL, so "/<TAB>/host" would be "//host").
    const bool control =
        std::any_of(back.begin(), back.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
    if (back.size() > 1 && back[0] == '/' && back[1] != '/' && back[1] != '\\' && !control) return back;
    return fallback;
  }

  void routes();
  void security();
};

void WebServer::Impl::security() {
  hosts = {"127.0.0.1", "localhost", "[::1]"};
  if (o.host != "0.0.0.0" && o.host != "::" && !o.host.empty())
    hosts.insert(o.host.find(':') != std::string::npos && o.host[0] != '[' ? "[" + o.host + "]" : o.host);
  for (const auto& h : o.allowed_hosts) hosts.insert(h);
  std::set<std::string> with_port;
  for (const auto& h : hosts) {
    with_port.insert(lower(h));
    if (h.find("]:") == std::string::npos && (h[0] == '[' || h.find(':') == std::string::npos))
      with_port.insert(lower(h) + ":" + std::to_string(port));
  }
  hosts = with_port;

  http.set_default_headers({
      {"Content-Security-Policy",
       "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; object-src 'none'; base-uri 'none'; "
       "form-action 'self'; frame-ancestors 'none'"},
      {"X-Content-Type-Options", "nosniff"},
      {"X-Frame-Options", "DENY"},
      {"Referrer-Policy", "same-origin"},
      {"Cross-Origin-Opener-Policy", "same-origin"},
      {"Cross-Origin-Resource-Policy", "same-origin"},
      {"Cache-Control", "no-store"},
  });

  http.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    const auto refuse = [&req, &res](int status, const std::string& message) {
      // Its body (if any) is left unread: the connection cannot carry another request.
      if (req.has_header("Content-Length") || req.has_header("Transfer-Encoding")) {
        t_close_after = true;
        res.set_header("Connection", "close");
      }
      res.status = status;
      res.set_content(dump({{"error", message}}), "application/json");
      return httplib::Server::HandlerResponse::Handled;
    };
    // Two Host headers: a proxy may go by the other one than this check would.
    if (req.get_header_value_count("Host") > 1) return refuse(400, "more than one Host header");
    if (req.get_header_value("Host").empty())
      return refuse(400, "the request has no Host header, or an empty one (RFC 9112 section 3.2)");
    if (!host_allowed(req.get_header_value("Host")))
      return refuse(403, "Host '" + message_value(req.get_header_value("Host"), 100) +
                             "' is not allowed (start quire serve with --allow-host NAME to allow it)");
    if (req.method != "GET" && req.method != "HEAD" && req.method != "POST") {
      res.set_header("Allow", "GET, HEAD, POST");
      return refuse(405, "method " + req.method + " not allowed");
    }
    if (req.target.size() > 8192) return refuse(414, "the request line is too long");
    // cpp-httplib would inflate a gzip or brotli body past any limit on what was sent.
    if (req.has_header("Content-Encoding") && lower(req.get_header_value("Content-Encoding")) != "identity")
      return refuse(415, "a compressed request body is not accepted (Content-Encoding)");
    // Transfer-Encoding and Content-Length were checked with the head (HeadCheck).
    return httplib::Server::HandlerResponse::Unhandled;
  });

  http.set_exception_handler([this](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
    int status = 500;
    std::string message;
    try {
      std::rethrow_exception(std::move(ep));
    } catch (const HttpError& e) {
      status = e.status;
      message = e.what();
    } catch (const RequestError& e) {
      status = 400;
      message = e.what();
    } catch (const QueryError& e) {
      status = 400;
      message = std::string("bad query: ") + e.what();
    } catch (const IndexLockedError& e) {
      // `quire index` (or a change from the command line) holds the write lock: nothing was changed.
      status = 409;
      message = e.what();
      res.set_header("Retry-After", std::to_string(kRetryAfterSeconds));
    } catch (const IndexError& e) {
      // The index cannot be read or written.
      status = 503;
      message = e.what();
    } catch (const std::exception& e) {
      message = std::string("internal error: ") + e.what();
    } catch (...) {
      message = "internal error";
    }
    res.status = status;
    if (req.path.rfind("/api/", 0) == 0) {
      res.set_content(dump({{"error", message}}), "application/json");
    } else {
      res.set_content(serve::error_page(context(), status, message), "text/html; charset=utf-8");
    }
  });

  http.set_error_handler([this](const httplib::Request& req, httplib::Response& res) {
    // The stream refused the rest of an over-long request, or a head framed two ways (HeadCheck);
    // cpp-httplib itself says 400 then.
    if (t_over == Over::body) res.status = 413;
    if (t_over == Over::head) res.status = 431;
    if (t_bad_status != 0) res.status = t_bad_status;
    // An error cpp-httplib answers itself (its body empty), but for 404, is a request it could not read
    // whole (a bad request line or header, a body cut short): nothing after it on the connection can be
    // trusted to start a request, so the connection is closed.
    if (t_over != Over::none || t_bad_status != 0 || (res.body.empty() && res.status != 404)) {
      res.set_header("Connection", "close");
      t_close_after = true;
    }
    if (!res.body.empty()) return;
    const std::string message = t_bad_status != 0   ? t_bad_why
                                : res.status == 404 ? "not found: " + shown(req.path)
                                : res.status == 413 ? "the request body is too large"
                                : res.status == 431 ? "the request's headers are too large or too many"
                                : res.status == 400 ? "the request could not be read (its request line or a header "
                                                      "is malformed, or its body is cut short)"
                                                    : "HTTP " + std::to_string(res.status);
    if (req.path.rfind("/api/", 0) == 0 || res.status == 408 || res.status == 413 || res.status == 431 ||
        res.status == 400 || res.status == 501)
      res.set_content(dump({{"error", message}}), "application/json");
    else
      res.set_content(serve::error_page(context(), res.status, message), "text/html; charset=utf-8");
  });
}

void WebServer::Impl::routes() {
  for (const auto& a : serve::assets()) {
    http.Get(a.path, [&a](const httplib::Request&, httplib::Response& res) {
      res.set_header("Cache-Control", "no-cache");
      res.set_content(a.body, a.content_type.c_str());
    });
  }

  http.Get("/", [this](const httplib::Request& req, httplib::Response& res) {
    Params params = params_of(req);
    std::optional<Collection> current;
    const std::string cname = param(req, "c");
    if (!cname.empty()) current = must_load(cname);
    std::string error;
    std::optional<SearchResults> results;
    bool asked = false;
    for (const auto& [k, v] : params)
      if (k != "c" && k != "sort" && k != "passages" && k != "offset" && !v.empty()) asked = true;
    if (asked) {
      try {
        SearchOptions d = defaults();
        d.facets = Searcher::facet_names();
        d.facet_limit = 200;  // the year histogram; other facets show their first 10
        const SearchRequest r = to_request(params, d, limits(), {"c"});
        results = run(r);
      } catch (const RequestError& e) {
        error = e.what();
        res.status = 400;
      } catch (const QueryError& e) {
        error = std::string("bad query: ") + e.what();
        res.status = 400;
      }
    }
    res.set_content(serve::search_page(context(), params, results ? &*results : nullptr, error, current),
                    "text/html; charset=utf-8");
  });

  http.Get("/help", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(serve::help_page(context()), "text/html; charset=utf-8");
  });

  http.Get("/doc/(.+)", [this](const httplib::Request& req, httplib::Response& res) {
    const SearchHit d = document(req.matches[1], param(req, "q"));
    res.set_content(serve::document_page(context(), d, param(req, "q")), "text/html; charset=utf-8");
  });

  http.Get("/collections", [this](const httplib::Request&, httplib::Response& res) {
    // A damaged record is named on the page, with its delete button; the others are listed.
    std::vector<std::string> damaged;
    const std::vector<Collection> list = load_collections(o.db, nullptr, &damaged);
    res.set_content(serve::collections_page(context(), list, damaged), "text/html; charset=utf-8");
  });

  http.Get("/collections/([^/]+)", [this](const httplib::Request& req, httplib::Response& res) {
    const Collection c = must_load(req.matches[1]);
    std::vector<std::pair<std::string, std::optional<DocumentMeta>>> docs;
    {
      auto lease = searchers->take();
      for (const auto& id : c.documents()) docs.emplace_back(id, (*lease)->document(id));
    }
    res.set_content(serve::collection_page(context(), c, docs), "text/html; charset=utf-8");
  });

  const auto export_handler = [this](const httplib::Request& req, httplib::Response& res) {
    const Collection c = must_load(req.matches[1]);
    const std::string format = param(req, "format");
    const std::string text = export_text(c, format);
    static const std::map<std::string, std::pair<const char*, const char*>> types = {
        {"ris", {"application/x-research-info-systems", "ris"}},
        {"bibtex", {"application/x-bibtex; charset=utf-8", "bib"}},
        {"csl-json", {"application/vnd.citationstyles.csl+json", "json"}},
        {"csv", {"text/csv; charset=utf-8", "csv"}},
        {"jsonl", {"application/jsonl", "jsonl"}}};
    const auto& [type, ext] = types.at(format);
    // A header value built from a name: only characters that cannot end the value or the header.
    std::string file;
    for (const char ch : c.name)
      file += std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_' ? ch : '_';
    res.set_header("Content-Disposition",
                   "attachment; filename=\"" + (file.empty() ? "collection" : file) + "." + ext + "\"");
    res.set_content(text, type);
  };
  http.Get("/collections/([^/]+)/export", export_handler);
  http.Get("/api/collections/([^/]+)/export", export_handler);

  // Page forms: POST, then 303 back to a page.
  http.Post("/collections", [this](const httplib::Request& req, httplib::Response& res) {
    check_change(req);
    Params p;
    for (const auto& [k, v] : req.params)
      if (k != "csrf" && k != "name") p.emplace_back(k, v);
    const SearchRequest r = to_request(p, defaults(), limits(), {});
    const Collection c = create(param(req, "name"), r, false);
    Params back = p;
    back.emplace_back("c", c.name);
    res.set_redirect(serve::link("/", back), 303);
  });
  http.Post(
      "/collections/([^/]+)/(add|exclude|refresh|delete)", [this](const httplib::Request& req, httplib::Response& res) {
        check_change(req);
        const std::string name = req.matches[1], action = req.matches[2];
        std::vector<std::string> ids;
        for (std::size_t i = 0; i < req.get_param_value_count("id"); ++i) ids.push_back(req.get_param_value("id", i));
        change(name, action, ids);
        res.set_redirect(action == "delete" ? "/collections"
                                            : back_link(param(req, "back"), "/collections/" + serve::url_encode(name)),
                         303);
      });

  // ---- JSON API ----
  http.Get("/api/token", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(dump({{"csrf", csrf}, {"read_only", o.read_only}}), "application/json");
  });
  http.Get("/api/search", [this](const httplib::Request& req, httplib::Response& res) {
    const SearchRequest r = to_request(params_of(req), defaults(), limits(), {});
    const SearchResults results = run(r);
    json j = results_to_json(results);
    j["sort"] = order_name(r.options.order);
    if (results.time_limited) j["time_limited"] = true;
    res.set_content(dump(j), "application/json");
  });
  http.Get("/api/facets", [this](const httplib::Request& req, httplib::Response& res) {
    SearchOptions d = defaults();
    d.facets = Searcher::facet_names();
    Params p = params_of(req);
    SearchRequest r = to_request(p, d, limits(), {});
    r.options.limit = 1;
    r.options.passage_text = false;
    const SearchResults results = run(r);
    json j = facet_counts_to_json(results);
    // Cut by --time-limit: the total and the counts cover only the matches counted so far
    // ("total_exact" is then false).
    if (results.timed_out || results.time_limited) {
      j["timed_out"] = true;
      j["time_limited"] = true;
    }
    res.set_content(dump(j), "application/json");
  });
  http.Get("/api/documents/(.+)", [this](const httplib::Request& req, httplib::Response& res) {
    SearchResults one;
    one.hits.push_back(document(req.matches[1], param(req, "q")));
    one.hits.front().rank = 1;
    one.total = 1;
    json j = results_to_json(one)["results"][0];
    j.erase("rank");
    j.erase("score");
    res.set_content(dump(j), "application/json");
  });
  http.Get("/api/collections", [this](const httplib::Request&, httplib::Response& res) {
    json list = json::array();
    std::vector<std::string> damaged;
    for (const Collection& c : load_collections(o.db, nullptr, &damaged))
      list.push_back({{"name", c.name},
                      {"query", c.query},
                      {"filters", filter_pairs(c)},
                      {"search", collection_search(c)},
                      {"documents", c.documents().size()}});
    json out = {{"collections", list}};
    if (!damaged.empty()) out["damaged"] = damaged;  // the messages of records that cannot be read
    res.set_content(dump(out), "application/json");
  });
  http.Get("/api/collections/([^/]+)", [this](const httplib::Request& req, httplib::Response& res) {
    res.set_content(dump(collection_json(must_load(req.matches[1]))), "application/json");
  });
  const auto body_json = [](const httplib::Request& req) {
    if (req.get_header_value("Content-Type").rfind("application/json", 0) != 0)
      throw HttpError(415, "send the body as application/json");
    try {
      // Depth-checked, and a key given twice ({"action": "add", "action": "delete"}) refused.
      json j = parse_json(req.body, kMaxJsonDepth, DuplicateKeys::kRefuse);
      if (!j.is_object()) throw HttpError(400, "the body must be a JSON object");
      return j;
    } catch (const json::exception& e) {
      throw HttpError(400, std::string("bad JSON: ") + e.what());
    } catch (const Error& e) {  // JsonDuplicateKeyError, JsonDepthError
      throw HttpError(400, std::string("bad JSON: ") + e.what());
    }
  };
  // The keys a body may hold, each read by its own type (json_input.h): a key of the wrong kind, or
  // one quire does not know (a typo, "query" for "q"), is a 400 naming it, and nothing is changed.
  const auto known_keys = [](const json& j, const std::vector<std::string>& known) {
    for (const auto& item : j.items()) {
      if (std::find(known.begin(), known.end(), item.key()) != known.end()) continue;
      std::string list;
      for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
      throw HttpError(400, "unknown key \"" + message_value(item.key()) + "\" (the body takes " + list + ")");
    }
  };
  http.Post("/api/collections", [this, body_json, known_keys](const httplib::Request& req, httplib::Response& res) {
    check_change(req);
    const json j = body_json(req);
    Params p;
    std::string name;
    bool replace = false;
    try {
      known_keys(j, {"name", "q", "filters", "plain", "replace"});
      if (!j.contains("name")) throw HttpError(400, "the body has no \"name\"");
      name = json_string(j.at("name"), "name");
      if (j.contains("q")) p.emplace_back("q", json_string(j.at("q"), "q"));
      if (j.contains("plain")) p.emplace_back("plain", json_bool(j.at("plain"), "plain") ? "1" : "0");
      if (j.contains("replace")) replace = json_bool(j.at("replace"), "replace");
      // [[field, value], ...] as a collection prints its filters, or a batch line's {field: value or
      // [values]}.
      if (auto f = j.find("filters"); f != j.end()) {
        const std::string shape = "\"filters\" must be a list of [field, value] pairs or an object of field: value";
        if (f->is_object()) {
          for (const auto& item : f->items()) {
            const std::string key = "filters\": {\"" + item.key();
            if (item.value().is_array()) {
              for (const auto& v : json_strings(item.value(), key)) p.emplace_back(item.key(), v);
            } else {
              p.emplace_back(item.key(), json_string(item.value(), key));
            }
          }
        } else if (f->is_array()) {
          for (const auto& pair : *f) {
            if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string() || !pair[1].is_string())
              throw HttpError(400, shape + " (" + message_value(pair.dump()) + " is not a pair of strings)");
            p.emplace_back(pair[0].get<std::string>(), pair[1].get<std::string>());
          }
        } else {
          throw HttpError(400, shape + ", not " + json_kind(*f));
        }
      }
    } catch (const JsonValueError& e) {
      throw HttpError(400, e.what());
    }
    const Collection c = create(name, to_request(p, defaults(), limits(), {}), replace);
    res.status = 201;
    res.set_content(dump(collection_json(c)), "application/json");
  });
  http.Post("/api/collections/([^/]+)", [this, body_json, known_keys](const httplib::Request& req,
                                                                      httplib::Response& res) {
    check_change(req);
    const json j = body_json(req);
    std::string action;
    std::vector<std::string> ids;
    try {
      known_keys(j, {"action", "ids"});
      if (!j.contains("action")) throw HttpError(400, "the body has no \"action\" (add, exclude, refresh, delete)");
      action = json_string(j.at("action"), "action");
      if (j.contains("ids")) ids = json_strings(j.at("ids"), "ids");
    } catch (const JsonValueError& e) {
      throw HttpError(400, e.what());
    }
    const std::string name = req.matches[1];
    const Collection c = change(name, action, ids);
    if (action == "delete") {
      res.set_content(dump({{"deleted", name}}), "application/json");
      return;
    }
    json out = collection_json(c);
    if (action == "refresh" && !c.history.empty()) {
      const CollectionRefresh& r = c.history.back();
      out["refresh"] = {{"matched", r.matched}, {"added", r.added}, {"gone", r.gone}, {"revision", r.revision}};
    }
    res.set_content(dump(out), "application/json");
  });
}

WebServer::WebServer(const ServeOptions& options, const Tagger* tagger) : impl_(std::make_unique<Impl>()) {
  Impl& im = *impl_;
  im.o = options;
  im.tagger = tagger;
  im.csrf = random_token();
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  const std::size_t searchers = im.o.search_threads ? im.o.search_threads : cores;
  im.searchers = std::make_unique<SearcherPool>(im.o.db, tagger, searchers, im.o.search_wait_seconds);
  const std::size_t min = im.o.min_threads, max = std::max(im.o.max_threads, im.o.min_threads);
  im.http.new_task_queue = [min, max] { return new GrowingPool(min, max); };
  im.http.set_tcp_nodelay(true);
  // SO_REUSEADDR only: cpp-httplib's default adds SO_REUSEPORT, which lets a second process (a second
  // quire serve, or anything run by the same user) bind the same port and take half the connections.
  im.http.set_socket_options([](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  im.http.set_keep_alive_max_count(im.o.keep_alive_requests);
  im.http.set_keep_alive_timeout(im.o.keep_alive_seconds);
  im.http.set_read_timeout(im.o.read_timeout_seconds, 0);
  im.http.set_write_timeout(im.o.write_timeout_seconds, 0);
  im.http.set_payload_max_length(im.o.max_body_bytes);
  im.http.body_max = im.o.max_body_bytes;
  im.routes();
}

WebServer::~WebServer() = default;

int WebServer::bind() {
  Impl& im = *impl_;
  if (im.o.port == 0) {
    im.port = im.http.bind_to_any_port(im.o.host);
    if (im.port < 0) throw std::runtime_error("cannot listen on " + im.o.host);
  } else {
    if (!im.http.bind_to_port(im.o.host, im.o.port))
      throw std::runtime_error("cannot listen on " + im.o.host + ":" + std::to_string(im.o.port) +
                               " (in use? try --port)");
    im.port = im.o.port;
  }
  im.security();
  return im.port;
}

bool WebServer::run() { return impl_->http.listen_after_bind(); }

void WebServer::stop() { impl_->http.stop(); }

}  // namespace quire
