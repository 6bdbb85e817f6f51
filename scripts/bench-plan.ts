/**
 * Plan bench: generates a deterministic ~100 MB `terraform show -json` plan into .bench/plan.json,
 * then, each in a fresh node process (best of three), times reading + JSON.parse of it and
 * loadPlan + resolvePlanTarget + planToResources + overlayPlan + parseEstate, and prints the ratio.
 *
 *   pnpm exec tsx --conditions=orglint-source scripts/bench-plan.ts [size-mb]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatePlan } from './plan-generator.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BENCH = join(ROOT, '.bench');
const PLAN = join(BENCH, 'plan.json');
const TARGET_MB = Number(process.argv[2] ?? 100);
const RUNS = 3;

const PARSE = `
const { readFileSync } = require('node:fs');
const t0 = performance.now();
JSON.parse(readFileSync(process.argv[1], 'utf8'));
const t1 = performance.now();
console.log(JSON.stringify({ ms: t1 - t0, rssKb: process.resourceUsage().maxRSS }));
`;

const LOAD = `
import { loadPlan, resolvePlanTarget, planToResources, overlayPlan, parseEstate } from '../packages/core/src/index.ts';
const file = process.argv[2];
const t0 = performance.now();
const plan = loadPlan(file);
const target = resolvePlanTarget(plan);
const estate = overlayPlan(undefined, planToResources(plan, { target }));
parseEstate(estate, file);
const t1 = performance.now();
console.log(JSON.stringify({ ms: t1 - t0, rssKb: process.resourceUsage().maxRSS, resources: estate.resources.length }));
`;

interface Run {
  ms: number;
  rssKb: number;
  resources?: number;
}

function best(command: string, args: string[]): Run {
  const runs: Run[] = [];
  for (let i = 0; i < RUNS; i++) {
    const out = execFileSync(command, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 20 });
    runs.push(JSON.parse(out.trim().split('\n').pop() ?? '{}') as Run);
  }
  return runs.sort((a, b) => a.ms - b.ms)[0] as Run;
}

mkdirSync(BENCH, { recursive: true });
const marker = join(BENCH, 'plan.json.size');
if (!existsSync(PLAN) || !existsSync(marker) || readFileSync(marker, 'utf8') !== String(TARGET_MB)) {
  generatePlan(TARGET_MB * 1024 * 1024, PLAN);
  writeFileSync(marker, String(TARGET_MB));
}
const sizeMb = statSync(PLAN).size / (1024 * 1024);
const loader = join(BENCH, 'plan-load.ts');
writeFileSync(loader, LOAD);
const node = process.execPath;
const parse = best(node, ['-e', PARSE, PLAN]);
const load = best(node, ['--conditions=orglint-source', '--import', 'tsx', loader, PLAN]);
const ratio = load.ms / parse.ms;
console.log(
  `plan: size-mb ${sizeMb.toFixed(0)}  parse ${(parse.ms / 1000).toFixed(2)}s  plan-load ${(load.ms / 1000).toFixed(2)}s  ratio plan/parse: ${ratio.toFixed(2)}  peak-rss-mb ${Math.round(load.rssKb / 1024)}  (resources ${load.resources})`,
);
