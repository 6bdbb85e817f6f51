// Regenerates docs/rules/<id>.md from the catalogue (the catalogue test fails when they are stale).
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadCatalogue, renderRuleDoc } from '@orglint/rules';

const dir = new URL('../docs/rules/', import.meta.url);
mkdirSync(dir, { recursive: true });
const rules = loadCatalogue().rules.map((r) => r.definition);
for (const d of rules) writeFileSync(new URL(`${d.id}.md`, dir), renderRuleDoc(d));
const index = ['# Rule reference', '', '| rule | severity | title |', '| --- | --- | --- |', ...rules.map((d) => `| [${d.id}](${d.id}.md) | ${d.severity} | ${d.title} |`), ''];
writeFileSync(new URL('README.md', dir), index.join('\n'));
console.log(`wrote ${rules.length} rule pages to docs/rules/`);
