import {
  DescribeKeyCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  KMSClient,
  paginateListAliases,
  paginateListKeys,
} from '@aws-sdk/client-kms';
import {
  DescribeDBClusterSnapshotAttributesCommand,
  DescribeDBSnapshotAttributesCommand,
  paginateDescribeDBClusterParameters,
  paginateDescribeDBClusters,
  paginateDescribeDBClusterSnapshots,
  paginateDescribeDBInstances,
  paginateDescribeDBParameters,
  paginateDescribeDBSnapshots,
  RDSClient,
  type DBSnapshotAttribute,
  type DBClusterSnapshotAttribute,
} from '@aws-sdk/client-rds';
import { parseArn } from '../../estate/arn.js';
import type { Resource } from '../../estate/types.js';
import { isErrorCode } from './aws-errors.js';
import { allPages, type CollectContext, cmp, iso, liveResource, mapLimit, parsePolicyDocument, tagRecord } from './context.js';
import { CALLS_PER_TASK } from './runtime.js';

/**
 * KMS keys of one region: ListKeys and ListAliases in bulk, then per key DescribeKey and, for
 * customer managed keys, the default key policy and the rotation status. AWS managed keys
 * rotate yearly by AWS and their policies are AWS's, so they cost one call each.
 */
export async function collectKms(ctx: CollectContext): Promise<Resource[]> {
  const kms = ctx.client(KMSClient, 'kms');
  const keys = (await allPages(paginateListKeys({ client: kms, pageSize: 1000 }, {}))).flatMap((p) => p.Keys ?? []);
  const aliases = (await allPages(paginateListAliases({ client: kms, pageSize: 100 }, {}))).flatMap((p) => p.Aliases ?? []);
  const aliasesOf = new Map<string, string[]>();
  for (const a of aliases) {
    if (a.TargetKeyId && a.AliasName) aliasesOf.set(a.TargetKeyId, [...(aliasesOf.get(a.TargetKeyId) ?? []), a.AliasName]);
  }
  const problem = (error: unknown, what: string): void => ctx.problem('kms', ctx.region, error, what);

  const out = await mapLimit(keys, CALLS_PER_TASK, async (key): Promise<Resource | undefined> => {
    const keyId = key.KeyId ?? '';
    let meta;
    try {
      meta = (await kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata;
    } catch (error) {
      problem(error, `key ${keyId}`);
      return undefined;
    }
    if (!meta) return undefined;
    const manager = meta.KeyManager === 'AWS' ? 'AWS' : 'CUSTOMER';
    let policy: Record<string, unknown> | null | undefined;
    let rotationEnabled: boolean | null | undefined;
    if (manager === 'CUSTOMER') {
      try {
        const got = await kms.send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default' }));
        policy = parsePolicyDocument(got.Policy);
      } catch (error) {
        problem(error, `key policy of ${keyId}`);
      }
      // Rotation exists only for symmetric keys with key material in KMS, and is unreadable
      // for keys pending deletion: there the answer is "not applicable", not a failure.
      if (meta.KeySpec === 'SYMMETRIC_DEFAULT' && meta.Origin === 'AWS_KMS' && meta.KeyState !== 'PendingDeletion' && meta.KeyState !== 'PendingReplicaDeletion') {
        try {
          rotationEnabled = (await kms.send(new GetKeyRotationStatusCommand({ KeyId: keyId }))).KeyRotationEnabled ?? false;
        } catch (error) {
          if (isErrorCode(error, 'UnsupportedOperationException', 'KMSInvalidStateException')) rotationEnabled = null;
          else problem(error, `rotation status of ${keyId}`);
        }
      } else {
        rotationEnabled = null;
      }
    } else {
      rotationEnabled = true;
    }
    const names = (aliasesOf.get(keyId) ?? []).sort(cmp);
    return liveResource({
      type: 'aws.kms.key',
      id: meta.Arn ?? keyId,
      arn: meta.Arn,
      account: ctx.account,
      region: ctx.region,
      name: names[0],
      properties: {
        manager,
        state: meta.KeyState,
        policy,
        rotationEnabled,
        aliases: names,
        keySpec: meta.KeySpec,
        keyUsage: meta.KeyUsage,
        origin: meta.Origin,
        multiRegion: meta.MultiRegion,
        createdAt: iso(meta.CreationDate),
      },
    });
  });
  return out.filter((r): r is Resource => r !== undefined);
}

/** The parameter that makes an engine refuse connections without TLS, or undefined when it has none. */
function tlsParameter(engine: string | undefined): string | undefined {
  if (!engine) return undefined;
  if (/postgres|sqlserver/.test(engine)) return 'rds.force_ssl';
  if (/mysql|mariadb/.test(engine)) return 'require_secure_transport';
  return undefined;
}

/**
 * Whether each parameter group forces TLS, reading every group once. The answer is undefined
 * (unknown, so a rule reports error) when the engine has no such parameter, the parameter has
 * no value, or the group could not be read.
 */
async function forcedTls(
  uses: readonly { group: string | undefined; engine: string | undefined }[],
  read: (group: string) => Promise<{ Parameters?: { ParameterName?: string; ParameterValue?: string }[] }[]>,
  problem: (error: unknown, what: string) => void,
): Promise<(group: string | undefined, engine: string | undefined) => boolean | undefined> {
  const values = new Map<string, Map<string, string>>();
  const groups = [...new Set(uses.filter((u) => u.group && tlsParameter(u.engine)).map((u) => u.group as string))].sort(cmp);
  await mapLimit(groups, CALLS_PER_TASK, async (group) => {
    try {
      const found = new Map<string, string>();
      for (const page of await read(group)) {
        for (const p of page.Parameters ?? []) if (p.ParameterName && p.ParameterValue !== undefined) found.set(p.ParameterName, p.ParameterValue);
      }
      values.set(group, found);
    } catch (error) {
      // A group that is gone leaves the answer unknown; anything else (a denial) is a gap to report.
      if (!isErrorCode(error, 'DBParameterGroupNotFound', 'DBParameterGroupNotFoundFault')) problem(error, `parameters of group ${group}`);
    }
  });
  return (group, engine) => {
    const name = tlsParameter(engine);
    const value = group && name ? values.get(group)?.get(name) : undefined;
    if (value === undefined) return undefined;
    return ['1', 'on', 'true'].includes(value.toLowerCase());
  };
}

/** Regions named by the automated-backup replication ARNs of an instance. */
function replicationRegions(arns: readonly (string | undefined)[]): string[] {
  return [...new Set(arns.map((a) => (a ? parseArn(a)?.region : undefined)).filter((r): r is string => !!r))].sort(cmp);
}

/** Account ids (or `all`) that may restore a snapshot, from its `restore` attribute. */
function restoreSharing(attributes: readonly (DBSnapshotAttribute | DBClusterSnapshotAttribute)[] | undefined): string[] {
  const restore = (attributes ?? []).find((a) => a.AttributeName === 'restore');
  return [...new Set(restore?.AttributeValues ?? [])].sort(cmp);
}

/**
 * RDS of one region: instances, clusters and manual snapshots in bulk (automated-backup
 * replication comes with DescribeDBInstances), then one attribute call per manual snapshot,
 * the only place AWS tells with whom a snapshot is shared.
 */
export async function collectRds(ctx: CollectContext): Promise<Resource[]> {
  const rds = ctx.client(RDSClient, 'rds');
  const { account, region, partition } = ctx;
  const resources: Resource[] = [];

  const instances = (await allPages(paginateDescribeDBInstances({ client: rds, pageSize: 100 }, {}))).flatMap((p) => p.DBInstances ?? []);
  const problem = (error: unknown, what: string): void => ctx.problem('rds', region, error, what);
  const instanceTls = await forcedTls(
    instances.filter((db) => !db.DBClusterIdentifier).map((db) => ({ group: db.DBParameterGroups?.[0]?.DBParameterGroupName, engine: db.Engine })),
    (group) => allPages(paginateDescribeDBParameters({ client: rds, pageSize: 100 }, { DBParameterGroupName: group })),
    problem,
  );
  for (const db of instances) {
    const arn = db.DBInstanceArn ?? `arn:${partition}:rds:${region}:${account}:db:${db.DBInstanceIdentifier ?? ''}`;
    resources.push(
      liveResource({
        type: 'aws.rds.instance',
        id: arn,
        arn,
        account,
        region,
        name: db.DBInstanceIdentifier,
        tags: tagRecord(db.TagList),
        properties: {
          engine: db.Engine ?? 'unknown',
          engineVersion: db.EngineVersion,
          instanceClass: db.DBInstanceClass,
          backupRetentionDays: db.BackupRetentionPeriod ?? 0,
          multiAz: db.MultiAZ ?? false,
          storageEncrypted: db.StorageEncrypted ?? false,
          kmsKeyId: db.StorageEncrypted && db.KmsKeyId ? db.KmsKeyId : null,
          clusterId: db.DBClusterIdentifier ?? null,
          publiclyAccessible: db.PubliclyAccessible ?? false,
          backupReplicationRegions: replicationRegions((db.DBInstanceAutomatedBackupsReplications ?? []).map((r) => r.DBInstanceAutomatedBackupsArn)),
          vpcSecurityGroups: [...new Set((db.VpcSecurityGroups ?? []).map((g) => g.VpcSecurityGroupId ?? '').filter(Boolean))].sort(cmp),
          forceSsl: db.DBClusterIdentifier ? undefined : instanceTls(db.DBParameterGroups?.[0]?.DBParameterGroupName, db.Engine),
          deletionProtection: db.DeletionProtection,
          status: db.DBInstanceStatus,
        },
      }),
    );
  }

  const clusters = (await allPages(paginateDescribeDBClusters({ client: rds, pageSize: 100 }, {}))).flatMap((p) => p.DBClusters ?? []);
  const clusterTls = await forcedTls(
    clusters.map((c) => ({ group: c.DBClusterParameterGroup, engine: c.Engine })),
    (group) => allPages(paginateDescribeDBClusterParameters({ client: rds, pageSize: 100 }, { DBClusterParameterGroupName: group })),
    problem,
  );
  for (const c of clusters) {
    const arn = c.DBClusterArn ?? `arn:${partition}:rds:${region}:${account}:cluster:${c.DBClusterIdentifier ?? ''}`;
    resources.push(
      liveResource({
        type: 'aws.rds.cluster',
        id: arn,
        arn,
        account,
        region,
        name: c.DBClusterIdentifier,
        tags: tagRecord(c.TagList),
        properties: {
          engine: c.Engine ?? 'unknown',
          engineVersion: c.EngineVersion,
          backupRetentionDays: c.BackupRetentionPeriod ?? 0,
          multiAz: c.MultiAZ ?? false,
          storageEncrypted: c.StorageEncrypted ?? false,
          kmsKeyId: c.StorageEncrypted && c.KmsKeyId ? c.KmsKeyId : null,
          deletionProtection: c.DeletionProtection,
          members: [...new Set((c.DBClusterMembers ?? []).map((m) => m.DBInstanceIdentifier ?? '').filter(Boolean))].sort(cmp),
          forceSsl: clusterTls(c.DBClusterParameterGroup, c.Engine),
          status: c.Status,
        },
      }),
    );
  }

  const snapshots = (await allPages(paginateDescribeDBSnapshots({ client: rds, pageSize: 100 }, { SnapshotType: 'manual' }))).flatMap((p) => p.DBSnapshots ?? []);
  const clusterSnapshots = (await allPages(paginateDescribeDBClusterSnapshots({ client: rds, pageSize: 100 }, { SnapshotType: 'manual' }))).flatMap(
    (p) => p.DBClusterSnapshots ?? [],
  );

  // Instance and cluster snapshots differ only in field names; one mapping serves both.
  interface ManualSnapshot {
    readonly what: string;
    readonly id: string;
    readonly arn: string;
    readonly source?: string;
    readonly encrypted?: boolean;
    readonly snapshot: { readonly KmsKeyId?: string; readonly Engine?: string; readonly SnapshotCreateTime?: Date; readonly TagList?: Parameters<typeof tagRecord>[0] };
    readonly sharing: () => Promise<string[]>;
  }
  const manual = (type?: string) => type === undefined || type === 'manual';
  const all: ManualSnapshot[] = [
    ...snapshots.filter((s) => manual(s.SnapshotType)).map((s): ManualSnapshot => {
      const id = s.DBSnapshotIdentifier ?? '';
      return {
        what: 'snapshot',
        id,
        arn: s.DBSnapshotArn ?? `arn:${partition}:rds:${region}:${account}:snapshot:${id}`,
        ...(s.DBInstanceIdentifier ? { source: `arn:${partition}:rds:${region}:${account}:db:${s.DBInstanceIdentifier}` } : {}),
        ...(s.Encrypted === undefined ? {} : { encrypted: s.Encrypted }),
        snapshot: s,
        sharing: async () =>
          restoreSharing((await rds.send(new DescribeDBSnapshotAttributesCommand({ DBSnapshotIdentifier: id }))).DBSnapshotAttributesResult?.DBSnapshotAttributes),
      };
    }),
    ...clusterSnapshots.filter((s) => manual(s.SnapshotType)).map((s): ManualSnapshot => {
      const id = s.DBClusterSnapshotIdentifier ?? '';
      return {
        what: 'cluster snapshot',
        id,
        arn: s.DBClusterSnapshotArn ?? `arn:${partition}:rds:${region}:${account}:cluster-snapshot:${id}`,
        ...(s.DBClusterIdentifier ? { source: `arn:${partition}:rds:${region}:${account}:cluster:${s.DBClusterIdentifier}` } : {}),
        ...(s.StorageEncrypted === undefined ? {} : { encrypted: s.StorageEncrypted }),
        snapshot: s,
        sharing: async () =>
          restoreSharing(
            (await rds.send(new DescribeDBClusterSnapshotAttributesCommand({ DBClusterSnapshotIdentifier: id }))).DBClusterSnapshotAttributesResult?.DBClusterSnapshotAttributes,
          ),
      };
    }),
  ];
  const mapped = await mapLimit(all, CALLS_PER_TASK, async (m): Promise<Resource | undefined> => {
    let sharedWith: string[];
    try {
      sharedWith = await m.sharing();
    } catch (error) {
      problem(error, `sharing of ${m.what} ${m.id}`);
      return undefined;
    }
    return liveResource({
      type: 'aws.rds.snapshot',
      id: m.arn,
      arn: m.arn,
      account,
      region,
      name: m.id,
      tags: tagRecord(m.snapshot.TagList),
      properties: {
        sourceArn: m.source,
        sharedWith,
        encrypted: m.encrypted ?? false,
        kmsKeyId: m.encrypted && m.snapshot.KmsKeyId ? m.snapshot.KmsKeyId : null,
        engine: m.snapshot.Engine,
        snapshotType: 'manual',
        createdAt: iso(m.snapshot.SnapshotCreateTime),
      },
    });
  });
  for (const r of mapped) if (r) resources.push(r);
  return resources;
}
