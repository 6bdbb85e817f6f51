import { describe, expect, it } from 'vitest';
import { CoverageLog, liveResource, mapLimit, parsePolicyDocument, tagRecord } from './context.js';
import { iamActionFor, operationName } from './iam-actions.js';
import { memoizeCredentials } from './runtime.js';

describe('CoverageLog', () => {
  it('keeps one record per account, region and service; the worst verdict wins and reasons are counted', () => {
    const log = new CoverageLog();
    log.collected('222222222222', 'eu-west-1', 'kms');
    log.fail('222222222222', 'eu-west-1', 'kms', 'failed', 'b: TimeoutError');
    log.fail('222222222222', 'eu-west-1', 'kms', 'denied', 'a: AccessDenied');
    log.collected('222222222222', 'eu-west-1', 'kms');
    log.collected('111111111111', 'global', 'iam');
    log.fail('111111111111', 'us-east-1', 'ec2', 'skipped', 'region not enabled');
    expect(log.records()).toEqual([
      { account: '111111111111', region: 'global', service: 'iam', status: 'collected' },
      { account: '111111111111', region: 'us-east-1', service: 'ec2', status: 'skipped', reason: 'region not enabled' },
      { account: '222222222222', region: 'eu-west-1', service: 'kms', status: 'denied', reason: 'a: AccessDenied (and 1 more problem)' },
    ]);
    expect(log.counts()).toEqual({ collected: 1, denied: 1, failed: 0, skipped: 1 });
  });
});

describe('helpers', () => {
  it('parses policy documents whether URL-encoded (IAM) or plain', () => {
    const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
    expect(parsePolicyDocument(encodeURIComponent(JSON.stringify(doc)))).toEqual(doc);
    expect(parsePolicyDocument(JSON.stringify(doc))).toEqual(doc);
    expect(parsePolicyDocument('{"a": "50%"}')).toEqual({ a: '50%' });
    expect(parsePolicyDocument(undefined)).toBeNull();
    expect(parsePolicyDocument('not json')).toBeNull();
  });

  it('sorts tags and drops undefined properties of a live resource', () => {
    const r = liveResource({ type: 'aws.kms.key', id: 'k', account: '111111111111', region: 'eu-west-1', tags: tagRecord([{ Key: 'b', Value: '2' }, { key: 'a', value: '1' }]), properties: { manager: 'CUSTOMER', policy: undefined } });
    expect(JSON.stringify(r)).toBe('{"type":"aws.kms.key","id":"k","account":"111111111111","region":"eu-west-1","tags":{"a":"1","b":"2"},"properties":{"manager":"CUSTOMER"},"origin":{"kind":"live"}}');
  });

  it('maps with a bound and keeps the order', async () => {
    let inFlight = 0;
    let most = 0;
    const out = await mapLimit([5, 1, 4, 2, 3], 2, async (n) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight -= 1;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30]);
    expect(most).toBe(2);
  });

  it('names the IAM action of an SDK operation', () => {
    expect(operationName('ListAccountsCommand')).toBe('ListAccounts');
    expect(iamActionFor('organizations:ListAccounts')).toBe('organizations:ListAccounts');
    expect(iamActionFor('s3:ListBuckets')).toBe('s3:ListAllMyBuckets');
    expect(iamActionFor('s3:GetBucketReplication')).toBe('s3:GetReplicationConfiguration');
    expect(iamActionFor('budgets:DescribeBudgets')).toBe('budgets:ViewBudget');
  });

  it('assumes a role once for all clients, and again only after a failure', async () => {
    let calls = 0;
    const memo = memoizeCredentials(async () => {
      calls += 1;
      if (calls === 1) throw new Error('denied');
      return { accessKeyId: 'a', secretAccessKey: 'b' };
    });
    await expect(memo()).rejects.toThrow('denied');
    await Promise.all([memo(), memo(), memo()]);
    await memo();
    expect(calls).toBe(2);
  });
});
