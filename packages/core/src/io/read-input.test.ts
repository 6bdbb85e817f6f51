import { describe, expect, it } from 'vitest';
import { lineColumnAt, lineTracker } from './read-input.js';

describe('line numbers', () => {
  it('lineTracker numbers increasing offsets like lineColumnAt does', () => {
    const text = 'a\nbb\n\nccc "x" "y"\n"z"';
    const offsets = [0, 2, 5, 8, 12, 17];
    const lineOf = lineTracker(text);
    expect(offsets.map((o) => lineOf(o))).toEqual(offsets.map((o) => lineColumnAt(text, o).line));
  });

  it('numbers a text without newlines, and starts counting where asked', () => {
    const minified = `{"resource_changes":[${Array.from({ length: 1000 }, (_, i) => `{"address":"a.b${i}"}`).join(',')}]}`;
    const lineOf = lineTracker(minified);
    expect(lineOf(minified.length - 1)).toBe(1);
    expect(lineTracker('x\ny\nz', 3)(4)).toBe(3);
  });
});
