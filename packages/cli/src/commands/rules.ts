import { FRAMEWORKS, OrglintError, SEVERITIES, type FrameworkId, type RuleDefinition, type Severity } from '@orglint/core';
import { loadCatalogue } from '@orglint/rules';
import { EXIT } from '../exit-codes.js';
import type { Io } from './scan.js';

export interface RulesListOptions {
  readonly framework?: string;
  readonly severity?: string;
  readonly resourceType?: string;
  readonly json?: boolean;
}

function pad(text: string, width: number): string {
  return text.length >= width ? `${text} ` : text + ' '.repeat(width - text.length);
}

/** Lists the built-in rules, optionally filtered by framework, severity and resource type. */
export function runRulesList(options: RulesListOptions, io: Io): number {
  if (options.framework !== undefined && !Object.hasOwn(FRAMEWORKS, options.framework)) {
    throw new OrglintError('invalid-argument', `--framework "${options.framework}" is not a framework orglint maps; use one of ${Object.keys(FRAMEWORKS).join(', ')}.`);
  }
  if (options.severity !== undefined && !(SEVERITIES as readonly string[]).includes(options.severity)) {
    throw new OrglintError('invalid-argument', `--severity "${options.severity}" is not a severity; use one of ${SEVERITIES.join(', ')}.`);
  }
  const rules = loadCatalogue()
    .rules.map((r) => r.definition)
    .filter((d) => !options.framework || (d.frameworks?.[options.framework as FrameworkId]?.length ?? 0) > 0)
    .filter((d) => !options.severity || d.severity === (options.severity as Severity))
    .filter((d) => !options.resourceType || d.resources.includes(options.resourceType));
  if (options.json) {
    io.stdout(`${JSON.stringify(rules.map((d) => ({ id: d.id, title: d.title, severity: d.severity, resources: d.resources, frameworks: d.frameworks ?? {} })), null, 2)}\n`);
    return EXIT.ok;
  }
  const idWidth = Math.max(4, ...rules.map((d) => d.id.length)) + 2;
  const lines = [`${pad('RULE', idWidth)}${pad('SEVERITY', 10)}TITLE`];
  for (const d of rules) lines.push(`${pad(d.id, idWidth)}${pad(d.severity, 10)}${d.title}`);
  lines.push('', `${rules.length} rule${rules.length === 1 ? '' : 's'}. \`orglint rules show <id>\` prints one in full.`);
  io.stdout(`${lines.join('\n')}\n`);
  return EXIT.ok;
}

/** Prints one rule: its text, parameters and framework references. */
export function runRulesShow(id: string, io: Io): number {
  const definition = loadCatalogue().rules.find((r) => r.definition.id === id)?.definition;
  if (!definition) {
    throw new OrglintError('unknown-rule', `"${id}" is not a built-in rule; run \`orglint rules list\` for the ids.`);
  }
  io.stdout(describeRule(definition));
  return EXIT.ok;
}

export function describeRule(d: RuleDefinition): string {
  const out: string[] = [`${d.id} — ${d.title}`, '', `Severity: ${d.severity}`, `Applies to: ${d.resources.join(', ')}`];
  if (d.scope?.accountRoles) out.push(`Accounts: ${d.scope.accountRoles.join(', ')}`);
  out.push('', 'Why', wrap(d.rationale), '', 'How to fix', wrap(d.remediation));
  const params = Object.entries(d.parameters ?? {});
  if (params.length > 0) {
    out.push('', 'Parameters (set under rules.<id>.parameters in rules.yaml)');
    for (const [name, p] of params) out.push(`  ${name} (default ${JSON.stringify(p.default)}): ${p.description}`);
  }
  const frameworks = Object.entries(d.frameworks ?? {}) as [FrameworkId, string[]][];
  if (frameworks.length > 0) {
    out.push('', 'Framework references');
    for (const [fw, controls] of frameworks) out.push(`  ${FRAMEWORKS[fw]}: ${controls.join(', ')}`);
  }
  out.push('', 'Messages');
  for (const [mid, text] of Object.entries(d.messages)) out.push(`  ${mid}: ${text}`);
  return `${out.join('\n')}\n`;
}

function wrap(text: string, width = 96): string {
  const words = text.trim().split(/\s+/);
  const lines: string[] = [];
  let line = ' ';
  for (const w of words) {
    if (line.length + w.length + 1 > width) {
      lines.push(line);
      line = ' ';
    }
    line += ` ${w}`;
  }
  lines.push(line);
  return lines.join('\n');
}
