import { describe, expect, it, vi, afterEach } from 'vitest';
import type { RenderOptions } from '../model.js';
import { renderText } from './text.js';
import { makeDiff, makeScanResult, NASTY_NAME } from './test-fixture.js';

const OPTIONS: RenderOptions = { color: false, includePasses: false, baseDir: '/repo' };
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[/;

afterEach(() => {
  vi.unstubAllEnvs();
});

function section(text: string, heading: string): string[] {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith(heading));
  expect(start, `section ${heading}`).toBeGreaterThanOrEqual(0);
  const end = lines.findIndex((l, i) => i > start && l === '');
  return lines.slice(start + 1, end === -1 ? undefined : end);
}

describe('renderText', () => {
  const scan = makeScanResult();

  it('writes no ANSI escapes when color is false, and colours when it is true, whatever the environment says', () => {
    vi.stubEnv('FORCE_COLOR', '3');
    expect(renderText(scan, OPTIONS)).not.toMatch(ANSI);
    vi.stubEnv('FORCE_COLOR', undefined);
    vi.stubEnv('NO_COLOR', '1');
    const coloured = renderText(scan, { ...OPTIONS, color: true });
    expect(coloured).toMatch(ANSI);
    // Colour changes nothing but the escapes.
    // eslint-disable-next-line no-control-regex
    expect(coloured.replace(/\u001b\[[0-9;]*m/g, '')).toBe(renderText(scan, OPTIONS));
  });

  it('groups failing, erroring and waived results under their rule; passes only on request; n/a never', () => {
    const text = renderText(scan, OPTIONS);
    expect(text).toContain('HIGH  rds-backup-retention  Database backups are kept as long as the environment requires');
    expect(section(text, 'HIGH  rds-backup-retention').map((l) => l.trim().split(/\s+/)[0])).toEqual([
      'FAIL',
      'The',
      'evidence:',
      'FAIL',
      'evidence:',
      'at',
      'ERROR',
    ]);
    expect(text).toContain(
      '  FAIL   orders-db (Production (111111111111), eu-west-1): Backups of orders-db are kept 1 day; prod requires 7.',
    );
    expect(text).toContain('at infra/terraform/rds.tf:12 (module.db.aws_db_instance.orders)');
    expect(text).toContain('WAIVED arn:aws:iam::222222222222:root (Sandbox <dev> & "test" (222222222222), global)');
    expect(text).not.toContain('PASS');
    expect(text).not.toContain('kms-key-rotation');
    expect(text).not.toContain('tools-db');

    const withPasses = renderText(scan, { ...OPTIONS, includePasses: true });
    expect(withPasses.match(/^ {2}PASS /gm)).toHaveLength(4);
    expect(withPasses).toContain('LOW  kms-key-rotation');
    expect(withPasses).not.toContain('tools-db');
  });

  it('keeps the scan order of results within a rule', () => {
    const text = renderText(scan, { ...OPTIONS, includePasses: true });
    const order = ['legacy-db', 'orders-db', 'users-db', '222222222222 (Sandbox'].map((needle) => text.indexOf(needle));
    expect(order.every((pos) => pos > 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it('ends with a summary of statuses, failures by severity, scope, coverage and waivers', () => {
    const summary = section(renderText(scan, OPTIONS), 'Summary');
    expect(summary).toEqual([
      '  Results    5 failed, 1 could not be evaluated, 1 waived, 4 passed, 1 not applicable',
      '  Failures   1 critical, 2 high, 2 medium, 0 low, 0 info',
      '  Scanned    3 accounts, 12 resources',
      '  Coverage   2 gaps',
      '  Waivers    1 expired, 1 unused',
    ]);
  });

  it('lists coverage gaps and waiver problems, with expiring waivers when asked', () => {
    const text = renderText(scan, { ...OPTIONS, warnExpiringDays: 14 });
    expect(section(text, 'Coverage gaps (2)')).toEqual([
      '  222222222222  eu-west-1  rds  denied  AccessDenied: not authorized to perform rds:DescribeDBInstances',
      '  333333333333  us-east-1  kms  failed  Throttling: Rate exceeded',
    ]);
    expect(section(text, 'Waivers')).toEqual([
      '  expired  waivers[1]  rds-backup-retention  arn:aws:rds:eu-west-1:111111111111:db:legacy-db  expired 2025-05-01  (rules.yaml:66)',
      '  unused   waivers[2]  s3-public-access-block  arn:aws:s3:::gone-bucket  matched no result  (rules.yaml:71)',
      '  expiring waivers[0]  root-hardware-mfa  arn:aws:iam::222222222222:root  expires 2025-06-10 (in 9 days)  (rules.yaml:60)',
    ]);
    expect(text).toContain('  Waivers    1 expired, 1 unused, 1 expiring within 14 days');
    expect(renderText(scan, { ...OPTIONS, warnExpiringDays: 8 })).toContain('0 expiring within 8 days');
  });

  it('marks new failures and lists resolved ones when given a baseline diff', () => {
    const diff = makeDiff(scan);
    const text = renderText(scan, { ...OPTIONS, diff });
    const newLines = text.split('\n').filter((l) => /^ {2}\w+ +NEW /.test(l));
    expect(newLines).toEqual([
      '  FAIL   NEW legacy-db (Production (111111111111), eu-west-1): Backups of legacy-db are kept 0 days; prod requires 7.',
    ]);
    expect(text).toContain('  FAIL       orders-db (Production');
    expect(section(text, 'Resolved since the baseline (reports/last-night.json, 2025-05-31T03:00:00.000Z)')).toEqual([
      '  RESOLVED medium  s3-public-access-block  old-public-bucket (Production (111111111111), eu-west-1): Bucket old-public-bucket allows public ACLs.',
    ]);
    expect(text).toContain('  Baseline   1 new, 5 persisting, 1 resolved');
    expect(renderText(scan, OPTIONS)).not.toMatch(/NEW|Baseline|Resolved/);
  });

  it('escapes control and bidi characters from the estate instead of sending them to the terminal', () => {
    const text = renderText(scan, OPTIONS);
    expect(text).toContain(NASTY_NAME.replace('\u0007', '\\u0007'));
    // eslint-disable-next-line no-control-regex
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
    const bidi = makeScanResult({
      results: [{ ...scan.results.find((r) => r.status === 'fail')!, message: 'evil \u202e txt.exe \u001b[2J' }],
    });
    const out = renderText(bidi, OPTIONS);
    expect(out).toContain('evil \\u202e txt.exe \\u001b[2J');
  });

  it('says so when there is nothing to list', () => {
    const clean = makeScanResult({ results: [], coverageGaps: [], waivers: [] });
    const text = renderText(clean, OPTIONS);
    expect(text).toContain('No failures, errors or waived results.');
    expect(text).toContain('  Coverage   complete');
  });

  it('is byte-identical for the same input', () => {
    const options = { ...OPTIONS, includePasses: true, diff: makeDiff(scan), warnExpiringDays: 30 };
    expect(renderText(structuredClone(scan), options)).toBe(renderText(scan, options));
  });
});
