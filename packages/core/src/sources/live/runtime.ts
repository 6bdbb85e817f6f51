import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { STSClient } from '@aws-sdk/client-sts';
import { fromNodeProviderChain, fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type {
  AwsCredentialIdentity,
  AwsCredentialIdentityProvider,
  InitializeHandlerOptions,
  InitializeMiddleware,
  MiddlewareStack,
  Pluggable,
} from '@smithy/types';
import { CoverageLog } from './context.js';
import { operationName } from './iam-actions.js';
import type { ClientTarget, LiveCollectOptions, LiveProgress } from './types.js';

export const DEFAULT_ROLE_NAME = 'OrgLintReadOnly';
export const DEFAULT_CONCURRENCY = 8;
export const DEFAULT_MAX_ATTEMPTS = 5;
export const DEFAULT_REQUEST_TIMEOUT_MS = 20_000;
/** Service collections in flight per account (regions × services), on top of the account bound. */
export const TASKS_PER_ACCOUNT = 4;
/** Per-resource calls in flight inside one service collection (per key, per bucket, per snapshot). */
export const CALLS_PER_TASK = 4;
/** Whom calls are counted for before the caller's account is known. */
const CALLER = 'caller';

/** The constructor shape shared by every SDK v3 client. */
export type ClientClass<C> = new (config: Record<string, unknown>) => C;

interface SdkClient {
  readonly middlewareStack: MiddlewareStack<any, any>;
}

/** Counts every SDK command per account and operation; the numbers behind stats and progress. */
export class CallStats {
  calls = 0;
  readonly byAccount = new Map<string, number>();
  readonly byOperation = new Map<string, number>();
  count(account: string, operation: string): void {
    this.calls += 1;
    this.byAccount.set(account, (this.byAccount.get(account) ?? 0) + 1);
    this.byOperation.set(operation, (this.byOperation.get(operation) ?? 0) + 1);
  }

  /** Files the calls made before the caller's account was known under that account. */
  attribute(placeholder: string, account: string): void {
    const n = this.byAccount.get(placeholder);
    if (n === undefined) return;
    this.byAccount.delete(placeholder);
    this.byAccount.set(account, (this.byAccount.get(account) ?? 0) + n);
  }
}

/** Resolved options with defaults applied. */
export interface ResolvedOptions {
  readonly roleName: string;
  readonly externalId: string | undefined;
  readonly concurrency: number;
  readonly maxAttempts: number;
  readonly requestTimeoutMs: number;
  readonly endpoint: string | undefined;
  readonly profile: string | undefined;
}

const COUNTER: InitializeHandlerOptions & { name: string; priority: 'high' } = {
  step: 'initialize',
  name: 'orglintCallCounter',
  priority: 'high',
};

/**
 * Everything the collectors share: one HTTP handler (one connection pool), the caller's and the
 * member accounts' credentials (each assumed once and cached), and the call statistics.
 */
export class LiveRuntime {
  readonly stats = new CallStats();
  readonly coverage = new CoverageLog();
  readonly options: ResolvedOptions;
  readonly started = performance.now();
  private readonly handler: NodeHttpHandler;
  private readonly callerProvider: AwsCredentialIdentityProvider;
  private readonly accountProviders = new Map<string, AwsCredentialIdentityProvider>();
  private readonly hook: LiveCollectOptions['clientMiddleware'];
  private readonly progress: LiveCollectOptions['onProgress'];
  private callerAccountId = '';

  /** The caller's own account, which needs no role; set once its identity is known. */
  get callerAccount(): string {
    return this.callerAccountId;
  }

  set callerAccount(account: string) {
    this.callerAccountId = account;
    this.stats.attribute(CALLER, account);
  }
  /** The region global services (IAM, Organizations, STS, Budgets) are signed for. */
  homeRegion = 'us-east-1';

  constructor(options: LiveCollectOptions) {
    this.options = {
      roleName: options.roleName ?? DEFAULT_ROLE_NAME,
      externalId: options.externalId,
      concurrency: Math.max(1, Math.floor(options.concurrency ?? DEFAULT_CONCURRENCY)),
      maxAttempts: Math.max(1, Math.floor(options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS)),
      requestTimeoutMs: Math.max(1, Math.floor(options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS)),
      endpoint: options.endpoint,
      profile: options.profile,
    };
    const sockets = Math.max(16, this.options.concurrency * TASKS_PER_ACCOUNT * 2);
    this.handler = new NodeHttpHandler({
      requestTimeout: this.options.requestTimeoutMs,
      throwOnRequestTimeout: true,
      connectionTimeout: Math.min(5_000, this.options.requestTimeoutMs),
      httpAgent: new HttpAgent({ keepAlive: true, maxSockets: sockets }),
      httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: sockets }),
    });
    this.hook = options.clientMiddleware;
    this.progress = options.onProgress;
    this.callerProvider = memoizeCredentials(
      options.credentials ?? fromNodeProviderChain(this.options.profile === undefined ? {} : { profile: this.options.profile }),
    );
  }

  /**
   * The region the SDK would use on its own (AWS_REGION, the profile's region), else us-east-1,
   * where the aws partition's global services live. Global services only need some region of
   * the partition, and one that is enabled in every account.
   */
  async resolveHomeRegion(): Promise<string> {
    try {
      const probe = new STSClient(this.options.profile === undefined ? {} : { profile: this.options.profile });
      const region = await probe.config.region();
      probe.destroy();
      if (region) return (this.homeRegion = region);
    } catch {
      // No region configured anywhere: fall back below.
    }
    return (this.homeRegion = 'us-east-1');
  }

  /** Credentials for an account: the caller's own for its account, else the assumed member role. */
  credentialsFor(account: string): AwsCredentialIdentityProvider {
    if (account === this.callerAccount) return this.callerProvider;
    let provider = this.accountProviders.get(account);
    if (!provider) {
      const roleArn = `arn:${this.partition}:iam::${account}:role/${this.options.roleName}`;
      provider = memoizeCredentials(
        fromTemporaryCredentials({
          masterCredentials: this.callerProvider,
          params: {
            RoleArn: roleArn,
            RoleSessionName: 'orglint',
            DurationSeconds: 3600,
            ...(this.options.externalId === undefined ? {} : { ExternalId: this.options.externalId }),
          },
          clientConfig: this.baseConfig(this.homeRegion),
          clientPlugins: [this.plugin({ account, region: this.homeRegion, service: 'sts' })],
        }),
      );
      this.accountProviders.set(account, provider);
    }
    return provider;
  }

  /** The role ARN used for an account, for coverage reasons. */
  roleArnFor(account: string): string {
    return `arn:${this.partition}:iam::${account}:role/${this.options.roleName}`;
  }

  partition = 'aws';

  /** A client for one service in one account and region, counted and hooked. */
  client<C extends SdkClient>(Client: ClientClass<C>, service: string, account: string, region: string, extra: Record<string, unknown> = {}): C {
    const client = new Client({ ...this.baseConfig(region), credentials: this.credentialsFor(account), ...(service === 's3' ? this.s3Config() : {}), ...extra });
    this.plugin({ account, region, service }).applyToStack(client.middlewareStack);
    return client;
  }

  /** A client with the caller's own credentials (discovery), before the caller's account is known. */
  callerClient<C extends SdkClient>(Client: ClientClass<C>, service: string, region: string): C {
    const client = new Client({ ...this.baseConfig(region), credentials: this.callerProvider });
    this.plugin({ account: this.callerAccount || CALLER, region, service }).applyToStack(client.middlewareStack);
    return client;
  }

  /**
   * S3 answers a request signed for the wrong region with a redirect, which the SDK follows
   * when asked; an explicit endpoint (an emulator on `localhost`) needs path-style URLs.
   */
  private s3Config(): Record<string, unknown> {
    return { followRegionRedirects: true, ...(this.options.endpoint === undefined ? {} : { forcePathStyle: true }) };
  }

  private baseConfig(region: string): Record<string, unknown> {
    return {
      region,
      maxAttempts: this.options.maxAttempts,
      retryMode: 'adaptive',
      requestHandler: this.handler,
      ...(this.options.endpoint === undefined ? {} : { endpoint: this.options.endpoint }),
      ...(this.options.profile === undefined ? {} : { profile: this.options.profile }),
    };
  }

  /** The counting middleware plus the test hook, applied at most once per stack. */
  private plugin(target: ClientTarget): Pluggable<any, any> {
    const applied = new WeakSet<object>();
    const stats = this.stats;
    const counter: InitializeMiddleware<any, any> = (next, context) => async (args) => {
      const operation = `${target.service}:${operationName(String(context.commandName ?? 'Unknown'))}`;
      stats.count(target.account === CALLER ? this.callerAccount || CALLER : target.account, operation);
      this.maybeReport();
      try {
        return await next(args);
      } catch (error) {
        if (error !== null && typeof error === 'object') {
          (error as { $orglintOperation?: string }).$orglintOperation = operation;
        }
        throw error;
      }
    };
    return {
      applyToStack: (stack) => {
        if (applied.has(stack)) return;
        applied.add(stack);
        stack.add(counter, COUNTER);
        this.hook?.(stack, target);
      },
    };
  }

  // Progress ----------------------------------------------------------------------------------

  accountsDone = 0;
  accountsTotal = 0;
  phase: LiveProgress['phase'] = 'discovery';
  private lastReportedCalls = 0;

  /** Coverage records that say something could not be read (skipped regions are not errors). */
  errors(): number {
    const counts = this.coverage.counts();
    return counts.denied + counts.failed;
  }

  elapsedMs(): number {
    return Math.round(performance.now() - this.started);
  }

  report(account?: string): void {
    if (!this.progress) return;
    this.lastReportedCalls = this.stats.calls;
    this.progress({
      phase: this.phase,
      accountsDone: this.accountsDone,
      accountsTotal: this.accountsTotal,
      calls: this.stats.calls,
      errors: this.errors(),
      elapsedMs: this.elapsedMs(),
      ...(account === undefined ? {} : { account }),
      coverage: this.coverage.counts(),
    });
  }

  /** Keeps a progress line moving inside a long account: one report per 50 calls. */
  private maybeReport(): void {
    if (this.progress && this.stats.calls - this.lastReportedCalls >= 50) this.report();
  }

  destroy(): void {
    this.handler.destroy();
  }
}

/**
 * Caches credentials until five minutes before they expire, so that an account's role is
 * assumed once for all its clients (each SDK client would otherwise assume it again).
 */
export function memoizeCredentials(provider: AwsCredentialIdentityProvider): AwsCredentialIdentityProvider {
  let value: AwsCredentialIdentity | undefined;
  let pending: Promise<AwsCredentialIdentity> | undefined;
  return async () => {
    if (value && (value.expiration === undefined || value.expiration.getTime() - Date.now() > 300_000)) return value;
    pending ??= provider().then(
      (identity) => {
        value = identity;
        pending = undefined;
        return identity;
      },
      (error: unknown) => {
        pending = undefined;
        throw error;
      },
    );
    return pending;
  };
}
