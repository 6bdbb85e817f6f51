import { parsePolicyDocument } from './policy-document.js';
import { accountOfPrincipal, isAccountId, parseArn } from './arn.js';
import type { CoverageRecord, Estate, Resource } from './types.js';

/**
 * Facts about identity and the organisation's structure, derived once so that rules about
 * role trust, SCPs, Access Analyzer and break-glass roles stay declarative. Two halves: what a
 * role's trust policy admits (a property of the role), and what holds for each account as a
 * whole (properties of the synthetic `aws.organizations.account` resource).
 */

/** What an IAM role's trust policy lets assume the role. */
export interface RoleTrust {
  /** Accounts whose principals the policy names (by ARN or id), or that narrow `*` through aws:PrincipalAccount; sorted. */
  trustedAccounts: string[];
  /** Of those, the accounts admitted by a statement without an sts:ExternalId condition; sorted. */
  trustedAccountsWithoutExternalId: string[];
  /** Service principals (`ecs-tasks.amazonaws.com`); sorted. */
  trustedServices: string[];
  /** Federated principals: OIDC or SAML provider ARNs, or web identity hosts; sorted. */
  federatedPrincipals: string[];
  /** Every statement that admits another account's principals requires sts:ExternalId (false when none does so). */
  externalIdRequired: boolean;
  /** The `<provider>:sub` values of statements that trust an OpenID Connect provider (GitHub: token.actions.githubusercontent.com:sub); sorted. */
  oidcSubjects: string[];
  /** A statement trusts an OpenID Connect provider without any `<provider>:sub` condition: every subject of that provider may assume the role. */
  oidcWithoutSubject: boolean;
  /** A statement allows the principal `*` without narrowing it to accounts. */
  trustsAnyPrincipal: boolean;
}

/** The properties roleTrust derives, known only after apply when the trust policy is. */
export const ROLE_TRUST_FACTS: readonly (keyof RoleTrust)[] = [
  'trustedAccounts',
  'trustedAccountsWithoutExternalId',
  'trustedServices',
  'federatedPrincipals',
  'externalIdRequired',
  'oidcSubjects',
  'oidcWithoutSubject',
  'trustsAnyPrincipal',
];

interface Statement {
  Effect?: unknown;
  Principal?: unknown;
  Condition?: unknown;
}

/**
 * Reads a role's trust policy (an object, or JSON text as IAM returns it, URL-encoded or not).
 * Only Allow statements count; a Deny narrows who may assume, never widens it, so ignoring it
 * can only make a finding stricter.
 */
export function roleTrust(policy: unknown, ownerAccount: string): RoleTrust {
  const doc = typeof policy === 'string' ? parsePolicyDocument(policy) : policy;
  const statements = asArray((doc as { Statement?: unknown } | null)?.Statement) as Statement[];
  const trusted = new Set<string>();
  const withoutExternalId = new Set<string>();
  const services = new Set<string>();
  const federated = new Set<string>();
  const subjects = new Set<string>();
  let anyPrincipal = false;
  let crossAccountStatements = 0;
  let crossAccountWithExternalId = 0;
  let oidcWithoutSubject = false;

  for (const statement of statements) {
    if (statement === null || typeof statement !== 'object' || statement.Effect !== 'Allow') continue;
    const principal = statement.Principal;
    const conditions = conditionValues(statement.Condition);
    const externalId = conditions.has('sts:externalid');
    const accounts = new Set<string>();
    const aws = principal === '*' ? ['*'] : stringsOf((principal as Record<string, unknown> | null)?.AWS);
    for (const p of aws) {
      if (p === '*') {
        const narrowed = [...(conditions.get('aws:principalaccount') ?? [])].filter(isAccountId);
        if (narrowed.length === 0) anyPrincipal = true;
        for (const a of narrowed) accounts.add(a);
        continue;
      }
      const account = accountOfPrincipal(p);
      if (account) accounts.add(account);
    }
    for (const a of accounts) {
      trusted.add(a);
      if (!externalId) withoutExternalId.add(a);
    }
    if ([...accounts].some((a) => a !== ownerAccount)) {
      crossAccountStatements++;
      if (externalId) crossAccountWithExternalId++;
    }
    if (principal !== null && typeof principal === 'object') {
      for (const s of stringsOf((principal as Record<string, unknown>).Service)) services.add(s);
      for (const f of stringsOf((principal as Record<string, unknown>).Federated)) {
        federated.add(f);
        const host = oidcHost(f);
        if (host === undefined) continue;
        const sub = conditions.get(`${host.toLowerCase()}:sub`);
        if (!sub || sub.size === 0) oidcWithoutSubject = true;
        for (const v of sub ?? []) subjects.add(v);
      }
    }
  }
  return {
    trustedAccounts: sorted(trusted),
    trustedAccountsWithoutExternalId: sorted(withoutExternalId),
    trustedServices: sorted(services),
    federatedPrincipals: sorted(federated),
    externalIdRequired: crossAccountStatements > 0 && crossAccountWithExternalId === crossAccountStatements,
    oidcSubjects: sorted(subjects),
    oidcWithoutSubject,
    trustsAnyPrincipal: anyPrincipal,
  };
}

/** The OIDC issuer host a federated principal names; undefined for SAML providers. */
function oidcHost(federated: string): string | undefined {
  const arn = parseArn(federated);
  if (arn) {
    const m = /^oidc-provider\/(.+)$/.exec(arn.resource);
    return m?.[1];
  }
  // Web identity without a provider resource: cognito-identity.amazonaws.com, accounts.google.com, graph.facebook.com, www.amazon.com.
  return federated.includes('.') ? federated : undefined;
}

/**
 * Condition key (lower case) → the values that positively restrict it: StringEquals and
 * StringLike (with IgnoreCase and ForAnyValue variants). Negated operators
 * (StringNotEquals) restrict nothing a principal must present, so they do not count; nor do
 * ForAllValues and …IfExists, which hold when the request lacks the key.
 */
function conditionValues(condition: unknown): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  if (condition === null || typeof condition !== 'object') return out;
  for (const [operator, clauses] of Object.entries(condition as Record<string, unknown>)) {
    // ...IfExists and ForAllValues: hold when the key is absent from the request, so they restrict nothing.
    if (!/^(ForAnyValue:)?String(Equals|Like)(IgnoreCase)?$/i.test(operator)) continue;
    if (clauses === null || typeof clauses !== 'object') continue;
    for (const [key, value] of Object.entries(clauses as Record<string, unknown>)) {
      const k = key.toLowerCase();
      let set = out.get(k);
      if (!set) out.set(k, (set = new Set()));
      for (const v of stringsOf(value)) set.add(v);
    }
  }
  return out;
}

/** A role created and owned by an AWS service; its trust is AWS's, not the organisation's. */
export function isServiceLinkedRole(properties: Record<string, unknown>): boolean {
  return typeof properties.path === 'string' && properties.path.startsWith('/aws-service-role/');
}

// ---------------------------------------------------------------------------------------------
// Account facts

/** Analyzer types that look for access from outside the zone of trust (the unused-access kinds do not). */
const EXTERNAL_ACCESS_ANALYZERS = new Set(['ACCOUNT', 'ORGANIZATION']);

/** One IAM role of an account as the account-level rules see it. */
export interface AccountIamRole {
  readonly name: string;
  /** Absent when the role's trust policy was not read. */
  readonly trustedAccounts?: readonly string[];
  readonly trustsAnyPrincipal?: boolean;
  /** When the role was last assumed; null when never (or not within IAM's tracking window). Absent when the source does not say. */
  readonly lastUsedAt?: string | null;
}

/**
 * The facts each account of the organisation has as a whole, keyed by account id. A fact is
 * left out — so that a rule reading it reports `error`, never `pass` — when the data it needs
 * was not collected for that account:
 *
 * - `effectiveScps`: names of the service control policies that apply to the account, attached
 *   to it, to an OU above it or to the root. Needs `organization.policies` and no failed
 *   `organizations` coverage for the account.
 * - `accessAnalyzerRegions` / `regionsWithoutAccessAnalyzer`: regions where an ACTIVE external
 *   access analyzer watches the account (its own ACCOUNT analyzer, or an ORGANIZATION analyzer of
 *   the organisation in that region), and regions whose `accessanalyzer` coverage was collected
 *   for the account but where none does. Left out when the account has no `accessanalyzer`
 *   coverage, or when a region not watched could not be read for it or for any other account
 *   (an unread account may hold the organisation's analyzer).
 * - `iamRoles`: the account's IAM roles except service-linked ones, with whom they trust and
 *   when they were last used; `iamGroups`: the names of its IAM groups. Both need collected
 *   `iam` coverage for the account.
 */
export function deriveIdentityAccountFacts(estate: Estate): Map<string, Record<string, unknown>> {
  const coverage = new Map<string, CoverageRecord[]>();
  for (const c of estate.coverage) {
    const key = `${c.account}\u0000${c.service}`;
    let list = coverage.get(key);
    if (!list) coverage.set(key, (list = []));
    list.push(c);
  }
  const recordsOf = (account: string, service: string): readonly CoverageRecord[] => coverage.get(`${account}\u0000${service}`) ?? [];

  const scps = (estate.organization.policies ?? []).filter((p) => p.type === 'SERVICE_CONTROL_POLICY');
  // An ORGANIZATION analyzer lives in the management or a delegated administrator account; where
  // any account's analyzers could not be read, such an analyzer may exist unseen.
  const analyzersUnreadIn = new Set(estate.coverage.filter((c) => c.service === 'accessanalyzer' && c.status !== 'collected').map((c) => c.region));
  const orgAnalyzerRegions = new Set<string>();
  const accountAnalyzerRegions = new Map<string, Set<string>>();
  const rolesByAccount = new Map<string, AccountIamRole[]>();
  const groupsByAccount = new Map<string, Set<string>>();
  for (const r of estate.resources) {
    if (r.type === 'aws.accessanalyzer.analyzer') {
      const p = r.properties;
      if (p.status !== 'ACTIVE' || typeof p.analyzerType !== 'string' || !EXTERNAL_ACCESS_ANALYZERS.has(p.analyzerType)) continue;
      if (p.analyzerType === 'ORGANIZATION') orgAnalyzerRegions.add(r.region);
      else addTo(accountAnalyzerRegions, r.account, r.region);
    } else if (r.type === 'aws.iam.group') {
      addTo(groupsByAccount, r.account, r.name ?? r.id.replace(/^.*:group\/(?:.*\/)?/, ''));
    } else if (r.type === 'aws.iam.role') {
      if (isServiceLinkedRole(r.properties)) continue;
      let list = rolesByAccount.get(r.account);
      if (!list) rolesByAccount.set(r.account, (list = []));
      list.push(accountRole(r));
    }
  }

  const out = new Map<string, Record<string, unknown>>();
  for (const account of estate.accounts) {
    const facts: Record<string, unknown> = {};

    const orgRecords = recordsOf(account.id, 'organizations');
    if (estate.organization.policies !== undefined && orgRecords.every((c) => c.status === 'collected')) {
      const scopes = new Set([account.id, ...ancestorsOf(account.ouPath)]);
      facts.effectiveScps = sorted(new Set(scps.filter((p) => p.targets.some((t) => scopes.has(t))).map((p) => p.name)));
    }

    const watched = new Set([...orgAnalyzerRegions, ...(accountAnalyzerRegions.get(account.id) ?? [])]);
    const analyzerRecords = recordsOf(account.id, 'accessanalyzer');
    const unknown = analyzerRecords.some((c) => !watched.has(c.region) && (c.status !== 'collected' || analyzersUnreadIn.has(c.region)));
    if (!unknown && analyzerRecords.length > 0) {
      facts.accessAnalyzerRegions = sorted(watched);
      facts.regionsWithoutAccessAnalyzer = sorted(new Set(analyzerRecords.filter((c) => !watched.has(c.region)).map((c) => c.region)));
    }

    const iamRecords = recordsOf(account.id, 'iam');
    if (iamRecords.length > 0 && iamRecords.every((c) => c.status === 'collected')) {
      facts.iamRoles = [...(rolesByAccount.get(account.id) ?? [])].sort((a, b) => cmp(a.name, b.name));
      facts.iamGroups = sorted(groupsByAccount.get(account.id) ?? []);
    }
    out.set(account.id, facts);
  }
  return out;
}

function accountRole(r: Resource): AccountIamRole {
  const p = r.properties;
  const name = r.name ?? r.id.replace(/^.*:role\/(?:.*\/)?/, '');
  // What was not read stays absent, so a rule reading it reports error rather than a vacuous pass.
  return {
    name,
    ...(Array.isArray(p.trustedAccounts) ? { trustedAccounts: p.trustedAccounts as string[] } : {}),
    ...(typeof p.trustsAnyPrincipal === 'boolean' ? { trustsAnyPrincipal: p.trustsAnyPrincipal } : {}),
    ...(p.lastUsedAt === undefined ? {} : { lastUsedAt: typeof p.lastUsedAt === 'string' ? p.lastUsedAt : null }),
  };
}

/** `/Envs/Production` → `/`, `/Envs`, `/Envs/Production`: every scope an SCP can be attached to above an account. */
export function ancestorsOf(ouPath: string): string[] {
  const parts = ouPath.split('/').filter(Boolean);
  return ['/', ...parts.map((_, i) => `/${parts.slice(0, i + 1).join('/')}`)];
}

function addTo(map: Map<string, Set<string>>, key: string, value: string): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(value);
}

function stringsOf(value: unknown): string[] {
  return asArray(value).filter((v): v is string => typeof v === 'string');
}

function asArray(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function sorted(values: Iterable<string>): string[] {
  return [...new Set(values)].sort(cmp);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
