import { AccessAnalyzerClient, paginateListAnalyzers, paginateListFindingsV2 } from '@aws-sdk/client-accessanalyzer';
import { BudgetsClient, paginateDescribeBudgets, paginateDescribeNotificationsForBudget } from '@aws-sdk/client-budgets';
import { CloudTrailClient, DescribeTrailsCommand, GetEventSelectorsCommand, GetTrailStatusCommand, type Trail } from '@aws-sdk/client-cloudtrail';
import {
  ConfigServiceClient,
  DescribeConfigurationRecordersCommand,
  DescribeConfigurationRecorderStatusCommand,
  paginateDescribeConfigurationAggregators,
} from '@aws-sdk/client-config-service';
import type { Resource } from '../../estate/types.js';
import { allPages, type CollectContext, cmp, liveResource, mapLimit, sortedRecord } from './context.js';
import { CALLS_PER_TASK } from './runtime.js';

/**
 * CloudTrail trails homed in this region (shadow copies of multi-region and organisation trails
 * belong to their home region and owner), each with its logging status and event selectors.
 */
export async function collectCloudTrail(ctx: CollectContext): Promise<Resource[]> {
  const ct = ctx.client(CloudTrailClient, 'cloudtrail');
  const trails = ((await ct.send(new DescribeTrailsCommand({ includeShadowTrails: false }))).trailList ?? []).filter(
    (t): t is Trail & { TrailARN: string } => !!t.TrailARN && (t.HomeRegion === undefined || t.HomeRegion === ctx.region),
  );
  const out = await mapLimit(trails, CALLS_PER_TASK, async (t) => {
    const status = await ct.send(new GetTrailStatusCommand({ Name: t.TrailARN }));
    const selectors = await ct.send(new GetEventSelectorsCommand({ TrailName: t.TrailARN }));
    return liveResource({
      type: 'aws.cloudtrail.trail',
      id: t.TrailARN,
      arn: t.TrailARN,
      account: ctx.account,
      region: ctx.region,
      name: t.Name,
      properties: {
        isOrganizationTrail: t.IsOrganizationTrail ?? false,
        isMultiRegionTrail: t.IsMultiRegionTrail ?? false,
        logFileValidation: t.LogFileValidationEnabled ?? false,
        isLogging: status.IsLogging ?? null,
        s3BucketName: t.S3BucketName,
        kmsKeyId: t.KmsKeyId ?? null,
        homeRegion: t.HomeRegion ?? ctx.region,
        includeGlobalServiceEvents: t.IncludeGlobalServiceEvents ?? false,
        managementEvents: managementEvents(selectors),
      },
    });
  });
  return out;
}

/**
 * Which management events a trail records: `All`, `ReadOnly`, `WriteOnly`, or null for none.
 * A trail without any selector records all management events (the AWS default).
 */
export function managementEvents(selectors: { EventSelectors?: { IncludeManagementEvents?: boolean; ReadWriteType?: string }[]; AdvancedEventSelectors?: { FieldSelectors?: { Field?: string; Equals?: string[] }[] }[] }): string | null {
  const basic = selectors.EventSelectors ?? [];
  const advanced = selectors.AdvancedEventSelectors ?? [];
  if (basic.length === 0 && advanced.length === 0) return 'All';
  const kinds = new Set<string>();
  for (const s of basic) if (s.IncludeManagementEvents !== false) kinds.add(s.ReadWriteType ?? 'All');
  for (const s of advanced) {
    const fields = s.FieldSelectors ?? [];
    if (!fields.some((f) => f.Field === 'eventCategory' && (f.Equals ?? []).includes('Management'))) continue;
    const readOnly = fields.find((f) => f.Field === 'readOnly')?.Equals?.[0];
    kinds.add(readOnly === 'true' ? 'ReadOnly' : readOnly === 'false' ? 'WriteOnly' : 'All');
  }
  if (kinds.has('All') || (kinds.has('ReadOnly') && kinds.has('WriteOnly'))) return 'All';
  return [...kinds][0] ?? null;
}

/** AWS Config recorders (with their status) and configuration aggregators of this region. */
export async function collectConfig(ctx: CollectContext): Promise<Resource[]> {
  const config = ctx.client(ConfigServiceClient, 'config');
  const { account, region, partition } = ctx;
  const recorders = (await config.send(new DescribeConfigurationRecordersCommand({}))).ConfigurationRecorders ?? [];
  const statuses = recorders.length > 0 ? ((await config.send(new DescribeConfigurationRecorderStatusCommand({}))).ConfigurationRecordersStatus ?? []) : [];
  const resources: Resource[] = [];
  for (const r of recorders) {
    const name = r.name ?? 'default';
    const status = statuses.find((s) => s.name === name);
    const id = r.arn ?? `arn:${partition}:config:${region}:${account}:configuration-recorder/${name}`;
    resources.push(
      liveResource({
        type: 'aws.config.recorder',
        id,
        ...(r.arn ? { arn: r.arn } : {}),
        account,
        region,
        name,
        properties: {
          recording: status?.recording ?? null,
          lastStatus: status?.lastStatus,
          allSupported: r.recordingGroup?.allSupported ?? false,
          includeGlobalResourceTypes: r.recordingGroup?.includeGlobalResourceTypes ?? false,
          resourceTypes: [...(r.recordingGroup?.resourceTypes ?? [])].sort(cmp),
          roleArn: r.roleARN,
        },
      }),
    );
  }
  const aggregators = (await allPages(paginateDescribeConfigurationAggregators({ client: config }, {}))).flatMap((p) => p.ConfigurationAggregators ?? []);
  for (const a of aggregators) {
    const name = a.ConfigurationAggregatorName ?? '';
    const id = a.ConfigurationAggregatorArn ?? `arn:${partition}:config:${region}:${account}:config-aggregator/${name}`;
    const org = a.OrganizationAggregationSource;
    const sources = a.AccountAggregationSources ?? [];
    resources.push(
      liveResource({
        type: 'aws.config.aggregator',
        id,
        arn: a.ConfigurationAggregatorArn,
        account,
        region,
        name,
        properties: {
          organizationWide: org !== undefined,
          allRegions: org ? (org.AllAwsRegions ?? false) : sources.length > 0 && sources.every((s) => s.AllAwsRegions === true),
          regions: [...new Set([...(org?.AwsRegions ?? []), ...sources.flatMap((s) => s.AwsRegions ?? [])])].sort(cmp),
          accounts: [...new Set(sources.flatMap((s) => s.AccountIds ?? []))].sort(cmp),
        },
      }),
    );
  }
  return resources;
}

/** IAM Access Analyzer analyzers of this region, each with its number of active findings. */
export async function collectAccessAnalyzer(ctx: CollectContext): Promise<Resource[]> {
  const aa = ctx.client(AccessAnalyzerClient, 'access-analyzer');
  const analyzers = (await allPages(paginateListAnalyzers({ client: aa, pageSize: 100 }, {}))).flatMap((p) => p.analyzers ?? []);
  return mapLimit(analyzers, CALLS_PER_TASK, async (a) => {
    const id = a.arn ?? `arn:${ctx.partition}:access-analyzer:${ctx.region}:${ctx.account}:analyzer/${a.name ?? ''}`;
    let activeFindings = 0;
    for await (const page of paginateListFindingsV2({ client: aa, pageSize: 100 }, { analyzerArn: id, filter: { status: { eq: ['ACTIVE'] } } })) {
      activeFindings += page.findings?.length ?? 0;
    }
    return liveResource({
      type: 'aws.accessanalyzer.analyzer',
      id,
      arn: id,
      account: ctx.account,
      region: ctx.region,
      name: a.name,
      tags: a.tags ? sortedRecord(a.tags) : undefined,
      properties: { analyzerType: a.type, status: a.status, activeFindings },
    });
  });
}

/** AWS Budgets of the account (a global service) with their notifications. */
export async function collectBudgets(ctx: CollectContext): Promise<Resource[]> {
  const budgets = ctx.client(BudgetsClient, 'budgets');
  const list = (await allPages(paginateDescribeBudgets({ client: budgets, pageSize: 100 }, { AccountId: ctx.account }))).flatMap((p) => p.Budgets ?? []);
  return mapLimit(list, CALLS_PER_TASK, async (b) => {
    const name = b.BudgetName ?? '';
    const notifications = (await allPages(paginateDescribeNotificationsForBudget({ client: budgets, pageSize: 100 }, { AccountId: ctx.account, BudgetName: name })))
      .flatMap((p) => p.Notifications ?? [])
      .map((n) => ({
        threshold: n.Threshold ?? 0,
        thresholdType: n.ThresholdType ?? 'PERCENTAGE',
        notificationType: n.NotificationType ?? 'ACTUAL',
        comparison: n.ComparisonOperator ?? 'GREATER_THAN',
      }))
      .sort((x, y) => cmp(`${x.notificationType}${x.comparison}${x.threshold}`, `${y.notificationType}${y.comparison}${y.threshold}`));
    const amount = b.BudgetLimit?.Amount === undefined ? null : Number(b.BudgetLimit.Amount);
    const id = `arn:${ctx.partition}:budgets::${ctx.account}:budget/${name}`;
    return liveResource({
      type: 'aws.budgets.budget',
      id,
      arn: id,
      account: ctx.account,
      region: 'global',
      name,
      properties: {
        limitAmount: amount === null || Number.isNaN(amount) ? null : amount,
        limitUnit: b.BudgetLimit?.Unit,
        timeUnit: b.TimeUnit,
        budgetType: b.BudgetType,
        // The linked accounts whose spend the budget tracks; empty: the budget's own account.
        accounts: [...new Set(b.CostFilters?.LinkedAccount ?? [])].sort(cmp),
        notifications,
      },
    });
  });
}
