import { describe, expect, it } from 'vitest';
import { accountResources } from '../engine/evaluate.js';
import { deriveAccountFacts } from './derive-infra.js';
import { parseEstate } from './load-estate.js';
import type { Estate } from './types.js';

const MGMT = '111111111111';
const SECURITY = '222222222222';
const PROD = '444444444444';
const NONPROD = '333333333333';

const accounts = [
  { id: MGMT, name: 'management', ouPath: '/' },
  { id: SECURITY, name: 'security', ouPath: '/Security' },
  { id: NONPROD, name: 'nonprod', ouPath: '/Workloads/NonProd' },
  { id: PROD, name: 'production', ouPath: '/Workloads/Prod' },
];

function collected(services: string[], only: string[] = accounts.map((a) => a.id)) {
  return only.flatMap((account) => services.map((service) => ({ account, region: service === 'budgets' ? 'global' : 'eu-west-1', service, status: 'collected' })));
}

function load(resources: object[], coverage: object[] = collected(['cloudtrail', 'budgets', 'ec2', 's3'])): Estate {
  const doc = {
    schemaVersion: 1,
    organization: { id: 'o-test', managementAccountId: MGMT },
    accounts,
    resources: resources.map((r) => ({ region: 'eu-west-1', properties: {}, ...r })),
    coverage,
  };
  return parseEstate(JSON.parse(JSON.stringify(doc)), 'e.json');
}

const byId = (estate: Estate, id: string) => estate.resources.find((r) => r.id === id)?.properties;

describe('deriveInfrastructureFacts', () => {
  it("gives a trail its bucket's owner and lifecycle, and leaves both unknown when the bucket is not in the estate", () => {
    const estate = load([
      { type: 'aws.s3.bucket', id: 'arn:aws:s3:::org-trail-logs', name: 'org-trail-logs', account: SECURITY, properties: { expirationDays: 2557 } },
      { type: 'aws.s3.bucket', id: 'arn:aws:s3:::forever', account: SECURITY, properties: { expirationDays: null } },
      { type: 'aws.cloudtrail.trail', id: 't1', account: MGMT, properties: { s3BucketName: 'org-trail-logs' } },
      { type: 'aws.cloudtrail.trail', id: 't2', account: MGMT, properties: { s3BucketName: 'forever', s3BucketAccount: null } },
      { type: 'aws.cloudtrail.trail', id: 't3', account: PROD, properties: { s3BucketName: 'elsewhere', s3BucketAccount: null } },
      { type: 'aws.cloudtrail.trail', id: 't4', account: PROD, properties: { s3BucketName: 'elsewhere', s3BucketAccount: '999999999999' } },
    ]);
    expect(byId(estate, 't1')).toMatchObject({ s3BucketAccount: SECURITY, s3BucketExpirationDays: 2557 });
    expect(byId(estate, 't2')).toMatchObject({ s3BucketAccount: SECURITY, s3BucketExpirationDays: null });
    expect(byId(estate, 't3')).not.toHaveProperty('s3BucketAccount');
    expect(byId(estate, 't3')).not.toHaveProperty('s3BucketExpirationDays');
    expect(byId(estate, 't4')).toMatchObject({ s3BucketAccount: '999999999999' });
  });

  it('derives the availability zones of a VPC from its subnets unless the source gave them', () => {
    const estate = load([
      { type: 'aws.ec2.vpc', id: `arn:aws:ec2:eu-west-1:${PROD}:vpc/vpc-1`, account: PROD },
      { type: 'aws.ec2.vpc', id: 'vpc-2', account: PROD },
      { type: 'aws.ec2.vpc', id: 'vpc-3', account: PROD, properties: { availabilityZones: ['eu-west-1c'] } },
      { type: 'aws.ec2.subnet', id: 's-a', account: PROD, properties: { vpcId: 'vpc-1', availabilityZone: 'eu-west-1b' } },
      { type: 'aws.ec2.subnet', id: 's-b', account: PROD, properties: { vpcId: 'vpc-1', availabilityZone: 'eu-west-1a' } },
      { type: 'aws.ec2.subnet', id: 's-c', account: PROD, properties: { vpcId: 'vpc-1', availabilityZone: 'eu-west-1a' } },
      { type: 'aws.ec2.subnet', id: 's-d', account: PROD, properties: { vpcId: 'vpc-3', availabilityZone: 'eu-west-1a' } },
    ]);
    expect(byId(estate, `arn:aws:ec2:eu-west-1:${PROD}:vpc/vpc-1`)?.availabilityZones).toEqual(['eu-west-1a', 'eu-west-1b']);
    expect(byId(estate, 'vpc-2')?.availabilityZones).toEqual([]);
    expect(byId(estate, 'vpc-3')?.availabilityZones).toEqual(['eu-west-1c']);
  });

  it('joins planned subnets and groups to their VPC and groups by resource id, and leaves zones known only after apply unknown', () => {
    const estate = load([
      { type: 'aws.ec2.vpc', id: 'tf:aws_vpc.main', account: PROD, properties: { isDefault: false } },
      { type: 'aws.ec2.subnet', id: 'tf:aws_subnet.a', account: PROD, properties: { vpcId: 'tf:aws_vpc.main', availabilityZone: 'eu-west-1a' } },
      { type: 'aws.ec2.vpc', id: 'tf:aws_vpc.later', account: PROD, properties: { isDefault: false } },
      { type: 'aws.ec2.subnet', id: 'tf:aws_subnet.b', account: PROD, properties: { vpcId: 'tf:aws_vpc.later' }, unknown: ['availabilityZone'] },
      { type: 'aws.ec2.security-group', id: 'tf:aws_security_group.app', account: PROD, tags: { tier: 'app' }, properties: { ingress: [] } },
      { type: 'aws.ec2.security-group', id: 'tf:aws_security_group.db', account: PROD, properties: { ingress: [{ protocol: 'tcp', sourceSecurityGroups: ['tf:aws_security_group.app'] }] } },
    ]);
    expect(byId(estate, 'tf:aws_vpc.main')?.availabilityZones).toEqual(['eu-west-1a']);
    expect(byId(estate, 'tf:aws_vpc.later')).not.toHaveProperty('availabilityZones');
    expect(estate.resources.find((r) => r.id === 'tf:aws_vpc.later')?.unknown).toEqual(['availabilityZones']);
    expect(byId(estate, 'tf:aws_security_group.db')?.ingressSources).toEqual([{ groupId: 'tf:aws_security_group.app', tags: { tier: 'app' } }]);
  });

  it('names the tags of every security group that may reach a group or a database', () => {
    const estate = load([
      { type: 'aws.ec2.security-group', id: `arn:aws:ec2:eu-west-1:${PROD}:security-group/sg-lb`, name: 'alb', account: PROD, tags: { tier: 'lb' }, properties: { ingress: [{ protocol: 'tcp', fromPort: 443, toPort: 443, cidrs: ['0.0.0.0/0'] }] } },
      { type: 'aws.ec2.security-group', id: 'sg-app', account: PROD, tags: { tier: 'app' }, properties: { ingress: [{ protocol: 'tcp', sourceSecurityGroups: ['sg-lb', 'sg-gone'] }, { protocol: 'tcp', sourceSecurityGroups: ['sg-lb'] }] } },
      { type: 'aws.ec2.security-group', id: 'sg-db', account: PROD, properties: { groupId: 'sg-db', ingress: [{ protocol: 'tcp', sourceSecurityGroups: ['sg-app'] }] } },
      { type: 'aws.rds.instance', id: 'db', account: PROD, properties: { engine: 'postgres', backupRetentionDays: 7, vpcSecurityGroups: ['sg-db', 'sg-app'] } },
    ]);
    expect(byId(estate, `arn:aws:ec2:eu-west-1:${PROD}:security-group/sg-lb`)).toMatchObject({
      ingress: [{ protocol: 'tcp', fromPort: 443, toPort: 443, cidrs: ['0.0.0.0/0'], sourceSecurityGroups: [], prefixLists: [] }],
      ingressSources: [],
    });
    expect(byId(estate, 'sg-app')?.ingressSources).toEqual([{ groupId: 'sg-gone' }, { groupId: 'sg-lb', name: 'alb', tags: { tier: 'lb' } }]);
    expect(byId(estate, 'sg-db')?.ingressSources).toEqual([{ groupId: 'sg-app', tags: { tier: 'app' } }]);
    expect(byId(estate, 'db')?.vpcSecurityGroupDetails).toEqual([
      { groupId: 'sg-db', tags: {} },
      { groupId: 'sg-app', tags: { tier: 'app' } },
    ]);
  });

  it('turns budget notifications into the percentages an alert fires at', () => {
    const estate = load([
      {
        type: 'aws.budgets.budget',
        id: 'b1',
        account: MGMT,
        region: 'global',
        properties: {
          limitAmount: 200,
          notifications: [
            { threshold: 100, thresholdType: 'PERCENTAGE', notificationType: 'ACTUAL', comparison: 'GREATER_THAN' },
            { threshold: 160, thresholdType: 'ABSOLUTE_VALUE', notificationType: 'FORECASTED', comparison: 'GREATER_THAN' },
            { threshold: 50, thresholdType: 'PERCENTAGE', notificationType: 'ACTUAL', comparison: 'LESS_THAN' },
            { threshold: 10, thresholdType: 'PERCENTAGE', notificationType: 'SOMETHING_ELSE', comparison: 'GREATER_THAN' },
          ],
        },
      },
      { type: 'aws.budgets.budget', id: 'b2', account: MGMT, region: 'global', properties: { limitAmount: null, accounts: [PROD], notifications: [{ threshold: 5, thresholdType: 'ABSOLUTE_VALUE', notificationType: 'ACTUAL', comparison: 'GREATER_THAN' }] } },
    ]);
    expect(byId(estate, 'b1')).toMatchObject({ accounts: [], alertThresholds: [80, 100] });
    expect(byId(estate, 'b2')).toMatchObject({ accounts: [PROD], alertThresholds: [] });
  });
});

describe('deriveAccountFacts', () => {
  const trails = [
    { type: 'aws.s3.bucket', id: 'arn:aws:s3:::logs', account: SECURITY, properties: { expirationDays: 2557 } },
    { type: 'aws.cloudtrail.trail', id: 'org', name: 'org-trail', account: MGMT, properties: { isOrganizationTrail: true, isMultiRegionTrail: true, logFileValidation: true, isLogging: true, s3BucketName: 'logs' } },
    { type: 'aws.cloudtrail.trail', id: 'own', account: PROD, properties: { isOrganizationTrail: false, isMultiRegionTrail: false, s3BucketName: 'local' } },
  ];

  it('lists the trails that record each account: its own and every organisation trail', () => {
    const facts = deriveAccountFacts(load(trails));
    expect(facts.get(PROD)?.cloudtrailTrails).toEqual([
      { id: 'org', account: MGMT, name: 'org-trail', isOrganizationTrail: true, isMultiRegionTrail: true, logFileValidation: true, isLogging: true, s3BucketName: 'logs', s3BucketAccount: SECURITY, s3BucketExpirationDays: 2557 },
      { id: 'own', account: PROD, name: 'own', isOrganizationTrail: false, isMultiRegionTrail: false, s3BucketName: 'local' },
    ]);
    expect(facts.get(NONPROD)?.cloudtrailTrails).toHaveLength(1);
  });

  it('fails closed: no trail found and CloudTrail not collected for the account or the management account gives no list', () => {
    const own = trails.filter((t) => t.id !== 'org');
    const denied = [...collected(['budgets', 'ec2', 's3']), ...collected(['cloudtrail'], [SECURITY, NONPROD, PROD]), { account: MGMT, region: 'eu-west-1', service: 'cloudtrail', status: 'denied' }];
    const facts = deriveAccountFacts(load(own, denied));
    expect(facts.get(NONPROD)).not.toHaveProperty('cloudtrailTrails');
    // A trail that was found is a fact even where coverage has gaps.
    expect(facts.get(PROD)?.cloudtrailTrails).toHaveLength(1);
    // Fully collected and nothing found: a known empty list.
    expect(deriveAccountFacts(load([])).get(NONPROD)?.cloudtrailTrails).toEqual([]);
    // Never attempted is not collected.
    expect(deriveAccountFacts(load([], collected(['budgets']))).get(NONPROD)).toEqual({ budgets: [] });
  });

  it('lists the budgets that track each account: its own unfiltered ones and those that name it', () => {
    const estate = load([
      { type: 'aws.budgets.budget', id: 'org-total', account: MGMT, region: 'global', properties: { budgetType: 'COST', limitAmount: 3000 } },
      { type: 'aws.budgets.budget', id: 'prod', account: MGMT, region: 'global', properties: { budgetType: 'COST', limitAmount: 1800, accounts: [PROD, PROD], notifications: [{ threshold: 80 }] } },
      { type: 'aws.budgets.budget', id: 'nonprod-own', account: NONPROD, region: 'global', properties: { limitAmount: 200 } },
    ]);
    const facts = deriveAccountFacts(estate);
    expect(facts.get(MGMT)?.budgets).toEqual([{ id: 'org-total', account: MGMT, name: 'org-total', budgetType: 'COST', limitAmount: 3000, alertThresholds: [] }]);
    expect(facts.get(PROD)?.budgets).toEqual([{ id: 'prod', account: MGMT, name: 'prod', budgetType: 'COST', limitAmount: 1800, alertThresholds: [80] }]);
    expect(facts.get(NONPROD)?.budgets).toEqual([{ id: 'nonprod-own', account: NONPROD, name: 'nonprod-own', limitAmount: 200, alertThresholds: [] }]);
    expect(facts.get(SECURITY)?.budgets).toEqual([]);
  });

  it('lists the non-default VPCs of accounts whose EC2 was collected', () => {
    const estate = load(
      [
        { type: 'aws.ec2.vpc', id: 'vpc-default', account: PROD, properties: { isDefault: true } },
        { type: 'aws.ec2.vpc', id: 'vpc-b', account: PROD, region: 'eu-central-1', properties: { availabilityZones: ['eu-central-1a'] } },
        { type: 'aws.ec2.vpc', id: 'vpc-a', account: PROD, properties: { isDefault: false, availabilityZones: ['eu-west-1a', 'eu-west-1b'] } },
      ],
      collected(['ec2'], [PROD, MGMT]),
    );
    const facts = deriveAccountFacts(estate);
    expect(facts.get(PROD)?.vpcs).toEqual([
      { id: 'vpc-a', region: 'eu-west-1', availabilityZones: ['eu-west-1a', 'eu-west-1b'] },
      { id: 'vpc-b', region: 'eu-central-1', availabilityZones: ['eu-central-1a'] },
    ]);
    expect(facts.get(MGMT)?.vpcs).toEqual([]);
    expect(facts.get(NONPROD)).not.toHaveProperty('vpcs');
  });
});

describe('accountResources', () => {
  it('judges each account once: the listed resource when a source gave one, with the derived facts', () => {
    const estate = load([
      { type: 'aws.organizations.account', id: `arn:aws:organizations::${MGMT}:account/o-test/${PROD}`, account: PROD, region: 'global', name: 'production', properties: { ouPath: '/Workloads/Prod', isManagementAccount: false } },
    ]);
    const resources = accountResources(estate);
    expect(resources.map((r) => r.id)).toEqual([MGMT, SECURITY, NONPROD, `arn:aws:organizations::${MGMT}:account/o-test/${PROD}`]);
    expect(resources[3]?.properties).toMatchObject({ ouPath: '/Workloads/Prod', isManagementAccount: false, cloudtrailTrails: [], budgets: [], vpcs: [] });
    expect(resources[0]).toMatchObject({ type: 'aws.organizations.account', account: MGMT, region: 'global', name: 'management', properties: { ouPath: '/' } });
  });
});
