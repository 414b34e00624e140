import { describe, expect, it } from 'vitest';
import { progress } from './progress.js';

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, columns: 80, write: (s: string) => writes.push(s) } };
}

describe('progress bar', () => {
  it('draws nothing in the first second, then a bar, and erases it at the end', () => {
    let t = 0;
    const { writes, stream } = fakeStream(true);
    const p = progress('bench', 100, { stream, now: () => t, detail: (d) => `${d} runs` });
    expect(p.active).toBe(true);
    t = 500;
    p.update(10);
    expect(writes).toEqual([]);
    t = 1200;
    p.update(50);
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatch(/^\rbench \[█{12}░{12}\]  50%  50 runs\x1b\[K$/);
    t = 1250; // throttled: < 100 ms since the last draw
    p.update(60);
    expect(writes).toHaveLength(1);
    t = 1400;
    p.update(100);
    expect(writes[1]).toContain('100%');
    p.done();
    expect(writes[2]).toBe('\r\x1b[K');
  });
  it('never draws when stderr is not a terminal', () => {
    let t = 0;
    const { writes, stream } = fakeStream(false);
    const p = progress('run', 10, { stream, now: () => t });
    expect(p.active).toBe(false);
    t = 5000;
    p.update(5);
    p.done();
    expect(writes).toEqual([]);
  });
  it('a short job that never reaches the delay leaves nothing to erase', () => {
    const { writes, stream } = fakeStream(true);
    const p = progress('x', 10, { stream, now: () => 0 });
    p.update(10);
    p.done();
    expect(writes).toEqual([]);
  });
});
