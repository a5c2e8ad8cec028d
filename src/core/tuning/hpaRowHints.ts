/**
 * What the Clusters tree shows on an HPA row: the hints of one HPA (computed by hpaTreeHints.ts, a lazy chunk) and
 * their short text. Kept apart so drawing a row loads none of the rules.
 */
import type { HpaHint } from './recommendHpa';

/** The hints of one HPA, or why its target could not be checked. */
export interface HpaRowHints {
  readonly hints: readonly HpaHint[];
  /** The target was not found (or not readable): the static rules could not run. */
  readonly unchecked?: string;
}

/** `✖ no cpu request` / `⚠ min = max`: the short text the tree row shows before its summary. */
export function describeHpaHints(row: HpaRowHints): string {
  const worst = row.hints.some((h) => h.severity === 'error') ? '✖' : row.hints.some((h) => h.severity === 'warning') ? '⚠' : 'ℹ';
  if (row.hints.length === 0) return '';
  const short: Record<HpaHint['ruleId'], string> = {
    'hpa-utilization-without-request': 'cannot compute: no request',
    'hpa-min-equals-max': 'min = max',
    'hpa-min-replicas-below-2': 'min < 2 in production',
    'hpa-spec-replicas-fights-hpa': 'spec.replicas fights the HPA',
    'hpa-pinned-at-max': 'pinned at max',
    'hpa-flapping': 'flapping',
    'hpa-target-far-from-observed': 'target far from observed',
    'hpa-min-replicas-idle': 'idle at min',
  };
  return `${worst} ${[...new Set(row.hints.map((h) => short[h.ruleId]))].join(', ')}`;
}
