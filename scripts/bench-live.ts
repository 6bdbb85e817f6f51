/**
 * Live-collection bench against moto: 20 accounts × 2 regions with a few hundred IAM users,
 * collected at concurrency 1 and at the default. Prints one summary line (plus details).
 *
 *   pnpm exec tsx --conditions=orglint-source scripts/bench-live.ts
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { collectLiveEstate } = await import('../packages/core/src/sources/live/collect.js');
const { DEFAULT_CONCURRENCY } = await import('../packages/core/src/sources/live/runtime.js');
const { startMoto } = await import('../packages/core/src/testing/moto.js');
const { buildWideOrg, TEST_CREDENTIALS } = await import('../packages/core/src/testing/moto-org.js');

const ACCOUNTS = 20;
const REGIONS = ['eu-west-1', 'us-east-1'];
const USERS_PER_ACCOUNT = 15;

const moto = await startMoto();
try {
  await moto.reset();
  const built = performance.now();
  await buildWideOrg(moto.endpoint, ACCOUNTS, USERS_PER_ACCOUNT);
  console.log(`built ${ACCOUNTS} accounts, ${ACCOUNTS * USERS_PER_ACCOUNT} IAM users in ${((performance.now() - built) / 1000).toFixed(1)}s`);

  /** CPU seconds moto_server has used so far (Linux /proc), to tell who the bottleneck is. */
  const motoCpu = (): number => {
    try {
      const fields = readFileSync(`/proc/${moto.pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      return (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      return Number.NaN;
    }
  };
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  /** Optionally adds a fixed delay before every call, standing in for the network round trip to AWS. */
  const rttHook = (ms: number) => (stack: { add: (m: unknown, o: unknown) => void }) =>
    stack.add((next: (a: unknown) => Promise<unknown>) => async (args: unknown) => {
      await sleep(ms);
      return next(args);
    }, { step: 'finalizeRequest', priority: 'low' });
  const run = async (concurrency: number, rttMs = 0) => {
    const cpu = process.cpuUsage();
    const motoBefore = motoCpu();
    const result = await collectLiveEstate({
      endpoint: moto.endpoint,
      credentials: async () => TEST_CREDENTIALS,
      regions: REGIONS,
      roleName: 'OrganizationAccountAccessRole',
      maxAttempts: 1,
      concurrency,
      now: () => new Date(0),
      ...(rttMs > 0 ? { clientMiddleware: rttHook(rttMs) } : {}),
    });
    const used = process.cpuUsage(cpu);
    console.log(
      `  c=${concurrency}${rttMs ? ` rtt=${rttMs}ms` : ''}: wall ${(result.stats.elapsedMs / 1000).toFixed(2)}s  node cpu ${((used.user + used.system) / 1e6).toFixed(2)}s  moto cpu ${(motoCpu() - motoBefore).toFixed(2)}s`,
    );
    return result;
  };
  // Warm-up: moto imports each service lazily and creates default VPCs on first use.
  await run(DEFAULT_CONCURRENCY);

  const serial = await run(1);
  const parallel = await run(DEFAULT_CONCURRENCY);
  const s = (ms: number) => (ms / 1000).toFixed(2);
  const { calls, accounts, regions } = parallel.stats;
  const users = parallel.estate.resources.filter((r) => r.type === 'aws.iam.user').length;
  const iamCalls = Object.entries(parallel.stats.callsByOperation).filter(([op]) => op.startsWith('iam:')).reduce((n, [, v]) => n + v, 0);
  console.log(`resources ${parallel.estate.resources.length}  iam users ${users}  iam calls ${iamCalls} (${(iamCalls / accounts).toFixed(1)}/account)  coverage ${JSON.stringify(parallel.stats.coverage)}`);
  const line = (label: string, a: typeof serial, b: typeof serial) =>
    `${label}: accounts ${b.stats.accounts}  regions ${b.stats.regions.length}  calls ${b.stats.calls}  calls/account ${(b.stats.calls / b.stats.accounts).toFixed(1)}  wall c=1 ${s(a.stats.elapsedMs)}s  wall c=${DEFAULT_CONCURRENCY} ${s(b.stats.elapsedMs)}s  speedup ${(a.stats.elapsedMs / b.stats.elapsedMs).toFixed(2)}`;
  // moto answers in a few milliseconds from one Python process, so on a small machine the bound
  // is CPU, not waiting; a fixed per-call delay shows what the bound buys against real latency.
  const RTT = 50;
  const serialRtt = await run(1, RTT);
  const parallelRtt = await run(DEFAULT_CONCURRENCY, RTT);
  console.log(line(`live (moto + ${RTT} ms simulated round trip)`, serialRtt, parallelRtt));
  console.log(
    `live: accounts ${accounts}  regions ${regions.length}  calls ${calls}  calls/account ${(calls / accounts).toFixed(1)}  wall c=1 ${s(serial.stats.elapsedMs)}s  wall c=${DEFAULT_CONCURRENCY} ${s(parallel.stats.elapsedMs)}s  speedup ${(serial.stats.elapsedMs / parallel.stats.elapsedMs).toFixed(2)}`,
  );
} finally {
  await moto.stop();
}
