import type { RelationName } from '../rules/types.js';
import {
  applyRelation,
  type CompiledCondition,
  type CompiledPath,
  constantOf,
  isUnknownAfterApply,
  MISSING,
  type Operand,
  planOf,
  type QuickOperator,
} from './condition.js';
import type { EvalContext } from './context.js';

/** 1: the condition holds; 0: it does not; -1: not decided here, ask the compiled condition. */
export type QuickVerdict = 1 | 0 | -1;
export type QuickJudge = (ctx: EvalContext) => QuickVerdict;

/**
 * Generates straight-line JavaScript that decides a compiled condition in the common case: plain
 * values, present, comparable. Each node of the condition becomes a function of its own, so every
 * call in the generated code has one target that V8 can inline, where the compiled closures share
 * one body per kind of node and call through sites that see every rule.
 *
 * The answer is exact or absent. 1 and 0 are given only where the compiled condition's verdict is
 * `true` or `false` (same reads, same order); anything unusual (a missing value, one known only
 * after apply, a value an operator cannot compare, an unknown anywhere) gives -1, and the caller
 * asks the compiled condition, which also builds the evidence of a failure. Nodes without a plan
 * (see condition.ts) are decided by calling them. No text of a rule enters the generated code:
 * every value, path reader and closure is passed in as a constant.
 */
export function quickJudge(condition: CompiledCondition): QuickJudge {
  const generator = new Generator();
  const root = generator.node(condition);
  const parameters = generator.constants.map((_, i) => `k${i}`);
  const source = `${generator.functions.join('\n')}\nreturn ${root};`;
  const make = new Function('MISSING', 'isArray', 'isFinite', ...parameters, source) as (...args: unknown[]) => QuickJudge;
  return make(MISSING, Array.isArray, Number.isFinite, ...generator.constants);
}

class Generator {
  readonly constants: unknown[] = [];
  readonly functions: string[] = [];

  /** A constant of the generated code: its parameter name. */
  private constant(value: unknown): string {
    this.constants.push(value);
    return `k${this.constants.length - 1}`;
  }

  /** Emits the function deciding `compiled`; returns its name. */
  node(compiled: CompiledCondition): string {
    const index = this.functions.push('') - 1; // children are numbered after their parent
    this.functions[index] = `function f${index}(ctx) {\n  let r;\n${this.body(compiled)}\n}`;
    return `f${index}`;
  }

  private body(compiled: CompiledCondition): string {
    const fixed = constantOf(compiled);
    if (fixed) return `  return ${fixed.state === 'true' ? 1 : fixed.state === 'false' ? 0 : -1};`;
    const plan = planOf(compiled);
    switch (plan?.kind) {
      case 'all':
        return [...plan.parts.map((p) => `  r = ${this.node(p)}(ctx);\n  if (r !== 1) return r;`), '  return 1;'].join('\n');
      case 'any':
        return [...plan.parts.map((p) => `  r = ${this.node(p)}(ctx);\n  if (r !== 0) return r;`), '  return 0;'].join('\n');
      case 'if':
        return `  r = ${this.node(plan.test)}(ctx);\n  if (r === -1) return -1;\n  return r === 1 ? ${this.node(plan.then)}(ctx) : ${this.node(plan.otherwise)}(ctx);`;
      case 'not':
        return `  r = ${this.node(plan.inner)}(ctx);\n  return r === -1 ? -1 : 1 - r;`;
      case 'exists':
        return [
          `  const raw = ${this.constant(plan.path.read)}(ctx);`,
          ...(plan.path.propertyPath === undefined ? [] : [`  if (raw === MISSING && ${this.knownAfterApply(plan.path)}) return -1;`]),
          `  return (raw !== MISSING && raw !== null) === ${plan.want} ? 1 : 0;`,
        ].join('\n');
      case 'compare':
        return [...this.read(plan.path, plan.relation, 'a'), ...this.operand(plan.operand), `  ${comparison(plan.op)}`].join('\n');
      case 'quantifier':
        return this.quantifier(plan.quantifier, plan.path, plan.relation, plan.filter, plan.predicate);
      case 'count':
        return this.count(plan.path, plan.relation, plan.filter, plan.op, plan.expected);
      default:
        break;
    }
    const state = `${this.constant(compiled)}(ctx).state`;
    return `  const s = ${state};\n  return s === 'true' ? 1 : s === 'false' ? 0 : -1;`;
  }

  /** ` || <known only after apply>`, for paths below resource.properties. */
  private unknownCheck(path: CompiledPath): string {
    return path.propertyPath === undefined ? '' : ` || ${this.knownAfterApply(path)}`;
  }

  /** Whether a planned resource lists the path as known only after apply (estates list nothing). */
  private knownAfterApply(path: CompiledPath): string {
    return `(ctx.resource.unknown !== undefined && ${this.constant((ctx: EvalContext) => isUnknownAfterApply(ctx, path))}(ctx))`;
  }

  /** Reads a path (and relation) into `name`; -1 where the compiled condition would not read a plain value. */
  private read(path: CompiledPath, relation: RelationName | undefined, name: string): string[] {
    const lines = [`  const raw = ${this.constant(path.read)}(ctx);`, `  if (raw === MISSING${this.unknownCheck(path)}) return -1;`];
    if (relation === undefined) lines.push(`  const ${name} = raw;`);
    else lines.push(`  const ${name} = ${this.constant(applyRelation)}(ctx, ${this.constant(relation)}, raw);`, `  if (${name} === MISSING) return -1;`);
    return lines;
  }

  private operand(operand: Operand): string[] {
    if (operand.kind === 'literal') return [`  const e = ${this.constant(operand.value)};`];
    if (operand.kind === 'ref') return [`  const e = ${this.constant(operand.path.read)}(ctx);`, '  if (e === MISSING) return -1;'];
    return ['  return -1;'];
  }

  private items(path: CompiledPath, empty: string): string[] {
    return [
      `  const raw = ${this.constant(path.read)}(ctx);`,
      `  if (raw === MISSING${this.unknownCheck(path)}) return -1;`,
      `  if (raw === null) ${empty}`,
      '  if (!isArray(raw)) return -1;',
    ];
  }

  private quantifier(kind: 'every' | 'some' | 'none', path: CompiledPath, relation: RelationName | undefined, filter: CompiledCondition | undefined, predicate: CompiledCondition | undefined): string {
    const none = kind === 'some' ? 0 : 1;
    const item = relation === undefined ? 'raw[i]' : `${this.constant(applyRelation)}(ctx, ${this.constant(relation)}, raw[i])`;
    const decide = kind === 'every' ? 'if (p === 0) return 0;' : kind === 'some' ? 'if (p === 1) return 1;' : 'if (p === 1) return 0;';
    return [
      ...this.items(path, `return ${none};`),
      `  if (raw.length === 0) return ${none};`,
      '  const outer = ctx.item;',
      '  try {',
      '    for (let i = 0; i < raw.length; i++) {',
      `      ctx.item = ${item};`,
      ...(filter ? [`      r = ${this.node(filter)}(ctx);`, '      if (r === -1) return -1;', '      if (r === 0) continue;'] : []),
      `      const p = ${predicate ? `${this.node(predicate)}(ctx)` : '1'};`,
      '      if (p === -1) return -1;',
      `      ${decide}`,
      '    }',
      '  } finally {',
      '    ctx.item = outer;',
      '  }',
      `  return ${none};`,
    ].join('\n');
  }

  private count(path: CompiledPath, relation: RelationName | undefined, filter: CompiledCondition | undefined, op: string, expected: number): string {
    const item = relation === undefined ? 'raw[i]' : `${this.constant(applyRelation)}(ctx, ${this.constant(relation)}, raw[i])`;
    const test = (n: string): string => `return ${n} ${COUNT_TESTS[op] ?? '==='} ${this.constant(expected)} ? 1 : 0;`;
    return [
      ...this.items(path, test('0')),
      ...(filter
        ? [
            '  let n = 0;',
            '  const outer = ctx.item;',
            '  try {',
            '    for (let i = 0; i < raw.length; i++) {',
            `      ctx.item = ${item};`,
            `      r = ${this.node(filter)}(ctx);`,
            '      if (r === -1) return -1;',
            '      if (r === 1) n++;',
            '    }',
            '  } finally {',
            '    ctx.item = outer;',
            '  }',
          ]
        : ['  const n = raw.length;']),
      `  ${test('n')}`,
    ].join('\n');
  }
}

const COUNT_TESTS: Readonly<Record<string, string>> = { equals: '===', gt: '>', gte: '>=', lt: '<', lte: '<=' };

/**
 * The test of `a` against `e` for a quick operator, where both are plain values:
 * then deep equality is `===`, and a list holds a plain value exactly when `indexOf` finds it.
 */
function comparison(op: QuickOperator): string {
  const object = (v: string): string => `(${v} !== null && typeof ${v} === 'object')`;
  switch (op) {
    case 'equals':
    case 'notEquals':
      return `if (${object('a')} || ${object('e')}) return -1;\n  return (a === e) === ${op === 'equals'} ? 1 : 0;`;
    case 'in':
    case 'notIn':
      return `if (!isArray(e) || ${object('a')}) return -1;\n  return (e.indexOf(a) !== -1) === ${op === 'in'} ? 1 : 0;`;
    default:
      return `if (typeof a !== 'number' || !isFinite(a) || typeof e !== 'number' || !isFinite(e)) return -1;\n  return a ${COUNT_TESTS[op]} e ? 1 : 0;`;
  }
}
