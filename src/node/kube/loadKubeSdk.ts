/** The lazily loaded Kubernetes client chunk (see kubeSdk.ts). */
export type KubeSdk = typeof import('./kubeSdk');

let pending: Promise<KubeSdk> | undefined;

/** Loads @kubernetes/client-node on first use; later calls share the same module. */
export function loadKubeSdk(): Promise<KubeSdk> {
  // The bundler maps './kubeSdk' to the separate file dist/kubeSdk.js (scripts/build.mjs).
  pending ??= import('./kubeSdk');
  return pending;
}
