import { createHash, randomUUID } from 'node:crypto';
import { lstat, mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { OrglintError } from '../errors.js';
import type { Estate } from '../estate/types.js';
import { parseJsonText } from '../io/read-input.js';
import type { ScanResult } from '../model.js';
import { DEFAULT_WARN_EXPIRING_DAYS, compareText, expiringWaivers } from '../report/waiver-expiry.js';
import { renderFrameworkCsv } from './frameworks.js';
import { renderHtml, verdictOf } from './html.js';

/** The manifest's own format; `verifyEvidenceBundle` reads only this version. */
export const EVIDENCE_FORMAT_VERSION = 1;
export const MANIFEST_FILE = 'manifest.json';

/** One file of an evidence bundle: a relative `/`-separated path and its content (strings are written as UTF-8). */
export interface BundleFile {
  readonly path: string;
  readonly content: string | Uint8Array;
}

/** Everything one evidence bundle is made from; the same input gives the same bytes. */
export interface EvidenceBundleInput {
  readonly result: ScanResult;
  /** The estate exactly as scanned; when `result.estate.sha256` is set it must be the SHA-256 of these bytes. */
  readonly estateText: string;
  /** The policy exactly as read; it must hash to `result.policy.sha256`. */
  readonly policyText: string;
  readonly policyFile: string;
  /** The scan rendered by the JSON, SARIF and JUnit reporters. */
  readonly reports: { readonly sarif: string; readonly junit: string; readonly json: string };
  /** When the bundle was made, ISO 8601; passed in so a rebuild is byte-identical. */
  readonly timestamp: string;
  /** Active waivers expiring within this many days of the scan are listed as expiring. */
  readonly warnExpiringDays?: number;
}

/** One file as the manifest records it. */
export interface ManifestEntry {
  readonly path: string;
  readonly sha256: string;
  readonly size: number;
}

/** `manifest.json`: what was checked, when, against which rules, and the hash of every other file. */
export interface EvidenceManifest {
  readonly evidenceFormatVersion: typeof EVIDENCE_FORMAT_VERSION;
  readonly createdAt: string;
  readonly tool: ScanResult['tool'];
  readonly policy: { readonly file: string; readonly sha256: string; readonly bundledAs: string };
  readonly estate: {
    readonly source: string;
    readonly collectedAt: string | null;
    readonly file: string | null;
    readonly sha256: string;
    readonly bundledAs: string;
  };
  readonly scan: {
    readonly generatedAt: string;
    readonly verdict: string;
    readonly summary: ScanResult['summary'];
  };
  readonly scope: { readonly accounts: readonly string[]; readonly regions: readonly string[]; readonly rules: readonly string[] };
  readonly files: readonly ManifestEntry[];
}

/** The outcome of re-hashing a bundle: one sentence per changed, missing or extra file. */
export interface EvidenceVerification {
  readonly ok: boolean;
  readonly problems: readonly string[];
  /** Files the manifest lists. */
  readonly files: number;
  /** SHA-256 of `manifest.json` itself: compare it with the value recorded when the bundle was handed over. */
  readonly manifestSha256: string;
}

/**
 * Builds every file of an auditor's evidence bundle, manifest included, sorted by path:
 * `manifest.json`, `estate.json`, `results.json`, `report.sarif`, `report.junit.xml`,
 * `frameworks.csv`, `coverage.json`, `waivers.json`, `policy.yaml` and `report.html`.
 * Pure: same input and timestamp, same bytes.
 *
 * @throws OrglintError `invalid-argument` for a timestamp that is not ISO 8601, `evidence-mismatch`
 *   when the policy or estate text is not what the scan hashed
 */
export function buildEvidenceBundle(input: EvidenceBundleInput): BundleFile[] {
  const { result } = input;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(input.timestamp) || Number.isNaN(Date.parse(input.timestamp))) {
    throw new OrglintError(
      'invalid-argument',
      `The evidence timestamp "${input.timestamp}" is not an ISO 8601 time; give one like 2026-11-23T00:00:00Z.`,
    );
  }
  const policySha = sha256Hex(input.policyText);
  if (policySha !== result.policy.sha256) {
    throw new OrglintError(
      'evidence-mismatch',
      `The policy text given for the bundle (SHA-256 ${policySha}) is not the policy the scan used (${result.policy.file}, SHA-256 ${result.policy.sha256}); build the bundle from the same policy file the scan read.`,
    );
  }
  const estateSha = sha256Hex(input.estateText);
  if (result.estate.sha256 !== undefined && estateSha !== result.estate.sha256) {
    throw new OrglintError(
      'evidence-mismatch',
      `The estate text given for the bundle (SHA-256 ${estateSha}) is not the estate the scan read (SHA-256 ${result.estate.sha256}); build the bundle from the same estate the scan used.`,
    );
  }
  const estate = readEstateParts(input.estateText);
  const warnDays = input.warnExpiringDays ?? DEFAULT_WARN_EXPIRING_DAYS;

  const files: BundleFile[] = [
    { path: 'coverage.json', content: json(coverageDocument(result)) },
    { path: 'estate.json', content: input.estateText },
    { path: 'frameworks.csv', content: renderFrameworkCsv(result) },
    { path: 'policy.yaml', content: input.policyText },
    { path: 'report.html', content: renderHtml(result, estate, { warnExpiringDays: warnDays }) },
    { path: 'report.junit.xml', content: input.reports.junit },
    { path: 'report.sarif', content: input.reports.sarif },
    { path: 'results.json', content: input.reports.json },
    { path: 'waivers.json', content: json(waiverDocument(result, warnDays)) },
  ];

  const src = result.estate.source;
  const manifest: EvidenceManifest = {
    evidenceFormatVersion: EVIDENCE_FORMAT_VERSION,
    createdAt: input.timestamp,
    tool: { name: result.tool.name, version: result.tool.version, catalogueVersion: result.tool.catalogueVersion },
    policy: { file: input.policyFile, sha256: policySha, bundledAs: 'policy.yaml' },
    estate: {
      source: typeof src.kind === 'string' ? src.kind : 'unknown',
      collectedAt: typeof src.collectedAt === 'string' ? src.collectedAt : null,
      file: result.estate.file ?? null,
      sha256: estateSha,
      bundledAs: 'estate.json',
    },
    scan: { generatedAt: result.generatedAt, verdict: verdictOf(result), summary: result.summary },
    scope: {
      accounts: [...new Set(estate.accounts.map((a) => a.id))].sort(compareText),
      regions: scopeRegions(result, estate),
      rules: result.rules.map((r) => r.id).sort(compareText),
    },
    files: files.map((f) => ({ path: f.path, sha256: sha256Hex(f.content), size: byteLength(f.content) })).sort((a, b) => compareText(a.path, b.path)),
  };
  return [...files, { path: MANIFEST_FILE, content: json(manifest) }].sort((a, b) => compareText(a.path, b.path));
}

function readEstateParts(estateText: string): Pick<Estate, 'accounts' | 'organization' | 'source' | 'resources' | 'coverage'> {
  const doc = parseJsonText(estateText, 'estate.json', 'estate') as Partial<Estate> | null;
  if (doc === null || typeof doc !== 'object' || !Array.isArray(doc.accounts) || typeof doc.organization !== 'object' || doc.organization === null) {
    throw new OrglintError(
      'evidence-mismatch',
      'The estate text given for the bundle has no "accounts" list and "organization" object, so it is not the estate the scan read; pass the estate document itself.',
    );
  }
  return {
    accounts: doc.accounts,
    organization: doc.organization,
    source: doc.source,
    resources: Array.isArray(doc.resources) ? doc.resources : [],
    coverage: Array.isArray(doc.coverage) ? doc.coverage : [],
  };
}

function scopeRegions(result: ScanResult, estate: ReturnType<typeof readEstateParts>): string[] {
  const regions = new Set<string>();
  for (const source of [result.estate.source.regions, estate.source?.regions]) {
    if (Array.isArray(source)) for (const r of source) if (typeof r === 'string') regions.add(r);
  }
  for (const c of estate.coverage) regions.add(c.region);
  for (const r of estate.resources) regions.add(r.region);
  for (const r of result.results) regions.add(r.resource.region);
  return [...regions].sort(compareText);
}

function coverageDocument(result: ScanResult): unknown {
  const gaps = [...result.coverageGaps].sort(
    (a, b) => compareText(a.account, b.account) || compareText(a.region, b.region) || compareText(a.service, b.service) || compareText(a.status, b.status),
  );
  const notEvaluated = result.results
    .filter((r) => r.status === 'error')
    .map((r) => ({
      ruleId: r.ruleId,
      severity: r.severity,
      resource: r.resource,
      environment: r.environment,
      message: r.message,
      fingerprint: r.fingerprint,
    }))
    .sort((a, b) => compareText(a.ruleId, b.ruleId) || compareText(a.resource.account, b.resource.account) || compareText(a.resource.id, b.resource.id) || compareText(a.fingerprint, b.fingerprint));
  const byStatus = { denied: 0, failed: 0, skipped: 0 };
  for (const g of gaps) if (g.status !== 'collected') byStatus[g.status]++;
  return {
    explanation:
      'What orglint could not evaluate and why: coverage gaps are account/region/service combinations that were not collected; notEvaluated lists every result that reports "could not evaluate" (status error) instead of pass or fail.',
    counts: { gaps: gaps.length, gapsByStatus: byStatus, notEvaluated: notEvaluated.length },
    gaps,
    notEvaluated,
  };
}

function waiverDocument(result: ScanResult, warnDays: number): unknown {
  const sorted = [...result.waivers].sort((a, b) => compareText(a.rule, b.rule) || a.index - b.index);
  return {
    evaluatedAt: result.generatedAt,
    warnExpiringDays: warnDays,
    active: sorted.filter((w) => w.state === 'active'),
    expiring: expiringWaivers(result.waivers, result.generatedAt, warnDays).map(({ waiver, daysLeft }) => ({ ...waiver, daysLeft })),
    expired: sorted.filter((w) => w.state === 'expired'),
    unused: sorted.filter((w) => w.state === 'unused'),
  };
}

/**
 * Writes a bundle into `dir`, all or nothing: the files go into a temporary sibling directory
 * that is renamed into place only when every file is written, so a failure leaves no
 * half-written bundle. Parent directories are created.
 *
 * @throws OrglintError `output-exists` when `dir` exists and is not an empty directory; it is left untouched
 */
export async function writeEvidenceBundle(dir: string, files: readonly BundleFile[]): Promise<void> {
  const seen = new Set<string>();
  for (const file of files) {
    if (!isSafeRelativePath(file.path)) throw new Error(`Bundle file path ${JSON.stringify(file.path)} is not a plain relative path.`);
    if (seen.has(file.path)) throw new Error(`Bundle file path ${JSON.stringify(file.path)} appears twice.`);
    seen.add(file.path);
  }
  const target = resolve(dir);
  await refuseExisting(dir, target);
  const parent = dirname(target);
  await mkdir(parent, { recursive: true });
  // Same parent, so the final rename stays on one file system and is atomic.
  const staging = join(parent, `.${basename(target)}.partial-${randomUUID()}`);
  await mkdir(staging);
  try {
    for (const file of files) {
      const path = join(staging, ...file.path.split('/'));
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, file.content, { flag: 'wx' });
    }
    try {
      await rename(staging, target);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOTEMPTY' || code === 'EEXIST' || code === 'ENOTDIR' || code === 'EISDIR') {
        throw new OrglintError('output-exists', `${dir} was created by something else while the evidence bundle was written; give --output a new directory.`, {
          cause: error,
        });
      }
      throw error;
    }
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}

async function refuseExisting(dir: string, target: string): Promise<void> {
  let stat;
  try {
    stat = await lstat(target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (!stat.isDirectory()) {
    throw new OrglintError('output-exists', `${dir} already exists and is not a directory; give --output a new directory for the evidence bundle.`);
  }
  if ((await readdir(target)).length > 0) {
    throw new OrglintError(
      'output-exists',
      `${dir} already exists and is not empty; give --output a new directory (evidence is never overwritten), or move the old one away first.`,
    );
  }
}

/**
 * Re-hashes every file `manifest.json` lists and looks for files it does not list. Each
 * changed, missing or extra file is one sentence in `problems`; `ok` is true when there are none.
 * The manifest cannot vouch for itself: `manifestSha256` is returned so it can be compared with
 * the value recorded when the bundle was handed over.
 *
 * @throws OrglintError `file-not-found` when `dir` does not exist, `evidence-mismatch` when it is
 *   not a directory or has no readable manifest (nothing in it can then be verified)
 */
export async function verifyEvidenceBundle(dir: string): Promise<EvidenceVerification> {
  const root = resolve(dir);
  let stat;
  try {
    stat = await lstat(root);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new OrglintError('file-not-found', `${dir} does not exist; give the directory that \`orglint evidence --output\` wrote.`, { cause: error });
    }
    throw error;
  }
  if (!stat.isDirectory()) {
    throw new OrglintError('evidence-mismatch', `${dir} is a file, not an evidence bundle directory; give the directory that \`orglint evidence --output\` wrote.`);
  }
  let manifestBytes: Buffer;
  try {
    manifestBytes = await readFile(join(root, MANIFEST_FILE));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new OrglintError(
        'evidence-mismatch',
        `${dir} has no ${MANIFEST_FILE}, so it is not an orglint evidence bundle or its manifest was removed; nothing in it can be verified.`,
        { cause: error },
      );
    }
    throw error;
  }
  const entries = readManifestEntries(manifestBytes, `${dir}/${MANIFEST_FILE}`);

  const problems: { path: string; text: string }[] = [];
  const listed = new Set<string>();
  for (const entry of entries) {
    if (!isSafeRelativePath(entry.path) || entry.path === MANIFEST_FILE) {
      problems.push({ path: entry.path, text: `${MANIFEST_FILE} lists ${JSON.stringify(entry.path)}, which is not a file inside the bundle, so the manifest was altered.` });
      continue;
    }
    if (listed.has(entry.path)) {
      problems.push({ path: entry.path, text: `${MANIFEST_FILE} lists ${entry.path} twice, so the manifest was altered.` });
      continue;
    }
    listed.add(entry.path);
    const path = join(root, ...entry.path.split('/'));
    let fileStat;
    try {
      fileStat = await lstat(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' && (error as NodeJS.ErrnoException).code !== 'ENOTDIR') throw error;
      problems.push({ path: entry.path, text: `${entry.path} is missing: the manifest lists it with SHA-256 ${entry.sha256}, but it is not in the bundle.` });
      continue;
    }
    if (!fileStat.isFile()) {
      problems.push({ path: entry.path, text: `${entry.path} is not a regular file (it is a directory or a link), but the manifest lists it as one.` });
      continue;
    }
    const bytes = await readFile(path);
    const actual = sha256Hex(bytes);
    if (actual !== entry.sha256) {
      problems.push({ path: entry.path, text: `${entry.path} changed: its SHA-256 is ${actual} but the manifest says ${entry.sha256}.` });
    } else if (bytes.length !== entry.size) {
      problems.push({ path: entry.path, text: `${entry.path} has ${bytes.length} bytes but the manifest says ${entry.size}, although the hash matches, so the manifest was altered.` });
    }
  }

  const ancestors = new Set<string>();
  for (const path of listed) {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) ancestors.add(parts.slice(0, i).join('/'));
  }
  const walk = async (rel: string): Promise<void> => {
    const names = (await readdir(rel === '' ? root : join(root, ...rel.split('/')))).sort(compareText);
    for (const name of names) {
      const path = rel === '' ? name : `${rel}/${name}`;
      if (path === MANIFEST_FILE || listed.has(path)) continue;
      if (ancestors.has(path)) {
        const s = await lstat(join(root, ...path.split('/')));
        if (s.isDirectory()) {
          await walk(path);
          continue;
        }
      }
      const s = await lstat(join(root, ...path.split('/')));
      const what = s.isDirectory() ? 'directory' : s.isSymbolicLink() ? 'link' : 'file';
      problems.push({ path, text: `${path} is not in the manifest: this ${what} was added after the bundle was written; remove it or re-create the bundle.` });
    }
  };
  await walk('');

  problems.sort((a, b) => compareText(a.path, b.path) || compareText(a.text, b.text));
  return { ok: problems.length === 0, problems: problems.map((p) => p.text), files: entries.length, manifestSha256: sha256Hex(manifestBytes) };
}

function readManifestEntries(bytes: Buffer, where: string): ManifestEntry[] {
  const bad = (what: string): OrglintError =>
    new OrglintError('evidence-mismatch', `${where} is not an orglint evidence manifest (${what}), so the bundle cannot be verified; it was altered or not written by orglint.`);
  let doc: unknown;
  try {
    doc = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw bad(`it is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw bad('it is not a JSON object');
  const manifest = doc as Record<string, unknown>;
  if (manifest['evidenceFormatVersion'] !== EVIDENCE_FORMAT_VERSION) {
    throw bad(`its "evidenceFormatVersion" is ${JSON.stringify(manifest['evidenceFormatVersion'])}, and this orglint reads ${EVIDENCE_FORMAT_VERSION}`);
  }
  const files = manifest['files'];
  if (!Array.isArray(files)) throw bad('it has no "files" list');
  return files.map((f, i) => {
    if (typeof f !== 'object' || f === null) throw bad(`files[${i}] is not an object`);
    const { path, sha256, size } = f as Record<string, unknown>;
    if (typeof path !== 'string' || typeof sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(sha256) || typeof size !== 'number') {
      throw bad(`files[${i}] needs a "path", a hex "sha256" and a "size"`);
    }
    return { path, sha256, size };
  });
}

function isSafeRelativePath(path: string): boolean {
  if (path === '' || path.includes('\\') || path.includes('\0') || path.startsWith('/')) return false;
  return path.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
}

function sha256Hex(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

function byteLength(content: string | Uint8Array): number {
  return typeof content === 'string' ? Buffer.byteLength(content, 'utf8') : content.byteLength;
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
