// The manifest linter as one lazily loaded chunk (dist/manifestsEngine.js): rules, schema tables and fixes
// load when the first YAML document is opened, never at activation.
export { defaultLintConfig, parseLintConfig } from './lintConfig';
export { ManifestIndex } from './manifestIndex';
export { matchesAnyGlob } from './globMatch';
export { ruleCatalogue } from './ruleCatalogue';
export { quickFixesFor } from './fixCatalogue';

/** Rules whose findings duplicate the Red Hat YAML extension's schema validation. */
export const schemaRuleIds: readonly string[] = ['schema-violation', 'schema-unknown-field', 'schema-unknown-kind'];
export { cursorContext, pathAtOffset } from './yamlCursor';
export { childFields, fieldAt, newestKubernetesVersion, schemaVersionFor } from './schema/schemaCatalog';
export { isBundledGroup, minorOf, tableFromClusterOpenApi } from './schema/clusterSchemas';
