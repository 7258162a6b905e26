/** The db core's public surface: connections, discovery, the embedded database, EXPLAIN. */
export * from './profile';
export * from './provider';
export * from './readOnly';
export * from './errors';
export * from './connect';
export * from './discovery';
export { openEmbedded, embeddedBuildCount, migrationsKey, defaultCacheDir, type EmbeddedDatabase, type EmbeddedBuildOptions, type MigrationIssue } from './embedded';
export * from './explainTarget';
export * from './explain';
export { EmbeddedService, type EmbeddedServiceOptions } from './embeddedService';
export * from './database';
