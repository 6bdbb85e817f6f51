import { OrglintError } from '../../errors.js';
import { isAccountId, parseArn } from '../../estate/arn.js';
import type { Estate } from '../../estate/types.js';
import { planFileOf } from './load-plan.js';
import type { PlanConfigModule, PlanExpression, PlanProviderConfig, PlanTarget, TerraformPlan } from './plan-types.js';
import { asStringMap, block } from './values.js';

/** The account id used when only `--environment` says where a plan lands. */
export const PLACEHOLDER_ACCOUNT = '000000000000';
export const PLACEHOLDER_ACCOUNT_NAME = 'planned-account';

/** What one AWS provider configuration says about where its resources go. */
export interface ProviderSettings {
  readonly account?: string;
  readonly region?: string;
  readonly defaultTags?: Readonly<Record<string, string>>;
}

const SETTING_KEYS = ['region', 'assume_role', 'assume_role_with_web_identity', 'allowed_account_ids', 'default_tags'];

/**
 * The AWS provider configurations of a plan, resolved per resource through `provider_config_key`.
 * Terraform ≥ 1.1 points a resource straight at the configuration it uses; older versions write
 * `<module name>:aws` and list module entries without expressions, which inherit from the parent.
 */
export class ProviderIndex {
  private readonly configs: Readonly<Record<string, PlanProviderConfig>>;
  private readonly cache = new Map<string, ProviderSettings>();

  constructor(private readonly plan: TerraformPlan) {
    this.configs = plan.configuration?.provider_config ?? {};
  }

  /** The settings of the root module's default `aws` provider. */
  root(): ProviderSettings {
    return this.resolve('aws', '');
  }

  /** Every root-level AWS provider configuration, aliases included. */
  rootConfigs(): ProviderSettings[] {
    return Object.entries(this.configs)
      .filter(([key, pc]) => !key.includes(':') && pc.name === 'aws')
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key]) => this.resolve(key, ''));
  }

  /** Settings for a resource whose configuration names `key`, in the module at `configPath` (`module.a.module.b`). */
  resolve(key: string | undefined, configPath: string): ProviderSettings {
    const cacheKey = `${configPath}\u0000${key ?? ''}`;
    let settings = this.cache.get(cacheKey);
    if (!settings) {
      settings = this.compute(key ?? 'aws', configPath, 0);
      this.cache.set(cacheKey, settings);
    }
    return settings;
  }

  private compute(key: string, configPath: string, depth: number): ProviderSettings {
    if (depth > 64) return {};
    const colon = key.lastIndexOf(':');
    const local = colon === -1 ? key : key.slice(colon + 1);
    let entryKey = key;
    let entry = this.configs[key];
    if (!entry && colon !== -1 && !key.startsWith('module.') && configPath !== '') {
      // Terraform < 1.1 writes `<module name>:aws`; the map holds `module.a.module.b:aws`.
      entryKey = `${configPath}:${local}`;
      entry = this.configs[entryKey];
    }
    if (entry && hasSettings(entry)) return this.settingsOf(entry, entryKey.includes(':'));
    // No configuration block here: the module inherits its parent's provider of the same name.
    const modulePath = entryKey.includes(':') ? entryKey.slice(0, entryKey.lastIndexOf(':')) : configPath;
    if (modulePath === '' || !modulePath.startsWith('module.')) {
      const rootEntry = this.configs[local];
      return rootEntry && rootEntry !== entry ? this.settingsOf(rootEntry, false) : entry ? this.settingsOf(entry, false) : {};
    }
    const parent = modulePath.includes('.module.') ? modulePath.slice(0, modulePath.lastIndexOf('.module.')) : '';
    return this.compute(parent === '' ? local : `${parent}:${local}`, parent, depth + 1);
  }

  private settingsOf(entry: PlanProviderConfig, inModule: boolean): ProviderSettings {
    const expressions = entry.expressions ?? {};
    const region = this.constant(expressions.region, inModule);
    const roleArn =
      this.constant(block(expressions.assume_role)?.role_arn, inModule) ??
      this.constant(block(expressions.assume_role_with_web_identity)?.role_arn, inModule);
    let account: string | undefined;
    const roleAccount = typeof roleArn === 'string' ? parseArn(roleArn)?.account : undefined;
    if (roleAccount && isAccountId(roleAccount)) account = roleAccount;
    const allowed = this.constant(expressions.allowed_account_ids, inModule);
    if (!account && Array.isArray(allowed) && allowed.length === 1 && typeof allowed[0] === 'string' && isAccountId(allowed[0])) {
      account = allowed[0];
    }
    const tags = asStringMap(this.constant(block(expressions.default_tags)?.tags, inModule));
    return {
      ...(account ? { account } : {}),
      ...(typeof region === 'string' && region !== '' ? { region } : {}),
      ...(tags && Object.keys(tags).length > 0 ? { defaultTags: tags } : {}),
    };
  }

  /** A constant, or a root variable's value when the expression reads exactly one `var.x`. */
  private constant(expression: unknown, inModule: boolean): unknown {
    if (expression === null || typeof expression !== 'object') return undefined;
    const e = expression as PlanExpression;
    if (e.constant_value !== undefined) return e.constant_value;
    const refs = e.references ?? [];
    if (!inModule && refs.length === 1 && refs[0]?.startsWith('var.')) {
      return this.plan.variables?.[refs[0].slice(4)]?.value;
    }
    return undefined;
  }
}

function hasSettings(entry: PlanProviderConfig): boolean {
  const expressions = entry.expressions;
  return expressions !== undefined && SETTING_KEYS.some((k) => k in expressions);
}

export interface PlanTargetOptions {
  /** `--account`: a 12-digit account id. */
  readonly account?: string;
  /** `--environment`: the environment whose rules the planned resources must meet. */
  readonly environment?: string;
  /** The estate the plan is overlaid on (`--estate` or `--live`). */
  readonly baseEstate?: Estate;
  /** The plan's file name, for messages. */
  readonly file?: string;
}

/**
 * Decides which account (and region) a plan applies to: `--account`; else the root AWS provider's
 * constant `assume_role` role ARN or single `allowed_account_ids`; else the base-estate account
 * that owns resources the plan changes; else the one account the prior state's ARNs name; else,
 * with only `--environment`, a placeholder account. Otherwise fails with `plan-target-unknown`.
 */
export function resolvePlanTarget(plan: TerraformPlan, options: PlanTargetOptions = {}): PlanTarget {
  const file = options.file ?? planFileOf(plan) ?? 'the plan';
  const providers = new ProviderIndex(plan);
  const root = providers.root();
  const region = root.region ?? uniqueOf(providers.rootConfigs().map((p) => p.region));
  const env = options.environment === undefined ? {} : { environment: options.environment };
  const withRegion = region === undefined ? {} : { region };
  const baseName = (account: string) => options.baseEstate?.accounts.find((a) => a.id === account)?.name;
  const named = (account: string) => {
    const name = baseName(account);
    return name === undefined ? {} : { accountName: name };
  };

  if (options.account !== undefined) {
    if (!isAccountId(options.account)) {
      throw new OrglintError('invalid-argument', `--account is "${options.account}", but must be a 12-digit AWS account id such as 111122223333.`);
    }
    return { account: options.account, ...named(options.account), ...withRegion, ...env, source: 'flag' };
  }
  const providerAccount = root.account ?? uniqueOf(providers.rootConfigs().map((p) => p.account), true);
  if (providerAccount) return { account: providerAccount, ...named(providerAccount), ...withRegion, ...env, source: 'provider' };

  const owners = priorOwners(plan);
  if (options.baseEstate) {
    const known = new Set(options.baseEstate.accounts.map((a) => a.id));
    for (const r of options.baseEstate.resources) known.add(r.account);
    const bucketOwner = new Map<string, string>();
    for (const r of options.baseEstate.resources) if (r.type === 'aws.s3.bucket' && r.name) bucketOwner.set(r.name, r.account);
    const counts = new Map<string, number>();
    for (const account of owners.accounts) if (known.has(account)) counts.set(account, (counts.get(account) ?? 0) + 1);
    for (const bucket of owners.buckets) {
      const account = bucketOwner.get(bucket);
      if (account) counts.set(account, (counts.get(account) ?? 0) + 1);
    }
    const best = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0];
    if (best) return { account: best[0], ...named(best[0]), ...withRegion, ...env, source: 'base-estate' };
  } else {
    const distinct = [...new Set(owners.accounts)];
    if (distinct.length === 1 && distinct[0]) return { account: distinct[0], ...withRegion, ...env, source: 'prior-state' };
  }
  if (options.environment !== undefined) {
    return { account: PLACEHOLDER_ACCOUNT, accountName: PLACEHOLDER_ACCOUNT_NAME, ...withRegion, ...env, source: 'environment' };
  }
  throw new OrglintError(
    'plan-target-unknown',
    `${file}: cannot tell which AWS account the plan applies to (its AWS provider has no constant assume_role role_arn or single allowed_account_ids, and no resource it changes is known to a base estate); pass --account <12-digit id> or --environment <name>.`,
  );
}

/** Accounts named by the ARNs of resources that already exist (the `before` side), and bucket names. */
function priorOwners(plan: TerraformPlan): { accounts: string[]; buckets: string[] } {
  const accounts: string[] = [];
  const buckets: string[] = [];
  for (const rc of plan.resource_changes ?? []) {
    if (rc.mode === 'data') continue;
    const before = rc.change.before;
    if (!before) continue;
    const arn = typeof before.arn === 'string' ? parseArn(before.arn) : undefined;
    if (arn && isAccountId(arn.account)) accounts.push(arn.account);
    else if (rc.type === 'aws_s3_bucket' && typeof before.bucket === 'string') buckets.push(before.bucket);
  }
  return { accounts, buckets };
}

function uniqueOf(values: (string | undefined)[], requireAll = false): string | undefined {
  const defined = values.filter((v): v is string => v !== undefined);
  if (requireAll && defined.length !== values.length) return undefined;
  const distinct = [...new Set(defined)];
  return distinct.length === 1 ? distinct[0] : undefined;
}

/** Walks the configuration's modules: config path (`module.a.module.b`) → module. */
export function configModules(plan: TerraformPlan): Map<string, PlanConfigModule> {
  const out = new Map<string, PlanConfigModule>();
  const visit = (path: string, module: PlanConfigModule | undefined): void => {
    if (!module) return;
    out.set(path, module);
    for (const [name, call] of Object.entries(module.module_calls ?? {})) {
      visit(path === '' ? `module.${name}` : `${path}.module.${name}`, call.module);
    }
  };
  visit('', plan.configuration?.root_module);
  return out;
}
