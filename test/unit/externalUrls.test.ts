// Reliability goal S10: openExternal only for https URLs on an allowlist of sign-in and console hosts, and the
// loopback address of our own port-forward.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { externalUrlRefusal } from '../../src/core/externalUrls';

test('S10: sign-in and console pages of the supported clouds may be opened', () => {
  for (const url of [
    'https://microsoft.com/devicelogin',
    'https://login.microsoft.com/device',
    'https://login.microsoftonline.com/common/oauth2/deviceauth',
    'https://device.sso.eu-west-1.amazonaws.com/?user_code=ABCD-EFGH',
    'https://my-org.awsapps.com/start',
    'https://eu-west-1.console.aws.amazon.com/eks/home',
    'https://accounts.google.com/o/oauth2/auth?x=1',
    'https://console.cloud.google.com/kubernetes/list',
    'https://portal.azure.com/#view/x',
    'https://github.com/login/device',
  ]) {
    assert.equal(externalUrlRefusal(url), undefined, url);
  }
});

test('S10: any other host, scheme or credential-bearing URL is refused with the reason', () => {
  const cases: [string, RegExp][] = [
    ['https://evil.example.com/devicelogin', /evil\.example\.com is not a known sign-in or console host/],
    ['https://microsoft.com.evil.example/devicelogin', /not a known sign-in/],
    ['https://attacker-bucket.s3.amazonaws.com/index.html', /not a known sign-in/],
    ['https://evil.github.io/', /not a known sign-in/],
    ['http://microsoft.com/devicelogin', /only https/],
    ['file:///etc/passwd', /file scheme is never opened/],
    ['command:workbench.action.terminal.new', /command scheme is never opened/],
    ['vscode://ms-vscode.remote/x', /vscode scheme/],
    ['javascript:alert(1)', /javascript scheme/],
    ['https://user:pw@login.microsoft.com/', /user name or password/],
    ['not a url', /not a valid URL/],
  ];
  for (const [url, reason] of cases) assert.match(externalUrlRefusal(url) ?? 'allowed', reason, url);
});

test('S10: http only for the loopback port of a port-forward we opened', () => {
  assert.equal(externalUrlRefusal('http://127.0.0.1:8123', [8123]), undefined);
  assert.match(externalUrlRefusal('http://127.0.0.1:8124', [8123]) ?? '', /only https/);
  assert.match(externalUrlRefusal('http://localhost:8123', [8123]) ?? '', /only https/);
  assert.match(externalUrlRefusal('http://10.0.0.1:8123', [8123]) ?? '', /only https/);
});

test('S10: every openExternal call site in src/ checks externalUrlRefusal first', () => {
  const files = readdirSync(join(import.meta.dirname, '../../src'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(import.meta.dirname, '../../src', f));
  const callers = files.filter((f) => readFileSync(f, 'utf8').includes('openExternal('));
  assert.ok(callers.length >= 2, 'the exec prompt and the port-forward open URLs');
  for (const f of callers) {
    const text = readFileSync(f, 'utf8');
    const checks = text.split('externalUrlRefusal(').length - 1;
    assert.ok(checks >= 1, `${f} opens URLs without externalUrlRefusal`);
  }
});
