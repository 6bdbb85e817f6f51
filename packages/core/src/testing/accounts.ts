import type { AccountView } from '../engine/context.js';

/** A workload account of the organisation as rules see it, in one environment or none. */
export function workloadAccount(id: string, environment: string | null): AccountView {
  return {
    id,
    name: `acct-${id}`,
    ouPath: '/',
    tags: {},
    role: 'workload',
    environment,
    environments: environment ? [environment] : [],
    inOrganization: true,
  };
}
