/** The documented exit codes (README "Exit codes"). Only bin.ts exits. */
export const EXIT = {
  /** Nothing fails at or above --fail-on and everything was evaluated. */
  ok: 0,
  /** Something fails at or above --fail-on (or, with --fail-on-new, a new failure). */
  failures: 1,
  /** Bad input or usage: nothing evaluated, no report written. */
  usage: 2,
  /** No failures, but some results could not be evaluated. */
  incomplete: 3,
  /** A bug in orglint: please report it with the --verbose output. */
  internal: 70,
} as const;
