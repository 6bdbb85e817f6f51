import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CoverageRecord, Estate } from '../../estate/types.js';
import { combineHooks, httpError, jsonError, queryError, startBlackhole, timeoutVia } from '../../testing/inject.js';
import { motoAvailable, startMoto, type MotoServer } from '../../testing/moto.js';
import { buildMotoOrg, type MotoOrg, TEST_CREDENTIALS } from '../../testing/moto-org.js';
import { collectLiveEstate } from './collect.js';
import type { LiveCollectOptions } from './types.js';
import { rejectionOf } from '../../testing/errors.js';

const RUN = motoAvailable('live collection fail-closed tests against moto');
const NOW = new Date('2026-03-01T12:00:00.000Z');
const REGIONAL = ['accessanalyzer', 'cloudtrail', 'config', 'ec2', 'ecr', 'ecs', 'eks', 'elasticache', 'elb', 'kms', 'lambda', 'rds', 's3'];

function coverageOf(estate: Estate, account: string): CoverageRecord[] {
  return estate.coverage.filter((c) => c.account === account);
}

describe.skipIf(!RUN)('live collection fails closed', () => {
  let moto: MotoServer;
  let org: MotoOrg;
  let base: Pick<LiveCollectOptions, 'endpoint' | 'credentials' | 'roleName' | 'now'>;

  beforeAll(async () => {
    moto = await startMoto();
    await moto.reset();
    org = await buildMotoOrg(moto.endpoint);
    base = { endpoint: moto.endpoint, credentials: async () => TEST_CREDENTIALS, roleName: 'OrganizationAccountAccessRole', now: () => NOW };
  }, 60_000);

  afterAll(async () => {
    await moto?.stop();
  });

  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('skips regions an account has not opted in to, and reports what the endpoint does not implement', async () => {
    // This first run also warms moto up (lazy service imports, default VPCs), so that the
    // short timeouts of the next test only fire where the test makes them fire.
    const { estate } = await collectLiveEstate({ ...base, regions: ['ap-east-1', 'eu-west-1', 'us-east-1'], maxAttempts: 1 });
    for (const account of estate.accounts) {
      for (const service of REGIONAL) {
        expect(estate.coverage).toContainEqual({
          account: account.id,
          region: 'ap-east-1',
          service,
          status: 'skipped',
          reason: `region ap-east-1 is not enabled in account ${account.id} (opt-in region)`,
        });
      }
      // moto has no Access Analyzer: an HTTP 500 with an HTML page, never "no analyzers".
      const analyzer = estate.coverage.find((c) => c.account === account.id && c.region === 'eu-west-1' && c.service === 'accessanalyzer');
      expect(analyzer).toMatchObject({ status: 'failed' });
      expect(analyzer?.reason).toMatch(/^access-analyzer:ListAnalyzers: HTTP500 \(/);
      expect(estate.coverage).toContainEqual({ account: account.id, region: 'eu-west-1', service: 'kms', status: 'collected' });
    }
  }, 60_000);

  it('turns a refused role, exhausted throttling and a region that times out into coverage, and collects the rest', async () => {
    const { management, security, nonprod, prod } = org.accounts;
    const blackhole = await startBlackhole();
    try {
      const { estate, stats } = await collectLiveEstate({
        ...base,
        regions: ['eu-west-1', 'us-east-1'],
        maxAttempts: 2,
        clientMiddleware: combineHooks(
          httpError(
            (t, op) => t.service === 'sts' && t.account === nonprod && op === 'AssumeRole',
            403,
            queryError('AccessDenied', `User: arn:aws:sts::${management}:assumed-role/audit/orglint is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${nonprod}:role/OrganizationAccountAccessRole`),
          ),
          httpError((t) => t.service === 'kms' && t.account === prod, 400, jsonError('ThrottlingException', 'Rate exceeded'), { 'content-type': 'application/x-amz-json-1.1' }),
          timeoutVia((t) => t.account === security && t.region === 'eu-west-1', blackhole.port, 300),
        ),
      });

      // The refused role: denied for every service of the account, with the role and the code.
      const denied = coverageOf(estate, nonprod).filter((c) => c.service !== 'organizations');
      expect(denied).toHaveLength(2 + 2 * REGIONAL.length);
      for (const c of denied) {
        expect(c.status).toBe('denied');
        expect(c.reason).toBe(
          `role arn:aws:iam::${nonprod}:role/OrganizationAccountAccessRole could not be assumed: sts:AssumeRole: AccessDenied (User: arn:aws:sts::${management}:assumed-role/audit/orglint is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${nonprod}:role/OrganizationAccountAccessRole)`,
        );
      }
      // Discovery still saw the account from the management account.
      expect(estate.coverage).toContainEqual({ account: nonprod, region: 'global', service: 'organizations', status: 'collected' });
      expect(estate.resources.filter((r) => r.account === nonprod)).toEqual([]);
      expect(estate.accounts.map((a) => a.id)).toContain(nonprod);

      // Throttled until the attempts ran out: KMS failed in both regions, the rest of prod is there.
      for (const region of ['eu-west-1', 'us-east-1']) {
        expect(estate.coverage).toContainEqual({
          account: prod,
          region,
          service: 'kms',
          status: 'failed',
          reason: 'kms:ListKeys: ThrottlingException (still throttled after 2 attempts)',
        });
      }
      expect(coverageOf(estate, prod).filter((c) => c.status !== 'collected').map((c) => `${c.region} ${c.service}`)).toEqual([
        'eu-west-1 accessanalyzer',
        'eu-west-1 kms',
        'us-east-1 accessanalyzer',
        'us-east-1 kms',
      ]);
      expect(estate.resources.some((r) => r.account === prod && r.type === 'aws.iam.role')).toBe(true);

      // The region that never answers: every regional service failed there with a timeout.
      for (const service of REGIONAL.filter((s) => s !== 's3')) {
        const c = estate.coverage.find((x) => x.account === security && x.region === 'eu-west-1' && x.service === service);
        expect(c?.status, service).toBe('failed');
        expect(c?.reason, service).toMatch(/: TimeoutError \(no answer in time after 2 attempts\)$/);
      }
      expect(estate.coverage).toContainEqual({ account: security, region: 'us-east-1', service: 'ec2', status: 'collected' });
      expect(estate.coverage).toContainEqual({ account: security, region: 'global', service: 'iam', status: 'collected' });

      // The management account is untouched (but for moto's missing Access Analyzer).
      expect(coverageOf(estate, management).filter((c) => c.status !== 'collected').map((c) => c.service)).toEqual(['accessanalyzer', 'accessanalyzer']);
      expect(stats.errors).toBe(estate.coverage.filter((c) => c.status === 'denied' || c.status === 'failed').length);
      // No reason ever carries a secret.
      expect(JSON.stringify(estate)).not.toMatch(/secret|ASIA[A-Z0-9]{12}|testing/i);
    } finally {
      await blackhole.stop();
    }
  }, 120_000);

  it('says which credentials are missing when the default chain finds none', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'orglint-creds-'));
    writeFileSync(join(dir, 'config'), '');
    writeFileSync(join(dir, 'credentials'), '');
    for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_ROLE_ARN', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_CONTAINER_CREDENTIALS_FULL_URI']) {
      vi.stubEnv(name, undefined);
    }
    vi.stubEnv('AWS_CONFIG_FILE', join(dir, 'config'));
    vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', join(dir, 'credentials'));
    vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');

    const none = await rejectionOf(collectLiveEstate({ endpoint: moto.endpoint, regions: ['eu-west-1'], now: () => NOW }));
    expect(none.code).toBe('aws-credentials');
    expect(none.message).toBe(
      "No AWS credentials were found: set AWS_PROFILE or pass --profile naming a profile of the organization's management account, or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.",
    );

    const unknown = await rejectionOf(collectLiveEstate({ endpoint: moto.endpoint, regions: ['eu-west-1'], profile: 'org-audit', now: () => NOW }));
    expect(unknown.code).toBe('aws-credentials');
    expect(unknown.message).toBe(
      'The AWS profile "org-audit" is not defined in the AWS config or credentials file (~/.aws/config, ~/.aws/credentials, or the files AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE name); define it there or pass another one with --profile.',
    );

    // A profile that exists but yields nothing (here: a role without a source).
    // (A new file: the SDK caches the files it has read.)
    writeFileSync(join(dir, 'config-broken'), '[profile broken]\nregion = eu-west-1\n');
    vi.stubEnv('AWS_CONFIG_FILE', join(dir, 'config-broken'));
    const broken = await rejectionOf(collectLiveEstate({ endpoint: moto.endpoint, regions: ['eu-west-1'], profile: 'broken', now: () => NOW }));
    expect(broken.code).toBe('aws-credentials');
    expect(broken.message).toMatch(/^The AWS profile "broken" gave no credentials \(.+\); sign in again \(for example `aws sso login --profile broken`\) or fix the profile's settings, or pass another one with --profile\.$/);
  });

  it('says the session expired when STS answers ExpiredToken', async () => {
    const error = await rejectionOf(
      collectLiveEstate({
        ...base,
        regions: ['eu-west-1'],
        maxAttempts: 1,
        clientMiddleware: httpError((t, op) => op === 'GetCallerIdentity', 403, queryError('ExpiredToken', 'The security token included in the request is expired')),
      }),
    );
    expect(error.code).toBe('aws-credentials');
    expect(error.message).toBe('The AWS session token has expired (ExpiredToken); sign in again (for example `aws sso login`) or refresh the credentials, then run orglint again.');
  });

  it('says how to fix a caller outside any organisation, a member caller and a caller denied Organizations', async () => {
    // A made-up account that belongs to no organisation.
    const loner = (
      await new STSClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS }).send(
        new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::444455556666:role/audit', RoleSessionName: 't' }),
      )
    ).Credentials;
    const lonerCredentials = { accessKeyId: loner?.AccessKeyId ?? '', secretAccessKey: loner?.SecretAccessKey ?? '', sessionToken: loner?.SessionToken ?? '' };
    const outside = await rejectionOf(collectLiveEstate({ ...base, credentials: async () => lonerCredentials, regions: ['eu-west-1'] }));
    expect(outside.code).toBe('aws-organizations');
    expect(outside.message).toBe(
      "Account 444455556666 is not a member of an AWS Organization; run orglint with credentials of the organization's management account (or of a delegated administrator for AWS Organizations).",
    );

    const { nonprod, management } = org.accounts;
    const member = await rejectionOf(collectLiveEstate({ ...base, credentials: async () => org.credentials[nonprod] ?? TEST_CREDENTIALS, regions: ['eu-west-1'] }));
    expect(member.code).toBe('aws-organizations');
    expect(member.message).toBe(
      `Account ${nonprod} is a member of organization ${org.organizationId} but may not list its accounts; run orglint with credentials of the management account ${management}, or register ${nonprod} as a delegated administrator for AWS Organizations.`,
    );

    const denied = await rejectionOf(
      collectLiveEstate({
        ...base,
        regions: ['eu-west-1'],
        maxAttempts: 1,
        clientMiddleware: httpError(
          (t, op) => t.service === 'organizations' && op === 'DescribeOrganization',
          400,
          jsonError('AccessDeniedException', 'You don’t have permissions to access this resource.'),
          { 'content-type': 'application/x-amz-json-1.1' },
        ),
      }),
    );
    expect(denied.code).toBe('aws-organizations');
    expect(denied.message).toBe(
      `The caller arn:aws:sts::${management}:user/moto may not call organizations:DescribeOrganization (AccessDeniedException); attach the read-only policy in packages/core/iam/orglint-readonly-policy.json to it and run orglint from the organization's management account or a delegated administrator for AWS Organizations.`,
    );
  });

  it('gives up on an endpoint that never answers after the configured request timeout', async () => {
    const blackhole = await startBlackhole();
    try {
      const error = await rejectionOf(
        collectLiveEstate({ ...base, endpoint: `http://127.0.0.1:${blackhole.port}`, regions: ['eu-west-1'], maxAttempts: 1, requestTimeoutMs: 200 }),
      );
      expect(error.code).toBe('aws-credentials');
      expect(error.message).toBe(
        "The caller's identity could not be checked with sts:GetCallerIdentity (sts:GetCallerIdentity: TimeoutError (no answer in time after 1 attempt)); check the network, the endpoint and the credentials.",
      );
    } finally {
      await blackhole.stop();
    }
  });

  it('rejects region names that are not regions before calling AWS', async () => {
    const error = await rejectionOf(collectLiveEstate({ ...base, regions: ['eu-west-1', 'Frankfurt'] }));
    expect(error.code).toBe('invalid-argument');
    expect(error.message).toBe('The region "Frankfurt" is not an AWS region name; list regions like eu-west-1,us-east-1.');
  });
});
