import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { currentContextOf, fileForCurrentContext, withCurrentContext } from '../../src/core/kube/kubeconfigEdit';
import { setCurrentContext } from '../../src/node/kube/setCurrentContext';

const text = `# my clusters
apiVersion: v1
kind: Config
current-context: a # the usual one
contexts:
  - name: a
    context: {cluster: c, user: u}
  - name: b
    context: {cluster: c, user: u}
`;

test('withCurrentContext changes only current-context and keeps comments', () => {
  const out = withCurrentContext(text, 'b');
  assert.equal(currentContextOf(out), 'b');
  assert.match(out, /^# my clusters/);
  assert.match(out, /context: \{ cluster: c, user: u \}|context: \{cluster: c, user: u\}/);
  assert.equal(out.replace('current-context: b', 'current-context: a'), withCurrentContext(text, 'a'));
  assert.equal(currentContextOf(withCurrentContext('clusters: []\n', 'x')), 'x');
  assert.throws(() => withCurrentContext('- a\n', 'x'));
});

test('like kubectl, the first file that sets a current-context is written, else the first file', async () => {
  assert.equal(
    fileForCurrentContext([
      { path: '/1', text: 'clusters: []\n' },
      { path: '/2', text: 'current-context: x\n' },
    ]),
    '/2',
  );
  assert.equal(fileForCurrentContext([{ path: '/1', text: 'clusters: []\n' }]), '/1');
  const dir = mkdtempSync(join(tmpdir(), 'clusterdeck-kcedit-'));
  try {
    writeFileSync(join(dir, 'one'), 'clusters: []\n', { mode: 0o600 });
    writeFileSync(join(dir, 'two'), text, { mode: 0o600 });
    const written = await setCurrentContext([join(dir, 'missing'), join(dir, 'one'), join(dir, 'two')], 'b');
    assert.equal(written, join(dir, 'two'));
    assert.equal(currentContextOf(readFileSync(join(dir, 'two'), 'utf8')), 'b');
    assert.equal(readFileSync(join(dir, 'one'), 'utf8'), 'clusters: []\n', 'the other file is untouched');
    assert.equal(statSync(join(dir, 'two')).mode & 0o777, 0o600, 'permissions kept');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
