// The clouds' provisioning modules (one line per cloud; src/core/provisioning/<cloud>/index.ts).
import { aksProvisioning } from './aks/index';
import { eksProvisioning } from './eks/index';
import { gkeProvisioning } from './gke/index';
import { catalogEntry, type CatalogEntry } from './provisioningCatalog';

export function catalogModules(): readonly CatalogEntry[] {
  return [catalogEntry(eksProvisioning), catalogEntry(gkeProvisioning), catalogEntry(aksProvisioning)];
}
