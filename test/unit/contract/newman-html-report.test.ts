import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findOffHostReferences } from '../../../scripts/contract/off-host-references';
import { HTML_REPORT_TEMPLATE, runNewman } from '../../../scripts/contract/run-newman';

const htmlextraDefaultTemplate = require.resolve('newman-reporter-htmlextra/lib/dashboard-template.hbs');

/** One request with one passing and one failing assertion, against a server on 127.0.0.1. */
function collection(url: string) {
  const test = [
    'pm.test("status is 200", () => pm.response.to.have.status(200));',
    'pm.test("body says ok", () => pm.expect(pm.response.json().status).to.eql("ready"));',
  ];
  return {
    info: { name: 'report check', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
    item: [{ name: 'GET /healthz', request: { method: 'GET', url }, event: [{ listen: 'test', script: { exec: test } }] }],
  };
}

describe('the Newman HTML report', () => {
  let server: Server;
  let url: string;
  let dir: string;
  beforeAll(async () => {
    server = createServer((_req, res) => res.setHeader('content-type', 'application/json').end('{"status":"ok"}'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/healthz`;
    dir = mkdtempSync(join(tmpdir(), 'newman-report-'));
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  const run = (file: string, template?: string) =>
    runNewman(
      'report',
      { collection: collection(url), reporters: ['htmlextra'], reporter: { htmlextra: { export: file, ...(template ? { template } : {}) } } },
      false,
    );

  it('is written with the local template: no stylesheet, script or font from another host, and the results are in it', async () => {
    const file = join(dir, 'local.html');
    const outcome = await run(file);
    const html = readFileSync(file, 'utf8');
    expect(findOffHostReferences(html)).toEqual([]);
    expect(html).toContain('GET /healthz');
    expect(html).toContain('1 passed, 1 failed');
    expect(html).toContain('expected &#x27;ok&#x27; to deeply equal &#x27;ready&#x27;');
    expect(outcome.problems).toEqual(["GET /healthz: body says ok: expected 'ok' to deeply equal 'ready'"]);
  });

  it("fails the run when a report links another host, as htmlextra's own template does", async () => {
    const file = join(dir, 'cdn.html');
    const outcome = await run(file, htmlextraDefaultTemplate);
    const offHost = outcome.problems.filter((problem) => problem.includes('the report must work offline'));
    expect(offHost.length).toBeGreaterThan(5);
    expect(offHost.join('\n')).toMatch(/loads https:\/\/stackpath\.bootstrapcdn\.com\/bootstrap\/[\d.]+\/css\/bootstrap\.min\.css/);
  });

  it('the template itself references nothing off-host', () => {
    expect(findOffHostReferences(readFileSync(HTML_REPORT_TEMPLATE, 'utf8'))).toEqual([]);
  });

  it('finds off-host stylesheets, scripts, images and CSS imports, and leaves plain links and local files alone', () => {
    const html = [
      '<link rel="stylesheet" href="https://cdn.example/bootstrap.css">',
      "<script src='//cdnjs.example/jquery.js'></script>",
      '<img alt="" src=http://img.example/logo.png>',
      '<style>@import url("https://fonts.example/css"); .x { background: url(https://img.example/bg.png) }</style>',
      '<a href="https://developers.weixin.qq.com/">docs</a>',
      '<link rel="stylesheet" href="report.css"><script src="report.js"></script><img src="data:image/png;base64,AA==">',
    ].join('\n');
    expect(findOffHostReferences(html)).toEqual([
      'https://cdn.example/bootstrap.css',
      '//cdnjs.example/jquery.js',
      'http://img.example/logo.png',
      'https://fonts.example/css',
      'https://img.example/bg.png',
    ]);
  });
});
