import { lineTracker } from '../../io/read-input.js';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { planFileOf } from './load-plan.js';
import type { PlanConfigModule, PlanLocation, TerraformPlan } from './plan-types.js';
import { parseModuleAddress } from './values.js';

export interface LocateOptions {
  /** File paths in the result are relative to this folder (the repository root); default: `sourceDir`. */
  readonly repoRoot?: string;
  /** The plan file, for the fallback location; default: the file `loadPlan` read. */
  readonly planFile?: string;
  /** The plan's text, if the caller still has it (saves reading the file again). */
  readonly planText?: string;
}

interface Blocks {
  readonly resources: Map<string, PlanLocation>;
  readonly modules: Map<string, PlanLocation>;
}

/**
 * Finds, for each resource the plan changes, the `.tf` file and line of its
 * `resource "type" "name"` block: the root module in `sourceDir`, child modules through
 * their local `source` paths. A resource inside a registry or git module points at the
 * `module` block that calls it. Without a source folder, or where nothing is found, the
 * location is the line of the plan file where the resource's change starts (1 for a
 * single-line plan).
 */
export function locatePlanResources(plan: TerraformPlan, sourceDir: string | undefined, options: LocateOptions = {}): Map<string, PlanLocation> {
  const out = new Map<string, PlanLocation>();
  const root = sourceDir === undefined ? undefined : resolve(sourceDir);
  const repoRoot = resolve(options.repoRoot ?? sourceDir ?? '.');
  const blocksByDir = new Map<string, Blocks>();
  const blocksOf = (dir: string): Blocks => {
    let blocks = blocksByDir.get(dir);
    if (!blocks) {
      blocks = scanDir(dir, repoRoot);
      blocksByDir.set(dir, blocks);
    }
    return blocks;
  };
  const missing: string[] = [];
  for (const rc of plan.resource_changes ?? []) {
    if (rc.mode === 'data' || rc.deposed !== undefined) continue;
    const found = root === undefined ? undefined : locate(plan.configuration?.root_module, root, rc.module_address, `${rc.type}.${rc.name}`, blocksOf);
    if (found) out.set(rc.address, found);
    else missing.push(rc.address);
  }
  if (missing.length > 0) {
    const planFile = options.planFile ?? planFileOf(plan);
    if (planFile !== undefined) {
      const lineOf = addressLines(options.planText ?? readText(planFile));
      const file = isAbsolute(planFile) ? toPosix(relative(repoRoot, planFile)) : toPosix(planFile);
      for (const address of missing) out.set(address, { file, line: lineOf(address) });
    }
  }
  return out;
}

function locate(
  rootModule: PlanConfigModule | undefined,
  rootDir: string,
  moduleAddress: string | undefined,
  resourceKey: string,
  blocksOf: (dir: string) => Blocks,
): PlanLocation | undefined {
  let dir = rootDir;
  let module = rootModule;
  for (const call of parseModuleAddress(moduleAddress)) {
    const moduleCall = module?.module_calls?.[call.name];
    const source = moduleCall?.source;
    if (source === undefined || !(source.startsWith('./') || source.startsWith('../'))) {
      // A registry or git module is not in this repository: point at the call instead.
      return blocksOf(dir).modules.get(call.name);
    }
    dir = resolve(dir, source);
    module = moduleCall?.module;
  }
  return blocksOf(dir).resources.get(resourceKey);
}

const BLOCK = /^[ \t]*(resource|module)[ \t]+"([^"]+)"(?:[ \t]+"([^"]+)")?[ \t]*\{/gm;

function scanDir(dir: string, repoRoot: string): Blocks {
  const blocks: Blocks = { resources: new Map(), modules: new Map() };
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.tf')).sort();
  } catch {
    return blocks;
  }
  for (const name of names) {
    const path = join(dir, name);
    if (!statSync(path).isFile()) continue;
    const text = readFileSync(path, 'utf8');
    const file = toPosix(relative(repoRoot, path));
    const lineOf = lineTracker(text);
    for (const match of text.matchAll(BLOCK)) {
      const location = { file, line: lineOf(match.index) };
      if (match[1] === 'resource' && match[3] !== undefined) {
        const key = `${match[2]}.${match[3]}`;
        if (!blocks.resources.has(key)) blocks.resources.set(key, location);
      } else if (match[1] === 'module' && match[3] === undefined && match[2] !== undefined && !blocks.modules.has(match[2])) {
        blocks.modules.set(match[2], location);
      }
    }
  }
  return blocks;
}

/** The line of each resource change's `"address"` in the plan text (1 when not found), found in one scan. */
function addressLines(text: string): (address: string) => number {
  const lines = new Map<string, number>();
  const start = text.indexOf('"resource_changes"');
  if (start === -1) return () => 1;
  // `terraform show -json` writes one line (and a final newline): every change is on the line
  // where the list starts.
  const newline = text.indexOf('\n', start);
  if (newline === -1 || newline >= text.trimEnd().length) {
    const line = lineTracker(text)(start);
    return () => line;
  }
  const pattern = /"address"\s*:\s*"((?:[^"\\]|\\.)*)"/g;
  pattern.lastIndex = start;
  // Each newline is looked at once: a minified plan has none, and searching to its end once
  // per resource was quadratic.
  const lineOf = lineTracker(text, start);
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text)) !== null) {
    const line = lineOf(match.index);
    let address: string;
    try {
      address = JSON.parse(`"${match[1] ?? ''}"`) as string;
    } catch {
      continue;
    }
    if (!lines.has(address)) lines.set(address, line);
  }
  return (address) => lines.get(address) ?? 1;
}

function readText(file: string): string {
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}
