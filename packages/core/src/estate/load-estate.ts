import { readFileSync } from 'node:fs';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { OrglintError } from '../errors.js';
import { parseJsonText, readInputFile } from '../io/read-input.js';
import { deriveFacts } from './derive.js';
import { validate as generatedValidate } from '../../generated/estate-validator.js';
import { ESTATE_SCHEMA_VERSION, type Estate, type Resource } from './types.js';

/** The estate JSON Schema, as published in `schemas/estate.schema.json`. */
export const estateSchema: Record<string, unknown> = JSON.parse(
  readFileSync(new URL('../../schemas/estate.schema.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

/** The estate validator, precompiled from the schema (see io/validator-sources.ts). */
const estateValidator = generatedValidate as unknown as ValidateFunction;

/** Reads, validates and derives an estate file. */
export function loadEstate(file: string): Estate {
  const text = readInputFile(file, 'estate');
  return parseEstate(parseJsonText(text, file, 'estate'), file);
}

/** Validates an already parsed estate document against the schema and derives its facts. */
export function parseEstate(document: unknown, file: string): Estate {
  if (document === null || typeof document !== 'object' || Array.isArray(document)) {
    throw new OrglintError('schema-violation', `${file} is not an estate: expected a JSON object with schemaVersion, organization, accounts, resources and coverage.`);
  }
  const version = (document as { schemaVersion?: unknown }).schemaVersion;
  if (version !== ESTATE_SCHEMA_VERSION) {
    throw new OrglintError(
      'unsupported-version',
      `${file}: schemaVersion is ${JSON.stringify(version)}, but this orglint reads estate schemaVersion ${ESTATE_SCHEMA_VERSION}; produce the file again with \`orglint collect\` from this version.`,
    );
  }
  const validate = estateValidator;
  if (!validate(document)) {
    throw new OrglintError('schema-violation', `${file}: ${describeSchemaError(validate.errors ?? [], document)}`, {
      position: { file },
    });
  }
  const estate = document as Estate;
  checkUnique(estate, file);
  deriveFacts(estate);
  return estate;
}

function checkUnique(estate: Estate, file: string): void {
  const accounts = new Set<string>();
  estate.accounts.forEach((account, i) => {
    if (accounts.has(account.id)) {
      throw new OrglintError('duplicate-id', `${file}: accounts[${i}] repeats account id ${account.id}; list each account once.`);
    }
    accounts.add(account.id);
  });
  const list = estate.resources;
  const duplicate = (i: number): never => {
    const r = list[i] as Resource;
    throw new OrglintError('duplicate-id', `${file}: resources[${i}] repeats the ${r.type} ${r.id}; list each resource once.`);
  };
  // Collected estates are in (type, id) order, where a repeat can only be a neighbour.
  let sorted = true;
  for (let i = 1; i < list.length; i++) {
    const a = list[i - 1] as Resource;
    const b = list[i] as Resource;
    if (a.type < b.type || (a.type === b.type && a.id < b.id)) continue;
    if (a.type === b.type && a.id === b.id) duplicate(i);
    sorted = false;
    break;
  }
  if (sorted) return;
  const seen = new Set<string>();
  list.forEach((resource, i) => {
    const key = `${resource.type}\u0000${resource.id}`;
    if (seen.has(key)) duplicate(i);
    seen.add(key);
  });
}

/** One sentence from ajv's first error: the field as a readable path, what is wrong, and the fix. */
export function describeSchemaError(errors: readonly ErrorObject[], document: unknown): string {
  const error = pickError(errors);
  if (!error) return 'the document does not match its schema.';
  const field = pointerToPath(error.instancePath) || 'the top level';
  const value = valueAt(document, error.instancePath);
  switch (error.keyword) {
    case 'required':
      return `${field} lacks the required field "${String(error.params.missingProperty)}"; add it.`;
    case 'additionalProperties':
      return `${field} has an unknown field "${String(error.params.additionalProperty)}"; remove it or check its spelling.`;
    case 'enum':
      return `${field} is ${JSON.stringify(value)}, but must be one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}.`;
    case 'const':
      return `${field} is ${JSON.stringify(value)}, but must be ${JSON.stringify(error.params.allowedValue)}.`;
    case 'discriminator':
      return `${field} has an unknown resource type ${JSON.stringify((value as { type?: unknown } | undefined)?.type)}; use one of the types listed by \`orglint rules list\` or the estate schema.`;
    case 'type':
      return `${field} is ${describeValue(value)}, but must be of type ${String(error.params.type)}.`;
    case 'pattern':
      return `${field} is ${JSON.stringify(value)}, which does not match ${String(error.params.pattern)}${error.instancePath.endsWith('/account') || error.instancePath.endsWith('/id') ? ' (a 12-digit account id)' : ''}.`;
    default:
      return `${field} ${error.message ?? 'is invalid'}.`;
  }
}

const KEYWORD_PRIORITY = ['additionalProperties', 'required', 'enum', 'const', 'discriminator', 'pattern', 'type', 'minimum', 'minLength', 'minItems'];

/** The deepest error is the most specific one; among equals, the one a person can act on. */
export function pickError(errors: readonly ErrorObject[]): ErrorObject | undefined {
  const rank = (e: ErrorObject): number => {
    const i = KEYWORD_PRIORITY.indexOf(e.keyword);
    return i === -1 ? KEYWORD_PRIORITY.length + (e.keyword === 'oneOf' || e.keyword === 'anyOf' ? 1 : 0) : i;
  };
  return [...errors].sort((a, b) => b.instancePath.split('/').length - a.instancePath.split('/').length || rank(a) - rank(b))[0];
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${JSON.stringify(value)}`;
}

/** `/resources/3/properties/x` → `resources[3].properties.x`. */
export function pointerToPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, part) => (/^\d+$/.test(part) ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part), '');
}

function valueAt(document: unknown, pointer: string): unknown {
  let node: unknown = document;
  for (const part of pointer.split('/').slice(1)) {
    if (node === null || typeof node !== 'object') return undefined;
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    node = Object.hasOwn(node, key) ? (node as Record<string, unknown>)[key] : undefined;
  }
  return node;
}
