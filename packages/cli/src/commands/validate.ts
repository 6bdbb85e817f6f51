import { loadPolicy, resolveRules } from '@orglint/core';
import { loadCatalogue } from '@orglint/rules';
import { EXIT } from '../exit-codes.js';
import type { Io } from './scan.js';

/** Checks a policy completely — schema, rule ids, parameters, custom rules — without an estate. */
export function runValidate(options: { policy: string }, io: Io): number {
  const policy = loadPolicy(options.policy);
  const rules = resolveRules(policy, loadCatalogue().rules);
  io.stdout(
    `${options.policy} is valid: ${policy.environments.length} environment${policy.environments.length === 1 ? '' : 's'} (${policy.environments.map((e) => e.name).join(', ')}), ` +
      `${rules.length} rule${rules.length === 1 ? '' : 's'} active, ${policy.customRules.length} custom, ${policy.waivers.length} waiver${policy.waivers.length === 1 ? '' : 's'}.\n`,
  );
  return EXIT.ok;
}
