import type { ValidateFunction } from 'ajv/dist/2020.js';
import { readFileSync } from 'node:fs';
import { policy, rule } from '../../generated/policy-validators.js';

function readSchema(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../../schemas/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;
}

/** The published policy and rule JSON Schemas. */
export const policySchema = readSchema('policy.schema.json');
export const ruleSchema = readSchema('rule.schema.json');

/** The validator of the policy or the rule schema, precompiled by ajv (see validator-sources.ts). */
export function schemaValidator(which: 'policy' | 'rule'): ValidateFunction {
  return which === 'policy' ? policy : rule;
}
