/* Exact crash points for the crash tests: an LD_PRELOAD library that counts the calls a process makes
 * to rename(), fsync(), fdatasync(), unlink() and their relatives, and kills the process (SIGKILL, as
 * `kill -9` would) at the Nth call of one kind, or makes that call fail with an errno. Each run is
 * deterministic: the same command with the same crash point dies at the same place.
 *
 *   QUIRE_CRASH_AT=fsync:3         SIGKILL just before the 3rd fsync-like call (fsync or fdatasync)
 *   QUIRE_CRASH_AT=rename:2:after  SIGKILL just after the 2nd rename-like call has been made
 *   QUIRE_CRASH_AT=fsync:1:stop    SIGSTOP just before the 1st fsync: the process waits there, holding
 *                                  whatever it holds, until the test sends SIGCONT (or another signal)
 *   QUIRE_FAIL_AT=rename:1:EXDEV   the 1st rename-like call fails with EXDEV (also EIO, ENOSPC, EINVAL)
 *   QUIRE_CRASH_COUNT=FILE         at exit, write "kind count" lines for every kind to FILE
 *   QUIRE_NO_EXCHANGE=1            renameat2(RENAME_EXCHANGE) fails with EINVAL, as on a filesystem
 *                                  that cannot exchange two names
 *
 * Kinds: fsync (fsync, fdatasync), rename (rename, renameat, renameat2), unlink (unlink, unlinkat,
 * remove, rmdir), any (all of these, counted together), and opendir (opendir, fdopendir: the walk of the
 * folders given, counted apart and not in "any", so that a stop can be placed during discovery). Written in C so that it can define the libc
 * functions it replaces; built without sanitizers so that it can be preloaded into a sanitized quire
 * (with ASAN_OPTIONS=verify_asan_link_order=0).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum kind { kFsync, kRename, kUnlink, kAny, kOpendir, kKinds };
static const char* const kKindNames[kKinds] = {"fsync", "rename", "unlink", "any", "opendir"};

static long counts[kKinds];

struct point {
  int kind; /* -1: none */
  long nth;
  int after;
  int stop;
  int error;
};

static struct point parse_point(const char* env_name, int is_fail) {
  struct point p = {-1, 0, 0, 0, 0};
  const char* v = getenv(env_name);
  if (v == NULL || *v == '\0') return p;
  char buf[64];
  snprintf(buf, sizeof buf, "%s", v);
  char* save = NULL;
  const char* name = strtok_r(buf, ":", &save);
  const char* nth = strtok_r(NULL, ":", &save);
  const char* extra = strtok_r(NULL, ":", &save);
  if (name == NULL || nth == NULL) return p;
  for (int k = 0; k < kKinds; ++k)
    if (strcmp(name, kKindNames[k]) == 0) p.kind = k;
  p.nth = strtol(nth, NULL, 10);
  if (extra != NULL && !is_fail) {
    p.after = strcmp(extra, "after") == 0;
    p.stop = strcmp(extra, "stop") == 0;
  }
  if (is_fail) {
    p.error = EIO;
    if (extra != NULL) {
      if (strcmp(extra, "EXDEV") == 0) p.error = EXDEV;
      if (strcmp(extra, "ENOSPC") == 0) p.error = ENOSPC;
      if (strcmp(extra, "EINVAL") == 0) p.error = EINVAL;
      if (strcmp(extra, "EACCES") == 0) p.error = EACCES;
    }
  }
  return p;
}

static struct point crash_point, fail_point;
static int ready;

static void setup(void) {
  if (ready) return;
  crash_point = parse_point("QUIRE_CRASH_AT", 0);
  fail_point = parse_point("QUIRE_FAIL_AT", 1);
  ready = 1;
}

static int matches(const struct point* p, int kind, long n_kind, long n_any) {
  if (p->kind < 0) return 0;
  return p->kind == kAny ? n_any == p->nth : (p->kind == kind && n_kind == p->nth);
}

/* Counts one call; returns 1 when the call must fail (errno set); dies when it must crash before it. */
static int before(int kind, long* n_kind, long* n_any) {
  setup();
  *n_kind = __atomic_add_fetch(&counts[kind], 1, __ATOMIC_SEQ_CST);
  *n_any = __atomic_add_fetch(&counts[kAny], 1, __ATOMIC_SEQ_CST);
  if (matches(&crash_point, kind, *n_kind, *n_any) && !crash_point.after) raise(crash_point.stop ? SIGSTOP : SIGKILL);
  if (matches(&fail_point, kind, *n_kind, *n_any)) {
    errno = fail_point.error;
    return 1;
  }
  return 0;
}

static void after(int kind, long n_kind, long n_any) {
  if (matches(&crash_point, kind, n_kind, n_any) && crash_point.after) raise(SIGKILL);
}

#define WRAP(kind, name, params, args)                      \
  int name params {                                         \
    static int(*fn) params;                                 \
    if (fn == NULL) *(void**)(&fn) = dlsym(RTLD_NEXT, #name); \
    long n_kind, n_any;                                     \
    if (before(kind, &n_kind, &n_any)) return -1;           \
    const int r = fn args;                                  \
    const int saved = errno;                                \
    after(kind, n_kind, n_any);                             \
    errno = saved;                                          \
    return r;                                               \
  }

WRAP(kFsync, fsync, (int fd), (fd))
WRAP(kFsync, fdatasync, (int fd), (fd))
WRAP(kRename, rename, (const char* a, const char* b), (a, b))
WRAP(kRename, renameat, (int da, const char* a, int db, const char* b), (da, a, db, b))
int renameat2(int da, const char* a, int db, const char* b, unsigned flags) {
  static int (*fn)(int, const char*, int, const char*, unsigned);
  if (fn == NULL) *(void**)(&fn) = dlsym(RTLD_NEXT, "renameat2");
  long n_kind, n_any;
  if (before(kRename, &n_kind, &n_any)) return -1;
  const char* no_exchange = getenv("QUIRE_NO_EXCHANGE");
  if ((flags & RENAME_EXCHANGE) && no_exchange != NULL && *no_exchange == '1') {
    after(kRename, n_kind, n_any);
    errno = EINVAL;
    return -1;
  }
  const int r = fn(da, a, db, b, flags);
  const int saved = errno;
  after(kRename, n_kind, n_any);
  errno = saved;
  return r;
}
WRAP(kUnlink, unlink, (const char* p), (p))
WRAP(kUnlink, unlinkat, (int d, const char* p, int flags), (d, p, flags))
WRAP(kUnlink, remove, (const char* p), (p))
WRAP(kUnlink, rmdir, (const char* p), (p))

#include <dirent.h>
static void before_opendir(void) {
  setup();
  const long n = __atomic_add_fetch(&counts[kOpendir], 1, __ATOMIC_SEQ_CST);
  if (crash_point.kind == kOpendir && crash_point.nth == n && !crash_point.after)
    raise(crash_point.stop ? SIGSTOP : SIGKILL);
}
DIR* opendir(const char* name) {
  static DIR* (*fn)(const char*);
  if (fn == NULL) *(void**)(&fn) = dlsym(RTLD_NEXT, "opendir");
  before_opendir();
  return fn(name);
}
DIR* fdopendir(int fd) {
  static DIR* (*fn)(int);
  if (fn == NULL) *(void**)(&fn) = dlsym(RTLD_NEXT, "fdopendir");
  before_opendir();
  return fn(fd);
}

__attribute__((destructor)) static void write_counts(void) {
  const char* file = getenv("QUIRE_CRASH_COUNT");
  if (file == NULL || *file == '\0') return;
  FILE* out = fopen(file, "w");
  if (out == NULL) return;
  for (int k = 0; k < kKinds; ++k) fprintf(out, "%s %ld\n", kKindNames[k], counts[k]);
  fclose(out);
}
