import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { summarise, ESTATE, HOSTILE_NAME, fixtureScan } from './fixture.js';
import { renderHtml, verdictOf } from './html.js';
import { withResults } from '../report/test-fixture.js';

describe('renderHtml', () => {
  const result = fixtureScan();
  const html = renderHtml(result, ESTATE);

  it('escapes every piece of user data: the only script element is its own', () => {
    expect(html).not.toContain(HOSTILE_NAME);
    expect(html).toContain('&lt;script&gt;window.__pwned=1&lt;/script&gt;');
    expect(html.match(/<script>/g)).toHaveLength(1);
    expect(html).not.toContain('<b>bold</b>');
  });

  it('pins its inline style and script with Content-Security-Policy hashes and loads nothing else', () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1]?.replaceAll('&#39;', "'") ?? '';
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
    const hash = (text: string): string => `sha256-${createHash('sha256').update(text).digest('base64')}`;
    expect(csp).toContain(`script-src '${hash(script)}'`);
    expect(csp).toContain(`style-src '${hash(style)}'`);
    expect(csp).toContain("default-src 'none'");
    expect(html).not.toMatch(/\s(src|href)="(?!#|data:)/);
    expect(html).not.toMatch(/\sstyle="/);
  });

  it('gives the same bytes for the same input', () => {
    expect(renderHtml(fixtureScan(), ESTATE)).toBe(html);
  });

  it('says pass, incomplete or fail', () => {
    expect(verdictOf(result)).toBe('fail');
    const noFails = result.results.filter((r) => r.status !== 'fail');
    expect(verdictOf({ ...withResults(result, noFails), summary: summarise(noFails, 5) })).toBe('incomplete');
    const clean = noFails.filter((r) => r.status !== 'error');
    const cleanResult = { ...withResults(result, clean), summary: summarise(clean, 5) };
    expect(verdictOf(cleanResult)).toBe('pass');
    expect(renderHtml(cleanResult, ESTATE)).toContain('<strong class="verdict-word">PASS</strong> <span data-testid="verdict-sentence">Every check that applies passes.</span>');
  });

  it('lists accounts that results name but the estate does not', () => {
    const stray = withResults(result, result.results.slice(0, 1).map((r) => ({ ...r, resource: { ...r.resource, account: '999999999999', accountName: 'gone' } })));
    expect(renderHtml(stray, ESTATE)).toMatch(/Accounts not in the organisation listing[\s\S]*data-testid="account-999999999999" data-status="fail"/);
  });
});
