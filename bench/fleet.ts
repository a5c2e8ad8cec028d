// Twenty contexts of which ten are broken (DNS failure, hang, 401, bad CA, missing plugin): how long until the
// ten healthy ones have their namespaces listed, with our explorer loader (every context independently, as the
// tree expands them) against a one-after-another loader (what a tool that lists contexts in turn does: a broken
// context delays every context after it). Product defaults: request timeout 30 s.
import { loadNamespaceNodes } from '../src/core/explorer/clusterNodes';
import type { ExecApprovals } from '../src/core/kube/execApproval';
import { mergeKubeconfigs } from '../src/core/kube/kubeconfig';
import { SdkKubeClientFactory } from '../src/node/kube/sdkKubeClientFactory';
import { startFleet } from '../test/fakes/fleet';

const approvals: ExecApprovals = { isApproved: () => true, approve: () => Promise.resolve() };

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
}

export async function fleetBench(runs: number): Promise<void> {
  const fleet = await startFleet();
  try {
    const config = mergeKubeconfigs([{ path: '/bench/kubeconfig', text: fleet.kubeconfigText }]);
    const healthy = new Set(fleet.healthy);
    console.log('\n## 20 contexts, 10 broken (2 each: DNS failure, hang, 401, bad CA, missing plugin)');
    const once = async (mode: 'concurrent' | 'sequential'): Promise<{ healthyMs: number; listed: number }> => {
      // A fresh factory per run: no client or TLS session is reused between runs.
      const factory = new SdkKubeClientFactory({ requestTimeoutMs: () => 30_000, approvals, isTrusted: () => true });
      const started = performance.now();
      let last = 0;
      let listed = 0;
      const controller = new AbortController();
      const load = async (name: string) => {
        const nodes = await loadNamespaceNodes(config, name, factory, { signal: controller.signal, pageSize: 100 }).catch(() => []);
        if (healthy.has(name) && nodes.some((n) => n.kind === 'namespace')) {
          listed++;
          last = performance.now() - started;
        }
      };
      if (mode === 'concurrent') {
        // Stop timing when the healthy ones are done, then cancel the hanging ones (as collapsing the tree does).
        const all = config.contexts.map((c) => load(c.name));
        await Promise.all(all.filter((_, i) => healthy.has(config.contexts[i]?.name ?? '')));
        controller.abort();
        await Promise.all(all);
      } else {
        for (const c of config.contexts) {
          await load(c.name);
          if (listed === healthy.size) break;
        }
      }
      return { healthyMs: last, listed };
    };
    const ours: number[] = [];
    for (let i = 0; i < runs; i++) {
      const r = await once('concurrent');
      if (r.listed !== healthy.size) throw new Error(`only ${r.listed} healthy contexts listed`);
      ours.push(r.healthyMs);
    }
    const sequential = await once('sequential');
    const o = median(ours);
    console.log(`runs: ${runs} (one-after-another baseline: 1 run)`);
    console.log(
      `clusterdeck explorer (independent)   10 healthy listed after ${o.toFixed(1)} ms (min ${Math.min(...ours).toFixed(1)}, max ${Math.max(...ours).toFixed(1)})`,
    );
    console.log(`one-after-another loader             10 healthy listed after ${sequential.healthyMs.toFixed(1)} ms`);
    console.log(
      `ratio clusterdeck / one-after-another: ${(o / sequential.healthyMs).toFixed(4)}  target: healthy listed <= 2000 ms -> ${o <= 2000 ? 'MET' : 'NOT MET'}`,
    );
  } finally {
    await fleet.close();
  }
}
