import { deriveAccountFacts } from '../estate/derive-infra.js';
import { RESOURCE_TYPES, type ResourceType } from '../estate/resource-types.js';
import { deriveIdentityAccountFacts } from '../estate/derive-identity.js';
import type { CoverageRecord, Estate, Resource } from '../estate/types.js';
import { hash } from 'node:crypto';
import { STATUSES, type AppliedWaiver, type Result, type ResultResource, type Status } from '../model.js';
import type { ActiveRule, RuleConditions } from '../policy/resolve.js';
import type { Waiver } from '../policy/types.js';
import { compileMessage } from './message.js';
import { quickJudge } from './quick-judge.js';
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
  /** The results that need attention (fail, error, waived), in report order. */
  readonly findings: Result[];
  /** How many results of each status, passes and not-applicables included. */
  readonly counts: Record<Status, number>;
  /**
   * Every result in report order: by rule, coverage gaps first, then by resource type and id.
   * Passes and not-applicables are kept as one byte each during evaluation and become objects
   * only here, when a reporter asks for them.
   */
  readonly materialize: () => Result[];
  /** How many results each waiver (by index) matched. */
  readonly waiverMatches: number[];
}

/** What judging one (rule, resource) gave: one of the two compact outcomes, or a finding. */
const PASS = 1;
const NOT_APPLICABLE = 2;
const FINDING = 3;
type Outcome = typeof PASS | typeof NOT_APPLICABLE | Finding;

/** A result that needs attention, before it is placed on its resource. */
interface Finding {
  readonly status: Status;
  readonly message: string;
  readonly messageId?: string;
  readonly evidence?: Result['evidence'];
}

/** Per resource type, what every rule needs of a resource (its account, summary, digest), computed on first use. */
interface TypeFacts {
  readonly list: readonly Resource[];
  readonly accounts: (AccountView | undefined)[];
  readonly summaries: (ResultResource | undefined)[];
  readonly digests: (string | undefined)[];
}

/** Where one rule's results are: how many coverage gaps, then one outcome code per resource of each type. */
interface RuleLayout {
  readonly rule: ActiveRule;
  readonly gaps: number;
  readonly types: { readonly facts: TypeFacts; readonly codes: Uint8Array }[];
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
  const findings: Result[] = [];
  const counts = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  const layouts: RuleLayout[] = [];
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

  const facts = new Map<string, TypeFacts>();
  const factsOf = (type: string): TypeFacts => {
    let f = facts.get(type);
    if (!f) {
      const list = byType.get(type) ?? [];
      facts.set(type, (f = { list, accounts: new Array(list.length), summaries: new Array(list.length), digests: new Array(list.length) }));
    }
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
    for (const gap of gaps) findings.push(gap);
    counts.error += gaps.length;
    const layout: RuleLayout = { rule, gaps: gaps.length, types: [] };
    layouts.push(layout);

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
      item: undefined,
    };
    const judgeOf = judgeWith(rule);
    const ruleWaivers = waivers.filter((w) => w.rule.test(rule.definition.id));
    for (const type of [...rule.types].sort()) {
      const typeFacts = factsOf(type);
      const { list, accounts: accountAt, summaries, digests } = typeFacts;
      const codes = new Uint8Array(list.length);
      layout.types.push({ facts: typeFacts, codes });
      const judgeOne = judgeOf(rule.conditions.get(type as ResourceType) as RuleConditions);
      for (let i = 0; i < list.length; i++) {
        const resource = list[i] as Resource;
        const account = (accountAt[i] ??= accountOf(resource.account));
        if (!inScope(account) || !report(resource)) continue;
        ctx.resource = resource;
        ctx.account = account;
        ctx.environment = account.environment === null ? undefined : input.environments.get(account.environment);
        const outcome = judgeOne(ctx);
        if (outcome === PASS) {
          codes[i] = PASS;
          counts.pass++;
        } else if (outcome === NOT_APPLICABLE) {
          codes[i] = NOT_APPLICABLE;
          counts['not-applicable']++;
        } else {
          codes[i] = FINDING;
          const placed = resultOf(rule, outcome, resource, account, (summaries[i] ??= resourceSummary(resource, account)), (digests[i] ??= resourceDigest(resource.type, resource.id)));
          const final = outcome.status === 'fail' && ruleWaivers.length > 0 ? applyWaiver(placed, resource, ruleWaivers, waiverMatches, input.now) : placed;
          counts[final.status]++;
          findings.push(final);
        }
      }
    }
  }

  const materialize = (): Result[] => {
    const all: Result[] = [];
    let next = 0;
    for (const { rule, gaps, types } of layouts) {
      for (let g = 0; g < gaps; g++) all.push(findings[next++] as Result);
      const passMessage = `${rule.definition.title}.`;
      const notApplicableMessage = `${rule.definition.title}: does not apply to this resource.`;
      for (const { facts: f, codes } of types) {
        for (let i = 0; i < codes.length; i++) {
          const code = codes[i];
          if (code === 0) continue;
          if (code === FINDING) {
            all.push(findings[next++] as Result);
            continue;
          }
          const resource = f.list[i] as Resource;
          const account = f.accounts[i] as AccountView;
          const outcome: Finding = code === PASS ? { status: 'pass', message: passMessage } : { status: 'not-applicable', message: notApplicableMessage };
          all.push(resultOf(rule, outcome, resource, account, (f.summaries[i] ??= resourceSummary(resource, account)), (f.digests[i] ??= resourceDigest(resource.type, resource.id))));
        }
      }
    }
    return all;
  };
  return { findings, counts, materialize, waiverMatches };
}

interface CompiledWaiver {
  readonly waiver: Waiver;
  readonly rule: RegExp;
  readonly resource: RegExp;
}

/** A finding placed on its resource: the Result every reporter reads, keys in a fixed order. */
function resultOf(rule: ActiveRule, finding: Finding, resource: Resource, account: AccountView, summary: ResultResource, digest: string): Result {
  const origin = resource.origin;
  return {
    ruleId: rule.definition.id,
    status: finding.status,
    severity: rule.severity,
    resource: summary,
    environment: account.environment,
    ...(finding.messageId === undefined ? {} : { messageId: finding.messageId }),
    ...(finding.evidence === undefined ? {} : { evidence: finding.evidence }),
    message: finding.message,
    fingerprint: ruleDigest(rule.definition.id) + digest,
    ...(origin?.file ? { location: { file: origin.file, line: origin.line ?? 1, ...(origin.address ? { address: origin.address } : {}) } } : {}),
  };
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
function judgeWith(rule: ActiveRule): (conditions: RuleConditions) => (ctx: EvalContext) => Outcome {
  const id = rule.definition.id;
  const messageIds = Object.keys(rule.definition.messages);
  const defaultMessageId = messageIds[0] ?? 'fail';
  const messages = new Map(messageIds.map((m) => [m, compileMessage(rule.definition.messages[m] as string, `rule ${id} message ${m}`)]));
  const titleMessage = (): string => rule.definition.title;
  const error = (reason: string, path: string): Finding => ({ status: 'error', messageId: 'couldNotEvaluate', evidence: { path }, message: `Could not evaluate: ${reason}.` });
  return ({ when, assert }) => {
    // Passes and not-applicables, the bulk of any scan, are decided by generated code; whatever it
    // leaves open (failures, unknowns, a throw) is judged by the compiled conditions below.
    const quickWhen = when ? quickJudge(when) : undefined;
    const quickAssert = quickJudge(assert);
    return (ctx) => {
      try {
        const applies = quickWhen === undefined ? 1 : quickWhen(ctx);
        if (applies === 0) return NOT_APPLICABLE;
        if (applies === 1 && quickAssert(ctx) === 1) return PASS;
      } catch {
        // judged again below, where a throw becomes an error result
      }
      return judgeFully(when, assert, ctx);
    };
  };

  function judgeFully(when: RuleConditions['when'], assert: RuleConditions['assert'], ctx: EvalContext): Outcome {
    try {
      if (when) {
        const applies = when(ctx);
        if (applies.state === 'false') return NOT_APPLICABLE;
        if (applies.state === 'unknown') return error(applies.reason, applies.path);
      }
      const verdict = assert(ctx);
      if (verdict.state === 'true') return PASS;
      if (verdict.state === 'unknown') return error(verdict.reason, verdict.path);
      const failure = verdict.failure;
      const messageId = failure.messageId ?? defaultMessageId;
      return {
        status: 'fail',
        messageId,
        evidence: { path: failure.path, ...(failure.actual === undefined ? {} : { actual: failure.actual }), ...(failure.expected === undefined ? {} : { expected: failure.expected }) },
        message: (messages.get(messageId) ?? titleMessage)(ctx, failure),
      };
    } catch (thrown) {
      // A rule that throws is a finding about the rule, not a pass; the scan goes on.
      return error(`the rule failed while evaluating (${(thrown as Error).message})`, 'rule');
    }
  }
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
  waivers: readonly CompiledWaiver[],
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

const ruleDigests = new Map<string, string>();

export function ruleDigest(ruleId: string): string {
  let digest = ruleDigests.get(ruleId);
  if (digest === undefined) ruleDigests.set(ruleId, (digest = hash('sha256', ruleId).slice(0, 8)));
  return digest;
}

export function resourceDigest(type: string, id: string): string {
  return hash('sha256', `${type}\n${id}`).slice(0, 24);
}


function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export type { ResourceType };
