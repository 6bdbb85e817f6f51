import { describe, expect, it } from 'vitest';
import { fixtureScan, jsonReport } from '../evidence/fixture.js';
import type { Result, ScanResult } from '../model.js';
import { compareWithBaseline } from './baseline.js';
import { thrownBy } from '../testing/errors.js';
import { withResults as withResultsOf } from './test-fixture.js';

function withResults(base: ScanResult, results: Result[]): ScanResult {
  return { ...withResultsOf(base, results), generatedAt: '2026-11-22T02:00:00.000Z' };
}

describe('compareWithBaseline', () => {
  const current = fixtureScan();
  const byName = (name: string, ruleId: string): Result => {
    const r = current.results.find((x) => x.resource.name === name && x.ruleId === ruleId);
    if (!r) throw new Error(`no fixture result ${ruleId} ${name}`);
    return r;
  };

  it('classifies every current fail and error as new or persisting, and lists what no longer fails', () => {
    const paymentsDb = byName('payments-db', 'backup-retention'); // fail now, fail before → persisting
    const sandboxKey = byName('sandbox-key', 'kms-key-rotation'); // error now, fail before → persisting
    const statements = byName('payments-statements', 's3-public-access-blocked'); // pass now, fail before → resolved
    const scratch = byName('scratch-db', 'backup-retention'); // waived now, error before → resolved
    const gone: Result = { ...paymentsDb, resource: { ...paymentsDb.resource, id: 'arn:gone', name: 'gone-db' }, fingerprint: 'f'.repeat(64) };
    const baseline = withResults(current, [
      paymentsDb,
      { ...sandboxKey, status: 'fail' },
      { ...statements, status: 'fail' },
      { ...scratch, status: 'error' },
      gone,
      { ...gone, status: 'pass', fingerprint: 'e'.repeat(64) }, // passed before, absent now: nothing to say
    ]);

    const diff = compareWithBaseline(current, jsonReport(baseline), 'last-night.json');

    expect(diff.baselineFile).toBe('last-night.json');
    expect(diff.baselineGeneratedAt).toBe('2026-11-22T02:00:00.000Z');
    const failing = current.results.filter((r) => r.status === 'fail' || r.status === 'error');
    expect(Object.keys(diff.changes).sort()).toEqual(failing.map((r) => r.fingerprint).sort());
    expect(diff.changes[paymentsDb.fingerprint]).toBe('persisting');
    expect(diff.changes[sandboxKey.fingerprint]).toBe('persisting');
    const news = failing.filter((r) => r !== paymentsDb && r !== sandboxKey);
    for (const r of news) expect(diff.changes[r.fingerprint]).toBe('new');
    expect(diff.resolved.map((r) => r.fingerprint).sort()).toEqual(
      [statements.fingerprint, scratch.fingerprint, gone.fingerprint].sort(),
    );
    const resolvedGone = diff.resolved.find((r) => r.fingerprint === gone.fingerprint);
    expect(resolvedGone).toEqual({
      ruleId: 'backup-retention',
      severity: 'high',
      resource: gone.resource,
      message: gone.message,
      fingerprint: gone.fingerprint,
    });
  });

  it('keeps only the string fields of a baseline resource, so a hand-edited file cannot break a reporter', () => {
    const paymentsDb = byName('payments-db', 'backup-retention');
    const odd = { ...paymentsDb, fingerprint: 'd'.repeat(64), resource: { ...paymentsDb.resource, name: 42, extra: { a: 1 } } };
    const diff = compareWithBaseline(current, jsonReport(withResults(current, [odd as unknown as Result])), 'odd.json');
    const { name: _name, ...rest } = paymentsDb.resource;
    expect(diff.resolved[0]?.resource).toEqual(rest);
  });

  it('finds nothing new when the baseline is the same run', () => {
    const diff = compareWithBaseline(current, jsonReport(current), 'same.json');
    expect(Object.values(diff.changes).every((c) => c === 'persisting')).toBe(true);
    expect(diff.resolved).toEqual([]);
  });

  it('gives keys in sorted order so the diff serialises the same way every time', () => {
    const diff = compareWithBaseline(current, jsonReport(withResults(current, [])), 'empty.json');
    const keys = Object.keys(diff.changes);
    expect(keys).toEqual([...keys].sort());
  });

  it.each([
    ['not JSON', '{"formatVersion": 1,', /^old\.json:1:\d+: the baseline is not valid JSON .*; give the JSON report \(`orglint scan --format json --output FILE`\) of an earlier run as the baseline\.$/],
    ['a SARIF file', JSON.stringify({ version: '2.1.0', runs: [] }), /^old\.json is not an orglint JSON report: it has no "formatVersion" and "results" at the top; give the JSON report/],
    ['a JSON array', '[]', /^old\.json is not an orglint JSON report/],
    ['another format version', JSON.stringify({ formatVersion: 2, tool: { name: 'orglint' }, generatedAt: 'x', results: [] }), /^old\.json is an orglint JSON report of format version 2, but this orglint compares only with version 1; run tonight's scan without --baseline once and use its JSON report as the next baseline\.$/],
    ['another tool', JSON.stringify({ formatVersion: 1, tool: { name: 'prowler' }, generatedAt: 'x', results: [] }), /^old\.json has no "tool": \{"name": "orglint"\}, so it was not written by orglint; give/],
    ['a result without fingerprint', JSON.stringify({ formatVersion: 1, tool: { name: 'orglint' }, generatedAt: 'x', results: [{ status: 'fail' }] }), /^old\.json: results\[0\] has no "fingerprint" string, so the report is damaged; give/],
  ])('refuses %s with one sentence naming the file', (_what, text, message) => {
    const error = thrownBy(() => compareWithBaseline(current, text, 'old.json'));
    expect(error.code).toBe('invalid-baseline');
    expect(error.message).toMatch(message);
    expect(error.message.trim().split(/\.\s+[A-Z]/)).toHaveLength(1);
  });
});
