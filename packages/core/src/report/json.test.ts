import { describe, expect, it } from 'vitest';
import type { RenderOptions } from '../model.js';
import { JSON_FORMAT_VERSION, renderJson } from './json.js';
import { makeDiff, makeScanResult } from './test-fixture.js';

const OPTIONS: RenderOptions = { color: false, includePasses: false, baseDir: '/repo' };

describe('renderJson', () => {
  const scan = makeScanResult();

  it('round-trips: parsing gives back the scan result with its format version', () => {
    const parsed = JSON.parse(renderJson(scan, OPTIONS)) as Record<string, unknown>;
    const { findings, ...written } = scan;
    // findings is a view of results, so the report holds it once, as results.
    expect(findings.length).toBeGreaterThan(0);
    expect(parsed).toStrictEqual({ formatVersion: JSON_FORMAT_VERSION, ...JSON.parse(JSON.stringify(written)) });
    expect(parsed).toEqual({ formatVersion: 1, ...written });
    const { formatVersion, ...rest } = parsed;
    expect(formatVersion).toBe(1);
    // The parsed report renders to the same bytes again: it can serve as the next baseline.
    expect(renderJson({ ...(rest as unknown as typeof scan), findings }, OPTIONS)).toBe(renderJson(scan, OPTIONS));
  });

  it('puts formatVersion first, the diff last, and no $schema', () => {
    const diff = makeDiff(scan);
    const text = renderJson(scan, { ...OPTIONS, diff });
    const parsed = JSON.parse(text) as Record<string, unknown>;
    const keys = Object.keys(parsed);
    expect(keys[0]).toBe('formatVersion');
    expect(keys.at(-1)).toBe('diff');
    expect(keys).not.toContain('$schema');
    expect(parsed.diff).toEqual(diff);
    expect(Object.keys(JSON.parse(renderJson(scan, OPTIONS)) as object)).not.toContain('diff');
  });

  it('is indented by two spaces, ends with a newline and is byte-identical twice', () => {
    const text = renderJson(scan, OPTIONS);
    expect(text.startsWith('{\n  "formatVersion": 1,\n  "tool": {\n    "name": "orglint"')).toBe(true);
    expect(text.endsWith('}\n')).toBe(true);
    expect(renderJson(structuredClone(scan), OPTIONS)).toBe(text);
  });

  it('keeps unicode and special characters intact', () => {
    const parsed = JSON.parse(renderJson(scan, OPTIONS)) as typeof scan;
    expect(parsed.results.map((r) => r.resource.name)).toEqual(scan.results.map((r) => r.resource.name));
  });
});
