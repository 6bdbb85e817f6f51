import { deriveAccountFacts } from '../estate/derive-infra.js';
import { RESOURCE_TYPES, type ResourceType } from '../estate/resource-types.js';
import { deriveIdentityAccountFacts } from '../estate/derive-identity.js';
import type { CoverageRecord, Estate, Resource } from '../estate/types.js';
import { hash } from 'node:crypto';
import type { AppliedWaiver, Result, ResultResource, Status } from '../model.js';
import type { ActiveRule } from '../policy/resolve.js';
import type { Waiver } from '../policy/types.js';
import { compileMessage } from './message.js';
import type { AccountView, EvalContext, Relations } from './context.js';
import { globToRegExp } from './glob.js';

export interface EvaluateInput {
  readonly estate: Estate;
  readonly rules: readonly ActiveRule[];
  readonly accounts: ReadonlyMap<string, AccountView>;
  readonly environments: ReadonlyMap<string, Readonly<Record<string, unknown>>>;
  readonly specialAccounts: Readonly<Record<string, string>>;
  readonly waivers: readonly Waiver[];
  /** The scan's clock, in milliseconds. */
  readonly now: number;
  /** Report only resources this predicate keeps (e.g. planned ones); the rest are still evaluated as context. */
  readonly report?: (resource: Resource) => boolean;
  /** Report coverage gaps as `error` results (default true; a plan-only check has no such gaps to report). */
  readonly includeCoverage?: boolean;
}

export interface Evaluation {
  readonly results: Result[];
  /** How many results each waiver (by index) matched. */
  readonly waiverMatches: number[];
}

/**
 * The organisation's accounts as resources, so account rules are rules like any other: the
 * account's resource from the estate when a source listed one (older live estates do), otherwise
 * a synthetic one; each with the per-account facts derived from other resources: identity
 * (effective SCPs, Access Analyzer regions, IAM roles and groups) and infrastructure (trails,
 * budgets, VPCs).
 */
export function accountResources(estate: Estate): Resource[] {
  const identity = deriveIdentityAccountFacts(estate);
  const infrastructure = deriveAccountFacts(estate);
  const listed = new Map<string, Resource>();
  for (const r of estate.resources) if (r.type === 'aws.organizations.account' && !listed.has(r.account)) listed.set(r.account, r);
  return estate.accounts.map((a) => {
    const base: Resource = listed.get(a.id) ?? {
      type: 'aws.organizations.account',
      id: a.id,
      arn: `arn:aws:organizations::${estate.organization.managementAccountId}:account/${estate.organization.id ?? 'o-unknown'}/${a.id}`,
      account: a.id,
      region: 'global',
      name: a.name,
      ...(a.tags ? { tags: a.tags } : {}),
      properties: { ouPath: a.ouPath, ...(a.email ? { email: a.email } : {}), ...(a.status ? { status: a.status } : {}) },
    };
    return { ...base, properties: { ...base.properties, ...identity.get(a.id), ...infrastructure.get(a.id) } };
  });
}

/**
 * One pass over an index of resources by type. Each (rule, resource) in the rule's scope gets
 * exactly one result; a service that was not collected for an account gives `error` results
 * for that account, never silence.
 */
export function evaluate(input: EvaluateInput): Evaluation {
  const { estate, accounts } = input;
  const accountIds = new Set(estate.accounts.map((a) => a.id));
  // An account listed as a resource is judged once, through accountResources.
  const listed = estate.resources.filter((r) => r.type !== 'aws.organizations.account' || !accountIds.has(r.account));
  const byType = indexByType([...listed, ...accountResources(estate)]);
  const coverage = indexCoverage(estate.coverage);
  const relations: Relations = { account: (id) => accounts.get(id), environment: (name) => input.environments.get(name) };
  const waivers = input.waivers.map((w) => ({ waiver: w, rule: globToRegExp(w.rule), resource: globToRegExp(w.resource) }));
  const waiverMatches = input.waivers.map(() => 0);
  const results: Result[] = [];
  const report = input.report ?? (() => true);
  const outsiders = new Map<string, AccountView>();
  const accountOf = (id: string): AccountView => {
    const known = accounts.get(id);
    if (known) return known;
    let view = outsiders.get(id);
    if (!view) {
      view = { id, name: id, ouPath: '', tags: {}, role: 'workload', environment: null, environments: [], inOrganization: false };
      outsiders.set(id, view);
    }
    return view;
  };

  // Per type, what every rule needs of a resource (its account, its summary), computed on first use.
  const facts = new Map<string, { accounts: (AccountView | undefined)[]; summaries: (ResultResource | undefined)[]; digests: (string | undefined)[] }>();
  const factsOf = (type: string, length: number) => {
    let f = facts.get(type);
    if (!f) facts.set(type, (f = { accounts: new Array(length), summaries: new Array(length), digests: new Array(length) }));
    return f;
  };

  for (const rule of input.rules) {
    const roles = rule.definition.scope?.accountRoles;
    const inScope = (account: AccountView): boolean =>
      (!roles || roles.includes(account.role)) && (!rule.environments || (account.environment !== null && rule.environments.has(account.environment)));

    const gaps: Result[] = [];
    for (const service of input.includeCoverage === false ? [] : rule.services) {
      for (const account of accounts.values()) {
        if (!inScope(account)) continue;
        const records = coverage.get(`${account.id}\u0000${service}`);
        if (!records) {
          gaps.push(coverageResult(rule, account, service, undefined));
          continue;
        }
        for (const record of records) if (record.status !== 'collected') gaps.push(coverageResult(rule, account, service, record));
      }
    }
    gaps.sort((a, b) => cmp(a.resource.id, b.resource.id));
    for (const gap of gaps) results.push(gap);

    // One context per rule, its resource fields moved along: no allocation per (rule, resource).
    const ctx: { -readonly [K in keyof EvalContext]: EvalContext[K] } = {
      resource: undefined as unknown as Resource,
      account: undefined as unknown as AccountView,
      environment: undefined,
      params: rule.params,
      policy: { accounts: input.specialAccounts },
      organization: estate.organization,
      relations,
      now: input.now,
    };
    const judgeOne = judgeWith(rule, waivers, waiverMatches, input.now);
    for (const type of [...rule.types].sort()) {
      const list = byType.get(type) ?? [];
      const { accounts: accountAt, summaries, digests } = factsOf(type, list.length);
      for (let i = 0; i < list.length; i++) {
        const resource = list[i] as Resource;
        const account = (accountAt[i] ??= accountOf(resource.account));
        if (!inScope(account) || !report(resource)) continue;
        ctx.resource = resource;
        ctx.account = account;
        ctx.environment = account.environment === null ? undefined : input.environments.get(account.environment);
        results.push(judgeOne(ctx, (summaries[i] ??= resourceSummary(resource, account)), (digests[i] ??= resourceDigest(resource.type, resource.id))));
      }
    }
  }
  return { results, waiverMatches };
}

/** Resources by type, each list in id order (collected estates already are; others are sorted once). */
function indexByType(resources: readonly Resource[]): Map<string, Resource[]> {
  const byType = new Map<string, Resource[]>();
  for (const r of resources) {
    let list = byType.get(r.type);
    if (!list) byType.set(r.type, (list = []));
    list.push(r);
  }
  for (const list of byType.values()) {
    let sorted = true;
    for (let i = 1; i < list.length && sorted; i++) sorted = (list[i - 1] as Resource).id <= (list[i] as Resource).id;
    if (!sorted) list.sort((a, b) => cmp(a.id, b.id));
  }
  return byType;
}

/** The judge of one rule, with everything that does not vary per resource computed once. */
function judgeWith(
  rule: ActiveRule,
  waivers: readonly { waiver: Waiver; rule: RegExp; resource: RegExp }[],
  waiverMatches: number[],
  now: number,
): (ctx: EvalContext, resource: ResultResource, resourceHash: string) => Result {
  const id = rule.definition.id;
  const passMessage = `${rule.definition.title}.`;
  const notApplicableMessage = `${rule.definition.title}: does not apply to this resource.`;
  const messageIds = Object.keys(rule.definition.messages);
  const defaultMessageId = messageIds[0] ?? 'fail';
  const messages = new Map(messageIds.map((m) => [m, compileMessage(rule.definition.messages[m] as string, `rule ${id} message ${m}`)]));
  const titleMessage = (): string => rule.definition.title;
  const ruleWaivers = waivers.filter((w) => w.rule.test(id));
  const ruleHash = ruleDigest(id);
  return (ctx, resource, resourceHash) => {
    const r = ctx.resource;
    const origin = r.origin;
    const location = origin?.file ? { file: origin.file, line: origin.line ?? 1, ...(origin.address ? { address: origin.address } : {}) } : undefined;
    const make = (status: Status, message: string, extra?: Pick<Result, 'messageId' | 'evidence'>): Result => ({
      ruleId: id,
      status,
      severity: rule.severity,
      resource,
      environment: ctx.account.environment,
      ...extra,
      message,
      fingerprint: ruleHash + resourceHash,
      ...(location ? { location } : {}),
    });
    const error = (reason: string, path: string): Result => make('error', `Could not evaluate: ${reason}.`, { messageId: 'couldNotEvaluate', evidence: { path } });
    try {
      if (rule.when) {
        const applies = rule.when(ctx);
        if (applies.state === 'false') return make('not-applicable', notApplicableMessage);
        if (applies.state === 'unknown') return error(applies.reason, applies.path);
      }
      const verdict = rule.assert(ctx);
      if (verdict.state === 'true') return make('pass', passMessage);
      if (verdict.state === 'unknown') return error(verdict.reason, verdict.path);
      const failure = verdict.failure;
      const messageId = failure.messageId ?? defaultMessageId;
      const failed = make('fail', (messages.get(messageId) ?? titleMessage)(ctx, failure), {
        messageId,
        evidence: { path: failure.path, ...(failure.actual === undefined ? {} : { actual: failure.actual }), ...(failure.expected === undefined ? {} : { expected: failure.expected }) },
      });
      return ruleWaivers.length === 0 ? failed : applyWaiver(failed, r, ruleWaivers, waiverMatches, now);
    } catch (thrown) {
      // A rule that throws is a finding about the rule, not a pass; the scan goes on.
      return error(`the rule failed while evaluating (${(thrown as Error).message})`, 'rule');
    }
  };
}

function resourceSummary(r: Resource, account: AccountView): ResultResource {
  return {
    type: r.type,
    id: r.id,
    ...(r.arn ? { arn: r.arn } : {}),
    account: r.account,
    ...(account.inOrganization ? { accountName: account.name } : {}),
    region: r.region,
    ...(r.name ? { name: r.name } : {}),
  };
}


function coverageResult(rule: ActiveRule, account: AccountView, service: string, record: CoverageRecord | undefined): Result {
  const region = record?.region ?? (isGlobalService(service) ? 'global' : 'all');
  const why = record ? `${service} was ${record.status} in ${account.name} (${account.id}) ${region}${record.reason ? `: ${record.reason}` : ''}` : `${service} was not collected for ${account.name} (${account.id})`;
  const id = `coverage:${account.id}:${region}:${service}`;
  return {
    ruleId: rule.definition.id,
    status: 'error',
    severity: rule.severity,
    resource: { type: 'coverage', id, account: account.id, ...(account.inOrganization ? { accountName: account.name } : {}), region },
    environment: account.environment,
    messageId: 'notCollected',
    message: `Could not evaluate: ${why}.`,
    evidence: { path: `coverage.${service}`, actual: record?.status ?? 'absent', expected: 'collected' },
    fingerprint: fingerprint(rule.definition.id, 'coverage', id),
  };
}

function indexCoverage(records: readonly CoverageRecord[]): Map<string, CoverageRecord[]> {
  const index = new Map<string, CoverageRecord[]>();
  for (const record of records) {
    const key = `${record.account}\u0000${record.service}`;
    let list = index.get(key);
    if (!list) index.set(key, (list = []));
    list.push(record);
  }
  return index;
}

function isGlobalService(service: string): boolean {
  return Object.values(RESOURCE_TYPES).some((t) => t.service === service && t.global);
}

function applyWaiver(
  result: Result,
  resource: Resource,
  waivers: readonly { waiver: Waiver; rule: RegExp; resource: RegExp }[],
  matches: number[],
  now: number,
): Result {
  for (const w of waivers) {
    if (!w.resource.test(resource.id) && !(resource.arn && w.resource.test(resource.arn))) continue;
    matches[w.waiver.index] = (matches[w.waiver.index] ?? 0) + 1;
    const expired = waiverExpired(w.waiver.expires, now);
    const applied: AppliedWaiver = {
      index: w.waiver.index,
      reason: w.waiver.reason,
      ...(w.waiver.owner ? { owner: w.waiver.owner } : {}),
      ...(w.waiver.approver ? { approver: w.waiver.approver } : {}),
      expires: w.waiver.expires,
      expired,
    };
    // An expired waiver stops waiving: the result fails, and says which waiver lapsed.
    return expired
      ? { ...result, waiver: applied, message: `${result.message} (waiver expired on ${w.waiver.expires})` }
      : { ...result, status: 'waived', waiver: applied };
  }
  return result;
}

/** A waiver holds through the end of its expiry day, UTC. */
export function waiverExpired(expires: string, now: number): boolean {
  return Date.parse(`${expires}T23:59:59.999Z`) < now;
}

/**
 * A stable identity for (rule, resource): 8 hex digits of SHA-256 of the rule id, then 24 of
 * SHA-256 of the resource's type and id. The resource half is computed once per resource and
 * shared by every rule that judges it, which keeps hashing off the per-result path.
 */
export function fingerprint(ruleId: string, type: string, id: string): string {
  return ruleDigest(ruleId) + resourceDigest(type, id);
}

export function ruleDigest(ruleId: string): string {
  return hash('sha256', ruleId).slice(0, 8);
}

export function resourceDigest(type: string, id: string): string {
  return hash('sha256', `${type}\n${id}`).slice(0, 24);
}


function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export type { ResourceType };
