import { AccessAnalyzerClient, ListAnalyzersCommand, ListFindingsV2Command } from '@aws-sdk/client-accessanalyzer';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { collectAccessAnalyzer, managementEvents } from './collect-governance.js';
import { subnetsRoutedToInternet } from './collect-ec2.js';
import { bucketRegion, replicationRule } from './collect-s3.js';
import { type CollectContext, CoverageLog } from './context.js';
import { LiveRuntime } from './runtime.js';

describe('S3 mapping', () => {
  it('files buckets under their region, including the two legacy location names', () => {
    expect(bucketRegion(undefined)).toBe('us-east-1');
    expect(bucketRegion('')).toBe('us-east-1');
    expect(bucketRegion('EU')).toBe('eu-west-1');
    expect(bucketRegion('ap-southeast-2')).toBe('ap-southeast-2');
  });

  it('reads every shape of replication filter', () => {
    expect(replicationRule({ ID: 'a', Status: 'Enabled', Filter: { Prefix: 'logs/' }, Destination: { Bucket: 'arn:aws:s3:::dst', Account: '222222222222' } })).toEqual({
      id: 'a',
      status: 'Enabled',
      destinationBucket: 'arn:aws:s3:::dst',
      destinationAccount: '222222222222',
      prefix: 'logs/',
      replicaKmsKeyId: null,
    });
    expect(
      replicationRule({
        Status: 'Disabled',
        Filter: { And: { Prefix: 'x/', Tags: [{ Key: 'b', Value: '2' }, { Key: 'a', Value: '1' }] } },
        Destination: { Bucket: 'arn:aws:s3:::dst', EncryptionConfiguration: { ReplicaKmsKeyID: 'arn:aws:kms:eu-west-1:222222222222:key/k' } },
        Priority: 3,
      }),
    ).toEqual({ status: 'Disabled', destinationBucket: 'arn:aws:s3:::dst', prefix: 'x/', tagFilters: { a: '1', b: '2' }, replicaKmsKeyId: 'arn:aws:kms:eu-west-1:222222222222:key/k', priority: 3 });
    // The V1 schema: a prefix on the rule itself.
    expect(replicationRule({ Status: 'Enabled', Prefix: 'old/', Destination: { Bucket: 'arn:aws:s3:::dst' } })).toMatchObject({ prefix: 'old/' });
    expect(replicationRule({ Status: 'Enabled', Filter: { Tag: { Key: 'k', Value: 'v' } }, Destination: { Bucket: 'arn:aws:s3:::dst' } })).toMatchObject({ prefix: '', tagFilters: { k: 'v' } });
  });
});

describe('EC2 mapping', () => {
  it('calls a subnet public when its own or its VPC main route table leads to an internet gateway', () => {
    const tables = [
      { VpcId: 'vpc-1', Associations: [{ Main: true }], Routes: [{ DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-1', State: 'active' as const }] },
      { VpcId: 'vpc-1', Associations: [{ SubnetId: 'subnet-private' }], Routes: [{ GatewayId: 'local' }] },
      { VpcId: 'vpc-2', Associations: [{ Main: true }], Routes: [{ GatewayId: 'igw-2', State: 'blackhole' as const }] },
    ];
    const subnets = [
      { id: 'subnet-main', vpcId: 'vpc-1' },
      { id: 'subnet-private', vpcId: 'vpc-1' },
      { id: 'subnet-dead', vpcId: 'vpc-2' },
      { id: 'subnet-orphan', vpcId: 'vpc-3' },
    ];
    expect([...subnetsRoutedToInternet(tables, subnets)]).toEqual(['subnet-main']);
  });
});

describe('CloudTrail mapping', () => {
  it('tells which management events a trail records', () => {
    expect(managementEvents({})).toBe('All');
    expect(managementEvents({ EventSelectors: [{ IncludeManagementEvents: true, ReadWriteType: 'WriteOnly' }] })).toBe('WriteOnly');
    expect(managementEvents({ EventSelectors: [{ IncludeManagementEvents: false, ReadWriteType: 'All' }] })).toBeNull();
    expect(
      managementEvents({
        AdvancedEventSelectors: [
          { FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }, { Field: 'readOnly', Equals: ['true'] }] },
          { FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }, { Field: 'readOnly', Equals: ['false'] }] },
        ],
      }),
    ).toBe('All');
    expect(managementEvents({ AdvancedEventSelectors: [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }] }] })).toBeNull();
  });
});

describe('Access Analyzer (moto has none: aws-sdk-client-mock)', () => {
  const mock = mockClient(AccessAnalyzerClient);
  afterEach(() => mock.reset());

  it('counts the active findings of every analyzer over all pages', async () => {
    const arn = 'arn:aws:access-analyzer:eu-west-1:111111111111:analyzer/org';
    mock.on(ListAnalyzersCommand).resolves({ analyzers: [{ arn, name: 'org', type: 'ORGANIZATION', status: 'ACTIVE', createdAt: new Date(0) }] });
    const finding = { id: 'f', resourceType: 'AWS::S3::Bucket' as const, status: 'ACTIVE' as const, createdAt: new Date(0), updatedAt: new Date(0), findingType: 'ExternalAccess' as const, resourceOwnerAccount: '1', analyzedAt: new Date(0) };
    mock
      .on(ListFindingsV2Command)
      .resolvesOnce({ findings: Array.from({ length: 100 }, () => finding), nextToken: 'page-2' })
      .resolvesOnce({ findings: [finding, finding, finding] });

    const runtime = new LiveRuntime({ credentials: async () => ({ accessKeyId: 'a', secretAccessKey: 'b' }), now: () => new Date(0) });
    const coverage = new CoverageLog();
    const ctx: CollectContext = {
      runtime,
      account: '111111111111',
      region: 'eu-west-1',
      regions: ['eu-west-1'],
      partition: 'aws',
      client: (Client, service) => runtime.client(Client, service, '111111111111', 'eu-west-1'),
      problem: (service, region, error) => coverage.error('111111111111', region, service, error),
    };
    try {
      const [analyzer] = await collectAccessAnalyzer(ctx);
      expect(analyzer).toMatchObject({ id: arn, type: 'aws.accessanalyzer.analyzer', properties: { analyzerType: 'ORGANIZATION', status: 'ACTIVE', activeFindings: 103 } });
      // (The SDK paginator reuses one input object, so only the last state can be checked.)
      const calls = mock.commandCalls(ListFindingsV2Command).map((c) => c.args[0].input);
      expect(calls).toHaveLength(2);
      expect(calls[1]).toEqual({ analyzerArn: arn, filter: { status: { eq: ['ACTIVE'] } }, maxResults: 100, nextToken: 'page-2' });
      expect(coverage.records()).toEqual([]);
    } finally {
      runtime.destroy();
    }
  });
});
