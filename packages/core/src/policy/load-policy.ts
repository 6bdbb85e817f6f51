import { createHash } from 'node:crypto';
import { OrglintError } from '../errors.js';
import { describeSchemaError, pickError } from '../estate/load-estate.js';
import { readInputFile } from '../io/read-input.js';
import { schemaValidator } from '../io/schema.js';
import { parseYaml, pointerToKeys, type YamlSource } from '../io/yaml.js';
import type { FrameworkId, Severity } from '../model.js';
import type { LoadedRule, RuleDefinition } from '../rules/types.js';
import type { AccountSelector, Policy, RuleSetting, SpecialAccount, Waiver } from './types.js';

/** Reads and validates a policy file (`rules.yaml`). */
export function loadPolicy(file: string): Policy {
  return parsePolicy(readInputFile(file, 'policy'), file);
}

/** Validates policy text against the published schema; every error names `file:line:column`. */
export function parsePolicy(text: string, file: string): Policy {
  const source = parseYaml(text, file, 'policy');
  const doc = source.value;
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new OrglintError('schema-violation', `${file}:1:1: the policy must be a YAML mapping with at least "version: 1" and "environments"; see rules.yaml in the repository root for an example.`);
  }
  const validate = schemaValidator('policy');
  if (!validate(doc)) throw schemaError(source, validate.errors ?? []);
  const raw = doc as Record<string, unknown>;

  const environments = Object.entries((raw.environments ?? {}) as Record<string, { description?: string; accounts: AccountSelector; parameters?: Record<string, unknown> }>).map(
    ([name, env]) => ({
      name,
      ...(env.description === undefined ? {} : { description: env.description }),
      accounts: env.accounts,
      parameters: env.parameters ?? {},
    }),
  );

  const rules: Record<string, RuleSetting> = {};
  for (const [id, setting] of Object.entries((raw.rules ?? {}) as Record<string, unknown>)) {
    rules[id] = normaliseSetting(setting);
  }

  const customRules: LoadedRule[] = ((raw.customRules ?? []) as RuleDefinition[]).map((definition, i) => ({
    definition,
    origin: file,
    file,
    line: source.locate(['customRules', i]).line,
  }));
  const seen = new Set<string>();
  customRules.forEach((rule, i) => {
    if (seen.has(rule.definition.id)) {
      const at = source.locate(['customRules', i, 'id']);
      throw new OrglintError('duplicate-id', `${file}:${at.line}:${at.column}: the custom rule id "${rule.definition.id}" is used twice; give each rule its own id.`, {
        position: { file, ...at },
      });
    }
    seen.add(rule.definition.id);
  });

  const waivers: Waiver[] = ((raw.waivers ?? []) as Omit<Waiver, 'index'>[]).map((w, index) => {
    if (Number.isNaN(Date.parse(`${w.expires}T00:00:00Z`))) {
      const at = source.locate(['waivers', index, 'expires']);
      throw new OrglintError('invalid-waiver', `${file}:${at.line}:${at.column}: waiver ${index + 1} expires on "${w.expires}", which is not a calendar date; write it as YYYY-MM-DD.`, {
        position: { file, ...at },
      });
    }
    return { index, ...w };
  });

  return {
    file,
    sha256: createHash('sha256').update(text).digest('hex'),
    text,
    ...(typeof raw.name === 'string' ? { name: raw.name } : {}),
    accounts: (raw.accounts ?? {}) as Partial<Record<SpecialAccount, string>>,
    environments,
    catalogue: (raw.catalogue ?? 'all') as Policy['catalogue'],
    rules,
    customRules,
    waivers,
    locate: (path) => source.locate(path),
  };
}

function normaliseSetting(setting: unknown): RuleSetting {
  if (setting === 'off') return { enabled: false };
  if (setting === 'on') return { enabled: true };
  if (typeof setting === 'string') return { enabled: true, severity: setting as Severity };
  const s = setting as { enabled?: boolean; severity?: Severity; environments?: string[]; parameters?: Record<string, unknown> };
  return {
    enabled: s.enabled ?? true,
    ...(s.severity ? { severity: s.severity } : {}),
    ...(s.environments ? { environments: s.environments } : {}),
    ...(s.parameters ? { parameters: s.parameters } : {}),
  };
}

function schemaError(source: YamlSource, errors: Parameters<typeof describeSchemaError>[0]): OrglintError {
  const error = pickError(errors);
  const at = source.locate(pointerToKeys(error?.instancePath ?? ''));
  const sentence = describeSchemaError(error ? [error] : [], source.value);
  return new OrglintError('schema-violation', `${source.file}:${at.line}:${at.column}: ${sentence}`, { position: { file: source.file, ...at } });
}

/** Validates one rule document (catalogue file or custom rule) against the rule schema. */
export function validateRuleDocument(source: YamlSource, keys: readonly (string | number)[] = []): RuleDefinition {
  let value: unknown = source.value;
  for (const k of keys) value = (value as Record<string | number, unknown>)[k];
  const validate = schemaValidator('rule');
  if (!validate(value)) {
    const error = pickError(validate.errors ?? []);
    const at = source.locate([...keys, ...pointerToKeys(error?.instancePath ?? '')]);
    throw new OrglintError('invalid-rule', `${source.file}:${at.line}:${at.column}: ${describeSchemaError(error ? [error] : [], value)}`, {
      position: { file: source.file, ...at },
    });
  }
  return value as RuleDefinition;
}

export type { FrameworkId };
