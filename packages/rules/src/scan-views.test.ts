import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { STATUSES, findingsIn, loadEstate, loadPolicy, scan, type Status } from '@orglint/core';
import { loadCatalogue } from './index.js';

/**
 * The engine keeps passes and not-applicables compact and builds their Result objects only when
 * `results` is read. These tests hold the compact form to the full one on every example
 * organisation: `findings` is exactly the non-passing part of `results`, in the same order, and
 * the summary counts what `results` holds.
 */
const examples = join(new URL('../../../', import.meta.url).pathname, 'examples');

describe.each(['set', 'dri', 'diverst', 'diagnyx', 'innovate'])('the scan of examples/%s', (name) => {
  const result = scan({
    estate: loadEstate(join(examples, name, 'estate.json')),
    policy: loadPolicy(join(examples, name, 'rules.yaml')),
    catalogue: loadCatalogue(),
    now: new Date('2026-11-23T00:00:00Z'),
    toolVersion: 'test',
  });

  it('has findings that are exactly the results needing attention, in order', () => {
    expect(result.findings.length).toBeGreaterThan(0);
    expect(result.findings).toEqual(findingsIn(result.results));
    // The same objects, not copies: a reporter may compare findings with results by identity.
    expect(findingsIn(result.results).every((r, i) => r === result.findings[i])).toBe(true);
  });

  it('counts in its summary what its results hold', () => {
    const counted = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
    for (const r of result.results) counted[r.status]++;
    expect(result.summary.byStatus).toEqual(counted);
    expect(counted.pass).toBeGreaterThan(0);
  });

  it('builds its results once, in rule then type then id order, one per rule and resource', () => {
    expect(result.results).toBe(result.results);
    const keys = result.results.map((r) => `${r.ruleId}\u0000${r.resource.type === 'coverage' ? '' : r.resource.type}\u0000${r.resource.id}`);
    expect(new Set(keys).size).toBe(keys.length);
    const ruleOrder = result.results.map((r) => r.ruleId);
    expect(ruleOrder).toEqual([...ruleOrder].sort());
  });
});
