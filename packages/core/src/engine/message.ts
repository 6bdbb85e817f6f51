import { compileReader, type Failure } from './condition.js';
import type { EvalContext } from './context.js';

/** A rule message with its `{{…}}` variables compiled once. */
export type CompiledMessage = (ctx: EvalContext, failure: Failure) => string;

const VARIABLE = /\{\{\s*([A-Za-z0-9_.[\]"-]+)\s*\}\}/g;

/**
 * Compiles a message template: `{{actual}}`, `{{expected}}` and `{{path}}` come from the failure
 * (`{{actual.key}}` reads a key of the failing value, such as the item of a list that did not
 * satisfy), anything else is a path into the evaluation context (`resource.name`, …).
 */
export function compileMessage(template: string, where: string): CompiledMessage {
  const parts: ((ctx: EvalContext, failure: Failure) => string)[] = [];
  let last = 0;
  for (const m of template.matchAll(VARIABLE)) {
    const literal = template.slice(last, m.index);
    parts.push(() => literal);
    const name = m[1] as string;
    if (name === 'actual') parts.push((_, f) => show(f.actual));
    else if (name.startsWith('actual.')) {
      // A key of the failing value, e.g. the groupId of the list item that did not satisfy.
      const keys = name.slice('actual.'.length).split('.');
      parts.push((_, f) => show(keys.reduce<unknown>((v, k) => (v !== null && typeof v === 'object' && Object.hasOwn(v, k) ? (v as Record<string, unknown>)[k] : undefined), f.actual)));
    }
    else if (name === 'expected') parts.push((_, f) => show(f.expected));
    else if (name === 'path') parts.push((_, f) => f.path);
    else {
      const read = compileReader(name, where);
      parts.push((ctx) => show(read(ctx)));
    }
    last = (m.index ?? 0) + m[0].length;
  }
  const tail = template.slice(last);
  parts.push(() => tail);
  return (ctx, failure) => {
    let out = '';
    for (const part of parts) out += part(ctx, failure);
    return out;
  };
}

/** How a value reads in a sentence. */
export function show(value: unknown): string {
  if (value === undefined) return 'unknown';
  if (value === null) return 'none';
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.map(show).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
