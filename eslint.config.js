const js = require('@eslint/js');
const tseslint = require('typescript-eslint');

module.exports = tseslint.config(
  {
    ignores: [
      'dist/',
      'generated/',
      'node_modules/',
      'reports/',
      '.data/',
      'coverage/',
      'miniprogram-sdk/dist/',
      'miniprogram-sdk/src/generated/',
      'examples/miniprogram/miniprogram_npm/',
      'examples/miniprogram/node_modules/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration through src/config/env.ts.' }],
    },
  },
  { files: ['src/config/env.ts', 'test/**', 'scripts/**', '*.js'], rules: { 'no-restricted-properties': 'off' } },
  {
    files: ['*.js', 'test/**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly', process: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
