/**
 * # Prisma analysis — API
 *
 * ```ts
 * parsePrismaFile(path, text)      // PrismaFile: models/fields/attributes with 0-based line / UTF-16 column ranges
 * buildSchemas(files)              // PrismaSchema[]: multi-file grouping, @@map/@map/@@schema names, _AToB join tables
 * lintPrisma({ files, sql, sqlFiles, config, now })   // Finding[] (same Finding/Fix types as the SQL analyzer)
 * findPrismaSchemaFiles(folder)    // schema.prisma, prisma/schema.prisma, prisma/schema/**.prisma
 * optimizeModelQuery(file, model, sqlModel) / reviewSchemaQuery(files)   // `@prisma …` chat queries
 * ```
 * The `Analyzer` (core/analysis, above this folder) takes .prisma paths in `setFile` too and merges these findings into
 * `findings()`, so the editor and `dbe lint` need nothing else. Rules: `rules/<id>.ts`, one per file.
 *
 * Prisma's own validation (`@prisma/prisma-schema-wasm`'s `lint`) is not bundled: it is a 3.2 MB wasm (0.95 MB
 * packed) that duplicates what the Prisma extension and `prisma validate` already show, while these rules need
 * only names, attributes and positions. A file our parser cannot read becomes one `prisma-parse-error` warning.
 */
export { parsePrismaFile, ensurePrismaParser, isPrismaPath, toRange, type PrismaFile, type PrismaModel, type PrismaField, type PrismaAttribute } from './parse';
export { buildSchemas, tableOf, columnOf, type PrismaSchema, type ResolvedModel, type JoinTable, type TableName } from './schema';
export { lintPrisma, modelAt, PRISMA_PARSE_ERROR } from './lint';
export { prismaRules } from './rules';
export { findPrismaSchemaFiles, prismaMigrationFolders } from './files';
export { optimizeModelQuery, reviewSchemaQuery, modelText } from './prompts';
export { addIndexEdit, enableRlsMigrationSql } from './fixes';
export { PrismaFiles } from './workspace';
export type { PrismaRule, PrismaRuleContext } from './rule';
export { modelAtPosition } from './lookup';
