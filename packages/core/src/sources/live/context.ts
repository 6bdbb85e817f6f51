import { parsePolicyDocument } from '../../estate/policy-document.js';
import pLimit from 'p-limit';
import type { CoverageRecord, CoverageStatus, Resource } from '../../estate/types.js';
import type { ResourceType } from '../../estate/resource-types.js';
import { classifyError } from './aws-errors.js';
import type { ClientClass, LiveRuntime } from './runtime.js';

/** What a collector gets: one account, one region (or `global`), clients and a problem log. */
export interface CollectContext {
  readonly runtime: LiveRuntime;
  readonly account: string;
  /** The region collected, or `global` for IAM and Budgets. */
  readonly region: string;
  /** The regions of the whole collection (S3 lists buckets once and files them by region). */
  readonly regions: readonly string[];
  readonly partition: string;
  /** A client for this account; global services are signed for the home region. */
  client<C extends { middlewareStack: any }>(Client: ClientClass<C>, service: string, region?: string): C;
  /**
   * Records a failure that spoils one service's view of one region without stopping the rest:
   * its coverage record becomes `denied` or `failed`, with this reason.
   */
  problem(service: string, region: string, error: unknown, context?: string): void;
}

/** Accumulates coverage per account × region × service; the worst verdict wins. */
export class CoverageLog {
  private readonly entries = new Map<string, { account: string; region: string; service: string; status: CoverageStatus; reasons: string[] }>();
  private readonly tally: Record<CoverageStatus, number> = { collected: 0, denied: 0, failed: 0, skipped: 0 };

  /** Marks a service as collected unless something already spoiled it. */
  collected(account: string, region: string, service: string): void {
    const key = `${account}\u0000${region}\u0000${service}`;
    if (this.entries.has(key)) return;
    this.entries.set(key, { account, region, service, status: 'collected', reasons: [] });
    this.tally.collected += 1;
  }

  /** Records a verdict other than collected; several are merged into one record. */
  fail(account: string, region: string, service: string, status: Exclude<CoverageStatus, 'collected'>, reason: string): void {
    const key = `${account}\u0000${region}\u0000${service}`;
    const entry = this.entries.get(key);
    if (!entry) {
      this.entries.set(key, { account, region, service, status, reasons: [reason] });
      this.tally[status] += 1;
      return;
    }
    if (RANK[status] > RANK[entry.status]) {
      this.tally[entry.status] -= 1;
      this.tally[status] += 1;
      entry.status = status;
    }
    entry.reasons.push(reason);
  }

  /** Records a classified error for one service. */
  error(account: string, region: string, service: string, error: unknown, context?: string): void {
    const verdict = classifyError(error, context);
    this.fail(account, region, service, verdict.status, verdict.reason);
  }

  /** Records so far per status. */
  counts(): Record<CoverageStatus, number> {
    return { ...this.tally };
  }

  /** The records, sorted, each with one deterministic reason (the first in order, plus a count). */
  records(): CoverageRecord[] {
    return [...this.entries.values()]
      .map((e): CoverageRecord => {
        if (e.status === 'collected') return { account: e.account, region: e.region, service: e.service, status: 'collected' };
        const reasons = [...new Set(e.reasons)].sort();
        const more = reasons.length > 1 ? ` (and ${reasons.length - 1} more problem${reasons.length === 2 ? '' : 's'})` : '';
        return { account: e.account, region: e.region, service: e.service, status: e.status, reason: `${reasons[0]}${more}` };
      })
      .sort(compareCoverage);
  }
}

const RANK: Record<CoverageStatus, number> = { collected: 0, skipped: 1, failed: 2, denied: 3 };

export function compareCoverage(a: CoverageRecord, b: CoverageRecord): number {
  return cmp(a.account, b.account) || cmp(a.region, b.region) || cmp(a.service, b.service);
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Builds a live resource; drops undefined properties so the JSON is stable. */
export function liveResource(input: {
  type: ResourceType;
  id: string;
  arn?: string | undefined;
  account: string;
  region: string;
  name?: string | undefined;
  tags?: Record<string, string> | undefined;
  properties: Record<string, unknown>;
}): Resource {
  const properties: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input.properties)) if (v !== undefined) properties[k] = v;
  return {
    type: input.type,
    id: input.id,
    ...(input.arn ? { arn: input.arn } : {}),
    account: input.account,
    region: input.region,
    ...(input.name ? { name: input.name } : {}),
    ...(input.tags && Object.keys(input.tags).length > 0 ? { tags: sortedRecord(input.tags) } : {}),
    properties,
    origin: { kind: 'live' },
  };
}

/** `[{Key, Value}]` (any casing) → a sorted record. */
export function tagRecord(tags: readonly { Key?: string | undefined; Value?: string | undefined; key?: string | undefined; value?: string | undefined }[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of tags ?? []) {
    const key = t.Key ?? t.key;
    if (key !== undefined) out[key] = t.Value ?? t.value ?? '';
  }
  return sortedRecord(out);
}

export function sortedRecord(record: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => cmp(a, b)));
}

/** ISO timestamp of an SDK date, or undefined. */
export function iso(date: Date | string | undefined | null): string | undefined {
  if (date === undefined || date === null) return undefined;
  const d = typeof date === 'string' ? new Date(date) : date;
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}


/** Maps items with at most `limit` calls in flight, keeping the input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const gate = pLimit(Math.max(1, limit));
  return Promise.all(items.map((item) => gate(() => fn(item))));
}

/** Drains an SDK paginator. */
export async function allPages<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

export { parsePolicyDocument };
