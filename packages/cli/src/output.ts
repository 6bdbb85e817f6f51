import { mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { OrglintError } from '@orglint/core';

export interface PlannedOutput {
  /** A file path, or undefined for standard output. */
  readonly file: string | undefined;
  readonly content: string;
}

/**
 * Writes every report only after all were rendered, each through a temporary file renamed into
 * place, so a failure leaves no half-written report behind.
 */
export function writeOutputs(outputs: readonly PlannedOutput[], stdout: (text: string) => void): void {
  for (const o of outputs) {
    if (o.file === undefined) continue;
    try {
      if (statSync(o.file).isDirectory()) {
        throw new OrglintError('invalid-argument', `--output ${o.file} is a directory; give a file path for the report.`);
      }
    } catch (error) {
      if (error instanceof OrglintError) throw error;
    }
  }
  const temps: { temp: string; file: string }[] = [];
  try {
    for (const o of outputs) {
      if (o.file === undefined) continue;
      mkdirSync(dirname(o.file), { recursive: true });
      const temp = join(dirname(o.file), `.${basename(o.file)}.${process.pid}.tmp`);
      writeFileSync(temp, o.content);
      temps.push({ temp, file: o.file });
    }
    for (const t of temps) renameSync(t.temp, t.file);
  } catch (error) {
    for (const t of temps) rmSync(t.temp, { force: true });
    throw new OrglintError('invalid-argument', `Could not write the report: ${(error as Error).message}; check that the output directory is writable.`, { cause: error });
  }
  for (const o of outputs) if (o.file === undefined) stdout(o.content.endsWith('\n') ? o.content : `${o.content}\n`);
}
