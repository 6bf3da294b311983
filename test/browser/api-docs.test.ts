import type { Page } from 'playwright-core';
import { listOperations, loadContract } from '../../scripts/contract/contract-document';
import { ALL_CODES, problemCatalog, problemExamples } from '../../scripts/contract/problem-codes';
import { startDocsServer, type DocsServer } from './docs-server';
import { launchChromium, type HeadlessChromium } from './headless-chromium';

/** GET /docs and /docs/problems in real headless Chromium. */
describe('the API docs in a browser', () => {
  const contract = loadContract();
  let docs: DocsServer;
  let browser: HeadlessChromium;
  let page: Page;
  const foreignRequests: string[] = [];

  beforeAll(async () => {
    docs = await startDocsServer();
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on('request', (request) => {
      if (!request.url().startsWith(docs.url) && !request.url().startsWith('data:')) foreignRequests.push(request.url());
    });
  });
  afterAll(async () => {
    await browser?.close();
    await docs?.stop();
  });

  describe('given GET /docs', () => {
    beforeAll(async () => {
      await page.goto(`${docs.url}/docs`);
      await page.locator('.opblock').first().waitFor({ timeout: 20_000 });
    });

    it('shows every operation of openapi.yaml', async () => {
      for (const { operationId, operation } of listOperations(contract)) {
        const tag = (operation.tags as string[])[0];
        await expect(page.locator(`#operations-${tag}-${operationId}`).isVisible()).resolves.toBe(true);
      }
    });

    it('loads nothing from outside the server (no CDN)', () => {
      expect(foreignRequests).toEqual([]);
    });

    it('links to the problem codes', async () => {
      await page.getByRole('link', { name: 'Problem codes' }).click();
      await page.waitForURL(`${docs.url}/docs/problems`);
      await expect(page.locator('section.problem').count()).resolves.toBe(problemCatalog(contract, ALL_CODES).codes.length);
    });
  });

  describe('given a problem type link', () => {
    const types = [...new Set(problemExamples(contract).map((example) => String(example.value.type)))];

    it.each(types)('%s opens its entry', async (type) => {
      await page.goto('about:blank');
      await page.goto(new URL(type, docs.url).href);
      const code = new URL(type, docs.url).hash.slice(1);
      const target = page.locator(':target');
      await expect(target.getAttribute('id')).resolves.toBe(code);
      await expect(target.isVisible()).resolves.toBe(true);
      await expect(target.locator('h2').textContent()).resolves.toContain(code);
      const box = await target.boundingBox();
      expect(box && box.y >= 0 && box.y < (page.viewportSize()?.height ?? 0)).toBe(true);
    });

    it('a click on a code in the index opens the same entry', async () => {
      await page.goto(`${docs.url}/docs/problems`);
      await page.locator('nav').getByRole('link', { name: 'WECHAT_TIMEOUT', exact: true }).click();
      await expect(page.locator(':target').getAttribute('id')).resolves.toBe('WECHAT_TIMEOUT');
    });
  });
});
