import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { OrglintError, parseYaml, validateRuleDocument, type Catalogue, type LoadedRule } from '@orglint/core';

/** The folder of the built-in rule files: `<id>.yaml`, each beside its `<id>.cases.yaml` table. */
export const CATALOGUE_DIR = new URL('../catalogue/', import.meta.url);

const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/**
 * The catalogue as loaded at run time: every rule file, already validated, in one JSON file.
 * Parsing 30 YAML files and validating them costs a scan more than evaluating thousands of
 * resources; `pnpm gen:catalogue` writes the snapshot and a test fails when it is stale.
 */
export const CATALOGUE_SNAPSHOT = new URL('../generated/catalogue.json', import.meta.url);

let cached: Catalogue | undefined;

/** The built-in rules, from the snapshot of `catalogue/*.yaml`. */
export function loadCatalogue(): Catalogue {
  cached ??= JSON.parse(readFileSync(CATALOGUE_SNAPSHOT, 'utf8')) as Catalogue;
  return cached;
}

/**
 * Reads every built-in rule from its YAML file, validated against the rule schema. The catalogue
 * version is the package version plus a digest of the rule files, so a changed rule changes the version.
 */
export function readCatalogueSources(): Catalogue {
  const digest = createHash('sha256');
  const rules: LoadedRule[] = [];
  for (const name of readdirSync(CATALOGUE_DIR).filter((f) => f.endsWith('.yaml') && !f.endsWith('.cases.yaml')).sort()) {
    const url = new URL(name, CATALOGUE_DIR);
    const text = readFileSync(url, 'utf8');
    digest.update(name).update('\0').update(text);
    const file = `catalogue/${name}`;
    const definition = validateRuleDocument(parseYaml(text, file, 'rule'));
    if (`${definition.id}.yaml` !== name) {
      throw new OrglintError('invalid-rule', `${file}: the rule id "${definition.id}" must equal the file name; rename the file or the id.`);
    }
    rules.push({ definition, origin: 'builtin', file, line: 1 });
  }
  return { version: `${VERSION}+${digest.digest('hex').slice(0, 12)}`, rules };
}

/** The snapshot's text for a catalogue read from its sources. */
export function catalogueSnapshot(catalogue: Catalogue): string {
  return `${JSON.stringify(catalogue, null, 1)}\n`;
}

export { loadCaseTable, runCase, outcomeOf, CASE_ACCOUNTS, BASE_POLICY, type CaseTable, type RuleCase, type Expectation } from './cases.js';
export { renderRuleDoc } from './docs.js';
