import { describe, expect, it } from 'vitest';
import { parseEstate } from '../../estate/load-estate.js';
import type { Estate } from '../../estate/types.js';
import { loadPlan } from './load-plan.js';
import { planToResources } from './map-plan.js';
import { overlayPlan } from './overlay.js';
import { resolvePlanTarget } from './target.js';
import { byAddress, byName, fixture } from './test-helpers.js';

/** Plan → estate the way the scan does it, validated against the estate schema. */
function estateOf(name: string, account?: string): Estate {
  const plan = loadPlan(fixture(name));
  const target = resolvePlanTarget(plan, account === undefined ? {} : { account });
  const estate = overlayPlan(undefined, planToResources(plan, { target }));
  return parseEstate(JSON.parse(JSON.stringify(estate)), name);
}

describe('the public plans', () => {
  it('infracost (TF 0.14): nested modules, count and for_each, update and create, the account from prior state', () => {
    const estate = estateOf('infracost__terraform_v0.14_plan.json');
    expect(estate.accounts.map((a) => a.id)).toEqual(['123123123123']);
    const updated = byAddress(estate, 'module.db.module.db_1.module.db_instance.aws_db_instance.this[0]');
    expect(updated).toMatchObject({
      type: 'aws.rds.instance',
      id: 'arn:aws:rds:us-east-1:123123123123:db:demodb',
      account: '123123123123',
      region: 'us-east-1',
      name: 'demodb',
      tags: { Environment: 'dev', Name: 'demodb', Owner: 'user2' },
      origin: { kind: 'plan', action: 'update' },
    });
    expect(updated.properties).toMatchObject({ engine: 'mysql', backupRetentionDays: 0, multiAz: false, storageEncrypted: false, kmsKeyId: null, kmsKeyAccount: null });
    expect(updated.unknown).toBeUndefined();
    const created = byAddress(estate, 'module.db.module.db_2.module.db_instance.aws_db_instance.this[0]');
    expect(created.id).toBe('tf:module.db.module.db_2.module.db_instance.aws_db_instance.this[0]');
    expect(created.properties).toMatchObject({ engine: 'mysql', multiAz: false, storageEncrypted: false });
    expect(created.unknown).toEqual(['availabilityZone', 'backupRetentionDays', 'kmsKeyAccount', 'kmsKeyId', 'vpcSecurityGroups']);
    expect(byAddress(estate, 'aws_instance.instance_named["test.2"]')).toMatchObject({ id: 'tf:aws_instance.instance_named["test.2"]', tags: { Name: 'test.2' }, origin: { action: 'create' } });
    expect(byAddress(estate, 'module.instances.aws_instance.module_instance_counted[1]').properties).toMatchObject({ instanceType: 't3.nano' });
    expect(byAddress(estate, 'aws_instance.instance_counted[0]')).toMatchObject({ origin: { action: 'no-op' }, properties: { state: 'running', metadataHttpTokens: 'optional' } });
    expect(byAddress(estate, 'module.db.aws_default_vpc.default').properties).toMatchObject({ isDefault: true, cidr: '172.31.0.0/16' });
    expect(byAddress(estate, 'module.db.module.db_1.module.db_instance.aws_iam_role.enhanced_monitoring[0]').properties.attachedPolicies).toEqual([
      'arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole',
    ]);
    expect(JSON.stringify(estate)).not.toContain('YourPwdShouldBeLongAndSecure!');
  });

  it('regula cloudtrail (TF 0.13): log file validation, multi-region, no KMS key', () => {
    const estate = estateOf('regula__cloudtrail_log_file_validation.tfplan.json', '111122223333');
    expect(byAddress(estate, 'aws_cloudtrail.valid_trail').properties).toMatchObject({ logFileValidation: true, isMultiRegionTrail: false, kmsKeyId: null, isLogging: true });
    const invalid = byAddress(estate, 'aws_cloudtrail.invalid_trail');
    expect(invalid).toMatchObject({ region: 'us-east-2', properties: { logFileValidation: false } });
    expect(invalid.unknown).toContain('s3BucketName');
    expect(byAddress(estate, 'aws_s3_bucket.trail_bucket').type).toBe('aws.s3.bucket');
  });

  it('regula IAM (TF 0.13): attachments, inline policies and group memberships land on their users and groups', () => {
    const estate = estateOf('regula__iam_user_attached_policy.tfplan.json', '111122223333');
    expect(byName(estate, 'aws.iam.user', 'invalid_user_policy_attachment_user').properties.attachedPolicies).toEqual([
      'arn:aws:iam::111122223333:policy/invalid_user_policy_attachment_policy',
    ]);
    expect(byName(estate, 'aws.iam.user', 'invalid_normal_policy_user').properties.attachedPolicies).toEqual(['arn:aws:iam::111122223333:policy/invalid_normal_policy']);
    expect(byName(estate, 'aws.iam.user', 'invalid_user_policy_user').properties.inlinePolicies).toEqual(['invalid_user_policy']);
    expect(byName(estate, 'aws.iam.user', 'valid_group_blank_user').properties).toMatchObject({ groups: ['valid_group_blank_users'], attachedPolicies: [], consolePassword: false });
    expect(byName(estate, 'aws.iam.group', 'valid_group_missing_users').properties).toMatchObject({
      members: ['valid_group_missing_user'],
      attachedPolicies: ['arn:aws:iam::111122223333:policy/valid_group_missing_users_policy'],
    });
    expect(byName(estate, 'aws.iam.role', 'valid_role').properties.trustPolicy).toMatchObject({ Statement: [{ Principal: { Service: 'ec2.amazonaws.com' } }] });
  });

  it('snyk policy-engine (TF 1.2, format 1.1): the sensitive password stays out, unknowns are listed', () => {
    const estate = estateOf('snyk-policy-engine__db_instance_sensitive.plan.json', '111122223333');
    const db = byAddress(estate, 'aws_db_instance.default');
    expect(db.properties).toMatchObject({ engine: 'mysql', instanceClass: 'db.t3.micro' });
    expect(db.unknown).toEqual(expect.arrayContaining(['backupRetentionDays', 'multiAz', 'kmsKeyId']));
    expect(db.properties.backupRetentionDays).toBeUndefined();
    expect(JSON.stringify(estate)).not.toContain('foobarbaz');
  });

  it('terraform-compliance KMS (TF 0.12): the key policy becomes an object; odd principals admit no account', () => {
    const estate = estateOf('terraform-compliance__kms_key_with_policy.plan.out.json', '111122223333');
    const key = byAddress(estate, 'aws_kms_key.example');
    expect(key.properties).toMatchObject({ manager: 'CUSTOMER', state: 'Enabled', rotationEnabled: false, admittedAccounts: ['111122223333'], admitsAnyAccount: false });
    expect((key.properties.policy as { Statement: unknown[] }).Statement).toHaveLength(1);
  });

  it('terraform-compliance RDS cluster (TF 0.13): one day of backups', () => {
    const estate = estateOf('terraform-compliance__rds_cluster_backup_retention.plan.out.json', '111122223333');
    expect(byAddress(estate, 'aws_rds_cluster.db_cluster')).toMatchObject({
      type: 'aws.rds.cluster',
      name: 'aurora-cluster-demo',
      properties: { engine: 'aurora-postgresql', backupRetentionDays: 1 },
    });
  });
});
