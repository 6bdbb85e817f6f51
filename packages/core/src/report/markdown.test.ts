import MarkdownIt from 'markdown-it';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GENERATED_AT, HOSTILE_NAME, MARKDOWN_HOSTILE_NAME, fixtureScan, jsonReport, summarise } from '../evidence/fixture.js';
import type { RenderOptions, Result, ScanResult } from '../model.js';
import { compareWithBaseline } from './baseline.js';
import { MARKDOWN_MAX_PER_RULE, MARKDOWN_MAX_ROWS, MARKDOWN_MAX_RULES, escapeMarkdown, renderMarkdown } from './markdown.js';
import { withResults } from './test-fixture.js';

const OPTIONS: RenderOptions = { color: false, includePasses: false, baseDir: '.', warnExpiringDays: 30 };
// GitHub renders Markdown with raw HTML allowed (then sanitised), so the test parser allows it too:
// anything not escaped would come out as an element.
const markdown = new MarkdownIt({ html: true });

function html(text: string): string {
  return markdown.render(text);
}

function tables(text: string): string[][][] {
  const dom = html(text);
  return [...dom.matchAll(/<table>([\s\S]*?)<\/table>/g)].map((t) =>
    [...(t[1] ?? '').matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) => [...(row[1] ?? '').matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => c[1] ?? '')),
  );
}

afterEach(() => {
  vi.useRealTimers();
});

describe('renderMarkdown', () => {
  const result = fixtureScan();

  it('leads with the verdict and the counts by status and severity', () => {
    const text = renderMarkdown(result, OPTIONS);
    expect(text.split('\n')[0]).toBe('## ❌ orglint: 6 failures, 2 could not be evaluated');
    const [byStatus, bySeverity] = tables(text);
    expect(byStatus?.slice(1).map((row) => row[1])).toEqual(['6', '2', '2', '6', '1']);
    expect(bySeverity?.slice(1).map((row) => `${row[0]}=${row[1]}`)).toEqual(['critical=1', 'high=2', 'medium=1', 'low=2', 'info=0']);
  });

  it('says when nothing failed and when something could not be evaluated', () => {
    const passing = result.results.filter((r) => r.status === 'pass');
    const clean = { ...withResults(result, passing), summary: summarise(passing, 5), coverageGaps: [], waivers: [] };
    expect(renderMarkdown(clean, OPTIONS).split('\n')[0]).toBe('## ✅ orglint: no failures (6 passed)');
    const withErrors = result.results.filter((r) => r.status === 'pass' || r.status === 'error');
    const incomplete = { ...withResults(clean, withErrors), summary: summarise(withErrors, 5) };
    expect(renderMarkdown(incomplete, OPTIONS).split('\n')[0]).toBe('## ⚠️ orglint: no failures, but 2 checks could not be evaluated');
  });

  it('escapes user data so no markup, link, code span or extra table cell comes from it', () => {
    const text = renderMarkdown(result, OPTIONS);
    const dom = html(text);
    expect(dom).not.toMatch(/<script|<b>|<i>/);
    expect(dom).toContain('&lt;script&gt;window.__pwned=1&lt;/script&gt;');
    expect(dom).toContain('sandbox &lt;b&gt;bold&lt;/b&gt;');
    // the waiver reason holds a pipe and backticks: still seven cells, shown literally
    const expiring = tables(text).find((t) => t[0]?.[0] === 'Expires');
    expect(expiring?.[1]).toHaveLength(7);
    expect(expiring?.[1]?.[5]).toBe('Static website | served via CloudFront `soon`.');
    // every row of every table has as many cells as its header
    for (const table of tables(text)) for (const row of table) expect(row).toHaveLength(table[0]?.length ?? 0);
    expect(escapeMarkdown(MARKDOWN_HOSTILE_NAME)).toBe('ledger\\`s \\| &lt;i&gt;copy&lt;/i&gt; \\*bold\\*');
    expect(html(escapeMarkdown(`a\nb [x](javascript:alert(1)) ${HOSTILE_NAME} &amp; _u_`))).toBe(
      '<p>a b [x](javascript:alert(1)) &lt;script&gt;window.__pwned=1&lt;/script&gt; &amp;amp; _u_</p>\n',
    );
  });

  it('lists new and resolved failures when given a baseline diff', () => {
    const paymentsDb = result.results.find((r) => r.resource.name === 'payments-db');
    const trail = result.results.find((r) => r.resource.name === 'org-trail');
    if (!paymentsDb || !trail) throw new Error('fixture changed');
    const baseline = { ...withResults(result, [paymentsDb, { ...trail, status: 'fail' as const }]), generatedAt: '2026-11-22T02:00:00.000Z' };
    const diff = compareWithBaseline(result, jsonReport(baseline), 'last-night.json');
    const text = renderMarkdown(result, { ...OPTIONS, diff });
    expect(text.split('\n')[0]).toBe('## ❌ orglint: 6 failures (5 new), 2 could not be evaluated');
    expect(text).toContain('Compared with `last-night.json` (2026-11-22T02:00:00.000Z): **5 new failures**, 2 newly not evaluated, 1 persisting, 1 resolved.');
    const fresh = tables(text).find((t) => t[0]?.[0] === 'Status' && t[0]?.length === 7);
    expect(fresh?.slice(1).map((row) => row[3])).not.toContain('payments-db');
    expect(fresh).toHaveLength(1 + 7);
    const resolved = tables(text).find((t) => t[0]?.[4] === 'Was');
    expect(resolved?.slice(1).map((row) => row[2])).toEqual(['org-trail']);
    expect(text).toMatch(/- \*\*dev-share\*\* .* · \*\*new\*\*/);
    expect(text).not.toMatch(/- \*\*payments-db\*\* .* · \*\*new\*\*/);
  });

  it('caps long lists with "and N more"', () => {
    const template = result.results.find((r) => r.status === 'fail');
    if (!template) throw new Error('fixture changed');
    const many: Result[] = [];
    for (let rule = 0; rule < MARKDOWN_MAX_RULES + 3; rule++) {
      for (let i = 0; i < (rule === 0 ? MARKDOWN_MAX_PER_RULE + 7 : 1); i++) {
        const id = `arn:aws:s3:::bucket-${rule}-${String(i).padStart(2, '0')}`;
        many.push({ ...template, ruleId: `rule-${String(rule).padStart(2, '0')}`, resource: { ...template.resource, id, name: id }, fingerprint: `${rule}-${i}` });
      }
    }
    const gaps = Array.from({ length: MARKDOWN_MAX_ROWS + 4 }, (_, i) => ({ account: '555555555555', region: `r-${String(i).padStart(2, '0')}`, service: 'rds', status: 'denied' as const }));
    const big: ScanResult = { ...withResults(result, many), rules: [], summary: summarise(many, 5), coverageGaps: gaps };
    const text = renderMarkdown(big, OPTIONS);
    expect(text).toContain('- _…and 7 more_');
    expect(text).toContain('_…and 3 more rules with 3 more results; see the full report._');
    expect(text).toContain('_…and 4 more; see the full report._');
    expect(text.match(/^- \*\*arn:aws:s3:::bucket-0-/gm)).toHaveLength(MARKDOWN_MAX_PER_RULE);
  });

  it('warns about waivers expiring within the given days of generatedAt, never of the wall clock', () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2031-01-01T00:00:00Z'));
    const text = renderMarkdown(result, OPTIONS);
    expect(text).toContain('### ⏳ Waivers expiring within 30 days (1)');
    expect(text).toMatch(/\| 2026-12-03 \| 10 \| `s3-public-access-blocked` \|/);
    expect(renderMarkdown(result, { ...OPTIONS, warnExpiringDays: 9 })).not.toContain('Waivers expiring');
    expect(renderMarkdown(result, { ...OPTIONS, warnExpiringDays: 10 })).toContain('Waivers expiring within 10 days (1)');
    // a month later by the scan's own clock, the other active waiver comes into range
    const later = renderMarkdown({ ...result, generatedAt: '2027-06-01T23:59:00.000Z' }, { ...OPTIONS, warnExpiringDays: 30 });
    expect(later).toMatch(/\| 2027-06-30 \| 29 \| `backup-retention` \|/);
    expect(renderMarkdown(result, { ...OPTIONS, warnExpiringDays: undefined })).toContain('within 30 days');
    expect(text).toContain('### Expired waivers (1)');
    expect(text).toContain('### Unused waivers (1)');
    expect(text).toMatch(/\| `team-tag-present` \| arn:aws:s3:::decommissioned-bucket \| ops \| 2027-01-15 \| rules\.yaml:78 \|/);
    expect(GENERATED_AT.startsWith('2026-11-23')).toBe(true);
  });

  it('lists the coverage gaps and what could not be evaluated', () => {
    const text = renderMarkdown(result, OPTIONS);
    expect(text).toContain('### Could not evaluate (2)');
    const gaps = tables(text).find((t) => t[0]?.[2] === 'Service');
    expect(gaps?.slice(1).map((row) => `${row[0]} ${row[2]} ${row[3]}`)).toEqual([
      '222222222222 backup skipped',
      '444444444444 ecs failed',
      '555555555555 kms denied',
      '555555555555 rds denied',
    ]);
  });

  it('gives the same bytes for the same input', () => {
    expect(renderMarkdown(result, OPTIONS)).toBe(renderMarkdown(fixtureScan(), OPTIONS));
  });
});
