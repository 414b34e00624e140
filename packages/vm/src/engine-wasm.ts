/** The wasm engine: the core's own AssemblyScript interpreter (`core.run`). */
import { FaultCode, type Core } from '@bpfkit/vm-wasm';
import { RunFault, type Engine, type PreparedProgram, type ProgramImage } from './engine.js';
import { FAULT_NAMES } from './errors.js';

/** Fault message shared by the engines: what went wrong, where. */
export function faultMessage(core: Core, image: ProgramImage, code: number, pc: number, addr: number, arg: number): string {
  const what = FAULT_NAMES[code] ?? `fault ${code}`;
  let s = `${what} at insn ${pc}`;
  if (code === FaultCode.BadAccess) s += ` (address 0x${(addr >>> 0).toString(16)})`;
  if (code === FaultCode.BadCall && pc >= 0 && pc < image.slots) {
    const p = pc * 8;
    const src = image.text[p + 1]! >> 4;
    const imm = new DataView(image.text.buffer, image.text.byteOffset).getInt32(p + 4, true);
    s += `: ${image.describeCall ? image.describeCall(src, imm) : `call ${imm}`}`;
  } else if (code === FaultCode.BadCall && arg) {
    s += `: call #${arg}`;
  }
  void core;
  return s;
}

export function createWasmEngine(): Engine {
  return {
    name: 'wasm',
    prepare(core: Core, image: ProgramImage): PreparedProgram {
      const { textAddr, slots } = image;
      return {
        run(req) {
          const args = req.args ?? [];
          if (args.length > 4 || args.slice(1).some((v) => BigInt.asUintN(64, v) !== 0n)) {
            throw new RangeError(`wasm engine (${image.name}): the core takes r1 and r2 at entry; r3..r5 must be 0 and args at most 4 values`);
          }
          core.setCallbackHandler(null);
          const rc = core.run(textAddr, slots, 0, req.r1, req.checked, req.budget, args[0] ?? 0n);
          if (rc !== FaultCode.None) {
            const f = core.fault();
            throw new RunFault(f.code, f.pc, faultMessage(core, image, f.code, f.pc, f.addr, f.arg), f.addr);
          }
          return { r0: core.r0(), insns: Number(core.insns()) };
        },
      };
    },
  };
}
