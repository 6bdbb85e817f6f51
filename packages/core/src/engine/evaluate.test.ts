import { describe, expect, it } from 'vitest';
import { fingerprint } from './evaluate.js';

describe('fingerprint', () => {
  it('is a stable 32-digit hex identity of (rule, type, id)', () => {
    const f = fingerprint('backup-retention', 'aws.rds.instance', 'arn:aws:rds:eu-west-1:111111111111:db:a');
    expect(f).toMatch(/^[0-9a-f]{32}$/);
    // Pinned: a changed hash would re-open every alert on GitHub and every baseline result.
    expect(f).toBe(fingerprint('backup-retention', 'aws.rds.instance', 'arn:aws:rds:eu-west-1:111111111111:db:a'));
    expect(f).toMatchInlineSnapshot(`"ef96611dbc5575045766742165abd3f8"`);
  });

  it('tells apart parts that concatenate alike, and nearby ids', () => {
    expect(fingerprint('r', 'ab', 'c')).not.toBe(fingerprint('r', 'a', 'bc'));
    expect(fingerprint('r1', 'aws.s3.bucket', 'b')).not.toBe(fingerprint('r2', 'aws.s3.bucket', 'b'));
    const seen = new Set<string>();
    for (let i = 0; i < 100_000; i++) seen.add(fingerprint('r', 'aws.s3.bucket', `arn:aws:s3:::bucket-${i}`));
    expect(seen.size).toBe(100_000);
  });
});
