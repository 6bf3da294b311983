import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const PACKAGE_DIR = resolve(__dirname, '..', '..', '..', 'miniprogram-sdk');
const manifest = JSON.parse(readFileSync(join(PACKAGE_DIR, 'package.json'), 'utf8')) as Record<string, unknown>;

function filesUnder(dir: string, ext: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name), ext) : entry.name.endsWith(ext) ? [join(dir, entry.name)] : [],
  );
}

describe('the miniprogram-sdk package', () => {
  describe('given its package.json', () => {
    it('is publishable with main, types and files, and has no runtime dependencies', () => {
      expect(manifest).toMatchObject({ main: 'dist/index.js', types: 'dist/index.d.ts', files: expect.arrayContaining(['dist']) });
      expect(manifest.dependencies).toBeUndefined();
      expect(manifest.private).toBeUndefined();
    });
  });

  describe('given its sources', () => {
    const sources = filesUnder(join(PACKAGE_DIR, 'src'), '.ts');

    it('import nothing outside the package', () => {
      const imports = sources.flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1] as string));
      expect(imports.filter((spec) => !spec.startsWith('./'))).toEqual([]);
    });

    it('use no browser or Node API a mini program lacks', () => {
      const offenders = sources.filter((file) =>
        /\b(fetch|XMLHttpRequest|window|document|require|process|Buffer|crypto)\s*[.(]/.test(readFileSync(file, 'utf8')),
      );
      expect(offenders).toEqual([]);
    });
  });

  describe('given the build (npm run sdk:build, part of npm test)', () => {
    const main = join(PACKAGE_DIR, String(manifest.main));

    it('wrote the entry point and its declarations', () => {
      if (!existsSync(main)) throw new Error(`${main} is missing: run npm run sdk:build first`);
      expect(existsSync(join(PACKAGE_DIR, String(manifest.types)))).toBe(true);
      expect(existsSync(join(PACKAGE_DIR, 'dist', 'generated', 'api.d.ts'))).toBe(true);
    });

    it('exports the client from CommonJS, as WeChat DevTools loads npm packages', () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const sdk = require(main) as Record<string, unknown>;
      expect(typeof sdk.createPaymentClient).toBe('function');
      expect(typeof sdk.sandboxRequestPayment).toBe('function');
    });

    it('is ES2018: no optional chaining, nullish coalescing or logical assignment left', () => {
      const modern = filesUnder(join(PACKAGE_DIR, 'dist'), '.js').filter((file) => /\?\?|\?\.[\w([]|\|\|=|&&=/.test(readFileSync(file, 'utf8')));
      expect(modern).toEqual([]);
    });
  });
});
