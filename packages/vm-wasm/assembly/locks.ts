// bpf_spin_lock / bpf_spin_unlock: a held bit per lock word; held locks are tracked for the exit check.

import { gChecked, setFault, FAULT_LOCK } from './state';
import { isSlabPage, objectOf } from './heap';

const MAX_HELD: i32 = 16;
const HELD: usize = memory.data(MAX_HELD * 4, 16);
let gNHeld: i32 = 0;

export function locksHeld(): i32 { return gNHeld; }

export function spinLock(lock: usize, pc: u32): void {
  if (load<u32>(lock) != 0 && gChecked) { setFault(FAULT_LOCK, pc, <u32>lock, 93); return; }
  store<u32>(lock, 1);
  if (gNHeld < MAX_HELD) { store<u32>(HELD + (<usize>gNHeld << 2), <u32>lock); gNHeld++; }
  else if (gChecked) setFault(FAULT_LOCK, pc, <u32>lock, 93);
}

export function spinUnlock(lock: usize, pc: u32): void {
  if (load<u32>(lock) == 0 && gChecked) { setFault(FAULT_LOCK, pc, <u32>lock, 94); return; }
  store<u32>(lock, 0);
  for (let i = gNHeld - 1; i >= 0; i--) {
    if (load<u32>(HELD + (<usize>i << 2)) == <u32>lock) {
      gNHeld--;
      store<u32>(HELD + (<usize>i << 2), load<u32>(HELD + (<usize>gNHeld << 2)));
      return;
    }
  }
}

/** endRun: release whatever a faulting program left held. */
export function locksRelease(): void {
  for (let i = 0; i < gNHeld; i++) {
    const a = <usize>load<u32>(HELD + (<usize>i << 2));
    if (isSlabPage(a) && objectOf(a) == 0) continue; // the object died with the lock held
    store<u32>(a, 0);
  }
  gNHeld = 0;
}
