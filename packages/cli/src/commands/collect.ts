import { OrglintError, loadPolicy } from '@orglint/core';
import { EXIT } from '../exit-codes.js';
import { writeOutputs } from '../output.js';
import { collectLive, type SourceOptions } from '../source.js';
import { clockFrom, type Io } from './scan.js';

export interface CollectOptions extends SourceOptions {
  readonly policy: string;
  readonly output?: string;
  readonly timestamp?: string;
}

/** Collects the live organisation and writes the estate, sorted and validated, for later scans. */
export async function runCollect(options: CollectOptions, io: Io): Promise<number> {
  if (!options.output) throw new OrglintError('invalid-argument', 'collect needs --output FILE, where the estate JSON is written.');
  const now = clockFrom(options.timestamp);
  const policy = loadPolicy(options.policy);
  const estate = await collectLive(options, policy, io, () => now);
  writeOutputs([{ file: options.output, content: `${JSON.stringify(estate, null, 2)}\n` }], io.stdout);
  const gaps = estate.coverage.filter((c) => c.status !== 'collected').length;
  io.stdout(`Wrote ${options.output}: ${estate.accounts.length} accounts, ${estate.resources.length} resources, ${gaps} coverage gap${gaps === 1 ? '' : 's'}.\n`);
  return EXIT.ok;
}
