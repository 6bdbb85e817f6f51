import { OrglintError } from '../../errors.js';
import { lineColumnAt, readInputFile } from '../../io/read-input.js';
import type { TerraformPlan } from './plan-types.js';

const HOW_TO = 'run `terraform plan -out plan.out` and `terraform show -json plan.out > plan.json`, and pass plan.json';

/** Plan JSON format versions this build reads: 0.1, 0.2 (Terraform 0.12 to 0.15) and any 1.x. */
export function isSupportedPlanFormat(version: string): boolean {
  const match = /^(\d+)\.(\d+)$/.exec(version);
  if (!match) return false;
  const major = Number(match[1]);
  const minor = Number(match[2]);
  return (major === 0 && minor >= 1) || major === 1;
}

const planFiles = new WeakMap<TerraformPlan, string>();

/** The file a plan was loaded from, if it came through `loadPlan`. */
export function planFileOf(plan: TerraformPlan): string | undefined {
  return planFiles.get(plan);
}

/**
 * Reads `terraform show -json` output and checks that it is a plan this build reads. Anything
 * else — a state file, HCL, a binary `plan.out`, truncated JSON, an unknown format version —
 * fails with one sentence saying what the file is and how to produce the right one.
 */
export function loadPlan(file: string): TerraformPlan {
  const text = readInputFile(file, 'terraform plan');
  const plan = parsePlanText(text, file);
  planFiles.set(plan, file);
  return plan;
}

/** `loadPlan` for text already in memory. */
export function parsePlanText(text: string, file: string): TerraformPlan {
  if (text.startsWith('PK\u0003\u0004')) {
    throw notAPlan(`${file} is a binary plan file (the output of \`terraform plan -out\`), not JSON; run \`terraform show -json ${file} > plan.json\` and pass plan.json.`);
  }
  if (text.includes('\u0000')) {
    throw notAPlan(`${file} is a binary file, not a terraform plan in JSON; ${HOW_TO}.`);
  }
  const start = text.search(/\S/);
  if (start === -1) throw notAPlan(`${file} is empty, not a terraform plan; ${HOW_TO}.`);
  const first = text[start];
  if (first !== '{' && first !== '[') {
    if (/^\s*(?:#|\/\/|\/\*|(?:terraform|provider|resource|module|variable|data|locals|output)\b)/m.test(text.slice(start, start + 4096))) {
      throw notAPlan(`${file} is Terraform configuration (HCL), not a plan; ${HOW_TO}.`);
    }
    throw notAPlan(`${file} is not JSON and not a terraform plan; ${HOW_TO}.`);
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw jsonError(text, file, error as Error);
  }
  return recognisePlan(document, file);
}

/** Checks an already parsed document and returns it as a plan. */
export function recognisePlan(document: unknown, file: string): TerraformPlan {
  if (document === null || typeof document !== 'object' || Array.isArray(document)) {
    throw notAPlan(`${file} is a JSON ${Array.isArray(document) ? 'array' : typeof document}, not a terraform plan object; ${HOW_TO}.`);
  }
  const doc = document as Record<string, unknown>;
  if (typeof doc.version === 'number' && Array.isArray(doc.resources)) {
    throw notAPlan(`${file} is a raw Terraform state file (terraform.tfstate), not a plan; ${HOW_TO}.`);
  }
  if (doc.schemaVersion !== undefined && Array.isArray(doc.resources) && Array.isArray(doc.accounts)) {
    throw notAPlan(`${file} is an orglint estate, not a terraform plan; pass it with --estate, and the plan with --plan.`);
  }
  const isPlanShaped = 'resource_changes' in doc || 'planned_values' in doc;
  if (!isPlanShaped && 'values' in doc) {
    throw notAPlan(`${file} is a Terraform state in JSON (\`terraform show -json\` without a plan file), not a plan; ${HOW_TO}.`);
  }
  const version = doc.format_version;
  if (!isPlanShaped || typeof version !== 'string') {
    throw notAPlan(`${file} is JSON but not a terraform plan (it has no format_version and resource_changes); ${HOW_TO}.`);
  }
  if (!isSupportedPlanFormat(version)) {
    throw notAPlan(
      `${file} has plan format_version "${version}", which this orglint does not read (it reads 0.1 to 1.x); produce the plan with Terraform 0.12 to 1.x, or upgrade orglint.`,
    );
  }
  if (doc.resource_changes !== undefined && !Array.isArray(doc.resource_changes)) {
    throw notAPlan(`${file}: resource_changes is not a list, so this is not \`terraform show -json\` output; ${HOW_TO}.`);
  }
  return doc as unknown as TerraformPlan;
}

function jsonError(text: string, file: string, error: Error): OrglintError {
  const message = error.message;
  const pos = /at position (\d+)/.exec(message);
  const offset = pos ? Number(pos[1]) : snippetOffset(text, message);
  const truncated =
    /Unexpected end of JSON input|Unterminated string/.test(message) || (offset !== undefined && offset >= text.trimEnd().length - 1);
  const at = offset === undefined ? (truncated ? text.length : undefined) : offset;
  const where = at === undefined ? file : `${file}:${lineColumnAt(text, at).line}`;
  if (truncated) {
    return notAPlan(`${where}: the plan JSON ends before the document does (the file is truncated); ${HOW_TO} again and make sure it is written completely.`, error);
  }
  const detail = /^(Unexpected token '[^']*')/.exec(message)?.[1] ?? message.replace(/^[^:]*JSON[^:]*: /, '').split('\n')[0];
  return notAPlan(`${where}: the file is not valid JSON (${detail}), so it is not \`terraform show -json\` output; ${HOW_TO}.`, error);
}

/** Node 20 names no position for an unexpected token, only the text around it: find that text. */
function snippetOffset(text: string, message: string): number | undefined {
  const match = /^Unexpected token '(.)', (?:\.\.\.)?"([\s\S]*?)(?:\.\.\.)?" is not valid JSON$/.exec(message);
  if (!match) return undefined;
  const [, token = '', context = ''] = match;
  const at = text.indexOf(context);
  return at === -1 ? undefined : at + context.indexOf(token);
}

function notAPlan(message: string, cause?: unknown): OrglintError {
  return new OrglintError('not-a-plan', message, cause === undefined ? {} : { cause });
}
