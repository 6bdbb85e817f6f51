import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadEstate, parseEstate } from './load-estate.js';
import { thrownBy } from '../testing/errors.js';

const messageOf = (fn: () => unknown): string => thrownBy(fn).message;

const base = { schemaVersion: 1, organization: { managementAccountId: '111111111111' }, accounts: [], resources: [], coverage: [] };
const dir = mkdtempSync(join(tmpdir(), 'orglint-estate-'));

describe('loadEstate', () => {
  it('names the line and column of a JSON syntax error', () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, '{\n  "schemaVersion": 1,\n  "accounts": [,]\n}\n');
    expect(messageOf(() => loadEstate(file))).toMatch(/^.*bad\.json:3:\d+: the estate file is not valid JSON/);
  });

  it('names a truncated file', () => {
    const file = join(dir, 'cut.json');
    writeFileSync(file, '{"schemaVersion": 1, "accounts": [');
    expect(messageOf(() => loadEstate(file))).toContain('cut.json:1:');
  });

  it.each([
    [{ ...base, schemaVersion: 9 }, 'schemaVersion is 9, but this orglint reads estate schemaVersion 1'],
    [{ ...base, accounts: [{ id: '1', name: 'a', ouPath: '/' }] }, 'accounts[0].id is "1", which does not match'],
    [{ ...base, resources: [{ type: 'aws.rds.db', id: 'x', account: '111111111111', region: 'eu-west-1', properties: {} }] }, 'unknown resource type "aws.rds.db"'],
    [{ ...base, resources: [{ type: 'aws.rds.instance', id: 'x', account: '111111111111', region: 'eu-west-1', properties: { engine: 'pg' } }] }, 'resources[0].properties lacks the required field "backupRetentionDays"'],
    [{ ...base, accounts: [{ id: '111111111111', name: 'a', ouPath: '/' }, { id: '111111111111', name: 'b', ouPath: '/' }] }, 'accounts[1] repeats account id 111111111111'],
    [[], 'is not an estate'],
  ])('refuses %j', (doc, fragment) => {
    expect(messageOf(() => parseEstate(doc, 'e.json'))).toContain(fragment);
  });

  it('keeps __proto__ and constructor keys as data and does not pollute objects', () => {
    const text = '{"schemaVersion":1,"organization":{"managementAccountId":"111111111111"},"accounts":[{"id":"111111111111","name":"a","ouPath":"/","tags":{"__proto__":"polluted","constructor":"x"}}],"resources":[],"coverage":[]}';
    const estate = parseEstate(JSON.parse(text), 'e.json');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(estate.accounts[0]?.tags?.constructor).toBe('x');
    expect(Object.hasOwn(estate.accounts[0]?.tags ?? {}, '__proto__')).toBe(true);
  });

  it('derives who a key policy admits and which account owns a resource key', () => {
    const estate = parseEstate(
      {
        ...base,
        resources: [
          { type: 'aws.kms.key', id: 'k', account: '111111111111', region: 'eu-west-1', properties: { manager: 'CUSTOMER', policy: JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::222222222222:role/x', '333333333333'] }, Action: 'kms:*' }, { Effect: 'Deny', Principal: '*', Action: 'kms:*' }] }) } },
          { type: 'aws.rds.instance', id: 'db', account: '111111111111', region: 'eu-west-1', properties: { engine: 'pg', backupRetentionDays: 1, kmsKeyId: 'arn:aws:kms:eu-west-1:444444444444:key/x' } },
          { type: 'aws.s3.bucket', id: 'arn:aws:s3:::dst', account: '555555555555', region: 'eu-west-1', properties: {} },
          { type: 'aws.s3.bucket', id: 'arn:aws:s3:::src', account: '111111111111', region: 'eu-west-1', properties: { replicationRules: [{ destinationBucket: 'arn:aws:s3:::dst' }] } },
        ],
      },
      'e.json',
    );
    const [key, db, , src] = estate.resources;
    expect(key?.properties).toMatchObject({ admittedAccounts: ['111111111111', '222222222222', '333333333333'], admitsAnyAccount: false });
    expect(db?.properties.kmsKeyAccount).toBe('444444444444');
    expect(src?.properties.replicationRules).toEqual([{ destinationBucket: 'arn:aws:s3:::dst', destinationAccount: '555555555555', prefix: '', status: 'Enabled' }]);
  });
});
