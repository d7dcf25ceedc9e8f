/**
 * `node dist/apps/api/src/write-openapi.js <file>`: writes the OpenAPI
 * document the controllers produce (the one the API serves at
 * /docs/openapi.json) to <file>, without Postgres, Redis or any setting:
 * the application is created in Nest's preview mode, which reads the
 * modules and controllers but instantiates no provider. `npm run build`
 * runs it (then openapi-typescript, for libs/api-client).
 */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { buildOpenApiDocument, serializeOpenApiDocument } from './openapi';

async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file) throw new Error('usage: write-openapi <file>');
  const app = await NestFactory.create(AppModule, { preview: true, logger: false });
  try {
    writeFileSync(file, serializeOpenApiDocument(buildOpenApiDocument(app)));
  } finally {
    await app.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
