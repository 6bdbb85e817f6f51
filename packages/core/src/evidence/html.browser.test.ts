/**
 * The HTML report in a real headless Chromium (Debian's `chromium` driven by playwright-core):
 * it loads offline with no request but the file itself, no console or page error, shows the
 * scan's counts, shows a `<script>` in a resource name as text without running it, filters on
 * screen, prints everything, and leaves a screenshot and a PDF in `test-artifacts/`.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Status } from '../model.js';
import { SEVERITIES, STATUSES } from '../model.js';
import { compareWithBaseline } from '../report/baseline.js';
import { ESTATE, HOSTILE_NAME, UNICODE_ACCOUNT_NAME, fixtureScan, jsonReport } from './fixture.js';
import { renderHtml } from './html.js';
import { withResults } from '../report/test-fixture.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const inCi = process.env.CI === 'true';
if (!hasChromium && !inCi) {
  console.warn(`\n!!! ${CHROMIUM} is missing: the HTML report's browser test is SKIPPED. Install it with \`apt-get install -y chromium\`. !!!\n`);
}

const ARTIFACTS = fileURLToPath(new URL('../../../../test-artifacts/', import.meta.url));

describe.skipIf(!hasChromium && !inCi)('HTML report in headless Chromium', () => {
  const result = fixtureScan();
  const trail = result.results.find((r) => r.resource.name === 'org-trail');
  const paymentsDb = result.results.find((r) => r.resource.name === 'payments-db');
  if (!trail || !paymentsDb) throw new Error('fixture changed');
  const baseline = { ...withResults(result, [paymentsDb, { ...trail, status: 'fail' as const }]), generatedAt: '2026-11-22T02:00:00.000Z' };
  const diff = compareWithBaseline(result, jsonReport(baseline), 'last-night.json');
  const html = renderHtml(result, ESTATE, { diff, warnExpiringDays: 30 });
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = `${ARTIFACTS}report.html`;
  writeFileSync(file, html);
  const fileUrl = pathToFileURL(file).href;

  let browser: Browser;
  let page: Page;
  const requests: string[] = [];
  const blocked: string[] = [];
  const consoleProblems: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!hasChromium) throw new Error(`${CHROMIUM} is missing and CI=true: install it with \`apt-get install -y chromium\`.`);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.route('**/*', async (route) => {
      const url = route.request().url();
      if (url === fileUrl) return route.continue();
      blocked.push(url);
      return route.abort();
    });
    page = await context.newPage();
    page.on('request', (request) => requests.push(request.url()));
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') consoleProblems.push(`${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(fileUrl, { waitUntil: 'load' });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('loads offline: no request but the file itself, no console message of error or warning, no page error', () => {
    expect(requests).toEqual([fileUrl]);
    expect(blocked).toEqual([]);
    expect(consoleProblems).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('opens on the verdict line with the scan counts', async () => {
    expect(await page.getAttribute('[data-testid=verdict]', 'data-verdict')).toBe('fail');
    expect(await page.textContent('[data-testid=verdict-sentence]')).toBe(
      '6 checks fail (1 critical, 2 high, 1 medium, 2 low), and 2 checks could not be evaluated.',
    );
    for (const status of STATUSES) {
      const shown = await page.textContent(`[data-testid=count-${status}] .n`);
      expect(Number(shown), status).toBe(result.summary.byStatus[status]);
    }
    for (const severity of SEVERITIES) {
      expect(Number(await page.textContent(`[data-testid=failures-${severity}]`)), severity).toBe(result.summary.failuresBySeverity[severity]);
    }
    const newFails = result.results.filter((r) => r.status === 'fail' && diff.changes[r.fingerprint] === 'new').length;
    expect(await page.textContent('[data-testid=count-new]')).toBe(`${newFails} new failures and ${diff.resolved.length} resolved since the baseline last-night.json of 2026-11-22T02:00:00.000Z.`);
    expect(await page.textContent('[data-testid=policy-sha256]')).toBe(`SHA-256 ${result.policy.sha256}`);
  });

  it('lists every finding, pass, coverage gap and waiver the scan has', async () => {
    const count = (status: Status): number => result.results.filter((r) => r.status === status).length;
    expect(await page.locator('[data-testid=finding]').count()).toBe(count('fail') + count('error') + count('waived'));
    expect(await page.locator('[data-testid=pass-row]').count()).toBe(count('pass') + count('not-applicable'));
    expect(await page.locator('[data-testid=coverage-gap]').count()).toBe(result.coverageGaps.length);
    expect(await page.locator('[data-testid=waiver][data-state=expired]').count()).toBe(1);
    expect(await page.locator('[data-testid=waiver][data-state=unused]').count()).toBe(1);
    expect(await page.locator('[data-testid=waiver][data-expiring=true]').count()).toBe(1);
    expect(await page.locator('[data-testid=resolved]').count()).toBe(diff.resolved.length);
    const payments = page.locator(`[data-testid=finding][data-fingerprint="${paymentsDb.fingerprint}"]`);
    await expect(payments.innerText()).resolves.toMatch(/Observed\s+1\s+Expected\s+35/);
  });

  it('shows each account with the worst outcome of its results in the organisation tree', async () => {
    const statusOf = (id: string): Promise<string | null> => page.getAttribute(`[data-testid=account-${id}]`, 'data-status');
    await expect(statusOf('111111111111')).resolves.toBe('pass');
    await expect(statusOf('222222222222')).resolves.toBe('pass');
    await expect(statusOf('333333333333')).resolves.toBe('fail');
    await expect(statusOf('444444444444')).resolves.toBe('fail');
    await expect(statusOf('555555555555')).resolves.toBe('error');
    await expect(page.getAttribute('[data-ou-path="/Suspended"]', 'data-status')).resolves.toBe('none');
    await expect(page.getAttribute('[data-ou-path="/Workloads"]', 'data-status')).resolves.toBe('fail');
    await expect(page.innerText('[data-testid=account-444444444444]')).resolves.toContain(UNICODE_ACCOUNT_NAME);
    await expect(page.innerText('[data-testid=account-555555555555]')).resolves.toContain('sandbox <b>bold</b>');
  });

  it('shows a <script> in a resource name as text and does not run it', async () => {
    expect(await page.evaluate('typeof window.__pwned')).toBe('undefined');
    expect(await page.locator('script').count()).toBe(1);
    expect(await page.locator('b, i').count()).toBe(0);
    const names = await page.locator('.resource-name').allInnerTexts();
    expect(names).toContain(HOSTILE_NAME);
  });

  it('filters findings on screen and still prints every one', async () => {
    const visible = (): Promise<number> => page.locator('[data-testid=finding]:visible').count();
    const all = await visible();
    await page.getByLabel('fail', { exact: true }).uncheck();
    expect(await visible()).toBe(all - result.summary.byStatus.fail);
    expect(await page.textContent('[data-testid=filter-count]')).toBe(`${all - result.summary.byStatus.fail} shown`);
    await page.getByLabel('Search').fill('sandbox-key');
    expect(await visible()).toBe(1);
    await page.emulateMedia({ media: 'print' });
    expect(await visible()).toBe(all);
    expect(await page.locator('#filter').isVisible()).toBe(false);
    const pdf = await page.pdf({ path: `${ARTIFACTS}report.pdf`, format: 'A4', printBackground: true });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await page.emulateMedia({ media: 'screen' });
    await page.getByLabel('Search').fill('');
    await page.getByLabel('fail', { exact: true }).check();
    expect(await visible()).toBe(all);
    await page.screenshot({ path: `${ARTIFACTS}report.png`, fullPage: true });
    expect(consoleProblems).toEqual([]);
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
