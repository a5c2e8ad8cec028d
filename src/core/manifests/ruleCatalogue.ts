import type { Rule } from './rule';
import { apiVersionRules } from './rules/apiVersionRules';
import { autoscalingRules } from './rules/autoscalingRules';
import { availabilityRules } from './rules/availabilityRules';
import { imageRules } from './rules/imageRules';
import { jobRules } from './rules/jobRules';
import { metadataRules } from './rules/metadataRules';
import { networkRules } from './rules/networkRules';
import { parseRules } from './rules/parseRules';
import { probeRules } from './rules/probeRules';
import { provisioningRules } from './rules/provisioningRules';
import { rbacRules } from './rules/rbacRules';
import { resourceRules } from './rules/resourceRules';
import { schemaRules } from './rules/schemaRules';
import { securityRules } from './rules/securityRules';
import { veleroRules } from './rules/veleroRules';
import { yamlRules } from './rules/yamlRules';

/** Every rule of the catalogue, in documentation order (lint-rules.md §2). */
export const ruleCatalogue: readonly Rule[] = [
  ...resourceRules,
  ...probeRules,
  ...imageRules,
  ...securityRules,
  ...availabilityRules,
  ...networkRules,
  ...autoscalingRules,
  ...jobRules,
  ...metadataRules,
  ...rbacRules,
  ...apiVersionRules,
  ...schemaRules,
  ...yamlRules,
  ...parseRules,
  ...veleroRules,
  ...provisioningRules,
];
