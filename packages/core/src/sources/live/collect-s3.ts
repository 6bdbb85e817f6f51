import {
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketLocationCommand,
  GetBucketReplicationCommand,
  GetBucketTaggingCommand,
  GetPublicAccessBlockCommand,
  paginateListBuckets,
  S3Client,
  type Bucket,
  type ReplicationRule,
} from '@aws-sdk/client-s3';
import type { Resource } from '../../estate/types.js';
import { isErrorCode } from './aws-errors.js';
import { allPages, type CollectContext, cmp, liveResource, mapLimit, tagRecord } from './context.js';
import { CALLS_PER_TASK } from './runtime.js';

/** LocationConstraint → region: empty is us-east-1, `EU` the old name of eu-west-1. */
export function bucketRegion(constraint: string | undefined | null): string {
  if (!constraint) return 'us-east-1';
  if (constraint === 'EU') return 'eu-west-1';
  return constraint;
}

/**
 * S3 of one account: ListBuckets once (it is global), each bucket filed under its region, then
 * per bucket in a collected region its tags, replication, encryption, lifecycle and public
 * access block. "No such configuration" answers mean none, not failure.
 */
export async function collectS3(ctx: CollectContext): Promise<Resource[]> {
  const wanted = new Set(ctx.regions);
  const s3 = ctx.client(S3Client, 's3');
  const buckets: Bucket[] = (await allPages(paginateListBuckets({ client: s3, pageSize: 1000 }, {}))).flatMap((p) => p.Buckets ?? []);
  const clients = new Map<string, S3Client>();
  const clientFor = (region: string): S3Client => {
    let c = clients.get(region);
    if (!c) clients.set(region, (c = ctx.client(S3Client, 's3', region)));
    return c;
  };

  const out = await mapLimit(buckets, CALLS_PER_TASK, async (bucket): Promise<Resource | undefined> => {
    const name = bucket.Name ?? '';
    let region = bucket.BucketRegion;
    if (!region) {
      try {
        region = bucketRegion((await s3.send(new GetBucketLocationCommand({ Bucket: name }))).LocationConstraint);
      } catch (error) {
        if (isErrorCode(error, 'NoSuchBucket')) return undefined; // deleted since listed
        // Its region is unknown, so every collected region's view of S3 is incomplete.
        for (const r of ctx.regions) ctx.problem('s3', r, error, `location of bucket ${name}`);
        return undefined;
      }
    }
    if (!wanted.has(region)) return undefined;
    return describeBucket(ctx, clientFor(region), name, region);
  });
  return out.filter((r): r is Resource => r !== undefined);
}

async function describeBucket(ctx: CollectContext, s3: S3Client, name: string, region: string): Promise<Resource | undefined> {
  const problem = (error: unknown, what: string): void => ctx.problem('s3', region, error, `${what} of bucket ${name}`);
  /** Runs one GET; the listed error codes mean "not configured" and give `none`. */
  const read = async <T>(what: string, call: () => Promise<T>, none: T, ...absent: string[]): Promise<T | undefined> => {
    try {
      return await call();
    } catch (error) {
      if (isErrorCode(error, ...absent)) return none;
      // A bucket deleted between listing and reading is simply gone.
      if (isErrorCode(error, 'NoSuchBucket')) throw error;
      problem(error, what);
      return undefined;
    }
  };

  try {
    const tags = await read('tags', async () => tagRecord((await s3.send(new GetBucketTaggingCommand({ Bucket: name }))).TagSet), {}, 'NoSuchTagSet');
    const replication = await read(
      'replication',
      async () => (await s3.send(new GetBucketReplicationCommand({ Bucket: name }))).ReplicationConfiguration?.Rules ?? [],
      [] as ReplicationRule[],
      'ReplicationConfigurationNotFoundError',
    );
    // Since January 2023 every bucket is encrypted with SSE-S3 at least; "not found" (older
    // endpoints, emulators) therefore means that default.
    const encryption = await read(
      'encryption',
      async () => {
        const rule = (await s3.send(new GetBucketEncryptionCommand({ Bucket: name }))).ServerSideEncryptionConfiguration?.Rules?.[0];
        const d = rule?.ApplyServerSideEncryptionByDefault;
        return d ? { algorithm: d.SSEAlgorithm ?? 'AES256', kmsKeyId: d.KMSMasterKeyID ?? null, bucketKeyEnabled: rule?.BucketKeyEnabled ?? false } : { algorithm: 'AES256', kmsKeyId: null, bucketKeyEnabled: false };
      },
      { algorithm: 'AES256', kmsKeyId: null, bucketKeyEnabled: false },
      'ServerSideEncryptionConfigurationNotFoundError',
    );
    const expirationDays = await read(
      'lifecycle',
      async () => {
        const rules = (await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: name }))).Rules ?? [];
        const days = rules.filter((r) => r.Status === 'Enabled' && typeof r.Expiration?.Days === 'number').map((r) => r.Expiration?.Days as number);
        return days.length > 0 ? Math.min(...days) : null;
      },
      null as number | null,
      'NoSuchLifecycleConfiguration',
    );
    const publicAccessBlock = await read(
      'public access block',
      async () => {
        const c = (await s3.send(new GetPublicAccessBlockCommand({ Bucket: name }))).PublicAccessBlockConfiguration;
        return c
          ? {
              blockPublicAcls: c.BlockPublicAcls ?? false,
              ignorePublicAcls: c.IgnorePublicAcls ?? false,
              blockPublicPolicy: c.BlockPublicPolicy ?? false,
              restrictPublicBuckets: c.RestrictPublicBuckets ?? false,
            }
          : null;
      },
      null,
      'NoSuchPublicAccessBlockConfiguration',
    );
    const arn = `arn:${ctx.partition}:s3:::${name}`;
    return liveResource({
      type: 'aws.s3.bucket',
      id: arn,
      arn,
      account: ctx.account,
      region,
      name,
      tags,
      properties: {
        replicationRules: replication?.map(replicationRule),
        encryption,
        expirationDays,
        publicAccessBlock,
      },
    });
  } catch {
    // Only NoSuchBucket gets here: the bucket was deleted after it was listed.
    return undefined;
  }
}

/** One replication rule in the estate's words: destination ARN, account, prefix, tag filters. */
export function replicationRule(rule: ReplicationRule): Record<string, unknown> {
  const f = rule.Filter;
  const prefix = f?.Prefix ?? f?.And?.Prefix ?? rule.Prefix ?? '';
  const tags = f?.Tag ? [f.Tag] : (f?.And?.Tags ?? []);
  const out: Record<string, unknown> = {
    ...(rule.ID ? { id: rule.ID } : {}),
    status: rule.Status === 'Disabled' ? 'Disabled' : 'Enabled',
    destinationBucket: rule.Destination?.Bucket ?? '',
    prefix,
    replicaKmsKeyId: rule.Destination?.EncryptionConfiguration?.ReplicaKmsKeyID ?? null,
  };
  if (rule.Destination?.Account) out.destinationAccount = rule.Destination.Account;
  if (tags.length > 0) out.tagFilters = Object.fromEntries(tags.map((t) => [t.Key ?? '', t.Value ?? '']).sort(([a], [b]) => cmp(a as string, b as string)));
  if (rule.Priority !== undefined) out.priority = rule.Priority;
  if (rule.Destination?.StorageClass) out.storageClass = rule.Destination.StorageClass;
  return out;
}
