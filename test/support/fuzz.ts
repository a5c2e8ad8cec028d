/** Cases per property: 1,000 in `npm test` (CI), more with `npm run fuzz` (CLUSTERDECK_FUZZ_RUNS). */
export const fuzzRuns = Math.max(1, Number(process.env.CLUSTERDECK_FUZZ_RUNS ?? 1000) || 1000);
