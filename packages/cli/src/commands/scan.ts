import {
  DEFAULT_WARN_EXPIRING_DAYS,
  OrglintError,
  compareWithBaseline,
  expiringWaivers,
  readInputFile,
  SEVERITIES,
  loadPolicy,
  renderReport,
  severityRank,
  type BaselineDiff,
  type ReportFormat,
  type RenderOptions,
  type ScanResult,
  type Severity,
} from '@orglint/core';
import { EXIT } from '../exit-codes.js';
import { writeOutputs, type PlannedOutput } from '../output.js';
import { loadSource, scanSource, type SourceOptions } from '../source.js';

export const FORMATS: readonly ReportFormat[] = ['text', 'json', 'sarif', 'junit', 'markdown'];

export interface ScanOptions extends SourceOptions {
  readonly policy: string;
  readonly format: string[];
  readonly output: string[];
  readonly failOn: string;
  readonly includePasses?: boolean;
  readonly timestamp?: string;
  readonly baseline?: string;
  readonly failOnNew?: boolean;
  readonly warnExpiring?: string;
}

export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly stdoutIsTty: boolean;
  readonly stderrIsTty: boolean;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

/** The clock: `--timestamp` fixes it (reproducible reports), otherwise now. */
export function clockFrom(timestamp: string | undefined): Date {
  if (timestamp === undefined) return new Date();
  const t = Date.parse(timestamp);
  if (Number.isNaN(t)) {
    throw new OrglintError('invalid-argument', `--timestamp "${timestamp}" is not a date; give an ISO 8601 time such as 2026-11-23T02:00:00Z.`);
  }
  return new Date(t);
}

export function parseFailOn(value: string): Severity | 'none' {
  if (value === 'none' || (SEVERITIES as readonly string[]).includes(value)) return value as Severity | 'none';
  throw new OrglintError('invalid-argument', `--fail-on "${value}" is not a severity; use one of ${SEVERITIES.join(', ')} or none.`);
}

/** Pairs each --format with the --output at the same position; a format without one goes to stdout. */
export function pairOutputs(formats: readonly string[], outputs: readonly string[]): { format: ReportFormat; file: string | undefined }[] {
  const list = formats.length === 0 ? ['text'] : formats;
  for (const f of list) {
    if (!(FORMATS as readonly string[]).includes(f)) {
      throw new OrglintError('invalid-argument', `--format "${f}" is not a report format; use one of ${FORMATS.join(', ')}.`);
    }
  }
  if (outputs.length > list.length) {
    throw new OrglintError('invalid-argument', `${outputs.length} --output paths were given for ${list.length} --format; give one --format before each --output.`);
  }
  const pairs = list.map((format, i) => ({ format: format as ReportFormat, file: outputs[i] }));
  if (pairs.filter((p) => p.file === undefined).length > 1) {
    throw new OrglintError('invalid-argument', 'Only one report can go to standard output; give an --output file for every --format but one.');
  }
  return pairs;
}

/** The exit code a scan result earns under --fail-on (and, with a baseline, --fail-on-new). */
export function exitCodeFor(result: ScanResult, failOn: Severity | 'none', onlyNew?: BaselineDiff): number {
  const fails =
    failOn !== 'none' &&
    result.findings.some((r) => r.status === 'fail' && severityRank(r.severity) >= severityRank(failOn) && (!onlyNew || onlyNew.changes[r.fingerprint] === 'new'));
  if (fails) return EXIT.failures;
  return result.summary.byStatus.error > 0 ? EXIT.incomplete : EXIT.ok;
}

export function useColor(io: Io): boolean {
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  if (io.env.FORCE_COLOR !== undefined) return io.env.FORCE_COLOR !== '0';
  return io.stdoutIsTty;
}

/** Renders every requested report in memory first; nothing is written if one fails. */
export function renderAll(result: ScanResult, pairs: ReturnType<typeof pairOutputs>, options: Omit<RenderOptions, 'color'>, io: Io): PlannedOutput[] {
  return pairs.map((p) => ({
    file: p.file,
    content: renderReport(p.format, result, { ...options, color: p.file === undefined && p.format === 'text' && useColor(io) }),
  }));
}

export function parseWarnExpiring(value: string | undefined): number {
  if (value === undefined) return DEFAULT_WARN_EXPIRING_DAYS;
  const days = Number(value);
  if (!Number.isInteger(days) || days < 0) {
    throw new OrglintError('invalid-argument', `--warn-expiring "${value}" is not a number of days; give a whole number such as 30.`);
  }
  return days;
}

export async function runScan(options: ScanOptions, io: Io): Promise<number> {
  const failOn = parseFailOn(options.failOn);
  const pairs = pairOutputs(options.format, options.output);
  const now = clockFrom(options.timestamp);
  const warnExpiringDays = parseWarnExpiring(options.warnExpiring);
  if (options.failOnNew && !options.baseline) {
    throw new OrglintError('invalid-argument', '--fail-on-new needs --baseline FILE (the JSON report of an earlier run) to know what is new.');
  }
  const policy = loadPolicy(options.policy);
  const baselineText = options.baseline === undefined ? undefined : readInputFile(options.baseline, 'baseline');
  const source = await loadSource(options, policy, io, () => now);
  const result = scanSource(source, policy, now);
  const diff = baselineText === undefined || options.baseline === undefined ? undefined : compareWithBaseline(result, baselineText, options.baseline);
  const outputs = renderAll(result, pairs, { includePasses: options.includePasses === true, baseDir: io.cwd, warnExpiringDays, ...(diff ? { diff } : {}) }, io);
  writeOutputs(outputs, io.stdout);
  for (const { waiver: w, daysLeft } of expiringWaivers(result.waivers, result.generatedAt, warnExpiringDays)) {
    io.stderr(`orglint: warning: the waiver for ${w.rule} on ${w.resource} expires on ${w.expires}, in ${daysLeft} day${daysLeft === 1 ? '' : 's'}; renew it with a reason or fix the finding.\n`);
  }
  return exitCodeFor(result, failOn, options.failOnNew ? diff : undefined);
}
