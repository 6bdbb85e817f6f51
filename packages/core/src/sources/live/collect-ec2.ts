import {
  EC2Client,
  paginateDescribeInstances,
  paginateDescribeRouteTables,
  paginateDescribeSecurityGroups,
  paginateDescribeSubnets,
  paginateDescribeVpcPeeringConnections,
  paginateDescribeVpcs,
  type IpPermission,
  type RouteTable,
} from '@aws-sdk/client-ec2';
import type { Resource } from '../../estate/types.js';
import { allPages, type CollectContext, cmp, iso, liveResource, tagRecord } from './context.js';

const uniqueSorted = (values: Iterable<string | undefined>): string[] => [...new Set([...values].filter((v): v is string => !!v))].sort(cmp);

/**
 * EC2 of one region, all in bulk: instances, VPCs, subnets (public = routed to an internet
 * gateway, from the route tables), security groups with ingress, VPC peerings.
 */
export async function collectEc2(ctx: CollectContext): Promise<Resource[]> {
  const ec2 = ctx.client(EC2Client, 'ec2');
  const { account, region, partition } = ctx;
  const arn = (kind: string, id: string): string => `arn:${partition}:ec2:${region}:${account}:${kind}/${id}`;
  const resources: Resource[] = [];

  const reservations = (await allPages(paginateDescribeInstances({ client: ec2, pageSize: 1000 }, {}))).flatMap((p) => p.Reservations ?? []);
  for (const i of reservations.flatMap((r) => r.Instances ?? [])) {
    if (!i.InstanceId) continue;
    const tags = tagRecord(i.Tags);
    resources.push(
      liveResource({
        type: 'aws.ec2.instance',
        id: arn('instance', i.InstanceId),
        arn: arn('instance', i.InstanceId),
        account,
        region,
        name: tags.Name ?? i.InstanceId,
        tags,
        properties: {
          state: i.State?.Name,
          instanceType: i.InstanceType,
          securityGroups: uniqueSorted((i.SecurityGroups ?? []).map((g) => g.GroupId)),
          subnetId: i.SubnetId,
          vpcId: i.VpcId,
          publicIp: i.PublicIpAddress ?? null,
          imdsV2Required: i.MetadataOptions?.HttpTokens === undefined ? undefined : i.MetadataOptions.HttpTokens === 'required',
          iamInstanceProfile: i.IamInstanceProfile?.Arn ?? null,
          launchedAt: iso(i.LaunchTime),
        },
      }),
    );
  }

  const vpcs = (await allPages(paginateDescribeVpcs({ client: ec2, pageSize: 1000 }, {}))).flatMap((p) => p.Vpcs ?? []);
  const subnets = (await allPages(paginateDescribeSubnets({ client: ec2, pageSize: 1000 }, {}))).flatMap((p) => p.Subnets ?? []);
  const routeTables = (await allPages(paginateDescribeRouteTables({ client: ec2, pageSize: 100 }, {}))).flatMap((p) => p.RouteTables ?? []);
  const publicSubnets = subnetsRoutedToInternet(routeTables, subnets.map((s) => ({ id: s.SubnetId ?? '', vpcId: s.VpcId ?? '' })));

  for (const v of vpcs) {
    if (!v.VpcId) continue;
    const tags = tagRecord(v.Tags);
    resources.push(
      liveResource({
        type: 'aws.ec2.vpc',
        id: arn('vpc', v.VpcId),
        arn: arn('vpc', v.VpcId),
        account,
        region,
        name: tags.Name ?? v.VpcId,
        tags,
        properties: {
          cidr: v.CidrBlock,
          isDefault: v.IsDefault ?? false,
          availabilityZones: uniqueSorted(subnets.filter((s) => s.VpcId === v.VpcId).map((s) => s.AvailabilityZone)),
        },
      }),
    );
  }

  for (const s of subnets) {
    if (!s.SubnetId) continue;
    const tags = tagRecord(s.Tags);
    const id = s.SubnetArn ?? arn('subnet', s.SubnetId);
    resources.push(
      liveResource({
        type: 'aws.ec2.subnet',
        id,
        arn: id,
        account,
        region,
        name: tags.Name ?? s.SubnetId,
        tags,
        properties: {
          vpcId: s.VpcId,
          availabilityZone: s.AvailabilityZone,
          cidr: s.CidrBlock,
          public: publicSubnets.has(s.SubnetId),
          mapPublicIpOnLaunch: s.MapPublicIpOnLaunch ?? false,
          defaultForAz: s.DefaultForAz ?? false,
        },
      }),
    );
  }

  const groups = (await allPages(paginateDescribeSecurityGroups({ client: ec2, pageSize: 1000 }, {}))).flatMap((p) => p.SecurityGroups ?? []);
  for (const g of groups) {
    if (!g.GroupId) continue;
    const id = g.SecurityGroupArn ?? arn('security-group', g.GroupId);
    resources.push(
      liveResource({
        type: 'aws.ec2.security-group',
        id,
        arn: id,
        account,
        region,
        name: g.GroupName,
        tags: tagRecord(g.Tags),
        properties: {
          groupId: g.GroupId,
          vpcId: g.VpcId,
          description: g.Description,
          ingress: (g.IpPermissions ?? []).map(permission),
          egress: (g.IpPermissionsEgress ?? []).map(permission),
        },
      }),
    );
  }

  const peerings = (await allPages(paginateDescribeVpcPeeringConnections({ client: ec2, pageSize: 1000 }, {}))).flatMap((p) => p.VpcPeeringConnections ?? []);
  for (const p of peerings) {
    if (!p.VpcPeeringConnectionId) continue;
    const id = arn('vpc-peering-connection', p.VpcPeeringConnectionId);
    resources.push(
      liveResource({
        type: 'aws.ec2.vpc-peering',
        id,
        arn: id,
        account,
        region,
        name: p.VpcPeeringConnectionId,
        tags: tagRecord(p.Tags),
        properties: {
          requesterAccount: p.RequesterVpcInfo?.OwnerId,
          accepterAccount: p.AccepterVpcInfo?.OwnerId,
          requesterVpc: p.RequesterVpcInfo?.VpcId,
          accepterVpc: p.AccepterVpcInfo?.VpcId,
          requesterRegion: p.RequesterVpcInfo?.Region ?? region,
          accepterRegion: p.AccepterVpcInfo?.Region ?? region,
          status: p.Status?.Code,
        },
      }),
    );
  }
  return resources;
}

function permission(p: IpPermission): Record<string, unknown> {
  return {
    protocol: p.IpProtocol ?? '-1',
    fromPort: p.FromPort ?? null,
    toPort: p.ToPort ?? null,
    cidrs: uniqueSorted([...(p.IpRanges ?? []).map((r) => r.CidrIp), ...(p.Ipv6Ranges ?? []).map((r) => r.CidrIpv6)]),
    sourceSecurityGroups: uniqueSorted((p.UserIdGroupPairs ?? []).map((g) => g.GroupId)),
    prefixLists: uniqueSorted((p.PrefixListIds ?? []).map((l) => l.PrefixListId)),
  };
}

/**
 * Subnets whose route table sends some destination to an internet gateway. A subnet without
 * an explicit association uses its VPC's main route table.
 */
export function subnetsRoutedToInternet(tables: readonly RouteTable[], subnets: readonly { id: string; vpcId: string }[]): Set<string> {
  const toInternet = (t: RouteTable): boolean => (t.Routes ?? []).some((r) => (r.GatewayId ?? '').startsWith('igw-') && r.State !== 'blackhole');
  const explicit = new Map<string, RouteTable>();
  const main = new Map<string, RouteTable>();
  for (const t of tables) {
    for (const a of t.Associations ?? []) {
      if (a.SubnetId) explicit.set(a.SubnetId, t);
      if (a.Main && t.VpcId) main.set(t.VpcId, t);
    }
  }
  const out = new Set<string>();
  for (const s of subnets) {
    const table = explicit.get(s.id) ?? main.get(s.vpcId);
    if (table && toInternet(table)) out.add(s.id);
  }
  return out;
}
