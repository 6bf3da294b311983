/**
 * `npm run mock`: Prism on 127.0.0.1:MOCK_PORT (4010), serving openapi.yaml as scripts/contract/mock-contract.ts
 * prepares it at start (examples' times relative to now; 400 before 422, as the server answers).
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { ROOT } from './contract/contract-document';
import { writeMockContract } from './contract/mock-contract';

const port = process.env.MOCK_PORT ?? '4010';
const { file } = writeMockContract(resolve(ROOT, '.data', 'mock'));
const prism = spawn(resolve(ROOT, 'node_modules', '.bin', 'prism'), ['mock', file, '-p', port, '-h', '127.0.0.1'], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => prism.kill(signal));
prism.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
