import type { BaselineDiff, RenderOptions, Result, RuleSummary, ScanResult, Severity, Status, WaiverStatus } from '../model.js';
import { SEVERITIES, STATUSES, severityRank } from '../model.js';
import { DEFAULT_WARN_EXPIRING_DAYS, compareText, expiringWaivers } from './waiver-expiry.js';

/** Longest list of resources shown under one rule before "and N more". */
export const MARKDOWN_MAX_PER_RULE = 10;
/** Longest table (new, resolved, coverage, waivers) before "and N more". */
export const MARKDOWN_MAX_ROWS = 25;
/** Most rules listed with their failures; a PR comment must stay under GitHub's 65,536 characters. */
export const MARKDOWN_MAX_RULES = 20;

const STATUS_LABEL: Record<Status, string> = {
  fail: '❌ fail',
  error: '⚠️ could not evaluate',
  waived: '🔕 waived',
  pass: '✅ pass',
  'not-applicable': '➖ not applicable',
};

/**
 * A Markdown summary of one scan, fit for `$GITHUB_STEP_SUMMARY` and a pull-request comment:
 * a headline verdict, counts by status and severity, what changed since the baseline
 * (`options.diff`), failures and could-not-evaluate results grouped by rule, coverage gaps,
 * and the waivers that need attention. Every piece of user data is escaped.
 */
export function renderMarkdown(result: ScanResult, options: RenderOptions): string {
  const diff = options.diff;
  const rules = new Map(result.rules.map((r) => [r.id, r]));
  const out: string[] = [];
  const { byStatus, failuresBySeverity } = result.summary;

  out.push(`## ${headline(result, diff)}`, '');
  const estateSource = result.estate.source;
  const sourceBits = [estateSource.kind ?? 'estate', result.estate.file ? code(result.estate.file) : undefined]
    .filter((x) => x !== undefined)
    .join(' ');
  const collected = typeof estateSource.collectedAt === 'string' ? `, collected ${md(estateSource.collectedAt)}` : '';
  out.push(
    `Checked **${result.summary.resources}** resources in **${result.summary.accounts}** accounts against **${result.rules.length}** rules ` +
      `of policy ${code(result.policy.file)} (SHA-256 ${code(result.policy.sha256.slice(0, 12))}) at ${md(result.generatedAt)}; ` +
      `estate: ${md(sourceBits)}${collected}; orglint ${md(result.tool.version)}, catalogue ${md(result.tool.catalogueVersion)}.`,
    '',
  );
  if (diff) {
    const counts = changeCounts(result, diff);
    out.push(
      `Compared with ${code(diff.baselineFile)} (${md(diff.baselineGeneratedAt)}): **${counts.newFail} new ${counts.newFail === 1 ? 'failure' : 'failures'}**, ` +
        `${counts.newError} newly not evaluated, ${counts.persisting} persisting, ${diff.resolved.length} resolved.`,
      '',
    );
  }

  out.push('| Status | Results |', '| --- | ---: |');
  for (const status of STATUSES) out.push(`| ${STATUS_LABEL[status]} | ${byStatus[status]} |`);
  out.push('');
  out.push('| Severity | Failures |', '| --- | ---: |');
  for (const severity of SEVERITIES) out.push(`| ${severity} | ${failuresBySeverity[severity]} |`);
  out.push('');

  if (diff) {
    const fresh = result.findings
      .filter((r) => diff.changes[r.fingerprint] === 'new')
      .sort(bySeverityThenIdentity);
    out.push(`### New since the baseline (${fresh.length})`, '');
    if (fresh.length === 0) out.push('Nothing new fails.', '');
    else out.push(...resultTable(fresh), '');

    out.push(`### Resolved since the baseline (${diff.resolved.length})`, '');
    if (diff.resolved.length === 0) out.push('Nothing that failed before passes now.', '');
    else {
      out.push('| Severity | Rule | Resource | Account | Was |', '| --- | --- | --- | --- | --- |');
      for (const r of diff.resolved.slice(0, MARKDOWN_MAX_ROWS)) {
        out.push(`| ${r.severity} | ${code(r.ruleId)} | ${md(resourceLabel(r.resource))} | ${md(accountLabel(r.resource))} | ${md(r.message)} |`);
      }
      out.push(...more(diff.resolved.length, MARKDOWN_MAX_ROWS), '');
    }
  }

  out.push(...groupedByRule('Failures by rule', result.findings.filter((r) => r.status === 'fail'), rules, diff));
  out.push(...groupedByRule('Could not evaluate', result.findings.filter((r) => r.status === 'error'), rules, diff));

  if (result.coverageGaps.length > 0) {
    const gaps = [...result.coverageGaps].sort(
      (a, b) => compareText(a.account, b.account) || compareText(a.region, b.region) || compareText(a.service, b.service),
    );
    out.push(`### Coverage gaps (${gaps.length})`, '', 'What was not collected, so rules that need it report "could not evaluate" rather than pass.', '');
    out.push('| Account | Region | Service | Status | Reason |', '| --- | --- | --- | --- | --- |');
    for (const g of gaps.slice(0, MARKDOWN_MAX_ROWS)) {
      out.push(`| ${md(g.account)} | ${md(g.region)} | ${md(g.service)} | ${g.status} | ${md(g.reason ?? '')} |`);
    }
    out.push(...more(gaps.length, MARKDOWN_MAX_ROWS), '');
  }

  out.push(...waiverSections(result, options.warnExpiringDays ?? DEFAULT_WARN_EXPIRING_DAYS));
  while (out.at(-1) === '') out.pop();
  return `${out.join('\n')}\n`;
}

function headline(result: ScanResult, diff: BaselineDiff | undefined): string {
  const { fail, error, pass, waived } = result.summary.byStatus;
  const notEvaluated = error > 0 ? `, ${error} could not be evaluated` : '';
  if (fail > 0) {
    const newBit = diff ? ` (${changeCounts(result, diff).newFail} new)` : '';
    return `❌ orglint: ${fail} ${fail === 1 ? 'failure' : 'failures'}${newBit}${notEvaluated}`;
  }
  if (error > 0) return `⚠️ orglint: no failures, but ${error} ${error === 1 ? 'check' : 'checks'} could not be evaluated`;
  return `✅ orglint: no failures (${pass} passed${waived > 0 ? `, ${waived} waived` : ''})`;
}

function changeCounts(result: ScanResult, diff: BaselineDiff): { newFail: number; newError: number; persisting: number } {
  let newFail = 0;
  let newError = 0;
  let persisting = 0;
  for (const r of result.findings) {
    const change = diff.changes[r.fingerprint];
    if (change === 'persisting') persisting++;
    else if (change === 'new' && r.status === 'fail') newFail++;
    else if (change === 'new' && r.status === 'error') newError++;
  }
  return { newFail, newError, persisting };
}

function groupedByRule(title: string, results: Result[], rules: Map<string, RuleSummary>, diff: BaselineDiff | undefined): string[] {
  if (results.length === 0) return [];
  const groups = new Map<string, Result[]>();
  for (const r of results) groups.set(r.ruleId, [...(groups.get(r.ruleId) ?? []), r]);
  const severityOf = (id: string): Severity => rules.get(id)?.severity ?? groups.get(id)?.[0]?.severity ?? 'info';
  const order = [...groups.keys()].sort(
    (a, b) =>
      severityRank(severityOf(b)) - severityRank(severityOf(a)) ||
      (groups.get(b)?.length ?? 0) - (groups.get(a)?.length ?? 0) ||
      compareText(a, b),
  );
  const out = [`### ${title} (${results.length})`, ''];
  for (const id of order.slice(0, MARKDOWN_MAX_RULES)) {
    const group = (groups.get(id) ?? []).sort((a, b) => {
      const na = diff?.changes[a.fingerprint] === 'new' ? 0 : 1;
      const nb = diff?.changes[b.fingerprint] === 'new' ? 0 : 1;
      return na - nb || byIdentity(a, b);
    });
    const rule = rules.get(id);
    out.push(`#### ${severityOf(id)} · ${code(id)}${rule ? ` — ${md(rule.title)}` : ''} (${group.length})`, '');
    for (const r of group.slice(0, MARKDOWN_MAX_PER_RULE)) {
      const tags: string[] = [];
      if (diff?.changes[r.fingerprint] === 'new') tags.push('**new**');
      if (r.waiver?.expired) tags.push(`waiver expired ${md(r.waiver.expires)}`);
      const tagText = tags.length > 0 ? ` · ${tags.join(' · ')}` : '';
      out.push(
        `- **${md(resourceLabel(r.resource))}** · ${md(r.resource.type)} · ${md(accountLabel(r.resource))} · ${md(r.resource.region)} — ${md(r.message)}${tagText}`,
      );
    }
    const rest = group.length - MARKDOWN_MAX_PER_RULE;
    if (rest > 0) out.push(`- _…and ${rest} more_`);
    out.push('');
  }
  const restRules = order.length - MARKDOWN_MAX_RULES;
  if (restRules > 0) {
    const restResults = order.slice(MARKDOWN_MAX_RULES).reduce((n, id) => n + (groups.get(id)?.length ?? 0), 0);
    out.push(`_…and ${restRules} more rules with ${restResults} more results; see the full report._`, '');
  }
  return out;
}

function waiverSections(result: ScanResult, warnDays: number): string[] {
  const out: string[] = [];
  const expiring = expiringWaivers(result.waivers, result.generatedAt, warnDays);
  if (expiring.length > 0) {
    out.push(`### ⏳ Waivers expiring within ${warnDays} days (${expiring.length})`, '');
    out.push('| Expires | Days left | Rule | Resource | Owner | Reason | Policy |', '| --- | ---: | --- | --- | --- | --- | --- |');
    for (const { waiver: w, daysLeft } of expiring.slice(0, MARKDOWN_MAX_ROWS)) {
      out.push(`| ${md(w.expires)} | ${daysLeft} | ${code(w.rule)} | ${md(w.resource)} | ${md(w.owner ?? '')} | ${md(w.reason)} | ${where(w)} |`);
    }
    out.push(...more(expiring.length, MARKDOWN_MAX_ROWS), '');
  }
  const byRuleAndIndex = (a: WaiverStatus, b: WaiverStatus): number => compareText(a.rule, b.rule) || a.index - b.index;
  const expired = result.waivers.filter((w) => w.state === 'expired').sort(byRuleAndIndex);
  if (expired.length > 0) {
    out.push(`### Expired waivers (${expired.length})`, '', 'The results they covered count as failures again; renew or remove each waiver.', '');
    out.push('| Expired | Rule | Resource | Owner | Reason | Policy |', '| --- | --- | --- | --- | --- | --- |');
    for (const w of expired.slice(0, MARKDOWN_MAX_ROWS)) {
      out.push(`| ${md(w.expires)} | ${code(w.rule)} | ${md(w.resource)} | ${md(w.owner ?? '')} | ${md(w.reason)} | ${where(w)} |`);
    }
    out.push(...more(expired.length, MARKDOWN_MAX_ROWS), '');
  }
  const unused = result.waivers.filter((w) => w.state === 'unused').sort(byRuleAndIndex);
  if (unused.length > 0) {
    out.push(`### Unused waivers (${unused.length})`, '', 'They match no result; remove them so they cannot silently cover a future failure.', '');
    out.push('| Rule | Resource | Owner | Expires | Policy |', '| --- | --- | --- | --- | --- |');
    for (const w of unused.slice(0, MARKDOWN_MAX_ROWS)) {
      out.push(`| ${code(w.rule)} | ${md(w.resource)} | ${md(w.owner ?? '')} | ${md(w.expires)} | ${where(w)} |`);
    }
    out.push(...more(unused.length, MARKDOWN_MAX_ROWS), '');
  }
  return out;
}

function resultTable(results: Result[]): string[] {
  const out = ['| Status | Severity | Rule | Resource | Account | Region | Message |', '| --- | --- | --- | --- | --- | --- | --- |'];
  for (const r of results.slice(0, MARKDOWN_MAX_ROWS)) {
    out.push(
      `| ${STATUS_LABEL[r.status]} | ${r.severity} | ${code(r.ruleId)} | ${md(resourceLabel(r.resource))} | ${md(accountLabel(r.resource))} | ${md(r.resource.region)} | ${md(r.message)} |`,
    );
  }
  out.push(...more(results.length, MARKDOWN_MAX_ROWS));
  return out;
}

function more(total: number, shown: number): string[] {
  return total > shown ? ['', `_…and ${total - shown} more; see the full report._`] : [];
}

function where(w: WaiverStatus): string {
  return md(`${w.location.file}:${w.location.line}`);
}

function resourceLabel(resource: Result['resource']): string {
  return resource.name ?? resource.id;
}

function accountLabel(resource: Result['resource']): string {
  return resource.accountName ? `${resource.accountName} (${resource.account})` : resource.account;
}

function byIdentity(a: Pick<Result, 'resource' | 'fingerprint'>, b: Pick<Result, 'resource' | 'fingerprint'>): number {
  return (
    compareText(a.resource.account, b.resource.account) ||
    compareText(a.resource.id, b.resource.id) ||
    compareText(a.fingerprint, b.fingerprint)
  );
}

function bySeverityThenIdentity(a: Result, b: Result): number {
  return severityRank(b.severity) - severityRank(a.severity) || compareText(a.ruleId, b.ruleId) || byIdentity(a, b);
}

/**
 * Escapes text for Markdown inline content and GitHub's HTML sanitiser: line breaks become
 * spaces (they would end a table row), `&`, `<` and `>` become entities (no raw HTML, no
 * smuggled entities), and Markdown punctuation is backslash-escaped (`|` would split a cell,
 * backticks open code, `*_~` emphasis, `[]` links).
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\r\n?|\n/g, ' ')
    .replace(/[\\`*_~[\]|#!]/g, '\\$&')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

const md = escapeMarkdown;

/** A code span when the text cannot break one, else escaped text. */
function code(text: string): string {
  return /[`|\r\n]/.test(text) || text === '' ? md(text) : `\`${text}\``;
}
