// Bad-input catalogue row B55 (reliability.md §3): HTML/JS in names, notes and titles shown in a webview. The one
// webview (the Right-size report) gets hostile strings everywhere the cluster or Prometheus can put text: they stay
// data (inert JSON that cannot close its block, no markup outside the fixed shell), the CSP admits only nonce
// scripts, and the page script renders text with textContent only (a static check that fails on any HTML sink).
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ContainerRecommendation } from '../../src/core/tuning/recommendRequests';
import { buildReportModel, reportHtml, type ReportModel } from '../../src/core/tuning/reportModel';

const ROOT = join(__dirname, '..', '..');
const HOSTILE = [
  '</script><script>alert(1)</script>',
  '<img src=x onerror=alert(2)>',
  '"><svg onload=alert(3)>',
  "javascript:alert('4')",
  '<!--',
  '\u202Egnp.exe',
];

function hostileRecommendation(i: number): ContainerRecommendation {
  const h = HOSTILE[i % HOSTILE.length]!;
  return {
    namespace: `ns-${h}`,
    kind: 'Deployment',
    name: h,
    container: `c${i}-${h}`,
    strategy: 'simple',
    current: { cpuRequest: h, cpuLimit: null, memoryRequest: '1Gi', memoryLimit: null },
    recommended: { cpuRequest: '250m', cpuLimit: null, memoryRequest: '345Mi', memoryLimit: null },
    dataPoints: 2000,
    confidence: 'high',
    severity: 'WARNING',
    severities: { cpuRequest: 'WARNING', cpuLimit: 'OK', memoryRequest: 'OK', memoryLimit: 'OK' },
    notes: [`HPA note from an annotation: ${h}`],
    applicable: true,
  };
}

describe('bad-input row B55: hostile text in the webview', () => {
  test('B55: HTML/JS in names, notes, titles and the context stays inert data under a nonce-only CSP', () => {
    const model = buildReportModel({
      title: `Right-size ${HOSTILE[0]!}`,
      contextName: HOSTILE[1]!,
      source: `Prometheus at ${HOSTILE[2]!}`,
      windowSeconds: 86400,
      recommendations: HOSTILE.map((_, i) => hostileRecommendation(i)),
      series: undefined,
    });
    const nonce = 'Zyxwvutsrqponmlkjihgfedcba987654';
    const html = reportHtml({
      model,
      nonce,
      cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
      chartJsUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/media/chart.umd.min.js',
      scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/media/tuningReport.js',
    });
    // Every script tag is one of the shell's: two nonce'd files and the inert JSON block; no handler attribute.
    const scripts = [...html.matchAll(/<script\b([^>]*)>/gi)].map((m) => m[1] ?? '');
    assert.equal(scripts.length, 3, scripts.join(' | '));
    for (const attrs of scripts) assert.ok(attrs.includes(`nonce="${nonce}"`) || attrs.includes('type="application/json"'), attrs);
    // Hostile markup only ever appears escaped (&lt;img …&gt;): no raw tag, no tag with a handler attribute.
    assert.doesNotMatch(html, /<(img|svg|iframe|a)\b/i);
    assert.doesNotMatch(html, /<[^>]*\son[a-z]+=/i);
    assert.match(html, /&lt;img src=x onerror=alert\(2\)&gt;/, 'the context name is shown as text');
    assert.match(html, /content="default-src &#39;none&#39;; script-src &#39;nonce-/);
    // The model round-trips exactly: hostile text arrives as text, nothing was lost or altered.
    const block = /<script type="application\/json" id="model">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
    assert.ok(!block.includes('<'), 'the JSON block holds no "<"');
    const parsed = JSON.parse(block) as ReportModel;
    assert.deepEqual(
      parsed.rows.map((r) => r.name),
      HOSTILE,
    );
    assert.equal(parsed.contextName, HOSTILE[1]);
  });

  test('B55: the webview scripts write text with textContent only: no HTML sink, no eval', () => {
    const dir = join(ROOT, 'media', 'webview');
    const files = readdirSync(dir).filter((f) => f.endsWith('.js'));
    assert.ok(files.length > 0);
    for (const f of files) {
      const text = readFileSync(join(dir, f), 'utf8');
      for (const sink of [
        /\.innerHTML\b/,
        /\.outerHTML\b/,
        /insertAdjacentHTML/,
        /document\.write/,
        /\beval\s*\(/,
        /new Function\s*\(/,
        /setAttribute\(\s*['"]on/i,
      ])
        assert.doesNotMatch(text, sink, `${f} uses ${String(sink)}`);
      assert.match(text, /textContent/, `${f} renders text with textContent`);
    }
  });
});
