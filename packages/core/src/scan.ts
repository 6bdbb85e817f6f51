import type { Estate } from './estate/types.js';
import { isPlannedChange } from './sources/plan/overlay.js';
import { evaluate, waiverExpired } from './engine/evaluate.js';
import { SEVERITIES, type Result, type ScanResult, type Severity, type WaiverStatus } from './model.js';
import { buildAccountViews, resolveRules, specialAccountIds } from './policy/resolve.js';
import type { Policy } from './policy/types.js';
import type { LoadedRule } from './rules/types.js';

export interface Catalogue {
  readonly version: string;
  readonly rules: readonly LoadedRule[];
}

export interface ScanInput {
  readonly estate: Estate;
  /** The estate file and its SHA-256, when it came from a file. */
  readonly estateFile?: string;
  readonly estateSha256?: string;
  readonly policy: Policy;
  readonly catalogue: Catalogue;
  /** The clock: waiver expiry, key ages and `generatedAt` all read this. */
  readonly now: Date;
  readonly toolVersion: string;
  /** Accounts whose environment is forced (a plan checked with `--environment`). */
  readonly environmentOverrides?: ReadonlyMap<string, string>;
  /** Report only resources a terraform plan creates, updates or replaces (judged against the whole estate). */
  readonly onlyPlanned?: boolean;
}

/** Evaluates an estate against a policy: the whole engine behind every command. */
export function scan(input: ScanInput): ScanResult {
  const { estate, policy } = input;
  const now = input.now.getTime();
  const rules = resolveRules(policy, input.catalogue.rules);
  const accounts = buildAccountViews(estate, policy, input.environmentOverrides);
  const environments = new Map(policy.environments.map((e) => [e.name, { ...e.parameters, name: e.name }] as const));
  const special = specialAccountIds(policy, estate) as Record<string, string>;
  const { findings, counts, materialize, waiverMatches } = evaluate({
    estate,
    rules,
    accounts,
    environments,
    specialAccounts: special,
    waivers: policy.waivers,
    now,
    ...(input.onlyPlanned ? { report: isPlannedChange, includeCoverage: false } : {}),
  });

  const failuresBySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const r of findings) if (r.status === 'fail') failuresBySeverity[r.severity]++;
  let results: readonly Result[] | undefined;

  const waivers: WaiverStatus[] = policy.waivers.map((w) => {
    const at = policy.locate(['waivers', w.index]);
    const matched = waiverMatches[w.index] ?? 0;
    return {
      index: w.index,
      rule: w.rule,
      resource: w.resource,
      reason: w.reason,
      ...(w.owner ? { owner: w.owner } : {}),
      ...(w.approver ? { approver: w.approver } : {}),
      expires: w.expires,
      state: waiverExpired(w.expires, now) ? 'expired' : matched === 0 ? 'unused' : 'active',
      matched,
      location: { file: policy.file, line: at.line, column: at.column },
    };
  });

  return {
    tool: { name: 'orglint', version: input.toolVersion, catalogueVersion: input.catalogue.version },
    generatedAt: input.now.toISOString(),
    policy: { file: policy.file, sha256: policy.sha256 },
    estate: {
      source: estate.source ?? {},
      ...(input.estateFile ? { file: input.estateFile } : {}),
      ...(input.estateSha256 ? { sha256: input.estateSha256 } : {}),
    },
    rules: rules.map((r) => ({
      id: r.definition.id,
      title: r.definition.title,
      severity: r.severity,
      rationale: r.definition.rationale.trim(),
      remediation: r.definition.remediation.trim(),
      resourceTypes: r.types,
      frameworks: r.definition.frameworks ?? {},
      origin: r.origin,
      policyLocation: r.policyLocation,
    })),
    // Every result, passes included, is built on first read: most reports never ask for them.
    get results(): readonly Result[] {
      return (results ??= materialize());
    },
    findings,
    coverageGaps: [...estate.coverage.filter((c) => c.status !== 'collected')].sort(
      (a, b) => cmp(a.account, b.account) || cmp(a.region, b.region) || cmp(a.service, b.service),
    ),
    waivers,
    summary: {
      byStatus: counts,
      failuresBySeverity,
      accounts: estate.accounts.length,
      resources: estate.resources.length,
    },
  };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
