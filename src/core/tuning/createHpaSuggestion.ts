/**
 * What the "Create HPA…" wizard pre-fills for a Deployment: min/max/target from the history of its pods' CPU usage
 * when a metrics source keeps one (`suggestHpa`, the controller model of tuning-formulas.md §6.2), else starting
 * values that say plainly they are not from history and what is missing. Never a number presented as measured
 * when it was not. Pure apart from the MetricsSource port.
 */
import { CancelledError, ClusterDeckError, isCancellation } from '../errors';
import { podCpuRequestCores, type HpaWizardValues } from './manifestEdits';
import type { MetricsSource } from './metricsSource';
import { suggestHpa } from './recommendHpa';
import { krrDefaults } from './recommendRequests';
import { podPatternOf } from './recommendWorkloads';

/** Starting values without history: keep the current replicas as the floor, room to double, 70 % CPU. */
export function defaultHpaValues(specReplicas: number | undefined): HpaWizardValues {
  const replicas = Math.max(1, specReplicas ?? 1);
  const minReplicas = Math.max(1, Math.min(2, replicas));
  return { minReplicas, maxReplicas: Math.max(minReplicas + 1, replicas * 2), targetUtilizationPercent: 70 };
}

/** The wizard's starting point: the values, one sentence on where they come from, and whether history backed them. */
export interface HpaStartingPoint {
  readonly values: HpaWizardValues;
  readonly basis: string;
  readonly fromHistory: boolean;
}

/**
 * Suggests the HPA of a Deployment object. `found` is the context's metrics (a source, or what is missing and how
 * to install it). A failed query falls back to the starting values with the query's message; cancellation throws.
 */
export async function suggestHpaFor(
  deployment: Record<string, unknown>,
  found: { readonly source: MetricsSource } | { readonly missing: string },
  options: { readonly signal: AbortSignal; readonly windowSeconds?: number; readonly stepSeconds?: number; readonly endSeconds?: number },
): Promise<HpaStartingPoint> {
  const spec = (deployment.spec ?? {}) as { replicas?: unknown };
  const metadata = (deployment.metadata ?? {}) as { name?: unknown; namespace?: unknown };
  const defaults = defaultHpaValues(typeof spec.replicas === 'number' ? spec.replicas : undefined);
  const fallback = (why: string): HpaStartingPoint => ({
    values: defaults,
    basis: `Starting values, not from history: ${why}`,
    fromHistory: false,
  });
  if ('missing' in found) return fallback(found.missing);
  const source = found.source;
  if (!source.workloadUsage)
    return fallback(`${source.description} keeps no usage history; Prometheus (with cAdvisor metrics) is needed to size an HPA.`);
  const windowSeconds = options.windowSeconds ?? krrDefaults.historySeconds;
  let usage;
  try {
    usage = await source.workloadUsage(
      {
        namespace: typeof metadata.namespace === 'string' ? metadata.namespace : 'default',
        podPattern: podPatternOf('Deployment', typeof metadata.name === 'string' ? metadata.name : ''),
        resource: 'cpu',
        windowSeconds,
        stepSeconds: options.stepSeconds ?? krrDefaults.stepSeconds,
        ...(options.endSeconds !== undefined ? { endSeconds: options.endSeconds } : {}),
      },
      { signal: options.signal },
    );
  } catch (e) {
    if (isCancellation(e) || options.signal.aborted) throw new CancelledError();
    if (e instanceof ClusterDeckError) return fallback(e.message);
    throw e;
  }
  const s = suggestHpa({ resource: 'cpu', usage, podRequest: podCpuRequestCores(deployment) });
  if (!s.ok) return fallback(`${s.reason} (${source.description}, ${Math.round(windowSeconds / 86400)} days)`);
  return {
    values: { minReplicas: s.minReplicas, maxReplicas: s.maxReplicas, targetUtilizationPercent: s.targetUtilizationPercent },
    basis: `From ${Math.round(windowSeconds / 86400)} days of CPU usage (${source.description}): ${s.notes.join(' ')}`,
    fromHistory: true,
  };
}
