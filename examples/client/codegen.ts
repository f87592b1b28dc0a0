// graphql-codegen configuration for a TypeScript client of Ledgerline, as `graphql-codegen
// --config examples/client/codegen.ts` (@graphql-codegen/cli) reads it. The suite runs the same
// plugins with @graphql-codegen/core and checks generated.ts is what they produce.
//
// Ledgerline's scalars travel as strings: Decimal ("12.34", exact money: never parse it into a
// float), Date ("2026-01-31"), DateTime (ISO-8601 instant) and Month ("2026-01").
export const scalars = {
  Decimal: 'string',
  Date: 'string',
  DateTime: 'string',
  Month: 'string',
} as const;

const config = {
  schema: 'schema.graphql',
  documents: 'examples/client/operations.graphql',
  generates: {
    'examples/client/generated.ts': {
      plugins: ['typescript-operations', 'typed-document-node'],
      config: { scalars, enumsAsTypes: true, onlyOperationTypes: true, useTypeImports: true },
    },
  },
};

export default config;
