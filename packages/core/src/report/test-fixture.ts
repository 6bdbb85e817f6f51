/**
 * Scan results for the reporter tests. Not a test file (vitest collects only `*.test.ts`) and
 * exported from nowhere public.
 */
import { createHash } from 'node:crypto';
import type { CoverageRecord } from '../estate/types.js';
import type {
  AppliedWaiver,
  BaselineDiff,
  Result,
  ResultResource,
  RuleSummary,
  ScanResult,
  Severity,
  Status,
  WaiverStatus,
} from '../model.js';
import { SEVERITIES, STATUSES, findingsIn } from '../model.js';

export const FIXTURE_GENERATED_AT = '2025-06-01T03:00:00.000Z';
/** A name with every XML-special character, a control character (BEL) and non-ASCII text. */
export const NASTY_NAME = 'données <&>"\' \u0007 日本 🪣';

const PROD = { account: '111111111111', accountName: 'Production' };
const SANDBOX = { account: '222222222222', accountName: 'Sandbox <dev> & "test"' };
const SHARED = { account: '333333333333' };

function fingerprint(ruleId: string, resource: ResultResource): string {
  return createHash('sha256').update(`${ruleId}\u0000${resource.arn ?? resource.id}`).digest('hex');
}

function rule(
  id: string,
  severity: Severity,
  line: number,
  extra: Partial<Omit<RuleSummary, 'id' | 'severity' | 'policyLocation'>> = {},
): RuleSummary {
  return {
    id,
    title: extra.title ?? `The ${id} requirement holds`,
    severity,
    rationale: extra.rationale ?? `Rationale of ${id}: why an auditor cares.`,
    remediation: extra.remediation ?? `Change the resource so that ${id} holds.`,
    resourceTypes: extra.resourceTypes ?? ['aws.s3.bucket'],
    frameworks: extra.frameworks ?? {},
    origin: extra.origin ?? 'builtin',
    policyLocation: { file: 'rules.yaml', line, column: 5 },
  };
}

export const FIXTURE_RULES: readonly RuleSummary[] = [
  rule('budget-exists', 'info', 40, {
    title: 'Every account has a cost budget',
    resourceTypes: ['aws.budgets.budget'],
  }),
  rule('kms-key-rotation', 'low', 31, {
    title: 'Customer managed KMS keys rotate every year',
    resourceTypes: ['aws.kms.key'],
    frameworks: { 'cis-aws': ['3.6'], 'nist-800-53': ['SC-12'] },
  }),
  rule('rds-backup-retention', 'high', 22, {
    title: 'Database backups are kept as long as the environment requires',
    rationale: 'Backups kept too briefly cannot restore data lost before the retention window.',
    remediation: 'Set backup_retention_period to at least the environment parameter backupRetentionDays.',
    resourceTypes: ['aws.rds.instance'],
    frameworks: { soc2: ['A1.2'], 'iso-27001': ['A.8.13'] },
  }),
  rule('root-hardware-mfa', 'critical', 14, {
    title: 'The root user has hardware MFA',
    resourceTypes: ['aws.iam.root'],
    frameworks: { 'cis-aws': ['1.6'], 'nist-800-53': ['IA-2(1)', 'IA-2(2)'] },
  }),
  rule('s3-public-access-block', 'medium', 27, {
    title: 'Buckets block public access <&>"\'',
    frameworks: { 'cis-aws': ['2.1.4'] },
  }),
  rule('team-tag', 'medium', 9, {
    title: 'Workload resources carry a team tag',
    origin: 'policies/custom rules.yaml',
    resourceTypes: ['aws.s3.bucket', 'aws.rds.instance'],
  }),
];

interface ResultSpec {
  readonly ruleId: string;
  readonly status: Status;
  readonly resource: ResultResource;
  readonly environment?: string | null;
  readonly message?: string;
  readonly evidence?: Result['evidence'];
  readonly waiver?: AppliedWaiver;
  readonly location?: Result['location'];
}

function result(spec: ResultSpec): Result {
  const r = FIXTURE_RULES.find((x) => x.id === spec.ruleId)!;
  return {
    ruleId: spec.ruleId,
    status: spec.status,
    severity: r.severity,
    resource: spec.resource,
    environment: spec.environment === undefined ? 'prod' : spec.environment,
    messageId: spec.status,
    message: spec.message ?? `${spec.ruleId} is ${spec.status} for ${spec.resource.id}.`,
    ...(spec.evidence ? { evidence: spec.evidence } : {}),
    ...(spec.waiver ? { waiver: spec.waiver } : {}),
    fingerprint: fingerprint(spec.ruleId, spec.resource),
    ...(spec.location ? { location: spec.location } : {}),
  };
}

function root(account: { account: string; accountName?: string }): ResultResource {
  return {
    type: 'aws.iam.root',
    id: `arn:aws:iam::${account.account}:root`,
    arn: `arn:aws:iam::${account.account}:root`,
    region: 'global',
    ...account,
  };
}

function db(account: { account: string; accountName?: string }, name: string, region = 'eu-west-1'): ResultResource {
  const arn = `arn:aws:rds:${region}:${account.account}:db:${name}`;
  return { type: 'aws.rds.instance', id: arn, arn, region, name, ...account };
}

function bucket(account: { account: string; accountName?: string }, name: string, region = 'eu-west-1'): ResultResource {
  return { type: 'aws.s3.bucket', id: `arn:aws:s3:::${name}`, arn: `arn:aws:s3:::${name}`, region, name, ...account };
}

const WAIVERS: readonly WaiverStatus[] = [
  {
    index: 0,
    rule: 'root-hardware-mfa',
    resource: 'arn:aws:iam::222222222222:root',
    reason: 'Sandbox root is break-glass only; the key is in the safe <room 2>.',
    owner: 'platform-team',
    approver: 'ciso@example.com',
    expires: '2025-06-10',
    state: 'active',
    matched: 1,
    location: { file: 'rules.yaml', line: 60, column: 5 },
  },
  {
    index: 1,
    rule: 'rds-backup-retention',
    resource: 'arn:aws:rds:eu-west-1:111111111111:db:legacy-db',
    reason: 'Migration to Aurora pending',
    owner: 'data-team',
    expires: '2025-05-01',
    state: 'expired',
    matched: 1,
    location: { file: 'rules.yaml', line: 66, column: 5 },
  },
  {
    index: 2,
    rule: 's3-public-access-block',
    resource: 'arn:aws:s3:::gone-bucket',
    reason: 'Static website',
    expires: '2026-01-01',
    state: 'unused',
    matched: 0,
    location: { file: 'rules.yaml', line: 71, column: 5 },
  },
];

const GAPS: readonly CoverageRecord[] = [
  {
    account: '222222222222',
    region: 'eu-west-1',
    service: 'rds',
    status: 'denied',
    reason: 'AccessDenied: not authorized to perform rds:DescribeDBInstances',
  },
  { account: '333333333333', region: 'us-east-1', service: 'kms', status: 'failed', reason: 'Throttling: Rate exceeded' },
];

/** Sorts as the engine does: rule id, account, region, resource id. */
export function sortResults(results: readonly Result[]): Result[] {
  const key = (r: Result): string[] => [r.ruleId, r.resource.account, r.resource.region, r.resource.id];
  return [...results].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i += 1) {
      if (ka[i]! < kb[i]!) return -1;
      if (ka[i]! > kb[i]!) return 1;
    }
    return 0;
  });
}

/** The summary the engine would compute for these results. */
export function summarize(results: readonly Result[]): ScanResult['summary'] {
  const byStatus = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  const failuresBySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const accounts = new Set<string>();
  const resources = new Set<string>();
  for (const r of results) {
    byStatus[r.status] += 1;
    if (r.status === 'fail') failuresBySeverity[r.severity] += 1;
    accounts.add(r.resource.account);
    resources.add(`${r.resource.account}/${r.resource.arn ?? r.resource.id}`);
  }
  return { byStatus, failuresBySeverity, accounts: accounts.size, resources: resources.size };
}

function fixtureResults(): Result[] {
  return [
    // root-hardware-mfa: a failure, a waived result and a pass.
    result({
      ruleId: 'root-hardware-mfa',
      status: 'fail',
      resource: root(PROD),
      message: 'The root user of Production has no hardware MFA device.',
      evidence: { path: 'properties.mfaDevices', actual: [], expected: 'a hardware MFA device' },
    }),
    result({
      ruleId: 'root-hardware-mfa',
      status: 'waived',
      resource: root(SANDBOX),
      environment: 'sandbox',
      message: 'The root user of Sandbox has no hardware MFA device.',
      waiver: {
        index: 0,
        reason: WAIVERS[0]!.reason,
        owner: 'platform-team',
        approver: 'ciso@example.com',
        expires: '2025-06-10',
        expired: false,
      },
    }),
    result({ ruleId: 'root-hardware-mfa', status: 'pass', resource: root(SHARED), environment: null, message: 'The root user has a hardware MFA device.' }),
    // rds-backup-retention: a planned resource with a .tf location, an expired waiver, an error, a pass, n/a.
    result({
      ruleId: 'rds-backup-retention',
      status: 'fail',
      resource: db(PROD, 'orders-db'),
      message: 'Backups of orders-db are kept 1 day; prod requires 7.',
      evidence: { path: 'properties.backupRetentionPeriod', actual: 1, expected: 7 },
      location: { file: 'infra/terraform/rds.tf', line: 12, column: 1, address: 'module.db.aws_db_instance.orders' },
    }),
    result({
      ruleId: 'rds-backup-retention',
      status: 'fail',
      resource: db(PROD, 'legacy-db'),
      message: 'Backups of legacy-db are kept 0 days; prod requires 7.',
      evidence: { path: 'properties.backupRetentionPeriod', actual: 0, expected: 7 },
      waiver: { index: 1, reason: 'Migration to Aurora pending', owner: 'data-team', expires: '2025-05-01', expired: true },
    }),
    result({ ruleId: 'rds-backup-retention', status: 'pass', resource: db(PROD, 'users-db'), message: 'Backups of users-db are kept 14 days.' }),
    result({
      ruleId: 'rds-backup-retention',
      status: 'error',
      resource: { type: 'aws.organizations.account', id: '222222222222', region: 'eu-west-1', ...SANDBOX },
      environment: 'sandbox',
      message: 'RDS was not collected in eu-west-1 (denied), so backup retention could not be evaluated.',
    }),
    result({
      ruleId: 'rds-backup-retention',
      status: 'not-applicable',
      resource: db(SHARED, 'tools-db', 'us-east-1'),
      environment: null,
      message: 'tools-db is in no environment.',
    }),
    // s3-public-access-block: a nasty name, and the same bucket name twice in different accounts.
    result({
      ruleId: 's3-public-access-block',
      status: 'fail',
      resource: bucket(SANDBOX, NASTY_NAME),
      environment: 'sandbox',
      message: `Bucket ${NASTY_NAME} allows public ACLs <script>&amp;.`,
      evidence: { path: 'properties.publicAccessBlock.blockPublicAcls', actual: false, expected: true },
    }),
    result({ ruleId: 's3-public-access-block', status: 'pass', resource: bucket(PROD, 'prod-logs'), message: 'prod-logs blocks public access.' }),
    // kms-key-rotation: passes only; budget-exists: no results at all.
    result({
      ruleId: 'kms-key-rotation',
      status: 'pass',
      resource: {
        type: 'aws.kms.key',
        id: 'arn:aws:kms:eu-west-1:111111111111:key/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b',
        arn: 'arn:aws:kms:eu-west-1:111111111111:key/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b',
        region: 'eu-west-1',
        ...PROD,
      },
      message: 'The key rotates every 365 days.',
    }),
    // team-tag (custom rule): a failure in us-east-1.
    result({
      ruleId: 'team-tag',
      status: 'fail',
      resource: bucket(PROD, 'prod-artifacts', 'us-east-1'),
      message: 'prod-artifacts has no team tag.',
      evidence: { path: 'tags.team' },
    }),
  ];
}

/** The scan with other results: `findings`, their view, follows them. */
export function withResults(scan: ScanResult, results: readonly Result[]): ScanResult {
  return { ...scan, results, findings: findingsIn(results) };
}

/** A realistic scan: several rules, every status, waivers, coverage gaps, a planned resource. */
export function makeScanResult(overrides: Partial<ScanResult> = {}): ScanResult {
  const results = sortResults(overrides.results ?? fixtureResults());
  return {
    tool: { name: 'orglint', version: '0.1.0', catalogueVersion: '2025.06.0' },
    generatedAt: FIXTURE_GENERATED_AT,
    policy: { file: 'rules.yaml', sha256: 'a'.repeat(64) },
    estate: { source: { kind: 'live', collectedAt: '2025-06-01T02:40:00Z' }, file: 'estate.json', sha256: 'b'.repeat(64) },
    rules: FIXTURE_RULES,
    coverageGaps: GAPS,
    waivers: WAIVERS,
    ...overrides,
    results,
    findings: findingsIn(results),
    summary: overrides.summary ?? summarize(results),
  };
}

/**
 * `count` results spread over the fixture's rules, statuses and severities (every seventh a
 * pass, every eleventh an error), for limits and timing.
 */
export function makeLargeScanResult(count: number): ScanResult {
  const ruleIds = ['kms-key-rotation', 'rds-backup-retention', 'root-hardware-mfa', 's3-public-access-block', 'team-tag'];
  const results: Result[] = [];
  for (let i = 0; i < count; i += 1) {
    const account = { account: String(100000000000 + (i % 40)), accountName: `Account ${i % 40}` };
    const status: Status = i % 7 === 0 ? 'pass' : i % 11 === 0 ? 'error' : 'fail';
    results.push(
      result({
        ruleId: ruleIds[i % ruleIds.length]!,
        status,
        resource: bucket(account, `bucket-${String(i).padStart(6, '0')}`, i % 2 === 0 ? 'eu-west-1' : 'us-east-1'),
        message: `Result ${i} is ${status}.`,
      }),
    );
  }
  return makeScanResult({ results });
}

/** A baseline comparison: the first failing result is new, the others persist, one is resolved. */
export function makeDiff(scan: ScanResult): BaselineDiff {
  const changes: Record<string, 'new' | 'persisting'> = {};
  let first = true;
  for (const r of scan.results) {
    if (r.status !== 'fail' && r.status !== 'error') continue;
    changes[r.fingerprint] = first ? 'new' : 'persisting';
    first = false;
  }
  const goneResource = bucket(PROD, 'old-public-bucket');
  return {
    baselineFile: 'reports/last-night.json',
    baselineGeneratedAt: '2025-05-31T03:00:00.000Z',
    changes,
    resolved: [
      {
        ruleId: 's3-public-access-block',
        severity: 'medium',
        resource: goneResource,
        message: 'Bucket old-public-bucket allows public ACLs.',
        fingerprint: fingerprint('s3-public-access-block', goneResource),
      },
    ],
  };
}
