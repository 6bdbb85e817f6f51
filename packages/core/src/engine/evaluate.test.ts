import { describe, expect, it } from 'vitest';
import { fingerprint } from './evaluate.js';

describe('fingerprint', () => {
  it('is a stable 28-digit hex identity of (rule, type, id)', () => {
    const f = fingerprint('backup-retention', 'aws.rds.instance', 'arn:aws:rds:eu-west-1:111111111111:db:a');
    expect(f).toMatch(/^[0-9a-f]{28}$/);
    // Pinned: a changed hash would re-open every alert on GitHub and every baseline result.
    expect(f).toBe(fingerprint('backup-retention', 'aws.rds.instance', 'arn:aws:rds:eu-west-1:111111111111:db:a'));
    expect(f).toMatchInlineSnapshot(`"134d0bbb567dd00aa2a5989fb97f"`);
  });

  it('tells apart parts that concatenate alike, and nearby ids', () => {
    expect(fingerprint('ab', 'c', 'd')).not.toBe(fingerprint('a', 'bc', 'd'));
    const seen = new Set<string>();
    for (let i = 0; i < 100_000; i++) seen.add(fingerprint('r', 'aws.s3.bucket', `arn:aws:s3:::bucket-${i}`));
    expect(seen.size).toBe(100_000);
  });
});
