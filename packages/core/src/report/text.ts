import { Chalk, type ChalkInstance } from 'chalk';
import type { RenderOptions, Result, RuleSummary, ScanResult, Severity, Status, WaiverStatus } from '../model.js';
import { SEVERITIES, STATUSES } from '../model.js';
import {
  accountLabel,
  describeWaiver,
  formatEvidence,
  groupByRule,
  indexRules,
  resourceName,
} from './common.js';

/** The statuses that get a line of their own without `includePasses`. */
const LISTED: ReadonlySet<Status> = new Set<Status>(['fail', 'error', 'waived']);

const STATUS_LABEL: Readonly<Record<Status, string>> = {
  fail: 'FAIL',
  error: 'ERROR',
  waived: 'WAIVED',
  pass: 'PASS',
  'not-applicable': 'N/A',
};

const STATUS_WORD: Readonly<Record<Status, string>> = {
  fail: 'failed',
  error: 'could not be evaluated',
  waived: 'waived',
  pass: 'passed',
  'not-applicable': 'not applicable',
};

const DAY_MS = 86_400_000;

/**
 * C0/C1 controls and bidirectional overrides in estate data (a resource name is whatever its
 * owner typed) could move the cursor, recolour or reorder the terminal; they are shown escaped.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE_FOR_TERMINAL = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function safe(text: string): string {
  return text.replace(UNSAFE_FOR_TERMINAL, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

interface Painter {
  readonly severity: (severity: Severity, text: string) => string;
  readonly status: (status: Status, text: string) => string;
  readonly bold: (text: string) => string;
  readonly dim: (text: string) => string;
  readonly marker: (text: string) => string;
  readonly ok: (text: string) => string;
}

function painter(color: boolean): Painter {
  // A private instance: the global `chalk` guesses from the process, the CLI has already decided.
  const c: ChalkInstance = new Chalk({ level: color ? 1 : 0 });
  const bySeverity: Readonly<Record<Severity, (text: string) => string>> = {
    critical: (t) => c.bold.red(t),
    high: (t) => c.red(t),
    medium: (t) => c.yellow(t),
    low: (t) => c.cyan(t),
    info: (t) => c.gray(t),
  };
  const byStatus: Readonly<Record<Status, (text: string) => string>> = {
    fail: (t) => c.red(t),
    error: (t) => c.magenta(t),
    waived: (t) => c.gray(t),
    pass: (t) => c.green(t),
    'not-applicable': (t) => c.gray(t),
  };
  return {
    severity: (severity, text) => bySeverity[severity](text),
    status: (status, text) => byStatus[status](text),
    bold: (t) => c.bold(t),
    dim: (t) => c.dim(t),
    marker: (t) => c.bold.yellow(t),
    ok: (t) => c.green(t),
  };
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

function resultLine(result: Result, options: RenderOptions, paint: Painter): string {
  const r = result.resource;
  const where = `${accountLabel(r)}, ${r.region}`;
  const label = paint.status(result.status, STATUS_LABEL[result.status].padEnd(6));
  let marker = '';
  if (options.diff) {
    const isNew = options.diff.changes[result.fingerprint] === 'new';
    marker = `${isNew ? paint.marker('NEW') : '   '} `;
  }
  let line = `  ${label} ${marker}${safe(resourceName(r))} (${safe(where)}): ${safe(result.message)}`;
  // Continuation lines start under the resource name, whatever the colour codes add.
  const indent = ' '.repeat(2 + 6 + 1 + (options.diff ? 4 : 0));
  const waiver = describeWaiver(result);
  if (waiver !== undefined) line += `\n${indent}${paint.dim(safe(waiver))}`;
  if (result.status === 'fail' || result.status === 'error') {
    const evidence = formatEvidence(result);
    if (evidence !== undefined) line += `\n${indent}${paint.dim(`evidence: ${safe(evidence)}`)}`;
    if (result.location) {
      const address = result.location.address !== undefined ? ` (${result.location.address})` : '';
      line += `\n${indent}${paint.dim(`at ${safe(`${result.location.file}:${result.location.line}${address}`)}`)}`;
    }
  }
  return line;
}

function ruleHeader(rule: RuleSummary, paint: Painter): string {
  return `${paint.severity(rule.severity, rule.severity.toUpperCase())}  ${paint.bold(safe(rule.id))}  ${safe(rule.title)}`;
}

/** Whole days from the scan's date to a waiver's expiry date, both taken as UTC days. */
function daysUntil(expires: string, generatedAt: string): number | undefined {
  const end = Date.parse(expires.length === 10 ? `${expires}T00:00:00Z` : expires);
  const start = Date.parse(`${generatedAt.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(end) || Number.isNaN(start)) return undefined;
  return Math.floor((end - start) / DAY_MS);
}

function waiverLine(waiver: WaiverStatus, state: string, detail: string): string {
  const at = `${waiver.location.file}:${waiver.location.line}`;
  return `  ${state.padEnd(9)}waivers[${waiver.index}]  ${safe(waiver.rule)}  ${safe(waiver.resource)}  ${detail}  (${safe(at)})`;
}

/**
 * Renders a scan for a terminal: results grouped by rule (failures, errors and waivers; passes
 * with `includePasses`; not-applicable never), then coverage gaps, waiver problems, the
 * baseline comparison when `options.diff` is set, and a summary. Colour only when
 * `options.color` is true; text from the estate is stripped of terminal control characters.
 */
export function renderText(scan: ScanResult, options: RenderOptions): string {
  const paint = painter(options.color);
  const rules = indexRules(scan);
  const out: string[] = [];

  out.push(`${paint.bold('orglint')} ${scan.tool.version} (catalogue ${scan.tool.catalogueVersion}) — scan of ${scan.generatedAt}`);
  out.push(`Policy  ${safe(scan.policy.file)} (sha256 ${scan.policy.sha256.slice(0, 12)})`);
  const source = scan.estate.source.kind ?? 'estate';
  out.push(`Estate  ${safe(scan.estate.file !== undefined ? `${scan.estate.file} (${source})` : source)}`);

  let listed = 0;
  for (const [ruleId, results] of groupByRule(options.includePasses ? scan.results : scan.findings)) {
    const shown = results.filter((r) => LISTED.has(r.status) || (options.includePasses && r.status === 'pass'));
    if (shown.length === 0) continue;
    listed += shown.length;
    const rule = rules.get(ruleId)!.rule;
    out.push('');
    out.push(ruleHeader(rule, paint));
    for (const result of shown) out.push(resultLine(result, options, paint));
  }

  if (listed === 0) {
    out.push('');
    out.push(paint.ok(options.includePasses ? 'No results to list.' : 'No failures, errors or waived results.'));
  }

  if (options.diff && options.diff.resolved.length > 0) {
    out.push('');
    out.push(paint.bold(`Resolved since the baseline (${safe(options.diff.baselineFile)}, ${safe(options.diff.baselineGeneratedAt)})`));
    for (const gone of options.diff.resolved) {
      out.push(
        `  ${paint.ok('RESOLVED')} ${paint.severity(gone.severity, gone.severity)}  ${safe(gone.ruleId)}  ${safe(resourceName(gone.resource))} (${safe(`${accountLabel(gone.resource)}, ${gone.resource.region}`)}): ${safe(gone.message)}`,
      );
    }
  }

  if (scan.coverageGaps.length > 0) {
    out.push('');
    out.push(paint.bold(`Coverage gaps (${scan.coverageGaps.length}): what could not be collected was not judged compliant`));
    for (const gap of scan.coverageGaps) {
      const reason = gap.reason !== undefined ? `  ${gap.reason}` : '';
      out.push(`  ${safe(`${gap.account}  ${gap.region}  ${gap.service}  ${gap.status}${reason}`)}`);
    }
  }

  const expired = scan.waivers.filter((w) => w.state === 'expired');
  const unused = scan.waivers.filter((w) => w.state === 'unused');
  const expiring =
    options.warnExpiringDays === undefined
      ? []
      : scan.waivers.filter((w) => {
          if (w.state !== 'active') return false;
          const days = daysUntil(w.expires, scan.generatedAt);
          return days !== undefined && days >= 0 && days <= options.warnExpiringDays!;
        });
  if (expired.length + unused.length + expiring.length > 0) {
    out.push('');
    out.push(paint.bold('Waivers'));
    for (const w of expired) out.push(waiverLine(w, 'expired', `expired ${safe(w.expires)}`));
    for (const w of unused) out.push(waiverLine(w, 'unused', 'matched no result'));
    for (const w of expiring) {
      const days = daysUntil(w.expires, scan.generatedAt)!;
      out.push(waiverLine(w, 'expiring', `expires ${safe(w.expires)} (in ${plural(days, 'day')})`));
    }
  }

  const s = scan.summary;
  out.push('');
  out.push(paint.bold('Summary'));
  out.push(
    `  Results    ${STATUSES.map((status) => paint.status(status, `${s.byStatus[status]} ${STATUS_WORD[status]}`)).join(', ')}`,
  );
  out.push(
    `  Failures   ${SEVERITIES.map((severity) => paint.severity(severity, `${s.failuresBySeverity[severity]} ${severity}`)).join(', ')}`,
  );
  out.push(`  Scanned    ${plural(s.accounts, 'account')}, ${plural(s.resources, 'resource')}`);
  out.push(`  Coverage   ${scan.coverageGaps.length === 0 ? 'complete' : plural(scan.coverageGaps.length, 'gap')}`);
  let waiverSummary = `${expired.length} expired, ${unused.length} unused`;
  if (options.warnExpiringDays !== undefined) waiverSummary += `, ${expiring.length} expiring within ${plural(options.warnExpiringDays, 'day')}`;
  out.push(`  Waivers    ${waiverSummary}`);
  if (options.diff) {
    let added = 0;
    let persisting = 0;
    for (const change of Object.values(options.diff.changes)) {
      if (change === 'new') added += 1;
      else persisting += 1;
    }
    out.push(`  Baseline   ${paint.marker(`${added} new`)}, ${persisting} persisting, ${options.diff.resolved.length} resolved`);
  }
  return `${out.join('\n')}\n`;
}
