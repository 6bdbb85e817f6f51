import type { ResourceType } from './estate/resource-types.js';
import type { CoverageRecord, EstateSource } from './estate/types.js';

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Higher is more severe; `--fail-on high` fails on critical and high. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.length - SEVERITIES.indexOf(severity);
}

/** The one outcome of a (rule, resource) pair. */
export type Status = 'pass' | 'fail' | 'error' | 'waived' | 'not-applicable';
export const STATUSES: readonly Status[] = ['fail', 'error', 'waived', 'pass', 'not-applicable'];

/** The results that need attention: everything but passes and not-applicables, order kept. */
export function findingsIn<R extends { readonly status: Status }>(results: readonly R[]): R[] {
  return results.filter((r) => r.status !== 'pass' && r.status !== 'not-applicable');
}

/** Framework ids a rule can reference, as data so packs can be selected per framework. */
export const FRAMEWORKS = {
  'cis-aws': 'CIS AWS Foundations Benchmark v3.0',
  'nist-800-53': 'NIST SP 800-53 rev. 5',
  soc2: 'SOC 2 (2017 Trust Services Criteria)',
  'iso-27001': 'ISO/IEC 27001:2022 Annex A',
} as const;
export type FrameworkId = keyof typeof FRAMEWORKS;

/** A point in a file: the policy line that makes a demand, or the `.tf` line of a planned resource. */
export interface FileLocation {
  readonly file: string;
  readonly line: number;
  readonly column?: number;
}

/** The rule as the scan applied it: catalogue text plus the policy's severity. */
export interface RuleSummary {
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  readonly rationale: string;
  readonly remediation: string;
  readonly resourceTypes: readonly ResourceType[];
  readonly frameworks: Readonly<Partial<Record<FrameworkId, readonly string[]>>>;
  /** `builtin` for the catalogue, else the policy file that defines it. */
  readonly origin: string;
  /** Where the policy enables (or defines) this rule. */
  readonly policyLocation: FileLocation;
}

export interface ResultResource {
  readonly type: string;
  readonly id: string;
  readonly arn?: string;
  readonly account: string;
  readonly accountName?: string;
  readonly region: string;
  readonly name?: string;
}

export interface Evidence {
  /** The property that decided the outcome. */
  readonly path: string;
  readonly actual?: unknown;
  readonly expected?: unknown;
}

export interface AppliedWaiver {
  readonly index: number;
  readonly reason: string;
  readonly owner?: string;
  readonly approver?: string;
  readonly expires: string;
  readonly expired: boolean;
}

export interface Result {
  readonly ruleId: string;
  readonly status: Status;
  readonly severity: Severity;
  readonly resource: ResultResource;
  readonly environment: string | null;
  readonly messageId?: string;
  readonly message: string;
  readonly evidence?: Evidence;
  readonly waiver?: AppliedWaiver;
  /** A hash of (rule id, resource type, resource id), stable across runs. */
  readonly fingerprint: string;
  /** The source line of the resource itself (planned resources). */
  readonly location?: FileLocation & { readonly address?: string };
}

export interface WaiverStatus {
  readonly index: number;
  readonly rule: string;
  readonly resource: string;
  readonly reason: string;
  readonly owner?: string;
  readonly approver?: string;
  readonly expires: string;
  readonly state: 'active' | 'expired' | 'unused';
  readonly matched: number;
  readonly location: FileLocation;
}

export interface ScanSummary {
  readonly byStatus: Readonly<Record<Status, number>>;
  /** Failures (after waivers) by severity. */
  readonly failuresBySeverity: Readonly<Record<Severity, number>>;
  readonly accounts: number;
  readonly resources: number;
}

/** Everything one scan found; reporters are pure functions of this. */
export interface ScanResult {
  readonly tool: { readonly name: 'orglint'; readonly version: string; readonly catalogueVersion: string };
  readonly generatedAt: string;
  readonly policy: { readonly file: string; readonly sha256: string };
  readonly estate: { readonly source: EstateSource; readonly file?: string; readonly sha256?: string };
  readonly rules: readonly RuleSummary[];
  /**
   * Ordered by rule id; within a rule, coverage gaps first, then by resource type and id.
   * The order is a function of the input alone, so the same input gives the same bytes.
   */
  readonly results: readonly Result[];
  /** The results that need attention (fail, error, waived), in the order of `results`. */
  readonly findings: readonly Result[];
  /** Every coverage record that is not `collected`. */
  readonly coverageGaps: readonly CoverageRecord[];
  readonly waivers: readonly WaiverStatus[];
  readonly summary: ScanSummary;
}

/** How one current failing result relates to the baseline run. */
export type Change = 'new' | 'persisting';

/** The comparison of a scan with an earlier run's JSON report, keyed by fingerprint. */
export interface BaselineDiff {
  readonly baselineFile: string;
  readonly baselineGeneratedAt: string;
  /** fingerprint → change, for every current result with status `fail` or `error`. */
  readonly changes: Readonly<Record<string, Change>>;
  /** Results that failed in the baseline and no longer fail. */
  readonly resolved: readonly Pick<Result, 'ruleId' | 'severity' | 'resource' | 'message' | 'fingerprint'>[];
}

export type ReportFormat = 'text' | 'json' | 'sarif' | 'junit' | 'markdown';

/** Options every reporter receives; a reporter ignores what it has no use for. */
export interface RenderOptions {
  /** ANSI colour (text only). */
  readonly color: boolean;
  /** Report passing results too (SARIF `kind: pass`, text). */
  readonly includePasses: boolean;
  /** Directory that SARIF artifact URIs are made relative to (the repository root). */
  readonly baseDir: string;
  readonly diff?: BaselineDiff;
  /** Waivers expiring within this many days of `generatedAt` are warned about. */
  readonly warnExpiringDays?: number;
}
