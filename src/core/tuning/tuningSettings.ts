// The user's tuning settings (clusterdeck.tuning.strategy / historyDays / prices) read into what the engine takes.
// Anything malformed falls back to the default (KRR simple, 14 days, no prices): a bad setting never invents a cost.
import { krrDefaults, strategyNames, type Prices, type StrategyName } from './recommendRequests';

export interface TuningSettings {
  readonly strategy: StrategyName;
  readonly windowSeconds: number;
  readonly prices?: Prices;
}

export function parseTuningSettings(raw: {
  readonly strategy?: unknown;
  readonly historyDays?: unknown;
  readonly prices?: unknown;
}): TuningSettings {
  const strategy =
    typeof raw.strategy === 'string' && (strategyNames as readonly string[]).includes(raw.strategy)
      ? (raw.strategy as StrategyName)
      : 'simple';
  const days = raw.historyDays;
  const windowSeconds =
    typeof days === 'number' && Number.isFinite(days) && days > 0
      ? Math.max(krrDefaults.minimumHistorySeconds, Math.round(days * 86400))
      : krrDefaults.historySeconds;
  const p = (typeof raw.prices === 'object' && raw.prices !== null ? raw.prices : {}) as {
    cpuCoreMonth?: unknown;
    memoryGiBMonth?: unknown;
    currency?: unknown;
  };
  const prices =
    typeof p.cpuCoreMonth === 'number' &&
    typeof p.memoryGiBMonth === 'number' &&
    Number.isFinite(p.cpuCoreMonth) &&
    Number.isFinite(p.memoryGiBMonth) &&
    p.cpuCoreMonth >= 0 &&
    p.memoryGiBMonth >= 0
      ? {
          cpuCoreMonth: p.cpuCoreMonth,
          memoryGiBMonth: p.memoryGiBMonth,
          ...(typeof p.currency === 'string' ? { currency: p.currency } : {}),
        }
      : undefined;
  return { strategy, windowSeconds, ...(prices ? { prices } : {}) };
}
