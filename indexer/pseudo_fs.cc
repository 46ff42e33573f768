// Which pseudo file system a path is in, for the walk and for the tables a map names. See pseudo_fs.h.
#include "pseudo_fs.h"

#include <sys/vfs.h>

#include <cstring>

namespace quire {

std::string pseudo_file_system(const std::string& real) {
  // Not /run: removable drives are mounted under /run/media on many systems.
  for (const char* top : {"/proc", "/sys", "/dev"}) {
    const std::size_t n = std::strlen(top);
    if (real.compare(0, n, top) == 0 && (real.size() == n || real[n] == '/')) return std::string(top + 1);
  }
  struct statfs fs_info {};
  if (::statfs(real.c_str(), &fs_info) != 0) return "";
  switch (static_cast<unsigned long>(fs_info.f_type)) {
    case 0x9fa0:
      return "proc";
    case 0x62656572:
      return "sysfs";
    case 0x1cd1:
      return "devpts";
    case 0x27e0eb:
      return "cgroup";
    case 0x63677270:
      return "cgroup2";
    case 0x64626720:
      return "debugfs";
    case 0x74726163:
      return "tracefs";
    case 0x73636673:
      return "securityfs";
    case 0x6165676c:
      return "pstore";
    case 0xcafe4a11:
      return "bpf";
    case 0x62656570:
      return "configfs";
    case 0x42494e4d:
      return "binfmt_misc";
    case 0xde5e81e4:
      return "efivarfs";
    case 0x19800202:
      return "mqueue";
    default:
      return "";
  }
}

}  // namespace quire
