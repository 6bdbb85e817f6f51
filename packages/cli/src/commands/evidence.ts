import {
  buildEvidenceBundle,
  loadPolicy,
  renderReport,
  scan,
  verifyEvidenceBundle,
  writeEvidenceBundle,
  OrglintError,
} from '@orglint/core';
import { loadCatalogue } from '@orglint/rules';
import { EXIT } from '../exit-codes.js';
import { VERSION } from '../version.js';
import { loadSource, sha256Of, type SourceOptions } from '../source.js';
import { clockFrom, parseWarnExpiring, type Io } from './scan.js';

export interface EvidenceOptions extends SourceOptions {
  readonly policy: string;
  readonly output?: string;
  readonly timestamp?: string;
  readonly warnExpiring?: string;
}

/** Scans and writes the auditor's bundle: every input, every report, and a manifest of hashes. */
export async function runEvidence(options: EvidenceOptions, io: Io): Promise<number> {
  if (!options.output) throw new OrglintError('invalid-argument', 'evidence needs --output DIR, a new or empty directory for the bundle.');
  const now = clockFrom(options.timestamp);
  const warnExpiringDays = parseWarnExpiring(options.warnExpiring);
  const policy = loadPolicy(options.policy);
  const source = await loadSource(options, policy, io, () => now, true);
  const estateText = source.text?.() ?? `${JSON.stringify(source.estate, null, 2)}\n`;
  const result = scan({
    estate: source.estate,
    ...(source.file ? { estateFile: source.file } : {}),
    estateSha256: sha256Of(estateText),
    ...(source.environmentOverrides ? { environmentOverrides: source.environmentOverrides } : {}),
    ...(source.onlyPlanned ? { onlyPlanned: true } : {}),
    policy,
    catalogue: loadCatalogue(),
    now,
    toolVersion: VERSION,
  });
  const render = { color: false, includePasses: true, baseDir: io.cwd, warnExpiringDays };
  const files = buildEvidenceBundle({
    result,
    estateText,
    policyText: policy.text,
    policyFile: options.policy,
    reports: { sarif: renderReport('sarif', result, render), junit: renderReport('junit', result, render), json: renderReport('json', result, render) },
    timestamp: now.toISOString(),
    warnExpiringDays,
  });
  await writeEvidenceBundle(options.output, files);
  const s = result.summary.byStatus;
  io.stdout(`Wrote the evidence bundle to ${options.output}: ${files.length} files; ${s.fail} failed, ${s.error} could not be evaluated, ${s.waived} waived, ${s.pass} passed. Open report.html; check it later with \`orglint evidence verify ${options.output}\`.\n`);
  return EXIT.ok;
}

/** Re-hashes every file of a bundle; exit 1 names each file that changed, went missing or was added. */
export async function runEvidenceVerify(dir: string, io: Io): Promise<number> {
  const v = await verifyEvidenceBundle(dir);
  if (v.ok) {
    io.stdout(`${dir}: all ${v.files} files match the manifest (manifest.json sha256 ${v.manifestSha256}).\n`);
    return EXIT.ok;
  }
  for (const problem of v.problems) io.stderr(`orglint: ${problem}\n`);
  io.stderr(`orglint: ${dir} does not match its manifest: ${v.problems.length} problem${v.problems.length === 1 ? '' : 's'}.\n`);
  return EXIT.failures;
}
