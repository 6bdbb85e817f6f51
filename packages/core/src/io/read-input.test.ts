import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lineColumnAt, lineTracker, readInputFile } from './read-input.js';

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

describe('readInputFile', () => {
  it('reads ASCII and UTF-8 files alike, multi-byte characters intact', () => {
    const dir = mkdtempSync(join(tmpdir(), 'orglint-read-'));
    const ascii = join(dir, 'ascii.json');
    const utf8 = join(dir, 'utf8.json');
    writeFileSync(ascii, '{"name":"plain"}');
    writeFileSync(utf8, '{"name":"données 日本 🪣 \u00e9"}');
    expect(readInputFile(ascii, 'estate')).toBe('{"name":"plain"}');
    expect(readInputFile(utf8, 'estate')).toBe('{"name":"données 日本 🪣 \u00e9"}');
    // Latin-1 bytes that are not UTF-8 decode as replacement characters, never as Latin-1 letters.
    writeFileSync(utf8, Buffer.from([0x22, 0xe9, 0x22]));
    expect(readInputFile(utf8, 'estate')).toBe('"\ufffd"');
  });
});
