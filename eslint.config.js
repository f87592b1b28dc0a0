import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { areaBoundaries } from './eslint.areas.js';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'node_modules/',
      'coverage/',
      '.data/',
      'migrations/Migration*.ts',
      'examples/client/generated.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        fetch: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Decorated entity and input classes declare their fields without initialisers.
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // TypeScript itself reports undefined names, with the right globals for server and browser.
    files: ['**/*.ts'],
    rules: { 'no-undef': 'off' },
  },
  {
    files: ['tests/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  areaBoundaries,
);
