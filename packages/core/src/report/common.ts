import type { Result, ResultResource, RuleSummary, ScanResult, Severity, Status } from '../model.js';
import { SEVERITIES, STATUSES } from '../model.js';

/** Where the rule of a result sits in `ScanResult.rules`, found once per render. */
export interface IndexedRule {
  readonly rule: RuleSummary;
  readonly index: number;
}

/**
 * Maps every rule id to its summary and position. A result whose rule is not in `rules` is an
 * engine bug, not a user error: reporters refuse it rather than drop the result silently.
 */
export function indexRules(scan: ScanResult): ReadonlyMap<string, IndexedRule> {
  const byId = new Map<string, IndexedRule>();
  scan.rules.forEach((rule, index) => {
    if (!byId.has(rule.id)) byId.set(rule.id, { rule, index });
  });
  for (const result of scan.findings) {
    if (!byId.has(result.ruleId)) {
      throw new Error(`The scan result has a result for rule ${result.ruleId}, which is missing from its rules list.`);
    }
  }
  return byId;
}

/** Results grouped by rule id, each group in the order the scan sorted them. */
export function groupByRule(results: readonly Result[]): ReadonlyMap<string, Result[]> {
  const groups = new Map<string, Result[]>();
  for (const result of results) {
    let group = groups.get(result.ruleId);
    if (!group) {
      group = [];
      groups.set(result.ruleId, group);
    }
    group.push(result);
  }
  return groups;
}

/** The identity of a resource: its ARN where it has one, else its id. */
export function resourceIdentity(resource: ResultResource): string {
  return resource.arn ?? resource.id;
}

/** What a person calls the resource: its name where known, else its id. */
export function resourceName(resource: ResultResource): string {
  return resource.name !== undefined && resource.name !== '' ? resource.name : resource.id;
}

/** `Production (111111111111)`, or just the id when the account has no known name. */
export function accountLabel(resource: Pick<ResultResource, 'account' | 'accountName'>): string {
  return resource.accountName !== undefined && resource.accountName !== ''
    ? `${resource.accountName} (${resource.account})`
    : resource.account;
}

/** Counts per status in the fixed `STATUSES` order, zero included. */
export function zeroStatusCounts(): Record<Status, number> {
  return Object.fromEntries(STATUSES.map((status) => [status, 0])) as Record<Status, number>;
}

/** Counts per severity in the fixed `SEVERITIES` order, zero included. */
export function zeroSeverityCounts(): Record<Severity, number> {
  return Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<Severity, number>;
}

/** Renders an evidence value compactly and deterministically for one line of prose. */
export function formatValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return value.toString();
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** `evidence.path = actual (expected …)`, or undefined when the result carries no evidence. */
export function formatEvidence(result: Result): string | undefined {
  const evidence = result.evidence;
  if (!evidence) return undefined;
  let text = `${evidence.path} = ${formatValue(evidence.actual)}`;
  if (evidence.expected !== undefined) text += ` (expected ${formatValue(evidence.expected)})`;
  return text;
}

/** A sentence about the waiver applied to a result, for the prose formats. */
export function describeWaiver(result: Result): string | undefined {
  const waiver = result.waiver;
  if (!waiver) return undefined;
  const who = waiver.owner !== undefined ? ` owned by ${waiver.owner}` : '';
  const approved = waiver.approver !== undefined ? `, approved by ${waiver.approver}` : '';
  // `waivers[n]` names the entry in the policy's waivers list without guessing 0- or 1-based.
  return waiver.expired
    ? `The waiver waivers[${waiver.index}]${who} expired on ${waiver.expires} and no longer applies (${waiver.reason}).`
    : `Waived by waivers[${waiver.index}]${who}${approved} until ${waiver.expires}: ${waiver.reason}`;
}
