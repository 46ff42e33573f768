// `quire convert`, `quire tag` and `quire index` on the files users name or keep beside their documents:
// pipes and devices (refused, never read for ever), files past the size bound, binary data under a text
// name, names with line breaks and escape sequences (shown escaped), and the column order of real
// two-column PDF pages (../shared/data/pdf-reftext, ../shared/data/pdf).
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <string>
#include <vector>

#include "support.h"

using quire::test::run_quire;
using quire::test::shared_dir;
using quire::test::TempDir;

namespace {

const char* const kGood = "The delegates of the river basin met in Lusaka to share the water of the Zambezi.\n";

// `text` with its line breaks as spaces: a sentence wrapped by the extraction is still one sentence.
std::string one_line(std::string text) {
  for (char& c : text)
    if (c == '\n') c = ' ';
  return text;
}

}  // namespace

TEST_CASE("convert and tag refuse pipes, devices and folders by name, and files past --max-file-mb", "[cli][files]") {
  TempDir dir;
  const std::string fifo = dir.path() + "/pipe.txt";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  const std::string big = dir.write("big.txt", std::string(3 << 20, 'a') + " end.\n");
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::string only = "; quire reads only regular files";
  const std::vector<Case> cases = {
      {{"convert", "/dev/zero"}, "quire: /dev/zero: not a regular file: it is a device" + only},
      {{"convert", "--text", fifo}, "quire: " + fifo + ": not a regular file: it is a named pipe" + only},
      {{"convert", dir.path()}, "quire: " + dir.path() + ": not a regular file: it is a folder" + only},
      {{"tag", "/dev/zero"}, "quire: /dev/zero: not a regular file: it is a device" + only},
      {{"tag", fifo}, "quire: " + fifo + ": not a regular file: it is a named pipe" + only},
      {{"tag", "--schemas", "/dev/zero", fifo}, "quire: "},  // a schema folder that is not one: an error
      {{"convert", "--max-file-mb", "1", big},
       "quire: " + big + ": file is 3.0 MB; the limit is 1.0 MB (--max-file-mb)"},
      {{"tag", "--max-file-mb", "2", big}, "quire: " + big + ": file is 3.0 MB; the limit is 2.0 MB (--max-file-mb)"},
      {{"convert", "--max-file-mb", "0", big}, "quire: convert: --max-file-mb must be between 1 and 1048576"},
      // A device never ends; batch reads files and pipes (`quire batch <(make-queries)`) only.
      {{"batch", "--db", dir.path() + "/none", "/dev/zero"}, "quire: /dev/zero: not a regular file or a pipe"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.args);
    const auto r = run_quire(c.args);
    CHECK(r.exit_code != 0);
    CHECK(r.out.empty());
    CHECK_THAT(r.err, Catch::StartsWith(c.message));
  }
  // Under the bound the same file converts.
  const auto ok = run_quire({"convert", "--text", "--max-file-mb", "4", big});
  CHECK(ok.exit_code == 0);
}

TEST_CASE("index: pipes and devices in a folder are counted, and the summary adds up", "[cli][files]") {
  TempDir dir;
  dir.write("docs/good.txt", kGood);
  REQUIRE(::mkfifo((dir.path() + "/docs/pipe.txt").c_str(), 0600) == 0);
  REQUIRE(::mkfifo((dir.path() + "/docs/pipe.bin").c_str(), 0600) == 0);
  REQUIRE(::symlink("/dev/zero", (dir.path() + "/docs/zero.md").c_str()) == 0);
  const std::string db = dir.path() + "/index";
  const auto r = run_quire({"index", "--db", db, dir.path() + "/docs"});
  CHECK(r.exit_code == 1);
  // Seen: good.txt, pipe.txt; failed: the pipe; skipped: pipe.bin; not followed: the link into /dev.
  CHECK_THAT(r.out, Catch::Contains("indexed 1 of 2 files (0 unchanged, 0 removed, 1 failed)"));
  CHECK_THAT(r.out, Catch::Contains("skipped 1: .bin 1"));
  CHECK_THAT(r.out, Catch::Contains("1 link(s) not followed"));
  CHECK_THAT(r.err, Catch::Contains("pipe.txt: not a regular file: it is a named pipe"));
  // A link out of the folders given, here into a pseudo file system, is named and never read.
  CHECK_THAT(r.err, Catch::Contains("zero.md: not followed: a link to the file /dev/zero, in the dev pseudo file"));
  // Named on the command line, the same pipe is one file seen and one failed.
  const auto named = run_quire({"index", "--db", db, dir.path() + "/docs/pipe.txt"});
  CHECK(named.exit_code == 1);
  CHECK_THAT(named.out, Catch::Contains("indexed 0 of 1 files (0 unchanged, 0 removed, 1 failed)"));
}

TEST_CASE("binary data named .txt is reported by name and reason, and the rest is indexed", "[cli][files]") {
  TempDir dir;
  dir.write("docs/good.txt", kGood);
  dir.write("docs/bin.txt", std::string("\x89PNG\r\n\x1A\n\0\0\0\rIHDR", 16) + std::string(64, '\0'));
  const auto r = run_quire({"index", "--db", dir.path() + "/index", dir.path() + "/docs"});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("quire: not indexed: " + dir.path() +
                                    "/docs/bin.txt: not text: the file holds binary data (PNG image) (NUL bytes in "
                                    "its first 8 KB), though its name ends in .txt"));
  CHECK_THAT(r.out, Catch::Contains("indexed 1 of 2 files"));
  const auto c = run_quire({"convert", dir.path() + "/docs/bin.txt"});
  CHECK(c.exit_code != 0);
  CHECK_THAT(c.err, Catch::Contains("bin.txt: not text: the file holds binary data (PNG image)"));
}

TEST_CASE("file names with line breaks and escape sequences are printed escaped", "[cli][files]") {
  TempDir dir;
  const std::string name = "bad\nname\x1B]0;owned\x07\x1B[31m.txt";
  // Invalid UTF-8 gives a warning naming the file; an empty file a failure naming it.
  const std::string warned =
      dir.write("docs/" + name, "Z\xFFrich and the bad byte sit in a sentence about Zanzibar.\n");
  dir.write("docs/empty\x1B[2J.txt", "");
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"convert", warned},
           {"convert", "--text", warned},
           {"tag", warned},
           {"convert", dir.path() + "/docs/empty\x1B[2J.txt"},
           {"index", "--db", dir.path() + "/index", dir.path() + "/docs"},
           {"index", "--db", dir.path() + "/in\x1B[2Jdex", warned},
       }) {
    CAPTURE(args);
    const auto r = run_quire(args);
    CHECK(r.err.find('\x1B') == std::string::npos);
    CHECK(r.err.find('\x07') == std::string::npos);
    CHECK(r.out.find('\x1B') == std::string::npos);
    // Every line of stderr starts with "quire: ": no path broke a message in two.
    std::size_t at = 0;
    while (at < r.err.size()) {
      CHECK(r.err.compare(at, 7, "quire: ") == 0);
      const std::size_t nl = r.err.find('\n', at);
      at = nl == std::string::npos ? r.err.size() : nl + 1;
    }
  }
}

TEST_CASE("two-column PDF pages are read column by column, as pdftotext reads them or better", "[cli][pdf]") {
  const std::string reftext = shared_dir() + "/data/pdf-reftext/R46991v32.pdf";
  const std::string brief = shared_dir() + "/data/pdf/crs-IF12672.12-russia-nuclear-weapons.pdf";
  if (::access(reftext.c_str(), R_OK) != 0 || ::access(brief.c_str(), R_OK) != 0) return;
  struct Case {
    std::string file;
    std::string sentence;  // as the report prints it, across its line breaks
  };
  const std::vector<Case> cases = {
      // Page 5: the body beside a sidebar box; each line of one was followed by a line of the other.
      {reftext,
       "The Economic Development Administration (EDA), a bureau of the U.S. Department of Commerce (DOC), provides "
       "financial and technical assistance to support locally driven, regionally oriented economic development "
       "strategies."},
      {reftext,
       "The EDA defines economic development as creating \xE2\x80\x9C"
       "the conditions for economic growth and improved "
       "quality of life by expanding the capacity of individuals, firms, and communities"},
      // Page 1 of the In Focus brief: a column was spliced into the middle of a sentence.
      {brief,
       "Admiral Correll stated in March 2026 that Russia had \xE2\x80\x9Cup to 2,000 warheads\xE2\x80\x9D "
       "intended for NSNW; a FAS estimate attributes 1,477 warheads to these systems."},
      {brief, "employ against the U.S. Homeland.\xE2\x80\x9D Since Russia\xE2\x80\x99s February 2022 invasion"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.file, c.sentence);
    const auto r = run_quire({"convert", "--text", c.file});
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(one_line(r.out), Catch::Contains(c.sentence));
  }
}
