/** Codes of the errors a person can act on. Each maps to exit code 2 in the CLI. */
export type ErrorCode =
  | 'file-not-found'
  | 'not-a-file'
  | 'file-too-large'
  | 'invalid-json'
  | 'invalid-yaml'
  | 'schema-violation'
  | 'unsupported-version'
  | 'unknown-rule'
  | 'unknown-resource-type'
  | 'duplicate-id'
  | 'invalid-rule'
  | 'invalid-waiver'
  | 'invalid-argument'
  | 'not-a-plan'
  | 'plan-target-unknown'
  | 'aws-credentials'
  | 'aws-organizations'
  | 'output-exists'
  | 'invalid-baseline'
  | 'evidence-mismatch';

/** Where in an input file a problem sits (1-based line and column). */
export interface SourcePosition {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
}

/**
 * An error caused by the user's input, carrying one full sentence that names the file,
 * the place, what is wrong and how to fix it. Anything else thrown is a bug.
 */
export class OrglintError extends Error {
  readonly code: ErrorCode;
  readonly position: SourcePosition | undefined;

  constructor(code: ErrorCode, message: string, options: { position?: SourcePosition; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'OrglintError';
    this.code = code;
    this.position = options.position;
  }
}

/** `file:line:column` for messages, as far as it is known. */
export function formatPosition(position: SourcePosition): string {
  let out = position.file;
  if (position.line !== undefined) out += `:${position.line}`;
  if (position.line !== undefined && position.column !== undefined) out += `:${position.column}`;
  return out;
}
