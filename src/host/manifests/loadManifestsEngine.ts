import type { ManifestsEngine } from './manifestDiagnostics';

/** Loads the linter chunk; the bundler maps this import to dist/manifestsEngine.js (scripts/build.mjs). */
export function loadManifestsEngine(): Promise<ManifestsEngine> {
  return import('../../core/manifests/manifestsEngine');
}
