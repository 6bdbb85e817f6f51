import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import pLimit from 'p-limit';
import { OrglintError } from '../../errors.js';
import { parseEstate } from '../../estate/load-estate.js';
import { ESTATE_SCHEMA_VERSION, type Account, type Estate, type Resource } from '../../estate/types.js';
import { classifyError } from './aws-errors.js';
import { collectAccessAnalyzer, collectBudgets, collectCloudTrail, collectConfig } from './collect-governance.js';
import { collectIam } from './collect-iam.js';
import { collectEc2 } from './collect-ec2.js';
import { collectKms, collectRds } from './collect-kms-rds.js';
import { collectElastiCache, collectLoadBalancers } from './collect-network-cache.js';
import { collectS3 } from './collect-s3.js';
import { collectEcr, collectEcs, collectEks, collectLambda } from './collect-workloads.js';
import { type CollectContext, cmp } from './context.js';
import { discoverOrganization, identifyCaller } from './discovery.js';
import { LiveRuntime, TASKS_PER_ACCOUNT } from './runtime.js';
import type { LiveCollection, LiveCollectOptions } from './types.js';

/**
 * One service collector. `service` is the coverage name (the `service` of RESOURCE_TYPES);
 * `scope` says whether it runs once per account (`global`), once per account for all regions
 * (`account`: S3 lists buckets globally and files them by region) or once per region.
 */
interface ServiceSpec {
  readonly service: string;
  readonly scope: 'global' | 'account' | 'regional';
  readonly collect: (ctx: CollectContext) => Promise<Resource[]>;
}

/** Everything the collector reads, by coverage service name. */
export const LIVE_SERVICES: readonly ServiceSpec[] = [
  { service: 'iam', scope: 'global', collect: collectIam },
  { service: 'budgets', scope: 'global', collect: collectBudgets },
  { service: 's3', scope: 'account', collect: collectS3 },
  { service: 'accessanalyzer', scope: 'regional', collect: collectAccessAnalyzer },
  { service: 'cloudtrail', scope: 'regional', collect: collectCloudTrail },
  { service: 'config', scope: 'regional', collect: collectConfig },
  { service: 'ec2', scope: 'regional', collect: collectEc2 },
  { service: 'ecr', scope: 'regional', collect: collectEcr },
  { service: 'ecs', scope: 'regional', collect: collectEcs },
  { service: 'eks', scope: 'regional', collect: collectEks },
  { service: 'kms', scope: 'regional', collect: collectKms },
  { service: 'lambda', scope: 'regional', collect: collectLambda },
  { service: 'rds', scope: 'regional', collect: collectRds },
  { service: 'elasticache', scope: 'regional', collect: collectElastiCache },
  { service: 'elb', scope: 'regional', collect: collectLoadBalancers },
];

/** The IAM service prefix of each coverage service's client. */
const CLIENT_PREFIX: Readonly<Record<string, string>> = { accessanalyzer: 'access-analyzer', elb: 'elasticloadbalancing' };

const REGION = /^[a-z]{2}(-[a-z0-9]+)+-\d+$/;
const INACTIVE_ACCOUNT = new Set(['SUSPENDED', 'CLOSED', 'PENDING_CLOSURE']);

/**
 * Collects a whole AWS Organization into an estate: discovery from the management account,
 * then every account (its own role assumed, the caller's account with the caller's
 * credentials) and region in parallel with bounds, bulk calls first. What cannot be read
 * becomes a coverage record saying why; the rest of the organisation is still collected.
 *
 * Throws `OrglintError('aws-credentials')` when the caller's credentials do not work and
 * `OrglintError('aws-organizations')` when the caller cannot read the organisation.
 */
export async function collectLiveEstate(options: LiveCollectOptions): Promise<LiveCollection> {
  const requested = options.regions === undefined ? undefined : [...new Set(options.regions)].sort(cmp);
  for (const region of requested ?? []) {
    if (!REGION.test(region)) {
      throw new OrglintError('invalid-argument', `The region "${region}" is not an AWS region name; list regions like eu-west-1,us-east-1.`);
    }
  }
  if (requested !== undefined && requested.length === 0) {
    throw new OrglintError('invalid-argument', 'The list of regions is empty; name at least one region, for example eu-west-1, or leave it out to collect every enabled region.');
  }
  const runtime = new LiveRuntime(options);
  try {
    await runtime.resolveHomeRegion();
    const caller = await identifyCaller(runtime);
    runtime.callerAccount = caller.account;
    runtime.partition = caller.partition;
    runtime.report();

    const discovery = await discoverOrganization(runtime, caller);
    const regionState = new Map<string, Promise<Set<string> | undefined>>();
    const optedOut = (account: string): Promise<Set<string> | undefined> => {
      let p = regionState.get(account);
      if (!p) regionState.set(account, (p = disabledRegions(runtime, account)));
      return p;
    };
    let regions: string[];
    if (requested) {
      regions = requested;
    } else {
      regions = await enabledRegions(runtime, caller.account);
    }

    const coverage = runtime.coverage;
    for (const a of discovery.accounts) coverage.collected(a.id, 'global', 'organizations');
    for (const p of discovery.problems) {
      for (const a of p.account === '*' ? discovery.accounts.map((x) => x.id) : [p.account]) coverage.error(a, 'global', 'organizations', p.error, p.context);
    }

    runtime.phase = 'accounts';
    runtime.accountsTotal = discovery.accounts.length;
    runtime.report();

    // Accounts are not resources here: the engine makes one aws.organizations.account resource
    // per estate account, so a second copy would judge every account twice.
    const resources: Resource[] = [];
    const gate = pLimit(runtime.options.concurrency);
    await Promise.all(
      discovery.accounts.map((account) =>
        gate(async () => {
          resources.push(...(await collectAccount(runtime, account, regions, optedOut)));
          runtime.accountsDone += 1;
          runtime.report(account.id);
        }),
      ),
    );

    const estate: Estate = {
      schemaVersion: ESTATE_SCHEMA_VERSION,
      source: { kind: 'live', collectedAt: options.now().toISOString(), tool: 'orglint', regions, roleName: runtime.options.roleName },
      organization: {
        ...(discovery.organizationId ? { id: discovery.organizationId } : {}),
        managementAccountId: discovery.managementAccountId,
        ...(discovery.rootId ? { rootId: discovery.rootId } : {}),
        organizationalUnits: discovery.organizationalUnits,
        policies: discovery.policies,
      },
      accounts: discovery.accounts,
      resources: finishResources(resources),
      coverage: coverage.records(),
    };
    // The estate is a contract: a collector bug must surface here, not in a later replay.
    parseEstate(structuredClone(estate), 'the live collection');

    runtime.phase = 'done';
    runtime.report();
    const counts = coverage.counts();
    return {
      estate,
      stats: {
        calls: runtime.stats.calls,
        callsByAccount: sortedNumbers(runtime.stats.byAccount),
        callsByOperation: sortedNumbers(runtime.stats.byOperation),
        errors: counts.denied + counts.failed,
        accounts: discovery.accounts.length,
        regions,
        elapsedMs: runtime.elapsedMs(),
        coverage: counts,
      },
    };
  } finally {
    runtime.destroy();
  }
}

function sortedNumbers(map: ReadonlyMap<string, number>): Record<string, number> {
  return Object.fromEntries([...map.entries()].sort(([a], [b]) => cmp(a, b)));
}

/** Sorted by (type, id), one per identity, with facts that need several accounts filled in. */
function finishResources(resources: Resource[]): Resource[] {
  const bucketOwner = new Map<string, string>();
  for (const r of resources) if (r.type === 'aws.s3.bucket' && r.name) bucketOwner.set(r.name, r.account);
  for (const r of resources) {
    if (r.type === 'aws.cloudtrail.trail') {
      const bucket = r.properties.s3BucketName;
      r.properties.s3BucketAccount = typeof bucket === 'string' ? (bucketOwner.get(bucket) ?? null) : null;
    }
  }
  const sorted = [...resources].sort((a, b) => cmp(a.type, b.type) || cmp(a.id, b.id));
  return sorted.filter((r, i) => i === 0 || r.type !== sorted[i - 1]?.type || r.id !== sorted[i - 1]?.id);
}

/** The caller account's enabled regions, the default when no regions are given. */
async function enabledRegions(runtime: LiveRuntime, account: string): Promise<string[]> {
  const ec2 = runtime.client(EC2Client, 'ec2', account, runtime.homeRegion);
  try {
    const out = await ec2.send(new DescribeRegionsCommand({ AllRegions: true }));
    const enabled = (out.Regions ?? []).filter((r) => r.OptInStatus !== 'not-opted-in').map((r) => r.RegionName ?? '');
    return [...new Set(enabled.filter(Boolean))].sort(cmp);
  } catch (error) {
    throw new OrglintError(
      'invalid-argument',
      `The enabled regions of account ${account} could not be listed (${classifyError(error).reason}); name the regions to collect (--regions eu-west-1,us-east-1) or allow ec2:DescribeRegions.`,
      { cause: error },
    );
  }
}

/** Regions an account has not opted in to, or undefined when it cannot be told. */
async function disabledRegions(runtime: LiveRuntime, account: string): Promise<Set<string> | undefined> {
  const ec2 = runtime.client(EC2Client, 'ec2', account, runtime.homeRegion);
  try {
    const out = await ec2.send(new DescribeRegionsCommand({ AllRegions: true }));
    return new Set((out.Regions ?? []).filter((r) => r.OptInStatus === 'not-opted-in').map((r) => r.RegionName ?? ''));
  } catch {
    // Without this answer every region is tried; a disabled one then fails on its own calls.
    return undefined;
  }
}

/** Everything of one account; never throws: what fails becomes coverage. */
async function collectAccount(
  runtime: LiveRuntime,
  account: Account,
  regions: readonly string[],
  optedOut: (account: string) => Promise<Set<string> | undefined>,
): Promise<Resource[]> {
  const coverage = runtime.coverage;
  const everywhere = (status: 'denied' | 'failed' | 'skipped', reason: string): void => {
    for (const spec of LIVE_SERVICES) {
      for (const region of spec.scope === 'global' ? ['global'] : regions) coverage.fail(account.id, region, spec.service, status, reason);
    }
  };

  if (account.status && INACTIVE_ACCOUNT.has(account.status)) {
    everywhere('skipped', `account ${account.id} is ${account.status}`);
    return [];
  }
  if (account.id !== runtime.callerAccount) {
    try {
      await runtime.credentialsFor(account.id)();
    } catch (error) {
      const verdict = classifyError(error);
      everywhere(verdict.status, `role ${runtime.roleArnFor(account.id)} could not be assumed: ${verdict.reason}`);
      return [];
    }
  }

  const disabled = (await optedOut(account.id)) ?? new Set<string>();
  const active = regions.filter((r) => !disabled.has(r));
  for (const region of regions.filter((r) => disabled.has(r))) {
    for (const spec of LIVE_SERVICES) {
      if (spec.scope !== 'global') coverage.fail(account.id, region, spec.service, 'skipped', `region ${region} is not enabled in account ${account.id} (opt-in region)`);
    }
  }

  const tasks: { spec: ServiceSpec; region: string }[] = [];
  for (const spec of LIVE_SERVICES) {
    if (spec.scope === 'regional') for (const region of active) tasks.push({ spec, region });
    else tasks.push({ spec, region: 'global' });
  }

  const gate = pLimit(TASKS_PER_ACCOUNT);
  const found = await Promise.all(
    tasks.map(({ spec, region }) =>
      gate(async (): Promise<Resource[]> => {
        const covered = spec.scope === 'account' ? active : [region];
        const ctx: CollectContext = {
          runtime,
          account: account.id,
          region,
          regions: active,
          partition: runtime.partition,
          client: (Client, service, clientRegion) =>
            runtime.client(Client, CLIENT_PREFIX[spec.service] ?? service, account.id, clientRegion ?? (region === 'global' ? runtime.homeRegion : region)),
          problem: (service, problemRegion, error, context) => coverage.error(account.id, problemRegion, service, error, context),
        };
        try {
          const out = await spec.collect(ctx);
          for (const r of covered) coverage.collected(account.id, r, spec.service);
          return out;
        } catch (error) {
          for (const r of covered) coverage.error(account.id, r, spec.service, error);
          return [];
        }
      }),
    ),
  );
  return found.flat();
}
