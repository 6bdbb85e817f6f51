import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadCaseTable, loadCatalogue, runCase, CATALOGUE_DIR, CATALOGUE_SNAPSHOT, catalogueSnapshot, readCatalogueSources, type Expectation } from './index.js';
import { renderRuleDoc } from './docs.js';

const catalogue = loadCatalogue();
const files = readdirSync(CATALOGUE_DIR);

describe('the catalogue', () => {
  it('is loaded from a snapshot that matches its rule files', () => {
    const fresh = catalogueSnapshot(readCatalogueSources());
    expect(readFileSync(CATALOGUE_SNAPSHOT, 'utf8') === fresh, 'packages/rules/generated/catalogue.json is stale: run pnpm gen:catalogue').toBe(true);
    expect(loadCatalogue()).toEqual(readCatalogueSources());
  });

  it('has at least the five core rules, whose ids are public contract', () => {
    const ids = catalogue.rules.map((r) => r.definition.id);
    for (const id of ['iam-user-mfa', 'no-workloads-in-management', 'kms-environment-isolation', 'backup-retention', 'no-real-data-in-nonprod']) {
      expect(ids).toContain(id);
    }
  });

  it.each(catalogue.rules.map((r) => [r.definition.id, r] as const))('%s has its case table, doc page and valid references', (id, rule) => {
    expect(files).toContain(`${id}.cases.yaml`);
    const def = rule.definition;
    expect(def.title).not.toMatch(/^Ensure|\.$/);
    if (def.deprecated) expect(catalogue.rules.map((r) => r.definition.id)).toContain(def.deprecated.replacedBy);
    const doc = new URL(`../../../docs/rules/${id}.md`, import.meta.url);
    let text = '';
    try {
      text = readFileSync(doc, 'utf8');
    } catch {
      throw new Error(`docs/rules/${id}.md is missing; run pnpm docs:rules`);
    }
    expect(text, `docs/rules/${id}.md is stale; run pnpm docs:rules`).toBe(renderRuleDoc(def));
  });

  it('has no case table without a rule', () => {
    const ids = new Set(catalogue.rules.map((r) => r.definition.id));
    for (const f of files.filter((x) => x.endsWith('.cases.yaml'))) expect(ids).toContain(f.replace('.cases.yaml', ''));
  });
});

for (const rule of catalogue.rules) {
  const id = rule.definition.id;
  const table = loadCaseTable(new URL(`${id}.cases.yaml`, CATALOGUE_DIR), `catalogue/${id}.cases.yaml`);

  describe(`rule ${id}`, () => {
    it('has a table for itself that starts from the empty estate, with passing and failing cases', () => {
      expect(table.rule).toBe(id);
      expect(Object.keys(table.cases[0]?.estate.resources ?? [])).toHaveLength(0);
      const outcomes = table.cases.flatMap((c) => Object.values(c.expect));
      expect(outcomes).toContain('pass');
      expect(outcomes.some((o) => typeof o === 'object')).toBe(true);
      if (rule.definition.when) expect(outcomes).toContain('not-applicable');
    });

    it('exercises every message it can report', () => {
      const used = new Set(table.cases.flatMap((c) => Object.values(c.expect)).flatMap((o: Expectation) => (typeof o === 'object' ? [o.fail] : [])));
      expect([...used].sort()).toEqual(Object.keys(rule.definition.messages).sort());
    });

    it.each(table.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
      expect(runCase(catalogue, id, c)).toEqual(c.expect);
    });
  });
}
