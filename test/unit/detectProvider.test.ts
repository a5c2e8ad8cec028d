import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { detectProvider } from '../../src/core/kube/detectProvider';
import type { ClusterEntry, ContextEntry, UserEntry } from '../../src/core/kube/kubeconfig';

const ctx = (name: string): ContextEntry => ({ name, clusterName: name, userName: 'u', sourcePath: '/k' });
const cluster = (server: string): ClusterEntry => ({ name: 'c', server, insecureSkipTlsVerify: false, sourcePath: '/k' });
const execUser = (command: string, args: string[] = []): UserEntry => ({
  name: 'u',
  sourcePath: '/k',
  exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command, args, env: [], provideClusterInfo: false },
});

test('detects the provider from server URL, exec plugin and names', () => {
  assert.equal(detectProvider(ctx('prod'), cluster('https://ABC.gr7.eu-west-1.eks.amazonaws.com'), undefined), 'eks');
  assert.equal(detectProvider(ctx('x'), cluster('https://10.0.0.1'), execUser('aws', ['eks', 'get-token'])), 'eks');
  assert.equal(detectProvider(ctx('gke_proj_europe-west1_prod'), cluster('https://34.1.2.3'), undefined), 'gke');
  assert.equal(
    detectProvider(ctx('x'), cluster('https://34.1.2.3'), execUser('/usr/lib/google-cloud-sdk/bin/gke-gcloud-auth-plugin')),
    'gke',
  );
  assert.equal(detectProvider(ctx('x'), cluster('https://prod-dns-1a2b.hcp.westeurope.azmk8s.io:443'), undefined), 'aks');
  assert.equal(detectProvider(ctx('x'), cluster('https://10.1.1.1'), execUser('kubelogin')), 'aks');
  assert.equal(detectProvider(ctx('kind-dev'), cluster('https://127.0.0.1:40123'), undefined), 'local');
  assert.equal(detectProvider(ctx('minikube'), cluster('https://192.168.49.2:8443'), undefined), 'local');
  assert.equal(detectProvider(ctx('kubernetes-admin@kubernetes'), cluster('https://10.20.0.5:6443'), undefined), 'kubeadm');
});
