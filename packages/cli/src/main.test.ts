import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseYaml } from '@orglint/core';
import { main } from './main.js';

const root = new URL('../../../', import.meta.url).pathname;
const example = { estate: join(root, 'examples/set/estate.json'), policy: join(root, 'examples/set/rules.yaml') };
const T = ['--timestamp', '2026-11-23T00:00:00Z'];

async function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), stdoutIsTty: false, stderrIsTty: false, env, cwd: root });
  return { code, stdout, stderr };
}

const tmp = () => mkdtempSync(join(tmpdir(), 'orglint-cli-'));

/** The bundled example's JSON report, scanned in-process. */
async function exampleJson() {
  return JSON.parse((await run(['scan', '--estate', example.estate, '--policy', example.policy, ...T, '--format', 'json'])).stdout);
}

describe('orglint scan', () => {
  it('scans the bundled example: planted failures give exit 1 and a summary', async () => {
    const r = await run(['scan', '--estate', example.estate, '--policy', example.policy, ...T]);
    expect(r.code).toBe(1);
    // The counts grow with the catalogue; the summary must say what the JSON report counts.
    const n = (await exampleJson()).summary.byStatus;
    expect(n.fail).toBeGreaterThan(0);
    expect(r.stdout).toContain(`${n.fail} failed, ${n.error} could not be evaluated, ${n.waived} waived, ${n.pass} passed, ${n['not-applicable']} not applicable`);
    expect(r.stdout).not.toMatch(/\u001b\[/);
    expect(r.stderr).toBe('');
  });

  it('writes every requested report, byte-identical on a second run', async () => {
    const dir = tmp();
    const args = (d: string) => ['scan', '--estate', example.estate, '--policy', example.policy, ...T, '--format', 'sarif', '--output', join(d, 'out.sarif'), '--format', 'junit', '--output', join(d, 'out.xml'), '--format', 'json', '--output', join(d, 'out.json')];
    expect((await run(args(dir))).code).toBe(1);
    const again = tmp();
    await run(args(again));
    for (const f of ['out.sarif', 'out.xml', 'out.json']) expect(readFileSync(join(dir, f))).toEqual(readFileSync(join(again, f)));
    const sarif = JSON.parse(readFileSync(join(dir, 'out.sarif'), 'utf8'));
    const n = (await exampleJson()).summary.byStatus;
    // Waived results are failures with an accepted suppression.
    expect(sarif.runs[0].results.filter((r: { kind: string }) => r.kind === 'fail').length).toBe(n.fail + n.waived);
    expect(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe('examples/set/rules.yaml');
  });

  it('--fail-on raises the bar: only failures at or above it set exit 1', async () => {
    const dir = tmp();
    const estate = JSON.parse(readFileSync(example.estate, 'utf8'));
    estate.resources = estate.resources.filter((r: { type: string }) => r.type === 'aws.rds.instance');
    estate.coverage = estate.coverage.map((c: object) => ({ ...c, status: 'collected', reason: undefined }));
    writeFileSync(join(dir, 'e.json'), JSON.stringify(estate));
    // Only the rules the example names, so that rules judging what this estate lacks give no errors.
    const policy = parseYaml(readFileSync(example.policy, 'utf8'), example.policy, 'policy').value as object;
    writeFileSync(join(dir, 'rules.yaml'), JSON.stringify({ ...policy, catalogue: 'none' }));
    const base = ['scan', '--estate', join(dir, 'e.json'), '--policy', join(dir, 'rules.yaml'), ...T];
    expect((await run([...base, '--fail-on', 'high'])).code).toBe(1);
    expect((await run([...base, '--fail-on', 'critical'])).code).toBe(0);
    expect((await run([...base, '--fail-on', 'none'])).code).toBe(0);
  });

  it('exits 3 when nothing fails but something could not be evaluated', async () => {
    const dir = tmp();
    const estate = JSON.parse(readFileSync(example.estate, 'utf8'));
    // One clean database, and what the account-level rules need to pass: the break-glass roles
    // the organisation's analyzer and trail. set-prod-il's analyzers go unread, an error of its own.
    estate.resources = estate.resources.filter(
      (r: { name: string; type: string }) => r.name === 'set-prod-api' || r.name === 'OrganizationAccountAccessRole' || r.type === 'aws.accessanalyzer.analyzer' || r.type === 'aws.cloudtrail.trail' || r.name === 'set-audit-log-archive',
    );
    estate.coverage = estate.coverage.filter((c: { account: string; service: string }) => !(c.account === '555555555555' && c.service === 'accessanalyzer'));
    writeFileSync(join(dir, 'e.json'), JSON.stringify(estate));
    const r = await run(['scan', '--estate', join(dir, 'e.json'), '--policy', example.policy, ...T]);
    expect(r.stdout).toContain('could not be evaluated');
    expect(r.code).toBe(3);
  });

  it.each([
    [['--estate', '/nope/estate.json'], '/nope/estate.json does not exist; check the path of the estate file.'],
    [['--estate', 'examples/set/estate.json', '--format', 'pdf'], '--format "pdf" is not a report format'],
    [['--estate', 'examples/set/estate.json', '--fail-on', 'severe'], '--fail-on "severe" is not a severity'],
    [['--estate', 'examples/set/estate.json', '--policy', 'examples/set'], 'is a directory, not a policy file'],
    [['--estate', 'examples/set/rules.yaml'], 'the estate file is not valid JSON'],
    [[], 'Name the estate to scan: --estate FILE'],
  ])('bad input %j: exit 2, one sentence, no stack, no report', async (args, sentence) => {
    const dir = tmp();
    const out = join(dir, 'out.sarif');
    const formats = args.includes('--format') ? ['--output', out] : ['--format', 'sarif', '--output', out];
    const r = await run(['scan', '--policy', example.policy, ...args, ...formats]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(sentence);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
  });

  it('--verbose adds the stack trace', async () => {
    const r = await run(['scan', '--estate', '/nope.json', '--policy', example.policy, '--verbose']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\n\s+at /);
  });
});

describe('orglint validate and rules', () => {
  it('validates the example and default policies', async () => {
    for (const policy of [example.policy, join(root, 'rules.yaml')]) {
      const r = await run(['validate', '--policy', policy]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('is valid');
    }
  });

  it('names the line of a policy mistake', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'rules.yaml'), 'version: 1\nenvironments:\n  prod:\n    accounts: { names: [p] }\nrules:\n  backup-retension: high\n');
    const r = await run(['validate', '--policy', join(dir, 'rules.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('rules.yaml:6:3: "backup-retension" is not a rule orglint knows (did you mean "backup-retention"?)');
  });

  it('lists, filters and shows rules', async () => {
    const all = await run(['rules', 'list']);
    expect(all.stdout).toContain('backup-retention');
    const cis = JSON.parse((await run(['rules', 'list', '--framework', 'cis-aws', '--json'])).stdout) as { id: string; frameworks: Record<string, string[]> }[];
    expect(cis.map((r) => r.id)).toContain('iam-user-mfa');
    expect(cis.map((r) => r.id)).not.toContain('backup-retention');
    expect(cis.every((r) => (r.frameworks['cis-aws'] ?? []).length > 0)).toBe(true);
    const byType = await run(['rules', 'list', '--resource-type', 'aws.kms.key', '--json']);
    const kmsIds = JSON.parse(byType.stdout).map((r: { id: string }) => r.id);
    expect(kmsIds).toContain('kms-environment-isolation');
    expect(kmsIds).not.toContain('iam-user-mfa');
    const show = await run(['rules', 'show', 'backup-retention']);
    expect(show.stdout).toContain('NIST SP 800-53 rev. 5: CP-9, CP-10');
    expect((await run(['rules', 'show', 'nope'])).code).toBe(2);
    expect((await run(['rules', 'list', '--framework', 'pci'])).code).toBe(2);
  });
});

describe('pnpm orglint, as a user runs it', () => {
  it('runs from the repository root with the documented exit code', async () => {
    const r = spawnSync('pnpm', ['--silent', 'orglint', 'scan', '--estate', 'examples/set/estate.json', '--policy', 'examples/set/rules.yaml', '--format', 'json', ...T], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout).summary.byStatus).toEqual((await exampleJson()).summary.byStatus);
    const bad = spawnSync('pnpm', ['--silent', 'orglint', 'scan', '--estate', 'missing.json'], { cwd: root, encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('missing.json does not exist');
    expect(execFileSync('pnpm', ['--silent', 'orglint', '--version'], { cwd: root, encoding: 'utf8' }).trim()).toBe('0.1.0');
  }, 60_000);
});

describe('orglint evidence and the nightly baseline', () => {
  it('writes a byte-identical, verifiable bundle and names a changed file', async () => {
    const a = join(tmp(), 'bundle');
    const b = join(tmp(), 'bundle');
    for (const dir of [a, b]) {
      const r = await run(['evidence', '--estate', example.estate, '--policy', example.policy, '--output', dir, ...T]);
      expect(r.code, r.stderr).toBe(0);
    }
    for (const f of ['manifest.json', 'report.html', 'report.sarif', 'results.json', 'frameworks.csv']) expect(readFileSync(join(a, f))).toEqual(readFileSync(join(b, f)));
    expect((await run(['evidence', 'verify', a])).code).toBe(0);
    writeFileSync(join(a, 'results.json'), '{}');
    const bad = await run(['evidence', 'verify', a]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('results.json changed');
    const again = await run(['evidence', '--estate', example.estate, '--policy', example.policy, '--output', a, ...T]);
    expect(again.code).toBe(2);
  }, 30_000);

  it('with --baseline and --fail-on-new only new failures set exit 1', async () => {
    const dir = tmp();
    const baseline = join(dir, 'last-night.json');
    await run(['scan', '--estate', example.estate, '--policy', example.policy, ...T, '--format', 'json', '--output', baseline]);
    const same = await run(['scan', '--estate', example.estate, '--policy', example.policy, ...T, '--baseline', baseline, '--fail-on-new', '--format', 'markdown']);
    expect(same.code).toBe(3);
    expect(same.stdout).toContain('**0 new failures**');
    const estate = JSON.parse(readFileSync(example.estate, 'utf8'));
    estate.resources.find((r: { name: string }) => r.name === 'set-prod-api').properties.backupRetentionDays = 1;
    writeFileSync(join(dir, 'tonight.json'), JSON.stringify(estate));
    const worse = await run(['scan', '--estate', join(dir, 'tonight.json'), '--policy', example.policy, ...T, '--baseline', baseline, '--fail-on-new', '--format', 'markdown']);
    expect(worse.code).toBe(1);
    expect(worse.stdout).toContain('**1 new failure**');
    expect((await run(['scan', '--estate', example.estate, '--policy', example.policy, '--fail-on-new'])).code).toBe(2);
    expect((await run(['scan', '--estate', example.estate, '--policy', example.policy, '--baseline', example.policy])).stderr).toContain('baseline');
  });
});
