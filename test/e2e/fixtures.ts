// Kubeconfig fixtures for the workbench tests: real fake API servers plus contexts that must fail cleanly.
import { createServer } from 'node:net';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { FakeKube } from '../fakes/kubeApiServer';

/** A loopback port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

export interface ExplorerFixture {
  readonly kubeconfigText: string;
  readonly markerPath: string;
}

/**
 * Five contexts: fake-a (https, CA data, bearer token, demo data; current), fake-http (plain http, anonymous; the
 * workbench must list it in clusterdeck.clusters.allowPlainHttp, B14),
 * broken (nothing listening), prod-eks (an EKS entry never contacted) and exec-unapproved (an exec plugin
 * that would write a marker file if it ever ran).
 */
export async function writeExplorerFixture(dir: string, a: FakeKube, http: FakeKube, token: string): Promise<ExplorerFixture> {
  const markerPath = join(dir, 'exec-plugin-ran.marker');
  const script = join(dir, 'exec-plugin.js');
  writeFileSync(
    script,
    `require('fs').writeFileSync(${JSON.stringify(markerPath)}, 'ran');\n` +
      `process.stdout.write(JSON.stringify({kind:'ExecCredential',apiVersion:'client.authentication.k8s.io/v1beta1',status:{token:${JSON.stringify(token)}}}));\n`,
  );
  chmodSync(script, 0o755);
  const caData = Buffer.from(a.ca?.certPem ?? '').toString('base64');
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': 'fake-a',
    clusters: [
      { name: 'fake-a', cluster: { server: a.url, 'certificate-authority-data': caData } },
      { name: 'fake-http', cluster: { server: http.url, 'insecure-skip-tls-verify': true } },
      { name: 'broken', cluster: { server: `https://127.0.0.1:${await closedPort()}`, 'certificate-authority-data': caData } },
      { name: 'prod-eks', cluster: { server: 'https://4F2A9C1B7E.gr7.us-east-1.eks.amazonaws.com', 'certificate-authority-data': caData } },
      { name: 'exec-cluster', cluster: { server: a.url, 'certificate-authority-data': caData } },
    ],
    users: [
      { name: 'a-user', user: { token } },
      { name: 'anonymous', user: {} },
      {
        name: 'eks-user',
        user: {
          exec: {
            apiVersion: 'client.authentication.k8s.io/v1beta1',
            command: 'aws',
            args: ['eks', 'get-token', '--cluster-name', 'prod'],
          },
        },
      },
      {
        name: 'gke-user',
        user: {
          exec: {
            apiVersion: 'client.authentication.k8s.io/v1beta1',
            command: 'clusterdeck-test-gke-gcloud-auth-plugin',
            installHint: 'Install gke-gcloud-auth-plugin: gcloud components install gke-gcloud-auth-plugin',
          },
        },
      },
      {
        name: 'exec-user',
        user: { exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: process.execPath, args: [script] } },
      },
    ],
    contexts: [
      { name: 'fake-a', context: { cluster: 'fake-a', user: 'a-user', namespace: 'shop' } },
      { name: 'fake-http', context: { cluster: 'fake-http', user: 'anonymous' } },
      { name: 'broken', context: { cluster: 'broken', user: 'a-user' } },
      { name: 'prod-eks', context: { cluster: 'prod-eks', user: 'eks-user' } },
      { name: 'exec-unapproved', context: { cluster: 'exec-cluster', user: 'exec-user' } },
      { name: 'missing-plugin', context: { cluster: 'exec-cluster', user: 'gke-user' } },
    ],
  };
  return { kubeconfigText: stringify(config), markerPath };
}

/** A CRD only the fake cluster knows: Widget (example.com/v1) with an integer size and an enum color. */
export const widgetCrd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com',
    scope: 'Namespaced',
    names: { kind: 'Widget', plural: 'widgets', singular: 'widget', listKind: 'WidgetList' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                required: ['size'],
                properties: {
                  size: { type: 'integer', description: 'How many widgets.' },
                  color: { type: 'string', enum: ['red', 'blue'] },
                },
              },
            },
          },
        },
      },
    ],
  },
};
