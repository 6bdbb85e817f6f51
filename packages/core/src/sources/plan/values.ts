/** A step into a terraform value: an attribute name or a list index. */
export type AttrPath = readonly (string | number)[];

/** Marks a value terraform knows only after apply — or one orglint refuses to copy because it is sensitive. */
export const UNKNOWN: unique symbol = Symbol('unknown');
export type Maybe<T> = T | typeof UNKNOWN;

/**
 * Reads one side (`after` or `before`) of a resource change together with its unknown and
 * sensitive masks. A value under a sensitive mark is reported as UNKNOWN: it never leaves this
 * class, so no mapper can copy a secret into the estate by mistake.
 */
export class Attributes {
  constructor(
    private readonly values: Record<string, unknown> | null | undefined,
    private readonly unknownMask: unknown,
    private readonly sensitiveMask: unknown,
  ) {}

  get(path: AttrPath): unknown {
    // Hot path: called for every mapped attribute of every resource, so no allocation here.
    let value: unknown = this.values;
    let unknown: unknown = this.unknownMask;
    let sensitive: unknown = this.sensitiveMask;
    for (const step of path) {
      if (unknown === true || sensitive === true) return UNKNOWN;
      value = child(value, step);
      unknown = child(unknown, step);
      sensitive = child(sensitive, step);
    }
    if (unknown === true || sensitive === true) return UNKNOWN;
    return value;
  }

  /** Whether anything at or below the path is unknown or sensitive. */
  partlyUnknown(path: AttrPath): boolean {
    let unknown: unknown = this.unknownMask;
    let sensitive: unknown = this.sensitiveMask;
    for (const step of path) {
      if (unknown === true || sensitive === true) return true;
      unknown = child(unknown, step);
      sensitive = child(sensitive, step);
    }
    return containsTrue(unknown) || containsTrue(sensitive);
  }
}

/** A deep copy of plain JSON data (much cheaper than structuredClone for the small values here). */
export function cloneJson<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(cloneJson) as T;
  const out: Record<string, unknown> = {};
  for (const key in value) if (Object.hasOwn(value, key)) out[key] = cloneJson((value as Record<string, unknown>)[key]);
  return out as T;
}

function child(node: unknown, step: string | number): unknown {
  if (node === null || typeof node !== 'object') return undefined;
  return (node as Record<string | number, unknown>)[step];
}

function containsTrue(node: unknown): boolean {
  if (node === true) return true;
  if (node === null || typeof node !== 'object') return false;
  for (const value of Object.values(node as Record<string, unknown>)) if (containsTrue(value)) return true;
  return false;
}

/** The first element of a nested block list (terraform renders a block as a list of objects). */
export function block(value: unknown): Record<string, unknown> | undefined {
  if (Array.isArray(value)) value = value[0];
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function asStrings(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.filter((v): v is string => typeof v === 'string' && v !== '');
}

/** A boolean; providers also write some as the strings "true" / "false" (aws 5.x at_rest_encryption_enabled). */
export function asBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  return value === 'true' ? true : value === 'false' ? false : undefined;
}

export function asInteger(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
  return undefined;
}

export function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

export function asStringMap(value: unknown): Record<string, string> | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) if (typeof v === 'string') out[k] = v;
  return out;
}

/** A policy document given as a JSON string (as terraform holds it) parsed to an object; undefined if it is not one. */
export function parsePolicy(value: unknown): Record<string, unknown> | undefined {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Splits a module instance address (`module.data.module.db["eu"]`) into its calls. The key keeps
 * its brackets so that instance addresses can be rebuilt exactly.
 */
export function parseModuleAddress(address: string | undefined): { name: string; key: string }[] {
  const out: { name: string; key: string }[] = [];
  if (!address) return out;
  const pattern = /module\.([A-Za-z0-9_-]+)(\[(?:"(?:[^"\\]|\\.)*"|\d+)\])?\.?/gy;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(address)) !== null) out.push({ name: match[1] ?? '', key: match[2] ?? '' });
  return out;
}

/** `module.data.module.db["eu"]` → `module.data.module.db`: the module in the configuration. */
export function configPathOf(moduleAddress: string | undefined): string {
  return parseModuleAddress(moduleAddress)
    .map((m) => `module.${m.name}`)
    .join('.');
}

/** `aws_iam_user.people["alice"].name` → { type, name, index: '["alice"]' }; undefined for var., local., module. … */
export function parseResourceRef(ref: string): { type: string; name: string; index: string | undefined } | undefined {
  const match = /^(?!data\.)([a-z][a-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_-]*)(\[(?:"(?:[^"\\]|\\.)*"|\d+)\])?/.exec(ref);
  if (!match || ['var', 'local', 'module', 'each', 'count', 'path', 'terraform', 'self'].includes(match[1] ?? '')) return undefined;
  return { type: match[1] ?? '', name: match[2] ?? '', index: match[3] };
}
