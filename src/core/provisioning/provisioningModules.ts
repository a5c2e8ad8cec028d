// The clouds' provisioning modules (one line per cloud; src/core/provisioning/<cloud>/index.ts).
import type { CatalogEntry } from './provisioningCatalog';

export function catalogModules(): readonly CatalogEntry[] {
  return [];
}
