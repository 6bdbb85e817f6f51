import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseYaml } from '@orglint/core';
import { main } from './main.js';

const root = new URL('../../../', import.meta.url).pathname;
const plans = 'packages/core/test-fixtures/terraform-plan';
const policy = 'examples/set/rules.yaml';
const T = ['--timestamp', '2026-11-23T00:00:00Z'];

async function run(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), stdoutIsTty: false, stderrIsTty: false, env: {}, cwd: root });
  return { code, stdout, stderr };
}

interface SarifResult {
  ruleId: string;
  kind: string;
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[];
}

describe('orglint scan --plan (the pre-merge check)', () => {
  it('judges a planned cluster by the environment it lands in: 1 day of backups fails in production', async () => {
    const r = await run(['scan', '--plan', `${plans}/terraform-compliance__rds_cluster_backup_retention.plan.out.json`, '--environment', 'production', '--policy', policy, '--format', 'json', ...T]);
    expect(r.code).toBe(1);
    const results = JSON.parse(r.stdout).results as { ruleId: string; status: string; messageId?: string; resource: { type: string }; location?: { address: string } }[];
    const backup = results.filter((x) => x.ruleId === 'backup-retention');
    expect(backup).toHaveLength(1);
    expect(backup[0]).toMatchObject({ status: 'fail', messageId: 'retentionTooShort', resource: { type: 'aws.rds.cluster' }, location: { address: 'aws_rds_cluster.db_cluster' } });
  });

  it('points SARIF results at the .tf file and line of the resource block, through nested modules', async () => {
    const r = await run(['scan', '--plan', `${plans}/all-types.plan.json`, '--environment', 'production', '--policy', policy, '--source-dir', `${plans}/project`, '--format', 'sarif', ...T]);
    const results = JSON.parse(r.stdout).runs[0].results as SarifResult[];
    const cluster = results.find((x) => x.ruleId === 'backup-retention' && x.message.text.startsWith('ledger-eu '));
    expect(cluster?.locations[0]?.physicalLocation.artifactLocation.uri).toBe(`${plans}/project/modules/data/modules/db/main.tf`);
    expect(cluster?.locations[0]?.physicalLocation.region.startLine).toBe(26);
    const user = results.find((x) => x.ruleId === 'iam-user-mfa');
    expect(user?.locations[0]?.physicalLocation.artifactLocation.uri).toBe(`${plans}/project/iam.tf`);
  });

  it('a value known only after apply is could-not-evaluate (SARIF kind open), never a pass or a fail', async () => {
    const r = await run(['scan', '--plan', `${plans}/infracost__terraform_v0.14_plan.json`, '--environment', 'production', '--policy', policy, '--format', 'sarif', ...T]);
    const results = JSON.parse(r.stdout).runs[0].results as SarifResult[];
    const unknown = results.filter((x) => x.message.text.includes('known only after apply'));
    expect(unknown.length).toBeGreaterThan(0);
    expect(unknown.every((x) => x.kind === 'open')).toBe(true);
  });

  it('exits 3 when nothing fails but a planned value is known only after apply', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'orglint-plan-'));
    const plan = JSON.parse(readFileSync(join(root, plans, 'terraform-compliance__rds_cluster_backup_retention.plan.out.json'), 'utf8'));
    const change = plan.resource_changes[0].change;
    delete change.after.backup_retention_period;
    change.after_unknown.backup_retention_period = true;
    writeFileSync(join(dir, 'plan.json'), JSON.stringify(plan));
    // The fixture's cluster is planned in us-east-1, outside S.E.T's regions: that failure is not this test's subject.
    const set = parseYaml(readFileSync(join(root, policy), 'utf8'), policy, 'policy').value as { rules?: Record<string, unknown> };
    writeFileSync(join(dir, 'rules.yaml'), JSON.stringify({ ...set, rules: { ...set.rules, 'allowed-regions': 'off' } }));
    const r = await run(['scan', '--plan', join(dir, 'plan.json'), '--environment', 'production', '--policy', join(dir, 'rules.yaml'), ...T]);
    expect(r.stdout).toContain('Could not evaluate: resource.properties.backupRetentionDays is known only after apply.');
    expect(r.code).toBe(3);
  });

  it('overlays the plan on the real estate: relations see both, and only planned resources are reported', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'orglint-plan-'));
    const plan = JSON.parse(readFileSync(join(root, plans, 'terraform-compliance__rds_cluster_backup_retention.plan.out.json'), 'utf8'));
    const change = plan.resource_changes[0];
    change.change.after.backup_retention_period = 35;
    // The planned cluster in nonprod would use production's key, which exists only in the estate.
    change.change.after.kms_key_id = 'arn:aws:kms:eu-west-1:444444444444:key/1f2e3d4c-0000-4000-8000-00000000a001';
    change.change.after.storage_encrypted = true;
    delete change.change.after_unknown.kms_key_id;
    delete change.change.after_unknown.storage_encrypted;
    writeFileSync(join(dir, 'plan.json'), JSON.stringify(plan));
    const r = await run(['scan', '--plan', join(dir, 'plan.json'), '--estate', 'examples/set/estate.json', '--account', '333333333333', '--policy', policy, '--format', 'json', ...T]);
    const results = JSON.parse(r.stdout).results as { ruleId: string; status: string; messageId?: string; resource: { account: string } }[];
    expect(results.every((x) => x.resource.account === '333333333333')).toBe(true);
    expect(results.find((x) => x.ruleId === 'kms-environment-isolation')).toMatchObject({ status: 'fail', messageId: 'keyFromOtherEnvironment' });
    expect(results.find((x) => x.ruleId === 'backup-retention')).toMatchObject({ status: 'pass' });
    const all = await run(['scan', '--plan', join(dir, 'plan.json'), '--estate', 'examples/set/estate.json', '--account', '333333333333', '--policy', policy, '--format', 'json', '--all', ...T]);
    expect(JSON.parse(all.stdout).results.length).toBeGreaterThan(results.length);
  });

  it.each([
    [['--plan', `${plans}/regula__iam_user_attached_policy.tfplan.json`], 'cannot tell which AWS account the plan applies to'],
    [['--plan', 'examples/set/estate.json'], 'orglint estate'],
    [['--plan', 'examples/set/rules.yaml'], 'plan'],
    [['--plan', `${plans}/all-types.plan.json`, '--environment', 'staging'], '--environment "staging" is not an environment of examples/set/rules.yaml'],
    [['--estate', 'examples/set/estate.json', '--environment', 'production'], '--environment belongs to a plan check'],
  ])('bad input %j: exit 2 with one sentence', async (args, fragment) => {
    const r = await run(['scan', '--policy', policy, ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(fragment);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
