import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from './main.js';

/**
 * Every example organisation under examples/ is scanned as a user would scan it, and must give
 * exactly the findings planted in its estate: expected.json lists every fail, error and waived
 * result as { rule, resource, status }, sorted. A new finding, a lost one or a changed status
 * fails the test, so the examples stay honest as rules change.
 */
const root = new URL('../../../', import.meta.url).pathname;
const examplesDir = join(root, 'examples');
const examples = readdirSync(examplesDir, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(examplesDir, d.name, 'expected.json')))
  .map((d) => d.name)
  .sort();

interface Finding {
  readonly rule: string;
  readonly resource: string;
  readonly status: string;
}

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), stdoutIsTty: false, stderrIsTty: false, env: {}, cwd: root });
  return { code, stdout, stderr };
}

const byKey = (a: Finding, b: Finding): number => {
  const ka = `${a.rule}\u0000${a.resource}\u0000${a.status}`;
  const kb = `${b.rule}\u0000${b.resource}\u0000${b.status}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
};

describe('the example organisations', () => {
  it('include the reference designs this catalogue was written for', () => {
    expect(examples).toEqual(['diagnyx', 'diverst', 'dri', 'innovate', 'set']);
  });

  describe.each(examples)('examples/%s', (name) => {
    const policy = join(examplesDir, name, 'rules.yaml');
    const estate = join(examplesDir, name, 'estate.json');
    const expected = JSON.parse(readFileSync(join(examplesDir, name, 'expected.json'), 'utf8')) as Finding[];

    it('has a policy that validates', async () => {
      const r = await run(['validate', '--policy', policy]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    });

    it('lists its planted findings sorted and once each', () => {
      expect(expected.length).toBeGreaterThan(0);
      expect([...expected].sort(byKey)).toEqual(expected);
      expect(new Set(expected.map((f) => `${f.rule} ${f.resource}`)).size).toBe(expected.length);
    });

    it('gives exactly the planted findings', async () => {
      const r = await run(['scan', '--estate', estate, '--policy', policy, '--format', 'json', '--timestamp', '2026-11-23T00:00:00Z']);
      expect(r.stderr).toBe('');
      const report = JSON.parse(r.stdout) as { results: { ruleId: string; status: string; resource: { id: string } }[] };
      const actual = report.results
        .filter((x) => x.status === 'fail' || x.status === 'error' || x.status === 'waived')
        .map((x) => ({ rule: x.ruleId, resource: x.resource.id, status: x.status }))
        .sort(byKey);
      expect(actual).toEqual(expected);
      expect(r.code).toBe(expected.some((f) => f.status === 'fail') ? 1 : expected.some((f) => f.status === 'error') ? 3 : 0);
    });
  });
});
