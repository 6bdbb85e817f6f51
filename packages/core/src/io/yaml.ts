import { LineCounter, isNode, parseDocument, type Document } from 'yaml';
import { OrglintError } from '../errors.js';

/** A parsed YAML document that can say where any of its values sits. */
export interface YamlSource {
  readonly file: string;
  readonly value: unknown;
  /** Line and column (1-based) of the node at a path of keys and indices, or of its nearest parent. */
  locate(path: readonly (string | number)[]): { line: number; column: number };
}

/**
 * Parses YAML strictly: duplicate keys and alias bombs are errors, keys such as `__proto__`
 * stay plain data, and the first error becomes one `file:line:column` sentence.
 */
export function parseYaml(text: string, file: string, what: string): YamlSource {
  const lineCounter = new LineCounter();
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, strict: true });
  } catch (error) {
    throw new OrglintError('invalid-yaml', `${file}: the ${what} file is not valid YAML (${(error as Error).message}); fix the syntax.`, { cause: error });
  }
  const problem = doc.errors[0];
  if (problem) {
    const pos = lineCounter.linePos(problem.pos[0]);
    const detail = problem.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '');
    throw new OrglintError(
      'invalid-yaml',
      `${file}:${pos.line}:${pos.col}: the ${what} file is not valid YAML (${detail}); fix the syntax there.`,
      { position: { file, line: pos.line, column: pos.col } },
    );
  }
  let value: unknown;
  try {
    // maxAliasCount refuses "billion laughs" documents before they expand.
    value = doc.toJS({ maxAliasCount: 50 });
  } catch (error) {
    throw new OrglintError(
      'invalid-yaml',
      `${file}: the ${what} file expands aliases too often (${(error as Error).message}); write the values out instead of nesting aliases.`,
      { cause: error },
    );
  }
  return {
    file,
    value,
    locate(path) {
      for (let n = path.length; n >= 0; n--) {
        const node = doc.getIn(path.slice(0, n), true);
        const range = isNode(node) ? node.range : undefined;
        if (range) {
          // For a mapping value, point at its key: that is what a person looks for.
          const keyOffset = n > 0 ? keyOffsetOf(doc, path.slice(0, n)) : undefined;
          const pos = lineCounter.linePos(keyOffset ?? range[0]);
          return { line: pos.line, column: pos.col };
        }
      }
      return { line: 1, column: 1 };
    },
  };
}

function keyOffsetOf(doc: Document.Parsed, path: readonly (string | number)[]): number | undefined {
  const parent = doc.getIn(path.slice(0, -1), true) as { items?: { key?: unknown }[] } | undefined;
  const last = path[path.length - 1];
  if (!parent || !Array.isArray(parent.items) || typeof last !== 'string') return undefined;
  for (const pair of parent.items) {
    const key = pair.key;
    if (isNode(key) && (key as unknown as { value?: unknown }).value === last) return key.range?.[0];
  }
  return undefined;
}

/** `/a/0/b` → `['a', 0, 'b']`, for `locate`. */
export function pointerToKeys(pointer: string): (string | number)[] {
  return pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}
