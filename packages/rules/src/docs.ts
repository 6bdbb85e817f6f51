import { FRAMEWORKS, type FrameworkId, type RuleDefinition } from '@orglint/core';
import { stringify } from 'yaml';

/** The reference page of one rule, generated from its YAML so the two cannot disagree. */
export function renderRuleDoc(d: RuleDefinition): string {
  const lines = [
    `# ${d.id}`,
    '',
    `**${d.title}**`,
    '',
    `- Severity: \`${d.severity}\``,
    `- Applies to: ${d.resources.map((r) => `\`${r}\``).join(', ')}`,
    ...(d.scope?.accountRoles ? [`- Accounts: ${d.scope.accountRoles.join(', ')}`] : []),
    ...(d.deprecated ? [`- Deprecated: replaced by \`${d.deprecated.replacedBy}\``] : []),
    '',
    '## Why',
    '',
    d.rationale.trim(),
    '',
    '## How to fix',
    '',
    d.remediation.trim(),
    '',
  ];
  const params = Object.entries(d.parameters ?? {});
  if (params.length > 0) {
    lines.push('## Parameters', '', `Set under \`rules.${d.id}.parameters\` in \`rules.yaml\`.`, '', '| name | default | meaning |', '| --- | --- | --- |');
    for (const [name, p] of params) lines.push(`| \`${name}\` | \`${JSON.stringify(p.default)}\` | ${p.description} |`);
    lines.push('');
  }
  const frameworks = Object.entries(d.frameworks ?? {}) as [FrameworkId, string[]][];
  if (frameworks.length > 0) {
    lines.push('## Framework references', '', '| framework | controls |', '| --- | --- |');
    for (const [fw, controls] of frameworks) lines.push(`| ${FRAMEWORKS[fw]} | ${controls.join(', ')} |`);
    lines.push('');
  }
  lines.push('## Messages', '', '| id | text |', '| --- | --- |');
  for (const [id, text] of Object.entries(d.messages)) lines.push(`| \`${id}\` | ${text.replace(/\|/g, '\\|')} |`);
  lines.push('', '## Condition', '', 'The rule as orglint evaluates it (see docs/policy.md for the grammar):', '', '```yaml');
  lines.push(stringify({ ...(d.scope ? { scope: d.scope } : {}), ...(d.when ? { when: d.when } : {}), assert: d.assert }).trimEnd(), '```', '');
  return lines.join('\n');
}
