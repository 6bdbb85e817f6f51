import { describe, expect, it } from 'vitest';
import type { EvalContext } from './context.js';
import { compileMessage } from './message.js';

const ctx = {
  resource: { type: 'aws.ec2.security-group', id: 'sg-db', account: '111111111111', region: 'eu-west-1', name: 'db', properties: {} },
  account: { id: '111111111111', name: 'prod', ouPath: '/', tags: {}, role: 'workload', environment: 'production', environments: ['production'], inOrganization: true },
  environment: { name: 'production' },
  params: {},
  policy: { accounts: {} },
  organization: { managementAccountId: '111111111111' },
  relations: { account: () => undefined, environment: () => undefined },
  now: 0,
} as unknown as EvalContext;

describe('compileMessage', () => {
  it('reads the failure, keys of the failing value, and paths into the context', () => {
    const message = compileMessage('{{resource.name}} in {{environment.name}} admits {{actual.groupId}} ({{actual.tags.tier}}) at {{path}}, not {{expected}}.', 'test');
    const text = message(ctx, { path: 'resource.properties.ingressSources[1]', actual: { groupId: 'sg-bastion', tags: {} }, expected: 'app' });
    expect(text).toBe('db in production admits sg-bastion (unknown) at resource.properties.ingressSources[1], not app.');
    expect(compileMessage('{{actual}} / {{actual.x}}', 'test')(ctx, { path: 'p', actual: [1, 2] })).toBe('1, 2 / unknown');
  });
});
