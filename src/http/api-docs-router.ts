import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import express, { Router } from 'express';
import { parse } from 'yaml';
import { contractPath } from './contract';

/**
 * `GET /docs`: the contract in Swagger UI, served from the swagger-ui-dist package (no CDN), and
 * `GET /docs/problems`: one entry per problem code, the page every problem `type` (`/docs/problems#<code>`)
 * points at. Both are read from openapi.yaml once, when the router is built.
 */

interface ProblemEntry {
  status: number;
  title: string;
  meaning: string;
  action: string;
  scope?: string;
}

type Json = Record<string, unknown>;

const SWAGGER_UI_DIR = dirname(require.resolve('swagger-ui-dist/package.json'));

const escapeHtml = (text: unknown) =>
  String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/** `code` → the operations (and statuses) whose documented examples carry it. */
function operationsByCode(spec: Json): Map<string, string[]> {
  const byCode = new Map<string, string[]>();
  const resolve = (node: unknown): Json => {
    const ref = (node as Json | undefined)?.$ref;
    if (typeof ref !== 'string') return (node ?? {}) as Json;
    return resolve(
      ref
        .slice(2)
        .split('/')
        .reduce<Json>((at, key) => at[key] as Json, spec),
    );
  };
  for (const [path, item] of Object.entries((spec.paths ?? {}) as Record<string, Json>)) {
    for (const [method, operation] of Object.entries(item as Record<string, Json>)) {
      for (const [status, response] of Object.entries((operation.responses ?? {}) as Json)) {
        const media = ((resolve(response).content ?? {}) as Record<string, Json>)['application/problem+json'];
        for (const example of Object.values((media?.examples ?? {}) as Json)) {
          const code = String((resolve(example).value as Json | undefined)?.code);
          const label = `${status} ${method.toUpperCase()} ${path}`;
          if (!byCode.get(code)?.includes(label)) byCode.set(code, [...(byCode.get(code) ?? []), label]);
        }
      }
    }
  }
  return byCode;
}

/** The traveler API's codes, then the operator API's own (`AdminProblemCode`). */
function problemEntries(spec: Json): [string, ProblemEntry][] {
  const schemas = (spec.components as Json).schemas as Json;
  return ['ProblemCode', 'AdminProblemCode'].flatMap((name) =>
    Object.entries((((schemas[name] as Json | undefined) ?? {})['x-problems'] ?? {}) as Record<string, ProblemEntry>),
  );
}

const SCOPE_NOTE: Record<string, string> = {
  route: 'Answered before any operation is matched, so no operation documents it.',
  framework: 'Answered by the request validator, outside the operations.',
};

function renderEntry(code: string, entry: ProblemEntry, where: string[]): string {
  const whereText =
    where.length > 0 ? where.map((w) => `<li><code>${escapeHtml(w)}</code></li>`).join('') : `<li>${escapeHtml(SCOPE_NOTE[entry.scope ?? ''] ?? '—')}</li>`;
  return `<section class="problem" id="${escapeHtml(code)}">
  <h2><a href="#${escapeHtml(code)}">${escapeHtml(code)}</a> <span class="status">${entry.status}</span></h2>
  <p class="title">${escapeHtml(entry.title)}</p>
  <dl><dt>Meaning</dt><dd>${escapeHtml(entry.meaning)}</dd><dt>What to do</dt><dd>${escapeHtml(entry.action)}</dd>
  <dt>Answered by</dt><dd><ul>${whereText}</ul></dd></dl>
</section>`;
}

function renderProblemsPage(spec: Json): string {
  const entries = problemEntries(spec);
  const where = operationsByCode(spec);
  const title = `${String((spec.info as Json).title)}: problem codes`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
  body { font: 15px/1.5 system-ui, sans-serif; max-width: 56rem; margin: 2rem auto; padding: 0 1rem; color: #1b1b1b; }
  .problem { border: 1px solid #ddd; border-radius: 6px; padding: 0.5rem 1rem; margin: 1rem 0; scroll-margin-top: 1rem; }
  .problem:target { border-color: #1a73e8; box-shadow: 0 0 0 3px #c6dafc; }
  .status { font-size: 0.8em; background: #eee; border-radius: 4px; padding: 0 0.4em; }
  h2 { font-size: 1.1rem; margin: 0.3rem 0; } h2 a { color: inherit; text-decoration: none; }
  dt { font-weight: 600; } dd { margin: 0 0 0.4rem 0; } ul { margin: 0; padding-left: 1.2rem; }
  nav a { margin-right: 0.6rem; white-space: nowrap; }
</style></head>
<body>
<h1>${escapeHtml(title)}</h1>
<p>Every error is <code>application/problem+json</code>; branch on <code>code</code>, never on <code>detail</code>. A problem's
<code>type</code> is <code>/docs/problems#&lt;code&gt;</code> on this server. <a href="/docs">Back to the API reference</a>.</p>
<nav>${entries.map(([code]) => `<a href="#${escapeHtml(code)}">${escapeHtml(code)}</a>`).join(' ')}</nav>
${entries.map(([code, entry]) => renderEntry(code, entry, where.get(code) ?? [])).join('\n')}
</body></html>
`;
}

const SWAGGER_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>API reference</title><link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><p style="font-family: system-ui, sans-serif; margin: 1rem 2rem;"><a href="/docs/problems">Problem codes</a> · <a href="/docs/openapi.yaml">openapi.yaml</a></p>
<div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script><script src="/docs/swagger-init.js"></script></body></html>
`;

// An external script, not an inline one, so the page works under a strict Content-Security-Policy.
const SWAGGER_INIT = `window.ui = SwaggerUIBundle({ url: '/docs/openapi.json', dom_id: '#swagger-ui', deepLinking: true, docExpansion: 'list', validatorUrl: null });\n`;

export function apiDocsRouter(specFile: string = contractPath()): Router {
  const yamlText = readFileSync(specFile, 'utf8');
  const spec = parse(yamlText) as Json;
  const problemsPage = renderProblemsPage(spec);
  const router = Router();
  router.get('/docs', (_req, res) => void res.type('html').send(SWAGGER_PAGE));
  router.get('/docs/swagger-init.js', (_req, res) => void res.type('application/javascript').send(SWAGGER_INIT));
  router.get('/docs/openapi.json', (_req, res) => void res.json(spec));
  router.get('/docs/openapi.yaml', (_req, res) => void res.type('application/yaml').send(yamlText));
  router.get('/docs/problems', (_req, res) => void res.type('html').send(problemsPage));
  router.use('/docs/assets', express.static(SWAGGER_UI_DIR, { index: false }));
  return router;
}
