import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPolicy, parsePolicy } from './load-policy.js';
import { resolveRules } from './resolve.js';
import { thrownBy } from '../testing/errors.js';

const GOOD = `version: 1
environments:
  production:
    accounts: { names: [prod] }
    parameters: { backupRetentionDays: 35 }
`;

describe('parsePolicy', () => {
  it('loads a valid policy with its hash and environments', () => {
    const p = parsePolicy(GOOD, 'rules.yaml');
    expect(p.environments).toEqual([{ name: 'production', accounts: { names: ['prod'] }, parameters: { backupRetentionDays: 35 } }]);
    expect(p.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(p.catalogue).toBe('all');
  });

  it.each([
    ['version: 1\nenvironments: {}\n', 'rules.yaml:2:'],
    ['version: 2\nenvironments: { p: { accounts: { ids: ["111111111111"] } } }\n', 'rules.yaml:1:'],
    [`${GOOD}rules:\n  backup-retention: hgh\n`, 'rules.yaml:7:3'],
    [`${GOOD}waivers:\n  - rule: x\n    resource: y\n    expires: "2027-01-01"\n`, 'lacks the required field "reason"'],
    [`${GOOD}waivers:\n  - rule: x\n    resource: y\n    reason: a long enough reason\n`, 'lacks the required field "expires"'],
    [`${GOOD}bogus: 1\n`, 'unknown field "bogus"'],
    ['version: 1\n  environments: [\n', 'not valid YAML'],
    [`${GOOD}environments:\n  x: {}\n`, 'not valid YAML'],
  ])('refuses %j with a positioned sentence', (text, fragment) => {
    const e = thrownBy(() => parsePolicy(text, 'rules.yaml'));
    expect(e.message).toContain(fragment);
    expect(e.message.startsWith('rules.yaml')).toBe(true);
  });

  it('refuses a waiver date that is no date', () => {
    const e = thrownBy(() => parsePolicy(`${GOOD}waivers:\n  - rule: x\n    resource: y\n    reason: a long enough reason\n    expires: "2027-13-45"\n`, 'rules.yaml'));
    expect(e.code).toBe('invalid-waiver');
    expect(e.message).toContain('rules.yaml:10:');
  });

  it('refuses an alias bomb before it expands', () => {
    const bomb = `${GOOD}name: &a ["x","x","x","x","x","x","x","x","x"]\n` + Array.from({ length: 12 }, (_, i) => `x${i}: &b${i} [*${i === 0 ? 'a' : `b${i - 1}`},*${i === 0 ? 'a' : `b${i - 1}`},*${i === 0 ? 'a' : `b${i - 1}`},*${i === 0 ? 'a' : `b${i - 1}`}]`).join('\n');
    expect(thrownBy(() => parsePolicy(bomb, 'rules.yaml')).code).toBe('invalid-yaml');
  });

  it('keeps __proto__ keys as data', () => {
    const p = parsePolicy(`version: 1\nenvironments:\n  production:\n    accounts: { tags: { __proto__: polluted } }\n`, 'rules.yaml');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.hasOwn(p.environments[0]?.accounts.tags ?? {}, '__proto__')).toBe(true);
  });

  it('names a missing file and a directory', () => {
    expect(thrownBy(() => loadPolicy('/nonexistent/rules.yaml')).message).toBe('/nonexistent/rules.yaml does not exist; check the path of the policy file.');
    const dir = mkdtempSync(join(tmpdir(), 'orglint-'));
    expect(thrownBy(() => loadPolicy(dir)).message).toContain('is a directory');
  });
});

describe('resolveRules', () => {
  const catalogue = [
    {
      definition: {
        id: 'backup-retention',
        title: 'Backups are kept long enough',
        severity: 'high' as const,
        rationale: 'Backups are the way back from loss of data.',
        remediation: 'Raise the retention.',
        resources: ['aws.rds.instance'],
        parameters: { minimum: { description: 'd', default: 7 } },
        assert: { path: 'resource.properties.backupRetentionDays', gte: { ref: 'params.minimum' } },
        messages: { short: 'too short' },
      },
      origin: 'builtin',
      file: 'catalogue/backup-retention.yaml',
      line: 1,
    },
  ];

  it('re-levels and parameterises a rule, pointing at the policy line', () => {
    const p = parsePolicy(`${GOOD}rules:\n  backup-retention:\n    severity: critical\n    parameters: { minimum: 14 }\n`, 'rules.yaml');
    const [rule] = resolveRules(p, catalogue);
    expect(rule?.severity).toBe('critical');
    expect(rule?.params).toEqual({ minimum: 14 });
    expect(rule?.policyLocation).toEqual({ file: 'rules.yaml', line: 7, column: 3 });
  });

  it.each([
    [`${GOOD}rules:\n  backup-retension: high\n`, 'rules.yaml:7:3: "backup-retension" is not a rule orglint knows (did you mean "backup-retention"?)'],
    [`${GOOD}rules:\n  backup-retention: { parameters: { minimun: 3 } }\n`, 'has no parameter "minimun"'],
    [`${GOOD}rules:\n  backup-retention: { environments: [prod] }\n`, 'which the policy does not define'],
  ])('refuses %j', (text, fragment) => {
    expect(thrownBy(() => resolveRules(parsePolicy(text, 'rules.yaml'), catalogue)).message).toContain(fragment);
  });

  it('refuses a custom rule with an unknown resource type or a clashing id', () => {
    const custom = (id: string, type: string) =>
      `${GOOD}customRules:\n  - id: ${id}\n    title: Custom rule title here\n    severity: low\n    rationale: A rationale that is long enough.\n    remediation: Fix it somehow.\n    resources: [${type}]\n    assert: { path: resource.id, exists: true }\n    messages: { bad: bad }\n`;
    expect(thrownBy(() => resolveRules(parsePolicy(custom('mine', 'aws.rds.db'), 'rules.yaml'), catalogue)).code).toBe('unknown-resource-type');
    expect(thrownBy(() => resolveRules(parsePolicy(custom('backup-retention', 'aws.rds.instance'), 'rules.yaml'), catalogue)).code).toBe('duplicate-id');
    expect(resolveRules(parsePolicy(custom('mine', 'aws.rds.instance'), 'rules.yaml'), catalogue).map((r) => r.definition.id)).toEqual(['backup-retention', 'mine']);
  });
});
