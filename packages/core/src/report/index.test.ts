import { describe, expect, it } from 'vitest';
import { OrglintError } from '../errors.js';
import * as core from '../index.js';
import type { RenderOptions, ReportFormat, ScanResult } from '../model.js';
import { availableFormats, renderReport, REPORTERS } from './index.js';
import { makeDiff, makeScanResult } from './test-fixture.js';

const OPTIONS: RenderOptions = { color: false, includePasses: true, baseDir: process.cwd(), warnExpiringDays: 14 };

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

describe('renderReport', () => {
  const scan = makeScanResult();
  const options = { ...OPTIONS, diff: makeDiff(scan) };

  it('offers text, json, sarif, junit and markdown through the public API', () => {
    expect(availableFormats()).toEqual(['text', 'json', 'sarif', 'junit', 'markdown']);
    expect(core.renderReport).toBe(renderReport);
    for (const format of availableFormats()) {
      expect(renderReport(format, scan, options)).toBe(REPORTERS[format as keyof typeof REPORTERS](scan, options));
    }
  });

  it('refuses any unknown format, with an invalid-argument error naming the formats', () => {
    for (const format of ['html', 'toString'] as unknown as ReportFormat[]) {
      let thrown: unknown;
      try {
        renderReport(format, scan, options);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(OrglintError);
      expect((thrown as OrglintError).code).toBe('invalid-argument');
      expect((thrown as OrglintError).message).toBe(
        `The report format "${format}" is not available in this build of orglint; choose one of text, json, sarif, junit, markdown.`,
      );
    }
  });

  it('gives byte-identical output for the same input in every format, without touching the input', () => {
    const frozen = deepFreeze(structuredClone(scan)) as ScanResult;
    for (const format of availableFormats()) {
      const first = renderReport(format, frozen, options);
      expect(renderReport(format, structuredClone(scan), structuredClone(options))).toBe(first);
      expect(first.endsWith('\n')).toBe(true);
    }
    expect(frozen).toEqual(scan);
  });

  it('refuses a result whose rule is missing from the rules list instead of dropping it', () => {
    const broken = { ...scan, rules: scan.rules.filter((r) => r.id !== 'team-tag') };
    for (const format of ['text', 'sarif', 'junit'] as const) {
      expect(() => renderReport(format, broken, options)).toThrow(/rule team-tag, which is missing from its rules list/);
    }
  });
});
