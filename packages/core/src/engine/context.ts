import type { Organization, Resource } from '../estate/types.js';
import type { AccountRole } from '../rules/types.js';

/** An account as rules see it: estate facts plus what the policy says it is. */
export interface AccountView {
  readonly id: string;
  readonly name: string;
  readonly ouPath: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly role: AccountRole;
  /** The one environment the account belongs to; null when none or several match. */
  readonly environment: string | null;
  /** Every environment whose selector matches (more than one is a policy problem). */
  readonly environments: readonly string[];
  /** false for an account that appears only as a resource's owner, not in the organisation. */
  readonly inOrganization: boolean;
}

/** Lookups across the estate, answered from maps built once per scan. */
export interface Relations {
  account(id: string): AccountView | undefined;
  /** `{ name, ...parameters }` of an environment of the policy. */
  environment(name: string): Readonly<Record<string, unknown>> | undefined;
}

/** Everything a condition can read while judging one resource. */
export interface EvalContext {
  readonly resource: Resource;
  readonly account: AccountView;
  /** `{ name, ...parameters }` of the account's environment. */
  readonly environment: Readonly<Record<string, unknown>> | undefined;
  readonly params: Readonly<Record<string, unknown>>;
  readonly policy: { readonly accounts: Readonly<Record<string, string>> };
  readonly organization: Organization;
  readonly relations: Relations;
  /** Milliseconds since the epoch: the scan's injected clock. */
  readonly now: number;
  readonly item?: unknown;
}
