import { createHash } from 'node:crypto';
import {
  OrglintError,
  loadEstate,
  loadPlan,
  locatePlanResources,
  overlayPlan,
  parseEstate,
  parseJsonText,
  planToResources,
  readInputFile,
  resolvePlanTarget,
  type Estate,
  type LiveProgress,
  type Policy,
} from '@orglint/core';
import type { Io } from './commands/scan.js';

/** The options every command that reads an estate shares. */
export interface SourceOptions {
  readonly estate?: string;
  readonly live?: boolean;
  readonly plan?: string;
  readonly account?: string;
  readonly environment?: string;
  readonly sourceDir?: string;
  readonly all?: boolean;
  readonly profile?: string;
  readonly regions?: string;
  readonly roleName?: string;
  readonly externalId?: string;
  readonly concurrency?: string;
  readonly maxAttempts?: string;
  readonly quiet?: boolean;
}

export interface LoadedSource {
  readonly estate: Estate;
  /** A plan forced onto an account with --environment. */
  readonly environmentOverrides?: ReadonlyMap<string, string>;
  /** Report only what the plan changes (a plan without --all). */
  readonly onlyPlanned?: boolean;
  /** The file the estate came from, when it came from a file. */
  readonly file?: string;
  /** The estate's text exactly as read or written, for evidence hashing. */
  readonly text?: () => string;
}

/** SHA-256 of a text, hex. */
export function sha256Of(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * The regions to collect: `--regions`, else the union of the environments' `allowedRegions`
 * when every environment declares them, else undefined (the account's enabled regions).
 */
export function regionsFor(options: SourceOptions, policy: Policy): string[] | undefined {
  if (options.regions !== undefined) return options.regions.split(',').map((r) => r.trim()).filter((r) => r !== '');
  const lists = policy.environments.map((e) => e.parameters.allowedRegions);
  if (lists.length === 0 || !lists.every((l) => Array.isArray(l) && l.every((r) => typeof r === 'string'))) return undefined;
  return [...new Set((lists as string[][]).flat())].sort();
}

function parseCount(flag: string, value: string | undefined, max: number, example: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new OrglintError('invalid-argument', `${flag} "${value}" is not a whole number from 1 to ${max}; give for example ${example}.`);
  }
  return n;
}

/** Collects the live organisation; the AWS SDK is loaded only here. */
export async function collectLive(options: SourceOptions, policy: Policy, io: Io, now: () => Date): Promise<Estate> {
  const concurrency = parseCount('--concurrency', options.concurrency, 64, 8);
  const maxAttempts = parseCount('--max-attempts', options.maxAttempts, 20, 5);
  const { collectLiveEstate } = await import('@orglint/core/live');
  const showProgress = !options.quiet && io.stderrIsTty;
  const progress = (p: LiveProgress): void => {
    if (!showProgress) return;
    const line = `collecting: accounts ${p.accountsDone}/${p.accountsTotal} · calls ${p.calls} · errors ${p.errors} · ${(p.elapsedMs / 1000).toFixed(1)}s`;
    io.stderr(`\r${line}\u001b[K${p.phase === 'done' ? '\n' : ''}`);
  };
  const regions = regionsFor(options, policy);
  const { estate, stats } = await collectLiveEstate({
    now,
    onProgress: progress,
    ...(regions ? { regions } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
    ...(options.roleName ? { roleName: options.roleName } : {}),
    ...(options.externalId ? { externalId: options.externalId } : {}),
    ...(concurrency ? { concurrency } : {}),
    ...(maxAttempts ? { maxAttempts } : {}),
  });
  if (!options.quiet) {
    const c = stats.coverage;
    io.stderr(
      `orglint: collected ${stats.accounts} account${stats.accounts === 1 ? '' : 's'} in ${stats.regions.length} region${stats.regions.length === 1 ? '' : 's'} with ${stats.calls} calls in ${(stats.elapsedMs / 1000).toFixed(1)}s: ` +
        `${c.collected} collected, ${c.denied} denied, ${c.failed} failed, ${c.skipped} skipped.\n`,
    );
  }
  // Validate what was collected exactly as a file would be: the estate contract holds for every source.
  return parseEstate(JSON.parse(JSON.stringify(estate)), 'the collected estate');
}

/** The estate to judge: a file or the live organisation, with a terraform plan overlaid when given. */
export async function loadSource(options: SourceOptions, policy: Policy, io: Io, now: () => Date, keepText = false): Promise<LoadedSource> {
  if (options.estate && options.live) {
    throw new OrglintError('invalid-argument', '--estate and --live both name the estate to scan; give one of them.');
  }
  if (!options.plan) {
    for (const flag of ['account', 'environment', 'sourceDir', 'all'] as const) {
      if (options[flag] !== undefined) throw new OrglintError('invalid-argument', `--${flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} belongs to a plan check; add --plan FILE (the output of terraform show -json).`);
    }
  }
  let base: LoadedSource | undefined;
  if (options.live) {
    const estate = await collectLive(options, policy, io, now);
    base = { estate, text: () => `${JSON.stringify(estate, null, 2)}\n` };
  } else if (options.estate) {
    const file = options.estate;
    if (!keepText || options.plan) {
      base = { estate: loadEstate(file), file };
    } else {
      // Evidence hashes exactly the bytes that were scanned, so the text is kept from the one read.
      const text = readInputFile(file, 'estate');
      base = { estate: parseEstate(parseJsonText(text, file, 'estate'), file), file, text: () => text };
    }
  }
  if (options.plan) return overlay(options.plan, options, policy, io, base?.estate);
  if (!base) {
    throw new OrglintError('invalid-argument', 'Name the estate to scan: --estate FILE (an exported estate), --live (collect the organisation now), or --plan FILE (a terraform plan).');
  }
  return base;
}

/** Maps a plan onto the estate model and applies it to the base estate (if any). */
function overlay(file: string, options: SourceOptions, policy: Policy, io: Io, baseEstate: Estate | undefined): LoadedSource {
  if (options.environment !== undefined && !policy.environments.some((e) => e.name === options.environment)) {
    throw new OrglintError('invalid-argument', `--environment "${options.environment}" is not an environment of ${policy.file}; use one of ${policy.environments.map((e) => e.name).join(', ')}.`);
  }
  const plan = loadPlan(file);
  const target = resolvePlanTarget(plan, {
    file,
    ...(options.account ? { account: options.account } : {}),
    ...(options.environment ? { environment: options.environment } : {}),
    ...(baseEstate ? { baseEstate } : {}),
  });
  const locations = locatePlanResources(plan, options.sourceDir, { repoRoot: io.cwd, planFile: file });
  const planned = planToResources(plan, { target, file, locations, ...(baseEstate ? { baseEstate } : {}) });
  const estate = overlayPlan(baseEstate, planned, target);
  return {
    estate,
    file,
    onlyPlanned: options.all !== true,
    ...(target.environment ? { environmentOverrides: new Map([[target.account, target.environment]]) } : {}),
  };
}
