import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { listOperations, loadContract, resolveRef, ROOT, type JsonObject } from '../../../scripts/contract/contract-document';
import { problemCatalog } from '../../../scripts/contract/problem-codes';

const contract = loadContract();
const read = (path: string) => readFileSync(resolve(ROOT, path), 'utf8');

function exampleNames(): string[] {
  return listOperations(contract).flatMap(({ operation }) =>
    Object.values(operation.responses as JsonObject).flatMap((ref) => {
      const content = Object.values((resolveRef(contract, ref).content ?? {}) as Record<string, JsonObject>)[0];
      return Object.keys((content?.examples ?? {}) as JsonObject);
    }),
  );
}

describe('the READMEs', () => {
  describe("given the main README's mock table", () => {
    const readme = read('README.md');
    const table = readme.slice(readme.indexOf('**Against the mock.**'), readme.indexOf('**Against the real server'));

    it.each([...new Set(exampleNames())])('names the example %s', (name) => {
      expect(table).toMatch(new RegExp(`example=${name}\\b|\`${name}\``));
    });
  });

  describe("given the SDK README's error table", () => {
    const readme = read('miniprogram-sdk/README.md');

    it.each([...problemCatalog(contract).codes, 'NETWORK_ERROR', 'UNEXPECTED_RESPONSE'])('has a row for %s', (code) => {
      expect(readme).toMatch(new RegExp(`^\\| \`${code}\` \\|`, 'm'));
    });
  });
});
