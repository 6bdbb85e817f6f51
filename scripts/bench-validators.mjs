// node scripts/bench-validators.mjs [estate.json] [policy.yaml] [estate-validator module]
// What schema validation costs, each figure the median of BENCH_RUNS (default 3) fresh processes:
//  - estate: one call of the precompiled estate validator on JSON.parse of the estate file
//    (the parse is not timed); the module defaults to packages/core/generated/estate-validator.js.
//    Timed twice: as a scan meets it, with the parse's garbage still on the heap, and after a
//    full GC, which leaves less noise for comparing two validators;
//  - policy: `loadPolicy` of the policy file, and the import of @orglint/core before it
//    (reads packages/core/dist: run `pnpm build` first).
// Defaults: .bench/estate.json and .bench/policy.yaml, as written by `pnpm bench`.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

const root = new URL('../', import.meta.url);
const [mode, ...args] = process.argv.slice(2);

if (mode === '--estate-child') {
  const [module, file] = args;
  const { validate } = await import(pathToFileURL(module).href);
  const doc = JSON.parse(readFileSync(file, 'utf8'));
  globalThis.gc?.();
  const t = performance.now();
  const ok = validate(doc);
  const ms = performance.now() - t;
  if (!ok) throw new Error(`the estate does not validate: ${JSON.stringify(validate.errors)}`);
  console.log(JSON.stringify({ validate: ms }));
} else if (mode === '--policy-child') {
  const t0 = performance.now();
  const core = await import(new URL('packages/core/dist/index.js', root).href);
  const t1 = performance.now();
  core.loadPolicy(args[0]);
  const t2 = performance.now();
  console.log(JSON.stringify({ import: t1 - t0, loadPolicy: t2 - t1 }));
} else {
  const RUNS = Number(process.env.BENCH_RUNS ?? 3);
  const estate = resolve(mode ?? fileURLToPath(new URL('.bench/estate.json', root)));
  const policy = resolve(args[0] ?? fileURLToPath(new URL('.bench/policy.yaml', root)));
  const module = resolve(args[1] ?? fileURLToPath(new URL('packages/core/generated/estate-validator.js', root)));
  const self = fileURLToPath(import.meta.url);
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const runs = (childArgs, flags = []) => Array.from({ length: RUNS }, () => JSON.parse(execFileSync(process.execPath, [...flags, self, ...childArgs], { encoding: 'utf8' })));
  const e = runs(['--estate-child', module, estate]);
  console.log(`estate validate: ${median(e.map((r) => r.validate)).toFixed(0)} ms  (runs: ${e.map((r) => r.validate.toFixed(0)).join(', ')})`);
  const g = runs(['--estate-child', module, estate], ['--expose-gc']);
  console.log(`  after a GC:    ${median(g.map((r) => r.validate)).toFixed(0)} ms  (runs: ${g.map((r) => r.validate.toFixed(0)).join(', ')})`);
  const p = runs(['--policy-child', policy]);
  console.log(`policy load:     ${median(p.map((r) => r.loadPolicy)).toFixed(1)} ms  (runs: ${p.map((r) => r.loadPolicy.toFixed(1)).join(', ')})`);
  console.log(`core import:     ${median(p.map((r) => r.import)).toFixed(0)} ms  (runs: ${p.map((r) => r.import.toFixed(0)).join(', ')})`);
}
