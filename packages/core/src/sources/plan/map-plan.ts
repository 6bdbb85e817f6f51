import { isAccountId, parseArn } from '../../estate/arn.js';
import { RESOURCE_TYPES, type ResourceType } from '../../estate/resource-types.js';
import type { Account, Estate, OrganizationalUnit, OrganizationPolicy, Resource, ResourceOrigin } from '../../estate/types.js';
import { planFileOf } from './load-plan.js';
import { type MapContext, type PlanMapper, type PrimaryMapper, PLAN_MAPPERS, PropertySink, tagsOf, type ParentContribution } from './mappers.js';
import type {
  Contribution,
  ParentRef,
  PlanConfigModule,
  PlanConfigResource,
  PlanLocation,
  PlannedChanges,
  PlannedPatch,
  PlannedRemoval,
  PlanResourceChange,
  PlanTarget,
  TerraformPlan,
} from './plan-types.js';
import { type ProviderSettings, ProviderIndex, configModules } from './target.js';
import { type AttrPath, Attributes, cloneJson, type Maybe, UNKNOWN, asString, asStringMap, configPathOf, parseModuleAddress, parsePolicy, parseResourceRef } from './values.js';

/** Region of a planned regional resource whose provider names none. */
export const UNKNOWN_REGION = 'unknown';

export interface PlanToResourcesOptions {
  /** Where the plan lands (from `resolvePlanTarget`). */
  readonly target: PlanTarget;
  /** The estate the plan is overlaid on: a resource that exists there keeps its id. */
  readonly baseEstate?: Estate;
  /** The plan file, for `origin.file` where no location is known. */
  readonly file?: string;
  /** `.tf` locations by address (from `locatePlanResources`). */
  readonly locations?: ReadonlyMap<string, PlanLocation>;
}

type Action = NonNullable<ResourceOrigin['action']>;

interface Entry {
  readonly rc: PlanResourceChange;
  readonly mapper: PlanMapper;
  readonly action: Action;
  readonly modules: { name: string; key: string }[];
  readonly configPath: string;
  readonly config: PlanConfigResource | undefined;
  readonly settings: ProviderSettings;
  readonly indexKey: string;
  // Primary resources only:
  type?: ResourceType;
  id?: string;
  arn?: string;
  name?: string;
  account: string;
  region: string;
  base?: Resource;
  resource?: MutableResource;
  ouPath?: string | null;
}

interface MutableResource {
  type: ResourceType;
  id: string;
  arn?: string;
  account: string;
  region: string;
  name?: string;
  tags?: Record<string, string>;
  properties: Record<string, unknown>;
  unknown: Set<string>;
  origin: ResourceOrigin;
}

/**
 * Maps a plan's `resource_changes` onto estate resources in one pass (plus one over the
 * configuration): creates, updates, replacements and unchanged resources become resources with
 * `origin.kind: 'plan'`; deletes become removals; auxiliary resources (attachments, login
 * profiles, key policies …) become changes to their parent. Values known only after apply are
 * listed in `unknown`, never guessed; sensitive values are never copied.
 */
export function planToResources(plan: TerraformPlan, options: PlanToResourcesOptions): PlannedChanges {
  return new PlanMapping(plan, options).run();
}

class PlanMapping {
  private readonly configs: Map<string, PlanConfigModule>;
  private readonly configResources = new Map<string, PlanConfigResource>();
  private readonly providers: ProviderIndex;
  private readonly entries: Entry[] = [];
  private readonly byAddress = new Map<string, Entry>();
  private readonly byBaseAddress = new Map<string, Entry[]>();
  private readonly byArn = new Map<string, Entry>();
  private readonly byName = new Map<string, Entry>();
  private readonly byTypeName = new Map<string, Entry>();
  private readonly base: BaseIndex | undefined;
  private readonly file: string | undefined;
  private readonly unmapped: string[] = [];
  private readonly removals: PlannedRemoval[] = [];
  private readonly patches: PlannedPatch[] = [];
  private readonly accounts: Account[] = [];
  private readonly removedAccounts: string[] = [];
  private readonly ous: OrganizationalUnit[] = [];
  private readonly removedOus: string[] = [];
  private readonly policies: OrganizationPolicy[] = [];
  private readonly removedPolicies: string[] = [];
  private readonly attachments: { policyId: string; target: string; attach: boolean }[] = [];
  private readonly ouPaths = new Map<string, string | null>();
  private readonly moduleCache = new Map<string, { modules: { name: string; key: string }[]; configPath: string }>();

  constructor(
    private readonly plan: TerraformPlan,
    private readonly options: PlanToResourcesOptions,
  ) {
    this.configs = configModules(plan);
    for (const [path, module] of this.configs) {
      for (const r of module.resources ?? []) this.configResources.set(`${path}\u0000${r.type}.${r.name}`, r);
    }
    this.providers = new ProviderIndex(plan);
    this.base = options.baseEstate ? new BaseIndex(options.baseEstate) : undefined;
    this.file = options.file ?? planFileOf(plan);
  }

  run(): PlannedChanges {
    for (const rc of this.plan.resource_changes ?? []) this.index(rc);
    for (const entry of this.entries) if (entry.mapper.kind === 'primary') this.mapPrimary(entry, entry.mapper);
    for (const entry of this.entries) {
      if (entry.mapper.kind === 'organization') this.mapOrganization(entry, entry.mapper.part);
    }
    for (const entry of this.entries) if (entry.mapper.kind === 'auxiliary') this.mapAuxiliary(entry);
    const resources: Resource[] = [];
    for (const entry of this.entries) {
      const r = entry.resource;
      if (!r) continue;
      resources.push(freeze(r));
    }
    resources.sort((a, b) => compare(a.type, b.type) || compare(a.id, b.id));
    return {
      resources,
      patches: this.patches,
      removals: this.removals.sort((a, b) => compare(a.address, b.address)),
      organization: {
        accounts: this.accounts.sort((a, b) => compare(a.id, b.id)),
        removedAccounts: this.removedAccounts.sort(),
        organizationalUnits: this.ous.sort((a, b) => compare(a.path, b.path)),
        removedOrganizationalUnits: this.removedOus.sort(),
        policies: this.policies.sort((a, b) => compare(a.id, b.id)),
        removedPolicies: this.removedPolicies.sort(),
        attachments: this.attachments,
      },
      unmapped: this.unmapped.sort(),
      target: this.options.target,
    };
  }

  // ---- pass 1: identity --------------------------------------------------------------

  private index(rc: PlanResourceChange): void {
    if (rc.mode === 'data' || rc.deposed !== undefined) return;
    const action = actionOf(rc.change.actions);
    if (action === undefined || action === 'read') return;
    const mapper = PLAN_MAPPERS[rc.type];
    if (!mapper) {
      this.unmapped.push(rc.address);
      return;
    }
    let parsedModule = this.moduleCache.get(rc.module_address ?? '');
    if (!parsedModule) {
      const parsed = parseModuleAddress(rc.module_address);
      parsedModule = { modules: parsed, configPath: parsed.map((m) => `module.${m.name}`).join('.') };
      this.moduleCache.set(rc.module_address ?? '', parsedModule);
    }
    const { modules, configPath } = parsedModule;
    const config = this.configResources.get(`${configPath}\u0000${rc.type}.${rc.name}`);
    const settings = this.providers.resolve(config?.provider_config_key, configPath);
    const indexKey = rc.index === undefined ? '' : typeof rc.index === 'number' ? `[${rc.index}]` : `[${JSON.stringify(rc.index)}]`;
    const target = this.options.target;
    const entry: Entry = {
      rc,
      mapper,
      action,
      modules,
      configPath,
      config,
      settings,
      indexKey,
      account: settings.account ?? target.account,
      region: settings.region ?? target.region ?? UNKNOWN_REGION,
    };
    this.entries.push(entry);
    this.byAddress.set(rc.address, entry);
    const baseAddress = rc.address.slice(0, rc.address.length - indexKey.length);
    const siblings = this.byBaseAddress.get(baseAddress);
    if (siblings) siblings.push(entry);
    else this.byBaseAddress.set(baseAddress, [entry]);
    if (mapper.kind === 'primary') this.identify(entry, mapper);
    else if (mapper.kind === 'named') {
      const arn = mapper.arn(this.context(entry, entry.action === 'delete' ? 'before' : 'after'));
      entry.id = arn ?? `tf:${rc.address}`;
      if (arn) entry.arn = arn;
    }
  }

  private identify(entry: Entry, mapper: PrimaryMapper): void {
    const { after, before } = entry.rc.change;
    const arnAttr = mapper.arnAttr ?? 'arn';
    const afterArn = entry.action === 'delete' ? undefined : knownString(after, entry.rc.change.after_unknown, arnAttr);
    // A replacement is a new object: the old one's ARN and name identify what it removes, not what it creates.
    const replaced = entry.action === 'replace';
    const beforeArn = replaced ? undefined : asString(before?.[arnAttr]);
    const nameAttr = mapper.nameAttr;
    const name = nameAttr
      ? (entry.action === 'delete' ? undefined : knownString(after, entry.rc.change.after_unknown, nameAttr)) ?? (replaced ? undefined : asString(before?.[nameAttr]))
      : undefined;
    if (replaced && before) {
      const oldArn = asString(before[arnAttr]);
      const oldName = nameAttr ? asString(before[nameAttr]) : undefined;
      if ((oldArn !== undefined && oldArn !== afterArn) || (oldName !== undefined && oldName !== name)) {
        this.removals.push({
          type: mapper.type,
          address: entry.rc.address,
          account: (oldArn && parseArn(oldArn)?.account) || entry.account,
          region: RESOURCE_TYPES[mapper.type].global ? 'global' : (oldArn && parseArn(oldArn)?.region) || entry.region,
          ...(oldArn === undefined ? {} : { id: this.base?.byArn(oldArn)?.id ?? oldArn, arn: oldArn }),
          ...(oldName === undefined ? {} : { name: oldName }),
        });
      }
    }
    let arn = afterArn ?? beforeArn ?? (name !== undefined && mapper.arnFromName ? mapper.arnFromName(name) : undefined);
    const parsed = arn ? parseArn(arn) : undefined;
    const global = RESOURCE_TYPES[mapper.type].global;
    if (parsed && isAccountId(parsed.account)) entry.account = parsed.account;
    entry.region = global ? 'global' : parsed?.region || entry.region;
    const baseMatch =
      this.base?.byArn(afterArn) ?? this.base?.byArn(beforeArn) ?? this.base?.byArn(arn) ?? this.base?.byName(mapper.type, entry.account, name, entry.region);
    if (baseMatch) {
      entry.account = baseMatch.account;
      entry.region = baseMatch.region;
      arn = arn ?? baseMatch.arn;
    }
    entry.type = mapper.type;
    entry.id = baseMatch?.id ?? arn ?? `tf:${entry.rc.address}`;
    if (arn !== undefined) entry.arn = arn;
    if (name !== undefined) entry.name = name;
    if (baseMatch) entry.base = baseMatch;
    if (entry.action === 'delete') return;
    if (arn) this.byArn.set(arn, entry);
    if (name !== undefined) {
      this.byName.set(nameKey(mapper.type, entry.account, name), entry);
      const key = `${mapper.type}\u0000${name}`;
      if (!this.byTypeName.has(key)) this.byTypeName.set(key, entry);
    }
  }

  // ---- pass 2: properties ------------------------------------------------------------

  private mapPrimary(entry: Entry, mapper: PrimaryMapper): void {
    const type = mapper.type;
    if (entry.action === 'delete') {
      this.removals.push({
        type,
        address: entry.rc.address,
        account: entry.account,
        region: entry.region,
        ...(entry.id === undefined ? {} : { id: entry.id }),
        ...(entry.arn === undefined ? {} : { arn: entry.arn }),
        ...(entry.name === undefined ? {} : { name: entry.name }),
      });
      if (type === 'aws.organizations.account') {
        const id = asString(entry.rc.change.before?.id);
        if (id && isAccountId(id)) this.removedAccounts.push(id);
      }
      return;
    }
    const ctx = this.context(entry, 'after');
    const sink = new PropertySink(ctx);
    mapper.map(ctx, sink);
    const properties: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(mapper.fedByAuxiliaries ?? {})) {
      const fromBase = entry.base?.properties[key];
      properties[key] = cloneJson(fromBase !== undefined ? fromBase : value);
    }
    Object.assign(properties, sink.props);
    const tags = this.tags(entry, ctx);
    const resource: MutableResource = {
      type,
      id: entry.id ?? `tf:${entry.rc.address}`,
      account: entry.account,
      region: entry.region,
      properties,
      unknown: sink.unknown,
      origin: this.origin(entry.rc.address, entry.action),
    };
    if (entry.arn !== undefined) resource.arn = entry.arn;
    if (entry.name !== undefined) resource.name = entry.name;
    if (tags !== undefined) resource.tags = tags;
    entry.resource = resource;
    if (type === 'aws.organizations.account') this.organizationAccount(entry, resource);
  }

  private tags(entry: Entry, ctx: MapContext): Record<string, string> | undefined {
    const all = ctx.get(['tags_all']);
    if (all !== UNKNOWN && all !== undefined && all !== null) return tagsOf(ctx);
    const own = ctx.get(['tags']);
    if (own === UNKNOWN) return undefined;
    // tags_all is unknown at plan time on some provider versions: rebuild it from default_tags.
    const merged = { ...(entry.settings.defaultTags ?? {}), ...(asStringMap(own) ?? {}) };
    return Object.keys(merged).length > 0 ? merged : undefined;
  }

  private mapAuxiliary(entry: Entry): void {
    const mapper = entry.mapper;
    if (mapper.kind !== 'auxiliary') return;
    const parts: ParentContribution[] = [];
    const undo = (): ParentContribution[] => {
      const ctx = this.context(entry, 'before');
      if (mapper.deleted) return mapper.deleted(ctx);
      return mapper.contribute(ctx).map((p) => ({
        parent: p.parent,
        contributions: p.contributions.flatMap((c): Contribution[] => (c.op === 'add' ? [{ op: 'remove', path: c.path, item: c.item }] : [])),
      }));
    };
    if (entry.action === 'delete') parts.push(...undo());
    else {
      if ((entry.action === 'update' || entry.action === 'replace') && entry.rc.change.before) parts.push(...undo());
      parts.push(...mapper.contribute(this.context(entry, 'after')));
    }
    const origin = this.origin(entry.rc.address, entry.action);
    const unchanged = entry.action === 'no-op';
    for (const part of parts) {
      if (!part.parent || part.contributions.length === 0) continue;
      const parent = this.findParent(part.parent, entry.account);
      if (parent?.resource) {
        applyContributions(parent.resource.properties, parent.resource.unknown, part.contributions);
        if (!unchanged && parent.resource.origin.action === 'no-op') parent.resource.origin = { ...origin, action: 'update' };
        continue;
      }
      this.patches.push({ parent: part.parent, account: entry.account, region: entry.region, contributions: part.contributions, origin: { ...origin, action: 'update' }, unchanged });
    }
  }

  private findParent(ref: ParentRef, account: string): Entry | undefined {
    const candidates = [
      ref.address === undefined ? undefined : this.byAddress.get(ref.address),
      ref.arn === undefined ? undefined : this.byArn.get(ref.arn),
      ref.name === undefined ? undefined : this.byName.get(nameKey(ref.type, account, ref.name)),
      ref.name === undefined ? undefined : this.byTypeName.get(`${ref.type}\u0000${ref.name}`),
    ];
    for (const c of candidates) if (c?.type === ref.type && c.action !== 'delete') return c;
    return undefined;
  }

  // ---- organisation ------------------------------------------------------------------

  private mapOrganization(entry: Entry, part: 'ou' | 'policy' | 'attachment'): void {
    const { before } = entry.rc.change;
    const deleted = entry.action === 'delete';
    const ctx = this.context(entry, deleted ? 'before' : 'after');
    if (part === 'ou') {
      if (deleted) {
        const id = asString(before?.id);
        if (id) this.removedOus.push(id);
        return;
      }
      const path = this.ouPathOf(entry);
      if (path === null) return;
      const id = ctx.get(['id']);
      this.ous.push({ id: typeof id === 'string' ? id : (this.base?.ouByPath(path)?.id ?? `tf:${entry.rc.address}`), name: String(ctx.get(['name'])), path });
      return;
    }
    if (part === 'policy') {
      const id = ctx.get(['id']);
      if (deleted) {
        if (typeof id === 'string') this.removedPolicies.push(id);
        return;
      }
      const type = ctx.get(['type']);
      const content = ctx.get(['content']);
      const name = ctx.get(['name']);
      const policyId = typeof id === 'string' ? id : `tf:${entry.rc.address}`;
      const arn = ctx.get(['arn']);
      this.policies.push({
        id: policyId,
        name: typeof name === 'string' ? name : entry.rc.address,
        ...(typeof arn === 'string' ? { arn } : {}),
        type: (typeof type === 'string' ? type : 'SERVICE_CONTROL_POLICY') as OrganizationPolicy['type'],
        ...(content === UNKNOWN || parsePolicy(content) === undefined ? {} : { content: parsePolicy(content) as Record<string, unknown> }),
        targets: [],
      });
      return;
    }
    const policy = this.pointerOf(entry, (p) => ctx.get(p), ['policy_id']);
    const target = this.orgTarget(entry, ctx);
    if (typeof policy === 'string' && typeof target === 'string') this.attachments.push({ policyId: policy, target, attach: !deleted });
  }

  private organizationAccount(entry: Entry, resource: MutableResource): void {
    const path = this.ouPathOf(entry);
    if (path === null) resource.unknown.add('ouPath');
    else resource.properties.ouPath = path;
    const id = asString(resource.properties.accountId);
    if (!id || !isAccountId(id)) return;
    resource.account = id;
    const p = resource.properties;
    this.accounts.push({
      id,
      name: entry.name ?? id,
      ouPath: path ?? this.base?.accountById(id)?.ouPath ?? '/',
      ...(typeof p.email === 'string' ? { email: p.email } : {}),
      ...(typeof p.status === 'string' ? { status: p.status } : {}),
      ...(resource.tags ? { tags: resource.tags } : {}),
    });
  }

  /** The OU path a resource's `parent_id` puts it under; null when it cannot be known. */
  private ouPathOf(entry: Entry): string | null {
    const cached = this.ouPaths.get(entry.rc.address);
    if (cached !== undefined) return cached;
    this.ouPaths.set(entry.rc.address, null); // a cycle resolves to unknown
    const ctx = this.context(entry, 'after');
    const parentPath = this.parentPath(entry, ctx);
    let path: string | null = parentPath;
    if (entry.rc.type === 'aws_organizations_organizational_unit') {
      const name = ctx.get(['name']);
      path = parentPath === null || typeof name !== 'string' ? null : parentPath === '/' ? `/${name}` : `${parentPath}/${name}`;
    }
    this.ouPaths.set(entry.rc.address, path);
    return path;
  }

  private parentPath(entry: Entry, ctx: MapContext): string | null {
    const value = ctx.get(['parent_id']);
    if (typeof value === 'string') {
      if (value.startsWith('r-')) return '/';
      return this.base?.ouById(value)?.path ?? this.ous.find((o) => o.id === value)?.path ?? null;
    }
    if (value !== UNKNOWN) return entry.rc.type === 'aws_organizations_account' ? '/' : null;
    const ref = this.referenced(entry, ['parent_id']);
    return ref && ref.rc.type === 'aws_organizations_organizational_unit' ? this.ouPathOf(ref) : null;
  }

  private orgTarget(entry: Entry, ctx: MapContext): string | undefined {
    const value = ctx.get(['target_id']);
    if (typeof value === 'string') {
      if (value.startsWith('r-')) return '/';
      if (isAccountId(value)) return value;
      return this.base?.ouById(value)?.path ?? this.ous.find((o) => o.id === value)?.path;
    }
    if (value !== UNKNOWN) return undefined;
    const ref = this.referenced(entry, ['target_id']);
    if (!ref) return undefined;
    if (ref.rc.type === 'aws_organizations_organizational_unit') return this.ouPathOf(ref) ?? undefined;
    const id = ref.resource?.properties.accountId;
    return typeof id === 'string' ? id : undefined;
  }

  private pointerOf(entry: Entry, get: (path: AttrPath) => unknown, path: AttrPath): Maybe<string | undefined> {
    const value = get(path);
    if (typeof value === 'string' && value !== '') return value;
    if (value !== UNKNOWN) return undefined;
    const ref = this.referenced(entry, path);
    if (!ref) return UNKNOWN;
    if (ref.rc.type === 'aws_organizations_policy') {
      const id = asString(ref.rc.change.after?.id);
      return id ?? `tf:${ref.rc.address}`;
    }
    return ref.resource?.id ?? ref.id ?? UNKNOWN;
  }

  // ---- references --------------------------------------------------------------------

  private context(entry: Entry, side: 'after' | 'before'): MapContext {
    return new ChangeContext(this, entry, side);
  }

  /** @internal for ChangeContext */
  pointerFor(entry: Entry, attrs: Attributes, path: AttrPath, side: 'after' | 'before'): Maybe<string | undefined> {
    return side === 'after' ? this.pointerOf(entry, (p) => attrs.get(p), path) : pointerBefore(attrs, path);
  }

  /** @internal for ChangeContext */
  parentFor(entry: Entry, attrs: Attributes, path: AttrPath, type: ResourceType, side: 'after' | 'before', toArn?: (value: string) => string | undefined): ParentRef | undefined {
    const value = attrs.get(path);
    if (typeof value === 'string' && value !== '') {
      if (value.startsWith('arn:')) return { type, arn: value };
      const arn = toArn?.(value);
      return { type, name: value, ...(arn === undefined ? {} : { arn }) };
    }
    if (side === 'before' || value !== UNKNOWN) return undefined;
    const ref = this.referenced(entry, path);
    return ref?.type === type ? { type, address: ref.rc.address } : undefined;
  }

  /** The planned resource the expression at `path` of this resource's configuration references. */
  private referenced(entry: Entry, path: AttrPath): Entry | undefined {
    const expression = expressionAt(entry.config?.expressions, path);
    return this.resolveRefs(entry.modules, expression?.references ?? [], entry.indexKey, 0);
  }

  private resolveRefs(modules: { name: string; key: string }[], refs: readonly string[], index: string, depth: number): Entry | undefined {
    if (depth > 32) return undefined;
    for (const ref of refs) {
      if (ref.startsWith('var.')) {
        const call = modules[modules.length - 1];
        if (!call) continue;
        const parentModules = modules.slice(0, -1);
        const parentPath = parentModules.map((m) => `module.${m.name}`).join('.');
        const variable = ref.slice(4).split(/[.[]/)[0] ?? '';
        const expression = this.configs.get(parentPath)?.module_calls?.[call.name] as { expressions?: Record<string, unknown> } | undefined;
        const e = expression?.expressions?.[variable] as { references?: string[] } | undefined;
        const found = this.resolveRefs(parentModules, e?.references ?? [], '', depth + 1);
        if (found) return found;
        continue;
      }
      const parsed = parseResourceRef(ref);
      if (!parsed) continue;
      const prefix = modules.map((m) => `module.${m.name}${m.key}.`).join('');
      const base = `${prefix}${parsed.type}.${parsed.name}`;
      if (parsed.index !== undefined) {
        const hit = this.byAddress.get(base + parsed.index);
        if (hit) return hit;
        continue;
      }
      const exact = this.byAddress.get(base) ?? (index ? this.byAddress.get(base + index) : undefined);
      if (exact) return exact;
      const siblings = this.byBaseAddress.get(base);
      if (siblings?.length === 1) return siblings[0];
    }
    return undefined;
  }

  private origin(address: string, action: Action): ResourceOrigin {
    const location = this.options.locations?.get(address);
    const file = location?.file ?? this.file;
    return {
      kind: 'plan',
      address,
      action,
      ...(file === undefined ? {} : { file }),
      ...(location ? { line: location.line } : {}),
    };
  }
}

/** One side of one change, as mappers see it. A class rather than closures: it is made per resource. */
class ChangeContext implements MapContext {
  readonly address: string;
  readonly account: string;
  readonly region: string;
  readonly attrs: Attributes;

  constructor(
    private readonly mapping: PlanMapping,
    private readonly entry: Entry,
    private readonly side: 'after' | 'before',
  ) {
    const change = entry.rc.change;
    this.address = entry.rc.address;
    this.account = entry.account;
    this.region = entry.region;
    this.attrs =
      side === 'after'
        ? new Attributes(change.after, change.after_unknown, change.after_sensitive)
        : new Attributes(change.before, undefined, change.before_sensitive);
  }

  get(path: AttrPath): unknown {
    return this.attrs.get(path);
  }

  pointer(path: AttrPath): Maybe<string | undefined> {
    return this.mapping.pointerFor(this.entry, this.attrs, path, this.side);
  }

  parent(path: AttrPath, type: ResourceType, toArn?: (value: string) => string | undefined): ParentRef | undefined {
    return this.mapping.parentFor(this.entry, this.attrs, path, type, this.side, toArn);
  }
}

function pointerBefore(attrs: Attributes, path: AttrPath): Maybe<string | undefined> {
  const value = attrs.get(path);
  return typeof value === 'string' && value !== '' ? value : value === UNKNOWN ? UNKNOWN : undefined;
}

/** The configuration expression for an attribute path; a list attribute's whole expression for its elements. */
function expressionAt(expressions: Readonly<Record<string, unknown>> | undefined, path: AttrPath): { references?: readonly string[] } | undefined {
  let node: unknown = expressions;
  for (const step of path) {
    if (node === null || typeof node !== 'object') return undefined;
    if ('references' in node || 'constant_value' in node) return node as { references?: string[] };
    node = Array.isArray(node) ? (typeof step === 'number' ? node[step] : (node[0] as Record<string, unknown> | undefined)?.[step]) : (node as Record<string, unknown>)[step];
  }
  return node !== null && typeof node === 'object' ? (node as { references?: string[] }) : undefined;
}

/** Properties derived at load from another one: they are known exactly when their source is. */
const DERIVED_FROM: Readonly<Record<string, readonly string[]>> = {
  policy: ['admittedAccounts', 'admitsAnyAccount'],
  encryption: ['kmsKeyAccount'],
  kmsKeyId: ['kmsKeyAccount'],
};

/** Applies contributions to a resource's properties: removals first, so indices of added items hold. */
export function applyContributions(props: Record<string, unknown>, unknown: Set<string>, contributions: readonly Contribution[]): void {
  const ordered = [...contributions.filter((c) => c.op === 'remove'), ...contributions.filter((c) => c.op !== 'remove')];
  for (const c of ordered) {
    switch (c.op) {
      case 'set':
        props[c.path] = cloneJson(c.value);
        for (const p of [c.path, ...(DERIVED_FROM[c.path] ?? [])]) unknown.delete(p);
        break;
      case 'unknown':
        for (const p of [c.path, ...(DERIVED_FROM[c.path] ?? [])]) {
          unknown.add(p);
          delete props[p];
        }
        break;
      case 'remove': {
        const list = props[c.path];
        if (Array.isArray(list)) props[c.path] = list.filter((item) => !matches(item, c.item));
        break;
      }
      case 'add': {
        const list = Array.isArray(props[c.path]) ? (props[c.path] as unknown[]) : [];
        const at = list.findIndex((item) => matches(item, c.item));
        if (at === -1) {
          list.push(cloneJson(c.item));
          for (const field of c.unknownFields ?? []) unknown.add(`${c.path}.${list.length - 1}.${field}`);
        }
        props[c.path] = list;
        break;
      }
    }
  }
}

/** An item matches a pattern when every field the pattern gives is equal (strings compare whole). */
function matches(item: unknown, pattern: unknown): boolean {
  if (pattern === null || typeof pattern !== 'object') return item === pattern;
  if (item === null || typeof item !== 'object') return false;
  return Object.entries(pattern as Record<string, unknown>).every(([k, v]) => JSON.stringify((item as Record<string, unknown>)[k]) === JSON.stringify(v));
}

function actionOf(actions: readonly string[]): Action | undefined {
  if (actions.includes('delete') && actions.includes('create')) return 'replace';
  if (actions.length !== 1) return undefined;
  const [a] = actions;
  return a === 'create' || a === 'update' || a === 'delete' || a === 'no-op' || a === 'read' ? a : undefined;
}

function knownString(values: Record<string, unknown> | null | undefined, unknownMask: unknown, attr: string): string | undefined {
  if (unknownMask !== null && typeof unknownMask === 'object' && (unknownMask as Record<string, unknown>)[attr] === true) return undefined;
  return asString(values?.[attr]);
}

function nameKey(type: string, account: string, name: string): string {
  return `${type}\u0000${account}\u0000${name}`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function freeze(r: MutableResource): Resource {
  return {
    type: r.type,
    id: r.id,
    ...(r.arn === undefined ? {} : { arn: r.arn }),
    account: r.account,
    region: r.region,
    ...(r.name === undefined ? {} : { name: r.name }),
    ...(r.tags === undefined ? {} : { tags: r.tags }),
    properties: r.properties,
    ...(r.unknown.size > 0 ? { unknown: [...r.unknown].sort() } : {}),
    origin: r.origin,
  };
}

/** Lookups into the base estate, built once. */
export class BaseIndex {
  private readonly arns = new Map<string, Resource>();
  private readonly names = new Map<string, Resource[]>();
  private readonly ousById = new Map<string, OrganizationalUnit>();
  private readonly ousByPath = new Map<string, OrganizationalUnit>();
  private readonly accounts = new Map<string, Account>();

  constructor(estate: Estate) {
    for (const r of estate.resources) {
      this.arns.set(r.id, r);
      if (r.arn) this.arns.set(r.arn, r);
      if (r.name !== undefined) {
        const key = nameKey(r.type, r.account, r.name);
        const list = this.names.get(key);
        if (list) list.push(r);
        else this.names.set(key, [r]);
      }
    }
    for (const ou of estate.organization.organizationalUnits ?? []) {
      this.ousById.set(ou.id, ou);
      this.ousByPath.set(ou.path, ou);
    }
    for (const a of estate.accounts) this.accounts.set(a.id, a);
  }

  byArn(arn: string | undefined): Resource | undefined {
    return arn === undefined ? undefined : this.arns.get(arn);
  }

  byName(type: ResourceType, account: string, name: string | undefined, region: string): Resource | undefined {
    if (name === undefined) return undefined;
    const list = this.names.get(nameKey(type, account, name));
    return list?.find((r) => r.region === region) ?? list?.[0];
  }

  ouById(id: string): OrganizationalUnit | undefined {
    return this.ousById.get(id);
  }

  ouByPath(path: string): OrganizationalUnit | undefined {
    return this.ousByPath.get(path);
  }

  accountById(id: string): Account | undefined {
    return this.accounts.get(id);
  }
}

export { configPathOf };
