/**
 * `node dist/apps/api/src/write-openapi.js <openapi.json> <schema.ts>`: the
 * one source of truth for the API, written out. The OpenAPI document the
 * controllers produce (the one the API serves at /docs/openapi.json) goes to
 * <openapi.json>, and the TypeScript types openapi-typescript makes of it to
 * <schema.ts> (libs/api-client). No Postgres, Redis or setting is needed:
 * the application is created in Nest's preview mode, which reads the
 * modules and controllers but instantiates no provider. `npm run build` and
 * `npm run openapi` run it.
 */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import openapiTS, { COMMENT_HEADER, astToString, type OpenAPI3 } from 'openapi-typescript';
import ts from 'typescript';
import { AppModule } from './app.module';
import { buildOpenApiDocument, serializeOpenApiDocument } from './openapi';

/** The document, as committed in apps/api/openapi.json. */
export async function producedDocument(): Promise<string> {
  const app = await NestFactory.create(AppModule, { preview: true, logger: false });
  try {
    return serializeOpenApiDocument(buildOpenApiDocument(app));
  } finally {
    await app.close();
  }
}

const BLOB = ts.factory.createTypeReferenceNode('Blob');
const NULL = ts.factory.createLiteralTypeNode(ts.factory.createNull());

/** The client's types, as committed in libs/api-client/src/schema.ts: files (`format: binary`) are Blobs, to upload and to download. */
export async function clientTypes(document: string): Promise<string> {
  const nodes = await openapiTS(JSON.parse(document) as OpenAPI3, {
    // A request field with a default may be left out (POST /v1/api-keys without `role` makes an editor key).
    defaultNonNullable: false,
    transform(schema) {
      if (schema.format !== 'binary') return undefined;
      return schema.nullable ? ts.factory.createUnionTypeNode([BLOB, NULL]) : BLOB;
    },
  });
  return `${COMMENT_HEADER}${astToString(nodes)}`;
}

async function main(): Promise<void> {
  const [documentFile, typesFile] = process.argv.slice(2);
  if (!documentFile || !typesFile) throw new Error('usage: write-openapi <openapi.json> <schema.ts>');
  const document = await producedDocument();
  writeFileSync(documentFile, document);
  writeFileSync(typesFile, await clientTypes(document));
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
