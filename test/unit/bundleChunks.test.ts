// dist/extension.js stays small: the lazily loaded parts (SDKs, the Kubernetes client, the manifests engine, the
// provisioning catalogue, the kubeadm commands and core, the tuning engine and Prometheus client) must not be
// bundled into it. Bundles the extension in memory with the build script's own options and reads the metafile, so
// a static import that makes one of them eager again fails here, not only in the activation bench. Also checks that
// every chunk the bundle requires is built and shipped in the VSIX.
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

const root = join(__dirname, '..', '..');

interface BuildScript {
  readonly extensionBuild: esbuild.BuildOptions;
  readonly builds: readonly esbuild.BuildOptions[];
  readonly extensionChunks: readonly { readonly name: string; readonly entry: string }[];
  readonly common: esbuild.BuildOptions;
}

/** Inputs that belong in a chunk, never in dist/extension.js (paths as esbuild's metafile names them). */
const lazyOnly: readonly RegExp[] = [
  /node_modules\/(@kubernetes|@aws-sdk|@google-cloud|@azure|google-gax|ssh2)\//,
  /^src\/node\/kube\/kubeSdk\.ts$/,
  /^src\/core\/manifests\/manifestsEngine\.ts$/,
  /^src\/core\/provisioning\/provisioningCatalog\.ts$/,
  /^src\/node\/provisioning\/ssh\//,
  /^src\/node\/clouds\/(eks|gke|aks)\//,
  // kubeadm: the commands' work and the whole core (spec, files, wizard, CIDRs, …).
  /^src\/host\/provisioning\/kubeadmActions\.ts$/,
  /^src\/core\/provisioning\/kubeadm\//,
  // tuning: the commands' work, the recommendation engine, the report, the tree's HPA rules, Prometheus.
  /^src\/host\/tuning\/(tuningActions|reportPanel)\.ts$/,
  /^src\/core\/tuning\/(recommendHpa|recommendRequests|recommendWorkloads|reportModel|createHpaSuggestion|hpaTreeHints|promQueries|tuningSettings)\.ts$/,
  /^src\/node\/tuning\//,
  // Backups view flows (wizards, restore planning) and Describe.
  /^src\/host\/backups\/(backupFlows|backupWizard|scheduleWizard|restoreCommand)\.ts$/,
  /^src\/core\/velero\/restorePlan\.ts$/,
  /^src\/core\/explorer\/describe\.ts$/,
  // Apply's flow and planning.
  /^src\/host\/remote\/applyCommand\.ts$/,
  /^src\/core\/remote\/applyPlan\.ts$/,
];

/**
 * Modules whose state the main bundle fills at run time. A chunk bundles its own copy of what it imports, and that
 * copy would be empty: such state reaches a chunk through its deps (e.g. Apply's `editedCopyContext`).
 */
const mainBundleState: readonly string[] = ['src/host/explorer/editYaml.ts', 'src/node/kube/loadKubeSdk.ts'];

async function bundleExtension(): Promise<{ script: BuildScript; inputs: string[]; text: string }> {
  const script = (await import(pathToFileURL(join(root, 'scripts', 'build.mjs')).href)) as BuildScript;
  const result = await esbuild.build({ ...script.extensionBuild, write: false, sourcemap: false, logLevel: 'silent' });
  const out = Object.values(result.metafile?.outputs ?? {})[0];
  assert.ok(out, 'esbuild wrote dist/extension.js');
  const text = result.outputFiles.find((f) => f.path.endsWith('extension.js'))?.text ?? '';
  return { script, inputs: Object.keys(out.inputs), text };
}

/** `.vscodeignore` semantics enough for our file: last matching line wins, `!` re-includes, `*` within a segment. */
function shipped(path: string): boolean {
  const lines = readFileSync(join(root, '.vscodeignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  let included = true;
  for (const line of lines) {
    const negated = line.startsWith('!');
    const glob = negated ? line.slice(1) : line;
    const re = new RegExp(
      `^${glob
        .split('**')
        .map((part) => part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*'))
        .join('.*')}$`,
    );
    if (re.test(path)) included = negated;
  }
  return included;
}

describe('bundle chunks', () => {
  test('dist/extension.js contains none of the lazily loaded modules, and loads their chunks with import()', async () => {
    const { script, inputs, text } = await bundleExtension();
    assert.ok(
      inputs.some((i) => i === 'src/extension.ts'),
      'the metafile names our sources as the checks expect',
    );
    const eager = inputs.filter((i) => lazyOnly.some((re) => re.test(i.replace(/^.*?(node_modules\/)/, '$1'))));
    assert.deepEqual(eager, [], 'modules that must stay in a lazy chunk');
    for (const c of script.extensionChunks) {
      assert.ok(text.includes(`import("./${c.name}.js")`), `dist/extension.js requires ./${c.name}.js at run time`);
    }
  });

  test('every chunk dist/extension.js requires is built by the build script and shipped in the VSIX', async () => {
    const { script, text } = await bundleExtension();
    const required = [...new Set([...text.matchAll(/import\("\.\/([\w.-]+\.js)"\)/g)].map((m) => m[1]!))].sort();
    assert.ok(required.includes('kubeSdk.js') && required.includes('kubeadmActions.js'), `chunks found: ${required.join(', ')}`);
    const built = new Set(script.builds.map((b) => b.outfile));
    for (const file of required) {
      assert.ok(built.has(`dist/${file}`), `scripts/build.mjs builds dist/${file}`);
      assert.ok(shipped(`dist/${file}`), `.vscodeignore ships dist/${file}`);
    }
    assert.equal(shipped('src/extension.ts'), false, 'the matcher excludes what .vscodeignore excludes');
  });

  test('no extension chunk bundles its own copy of a module whose state the main bundle fills', async () => {
    const { script } = await bundleExtension();
    assert.ok(script.extensionChunks.length >= 7, 'the chunks are listed');
    for (const c of script.extensionChunks) {
      const result = await esbuild.build({
        ...script.common,
        entryPoints: [c.entry],
        outfile: `dist/${c.name}.js`,
        external: ['vscode'],
        write: false,
        metafile: true,
        sourcemap: false,
        logLevel: 'silent',
      });
      const inputs = Object.keys(result.metafile.inputs);
      assert.ok(inputs.includes(c.entry), `${c.name} is built from ${c.entry}`);
      assert.deepEqual(
        inputs.filter((i) => mainBundleState.includes(i)),
        [],
        `dist/${c.name}.js must get this state through its deps`,
      );
    }
  });
});
