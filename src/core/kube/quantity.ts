/**
 * Kubernetes resource quantities ("500m", "1Gi", "2.5", "1e3"): the grammar of apimachinery's Quantity
 * (lint-rules.md §4.3) and conversion to numbers.
 */
const quantityPattern = /^[+-]?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE][+-]?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$/;

const binary: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const decimal: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** True when the string (or number) is a valid Quantity. */
export function isQuantity(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  return typeof value === 'string' && quantityPattern.test(value);
}

/** The quantity in base units (cores for CPU, bytes for memory); undefined when not a valid Quantity. */
export function parseQuantity(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string' || !quantityPattern.test(value)) return undefined;
  const m = /^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(.*)$/.exec(value);
  if (!m) return undefined;
  const n = Number(m[1]);
  const suffix = m[2] ?? '';
  if (suffix in binary) return n * (binary[suffix] ?? 1);
  if (suffix in decimal) return n * (decimal[suffix] ?? 1);
  if (/^[eE]/.test(suffix)) return n * 10 ** Number(suffix.slice(1));
  return undefined;
}

/** CPU in millicores (rounded up, as the API does), or undefined. */
export function cpuMillicores(value: unknown): number | undefined {
  const q = parseQuantity(value);
  return q === undefined ? undefined : Math.ceil(q * 1000 - 1e-9);
}

/** Memory or storage in bytes, or undefined. */
export function memoryBytes(value: unknown): number | undefined {
  const q = parseQuantity(value);
  return q === undefined ? undefined : Math.ceil(q - 1e-9);
}

/** A CPU amount in cores as a Kubernetes quantity: whole cores as `"2"`, otherwise millicores (`"250m"`), rounded up to 1m. */
export function formatCpuCores(cores: number): string {
  const milli = Math.ceil(cores * 1000 - 1e-9);
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}

/** A memory amount in bytes as a Kubernetes quantity in whole MiB (`"256Mi"`), rounded up to 1Mi. */
export function formatMemoryBytes(bytes: number): string {
  return `${Math.ceil(bytes / 2 ** 20 - 1e-9)}Mi`;
}
