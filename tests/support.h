/** @file
 *  @brief Helpers for tests: temporary folders, files, and running the built `quire` binary.
 */
#pragma once

#include <string>
#include <vector>

namespace quire::test {

/// A fresh folder under $TMPDIR, removed with everything in it when this goes out of scope.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  /// Writes `content` to `name` inside the folder (creating subfolders) and returns its path.
  std::string write(const std::string& name, const std::string& content) const;

 private:
  std::string path_;
};

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

/// Runs the built quire with `args` (no shell involved), standard input empty.
RunResult run_quire(const std::vector<std::string>& args, const std::vector<std::string>& env = {});

/// Starts the built quire with `args` in the background (output discarded) and returns its pid.
int spawn_quire(const std::vector<std::string>& args, const std::vector<std::string>& env = {},
                const std::string& out = "/dev/null", const std::string& err = "/dev/null");

/// Runs `args[0]` (found on PATH) with the rest as arguments, standard input empty. Exit code 127: not found.
RunResult run_program(const std::vector<std::string>& args, const std::vector<std::string>& env = {});

std::string read_file(const std::string& path);
/// Writes `bytes` to `path` as they are, making its parent folders first.
void write(const std::string& path, const std::string& bytes);

/// An index of corpus/ made once per test program by `quire index` (FAILs the test if indexing fails).
const std::string& corpus_index();

/// An index of ../shared/data/pdf (the real PDFs) made once per test program by `quire index`, which
/// exits 1 there (some files are broken on purpose); "" when the folder is not there. `index_output`
/// is what that run printed (stdout, then stderr).
const std::string& pdf_index(std::string* index_output = nullptr);

/// UNGDC speeches indexed as users index them: `members` (paths inside ../shared/data/ungdc's
/// ungdc-txt.tar.xz, such as "TXT/Session 20 - 1965/PAK_20_1965.txt" or a session folder) unpacked into
/// `dir` beside the shipped metadata map and speaker table, then `quire index --metadata` of them into
/// DIR/index. The index's path, or "" when the archive is not there; throws when unpacking or indexing fails.
std::string ungdc_index(const TempDir& dir, const std::vector<std::string>& members);

/// The repository's folder, and ../shared beside it.
std::string source_dir();
std::string shared_dir();

}  // namespace quire::test
