import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildEvidenceBundle, verifyEvidenceBundle, writeEvidenceBundle, type BundleFile, type EvidenceBundleInput, type EvidenceManifest } from './bundle.js';
import { ESTATE_TEXT, POLICY_TEXT, fixtureScan, jsonReport } from './fixture.js';
import { rejectionOf, thrownBy } from '../testing/errors.js';

const TIMESTAMP = '2026-11-23T03:00:00Z';

function input(overrides: Partial<EvidenceBundleInput> = {}): EvidenceBundleInput {
  const result = fixtureScan();
  return {
    result,
    estateText: ESTATE_TEXT,
    policyText: POLICY_TEXT,
    policyFile: 'rules.yaml',
    // Rendered reports are the other reporters' job; the bundle carries whatever text it is given.
    reports: {
      json: jsonReport(result),
      sarif: `${JSON.stringify({ version: '2.1.0', runs: [{ tool: { driver: { name: 'orglint' } }, results: [] }] }, null, 2)}\n`,
      junit: '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="orglint" tests="0" failures="0" errors="0"/>\n',
    },
    timestamp: TIMESTAMP,
    warnExpiringDays: 30,
    ...overrides,
  };
}

function sha256(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'orglint-evidence-'));
});
afterEach(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('buildEvidenceBundle', () => {
  it('makes every file the auditor needs, and a manifest with the hash and size of each other file', () => {
    const files = buildEvidenceBundle(input());
    expect(files.map((f) => f.path)).toEqual([
      'coverage.json',
      'estate.json',
      'frameworks.csv',
      'manifest.json',
      'policy.yaml',
      'report.html',
      'report.junit.xml',
      'report.sarif',
      'results.json',
      'waivers.json',
    ]);
    const byPath = new Map(files.map((f) => [f.path, String(f.content)]));
    const manifest = JSON.parse(byPath.get('manifest.json') ?? '') as EvidenceManifest;
    expect(manifest.createdAt).toBe(TIMESTAMP);
    expect(manifest.tool).toEqual({ name: 'orglint', version: '0.1.0', catalogueVersion: '2026.11.0' });
    expect(manifest.policy).toEqual({ file: 'rules.yaml', sha256: sha256(POLICY_TEXT), bundledAs: 'policy.yaml' });
    expect(manifest.estate).toEqual({ source: 'live', collectedAt: '2026-11-23T01:45:00.000Z', file: null, sha256: sha256(ESTATE_TEXT), bundledAs: 'estate.json' });
    expect(manifest.scope).toEqual({
      accounts: ['111111111111', '222222222222', '333333333333', '444444444444', '555555555555'],
      regions: ['eu-west-1', 'us-east-1'],
      rules: ['backup-retention', 'cloudtrail-organization-trail', 'kms-key-rotation', 's3-public-access-blocked', 'team-tag-present'],
    });
    expect(manifest.scan.verdict).toBe('fail');
    expect(manifest.files.map((f) => f.path)).toEqual([...byPath.keys()].filter((p) => p !== 'manifest.json'));
    for (const entry of manifest.files) {
      const content = byPath.get(entry.path) ?? '';
      expect(entry.sha256).toBe(sha256(content));
      expect(entry.size).toBe(Buffer.byteLength(content));
    }
    expect(byPath.get('estate.json')).toBe(ESTATE_TEXT);
    expect(byPath.get('policy.yaml')).toBe(POLICY_TEXT);
    expect(byPath.get('results.json')).toBe(input().reports.json);
    expect(byPath.get('frameworks.csv')?.split('\r\n')[0]).toBe('framework,control,rule,pass,fail,could_not_evaluate,waived');

    const coverage = JSON.parse(byPath.get('coverage.json') ?? '') as { counts: unknown; notEvaluated: { ruleId: string }[] };
    expect(coverage.counts).toEqual({ gaps: 4, gapsByStatus: { denied: 2, failed: 1, skipped: 1 }, notEvaluated: 2 });
    expect(coverage.notEvaluated.map((r) => r.ruleId)).toEqual(['backup-retention', 'kms-key-rotation']);
    const waivers = JSON.parse(byPath.get('waivers.json') ?? '') as Record<string, { index: number; daysLeft?: number }[]>;
    expect(waivers['active']?.map((w) => w.index)).toEqual([0, 1]);
    expect(waivers['expiring']?.map((w) => [w.index, w.daysLeft])).toEqual([[1, 10]]);
    expect(waivers['expired']?.map((w) => w.index)).toEqual([2]);
    expect(waivers['unused']?.map((w) => w.index)).toEqual([3]);
  });

  it('refuses a policy or estate that is not what the scan hashed, and a timestamp that is not ISO 8601', () => {

    const policy = thrownBy(() => buildEvidenceBundle(input({ policyText: `${POLICY_TEXT}# edited\n` })));
    expect(policy.code).toBe('evidence-mismatch');
    expect(policy.message).toMatch(/^The policy text given for the bundle \(SHA-256 [0-9a-f]{64}\) is not the policy the scan used \(rules\.yaml, SHA-256 [0-9a-f]{64}\); build the bundle from the same policy file the scan read\.$/);
    expect(thrownBy(() => buildEvidenceBundle(input({ estateText: `${ESTATE_TEXT} ` }))).code).toBe('evidence-mismatch');
    const time = thrownBy(() => buildEvidenceBundle(input({ timestamp: 'yesterday' })));
    expect(time.code).toBe('invalid-argument');
    expect(time.message).toBe('The evidence timestamp "yesterday" is not an ISO 8601 time; give one like 2026-11-23T00:00:00Z.');
  });
});

describe('writeEvidenceBundle and verifyEvidenceBundle', () => {
  it('gives a byte-identical bundle for the same inputs and timestamp, even on another wall-clock day', async () => {
    const a = join(work, 'a');
    const b = join(work, 'nested', 'b');
    await writeEvidenceBundle(a, buildEvidenceBundle(input()));
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2031-05-05T12:00:00Z'));
    const later = buildEvidenceBundle(input());
    vi.useRealTimers();
    await writeEvidenceBundle(b, later);
    const names = readdirSync(a).sort();
    expect(readdirSync(b).sort()).toEqual(names);
    expect(names).toHaveLength(10);
    for (const name of names) expect(readFileSync(join(b, name)).equals(readFileSync(join(a, name))), name).toBe(true);
    // and a different timestamp changes only the manifest
    const c = join(work, 'c');
    await writeEvidenceBundle(c, buildEvidenceBundle(input({ timestamp: '2026-12-01T00:00:00Z' })));
    const differing = names.filter((n) => !readFileSync(join(c, n)).equals(readFileSync(join(a, n))));
    expect(differing).toEqual(['manifest.json']);
  });

  it('verifies a fresh bundle, and sha256sum agrees with the manifest', async () => {
    const dir = join(work, 'evidence');
    await writeEvidenceBundle(dir, buildEvidenceBundle(input()));
    const verification = await verifyEvidenceBundle(dir);
    expect(verification).toEqual({ ok: true, problems: [], files: 9, manifestSha256: sha256(readFileSync(join(dir, 'manifest.json'))) });
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as EvidenceManifest;
    const sums = manifest.files.map((f) => `${f.sha256}  ${f.path}`).join('\n');
    writeFileSync(join(work, 'SHA256SUMS'), `${sums}\n`);
    // An auditor without orglint can check the same hashes with coreutils.
    expect(execFileSync('sha256sum', ['--check', '--strict', join(work, 'SHA256SUMS')], { cwd: dir, encoding: 'utf8' })).toMatch(/report\.html: OK/);
  });

  it('names exactly the file that changed, went missing or was added', async () => {
    const dir = join(work, 'evidence');
    await writeEvidenceBundle(dir, buildEvidenceBundle(input()));
    const original = readFileSync(join(dir, 'report.html'));
    const expected = sha256(original);

    writeFileSync(join(dir, 'report.html'), Buffer.concat([original, Buffer.from('<!-- edited -->')]));
    const changed = await verifyEvidenceBundle(dir);
    expect(changed.ok).toBe(false);
    expect(changed.problems).toEqual([
      `report.html changed: its SHA-256 is ${sha256(readFileSync(join(dir, 'report.html')))} but the manifest says ${expected}.`,
    ]);
    writeFileSync(join(dir, 'report.html'), original);
    expect((await verifyEvidenceBundle(dir)).ok).toBe(true);

    const csv = readFileSync(join(dir, 'frameworks.csv'));
    rmSync(join(dir, 'frameworks.csv'));
    expect((await verifyEvidenceBundle(dir)).problems).toEqual([
      `frameworks.csv is missing: the manifest lists it with SHA-256 ${sha256(csv)}, but it is not in the bundle.`,
    ]);
    writeFileSync(join(dir, 'frameworks.csv'), csv);

    writeFileSync(join(dir, 'notes.txt'), 'added later');
    mkdirSync(join(dir, 'extra'));
    symlinkSync('report.html', join(dir, 'zz-link'));
    expect((await verifyEvidenceBundle(dir)).problems).toEqual([
      'extra is not in the manifest: this directory was added after the bundle was written; remove it or re-create the bundle.',
      'notes.txt is not in the manifest: this file was added after the bundle was written; remove it or re-create the bundle.',
      'zz-link is not in the manifest: this link was added after the bundle was written; remove it or re-create the bundle.',
    ]);
    rmSync(join(dir, 'notes.txt'));
    rmSync(join(dir, 'extra'), { recursive: true });
    rmSync(join(dir, 'zz-link'));

    rmSync(join(dir, 'waivers.json'));
    symlinkSync('coverage.json', join(dir, 'waivers.json'));
    expect((await verifyEvidenceBundle(dir)).problems).toEqual([
      'waivers.json is not a regular file (it is a directory or a link), but the manifest lists it as one.',
    ]);
  });

  it('reports a manifest that points outside the bundle instead of reading there', async () => {
    const dir = join(work, 'evidence');
    await writeEvidenceBundle(dir, buildEvidenceBundle(input()));
    const manifestPath = join(dir, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { files: { path: string; sha256: string; size: number }[] };
    manifest.files.push({ path: '../secret', sha256: '0'.repeat(64), size: 1 });
    writeFileSync(manifestPath, JSON.stringify(manifest));
    expect((await verifyEvidenceBundle(dir)).problems).toEqual([
      'manifest.json lists "../secret", which is not a file inside the bundle, so the manifest was altered.',
    ]);
  });

  it('refuses a directory with no manifest, a damaged manifest, a missing directory and a file', async () => {
    const empty = join(work, 'empty');
    mkdirSync(empty);
    const none = await rejectionOf(verifyEvidenceBundle(empty));
    expect(none.code).toBe('evidence-mismatch');
    expect(none.message).toBe(`${empty} has no manifest.json, so it is not an orglint evidence bundle or its manifest was removed; nothing in it can be verified.`);
    writeFileSync(join(empty, 'manifest.json'), '{"files": []}');
    expect((await rejectionOf(verifyEvidenceBundle(empty))).message).toBe(
      `${empty}/manifest.json is not an orglint evidence manifest (its "evidenceFormatVersion" is undefined, and this orglint reads 1), so the bundle cannot be verified; it was altered or not written by orglint.`,
    );
    expect((await rejectionOf(verifyEvidenceBundle(join(work, 'nope')))).code).toBe('file-not-found');
    writeFileSync(join(work, 'file'), 'x');
    expect((await rejectionOf(verifyEvidenceBundle(join(work, 'file')))).code).toBe('evidence-mismatch');
  });

  it('refuses to write into a directory that is not empty, and leaves it untouched', async () => {
    const dir = join(work, 'evidence');
    mkdirSync(dir);
    writeFileSync(join(dir, 'old.txt'), 'last month');
    const error = await rejectionOf(writeEvidenceBundle(dir, buildEvidenceBundle(input())));
    expect(error.code).toBe('output-exists');
    expect(error.message).toBe(`${dir} already exists and is not empty; give --output a new directory (evidence is never overwritten), or move the old one away first.`);
    expect(readdirSync(dir)).toEqual(['old.txt']);
    expect(readFileSync(join(dir, 'old.txt'), 'utf8')).toBe('last month');
    expect(readdirSync(work)).toEqual(['evidence']);

    writeFileSync(join(work, 'plain'), 'x');
    expect((await rejectionOf(writeEvidenceBundle(join(work, 'plain'), []))).code).toBe('output-exists');
  });

  it('writes into an existing empty directory', async () => {
    const dir = join(work, 'evidence');
    mkdirSync(dir);
    await writeEvidenceBundle(dir, buildEvidenceBundle(input()));
    expect((await verifyEvidenceBundle(dir)).ok).toBe(true);
    expect(readdirSync(work)).toEqual(['evidence']);
  });

  it('leaves no partial target directory and no staging directory when a write fails midway', async () => {
    const dir = join(work, 'evidence');
    // "b" is written as a file, so writing "b/c.txt" after it fails in the file system.
    const files: BundleFile[] = [
      { path: 'a.txt', content: 'first' },
      { path: 'b', content: 'second' },
      { path: 'b/c.txt', content: 'third' },
    ];
    await expect(writeEvidenceBundle(dir, files)).rejects.toThrow(/EEXIST|ENOTDIR/);
    expect(existsSync(dir)).toBe(false);
    expect(readdirSync(work)).toEqual([]);
  });
});
