// Pseudo file systems (/proc, /sys, /dev, and the like wherever mounted): what they list is the
// kernel's state, not documents, and reading it may never end (/proc/kcore, /sys, /dev/zero). The walk
// never enters them, and neither a document nor a metadata table is read there through a link.
#pragma once

#include <string>

namespace quire {

/// "" when `real` (a real path, links resolved) is on a real file system; else the pseudo file
/// system's name ("proc", "sys", "sysfs", ...).
std::string pseudo_file_system(const std::string& real);

}  // namespace quire
