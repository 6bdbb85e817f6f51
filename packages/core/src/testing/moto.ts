/**
 * Test-only harness around `moto_server`, the AWS API emulator the machine image ships.
 * Exported only as `@orglint/core/testing`, for the test suites and the live bench.
 *
 * Each test file starts its own server on a free 127.0.0.1 port (vitest runs files in
 * separate workers, and a global setup would be shared with other suites), resets and seeds
 * it so that generated ids are stable, and stops it by its PID.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, closeSync, constants, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';

/** A running moto_server. */
export interface MotoServer {
  /** `http://127.0.0.1:<port>` — the one endpoint for every service. */
  readonly endpoint: string;
  readonly pid: number;
  /** Wipes every backend of every account, then seeds the id generator so ids repeat. */
  reset(seed?: number): Promise<void>;
  stop(): Promise<void>;
}

const READY_BUDGET_MS = 5_000;

/** Whether a `moto_server` executable is on the PATH. */
export function motoServerOnPath(): boolean {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, 'moto_server'), constants.X_OK);
      return true;
    } catch {
      // not in this directory
    }
  }
  return false;
}

/**
 * Decides whether a moto suite runs. In CI a missing moto_server is a failure (the suite must
 * run there); elsewhere the suite is skipped with a loud warning so a developer sees why.
 */
export function motoAvailable(suite: string): boolean {
  if (motoServerOnPath()) return true;
  if (process.env.CI === 'true') {
    throw new Error(`${suite}: moto_server is not on the PATH, and CI=true requires the moto suite to run; install moto[server] 5.2.1.`);
  }
  console.warn(`\n*** ${suite}: SKIPPED — moto_server is not on the PATH (install moto[server] 5.2.1 to run the live-collection tests). ***\n`);
  return false;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Starts `moto_server -H 127.0.0.1 -p <free port>` and waits until it answers. */
export async function startMoto(options: { env?: Record<string, string> } = {}): Promise<MotoServer> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  // A pinned account id overrides assume-role and would collapse every member into one account.
  delete env.MOTO_ACCOUNT_ID;
  // moto logs every request to stderr. A pipe would have to be drained by this process, and a
  // test that blocks its event loop (spawnSync of the CLI) would then stall moto on a full pipe;
  // a file never fills.
  const logFile = join(mkdtempSync(join(tmpdir(), 'orglint-moto-')), 'moto.log');
  const log = openSync(logFile, 'w');
  const child: ChildProcess = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], {
    env,
    stdio: ['ignore', 'ignore', log],
  });
  closeSync(log);
  const readLog = (): string => {
    try {
      return readFileSync(logFile, 'utf8').slice(0, 4_000);
    } catch {
      return '';
    }
  };
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });
  const spawnError = new Promise<never>((_, reject) => child.on('error', reject));
  spawnError.catch(() => undefined);

  const started = Date.now();
  for (;;) {
    if (exited) throw new Error(`moto_server exited before answering: ${readLog().trim().slice(0, 500)}`);
    try {
      const res = await Promise.race([fetch(`${endpoint}/moto-api/data.json`), spawnError]);
      if (res.ok) {
        await res.arrayBuffer();
        break;
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('moto_server could not be started: it is not on the PATH.');
    }
    if (Date.now() - started > READY_BUDGET_MS) {
      child.kill('SIGKILL');
      throw new Error(`moto_server did not answer on ${endpoint} within ${READY_BUDGET_MS} ms: ${readLog().trim().slice(0, 500)}`);
    }
    await sleep(50);
  }
  const pid = child.pid ?? 0;

  return {
    endpoint,
    pid,
    async reset(seed = 42) {
      const reset = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      await reset.arrayBuffer();
      if (!reset.ok) throw new Error(`moto reset failed with HTTP ${reset.status}`);
      const seeded = await fetch(`${endpoint}/moto-api/seed?a=${seed}`, { method: 'POST' });
      await seeded.arrayBuffer();
      if (!seeded.ok) throw new Error(`moto seed failed with HTTP ${seeded.status}`);
    },
    async stop() {
      if (exited) return;
      const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      process.kill(pid, 'SIGTERM');
      const timer = setTimeout(() => {
        if (!exited) process.kill(pid, 'SIGKILL');
      }, 3_000);
      await done;
      clearTimeout(timer);
    },
  };
}
