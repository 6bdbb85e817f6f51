import { ElastiCacheClient, paginateDescribeReplicationGroups } from '@aws-sdk/client-elasticache';
import { ElasticLoadBalancingV2Client, paginateDescribeLoadBalancers } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Resource } from '../../estate/types.js';
import { allPages, type CollectContext, cmp, liveResource } from './context.js';

/**
 * ElastiCache (Redis OSS / Valkey) replication groups of one region, in bulk. Tags would cost
 * one call per group and no rule reads them yet, so they are not collected.
 */
export async function collectElastiCache(ctx: CollectContext): Promise<Resource[]> {
  const client = ctx.client(ElastiCacheClient, 'elasticache');
  const groups = (await allPages(paginateDescribeReplicationGroups({ client, pageSize: 100 }, {}))).flatMap((p) => p.ReplicationGroups ?? []);
  return groups
    .filter((g) => !!g.ReplicationGroupId)
    .map((g) => {
      const id = g.ARN ?? `arn:${ctx.partition}:elasticache:${ctx.region}:${ctx.account}:replicationgroup:${g.ReplicationGroupId ?? ''}`;
      return liveResource({
        type: 'aws.elasticache.replication-group',
        id,
        arn: id,
        account: ctx.account,
        region: ctx.region,
        name: g.ReplicationGroupId,
        properties: {
          engine: g.Engine ?? 'redis',
          multiAz: g.MultiAZ === 'enabled',
          automaticFailover: g.AutomaticFailover === 'enabled' || g.AutomaticFailover === 'enabling',
          atRestEncryption: g.AtRestEncryptionEnabled ?? false,
          transitEncryption: g.TransitEncryptionEnabled ?? false,
          kmsKeyId: g.KmsKeyId ?? null,
          nodeType: g.CacheNodeType,
          members: [...(g.MemberClusters ?? [])].sort(cmp),
          status: g.Status,
        },
      });
    });
}

/** Application, network and gateway load balancers (Elastic Load Balancing v2) of one region. */
export async function collectLoadBalancers(ctx: CollectContext): Promise<Resource[]> {
  const client = ctx.client(ElasticLoadBalancingV2Client, 'elasticloadbalancing');
  const balancers = (await allPages(paginateDescribeLoadBalancers({ client, pageSize: 400 }, {}))).flatMap((p) => p.LoadBalancers ?? []);
  return balancers
    .filter((b): b is typeof b & { LoadBalancerArn: string } => !!b.LoadBalancerArn)
    .map((b) =>
      liveResource({
        type: 'aws.elb.load-balancer',
        id: b.LoadBalancerArn,
        arn: b.LoadBalancerArn,
        account: ctx.account,
        region: ctx.region,
        name: b.LoadBalancerName,
        properties: {
          kind: b.Type,
          scheme: b.Scheme,
          securityGroups: [...(b.SecurityGroups ?? [])].sort(cmp),
          vpcId: b.VpcId,
          availabilityZones: [...new Set((b.AvailabilityZones ?? []).map((z) => z.ZoneName ?? '').filter(Boolean))].sort(cmp),
        },
      }),
    );
}
