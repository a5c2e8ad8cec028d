/**
 * A fleet of contexts for the "many clusters, some broken" scenario (issue 4's bench and its wire test):
 * `healthy` fake API servers (https + token, demo data) and broken contexts of five kinds, two of each by default:
 *
 * - `dns`: a server name that does not resolve (`*.invalid`; the preloaded loopback guard answers ENOTFOUND for
 *   that TLD like a resolver's NXDOMAIN, without asking any DNS server, so nothing leaves the machine);
 * - `hang`: a loopback TCP listener that accepts and never answers (not even the TLS handshake);
 * - `unauthorized`: a healthy fake with a wrong bearer token (401);
 * - `badCa`: a healthy fake whose kubeconfig carries another CA (certificate verify failure);
 * - `missingPlugin`: an exec credential plugin whose binary is not installed.
 *
 * Contexts are interleaved (healthy, broken, healthy, …) the way a real kubeconfig mixes them.
 */
import { createServer, type Server, type Socket } from 'node:net';
import YAML from 'yaml';
import { startFakeKube, type FakeKube } from './kubeApiServer';
import { generateTlsMaterial } from './tls';

export type BrokenKind = 'dns' | 'hang' | 'unauthorized' | 'badCa' | 'missingPlugin';
export const brokenKinds: readonly BrokenKind[] = ['dns', 'hang', 'unauthorized', 'badCa', 'missingPlugin'];

export interface Fleet {
  /** One kubeconfig file holding every context. */
  readonly kubeconfigText: string;
  readonly healthy: readonly string[];
  readonly broken: readonly { readonly name: string; readonly kind: BrokenKind }[];
  close(): Promise<void>;
}

export async function startFleet(o: { healthy?: number; brokenPerKind?: number } = {}): Promise<Fleet> {
  const healthyCount = o.healthy ?? 10;
  const perKind = o.brokenPerKind ?? 2;
  const fakes: FakeKube[] = [];
  const hangServers: Server[] = [];
  const hangSockets = new Set<Socket>();
  const otherCa = await generateTlsMaterial();

  type Entry = { name: string; cluster: Record<string, unknown>; user: Record<string, unknown> };
  const healthyEntries: Entry[] = [];
  const brokenEntries: (Entry & { kind: BrokenKind })[] = [];
  const fromFake = (fake: FakeKube, name: string): Entry => {
    const parsed = YAML.parse(fake.kubeconfig({ contextName: name, user: 'token' })) as {
      clusters: { cluster: Record<string, unknown> }[];
      users: { user: Record<string, unknown> }[];
    };
    return { name, cluster: parsed.clusters[0]!.cluster, user: parsed.users[0]!.user };
  };

  try {
    for (let i = 0; i < healthyCount; i++) {
      const fake = await startFakeKube({ tls: 'tls', token: `fleet-token-${i}`, seed: 'demo' });
      fakes.push(fake);
      healthyEntries.push(fromFake(fake, `healthy-${i}`));
    }
    for (let i = 0; i < perKind; i++) {
      brokenEntries.push({
        kind: 'dns',
        name: `dns-${i}`,
        cluster: { server: `https://api.cluster-${i}.example.invalid:6443`, 'insecure-skip-tls-verify': false },
        user: { token: 'never-sent' },
      });

      const hang = createServer((socket) => {
        hangSockets.add(socket);
        socket.on('close', () => hangSockets.delete(socket));
      });
      await new Promise<void>((resolve) => hang.listen(0, '127.0.0.1', resolve));
      hangServers.push(hang);
      const address = hang.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      brokenEntries.push({ kind: 'hang', name: `hang-${i}`, cluster: { server: `https://127.0.0.1:${port}` }, user: { token: 'x' } });

      const wrong = await startFakeKube({ tls: 'tls', token: `right-token-${i}` });
      fakes.push(wrong);
      const unauthorized = fromFake(wrong, `unauthorized-${i}`);
      brokenEntries.push({ ...unauthorized, kind: 'unauthorized', user: { token: `wrong-token-${i}` } });

      const other = await startFakeKube({ tls: 'tls', token: `ca-token-${i}` });
      fakes.push(other);
      const badCa = fromFake(other, `bad-ca-${i}`);
      brokenEntries.push({
        ...badCa,
        kind: 'badCa',
        cluster: { ...badCa.cluster, 'certificate-authority-data': Buffer.from(otherCa.caCertPem).toString('base64') },
      });

      brokenEntries.push({
        kind: 'missingPlugin',
        name: `missing-plugin-${i}`,
        cluster: { ...healthyEntries[0]!.cluster },
        user: {
          exec: {
            apiVersion: 'client.authentication.k8s.io/v1beta1',
            command: `gke-gcloud-auth-plugin-not-installed-${i}`,
            args: [],
            interactiveMode: 'Never',
          },
        },
      });
    }
  } catch (e) {
    await Promise.all(fakes.map((f) => f.close()));
    for (const s of hangServers) s.close();
    throw e;
  }

  // Interleave so that a loader going in kubeconfig order meets a broken context before most healthy ones.
  const ordered: (Entry & { kind?: BrokenKind })[] = [];
  for (let i = 0; i < Math.max(healthyEntries.length, brokenEntries.length); i++) {
    if (brokenEntries[i]) ordered.push(brokenEntries[i]!);
    if (healthyEntries[i]) ordered.push(healthyEntries[i]!);
  }
  const kubeconfigText = YAML.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: ordered.map((e) => ({ name: `${e.name}-cluster`, cluster: e.cluster })),
    users: ordered.map((e) => ({ name: `${e.name}-user`, user: e.user })),
    contexts: ordered.map((e) => ({ name: e.name, context: { cluster: `${e.name}-cluster`, user: `${e.name}-user` } })),
    'current-context': ordered[0]?.name ?? '',
  });

  return {
    kubeconfigText,
    healthy: healthyEntries.map((e) => e.name),
    broken: brokenEntries.map((e) => ({ name: e.name, kind: e.kind })),
    async close() {
      for (const s of hangSockets) s.destroy();
      await Promise.all([
        ...fakes.map((f) => f.close()),
        ...hangServers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))),
      ]);
    },
  };
}
