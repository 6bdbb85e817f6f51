import { describe, expect, it } from 'vitest';
import type { Condition } from '../rules/types.js';
import { compileCondition } from './condition.js';
import type { AccountView, EvalContext } from './context.js';
import { workloadAccount } from '../testing/accounts.js';
import { quickJudge } from './quick-judge.js';

const views = new Map([
  ['111111111111', workloadAccount('111111111111', 'production')],
  ['222222222222', workloadAccount('222222222222', 'nonprod')],
]);
const environments = new Map<string, Record<string, unknown>>([
  ['production', { name: 'production', regions: ['eu-west-1', 'il-central-1'], minimum: 35, realData: true }],
  ['nonprod', { name: 'nonprod', regions: 'eu-west-1', minimum: 3, realData: false }],
]);

function contextOf(value: unknown, options: { unknown?: string[]; environment?: string } = {}): EvalContext {
  const account = views.get(options.environment === 'nonprod' ? '222222222222' : '111111111111') as AccountView;
  return {
    resource: {
      type: 'aws.rds.instance',
      id: 'r',
      account: account.id,
      region: 'eu-west-1',
      properties: value === undefined ? {} : { v: value },
      ...(options.unknown ? { unknown: options.unknown } : {}),
    },
    account,
    environment: environments.get(account.environment as string),
    params: {},
    policy: { accounts: {} },
    organization: { managementAccountId: '999999999999' },
    relations: { account: (id) => views.get(id), environment: (n) => environments.get(n) },
    now: Date.parse('2026-11-23T00:00:00Z'),
    item: 'outer item',
  };
}

const v = 'resource.properties.v';
/** One condition of every plan kind, and some without a plan (decided by calling the closure). */
const CONDITIONS: unknown[] = [
  { path: v, equals: 35 },
  { path: v, equals: null },
  { path: v, equals: "'); throw new Error('ran'); ('" },
  { path: v, notEquals: 'global' },
  { path: v, equals: { ref: 'environment.name' } },
  { path: v, notEquals: { ref: 'environment.regions' } },
  { path: v, in: ['eu-west-1', 'il-central-1', null] },
  { path: v, notIn: [1, 2, 'x'] },
  { path: v, in: { ref: 'environment.regions' } },
  { path: v, notIn: { ref: 'environment.regions' } },
  { path: v, gte: 35 },
  { path: v, lt: { ref: 'environment.minimum' } },
  { path: v, gt: { ref: 'environment.name' } },
  { path: v, lte: 0 },
  { path: v, map: 'environmentOf', equals: { ref: 'environment.name' } },
  { path: v, map: 'lengthOf', gte: 2 },
  { path: v, exists: true },
  { path: v, exists: false },
  { path: 'resource.properties', key: 'v', exists: true },
  { path: v, matches: 'eu-*' },
  { all: [{ path: v, exists: true }, { path: v, notEquals: 0 }] },
  { any: [{ path: v, equals: 'eu-west-1' }, { path: v, gte: 35 }, { path: v, equals: true }] },
  { not: { path: v, in: ['eu-west-1', 0] } },
  { if: { path: v, equals: null }, then: { path: 'environment.realData', equals: true }, else: { path: v, notEquals: false } },
  { every: v, satisfy: { path: 'item', in: ['a', 'b', 1] } },
  { every: v, where: { path: 'item', notEquals: 'b' }, satisfy: { path: 'item', equals: 'a' } },
  { some: v, satisfy: { path: 'item', gte: 2 } },
  { none: v, satisfy: { path: 'item', equals: 'b' } },
  { every: v, map: 'environmentOf', satisfy: { path: 'item', in: [{ ref: 'environment.name' }, null] } },
  { every: v, satisfy: { path: 'item.x', exists: true } },
  { count: v, gte: 1 },
  { count: v, where: { path: 'item', equals: 'a' }, equals: 2 },
  { count: v, lt: { ref: 'environment.minimum' } },
  { count: v, map: 'environmentOf', where: { path: 'item', equals: 'nonprod' }, gte: 1 },
];

/** Values as estates and plans give them, and the odd ones that must not be decided wrongly. */
const VALUES: unknown[] = [
  undefined, null, true, false, 0, -1, 2, 35, 40, Number.NaN, Number.POSITIVE_INFINITY, '', 'a', 'b', 'eu-west-1', 'production', 'global',
  '111111111111', '222222222222', '333333333333', [], ['a'], ['a', 'b'], ['b', 'b'], [1, 2], ['a', null], ['111111111111', '222222222222'],
  [{ x: 1 }, {}], {}, { x: 1 }, ['eu-west-1', 'il-central-1'],
];

describe('quick judge', () => {
  const cases = CONDITIONS.flatMap((condition) =>
    VALUES.flatMap((value) => [
      { condition, value, options: {} },
      { condition, value, options: { environment: 'nonprod' } },
      { condition, value, options: { unknown: ['v'] } },
    ]),
  );

  it('never contradicts the compiled condition, and decides the plain cases itself', () => {
    let decided = 0;
    for (const { condition, value, options } of cases) {
      const compiled = compileCondition(condition as Condition, 'test');
      const ctx = contextOf(value, options);
      const quick = quickJudge(compiled)(ctx);
      const full = compiled(contextOf(value, options)).state;
      const label = `${JSON.stringify(condition)} on ${JSON.stringify(value)} ${JSON.stringify(options)}`;
      if (quick !== -1) {
        decided++;
        expect(quick === 1 ? 'true' : 'false', label).toBe(full);
      }
      expect(ctx.item, `${label} restores the item`).toBe('outer item');
    }
    // A third of the matrix is missing, unknown or odd; of the rest the generated code decides most.
    expect(decided).toBeGreaterThan(cases.length / 4);
  });

  it.each([
    [{ path: v, gte: 35 }, 40, 1],
    [{ path: v, gte: 35 }, 2, 0],
    [{ path: v, in: { ref: 'environment.regions' } }, 'eu-west-1', 1],
    [{ path: v, exists: false }, undefined, 1],
    [{ every: v, satisfy: { path: 'item', in: ['a', 'b'] } }, ['a', 'b'], 1],
    [{ count: v, gte: 1 }, [], 0],
    [{ not: { path: v, equals: 'a' } }, 'b', 1],
  ])('decides %j on %j as %i', (condition, value, expected) => {
    expect(quickJudge(compileCondition(condition as Condition, 'test'))(contextOf(value))).toBe(expected);
  });

  it.each([
    ['a value missing from the estate', { path: v, gte: 35 }, undefined, {}],
    ['a value known only after apply', { path: v, exists: false }, undefined, { unknown: ['v'] }],
    ['a value the operator cannot compare', { path: v, gte: 35 }, 'seven', {}],
    ['an object compared for equality', { path: v, equals: { ref: 'environment.regions' } }, ['eu-west-1', 'il-central-1'], {}],
    ['an unknown item of a list', { some: v, satisfy: { path: 'item', gte: 2 } }, ['x', 3], {}],
  ])('leaves %s to the compiled condition', (_, condition, value, options) => {
    expect(quickJudge(compileCondition(condition as Condition, 'test'))(contextOf(value, options))).toBe(-1);
  });
});
