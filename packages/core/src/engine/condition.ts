import { parseArn } from '../estate/arn.js';
import { OrglintError } from '../errors.js';
import type { Condition, RelationName, ValueRef } from '../rules/types.js';
import type { EvalContext } from './context.js';
import { globToRegExp } from './glob.js';

/** Why a condition did not hold: the property, what it was, what was expected. */
export interface Failure {
  readonly path: string;
  readonly actual?: unknown;
  readonly expected?: unknown;
  readonly messageId?: string;
}

/** Three-valued: holds, does not hold (with the failure), or cannot be decided (with the reason). */
export type Verdict =
  | { readonly state: 'true' }
  | { readonly state: 'false'; readonly failure: Failure }
  | { readonly state: 'unknown'; readonly reason: string; readonly path: string };

export type CompiledCondition = (ctx: EvalContext) => Verdict;

const TRUE: Verdict = { state: 'true' };
const MISSING = Symbol('missing');
type Value = unknown;

const ROOTS = ['resource', 'account', 'environment', 'params', 'policy', 'item', 'organization'] as const;
type Root = (typeof ROOTS)[number];

interface CompiledPath {
  readonly text: string;
  readonly root: Root;
  readonly keys: readonly (string | number)[];
  /** The dotted path below `resource.properties`, for known-after-apply checks. */
  readonly propertyPath?: string;
}

const SEGMENT = /^(?:\.([A-Za-z0-9_$:@/-]+)|\[(\d+)\]|\["([^"]+)"\])/;

/** Parses a path of the closed grammar `root(.key|[n]|["key"])*`; never evaluates code. */
export function compilePath(text: string, where: string): CompiledPath {
  const rootMatch = /^[a-z]+/.exec(text);
  const root = rootMatch?.[0] as Root | undefined;
  if (!root || !(ROOTS as readonly string[]).includes(root)) {
    throw new OrglintError('invalid-rule', `${where}: the path "${text}" must start with one of ${ROOTS.join(', ')}.`);
  }
  const keys: (string | number)[] = [];
  let rest = text.slice(root.length);
  while (rest.length > 0) {
    const m = SEGMENT.exec(rest);
    if (!m) throw new OrglintError('invalid-rule', `${where}: the path "${text}" is not of the form root.key.key[0]["key"]; check "${rest}".`);
    keys.push(m[2] !== undefined ? Number(m[2]) : (m[1] ?? m[3] ?? ''));
    rest = rest.slice(m[0].length);
  }
  const propertyPath =
    root === 'resource' && keys[0] === 'properties' && keys.length > 1 ? keys.slice(1).join('.') : undefined;
  return { text, root, keys, ...(propertyPath === undefined ? {} : { propertyPath }) };
}

function rootValue(ctx: EvalContext, root: Root): Value {
  switch (root) {
    case 'resource':
      return ctx.resource;
    case 'account':
      return ctx.account;
    case 'environment':
      return ctx.environment ?? MISSING;
    case 'params':
      return ctx.params;
    case 'policy':
      return ctx.policy;
    case 'organization':
      return ctx.organization;
    case 'item':
      return ctx.item === undefined ? MISSING : ctx.item;
  }
}

/** Reads a path through own properties only, so `constructor` or `__proto__` in data reads as data. */
function readPath(ctx: EvalContext, path: CompiledPath): Value {
  let node = rootValue(ctx, path.root);
  for (const key of path.keys) {
    if (node === null || node === undefined || node === MISSING || typeof node !== 'object') return MISSING;
    if (!Object.hasOwn(node, key)) return MISSING;
    node = (node as Record<string | number, unknown>)[key];
  }
  return node === undefined ? MISSING : node;
}

function isUnknownAfterApply(ctx: EvalContext, path: CompiledPath): boolean {
  const unknown = ctx.resource.unknown;
  if (path.propertyPath === undefined || !unknown || unknown.length === 0) return false;
  const p = path.propertyPath;
  return unknown.some((u) => u === p || p.startsWith(`${u}.`) || u.startsWith(`${p}.`));
}

function missingVerdict(ctx: EvalContext, path: CompiledPath): Verdict {
  if (path.root === 'environment') {
    return ctx.environment
      ? { state: 'unknown', path: path.text, reason: `environment ${String(ctx.environment.name)} has no parameter ${path.keys.join('.')}` }
      : {
          state: 'unknown',
          path: path.text,
          reason:
            ctx.account.environments.length > 1
              ? `account ${ctx.account.name} matches several environments (${ctx.account.environments.join(', ')})`
              : `account ${ctx.account.name} belongs to no environment of the policy`,
        };
  }
  if (isUnknownAfterApply(ctx, path)) return { state: 'unknown', path: path.text, reason: `${path.text} is known only after apply` };
  return { state: 'unknown', path: path.text, reason: `${path.text} is missing from the estate` };
}

/** Applies a relation: facts about other accounts come from maps built once, never from a scan. */
function applyRelation(ctx: EvalContext, relation: RelationName | undefined, value: Value): Value {
  if (relation === undefined) return value;
  switch (relation) {
    case 'lengthOf':
      return Array.isArray(value) ? value.length : typeof value === 'string' ? value.length : MISSING;
    case 'accountOfArn':
      return typeof value === 'string' ? (parseArn(value)?.account ?? null) : MISSING;
    default: {
      if (typeof value !== 'string') return value === null ? null : MISSING;
      const account = ctx.relations.account(value);
      if (!account) return null;
      if (relation === 'environmentOf') return account.environment;
      if (relation === 'environmentParamsOf') return account.environment === null ? null : (ctx.relations.environment(account.environment) ?? null);
      if (relation === 'roleOf') return account.role;
      if (relation === 'accountNameOf') return account.name;
      return account.ouPath;
    }
  }
}

function isRef(value: unknown): value is ValueRef {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 1 && typeof (value as ValueRef).ref === 'string';
}

type Operand = { readonly kind: 'literal'; readonly value: Value } | { readonly kind: 'ref'; readonly path: CompiledPath } | { readonly kind: 'list'; readonly items: readonly Operand[] };

function compileOperand(value: unknown, where: string): Operand {
  if (isRef(value)) return { kind: 'ref', path: compilePath(value.ref, where) };
  if (Array.isArray(value) && value.some(isRef)) return { kind: 'list', items: value.map((v) => compileOperand(v, where)) };
  return { kind: 'literal', value };
}

/** Resolves an operand; MISSING carries the verdict to return instead. */
function resolveOperand(ctx: EvalContext, operand: Operand): { value: Value } | { unknown: Verdict } {
  if (operand.kind === 'literal') return { value: operand.value };
  if (operand.kind === 'ref') {
    const v = readPath(ctx, operand.path);
    return v === MISSING ? { unknown: missingVerdict(ctx, operand.path) } : { value: v };
  }
  const out: Value[] = [];
  for (const item of operand.items) {
    const r = resolveOperand(ctx, item);
    if ('unknown' in r) return r;
    out.push(r.value);
  }
  return { value: out };
}

type OpResult = boolean | string; // a string is the reason the comparison could not be made

const DAY_MS = 86_400_000;

function num(v: Value): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function deepEqual(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && deepEqual((a as Record<string, Value>)[k], (b as Record<string, Value>)[k]));
}

const OPERATORS: Record<string, (actual: Value, expected: Value, ctx: EvalContext) => OpResult> = {
  equals: (a, e) => deepEqual(a, e),
  notEquals: (a, e) => !deepEqual(a, e),
  gt: (a, e) => compare(a, e, (x, y) => x > y),
  gte: (a, e) => compare(a, e, (x, y) => x >= y),
  lt: (a, e) => compare(a, e, (x, y) => x < y),
  lte: (a, e) => compare(a, e, (x, y) => x <= y),
  in: (a, e) => (Array.isArray(e) ? e.some((x) => deepEqual(a, x)) : 'the list to compare with is not a list'),
  notIn: (a, e) => (Array.isArray(e) ? !e.some((x) => deepEqual(a, x)) : 'the list to compare with is not a list'),
  matches: (a, e) => matchGlobs(a, e),
  notMatches: (a, e) => {
    const r = matchGlobs(a, e);
    return typeof r === 'string' ? r : !r;
  },
  contains: (a, e) => (Array.isArray(a) ? a.some((x) => deepEqual(x, e)) : typeof a === 'string' && typeof e === 'string' ? a.includes(e) : 'the value is not a list'),
  subsetOf: (a, e) => {
    if (!Array.isArray(e)) return 'the list to compare with is not a list';
    const items = Array.isArray(a) ? a : [a];
    return items.every((x) => e.some((y) => deepEqual(x, y)));
  },
  startsWithAny: (a, e) => {
    if (!Array.isArray(e)) return 'the prefixes to compare with are not a list';
    if (typeof a !== 'string') return 'the value is not a string';
    return e.some((p) => typeof p === 'string' && a.startsWith(p));
  },
  empty: (a, e) => {
    const isEmpty = a === null || (Array.isArray(a) ? a.length === 0 : typeof a === 'object' ? Object.keys(a as object).length === 0 : a === '');
    return isEmpty === e;
  },
  olderThanDays: (a, e, ctx) => age(a, e, ctx, (days, limit) => days > limit),
  newerThanDays: (a, e, ctx) => age(a, e, ctx, (days, limit) => days <= limit),
};

function compare(a: Value, e: Value, test: (x: number, y: number) => boolean): OpResult {
  const x = num(a);
  const y = num(e);
  if (x === undefined) return `the value ${JSON.stringify(a)} is not a number`;
  if (y === undefined) return `the limit ${JSON.stringify(e)} is not a number`;
  return test(x, y);
}

function matchGlobs(a: Value, e: Value): OpResult {
  if (typeof a !== 'string') return `the value ${JSON.stringify(a)} is not a string`;
  const globs = Array.isArray(e) ? e : [e];
  return globs.some((g) => typeof g === 'string' && globToRegExp(g).test(a));
}

function age(a: Value, e: Value, ctx: EvalContext, test: (days: number, limit: number) => boolean): OpResult {
  const limit = num(e);
  if (limit === undefined) return `the limit ${JSON.stringify(e)} is not a number of days`;
  if (typeof a !== 'string') return `the value ${JSON.stringify(a)} is not a date`;
  const t = Date.parse(a);
  if (Number.isNaN(t)) return `the value ${JSON.stringify(a)} is not a date`;
  return test((ctx.now - t) / DAY_MS, limit);
}

const OPERATOR_NAMES = Object.keys(OPERATORS);
const COUNT_OPERATORS = ['equals', 'gt', 'gte', 'lt', 'lte'];

/**
 * Compiles a condition once into a closure. `where` names the rule for error messages.
 * Unknown operands make the verdict unknown, which the engine reports as `error` — never `pass`.
 */
export function compileCondition(condition: Condition, where: string): CompiledCondition {
  const c = condition as Record<string, unknown>;
  const message = typeof c.message === 'string' ? c.message : undefined;
  const withMessage = (compiled: CompiledCondition): CompiledCondition =>
    message === undefined
      ? compiled
      : (ctx) => {
          const v = compiled(ctx);
          return v.state === 'false' && v.failure.messageId === undefined ? { state: 'false', failure: { ...v.failure, messageId: message } } : v;
        };

  if (Array.isArray(c.all)) return withMessage(compileAll((c.all as Condition[]).map((x) => compileCondition(x, where))));
  if (Array.isArray(c.any)) return withMessage(compileAny((c.any as Condition[]).map((x) => compileCondition(x, where))));
  if (c.if !== undefined) {
    const test = compileCondition(c.if as Condition, where);
    const then = compileCondition(c.then as Condition, where);
    const otherwise = c.else === undefined ? undefined : compileCondition(c.else as Condition, where);
    return withMessage((ctx) => {
      const v = test(ctx);
      if (v.state === 'unknown') return v;
      if (v.state === 'true') return then(ctx);
      return otherwise ? otherwise(ctx) : TRUE;
    });
  }
  if (c.not !== undefined) return withMessage(compileNot(compileCondition(c.not as Condition, where), firstPathIn(c.not)));
  if (typeof c.every === 'string' || typeof c.some === 'string' || typeof c.none === 'string') return withMessage(compileQuantifier(c, where));
  if (typeof c.count === 'string') return withMessage(compileCount(c, where));
  if (typeof c.path === 'string') return compileLeaf(c, message, where);
  throw new OrglintError('invalid-rule', `${where}: a condition must be all, any, not, every, some, none, count, or a path with one operator.`);
}

function compileAll(parts: CompiledCondition[]): CompiledCondition {
  return (ctx) => {
    let unknown: Verdict | undefined;
    for (const part of parts) {
      const v = part(ctx);
      if (v.state === 'false') return v;
      if (v.state === 'unknown' && !unknown) unknown = v;
    }
    return unknown ?? TRUE;
  };
}

function compileAny(parts: CompiledCondition[]): CompiledCondition {
  return (ctx) => {
    // When no alternative holds, the last one names the failure: earlier ones are exemptions.
    let lastFalse: Verdict | undefined;
    let unknown: Verdict | undefined;
    for (const part of parts) {
      const v = part(ctx);
      if (v.state === 'true') return v;
      if (v.state === 'unknown') unknown ??= v;
      else lastFalse = v;
    }
    return unknown ?? lastFalse ?? TRUE;
  };
}

function compileNot(inner: CompiledCondition, path: string): CompiledCondition {
  return (ctx) => {
    const v = inner(ctx);
    if (v.state === 'unknown') return v;
    if (v.state === 'false') return TRUE;
    const actual = readForMessage(ctx, path);
    return { state: 'false', failure: { path, ...(actual === undefined ? {} : { actual }), expected: 'the negated condition to hold' } };
  };
}

/** The first path a condition reads, to name in the evidence of a negation. */
function firstPathIn(condition: unknown): string {
  if (condition === null || typeof condition !== 'object') return 'condition';
  const c = condition as Record<string, unknown>;
  for (const key of ['path', 'every', 'some', 'none', 'count']) if (typeof c[key] === 'string') return c[key] as string;
  for (const key of ['all', 'any']) if (Array.isArray(c[key])) return firstPathIn((c[key] as unknown[])[0]);
  return firstPathIn(c.not);
}

function compileLeaf(c: Record<string, unknown>, message: string | undefined, where: string): CompiledCondition {
  const ops = Object.keys(c).filter((k) => k !== 'path' && k !== 'map' && k !== 'message' && k !== 'key');
  if (ops.length !== 1 || !(ops[0] === 'exists' || OPERATOR_NAMES.includes(ops[0] ?? ''))) {
    throw new OrglintError(
      'invalid-rule',
      `${where}: the condition on "${String(c.path)}" must have exactly one operator (exists, ${OPERATOR_NAMES.join(', ')}); it has ${ops.length === 0 ? 'none' : ops.join(', ')}.`,
    );
  }
  const op = ops[0] as string;
  const path = compilePath(c.path as string, where);
  const relation = c.map as RelationName | undefined;
  const key = c.key === undefined ? undefined : compileOperand(c.key, where);
  /** The value under `key` of what the path (and map) read; null stays null, an absent key is MISSING. */
  const select = (ctx: EvalContext, value: Value): { value: Value } | { unknown: Verdict } => {
    if (key === undefined || value === null || value === MISSING) return { value };
    const k = resolveOperand(ctx, key);
    if ('unknown' in k) return k;
    if (typeof value !== 'object' || typeof k.value !== 'string') return { value: MISSING };
    return { value: Object.hasOwn(value, k.value) ? (value as Record<string, unknown>)[k.value] : MISSING };
  };
  if (op === 'exists') {
    const want = c.exists === true;
    return (ctx) => {
      let raw = readPath(ctx, path);
      if (raw === MISSING && isUnknownAfterApply(ctx, path)) return missingVerdict(ctx, path);
      if (key !== undefined && raw !== MISSING) {
        const selected = select(ctx, applyRelation(ctx, relation, raw));
        if ('unknown' in selected) return selected.unknown;
        raw = selected.value;
      }
      const present = raw !== MISSING && raw !== null;
      return present === want ? TRUE : { state: 'false', failure: { path: path.text, actual: raw === MISSING ? undefined : raw, expected: want ? 'present' : 'absent', ...(message ? { messageId: message } : {}) } };
    };
  }
  const operand = compileOperand(c[op], where);
  const test = OPERATORS[op] as (a: Value, e: Value, ctx: EvalContext) => OpResult;
  return (ctx) => {
    const raw = readPath(ctx, path);
    if (raw === MISSING || isUnknownAfterApply(ctx, path)) return missingVerdict(ctx, path);
    const mapped = applyRelation(ctx, relation, raw);
    if (mapped === MISSING) return { state: 'unknown', path: path.text, reason: `${path.text} has a value that ${relation ?? 'the operator'} cannot read` };
    const selected = select(ctx, mapped);
    if ('unknown' in selected) return selected.unknown;
    const actual = selected.value;
    if (actual === MISSING) return { state: 'unknown', path: path.text, reason: `${path.text} has no key ${JSON.stringify(c.key)}` };
    const expected = resolveOperand(ctx, operand);
    if ('unknown' in expected) return expected.unknown;
    const r = test(actual, expected.value, ctx);
    if (r === true) return TRUE;
    if (r === false) {
      // Evidence names what was read: a key below the path, or the raw value before a relation.
      const keyName = key === undefined ? undefined : resolveOperand(ctx, key);
      const failure: Failure =
        keyName !== undefined && 'value' in keyName
          ? { path: `${path.text}[${JSON.stringify(keyName.value)}]`, actual, expected: expected.value }
          : relation !== undefined
            ? { path: path.text, actual: raw, expected: `${relation} to give ${JSON.stringify(expected.value)}, not ${JSON.stringify(actual)}` }
            : { path: path.text, actual, expected: expected.value };
      return { state: 'false', failure: { ...failure, ...(message ? { messageId: message } : {}) } };
    }
    return { state: 'unknown', path: path.text, reason: `${path.text}: ${r}` };
  };
}

function itemsOf(ctx: EvalContext, path: CompiledPath): Value[] | Verdict {
  const raw = readPath(ctx, path);
  if (raw === MISSING || isUnknownAfterApply(ctx, path)) return missingVerdict(ctx, path);
  if (raw === null) return [];
  if (!Array.isArray(raw)) return { state: 'unknown', path: path.text, reason: `${path.text} is not a list` };
  return raw;
}

function compileQuantifier(c: Record<string, unknown>, where: string): CompiledCondition {
  const kind = typeof c.every === 'string' ? 'every' : typeof c.some === 'string' ? 'some' : 'none';
  const path = compilePath(c[kind] as string, where);
  const relation = c.map as RelationName | undefined;
  const filter = c.where === undefined ? undefined : compileCondition(c.where as Condition, where);
  if (c.satisfy === undefined && kind === 'every') throw new OrglintError('invalid-rule', `${where}: "every: ${path.text}" needs a "satisfy" condition.`);
  const predicate = c.satisfy === undefined ? undefined : compileCondition(c.satisfy as Condition, where);
  return (ctx) => {
    const items = itemsOf(ctx, path);
    if (!Array.isArray(items)) return items;
    let unknown: Verdict | undefined;
    let matched = 0;
    for (let i = 0; i < items.length; i++) {
      const item = applyRelation(ctx, relation, items[i]);
      const itemCtx: EvalContext = { ...ctx, item };
      if (filter) {
        const f = filter(itemCtx);
        if (f.state === 'unknown') {
          unknown ??= f;
          continue;
        }
        if (f.state === 'false') continue;
      }
      const v = predicate ? predicate(itemCtx) : TRUE;
      if (v.state === 'unknown') {
        unknown ??= v;
        continue;
      }
      if (kind === 'every' && v.state === 'false') {
        return { state: 'false', failure: { ...v.failure, path: `${path.text}[${i}]`, actual: items[i] } };
      }
      if (v.state === 'true') {
        if (kind === 'some') return TRUE;
        if (kind === 'none') return { state: 'false', failure: { path: `${path.text}[${i}]`, actual: items[i], expected: 'none such' } };
        matched++;
      }
    }
    if (unknown) return unknown;
    if (kind === 'some') return { state: 'false', failure: { path: path.text, actual: items, expected: 'at least one such item' } };
    return TRUE;
  };
}

function compileCount(c: Record<string, unknown>, where: string): CompiledCondition {
  const path = compilePath(c.count as string, where);
  const relation = c.map as RelationName | undefined;
  const ops = COUNT_OPERATORS.filter((k) => c[k] !== undefined);
  if (ops.length !== 1) throw new OrglintError('invalid-rule', `${where}: "count: ${path.text}" needs exactly one of ${COUNT_OPERATORS.join(', ')}.`);
  const op = ops[0] as string;
  const operand = compileOperand(c[op], where);
  const filter = c.where === undefined ? undefined : compileCondition(c.where as Condition, where);
  const test = OPERATORS[op] as (a: Value, e: Value, ctx: EvalContext) => OpResult;
  const message = typeof c.message === 'string' ? c.message : undefined;
  return (ctx) => {
    const items = itemsOf(ctx, path);
    if (!Array.isArray(items)) return items;
    let n = 0;
    for (const raw of items) {
      if (!filter) {
        n++;
        continue;
      }
      const v = filter({ ...ctx, item: applyRelation(ctx, relation, raw) });
      if (v.state === 'unknown') return v;
      if (v.state === 'true') n++;
    }
    const expected = resolveOperand(ctx, operand);
    if ('unknown' in expected) return expected.unknown;
    const r = test(n, expected.value, ctx);
    if (r === true) return TRUE;
    if (r === false) return { state: 'false', failure: { path: path.text, actual: n, expected: `${op} ${JSON.stringify(expected.value)}`, ...(message ? { messageId: message } : {}) } };
    return { state: 'unknown', path: path.text, reason: `${path.text}: ${r}` };
  };
}

/** Compiles a path once into a reader for messages; undefined when the value is absent. */
export function compileReader(text: string, where: string): (ctx: EvalContext) => unknown {
  const path = compilePath(text, where);
  return (ctx) => {
    const v = readPath(ctx, path);
    return v === MISSING ? undefined : v;
  };
}

/** Reads a template variable (`resource.name`, …) once; for hot paths use compileReader. */
export function readForMessage(ctx: EvalContext, text: string): unknown {
  try {
    return compileReader(text, 'message')(ctx);
  } catch {
    return undefined;
  }
}
