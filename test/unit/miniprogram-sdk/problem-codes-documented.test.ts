import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadContract } from '../../../scripts/contract/contract-document';
import { checkProblemCodes, problemCatalog, problemCodesInSource } from '../../../scripts/contract/problem-codes';
import { PROBLEM_GUIDANCE } from '../../../miniprogram-sdk/src';

describe('problem codes', () => {
  const contract = loadContract();

  describe('given the server source and openapi.yaml', () => {
    it('every code used in src/ is in ProblemCode, with its status and a documented example', () => {
      expect(checkProblemCodes(contract)).toEqual([]);
    });

    it('the scan finds the codes of the error factories and of the error handler', () => {
      const codes = problemCodesInSource().map((found) => found.code);
      expect(codes).toEqual(
        expect.arrayContaining(['ORDER_NOT_FOUND', 'PAYMENT_IN_PROGRESS', 'WECHAT_TIMEOUT', 'VALIDATION_FAILED', 'INTERNAL', 'UNSUPPORTED_MEDIA_TYPE']),
      );
    });
  });

  describe('given a code added in src/ without documentation', () => {
    it('the check names it, wherever the file sits', () => {
      const dir = mkdtempSync(join(tmpdir(), 'problem-codes-'));
      mkdirSync(join(dir, 'somewhere', 'deeper'), { recursive: true });
      writeFileSync(
        join(dir, 'somewhere', 'deeper', 'seat-map.ts'),
        "export const seatTaken = () => new AppError(409, 'SEAT_TAKEN', 'Seat taken', 'Pick another seat.');\n",
      );
      const problems = checkProblemCodes(contract, [...problemCodesInSource(), ...problemCodesInSource(dir)]);
      expect(problems).toEqual([expect.stringContaining('SEAT_TAKEN')]);
    });
  });

  describe('given a documented code without an example', () => {
    it('the check fails', () => {
      const withoutExamples = structuredClone(contract);
      const responses = (withoutExamples.components as { responses: Record<string, unknown> }).responses;
      delete responses.WechatTimeout;
      const paths = withoutExamples.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>;
      for (const item of Object.values(paths)) for (const operation of Object.values(item)) delete operation.responses?.['504'];
      expect(checkProblemCodes(withoutExamples)).toEqual([expect.stringMatching(/^WECHAT_TIMEOUT .* no documented example/)]);
    });
  });

  describe('given the mini program SDK', () => {
    it('has guidance for exactly the contract codes plus its own NETWORK_ERROR and UNEXPECTED_RESPONSE', () => {
      expect(Object.keys(PROBLEM_GUIDANCE).sort()).toEqual([...problemCatalog(contract).codes, 'NETWORK_ERROR', 'UNEXPECTED_RESPONSE'].sort());
    });
  });
});
