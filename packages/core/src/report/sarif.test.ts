import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import type { RenderOptions, RuleSummary, ScanResult } from '../model.js';
import { artifactUri, renderSarif, SARIF_MAX_RESULTS, SARIF_MAX_TAGS, SECURITY_SEVERITY } from './sarif.js';
import { FIXTURE_RULES, makeDiff, makeLargeScanResult, makeScanResult, NASTY_NAME, withResults } from './test-fixture.js';

interface RegionSchema {
  properties: Record<string, unknown>;
  anyOf?: unknown;
}

/**
 * The codeql-action copy of the schema has the `region` object's `anyOf` (start line, char
 * offset or byte offset required) misplaced inside `properties`, which 2020-12 rejects as a
 * schema. Put back where the OASIS schema has it; after that the two copies agree on every
 * keyword but the dialect. The lenient validator GitHub uses never notices either way.
 */
function loadSarifSchema(): Record<string, unknown> {
  const loaded = JSON.parse(
    readFileSync(new URL('../../test-fixtures/schemas/sarif-schema-2.1.0.codeql-action.json', import.meta.url), 'utf8'),
  ) as { definitions: { region: RegionSchema } };
  const region = loaded.definitions.region;
  if (!Array.isArray(region.properties.anyOf) || region.anyOf !== undefined) {
    throw new Error('The SARIF schema copy changed: its region.properties.anyOf misplacement is gone; drop this repair.');
  }
  region.anyOf = region.properties.anyOf;
  delete region.properties.anyOf;
  return loaded as unknown as Record<string, unknown>;
}

const schema = loadSarifSchema();

let compiled: ValidateFunction | undefined;
function validator(): ValidateFunction {
  if (!compiled) {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    (addFormats as unknown as (a: Ajv2020) => void)(ajv);
    compiled = ajv.compile(schema);
  }
  return compiled;
}

function expectValid(document: unknown): void {
  const validate = validator();
  const ok = validate(document);
  expect(validate.errors ?? [], 'SARIF schema errors').toEqual([]);
  expect(ok).toBe(true);
}

const BASE = '/repo';
const options = (extra: Partial<RenderOptions> = {}): RenderOptions => ({
  color: false,
  includePasses: false,
  baseDir: BASE,
  ...extra,
});

/** The fixture with its files under the repository at /repo, so URIs do not depend on the cwd. */
function scanUnderRepo(overrides: Partial<ScanResult> = {}): ScanResult {
  const base = makeScanResult(overrides);
  const at = <T extends { file: string }>(l: T): T => ({ ...l, file: join(BASE, l.file) });
  return {
    ...withResults(base, base.results.map((r) => (r.location ? { ...r, location: at(r.location) } : r))),
    rules: base.rules.map((r) => ({ ...r, policyLocation: at(r.policyLocation) })),
    waivers: base.waivers.map((w) => ({ ...w, location: at(w.location) })),
  };
}

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  kind: string;
  level: string;
  message: { text: string };
  locations: {
    physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn?: number } };
    logicalLocations: { fullyQualifiedName: string; kind: string; parentIndex: number; name: string }[];
  }[];
  partialFingerprints: Record<string, string>;
  suppressions?: { kind: string; status: string; justification: string; location?: unknown; properties: Record<string, unknown> }[];
  properties: Record<string, unknown>;
}
interface SarifLog {
  $schema: string;
  version: string;
  runs: {
    tool: { driver: { name: string; version: string; semanticVersion?: string; informationUri: string; rules: Record<string, any>[] } };
    automationDetails: { id: string };
    invocations: Record<string, any>[];
    logicalLocations: { fullyQualifiedName: string; parentIndex?: number; kind: string; name: string }[];
    results: SarifResult[];
    properties: Record<string, any>;
  }[];
}

function render(scan: ScanResult, extra: Partial<RenderOptions> = {}): SarifLog {
  return JSON.parse(renderSarif(scan, options(extra))) as SarifLog;
}

describe('renderSarif: schema', () => {
  it('is valid against the SARIF 2.1.0 schema GitHub uploads are checked with, in every option combination', () => {
    const scan = scanUnderRepo();
    for (const includePasses of [false, true]) {
      for (const diff of [undefined, makeDiff(scan)]) {
        expectValid(JSON.parse(renderSarif(scan, options({ includePasses, diff }))));
      }
    }
  });

  it('stays valid for a clean scan with no results at all', () => {
    const log = render(scanUnderRepo({ results: [], coverageGaps: [], waivers: [] }));
    expectValid(log);
    expect(log.runs[0]!.results).toEqual([]);
    expect(log.runs[0]!.tool.driver.rules).toHaveLength(FIXTURE_RULES.length);
  });

  it('rejects broken documents, so the validator is known to bite', () => {
    const validate = validator();
    const good = render(scanUnderRepo());
    const broken: ((log: any) => void)[] = [
      (log) => delete log.runs[0].tool,
      (log) => delete log.runs[0].tool.driver.name,
      (log) => delete log.runs[0].results[0].message,
      (log) => (log.runs[0].results[0].level = 'fatal'),
      (log) => (log.runs[0].results[0].kind = 'failed'),
      (log) => (log.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0),
      (log) => (log.runs[0].results[0].locations[0].physicalLocation.region = { startColumn: 3 }),
      (log) => (log.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri = 'has space.tf'),
      (log) => (log.runs[0].results[0].suppressions = [{ status: 'accepted' }]),
      (log) => (log.version = '2.0.0'),
    ];
    for (const breakIt of broken) {
      const copy = structuredClone(good);
      breakIt(copy);
      expect(validate(copy), breakIt.toString()).toBe(false);
    }
    expect(validate(structuredClone(good))).toBe(true);
  });
});

describe('renderSarif: GitHub code scanning', () => {
  it('declares the log, one run and the orglint driver', () => {
    const log = render(scanUnderRepo());
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    const driver = log.runs[0]!.tool.driver;
    expect(driver).toMatchObject({ name: 'orglint', version: '0.1.0', semanticVersion: '0.1.0' });
    expect(driver.informationUri).toMatch(/^https:\/\//);
    expect(log.runs[0]!.automationDetails.id).toBe('orglint/live/');
    expect(log.runs[0]!.invocations).toHaveLength(1);
    expect(log.runs[0]!.invocations[0]).toMatchObject({ executionSuccessful: true, endTimeUtc: '2025-06-01T03:00:00.000Z' });
  });

  it('describes every rule of the scan, with the texts and properties GitHub reads', () => {
    const log = render(scanUnderRepo());
    const rules = log.runs[0]!.tool.driver.rules;
    expect(rules.map((r) => r.id)).toEqual(FIXTURE_RULES.map((r) => r.id));
    for (const [i, descriptor] of rules.entries()) {
      const rule = FIXTURE_RULES[i]!;
      expect(descriptor.name.length).toBeLessThanOrEqual(255);
      expect(descriptor.shortDescription.text).toBe(rule.title);
      expect(descriptor.fullDescription.text).toBe(rule.rationale);
      expect(descriptor.help.text).toContain(rule.remediation);
      expect(descriptor.help.markdown).toContain(rule.remediation);
      expect(descriptor.properties.tags).toContain('security');
      expect(descriptor.properties.tags.length).toBeLessThanOrEqual(SARIF_MAX_TAGS);
      expect(typeof descriptor.properties['security-severity']).toBe('string');
      expect(descriptor.properties['security-severity']).toBe(SECURITY_SEVERITY[rule.severity]);
      expect(descriptor.properties.precision).toBe('high');
    }
    const byId = Object.fromEntries(rules.map((r) => [r.id, r]));
    expect(byId['root-hardware-mfa']!.defaultConfiguration.level).toBe('error');
    expect(byId['rds-backup-retention']!.defaultConfiguration.level).toBe('error');
    expect(byId['s3-public-access-block']!.defaultConfiguration.level).toBe('warning');
    expect(byId['kms-key-rotation']!.defaultConfiguration.level).toBe('note');
    expect(byId['budget-exists']!.defaultConfiguration.level).toBe('note');
    expect(byId['root-hardware-mfa']!.properties.tags).toEqual(
      expect.arrayContaining(['cis-aws', 'nist-800-53', 'external/cis-aws/1.6', 'external/nist-800-53/IA-2(1)']),
    );
    expect(byId['root-hardware-mfa']!.help.markdown).toContain('| CIS AWS Foundations Benchmark v3.0 | 1.6 |');
  });

  it('maps security severities into the bands GitHub reads them in', () => {
    const band = (score: string): string => {
      const n = Number(score);
      return n > 9 ? 'critical' : n >= 7 ? 'high' : n >= 4 ? 'medium' : n > 0 ? 'low' : 'none';
    };
    expect(band(SECURITY_SEVERITY.critical)).toBe('critical');
    expect(band(SECURITY_SEVERITY.high)).toBe('high');
    expect(band(SECURITY_SEVERITY.medium)).toBe('medium');
    expect(band(SECURITY_SEVERITY.low)).toBe('low');
    expect(band(SECURITY_SEVERITY.info)).toBe('low');
  });

  it('keeps at most 20 tags on a rule and never empty descriptions', () => {
    const controls = Array.from({ length: 30 }, (_, i) => `C-${i}`);
    const crowded: RuleSummary = { ...FIXTURE_RULES[0]!, rationale: '', frameworks: { 'nist-800-53': controls } };
    const log = render(scanUnderRepo({ rules: [crowded, ...FIXTURE_RULES.slice(1)] }));
    expectValid(log);
    const descriptor = log.runs[0]!.tool.driver.rules[0]!;
    expect(descriptor.properties.tags).toHaveLength(SARIF_MAX_TAGS);
    expect(descriptor.fullDescription.text).toBe(crowded.title);
  });

  it('gives every result a physical location with a relative URI and a start line', () => {
    const scan = scanUnderRepo();
    const log = render(scan, { includePasses: true });
    expect(log.runs[0]!.results.length).toBeGreaterThan(0);
    for (const result of log.runs[0]!.results) {
      expect(result.locations).toHaveLength(1);
      const physical = result.locations[0]!.physicalLocation;
      expect(physical.artifactLocation.uri).not.toMatch(/^[a-z][a-z0-9+.-]*:|^\/|\\/i);
      expect(physical.region.startLine).toBeGreaterThanOrEqual(1);
    }
    const planned = log.runs[0]!.results.find((r) => r.properties.resourceId === 'arn:aws:rds:eu-west-1:111111111111:db:orders-db')!;
    expect(planned.locations[0]!.physicalLocation).toEqual({
      artifactLocation: { uri: 'infra/terraform/rds.tf' },
      region: { startLine: 12, startColumn: 1 },
    });
    expect(planned.properties.address).toBe('module.db.aws_db_instance.orders');
    const live = log.runs[0]!.results.find((r) => r.ruleId === 'root-hardware-mfa')!;
    expect(live.locations[0]!.physicalLocation).toEqual({
      artifactLocation: { uri: 'rules.yaml' },
      region: { startLine: 14, startColumn: 5 },
    });
  });

  it('makes artifact URIs relative to the base directory, with forward slashes and percent-encoding', () => {
    expect(artifactUri('/repo/infra/main.tf', '/repo')).toBe('infra/main.tf');
    expect(artifactUri('/repo/policies/custom rules.yaml', '/repo')).toBe('policies/custom%20rules.yaml');
    expect(artifactUri('/repo/a/#b.tf', '/repo/')).toBe('a/%23b.tf');
    expect(artifactUri('/elsewhere/rules.yaml', '/repo')).toBe('../elsewhere/rules.yaml');
    expect(artifactUri('rules.yaml', process.cwd())).toBe('rules.yaml');
  });

  it('identifies each resource by rule + resource fingerprints that are stable and distinct', () => {
    const scan = scanUnderRepo();
    const first = render(scan, { includePasses: true }).runs[0]!.results;
    const second = render(structuredClone(scan), { includePasses: true }).runs[0]!.results;
    expect(second.map((r) => r.partialFingerprints)).toEqual(first.map((r) => r.partialFingerprints));
    const hashes = first.map((r) => r.partialFingerprints.primaryLocationLineHash);
    expect(new Set(hashes).size).toBe(hashes.length);
    for (const r of first) {
      expect(r.partialFingerprints['orglint/v1']).toBe(r.partialFingerprints.primaryLocationLineHash);
    }
    const emitted = scan.results.filter((r) => r.status !== 'not-applicable');
    expect(first.map((r) => r.partialFingerprints.primaryLocationLineHash)).toEqual(emitted.map((r) => r.fingerprint));
  });

  it('writes passes only with includePasses and not-applicable results never', () => {
    const scan = scanUnderRepo();
    const without = render(scan).runs[0]!.results;
    const withPasses = render(scan, { includePasses: true }).runs[0]!.results;
    expect(without.some((r) => r.kind === 'pass')).toBe(false);
    expect(withPasses.filter((r) => r.kind === 'pass')).toHaveLength(scan.summary.byStatus.pass);
    for (const r of withPasses.filter((x) => x.kind === 'pass')) expect(r.level).toBe('none');
    expect([...without, ...withPasses].some((r) => r.properties.status === 'not-applicable')).toBe(false);
    expect(without).toHaveLength(scan.results.filter((r) => ['fail', 'error', 'waived'].includes(r.status)).length);
  });

  it('maps statuses to kinds and levels: fail, could-not-evaluate as open, waived as an accepted suppression', () => {
    const results = render(scanUnderRepo()).runs[0]!.results;
    const byResource = (id: string): SarifResult => results.find((r) => r.properties.resourceId === id)!;

    const critical = byResource('arn:aws:iam::111111111111:root');
    expect(critical).toMatchObject({ kind: 'fail', level: 'error', ruleId: 'root-hardware-mfa' });
    expect(critical.suppressions).toBeUndefined();
    expect(critical.properties).toMatchObject({
      account: '111111111111',
      accountName: 'Production',
      region: 'global',
      environment: 'prod',
      resourceType: 'aws.iam.root',
      status: 'fail',
      evidence: { path: 'properties.mfaDevices', actual: [], expected: 'a hardware MFA device' },
    });

    const medium = byResource(`arn:aws:s3:::${NASTY_NAME}`);
    expect(medium).toMatchObject({ kind: 'fail', level: 'warning' });

    const error = byResource('222222222222');
    expect(error.kind).toBe('open');
    // SARIF allows a level other than "none" only with kind "fail".
    expect(error.level).toBe('none');
    expect(error.message.text).toContain('could not be evaluated');

    const waived = byResource('arn:aws:iam::222222222222:root');
    expect(waived.kind).toBe('fail');
    expect(waived.suppressions).toEqual([
      {
        kind: 'external',
        status: 'accepted',
        justification: 'Sandbox root is break-glass only; the key is in the safe <room 2>.',
        location: { physicalLocation: { artifactLocation: { uri: 'rules.yaml' }, region: { startLine: 60, startColumn: 5 } } },
        properties: { waiver: 0, owner: 'platform-team', approver: 'ciso@example.com', expires: '2025-06-10' },
      },
    ]);

    const expired = byResource('arn:aws:rds:eu-west-1:111111111111:db:legacy-db');
    expect(expired).toMatchObject({ kind: 'fail', level: 'error' });
    expect(expired.suppressions).toBeUndefined();
    expect(expired.message.text).toContain('expired on 2025-05-01');
    expect(expired.properties.waiver).toMatchObject({ index: 1, expired: true, expires: '2025-05-01' });
  });

  it('suppresses a waived result even when its waiver details are missing', () => {
    const scan = scanUnderRepo();
    const bare = scan.results.map((r) => (r.status === 'waived' ? { ...r, waiver: undefined } : r));
    const waived = render(withResults(scan, bare)).runs[0]!.results.find((r) => r.properties.status === 'waived')!;
    expect(waived.suppressions).toEqual([{ kind: 'external', status: 'accepted', justification: 'Waived by the policy.' }]);
  });

  it('puts ruleId and a ruleIndex that points at that rule on every result', () => {
    const log = render(scanUnderRepo(), { includePasses: true });
    const rules = log.runs[0]!.tool.driver.rules;
    for (const r of log.runs[0]!.results) expect(rules[r.ruleIndex]!.id).toBe(r.ruleId);
  });

  it('starts each message with a self-contained sentence naming the resource and where it is', () => {
    const results = render(scanUnderRepo()).runs[0]!.results;
    const orders = results.find((r) => r.properties.resourceId === 'arn:aws:rds:eu-west-1:111111111111:db:orders-db')!;
    expect(orders.message.text).toBe(
      'orders-db (aws.rds.instance in Production (111111111111), eu-west-1): Backups of orders-db are kept 1 day; prod requires 7.',
    );
  });

  it('places each resource under its account and region in run.logicalLocations', () => {
    const run = render(scanUnderRepo(), { includePasses: true }).runs[0]!;
    const table = run.logicalLocations;
    for (const r of run.results) {
      const resource = r.locations[0]!.logicalLocations[0]!;
      expect(resource.kind).toBe('resource');
      expect(resource.fullyQualifiedName).toBe(r.properties.resourceArn ?? r.properties.resourceId);
      const region = table[resource.parentIndex]!;
      expect(region.fullyQualifiedName).toBe(`${r.properties.account}/${r.properties.region}`);
      const account = table[region.parentIndex!]!;
      expect(account.fullyQualifiedName).toBe(r.properties.account);
      expect(account.parentIndex).toBeUndefined();
    }
    expect(table.find((l) => l.fullyQualifiedName === '222222222222')!.name).toBe('Sandbox <dev> & "test"');
  });

  it('reports coverage gaps and expired or unused waivers as notifications, and the diff in properties', () => {
    const scan = scanUnderRepo();
    const run = render(scan, { diff: makeDiff(scan) }).runs[0]!;
    const invocation = run.invocations[0]!;
    expect(invocation.toolExecutionNotifications).toHaveLength(2);
    expect(invocation.toolExecutionNotifications[0].message.text).toContain('rds service was not collected in account 222222222222');
    expect(invocation.toolConfigurationNotifications.map((n: any) => n.descriptor.id)).toEqual(['waiver-expired', 'waiver-unused']);
    expect(invocation.toolConfigurationNotifications[0].locations[0].physicalLocation.region.startLine).toBe(66);
    expect(run.properties.baseline).toEqual({
      file: 'reports/last-night.json',
      generatedAt: '2025-05-31T03:00:00.000Z',
      new: 1,
      persisting: 5,
      resolved: 1,
    });
    expect(run.results.filter((r) => r.properties.baseline === 'new')).toHaveLength(1);
    expect(run.properties.truncation).toBeUndefined();
  });

  it('keeps raw estate data out: extra estate source fields are not copied', () => {
    const scan = scanUnderRepo();
    const leaky = { ...scan, estate: { ...scan.estate, source: { ...scan.estate.source, profile: 'AKIAIOSFODNN7EXAMPLE' } } };
    expect(renderSarif(leaky, options())).not.toContain('AKIAIOSFODNN7EXAMPLE');
  });

  it('is byte-identical for the same input', () => {
    const scan = scanUnderRepo();
    const opts = options({ includePasses: true, diff: makeDiff(scan) });
    expect(renderSarif(structuredClone(scan), opts)).toBe(renderSarif(scan, opts));
  });
});

describe('renderSarif: the 25,000-result limit', () => {
  it('keeps failures and errors, most severe first, when the run would exceed the limit', () => {
    // 30,000 results: every 7th a pass (excluded without includePasses), so 25,714 fail or error.
    const scan = makeLargeScanResult(30_000);
    const candidates = scan.results.filter((r) => r.status !== 'pass');
    expect(candidates.length).toBeGreaterThan(SARIF_MAX_RESULTS);
    const text = renderSarif(scan, options({ baseDir: process.cwd() }));
    const log = JSON.parse(text) as SarifLog;
    const run = log.runs[0]!;
    expect(run.results).toHaveLength(SARIF_MAX_RESULTS);
    const omitted = candidates.length - SARIF_MAX_RESULTS;
    expect(run.properties.truncation).toEqual({
      limit: SARIF_MAX_RESULTS,
      total: candidates.length,
      omitted,
      omittedByStatus: expect.objectContaining({ pass: 0 }),
    });
    // Only the least severe rule (kms-key-rotation, low) lost results.
    const kept = new Set(run.results.map((r) => r.partialFingerprints['orglint/v1']));
    const dropped = candidates.filter((r) => !kept.has(r.fingerprint));
    expect(dropped).toHaveLength(omitted);
    expect(new Set(dropped.map((r) => r.severity))).toEqual(new Set(['low']));
    // What is kept stays in the scan's order.
    const order = new Map(scan.results.map((r, i) => [r.fingerprint, i]));
    const positions = run.results.map((r) => order.get(r.partialFingerprints['orglint/v1']!)!);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expectValid(log);
  });

  it('drops passes before any failure', () => {
    const scan = makeLargeScanResult(26_000);
    const run = render(scan, { includePasses: true, baseDir: process.cwd() }).runs[0]!;
    expect(run.results).toHaveLength(SARIF_MAX_RESULTS);
    expect(run.properties.truncation.omittedByStatus).toMatchObject({ fail: 0, error: 0, pass: 1000 });
  });

  it('does not truncate at exactly the limit', () => {
    const scan = makeLargeScanResult(SARIF_MAX_RESULTS);
    const run = render(scan, { includePasses: true, baseDir: process.cwd() }).runs[0]!;
    expect(run.results).toHaveLength(SARIF_MAX_RESULTS);
    expect(run.properties.truncation).toBeUndefined();
  });
});
