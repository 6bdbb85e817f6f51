import { describe, expect, it } from 'vitest';
import { accountResources } from '../engine/evaluate.js';
import { ancestorsOf, deriveIdentityAccountFacts, roleTrust } from './derive-identity.js';
import { parseEstate } from './load-estate.js';
import type { Estate } from './types.js';

const OWN = '444444444444';
const OPS = '222222222222';
const GITHUB = `arn:aws:iam::${OWN}:oidc-provider/token.actions.githubusercontent.com`;

describe('roleTrust', () => {
  it('names the accounts a trust policy admits and which of them need no external id', () => {
    const trust = roleTrust(
      {
        Statement: [
          { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OPS}:root` }, Action: 'sts:AssumeRole' },
          { Effect: 'Allow', Principal: { AWS: ['333333333333', `arn:aws:iam::${OWN}:role/admin`] }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': 'x' } } },
          { Effect: 'Deny', Principal: { AWS: 'arn:aws:iam::999999999999:root' }, Action: 'sts:AssumeRole' },
          { Effect: 'Allow', Principal: { Service: ['ecs-tasks.amazonaws.com', 'lambda.amazonaws.com'] }, Action: 'sts:AssumeRole' },
        ],
      },
      OWN,
    );
    expect(trust).toEqual({
      trustedAccounts: [OPS, '333333333333', OWN],
      trustedAccountsWithoutExternalId: [OPS],
      trustedServices: ['ecs-tasks.amazonaws.com', 'lambda.amazonaws.com'],
      federatedPrincipals: [],
      externalIdRequired: false,
      oidcSubjects: [],
      oidcWithoutSubject: false,
      trustsAnyPrincipal: false,
    });
  });

  it('requires the external id of every cross-account statement, and is false when there is none', () => {
    const withId = { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OPS}:role/ci` }, Action: 'sts:AssumeRole', Condition: { StringLike: { 'STS:ExternalId': 'ci-*' } } };
    expect(roleTrust({ Statement: [withId] }, OWN).externalIdRequired).toBe(true);
    expect(roleTrust({ Statement: [{ Effect: 'Allow', Principal: { AWS: OWN }, Action: 'sts:AssumeRole' }] }, OWN).externalIdRequired).toBe(false);
    // IfExists passes when the caller sends no external id, so it requires nothing.
    const ifExists = { ...withId, Condition: { StringEqualsIfExists: { 'sts:ExternalId': 'x' } } };
    expect(roleTrust({ Statement: [ifExists] }, OWN)).toMatchObject({ externalIdRequired: false, trustedAccountsWithoutExternalId: [OPS] });
  });

  it('treats * as any principal unless aws:PrincipalAccount narrows it', () => {
    expect(roleTrust({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole' }] }, OWN).trustsAnyPrincipal).toBe(true);
    expect(roleTrust({ Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-1' } } }] }, OWN).trustsAnyPrincipal).toBe(true);
    const narrowed = roleTrust({ Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:PrincipalAccount': [OPS] } } }] }, OWN);
    expect(narrowed).toMatchObject({ trustsAnyPrincipal: false, trustedAccounts: [OPS] });
  });

  it('reads the GitHub subjects a role trusts, and flags OIDC trust without a subject', () => {
    const github = (condition: unknown) => roleTrust({ Statement: [{ Effect: 'Allow', Principal: { Federated: GITHUB }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: condition }] }, OWN);
    expect(
      github({
        StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
        StringLike: { 'token.actions.githubusercontent.com:sub': ['repo:set-org/app:ref:refs/heads/main', 'repo:set-org/app:environment:production'] },
      }),
    ).toMatchObject({
      federatedPrincipals: [GITHUB],
      oidcSubjects: ['repo:set-org/app:environment:production', 'repo:set-org/app:ref:refs/heads/main'],
      oidcWithoutSubject: false,
      trustedAccounts: [],
    });
    expect(github({ StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' } })).toMatchObject({ oidcSubjects: [], oidcWithoutSubject: true });
    // A negated or ForAllValues condition does not restrict who may present a token.
    expect(github({ StringNotEquals: { 'token.actions.githubusercontent.com:sub': 'repo:x/y:ref:refs/heads/dev' } }).oidcWithoutSubject).toBe(true);
    expect(github({ 'ForAllValues:StringLike': { 'token.actions.githubusercontent.com:sub': 'repo:x/*' } }).oidcWithoutSubject).toBe(true);
    expect(github({ 'ForAnyValue:StringLike': { 'token.actions.githubusercontent.com:sub': 'repo:x/*' } }).oidcSubjects).toEqual(['repo:x/*']);
  });

  it('does not treat a SAML provider as OpenID Connect', () => {
    const saml = `arn:aws:iam::${OWN}:saml-provider/okta`;
    expect(roleTrust({ Statement: [{ Effect: 'Allow', Principal: { Federated: saml }, Action: 'sts:AssumeRoleWithSAML' }] }, OWN)).toMatchObject({
      federatedPrincipals: [saml],
      oidcWithoutSubject: false,
    });
  });

  it('reads policy text as IAM returns it, URL-encoded or not, and an unreadable one as trusting nobody', () => {
    const doc = { Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OPS}:root` }, Action: 'sts:AssumeRole' }] };
    expect(roleTrust(JSON.stringify(doc), OWN).trustedAccounts).toEqual([OPS]);
    expect(roleTrust(encodeURIComponent(JSON.stringify(doc)), OWN).trustedAccounts).toEqual([OPS]);
    expect(roleTrust('not json', OWN).trustedAccounts).toEqual([]);
  });
});

describe('role trust in a plan', () => {
  it('is known only after apply when the trust policy is', () => {
    const parsed = parseEstate(
      {
        schemaVersion: 1,
        organization: { managementAccountId: '111111111111' },
        accounts: [],
        resources: [{ type: 'aws.iam.role', id: 'tf:aws_iam_role.ci', account: OWN, region: 'global', properties: {}, unknown: ['trustPolicy'] }],
        coverage: [],
      },
      'plan.json',
    );
    expect(parsed.resources[0]?.unknown).toEqual(expect.arrayContaining(['trustPolicy', 'trustedAccounts', 'oidcSubjects']));
  });
});

describe('ancestorsOf', () => {
  it('lists the root and every OU above and at an account', () => {
    expect(ancestorsOf('/')).toEqual(['/']);
    expect(ancestorsOf('/Envs/Production')).toEqual(['/', '/Envs', '/Envs/Production']);
  });
});

const MGMT = '111111111111';
const PROD = '444444444444';
const NONPROD = '333333333333';

function estate(parts: Partial<Estate>): Estate {
  return {
    schemaVersion: 1,
    organization: { managementAccountId: MGMT },
    accounts: [
      { id: MGMT, name: 'management', ouPath: '/' },
      { id: NONPROD, name: 'nonprod', ouPath: '/Workloads/NonProd' },
      { id: PROD, name: 'production', ouPath: '/Workloads/Prod' },
    ],
    resources: [],
    coverage: [],
    ...parts,
  };
}

const collected = (account: string, service: string, region: string) => ({ account, service, region, status: 'collected' as const });

describe('deriveIdentityAccountFacts', () => {
  it('gives each account the SCPs attached to it, an OU above it or the root', () => {
    const facts = deriveIdentityAccountFacts(
      estate({
        organization: {
          managementAccountId: MGMT,
          policies: [
            { id: 'p1', name: 'FullAWSAccess', type: 'SERVICE_CONTROL_POLICY', targets: ['/'] },
            { id: 'p2', name: 'deny-regions', type: 'SERVICE_CONTROL_POLICY', targets: ['/Workloads'] },
            { id: 'p3', name: 'require-mfa', type: 'SERVICE_CONTROL_POLICY', targets: [PROD] },
            { id: 'p4', name: 'prod-only', type: 'SERVICE_CONTROL_POLICY', targets: ['/Workloads/Prod'] },
            { id: 't1', name: 'tagging', type: 'TAG_POLICY', targets: ['/'] },
          ],
        },
      }),
    );
    expect(facts.get(MGMT)?.effectiveScps).toEqual(['FullAWSAccess']);
    expect(facts.get(NONPROD)?.effectiveScps).toEqual(['FullAWSAccess', 'deny-regions']);
    expect(facts.get(PROD)?.effectiveScps).toEqual(['FullAWSAccess', 'deny-regions', 'prod-only', 'require-mfa']);
  });

  it('leaves the SCPs out where the organisation policies could not be read', () => {
    expect(deriveIdentityAccountFacts(estate({})).get(PROD)).not.toHaveProperty('effectiveScps');
    const failed = estate({
      organization: { managementAccountId: MGMT, policies: [] },
      coverage: [{ account: PROD, region: 'global', service: 'organizations', status: 'failed', reason: 'Throttling' }],
    });
    expect(deriveIdentityAccountFacts(failed).get(PROD)).not.toHaveProperty('effectiveScps');
    expect(deriveIdentityAccountFacts(failed).get(NONPROD)?.effectiveScps).toEqual([]);
  });

  it('counts active external access analyzers of the account and of the organisation, region by region', () => {
    const analyzer = (account: string, region: string, analyzerType: string, status = 'ACTIVE') => ({
      type: 'aws.accessanalyzer.analyzer' as const,
      id: `arn:aws:access-analyzer:${region}:${account}:analyzer/${analyzerType}`,
      account,
      region,
      properties: { analyzerType, status },
    });
    const facts = deriveIdentityAccountFacts(
      estate({
        resources: [
          analyzer(MGMT, 'eu-west-1', 'ORGANIZATION'),
          analyzer(PROD, 'us-east-1', 'ACCOUNT'),
          analyzer(NONPROD, 'us-east-1', 'ACCOUNT_UNUSED_ACCESS'),
          analyzer(NONPROD, 'eu-central-1', 'ACCOUNT', 'CREATING'),
        ],
        coverage: [MGMT, NONPROD, PROD].flatMap((a) => ['eu-west-1', 'us-east-1', 'eu-central-1'].map((r) => collected(a, 'accessanalyzer', r))),
      }),
    );
    expect(facts.get(PROD)).toMatchObject({ accessAnalyzerRegions: ['eu-west-1', 'us-east-1'], regionsWithoutAccessAnalyzer: ['eu-central-1'] });
    expect(facts.get(NONPROD)).toMatchObject({ accessAnalyzerRegions: ['eu-west-1'], regionsWithoutAccessAnalyzer: ['eu-central-1', 'us-east-1'] });
  });

  it('cannot tell about Access Analyzer where analyzers were not read, for the account or any other', () => {
    const orgAnalyzer = { type: 'aws.accessanalyzer.analyzer' as const, id: 'a', account: MGMT, region: 'eu-west-1', properties: { analyzerType: 'ORGANIZATION', status: 'ACTIVE' } };
    const facts = deriveIdentityAccountFacts(
      estate({
        resources: [orgAnalyzer],
        coverage: [
          collected(MGMT, 'accessanalyzer', 'eu-west-1'),
          { account: MGMT, region: 'us-east-1', service: 'accessanalyzer', status: 'denied', reason: 'AccessDenied' },
          collected(PROD, 'accessanalyzer', 'eu-west-1'),
          collected(PROD, 'accessanalyzer', 'us-east-1'),
          { account: NONPROD, region: 'eu-west-1', service: 'accessanalyzer', status: 'denied', reason: 'AccessDenied' },
        ],
      }),
    );
    // The management account's us-east-1 could hold an organisation analyzer nobody saw.
    expect(facts.get(PROD)).not.toHaveProperty('regionsWithoutAccessAnalyzer');
    expect(facts.get(MGMT)).not.toHaveProperty('regionsWithoutAccessAnalyzer');
    // Nonprod's own analyzers were not read, but the organisation analyzer watches it there.
    expect(facts.get(NONPROD)).toMatchObject({ accessAnalyzerRegions: ['eu-west-1'], regionsWithoutAccessAnalyzer: [] });
    // No coverage at all for an account: nothing can be told.
    expect(deriveIdentityAccountFacts(estate({ resources: [orgAnalyzer] })).get(PROD)).not.toHaveProperty('regionsWithoutAccessAnalyzer');
  });

  it("lists an account's roles with their trust, without service-linked ones, and its groups, only where IAM was collected", () => {
    const parsed = parseEstate(
      structuredClone({
        ...estate({}),
        resources: [
          {
            type: 'aws.iam.role',
            id: `arn:aws:iam::${PROD}:role/OrganizationAccountAccessRole`,
            account: PROD,
            region: 'global',
            name: 'OrganizationAccountAccessRole',
            properties: { trustPolicy: { Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${MGMT}:root` }, Action: 'sts:AssumeRole' }] }, lastUsedAt: null },
          },
          { type: 'aws.iam.role', id: `arn:aws:iam::${PROD}:role/aws-service-role/rds.amazonaws.com/AWSServiceRoleForRDS`, account: PROD, region: 'global', properties: { path: '/aws-service-role/rds.amazonaws.com/', trustPolicy: null } },
          { type: 'aws.iam.role', id: `arn:aws:iam::${PROD}:role/no-trust-read`, account: PROD, region: 'global', properties: {} },
          { type: 'aws.iam.group', id: `arn:aws:iam::${PROD}:group/ops/production`, account: PROD, region: 'global', properties: {} },
          { type: 'aws.iam.group', id: `arn:aws:iam::${PROD}:group/admin`, account: PROD, region: 'global', name: 'admin', properties: {} },
        ],
        coverage: [collected(PROD, 'iam', 'global'), { account: NONPROD, region: 'global', service: 'iam', status: 'denied', reason: 'AccessDenied' }],
      }),
      'e.json',
    );
    const facts = deriveIdentityAccountFacts(parsed);
    expect(facts.get(PROD)?.iamRoles).toEqual([
      { name: 'OrganizationAccountAccessRole', trustedAccounts: [MGMT], trustsAnyPrincipal: false, lastUsedAt: null },
      { name: 'no-trust-read' },
    ]);
    expect(facts.get(PROD)?.iamGroups).toEqual(['admin', 'production']);
    expect(facts.get(NONPROD)).not.toHaveProperty('iamRoles');
    expect(facts.get(NONPROD)).not.toHaveProperty('iamGroups');
    expect(facts.get(MGMT)).not.toHaveProperty('iamRoles');
    expect(parsed.resources[1]?.properties.serviceLinked).toBe(true);
  });
});

describe('account resources', () => {
  it('gives each account one resource with its facts, the source\'s where it listed one', () => {
    const listed = {
      type: 'aws.organizations.account' as const,
      id: `arn:aws:organizations::${MGMT}:account/o-1/${PROD}`,
      account: PROD,
      region: 'global',
      properties: { ouPath: '/Workloads/Prod', joinedMethod: 'CREATED' },
    };
    const parsed = parseEstate(
      structuredClone(
        estate({
          organization: { managementAccountId: MGMT, policies: [{ id: 'p1', name: 'FullAWSAccess', type: 'SERVICE_CONTROL_POLICY', targets: ['/'] }] },
          resources: [listed],
        }),
      ),
      'e.json',
    );
    const accounts = accountResources(parsed);
    expect(accounts.map((r) => r.id)).toEqual([MGMT, NONPROD, listed.id]);
    expect(accounts[1]?.properties).toEqual({ ouPath: '/Workloads/NonProd', effectiveScps: ['FullAWSAccess'] });
    expect(accounts[2]?.properties).toEqual({ ouPath: '/Workloads/Prod', joinedMethod: 'CREATED', effectiveScps: ['FullAWSAccess'] });
  });
});
