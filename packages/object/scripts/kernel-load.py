# Loads a link-dump.mjs JSON into the running kernel through the bpf(2) syscall (x86-64 numbers).
import ctypes, sys, struct, json
libc = ctypes.CDLL(None, use_errno=True)
keep = []
def sys_bpf(cmd, attr):
    b = ctypes.create_string_buffer(attr, len(attr)); keep.append(b)
    r = libc.syscall(321, cmd, b, len(attr))
    return r, ctypes.get_errno()
def ptr(data):
    b = ctypes.create_string_buffer(bytes(data), max(1, len(data))); keep.append(b); return ctypes.addressof(b)
d = json.load(open(sys.argv[1]))
btf = bytes.fromhex(d['btf'])
log = ctypes.create_string_buffer(1 << 22); keep.append(log)
fd, err = sys_bpf(18, struct.pack('<QQIII', ptr(btf), ctypes.addressof(log), len(btf), len(log), 1).ljust(128, b'\0'))
if fd < 0: print('BTF load failed', err, log.value.decode()[-300:]); sys.exit(1)
btf_fd = fd
def create(m, inner_fd=0):
    name = m['name'].encode()[:15].ljust(16, b'\0')
    attr = struct.pack('<IIIIIII16sIIIIIQ', m['type'], m['keySize'], m['valueSize'], m['maxEntries'], m['flags'], inner_fd, 0, name, 0,
                       *((btf_fd, m['btfKey'], m['btfValue']) if (m['btfValue'] or m['btfKey']) and m['type'] not in (3,4,7,8,12,13,14,16,17,18,27) else (0,0,0)), 0, 0)
    fd, err = sys_bpf(0, attr.ljust(128, b'\0'))
    if fd < 0: print('map', m['name'], 'create failed errno', err); sys.exit(1)
    return fd
fds = []
for m in d['maps']:
    inner = create(m['inner']) if m['inner'] else 0
    fd = create(m, inner)
    if m['init'] is not None:
        val = bytes.fromhex(m['init'])
        r, err = sys_bpf(2, struct.pack('<IIQQQ', fd, 0, ptr(b'\0\0\0\0'), ptr(val), 0).ljust(128, b'\0'))
        if r < 0: print('update', m['name'], err)
    fds.append(fd)
fd_array = ptr(struct.pack('<%dI' % len(fds), *fds)) if fds else 0
ok = 0
for p in d['progs']:
    if 'error' in p: print(p['name'], 'LINK ERROR', p['error']); continue
    insns = bytes.fromhex(p['insns'])
    fi = b''.join(struct.pack('<II', *x) for x in p['funcInfo'])
    li = b''.join(struct.pack('<IIII', *x) for x in p['lineInfo'])
    lic = (p['license'] + '\0').encode()
    log = ctypes.create_string_buffer(1 << 26); keep.append(log)
    flags = 16 if p['sleepable'] else 0  # BPF_F_SLEEPABLE
    attr = struct.pack('<IIQQIIQII16sIIIIQIIQIIIIQ', p['type'], len(insns)//8, ptr(insns), ptr(lic), 1, len(log), ctypes.addressof(log), 0, flags,
        p['name'].encode()[:15], 0, 0, btf_fd, 8, ptr(fi) if fi else 0, len(p['funcInfo']), 16, ptr(li) if li else 0, len(p['lineInfo']), 0, 0, 0, fd_array)
    fd, err = sys_bpf(5, attr.ljust(160, b'\0'))
    if fd >= 0: ok += 1; print(p['name'], 'LOADED')
    else:
        lines = [l for l in log.value.decode().split('\n') if l.strip()]
        print(p['name'], 'REJECTED errno', err, '|', ' / '.join(lines[-2:])[:300])
print('ok', ok, 'of', len(d['progs']))
