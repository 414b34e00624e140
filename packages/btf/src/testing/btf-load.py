# BPF_BTF_LOAD each file given on the command line (log level 1) and print, as JSON,
# whether the kernel accepted it, the errno and the last log line. Used by
# scripts/record-btf-oracle.mjs to record the kernel's verdicts (src/__fixtures__/btf-oracle.json);
# tests never run it.
import ctypes, sys, struct, json, os
libc = ctypes.CDLL(None, use_errno=True)
out = []
log = ctypes.create_string_buffer(1<<22)
for path in sys.argv[1:]:
    data = open(path,'rb').read()
    buf = ctypes.create_string_buffer(data, max(len(data),1))
    ctypes.memset(log, 0, 16)
    attr = struct.pack('QQIII', ctypes.addressof(buf), ctypes.addressof(log), len(data), 1<<22, 1)
    attr += b'\0'*(128-len(attr))
    a = ctypes.create_string_buffer(attr, len(attr))
    fd = libc.syscall(321, 18, a, len(attr))
    err = ctypes.get_errno()
    if fd >= 0: os.close(fd)
    lines = log.value.decode(errors='replace').rstrip('\n').split('\n')
    out.append({'path': path, 'ok': fd >= 0, 'errno': 0 if fd >= 0 else err, 'last': lines[-1] if lines else ''})
print(json.dumps(out))
