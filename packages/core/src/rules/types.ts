import type { FrameworkId, Severity } from '../model.js';

/** A value in a condition that is read from the evaluation context instead of written inline. */
export interface ValueRef {
  readonly ref: string;
}

export type RelationName = 'environmentOf' | 'environmentParamsOf' | 'roleOf' | 'accountNameOf' | 'ouPathOf' | 'accountOfArn' | 'lengthOf';

/** The declarative condition grammar: all / any / not, quantifiers, counts, and leaf comparisons. */
export type Condition =
  | { readonly all: readonly Condition[]; readonly message?: string }
  | { readonly any: readonly Condition[]; readonly message?: string }
  | { readonly not: Condition; readonly message?: string }
  | { readonly if: Condition; readonly then: Condition; readonly else?: Condition; readonly message?: string }
  | QuantifierCondition
  | CountCondition
  | LeafCondition;

export interface QuantifierCondition {
  readonly every?: string;
  readonly some?: string;
  readonly none?: string;
  readonly map?: RelationName;
  readonly where?: Condition;
  readonly satisfy?: Condition;
  readonly message?: string;
}

export interface CountCondition {
  readonly count: string;
  readonly map?: RelationName;
  readonly where?: Condition;
  readonly message?: string;
  readonly equals?: number | ValueRef;
  readonly gt?: number | ValueRef;
  readonly gte?: number | ValueRef;
  readonly lt?: number | ValueRef;
  readonly lte?: number | ValueRef;
}

export interface LeafCondition {
  readonly path: string;
  readonly map?: RelationName;
  readonly message?: string;
  readonly [operator: string]: unknown;
}

export interface RuleParameter {
  readonly description: string;
  readonly type?: 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object';
  readonly default: unknown;
}

export type AccountRole = 'management' | 'security' | 'log-archive' | 'shared-services' | 'workload';

/** A rule is data: an auditor can read it, the engine compiles it once. */
export interface RuleDefinition {
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  readonly rationale: string;
  readonly remediation: string;
  readonly frameworks?: Readonly<Partial<Record<FrameworkId, readonly string[]>>>;
  readonly resources: readonly string[];
  readonly scope?: { readonly accountRoles?: readonly AccountRole[] };
  readonly parameters?: Readonly<Record<string, RuleParameter>>;
  readonly when?: Condition;
  readonly assert: Condition;
  readonly messages: Readonly<Record<string, string>>;
  readonly deprecated?: { readonly replacedBy: string; readonly since?: string };
}

/** A rule together with where it came from, for messages and SARIF locations. */
export interface LoadedRule {
  readonly definition: RuleDefinition;
  /** `builtin` or the policy file. */
  readonly origin: string;
  readonly file: string;
  readonly line: number;
}
