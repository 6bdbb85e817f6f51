import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANAGEMENT_ACCOUNT, buildMotoOrg, motoAvailable, plantScenario, startMoto, type MotoOrg, type MotoServer } from '@orglint/core/testing';

const RUN = motoAvailable('orglint scan --live against moto');
const root = new URL('../../../', import.meta.url).pathname;
const bin = join(root, 'packages/cli/src/bin.ts');
const T = ['--timestamp', '2026-11-23T00:00:00Z'];

interface JsonResult {
  ruleId: string;
  status: string;
  messageId?: string;
  resource: { type: string; id: string; name?: string; account: string };
}

describe.runIf(RUN)('orglint against a live organisation (moto)', () => {
  let moto: MotoServer;
  let org: MotoOrg;
  let dir: string;
  let policy: string;

  /** The CLI as a subprocess, with the SDK pointed at moto only through AWS_ENDPOINT_URL. */
  function orglint(args: string[]) {
    return spawnSync(process.execPath, ['--import', 'tsx', '--conditions=orglint-source', bin, ...args], {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 1 << 28,
      env: {
        PATH: process.env.PATH,
        HOME: dir,
        AWS_ENDPOINT_URL: moto.endpoint,
        AWS_ACCESS_KEY_ID: 'testing',
        AWS_SECRET_ACCESS_KEY: 'testing',
        AWS_REGION: 'us-east-1',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        NO_COLOR: '1',
      },
    });
  }

  beforeAll(async () => {
    moto = await startMoto();
    org = await buildMotoOrg(moto.endpoint);
    await plantScenario(org);
    dir = mkdtempSync(join(tmpdir(), 'orglint-live-'));
    policy = join(dir, 'rules.yaml');
    writeFileSync(
      policy,
      [
        'version: 1',
        'accounts:',
        `  management: "${MANAGEMENT_ACCOUNT}"`,
        `  security: "${org.accounts.security}"`,
        'environments:',
        '  nonprod:',
        `    accounts: { ids: ["${org.accounts.nonprod}"] }`,
        '    parameters: { backupRetentionDays: 3, realData: false, allowedDataClasses: [synthetic], allowedRegions: [eu-west-1] }',
        '  production:',
        `    accounts: { ids: ["${org.accounts.prod}"] }`,
        '    parameters: { backupRetentionDays: 35, realData: true, allowedDataClasses: [confidential], allowedRegions: [eu-west-1] }',
        'catalogue: none',
        'rules:',
        '  iam-user-mfa: on',
        '  backup-retention: on',
        '  kms-environment-isolation: on',
        '  no-real-data-in-nonprod: on',
        '  no-workloads-in-management: on',
        '',
      ].join('\n'),
    );
  }, 120_000);

  afterAll(async () => {
    await moto?.stop();
  });

  it('scan --live finds the planted violations resource by resource, and passes the clean counterparts', () => {
    const run = orglint(['scan', '--live', '--policy', policy, '--role-name', 'OrganizationAccountAccessRole', '--max-attempts', '1', '--format', 'json', ...T]);
    expect(run.status, run.stderr).toBe(1);
    expect(run.stderr).toMatch(/collected 4 accounts in 1 region with \d+ calls/);
    const results = JSON.parse(run.stdout).results as JsonResult[];
    const outcome = (rule: string, name: string) => {
      const r = results.find((x) => x.ruleId === rule && (x.resource.name === name || x.resource.id.endsWith(`/${name}`) || x.resource.id.endsWith(`:${name}`)));
      return r ? (r.status === 'fail' ? `fail:${r.messageId}` : r.status) : 'absent';
    };
    expect(outcome('iam-user-mfa', 'alice')).toBe('fail:userWithoutMfa');
    expect(outcome('iam-user-mfa', 'bob')).toBe('pass');
    expect(outcome('backup-retention', 'orders-db')).toBe('fail:retentionTooShort');
    expect(outcome('backup-retention', 'billing-db')).toBe('pass');
    expect(outcome('backup-retention', 'ledger')).toBe('fail:retentionTooShort');
    expect(outcome('no-real-data-in-nonprod', 'orders-manual')).toBe('fail:snapshotShared');
    expect(results.some((r) => r.ruleId === 'kms-environment-isolation' && r.resource.type === 'aws.kms.key' && r.messageId === 'admitsOtherEnvironment')).toBe(true);
    const workloads = results.filter((r) => r.ruleId === 'no-workloads-in-management' && r.status === 'fail').map((r) => r.resource.type);
    expect([...new Set(workloads)].sort()).toEqual(['aws.ec2.instance', 'aws.ecr.repository', 'aws.ecs.cluster', 'aws.ecs.service', 'aws.eks.cluster', 'aws.lambda.function']);
    // Nothing is judged compliant that was not looked at: every result is about a collected resource or a named gap.
    expect(results.filter((r) => r.status === 'pass').every((r) => r.resource.type !== 'coverage')).toBe(true);
  }, 120_000);

  it('collect writes an estate whose scan gives the same results as scan --live', () => {
    const estate = join(dir, 'estate.json');
    const collected = orglint(['collect', '--policy', policy, '--role-name', 'OrganizationAccountAccessRole', '--max-attempts', '1', '--output', estate, '--quiet', ...T]);
    expect(collected.status, collected.stderr).toBe(0);
    expect(collected.stdout).toContain(`Wrote ${estate}: 4 accounts`);
    const replay = orglint(['scan', '--estate', estate, '--policy', policy, '--format', 'json', ...T]);
    const live = orglint(['scan', '--live', '--quiet', '--policy', policy, '--role-name', 'OrganizationAccountAccessRole', '--max-attempts', '1', '--format', 'json', ...T]);
    expect(replay.status, `${replay.stderr}\n---\n${live.stderr}`).toBe(live.status);
    expect(JSON.parse(replay.stdout).results).toEqual(JSON.parse(live.stdout).results);
    expect(JSON.parse(readFileSync(estate, 'utf8')).schemaVersion).toBe(1);
  }, 180_000);

  it('--quiet silences the summary; a bad region is one sentence and exit 2', () => {
    const quiet = orglint(['scan', '--live', '--quiet', '--policy', policy, '--role-name', 'OrganizationAccountAccessRole', '--max-attempts', '1', '--format', 'json', '--regions', 'eu-west-1', ...T]);
    expect(quiet.status).toBe(1);
    expect(quiet.stderr).toBe('');
    const bad = orglint(['scan', '--live', '--policy', policy, '--regions', 'eu-west-1,mars-north-9x', ...T]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^orglint: The region "mars-north-9x" is not an AWS region name/);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  }, 120_000);

  it('no credentials is one sentence and exit 2', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--conditions=orglint-source', bin, 'scan', '--live', '--policy', policy], {
      cwd: root,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: dir, AWS_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^orglint: .*credentials/i);
  }, 60_000);
});
