import { parsePolicyDocument } from './policy-document.js';
import { accountOfPrincipal, isAccountId, parseArn } from './arn.js';
import { isServiceLinkedRole, ROLE_TRUST_FACTS, roleTrust } from './derive-identity.js';
import { deriveInfrastructureFacts } from './derive-infra.js';
import type { Estate, Resource } from './types.js';

/**
 * Derives, once, the facts rules read but that need parsing: who a key policy admits, which
 * account owns the key a resource is encrypted with, where a replication rule writes.
 * Mutates the freshly loaded resources' properties; rules never parse policies themselves.
 */
export function deriveFacts(estate: Estate): void {
  const bucketOwner = new Map<string, string>();
  // A key named by its estate id, ARN or key id (a planned key has no ARN yet) belongs to the
  // account that holds it, which may differ from the account of the resource using it.
  const keyOwner = new Map<string, string>();
  for (const r of estate.resources) {
    if (r.type === 'aws.s3.bucket') {
      bucketOwner.set(r.arn ?? r.id, r.account);
      if (r.name) bucketOwner.set(`arn:aws:s3:::${r.name}`, r.account);
    } else if (r.type === 'aws.kms.key') {
      keyOwner.set(r.id, r.account);
      if (r.arn) keyOwner.set(r.arn, r.account);
    }
  }
  const keyAccount = (kmsKeyId: unknown, resource: Resource): string | null =>
    (typeof kmsKeyId === 'string' ? keyOwner.get(kmsKeyId) : undefined) ?? ownerOfKey(kmsKeyId, resource);
  for (const r of estate.resources) {
    // No tags and an empty tag set are the same fact; rules should not see the difference.
    if (r.tags === undefined) (r as { tags?: Record<string, string> }).tags = {};
    const p = r.properties;
    switch (r.type) {
      case 'aws.kms.key': {
        if (p.policy !== undefined && p.policy !== null) Object.assign(p, admittedByKeyPolicy(p.policy, r.account));
        break;
      }
      case 'aws.rds.instance':
      case 'aws.rds.cluster':
      case 'aws.ecr.repository':
        p.kmsKeyAccount = keyAccount(p.kmsKeyId, r);
        break;
      case 'aws.rds.snapshot':
        p.kmsKeyAccount = keyAccount(p.kmsKeyId, r);
        if (typeof p.sourceArn === 'string' && p.sourceAccount === undefined) {
          p.sourceAccount = parseArn(p.sourceArn)?.account ?? r.account;
        }
        break;
      case 'aws.s3.bucket': {
        const encryption = p.encryption as { kmsKeyId?: unknown } | null | undefined;
        p.kmsKeyAccount = keyAccount(encryption?.kmsKeyId, r);
        const rules = Array.isArray(p.replicationRules) ? (p.replicationRules as Record<string, unknown>[]) : [];
        for (const rule of rules) {
          if (rule.destinationAccount === undefined || rule.destinationAccount === null) {
            rule.destinationAccount = bucketOwner.get(String(rule.destinationBucket)) ?? null;
          }
          if (rule.prefix === undefined) rule.prefix = '';
          if (rule.status === undefined) rule.status = 'Enabled';
        }
        break;
      }
      case 'aws.iam.role':
        if (p.serviceLinked === undefined) p.serviceLinked = isServiceLinkedRole(p);
        if (p.trustPolicy !== undefined && p.trustPolicy !== null) Object.assign(p, roleTrust(p.trustPolicy, r.account));
        // A planned trust policy known only after apply leaves its derived facts unknown too, not missing.
        else if (r.unknown?.includes('trustPolicy')) (r as { unknown?: readonly string[] }).unknown = [...r.unknown, ...ROLE_TRUST_FACTS];
        break;
      default:
        break;
    }
  }
  // Logging, resilience, network and cost facts (trail buckets, VPC zones, security group sources, budgets).
  deriveInfrastructureFacts(estate);
}

/** The account that owns a key named by ARN, key id or alias (a bare id lives in the resource's own account). */
function ownerOfKey(kmsKeyId: unknown, resource: Resource): string | null {
  if (typeof kmsKeyId !== 'string' || kmsKeyId === '') return null;
  const arn = parseArn(kmsKeyId);
  return arn && isAccountId(arn.account) ? arn.account : resource.account;
}

interface Statement {
  Effect?: unknown;
  Principal?: unknown;
  Condition?: unknown;
}

const ACCOUNT_CONDITION_KEYS = ['kms:calleraccount', 'aws:principalaccount'];

/**
 * The accounts a key policy lets in. A statement allowing `*` is narrowed by a
 * `kms:CallerAccount` or `aws:PrincipalAccount` condition; without one it admits any account.
 */
export function admittedByKeyPolicy(
  policy: unknown,
  ownerAccount: string,
): { admittedAccounts: string[]; admitsAnyAccount: boolean } {
  const doc = typeof policy === 'string' ? parsePolicyDocument(policy) : policy;
  const statements = asArray((doc as { Statement?: unknown } | null)?.Statement) as Statement[];
  const admitted = new Set<string>();
  let any = false;
  for (const statement of statements) {
    if (statement === null || typeof statement !== 'object' || statement.Effect !== 'Allow') continue;
    for (const principal of principalsOf(statement.Principal)) {
      if (principal === '*') {
        const narrowed = accountsInCondition(statement.Condition);
        if (narrowed.length === 0) any = true;
        for (const account of narrowed) admitted.add(account);
        continue;
      }
      const account = accountOfPrincipal(principal);
      if (account) admitted.add(account);
    }
  }
  admitted.add(ownerAccount);
  return { admittedAccounts: [...admitted].sort(), admitsAnyAccount: any };
}

function principalsOf(principal: unknown): string[] {
  if (principal === '*') return ['*'];
  if (principal === null || typeof principal !== 'object') return [];
  const aws = (principal as Record<string, unknown>).AWS;
  return asArray(aws).filter((p): p is string => typeof p === 'string');
}

function accountsInCondition(condition: unknown): string[] {
  if (condition === null || typeof condition !== 'object') return [];
  const out: string[] = [];
  for (const [operator, clauses] of Object.entries(condition as Record<string, unknown>)) {
    if (!/^String(Equals|Like)(IgnoreCase)?$/i.test(operator.replace(/^ForAnyValue:|^ForAllValues:/, ''))) continue;
    if (clauses === null || typeof clauses !== 'object') continue;
    for (const [key, value] of Object.entries(clauses as Record<string, unknown>)) {
      if (!ACCOUNT_CONDITION_KEYS.includes(key.toLowerCase())) continue;
      for (const v of asArray(value)) if (typeof v === 'string' && isAccountId(v)) out.push(v);
    }
  }
  return out;
}

function asArray(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}
