import type { FrameworkId, Severity } from '../model.js';
import type { LoadedRule } from '../rules/types.js';

/** Which accounts belong to an environment: any selector that matches counts. */
export interface AccountSelector {
  readonly ids?: readonly string[];
  /** Globs over the account name; `*` matches any run of characters. */
  readonly names?: readonly string[];
  /** Globs over the OU path, e.g. `/Workloads/Prod*`. */
  readonly ouPaths?: readonly string[];
  readonly tags?: Readonly<Record<string, string>>;
}

export interface EnvironmentDefinition {
  readonly name: string;
  readonly description?: string;
  readonly accounts: AccountSelector;
  readonly parameters: Readonly<Record<string, unknown>>;
}

export interface RuleSetting {
  readonly enabled: boolean;
  readonly severity?: Severity;
  readonly environments?: readonly string[];
  readonly parameters?: Readonly<Record<string, unknown>>;
}

export interface Waiver {
  readonly index: number;
  readonly rule: string;
  readonly resource: string;
  readonly reason: string;
  readonly owner?: string;
  readonly approver?: string;
  /** `YYYY-MM-DD`; the waiver holds through the end of that day (UTC). */
  readonly expires: string;
}

export type SpecialAccount = 'management' | 'security' | 'logArchive' | 'sharedServices';

/** A loaded, schema-valid policy file that can say where each of its parts is written. */
export interface Policy {
  readonly file: string;
  readonly sha256: string;
  readonly text: string;
  readonly name?: string;
  readonly accounts: Readonly<Partial<Record<SpecialAccount, string>>>;
  readonly environments: readonly EnvironmentDefinition[];
  readonly catalogue: 'all' | 'none' | readonly FrameworkId[];
  readonly rules: Readonly<Record<string, RuleSetting>>;
  readonly customRules: readonly LoadedRule[];
  readonly waivers: readonly Waiver[];
  /** Line and column of a key path in the policy file (nearest existing parent). */
  locate(path: readonly (string | number)[]): { line: number; column: number };
}
