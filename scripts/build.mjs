// Bundles the extension and the CLI with esbuild.
//   dist/extension.js  the extension (CJS, `vscode` external)
//   dist/kubeSdk.js    @kubernetes/client-node and our client over it, loaded lazily (never at activation)
//   dist/cli.js        the `clusterdeck` bin
//   dist/<chunk>.js    lazily loaded chunks (`extensionChunks` below), each reached by a runtime require
// --tests also bundles the extension-host test suites and the harness extension into out/.
// --production minifies; --watch rebuilds on change.
import * as esbuild from 'esbuild';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// Imported by test/unit/bundleChunks.test.ts for the options below: only `node scripts/build.mjs` builds.
const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
const args = new Set(isMain ? process.argv.slice(2) : []);
const production = args.has('--production');

/**
 * Chunks only the extension loads, each on first use of its feature: the import specifier (`filter`) stays a
 * runtime require of dist/<name>.js, built from `entry`.
 *   kubeadmActions  the kubeadm commands and core/provisioning/kubeadm (first kubeadm command)
 *   tuningActions   Right-size and Create HPA with the recommendation engine (first run of either)
 *   hpaTreeHints    the static HPA rules behind the Autoscaling rows' hints (first Autoscaling folder opened)
 *   tuningMetrics   Prometheus discovery, client and queries (first Right-size / Create HPA that looks for metrics)
 *   backupFlows     the backup and schedule wizards and the restore flows (first Back Up Now / Schedule / Restore)
 *   describe        the kubectl-describe rendering of an object (first Describe)
 *   applyCommand    Apply's dry run, diff and apply with core/remote/applyPlan (first Apply)
 * A chunk gets its own copy of every module it imports: one whose module state the main bundle fills (editYaml's
 * edited copies, loadKubeSdk's cache) must reach the chunk through its deps instead (see bundleChunks.test.ts).
 */
export const extensionChunks = [
  { name: 'kubeadmActions', filter: /^\.\/kubeadmActions$/, entry: 'src/host/provisioning/kubeadmActions.ts' },
  { name: 'tuningActions', filter: /^\.\/tuningActions$/, entry: 'src/host/tuning/tuningActions.ts' },
  { name: 'hpaTreeHints', filter: /\/core\/tuning\/hpaTreeHints$/, entry: 'src/core/tuning/hpaTreeHints.ts' },
  { name: 'tuningMetrics', filter: /\/node\/tuning\/tuningMetrics$/, entry: 'src/node/tuning/tuningMetrics.ts' },
  { name: 'backupFlows', filter: /^\.\/backupFlows$/, entry: 'src/host/backups/backupFlows.ts' },
  { name: 'describe', filter: /\/core\/explorer\/describe$/, entry: 'src/core/explorer/describe.ts' },
  { name: 'applyCommand', filter: /^\.\/applyCommand$/, entry: 'src/host/remote/applyCommand.ts' },
];

/** Keeps lazily loaded chunks out of the main bundle: `import('./kubeSdk')` stays a runtime require of dist/kubeSdk.js. */
const lazyChunks = {
  name: 'lazy-chunks',
  setup(build) {
    build.onResolve({ filter: /^\.\/kubeSdk$/ }, () => ({ path: './kubeSdk.js', external: true }));
    build.onResolve({ filter: /\/core\/manifests\/manifestsEngine$/ }, () => ({ path: './manifestsEngine.js', external: true }));
    provisioningChunkResolver(build);
    // kubeadm over SSH: ssh2 is loaded only when an SSH command runs.
    build.onResolve({ filter: /\/node\/provisioning\/ssh\/kubeadmSsh$/ }, () => ({ path: './kubeadmSsh.js', external: true }));
    cloudChunkResolver(build);
    for (const c of extensionChunks) build.onResolve({ filter: c.filter }, () => ({ path: `./${c.name}.js`, external: true }));
  },
};
// Provisioning formats and wizards of every cloud (dist/provisioningCatalog.js), loaded by the first provisioning
// command (extension and CLI).
function provisioningChunkResolver(build) {
  build.onResolve({ filter: /\/core\/provisioning\/provisioningCatalog$/ }, () => ({ path: './provisioningCatalog.js', external: true }));
}
// Each cloud's SDK lives in its own chunk (dist/eksProvider.js, …; the Azure service-principal sign-in in
// dist/explicitAzureCredential.js), loaded only when that cloud is used. The CLI reaches the same chunks
// (`clusterdeck token gke`) and the same dist/kubeSdk.js (`clusterdeck recommend`), so `clusterdeck lint` parses no
// cloud SDK and no @kubernetes/client-node.
const cloudChunkFiles = ['eks/eksProvider', 'gke/gkeProvider', 'aks/aksProvider', 'aks/explicitAzureCredential'];
function cloudChunkResolver(build) {
  build.onResolve({ filter: /\/node\/clouds\/(eks|gke|aks)\/(eksProvider|gkeProvider|aksProvider|explicitAzureCredential)$/ }, (a) => ({
    path: `./${a.path.split('/').pop()}.js`,
    external: true,
  }));
}
const cloudChunks = {
  name: 'cloud-chunks',
  setup(build) {
    build.onResolve({ filter: /^\.\/kubeSdk$/ }, () => ({ path: './kubeSdk.js', external: true }));
    provisioningChunkResolver(build);
    cloudChunkResolver(build);
  },
};

export const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  absWorkingDir: root,
};

/**
 * `yaml` in dist/extension.js is the package's ES-module build (its `browser` export), which esbuild can tree-shake
 * (260 KB → 196 KB of the bundle, parsed at every activation). The two builds are the same source; they differ only
 * in Node-only debugging (LOG_TOKENS / LOG_STREAM), warnings (console.warn instead of process.emitWarning) and the
 * YAML 1.1 `!!binary` tag (a Uint8Array via atob/btoa instead of a Buffer), none of which we use.
 */
const treeShakenYaml = {
  name: 'tree-shaken-yaml',
  setup(build) {
    build.onResolve({ filter: /^yaml$/ }, () => ({ path: join(root, 'node_modules', 'yaml', 'browser', 'index.js') }));
  },
};

/** dist/extension.js: what activation loads. */
export const extensionBuild = {
  ...common,
  entryPoints: ['src/extension.ts'],
  outfile: 'dist/extension.js',
  external: ['vscode'],
  plugins: [lazyChunks, treeShakenYaml],
  metafile: true,
};

export const builds = [
  extensionBuild,
  { ...common, entryPoints: ['src/node/kube/kubeSdk.ts'], outfile: 'dist/kubeSdk.js', external: ['vscode'] },
  { ...common, entryPoints: ['src/core/manifests/manifestsEngine.ts'], outfile: 'dist/manifestsEngine.js' },
  { ...common, entryPoints: ['src/core/provisioning/provisioningCatalog.ts'], outfile: 'dist/provisioningCatalog.js' },
  // ssh2's optional native addons stay out: without them it uses its pure-JS ciphers (both requires sit in try/catch).
  {
    ...common,
    entryPoints: ['src/node/provisioning/ssh/kubeadmSsh.ts'],
    outfile: 'dist/kubeadmSsh.js',
    external: ['*.node', 'cpu-features'],
  },
  { ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' }, plugins: [cloudChunks] },
  // The Right-size report's webview script (browser, no Node); chart.js is copied next to it below.
  {
    ...common,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    entryPoints: ['media/webview/tuningReport.js'],
    outfile: 'dist/media/tuningReport.js',
  },
  ...cloudChunkFiles.map((f) => ({
    ...common,
    entryPoints: [`src/node/clouds/${f}.ts`],
    outfile: `dist/${f.split('/').pop()}.js`,
    external: ['vscode'],
  })),
  ...extensionChunks.map((c) => ({ ...common, entryPoints: [c.entry], outfile: `dist/${c.name}.js`, external: ['vscode'] })),
];

if (args.has('--tests')) {
  const suites = existsSync(join(root, 'test/e2e/suites'))
    ? readdirSync(join(root, 'test/e2e/suites'))
        .filter((f) => f.endsWith('.test.ts'))
        .map((f) => `test/e2e/suites/${f}`)
    : [];
  if (suites.length) {
    builds.push({ ...common, entryPoints: suites, outdir: 'out/e2e/suites', external: ['vscode', 'mocha'] });
  }
  builds.push({ ...common, entryPoints: ['test/e2e/harness/extension.ts'], outfile: 'out/e2e/harness/extension.js', external: ['vscode'] });
  builds.push({
    ...common,
    entryPoints: ['test/e2e/electron/index.ts'],
    outfile: 'out/e2e/electron/index.js',
    external: ['vscode', 'mocha'],
  });
}

if (isMain) await main();

async function main() {
  mkdirSync(join(root, 'dist/media'), { recursive: true });
  copyFileSync(join(root, 'node_modules/chart.js/dist/chart.umd.min.js'), join(root, 'dist/media/chart.umd.min.js'));
  if (args.has('--watch')) {
    const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
    await Promise.all(contexts.map((c) => c.watch()));
    console.log('[build] watching for changes…');
  } else {
    const started = Date.now();
    const results = await Promise.all(builds.map((b) => esbuild.build(b)));
    chmodSync(join(root, 'dist/cli.js'), 0o755);
    if (args.has('--tests')) copyFileSync(join(root, 'test/e2e/harness/package.json'), join(root, 'out/e2e/harness/package.json'));
    const meta = results[0].metafile;
    // What dist/extension.js is made of, for a bundle analysis (`esbuild --analyze`-style, or https://esbuild.github.io/analyze/).
    writeFileSync(join(root, 'dist/extension.meta.json'), JSON.stringify(meta));
    const bytes = Object.values(meta.outputs).reduce((n, o) => n + o.bytes, 0);
    console.log(`[build] ${builds.length} bundles in ${Date.now() - started} ms (extension.js ${(bytes / 1024).toFixed(0)} KiB)`);
  }
}
