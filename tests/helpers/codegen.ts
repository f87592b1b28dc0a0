import { readFile } from 'node:fs/promises';
import { codegen } from '@graphql-codegen/core';
import * as typedDocumentNode from '@graphql-codegen/typed-document-node';
import * as typescriptOperations from '@graphql-codegen/typescript-operations';
import { buildSchema, parse } from 'graphql';

const PLUGINS: Record<string, unknown> = {
  'typescript-operations': typescriptOperations,
  'typed-document-node': typedDocumentNode,
};

interface CliConfig {
  schema: string;
  documents: string;
  generates: Record<string, { plugins: string[]; config: Record<string, unknown> }>;
}

/**
 * What `graphql-codegen --config <config>` writes, file by file, computed with
 * @graphql-codegen/core and the plugins the config names (the CLI itself pulls in packages
 * that want Node 22). Paths are relative to the repository root, as in the config.
 */
export async function runCodegen(config: CliConfig): Promise<Record<string, string>> {
  const schema = buildSchema(await readFile(config.schema, 'utf8'));
  const document = parse(await readFile(config.documents, 'utf8'));
  const output: Record<string, string> = {};
  for (const [filename, target] of Object.entries(config.generates)) {
    output[filename] = await codegen({
      filename,
      schema: parse(await readFile(config.schema, 'utf8')),
      schemaAst: schema,
      documents: [{ location: config.documents, document }],
      config: target.config,
      plugins: target.plugins.map((name) => ({ [name]: {} })),
      pluginMap: Object.fromEntries(target.plugins.map((name) => [name, PLUGINS[name]])) as never,
    });
  }
  return output;
}
