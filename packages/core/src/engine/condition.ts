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

/**
 * How generated code can decide a compiled condition without building verdicts (quick-judge.ts).
 * A condition without a plan is decided by calling it. Every plan mirrors its closure exactly:
 * the generated code answers only where the closure would answer the same.
 */
export type Plan =
  | { readonly kind: 'all' | 'any'; readonly parts: readonly CompiledCondition[] }
  | { readonly kind: 'if'; readonly test: CompiledCondition; readonly then: CompiledCondition; readonly otherwise: CompiledCondition }
  | { readonly kind: 'not'; readonly inner: CompiledCondition }
  | { readonly kind: 'compare'; readonly path: CompiledPath; readonly relation: RelationName | undefined; readonly op: QuickOperator; readonly operand: Operand }
  | { readonly kind: 'exists'; readonly path: CompiledPath; readonly want: boolean }
  | {
      readonly kind: 'quantifier';
      readonly quantifier: 'every' | 'some' | 'none';
      readonly path: CompiledPath;
      readonly relation: RelationName | undefined;
      readonly filter: CompiledCondition | undefined;
      readonly predicate: CompiledCondition | undefined;
    }
  | { readonly kind: 'count'; readonly path: CompiledPath; readonly relation: RelationName | undefined; readonly filter: CompiledCondition | undefined; readonly op: string; readonly expected: number };

function withPlan(compiled: CompiledCondition, plan: Plan | undefined): CompiledCondition {
  return plan === undefined ? compiled : Object.assign(compiled, { plan });
}

export function planOf(compiled: CompiledCondition): Plan | undefined {
  return (compiled as { plan?: Plan }).plan;
}

const TRUE: Verdict = { state: 'true' };
export const MISSING = Symbol('missing');
type Value = unknown;

const ROOTS = ['resource', 'account', 'environment', 'params', 'policy', 'item', 'organization'] as const;
type Root = (typeof ROOTS)[number];

export interface CompiledPath {
  readonly text: string;
  readonly root: Root;
  readonly keys: readonly (string | number)[];
  /** The dotted path below `resource.properties`, for known-after-apply checks. */
  readonly propertyPath?: string;
  /** Reads the path in a context: MISSING when any step is absent, null, undefined or not an object. */
  readonly read: (ctx: EvalContext) => Value;
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
  return { text, root, keys, ...(propertyPath === undefined ? {} : { propertyPath }), read: pathReader(root, keys) };
}

const ROOT_READERS: Record<Root, (ctx: EvalContext) => Value> = {
  resource: (ctx) => ctx.resource,
  account: (ctx) => ctx.account,
  environment: (ctx) => ctx.environment ?? MISSING,
  params: (ctx) => ctx.params,
  policy: (ctx) => ctx.policy,
  organization: (ctx) => ctx.organization,
  item: (ctx) => (ctx.item === undefined ? MISSING : ctx.item),
};

/**
 * A key that objects or arrays inherit (`constructor`, `__proto__`, `length`, `map`, …) is read
 * only when the data owns it, so such keys in a path read data, never the prototype. Every
 * other key cannot be inherited and is read directly, which keeps the hot path short.
 */
function inheritable(key: string | number): boolean {
  return typeof key === 'string' && (key in Object.prototype || key in Array.prototype || key in Function.prototype);
}

/**
 * A reader for root + keys, generated as straight-line code with the keys as constants. A
 * shared closure reading `node[key]` with a variable key sees every key and every shape of the
 * estate, and V8 then reads through its slow megamorphic path; one small function per path keeps
 * each read site to the few shapes of its own key (judging ~10 % faster on the benchmark estate).
 * Keys enter the code only as JSON string or integer literals and the root is one of ROOTS, so
 * no text of a rule is ever run as code.
 */
function pathReader(root: Root, keys: readonly (string | number)[]): (ctx: EvalContext) => Value {
  if (keys.length === 0) return ROOT_READERS[root];
  const lines = [`let n = ctx.${root};`];
  for (const key of keys) {
    const literal = typeof key === 'number' ? String(key) : JSON.stringify(String(key));
    lines.push("if (n === null || typeof n !== 'object') return MISSING;");
    if (inheritable(key)) lines.push(`if (!hasOwn(n, ${literal})) return MISSING;`);
    lines.push(`n = n[${literal}];`);
  }
  lines.push('return n === undefined ? MISSING : n;');
  const make = new Function('MISSING', 'hasOwn', `return function read(ctx) {\n  ${lines.join('\n  ')}\n};`) as (m: typeof MISSING, h: typeof Object.hasOwn) => (ctx: EvalContext) => Value;
  return make(MISSING, Object.hasOwn);
}

export function isUnknownAfterApply(ctx: EvalContext, path: CompiledPath): boolean {
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
export function applyRelation(ctx: EvalContext, relation: RelationName | undefined, value: Value): Value {
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

export type Operand = { readonly kind: 'literal'; readonly value: Value } | { readonly kind: 'ref'; readonly path: CompiledPath } | { readonly kind: 'list'; readonly items: readonly Operand[] };

function compileOperand(value: unknown, where: string, known: Known): Operand {
  if (isRef(value)) {
    const path = compilePath(value.ref, where);
    // A rule's parameters are settled before it is compiled: a reference to one is a literal.
    if (path.root === 'params' && known.params !== undefined) {
      const v = path.read({ params: known.params } as EvalContext);
      if (v !== MISSING) return { kind: 'literal', value: v };
    }
    return { kind: 'ref', path };
  }
  if (Array.isArray(value) && value.some(isRef)) {
    const items = value.map((v) => compileOperand(v, where, known));
    return items.every((i) => i.kind === 'literal') ? { kind: 'literal', value: items.map((i) => (i as { value: Value }).value) } : { kind: 'list', items };
  }
  return { kind: 'literal', value };
}

/** The value of an operand, or MISSING when a reference in it reads nothing (see operandUnknown). */
function operandValue(ctx: EvalContext, operand: Operand): Value {
  if (operand.kind === 'literal') return operand.value;
  if (operand.kind === 'ref') return operand.path.read(ctx);
  const out: Value[] = [];
  for (const item of operand.items) {
    const v = operandValue(ctx, item);
    if (v === MISSING) return MISSING;
    out.push(v);
  }
  return out;
}

/** Why an operand read nothing: the verdict of its first reference that is missing. */
function operandUnknown(ctx: EvalContext, operand: Operand): Verdict {
  if (operand.kind === 'ref') return missingVerdict(ctx, operand.path);
  if (operand.kind === 'list') {
    for (const item of operand.items) if (operandValue(ctx, item) === MISSING) return operandUnknown(ctx, item);
  }
  return { state: 'unknown', path: 'operand', reason: 'an operand could not be read' };
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

/** What is known of every resource a compiled condition will judge: rules are compiled per resource type. */
export interface Known {
  readonly resourceType?: string;
  /** The rule's parameters as the policy settled them. */
  readonly params?: Readonly<Record<string, unknown>>;
  /** Whether `item` may differ between two resources of one account (inside a quantifier it differs per item). */
  readonly itemFromResource?: boolean;
}

/** The roots whose values are the same for every resource of one account within one scan. */
const ACCOUNT_ROOTS: ReadonlySet<string> = new Set(['account', 'environment', 'params', 'policy', 'organization']);

function rootReadsResource(text: unknown, itemFromResource: boolean): boolean {
  if (typeof text !== 'string') return false;
  const root = /^[a-z]+/.exec(text)?.[0] ?? '';
  if (root === 'item') return itemFromResource;
  return !ACCOUNT_ROOTS.has(root);
}

function refsReadResource(value: unknown, itemFromResource: boolean): boolean {
  if (isRef(value)) return rootReadsResource(value.ref, itemFromResource);
  return Array.isArray(value) && value.some((v) => refsReadResource(v, itemFromResource));
}

/**
 * Whether a condition reads the resource (or items drawn from it). One that does not has the
 * same verdict for every resource of an account, and is evaluated once per account.
 */
function readsResource(condition: unknown, itemFromResource: boolean): boolean {
  if (condition === null || typeof condition !== 'object') return false;
  const c = condition as Record<string, unknown>;
  if (Array.isArray(c.all)) return c.all.some((x) => readsResource(x, itemFromResource));
  if (Array.isArray(c.any)) return c.any.some((x) => readsResource(x, itemFromResource));
  if (c.if !== undefined) return [c.if, c.then, c.else].some((x) => readsResource(x, itemFromResource));
  if (c.not !== undefined) return readsResource(c.not, itemFromResource);
  const listPath = [c.every, c.some, c.none, c.count].find((x) => typeof x === 'string');
  if (listPath !== undefined) {
    const items = rootReadsResource(listPath, itemFromResource);
    return items || readsResource(c.where, items) || readsResource(c.satisfy, items) || COUNT_OPERATORS.some((op) => refsReadResource(c[op], itemFromResource));
  }
  return rootReadsResource(c.path, itemFromResource) || Object.values(c).some((v) => refsReadResource(v, itemFromResource));
}

/** Evaluates a condition that does not read the resource once per account, then answers from memory. */
function oncePerAccount(compiled: CompiledCondition): CompiledCondition {
  if (constantOf(compiled)) return compiled;
  const verdicts = new Map<EvalContext['account'], Verdict>();
  return (ctx) => {
    let v = verdicts.get(ctx.account);
    if (v === undefined) verdicts.set(ctx.account, (v = compiled(ctx)));
    return v;
  };
}

/** A compiled condition whose verdict does not depend on the resource: it is folded away where it appears. */
type Constant = CompiledCondition & { readonly constant: Verdict };

function constant(verdict: Verdict): Constant {
  return Object.assign((): Verdict => verdict, { constant: verdict });
}

export function constantOf(compiled: CompiledCondition): Verdict | undefined {
  return (compiled as Partial<Constant>).constant;
}

/**
 * Compiles a condition once into a closure. `where` names the rule for error messages.
 * Unknown operands make the verdict unknown, which the engine reports as `error` — never `pass`.
 * With `known.resourceType`, tests of `resource.type` are decided at compile time and the
 * branches they rule out are dropped, so a rule over many types pays per resource only for
 * what applies to its type.
 */
export function compileCondition(condition: Condition, where: string, known: Known = {}): CompiledCondition {
  const compiled = compileNode(condition, where, known);
  return readsResource(condition, known.itemFromResource ?? false) ? compiled : oncePerAccount(compiled);
}

/** Compiles a child of a condition; a child that does not read the resource, under one that does, is evaluated once per account. */
function compileChild(child: unknown, parentReadsResource: boolean, where: string, known: Known): CompiledCondition {
  const compiled = compileNode(child as Condition, where, known);
  return parentReadsResource && !readsResource(child, known.itemFromResource ?? false) ? oncePerAccount(compiled) : compiled;
}

function compileNode(condition: Condition, where: string, known: Known): CompiledCondition {
  const c = condition as Record<string, unknown>;
  const message = typeof c.message === 'string' ? c.message : undefined;
  const named = (v: Verdict): Verdict =>
    v.state === 'false' && v.failure.messageId === undefined && message !== undefined ? { state: 'false', failure: { ...v.failure, messageId: message } } : v;
  const withMessage = (compiled: CompiledCondition): CompiledCondition => {
    if (message === undefined) return compiled;
    const fixed = constantOf(compiled);
    if (fixed) return constant(named(fixed));
    return withPlan((ctx) => named(compiled(ctx)), planOf(compiled));
  };
  const parentReads = readsResource(c, known.itemFromResource ?? false);
  const sub = (x: unknown): CompiledCondition => compileChild(x, parentReads, where, known);

  if (Array.isArray(c.all)) return withMessage(compileAll((c.all as unknown[]).map(sub)));
  if (Array.isArray(c.any)) return withMessage(compileAny((c.any as unknown[]).map(sub)));
  if (c.if !== undefined) {
    const test = sub(c.if);
    const then = sub(c.then);
    const otherwise = c.else === undefined ? constant(TRUE) : sub(c.else);
    const decided = constantOf(test);
    if (decided) return withMessage(decided.state === 'unknown' ? test : decided.state === 'true' ? then : otherwise);
    const branch: CompiledCondition = (ctx) => {
      const v = test(ctx);
      if (v.state === 'unknown') return v;
      return v.state === 'true' ? then(ctx) : otherwise(ctx);
    };
    return withMessage(withPlan(branch, { kind: 'if', test, then, otherwise }));
  }
  if (c.not !== undefined) return withMessage(compileNot(sub(c.not), firstPathIn(c.not)));
  if (typeof c.every === 'string' || typeof c.some === 'string' || typeof c.none === 'string') return withMessage(compileQuantifier(c, where, known));
  if (typeof c.count === 'string') return withMessage(compileCount(c, where, known));
  if (typeof c.path === 'string') return compileLeaf(c, message, where, known);
  throw new OrglintError('invalid-rule', `${where}: a condition must be all, any, not, every, some, none, count, or a path with one operator.`);
}

function compileAll(all: CompiledCondition[]): CompiledCondition {
  // Parts that always hold are dropped; nothing after a part that never holds is ever read.
  const parts: CompiledCondition[] = [];
  for (const part of all) {
    const fixed = constantOf(part);
    if (fixed?.state === 'true') continue;
    parts.push(part);
    if (fixed?.state === 'false') break;
  }
  if (parts.length === 0) return constant(TRUE);
  if (parts.length === 1) return parts[0] as CompiledCondition;
  const every: CompiledCondition = (ctx) => {
    let unknown: Verdict | undefined;
    for (let i = 0; i < parts.length; i++) {
      const v = (parts[i] as CompiledCondition)(ctx);
      if (v.state === 'false') return v;
      if (v.state === 'unknown' && !unknown) unknown = v;
    }
    return unknown ?? TRUE;
  };
  return withPlan(every, { kind: 'all', parts });
}

function compileAny(any: CompiledCondition[]): CompiledCondition {
  // Nothing after an alternative that always holds is ever read.
  const parts: CompiledCondition[] = [];
  for (const part of any) {
    parts.push(part);
    if (constantOf(part)?.state === 'true') break;
  }
  if (parts.length === 0) return constant(TRUE);
  if (parts.length === 1) return parts[0] as CompiledCondition;
  const some: CompiledCondition = (ctx) => {
    // When no alternative holds, the last one names the failure: earlier ones are exemptions.
    let lastFalse: Verdict | undefined;
    let unknown: Verdict | undefined;
    for (let i = 0; i < parts.length; i++) {
      const v = (parts[i] as CompiledCondition)(ctx);
      if (v.state === 'true') return v;
      if (v.state === 'unknown') unknown ??= v;
      else lastFalse = v;
    }
    return unknown ?? lastFalse ?? TRUE;
  };
  return withPlan(some, { kind: 'any', parts });
}

function compileNot(inner: CompiledCondition, path: string): CompiledCondition {
  const reader = readerOrNothing(path);
  const negated: CompiledCondition = (ctx) => {
    const v = inner(ctx);
    if (v.state === 'unknown') return v;
    if (v.state === 'false') return TRUE;
    const actual = reader(ctx);
    return { state: 'false', failure: { path, ...(actual === undefined ? {} : { actual }), expected: 'the negated condition to hold' } };
  };
  return withPlan(negated, { kind: 'not', inner });
}

/** The first path a condition reads, to name in the evidence of a negation. */
function firstPathIn(condition: unknown): string {
  if (condition === null || typeof condition !== 'object') return 'condition';
  const c = condition as Record<string, unknown>;
  for (const key of ['path', 'every', 'some', 'none', 'count']) if (typeof c[key] === 'string') return c[key] as string;
  for (const key of ['all', 'any']) if (Array.isArray(c[key])) return firstPathIn((c[key] as unknown[])[0]);
  return firstPathIn(c.not);
}

function compileLeaf(c: Record<string, unknown>, message: string | undefined, where: string, known: Known): CompiledCondition {
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
  const key = c.key === undefined ? undefined : compileOperand(c.key, where, known);
  const messageId = message ? { messageId: message } : {};
  /** The value under `key` of what the path (and map) read: null stays null, an absent key is MISSING; UNREAD when the key itself could not be read. */
  const select = (ctx: EvalContext, value: Value): Value => {
    if (key === undefined || value === null || value === MISSING) return value;
    const k = operandValue(ctx, key);
    if (k === MISSING) return UNREAD;
    if (typeof value !== 'object' || typeof k !== 'string') return MISSING;
    return Object.hasOwn(value, k) ? (value as Record<string, unknown>)[k] : MISSING;
  };
  if (op === 'exists') {
    const want = c.exists === true;
    const exists: CompiledCondition = (ctx) => {
      let raw = path.read(ctx);
      if (raw === MISSING && isUnknownAfterApply(ctx, path)) return missingVerdict(ctx, path);
      if (key !== undefined && raw !== MISSING) {
        const selected = select(ctx, applyRelation(ctx, relation, raw));
        if (selected === UNREAD) return operandUnknown(ctx, key);
        raw = selected;
      }
      const present = raw !== MISSING && raw !== null;
      return present === want ? TRUE : { state: 'false', failure: { path: path.text, actual: raw === MISSING ? undefined : raw, expected: want ? 'present' : 'absent', ...messageId } };
    };
    return withPlan(exists, key === undefined ? { kind: 'exists', path, want } : undefined);
  }
  const operand = compileOperand(c[op], where, known);
  const test = OPERATORS[op] as (a: Value, e: Value, ctx: EvalContext) => OpResult;
  const failureOf = (ctx: EvalContext, raw: Value, actual: Value, expected: Value): Verdict => {
    // Evidence names what was read: a key below the path, or the raw value before a relation.
    const keyName = key === undefined ? MISSING : operandValue(ctx, key);
    const failure: Failure =
      keyName !== MISSING
        ? { path: `${path.text}[${JSON.stringify(keyName)}]`, actual, expected }
        : relation !== undefined
          ? { path: path.text, actual: raw, expected: `${relation} to give ${JSON.stringify(expected)}, not ${JSON.stringify(actual)}` }
          : { path: path.text, actual, expected };
    return { state: 'false', failure: { ...failure, ...messageId } };
  };
  // The resource's type is the same for every resource this compilation judges: decide now.
  if (known.resourceType !== undefined && path.text === 'resource.type' && relation === undefined && key === undefined && operand.kind === 'literal' && op !== 'olderThanDays' && op !== 'newerThanDays') {
    const r = test(known.resourceType, operand.value, undefined as unknown as EvalContext);
    if (r === true) return constant(TRUE);
    if (r === false) return constant({ state: 'false', failure: { path: path.text, actual: known.resourceType, expected: operand.value, ...messageId } });
    return constant({ state: 'unknown', path: path.text, reason: `${path.text}: ${r}` });
  }
  const general: CompiledCondition = (ctx) => {
    const raw = path.read(ctx);
    if (raw === MISSING || isUnknownAfterApply(ctx, path)) return missingVerdict(ctx, path);
    const mapped = applyRelation(ctx, relation, raw);
    if (mapped === MISSING) return { state: 'unknown', path: path.text, reason: `${path.text} has a value that ${relation ?? 'the operator'} cannot read` };
    const actual = select(ctx, mapped);
    if (actual === UNREAD) return operandUnknown(ctx, key as Operand);
    if (actual === MISSING) return { state: 'unknown', path: path.text, reason: `${path.text} has no key ${JSON.stringify(c.key)}` };
    const expected = operandValue(ctx, operand);
    if (expected === MISSING) return operandUnknown(ctx, operand);
    const r = test(actual, expected, ctx);
    if (r === true) return TRUE;
    if (r === false) return failureOf(ctx, raw, actual, expected);
    return { state: 'unknown', path: path.text, reason: `${path.text}: ${r}` };
  };
  // A comparison of plain values is decided by generated code (quick-judge.ts); the rest only here.
  return withPlan(general, key === undefined && operand.kind !== 'list' && isQuickOperator(op) ? { kind: 'compare', path, relation, op, operand } : undefined);
}

/** The operators generated code decides when both sides are plain values (quick-judge.ts). */
const QUICK_OPERATORS = ['equals', 'notEquals', 'in', 'notIn', 'gt', 'gte', 'lt', 'lte'] as const;
export type QuickOperator = (typeof QUICK_OPERATORS)[number];

function isQuickOperator(op: string): op is QuickOperator {
  return (QUICK_OPERATORS as readonly string[]).includes(op);
}

/** A key operand that could not itself be read (distinct from a key the value lacks). */
const UNREAD = Symbol('unread');

function itemsOf(ctx: EvalContext, path: CompiledPath): Value[] | Verdict {
  const raw = path.read(ctx);
  if (raw === MISSING || isUnknownAfterApply(ctx, path)) return missingVerdict(ctx, path);
  if (raw === null) return [];
  if (!Array.isArray(raw)) return { state: 'unknown', path: path.text, reason: `${path.text} is not a list` };
  return raw;
}

/** The context with `item` set, for conditions on the items of a list; the caller restores the old item. */
type ItemContext = { item?: unknown };

function compileQuantifier(c: Record<string, unknown>, where: string, known: Known): CompiledCondition {
  const kind = typeof c.every === 'string' ? 'every' : typeof c.some === 'string' ? 'some' : 'none';
  const path = compilePath(c[kind] as string, where);
  const relation = c.map as RelationName | undefined;
  // The item changes from one evaluation to the next: a condition on it is never remembered per account.
  const inner: Known = { ...known, itemFromResource: true };
  const reads = readsResource(c, known.itemFromResource ?? false);
  const filter = c.where === undefined ? undefined : compileChild(c.where, reads, where, inner);
  if (c.satisfy === undefined && kind === 'every') throw new OrglintError('invalid-rule', `${where}: "every: ${path.text}" needs a "satisfy" condition.`);
  const predicate = c.satisfy === undefined ? undefined : compileChild(c.satisfy, reads, where, inner);
  const judgeItems = (ctx: EvalContext, items: Value[]): Verdict => {
    let unknown: Verdict | undefined;
    for (let i = 0; i < items.length; i++) {
      (ctx as ItemContext).item = applyRelation(ctx, relation, items[i]);
      if (filter) {
        const f = filter(ctx);
        if (f.state === 'unknown') {
          unknown ??= f;
          continue;
        }
        if (f.state === 'false') continue;
      }
      const v = predicate ? predicate(ctx) : TRUE;
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
      }
    }
    if (unknown) return unknown;
    if (kind === 'some') return { state: 'false', failure: { path: path.text, actual: items, expected: 'at least one such item' } };
    return TRUE;
  };
  const quantified: CompiledCondition = (ctx) => {
    const items = itemsOf(ctx, path);
    if (!Array.isArray(items)) return items;
    if (items.length === 0) return kind === 'some' ? { state: 'false', failure: { path: path.text, actual: items, expected: 'at least one such item' } } : TRUE;
    const outer = ctx.item;
    try {
      return judgeItems(ctx, items);
    } finally {
      (ctx as ItemContext).item = outer;
    }
  };
  return withPlan(quantified, { kind: 'quantifier', quantifier: kind, path, relation, filter, predicate });
}

function compileCount(c: Record<string, unknown>, where: string, known: Known): CompiledCondition {
  const path = compilePath(c.count as string, where);
  const relation = c.map as RelationName | undefined;
  const ops = COUNT_OPERATORS.filter((k) => c[k] !== undefined);
  if (ops.length !== 1) throw new OrglintError('invalid-rule', `${where}: "count: ${path.text}" needs exactly one of ${COUNT_OPERATORS.join(', ')}.`);
  const op = ops[0] as string;
  const operand = compileOperand(c[op], where, known);
  const inner: Known = { ...known, itemFromResource: true };
  const filter = c.where === undefined ? undefined : compileChild(c.where, readsResource(c, known.itemFromResource ?? false), where, inner);
  const test = OPERATORS[op] as (a: Value, e: Value, ctx: EvalContext) => OpResult;
  const message = typeof c.message === 'string' ? c.message : undefined;
  const countItems = (ctx: EvalContext, items: Value[]): number | Verdict => {
    let n = 0;
    for (const raw of items) {
      (ctx as ItemContext).item = applyRelation(ctx, relation, raw);
      const v = (filter as CompiledCondition)(ctx);
      if (v.state === 'unknown') return v;
      if (v.state === 'true') n++;
    }
    return n;
  };
  const counted: CompiledCondition = (ctx) => {
    const items = itemsOf(ctx, path);
    if (!Array.isArray(items)) return items;
    let n = items.length;
    if (filter && n > 0) {
      const outer = ctx.item;
      let counted: number | Verdict;
      try {
        counted = countItems(ctx, items);
      } finally {
        (ctx as ItemContext).item = outer;
      }
      if (typeof counted !== 'number') return counted;
      n = counted;
    }
    const expected = operandValue(ctx, operand);
    if (expected === MISSING) return operandUnknown(ctx, operand);
    const r = test(n, expected, ctx);
    if (r === true) return TRUE;
    if (r === false) return { state: 'false', failure: { path: path.text, actual: n, expected: `${op} ${JSON.stringify(expected)}`, ...(message ? { messageId: message } : {}) } };
    return { state: 'unknown', path: path.text, reason: `${path.text}: ${r}` };
  };
  const limit = operand.kind === 'literal' ? num(operand.value) : undefined;
  return withPlan(counted, limit === undefined ? undefined : { kind: 'count', path, relation, filter, op, expected: limit });
}

/** Compiles a path once into a reader for messages; undefined when the value is absent. */
export function compileReader(text: string, where: string): (ctx: EvalContext) => unknown {
  const path = compilePath(text, where);
  return (ctx) => {
    const v = path.read(ctx);
    return v === MISSING ? undefined : v;
  };
}

/** A reader for a path, or one that reads nothing when the text is not a path. */
function readerOrNothing(text: string): (ctx: EvalContext) => unknown {
  try {
    return compileReader(text, 'evidence');
  } catch {
    return () => undefined;
  }
}
