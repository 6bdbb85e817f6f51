import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';

function readSchema(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../../schemas/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;
}

/** The published policy and rule JSON Schemas. */
export const policySchema = readSchema('policy.schema.json');
export const ruleSchema = readSchema('rule.schema.json');

let ajv: Ajv2020 | undefined;
const compiled = new Map<string, ValidateFunction>();

/** One ajv instance for the policy and rule schemas (the policy schema references the rule schema). */
export function schemaValidator(which: 'policy' | 'rule'): ValidateFunction {
  let v = compiled.get(which);
  if (!v) {
    if (!ajv) {
      ajv = new Ajv2020({ allErrors: true, strict: false });
      (addFormats as unknown as (a: Ajv2020) => void)(ajv);
      ajv.addSchema(ruleSchema);
    }
    v = which === 'rule' ? (ajv.getSchema(ruleSchema.$id as string) as ValidateFunction) : ajv.compile(policySchema);
    compiled.set(which, v);
  }
  return v;
}
