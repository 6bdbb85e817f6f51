import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeXML } from 'entities';
import { afterAll, describe, expect, it } from 'vitest';
import type { RenderOptions, ScanResult } from '../model.js';
import { renderJunit } from './junit.js';
import { FIXTURE_RULES, makeLargeScanResult, makeScanResult, NASTY_NAME } from './test-fixture.js';

const SCHEMAS = fileURLToPath(new URL('../../test-fixtures/schemas/', import.meta.url));
const JUNIT_10 = join(SCHEMAS, 'junit-10.jenkins-xunit.xsd');
const WINDYROAD = join(SCHEMAS, 'JUnit.windyroad.xsd');
const OPTIONS: RenderOptions = { color: false, includePasses: false, baseDir: '/repo' };

const work = mkdtempSync(join(tmpdir(), 'orglint-junit-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const hasXmllint = spawnSync('xmllint', ['--version'], { encoding: 'utf8' }).status === 0;

/**
 * Whether the real validator can run. In CI its absence fails the test; on a workstation it
 * warns loudly and the schema checks are not made.
 */
function xmllintAvailable(): boolean {
  if (hasXmllint) return true;
  if (process.env.CI === 'true') {
    throw new Error('xmllint is not installed, so the JUnit output cannot be checked against its XSD; install libxml2-utils.');
  }
  console.warn('\n!!! xmllint is missing: the JUnit XSD validation was NOT run. Install libxml2-utils. !!!\n');
  return false;
}

let counter = 0;
function xmllint(xml: string, xsd: string): { status: number | null; stderr: string } {
  counter += 1;
  const file = join(work, `report-${counter}.xml`);
  writeFileSync(file, xml, 'utf8');
  const run = spawnSync('xmllint', ['--noout', '--schema', xsd, file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { status: run.status, stderr: run.stderr };
}

interface Case {
  name: string;
  classname: string;
  body: string;
}
interface Suite {
  attrs: Record<string, string>;
  cases: Case[];
}

function attributes(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/([\w-]+)="([^"]*)"/g)) out[m[1]!] = decodeXML(m[2]!);
  return out;
}

/** Reads the suites and cases back; enough structure for counting, the XSD checks the rest. */
function parse(xml: string): { root: Record<string, string>; suites: Suite[] } {
  const root = attributes(/<testsuites [^>]*>/.exec(xml)![0]);
  const suites: Suite[] = [];
  for (const s of xml.matchAll(/<testsuite ([^>]*)>([\s\S]*?)<\/testsuite>/g)) {
    const cases: Case[] = [];
    for (const c of s[2]!.matchAll(/<testcase ([^>]*?)(?:\/>|>([\s\S]*?)<\/testcase>)/g)) {
      const a = attributes(c[1]!);
      cases.push({ name: a.name!, classname: a.classname!, body: c[2] ?? '' });
    }
    suites.push({ attrs: attributes(s[1]!), cases });
  }
  return { root, suites };
}

describe('renderJunit: validity', () => {
  it('validates against the Jenkins xUnit junit-10 XSD with xmllint', () => {
    if (!xmllintAvailable()) return;
    const run = xmllint(renderJunit(makeScanResult(), OPTIONS), JUNIT_10);
    expect(run.stderr).toMatch(/validates/);
    expect(run.status).toBe(0);
  });

  it('validates for a clean scan with no results and for a large scan', () => {
    if (!xmllintAvailable()) return;
    for (const scan of [makeScanResult({ results: [] }), makeLargeScanResult(5_000)]) {
      const run = xmllint(renderJunit(scan, OPTIONS), JUNIT_10);
      expect(run.status, run.stderr).toBe(0);
    }
  });

  it('rejects deliberately invalid documents, so the check is known to bite', () => {
    if (!xmllintAvailable()) return;
    const good = renderJunit(makeScanResult(), OPTIONS);
    const broken = [
      good.replace(/<testcase name="[^"]*"/, '<testcase'),
      good.replace(/(<testsuite name="[^"]*") tests="\d+"/, '$1'),
      good.replace('<system-out/>', '<stdout/>'),
      good.replace('time="0" timestamp', 'time="0.0001" timestamp'),
      good.replace('</testsuites>', ''),
    ];
    for (const xml of broken) {
      expect(xml).not.toBe(good);
      expect(xmllint(xml, JUNIT_10).status, xml.slice(0, 400)).not.toBe(0);
    }
  });

  it('fits the strict Ant (windyroad) schema except for the totals on the root element', () => {
    if (!xmllintAvailable()) return;
    const run = xmllint(renderJunit(makeScanResult(), OPTIONS), WINDYROAD);
    const errors = run.stderr.split('\n').filter((line) => line.includes('validity error'));
    expect(errors.length).toBeGreaterThan(0);
    for (const line of errors) {
      expect(line).toMatch(/element testsuites: .*The attribute '(name|tests|failures|errors|time)' is not allowed/);
    }
    // Without those attributes the document is valid Ant JUnit.
    const stripped = renderJunit(makeScanResult(), OPTIONS).replace(/<testsuites [^>]*>/, '<testsuites>');
    expect(xmllint(stripped, WINDYROAD).status).toBe(0);
  });
});

describe('renderJunit: content', () => {
  const scan = makeScanResult();
  const xml = renderJunit(scan, OPTIONS);
  const { root, suites } = parse(xml);

  it('has one suite per rule, in the scan order, with counts that add up', () => {
    expect(suites.map((s) => s.attrs.name)).toEqual(FIXTURE_RULES.map((r) => r.id));
    const total = { tests: 0, failures: 0, errors: 0 };
    for (const suite of suites) {
      const rule = suite.attrs.name!;
      const results = scan.results.filter((r) => r.ruleId === rule);
      const count = (...statuses: string[]): number => results.filter((r) => statuses.includes(r.status)).length;
      const expectedTests = Math.max(1, results.length);
      expect(suite.attrs).toMatchObject({
        tests: String(expectedTests),
        failures: String(count('fail')),
        errors: String(count('error')),
        skipped: String(results.length === 0 ? 1 : count('waived', 'not-applicable')),
        time: '0',
        timestamp: '2025-06-01T03:00:00',
        hostname: 'orglint',
      });
      expect(suite.cases).toHaveLength(expectedTests);
      total.tests += expectedTests;
      total.failures += count('fail');
      total.errors += count('error');
    }
    expect(root).toEqual({ name: 'orglint', tests: String(total.tests), failures: String(total.failures), errors: String(total.errors), time: '0' });
    expect(total).toEqual({ tests: scan.results.length + 1, failures: 5, errors: 1 });
  });

  it('names every case by the resource identity, never by message text', () => {
    const messages = scan.results.map((r) => r.message.replace(/\u0007/g, ''));
    const cases = suites.flatMap((s) => s.cases);
    for (const c of cases) {
      for (const message of messages) expect(c.name.includes(message)).toBe(false);
    }
    const identities = scan.results.map((r) => (r.resource.arn ?? r.resource.id).replace(/\u0007/g, ''));
    expect(cases.filter((c) => c.name !== 'no resources in scope').map((c) => c.name)).toEqual(
      FIXTURE_RULES.flatMap((rule) => scan.results.filter((r) => r.ruleId === rule.id)).map(
        (r) => (r.resource.arn ?? r.resource.id).replace(/\u0007/g, ''),
      ),
    );
    expect(new Set(identities).size).toBeGreaterThan(5);
    for (const c of cases.filter((x) => x.name !== 'no resources in scope')) {
      expect(c.classname).toMatch(/^[a-z0-9-]+\.\d{12}\.[a-z0-9-]+$/);
    }
  });

  it('writes failures with severity and details, errors as could-not-evaluate, waived and n/a as skipped', () => {
    const rds = suites.find((s) => s.attrs.name === 'rds-backup-retention')!;
    const byName = (name: string): Case => rds.cases.find((c) => c.name === name)!;
    const orders = byName('arn:aws:rds:eu-west-1:111111111111:db:orders-db');
    expect(orders.body).toMatch(/^\s*<failure type="high" message="Backups of orders-db are kept 1 day; prod requires 7.">/);
    expect(orders.body).toContain('Evidence: properties.backupRetentionPeriod = 1 (expected 7)');
    expect(orders.body).toContain('Remediation: Set backup_retention_period');
    expect(orders.body).toContain('Location: infra/terraform/rds.tf:12');
    const legacy = byName('arn:aws:rds:eu-west-1:111111111111:db:legacy-db');
    expect(legacy.body).toContain('<failure type="high"');
    expect(legacy.body).toContain('expired on 2025-05-01');
    expect(byName('222222222222').body).toMatch(/<error type="could-not-evaluate" message="RDS was not collected/);
    expect(byName('arn:aws:rds:eu-west-1:111111111111:db:users-db').body).toBe('');
    expect(rds.cases.find((c) => c.name.endsWith('tools-db'))!.body).toContain('<skipped message="Not applicable: ');
    const root = suites.find((s) => s.attrs.name === 'root-hardware-mfa')!;
    expect(root.cases.find((c) => c.name === 'arn:aws:iam::222222222222:root')!.body).toContain(
      '<skipped message="Waived by waivers[0] owned by platform-team',
    );
  });

  it('gives a rule without results one skipped case, so a clean run is never empty', () => {
    const budget = suites.find((s) => s.attrs.name === 'budget-exists')!;
    expect(budget.cases).toEqual([
      {
        name: 'no resources in scope',
        classname: 'budget-exists',
        body: expect.stringContaining('<skipped message="No resource in the estate is in scope of this rule."/>'),
      },
    ]);
  });

  it('escapes XML-special characters and drops characters XML 1.0 cannot hold', () => {
    // eslint-disable-next-line no-control-regex
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
    const s3 = suites.find((s) => s.attrs.name === 's3-public-access-block')!;
    const nasty = s3.cases.find((c) => c.name.includes('données'))!;
    expect(nasty.name).toBe(`arn:aws:s3:::${NASTY_NAME.replace('\u0007', '')}`);
    expect(xml).toContain('données &lt;&amp;&gt;&quot;&apos;  日本 🪣');
    expect(xml).toContain('public ACLs &lt;script&gt;&amp;amp;.');
  });

  it('keeps line breaks inside attribute values as character references', () => {
    const multiline: ScanResult = makeScanResult({
      results: [{ ...scan.results.find((r) => r.status === 'fail')!, message: 'first line\nsecond\tline\r\n' }],
    });
    const out = renderJunit(multiline, OPTIONS);
    expect(out).toContain('message="first line&#10;second&#9;line&#13;&#10;"');
  });

  it('is byte-identical for the same input', () => {
    expect(renderJunit(structuredClone(scan), OPTIONS)).toBe(xml);
  });

  it('renders 200,000 results without exhausting the stack', () => {
    const large = renderJunit(makeLargeScanResult(200_000), OPTIONS);
    expect(large.match(/<testcase /g)).toHaveLength(200_000 + 1);
    expect(large.endsWith('</testsuites>\n')).toBe(true);
  });
});
