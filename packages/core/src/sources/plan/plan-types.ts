import type { Account, OrganizationalUnit, OrganizationPolicy, Resource, ResourceOrigin } from '../../estate/types.js';
import type { ResourceType } from '../../estate/resource-types.js';

/**
 * The parts of `terraform show -json` output (format 0.1 to 1.x) that orglint reads. Every
 * field is optional because older Terraform versions omit what they do not know.
 */
export interface TerraformPlan {
  readonly format_version: string;
  readonly terraform_version?: string;
  readonly variables?: Readonly<Record<string, { readonly value?: unknown }>>;
  readonly planned_values?: { readonly root_module?: PlanModuleValues };
  readonly resource_changes?: readonly PlanResourceChange[];
  readonly prior_state?: { readonly values?: { readonly root_module?: PlanModuleValues } };
  readonly configuration?: PlanConfiguration;
  readonly errored?: boolean;
  readonly complete?: boolean;
}

export interface PlanModuleValues {
  readonly address?: string;
  readonly resources?: readonly PlanResourceValues[];
  readonly child_modules?: readonly PlanModuleValues[];
}

export interface PlanResourceValues {
  readonly address: string;
  readonly mode?: string;
  readonly type: string;
  readonly name: string;
  readonly index?: string | number;
  readonly values?: Record<string, unknown>;
  readonly sensitive_values?: unknown;
}

export type PlanAction = 'no-op' | 'create' | 'read' | 'update' | 'delete' | 'forget';

export interface PlanResourceChange {
  readonly address: string;
  readonly previous_address?: string;
  readonly module_address?: string;
  readonly mode?: 'managed' | 'data';
  readonly type: string;
  readonly name: string;
  readonly index?: string | number;
  readonly deposed?: string;
  readonly provider_name?: string;
  readonly action_reason?: string;
  readonly change: {
    readonly actions: readonly PlanAction[];
    readonly before?: Record<string, unknown> | null;
    readonly after?: Record<string, unknown> | null;
    readonly after_unknown?: unknown;
    readonly before_sensitive?: unknown;
    readonly after_sensitive?: unknown;
  };
}

/** An expression as `configuration` renders it: a constant, or the references it reads. */
export interface PlanExpression {
  readonly constant_value?: unknown;
  readonly references?: readonly string[];
}

export interface PlanConfiguration {
  readonly provider_config?: Readonly<Record<string, PlanProviderConfig>>;
  readonly root_module?: PlanConfigModule;
}

export interface PlanProviderConfig {
  readonly name?: string;
  readonly full_name?: string;
  readonly alias?: string;
  readonly module_address?: string;
  readonly expressions?: Readonly<Record<string, unknown>>;
}

export interface PlanConfigModule {
  readonly resources?: readonly PlanConfigResource[];
  readonly module_calls?: Readonly<Record<string, PlanModuleCall>>;
}

export interface PlanModuleCall {
  readonly source?: string;
  readonly module?: PlanConfigModule;
}

export interface PlanConfigResource {
  readonly address: string;
  readonly mode?: string;
  readonly type: string;
  readonly name: string;
  readonly provider_config_key?: string;
  readonly expressions?: Readonly<Record<string, unknown>>;
}

/** The account (and region) a plan applies to, and how that was decided. */
export interface PlanTarget {
  readonly account: string;
  /** A display name for the account; `planned-account` for the placeholder. */
  readonly accountName?: string;
  readonly region?: string;
  /** The environment the caller should force onto `account` (given with `--environment`). */
  readonly environment?: string;
  readonly source: 'flag' | 'provider' | 'base-estate' | 'prior-state' | 'environment';
}

/** Where a planned resource is written: the `.tf` block, else the place in the plan file. */
export interface PlanLocation {
  readonly file: string;
  readonly line: number;
}

/**
 * A change to one property of a parent resource, contributed by an auxiliary terraform resource
 * (a login profile, a policy attachment, a key policy …). Data, so that it can be applied to a
 * parent from the plan or, later, to one from the base estate.
 */
export type Contribution =
  | { readonly op: 'set'; readonly path: string; readonly value: unknown }
  | { readonly op: 'add'; readonly path: string; readonly item: unknown; readonly unknownFields?: readonly string[] }
  | { readonly op: 'remove'; readonly path: string; readonly item: unknown }
  | { readonly op: 'unknown'; readonly path: string };

/** How an auxiliary resource names its parent: by terraform address, ARN or name. */
export interface ParentRef {
  readonly type: ResourceType;
  readonly address?: string;
  readonly arn?: string;
  readonly name?: string;
}

/** An auxiliary resource's changes waiting to be applied to a parent resource. */
export interface PlannedPatch {
  readonly parent: ParentRef;
  readonly account: string;
  readonly region: string;
  readonly contributions: readonly Contribution[];
  readonly origin: ResourceOrigin;
  /** The change is a no-op: it must not mark an unchanged parent as touched. */
  readonly unchanged: boolean;
}

/** A resource the plan deletes; the overlay removes it from the base estate. */
export interface PlannedRemoval {
  readonly type: ResourceType;
  readonly address: string;
  readonly account: string;
  readonly region: string;
  readonly id?: string;
  readonly arn?: string;
  readonly name?: string;
}

/** Changes to the organisation itself (accounts, OUs, policies and where they are attached). */
export interface PlannedOrganizationChanges {
  readonly accounts: readonly Account[];
  readonly removedAccounts: readonly string[];
  readonly organizationalUnits: readonly OrganizationalUnit[];
  readonly removedOrganizationalUnits: readonly string[];
  readonly policies: readonly OrganizationPolicy[];
  readonly removedPolicies: readonly string[];
  /** Policy id → targets ('/', an OU path or an account id) attached or detached by the plan. */
  readonly attachments: readonly { readonly policyId: string; readonly target: string; readonly attach: boolean }[];
}

/** What `planToResources` makes of a plan, ready for `overlayPlan`. */
export interface PlannedChanges {
  /** Resources that exist after apply (created, updated, replaced or unchanged), with `origin.kind: 'plan'`. */
  readonly resources: readonly Resource[];
  /** Auxiliary changes whose parent is not in the plan (it may be in the base estate). */
  readonly patches: readonly PlannedPatch[];
  readonly removals: readonly PlannedRemoval[];
  readonly organization: PlannedOrganizationChanges;
  /** Managed terraform resources of types orglint does not map, by address, sorted. */
  readonly unmapped: readonly string[];
  readonly target: PlanTarget;
}
