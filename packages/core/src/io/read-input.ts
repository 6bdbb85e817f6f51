import { isAscii } from 'node:buffer';
import { readFileSync, statSync } from 'node:fs';
import { OrglintError } from '../errors.js';

/** The largest input read whole: V8 cannot hold a longer string. */
export const MAX_INPUT_BYTES = 512 * 1024 * 1024 - 64;

/**
 * Reads a whole input file as UTF-8, turning the usual mistakes (missing file, a directory,
 * a file too large to parse) into one sentence that says what to do.
 */
export function readInputFile(file: string, what: string): string {
  let size: number;
  try {
    const stat = statSync(file);
    if (stat.isDirectory()) {
      throw new OrglintError('not-a-file', `${file} is a directory, not a ${what} file; give the path of the file itself.`);
    }
    size = stat.size;
  } catch (error) {
    if (error instanceof OrglintError) throw error;
    throw new OrglintError('file-not-found', `${file} does not exist; check the path of the ${what} file.`, { cause: error });
  }
  if (size > MAX_INPUT_BYTES) {
    throw new OrglintError(
      'file-too-large',
      `${file} is ${Math.round(size / 1048576)} MB, more than the ${Math.round(MAX_INPUT_BYTES / 1048576)} MB a ${what} file may have; split the estate or scan fewer accounts per run.`,
    );
  }
  const bytes = readFileSync(file);
  // Estates and plans are nearly always pure ASCII; Latin-1 decodes those to the same string
  // as UTF-8 would, without validating 100 MB of multi-byte sequences that are not there.
  return isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
}

/** JSON.parse with a `file:line:column` sentence on failure. */
export function parseJsonText(text: string, file: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const { line, column } = jsonErrorPosition(text, (error as Error).message);
    const where = line === undefined ? file : `${file}:${line}:${column}`;
    const detail = (error as Error).message.replace(/^[^:]*JSON[^:]*: /, '');
    throw new OrglintError('invalid-json', `${where}: the ${what} file is not valid JSON (${detail}); fix the syntax there.`, {
      position: { file, ...(line === undefined ? {} : { line, column }) },
      cause: error,
    });
  }
}

function jsonErrorPosition(text: string, message: string): { line?: number; column?: number } {
  const lc = /line (\d+) column (\d+)/.exec(message);
  if (lc) return { line: Number(lc[1]), column: Number(lc[2]) };
  const pos = /at position (\d+)/.exec(message);
  let offset = pos ? Number(pos[1]) : /Unexpected end of JSON input/.test(message) ? text.length : undefined;
  if (offset === undefined) offset = offsetFromSnippet(text, message);
  if (offset === undefined) return {};
  return lineColumnAt(text, offset);
}

/** Node 20 names no position for some errors, only the token and a snippet around it: find the snippet. */
function offsetFromSnippet(text: string, message: string): number | undefined {
  const m = /Unexpected token '(.+?)', (?:"|\.\.\.)(.*?)(?:\.\.\.)?" is not valid JSON/s.exec(message);
  if (!m) return undefined;
  const token = m[1] ?? '';
  // V8 quotes the snippet inconsistently around its "..." ellipses; try the plausible cuts.
  const raw = m[2] ?? '';
  for (const snippet of [raw, raw.replace(/^"/, ''), raw.replace(/"$/, ''), raw.replace(/^"/, '').replace(/"$/, '')]) {
    const at = snippet === '' ? -1 : text.indexOf(snippet);
    if (at === -1) continue;
    const inSnippet = snippet.indexOf(token);
    return at + (inSnippet === -1 ? 0 : inSnippet);
  }
  return undefined;
}

/** 1-based line and column of a character offset. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * Line numbers for offsets visited in increasing order, each newline looked at once: the
 * way to number many matches in a large text (a minified plan has no newline at all).
 */
export function lineTracker(text: string, from = 0): (offset: number) => number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < from; i = text.indexOf('\n', i + 1)) line++;
  let nextNewline = text.indexOf('\n', from);
  return (offset) => {
    while (nextNewline !== -1 && nextNewline < offset) {
      line++;
      nextNewline = text.indexOf('\n', nextNewline + 1);
    }
    return line;
  };
}
