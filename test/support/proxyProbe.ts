/**
 * Runs every kind of cluster traffic ClusterDeck sends (list, watch, logs, exec, port-forward) for one context and
 * reports what each got: used by the proxy-url tests (catalogue B15), in-process and, for an https proxy whose CA
 * must come from NODE_EXTRA_CA_CERTS, as a child process (`node --import tsx proxyProbe.ts <json>` prints JSON).
 */
import { request } from 'node:http';
import type { KubeClient } from '../../src/core/kube/kubeClient';
import { mergeKubeconfigs, resolveContext } from '../../src/core/kube/kubeconfig';
import { resourceKindOf, type ResourceKind } from '../../src/core/kube/resourceKinds';
import { SdkKubeClientFactory } from '../../src/node/kube/sdkKubeClientFactory';

export interface ProbeTarget {
  readonly namespace: string;
  readonly pod: string;
  readonly container: string;
  /** A pod port the fake forwards to a loopback echo server. */
  readonly port: number;
}

export type ProbeResult = Record<'list' | 'watch' | 'logs' | 'exec' | 'portForward', string>;

const outcome = async (fn: () => Promise<string>): Promise<string> => {
  try {
    return await fn();
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
};

function httpGet(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString('utf8')));
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Each path's result: `ok …` with what it got, or `error: <message>`. */
export async function exerciseAllPaths(client: KubeClient, target: ProbeTarget): Promise<ProbeResult> {
  const signal = () => AbortSignal.timeout(10_000);
  const list = await outcome(async () => {
    const page = await client.listNamespaces({ signal: signal() });
    return `ok ${page.items.map((n) => n.name).includes(target.namespace) ? 'namespace listed' : 'namespace missing'}`;
  });
  const watch = await outcome(async () => {
    const stop = new AbortController();
    let events = 0;
    setTimeout(() => stop.abort(), 1_500);
    await client
      .watch(resourceKindOf('pods') as ResourceKind, target.namespace, {
        signal: stop.signal,
        timeoutSeconds: 1,
        onEvent: () => events++,
      })
      .catch((e: unknown) => {
        if (!stop.signal.aborted) throw e;
      });
    return `ok ${events > 0 ? 'events' : 'no events'}`;
  });
  const logs = await outcome(async () => {
    let text = '';
    await client.streamLogs(
      target.namespace,
      target.pod,
      { signal: signal(), container: target.container, tailLines: 1 },
      (t) => (text += t),
    );
    return `ok ${text.trim()}`;
  });
  const exec = await outcome(async () => {
    const session = await client.exec(target.namespace, target.pod, target.container, ['/bin/sh'], { columns: 80, rows: 24 });
    let output = '';
    session.onOutput((d) => (output += d));
    const exited = new Promise<{ code: number }>((r) => session.onExit(r));
    session.write('echo through-the-proxy\r');
    session.write('exit 4\r');
    const exit = await Promise.race([exited, new Promise<{ code: number }>((r) => setTimeout(() => r({ code: -1 }), 5_000))]);
    return `ok exit ${exit.code}${output.includes('through-the-proxy') ? ' echoed' : ''}`;
  });
  const portForward = await outcome(async () => {
    const pf = await client.portForward(target.namespace, target.pod, target.port, { localPort: 0 });
    try {
      return `ok ${await httpGet(pf.localPort, '/via-proxy')}`;
    } finally {
      await pf.stop();
    }
  });
  return { list, watch, logs, exec, portForward };
}

// Child-process entry: argv[2] is JSON { kubeconfig, context, target }.
const arg = process.argv[2];
if (arg && process.argv[1]?.endsWith('proxyProbe.ts')) {
  const { kubeconfig, context, target } = JSON.parse(arg) as { kubeconfig: string; context: string; target: ProbeTarget };
  const factory = new SdkKubeClientFactory({
    requestTimeoutMs: () => 10_000,
    approvals: { isApproved: () => false, approve: () => Promise.resolve() },
    isTrusted: () => true,
  });
  void factory
    .createClient(resolveContext(mergeKubeconfigs([{ path: '/probe', text: kubeconfig }]), context))
    .then((client) => exerciseAllPaths(client, target))
    .then((result) => {
      process.stdout.write(`${JSON.stringify(result)}\n`);
      process.exit(0);
    });
}
