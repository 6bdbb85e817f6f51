import type { ResourceType } from './resource-types.js';

/** The version of the estate document this build reads and writes. */
export const ESTATE_SCHEMA_VERSION = 1;

export type CoverageStatus = 'collected' | 'denied' | 'failed' | 'skipped';

/** Whether one service was collected for one account and region, and if not, why. */
export interface CoverageRecord {
  readonly account: string;
  readonly region: string;
  readonly service: string;
  readonly status: CoverageStatus;
  readonly reason?: string;
}

export interface OrganizationalUnit {
  readonly id: string;
  readonly name?: string;
  /** `/` is the root; `/Workloads/Prod` an OU two levels down. */
  readonly path: string;
  readonly tags?: Readonly<Record<string, string>>;
}

export interface OrganizationPolicy {
  readonly id: string;
  readonly name: string;
  readonly arn?: string;
  readonly type: string;
  readonly awsManaged?: boolean;
  readonly content?: unknown;
  /** `/` for the root, an OU path, or an account id. */
  readonly targets: readonly string[];
}

export interface Organization {
  readonly id?: string;
  readonly managementAccountId: string;
  readonly rootId?: string;
  readonly organizationalUnits?: readonly OrganizationalUnit[];
  readonly policies?: readonly OrganizationPolicy[];
}

export interface Account {
  readonly id: string;
  readonly name: string;
  readonly email?: string;
  readonly ouPath: string;
  readonly status?: string;
  readonly tags?: Readonly<Record<string, string>>;
}

export interface ResourceOrigin {
  readonly kind: 'live' | 'file' | 'plan';
  readonly address?: string;
  readonly file?: string;
  readonly line?: number;
  readonly action?: 'create' | 'update' | 'delete' | 'replace' | 'no-op' | 'read';
}

export interface Resource {
  readonly type: ResourceType;
  /** Stable identity: the ARN where the resource has one. */
  readonly id: string;
  readonly arn?: string;
  readonly account: string;
  /** An AWS region, or `global`. */
  readonly region: string;
  readonly name?: string;
  readonly tags?: Readonly<Record<string, string>>;
  readonly properties: Record<string, unknown>;
  /** Property paths (dotted, below `properties`) whose value is known only after apply. */
  readonly unknown?: readonly string[];
  readonly origin?: ResourceOrigin;
}

export interface EstateSource {
  readonly kind?: 'live' | 'file' | 'plan' | 'synthetic';
  readonly collectedAt?: string;
  readonly tool?: string;
  readonly description?: string;
  readonly regions?: readonly string[];
  readonly [key: string]: unknown;
}

/** The one model every source produces and every rule reads. */
export interface Estate {
  readonly schemaVersion: typeof ESTATE_SCHEMA_VERSION;
  readonly source?: EstateSource;
  readonly organization: Organization;
  readonly accounts: readonly Account[];
  readonly resources: readonly Resource[];
  readonly coverage: readonly CoverageRecord[];
}
