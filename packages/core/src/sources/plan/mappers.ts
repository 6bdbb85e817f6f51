import type { ResourceType } from '../../estate/resource-types.js';
import type { Contribution, ParentRef } from './plan-types.js';
import {
  type AttrPath,
  type Attributes,
  type Maybe,
  UNKNOWN,
  asBoolean,
  asInteger,
  asNumber,
  asString,
  asStringMap,
  asStrings,
  block,
  parsePolicy,
} from './values.js';

/** What a mapper sees of one side of one resource change. */
export interface MapContext {
  readonly address: string;
  readonly account: string;
  readonly region: string;
  readonly attrs: Attributes;
  /** The value at a path, or UNKNOWN (known after apply, or sensitive). */
  get(path: AttrPath): unknown;
  /** The estate id of what an attribute points at: its value, else the planned resource its expression references. */
  pointer(path: AttrPath): Maybe<string | undefined>;
  /** The parent an auxiliary resource names in `path`, by reference, ARN or name. */
  parent(path: AttrPath, type: ResourceType, toArn?: (value: string) => string | undefined): ParentRef | undefined;
}

/** Collects the properties of one resource and the paths whose values are not known. */
export class PropertySink {
  readonly props: Record<string, unknown> = {};
  readonly unknown = new Set<string>();

  constructor(private readonly ctx: MapContext) {}

  /** Copies the attribute at `path` through `convert` into `prop`; an unknown source marks `prop` (and `derived`) unknown. */
  put(prop: string, path: AttrPath, convert: (value: unknown) => unknown = (v) => v, derived: readonly string[] = []): void {
    const value = this.ctx.get(path);
    if (value === UNKNOWN) {
      this.markUnknown(prop, ...derived);
      return;
    }
    const converted = convert(value);
    if (converted !== undefined) this.props[prop] = converted;
  }

  /** Like `put`, for an attribute that names another resource (a key, a bucket …). */
  pointer(prop: string, path: AttrPath, derived: readonly string[] = [], nullWhenAbsent = true): void {
    const value = this.ctx.pointer(path);
    if (value === UNKNOWN) this.markUnknown(prop, ...derived);
    else if (value !== undefined) this.props[prop] = value;
    else if (nullWhenAbsent) this.props[prop] = null;
  }

  set(prop: string, value: unknown): void {
    if (value !== undefined) this.props[prop] = value;
  }

  markUnknown(...props: string[]): void {
    for (const p of props) {
      this.unknown.add(p);
      delete this.props[p];
    }
  }
}

/** A terraform type that becomes an estate resource of its own. */
export interface PrimaryMapper {
  readonly kind: 'primary';
  readonly type: ResourceType;
  /** The attribute that names the resource (bucket name, DB identifier, user name …): estate `name` and base-estate matching. */
  readonly nameAttr?: string;
  /** The attribute holding the ARN (default `arn`). */
  readonly arnAttr?: string;
  /** An ARN derivable from the name alone (S3 buckets). */
  readonly arnFromName?: (name: string) => string;
  /** Properties fed by auxiliary resources, with their value for a new resource; kept from the base estate on update. */
  readonly fedByAuxiliaries?: Readonly<Record<string, unknown>>;
  map(ctx: MapContext, out: PropertySink): void;
}

/** What an auxiliary resource contributes to one parent. */
export interface ParentContribution {
  readonly parent: ParentRef | undefined;
  readonly contributions: readonly Contribution[];
}

/** A terraform type that changes another resource (an attachment, a login profile, a key policy …). */
export interface AuxiliaryMapper {
  readonly kind: 'auxiliary';
  /** Contributions of the resource as it is on one side of the change. */
  contribute(ctx: MapContext): ParentContribution[];
  /** Contributions when the resource is deleted (default: undo the list additions of `before`). */
  deleted?(ctx: MapContext): ParentContribution[];
}

/** Organisation structure (OUs, policies, attachments): changes `organization`, not `resources`. */
export interface OrganizationMapper {
  readonly kind: 'organization';
  readonly part: 'ou' | 'policy' | 'attachment';
}

/** A terraform type with no estate resource of its own that others point at (an IAM policy). */
export interface NamedMapper {
  readonly kind: 'named';
  /** Its ARN: known, or derivable from the name as AWS defines it. */
  arn(ctx: MapContext): string | undefined;
}

export type PlanMapper = PrimaryMapper | AuxiliaryMapper | OrganizationMapper | NamedMapper;

const tagsOf = (ctx: MapContext): Record<string, string> | undefined => {
  const all = ctx.get(['tags_all']);
  if (all !== UNKNOWN && all !== null && all !== undefined) return asStringMap(all);
  const own = ctx.get(['tags']);
  return own === UNKNOWN ? undefined : asStringMap(own);
};
export { tagsOf };

const kmsArn = (ctx: MapContext) => (value: string) =>
  value.startsWith('arn:') ? value : `arn:aws:kms:${ctx.region}:${ctx.account}:key/${value}`;
const sgArn = (ctx: MapContext) => (value: string) =>
  value.startsWith('arn:') ? value : `arn:aws:ec2:${ctx.region}:${ctx.account}:security-group/${value}`;

const PROTOCOLS: Record<string, string> = { '6': 'tcp', '17': 'udp', '1': 'icmp', all: '-1', '-1': '-1', '58': 'icmpv6' };
function protocol(value: unknown): string | undefined {
  const p = typeof value === 'number' ? String(value) : asString(value)?.toLowerCase();
  return p === undefined ? undefined : (PROTOCOLS[p] ?? p);
}

/** One ingress rule in the estate's shape, from any of terraform's three ways of writing one. */
function ingressRule(r: Record<string, unknown>, kind: 'inline' | 'rule' | 'vpc-rule'): Record<string, unknown> {
  const proto = protocol(kind === 'vpc-rule' ? r.ip_protocol : r.protocol) ?? '-1';
  const all = proto === '-1';
  const cidrs =
    kind === 'vpc-rule'
      ? [asString(r.cidr_ipv4), asString(r.cidr_ipv6)].filter((c): c is string => c !== undefined)
      : [...asStrings(r.cidr_blocks), ...asStrings(r.ipv6_cidr_blocks)];
  const sources =
    kind === 'vpc-rule'
      ? [asString(r.referenced_security_group_id)].filter((c): c is string => c !== undefined)
      : kind === 'rule'
        ? [asString(r.source_security_group_id)].filter((c): c is string => c !== undefined)
        : asStrings(r.security_groups);
  return {
    protocol: proto,
    fromPort: all ? null : (asInteger(r.from_port) ?? null),
    toPort: all ? null : (asInteger(r.to_port) ?? null),
    cidrs: cidrs.sort(),
    sourceSecurityGroups: sources.sort(),
  };
}

function listAdds(ctx: MapContext, parentPath: AttrPath, type: ResourceType, prop: string, itemsPath: AttrPath, toArn?: (v: string) => string | undefined): ParentContribution[] {
  const parent = ctx.parent(parentPath, type, toArn);
  const items = ctx.get(itemsPath);
  if (items === UNKNOWN) return [{ parent, contributions: [{ op: 'unknown', path: prop }] }];
  const values = typeof items === 'string' ? [items] : asStrings(items);
  return [{ parent, contributions: values.map((item) => ({ op: 'add', path: prop, item })) }];
}

/** A policy ARN an attachment names; a planned policy's ARN is not known, its estate id stands in. */
function policyAdd(ctx: MapContext, prop: string): Contribution {
  const value = ctx.pointer(['policy_arn']);
  if (value === UNKNOWN || value === undefined) return { op: 'unknown', path: prop };
  return { op: 'add', path: prop, item: value };
}

function replicationRules(ctx: MapContext, rulesPath: AttrPath, legacy: boolean): Maybe<Record<string, unknown>[]> {
  const rules = ctx.get(rulesPath);
  if (rules === UNKNOWN) return UNKNOWN;
  if (!Array.isArray(rules)) return [];
  const out: Record<string, unknown>[] = [];
  let known = true;
  rules.forEach((raw, i) => {
    const rule = raw as Record<string, unknown>;
    const destination = block(rule.destination) ?? {};
    const filter = block(rule.filter);
    const and = block(filter?.and);
    const bucket = ctx.pointer([...rulesPath, i, 'destination', 0, 'bucket']);
    if (bucket === UNKNOWN || bucket === undefined) known = false;
    const tagFilters: Record<string, string> = {};
    const tag = block(filter?.tag);
    if (tag && typeof tag.key === 'string' && typeof tag.value === 'string') tagFilters[tag.key] = tag.value;
    Object.assign(tagFilters, asStringMap(and?.tags) ?? asStringMap(filter?.tags) ?? {});
    const account = asString(legacy ? destination.account_id : destination.account);
    const replicaKey = legacy ? asString(destination.replica_kms_key_id) : asString(block(destination.encryption_configuration)?.replica_kms_key_id);
    out.push({
      ...(asString(rule.id) ? { id: asString(rule.id) } : {}),
      status: rule.status === 'Disabled' ? 'Disabled' : 'Enabled',
      destinationBucket: bucket,
      ...(account ? { destinationAccount: account } : {}),
      prefix: asString(and?.prefix) ?? asString(filter?.prefix) ?? asString(rule.prefix) ?? '',
      ...(Object.keys(tagFilters).length > 0 ? { tagFilters } : {}),
      replicaKmsKeyId: replicaKey ?? null,
    });
  });
  // A rule whose destination is not known cannot be judged, and neither can the set of rules.
  return known ? out : UNKNOWN;
}

function encryptionOf(rule: Record<string, unknown> | undefined): Record<string, unknown> | null {
  const d = block(rule?.apply_server_side_encryption_by_default);
  if (!d) return null;
  return { algorithm: asString(d.sse_algorithm) ?? 'AES256', kmsKeyId: asString(d.kms_master_key_id) ?? null };
}

function expirationOf(rules: unknown, enabledOf: (rule: Record<string, unknown>) => boolean): number | null {
  let days: number | null = null;
  for (const raw of Array.isArray(rules) ? rules : []) {
    const rule = raw as Record<string, unknown>;
    if (!enabledOf(rule)) continue;
    const d = asInteger(block(rule.expiration)?.days);
    if (d !== undefined && d > 0 && (days === null || d < days)) days = d;
  }
  return days;
}

const USER_FED = { consolePassword: false, mfaDevices: [], accessKeys: [], groups: [], attachedPolicies: [], inlinePolicies: [] };

/**
 * Terraform type → how it becomes estate data. One entry per type: adding a type is adding a line.
 * Mappers copy named attributes only, through `MapContext`, which withholds unknown and sensitive
 * values; nothing else of a resource's attributes reaches the estate.
 */
export const PLAN_MAPPERS: Readonly<Record<string, PlanMapper>> = {
  aws_iam_user: {
    kind: 'primary',
    type: 'aws.iam.user',
    nameAttr: 'name',
    fedByAuxiliaries: USER_FED,
    map: (_ctx, out) => {
      out.put('path', ['path']);
    },
  },
  aws_iam_user_login_profile: {
    kind: 'auxiliary',
    // Only the fact that a password exists: the password itself is never read.
    contribute: (ctx) => [{ parent: ctx.parent(['user'], 'aws.iam.user'), contributions: [{ op: 'set', path: 'consolePassword', value: true }] }],
    deleted: (ctx) => [{ parent: ctx.parent(['user'], 'aws.iam.user'), contributions: [{ op: 'set', path: 'consolePassword', value: false }] }],
  },
  aws_iam_access_key: {
    kind: 'auxiliary',
    contribute: (ctx) => {
      const id = ctx.get(['id']);
      const status = ctx.get(['status']);
      const created = ctx.get(['create_date']);
      const unknownFields = [...(id === UNKNOWN ? ['id'] : []), ...(status === UNKNOWN ? ['status'] : []), ...(created === UNKNOWN ? ['createdAt'] : [])];
      const item = {
        id: typeof id === 'string' ? id : `tf:${ctx.address}`,
        status: status === 'Inactive' ? 'Inactive' : 'Active',
        createdAt: typeof created === 'string' ? created : null,
      };
      return [{ parent: ctx.parent(['user'], 'aws.iam.user'), contributions: [{ op: 'add', path: 'accessKeys', item, unknownFields }] }];
    },
    deleted: (ctx) => {
      const id = ctx.get(['id']);
      return [{ parent: ctx.parent(['user'], 'aws.iam.user'), contributions: typeof id === 'string' ? [{ op: 'remove', path: 'accessKeys', item: { id } }] : [] }];
    },
  },
  aws_iam_virtual_mfa_device: {
    kind: 'auxiliary',
    contribute: (ctx) => {
      const user = ctx.get(['user_name']);
      if (user === UNKNOWN || typeof user !== 'string' || user === '') return [];
      const arn = ctx.get(['arn']);
      const serial = typeof arn === 'string' ? arn : `tf:${ctx.address}`;
      return [{ parent: ctx.parent(['user_name'], 'aws.iam.user'), contributions: [{ op: 'add', path: 'mfaDevices', item: { serial, kind: 'virtual' } }] }];
    },
    deleted: (ctx) => {
      const arn = ctx.get(['arn']);
      return [{ parent: ctx.parent(['user_name'], 'aws.iam.user'), contributions: typeof arn === 'string' ? [{ op: 'remove', path: 'mfaDevices', item: { serial: arn } }] : [] }];
    },
  },
  aws_iam_user_group_membership: {
    kind: 'auxiliary',
    contribute: (ctx) => listAdds(ctx, ['user'], 'aws.iam.user', 'groups', ['groups']),
  },
  aws_iam_group_membership: {
    kind: 'auxiliary',
    contribute: (ctx) => {
      const group = ctx.get(['group']);
      const users = ctx.get(['users']);
      const out = listAdds(ctx, ['group'], 'aws.iam.group', 'members', ['users']);
      if (users !== UNKNOWN && group !== UNKNOWN && typeof group === 'string') {
        asStrings(users).forEach((_u, i) => out.push({ parent: ctx.parent(['users', i], 'aws.iam.user'), contributions: [{ op: 'add', path: 'groups', item: group }] }));
      }
      return out;
    },
  },
  aws_iam_user_policy_attachment: {
    kind: 'auxiliary',
    contribute: (ctx) => [{ parent: ctx.parent(['user'], 'aws.iam.user'), contributions: [policyAdd(ctx, 'attachedPolicies')] }],
  },
  aws_iam_group_policy_attachment: {
    kind: 'auxiliary',
    contribute: (ctx) => [{ parent: ctx.parent(['group'], 'aws.iam.group'), contributions: [policyAdd(ctx, 'attachedPolicies')] }],
  },
  aws_iam_role_policy_attachment: {
    kind: 'auxiliary',
    contribute: (ctx) => [{ parent: ctx.parent(['role'], 'aws.iam.role'), contributions: [policyAdd(ctx, 'attachedPolicies')] }],
  },
  aws_iam_policy_attachment: {
    kind: 'auxiliary',
    contribute: (ctx) => {
      const out: ParentContribution[] = [];
      const add = policyAdd(ctx, 'attachedPolicies');
      for (const [attr, type] of [['users', 'aws.iam.user'], ['groups', 'aws.iam.group'], ['roles', 'aws.iam.role']] as const) {
        const names = ctx.get([attr]);
        if (names === UNKNOWN) continue;
        asStrings(names).forEach((_n, i) => out.push({ parent: ctx.parent([attr, i], type), contributions: [add] }));
      }
      return out;
    },
  },
  aws_iam_user_policy: {
    kind: 'auxiliary',
    contribute: (ctx) => listAdds(ctx, ['user'], 'aws.iam.user', 'inlinePolicies', ['name']),
  },
  aws_iam_group_policy: {
    kind: 'auxiliary',
    contribute: (ctx) => listAdds(ctx, ['group'], 'aws.iam.group', 'inlinePolicies', ['name']),
  },
  aws_iam_role_policy: {
    kind: 'auxiliary',
    contribute: (ctx) => listAdds(ctx, ['role'], 'aws.iam.role', 'inlinePolicies', ['name']),
  },
  aws_iam_policy: {
    kind: 'named',
    arn: (ctx) => {
      const arn = ctx.get(['arn']);
      if (typeof arn === 'string') return arn;
      const name = ctx.get(['name']);
      const path = ctx.get(['path']);
      if (typeof name !== 'string' || name === '' || path === UNKNOWN) return undefined;
      return `arn:aws:iam::${ctx.account}:policy${typeof path === 'string' && path !== '' ? path : '/'}${name}`;
    },
  },
  aws_iam_group: {
    kind: 'primary',
    type: 'aws.iam.group',
    nameAttr: 'name',
    fedByAuxiliaries: { attachedPolicies: [], inlinePolicies: [], members: [] },
    map: (_ctx, out) => out.put('path', ['path']),
  },
  aws_iam_role: {
    kind: 'primary',
    type: 'aws.iam.role',
    nameAttr: 'name',
    fedByAuxiliaries: { attachedPolicies: [], inlinePolicies: [] },
    map: (ctx, out) => {
      out.put('path', ['path']);
      out.put('trustPolicy', ['assume_role_policy'], (v) => parsePolicy(v) ?? null, [
        'trustedAccounts',
        'trustedServices',
        'federatedPrincipals',
        'externalIdRequired',
        'oidcSubjects',
        'trustsAnyPrincipal',
      ]);
      const managed = ctx.get(['managed_policy_arns']);
      if (managed !== UNKNOWN && asStrings(managed).length > 0) out.set('attachedPolicies', asStrings(managed).sort());
      const inline = ctx.get(['inline_policy']);
      if (inline !== UNKNOWN && Array.isArray(inline)) {
        const names = inline.map((p) => asString((p as Record<string, unknown>).name)).filter((n): n is string => n !== undefined);
        if (names.length > 0) out.set('inlinePolicies', names.sort());
      }
    },
  },
  aws_iam_openid_connect_provider: {
    kind: 'primary',
    type: 'aws.iam.oidc-provider',
    nameAttr: 'url',
    map: (_ctx, out) => {
      out.put('url', ['url']);
      out.put('clientIds', ['client_id_list'], (v) => asStrings(v).sort());
    },
  },
  aws_iam_account_password_policy: {
    kind: 'primary',
    type: 'aws.iam.password-policy',
    map: (_ctx, out) => {
      out.put('minimumPasswordLength', ['minimum_password_length'], asInteger);
      out.put('requireSymbols', ['require_symbols'], asBoolean);
      out.put('requireNumbers', ['require_numbers'], asBoolean);
      out.put('requireUppercaseCharacters', ['require_uppercase_characters'], asBoolean);
      out.put('requireLowercaseCharacters', ['require_lowercase_characters'], asBoolean);
      out.put('maxPasswordAge', ['max_password_age'], asInteger);
      out.put('passwordReusePrevention', ['password_reuse_prevention'], asInteger);
    },
  },
  aws_accessanalyzer_analyzer: {
    kind: 'primary',
    type: 'aws.accessanalyzer.analyzer',
    nameAttr: 'analyzer_name',
    map: (_ctx, out) => out.put('analyzerType', ['type'], (v) => asString(v) ?? 'ACCOUNT'),
  },
  aws_kms_key: {
    kind: 'primary',
    type: 'aws.kms.key',
    nameAttr: 'key_id',
    map: (ctx, out) => {
      out.set('manager', 'CUSTOMER'); // terraform can only create customer managed keys
      out.put('state', ['is_enabled'], (v) => (v === false ? 'Disabled' : 'Enabled'));
      out.put('rotationEnabled', ['enable_key_rotation'], (v) => asBoolean(v) ?? false);
      out.put('keySpec', ['customer_master_key_spec'], asString);
      out.put('keyUsage', ['key_usage'], asString);
      out.put('multiRegion', ['multi_region'], asBoolean);
      out.put('description', ['description'], asString);
      out.put('policy', ['policy'], (v) => parsePolicy(v) ?? null, ['admittedAccounts', 'admitsAnyAccount']);
      if (ctx.get(['policy']) === undefined || ctx.get(['policy']) === null) out.markUnknown('policy', 'admittedAccounts', 'admitsAnyAccount');
    },
  },
  aws_kms_key_policy: {
    kind: 'auxiliary',
    contribute: (ctx) => {
      const policy = ctx.get(['policy']);
      const parent = ctx.parent(['key_id'], 'aws.kms.key', kmsArn(ctx));
      if (policy === UNKNOWN) return [{ parent, contributions: [{ op: 'unknown', path: 'policy' }] }];
      return [{ parent, contributions: [{ op: 'set', path: 'policy', value: parsePolicy(policy) ?? null }] }];
    },
    // Removing the resource leaves some policy in place that the plan does not show.
    deleted: (ctx) => [{ parent: ctx.parent(['key_id'], 'aws.kms.key', kmsArn(ctx)), contributions: [{ op: 'unknown', path: 'policy' }] }],
  },
  aws_db_instance: {
    kind: 'primary',
    type: 'aws.rds.instance',
    nameAttr: 'identifier',
    map: (_ctx, out) => {
      out.put('engine', ['engine'], asString);
      out.put('engineVersion', ['engine_version'], asString);
      out.put('instanceClass', ['instance_class'], asString);
      out.put('backupRetentionDays', ['backup_retention_period'], asInteger);
      out.put('multiAz', ['multi_az'], asBoolean);
      out.put('storageEncrypted', ['storage_encrypted'], asBoolean);
      out.pointer('kmsKeyId', ['kms_key_id'], ['kmsKeyAccount']);
      out.put('publiclyAccessible', ['publicly_accessible'], asBoolean);
      out.put('deletionProtection', ['deletion_protection'], asBoolean);
      out.put('replicateSourceDb', ['replicate_source_db'], asString);
      out.put('vpcSecurityGroups', ['vpc_security_group_ids'], (v) => asStrings(v).sort());
      out.put('availabilityZone', ['availability_zone'], asString);
      out.set('clusterId', null);
    },
  },
  aws_rds_cluster: {
    kind: 'primary',
    type: 'aws.rds.cluster',
    nameAttr: 'cluster_identifier',
    map: (_ctx, out) => {
      out.put('engine', ['engine'], asString);
      out.put('engineVersion', ['engine_version'], asString);
      out.put('backupRetentionDays', ['backup_retention_period'], asInteger);
      out.put('storageEncrypted', ['storage_encrypted'], asBoolean);
      out.pointer('kmsKeyId', ['kms_key_id'], ['kmsKeyAccount']);
      out.put('deletionProtection', ['deletion_protection'], asBoolean);
      out.put('availabilityZones', ['availability_zones'], (v) => asStrings(v).sort());
    },
  },
  aws_db_snapshot: {
    kind: 'primary',
    type: 'aws.rds.snapshot',
    nameAttr: 'db_snapshot_identifier',
    arnAttr: 'db_snapshot_arn',
    map: (ctx, out) => {
      out.put('sharedWith', ['shared_accounts'], (v) => asStrings(v).sort());
      if (!('sharedWith' in out.props)) out.set('sharedWith', []);
      out.put('encrypted', ['encrypted'], asBoolean);
      out.pointer('kmsKeyId', ['kms_key_id'], ['kmsKeyAccount']);
      out.put('sourceInstance', ['db_instance_identifier'], asString);
      const source = ctx.pointer(['db_instance_identifier']);
      if (typeof source === 'string' && source.startsWith('arn:')) out.set('sourceArn', source);
    },
  },
  aws_db_cluster_snapshot: {
    kind: 'primary',
    type: 'aws.rds.snapshot',
    nameAttr: 'db_cluster_snapshot_identifier',
    arnAttr: 'db_cluster_snapshot_arn',
    map: (ctx, out) => {
      out.put('sharedWith', ['shared_accounts'], (v) => asStrings(v).sort());
      if (!('sharedWith' in out.props)) out.set('sharedWith', []);
      out.put('encrypted', ['storage_encrypted'], asBoolean);
      out.pointer('kmsKeyId', ['kms_key_id'], ['kmsKeyAccount']);
      out.put('sourceCluster', ['db_cluster_identifier'], asString);
      const source = ctx.pointer(['db_cluster_identifier']);
      if (typeof source === 'string' && source.startsWith('arn:')) out.set('sourceArn', source);
    },
  },
  aws_s3_bucket: {
    kind: 'primary',
    type: 'aws.s3.bucket',
    nameAttr: 'bucket',
    arnFromName: (name) => `arn:aws:s3:::${name}`,
    map: (ctx, out) => {
      // Provider 4+ keeps these inline blocks only as read-only echoes; separate resources
      // (below) override them. Older providers configure them here.
      const sse = ctx.get(['server_side_encryption_configuration']);
      if (sse === UNKNOWN) out.markUnknown('encryption', 'kmsKeyAccount');
      else if (Array.isArray(sse) && sse.length > 0) out.set('encryption', encryptionOf(block(block(sse)?.rule)));
      const replication = ctx.get(['replication_configuration']);
      if (replication === UNKNOWN) out.markUnknown('replicationRules');
      else if (Array.isArray(replication) && replication.length > 0) {
        const rules = replicationRules(ctx, ['replication_configuration', 0, 'rules'], true);
        if (rules === UNKNOWN) out.markUnknown('replicationRules');
        else out.set('replicationRules', rules);
      } else out.set('replicationRules', []);
      const lifecycle = ctx.get(['lifecycle_rule']);
      if (lifecycle === UNKNOWN) out.markUnknown('expirationDays');
      else out.set('expirationDays', expirationOf(lifecycle, (r) => r.enabled === true));
    },
  },
  aws_s3_bucket_server_side_encryption_configuration: {
    kind: 'auxiliary',
    contribute: (ctx) => {
      const parent = ctx.parent(['bucket'], 'aws.s3.bucket', (v) => `arn:aws:s3:::${v}`);
      const rule = ctx.get(['rule', 0]);
      if (rule === UNKNOWN) return [{ parent, contributions: [{ op: 'unknown', path: 'encryption' }] }];
      const d = block((rule as Record<string, unknown> | undefined)?.apply_server_side_encryption_by_default);
      const key = ctx.pointer(['rule', 0, 'apply_server_side_encryption_by_default', 0, 'kms_master_key_id']);
      if (key === UNKNOWN) return [{ parent, contributions: [{ op: 'unknown', path: 'encryption' }] }];
      const value = d ? { algorithm: asString(d.sse_algorithm) ?? 'AES256', kmsKeyId: key ?? null } : null;
      return [{ parent, contributions: [{ op: 'set', path: 'encryption', value }] }];
    },
    deleted: (ctx) => [{ parent: ctx.parent(['bucket'], 'aws.s3.bucket', (v) => `arn:aws:s3:::${v}`), contributions: [{ op: 'unknown', path: 'encryption' }] }],
  },
  aws_s3_bucket_replication_configuration: {
    kind: 'auxiliary',
    contribute: (ctx) => {
      const parent = ctx.parent(['bucket'], 'aws.s3.bucket', (v) => `arn:aws:s3:::${v}`);
      const rules = replicationRules(ctx, ['rule'], false);
      if (rules === UNKNOWN) return [{ parent, contributions: [{ op: 'unknown', path: 'replicationRules' }] }];
      return [{ parent, contributions: [{ op: 'set', path: 'replicationRules', value: rules }] }];
    },
    deleted: (ctx) => [{ parent: ctx.parent(['bucket'], 'aws.s3.bucket', (v) => `arn:aws:s3:::${v}`), contributions: [{ op: 'set', path: 'replicationRules', value: [] }] }],
  },
  aws_s3_bucket_lifecycle_configuration: {
    kind: 'auxiliary',
    contribute: (ctx) => {
      const parent = ctx.parent(['bucket'], 'aws.s3.bucket', (v) => `arn:aws:s3:::${v}`);
      const rules = ctx.get(['rule']);
      if (rules === UNKNOWN) return [{ parent, contributions: [{ op: 'unknown', path: 'expirationDays' }] }];
      return [{ parent, contributions: [{ op: 'set', path: 'expirationDays', value: expirationOf(rules, (r) => r.status === 'Enabled') }] }];
    },
    deleted: (ctx) => [{ parent: ctx.parent(['bucket'], 'aws.s3.bucket', (v) => `arn:aws:s3:::${v}`), contributions: [{ op: 'set', path: 'expirationDays', value: null }] }],
  },
  aws_instance: {
    kind: 'primary',
    type: 'aws.ec2.instance',
    nameAttr: 'id',
    map: (_ctx, out) => {
      out.put('state', ['instance_state'], asString);
      out.put('instanceType', ['instance_type'], asString);
      out.put('securityGroups', ['vpc_security_group_ids'], (v) => asStrings(v).sort());
      out.put('subnetId', ['subnet_id'], asString);
      out.put('imageId', ['ami'], asString);
      out.put('metadataHttpTokens', ['metadata_options', 0, 'http_tokens'], asString);
      out.put('publicIp', ['associate_public_ip_address'], asBoolean);
    },
  },
  aws_ecs_cluster: {
    kind: 'primary',
    type: 'aws.ecs.cluster',
    nameAttr: 'name',
    map: (ctx, out) => {
      out.set('status', 'ACTIVE');
      const settings = ctx.get(['setting']);
      if (settings === UNKNOWN) out.markUnknown('containerInsights');
      else {
        const insights = (Array.isArray(settings) ? settings : []).find((s) => (s as Record<string, unknown>).name === 'containerInsights') as Record<string, unknown> | undefined;
        out.set('containerInsights', insights ? insights.value === 'enabled' || insights.value === 'enhanced' : false);
      }
    },
  },
  aws_ecs_service: {
    kind: 'primary',
    type: 'aws.ecs.service',
    nameAttr: 'name',
    map: (_ctx, out) => {
      out.pointer('cluster', ['cluster'], [], false);
      out.put('launchType', ['launch_type'], asString);
      out.put('desiredCount', ['desired_count'], asInteger);
      out.put('assignPublicIp', ['network_configuration', 0, 'assign_public_ip'], asBoolean);
      out.put('securityGroups', ['network_configuration', 0, 'security_groups'], (v) => asStrings(v).sort());
    },
  },
  aws_eks_cluster: {
    kind: 'primary',
    type: 'aws.eks.cluster',
    nameAttr: 'name',
    map: (ctx, out) => {
      out.put('version', ['version'], asString);
      out.put('endpointPublicAccess', ['vpc_config', 0, 'endpoint_public_access'], asBoolean);
      out.put('endpointPrivateAccess', ['vpc_config', 0, 'endpoint_private_access'], asBoolean);
      out.put('publicAccessCidrs', ['vpc_config', 0, 'public_access_cidrs'], (v) => asStrings(v).sort());
      out.put('logTypes', ['enabled_cluster_log_types'], (v) => asStrings(v).sort());
      const enc = ctx.get(['encryption_config']);
      if (enc === UNKNOWN) out.markUnknown('secretsKmsKeyId');
      else if (Array.isArray(enc) && enc.length > 0) out.pointer('secretsKmsKeyId', ['encryption_config', 0, 'provider', 0, 'key_arn']);
      else out.set('secretsKmsKeyId', null);
    },
  },
  aws_lambda_function: {
    kind: 'primary',
    type: 'aws.lambda.function',
    nameAttr: 'function_name',
    // Never the environment block: it is where secrets are most often put.
    map: (_ctx, out) => {
      out.put('runtime', ['runtime'], asString);
      out.pointer('role', ['role'], [], false);
      out.pointer('kmsKeyId', ['kms_key_arn']);
      out.put('packageType', ['package_type'], asString);
      out.put('vpcSubnets', ['vpc_config', 0, 'subnet_ids'], (v) => asStrings(v).sort());
    },
  },
  aws_ecr_repository: {
    kind: 'primary',
    type: 'aws.ecr.repository',
    nameAttr: 'name',
    map: (ctx, out) => {
      out.put('imageTagMutability', ['image_tag_mutability'], asString);
      out.put('scanOnPush', ['image_scanning_configuration', 0, 'scan_on_push'], asBoolean);
      const type = ctx.get(['encryption_configuration', 0, 'encryption_type']);
      if (type === UNKNOWN) out.markUnknown('encryptionType', 'kmsKeyId', 'kmsKeyAccount');
      else {
        out.set('encryptionType', asString(type) ?? 'AES256');
        if (type === 'KMS') out.pointer('kmsKeyId', ['encryption_configuration', 0, 'kms_key'], ['kmsKeyAccount']);
        else out.set('kmsKeyId', null);
      }
    },
  },
  aws_cloudtrail: {
    kind: 'primary',
    type: 'aws.cloudtrail.trail',
    nameAttr: 'name',
    map: (ctx, out) => {
      out.put('isOrganizationTrail', ['is_organization_trail'], (v) => asBoolean(v) ?? false);
      out.put('isMultiRegionTrail', ['is_multi_region_trail'], (v) => asBoolean(v) ?? false);
      out.put('logFileValidation', ['enable_log_file_validation'], (v) => asBoolean(v) ?? false);
      out.put('isLogging', ['enable_logging'], (v) => asBoolean(v) ?? true);
      out.put('s3BucketName', ['s3_bucket_name'], asString, ['s3BucketAccount']);
      out.pointer('kmsKeyId', ['kms_key_id']);
      out.put('homeRegion', ['home_region'], (v) => asString(v) ?? ctx.region);
    },
  },
  aws_config_configuration_recorder: {
    kind: 'primary',
    type: 'aws.config.recorder',
    nameAttr: 'name',
    // A new recorder does not record until a recorder status resource starts it.
    fedByAuxiliaries: { recording: false },
    map: (_ctx, out) => {
      out.put('allSupported', ['recording_group', 0, 'all_supported'], (v) => asBoolean(v) ?? true);
      out.put('includeGlobalResourceTypes', ['recording_group', 0, 'include_global_resource_types'], asBoolean);
    },
  },
  aws_config_configuration_recorder_status: {
    kind: 'auxiliary',
    contribute: (ctx) => {
      const enabled = ctx.get(['is_enabled']);
      const parent = ctx.parent(['name'], 'aws.config.recorder');
      if (enabled === UNKNOWN) return [{ parent, contributions: [{ op: 'unknown', path: 'recording' }] }];
      return [{ parent, contributions: [{ op: 'set', path: 'recording', value: enabled === true }] }];
    },
    deleted: (ctx) => [{ parent: ctx.parent(['name'], 'aws.config.recorder'), contributions: [{ op: 'unknown', path: 'recording' }] }],
  },
  aws_config_configuration_aggregator: {
    kind: 'primary',
    type: 'aws.config.aggregator',
    nameAttr: 'name',
    map: (ctx, out) => {
      const org = ctx.get(['organization_aggregation_source']);
      const accounts = ctx.get(['account_aggregation_source']);
      if (org === UNKNOWN) out.markUnknown('organizationWide', 'allRegions');
      else {
        const source = block(org) ?? block(accounts === UNKNOWN ? undefined : accounts);
        out.set('organizationWide', Array.isArray(org) && org.length > 0);
        out.set('allRegions', asBoolean(source?.all_regions) ?? false);
      }
    },
  },
  aws_budgets_budget: {
    kind: 'primary',
    type: 'aws.budgets.budget',
    nameAttr: 'name',
    map: (ctx, out) => {
      out.put('limitAmount', ['limit_amount'], (v) => asNumber(v) ?? null);
      out.put('limitUnit', ['limit_unit'], asString);
      out.put('timeUnit', ['time_unit'], asString);
      out.put('budgetType', ['budget_type'], asString);
      const notifications = ctx.get(['notification']);
      if (notifications === UNKNOWN) out.markUnknown('notifications');
      else {
        out.set(
          'notifications',
          (Array.isArray(notifications) ? notifications : []).map((raw) => {
            const n = raw as Record<string, unknown>;
            return {
              threshold: asNumber(n.threshold) ?? 0,
              thresholdType: asString(n.threshold_type) ?? 'PERCENTAGE',
              notificationType: asString(n.notification_type) ?? 'ACTUAL',
              comparison: asString(n.comparison_operator) ?? 'GREATER_THAN',
            };
          }),
        );
      }
    },
  },
  aws_vpc: {
    kind: 'primary',
    type: 'aws.ec2.vpc',
    nameAttr: 'id',
    map: (_ctx, out) => {
      out.put('cidr', ['cidr_block'], asString);
      out.set('isDefault', false);
    },
  },
  aws_default_vpc: {
    kind: 'primary',
    type: 'aws.ec2.vpc',
    nameAttr: 'id',
    map: (_ctx, out) => {
      out.put('cidr', ['cidr_block'], asString);
      out.set('isDefault', true);
    },
  },
  aws_subnet: {
    kind: 'primary',
    type: 'aws.ec2.subnet',
    nameAttr: 'id',
    map: (_ctx, out) => {
      out.pointer('vpcId', ['vpc_id'], [], false);
      out.put('availabilityZone', ['availability_zone'], asString);
      out.put('cidr', ['cidr_block'], asString);
      out.put('mapPublicIpOnLaunch', ['map_public_ip_on_launch'], asBoolean);
      // Whether a subnet is public depends on its route table, which this resource does not say.
      out.markUnknown('public');
    },
  },
  aws_security_group: {
    kind: 'primary',
    type: 'aws.ec2.security-group',
    nameAttr: 'name',
    fedByAuxiliaries: { ingress: [] },
    map: (ctx, out) => {
      out.pointer('vpcId', ['vpc_id'], [], false);
      const ingress = ctx.get(['ingress']);
      if (ingress === UNKNOWN) out.markUnknown('ingress');
      else if (Array.isArray(ingress)) out.set('ingress', ingress.map((r) => ingressRule(r as Record<string, unknown>, 'inline')));
    },
  },
  aws_vpc_security_group_ingress_rule: {
    kind: 'auxiliary',
    contribute: (ctx) => {
      const parent = ctx.parent(['security_group_id'], 'aws.ec2.security-group', sgArn(ctx));
      const values = ctx.attrs.partlyUnknown(['cidr_ipv4']) || ctx.attrs.partlyUnknown(['ip_protocol']) || ctx.attrs.partlyUnknown(['from_port']) || ctx.attrs.partlyUnknown(['to_port']);
      const rule = ingressRule(
        { ip_protocol: ctx.get(['ip_protocol']), from_port: ctx.get(['from_port']), to_port: ctx.get(['to_port']), cidr_ipv4: ctx.get(['cidr_ipv4']), cidr_ipv6: ctx.get(['cidr_ipv6']), referenced_security_group_id: ctx.pointer(['referenced_security_group_id']) },
        'vpc-rule',
      );
      return [{ parent, contributions: values ? [{ op: 'unknown', path: 'ingress' }] : [{ op: 'add', path: 'ingress', item: rule }] }];
    },
  },
  aws_security_group_rule: {
    kind: 'auxiliary',
    contribute: (ctx) => {
      if (ctx.get(['type']) !== 'ingress') return [];
      const parent = ctx.parent(['security_group_id'], 'aws.ec2.security-group', sgArn(ctx));
      const unknown = ['protocol', 'from_port', 'to_port', 'cidr_blocks', 'ipv6_cidr_blocks'].some((a) => ctx.attrs.partlyUnknown([a]));
      const source = ctx.pointer(['source_security_group_id']);
      const rule = ingressRule(
        {
          protocol: ctx.get(['protocol']),
          from_port: ctx.get(['from_port']),
          to_port: ctx.get(['to_port']),
          cidr_blocks: ctx.get(['cidr_blocks']),
          ipv6_cidr_blocks: ctx.get(['ipv6_cidr_blocks']),
          source_security_group_id: source === UNKNOWN ? undefined : source,
        },
        'rule',
      );
      return [{ parent, contributions: unknown ? [{ op: 'unknown', path: 'ingress' }] : [{ op: 'add', path: 'ingress', item: rule }] }];
    },
  },
  aws_vpc_peering_connection: {
    kind: 'primary',
    type: 'aws.ec2.vpc-peering',
    nameAttr: 'id',
    map: (ctx, out) => {
      out.set('requesterAccount', ctx.account);
      const owner = ctx.get(['peer_owner_id']);
      if (owner === UNKNOWN) out.markUnknown('accepterAccount');
      else out.set('accepterAccount', asString(owner) ?? ctx.account);
      out.pointer('requesterVpc', ['vpc_id'], [], false);
      out.pointer('accepterVpc', ['peer_vpc_id'], [], false);
      out.set('requesterRegion', ctx.region);
      out.put('accepterRegion', ['peer_region'], (v) => asString(v) ?? ctx.region);
      out.put('status', ['accept_status'], asString);
    },
  },
  aws_elasticache_replication_group: {
    kind: 'primary',
    type: 'aws.elasticache.replication-group',
    nameAttr: 'replication_group_id',
    map: (_ctx, out) => {
      out.put('engine', ['engine'], asString);
      out.put('multiAz', ['multi_az_enabled'], (v) => asBoolean(v) ?? false);
      out.put('automaticFailover', ['automatic_failover_enabled'], (v) => asBoolean(v) ?? false);
      out.put('atRestEncryption', ['at_rest_encryption_enabled'], (v) => asBoolean(v) ?? false);
      out.put('transitEncryption', ['transit_encryption_enabled'], (v) => asBoolean(v) ?? false);
      out.pointer('kmsKeyId', ['kms_key_id']);
    },
  },
  aws_lb: {
    kind: 'primary',
    type: 'aws.elb.load-balancer',
    nameAttr: 'name',
    map: (_ctx, out) => {
      out.put('scheme', ['internal'], (v) => (v === true ? 'internal' : 'internet-facing'));
      out.put('loadBalancerType', ['load_balancer_type'], (v) => asString(v) ?? 'application');
      out.put('securityGroups', ['security_groups'], (v) => asStrings(v).sort());
      out.put('vpcId', ['vpc_id'], asString);
    },
  },
  get aws_alb(): PlanMapper {
    return PLAN_MAPPERS.aws_lb as PlanMapper; // the older name of the same resource
  },
  aws_backup_plan: {
    kind: 'primary',
    type: 'aws.backup.plan',
    nameAttr: 'name',
    map: (ctx, out) => {
      const rules = ctx.get(['rule']);
      if (rules === UNKNOWN) out.markUnknown('rules');
      else {
        out.set(
          'rules',
          (Array.isArray(rules) ? rules : []).map((raw) => {
            const r = raw as Record<string, unknown>;
            const lifecycle = block(r.lifecycle);
            return {
              name: asString(r.rule_name) ?? '',
              targetVault: asString(r.target_vault_name) ?? '',
              schedule: asString(r.schedule) ?? null,
              deleteAfterDays: asInteger(lifecycle?.delete_after) ?? null,
              copyDestinations: (Array.isArray(r.copy_action) ? r.copy_action : []).map((c) => asString((c as Record<string, unknown>).destination_vault_arn) ?? '').sort(),
            };
          }),
        );
      }
    },
  },
  aws_organizations_account: {
    kind: 'primary',
    type: 'aws.organizations.account',
    nameAttr: 'name',
    map: (_ctx, out) => {
      out.put('accountId', ['id'], asString);
      out.put('email', ['email'], asString);
      out.put('status', ['status'], asString);
      out.put('joinedMethod', ['joined_method'], asString);
    },
  },
  aws_organizations_organizational_unit: { kind: 'organization', part: 'ou' },
  aws_organizations_policy: { kind: 'organization', part: 'policy' },
  aws_organizations_policy_attachment: { kind: 'organization', part: 'attachment' },
};

