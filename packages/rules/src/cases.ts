import { readFileSync } from 'node:fs';
import {
  OrglintError,
  RESOURCE_TYPES,
  parseEstate,
  parsePolicy,
  parseYaml,
  scan,
  type Catalogue,
  type Result,
} from '@orglint/core';
import { stringify } from 'yaml';

/** The accounts every case table starts from. */
export const CASE_ACCOUNTS = {
  management: '111111111111',
  shared: '222222222222',
  nonprod: '333333333333',
  production: '444444444444',
} as const;

const BASE_ACCOUNTS = [
  { id: CASE_ACCOUNTS.management, name: 'management', ouPath: '/' },
  { id: CASE_ACCOUNTS.shared, name: 'shared-services', ouPath: '/Infrastructure' },
  { id: CASE_ACCOUNTS.nonprod, name: 'nonprod', ouPath: '/Workloads/NonProd' },
  { id: CASE_ACCOUNTS.production, name: 'production', ouPath: '/Workloads/Prod' },
];

/** The policy every case runs under unless it brings its own: two environments as in S.E.T. */
export const BASE_POLICY = {
  version: 1,
  accounts: { management: 'management', sharedServices: 'shared-services' },
  environments: {
    nonprod: {
      accounts: { names: ['nonprod'] },
      parameters: { backupRetentionDays: 3, multiAz: false, realData: false, allowedDataClasses: ['synthetic', 'sanitized'], allowedRegions: ['eu-west-1'] },
    },
    production: {
      accounts: { names: ['production'] },
      parameters: { backupRetentionDays: 35, multiAz: true, realData: true, allowedDataClasses: ['synthetic', 'sanitized', 'customer'], allowedRegions: ['eu-west-1'] },
    },
  },
  catalogue: 'none',
};

export type Expectation = 'pass' | 'not-applicable' | 'error' | 'waived' | { fail: string };

export interface RuleCase {
  readonly name: string;
  /** Merged onto the base estate: resources get default account and region; accounts and coverage replace the base ones when given. */
  readonly estate: { resources?: Record<string, unknown>[]; accounts?: unknown[]; coverage?: unknown[]; organization?: unknown };
  /** Rule parameters for this case. */
  readonly params?: Record<string, unknown>;
  /** Replaces the base policy's environments. */
  readonly environments?: Record<string, unknown>;
  readonly waivers?: unknown[];
  /** Resource id → outcome. Must name every result the rule gives. */
  readonly expect: Readonly<Record<string, Expectation>>;
}

export interface CaseTable {
  readonly rule: string;
  readonly cases: readonly RuleCase[];
}

export function loadCaseTable(url: URL, file: string): CaseTable {
  const source = parseYaml(readFileSync(url, 'utf8'), file, 'rule case table');
  const table = source.value as CaseTable;
  if (!table || typeof table.rule !== 'string' || !Array.isArray(table.cases)) {
    throw new OrglintError('invalid-rule', `${file}: a case table needs "rule: <id>" and a list of "cases".`);
  }
  return table;
}

/** What a result is, in the words a case table uses. */
export function outcomeOf(result: Result): Expectation {
  return result.status === 'fail' ? { fail: result.messageId ?? 'fail' } : result.status;
}

/**
 * Runs one case: builds the estate (validated against the estate schema, so fixtures cannot
 * drift from the model) and the policy, scans with only the rule under test, and returns
 * resource id → outcome for every result of that rule.
 */
export function runCase(catalogue: Catalogue, ruleId: string, c: RuleCase): Record<string, Expectation> {
  const services = [...new Set(Object.values(RESOURCE_TYPES).map((t) => t.service))].filter((s) => s !== 'organizations');
  const accounts = (c.estate.accounts ?? BASE_ACCOUNTS) as { id: string }[];
  const coverage =
    c.estate.coverage ??
    accounts.flatMap((a) => services.map((service) => ({ account: a.id, region: isGlobal(service) ? 'global' : 'eu-west-1', service, status: 'collected' })));
  const resources = (c.estate.resources ?? []).map((r) => {
    const type = String(r.type);
    const global = (RESOURCE_TYPES as Record<string, { global: boolean }>)[type]?.global ?? false;
    return { account: CASE_ACCOUNTS.production, region: global ? 'global' : 'eu-west-1', properties: {}, ...r };
  });
  const estate = parseEstate(
    JSON.parse(
      JSON.stringify({
        schemaVersion: 1,
        organization: c.estate.organization ?? { id: 'o-cases', managementAccountId: CASE_ACCOUNTS.management },
        accounts,
        resources,
        coverage,
      }),
    ),
    `case "${c.name}"`,
  );
  const policyDoc = {
    ...BASE_POLICY,
    ...(c.environments ? { environments: c.environments } : {}),
    rules: { [ruleId]: c.params ? { parameters: c.params } : 'on' },
    ...(c.waivers ? { waivers: c.waivers } : {}),
  };
  const policy = parsePolicy(stringify(policyDoc), `case "${c.name}" policy`);
  const result = scan({ estate, policy, catalogue, now: new Date('2026-11-23T12:00:00Z'), toolVersion: 'test' });
  const out: Record<string, Expectation> = {};
  for (const r of result.results) if (r.ruleId === ruleId) out[r.resource.id] = outcomeOf(r);
  return out;
}

function isGlobal(service: string): boolean {
  return Object.values(RESOURCE_TYPES).some((t) => t.service === service && t.global);
}
