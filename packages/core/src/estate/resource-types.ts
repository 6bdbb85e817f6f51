/**
 * The closed list of resource types, each with the service whose coverage decides whether
 * its absence means "none exist" or "could not look".
 */
export const RESOURCE_TYPES = {
  'aws.organizations.account': { service: 'organizations', global: true },
  'aws.iam.root': { service: 'iam', global: true },
  'aws.iam.user': { service: 'iam', global: true },
  'aws.kms.key': { service: 'kms', global: false },
  'aws.rds.instance': { service: 'rds', global: false },
  'aws.rds.cluster': { service: 'rds', global: false },
  'aws.rds.snapshot': { service: 'rds', global: false },
  'aws.s3.bucket': { service: 's3', global: false },
  'aws.ec2.instance': { service: 'ec2', global: false },
  'aws.ecs.cluster': { service: 'ecs', global: false },
  'aws.ecs.service': { service: 'ecs', global: false },
  'aws.eks.cluster': { service: 'eks', global: false },
  'aws.lambda.function': { service: 'lambda', global: false },
  'aws.ecr.repository': { service: 'ecr', global: false },
  'aws.iam.group': { service: 'iam', global: true },
  'aws.iam.role': { service: 'iam', global: true },
  'aws.iam.oidc-provider': { service: 'iam', global: true },
  'aws.iam.password-policy': { service: 'iam', global: true },
  'aws.accessanalyzer.analyzer': { service: 'accessanalyzer', global: false },
  'aws.cloudtrail.trail': { service: 'cloudtrail', global: false },
  'aws.config.recorder': { service: 'config', global: false },
  'aws.config.aggregator': { service: 'config', global: false },
  'aws.budgets.budget': { service: 'budgets', global: true },
  'aws.ec2.vpc': { service: 'ec2', global: false },
  'aws.ec2.subnet': { service: 'ec2', global: false },
  'aws.ec2.security-group': { service: 'ec2', global: false },
  'aws.ec2.vpc-peering': { service: 'ec2', global: false },
  'aws.elasticache.replication-group': { service: 'elasticache', global: false },
  'aws.elb.load-balancer': { service: 'elb', global: false },
  'aws.backup.plan': { service: 'backup', global: false },
} as const satisfies Record<string, { service: string; global: boolean }>;

export type ResourceType = keyof typeof RESOURCE_TYPES;

export function isResourceType(value: string): value is ResourceType {
  return Object.hasOwn(RESOURCE_TYPES, value);
}

/** The service whose coverage record vouches for resources of this type. */
export function serviceOf(type: ResourceType): string {
  return RESOURCE_TYPES[type].service;
}
