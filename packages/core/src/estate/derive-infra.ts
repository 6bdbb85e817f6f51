import { parseArn } from './arn.js';
import type { Estate, Resource } from './types.js';

/*
 * Facts of the logging, resilience, network and cost families that join resources: which
 * bucket a trail writes to and how long it keeps objects, which availability zones a VPC's
 * subnets span, which security groups may reach a group or a database, what percentage a budget
 * alerts at. Derived once at load; rules only read them.
 */

type Props = Record<string, unknown>;

/** Stands for a subnet zone that a plan knows only after apply. */
const UNKNOWN_ZONE = '\u0000unknown';

/** Per-resource facts; mutates the freshly loaded resources' properties like `deriveFacts`. */
export function deriveInfrastructureFacts(estate: Estate): void {
  const buckets = new Map<string, Resource>();
  const groups = new Map<string, Resource>();
  const zonesByVpc = new Map<string, Set<string>>();
  for (const r of estate.resources) {
    if (r.type === 'aws.s3.bucket') {
      buckets.set(r.arn ?? r.id, r);
      const name = r.name ?? bucketNameOf(r.id);
      if (name) {
        buckets.set(name, r);
        buckets.set(`arn:aws:s3:::${name}`, r);
      }
    } else if (r.type === 'aws.ec2.security-group') {
      // Rules name a group by its short id (live), or by the resource's id (a planned group).
      for (const key of [shortId(r, 'security-group', 'sg-', r.properties.groupId), r.id, r.arn]) if (key) groups.set(key, r);
    } else if (r.type === 'aws.ec2.subnet') {
      const vpc = r.properties.vpcId;
      if (typeof vpc !== 'string') continue;
      let zones = zonesByVpc.get(vpc);
      if (!zones) zonesByVpc.set(vpc, (zones = new Set()));
      // A zone known only after apply makes the VPC's zones unknown too.
      const zone = r.unknown?.includes('availabilityZone') ? UNKNOWN_ZONE : r.properties.availabilityZone;
      if (typeof zone === 'string') zones.add(zone);
    }
  }

  for (const r of estate.resources) {
    const p = r.properties;
    switch (r.type) {
      case 'aws.cloudtrail.trail':
        deriveTrailBucket(p, buckets);
        break;
      case 'aws.ec2.vpc':
        if (!Array.isArray(p.availabilityZones)) {
          const zones = new Set<string>();
          for (const key of new Set([shortId(r, 'vpc', 'vpc-', p.vpcId), r.id, r.arn])) for (const z of (key ? zonesByVpc.get(key) : undefined) ?? []) zones.add(z);
          if (zones.has(UNKNOWN_ZONE)) (r as { unknown?: string[] }).unknown = [...(r.unknown ?? []), 'availabilityZones'];
          else p.availabilityZones = [...zones].sort();
        }
        break;
      case 'aws.ec2.security-group':
        deriveIngress(p, groups);
        break;
      case 'aws.rds.instance':
        if (Array.isArray(p.vpcSecurityGroups)) {
          p.vpcSecurityGroupDetails = (p.vpcSecurityGroups as unknown[]).filter((g): g is string => typeof g === 'string').map((g) => groupFacts(g, groups));
        }
        break;
      case 'aws.budgets.budget':
        deriveBudget(p);
        break;
      default:
        break;
    }
  }
}

/**
 * The trail's bucket owner and lifecycle. Both stay absent when the bucket is not in the
 * estate: a rule then cannot tell, and reports so instead of guessing.
 */
function deriveTrailBucket(p: Props, buckets: ReadonlyMap<string, Resource>): void {
  const bucket = typeof p.s3BucketName === 'string' ? buckets.get(p.s3BucketName) : undefined;
  if (p.s3BucketAccount === undefined || p.s3BucketAccount === null) {
    if (bucket) p.s3BucketAccount = bucket.account;
    else delete p.s3BucketAccount;
  }
  if (p.s3BucketExpirationDays === undefined && bucket && bucket.properties.expirationDays !== undefined) {
    p.s3BucketExpirationDays = bucket.properties.expirationDays;
  }
}

/** Empty address lists instead of absent ones, and every source group with its tags when known. */
function deriveIngress(p: Props, groups: ReadonlyMap<string, Resource>): void {
  if (!Array.isArray(p.ingress)) return;
  const sources = new Set<string>();
  for (const rule of p.ingress as Props[]) {
    if (rule === null || typeof rule !== 'object') continue;
    for (const key of ['cidrs', 'sourceSecurityGroups', 'prefixLists']) if (rule[key] === undefined) rule[key] = [];
    for (const g of rule.sourceSecurityGroups as unknown[]) if (typeof g === 'string') sources.add(g);
  }
  p.ingressSources = [...sources].sort().map((g) => groupFacts(g, groups));
}

/** A security group as another resource sees it; `tags` only when the group is in the estate. */
function groupFacts(groupId: string, groups: ReadonlyMap<string, Resource>): Props {
  const group = groups.get(groupId) ?? groups.get(groupId.split('/').pop() ?? groupId);
  return group ? { groupId, ...(group.name ? { name: group.name } : {}), tags: group.tags ?? {} } : { groupId };
}

/**
 * `accounts`: the linked accounts whose spend the budget tracks (its LinkedAccount cost filter);
 * empty means the budget's own account. `alertThresholds`: the percentages of the limit at which
 * an actual or forecasted notification fires, absolute thresholds converted with the limit.
 */
function deriveBudget(p: Props): void {
  if (!Array.isArray(p.accounts)) p.accounts = [];
  if (Array.isArray(p.alertThresholds)) return;
  const limit = typeof p.limitAmount === 'number' && p.limitAmount > 0 ? p.limitAmount : undefined;
  const thresholds = new Set<number>();
  for (const n of Array.isArray(p.notifications) ? (p.notifications as Props[]) : []) {
    if (n === null || typeof n !== 'object' || typeof n.threshold !== 'number') continue;
    if ((n.comparison ?? 'GREATER_THAN') !== 'GREATER_THAN') continue;
    if (!['ACTUAL', 'FORECASTED'].includes(String(n.notificationType ?? 'ACTUAL'))) continue;
    if ((n.thresholdType ?? 'PERCENTAGE') === 'PERCENTAGE') thresholds.add(n.threshold);
    else if (limit !== undefined) thresholds.add(Math.round((n.threshold / limit) * 10_000) / 100);
  }
  p.alertThresholds = [...thresholds].sort((a, b) => a - b);
}

/** Whether a service was collected everywhere it was attempted for an account (and attempted at all). */
function collectedFor(estate: Estate): (account: string, service: string) => boolean {
  const state = new Map<string, boolean>();
  for (const c of estate.coverage) {
    const key = `${c.account}\u0000${c.service}`;
    state.set(key, (state.get(key) ?? true) && c.status === 'collected');
  }
  return (account, service) => state.get(`${account}\u0000${service}`) === true;
}

/**
 * Facts about each account that come from resources elsewhere, keyed by account id, for the
 * account's `aws.organizations.account` resource:
 * - `cloudtrailTrails`: the trails that record the account (its own and every organisation
 *   trail), summarised;
 * - `budgets`: the cost budgets that track the account's spend (its own without a linked-account
 *   filter, and any budget whose `accounts` lists it, usually in the management account);
 * - `vpcs`: its VPCs other than the default ones, with their availability zones.
 *
 * Fail closed: a list is present when the services it comes from were collected for the account
 * (and, for trails and budgets, for the management account, where organisation trails and
 * per-account budgets live), or when something was found anyway. Otherwise it is absent, and a
 * rule reading it reports `error`, never an empty list that would read as "none".
 */
export function deriveAccountFacts(estate: Estate): Map<string, Props> {
  const collected = collectedFor(estate);
  const management = estate.organization.managementAccountId;
  const organizationTrails: Resource[] = [];
  const ownTrails = new Map<string, Resource[]>();
  const budgets = new Map<string, Resource[]>();
  const vpcs = new Map<string, Resource[]>();
  for (const r of estate.resources) {
    if (r.type === 'aws.cloudtrail.trail') {
      if (r.properties.isOrganizationTrail === true) organizationTrails.push(r);
      else push(ownTrails, r.account, r);
    } else if (r.type === 'aws.budgets.budget') {
      const accounts = Array.isArray(r.properties.accounts) ? (r.properties.accounts as unknown[]).filter((a): a is string => typeof a === 'string') : [];
      for (const a of accounts.length === 0 ? [r.account] : new Set(accounts)) push(budgets, a, r);
    } else if (r.type === 'aws.ec2.vpc' && r.properties.isDefault !== true) {
      push(vpcs, r.account, r);
    }
  }

  const out = new Map<string, Props>();
  for (const account of estate.accounts) {
    const facts: Props = {};
    const recording = [...organizationTrails, ...(ownTrails.get(account.id) ?? [])].sort(byId).map(trailSummary);
    if (recording.length > 0 || (collected(account.id, 'cloudtrail') && collected(management, 'cloudtrail'))) facts.cloudtrailTrails = recording;

    const tracking = [...(budgets.get(account.id) ?? [])].sort(byId).map(budgetSummary);
    if (tracking.length > 0 || (collected(account.id, 'budgets') && collected(management, 'budgets'))) facts.budgets = tracking;

    if (collected(account.id, 'ec2')) {
      facts.vpcs = [...(vpcs.get(account.id) ?? [])].sort(byId).map((v) => ({ id: v.id, region: v.region, availabilityZones: v.properties.availabilityZones ?? [] }));
    }
    out.set(account.id, facts);
  }
  return out;
}

function push(map: Map<string, Resource[]>, key: string, r: Resource): void {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  list.push(r);
}

/** What an account-level rule needs of a trail; absent facts stay absent (unknown). */
function trailSummary(t: Resource): Props {
  const p = t.properties;
  const out: Props = { id: t.id, account: t.account, name: t.name ?? t.id };
  for (const key of ['isOrganizationTrail', 'isMultiRegionTrail', 'logFileValidation', 'isLogging', 'managementEvents', 's3BucketName', 's3BucketAccount', 's3BucketExpirationDays']) {
    if (p[key] !== undefined) out[key] = p[key];
  }
  return out;
}

function budgetSummary(b: Resource): Props {
  const p = b.properties;
  const out: Props = { id: b.id, account: b.account, name: b.name ?? b.id, limitAmount: p.limitAmount ?? null, alertThresholds: p.alertThresholds ?? [] };
  if (p.budgetType !== undefined) out.budgetType = p.budgetType;
  return out;
}

function byId(a: Resource, b: Resource): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** `sg-123` / `vpc-123` from a resource named by ARN (`…:security-group/sg-123`), by short id or by a property. */
function shortId(r: Resource, kind: string, prefix: string, property: unknown): string | undefined {
  if (typeof property === 'string' && property !== '') return property;
  if (r.id.startsWith(prefix)) return r.id;
  const arn = parseArn(r.arn ?? r.id);
  const tail = arn?.resource.startsWith(`${kind}/`) ? arn.resource.slice(kind.length + 1) : undefined;
  return tail && tail.startsWith(prefix) ? tail : undefined;
}

function bucketNameOf(id: string): string | undefined {
  return id.startsWith('arn:') ? parseArn(id)?.resource.split('/')[0] : id;
}
