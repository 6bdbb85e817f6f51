import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { RuleSummary } from '../model.js';
import { fixtureScan } from './fixture.js';
import { compareNatural, frameworkControlRows, renderFrameworkCsv } from './frameworks.js';

describe('framework controls', () => {
  it('orders control ids the way people number them', () => {
    expect(['2.1.10', 'AU-12', '2.1.4', 'A.8.13', 'AU-2', 'A.8.9', '10', '9', 'CC6.1', 'A1.2'].sort(compareNatural)).toEqual([
      '2.1.4',
      '2.1.10',
      '9',
      '10',
      'A1.2',
      'A.8.9',
      'A.8.13',
      'AU-2',
      'AU-12',
      'CC6.1',
    ]);
  });

  it('counts each rule\'s outcomes under every control it references', () => {
    const rows = frameworkControlRows(fixtureScan());
    expect(rows.filter((r) => r.rule === 'backup-retention')).toEqual([
      { framework: 'iso-27001', control: 'A.8.13', rule: 'backup-retention', pass: 1, fail: 2, couldNotEvaluate: 1, waived: 1 },
      { framework: 'nist-800-53', control: 'CP-9', rule: 'backup-retention', pass: 1, fail: 2, couldNotEvaluate: 1, waived: 1 },
      { framework: 'soc2', control: 'A1.2', rule: 'backup-retention', pass: 1, fail: 2, couldNotEvaluate: 1, waived: 1 },
    ]);
    expect(rows.some((r) => r.rule === 'team-tag-present')).toBe(false);
  });

  it('writes RFC 4180 CSV that a strict parser reads back, quoting and defusing hostile cells', () => {
    const base = fixtureScan();
    const odd: RuleSummary = {
      ...(base.rules[0] as RuleSummary),
      id: 'custom-rule',
      frameworks: { soc2: ['CC "7", part 1\nand 2', '=HYPERLINK("http://x")'] },
    };
    const result = { ...base, rules: [...base.rules, odd] };
    const csv = renderFrameworkCsv(result);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv).toContain('"CC ""7"", part 1\nand 2"');
    const records = parse(csv, { columns: true, strict: true, record_delimiter: '\r\n' } as never) as Record<string, string>[];
    expect(records).toHaveLength(frameworkControlRows(result).length);
    expect(Object.keys(records[0] ?? {})).toEqual(['framework', 'control', 'rule', 'pass', 'fail', 'could_not_evaluate', 'waived']);
    const custom = records.filter((r) => r['rule'] === 'custom-rule').map((r) => r['control']);
    expect(custom).toEqual(["'=HYPERLINK(\"http://x\")", 'CC "7", part 1\nand 2']);
    expect(renderFrameworkCsv(result)).toBe(csv);
  });
});
