import { stringify } from 'csv-stringify/sync';
import type { FrameworkId, ScanResult } from '../model.js';
import { FRAMEWORKS } from '../model.js';
import { compareText } from '../report/waiver-expiry.js';

/** One framework control as one rule tests it, with that rule's outcomes. */
export interface FrameworkControlRow {
  readonly framework: FrameworkId;
  readonly control: string;
  readonly rule: string;
  readonly pass: number;
  readonly fail: number;
  readonly couldNotEvaluate: number;
  readonly waived: number;
}

/**
 * Framework → control → rule rows with each rule's pass / fail / could-not-evaluate / waived
 * counts, from the rules' `frameworks` references. Sorted by framework id, then control in
 * natural order (`2.1.4` before `2.1.10`), then rule id.
 */
export function frameworkControlRows(result: ScanResult): FrameworkControlRow[] {
  const counts = new Map<string, { pass: number; fail: number; error: number; waived: number }>();
  for (const rule of result.rules) counts.set(rule.id, { pass: 0, fail: 0, error: 0, waived: 0 });
  for (const r of result.results) {
    const c = counts.get(r.ruleId);
    if (!c) continue;
    if (r.status === 'pass') c.pass++;
    else if (r.status === 'fail') c.fail++;
    else if (r.status === 'error') c.error++;
    else if (r.status === 'waived') c.waived++;
  }
  const rows: FrameworkControlRow[] = [];
  for (const rule of result.rules) {
    const c = counts.get(rule.id) ?? { pass: 0, fail: 0, error: 0, waived: 0 };
    for (const [framework, controls] of Object.entries(rule.frameworks) as [FrameworkId, readonly string[] | undefined][]) {
      for (const control of new Set(controls ?? [])) {
        rows.push({ framework, control, rule: rule.id, pass: c.pass, fail: c.fail, couldNotEvaluate: c.error, waived: c.waived });
      }
    }
  }
  return rows.sort(
    (a, b) => compareText(a.framework, b.framework) || compareNatural(a.control, b.control) || compareText(a.rule, b.rule),
  );
}

/** The framework's full name, or its id when the catalogue names one this build does not know. */
export function frameworkTitle(id: string): string {
  return Object.hasOwn(FRAMEWORKS, id) ? FRAMEWORKS[id as FrameworkId] : id;
}

/**
 * Orders control ids as people number them: runs of digits compare as numbers
 * (`A.8.9` < `A.8.13`, `AU-2` < `AU-12`), everything else by code unit, so the order does not
 * depend on the machine's locale.
 */
export function compareNatural(a: string, b: string): number {
  const pa = a.match(/\d+|\D+/g) ?? [];
  const pb = b.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i] ?? '';
    const y = pb[i] ?? '';
    if (x === y) continue;
    const dx = /^\d/.test(x);
    const dy = /^\d/.test(y);
    if (dx && dy) {
      const diff = Number(x) - Number(y);
      if (diff !== 0) return diff;
      // same number written differently (`01` vs `1`): fall through to text order
    }
    return compareText(x, y);
  }
  return pa.length - pb.length || compareText(a, b);
}

/**
 * The framework control table as RFC 4180 CSV (CRLF line ends, fields quoted when they hold a
 * comma, quote or line break): framework, control, rule, pass, fail, could_not_evaluate, waived.
 * Cells that a spreadsheet would run as a formula (`=`, `+`, `-`, `@` first) are prefixed with
 * `'`, because auditors open this file in Excel.
 */
export function renderFrameworkCsv(result: ScanResult): string {
  const rows = frameworkControlRows(result).map((r) => [r.framework, r.control, r.rule, r.pass, r.fail, r.couldNotEvaluate, r.waived]);
  return stringify(rows, {
    header: true,
    columns: ['framework', 'control', 'rule', 'pass', 'fail', 'could_not_evaluate', 'waived'],
    record_delimiter: 'windows',
    escape_formulas: true,
  });
}
