import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { estateSchema } from '../estate/load-estate.js';
import { policySchema, ruleSchema } from './schema.js';
import { estateValidatorSource, generatedValidators, policyValidatorsSource } from './validator-sources.js';

const generated = generatedValidators();

describe('the precompiled validators', () => {
  it.each(generated.map((g) => [g.path, g.source]))('%s is what its schema compiles to today (run pnpm gen:validators after changing a schema)', (path, source) => {
    const committed = readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
    expect(committed === source, `packages/core/${path} is stale: run pnpm gen:validators`).toBe(true);
  });

  it('are all the generated modules there are', () => {
    const files = readdirSync(new URL('../../generated/', import.meta.url)).filter((f) => f.endsWith('.js'));
    expect(files.map((f) => `generated/${f}`).sort()).toEqual(generated.map((g) => g.path).sort());
  });
});

describe('the validator generator', () => {
  const withResource = (change: (resource: Record<string, unknown>) => void): Record<string, unknown> => {
    const schema = structuredClone(estateSchema) as { $defs: { resource: Record<string, unknown> } };
    change(schema.$defs.resource);
    return schema;
  };

  it('refuses an estate keyword not checked to mean the same in draft-07', () => {
    expect(() => estateValidatorSource(withResource((r) => (r.unevaluatedProperties = false)))).toThrow('the estate schema now uses "unevaluatedProperties"');
  });

  it('refuses an estate string length that .length would count differently', () => {
    expect(() => estateValidatorSource(withResource((r) => (r.properties = { ...(r.properties as object), name: { type: 'string', maxLength: 1 } })))).toThrow('ucs2length');
    expect(() => estateValidatorSource(withResource((r) => (r.properties = { ...(r.properties as object), name: { type: 'string', minLength: 2 } })))).toThrow('ucs2length');
  });

  it('refuses a runtime helper it does not inline, such as a format', () => {
    const rule = structuredClone(ruleSchema) as { $defs: { rule: { properties: Record<string, unknown> } } };
    rule.$defs.rule.properties.id = { type: 'string', format: 'date' };
    expect(() => policyValidatorsSource(policySchema, rule)).toThrow('require("ajv-formats/dist/formats")');
  });
});
