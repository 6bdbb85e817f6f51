import { deriveFacts } from '../../estate/derive.js';
import { RESOURCE_TYPES } from '../../estate/resource-types.js';
import { ESTATE_SCHEMA_VERSION, type Account, type CoverageRecord, type Estate, type OrganizationPolicy, type OrganizationalUnit, type Resource } from '../../estate/types.js';
import { applyContributions } from './map-plan.js';
import { cloneJson } from './values.js';
import type { PlannedChanges, PlanTarget } from './plan-types.js';

type MutableResource = { -readonly [K in keyof Resource]: Resource[K] };

/**
 * Applies planned changes to a copy of the base estate (or to an empty estate of the target
 * account): creates are added, updates replace the base resource's values but keep its id (base
 * values the plan does not mention stay), deletes are removed, auxiliary patches change their
 * base parent. Coverage for what the plan creates is recorded as collected from the plan. The
 * result has its facts derived and validates against the estate schema.
 */
export function overlayPlan(base: Estate | undefined, planned: PlannedChanges, target: PlanTarget = planned.target): Estate {
  const resources = new Map<string, MutableResource>();
  const key = (r: { type: string; id: string }) => `${r.type}\u0000${r.id}`;
  for (const r of base?.resources ?? []) resources.set(key(r), cloneJson(r) as MutableResource);
  const byArn = new Map<string, string>();
  const byName = new Map<string, string>();
  const nameKey = (type: string, account: string, name: string) => `${type}\u0000${account}\u0000${name}`;
  const indexResource = (r: MutableResource) => {
    if (r.arn) byArn.set(`${r.type}\u0000${r.arn}`, key(r));
    if (r.name !== undefined) byName.set(nameKey(r.type, r.account, r.name), key(r));
  };
  for (const r of resources.values()) indexResource(r);

  for (const removal of planned.removals) {
    const k =
      (removal.id !== undefined && resources.has(`${removal.type}\u0000${removal.id}`) ? `${removal.type}\u0000${removal.id}` : undefined) ??
      (removal.arn === undefined ? undefined : byArn.get(`${removal.type}\u0000${removal.arn}`)) ??
      (removal.name === undefined ? undefined : byName.get(nameKey(removal.type, removal.account, removal.name)));
    if (k) resources.delete(k);
  }

  for (const p of planned.resources) {
    const k = key(p);
    const existing = resources.get(k);
    if (!existing) {
      // Shallow copies suffice: deriving facts sets top-level properties, and replaces nothing
      // deeper than replication rules, which are copied.
      const properties = { ...p.properties };
      if (Array.isArray(properties.replicationRules)) properties.replicationRules = cloneJson(properties.replicationRules);
      const copy = { ...p, properties } as MutableResource;
      resources.set(k, copy);
      indexResource(copy);
      continue;
    }
    // Unchanged in the plan: the base estate (live or collected) is the better witness.
    if (p.origin?.action === 'no-op') continue;
    const properties = { ...existing.properties, ...cloneJson(p.properties) };
    for (const path of p.unknown ?? []) if (!path.includes('.')) delete properties[path];
    const merged: MutableResource = { ...existing, properties, origin: p.origin };
    if (p.arn !== undefined) merged.arn = p.arn;
    if (p.name !== undefined) merged.name = p.name;
    if (p.tags !== undefined) merged.tags = p.tags;
    if (p.unknown !== undefined) merged.unknown = p.unknown;
    else delete merged.unknown;
    resources.set(k, merged);
  }

  for (const patch of planned.patches) {
    const ref = patch.parent;
    const k =
      (ref.arn === undefined ? undefined : byArn.get(`${ref.type}\u0000${ref.arn}`) ?? (resources.has(`${ref.type}\u0000${ref.arn}`) ? `${ref.type}\u0000${ref.arn}` : undefined)) ??
      (ref.name === undefined ? undefined : byName.get(nameKey(ref.type, patch.account, ref.name)));
    const parent = k === undefined ? undefined : resources.get(k);
    if (!parent || k === undefined) continue;
    const unknown = new Set(parent.unknown ?? []);
    const properties = cloneJson(parent.properties);
    applyContributions(properties, unknown, patch.contributions);
    const patched: MutableResource = { ...parent, properties };
    if (unknown.size > 0) patched.unknown = [...unknown].sort();
    else delete patched.unknown;
    if (!patch.unchanged) patched.origin = patch.origin;
    resources.set(k, patched);
  }

  // Trails name their bucket; which account owns it is a fact of the estate.
  const bucketAccount = new Map<string, string>();
  for (const r of resources.values()) if (r.type === 'aws.s3.bucket' && r.name !== undefined) bucketAccount.set(r.name, r.account);
  for (const r of resources.values()) {
    if (r.type !== 'aws.cloudtrail.trail' || r.origin?.kind !== 'plan') continue;
    const bucket = r.properties.s3BucketName;
    if (typeof bucket === 'string' && r.properties.s3BucketAccount === undefined) r.properties.s3BucketAccount = bucketAccount.get(bucket) ?? null;
  }

  const organization = overlayOrganization(base, planned, target);
  const accounts = new Map<string, Account>();
  for (const a of base?.accounts ?? []) accounts.set(a.id, a);
  for (const id of planned.organization.removedAccounts) accounts.delete(id);
  for (const a of planned.organization.accounts) accounts.set(a.id, { ...accounts.get(a.id), ...a });
  const ensureAccount = (id: string, name: string) => {
    if (!accounts.has(id)) accounts.set(id, { id, name, ouPath: '/' });
  };
  ensureAccount(target.account, target.accountName ?? target.account);
  const sorted = [...resources.values()].sort((a, b) => compare(a.type, b.type) || compare(a.id, b.id));
  for (const r of sorted) if (r.origin?.kind === 'plan') ensureAccount(r.account, r.account);

  const coverage = new Map<string, CoverageRecord>();
  for (const c of base?.coverage ?? []) coverage.set(`${c.account}\u0000${c.region}\u0000${c.service}`, c);
  for (const r of sorted) {
    if (r.origin?.kind !== 'plan') continue;
    const service = RESOURCE_TYPES[r.type].service;
    const k = `${r.account}\u0000${r.region}\u0000${service}`;
    if (!coverage.has(k)) coverage.set(k, { account: r.account, region: r.region, service, status: 'collected', reason: 'terraform plan' });
  }

  const estate: Estate = {
    schemaVersion: ESTATE_SCHEMA_VERSION,
    source: base?.source ? { ...base.source, plan: true } : { kind: 'plan', description: 'terraform plan' },
    organization,
    accounts: [...accounts.values()].sort((a, b) => compare(a.id, b.id)),
    resources: sorted,
    coverage: [...coverage.values()].sort((a, b) => compare(a.account, b.account) || compare(a.region, b.region) || compare(a.service, b.service)),
  };
  deriveFacts(estate);
  return estate;
}

function overlayOrganization(base: Estate | undefined, planned: PlannedChanges, target: PlanTarget): Estate['organization'] {
  const org = planned.organization;
  const ous = new Map<string, OrganizationalUnit>();
  for (const ou of base?.organization.organizationalUnits ?? []) ous.set(ou.id, ou);
  for (const id of org.removedOrganizationalUnits) ous.delete(id);
  for (const ou of org.organizationalUnits) ous.set(ou.id, ou);
  const policies = new Map<string, OrganizationPolicy & { targets: string[] }>();
  for (const p of base?.organization.policies ?? []) policies.set(p.id, { ...p, targets: [...p.targets] });
  for (const id of org.removedPolicies) policies.delete(id);
  for (const p of org.policies) policies.set(p.id, { ...p, targets: [...(policies.get(p.id)?.targets ?? []), ...p.targets] });
  for (const a of org.attachments) {
    const policy = policies.get(a.policyId);
    if (!policy) continue;
    policy.targets = a.attach ? [...new Set([...policy.targets, a.target])] : policy.targets.filter((t) => t !== a.target);
  }
  const out: { -readonly [K in keyof Estate['organization']]: Estate['organization'][K] } = {
    ...(base?.organization ?? {}),
    managementAccountId: base?.organization.managementAccountId ?? target.account,
  };
  if (ous.size > 0) out.organizationalUnits = [...ous.values()].sort((a, b) => compare(a.path, b.path) || compare(a.id, b.id));
  if (policies.size > 0) {
    out.policies = [...policies.values()].map((p) => ({ ...p, targets: [...p.targets].sort() })).sort((a, b) => compare(a.id, b.id));
  }
  return out;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A resource the plan creates or changes (as opposed to one it leaves as it is). */
export function isPlannedChange(resource: Resource): boolean {
  return resource.origin?.kind === 'plan' && resource.origin.action !== 'no-op' && resource.origin.action !== 'read';
}
