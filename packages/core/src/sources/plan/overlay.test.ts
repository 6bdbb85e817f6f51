import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OrglintError } from '../../errors.js';
import { parseEstate } from '../../estate/load-estate.js';
import type { Estate, Resource } from '../../estate/types.js';
import { loadPlan, parsePlanText } from './load-plan.js';
import { locatePlanResources } from './locate.js';
import { planToResources } from './map-plan.js';
import { isPlannedChange, overlayPlan } from './overlay.js';
import type { TerraformPlan } from './plan-types.js';
import { resolvePlanTarget } from './target.js';
import { FIXTURES, byAddress, byName, fixture } from './test-helpers.js';

const PROD = '111122223333';
const NONPROD = '999988887777';

function resource(r: Partial<Resource> & Pick<Resource, 'type' | 'id' | 'account' | 'region' | 'properties'>): Resource {
  return { origin: { kind: 'live' }, ...r };
}

function baseEstate(): Estate {
  return parseEstate(
    {
      schemaVersion: 1,
      source: { kind: 'live' },
      organization: { managementAccountId: '123456789012', organizationalUnits: [{ id: 'ou-prod', name: 'Prod', path: '/Prod' }] },
      accounts: [
        { id: PROD, name: 'prod', ouPath: '/Prod' },
        { id: NONPROD, name: 'nonprod', ouPath: '/' },
      ],
      resources: [
        resource({ type: 'aws.kms.key', id: `arn:aws:kms:eu-west-1:${NONPROD}:key/nonprod-key`, arn: `arn:aws:kms:eu-west-1:${NONPROD}:key/nonprod-key`, account: NONPROD, region: 'eu-west-1', properties: { manager: 'CUSTOMER' } }),
        resource({ type: 'aws.s3.bucket', id: 'arn:aws:s3:::orglint-reports', arn: 'arn:aws:s3:::orglint-reports', name: 'orglint-reports', account: PROD, region: 'eu-west-1', properties: { publicAccessBlock: { BlockPublicAcls: true } } }),
        resource({
          type: 'aws.iam.user',
          id: `arn:aws:iam::${PROD}:user/carol`,
          arn: `arn:aws:iam::${PROD}:user/carol`,
          name: 'carol',
          account: PROD,
          region: 'global',
          properties: { consolePassword: false, mfaDevices: [], accessKeys: [{ id: 'AKIAOLDKEYEXAMPLE', status: 'Active', createdAt: '2020-01-01T00:00:00Z' }], attachedPolicies: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] },
        }),
        resource({ type: 'aws.iam.user', id: `arn:aws:iam::${PROD}:user/dave`, name: 'dave', account: PROD, region: 'global', properties: { consolePassword: true, mfaDevices: [], accessKeys: [] } }),
        resource({ type: 'aws.iam.group', id: `arn:aws:iam::${PROD}:group/admins`, arn: `arn:aws:iam::${PROD}:group/admins`, name: 'admins', account: PROD, region: 'global', properties: { inlinePolicies: [] } }),
      ],
      coverage: [{ account: PROD, region: 'global', service: 'iam', status: 'collected' }],
    },
    'base.json',
  );
}

function inlinePlan(document: Record<string, unknown>): TerraformPlan {
  return parsePlanText(JSON.stringify({ format_version: '1.2', ...document }), 'inline-plan.json');
}

describe('overlayPlan', () => {
  it('applies updates, deletes and patches to the base estate, keeping base ids and what the plan does not say', () => {
    const base = baseEstate();
    const plan = loadPlan(fixture('changes.plan.json'));
    const target = resolvePlanTarget(plan, { baseEstate: base });
    expect(target).toMatchObject({ account: PROD, accountName: 'prod', source: 'base-estate' });
    const estate = parseEstate(JSON.parse(JSON.stringify(overlayPlan(base, planToResources(plan, { target, baseEstate: base })))), 'overlay');
    const reports = byName(estate, 'aws.s3.bucket', 'orglint-reports');
    expect(reports).toMatchObject({ id: 'arn:aws:s3:::orglint-reports', origin: { kind: 'plan', action: 'update' }, tags: { env: 'prod', owner: 'finance' } });
    expect(reports.properties.publicAccessBlock).toEqual({ BlockPublicAcls: true });
    const carol = byName(estate, 'aws.iam.user', 'carol');
    expect(carol.properties.accessKeys).toEqual([
      { id: 'AKIAOLDKEYEXAMPLE', status: 'Active', createdAt: '2020-01-01T00:00:00Z' },
      { id: 'tf:aws_iam_access_key.carol', status: 'Active', createdAt: null },
    ]);
    expect(carol.unknown).toEqual(['accessKeys.1.createdAt', 'accessKeys.1.id']);
    expect(carol.properties.consolePassword).toBe(true);
    expect(estate.resources.some((r) => r.name === 'dave')).toBe(false);
    expect(estate.resources.find((r) => r.type === 'aws.kms.key' && r.account === NONPROD)?.origin).toEqual({ kind: 'live' });
  });

  it('gives a planned database using a key that exists only in the base estate the key owner account', () => {
    const base = baseEstate();
    const plan = inlinePlan({
      configuration: { provider_config: { aws: { name: 'aws', expressions: { region: { constant_value: 'eu-west-1' } } } } },
      resource_changes: [
        {
          address: 'aws_db_instance.orders',
          mode: 'managed',
          type: 'aws_db_instance',
          name: 'orders',
          change: {
            actions: ['create'],
            before: null,
            after: { identifier: 'orders', engine: 'postgres', backup_retention_period: 7, multi_az: true, storage_encrypted: true, kms_key_id: 'nonprod-key-alias-or-id' },
            after_unknown: { arn: true },
          },
        },
      ],
    });
    const target = resolvePlanTarget(plan, { account: PROD, baseEstate: base });
    const keyed = structuredClone(base) as { resources: Resource[] } & Estate;
    keyed.resources[0] = { ...keyed.resources[0], id: 'nonprod-key-alias-or-id' } as Resource;
    const estate = overlayPlan(keyed, planToResources(plan, { target, baseEstate: keyed }));
    expect(byName(estate, 'aws.rds.instance', 'orders').properties).toMatchObject({ kmsKeyId: 'nonprod-key-alias-or-id', kmsKeyAccount: NONPROD });
    const byArn = inlinePlan({ resource_changes: [{ ...(plan.resource_changes?.[0] as object), change: { actions: ['create'], before: null, after: { identifier: 'orders', engine: 'postgres', backup_retention_period: 7, kms_key_id: `arn:aws:kms:eu-west-1:${NONPROD}:key/nonprod-key` }, after_unknown: {} } }] });
    const second = overlayPlan(base, planToResources(byArn, { target, baseEstate: base }));
    expect(byName(second, 'aws.rds.instance', 'orders')).toMatchObject({ account: PROD, properties: { kmsKeyAccount: NONPROD } });
    expect(second.coverage).toContainEqual({ account: PROD, region: 'eu-west-1', service: 'rds', status: 'collected', reason: 'terraform plan' });
    expect(second.coverage).toContainEqual({ account: PROD, region: 'global', service: 'iam', status: 'collected' });
    expect(second.resources.filter(isPlannedChange).map((r) => r.name)).toEqual(['orders']);
  });

  it('applies auxiliary patches to base parents and keeps unchanged base resources as they are', () => {
    const base = baseEstate();
    const plan = loadPlan(fixture('extra-types.plan.json'));
    const target = resolvePlanTarget(plan, { baseEstate: base });
    const estate = overlayPlan(base, planToResources(plan, { target, baseEstate: base }));
    const admins = byName(estate, 'aws.iam.group', 'admins');
    expect(admins).toMatchObject({ id: `arn:aws:iam::${PROD}:group/admins`, properties: { inlinePolicies: ['inline-admins'] }, origin: { kind: 'plan', address: 'aws_iam_group_policy.admins', action: 'update' } });
    expect(byName(estate, 'aws.iam.user', 'dave').origin).toEqual({ kind: 'live' });
  });

  it('builds an estate for the placeholder account when only the environment is known', () => {
    const plan = loadPlan(fixture('snyk-policy-engine__db_instance_sensitive.plan.json'));
    const target = resolvePlanTarget(plan, { environment: 'production' });
    expect(target).toEqual({ account: '000000000000', accountName: 'planned-account', region: 'us-east-1', environment: 'production', source: 'environment' });
    const estate = parseEstate(JSON.parse(JSON.stringify(overlayPlan(undefined, planToResources(plan, { target })))), 'x');
    expect(estate.accounts).toEqual([{ id: '000000000000', name: 'planned-account', ouPath: '/' }]);
    expect(estate.organization.managementAccountId).toBe('000000000000');
  });

  it('still rejects a required field that is missing without being unknown', () => {
    const estate = { schemaVersion: 1, organization: { managementAccountId: PROD }, accounts: [], coverage: [], resources: [{ type: 'aws.rds.instance', id: 'db', account: PROD, region: 'eu-west-1', properties: { engine: 'postgres' } }] };
    expect(() => parseEstate(estate, 'e.json')).toThrow('e.json: resources[0].properties lacks the required field "backupRetentionDays"; add it.');
    expect(() => parseEstate({ ...estate, resources: [{ ...estate.resources[0], unknown: ['backupRetentionDays'] }] }, 'e.json')).not.toThrow();
  });
});

describe('resolvePlanTarget', () => {
  const plain = () => inlinePlan({ resource_changes: [] });

  it('prefers --account, and checks it', () => {
    expect(resolvePlanTarget(loadPlan(fixture('all-types.plan.json')), { account: '222233334444' })).toMatchObject({ account: '222233334444', source: 'flag' });
    expect(() => resolvePlanTarget(plain(), { account: '12345' })).toThrow('--account is "12345", but must be a 12-digit AWS account id such as 111122223333.');
  });

  it('reads a constant assume_role role ARN', () => {
    const plan = inlinePlan({ resource_changes: [], configuration: { provider_config: { aws: { name: 'aws', expressions: { region: { constant_value: 'us-east-2' }, assume_role: [{ role_arn: { constant_value: 'arn:aws:iam::555566667777:role/deploy' } }] } } } } });
    expect(resolvePlanTarget(plan)).toEqual({ account: '555566667777', region: 'us-east-2', source: 'provider' });
  });

  it('fails with a sentence naming the flags when nothing determines the account', () => {
    try {
      resolvePlanTarget(plain());
      throw new Error('resolved');
    } catch (error) {
      expect(error).toBeInstanceOf(OrglintError);
      expect((error as OrglintError).code).toBe('plan-target-unknown');
      expect((error as OrglintError).message).toBe(
        'the plan: cannot tell which AWS account the plan applies to (its AWS provider has no constant assume_role role_arn or single allowed_account_ids, and no resource it changes is known to a base estate); pass --account <12-digit id> or --environment <name>.',
      );
    }
  });
});

describe('locatePlanResources', () => {
  it('finds resource blocks in the root and in nested local modules, relative to the repository root', () => {
    const plan = loadPlan(fixture('all-types.plan.json'));
    const locations = locatePlanResources(plan, join(FIXTURES, 'project'), { repoRoot: FIXTURES });
    expect(locations.get('aws_kms_key.data')).toEqual({ file: 'project/main.tf', line: 37 });
    expect(locations.get('aws_iam_user.people["alice"]')).toEqual({ file: 'project/iam.tf', line: 1 });
    expect(locations.get('module.data.aws_s3_bucket.logs')).toEqual({ file: 'project/modules/data/main.tf', line: 14 });
    expect(locations.get('module.data.module.db["backup"].aws_db_instance.this[0]')).toEqual({ file: 'project/modules/data/modules/db/main.tf', line: 10 });
    const estate = overlayPlan(undefined, planToResources(plan, { target: resolvePlanTarget(plan), locations }));
    expect(byAddress(estate, 'aws_organizations_account.payments').origin).toEqual({ kind: 'plan', address: 'aws_organizations_account.payments', action: 'create', file: 'project/organizations.tf', line: 11 });
  });

  it('points at the module block for a registry module, and at the plan line without sources', () => {
    const dir = mkdtempSync(join(tmpdir(), 'orglint-locate-'));
    mkdirSync(join(dir, 'infra', 'db'), { recursive: true });
    writeFileSync(join(dir, 'infra', 'main.tf'), 'module "db" {\n  source = "./db"\n}\n');
    writeFileSync(join(dir, 'infra', 'db', 'main.tf'), 'locals {}\n\nmodule "db_1" {\n  source = "terraform-aws-modules/rds/aws"\n}\n');
    const plan = loadPlan(fixture('infracost__terraform_v0.14_plan.json'));
    const withSources = locatePlanResources(plan, join(dir, 'infra'), { repoRoot: dir });
    expect(withSources.get('module.db.module.db_1.module.db_instance.aws_db_instance.this[0]')).toEqual({ file: 'infra/db/main.tf', line: 3 });
    const planOnly = locatePlanResources(plan, undefined, { planFile: fixture('infracost__terraform_v0.14_plan.json'), repoRoot: FIXTURES });
    expect(planOnly.get('aws_instance.instance_2')).toEqual({ file: 'infracost__terraform_v0.14_plan.json', line: 1491 });
    expect(planOnly.get('module.db.module.db_2.module.db_instance.aws_db_instance.this[0]')?.line).toBeGreaterThan(1491);
  });

  it('puts every change of a one-line plan (what terraform show -json writes) on the line of resource_changes', () => {
    const text = readFileSync(fixture('infracost__terraform_v0.14_plan.json'), 'utf8');
    const minified = JSON.stringify(JSON.parse(text));
    const plan = parsePlanText(minified, 'plan.json');
    for (const [prefix, suffix, line] of [['', '', 1], ['', '\n', 1], ['\n\n', '\r\n', 3]] as const) {
      const located = locatePlanResources(plan, undefined, { planFile: 'plan.json', planText: `${prefix}${minified}${suffix}`, repoRoot: '.' });
      expect(located.size).toBeGreaterThan(5);
      expect(new Set([...located.values()].map((l) => `${l.file}:${l.line}`))).toEqual(new Set([`plan.json:${line}`]));
    }
  });
});
