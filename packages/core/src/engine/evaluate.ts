import { hash } from 'node:crypto';
import { deriveAccountFacts } from '../estate/derive-infra.js';
import { RESOURCE_TYPES, type ResourceType } from '../estate/resource-types.js';
import type { CoverageRecord, Estate, Resource } from '../estate/types.js';
import type { AppliedWaiver, Result, ResultResource, Status } from '../model.js';
import type { ActiveRule } from '../policy/resolve.js';
import type { Waiver } from '../policy/types.js';
import type { Failure } from './condition.js';
import { readForMessage } from './condition.js';
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
 * account's resource from the estate when a source listed one (live collection does), otherwise
 * a synthetic one; each with the per-account facts derived from other resources.
 */
export function accountResources(estate: Estate): Resource[] {
  const facts = deriveAccountFacts(estate);
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
    return { ...base, properties: { ...base.properties, ...facts.get(a.id) } };
  });
}

/**
 * One pass over an index of resources by type. Each (rule, resource) in the rule's scope gets
 * exactly one result; a service that was not collected for an account gives `error` results
 * for that account, never silence.
 */
export function evaluate(input: EvaluateInput): Evaluation {
  const { estate, accounts } = input;
  const byType = new Map<string, Resource[]>();
  const accountIds = new Set(estate.accounts.map((a) => a.id));
  // An account listed as a resource is judged once, through accountResources.
  const listed = estate.resources.filter((r) => r.type !== 'aws.organizations.account' || !accountIds.has(r.account));
  for (const r of [...listed, ...accountResources(estate)]) {
    let list = byType.get(r.type);
    if (!list) byType.set(r.type, (list = []));
    list.push(r);
  }
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

  for (const rule of input.rules) {
    const inScope = (account: AccountView): boolean =>
      (!rule.definition.scope?.accountRoles || rule.definition.scope.accountRoles.includes(account.role)) &&
      (!rule.environments || (account.environment !== null && rule.environments.has(account.environment)));

    for (const service of input.includeCoverage === false ? [] : rule.services) {
      for (const account of accounts.values()) {
        if (!inScope(account)) continue;
        const records = coverage.get(`${account.id}\u0000${service}`);
        if (!records) {
          results.push(coverageResult(rule, account, service, undefined));
          continue;
        }
        for (const record of records) if (record.status !== 'collected') results.push(coverageResult(rule, account, service, record));
      }
    }

    for (const type of rule.types) {
      for (const resource of byType.get(type) ?? []) {
        const account = accountOf(resource.account);
        if (!inScope(account) || !report(resource)) continue;
        const ctx: EvalContext = {
          resource,
          account,
          environment: account.environment === null ? undefined : input.environments.get(account.environment),
          params: rule.params,
          policy: { accounts: input.specialAccounts },
          organization: estate.organization,
          relations,
          now: input.now,
        };
        results.push(judge(rule, ctx, waivers, waiverMatches, input.now));
      }
    }
  }
  results.sort(compareResults);
  return { results, waiverMatches };
}

function judge(
  rule: ActiveRule,
  ctx: EvalContext,
  waivers: readonly { waiver: Waiver; rule: RegExp; resource: RegExp }[],
  waiverMatches: number[],
  now: number,
): Result {
  const base = baseResult(rule, ctx);
  try {
    if (rule.when) {
      const applies = rule.when(ctx);
      if (applies.state === 'false') return { ...base, status: 'not-applicable', message: `${rule.definition.title}: does not apply to this resource.` };
      if (applies.state === 'unknown') return errorResult(base, applies.reason, applies.path);
    }
    const verdict = rule.assert(ctx);
    if (verdict.state === 'true') return { ...base, status: 'pass', message: `${rule.definition.title}.` };
    if (verdict.state === 'unknown') return errorResult(base, verdict.reason, verdict.path);
    const failure = verdict.failure;
    const messageId = failure.messageId ?? Object.keys(rule.definition.messages)[0] ?? 'fail';
    const failed: Result = {
      ...base,
      status: 'fail',
      messageId,
      message: renderMessage(rule.definition.messages[messageId] ?? rule.definition.title, ctx, failure),
      evidence: { path: failure.path, ...(failure.actual === undefined ? {} : { actual: failure.actual }), ...(failure.expected === undefined ? {} : { expected: failure.expected }) },
    };
    return applyWaiver(failed, ctx.resource, waivers, waiverMatches, now);
  } catch (error) {
    // A rule that throws is a finding about the rule, not a pass; the scan goes on.
    return errorResult(base, `the rule failed while evaluating (${(error as Error).message})`, 'rule');
  }
}

function baseResult(rule: ActiveRule, ctx: EvalContext): Omit<Result, 'status' | 'message'> {
  const r = ctx.resource;
  const resource: ResultResource = {
    type: r.type,
    id: r.id,
    ...(r.arn ? { arn: r.arn } : {}),
    account: r.account,
    ...(ctx.account.inOrganization ? { accountName: ctx.account.name } : {}),
    region: r.region,
    ...(r.name ? { name: r.name } : {}),
  };
  const origin = r.origin;
  return {
    ruleId: rule.definition.id,
    severity: rule.severity,
    resource,
    environment: ctx.account.environment,
    fingerprint: fingerprint(rule.definition.id, r.type, r.id),
    ...(origin?.file ? { location: { file: origin.file, line: origin.line ?? 1, ...(origin.address ? { address: origin.address } : {}) } } : {}),
  };
}

function errorResult(base: Omit<Result, 'status' | 'message'>, reason: string, path: string): Result {
  return { ...base, status: 'error', messageId: 'couldNotEvaluate', message: `Could not evaluate: ${reason}.`, evidence: { path } };
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
    if (!w.rule.test(result.ruleId)) continue;
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

export function fingerprint(ruleId: string, type: string, id: string): string {
  return hash('sha256', `${ruleId}\n${type}\n${id}`).slice(0, 32);
}

const TEMPLATE = /\{\{\s*([A-Za-z0-9_.[\]"-]+)\s*\}\}/g;

function renderMessage(template: string, ctx: EvalContext, failure: Failure): string {
  return template.replace(TEMPLATE, (_, name: string) => {
    if (name === 'actual') return show(failure.actual);
    if (name === 'expected') return show(failure.expected);
    if (name === 'path') return failure.path;
    return show(readForMessage(ctx, name));
  });
}

function show(value: unknown): string {
  if (value === undefined) return 'unknown';
  if (value === null) return 'none';
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.map(show).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

const STATUS_ORDER: Record<Status, number> = { fail: 0, error: 1, waived: 2, pass: 3, 'not-applicable': 4 };

function compareResults(a: Result, b: Result): number {
  return (
    cmp(a.ruleId, b.ruleId) ||
    cmp(a.resource.account, b.resource.account) ||
    cmp(a.resource.region, b.resource.region) ||
    cmp(a.resource.type, b.resource.type) ||
    cmp(a.resource.id, b.resource.id) ||
    STATUS_ORDER[a.status] - STATUS_ORDER[b.status]
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export type { ResourceType };
