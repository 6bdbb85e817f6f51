import { paginateDescribeRepositories, ECRClient } from '@aws-sdk/client-ecr';
import { DescribeClustersCommand, DescribeServicesCommand, ECSClient, paginateListClusters, paginateListServices } from '@aws-sdk/client-ecs';
import { DescribeClusterCommand, EKSClient, paginateListClusters as paginateListEksClusters } from '@aws-sdk/client-eks';
import { LambdaClient, paginateListFunctions } from '@aws-sdk/client-lambda';
import type { Resource } from '../../estate/types.js';
import { allPages, type CollectContext, cmp, iso, liveResource, mapLimit, sortedRecord, tagRecord } from './context.js';
import { CALLS_PER_TASK } from './runtime.js';

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** ECS clusters (described 100 at a time) and their services (10 at a time). */
export async function collectEcs(ctx: CollectContext): Promise<Resource[]> {
  const ecs = ctx.client(ECSClient, 'ecs');
  const arns = (await allPages(paginateListClusters({ client: ecs, pageSize: 100 }, {}))).flatMap((p) => p.clusterArns ?? []).sort(cmp);
  const resources: Resource[] = [];
  for (const batch of chunks(arns, 100)) {
    const described = await ecs.send(new DescribeClustersCommand({ clusters: batch, include: ['TAGS', 'SETTINGS'] }));
    for (const c of described.clusters ?? []) {
      if (!c.clusterArn) continue;
      resources.push(
        liveResource({
          type: 'aws.ecs.cluster',
          id: c.clusterArn,
          arn: c.clusterArn,
          account: ctx.account,
          region: ctx.region,
          name: c.clusterName,
          tags: tagRecord(c.tags),
          properties: {
            status: c.status,
            containerInsights: (c.settings ?? []).find((s) => s.name === 'containerInsights')?.value,
            activeServices: c.activeServicesCount,
          },
        }),
      );
    }
  }
  const perCluster = await mapLimit(arns, CALLS_PER_TASK, async (cluster) => {
    const serviceArns = (await allPages(paginateListServices({ client: ecs, pageSize: 100 }, { cluster }))).flatMap((p) => p.serviceArns ?? []).sort(cmp);
    const out: Resource[] = [];
    for (const batch of chunks(serviceArns, 10)) {
      const described = await ecs.send(new DescribeServicesCommand({ cluster, services: batch, include: ['TAGS'] }));
      for (const s of described.services ?? []) {
        if (!s.serviceArn) continue;
        out.push(
          liveResource({
            type: 'aws.ecs.service',
            id: s.serviceArn,
            arn: s.serviceArn,
            account: ctx.account,
            region: ctx.region,
            name: s.serviceName,
            tags: tagRecord(s.tags),
            properties: {
              cluster,
              launchType: s.launchType ?? (s.capacityProviderStrategy?.length ? 'CAPACITY_PROVIDER' : undefined),
              desiredCount: s.desiredCount,
              status: s.status,
              assignPublicIp: s.networkConfiguration?.awsvpcConfiguration?.assignPublicIp,
            },
          }),
        );
      }
    }
    return out;
  });
  return [...resources, ...perCluster.flat()];
}

/** EKS clusters: the list, then one DescribeCluster each for version and endpoint access. */
export async function collectEks(ctx: CollectContext): Promise<Resource[]> {
  const eks = ctx.client(EKSClient, 'eks');
  const names = (await allPages(paginateListEksClusters({ client: eks, pageSize: 100 }, {}))).flatMap((p) => p.clusters ?? []).sort(cmp);
  const out = await mapLimit(names, CALLS_PER_TASK, async (name) => {
    const c = (await eks.send(new DescribeClusterCommand({ name }))).cluster;
    const id = c?.arn ?? `arn:${ctx.partition}:eks:${ctx.region}:${ctx.account}:cluster/${name}`;
    return liveResource({
      type: 'aws.eks.cluster',
      id,
      arn: id,
      account: ctx.account,
      region: ctx.region,
      name,
      tags: c?.tags ? sortedRecord(c.tags) : undefined,
      properties: {
        version: c?.version,
        status: c?.status,
        endpointPublicAccess: c?.resourcesVpcConfig?.endpointPublicAccess,
        secretsEncrypted: (c?.encryptionConfig ?? []).some((e) => (e.resources ?? []).includes('secrets')),
      },
    });
  });
  return out;
}

/** Lambda functions, in bulk. */
export async function collectLambda(ctx: CollectContext): Promise<Resource[]> {
  const lambda = ctx.client(LambdaClient, 'lambda');
  const functions = (await allPages(paginateListFunctions({ client: lambda, pageSize: 50 }, {}))).flatMap((p) => p.Functions ?? []);
  return functions
    .filter((f) => f.FunctionArn)
    .map((f) =>
      liveResource({
        type: 'aws.lambda.function',
        id: f.FunctionArn as string,
        arn: f.FunctionArn,
        account: ctx.account,
        region: ctx.region,
        name: f.FunctionName,
        properties: {
          runtime: f.Runtime,
          packageType: f.PackageType,
          role: f.Role,
          kmsKeyId: f.KMSKeyArn ?? null,
          vpcId: f.VpcConfig?.VpcId || null,
          lastModified: iso(f.LastModified),
        },
      }),
    );
}

/** ECR repositories with their encryption, in bulk. */
export async function collectEcr(ctx: CollectContext): Promise<Resource[]> {
  const ecr = ctx.client(ECRClient, 'ecr');
  const repos = (await allPages(paginateDescribeRepositories({ client: ecr, pageSize: 1000 }, {}))).flatMap((p) => p.repositories ?? []);
  return repos
    .filter((r) => r.repositoryArn)
    .map((r) =>
      liveResource({
        type: 'aws.ecr.repository',
        id: r.repositoryArn as string,
        arn: r.repositoryArn,
        account: ctx.account,
        region: ctx.region,
        name: r.repositoryName,
        properties: {
          encryptionType: r.encryptionConfiguration?.encryptionType ?? 'AES256',
          kmsKeyId: r.encryptionConfiguration?.encryptionType?.startsWith('KMS') ? (r.encryptionConfiguration.kmsKey ?? null) : null,
          imageTagMutability: r.imageTagMutability,
          scanOnPush: r.imageScanningConfiguration?.scanOnPush ?? false,
        },
      }),
    );
}
