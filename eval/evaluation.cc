#include "quire/evaluation.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

#include "quire/errors.h"
#include "quire/files.h"
#include "quire/utf8.h"

namespace quire {
namespace {

std::vector<std::string> fields_of(std::string line) {
  if (!line.empty() && line.back() == '\r') line.pop_back();
  std::vector<std::string> out;
  std::istringstream in(line);
  for (std::string f; in >> f;) out.push_back(std::move(f));
  return out;
}

bool parse_int(const std::string& s, int& out) {
  errno = 0;
  char* end = nullptr;
  const long v = std::strtol(s.c_str(), &end, 10);
  if (errno != 0 || end == s.c_str() || *end != '\0' || v < -1000000 || v > 1000000) return false;
  out = static_cast<int>(v);
  return true;
}

bool parse_double(const std::string& s, double& out) {
  errno = 0;
  char* end = nullptr;
  out = std::strtod(s.c_str(), &end);
  return errno == 0 && end != s.c_str() && *end == '\0' && std::isfinite(out);
}

// A run or qrels file is a regular file or a pipe (`quire eval <(zcat run.gz) qrels`), as batch's
// queries: a device (/dev/zero) or a socket would be read for ever.
std::ifstream open_or_throw(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) throw InputError(path, std::string("cannot open: ") + std::strerror(errno));
  if (S_ISDIR(st.st_mode)) throw InputError(path, "is a folder, not a run or qrels file");
  if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode))
    throw InputError(path,
                     "not a regular file or a pipe: it is " + file_kind(st.st_mode) + "; give a run or qrels file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, std::string("cannot open: ") + std::strerror(errno));
  return in;
}

// A line of a run or qrels file is a few short fields; a longer one is not such a file (a binary file,
// a file of one endless line), and reading on would only fill the memory.
constexpr std::size_t kMaxRecordLineBytes = 1 << 20;

// Calls `fn(fields, line number)` for each line of `in` that is not blank.
template <typename Fn>
void for_each_record(std::istream& in, const std::string& name, Fn fn) {
  std::string line;
  int number = 0;
  std::streambuf* buf = in.rdbuf();
  for (bool more = buf != nullptr; more;) {
    line.clear();
    bool any = false;
    for (;;) {
      const int c = buf->sbumpc();
      if (c == std::char_traits<char>::eof()) {
        more = false;
        break;
      }
      any = true;
      if (c == '\n') break;
      if (line.size() >= kMaxRecordLineBytes)
        throw InputError(name,
                         "a line longer than " + std::to_string(kMaxRecordLineBytes >> 20) +
                             " MB: not a run or qrels file (a binary file or a device?)",
                         number + 1);
      line += static_cast<char>(c);
    }
    if (!any) break;
    ++number;
    if (number == 1) drop_utf8_bom(line);
    const auto f = fields_of(line);
    if (!f.empty()) fn(f, number);
  }
  if (in.bad()) throw InputError(name, "read error");
}

}  // namespace

std::string trec_token(const std::string& id) {
  static const char* const kHex = "0123456789ABCDEF";
  const auto encode = [](std::string& out, unsigned char c) {
    out += '%';
    out += kHex[c >> 4];
    out += kHex[c & 15];
  };
  const bool valid = is_valid_utf8(id);
  std::string out;
  out.reserve(id.size());
  for (std::size_t i = 0; i < id.size();) {
    const auto c = static_cast<unsigned char>(id[i]);
    if (c < 0x80 || !valid) {
      if (c <= 0x20 || c == 0x7f || c == '%')
        encode(out, c);
      else
        out += id[i];
      ++i;
      continue;
    }
    // A C1 control, a line break, a Unicode space (NBSP, U+3000: Python's split() splits there) or a
    // bidi override (is_display_control()): each of its bytes as %XX, so that the id stays one field and
    // a file named "=cmd\u202eevil.txt" cannot reorder the line of a run printed on a terminal.
    const std::size_t start = i;
    const char32_t cp = next_codepoint(id, i);
    const bool hide = (cp >= 0x80 && cp < 0xA0) || is_line_break(cp) || is_unicode_space(cp) || is_display_control(cp);
    for (std::size_t k = start; k < i; ++k) {
      if (hide)
        encode(out, static_cast<unsigned char>(id[k]));
      else
        out += id[k];
    }
  }
  return out;
}

Qrels read_qrels(std::istream& in, const std::string& name) {
  Qrels qrels;
  for_each_record(in, name, [&](const std::vector<std::string>& f, int number) {
    int rel = 0;
    if (f.size() == 3) {  // BEIR: query-id corpus-id score, after a header line
      if (!parse_int(f[2], rel)) {
        if (number == 1) return;  // the header
        throw InputError(name, "judgment '" + f[2] + "' is not an integer", number);
      }
      qrels[f[0]][f[1]] = rel;
    } else if (f.size() == 4) {  // TREC: qid iteration docid relevance
      if (!parse_int(f[3], rel)) throw InputError(name, "judgment '" + f[3] + "' is not an integer", number);
      qrels[f[0]][f[2]] = rel;
    } else {
      throw InputError(name,
                       "expected 'qid iter docid rel' (TREC) or 'query-id corpus-id score' (BEIR), found " +
                           std::to_string(f.size()) + " fields",
                       number);
    }
  });
  return qrels;
}

Qrels read_qrels_file(const std::string& path) {
  auto in = open_or_throw(path);
  return read_qrels(in, path);
}

Run read_run(std::istream& in, const std::string& name) {
  Run run;
  std::map<std::string, std::map<std::string, int>> seen;  // query -> document -> its first line
  for_each_record(in, name, [&](const std::vector<std::string>& f, int number) {
    if (f.size() != 6)
      throw InputError(name, "expected 'qid Q0 docid rank score tag', found " + std::to_string(f.size()) + " fields",
                       number);
    RunEntry e{f[2], 0};
    if (!parse_double(f[4], e.score)) throw InputError(name, "score '" + f[4] + "' is not a number", number);
    // Counted once per line, a repeated document would give recall and MAP above 1; trec_eval refuses
    // such a run ("duplicate docs"), and so does quire, naming both lines.
    if (const auto [it, fresh] = seen[f[0]].emplace(f[2], number); !fresh)
      throw InputError(name,
                       "document '" + f[2] + "' is listed twice for query '" + f[0] + "' (also on line " +
                           std::to_string(it->second) +
                           "); a run lists each document once per query, as trec_eval "
                           "requires",
                       number);
    run[f[0]].push_back(std::move(e));
  });
  return run;
}

Run read_run_file(const std::string& path) {
  auto in = open_or_throw(path);
  return read_run(in, path);
}

namespace {

QueryEval score_query(const std::string& qid, std::vector<RunEntry> ranked, const std::map<std::string, int>& judged) {
  // trec_eval's order: score descending, then document id descending.
  std::sort(ranked.begin(), ranked.end(), [](const RunEntry& a, const RunEntry& b) {
    if (a.score != b.score) return a.score > b.score;
    return a.doc > b.doc;
  });
  QueryEval q;
  q.query = qid;
  q.retrieved = ranked.size();
  std::vector<int> ideal;
  for (const auto& [doc, rel] : judged) {
    if (rel >= 1) ++q.relevant;
    if (rel > 0) ideal.push_back(rel);
  }
  std::sort(ideal.rbegin(), ideal.rend());
  double dcg = 0, idcg = 0, precision_sum = 0;
  std::size_t top10 = 0, top100 = 0, top1000 = 0;
  for (std::size_t i = 0; i < ranked.size(); ++i) {
    const auto it = judged.find(ranked[i].doc);
    const int rel = it == judged.end() ? 0 : it->second;
    const double rank = static_cast<double>(i + 1);
    if (rel > 0 && i < 10) dcg += rel / std::log2(rank + 1);
    if (rel < 1) continue;
    ++q.relevant_retrieved;
    precision_sum += static_cast<double>(q.relevant_retrieved) / rank;
    if (q.mrr == 0) q.mrr = 1 / rank;
    if (i < 10) ++top10;
    if (i < 100) ++top100;
    if (i < 1000) ++top1000;
  }
  for (std::size_t i = 0; i < ideal.size() && i < 10; ++i) idcg += ideal[i] / std::log2(static_cast<double>(i) + 2);
  const double rel = static_cast<double>(q.relevant);
  q.map = q.relevant ? precision_sum / rel : 0;
  q.ndcg10 = idcg > 0 ? dcg / idcg : 0;
  q.p10 = static_cast<double>(top10) / 10;
  q.recall100 = q.relevant ? static_cast<double>(top100) / rel : 0;
  q.recall1000 = q.relevant ? static_cast<double>(top1000) / rel : 0;
  return q;
}

}  // namespace

Evaluation evaluate(const Run& run, const Qrels& qrels) {
  Evaluation e;
  e.mean.query = "all";
  for (const auto& [qid, ranked] : run) {
    const auto judged = qrels.find(qid);
    if (judged == qrels.end()) continue;
    e.queries.push_back(score_query(qid, ranked, judged->second));
  }
  for (const QueryEval& q : e.queries) {
    e.mean.retrieved += q.retrieved;
    e.mean.relevant += q.relevant;
    e.mean.relevant_retrieved += q.relevant_retrieved;
    e.mean.map += q.map;
    e.mean.ndcg10 += q.ndcg10;
    e.mean.p10 += q.p10;
    e.mean.recall100 += q.recall100;
    e.mean.recall1000 += q.recall1000;
    e.mean.mrr += q.mrr;
  }
  if (!e.queries.empty()) {
    const double n = static_cast<double>(e.queries.size());
    for (double* m : {&e.mean.map, &e.mean.ndcg10, &e.mean.p10, &e.mean.recall100, &e.mean.recall1000, &e.mean.mrr})
      *m /= n;
  }
  return e;
}

}  // namespace quire
