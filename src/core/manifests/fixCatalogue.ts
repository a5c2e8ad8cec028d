import { quoteScalar, renameUnknownField, replaceApiVersion } from './fixes/basicFixes';
import { quickFixesFor as withProviders, type FixProvider, type QuickFix } from './quickFixes';
import type { Finding, ManifestFile } from './types';

/** Rule id → its dedicated quick fixes. Every finding also gets the generic suppression fixes. */
export const fixProviders: ReadonlyMap<string, FixProvider> = new Map<string, FixProvider>([
  ['schema-unknown-field', renameUnknownField],
  ['yaml-1-1-scalar', quoteScalar],
  ['api-version-deprecated', replaceApiVersion],
]);

/** The quick fixes for a finding, dedicated ones first. */
export function quickFixesFor(file: ManifestFile, finding: Finding): QuickFix[] {
  return withProviders(file, finding, fixProviders);
}
