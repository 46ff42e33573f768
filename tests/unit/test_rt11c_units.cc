// Units behind the rt11c fixes: a full disk told from damage, the bounded read of quire's own files in
// an index folder and the creation marker's proof, and a run that lists a document twice.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xapian.h>

#include <catch2/catch.hpp>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "quire/errors.h"
#include "quire/evaluation.h"
#include "quire/index_db.h"
#include "quire/index_folder.h"
#include "support.h"

namespace fs = std::filesystem;

TEST_CASE("rt11c: a write that failed for want of space is never damage", "[rt11c][disk-full]") {
  struct Case {
    const char* name;
    Xapian::Error* (*make)();
    const char* reason;  ///< disk_full_reason(), "" for none
    bool damage;
  };
  const Case cases[] = {
      {"ENOSPC in the errno",
       [] { return static_cast<Xapian::Error*>(new Xapian::DatabaseError("Error writing block 48", ENOSPC)); },
       "no space left on device", false},
      {"EDQUOT in the errno",
       [] { return static_cast<Xapian::Error*>(new Xapian::DatabaseError("Error writing block 3", EDQUOT)); },
       "disk quota exceeded", false},
      {"EFBIG in the errno",
       [] { return static_cast<Xapian::Error*>(new Xapian::DatabaseError("Error writing block 9", EFBIG)); },
       "file too large", false},
      {"ENOSPC only inside the message of a failure met again",
       [] {
         return static_cast<Xapian::Error*>(new Xapian::DatabaseError(
             "Modifications failed (Error writing block 7 (No space left on device)), and couldn't open at the old "
             "revision"));
       },
       "no space left on device", false},
      {"a corrupt block",
       [] { return static_cast<Xapian::Error*>(new Xapian::DatabaseCorruptError("Bad block found")); }, "", true},
      {"EOF reading a block",
       [] { return static_cast<Xapian::Error*>(new Xapian::DatabaseError("EOF reading block 46")); }, "", true},
      {"an I/O error (the disk, not the index)",
       [] { return static_cast<Xapian::Error*>(new Xapian::DatabaseError("Error reading block 2", EIO)); }, "", false},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.name) {
      const std::unique_ptr<Xapian::Error> e(c.make());
      CHECK(quire::disk_full_reason(*e) == c.reason);
      CHECK(quire::is_damage(*e) == c.damage);
      const std::string message = quire::index_error("IDX", *e).what();
      INFO(message);
      if (*c.reason) {
        CHECK(message.find("cannot write to index IDX: " + std::string(c.reason)) == 0);
        CHECK(message.find("damaged") == std::string::npos);
      }
    }
  }
}

TEST_CASE("rt11c: quire's own files in an index folder are read only as small regular files", "[rt11c][marker]") {
  quire::test::TempDir tmp;
  const std::string dir = tmp.path();
  struct Case {
    const char* name;
    void (*make)(const std::string& path);
    quire::IndexFileRead expect;
  };
  const Case cases[] = {
      {"missing", [](const std::string&) {}, quire::IndexFileRead::kMissing},
      {"a small regular file", [](const std::string& p) { std::ofstream(p) << "hello\n"; },
       quire::IndexFileRead::kRead},
      {"a FIFO", [](const std::string& p) { REQUIRE(::mkfifo(p.c_str(), 0644) == 0); },
       quire::IndexFileRead::kNotRegular},
      {"a link to /dev/zero", [](const std::string& p) { fs::create_symlink("/dev/zero", p); },
       quire::IndexFileRead::kNotRegular},
      {"a link to a regular file",
       [](const std::string& p) {
         std::ofstream(p + ".t") << "x";
         fs::create_symlink(p + ".t", p);
       },
       quire::IndexFileRead::kNotRegular},
      {"a folder", [](const std::string& p) { fs::create_directory(p); }, quire::IndexFileRead::kNotRegular},
      {"too big", [](const std::string& p) { std::ofstream(p) << std::string(100, 'x'); },
       quire::IndexFileRead::kTooBig},
  };
  int n = 0;
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.name) {
      const std::string path = dir + "/f" + std::to_string(n++);
      c.make(path);
      std::string text;
      CHECK(quire::read_index_file(path, 64, text) == c.expect);
      if (c.expect != quire::IndexFileRead::kRead) CHECK(text.empty());
    }
  }
}

TEST_CASE("rt11c: only quire's own creation marker proves a folder is quire's", "[rt11c][marker]") {
  struct Case {
    const char* name;
    std::string content;
    bool ours;
  };
  const Case cases[] = {
      {"what quire writes", quire::creating_marker_text(), true},
      {"empty", "", false},
      {"someone else's text", "notes\n", false},
      {"the first line without its line end", "quire creating an index", false},
      {"the first line in another case", "Quire creating an index\n", false},
      {"the first line alone (rt11f)", "quire creating an index\n", false},
      {"the whole form, by another pid and time", "quire creating an index\npid 7\ntime 1700000000\n", true},
      {"no time line", "quire creating an index\npid 7\n", false},
      {"no pid line", "quire creating an index\ntime 1700000000\n", false},
      {"the lines in the other order", "quire creating an index\ntime 1700000000\npid 7\n", false},
      {"a pid that is not a number", "quire creating an index\npid seven\ntime 1700000000\n", false},
      {"an empty time", "quire creating an index\npid 7\ntime \n", false},
      {"the last line without its line end", "quire creating an index\npid 7\ntime 1700000000", false},
      {"more after the time", "quire creating an index\npid 7\ntime 1700000000\nnotes\n", false},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.name) {
      quire::test::TempDir tmp;
      std::ofstream(tmp.path() + "/quire-creating") << c.content;
      CHECK(quire::is_creating_marker(tmp.path()) == c.ours);
    }
  }
  SECTION("the marker says which process wrote it, and when") {
    const std::string text = quire::creating_marker_text();
    CHECK(text.find("\npid " + std::to_string(::getpid()) + "\n") != std::string::npos);
    CHECK(text.find("\ntime ") != std::string::npos);
  }
}

TEST_CASE("rt11c: a run that lists a document twice for one query is refused", "[rt11c][eval]") {
  struct Case {
    const char* run;
    const char* error;  ///< "" when read
  };
  const Case cases[] = {
      {"q1 Q0 d1 1 9 t\nq1 Q0 d1 2 8 t\n", "run:2: document 'd1' is listed twice for query 'q1' (also on line 1)"},
      {"q1 Q0 d1 1 9 t\nq1 Q0 d2 2 8 t\nq1 Q0 d1 3 7 t\n", "run:3: document 'd1' is listed twice for query 'q1'"},
      {"q1 Q0 d1 1 9 t\nq2 Q0 d1 1 9 t\n", ""},
      {"q1 Q0 d1 1 9 t\r\nq1 Q0 d2 2 8 t\r\n", ""},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.run) {
      std::istringstream in(c.run);
      if (*c.error) {
        try {
          quire::read_run(in, "run");
          FAIL("read");
        } catch (const quire::InputError& e) {
          CHECK(std::string(e.what()).find(c.error) != std::string::npos);
        }
      } else {
        CHECK_NOTHROW(quire::read_run(in, "run"));
      }
    }
  }
}
