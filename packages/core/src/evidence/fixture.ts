/**
 * A realistic scan result for the reporter and evidence tests: several rules with framework
 * references, every status, waivers in every state, coverage gaps, and user data full of
 * unicode and markup to prove the escaping. Test-only; not exported from the package.
 */
import { createHash } from 'node:crypto';
import type { Estate } from '../estate/types.js';
import type { Result, RuleSummary, ScanResult, Severity, Status, WaiverStatus } from '../model.js';
import { SEVERITIES, findingsIn } from '../model.js';

export const GENERATED_AT = '2026-11-23T02:00:00.000Z';

/** A resource name that would run script if any renderer forgot to escape it. */
export const HOSTILE_NAME = '<script>window.__pwned=1</script>';
/** Markdown table and code-span breakers. */
export const MARKDOWN_HOSTILE_NAME = 'ledger`s | <i>copy</i> *bold*';
export const UNICODE_ACCOUNT_NAME = 'dev-Zürich-データ';

const ACCOUNTS = {
  management: { id: '111111111111', name: 'management', ouPath: '/' },
  security: { id: '222222222222', name: 'security-audit', ouPath: '/Security' },
  prod: { id: '333333333333', name: 'prod-payments', ouPath: '/Workloads/Prod' },
  dev: { id: '444444444444', name: UNICODE_ACCOUNT_NAME, ouPath: '/Workloads/Dev' },
  sandbox: { id: '555555555555', name: 'sandbox <b>bold</b>', ouPath: '/Sandbox' },
} as const;

function rule(
  id: string,
  severity: Severity,
  title: string,
  frameworks: RuleSummary['frameworks'],
  resourceTypes: RuleSummary['resourceTypes'],
  line: number,
  origin = 'builtin',
): RuleSummary {
  return {
    id,
    title,
    severity,
    rationale: `Why ${id} matters: an auditor reads this sentence as the rule text.`,
    remediation: `How to fix ${id}: change the setting and re-run the scan.`,
    resourceTypes,
    frameworks,
    origin,
    policyLocation: { file: 'rules.yaml', line, column: 5 },
  };
}

export const RULES: readonly RuleSummary[] = [
  rule('backup-retention', 'high', 'Database backups are kept as long as the environment requires', { 'nist-800-53': ['CP-9'], soc2: ['A1.2'], 'iso-27001': ['A.8.13'] }, ['aws.rds.instance'], 12),
  rule('cloudtrail-organization-trail', 'high', 'An organisation trail records every account', { 'cis-aws': ['3.1'], 'nist-800-53': ['AU-12', 'AU-2'], 'iso-27001': ['A.8.15'] }, ['aws.cloudtrail.trail'], 14),
  rule('kms-key-rotation', 'medium', 'Customer-managed keys rotate yearly', { 'cis-aws': ['3.6'], 'nist-800-53': ['SC-12'], 'iso-27001': ['A.8.24'] }, ['aws.kms.key'], 16),
  rule('s3-public-access-blocked', 'critical', 'Buckets block public access', { 'cis-aws': ['2.1.4', '2.1.10'], 'nist-800-53': ['AC-3', 'SC-7'], soc2: ['CC6.1'] }, ['aws.s3.bucket'], 18),
  rule('team-tag-present', 'low', 'Every bucket names its owning team', {}, ['aws.s3.bucket'], 40, 'rules.yaml'),
];

interface ResultSpec {
  readonly ruleId: string;
  readonly status: Status;
  readonly account: keyof typeof ACCOUNTS;
  readonly type: string;
  readonly name: string;
  readonly region?: string;
  readonly environment?: string | null;
  readonly message: string;
  readonly evidence?: Result['evidence'];
  readonly waiver?: Result['waiver'];
}

const WAIVER_ACTIVE: WaiverStatus = {
  index: 0,
  rule: 'backup-retention',
  resource: 'arn:aws:rds:eu-west-1:444444444444:db:scratch-db',
  reason: 'Scratch database, rebuilt nightly from fixtures.',
  owner: 'data-platform',
  approver: 'ciso@example.com',
  expires: '2027-06-30',
  state: 'active',
  matched: 1,
  location: { file: 'rules.yaml', line: 60 },
};
const WAIVER_EXPIRING: WaiverStatus = {
  index: 1,
  rule: 's3-public-access-blocked',
  resource: 'arn:aws:s3:::public-website-<assets>',
  reason: 'Static website | served via CloudFront `soon`.',
  owner: 'web-team',
  approver: 'ciso@example.com',
  expires: '2026-12-03',
  state: 'active',
  matched: 1,
  location: { file: 'rules.yaml', line: 66 },
};
const WAIVER_EXPIRED: WaiverStatus = {
  index: 2,
  rule: 'kms-key-rotation',
  resource: 'arn:aws:kms:eu-west-1:333333333333:key/legacy',
  reason: 'Legacy HSM import, rotation handled manually.',
  owner: 'payments-platform',
  approver: 'cto@example.com',
  expires: '2026-10-01',
  state: 'expired',
  matched: 1,
  location: { file: 'rules.yaml', line: 72 },
};
const WAIVER_UNUSED: WaiverStatus = {
  index: 3,
  rule: 'team-tag-present',
  resource: 'arn:aws:s3:::decommissioned-bucket',
  reason: 'Bucket being deleted.',
  owner: 'ops',
  expires: '2027-01-15',
  state: 'unused',
  matched: 0,
  location: { file: 'rules.yaml', line: 78 },
};
export const WAIVERS: readonly WaiverStatus[] = [WAIVER_ACTIVE, WAIVER_EXPIRING, WAIVER_EXPIRED, WAIVER_UNUSED];

const SPECS: readonly ResultSpec[] = [
  // backup-retention
  { ruleId: 'backup-retention', status: 'fail', account: 'prod', type: 'aws.rds.instance', name: 'payments-db', environment: 'production', message: 'Backups of payments-db are kept 1 day; production requires at least 35.', evidence: { path: 'backupRetentionPeriod', actual: 1, expected: 35 } },
  { ruleId: 'backup-retention', status: 'fail', account: 'prod', type: 'aws.rds.instance', name: HOSTILE_NAME, environment: 'production', message: `Backups of ${HOSTILE_NAME} are kept 7 days; production requires at least 35.`, evidence: { path: 'backupRetentionPeriod', actual: 7, expected: 35 } },
  { ruleId: 'backup-retention', status: 'pass', account: 'prod', type: 'aws.rds.instance', name: MARKDOWN_HOSTILE_NAME, environment: 'production', message: `Backups of ${MARKDOWN_HOSTILE_NAME} are kept 35 days.`, evidence: { path: 'backupRetentionPeriod', actual: 35, expected: 35 } },
  { ruleId: 'backup-retention', status: 'waived', account: 'dev', type: 'aws.rds.instance', name: 'scratch-db', environment: 'development', message: 'Backups of scratch-db are kept 0 days; development requires at least 7.', evidence: { path: 'backupRetentionPeriod', actual: 0, expected: 7 }, waiver: { index: 0, reason: WAIVER_ACTIVE.reason, owner: 'data-platform', approver: 'ciso@example.com', expires: '2027-06-30', expired: false } },
  { ruleId: 'backup-retention', status: 'error', account: 'sandbox', type: 'aws.rds.instance', name: 'sandbox-db', environment: 'sandbox', message: 'RDS in 555555555555 eu-west-1 could not be collected (AccessDenied), so backup retention could not be evaluated.' },
  // cloudtrail
  { ruleId: 'cloudtrail-organization-trail', status: 'pass', account: 'management', type: 'aws.cloudtrail.trail', name: 'org-trail', environment: null, message: 'org-trail is an organisation trail logging all regions.', evidence: { path: 'isOrganizationTrail', actual: true, expected: true } },
  { ruleId: 'cloudtrail-organization-trail', status: 'not-applicable', account: 'security', type: 'aws.cloudtrail.trail', name: 'audit-local', environment: null, message: 'audit-local is a member-account trail; the rule applies to the management account.' },
  // kms
  { ruleId: 'kms-key-rotation', status: 'fail', account: 'prod', type: 'aws.kms.key', name: 'legacy', environment: 'production', message: 'Key legacy does not rotate (waiver 2 expired on 2026-10-01).', evidence: { path: 'keyRotationEnabled', actual: false, expected: true }, waiver: { index: 2, reason: WAIVER_EXPIRED.reason, owner: 'payments-platform', approver: 'cto@example.com', expires: '2026-10-01', expired: true } },
  { ruleId: 'kms-key-rotation', status: 'pass', account: 'dev', type: 'aws.kms.key', name: 'app-key-ü', environment: 'development', message: 'Key app-key-ü rotates every 365 days.', evidence: { path: 'keyRotationEnabled', actual: true, expected: true } },
  { ruleId: 'kms-key-rotation', status: 'error', account: 'sandbox', type: 'aws.kms.key', name: 'sandbox-key', environment: 'sandbox', message: 'KMS in 555555555555 eu-west-1 could not be collected (AccessDenied), so key rotation could not be evaluated.' },
  // s3
  { ruleId: 's3-public-access-blocked', status: 'fail', account: 'dev', type: 'aws.s3.bucket', name: 'dev-share', environment: 'development', message: 'Bucket dev-share allows public ACLs.', evidence: { path: 'publicAccessBlock.blockPublicAcls', actual: false, expected: true } },
  { ruleId: 's3-public-access-blocked', status: 'waived', account: 'prod', type: 'aws.s3.bucket', name: 'public-website-<assets>', environment: 'production', message: 'Bucket public-website-<assets> allows public policies.', evidence: { path: 'publicAccessBlock.blockPublicPolicy', actual: false, expected: true }, waiver: { index: 1, reason: WAIVER_EXPIRING.reason, owner: 'web-team', approver: 'ciso@example.com', expires: '2026-12-03', expired: false } },
  { ruleId: 's3-public-access-blocked', status: 'pass', account: 'prod', type: 'aws.s3.bucket', name: 'payments-statements', environment: 'production', message: 'Bucket payments-statements blocks all public access.', evidence: { path: 'publicAccessBlock', actual: { blockPublicAcls: true, blockPublicPolicy: true }, expected: { blockPublicAcls: true, blockPublicPolicy: true } } },
  { ruleId: 's3-public-access-blocked', status: 'pass', account: 'security', type: 'aws.s3.bucket', name: 'org-logs', environment: null, message: 'Bucket org-logs blocks all public access.' },
  // custom rule
  { ruleId: 'team-tag-present', status: 'fail', account: 'dev', type: 'aws.s3.bucket', name: 'dev-share', environment: 'development', message: 'Bucket dev-share has no "team" tag.', evidence: { path: 'tags.team' } },
  { ruleId: 'team-tag-present', status: 'fail', account: 'prod', type: 'aws.s3.bucket', name: 'public-website-<assets>', environment: 'production', message: 'Bucket public-website-<assets> has no "team" tag.', evidence: { path: 'tags.team' } },
  { ruleId: 'team-tag-present', status: 'pass', account: 'prod', type: 'aws.s3.bucket', name: 'payments-statements', environment: 'production', message: 'Bucket payments-statements is owned by team payments.', evidence: { path: 'tags.team', actual: 'payments' } },
];

function arnOf(type: string, account: string, region: string, name: string): string {
  if (type === 'aws.s3.bucket') return `arn:aws:s3:::${name}`;
  if (type === 'aws.rds.instance') return `arn:aws:rds:${region}:${account}:db:${name}`;
  if (type === 'aws.kms.key') return `arn:aws:kms:${region}:${account}:key/${name}`;
  return `arn:aws:cloudtrail:${region}:${account}:trail/${name}`;
}

export function fingerprintOf(ruleId: string, resourceId: string): string {
  return createHash('sha256').update(`${ruleId}\n${resourceId}`).digest('hex');
}

function buildResult(spec: ResultSpec): Result {
  const account = ACCOUNTS[spec.account];
  const region = spec.region ?? (spec.type === 'aws.s3.bucket' ? 'eu-west-1' : 'eu-west-1');
  const arn = arnOf(spec.type, account.id, region, spec.name);
  const severity = RULES.find((r) => r.id === spec.ruleId)?.severity ?? 'info';
  return {
    ruleId: spec.ruleId,
    status: spec.status,
    severity,
    resource: { type: spec.type, id: arn, arn, account: account.id, accountName: account.name, region, name: spec.name },
    environment: spec.environment ?? null,
    message: spec.message,
    ...(spec.evidence ? { evidence: spec.evidence } : {}),
    ...(spec.waiver ? { waiver: spec.waiver } : {}),
    fingerprint: fingerprintOf(spec.ruleId, arn),
  };
}

/** Counts as the engine would: failures by severity after waivers. */
export function summarise(results: readonly Result[], accounts: number): ScanResult['summary'] {
  const byStatus: Record<Status, number> = { pass: 0, fail: 0, error: 0, waived: 0, 'not-applicable': 0 };
  const failuresBySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const resources = new Set<string>();
  for (const r of results) {
    byStatus[r.status]++;
    if (r.status === 'fail') failuresBySeverity[r.severity]++;
    resources.add(r.resource.id);
  }
  return { byStatus, failuresBySeverity, accounts, resources: resources.size };
}

export const ESTATE: Estate = {
  schemaVersion: 1,
  source: { kind: 'live', collectedAt: '2026-11-23T01:45:00.000Z', tool: 'orglint 0.1.0', regions: ['eu-west-1', 'us-east-1'] },
  organization: {
    id: 'o-exampleorg',
    managementAccountId: ACCOUNTS.management.id,
    rootId: 'r-ab12',
    organizationalUnits: [
      { id: 'r-ab12', path: '/' },
      { id: 'ou-sec', name: 'Security', path: '/Security' },
      { id: 'ou-work', name: 'Workloads', path: '/Workloads' },
      { id: 'ou-prod', name: 'Prod', path: '/Workloads/Prod' },
      { id: 'ou-dev', name: 'Dev', path: '/Workloads/Dev' },
      { id: 'ou-sbx', name: 'Sandbox', path: '/Sandbox' },
      { id: 'ou-empty', name: 'Suspended', path: '/Suspended' },
    ],
  },
  accounts: Object.values(ACCOUNTS).map((a) => ({ id: a.id, name: a.name, ouPath: a.ouPath, status: 'ACTIVE' })),
  resources: [],
  coverage: [
    { account: ACCOUNTS.sandbox.id, region: 'eu-west-1', service: 'rds', status: 'denied', reason: 'AccessDenied: not authorized to perform rds:DescribeDBInstances' },
    { account: ACCOUNTS.sandbox.id, region: 'eu-west-1', service: 'kms', status: 'denied', reason: 'AccessDenied: kms:ListKeys <denied>' },
    { account: ACCOUNTS.dev.id, region: 'us-east-1', service: 'ecs', status: 'failed', reason: 'ThrottlingException after 5 retries' },
    { account: ACCOUNTS.security.id, region: 'us-east-1', service: 'backup', status: 'skipped', reason: 'Region not enabled in the account' },
    { account: ACCOUNTS.prod.id, region: 'eu-west-1', service: 'rds', status: 'collected' },
  ],
};

export const ESTATE_TEXT = `${JSON.stringify(ESTATE, null, 2)}\n`;

export const POLICY_TEXT = `# orglint policy for the example organisation
version: 1
accounts:
  management: "111111111111"
rules:
  backup-retention: { severity: high }
waivers:
  - rule: backup-retention
    resource: arn:aws:rds:eu-west-1:444444444444:db:scratch-db
    reason: Scratch database, rebuilt nightly from fixtures.
    expires: 2027-06-30
`;

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The fixture scan result; `overrides` adjust it per test. */
export function fixtureScan(overrides: Partial<ScanResult> = {}): ScanResult {
  const results = SPECS.map(buildResult);
  return {
    tool: { name: 'orglint', version: '0.1.0', catalogueVersion: '2026.11.0' },
    generatedAt: GENERATED_AT,
    policy: { file: 'rules.yaml', sha256: sha256(POLICY_TEXT) },
    estate: { source: ESTATE.source ?? {}, sha256: sha256(ESTATE_TEXT) },
    rules: RULES,
    results,
    findings: findingsIn(results),
    coverageGaps: ESTATE.coverage.filter((c) => c.status !== 'collected'),
    waivers: WAIVERS,
    summary: summarise(results, ESTATE.accounts.length),
    ...overrides,
  };
}

/** What the JSON reporter writes: the baseline format. */
export function jsonReport(result: ScanResult): string {
  const { findings: _derived, ...report } = result;
  return `${JSON.stringify({ formatVersion: 1, ...report }, null, 2)}\n`;
}
