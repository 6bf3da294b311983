import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { apiDocsRouter } from '../../src/http/api-docs-router';
import { contractPath } from '../../src/http/contract';

export interface DocsServer {
  url: string;
  stop(): Promise<void>;
}

/** A tiny app with the docs router alone, on 127.0.0.1, as app.ts mounts it before the contract validator. */
export async function startDocsServer(): Promise<DocsServer> {
  const app = express();
  app.use(apiDocsRouter(contractPath()));
  app.use((_req, res) => void res.status(404).type('application/problem+json').json({ code: 'NOT_FOUND' }));
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}
