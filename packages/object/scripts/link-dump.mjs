import { readFileSync, writeFileSync } from 'node:fs';
import { loadObject, linkProgram, kernelBtfBytes } from '../dist/index.js';
import { parseBtf } from '@bpfkit/btf';
const vmlinux = parseBtf(new Uint8Array(readFileSync('/sys/kernel/btf/vmlinux')));
const funcs = new Map();
const vars = new Map();
for (const t of vmlinux.types) if (t.kind === 'FUNC') funcs.set(t.name, t.id); else if (t.kind === 'VAR') vars.set(t.name, t.id);
const kallsyms = new Map();
try {
  for (const line of readFileSync('/proc/kallsyms', 'utf8').split('\n')) {
    const [addr, , name] = line.split(/\s+/);
    if (name && !kallsyms.has(name)) kallsyms.set(name, BigInt('0x' + addr));
  }
} catch {}
const { spec, btfFixups } = loadObject(new Uint8Array(readFileSync(process.argv[2])), { name: 'obj' });
const out = { btf: Buffer.from(kernelBtfBytes(spec.btf, btfFixups)).toString('hex'), maps: [], progs: [] };
const mapOut = (m) => ({ name: m.name, type: m.type, keySize: m.keySize, valueSize: m.valueSize, maxEntries: m.maxEntries, flags: m.flags,
  btfKey: m.btfKeyTypeId, btfValue: m.btfValueTypeId, kind: m.libbpfType, init: m.initialData ? Buffer.from(m.initialData).toString('hex') : null,
  inner: m.inner ? mapOut(m.inner) : null, slots: m.initSlots, frozen: m.frozen });
out.maps = spec.maps.map(mapOut);
for (const p of spec.programs) {
  try {
    const l = linkProgram(spec, p.name, { kfuncBtfId: (n) => funcs.get(n), ksymVarBtfId: (n) => vars.get(n), ksymAddress: (n) => kallsyms.get(n) });
    out.progs.push({ name: p.name, type: p.kind.progTypeId, sleepable: p.kind.sleepable, insns: Buffer.from(l.bytes).toString('hex'), funcInfo: l.funcInfo.map((f) => [f.insn, f.typeId]), lineInfo: l.lineInfo.map((x) => [x.insn, x.fileNameOff, x.lineOff, x.lineCol]), license: spec.license });
  } catch (e) { out.progs.push({ name: p.name, error: e.message }); }
}
writeFileSync(process.argv[3], JSON.stringify(out));
