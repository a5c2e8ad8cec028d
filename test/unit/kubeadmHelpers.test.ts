// known_hosts matching (patterns, negation, hashed, @revoked, ports), the kubeadm secret redactor, SSH target
// parsing and the admin.conf rename used by Import cluster.
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { checkHostKey, fingerprintSha256, hashedKnownHostsLine, keyTypeOf } from '../../src/node/provisioning/ssh/knownHosts';
import { redactKubeadmSecrets, tokensIn } from '../../src/core/provisioning/kubeadm/kubeadmSecrets';
import { formatSshTarget, parseSshTarget } from '../../src/core/provisioning/kubeadm/sshTarget';
import { renameAdminKubeconfig } from '../../src/core/provisioning/kubeadm/kubeadmImport';
import { ClusterDeckError } from '../../src/core/errors';
import { fakeAdminConf } from '../support/sshd';

function blob(type: string, body: string): Buffer {
  const t = Buffer.from(type);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(t.length);
  return Buffer.concat([len, t, Buffer.from(body)]);
}
const keyA = blob('ssh-ed25519', 'A'.repeat(32));
const keyB = blob('ssh-ed25519', 'B'.repeat(32));
const rsa = blob('ssh-rsa', 'R'.repeat(64));
const line = (hosts: string, key: Buffer) => `${hosts} ${keyTypeOf(key)} ${key.toString('base64')}`;

describe('known_hosts', () => {
  test('plain names, lists, wildcards, negation and [host]:port', () => {
    assert.equal(checkHostKey(line('cp1,10.0.0.1', keyA), 'cp1', 22, keyA).kind, 'match');
    assert.equal(checkHostKey(line('cp1', keyA), 'cp1', 2222, keyA).kind, 'unknown');
    assert.equal(checkHostKey(line('[cp1]:2222', keyA), 'cp1', 2222, keyA).kind, 'match');
    assert.equal(checkHostKey(line('*.lab,!bad.lab', keyA), 'cp.lab', 22, keyA).kind, 'match');
    assert.equal(checkHostKey(line('*.lab,!bad.lab', keyA), 'bad.lab', 22, keyA).kind, 'unknown');
    assert.equal(checkHostKey(line('cp?', keyA), 'CP1', 22, keyA).kind, 'match');
  });

  test('same type, other key = mismatch with the line and the known fingerprint; other types only = unknown', () => {
    const text = `# comment\n\n${line('cp1', keyA)}\n`;
    assert.deepEqual(checkHostKey(text, 'cp1', 22, keyB), { kind: 'mismatch', line: 3, knownFingerprint: fingerprintSha256(keyA) });
    assert.deepEqual(checkHostKey(line('cp1', rsa), 'cp1', 22, keyA), { kind: 'unknown', otherTypes: ['ssh-rsa'] });
    assert.deepEqual(checkHostKey(`@revoked * ${keyTypeOf(keyA)} ${keyA.toString('base64')}\n${line('cp1', keyA)}`, 'cp1', 22, keyA), {
      kind: 'revoked',
      line: 1,
    });
    assert.equal(checkHostKey(`@cert-authority * ${keyTypeOf(keyB)} ${keyB.toString('base64')}`, 'cp1', 22, keyA).kind, 'unknown');
  });

  test('hashed entries we write are found again, for the right host and port only', () => {
    const hashed = hashedKnownHostsLine('10.0.0.5', 2200, keyA);
    assert.match(hashed, /^\|1\|/);
    assert.ok(!hashed.includes('10.0.0.5'));
    assert.equal(checkHostKey(hashed, '10.0.0.5', 2200, keyA).kind, 'match');
    assert.equal(checkHostKey(hashed, '10.0.0.5', 22, keyA).kind, 'unknown');
    assert.equal(checkHostKey(hashed, '10.0.0.5', 2200, keyB).kind, 'mismatch');
  });

  test('fingerprints are SHA256 base64 without padding', () => {
    assert.equal(fingerprintSha256(keyA), `SHA256:${createHash('sha256').update(keyA).digest('base64').replace(/=+$/, '')}`);
  });
});

describe('secrets and targets', () => {
  test('tokens, certificate keys and known secrets are masked; CA pins stay', () => {
    const key = 'a'.repeat(64);
    const pin = `sha256:${'b'.repeat(64)}`;
    const out = redactKubeadmSecrets(
      `kubeadm join x:6443 --token abcdef.0123456789abcdef --discovery-token-ca-cert-hash ${pin} --control-plane --certificate-key ${key}`,
    );
    assert.ok(!out.includes('abcdef.0123456789abcdef') && !out.includes(key), out);
    assert.ok(out.includes(pin));
    assert.equal(redactKubeadmSecrets(key), '<redacted>');
    assert.equal(redactKubeadmSecrets('my-own-secret here', ['my-own-secret']), '<redacted> here');
    assert.deepEqual(tokensIn('--token abcdef.0123456789abcdef'), ['abcdef.0123456789abcdef']);
  });

  test('user@host[:port] parsing', () => {
    assert.deepEqual(parseSshTarget('ubuntu@cp1.lab'), { ok: true, target: { user: 'ubuntu', host: 'cp1.lab', port: 22 } });
    assert.deepEqual(parseSshTarget('root@[fd00::1]:2222'), { ok: true, target: { user: 'root', host: 'fd00::1', port: 2222 } });
    for (const bad of ['cp1', 'root@', 'root@host:99999', 'root@ho st', 'a;b@host', 'root@bad_name'])
      assert.equal(parseSshTarget(bad).ok, false, bad);
    assert.equal(formatSshTarget({ user: 'root', host: 'fd00::1', port: 2222 }), 'root@[fd00::1]:2222');
  });

  test('admin.conf rename: cluster/context <name>, user <name>-admin, credentials kept; bad input never quoted', () => {
    const items = renameAdminKubeconfig(fakeAdminConf, 'lab');
    assert.equal(items.server, 'https://cp.example.com:6443');
    assert.equal(items.clusters.name, 'lab');
    assert.deepEqual(items.contexts, { context: { cluster: 'lab', user: 'lab-admin' }, name: 'lab' });
    assert.equal((items.users.user as Record<string, string>)['client-key-data'], 'S0VZLWNhbmFyeS1rZXktZGF0YQ==');
    assert.throws(() => renameAdminKubeconfig(fakeAdminConf, 'Bad Name'), ClusterDeckError);
    assert.throws(
      () => renameAdminKubeconfig('users:\n- name: x\n  user: {client-key-data: SECRETKEY}\n', 'lab'),
      (e) => e instanceof ClusterDeckError && !e.message.includes('SECRETKEY'),
    );
  });
});

describe('kubeadm config as a ProvisioningFormat', () => {
  test('matches kubeadm documents only; ClusterConfiguration problems at their paths; write reads back; plan points to SSH', async () => {
    const { kubeadmConfigFormat } = await import('../../src/core/provisioning/kubeadm/kubeadmFormat');
    const { defaultKubeadmSpec } = await import('../../src/core/provisioning/kubeadm/kubeadmSpec');
    const { parseAllDocuments } = await import('yaml');
    const spec = defaultKubeadmSpec({ clusterName: 'lab', controlPlaneEndpoint: 'cp.lab:6443', podSubnet: '10.96.0.0/16' });
    assert.equal(kubeadmConfigFormat.matches({ apiVersion: 'v1', kind: 'ConfigMap' }), false);
    const docs = (parseAllDocuments(kubeadmConfigFormat.write({ ...spec, podSubnet: '10.244.0.0/16' })) as { toJS(): unknown }[]).map((d) =>
      d.toJS(),
    );
    assert.deepEqual(
      docs.map((d) => kubeadmConfigFormat.matches(d)),
      [true, true, false],
    );
    const cluster = docs[1] as { networking: { podSubnet: string } };
    assert.deepEqual(kubeadmConfigFormat.read(cluster).problems, []);
    cluster.networking.podSubnet = '10.96.0.0/16';
    const problems = kubeadmConfigFormat.read(cluster).problems;
    assert.deepEqual(problems[0]?.path, ['networking', 'podSubnet']);
    assert.match(problems[0].message, /overlaps the service CIDR/);
    assert.deepEqual(kubeadmConfigFormat.read({ apiVersion: 'kubeadm.k8s.io/v1beta3', kind: 'ClusterConfiguration' }).problems[0]?.path, [
      'apiVersion',
    ]);
    assert.deepEqual(
      kubeadmConfigFormat.read({
        apiVersion: 'kubeadm.k8s.io/v1beta4',
        kind: 'InitConfiguration',
        localAPIEndpoint: { advertiseAddress: 'x' },
      }).problems[0]?.path,
      ['localAPIEndpoint', 'advertiseAddress'],
    );
    assert.throws(
      () => kubeadmConfigFormat.plan(spec),
      (e) => e instanceof ClusterDeckError && /over SSH/.test(e.message),
    );
  });
});
