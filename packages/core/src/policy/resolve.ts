import { OrglintError } from '../errors.js';
import { isResourceType, serviceOf, type ResourceType } from '../estate/resource-types.js';
import type { Account, Estate } from '../estate/types.js';
import { compileCondition, type CompiledCondition, type Known } from '../engine/condition.js';
import type { AccountView } from '../engine/context.js';
import { globToRegExp } from '../engine/glob.js';
import type { FileLocation, Severity } from '../model.js';
import type { AccountRole, LoadedRule, RuleDefinition } from '../rules/types.js';
import type { AccountSelector, Policy, SpecialAccount } from './types.js';

/** A rule as this policy applies it: severity, parameters and environments settled, conditions compiled. */
export interface ActiveRule {
  readonly definition: RuleDefinition;
  readonly origin: string;
  readonly severity: Severity;
  readonly params: Readonly<Record<string, unknown>>;
  /** Only accounts of these environments; undefined means every account. */
  readonly environments?: ReadonlySet<string>;
  readonly types: readonly ResourceType[];
  /** Services whose coverage the rule depends on. */
  readonly services: readonly string[];
  /** The rule's conditions compiled once per resource type, with tests of `resource.type` decided. */
  readonly conditions: ReadonlyMap<ResourceType, RuleConditions>;
  readonly policyLocation: FileLocation;
}

export interface RuleConditions {
  readonly when?: CompiledCondition;
  readonly assert: CompiledCondition;
}

/**
 * Settles which rules run and how: the catalogue selection, the policy's re-levelling,
 * parameters and environment restrictions, and custom rules. Unknown ids, parameters,
 * environments or resource types are errors at the line that names them.
 */
export function resolveRules(policy: Policy, catalogue: readonly LoadedRule[]): ActiveRule[] {
  const where = (path: (string | number)[]): { file: string; line: number; column: number } => ({ file: policy.file, ...policy.locate(path) });
  const fail = (code: ConstructorParameters<typeof OrglintError>[0], path: (string | number)[], sentence: string): never => {
    const at = where(path);
    throw new OrglintError(code, `${at.file}:${at.line}:${at.column}: ${sentence}`, { position: at });
  };

  const byId = new Map<string, LoadedRule>();
  for (const rule of catalogue) byId.set(rule.definition.id, rule);
  policy.customRules.forEach((rule, i) => {
    if (byId.has(rule.definition.id)) {
      fail('duplicate-id', ['customRules', i, 'id'], `the custom rule id "${rule.definition.id}" is already a built-in rule; choose another id, or configure the built-in rule under "rules".`);
    }
    rule.definition.resources.forEach((type, j) => {
      if (!isResourceType(type)) fail('unknown-resource-type', ['customRules', i, 'resources', j], `"${type}" is not a resource type orglint knows; use one of the types in the estate schema (e.g. aws.rds.instance).`);
    });
    byId.set(rule.definition.id, rule);
  });

  const environmentNames = new Set(policy.environments.map((e) => e.name));
  for (const [id, setting] of Object.entries(policy.rules)) {
    const rule = byId.get(id);
    if (!rule) fail('unknown-rule', ['rules', id], `"${id}" is not a rule orglint knows${suggest(id, [...byId.keys()])}; run \`orglint rules list\` for the ids.`);
    setting.environments?.forEach((env, j) => {
      if (!environmentNames.has(env)) fail('schema-violation', ['rules', id, 'environments', j], `rule ${id} is restricted to environment "${env}", which the policy does not define; use one of ${[...environmentNames].join(', ')}.`);
    });
    for (const name of Object.keys(setting.parameters ?? {})) {
      if (!Object.hasOwn(rule?.definition.parameters ?? {}, name)) {
        const known = Object.keys(rule?.definition.parameters ?? {});
        fail('schema-violation', ['rules', id, 'parameters', name], `rule ${id} has no parameter "${name}"; ${known.length ? `its parameters are ${known.join(', ')}` : 'it takes no parameters'}.`);
      }
    }
  }

  const active: ActiveRule[] = [];
  const customIds = new Set(policy.customRules.map((r) => r.definition.id));
  for (const rule of [...byId.values()].sort((a, b) => (a.definition.id < b.definition.id ? -1 : 1))) {
    const def = rule.definition;
    const setting = policy.rules[def.id];
    const selected = customIds.has(def.id) || setting !== undefined || selectedByCatalogue(policy, def);
    if (!selected || setting?.enabled === false) continue;
    const params: Record<string, unknown> = {};
    for (const [name, p] of Object.entries(def.parameters ?? {})) params[name] = p.default;
    for (const [name, value] of Object.entries(setting?.parameters ?? {})) params[name] = value;
    const label = `${rule.file} (rule ${def.id})`;
    const types = def.resources.filter(isResourceType);
    const services = [...new Set(types.map(serviceOf))].filter((s) => s !== 'organizations').sort();
    const policyLocation: FileLocation = setting
      ? where(['rules', def.id])
      : customIds.has(def.id)
        ? where(['customRules', policy.customRules.findIndex((r) => r.definition.id === def.id)])
        : where(policy.catalogue === 'all' ? ['catalogue'] : ['catalogue']);
    active.push({
      definition: def,
      origin: rule.origin,
      severity: setting?.severity ?? def.severity,
      params,
      ...(setting?.environments ? { environments: new Set(setting.environments) } : {}),
      types,
      services,
      conditions: new Map(types.map((type) => [type, compileRuleConditions(def, label, { resourceType: type, params })])),
      policyLocation,
    });
  }
  return active;
}

function compileRuleConditions(def: RuleDefinition, label: string, known: Known): RuleConditions {
  return { ...(def.when ? { when: compileCondition(def.when, label, known) } : {}), assert: compileCondition(def.assert, label, known) };
}

function selectedByCatalogue(policy: Policy, def: RuleDefinition): boolean {
  if (def.deprecated) return false;
  if (policy.catalogue === 'all') return true;
  if (policy.catalogue === 'none') return false;
  return policy.catalogue.some((fw) => (def.frameworks?.[fw]?.length ?? 0) > 0);
}

function suggest(id: string, known: string[]): string {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = levenshtein(id, k);
    if (d < bestDistance) {
      bestDistance = d;
      best = k;
    }
  }
  return best !== undefined && bestDistance <= Math.max(3, id.length / 3) ? ` (did you mean "${best}"?)` : '';
}

function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

function matchesSelector(account: Account, selector: AccountSelector): boolean {
  if (selector.ids?.includes(account.id)) return true;
  if (selector.names?.some((g) => globToRegExp(g).test(account.name))) return true;
  if (selector.ouPaths?.some((g) => globToRegExp(g).test(account.ouPath))) return true;
  const tags = selector.tags;
  if (tags && Object.keys(tags).length > 0) {
    const own = account.tags ?? {};
    if (Object.entries(tags).every(([k, v]) => Object.hasOwn(own, k) && own[k] === v)) return true;
  }
  return false;
}

/** The special accounts named by the policy, resolved to ids (a name or an id may be given). */
export function specialAccountIds(policy: Policy, estate: Estate): Partial<Record<SpecialAccount, string>> {
  const out: Partial<Record<SpecialAccount, string>> = {};
  for (const [role, ref] of Object.entries(policy.accounts) as [SpecialAccount, string][]) {
    const found = estate.accounts.find((a) => a.id === ref || a.name === ref);
    out[role] = found?.id ?? ref;
  }
  out.management ??= estate.organization.managementAccountId;
  return out;
}

const ROLE_OF: Record<SpecialAccount, AccountRole> = {
  management: 'management',
  security: 'security',
  logArchive: 'log-archive',
  sharedServices: 'shared-services',
};

/** Every account of the estate as rules see it: role and environment from the policy. */
export function buildAccountViews(
  estate: Estate,
  policy: Policy,
  environmentOverrides: ReadonlyMap<string, string> = new Map(),
): Map<string, AccountView> {
  const special = specialAccountIds(policy, estate);
  const roleById = new Map<string, AccountRole>();
  for (const [key, id] of Object.entries(special) as [SpecialAccount, string][]) if (!roleById.has(id)) roleById.set(id, ROLE_OF[key]);
  const views = new Map<string, AccountView>();
  for (const account of estate.accounts) {
    const forced = environmentOverrides.get(account.id);
    const environments = forced ? [forced] : policy.environments.filter((e) => matchesSelector(account, e.accounts)).map((e) => e.name);
    views.set(account.id, {
      id: account.id,
      name: account.name,
      ouPath: account.ouPath,
      tags: account.tags ?? {},
      role: roleById.get(account.id) ?? 'workload',
      environment: environments.length === 1 ? (environments[0] ?? null) : null,
      environments,
      inOrganization: true,
    });
  }
  return views;
}
