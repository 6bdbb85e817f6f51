import { describe, expect, it } from 'vitest';
import { parseEstate } from '../../estate/load-estate.js';
import type { Estate } from '../../estate/types.js';
import { loadPlan } from './load-plan.js';
import { planToResources } from './map-plan.js';
import { PLAN_MAPPERS } from './mappers.js';
import { overlayPlan } from './overlay.js';
import type { PlannedChanges } from './plan-types.js';
import { resolvePlanTarget } from './target.js';
import { byAddress, byName, fixture } from './test-helpers.js';

function mapped(name: string, account?: string): { planned: PlannedChanges; estate: Estate } {
  const plan = loadPlan(fixture(name));
  const target = resolvePlanTarget(plan, account === undefined ? {} : { account });
  const planned = planToResources(plan, { target });
  const estate = parseEstate(JSON.parse(JSON.stringify(overlayPlan(undefined, planned))), name);
  return { planned, estate };
}

describe('planToResources on a plan of every mapped type (Terraform 1.11, aws provider 5.100)', () => {
  const { planned, estate } = mapped('all-types.plan.json');

  it('maps every managed resource and leaves nothing unmapped', () => {
    expect(planned.unmapped).toEqual([]);
    expect(planned.target).toEqual({ account: '111122223333', region: 'eu-west-1', source: 'provider' });
    const types = new Set(estate.resources.map((r) => r.type));
    expect([...types].sort()).toEqual([
      'aws.accessanalyzer.analyzer',
      'aws.budgets.budget',
      'aws.cloudtrail.trail',
      'aws.config.recorder',
      'aws.ec2.instance',
      'aws.ec2.security-group',
      'aws.ec2.subnet',
      'aws.ec2.vpc',
      'aws.ec2.vpc-peering',
      'aws.ecr.repository',
      'aws.ecs.cluster',
      'aws.ecs.service',
      'aws.eks.cluster',
      'aws.elasticache.replication-group',
      'aws.elb.load-balancer',
      'aws.iam.group',
      'aws.iam.oidc-provider',
      'aws.iam.role',
      'aws.iam.user',
      'aws.kms.key',
      'aws.lambda.function',
      'aws.organizations.account',
      'aws.rds.cluster',
      'aws.rds.instance',
      'aws.rds.snapshot',
      'aws.s3.bucket',
    ]);
    expect(estate.resources.every((r) => r.origin?.kind === 'plan' && r.origin.action === 'create')).toBe(true);
  });

  it('addresses resources in nested for_each modules with count indexes', () => {
    const db = byAddress(estate, 'module.data.module.db["eu"].aws_db_instance.this[0]');
    expect(db).toMatchObject({ id: 'tf:module.data.module.db["eu"].aws_db_instance.this[0]', name: 'orders-eu', account: '111122223333', region: 'eu-west-1' });
    expect(db.properties).toMatchObject({ engine: 'postgres', backupRetentionDays: 7, multiAz: false, storageEncrypted: true, kmsKeyId: 'tf:aws_kms_key.data', kmsKeyAccount: '111122223333' });
    expect(byAddress(estate, 'module.data.module.db["backup"].aws_db_instance.this[0]').properties.backupRetentionDays).toBe(35);
    expect(byAddress(estate, 'module.data.module.db["eu"].aws_rds_cluster.this').properties).toMatchObject({ engine: 'aurora-postgresql', backupRetentionDays: 1 });
    expect(byAddress(estate, 'module.data.module.db["eu"].aws_db_snapshot.this').properties).toMatchObject({ sharedWith: ['999988887777'], sourceInstance: 'orders-eu' });
    expect(byAddress(estate, 'module.data.module.db["eu"].aws_db_cluster_snapshot.this').properties.sharedWith).toEqual([]);
  });

  it('lists values known only after apply in unknown and never invents them', () => {
    const cluster = byAddress(estate, 'module.data.module.db["eu"].aws_rds_cluster.this');
    expect(cluster.unknown).toEqual(['availabilityZones', 'engineVersion', 'kmsKeyAccount', 'kmsKeyId']);
    expect(cluster.properties.kmsKeyId).toBeUndefined();
    const snapshot = byAddress(estate, 'module.data.module.db["eu"].aws_db_snapshot.this');
    expect(snapshot.unknown).toEqual(['encrypted', 'kmsKeyAccount', 'kmsKeyId']);
    expect(byAddress(estate, 'aws_subnet.public[1]').unknown).toEqual(['public']);
    expect(byAddress(estate, 'aws_vpc_peering_connection.partner').unknown).toEqual(['status']);
    const bob = byName(estate, 'aws.iam.user', 'bob');
    expect(bob.unknown).toEqual(['accessKeys.0.createdAt', 'accessKeys.0.id']);
    expect(bob.properties.accessKeys).toEqual([{ id: 'tf:aws_iam_access_key.bob', status: 'Active', createdAt: null }]);
    expect(byAddress(estate, 'aws_organizations_account.payments').unknown).toEqual(['accountId', 'joinedMethod', 'status']);
  });

  it('never copies a sensitive or secret value into the estate', () => {
    const text = JSON.stringify(estate);
    expect(text).not.toContain('Hunter2-Plan-Secret');
    expect(text).not.toContain('lambda-env-secret-value');
    expect(byName(estate, 'aws.lambda.function', 'hook').properties).toEqual({ runtime: 'python3.12', role: 'tf:aws_iam_role.deploy', kmsKeyId: null, packageType: 'Zip', vpcSubnets: [] });
  });

  it('merges auxiliary resources into their parents', () => {
    expect(byName(estate, 'aws.iam.user', 'alice').properties).toMatchObject({ consolePassword: true, groups: ['admins'], attachedPolicies: [], mfaDevices: [] });
    expect(byName(estate, 'aws.iam.user', 'bob').properties).toMatchObject({ consolePassword: false, attachedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess'] });
    expect(byName(estate, 'aws.iam.group', 'admins').properties.attachedPolicies).toEqual(['arn:aws:iam::111122223333:policy/read-only-data']);
    expect(byName(estate, 'aws.iam.role', 'deploy').properties).toMatchObject({
      attachedPolicies: ['arn:aws:iam::aws:policy/PowerUserAccess'],
      trustPolicy: { Statement: [{ Action: 'sts:AssumeRoleWithWebIdentity' }] },
    });
    const key = byAddress(estate, 'aws_kms_key.data');
    expect(key.properties).toMatchObject({ manager: 'CUSTOMER', rotationEnabled: true, admittedAccounts: ['111122223333', '999988887777'], admitsAnyAccount: false });
    expect(key.unknown).toEqual(['multiRegion']);
    const logs = byName(estate, 'aws.s3.bucket', 'orglint-fixture-logs');
    expect(logs).toMatchObject({ id: 'arn:aws:s3:::orglint-fixture-logs', tags: { data: 'logs', team: 'platform' } });
    expect(logs.properties).toMatchObject({
      encryption: { algorithm: 'aws:kms', kmsKeyId: 'tf:aws_kms_key.data' },
      kmsKeyAccount: '111122223333',
      expirationDays: 400,
      replicationRules: [
        { id: 'to-replica', status: 'Enabled', destinationBucket: 'arn:aws:s3:::orglint-fixture-replica', destinationAccount: '111122223333', prefix: 'audit/' },
        { id: 'to-archive', destinationBucket: 'arn:aws:s3:::archive-in-nonprod', destinationAccount: null, prefix: '' },
      ],
    });
    expect(logs.unknown).toBeUndefined();
    expect(byName(estate, 'aws.s3.bucket', 'orglint-fixture-replica').unknown).toEqual(['encryption', 'expirationDays', 'kmsKeyAccount', 'replicationRules']);
    expect(byName(estate, 'aws.ec2.security-group', 'web').properties.ingress).toEqual([
      { protocol: 'tcp', fromPort: 443, toPort: 443, cidrs: ['0.0.0.0/0'], sourceSecurityGroups: [], prefixLists: [] },
      { protocol: 'tcp', fromPort: 3389, toPort: 3389, cidrs: ['10.0.0.0/8'], sourceSecurityGroups: [], prefixLists: [] },
      { protocol: 'tcp', fromPort: 22, toPort: 22, cidrs: ['0.0.0.0/0'], sourceSecurityGroups: [], prefixLists: [] },
    ]);
    expect(byName(estate, 'aws.config.recorder', 'main').properties).toEqual({ recording: true, allSupported: true });
  });

  it('puts a resource of an aliased provider that assumes a role into that account and region', () => {
    const audit = byAddress(estate, 'aws_kms_key.audit');
    expect(audit).toMatchObject({ account: '444455556666', region: 'eu-central-1' });
    expect(audit.properties).toMatchObject({ admittedAccounts: ['111122223333', '444455556666'], admitsAnyAccount: false });
    expect(estate.accounts.map((a) => a.id)).toEqual(['111122223333', '444455556666']);
  });

  it('maps the remaining types with their properties', () => {
    expect(byName(estate, 'aws.accessanalyzer.analyzer', 'org').properties).toEqual({ analyzerType: 'ORGANIZATION' });
    expect(byName(estate, 'aws.budgets.budget', 'monthly')).toMatchObject({
      region: 'global',
      properties: { limitAmount: 1000, timeUnit: 'MONTHLY', notifications: [{ threshold: 80, thresholdType: 'PERCENTAGE', notificationType: 'FORECASTED', comparison: 'GREATER_THAN' }] },
    });
    expect(byName(estate, 'aws.cloudtrail.trail', 'org-trail').properties).toMatchObject({
      isOrganizationTrail: true,
      isMultiRegionTrail: true,
      logFileValidation: true,
      s3BucketName: 'orglint-fixture-logs',
      s3BucketAccount: '111122223333',
    });
    expect(byAddress(estate, 'aws_instance.bastion').properties).toMatchObject({ instanceType: 't3.micro', metadataHttpTokens: 'required' });
    // The zones are derived from the planned subnets, which name the VPC by its address.
    expect(byAddress(estate, 'aws_vpc.main').properties).toEqual({ cidr: '10.0.0.0/16', isDefault: false, availabilityZones: ['eu-west-1a', 'eu-west-1b'] });
    expect(byAddress(estate, 'aws_subnet.public[0]').properties).toMatchObject({ vpcId: 'tf:aws_vpc.main', availabilityZone: 'eu-west-1a', cidr: '10.0.0.0/24' });
    expect(byAddress(estate, 'aws_vpc_peering_connection.partner').properties).toMatchObject({
      requesterAccount: '111122223333',
      accepterAccount: '777766665555',
      accepterVpc: 'vpc-0a1b2c3d4e5f67890',
      accepterRegion: 'us-east-1',
    });
    expect(byName(estate, 'aws.ecr.repository', 'api').properties).toMatchObject({ encryptionType: 'KMS', kmsKeyId: 'tf:aws_kms_key.data', kmsKeyAccount: '111122223333' });
    expect(byName(estate, 'aws.ecs.cluster', 'apps').properties).toEqual({ status: 'ACTIVE', containerInsights: true });
    expect(byName(estate, 'aws.ecs.service', 'api').properties).toMatchObject({ cluster: 'tf:aws_ecs_cluster.apps', launchType: 'FARGATE', assignPublicIp: false });
    expect(byName(estate, 'aws.eks.cluster', 'main').properties).toMatchObject({ version: '1.29', endpointPublicAccess: true });
    expect(byName(estate, 'aws.elasticache.replication-group', 'cache').properties).toMatchObject({ engine: 'redis', multiAz: true, atRestEncryption: true, transitEncryption: false });
    expect(byName(estate, 'aws.elb.load-balancer', 'web').properties).toMatchObject({ scheme: 'internet-facing' });
    expect(byName(estate, 'aws.iam.oidc-provider', 'https://token.actions.githubusercontent.com').properties.clientIds).toEqual(['sts.amazonaws.com']);
    expect(byAddress(estate, 'aws_organizations_account.payments')).toMatchObject({
      account: '111122223333',
      properties: { email: 'aws+payments-prod@example.com', ouPath: '/Workloads/Prod' },
      tags: { environment: 'production', team: 'platform' },
    });
  });

  it('adds OUs with their paths and attaches planned policies to them', () => {
    expect(estate.organization.organizationalUnits).toEqual([
      { id: 'tf:aws_organizations_organizational_unit.workloads', name: 'Workloads', path: '/Workloads' },
      { id: 'tf:aws_organizations_organizational_unit.prod', name: 'Prod', path: '/Workloads/Prod' },
    ]);
    expect(estate.organization.policies).toEqual([
      {
        id: 'tf:aws_organizations_policy.deny_leave',
        name: 'deny-leave',
        type: 'SERVICE_CONTROL_POLICY',
        content: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'organizations:LeaveOrganization', Resource: '*' }] },
        targets: ['/Workloads/Prod'],
      },
    ]);
  });

  it('records coverage from the plan for every account, region and service it creates', () => {
    expect(estate.coverage).toContainEqual({ account: '111122223333', region: 'global', service: 'iam', status: 'collected', reason: 'terraform plan' });
    expect(estate.coverage).toContainEqual({ account: '444455556666', region: 'eu-central-1', service: 'kms', status: 'collected', reason: 'terraform plan' });
    expect(estate.coverage).toContainEqual({ account: '111122223333', region: 'eu-west-1', service: 'rds', status: 'collected', reason: 'terraform plan' });
  });

  it('is deterministic', () => {
    expect(JSON.stringify(mapped('all-types.plan.json').estate)).toBe(JSON.stringify(estate));
  });
});

describe('planToResources on changes to applied infrastructure', () => {
  const { planned, estate } = mapped('changes.plan.json');

  it('takes the account from the prior state when nothing else names it', () => {
    expect(planned.target).toEqual({ account: '111122223333', region: 'eu-west-1', source: 'prior-state' });
  });

  it('reports deletes as removals, and the old object of a replacement too', () => {
    expect(planned.removals.map((r) => [r.address, r.id])).toEqual([
      ['aws_iam_role.ci', 'arn:aws:iam::111122223333:role/ci'],
      ['aws_iam_user.dave', 'arn:aws:iam::111122223333:user/dave'],
    ]);
    expect(estate.resources.some((r) => r.name === 'dave')).toBe(false);
    expect(byAddress(estate, 'aws_iam_role.ci')).toMatchObject({ id: 'tf:aws_iam_role.ci', name: 'ci-deploy', origin: { action: 'replace' } });
  });

  it('keeps the ARN of updated resources and maps their new values', () => {
    const key = byAddress(estate, 'aws_kms_key.main');
    expect(key.id).toMatch(/^arn:aws:kms:eu-west-1:111122223333:key\//);
    expect(key).toMatchObject({ origin: { action: 'update' }, properties: { rotationEnabled: true, admittedAccounts: ['111122223333'] } });
    expect(byName(estate, 'aws.s3.bucket', 'orglint-reports')).toMatchObject({ id: 'arn:aws:s3:::orglint-reports', tags: { env: 'prod', owner: 'finance' }, origin: { action: 'update' } });
  });

  it('marks an unchanged user touched when the plan adds a login profile and an access key to it', () => {
    const carol = byName(estate, 'aws.iam.user', 'carol');
    expect(carol).toMatchObject({ id: 'arn:aws:iam::111122223333:user/carol', origin: { action: 'update' } });
    expect(['aws_iam_access_key.carol', 'aws_iam_user_login_profile.carol']).toContain(carol.origin?.address);
    expect(carol.properties).toMatchObject({
      consolePassword: true,
      attachedPolicies: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
      accessKeys: [{ id: 'tf:aws_iam_access_key.carol', status: 'Active' }],
    });
  });
});

describe('planToResources on older plans and the remaining types', () => {
  const { planned, estate } = mapped('extra-types.plan.json');

  it('reads the region from a root variable and a module provider that assumes a role (pre-1.1 keys)', () => {
    expect(planned.target).toEqual({ account: '111122223333', region: 'eu-west-1', source: 'provider' });
    const db = byAddress(estate, 'module.shared.aws_db_instance.this');
    expect(db).toMatchObject({ account: '444455556666', region: 'eu-central-1' });
    expect(db.properties).toMatchObject({ backupRetentionDays: 0, kmsKeyId: 'tf:module.shared.aws_kms_key.shared', kmsKeyAccount: '444455556666' });
    expect(db.unknown).toEqual(['multiAz']);
    expect(byAddress(estate, 'module.shared.aws_kms_key.shared').properties).toMatchObject({ admitsAnyAccount: true });
    expect(JSON.stringify(estate)).not.toContain('Legacy-Sensitive-Password');
  });

  it('maps the legacy inline encryption, replication and lifecycle blocks of an S3 bucket', () => {
    expect(byName(estate, 'aws.s3.bucket', 'orglint-legacy').properties).toMatchObject({
      encryption: { algorithm: 'aws:kms', kmsKeyId: 'arn:aws:kms:eu-west-1:999988887777:key/2222aaaa-bbbb-cccc-dddd-eeeeffff0000' },
      kmsKeyAccount: '999988887777',
      expirationDays: 3650,
      replicationRules: [{ id: 'all', destinationBucket: 'arn:aws:s3:::orglint-legacy-copy', destinationAccount: '999988887777', prefix: 'finance/', tagFilters: { replicate: 'yes' } }],
    });
  });

  it('maps password policy, Config aggregator, Backup plan, aws_alb and the default VPC', () => {
    expect(byAddress(estate, 'aws_iam_account_password_policy.strict')).toMatchObject({ region: 'global', properties: { minimumPasswordLength: 14, passwordReusePrevention: 24 } });
    expect(byName(estate, 'aws.config.aggregator', 'org').properties).toEqual({ organizationWide: true, allRegions: true });
    expect(byName(estate, 'aws.backup.plan', 'daily').properties.rules).toEqual([
      { name: 'daily', targetVault: 'main', schedule: 'cron(0 5 * * ? *)', deleteAfterDays: 35, copyDestinations: ['arn:aws:backup:eu-central-1:444455556666:backup-vault:copy'] },
    ]);
    expect(byName(estate, 'aws.elb.load-balancer', 'legacy').properties).toMatchObject({ scheme: 'internal', securityGroups: ['sg-0123456789abcdef0'] });
    expect(byAddress(estate, 'aws_default_vpc.default')).toMatchObject({ id: 'arn:aws:ec2:eu-west-1:111122223333:vpc/vpc-1b20b966', properties: { isDefault: true } });
  });

  it('keeps auxiliaries whose parent is not in the plan as patches for the base estate', () => {
    expect(planned.patches.map((p) => [p.parent, p.contributions])).toEqual([
      [{ type: 'aws.iam.group', name: 'admins' }, [{ op: 'add', path: 'inlinePolicies', item: 'inline-admins' }]],
      [{ type: 'aws.iam.role', name: 'deploy' }, [{ op: 'add', path: 'inlinePolicies', item: 'inline-deploy' }]],
    ]);
  });
});

describe('the mapper table', () => {
  it('has one entry per terraform type, each of a known kind', () => {
    const kinds = Object.values(PLAN_MAPPERS).map((m) => m.kind);
    expect(new Set(kinds)).toEqual(new Set(['primary', 'auxiliary', 'organization', 'named']));
    expect(Object.keys(PLAN_MAPPERS).length).toBeGreaterThanOrEqual(50);
  });
});
