import type { AwsCredentialIdentityProvider, MiddlewareStack } from '@smithy/types';
import type { CoverageStatus, Estate } from '../../estate/types.js';

/** Which SDK client a middleware hook is being applied to. */
export interface ClientTarget {
  /** The account the client's calls are made for (for an AssumeRole client: the account being entered). */
  readonly account: string;
  /** The signing region, also for global services. */
  readonly region: string;
  /** The IAM service prefix of the client: `organizations`, `iam`, `sts`, `s3`, … */
  readonly service: string;
}

/** Options of {@link collectLiveEstate}. */
export interface LiveCollectOptions {
  /** Regions to collect; otherwise the caller account's enabled regions (ec2:DescribeRegions). */
  readonly regions?: readonly string[];
  /** The role assumed in every account other than the caller's own; default `OrgLintReadOnly`. */
  readonly roleName?: string;
  /** The external id the member roles' trust policies demand, if any. */
  readonly externalId?: string;
  /** Accounts collected in parallel; default 8. */
  readonly concurrency?: number;
  /** Shared-config profile for the caller's credentials; otherwise the SDK's default chain. */
  readonly profile?: string;
  /** Explicit caller credentials (tests); otherwise the SDK's default chain. */
  readonly credentials?: AwsCredentialIdentityProvider;
  /** One endpoint for every service (tests); the SDK honours AWS_ENDPOINT_URL by itself. */
  readonly endpoint?: string;
  /** SDK attempts per call, adaptive retry mode; default 5. */
  readonly maxAttempts?: number;
  /** Per-call socket timeout in milliseconds; default 20000. */
  readonly requestTimeoutMs?: number;
  /** The collection timestamp; the only clock the estate sees. */
  readonly now: () => Date;
  /** Called as the collection advances: after discovery, after each account, at the end. */
  readonly onProgress?: (progress: LiveProgress) => void;
  /** Test hook: lets tests add middleware to every SDK client the collector creates. */
  readonly clientMiddleware?: (stack: MiddlewareStack<any, any>, target: ClientTarget) => void;
}

/** Number of coverage records per status. */
export type CoverageCounts = Record<CoverageStatus, number>;

/** A snapshot of the collection, enough for a progress line and a closing summary. */
export interface LiveProgress {
  readonly phase: 'discovery' | 'accounts' | 'done';
  readonly accountsDone: number;
  readonly accountsTotal: number;
  /** SDK commands sent so far (retries of one command count once). */
  readonly calls: number;
  /** Problems that became coverage records other than `collected`. */
  readonly errors: number;
  readonly elapsedMs: number;
  /** The account that just finished (phase `accounts`). */
  readonly account?: string;
  /** Coverage records per status so far (complete at phase `done`). */
  readonly coverage: CoverageCounts;
}

/** What {@link collectLiveEstate} returns: the estate and how it was obtained. */
export interface LiveCollection {
  readonly estate: Estate;
  readonly stats: {
    readonly calls: number;
    readonly callsByAccount: Record<string, number>;
    /** Keyed `service:Operation`, the SDK operation name (see `iamActionFor` for the IAM action). */
    readonly callsByOperation: Record<string, number>;
    readonly errors: number;
    readonly accounts: number;
    readonly regions: string[];
    readonly elapsedMs: number;
    readonly coverage: CoverageCounts;
  };
}
