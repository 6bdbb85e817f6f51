import { OrglintError } from '../errors.js';
import { lineColumnAt } from '../io/read-input.js';
import type { BaselineDiff, Change, Result, ScanResult, Severity, Status } from '../model.js';
import { SEVERITIES } from '../model.js';
import { compareText } from './waiver-expiry.js';

/** The `formatVersion` the JSON reporter writes and this comparison reads. */
export const JSON_REPORT_FORMAT_VERSION = 1;

/** Statuses that count as failing on either side of the comparison: could-not-evaluate included, so a gap never hides. */
const FAILING: ReadonlySet<Status> = new Set<Status>(['fail', 'error']);

type ResolvedResult = BaselineDiff['resolved'][number];

/**
 * Compares a scan with the JSON report of an earlier run, keyed by result fingerprint:
 * every current `fail`/`error` is `new` or `persisting`, and every baseline `fail`/`error`
 * that no longer fails is `resolved`.
 *
 * @param baselineText the text of the earlier `--format json` report
 * @param baselineFile its path, named in error messages
 * @throws OrglintError `invalid-baseline` when the text is not an orglint JSON report of this format version
 */
export function compareWithBaseline(current: ScanResult, baselineText: string, baselineFile: string): BaselineDiff {
  const baseline = readBaseline(baselineText, baselineFile);

  const failingBefore = new Map<string, ResolvedResult>();
  for (const r of baseline.results) {
    if (FAILING.has(r.status) && !failingBefore.has(r.fingerprint)) failingBefore.set(r.fingerprint, r.summary);
  }

  const changes: Record<string, Change> = {};
  const failingNow = new Set<string>();
  const fingerprints = current.findings
    .filter((r) => FAILING.has(r.status))
    .map((r) => r.fingerprint)
    .sort(compareText);
  for (const fp of fingerprints) {
    failingNow.add(fp);
    changes[fp] = failingBefore.has(fp) ? 'persisting' : 'new';
  }

  const resolved = [...failingBefore.values()]
    .filter((r) => !failingNow.has(r.fingerprint))
    .sort(
      (a, b) =>
        compareText(a.ruleId, b.ruleId) ||
        compareText(a.resource.account, b.resource.account) ||
        compareText(a.resource.id, b.resource.id) ||
        compareText(a.fingerprint, b.fingerprint),
    );

  return { baselineFile, baselineGeneratedAt: baseline.generatedAt, changes, resolved };
}

interface BaselineEntry {
  readonly fingerprint: string;
  readonly status: Status;
  readonly summary: ResolvedResult;
}

function readBaseline(text: string, file: string): { generatedAt: string; results: BaselineEntry[] } {
  const howToFix = 'give the JSON report (`orglint scan --format json --output FILE`) of an earlier run as the baseline';
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    const detail = (error as Error).message;
    const pos = /at position (\d+)/.exec(detail);
    const where = pos ? (({ line, column }) => `${file}:${line}:${column}`)(lineColumnAt(text, Number(pos[1]))) : file;
    throw new OrglintError('invalid-baseline', `${where}: the baseline is not valid JSON (${detail}); ${howToFix}.`, {
      position: { file },
      cause: error,
    });
  }
  if (!isObject(doc) || !('formatVersion' in doc) || !Array.isArray(doc['results'])) {
    throw new OrglintError(
      'invalid-baseline',
      `${file} is not an orglint JSON report: it has no "formatVersion" and "results" at the top; ${howToFix}.`,
      { position: { file } },
    );
  }
  if (doc['formatVersion'] !== JSON_REPORT_FORMAT_VERSION) {
    throw new OrglintError(
      'invalid-baseline',
      `${file} is an orglint JSON report of format version ${JSON.stringify(doc['formatVersion'])}, but this orglint compares only with version ${JSON_REPORT_FORMAT_VERSION}; run tonight's scan without --baseline once and use its JSON report as the next baseline.`,
      { position: { file } },
    );
  }
  const tool = doc['tool'];
  if (!isObject(tool) || tool['name'] !== 'orglint') {
    throw new OrglintError('invalid-baseline', `${file} has no "tool": {"name": "orglint"}, so it was not written by orglint; ${howToFix}.`, {
      position: { file },
    });
  }
  const generatedAt = doc['generatedAt'];
  if (typeof generatedAt !== 'string') {
    throw new OrglintError('invalid-baseline', `${file} has no "generatedAt" string, so the report is damaged; ${howToFix}.`, {
      position: { file },
    });
  }
  const results = (doc['results'] as unknown[]).map((entry, index) => readEntry(entry, index, file, howToFix));
  return { generatedAt, results };
}

const STATUS_SET: ReadonlySet<string> = new Set<Status>(['pass', 'fail', 'error', 'waived', 'not-applicable']);

function readEntry(entry: unknown, index: number, file: string, howToFix: string): BaselineEntry {
  const damaged = (what: string): OrglintError =>
    new OrglintError('invalid-baseline', `${file}: results[${index}] ${what}, so the report is damaged; ${howToFix}.`, {
      position: { file },
    });
  if (!isObject(entry)) throw damaged('is not an object');
  const { fingerprint, status, ruleId, severity, resource, message } = entry;
  if (typeof fingerprint !== 'string' || fingerprint === '') throw damaged('has no "fingerprint" string');
  if (typeof status !== 'string' || !STATUS_SET.has(status)) throw damaged('has no known "status"');
  if (typeof ruleId !== 'string') throw damaged('has no "ruleId" string');
  if (typeof severity !== 'string' || !(SEVERITIES as readonly string[]).includes(severity)) throw damaged('has no known "severity"');
  if (!isObject(resource) || typeof resource['id'] !== 'string' || typeof resource['account'] !== 'string') {
    throw damaged('has no "resource" with an "id" and an "account"');
  }
  return {
    fingerprint,
    status: status as Status,
    summary: {
      ruleId,
      severity: severity as Severity,
      resource: resourceOf(resource),
      message: typeof message === 'string' ? message : '',
      fingerprint,
    },
  };
}

/** Only the string fields a reporter shows: a baseline is a file from disk, not trusted to have the right types. */
function resourceOf(raw: Record<string, unknown>): Result['resource'] {
  const text = (key: string): string | undefined => (typeof raw[key] === 'string' ? (raw[key] as string) : undefined);
  const optional = (key: 'arn' | 'accountName' | 'name'): Partial<Result['resource']> => {
    const value = text(key);
    return value === undefined ? {} : { [key]: value };
  };
  return {
    type: text('type') ?? '',
    id: text('id') ?? '',
    ...optional('arn'),
    account: text('account') ?? '',
    ...optional('accountName'),
    region: text('region') ?? '',
    ...optional('name'),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
