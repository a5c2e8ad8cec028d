// kubeadm-config.yaml as a ProvisioningFormat (core/provisioning/provisioning.ts), one document at a time: the
// ClusterConfiguration gets the spec's problems at their paths (diagnostics in the editor); the
// InitConfiguration its own. There is no cloud to create in, so `plan` points to Run over SSH. Pure.
import { ClusterDeckError } from '../../errors';
import type { ProvisioningFormat, SpecProblem } from '../provisioning';
import { buildKubeadmConfig, specFromDocuments } from './kubeadmFiles';
import { isIpAddress, validateKubeadmSpec, type KubeadmSpec } from './kubeadmSpec';

const apiVersion = 'kubeadm.k8s.io/v1beta4';

/** Where each spec field lives in the ClusterConfiguration document. */
const clusterPaths: Partial<Record<keyof KubeadmSpec, readonly string[]>> = {
  clusterName: ['clusterName'],
  controlPlaneEndpoint: ['controlPlaneEndpoint'],
  kubernetesVersion: ['kubernetesVersion'],
  podSubnet: ['networking', 'podSubnet'],
  serviceSubnet: ['networking', 'serviceSubnet'],
  dnsDomain: ['networking', 'dnsDomain'],
  extraSans: ['apiServer', 'certSANs'],
};

function kindOf(doc: unknown): string | undefined {
  if (typeof doc !== 'object' || doc === null) return undefined;
  const d = doc as { apiVersion?: unknown; kind?: unknown };
  return typeof d.apiVersion === 'string' && d.apiVersion.startsWith('kubeadm.k8s.io/') && typeof d.kind === 'string' ? d.kind : undefined;
}

export const kubeadmConfigFormat: ProvisioningFormat<KubeadmSpec> = {
  cloud: 'kubeadm',
  label: 'kubeadm config',
  matches: (doc) => kindOf(doc) === 'ClusterConfiguration' || kindOf(doc) === 'InitConfiguration',
  read(doc) {
    const d = doc as Record<string, unknown>;
    if (d.apiVersion !== apiVersion) {
      return {
        problems: [
          {
            path: ['apiVersion'],
            severity: 'error',
            message: `${String(d.apiVersion)} is not supported; migrate to ${apiVersion} with "kubeadm config migrate".`,
          },
        ],
      };
    }
    if (d.kind === 'InitConfiguration') {
      const local = (d.localAPIEndpoint ?? {}) as { advertiseAddress?: unknown; bindPort?: unknown };
      const problems: SpecProblem[] = [];
      if (local.advertiseAddress !== undefined && !(typeof local.advertiseAddress === 'string' && isIpAddress(local.advertiseAddress)))
        problems.push({
          path: ['localAPIEndpoint', 'advertiseAddress'],
          severity: 'error',
          message: 'advertiseAddress must be an IP address.',
        });
      const port = Number(local.bindPort ?? 6443);
      if (!Number.isInteger(port) || port < 1 || port > 65535)
        problems.push({ path: ['localAPIEndpoint', 'bindPort'], severity: 'error', message: 'bindPort must be 1–65535.' });
      return { problems };
    }
    const spec = specFromDocuments(d, undefined);
    const problems = validateKubeadmSpec(spec)
      .filter((i) => clusterPaths[i.field] !== undefined)
      .map((i): SpecProblem => ({ path: [...clusterPaths[i.field]!], severity: i.severity, message: i.message }));
    if (typeof d.controlPlaneEndpoint !== 'string')
      problems.push({
        path: ['controlPlaneEndpoint'],
        severity: 'warning',
        message: 'Without controlPlaneEndpoint the cluster cannot become HA later.',
      });
    return { spec, problems };
  },
  write: (spec) => buildKubeadmConfig(spec),
  plan() {
    throw new ClusterDeckError(
      'invalid',
      'A kubeadm cluster is created on your own machines: use "Run kubeadm Bootstrap over SSH…" or run bootstrap-control-plane.sh there.',
    );
  },
};
