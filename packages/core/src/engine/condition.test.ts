import { describe, expect, it } from 'vitest';
import type { Condition } from '../rules/types.js';
import { compileCondition } from './condition.js';
import type { AccountView, EvalContext } from './context.js';
import { workloadAccount } from '../testing/accounts.js';

const accounts = new Map([
  ['111111111111', workloadAccount('111111111111', 'production')],
  ['222222222222', workloadAccount('222222222222', 'nonprod')],
]);
const envs = new Map<string, Record<string, unknown>>([
  ['production', { name: 'production', realData: true, minimum: 35 }],
  ['nonprod', { name: 'nonprod', realData: false, minimum: 3 }],
]);

function ctx(properties: Record<string, unknown>, extra: Partial<EvalContext> = {}): EvalContext {
  return {
    resource: { type: 'aws.rds.instance', id: 'r', account: '111111111111', region: 'eu-west-1', tags: { 'data-class': 'customer' }, properties },
    account: accounts.get('111111111111') as AccountView,
    environment: envs.get('production'),
    params: { allow: ['a*'], tag: 'data-class' },
    policy: { accounts: {} },
    organization: { managementAccountId: '999999999999' },
    relations: { account: (id) => accounts.get(id), environment: (n) => envs.get(n) },
    now: Date.parse('2026-11-23T00:00:00Z'),
    ...extra,
  };
}

const run = (c: unknown, properties: Record<string, unknown>, extra?: Partial<EvalContext>) => compileCondition(c as Condition, 'test')(ctx(properties, extra));

describe('leaf conditions', () => {
  it.each([
    [{ path: 'resource.properties.n', gte: 35 }, { n: 35 }, 'true'],
    [{ path: 'resource.properties.n', gte: 35 }, { n: 7 }, 'false'],
    [{ path: 'resource.properties.n', gte: { ref: 'environment.minimum' } }, { n: 7 }, 'false'],
    [{ path: 'resource.properties.n', gte: 35 }, {}, 'unknown'],
    [{ path: 'resource.properties.n', gte: 35 }, { n: 'seven' }, 'unknown'],
    [{ path: 'resource.properties.n', gte: { ref: 'environment.nope' } }, { n: 7 }, 'unknown'],
    [{ path: 'resource.properties.s', matches: { ref: 'params.allow' } }, { s: 'abc' }, 'true'],
    [{ path: 'resource.properties.s', matches: { ref: 'params.allow' } }, { s: 'xbc' }, 'false'],
    [{ path: 'resource.properties.s', in: ['x', { ref: 'environment.name' }] }, { s: 'production' }, 'true'],
    [{ path: 'resource.properties.s', exists: false }, {}, 'true'],
    [{ path: 'resource.properties.s', exists: false }, { s: null }, 'true'],
    [{ path: 'resource.properties.s', exists: true }, { s: 'x' }, 'true'],
    [{ path: 'resource.properties.l', subsetOf: ['a', 'b'] }, { l: ['a'] }, 'true'],
    [{ path: 'resource.properties.l', subsetOf: ['a', 'b'] }, { l: ['a', 'c'] }, 'false'],
    [{ path: 'resource.properties.d', olderThanDays: 90 }, { d: '2026-01-01T00:00:00Z' }, 'true'],
    [{ path: 'resource.properties.d', olderThanDays: 90 }, { d: '2026-11-01T00:00:00Z' }, 'false'],
    [{ path: 'resource.properties.p', startsWithAny: ['public/'] }, { p: 'public/x' }, 'true'],
    [{ path: 'resource.properties.a', map: 'environmentOf', equals: 'nonprod' }, { a: '222222222222' }, 'true'],
    [{ path: 'resource.properties.a', map: 'environmentOf', equals: null }, { a: '333333333333' }, 'true'],
    [{ path: 'resource.properties.a', map: 'environmentParamsOf', key: 'realData', equals: false }, { a: '222222222222' }, 'true'],
    [{ path: 'resource.tags', key: { ref: 'params.tag' }, equals: 'customer' }, {}, 'true'],
    [{ path: 'resource.properties.o', empty: true }, { o: {} }, 'true'],
  ])('%j on %j is %s', (c, props, state) => {
    expect(run(c, props).state).toBe(state);
  });

  it('reads own properties only, so constructor or __proto__ in data are plain data', () => {
    expect(run({ path: 'resource.properties.x.constructor', exists: true }, { x: {} }).state).toBe('false');
    expect(run({ path: 'resource.tags.constructor', exists: true }, {}).state).toBe('false');
  });

  it('reads a quoted key as data, whatever characters it holds: paths are compiled to code, keys never are', () => {
    const keys = ['a\\"); throw new Error("injected"); ("', "x'] + process.exit(1) + ['", '\u2028', 'line\nbreak', '${ctx}', '0'];
    for (const key of keys) {
      const path = `resource.properties["${key.replace(/"/g, '')}"]`;
      const own = key.replace(/"/g, '');
      expect(run({ path, equals: 'hit' }, { [own]: 'hit' }).state).toBe('true');
      expect(run({ path, exists: true }, { other: 'hit' }).state).toBe('false');
    }
    expect(run({ path: 'resource.properties.list[1].name', equals: 'b' }, { list: [{ name: 'a' }, { name: 'b' }] }).state).toBe('true');
    expect(run({ path: 'resource.properties.list[2].name', exists: true }, { list: [{ name: 'a' }] }).state).toBe('false');
    expect(run({ path: 'resource.properties.s.length', exists: true }, { s: 'text' }).state).toBe('false');
  });

  it('treats a value known only after apply as unknown, never as absent', () => {
    const v = compileCondition({ path: 'resource.properties.n', exists: false } as Condition, 't')({
      ...ctx({}),
      resource: { type: 'aws.rds.instance', id: 'r', account: '111111111111', region: 'eu-west-1', properties: {}, unknown: ['n'] },
    });
    expect(v).toMatchObject({ state: 'unknown', reason: 'resource.properties.n is known only after apply' });
  });

  it('records the evidence of a failure', () => {
    expect(run({ path: 'resource.properties.n', gte: { ref: 'environment.minimum' }, message: 'short' }, { n: 7 })).toEqual({
      state: 'false',
      failure: { path: 'resource.properties.n', actual: 7, expected: 35, messageId: 'short' },
    });
  });
});

describe('composite conditions', () => {
  it('all: a false part wins over an unknown one; any: a true part wins', () => {
    expect(run({ all: [{ path: 'resource.properties.x', exists: true }, { path: 'resource.properties.n', gte: 1 }] }, { n: 0 }).state).toBe('false');
    expect(run({ all: [{ path: 'resource.properties.missing', gte: 1 }, { path: 'resource.properties.n', gte: 1 }] }, { n: 5 }).state).toBe('unknown');
    expect(run({ any: [{ path: 'resource.properties.missing', gte: 1 }, { path: 'resource.properties.n', gte: 1 }] }, { n: 5 }).state).toBe('true');
  });

  it('any names the failure of its last alternative', () => {
    const v = run({ any: [{ path: 'resource.properties.a', equals: 1, message: 'first' }, { path: 'resource.properties.b', equals: 1, message: 'last' }] }, { a: 0, b: 0 });
    expect(v).toMatchObject({ state: 'false', failure: { messageId: 'last' } });
  });

  it('if/then/else and not', () => {
    expect(run({ if: { path: 'resource.properties.a', equals: 1 }, then: { path: 'resource.properties.b', equals: 1 } }, { a: 0, b: 0 }).state).toBe('true');
    expect(run({ if: { path: 'resource.properties.a', equals: 1 }, then: { path: 'resource.properties.b', equals: 1 } }, { a: 1, b: 0 }).state).toBe('false');
    expect(run({ if: { path: 'resource.properties.a', equals: 1 }, then: { path: 'resource.properties.b', equals: 1 }, else: { path: 'resource.properties.b', equals: 2 } }, { a: 0, b: 0 }).state).toBe('false');
    expect(run({ not: { path: 'resource.properties.a', equals: 1 } }, { a: 1 })).toMatchObject({ state: 'false', failure: { path: 'resource.properties.a', actual: 1 } });
  });

  it('every / some / none / count over lists, with the item in scope', () => {
    const props = { keys: [{ s: 'Active', age: 10 }, { s: 'Inactive', age: 400 }] };
    expect(run({ every: 'resource.properties.keys', satisfy: { path: 'item.age', lt: 365 } }, props)).toMatchObject({ state: 'false', failure: { path: 'resource.properties.keys[1]' } });
    expect(run({ every: 'resource.properties.keys', where: { path: 'item.s', equals: 'Active' }, satisfy: { path: 'item.age', lt: 365 } }, props).state).toBe('true');
    expect(run({ some: 'resource.properties.keys', satisfy: { path: 'item.s', equals: 'Active' } }, props).state).toBe('true');
    expect(run({ none: 'resource.properties.keys', satisfy: { path: 'item.s', equals: 'Active' } }, props).state).toBe('false');
    expect(run({ count: 'resource.properties.keys', where: { path: 'item.s', equals: 'Active' }, equals: 1 }, props).state).toBe('true');
    expect(run({ count: 'resource.properties.keys', gte: 1 }, { keys: null }).state).toBe('false');
    expect(run({ count: 'resource.properties.keys', gte: 1 }, {}).state).toBe('unknown');
  });
});

describe('compile errors', () => {
  it.each([
    [{ path: 'process.env.X', equals: 1 }, 'must start with one of'],
    [{ path: 'resource.properties.x', equals: 1, gte: 2 }, 'exactly one operator'],
    [{ path: 'resource.properties.x' }, 'exactly one operator'],
    [{ path: 'resource..x', equals: 1 }, 'is not of the form'],
    [{ every: 'resource.properties.x' }, 'needs a "satisfy"'],
  ])('%j is refused', (c, message) => {
    expect(() => compileCondition(c as Condition, 'rule r')).toThrow(message);
  });
});

describe('compiling for a known resource type and parameters', () => {
  const conditions: unknown[] = [
    { if: { path: 'resource.type', equals: 'aws.rds.instance' }, then: { path: 'resource.properties.n', gte: 35 }, else: { path: 'resource.properties.n', lt: 0 } },
    { all: [{ path: 'resource.type', notIn: { ref: 'params.skip' } }, { path: 'resource.properties.n', gte: 35 }] },
    { any: [{ path: 'resource.type', in: ['aws.kms.key', { ref: 'params.tag' }] }, { path: 'resource.properties.n', gte: 35, message: 'low' }] },
    { path: 'resource.type', equals: 'aws.kms.key', message: 'wrongType' },
    { path: 'resource.type', matches: { ref: 'params.nope' } },
  ];
  const params = { skip: ['aws.s3.bucket'], tag: 'data-class', allow: ['a*'] };
  it.each(conditions.flatMap((c) => ['aws.rds.instance', 'aws.s3.bucket'].flatMap((type) => [{ n: 7 }, { n: 40 }, {}].map((p) => [c, type, p] as const))))(
    'gives the same verdict folded as evaluated: %j on %s with %j',
    (condition, type, properties) => {
      const base = ctx(properties, { params });
      const c = { ...base, resource: { ...base.resource, type } } as EvalContext;
      const plain = compileCondition(condition as Condition, 'test')(c);
      const folded = compileCondition(condition as Condition, 'test', { resourceType: type, params })(c);
      expect(folded).toEqual(plain);
    },
  );
});

describe('conditions that do not read the resource', () => {
  const prodAccount = accounts.get('111111111111') as AccountView;
  const nonprodAccount = accounts.get('222222222222') as AccountView;
  const on = (account: AccountView, properties: Record<string, unknown>, lookups: string[]): EvalContext =>
    ctx(properties, {
      account,
      environment: envs.get(account.environment as string),
      relations: { account: (id) => (lookups.push(id), accounts.get(id)), environment: (n) => envs.get(n) },
    });

  it('are evaluated once per account, and still per resource where they read it', () => {
    const lookups: string[] = [];
    const compiled = compileCondition(
      { all: [{ path: 'account.id', map: 'environmentOf', equals: 'production' }, { path: 'resource.properties.n', gte: 35 }] } as Condition,
      'test',
    );
    // One context per account, reused across resources as the engine does.
    const prod = on(prodAccount, {}, lookups);
    const verdicts = [40, 7, 50].map((n) => {
      (prod as { resource: EvalContext['resource'] }).resource = { ...prod.resource, properties: { n } };
      return compiled(prod).state;
    });
    expect(verdicts).toEqual(['true', 'false', 'true']);
    expect(lookups).toEqual(['111111111111']);
    const nonprod = on(nonprodAccount, { n: 40 }, lookups);
    expect(compiled(nonprod).state).toBe('false');
    expect(compiled(nonprod).state).toBe('false');
    expect(lookups).toEqual(['111111111111', '222222222222']);
  });

  it('still judge every item of a list drawn from the account', () => {
    const compiled = compileCondition(
      {
        all: [
          { every: 'account.environments', satisfy: { path: 'item', in: ['production'] } },
          { path: 'resource.properties.n', gte: 35 },
          { some: 'params.allow', satisfy: { path: 'item', equals: { ref: 'resource.properties.s' } } },
        ],
      } as Condition,
      'test',
    );
    const lookups: string[] = [];
    expect(compiled(on(prodAccount, { n: 40, s: 'a*' }, lookups)).state).toBe('true');
    expect(compiled(on(prodAccount, { n: 40, s: 'b' }, lookups)).state).toBe('false');
    expect(compiled(on(nonprodAccount, { n: 40, s: 'a*' }, lookups))).toMatchObject({ state: 'false', failure: { path: 'account.environments[0]', actual: 'nonprod' } });
  });
});

describe('leaves compared with plain literals', () => {
  it.each([
    [{ path: 'resource.properties.v', in: ['a', 1, null] }, { v: 1 }, 'true'],
    [{ path: 'resource.properties.v', in: ['a', 1, null] }, { v: '1' }, 'false'],
    [{ path: 'resource.properties.v', in: ['a', 1, null] }, { v: null }, 'true'],
    [{ path: 'resource.properties.v', in: ['a', 1, null] }, { v: { a: 1 } }, 'false'],
    [{ path: 'resource.properties.v', notIn: ['a', 1] }, { v: ['a'] }, 'true'],
    [{ path: 'resource.properties.v', in: [['a'], 'b'] }, { v: ['a'] }, 'true'],
    [{ path: 'resource.properties.v', equals: null }, { v: null }, 'true'],
    [{ path: 'resource.properties.v', equals: 0 }, { v: false }, 'false'],
    [{ path: 'resource.properties.v', notEquals: 'x' }, { v: { x: 1 } }, 'true'],
    [{ path: 'resource.properties.v', equals: { a: [1] } }, { v: { a: [1] } }, 'true'],
    [{ path: 'resource.properties.v', gte: 3 }, { v: '5' }, 'unknown'],
    [{ path: 'resource.properties.v', gte: 3 }, { v: null }, 'unknown'],
    [{ path: 'resource.properties.v', lt: 3 }, { v: 2.5 }, 'true'],
    [{ path: 'resource.properties.v', gt: 3 }, {}, 'unknown'],
  ])('%j on %j is %s', (condition, properties, state) => {
    const verdict = run(condition, properties);
    expect(verdict.state).toBe(state);
    if (verdict.state === 'false') expect(verdict.failure).toMatchObject({ path: 'resource.properties.v', actual: (properties as { v?: unknown }).v });
  });

  it('asks what a value known only after apply is, before comparing it', () => {
    const c = ctx({ v: 'x' });
    const planned = { ...c, resource: { ...c.resource, unknown: ['v'] } };
    expect(compileCondition({ path: 'resource.properties.v', equals: 'x' } as Condition, 'test')(planned)).toMatchObject({ state: 'unknown', reason: 'resource.properties.v is known only after apply' });
  });
});
