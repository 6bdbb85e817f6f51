/**
 * Test-only: builds a small but real AWS Organization inside moto through the AWS SDK, with
 * planted violations and clean counterparts. Not exported from the package.
 */
import { BudgetsClient, CreateBudgetCommand } from '@aws-sdk/client-budgets';
import { CloudTrailClient, CreateTrailCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { ConfigServiceClient, PutConfigurationAggregatorCommand, PutConfigurationRecorderCommand } from '@aws-sdk/client-config-service';
import { DescribeImagesCommand, DescribeSubnetsCommand, EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { CreateRepositoryCommand, ECRClient } from '@aws-sdk/client-ecr';
import { CreateClusterCommand, CreateServiceCommand, ECSClient, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { CreateClusterCommand as CreateEksClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreateLoginProfileCommand,
  CreateOpenIDConnectProviderCommand,
  CreatePolicyCommand as CreatePolicyIamCommand,
  CreateRoleCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  EnableMFADeviceCommand,
  GenerateCredentialReportCommand,
  IAMClient,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { CreateAliasCommand, CreateKeyCommand, EnableKeyRotationCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  AttachPolicyCommand,
  CreateAccountCommand,
  CreateOrganizationalUnitCommand,
  CreateOrganizationCommand,
  CreatePolicyCommand,
  EnablePolicyTypeCommand,
  ListRootsCommand,
  MoveAccountCommand,
  OrganizationsClient,
  TagResourceCommand,
} from '@aws-sdk/client-organizations';
import {
  CreateDBClusterCommand,
  CreateDBClusterSnapshotCommand,
  CreateDBInstanceCommand,
  CreateDBParameterGroupCommand,
  CreateDBSnapshotCommand,
  ModifyDBParameterGroupCommand,
  ModifyDBSnapshotAttributeCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import { CreateReplicationGroupCommand, ElastiCacheClient } from '@aws-sdk/client-elasticache';
import { CreateLoadBalancerCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  CreateBucketCommand,
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketReplicationCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@smithy/types';

/** moto's account for unknown access keys: the organisation's management account here. */
export const MANAGEMENT_ACCOUNT = '123456789012';
export const TEST_CREDENTIALS: AwsCredentialIdentity = { accessKeyId: 'testing', secretAccessKey: 'testing' };

export interface MotoOrg {
  readonly organizationId: string;
  readonly rootId: string;
  readonly accounts: { management: string; security: string; nonprod: string; prod: string };
  /** Credentials inside each account (the member role assumed from the management account). */
  readonly credentials: Record<string, AwsCredentialIdentity>;
  /** A client config for an account and region against moto. */
  config(account: string, region: string): { endpoint: string; region: string; credentials: AwsCredentialIdentity; maxAttempts: number };
}

/** Creates the organisation: OUs two levels deep, three member accounts with tags, an SCP on an OU. */
export async function buildMotoOrg(endpoint: string, options: { members?: readonly string[] } = {}): Promise<MotoOrg> {
  const base = { endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1 };
  const org = new OrganizationsClient(base);
  const created = await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
  const organizationId = created.Organization?.Id ?? '';
  const rootId = (await org.send(new ListRootsCommand({}))).Roots?.[0]?.Id ?? '';
  await org.send(new EnablePolicyTypeCommand({ RootId: rootId, PolicyType: 'SERVICE_CONTROL_POLICY' }));

  const ou = async (parent: string, name: string, tags: Record<string, string> = {}): Promise<string> =>
    (
      await org.send(
        new CreateOrganizationalUnitCommand({ ParentId: parent, Name: name, Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) }),
      )
    ).OrganizationalUnit?.Id ?? '';
  const security = await ou(rootId, 'Security');
  const workloads = await ou(rootId, 'Workloads', { owner: 'platform' });
  const prodOu = await ou(workloads, 'Prod');
  const nonprodOu = await ou(workloads, 'NonProd');

  const account = async (name: string, parent: string, tags: Record<string, string>): Promise<string> => {
    const status = await org.send(
      new CreateAccountCommand({ AccountName: name, Email: `${name}@example.com`, Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) }),
    );
    const id = status.CreateAccountStatus?.AccountId ?? '';
    await org.send(new MoveAccountCommand({ AccountId: id, SourceParentId: rootId, DestinationParentId: parent }));
    return id;
  };
  const securityAccount = await account('security', security, { environment: 'security' });
  const nonprod = await account('nonprod', nonprodOu, { environment: 'nonprod' });
  const prod = await account('prod', prodOu, { environment: 'prod', 'cost-center': '42' });
  for (const extra of options.members ?? []) await account(extra, nonprodOu, { environment: 'nonprod' });
  await org.send(new TagResourceCommand({ ResourceId: MANAGEMENT_ACCOUNT, Tags: [{ Key: 'environment', Value: 'management' }] }));

  const scp = await org.send(
    new CreatePolicyCommand({
      Name: 'deny-leave-org',
      Description: 'Members may not leave the organisation',
      Type: 'SERVICE_CONTROL_POLICY',
      Content: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'organizations:LeaveOrganization', Resource: '*' }] }),
    }),
  );
  await org.send(new AttachPolicyCommand({ PolicyId: scp.Policy?.PolicySummary?.Id ?? '', TargetId: workloads }));

  const sts = new STSClient(base);
  const credentials: Record<string, AwsCredentialIdentity> = { [MANAGEMENT_ACCOUNT]: TEST_CREDENTIALS };
  for (const id of [securityAccount, nonprod, prod]) {
    const assumed = await sts.send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${id}:role/OrganizationAccountAccessRole`, RoleSessionName: 'builder' }),
    );
    credentials[id] = {
      accessKeyId: assumed.Credentials?.AccessKeyId ?? '',
      secretAccessKey: assumed.Credentials?.SecretAccessKey ?? '',
      sessionToken: assumed.Credentials?.SessionToken ?? '',
    };
  }
  return {
    organizationId,
    rootId,
    accounts: { management: MANAGEMENT_ACCOUNT, security: securityAccount, nonprod, prod },
    credentials,
    config(accountId, region) {
      const c = credentials[accountId];
      if (!c) throw new Error(`no credentials for ${accountId}`);
      return { endpoint, region, credentials: c, maxAttempts: 1 };
    },
  };
}

/** Names of what {@link plantScenario} created, for assertions. */
export interface PlantedScenario {
  readonly prodKeyArn: string;
  readonly prodBucket: string;
  readonly replicaBucket: string;
  readonly trailBucket: string;
  readonly instanceId: string;
}

/**
 * Plants, with each account's own credentials: IAM users with and without MFA, a KMS key in
 * prod that admits nonprod, RDS instances with 7 and 35 days of backups, a manual snapshot
 * shared with nonprod, a prod bucket replicating a prefix to a nonprod bucket, and workloads
 * (EC2, Lambda, ECS, ECR), a trail, a Config recorder and a budget in the management account.
 */
export async function plantScenario(org: MotoOrg): Promise<PlantedScenario> {
  const { prod, nonprod, security, management } = org.accounts;
  const region = 'eu-west-1';

  // IAM in prod: alice signs in without MFA and has a key; bob has a virtual MFA device.
  const iam = new IAMClient(org.config(prod, 'us-east-1'));
  await iam.send(new CreateUserCommand({ UserName: 'alice', Tags: [{ Key: 'team', Value: 'data' }] }));
  await iam.send(new CreateLoginProfileCommand({ UserName: 'alice', Password: 'Passw0rd!Passw0rd!' }));
  await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }));
  await iam.send(new CreateUserCommand({ UserName: 'bob' }));
  await iam.send(new CreateLoginProfileCommand({ UserName: 'bob', Password: 'Passw0rd!Passw0rd!' }));
  const device = await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'bob' }));
  await iam.send(
    new EnableMFADeviceCommand({ UserName: 'bob', SerialNumber: device.VirtualMFADevice?.SerialNumber ?? '', AuthenticationCode1: '123456', AuthenticationCode2: '654321' }),
  );
  // carol has an access key and no password: the report alone describes her.
  await iam.send(new CreateUserCommand({ UserName: 'carol' }));
  await iam.send(new CreateAccessKeyCommand({ UserName: 'carol' }));
  await iam.send(new CreateGroupCommand({ GroupName: 'analysts' }));
  await iam.send(new AddUserToGroupCommand({ GroupName: 'analysts', UserName: 'alice' }));
  const readPolicy = await iam.send(
    new CreatePolicyIamCommand({
      PolicyName: 'read-reports',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] }),
    }),
  );
  await iam.send(new AttachGroupPolicyCommand({ GroupName: 'analysts', PolicyArn: readPolicy.Policy?.Arn ?? '' }));
  await iam.send(
    new CreateRoleCommand({
      RoleName: 'ci-deploy',
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${nonprod}:root` }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': 'ci' } } }],
      }),
    }),
  );
  await iam.send(
    new CreateOpenIDConnectProviderCommand({ Url: 'https://token.actions.githubusercontent.com', ClientIDList: ['sts.amazonaws.com'], ThumbprintList: ['6938fd4d98bab03faadb97b34396831e3780aea1'] }),
  );
  await iam.send(new PutRolePolicyCommand({ RoleName: 'ci-deploy', PolicyName: 'deploy', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ecs:*', Resource: '*' }] }) }));

  // KMS in prod: a key whose policy lets the nonprod account use it.
  const kms = new KMSClient(org.config(prod, region));
  const key = await kms.send(
    new CreateKeyCommand({
      Description: 'prod data',
      Policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Sid: 'owner', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${prod}:root` }, Action: 'kms:*', Resource: '*' },
          { Sid: 'nonprod', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${nonprod}:root` }, Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: '*' },
        ],
      }),
    }),
  );
  const prodKeyArn = key.KeyMetadata?.Arn ?? '';
  await kms.send(new CreateAliasCommand({ AliasName: 'alias/prod-data', TargetKeyId: key.KeyMetadata?.KeyId ?? '' }));
  await kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyMetadata?.KeyId ?? '' }));

  // RDS in prod: 7 days of backups (a violation where 35 are required) and 35 days (clean);
  // the clean one in a parameter group that forces TLS.
  const rds = new RDSClient(org.config(prod, region));
  await rds.send(new CreateDBParameterGroupCommand({ DBParameterGroupName: 'pg-tls', DBParameterGroupFamily: 'postgres16', Description: 'TLS only' }));
  await rds.send(
    new ModifyDBParameterGroupCommand({ DBParameterGroupName: 'pg-tls', Parameters: [{ ParameterName: 'rds.force_ssl', ParameterValue: '1', ApplyMethod: 'immediate' }] }),
  );
  const db = (id: string, days: number, encrypted: boolean) =>
    rds.send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: id,
        DBInstanceClass: 'db.t3.micro',
        Engine: 'postgres',
        AllocatedStorage: 20,
        MasterUsername: 'admin',
        MasterUserPassword: 'password123',
        BackupRetentionPeriod: days,
        MultiAZ: days > 7,
        StorageEncrypted: encrypted,
        ...(encrypted ? { KmsKeyId: prodKeyArn, DBParameterGroupName: 'pg-tls' } : {}),
        Tags: [{ Key: 'data-class', Value: 'confidential' }],
      }),
    );
  await db('orders-db', 7, false);
  await db('billing-db', 35, true);
  await rds.send(
    new CreateDBClusterCommand({
      DBClusterIdentifier: 'ledger',
      Engine: 'aurora-postgresql',
      MasterUsername: 'admin',
      MasterUserPassword: 'password123',
      BackupRetentionPeriod: 14,
      StorageEncrypted: true,
      KmsKeyId: prodKeyArn,
    }),
  );
  await rds.send(new CreateDBClusterSnapshotCommand({ DBClusterIdentifier: 'ledger', DBClusterSnapshotIdentifier: 'ledger-manual' }));
  await rds.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'orders-db', DBSnapshotIdentifier: 'orders-manual' }));
  await rds.send(new ModifyDBSnapshotAttributeCommand({ DBSnapshotIdentifier: 'orders-manual', AttributeName: 'restore', ValuesToAdd: [nonprod] }));

  // S3: a prod bucket replicating exports/ to a nonprod bucket.
  const replicaBucket = `nonprod-replica-${nonprod}`;
  const nonprodS3 = new S3Client({ ...org.config(nonprod, region), forcePathStyle: true });
  await nonprodS3.send(new CreateBucketCommand({ Bucket: replicaBucket, CreateBucketConfiguration: { LocationConstraint: region } }));
  await nonprodS3.send(new PutBucketVersioningCommand({ Bucket: replicaBucket, VersioningConfiguration: { Status: 'Enabled' } }));
  const prodBucket = `prod-data-${prod}`;
  const prodS3 = new S3Client({ ...org.config(prod, region), forcePathStyle: true });
  await prodS3.send(new CreateBucketCommand({ Bucket: prodBucket, CreateBucketConfiguration: { LocationConstraint: region } }));
  await prodS3.send(new PutBucketVersioningCommand({ Bucket: prodBucket, VersioningConfiguration: { Status: 'Enabled' } }));
  await prodS3.send(new PutBucketTaggingCommand({ Bucket: prodBucket, Tagging: { TagSet: [{ Key: 'data-class', Value: 'confidential' }] } }));
  await prodS3.send(
    new PutBucketEncryptionCommand({
      Bucket: prodBucket,
      ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: prodKeyArn } }] },
    }),
  );
  await prodS3.send(
    new PutBucketReplicationCommand({
      Bucket: prodBucket,
      ReplicationConfiguration: {
        Role: `arn:aws:iam::${prod}:role/replication`,
        Rules: [
          {
            ID: 'exports-to-nonprod',
            Priority: 1,
            Status: 'Enabled',
            Filter: { Prefix: 'exports/' },
            DeleteMarkerReplication: { Status: 'Disabled' },
            Destination: { Bucket: `arn:aws:s3:::${replicaBucket}`, Account: nonprod },
          },
        ],
      },
    }),
  );
  await prodS3.send(
    new PutBucketLifecycleConfigurationCommand({
      Bucket: prodBucket,
      LifecycleConfiguration: { Rules: [{ ID: 'expire', Status: 'Enabled', Filter: { Prefix: '' }, Expiration: { Days: 400 } }] },
    }),
  );

  // Logging in the security account, an organisation trail in the management account.
  const trailBucket = `org-trail-${security}`;
  await new S3Client({ ...org.config(security, 'us-east-1'), forcePathStyle: true }).send(new CreateBucketCommand({ Bucket: trailBucket }));
  const ct = new CloudTrailClient(org.config(management, 'us-east-1'));
  await ct.send(
    new CreateTrailCommand({ Name: 'org-trail', S3BucketName: trailBucket, IsMultiRegionTrail: true, IsOrganizationTrail: true, EnableLogFileValidation: true }),
  );
  await ct.send(new StartLoggingCommand({ Name: 'org-trail' }));

  // Workloads in the management account.
  const ec2 = new EC2Client(org.config(management, region));
  const images = await ec2.send(new DescribeImagesCommand({ Owners: ['amazon'] }));
  const run = await ec2.send(
    new RunInstancesCommand({
      ImageId: images.Images?.[0]?.ImageId ?? 'ami-12345678',
      MinCount: 1,
      MaxCount: 1,
      InstanceType: 't3.micro',
      MetadataOptions: { HttpTokens: 'required' },
      TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'bastion' }] }],
    }),
  );
  const mgmtIam = new IAMClient(org.config(management, 'us-east-1'));
  const lambdaRole = await mgmtIam.send(
    new CreateRoleCommand({
      RoleName: 'lambda-exec',
      AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
    }),
  );
  await new LambdaClient(org.config(management, region)).send(
    new CreateFunctionCommand({
      FunctionName: 'nightly-report',
      Runtime: 'python3.12',
      Role: lambdaRole.Role?.Arn ?? '',
      Handler: 'index.handler',
      Code: { ZipFile: zipWithOneFile() },
    }),
  );
  const ecs = new ECSClient(org.config(management, region));
  await ecs.send(new CreateClusterCommand({ clusterName: 'apps', tags: [{ key: 'team', value: 'platform' }] }));
  await ecs.send(
    new RegisterTaskDefinitionCommand({ family: 'web', containerDefinitions: [{ name: 'web', image: 'nginx', memory: 128 }], requiresCompatibilities: ['FARGATE'] }),
  );
  await ecs.send(new CreateServiceCommand({ cluster: 'apps', serviceName: 'web', taskDefinition: 'web', desiredCount: 1, launchType: 'FARGATE' }));
  await new EKSClient(org.config(management, region)).send(
    new CreateEksClusterCommand({ name: 'platform', version: '1.30', roleArn: lambdaRole.Role?.Arn ?? '', resourcesVpcConfig: { subnetIds: [] } }),
  );
  await new ECRClient(org.config(management, region)).send(new CreateRepositoryCommand({ repositoryName: 'api' }));
  const config = new ConfigServiceClient(org.config(management, region));
  await config.send(
    new PutConfigurationRecorderCommand({
      ConfigurationRecorder: { name: 'default', roleARN: `arn:aws:iam::${management}:role/config`, recordingGroup: { allSupported: true, includeGlobalResourceTypes: true } },
    }),
  );
  await config.send(
    new PutConfigurationAggregatorCommand({
      ConfigurationAggregatorName: 'org',
      OrganizationAggregationSource: { RoleArn: `arn:aws:iam::${management}:role/config`, AllAwsRegions: true },
    }),
  );
  // A Redis cache in prod without Multi-AZ, a load balancer in front of prod.
  await new ElastiCacheClient(org.config(prod, region)).send(
    new CreateReplicationGroupCommand({
      ReplicationGroupId: 'sessions',
      ReplicationGroupDescription: 'sessions',
      Engine: 'redis',
      CacheNodeType: 'cache.t4g.micro',
      NumCacheClusters: 1,
      MultiAZEnabled: false,
      AutomaticFailoverEnabled: false,
    }),
  );
  const prodSubnets = (await new EC2Client(org.config(prod, region)).send(new DescribeSubnetsCommand({}))).Subnets ?? [];
  await new ElasticLoadBalancingV2Client(org.config(prod, region)).send(
    new CreateLoadBalancerCommand({ Name: 'web', Type: 'application', Scheme: 'internet-facing', Subnets: prodSubnets.slice(0, 2).map((s) => s.SubnetId ?? '') }),
  );
  await new BudgetsClient(org.config(management, 'us-east-1')).send(
    new CreateBudgetCommand({
      AccountId: management,
      Budget: { BudgetName: 'monthly', BudgetLimit: { Amount: '1000', Unit: 'USD' }, TimeUnit: 'MONTHLY', BudgetType: 'COST', CostFilters: { LinkedAccount: [prod] } },
      NotificationsWithSubscribers: [
        {
          Notification: { NotificationType: 'ACTUAL', ComparisonOperator: 'GREATER_THAN', Threshold: 80, ThresholdType: 'PERCENTAGE' },
          Subscribers: [{ SubscriptionType: 'EMAIL', Address: 'finops@example.com' }],
        },
      ],
    }),
  );
  return { prodKeyArn, prodBucket, replicaBucket, trailBucket, instanceId: run.Instances?.[0]?.InstanceId ?? '' };
}

/** A minimal zip archive (one empty file) — Lambda only checks that the code is a zip in moto. */
function zipWithOneFile(): Uint8Array {
  const name = Buffer.from('index.py');
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(name.length, 28);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + name.length, 12);
  end.writeUInt32LE(local.length + name.length, 16);
  return new Uint8Array(Buffer.concat([local, name, central, name, end]));
}

/**
 * A wide organisation for the live bench: `accounts` accounts (the management account and
 * members), each with `usersPerAccount` IAM users, a third of them with a console password.
 */
export async function buildWideOrg(endpoint: string, accounts: number, usersPerAccount: number): Promise<string[]> {
  const base = { endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1 };
  const org = new OrganizationsClient(base);
  await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
  const sts = new STSClient(base);
  const ids = [MANAGEMENT_ACCOUNT];
  const iamClients = [new IAMClient(base)];
  for (let i = 1; i < accounts; i++) {
    const created = await org.send(new CreateAccountCommand({ AccountName: `member-${i}`, Email: `member-${i}@example.com` }));
    const id = created.CreateAccountStatus?.AccountId ?? '';
    const c = (await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${id}:role/OrganizationAccountAccessRole`, RoleSessionName: 'bench' }))).Credentials;
    ids.push(id);
    iamClients.push(new IAMClient({ ...base, credentials: { accessKeyId: c?.AccessKeyId ?? '', secretAccessKey: c?.SecretAccessKey ?? '', sessionToken: c?.SessionToken ?? '' } }));
  }
  for (const iam of iamClients) {
    for (let u = 0; u < usersPerAccount; u++) {
      await iam.send(new CreateUserCommand({ UserName: `user-${u}` }));
      if (u % 3 === 0) await iam.send(new CreateLoginProfileCommand({ UserName: `user-${u}`, Password: 'Passw0rd!Passw0rd!' }));
    }
    // moto answers the first report request with STARTED; later collections then see COMPLETE.
    await iam.send(new GenerateCredentialReportCommand({}));
  }
  return ids;
}

/**
 * Credentials of a made-up account that is in no organisation yet. moto maps a key to the
 * account it was assumed into, so this gives a test its own account (and, after
 * CreateOrganization, its own organisation) on a shared server, without a reset.
 */
export async function freshAccount(endpoint: string, account: string): Promise<AwsCredentialIdentity> {
  const sts = new STSClient({ endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1 });
  const c = (await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/admin`, RoleSessionName: 'test' }))).Credentials;
  return { accessKeyId: c?.AccessKeyId ?? '', secretAccessKey: c?.SecretAccessKey ?? '', sessionToken: c?.SessionToken ?? '' };
}
