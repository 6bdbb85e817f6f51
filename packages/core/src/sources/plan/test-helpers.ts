import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Estate, Resource } from '../../estate/types.js';

/** The plan fixtures folder (tests never read the shared folder). */
export const FIXTURES = fileURLToPath(new URL('../../../test-fixtures/terraform-plan/', import.meta.url));

export function fixture(name: string): string {
  return join(FIXTURES, name);
}

/** The one resource of a type whose origin address (or name) is given; fails loudly otherwise. */
export function byAddress(estate: Pick<Estate, 'resources'>, address: string): Resource {
  const found = estate.resources.filter((r) => r.origin?.address === address);
  if (found.length !== 1) throw new Error(`expected one resource at ${address}, found ${found.length}`);
  return found[0] as Resource;
}

export function byName(estate: Pick<Estate, 'resources'>, type: string, name: string): Resource {
  const found = estate.resources.filter((r) => r.type === type && r.name === name);
  if (found.length !== 1) throw new Error(`expected one ${type} named ${name}, found ${found.length}`);
  return found[0] as Resource;
}
