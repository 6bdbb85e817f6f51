import { isAbsolute, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FileLocation, RenderOptions, Result, RuleSummary, ScanResult, Severity, Status } from '../model.js';
import { FRAMEWORKS, severityRank } from '../model.js';
import type { CoverageRecord } from '../estate/types.js';
import { indexRules, resourceIdentity, resourceName, accountLabel, zeroStatusCounts } from './common.js';

/** The `$schema` GitHub's documentation gives for SARIF 2.1.0 uploads. */
export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';

/** Where a reader of a SARIF file learns what orglint is. */
export const ORGLINT_INFORMATION_URI = 'https://www.npmjs.com/package/orglint';

/** GitHub rejects a run with more results than this (see the code scanning SARIF limits). */
export const SARIF_MAX_RESULTS = 25_000;

/** GitHub rejects a rule with more tags than this. */
export const SARIF_MAX_TAGS = 20;

/** GitHub limits `shortDescription` and `fullDescription` to this many characters. */
const MAX_DESCRIPTION = 1024;

/** GitHub limits a rule's `name` to this many characters. */
const MAX_NAME = 255;

type SarifLevel = 'error' | 'warning' | 'note' | 'none';

const LEVEL: Readonly<Record<Severity, SarifLevel>> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

/**
 * GitHub reads `security-severity` as a score: above 9.0 critical, 7.0–8.9 high, 4.0–6.9 medium,
 * 0.1–3.9 low. Each value sits well inside its band.
 */
export const SECURITY_SEVERITY: Readonly<Record<Severity, string>> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '1.0',
};

const PROBLEM_SEVERITY: Readonly<Record<Severity, 'error' | 'warning' | 'recommendation'>> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'recommendation',
  info: 'recommendation',
};

/** Statuses that become SARIF results; `not-applicable` never does, `pass` only on request. */
const EMITTED: ReadonlySet<Status> = new Set<Status>(['fail', 'error', 'waived', 'pass']);

/** Which results survive when a run would exceed {@link SARIF_MAX_RESULTS}: lower tier first. */
const TIER: Readonly<Record<Status, number>> = { fail: 0, error: 0, waived: 1, pass: 2, 'not-applicable': 3 };
const STATUS_ORDER: Readonly<Record<Status, number>> = { fail: 0, error: 1, waived: 2, pass: 3, 'not-applicable': 4 };

type Json = Record<string, unknown>;

function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max - 1);
  // Do not leave half of a surrogate pair at the end.
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
}

function nonEmpty(...candidates: readonly (string | undefined)[]): string {
  for (const c of candidates) if (c !== undefined && c.trim() !== '') return c;
  return '(no description)';
}

function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part !== '')
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}

/**
 * A file path as a URI reference relative to `baseDir`, with forward slashes and every segment
 * percent-encoded, as GitHub needs to match it to a file in the repository. A file on another
 * Windows drive has no relative form and becomes a `file:` URI.
 */
export function artifactUri(file: string, baseDir: string): string {
  const rel = relative(baseDir, file);
  if (isAbsolute(rel)) return pathToFileURL(rel).href;
  const segments = (rel === '' ? file : rel).split(sep).join('/').split('/');
  return segments.map((segment) => (segment === '..' || segment === '.' ? segment : encodeURIComponent(segment))).join('/');
}

function physicalLocation(location: FileLocation, baseDir: string): Json {
  const region: Json = { startLine: Number.isInteger(location.line) && location.line >= 1 ? location.line : 1 };
  if (location.column !== undefined && Number.isInteger(location.column) && location.column >= 1) {
    region.startColumn = location.column;
  }
  return { artifactLocation: { uri: artifactUri(location.file, baseDir) }, region };
}

function frameworkLines(rule: RuleSummary): { readonly name: string; readonly id: string; readonly controls: readonly string[] }[] {
  const lines: { name: string; id: string; controls: readonly string[] }[] = [];
  for (const id of Object.keys(FRAMEWORKS) as (keyof typeof FRAMEWORKS)[]) {
    const controls = rule.frameworks[id];
    if (controls !== undefined) lines.push({ id, name: FRAMEWORKS[id], controls });
  }
  return lines;
}

function ruleTags(rule: RuleSummary): string[] {
  const tags = ['security', 'compliance'];
  const frameworks = frameworkLines(rule);
  for (const f of frameworks) tags.push(f.id);
  // CodeQL's convention for external taxonomy references, e.g. `external/cwe/cwe-079`.
  for (const f of frameworks) for (const control of f.controls) tags.push(`external/${f.id}/${control}`);
  return [...new Set(tags)].slice(0, SARIF_MAX_TAGS);
}

function markdownCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function ruleDescriptor(rule: RuleSummary): Json {
  const frameworks = frameworkLines(rule);
  const definedIn = rule.origin === 'builtin' ? 'the built-in catalogue' : rule.origin;
  const enabledAt = `${rule.policyLocation.file}:${rule.policyLocation.line}`;
  const rationale = nonEmpty(rule.rationale, rule.title);
  const remediation = nonEmpty(rule.remediation, 'See the rule documentation.');

  const text = [
    rationale,
    '',
    `Remediation: ${remediation}`,
    ...(frameworks.length > 0 ? ['', 'Frameworks:', ...frameworks.map((f) => `- ${f.name}: ${f.controls.join(', ')}`)] : []),
    '',
    `Severity: ${rule.severity}. Applies to: ${rule.resourceTypes.join(', ')}. Defined in ${definedIn}; enabled at ${enabledAt}.`,
  ].join('\n');

  const markdown = [
    `**${rule.title}**`,
    '',
    rationale,
    '',
    '## Remediation',
    '',
    remediation,
    ...(frameworks.length > 0
      ? [
          '',
          '## Frameworks',
          '',
          '| Framework | Controls |',
          '| --- | --- |',
          ...frameworks.map((f) => `| ${markdownCell(f.name)} | ${markdownCell(f.controls.join(', '))} |`),
        ]
      : []),
    '',
    `Severity: **${rule.severity}** · Applies to: ${rule.resourceTypes.map((t) => `\`${t}\``).join(', ')} · Defined in ${definedIn}; enabled at \`${enabledAt}\``,
  ].join('\n');

  return {
    id: rule.id,
    name: truncate(pascalCase(rule.id) || rule.id, MAX_NAME),
    shortDescription: { text: truncate(nonEmpty(rule.title, rule.id), MAX_DESCRIPTION) },
    fullDescription: { text: truncate(rationale, MAX_DESCRIPTION) },
    help: { text, markdown },
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: {
      tags: ruleTags(rule),
      precision: 'high',
      'problem.severity': PROBLEM_SEVERITY[rule.severity],
      'security-severity': SECURITY_SEVERITY[rule.severity],
      severity: rule.severity,
      origin: rule.origin,
      resourceTypes: [...rule.resourceTypes],
    },
  };
}

/** Keys of `run.logicalLocations`: one per account, one per account and region beneath it. */
class LogicalLocations {
  readonly entries: Json[] = [];
  private readonly indexByKey = new Map<string, number>();

  constructor(results: readonly Result[]) {
    const accounts = new Map<string, string | undefined>();
    const regions = new Set<string>();
    for (const r of results) {
      if (!accounts.has(r.resource.account) || accounts.get(r.resource.account) === undefined) {
        accounts.set(r.resource.account, r.resource.accountName);
      }
      regions.add(`${r.resource.account}\u0000${r.resource.region}`);
    }
    // Sorted so the indices do not depend on the order results arrive in.
    for (const account of [...accounts.keys()].sort()) {
      this.indexByKey.set(account, this.entries.length);
      const name = accounts.get(account);
      this.entries.push({
        name: name !== undefined && name !== '' ? name : account,
        fullyQualifiedName: account,
        kind: 'namespace',
        properties: { level: 'account' },
      });
    }
    for (const key of [...regions].sort()) {
      const [account, region] = key.split('\u0000') as [string, string];
      this.indexByKey.set(key, this.entries.length);
      this.entries.push({
        name: region,
        fullyQualifiedName: `${account}/${region}`,
        kind: 'namespace',
        parentIndex: this.indexByKey.get(account)!,
        properties: { level: 'region' },
      });
    }
  }

  regionIndex(account: string, region: string): number {
    return this.indexByKey.get(`${account}\u0000${region}`)!;
  }
}

function resultMessage(result: Result, rule: RuleSummary): string {
  const r = result.resource;
  // GitHub may show only the first sentence, so it names the resource and where it lives.
  const subject = `${resourceName(r)} (${r.type} in ${accountLabel(r)}, ${r.region})`;
  const body = nonEmpty(result.message, rule.title);
  let text = `${subject}: ${body}`;
  if (result.status === 'error') text = `${subject} could not be evaluated: ${body}`;
  if (result.waiver?.expired) {
    text += ` The waiver waivers[${result.waiver.index}] expired on ${result.waiver.expires} and no longer applies.`;
  }
  return text;
}

function kindAndLevel(result: Result): { kind: string; level: SarifLevel } {
  switch (result.status) {
    case 'fail':
    case 'waived':
      return { kind: 'fail', level: LEVEL[result.severity] };
    // SARIF 2.1.0 (result.level): a level other than "none" requires kind "fail", so the
    // could-not-evaluate and passing results carry level "none".
    case 'error':
      return { kind: 'open', level: 'none' };
    case 'pass':
    case 'not-applicable':
      return { kind: 'pass', level: 'none' };
  }
}

function sarifResult(
  result: Result,
  rule: RuleSummary,
  ruleIndex: number,
  waiverLocations: ReadonlyMap<number, FileLocation>,
  options: RenderOptions,
  logical: LogicalLocations,
): Json {
  const r = result.resource;
  const { kind, level } = kindAndLevel(result);
  const properties: Json = {
    status: result.status,
    severity: result.severity,
    account: r.account,
    ...(r.accountName !== undefined ? { accountName: r.accountName } : {}),
    region: r.region,
    environment: result.environment,
    resourceType: r.type,
    resourceId: r.id,
    ...(r.arn !== undefined ? { resourceArn: r.arn } : {}),
    ...(result.messageId !== undefined ? { messageId: result.messageId } : {}),
  };
  if (result.evidence) {
    properties.evidence = {
      path: result.evidence.path,
      ...(result.evidence.actual !== undefined ? { actual: result.evidence.actual } : {}),
      ...(result.evidence.expected !== undefined ? { expected: result.evidence.expected } : {}),
    };
  }
  if (result.location?.address !== undefined) properties.address = result.location.address;
  if (result.waiver) {
    properties.waiver = {
      index: result.waiver.index,
      reason: result.waiver.reason,
      ...(result.waiver.owner !== undefined ? { owner: result.waiver.owner } : {}),
      ...(result.waiver.approver !== undefined ? { approver: result.waiver.approver } : {}),
      expires: result.waiver.expires,
      expired: result.waiver.expired,
    };
  }
  const change = options.diff?.changes[result.fingerprint];
  if (change !== undefined) properties.baseline = change;

  const out: Json = {
    ruleId: rule.id,
    ruleIndex,
    kind,
    level,
    message: { text: resultMessage(result, rule) },
    locations: [
      {
        physicalLocation: physicalLocation(result.location ?? rule.policyLocation, options.baseDir),
        logicalLocations: [
          {
            name: resourceName(r),
            fullyQualifiedName: resourceIdentity(r),
            kind: 'resource',
            parentIndex: logical.regionIndex(r.account, r.region),
          },
        ],
      },
    ],
    // Many results share the policy line, so the line hash GitHub would compute cannot tell
    // them apart; the rule + resource fingerprint keeps each alert's identity across nights.
    partialFingerprints: { 'orglint/v1': result.fingerprint, primaryLocationLineHash: result.fingerprint },
  };
  if (result.status === 'waived') {
    // A waived result is always suppressed, even if the engine left out the waiver's details.
    const waiver = result.waiver;
    const waiverAt = waiver ? waiverLocations.get(waiver.index) : undefined;
    out.suppressions = [
      {
        kind: 'external',
        status: 'accepted',
        justification: waiver?.reason ?? 'Waived by the policy.',
        ...(waiverAt ? { location: { physicalLocation: physicalLocation(waiverAt, options.baseDir) } } : {}),
        ...(waiver
          ? {
              properties: {
                waiver: waiver.index,
                ...(waiver.owner !== undefined ? { owner: waiver.owner } : {}),
                ...(waiver.approver !== undefined ? { approver: waiver.approver } : {}),
                expires: waiver.expires,
              },
            }
          : {}),
      },
    ];
  }
  out.properties = properties;
  return out;
}

/**
 * Picks which results fit under {@link SARIF_MAX_RESULTS}: failures and errors before waived
 * results before passes, more severe before less, then the scan's own order. The kept results
 * stay in the scan's order.
 */
function selectWithinLimit(candidates: readonly Result[], limit: number): { kept: Result[]; omitted: Result[] } {
  if (candidates.length <= limit) return { kept: [...candidates], omitted: [] };
  const order = candidates.map((_, i) => i);
  order.sort((a, b) => {
    const ra = candidates[a]!;
    const rb = candidates[b]!;
    return (
      TIER[ra.status] - TIER[rb.status] ||
      severityRank(rb.severity) - severityRank(ra.severity) ||
      STATUS_ORDER[ra.status] - STATUS_ORDER[rb.status] ||
      a - b
    );
  });
  const keep = new Set(order.slice(0, limit));
  const kept: Result[] = [];
  const omitted: Result[] = [];
  candidates.forEach((r, i) => (keep.has(i) ? kept : omitted).push(r));
  return { kept, omitted };
}

function gapNotification(gap: CoverageRecord): Json {
  const reason = gap.reason !== undefined && gap.reason !== '' ? `: ${gap.reason}` : '';
  return {
    descriptor: { id: 'coverage-gap' },
    level: 'warning',
    message: {
      text: `The ${gap.service} service was not collected in account ${gap.account}, region ${gap.region} (${gap.status})${reason}. Rules that need it report "could not evaluate" there, not compliance.`,
    },
    properties: { account: gap.account, region: gap.region, service: gap.service, status: gap.status },
  };
}

/**
 * Renders a scan as one SARIF 2.1.0 run for GitHub code scanning.
 *
 * Every rule is in `tool.driver.rules`; every result has a physical location (the planned
 * resource's `.tf` line, else the policy line that enables the rule, relative to
 * `options.baseDir`), the resource as a logical location under its account and region in
 * `run.logicalLocations`, and fingerprints from the rule + resource identity.
 * Failures are `kind: "fail"`; waived results are failures with an accepted external
 * suppression; could-not-evaluate results are `kind: "open"` and passes `kind: "pass"` (only
 * with `options.includePasses`), both at level `"none"` as SARIF requires for those kinds.
 * Note that GitHub ignores `kind`: an uploaded pass shows as an alert, so leave
 * `includePasses` off for uploads. Not-applicable results are never written.
 *
 * Truncation: GitHub rejects a run with more than {@link SARIF_MAX_RESULTS} results, so above
 * that the run keeps failures and errors first, most severe first, then waived results, then
 * passes, and records what was left out in `run.properties.truncation`
 * (`{ limit, total, omitted, omittedByStatus }`). The text and JSON reports always hold everything.
 *
 * Coverage gaps are tool execution notifications and expired or unused waivers tool
 * configuration notifications of the one invocation. `run.automationDetails.id` is
 * `orglint/<source kind>/` so a live scan and a plan scan of the same commit are separate
 * GitHub categories and do not overwrite each other.
 */
export function renderSarif(scan: ScanResult, options: RenderOptions): string {
  const rules = indexRules(scan);
  const candidates = (options.includePasses ? scan.results : scan.findings).filter((r) => EMITTED.has(r.status) && (r.status !== 'pass' || options.includePasses));
  const { kept, omitted } = selectWithinLimit(candidates, SARIF_MAX_RESULTS);
  const logical = new LogicalLocations(kept);
  const waiverLocations = new Map(scan.waivers.map((w) => [w.index, w.location] as const));

  const results = kept.map((result) => {
    const { rule, index } = rules.get(result.ruleId)!;
    return sarifResult(result, rule, index, waiverLocations, options, logical);
  });

  const semver = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/.test(scan.tool.version);
  const driver: Json = {
    name: 'orglint',
    version: scan.tool.version,
    ...(semver ? { semanticVersion: scan.tool.version } : {}),
    informationUri: ORGLINT_INFORMATION_URI,
    rules: scan.rules.map(ruleDescriptor),
    notifications: [
      { id: 'coverage-gap', shortDescription: { text: 'A service could not be collected for an account and region' } },
      { id: 'waiver-expired', shortDescription: { text: 'A waiver has passed its expiry date and no longer applies' } },
      { id: 'waiver-unused', shortDescription: { text: 'A waiver matched no result' } },
    ],
    properties: { catalogueVersion: scan.tool.catalogueVersion },
  };

  const configurationNotifications = scan.waivers
    .filter((w) => w.state !== 'active')
    .map((w) => ({
      descriptor: { id: w.state === 'expired' ? 'waiver-expired' : 'waiver-unused' },
      level: 'warning',
      message: {
        text:
          w.state === 'expired'
            ? `The waiver waivers[${w.index}] for rule ${w.rule} and resource ${w.resource} expired on ${w.expires}; the results it covered count as failures again.`
            : `The waiver waivers[${w.index}] for rule ${w.rule} and resource ${w.resource} matched no result; remove it or correct its rule or resource.`,
      },
      locations: [{ physicalLocation: physicalLocation(w.location, options.baseDir) }],
      properties: { waiver: w.index, rule: w.rule, resource: w.resource, expires: w.expires, state: w.state },
    }));

  const invocation: Json = {
    executionSuccessful: true,
    endTimeUtc: scan.generatedAt,
    ...(scan.coverageGaps.length > 0 ? { toolExecutionNotifications: scan.coverageGaps.map(gapNotification) } : {}),
    ...(configurationNotifications.length > 0 ? { toolConfigurationNotifications: configurationNotifications } : {}),
  };

  const runProperties: Json = {
    policy: { file: scan.policy.file, sha256: scan.policy.sha256 },
    estate: {
      ...(scan.estate.source.kind !== undefined ? { kind: scan.estate.source.kind } : {}),
      ...(scan.estate.file !== undefined ? { file: scan.estate.file } : {}),
      ...(scan.estate.sha256 !== undefined ? { sha256: scan.estate.sha256 } : {}),
    },
    summary: scan.summary,
    coverageGaps: scan.coverageGaps.length,
  };
  if (options.diff) {
    let added = 0;
    for (const change of Object.values(options.diff.changes)) if (change === 'new') added += 1;
    runProperties.baseline = {
      file: options.diff.baselineFile,
      generatedAt: options.diff.baselineGeneratedAt,
      new: added,
      persisting: Object.keys(options.diff.changes).length - added,
      resolved: options.diff.resolved.length,
    };
  }
  if (omitted.length > 0) {
    const omittedByStatus = zeroStatusCounts();
    for (const r of omitted) omittedByStatus[r.status] += 1;
    runProperties.truncation = {
      limit: SARIF_MAX_RESULTS,
      total: candidates.length,
      omitted: omitted.length,
      omittedByStatus,
    };
  }

  const log = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: { driver },
        automationDetails: { id: `orglint/${scan.estate.source.kind ?? 'estate'}/` },
        invocations: [invocation],
        ...(logical.entries.length > 0 ? { logicalLocations: logical.entries } : {}),
        results,
        properties: runProperties,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
