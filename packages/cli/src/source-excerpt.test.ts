import { describe, expect, it } from 'vitest';
import { renderExcerpt, sourceLines } from './source-excerpt.js';

const plain = { error: (s: string) => s, mark: (s: string) => s, dim: (s: string) => s };
const src = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`);

describe('source excerpts', () => {
  it('marks the failing line and related lines, with context and gaps', () => {
    expect(renderExcerpt(src, [{ line: 20, role: 'error' }, { line: 5, role: 'acquired' }, { line: 18, role: 'lock taken' }], plain)).toBe(
      [
        '     4 | line 4',
        '  *  5 | line 5   ← acquired',
        '     6 | line 6',
        '       …',
        '    17 | line 17',
        '  * 18 | line 18   ← lock taken',
        '    19 | line 19',
        '  > 20 | line 20',
        '    21 | line 21',
        '',
      ].join('\n'),
    );
  });
  it('clips at the file edges and ignores lines outside the file', () => {
    const out = renderExcerpt(src, [{ line: 1, role: 'error' }, { line: 99, role: 'acquired' }], plain);
    expect(out.split('\n').filter(Boolean)).toEqual(['  > 1 | line 1', '    2 | line 2']);
    expect(renderExcerpt(src, [{ line: 0, role: 'error' }], plain)).toBe('');
  });
  it('finds line_info paths relative to the object', () => {
    // fixtures record ./fixtures/src/X.bpf.c relative to the repository root
    const lines = sourceLines('./fixtures/src/list_map.bpf.c', new URL('../../../fixtures/obj/list_map.bpf.o', import.meta.url).pathname);
    expect(lines?.some((l) => l.includes('bpf_list_push_front'))).toBe(true);
    expect(sourceLines('./no/such/file.c', '/tmp/x.o')).toBeNull();
  });
});
