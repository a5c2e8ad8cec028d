import { quoteScalar, renameUnknownField, replaceApiVersion } from './fixes/basicFixes';
import {
  addCpuRequest,
  addLivenessProbe,
  addMemoryLimit,
  addMemoryRequest,
  addReadinessProbe,
  hardenSecurityContext,
  setPullPolicyAlways,
} from './fixes/containerFixes';
import {
  addJobTtl,
  alignTemplateLabels,
  dropMinAvailable,
  fixMilliBytes,
  fixPortName,
  fixRemovedApiVersion,
  fixRestartPolicy,
  fixTargetPort,
  removeEarlierDuplicate,
  renameServiceAccountField,
  repairQuantity,
  setHpaMinTwo,
  setReplicasTwo,
  swapHpaBounds,
} from './fixes/objectFixes';
import { quickFixesFor as withProviders, type FixProvider, type QuickFix } from './quickFixes';
import type { Finding, ManifestFile } from './types';

/** Rule id → its dedicated quick fixes. Every finding also gets the generic suppression fixes. */
export const fixProviders: ReadonlyMap<string, FixProvider> = new Map<string, FixProvider>([
  ['container-missing-cpu-request', addCpuRequest],
  ['container-missing-memory-request', addMemoryRequest],
  ['container-missing-memory-limit', addMemoryLimit],
  ['container-missing-readiness-probe', addReadinessProbe],
  ['container-missing-liveness-probe', addLivenessProbe],
  ['container-privileged', hardenSecurityContext],
  ['container-privilege-escalation', hardenSecurityContext],
  ['container-may-run-as-root', hardenSecurityContext],
  ['container-writable-root-fs', hardenSecurityContext],
  ['container-net-raw-not-dropped', hardenSecurityContext],
  ['image-pull-policy-not-always', setPullPolicyAlways],
  ['restart-policy-invalid', fixRestartPolicy],
  ['service-target-port-unmatched', fixTargetPort],
  ['job-missing-ttl', addJobTtl],
  ['deprecated-service-account-field', renameServiceAccountField],
  ['hpa-min-exceeds-max', swapHpaBounds],
  ['selector-template-mismatch', alignTemplateLabels],
  ['deployment-single-replica', setReplicasTwo],
  ['hpa-min-replicas-below-2', setHpaMinTwo],
  ['yaml-duplicate-key', removeEarlierDuplicate],
  ['quantity-invalid', repairQuantity],
  ['memory-quantity-suspicious', fixMilliBytes],
  ['api-version-removed', fixRemovedApiVersion],
  ['api-version-deprecated', replaceApiVersion],
  ['port-name-invalid', fixPortName],
  ['pdb-invalid-policy', dropMinAvailable],
  ['schema-unknown-field', renameUnknownField],
  ['yaml-1-1-scalar', quoteScalar],
]);

/** The quick fixes for a finding, dedicated ones first. */
export function quickFixesFor(file: ManifestFile, finding: Finding): QuickFix[] {
  return withProviders(file, finding, fixProviders);
}
