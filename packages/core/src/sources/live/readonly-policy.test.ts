import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEFAULT_ROLE_NAME } from './runtime.js';

const read = (path: string): string => readFileSync(new URL(path, import.meta.url), 'utf8');
const policy = JSON.parse(read('../../../iam/orglint-readonly-policy.json')) as {
  Version: string;
  Statement: { Sid: string; Effect: string; Action: string[]; Resource: string }[];
};
const template = parse(read('../../../../../docs/orglint-readonly-role.yaml')) as Record<string, any>;

describe('the shipped read-only policy and the member-role template', () => {
  it('is a valid policy document: read-only actions on *, AssumeRole only on the orglint role', () => {
    expect(policy.Version).toBe('2012-10-17');
    expect(policy.Statement.map((s) => s.Sid)).toEqual(['OrgLintReadOnly', 'OrgLintAssumeMemberRole']);
    const [read, assume] = policy.Statement;
    expect(read?.Resource).toBe('*');
    for (const action of read?.Action ?? []) expect(action).toMatch(/^[a-z0-9-]+:(Describe|Get|List|Generate|View)[A-Za-z0-9]+$/);
    expect(assume).toEqual({ Sid: 'OrgLintAssumeMemberRole', Effect: 'Allow', Action: ['sts:AssumeRole'], Resource: `arn:aws:iam::*:role/${DEFAULT_ROLE_NAME}` });
  });

  it('grants the member role exactly the read-only actions of the policy file, trusting the given account', () => {
    const role = template.Resources.OrgLintReadOnlyRole;
    expect(role.Type).toBe('AWS::IAM::Role');
    expect(template.Parameters.RoleName.Default).toBe(DEFAULT_ROLE_NAME);
    const statement = role.Properties.Policies[0].PolicyDocument.Statement[0];
    expect(statement).toEqual(policy.Statement[0]);
    const trust = role.Properties.AssumeRolePolicyDocument.Statement[0];
    expect(trust.Principal.AWS['Fn::Sub']).toBe('arn:${AWS::Partition}:iam::${TrustedAccountId}:root');
    expect(trust.Condition['Fn::If']).toEqual(['HasExternalId', { StringEquals: { 'sts:ExternalId': { Ref: 'ExternalId' } } }, { Ref: 'AWS::NoValue' }]);
    expect(template.Conditions.HasExternalId).toEqual({ 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'ExternalId' }, ''] }] });
    expect(template.Parameters.ExternalId.Default).toBe('');
  });
});
