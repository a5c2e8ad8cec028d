// In-process cloud tokens for kubeconfig contexts (Clouds issue: "Connect and auth without CLIs"): a context whose
// credential plugin is a cloud's (here `aws-iam-authenticator`, not installed) or ClusterDeck's own `clusterdeck
// token`, gets its bearer token from the real EKS provider (SigV4-presigned STS URL), and the Kubernetes fake
// authenticates it the way an EKS API server does (STS GetCallerIdentity replay). Nothing is run, so nothing
// needs approval.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { ClusterDeckError } from '../../src/core/errors';
import type { CloudTokenRequest } from '../../src/core/clouds/cloudExec';
import { mergeKubeconfigs, resolveContext } from '../../src/core/kube/kubeconfig';
import { createEksProvider } from '../../src/node/clouds/eks/eksProvider';
import { SdkKubeClientFactory } from '../../src/node/kube/sdkKubeClientFactory';
import { startEksFake, type EksFake } from '../fakes/clouds/eksFake';
import { answerGetCallerIdentity, type FakeAwsKey } from '../fakes/clouds/stsFake';
import { startFakeKube, type FakeKube } from '../fakes/kubeApiServer';

const SECRET = 'inProcessSeCrEt/abcdefghijklmnopqrstuvwxyz0123';
const keys: Record<string, FakeAwsKey> = {
  AKIDKUBE: { secretAccessKey: SECRET, account: '123456789012', arn: 'arn:aws:iam::123456789012:user/kube' },
};

/** The EKS authenticator in the Kubernetes fake: decode the token, replay its presigned STS request for `cluster`. */
function eksAuthenticator(cluster: string) {
  return (bearer: string): string | undefined => {
    if (!bearer.startsWith('k8s-aws-v1.')) return undefined;
    const url = new URL(Buffer.from(bearer.slice('k8s-aws-v1.'.length), 'base64url').toString('utf8'));
    const answer = answerGetCallerIdentity(
      'GET',
      url.pathname,
      url.search.slice(1),
      { host: url.host, 'x-k8s-aws-id': cluster },
      new Map(Object.entries(keys)),
      new Date(),
    );
    return answer.status === 200 ? answer.arn : undefined;
  };
}

describe('in-process cloud tokens for kubeconfig contexts', () => {
  let eks: EksFake;
  let kube: FakeKube;
  let dir = '';
  const requests: CloudTokenRequest[] = [];
  const log: string[] = [];
  const savedPath = process.env.PATH;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clusterdeck-cloudtokens-'));
    writeFileSync(join(dir, 'config'), '[default]\nregion = eu-west-1\n');
    writeFileSync(join(dir, 'credentials'), `[default]\naws_access_key_id = AKIDKUBE\naws_secret_access_key = ${SECRET}\n`);
    eks = await startEksFake({ keys });
    const eksCheck = eksAuthenticator('prod');
    // The installed plugin of the fallback test prints this token.
    kube = await startFakeKube({ tls: 'tls', tokenCheck: (b) => (b === 'plugin-token-7a1' ? 'plugin-user' : eksCheck(b)) });
    mkdirSync(join(dir, 'bin'));
    writeFileSync(
      join(dir, 'bin', 'aws-iam-authenticator'),
      `#!${process.execPath}\nrequire('fs').appendFileSync(${JSON.stringify(join(dir, 'plugin.ran'))}, 'ran\\n');\n` +
        `process.stdout.write(JSON.stringify({kind:'ExecCredential',apiVersion:'client.authentication.k8s.io/v1beta1',status:{token:'plugin-token-7a1'}}));\n`,
    );
    chmodSync(join(dir, 'bin', 'aws-iam-authenticator'), 0o755);
    // No credential plugin can be found: an empty PATH (the test's own).
    process.env.PATH = join(dir, 'empty-bin');
  });
  after(async () => {
    process.env.PATH = savedPath;
    await kube?.close();
    await eks?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const provider = () =>
    createEksProvider({
      endpoint: eks.url,
      stsEndpoint: eks.url,
      configFile: join(dir, 'config'),
      credentialsFile: join(dir, 'credentials'),
      homeDir: dir,
      env: {},
      requestTimeoutMs: 3000,
    });

  const factory = (withCloudTokens: boolean, opts: { approved?: boolean; failTokens?: boolean } = {}) =>
    new SdkKubeClientFactory({
      requestTimeoutMs: () => 5000,
      // Nothing is approved unless asked: an in-process token must not need it.
      approvals: { isApproved: () => opts.approved === true, approve: () => Promise.resolve() },
      isTrusted: () => true,
      loginShellPath: () => Promise.resolve(''),
      onRequest: (l) => log.push(l),
      ...(withCloudTokens
        ? {
            cloudTokens: (request: CloudTokenRequest) => {
              requests.push(request);
              if (request.cloud !== 'eks') throw new Error('eks only here');
              if (opts.failTokens) return Promise.reject(new ClusterDeckError('unauthorized', 'No AWS credentials for profile "default".'));
              return provider().getClusterToken({ account: request.profile ?? 'default', location: request.region, name: request.cluster });
            },
          }
        : {}),
    });

  const contextWith = (exec: { command: string; args: string[] }) => {
    const text = stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name: 'prod',
          cluster: { server: kube.url, 'certificate-authority-data': Buffer.from(kube.ca?.certPem ?? '').toString('base64') },
        },
      ],
      users: [{ name: 'eks-user', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', ...exec } } }],
      contexts: [{ name: 'prod-ctx', context: { cluster: 'prod', user: 'eks-user' } }],
    });
    return resolveContext(mergeKubeconfigs([{ path: join(dir, 'kubeconfig'), text }]), 'prod-ctx');
  };

  test('a missing aws-iam-authenticator: the EKS token is made in-process and the API server accepts it', async () => {
    const client = await factory(true).createClient(
      contextWith({ command: 'aws-iam-authenticator', args: ['token', '-i', 'prod', '--region', 'eu-west-1'] }),
    );
    const namespaces = await client.listNamespaces({ signal: new AbortController().signal, limit: 50 });
    assert.ok(namespaces.items.some((n) => n.name === 'kube-system'));
    assert.deepEqual(requests.at(-1), { cloud: 'eks', cluster: 'prod', region: 'eu-west-1' });
    assert.match(log.join('\n'), /> eks in-process token for prod-ctx \(no credential plugin run\)/);
    assert.doesNotMatch(log.join('\n'), /k8s-aws-v1\.|inProcessSeCrEt/);
  });

  test("ClusterDeck's own `clusterdeck token eks` (what Connect writes) never runs a process, even when node exists", async () => {
    process.env.PATH = savedPath;
    try {
      const client = await factory(true).createClient(
        contextWith({
          command: process.execPath,
          args: ['/opt/clusterdeck/dist/cli.js', 'token', 'eks', '--cluster', 'prod', '--region', 'eu-west-1'],
        }),
      );
      const namespaces = await client.listNamespaces({ signal: new AbortController().signal, limit: 50 });
      assert.ok(namespaces.items.length > 0);
    } finally {
      process.env.PATH = join(dir, 'empty-bin');
    }
  });

  test('a token for another cluster is refused by the API server (the fake really authenticates)', async () => {
    const client = await factory(true).createClient(
      contextWith({ command: 'aws-iam-authenticator', args: ['token', '-i', 'staging', '--region', 'eu-west-1'] }),
    );
    await assert.rejects(client.listNamespaces({ signal: new AbortController().signal, limit: 50 }), (e: unknown) => {
      assert.ok(e instanceof ClusterDeckError);
      assert.equal(e.reason, 'unauthorized');
      return true;
    });
  });

  test('an installed but unapproved cloud plugin is never run: the token is made in-process', async () => {
    process.env.PATH = join(dir, 'bin');
    try {
      const client = await factory(true).createClient(
        contextWith({ command: 'aws-iam-authenticator', args: ['token', '-i', 'prod', '--region', 'eu-west-1'] }),
      );
      assert.ok((await client.listNamespaces({ signal: new AbortController().signal, limit: 50 })).items.length > 0);
      assert.equal(existsSync(join(dir, 'plugin.ran')), false, 'the plugin did not run');
    } finally {
      process.env.PATH = join(dir, 'empty-bin');
    }
  });

  test('when the in-process token fails, the installed plugin runs only because the user approved it', async () => {
    process.env.PATH = join(dir, 'bin');
    try {
      const unapproved = await factory(true, { failTokens: true }).createClient(
        contextWith({ command: 'aws-iam-authenticator', args: ['token', '-i', 'prod', '--region', 'eu-west-1'] }),
      );
      await assert.rejects(unapproved.listNamespaces({ signal: new AbortController().signal, limit: 5 }), /No AWS credentials/);
      assert.equal(existsSync(join(dir, 'plugin.ran')), false);
      const approved = await factory(true, { failTokens: true, approved: true }).createClient(
        contextWith({ command: 'aws-iam-authenticator', args: ['token', '-i', 'prod', '--region', 'eu-west-1'] }),
      );
      assert.ok((await approved.listNamespaces({ signal: new AbortController().signal, limit: 5 })).items.length > 0);
      assert.equal(existsSync(join(dir, 'plugin.ran')), true, 'the approved plugin made the credential');
      assert.match(log.join('\n'), /in-process token for prod-ctx failed; running the approved plugin/);
    } finally {
      process.env.PATH = join(dir, 'empty-bin');
    }
  });

  test('without in-process tokens, a missing plugin is still explained (nothing silently substituted)', async () => {
    await assert.rejects(
      factory(false).createClient(
        contextWith({ command: 'aws-iam-authenticator', args: ['token', '-i', 'prod', '--region', 'eu-west-1'] }),
      ),
      (e: unknown) => e instanceof ClusterDeckError && e.reason === 'missingPlugin',
    );
  });
});
