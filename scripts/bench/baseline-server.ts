/**
 * The two baselines the API is compared with, in the same run and under the same load (argv[2]):
 * - `raw`: node:http and one indexed pg query, the floor the database sets;
 * - `express`: Express 5 + express-openapi-validator on openapi.yaml + jsonwebtoken HS256 verify + the same query.
 * Listens on 127.0.0.1 (BENCH_BASELINE_PORT, 0 for any) and prints `listening <port>`.
 */
import express, { type ErrorRequestHandler } from 'express';
import * as OpenApiValidator from 'express-openapi-validator';
import jwt from 'jsonwebtoken';
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import pg from 'pg';

const QUERY = 'select status, lock_expire_at from orders where id = $1 and user_id = $2';
const STATUS_PATH = /^\/payments\/([0-9a-f-]{36})\/status$/;

const databaseUrl = process.env.DATABASE_URL as string;
const jwtSecret = process.env.JWT_SECRET as string;
const pool = new pg.Pool({ connectionString: databaseUrl, max: Number(process.env.DATABASE_POOL_MAX ?? 20) });

async function readStatus(orderId: string, userId: string): Promise<{ status: string; lock_expire_at: string } | undefined> {
  const { rows } = await pool.query<{ status: string; lock_expire_at: Date }>({ name: 'status', text: QUERY, values: [orderId, userId] });
  const row = rows[0];
  return row ? { status: row.status, lock_expire_at: row.lock_expire_at.toISOString() } : undefined;
}

/** The floor: the user id is read from the token without verifying it; one query; JSON out. */
function rawListener(): RequestListener {
  return (req, res) => {
    const orderId = STATUS_PATH.exec(req.url ?? '')?.[1];
    const payload = (req.headers.authorization ?? '').split('.')[1];
    if (!orderId || !payload) {
      res.writeHead(404).end();
      return;
    }
    const userId = (JSON.parse(Buffer.from(payload, 'base64url').toString()) as { sub: string }).sub;
    readStatus(orderId, userId).then(
      (answer) => {
        if (!answer) res.writeHead(404).end();
        else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
      },
      () => res.writeHead(500).end(),
    );
  };
}

/** The usual stack: what an Express service with contract validation and a JWT library costs. */
function expressListener(): RequestListener {
  const app = express();
  app.use(express.json({ limit: '16kb' }));
  app.use(
    OpenApiValidator.middleware({
      apiSpec: resolve(__dirname, '../../openapi.yaml'),
      validateRequests: { allowUnknownQueryParameters: false },
      validateResponses: false,
      validateSecurity: {
        handlers: {
          bearerAuth: (req) => {
            const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
            const claims = jwt.verify(token, jwtSecret, { algorithms: ['HS256'], issuer: 'wechat-payment-session', audience: 'mini-program' });
            (req as unknown as { userId: string }).userId = String((claims as jwt.JwtPayload).sub);
            return true;
          },
        },
      },
      ignorePaths: /^\/payments\/wechat\/notify$/,
    }),
  );
  app.get('/payments/:orderId/status', async (req, res) => {
    const answer = await readStatus(req.params.orderId, (req as unknown as { userId: string }).userId);
    if (!answer) res.status(404).json({ code: 'ORDER_NOT_FOUND' });
    else res.json(answer);
  });
  const errors: ErrorRequestHandler = (err: { status?: number }, _req, res, _next) => {
    res.status(err.status ?? 500).json({ code: 'ERROR' });
  };
  app.use(errors);
  return app as unknown as RequestListener;
}

const kind = process.argv[2];
if (kind !== 'raw' && kind !== 'express') throw new Error('usage: baseline-server.ts raw|express');
const server = createServer(kind === 'raw' ? rawListener() : expressListener());
server.listen(Number(process.env.BENCH_BASELINE_PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`);
});
const stop = () => server.close(() => void pool.end().then(() => process.exit(0)));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
