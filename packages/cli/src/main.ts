import { Command, CommanderError, Option } from 'commander';
import { OrglintError } from '@orglint/core';
import { EXIT } from './exit-codes.js';
import { runCollect } from './commands/collect.js';
import { runEvidence, runEvidenceVerify } from './commands/evidence.js';
import { runRulesList, runRulesShow } from './commands/rules.js';
import { FORMATS, runScan, type Io } from './commands/scan.js';
import { runValidate } from './commands/validate.js';
import { VERSION } from './version.js';

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** The options that choose and shape the estate source, shared by scan, evidence and collect. */
function withSourceOptions(command: Command, live: 'choice' | 'always'): Command {
  if (live === 'choice') {
    command
      .option('--estate <file>', 'an exported estate (JSON) to scan; with --plan, the estate the plan is applied to')
      .option('--live', 'collect the organisation from AWS now (credentials from the SDK chain)')
      .option('--plan <file>', 'a terraform plan (terraform show -json plan.out > plan.json) to check before it is applied')
      .option('--account <id>', 'plan: the account the plan applies to (else from the provider configuration or the base estate)')
      .option('--environment <name>', 'plan: the environment whose rules the planned resources must meet')
      .option('--source-dir <dir>', 'plan: the terraform sources, so findings point at the .tf file and line')
      .option('--all', 'plan: report every resource of the estate, not only those the plan changes');
  }
  return command
    .option('--profile <name>', 'live: the AWS profile of the management (or delegated administrator) account')
    .option('--regions <list>', "live: comma-separated regions (default: the environments' allowedRegions, else every enabled region)")
    .option('--role-name <name>', 'live: the read-only role assumed in member accounts (default OrgLintReadOnly)')
    .option('--external-id <id>', 'live: the external id the member roles demand')
    .option('--concurrency <n>', 'live: accounts collected in parallel (default 8)')
    .option('--max-attempts <n>', 'live: attempts per AWS call, with adaptive retry on throttling (default 5)')
    .option('--quiet', 'live: no progress line and no coverage summary on stderr');
}

/** Builds the command tree; every action returns its exit code through `setExit`. */
export function buildProgram(io: Io, setExit: (code: number) => void): Command {
  const program = new Command('orglint')
    .description('Policy-as-code compliance checks for AWS Organizations.')
    .version(VERSION)
    .option('--verbose', 'print stack traces of errors')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });

  withSourceOptions(program.command('scan'), 'choice')
    .description('Evaluate an estate against the policy and report every result.')
    .option('--policy <file>', 'the policy file', 'rules.yaml')
    .addOption(new Option('--format <format>', `report format, repeatable: ${FORMATS.join(', ')}`).argParser(collect).default([]))
    .addOption(new Option('--output <file>', 'where the report of the --format at the same position goes (default: stdout)').argParser(collect).default([]))
    .option('--fail-on <severity>', 'exit 1 when something fails at or above this severity (critical, high, medium, low, info, none)', 'info')
    .option('--include-passes', 'report passing results too (SARIF kind "pass", text)')
    .option('--timestamp <iso>', 'fix the clock (reproducible reports and waiver expiry)')
    .option('--baseline <file>', 'the JSON report of an earlier run: mark failures new, persisting or resolved')
    .option('--fail-on-new', 'with --baseline: only new failures set exit code 1')
    .option('--warn-expiring <days>', 'warn about waivers that expire within this many days (default 30)')
    .action(async (options) => setExit(await runScan(options, io)));

  const evidence = withSourceOptions(program.command('evidence'), 'choice')
    .description('Scan and write a self-contained, verifiable evidence bundle for auditors.')
    .option('--policy <file>', 'the policy file', 'rules.yaml')
    .option('--output <dir>', 'a new or empty directory for the bundle')
    .option('--timestamp <iso>', 'fix the clock: same inputs and timestamp give a byte-identical bundle')
    .option('--warn-expiring <days>', 'list waivers that expire within this many days (default 30)')
    .action(async (options) => setExit(await runEvidence(options, io)));
  evidence
    .command('verify')
    .description('Check every file of a bundle against its manifest; exit 1 on any mismatch.')
    .argument('<dir>', 'the bundle directory')
    .action(async (dir: string) => setExit(await runEvidenceVerify(dir, io)));

  withSourceOptions(program.command('collect'), 'always')
    .description('Collect the live organisation into an estate file (scan it later with --estate).')
    .option('--policy <file>', 'the policy file (its allowedRegions choose the default regions)', 'rules.yaml')
    .option('--output <file>', 'where the estate JSON goes')
    .option('--timestamp <iso>', 'fix the collection time')
    .action(async (options) => setExit(await runCollect(options, io)));

  program
    .command('validate')
    .description('Check a policy file: schema, rule ids, parameters, custom rules.')
    .option('--policy <file>', 'the policy file', 'rules.yaml')
    .action((options) => setExit(runValidate(options, io)));

  const rules = program.command('rules').description('Browse the built-in rule catalogue.');
  rules
    .command('list')
    .description('List the built-in rules.')
    .option('--framework <id>', 'only rules mapped to this framework (cis-aws, nist-800-53, soc2, iso-27001)')
    .option('--severity <severity>', 'only rules of this default severity')
    .option('--resource-type <type>', 'only rules that judge this resource type (e.g. aws.rds.instance)')
    .option('--json', 'print JSON')
    .action((options) => setExit(runRulesList(options, io)));
  rules
    .command('show')
    .description('Print one rule: text, parameters, framework references.')
    .argument('<id>', 'the rule id')
    .action((id: string) => setExit(runRulesShow(id, io)));
  return program;
}

/** Runs the CLI; returns the exit code. Errors a person can fix print one sentence; bugs print more. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  let code: number = EXIT.ok;
  const verbose = argv.includes('--verbose');
  const program = buildProgram(io, (c) => {
    code = c;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof OrglintError) {
      io.stderr(`orglint: ${error.message}\n`);
      if (verbose && error.stack) io.stderr(`${error.stack}\n`);
      return EXIT.usage;
    }
    io.stderr(`orglint: internal error: ${(error as Error).message ?? String(error)}. This is a bug; please report it with the output of --verbose.\n`);
    if (verbose && (error as Error).stack) io.stderr(`${(error as Error).stack}\n`);
    return EXIT.internal;
  }
}

