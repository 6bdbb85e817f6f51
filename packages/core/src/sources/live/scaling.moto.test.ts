import { CreateLoginProfileCommand, CreateRoleCommand, CreateUserCommand, GenerateCredentialReportCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateOrganizationCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { motoAvailable, startMoto, type MotoServer } from '../../testing/moto.js';
import { MANAGEMENT_ACCOUNT, TEST_CREDENTIALS } from '../../testing/moto-org.js';
import { collectLiveEstate } from './collect.js';
import type { LiveCollection } from './types.js';

const RUN = motoAvailable('live collection scaling test against moto');
const NOW = new Date('2026-03-01T12:00:00.000Z');

function iamCalls(result: LiveCollection): Record<string, number> {
  return Object.fromEntries(Object.entries(result.stats.callsByOperation).filter(([op]) => op.startsWith('iam:')));
}

describe.skipIf(!RUN)('calls per account do not grow with IAM users or roles', () => {
  let moto: MotoServer;
  let iam: IAMClient;

  const createUsers = async (from: number, to: number): Promise<void> => {
    for (let i = from; i < to; i++) {
      const UserName = `user-${String(i).padStart(3, '0')}`;
      await iam.send(new CreateUserCommand({ UserName }));
      if (i % 10 === 0) await iam.send(new CreateLoginProfileCommand({ UserName, Password: 'Passw0rd!Passw0rd!' }));
    }
  };
  const collect = () =>
    collectLiveEstate({ endpoint: moto.endpoint, credentials: async () => TEST_CREDENTIALS, regions: ['eu-west-1'], maxAttempts: 1, now: () => NOW });

  beforeAll(async () => {
    moto = await startMoto();
    await moto.reset();
    const config = { endpoint: moto.endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1 };
    await new OrganizationsClient(config).send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    iam = new IAMClient(config);
    // moto answers the very first GenerateCredentialReport with STARTED; get that out of the way
    // so both collections see a report that is ready.
    await iam.send(new GenerateCredentialReportCommand({}));
    await iam.send(new GenerateCredentialReportCommand({}));
  }, 60_000);

  afterAll(async () => {
    await moto?.stop();
  });

  it('makes the same IAM calls for 5 users as for 200 users and 100 more roles', async () => {
    await createUsers(0, 5);
    const small = await collect();
    expect(small.estate.resources.filter((r) => r.type === 'aws.iam.user')).toHaveLength(5);

    await createUsers(5, 200);
    for (let i = 0; i < 100; i++) {
      await iam.send(
        new CreateRoleCommand({
          RoleName: `role-${i}`,
          AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
        }),
      );
    }
    const large = await collect();
    const users = large.estate.resources.filter((r) => r.type === 'aws.iam.user');
    expect(users).toHaveLength(200);
    expect(users.filter((u) => u.properties.consolePassword === true)).toHaveLength(20);
    expect(large.estate.resources.filter((r) => r.type === 'aws.iam.role')).toHaveLength(100);

    expect(iamCalls(large)).toEqual(iamCalls(small));
    expect(Object.keys(iamCalls(small)).sort()).toEqual([
      'iam:GenerateCredentialReport',
      'iam:GetAccountAuthorizationDetails',
      'iam:GetAccountPasswordPolicy',
      'iam:GetAccountSummary',
      'iam:GetCredentialReport',
      'iam:ListOpenIDConnectProviders',
      'iam:ListVirtualMFADevices',
    ]);
    expect(large.stats.callsByAccount[MANAGEMENT_ACCOUNT]).toBe(small.stats.callsByAccount[MANAGEMENT_ACCOUNT]);
  }, 120_000);
});
