// bpf-oracle: loads BPF programs into the running kernel with raw bpf()
// syscalls and reports the verifier's verdict and log as JSON lines.
//
// Input (stdin): one program per line, space-separated key=value tokens:
//   type=N            BPF_PROG_TYPE_* number (required)
//   attach=N          expected_attach_type (default 0)
//   flags=N           prog_flags (default 0)
//   license=STR       license string (default GPL; no spaces)
//   log_level=N       verifier log level (default 5 = 1|4)
//   insns=HEX         instruction bytes, little-endian hex (required)
//   map=T,K,V,M,F,NAME,INIT,FROZEN   a map to create first (repeatable, in
//                     fd_array order): type, key_size, value_size, max_entries,
//                     map_flags, name ('-' = none), initial value bytes for
//                     key 0 as hex ('-' = none), 1 to freeze after writing.
//                     Two optional extra fields BTFKEY,BTFVALUE give the map
//                     btf_key_type_id / btf_value_type_id (needs btf=).
//   btf=HEX           program BTF: loaded with BPF_BTF_LOAD first; its fd is the
//                     maps' btf_fd and the program's prog_btf_fd
//   func_info=I:T,... func_info records (insn offset : BTF FUNC id), needs btf=
//   A line with btf= and no insns= only loads the BTF and prints
//   {"btfLoaded":B,"errno":N,"errnoName":"E..","log":"..."} (log level 1).
//   Kfunc calls need nothing here: `call` with src 2 and imm = the vmlinux BTF
//   id of the kfunc (off 0).
// Output (stdout): one JSON object per input line:
//   {"accepted":B,"errno":N,"errnoName":"E..","processed":N,"totalStates":N,
//    "peakStates":N,"verificationUs":N,"logTruncated":B,"log":"..."}
//   or {"error":"..."} when the request itself is malformed or a map cannot be
//   created. A BTF that the kernel refuses is reported as
//   {"error":"btf: ...","btfLog":"..."}.
// Never attaches, pins or runs anything; every fd is closed after each line.
#define _GNU_SOURCE
#include <errno.h>
#include <linux/bpf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define LOG_SIZE (16u << 20)
#define LOG_OUT_CAP (64u << 10)
#define MAX_MAPS 64

static char *logbuf;

static long sys_bpf(int cmd, union bpf_attr *attr) {
  return syscall(__NR_bpf, cmd, attr, sizeof(*attr));
}

static int hexval(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes hex into a fresh buffer; returns length or -1.
static long unhex(const char *s, size_t n, unsigned char **out) {
  if (n % 2) return -1;
  unsigned char *b = malloc(n / 2 + 1);
  if (!b) return -1;
  for (size_t i = 0; i < n; i += 2) {
    int h = hexval(s[i]), l = hexval(s[i + 1]);
    if (h < 0 || l < 0) { free(b); return -1; }
    b[i / 2] = (unsigned char)(h * 16 + l);
  }
  *out = b;
  return (long)(n / 2);
}

static const char *errno_name(int e) {
  switch (e) {
  case 0: return "";
  case EPERM: return "EPERM";
  case ENOENT: return "ENOENT";
  case E2BIG: return "E2BIG";
  case EBADF: return "EBADF";
  case EAGAIN: return "EAGAIN";
  case ENOMEM: return "ENOMEM";
  case EACCES: return "EACCES";
  case EFAULT: return "EFAULT";
  case EBUSY: return "EBUSY";
  case EEXIST: return "EEXIST";
  case EINVAL: return "EINVAL";
  case ENOSPC: return "ENOSPC";
  case ERANGE: return "ERANGE";
  case ENOTSUP: return "ENOTSUP";
  case 524: return "ENOTSUPP";
  default: {
    const char *n = strerrorname_np(e);
    return n ? n : "EUNKNOWN";
  }
  }
}

static void json_str(const char *s, size_t n) {
  putchar('"');
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '"' || c == '\\') { putchar('\\'); putchar(c); }
    else if (c == '\n') fputs("\\n", stdout);
    else if (c == '\t') fputs("\\t", stdout);
    else if (c < 0x20 || c >= 0x7f) printf("\\u%04x", c);
    else putchar(c);
  }
  putchar('"');
}

static void fail(const char *msg) {
  fputs("{\"error\":", stdout);
  json_str(msg, strlen(msg));
  fputs("}\n", stdout);
  fflush(stdout);
}

// Parses the number after `key` in the log ("processed 12 insns").
static long after(const char *log, const char *key) {
  const char *p = strstr(log, key);
  if (!p) return -1;
  return strtol(p + strlen(key), NULL, 10);
}

struct map_req {
  unsigned type, key, value, max, flags, frozen, btf_key, btf_value;
  char name[BPF_OBJ_NAME_LEN];
  unsigned char *init;
  long init_len;
};

static int parse_map(char *v, struct map_req *m) {
  char *f[10];
  int n = 0;
  for (char *t = strtok(v, ","); t && n < 10; t = strtok(NULL, ",")) f[n++] = t;
  if (n != 8 && n != 10) return -1;
  memset(m, 0, sizeof(*m));
  m->type = strtoul(f[0], NULL, 0);
  m->key = strtoul(f[1], NULL, 0);
  m->value = strtoul(f[2], NULL, 0);
  m->max = strtoul(f[3], NULL, 0);
  m->flags = strtoul(f[4], NULL, 0);
  if (strcmp(f[5], "-")) snprintf(m->name, sizeof(m->name), "%s", f[5]);
  if (strcmp(f[6], "-") && (m->init_len = unhex(f[6], strlen(f[6]), &m->init)) < 0) return -1;
  m->frozen = strtoul(f[7], NULL, 0);
  if (n == 10) {
    m->btf_key = strtoul(f[8], NULL, 0);
    m->btf_value = strtoul(f[9], NULL, 0);
  }
  return 0;
}

static int create_map(struct map_req *m, int btf_fd) {
  union bpf_attr a;
  memset(&a, 0, sizeof(a));
  if (btf_fd >= 0 && (m->btf_key || m->btf_value)) {
    a.btf_fd = btf_fd;
    a.btf_key_type_id = m->btf_key;
    a.btf_value_type_id = m->btf_value;
  }
  a.map_type = m->type;
  a.key_size = m->key;
  a.value_size = m->value;
  a.max_entries = m->max;
  a.map_flags = m->flags;
  memcpy(a.map_name, m->name, sizeof(a.map_name));
  int fd = (int)sys_bpf(BPF_MAP_CREATE, &a);
  if (fd < 0) return -1;
  if (m->init) {
    unsigned char *key = calloc(1, m->key ? m->key : 1);
    memset(&a, 0, sizeof(a));
    a.map_fd = fd;
    a.key = (uint64_t)(uintptr_t)key;
    a.value = (uint64_t)(uintptr_t)m->init;
    long r = m->init_len == (long)m->value ? sys_bpf(BPF_MAP_UPDATE_ELEM, &a) : (errno = EINVAL, -1);
    free(key);
    if (r < 0) { close(fd); return -1; }
  }
  if (m->frozen) {
    memset(&a, 0, sizeof(a));
    a.map_fd = fd;
    if (sys_bpf(BPF_MAP_FREEZE, &a) < 0) { close(fd); return -1; }
  }
  return fd;
}

struct btf_req {
  int fd;                   // program BTF fd or -1
  struct bpf_func_info *fi; // func_info records
  unsigned nfi;
};

static int load(unsigned type, unsigned attach, unsigned flags, const char *license, unsigned level,
                const unsigned char *insns, long len, const int *fds, char *log, unsigned logsz,
                const struct btf_req *btf) {
  union bpf_attr a;
  memset(&a, 0, sizeof(a));
  if (btf && btf->fd >= 0) {
    a.prog_btf_fd = btf->fd;
    if (btf->nfi) {
      a.func_info = (uint64_t)(uintptr_t)btf->fi;
      a.func_info_cnt = btf->nfi;
      a.func_info_rec_size = sizeof(struct bpf_func_info);
    }
  }
  a.prog_type = type;
  a.expected_attach_type = attach;
  a.prog_flags = flags;
  a.license = (uint64_t)(uintptr_t)license;
  a.insns = (uint64_t)(uintptr_t)insns;
  a.insn_cnt = (uint32_t)(len / 8);
  a.fd_array = (uint64_t)(uintptr_t)fds;
  if (level) {
    a.log_level = level;
    a.log_buf = (uint64_t)(uintptr_t)log;
    a.log_size = logsz;
    log[0] = 0;
  }
  return (int)sys_bpf(BPF_PROG_LOAD, &a);
}

// BPF_BTF_LOAD with a log; returns the fd or -1 (log in `log`).
static int load_btf(const unsigned char *data, long len, char *log, unsigned logsz) {
  union bpf_attr a;
  memset(&a, 0, sizeof(a));
  a.btf = (uint64_t)(uintptr_t)data;
  a.btf_size = (uint32_t)len;
  a.btf_log_buf = (uint64_t)(uintptr_t)log;
  a.btf_log_size = logsz;
  a.btf_log_level = 1;
  log[0] = 0;
  return (int)sys_bpf(BPF_BTF_LOAD, &a);
}

static void handle(char *line) {
  unsigned type = ~0u, attach = 0, flags = 0, level = 5;
  char license[128] = "GPL";
  unsigned char *insns = NULL;
  long len = -1;
  struct map_req maps[MAX_MAPS];
  int nmaps = 0, fds[MAX_MAPS];
  unsigned char *btf = NULL;
  long btf_len = -1;
  struct bpf_func_info fi[256];
  struct btf_req breq = { .fd = -1, .fi = fi, .nfi = 0 };
  for (int i = 0; i < MAX_MAPS; i++) fds[i] = -1;
  char *save;
  for (char *tok = strtok_r(line, " \t\r\n", &save); tok; tok = strtok_r(NULL, " \t\r\n", &save)) {
    char *eq = strchr(tok, '=');
    if (!eq) { fail("token without '='"); goto out; }
    *eq = 0;
    char *v = eq + 1;
    if (!strcmp(tok, "type")) type = strtoul(v, NULL, 0);
    else if (!strcmp(tok, "attach")) attach = strtoul(v, NULL, 0);
    else if (!strcmp(tok, "flags")) flags = strtoul(v, NULL, 0);
    else if (!strcmp(tok, "log_level")) level = strtoul(v, NULL, 0);
    else if (!strcmp(tok, "license")) snprintf(license, sizeof(license), "%s", v);
    else if (!strcmp(tok, "insns")) {
      free(insns);
      if ((len = unhex(v, strlen(v), &insns)) < 0 || len % 8) { fail("bad insns hex"); goto out; }
    } else if (!strcmp(tok, "btf")) {
      free(btf);
      btf = NULL;
      if ((btf_len = unhex(v, strlen(v), &btf)) < 0) { fail("bad btf hex"); goto out; }
    } else if (!strcmp(tok, "func_info")) {
      for (char *t = strtok(v, ","); t; t = strtok(NULL, ",")) {
        char *colon = strchr(t, ':');
        if (!colon || breq.nfi == 256) { fail("bad func_info"); goto out; }
        fi[breq.nfi].insn_off = strtoul(t, NULL, 0);
        fi[breq.nfi].type_id = strtoul(colon + 1, NULL, 0);
        breq.nfi++;
      }
    } else if (!strcmp(tok, "map")) {
      if (nmaps == MAX_MAPS) { fail("too many maps"); goto out; }
      if (parse_map(v, &maps[nmaps]) < 0) { fail("bad map spec"); goto out; }
      nmaps++;
    } else { fail("unknown key"); goto out; }
  }
  if (btf && len < 0) {
    int bfd = load_btf(btf, btf_len, logbuf, LOG_SIZE);
    int e = bfd < 0 ? errno : 0;
    if (bfd >= 0) close(bfd);
    printf("{\"btfLoaded\":%s,\"errno\":%d,\"errnoName\":\"%s\",\"log\":", e ? "false" : "true", e, errno_name(e));
    json_str(logbuf, strnlen(logbuf, LOG_OUT_CAP));
    fputs("}\n", stdout);
    fflush(stdout);
    goto out;
  }
  if (type == ~0u || len < 0) { fail("type= and insns= are required"); goto out; }
  if (btf) {
    breq.fd = load_btf(btf, btf_len, logbuf, LOG_SIZE);
    if (breq.fd < 0) {
      int e = errno;
      printf("{\"error\":\"btf: %s\",\"btfLog\":", strerror(e));
      json_str(logbuf, strnlen(logbuf, LOG_OUT_CAP));
      fputs("}\n", stdout);
      fflush(stdout);
      goto out;
    }
    logbuf[0] = 0;
  }
  int created = 0;
  for (; created < nmaps; created++) {
    fds[created] = create_map(&maps[created], breq.fd);
    if (fds[created] < 0) {
      char msg[96];
      snprintf(msg, sizeof(msg), "map %d: %s", created, strerror(errno));
      for (int i = 0; i < created; i++) close(fds[i]);
      if (breq.fd >= 0) close(breq.fd);
      fail(msg);
      goto out;
    }
  }
  int fd = load(type, attach, flags, license, level, insns, len, nmaps ? fds : NULL, logbuf, LOG_SIZE, &breq);
  int err = fd < 0 ? errno : 0;
  if (fd >= 0) close(fd);
  size_t loglen = level ? strnlen(logbuf, LOG_SIZE) : 0;
  int truncated = 0;
  if (err == ENOSPC && level) {
    // The log overflowed; ENOSPC replaced the verifier's own result. Load
    // again without a log to learn the real verdict (the log we have keeps
    // the tail, where the error is).
    truncated = 1;
    int fd2 = load(type, attach, flags, license, 0, insns, len, nmaps ? fds : NULL, NULL, 0, &breq);
    err = fd2 < 0 ? errno : 0;
    if (fd2 >= 0) close(fd2);
  }
  for (int i = 0; i < nmaps; i++) close(fds[i]);
  if (breq.fd >= 0) close(breq.fd);
  long processed = after(logbuf, "processed ");
  long total = after(logbuf, "total_states ");
  long peak = after(logbuf, "peak_states ");
  long usec = after(logbuf, "verification time ");
  printf("{\"accepted\":%s,\"errno\":%d,\"errnoName\":\"%s\",\"processed\":%ld,\"totalStates\":%ld,"
         "\"peakStates\":%ld,\"verificationUs\":%ld,\"logTruncated\":%s,\"log\":",
         err ? "false" : "true", err, errno_name(err), processed, total, peak, usec,
         truncated || loglen > LOG_OUT_CAP ? "true" : "false");
  // Keep the tail: the error and the stats are at the end.
  size_t start = loglen > LOG_OUT_CAP ? loglen - LOG_OUT_CAP : 0;
  json_str(logbuf + start, loglen - start);
  fputs("}\n", stdout);
  fflush(stdout);
out:
  free(insns);
  free(btf);
  for (int i = 0; i < nmaps; i++) free(maps[i].init);
}

int main(void) {
  logbuf = malloc(LOG_SIZE);
  if (!logbuf) return 1;
  char *line = NULL;
  size_t cap = 0;
  while (getline(&line, &cap, stdin) > 0) {
    logbuf[0] = 0;
    if (line[0] == '\n' || line[0] == '#') continue;
    handle(line);
  }
  free(line);
  free(logbuf);
  return 0;
}
