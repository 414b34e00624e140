/**
 * Milliseconds on a monotonic clock for the stats' verification time. In Node, process.hrtime:
 * the global `performance` loads perf_hooks on first use, a visible part of a CLI's cold start.
 * Elsewhere (browsers), performance.now().
 */
export const nowMs: () => number =
  typeof process !== 'undefined' && typeof process.hrtime?.bigint === 'function' ? () => Number(process.hrtime.bigint()) / 1e6 : () => performance.now();
