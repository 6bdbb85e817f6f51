/**
 * Writes a deterministic, realistic `terraform show -json` plan of about `targetBytes`: nested
 * `for_each` / `count` modules, every common mapped type plus unmapped ones, auxiliaries that
 * reference their parents, values known only after apply and sensitive values. Shared by the
 * plan bench and the CLI's scan bench.
 */
import { closeSync, openSync, writeSync } from 'node:fs';

const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';

interface Change {
  readonly address: string;
  readonly moduleAddress: string;
  readonly type: string;
  readonly name: string;
  readonly index?: number | string;
  readonly after: Record<string, unknown>;
  readonly unknown: Record<string, unknown>;
  readonly sensitive: Record<string, unknown>;
}

const pad = (n: number, width = 6) => String(n).padStart(width, '0');

/** The resources of one service instance `i` in module `prefix`. */
function serviceChanges(prefix: string, i: number): Change[] {
  const id = pad(i);
  const at = (type: string, name: string, index?: number | string): Pick<Change, 'address' | 'moduleAddress' | 'type' | 'name' | 'index'> => ({
    address: `${prefix}.${type}.${name}${index === undefined ? '' : typeof index === 'number' ? `[${index}]` : `[${JSON.stringify(index)}]`}`,
    moduleAddress: prefix,
    type,
    name,
    ...(index === undefined ? {} : { index }),
  });
  const tags = { service: `svc-${id}`, environment: i % 3 === 0 ? 'production' : 'staging', owner: `team-${i % 17}` };
  const common = { tags, tags_all: { ...tags, team: 'platform' }, timeouts: null };
  return [
    {
      ...at('aws_kms_key', 'data'),
      after: { ...common, description: `data key ${id}`, enable_key_rotation: i % 4 !== 0, is_enabled: true, customer_master_key_spec: 'SYMMETRIC_DEFAULT', key_usage: 'ENCRYPT_DECRYPT', deletion_window_in_days: 30, bypass_policy_lockout_safety_check: false, custom_key_store_id: null, xks_key_id: null },
      unknown: { arn: true, id: true, key_id: true, policy: true, multi_region: true, rotation_period_in_days: true, tags_all: {} },
      sensitive: { tags_all: {} },
    },
    {
      ...at('aws_kms_key_policy', 'data'),
      after: { policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Owner', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }, { Sid: 'Reader', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${i % 5 === 0 ? '999988887777' : ACCOUNT}:root` }, Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: '*' }] }), bypass_policy_lockout_safety_check: false },
      unknown: { id: true, key_id: true },
      sensitive: {},
    },
    {
      ...at('aws_db_instance', 'this', 0),
      after: {
        ...common,
        identifier: `orders-${id}`,
        engine: 'postgres',
        engine_version: '16.3',
        instance_class: 'db.r6g.large',
        allocated_storage: 100,
        max_allocated_storage: 1000,
        username: 'app',
        password: `generated-secret-${id}`,
        backup_retention_period: i % 7 === 0 ? 1 : 14,
        backup_window: '03:00-04:00',
        maintenance_window: 'sun:04:30-sun:05:30',
        multi_az: i % 2 === 0,
        storage_encrypted: true,
        storage_type: 'gp3',
        publicly_accessible: false,
        deletion_protection: true,
        skip_final_snapshot: false,
        final_snapshot_identifier: `orders-${id}-final`,
        copy_tags_to_snapshot: true,
        auto_minor_version_upgrade: true,
        apply_immediately: false,
        performance_insights_enabled: true,
        monitoring_interval: 60,
        enabled_cloudwatch_logs_exports: ['postgresql', 'upgrade'],
        iam_database_authentication_enabled: true,
        parameter_group_name: `orders-${id}-pg16`,
        db_subnet_group_name: `orders-${id}`,
        blue_green_update: [],
        restore_to_point_in_time: [],
        s3_import: [],
      },
      unknown: { address: true, arn: true, availability_zone: true, ca_cert_identifier: true, endpoint: true, hosted_zone_id: true, id: true, kms_key_id: true, latest_restorable_time: true, listener_endpoint: true, master_user_secret: true, replicas: true, resource_id: true, status: true, vpc_security_group_ids: true, tags_all: {} },
      sensitive: { password: true, tags_all: {} },
    },
    {
      ...at('aws_s3_bucket', 'logs'),
      after: { ...common, bucket: `svc-${id}-logs`, force_destroy: false, object_lock_enabled: false },
      unknown: { acceleration_status: true, acl: true, arn: true, bucket_domain_name: true, bucket_prefix: true, bucket_regional_domain_name: true, cors_rule: true, grant: true, hosted_zone_id: true, id: true, lifecycle_rule: true, logging: true, object_lock_configuration: true, policy: true, region: true, replication_configuration: true, request_payer: true, server_side_encryption_configuration: true, versioning: true, website: true, website_domain: true, website_endpoint: true, tags_all: {} },
      sensitive: { tags_all: {} },
    },
    {
      ...at('aws_s3_bucket_server_side_encryption_configuration', 'logs'),
      after: { expected_bucket_owner: null, rule: [{ apply_server_side_encryption_by_default: [{ sse_algorithm: 'aws:kms' }], bucket_key_enabled: true }] },
      unknown: { bucket: true, id: true, rule: [{ apply_server_side_encryption_by_default: [{ kms_master_key_id: true }] }] },
      sensitive: {},
    },
    {
      ...at('aws_s3_bucket_replication_configuration', 'logs'),
      after: { role: `arn:aws:iam::${ACCOUNT}:role/replication`, token: null, rule: [{ id: 'dr', status: 'Enabled', priority: 1, prefix: null, filter: [{ prefix: 'audit/', and: [], tag: [] }], delete_marker_replication: [{ status: 'Disabled' }], destination: [{ bucket: `arn:aws:s3:::svc-${id}-dr`, account: i % 6 === 0 ? '999988887777' : ACCOUNT, storage_class: 'STANDARD_IA', encryption_configuration: [], access_control_translation: [], metrics: [], replication_time: [] }], existing_object_replication: [], source_selection_criteria: [] }] },
      unknown: { bucket: true, id: true },
      sensitive: {},
    },
    {
      ...at('aws_iam_user', 'deployer', 'ci'),
      after: { ...common, name: `deployer-${id}`, path: '/service/', force_destroy: false, permissions_boundary: null },
      unknown: { arn: true, id: true, unique_id: true, tags_all: {} },
      sensitive: { tags_all: {} },
    },
    {
      ...at('aws_iam_user_policy_attachment', 'deployer', 'ci'),
      after: { user: `deployer-${id}`, policy_arn: i % 9 === 0 ? 'arn:aws:iam::aws:policy/AdministratorAccess' : 'arn:aws:iam::aws:policy/ReadOnlyAccess' },
      unknown: { id: true },
      sensitive: {},
    },
    {
      ...at('aws_iam_access_key', 'deployer', 'ci'),
      after: { user: `deployer-${id}`, status: 'Active', pgp_key: null },
      unknown: { create_date: true, encrypted_secret: true, encrypted_ses_smtp_password_v4: true, id: true, key_fingerprint: true, secret: true, ses_smtp_password_v4: true },
      sensitive: { secret: true, ses_smtp_password_v4: true },
    },
    {
      ...at('aws_security_group', 'app'),
      after: { ...common, name: `svc-${id}-app`, description: 'app', revoke_rules_on_delete: false, ingress: [0, 1, 2].map((k) => ({ protocol: 'tcp', from_port: 443 + k, to_port: 443 + k, cidr_blocks: [k === 2 && i % 10 === 0 ? '0.0.0.0/0' : '10.0.0.0/8'], ipv6_cidr_blocks: [], prefix_list_ids: [], security_groups: [], self: false, description: `rule ${k}` })) },
      unknown: { arn: true, egress: true, id: true, name_prefix: true, owner_id: true, vpc_id: true, tags_all: {} },
      sensitive: { tags_all: {} },
    },
    {
      ...at('aws_instance', 'app', 0),
      after: { ...common, ami: 'ami-0123456789abcdef0', instance_type: 'm6i.large', get_password_data: false, hibernation: null, monitoring: true, source_dest_check: true, user_data_replace_on_change: false, volume_tags: null, metadata_options: [{ http_endpoint: 'enabled', http_tokens: i % 8 === 0 ? 'optional' : 'required', http_put_response_hop_limit: 2, instance_metadata_tags: 'disabled' }], credit_specification: [], launch_template: [] },
      unknown: { arn: true, associate_public_ip_address: true, availability_zone: true, cpu_core_count: true, ebs_block_device: true, id: true, instance_state: true, ipv6_addresses: true, primary_network_interface_id: true, private_dns: true, private_ip: true, public_dns: true, public_ip: true, root_block_device: true, security_groups: true, subnet_id: true, vpc_security_group_ids: true, tags_all: {} },
      sensitive: { tags_all: {} },
    },
    {
      ...at('aws_lambda_function', 'worker'),
      after: { ...common, function_name: `svc-${id}-worker`, runtime: 'nodejs20.x', handler: 'index.handler', memory_size: 512, timeout: 30, package_type: 'Zip', publish: false, environment: [{ variables: { API_TOKEN: `lambda-secret-${id}`, LOG_LEVEL: 'info' } }], filename: 'worker.zip', architectures: ['arm64'] },
      unknown: { arn: true, code_sha256: true, id: true, invoke_arn: true, last_modified: true, qualified_arn: true, role: true, version: true, tags_all: {} },
      sensitive: { environment: [{ variables: { API_TOKEN: true } }], tags_all: {} },
    },
    {
      ...at('aws_cloudwatch_log_group', 'worker'),
      after: { ...common, name: `/aws/lambda/svc-${id}-worker`, retention_in_days: 30, skip_destroy: false, log_group_class: 'STANDARD' },
      unknown: { arn: true, id: true, kms_key_id: true, tags_all: {} },
      sensitive: { tags_all: {} },
    },
  ];
}

const CONFIG_RESOURCES = [
  ['aws_kms_key', 'data', {}],
  ['aws_kms_key_policy', 'data', { key_id: { references: ['aws_kms_key.data.id', 'aws_kms_key.data'] } }],
  ['aws_db_instance', 'this', { kms_key_id: { references: ['aws_kms_key.data.arn', 'aws_kms_key.data'] } }],
  ['aws_s3_bucket', 'logs', {}],
  ['aws_s3_bucket_server_side_encryption_configuration', 'logs', { bucket: { references: ['aws_s3_bucket.logs.id', 'aws_s3_bucket.logs'] }, rule: [{ apply_server_side_encryption_by_default: [{ kms_master_key_id: { references: ['aws_kms_key.data.arn', 'aws_kms_key.data'] } }] }] }],
  ['aws_s3_bucket_replication_configuration', 'logs', { bucket: { references: ['aws_s3_bucket.logs.id', 'aws_s3_bucket.logs'] } }],
  ['aws_iam_user', 'deployer', {}],
  ['aws_iam_user_policy_attachment', 'deployer', { user: { references: ['aws_iam_user.deployer', 'each.key'] } }],
  ['aws_iam_access_key', 'deployer', { user: { references: ['aws_iam_user.deployer', 'each.key'] } }],
  ['aws_security_group', 'app', {}],
  ['aws_instance', 'app', {}],
  ['aws_lambda_function', 'worker', {}],
  ['aws_cloudwatch_log_group', 'worker', {}],
] as const;

/** Generates the plan into `file`; returns the number of bytes written. */
export function generatePlan(targetBytes: number, file: string): number {
  const fd = openSync(file, 'w');
  let written = 0;
  const write = (s: string) => {
    written += writeSync(fd, s);
  };
  const servicesPerTeam = 25;
  const planned: string[] = [];
  write(`{"format_version":"1.2","terraform_version":"1.11.4","variables":{"db_password":{"value":"bench-root-secret"}},"resource_changes":[`);
  let i = 0;
  let first = true;
  // Each service writes its change once here and its planned value once below: stop at half the
  // target for the changes, then add the planned values and the configuration.
  while (written < targetBytes * 0.57) {
    const team = Math.floor(i / servicesPerTeam);
    const prefix = `module.team["t${pad(team, 4)}"].module.svc[${i % servicesPerTeam}]`;
    for (const c of serviceChanges(prefix, i)) {
      const change = {
        address: c.address,
        module_address: c.moduleAddress,
        mode: 'managed',
        type: c.type,
        name: c.name,
        ...(c.index === undefined ? {} : { index: c.index }),
        provider_name: 'registry.terraform.io/hashicorp/aws',
        change: { actions: ['create'], before: null, after: c.after, after_unknown: c.unknown, before_sensitive: false, after_sensitive: c.sensitive },
      };
      write((first ? '' : ',') + JSON.stringify(change));
      first = false;
      planned.push(JSON.stringify({ address: c.address, mode: 'managed', type: c.type, name: c.name, ...(c.index === undefined ? {} : { index: c.index }), provider_name: 'registry.terraform.io/hashicorp/aws', schema_version: 0, values: c.after, sensitive_values: c.sensitive }));
    }
    i++;
  }
  write(`],"planned_values":{"root_module":{"child_modules":[`);
  const teams = Math.ceil(i / servicesPerTeam);
  for (let t = 0; t < teams; t++) {
    const teamAddress = `module.team["t${pad(t, 4)}"]`;
    const children: string[] = [];
    for (let s = 0; s < servicesPerTeam && t * servicesPerTeam + s < i; s++) {
      const start = (t * servicesPerTeam + s) * CONFIG_RESOURCES.length;
      children.push(`{"address":${JSON.stringify(`${teamAddress}.module.svc[${s}]`)},"resources":[${planned.slice(start, start + CONFIG_RESOURCES.length).join(',')}]}`);
    }
    write(`${t === 0 ? '' : ','}{"address":${JSON.stringify(teamAddress)},"child_modules":[${children.join(',')}]}`);
  }
  const svcModule = {
    resources: CONFIG_RESOURCES.map(([type, name, expressions]) => ({ address: `${type}.${name}`, mode: 'managed', type, name, provider_config_key: 'aws', expressions, schema_version: 0 })),
  };
  const configuration = {
    provider_config: {
      aws: { name: 'aws', full_name: 'registry.terraform.io/hashicorp/aws', expressions: { region: { constant_value: REGION }, allowed_account_ids: { constant_value: [ACCOUNT] }, default_tags: [{ tags: { constant_value: { team: 'platform' } } }] } },
    },
    root_module: {
      module_calls: {
        team: { source: './modules/team', for_each_expression: { references: ['local.teams'] }, module: { module_calls: { svc: { source: './modules/service', count_expression: { constant_value: servicesPerTeam }, module: svcModule } } } },
      },
    },
  };
  write(`]}},"configuration":${JSON.stringify(configuration)},"timestamp":"2026-01-01T00:00:00Z","applyable":true,"complete":true,"errored":false}\n`);
  closeSync(fd);
  return written;
}
