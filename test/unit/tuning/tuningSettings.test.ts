import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTuningSettings } from '../../../src/core/tuning/tuningSettings';
import { krrDefaults } from '../../../src/core/tuning/recommendRequests';

test('tuning settings: strategy, history window and prices as the user set them', () => {
  assert.deepEqual(
    parseTuningSettings({ strategy: 'vpa', historyDays: 7, prices: { cpuCoreMonth: 24.5, memoryGiBMonth: 3.2, currency: 'EUR' } }),
    {
      strategy: 'vpa',
      windowSeconds: 7 * 86400,
      prices: { cpuCoreMonth: 24.5, memoryGiBMonth: 3.2, currency: 'EUR' },
    },
  );
  assert.equal(parseTuningSettings({ strategy: 'simple_limit' }).strategy, 'simple_limit');
});

test('tuning settings: anything malformed falls back to KRR simple over 14 days, and never invents prices', () => {
  const d = parseTuningSettings({ strategy: 'magic', historyDays: -3, prices: { cpuCoreMonth: '10', memoryGiBMonth: 2 } });
  assert.deepEqual(d, { strategy: 'simple', windowSeconds: krrDefaults.historySeconds });
  assert.equal(parseTuningSettings({ prices: { cpuCoreMonth: -1, memoryGiBMonth: 2 } }).prices, undefined);
  assert.equal(parseTuningSettings({ prices: { cpuCoreMonth: Number.NaN, memoryGiBMonth: 2 } }).prices, undefined);
  assert.equal(parseTuningSettings({ historyDays: 'x' }).windowSeconds, krrDefaults.historySeconds);
  // A tiny window is raised to the minimum the strategy needs for enough data points.
  assert.equal(parseTuningSettings({ historyDays: 0.0001 }).windowSeconds, krrDefaults.minimumHistorySeconds);
});
