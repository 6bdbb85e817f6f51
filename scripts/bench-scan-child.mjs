// The built CLI, run as the published binary runs, reporting its own peak RSS at exit.
import { main } from '../packages/cli/dist/main.js';
process.exitCode = await main(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  stdoutIsTty: false,
  stderrIsTty: false,
  env: process.env,
  cwd: process.cwd(),
});
process.stderr.write(`maxrss-kb ${process.resourceUsage().maxRSS}\n`);
