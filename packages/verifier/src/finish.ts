/** Whole-program checks after the main exploration (§1.2 passes 11–12). */
import type { Env } from './env.js';

/** Verifies queued global functions and checks the combined stack depth (filled in by the calls module). */
export function afterExploration(env: Env): void {
  for (const hook of finishHooks) hook(env);
}

/** Modules register post-exploration passes here (global functions, combined stack size). */
export const finishHooks: ((env: Env) => void)[] = [];
