/**
 * Damerau-Levenshtein distance (optimal string alignment: insertions, deletions, substitutions and transpositions
 * of adjacent characters), with an early exit once every alignment exceeds `max` (then returns max + 1).
 */
export function damerauLevenshtein(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = a.length;
  const m = b.length;
  if (n === 0) return m;
  if (m === 0) return n;
  let prevPrev = new Array<number>(m + 1).fill(0);
  let prev = Array.from({ length: m + 1 }, (_, j) => j);
  let cur = new Array<number>(m + 1).fill(0);
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    let rowMin = i;
    const ai = a.charCodeAt(i - 1);
    for (let j = 1; j <= m; j++) {
      const bj = b.charCodeAt(j - 1);
      const cost = ai === bj ? 0 : 1;
      let v = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === bj) v = Math.min(v, (prevPrev[j - 2] ?? 0) + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prevPrev, prev, cur] = [prev, cur, prevPrev];
  }
  return prev[m] ?? max + 1;
}

/**
 * The closest candidate within `max` edits, or undefined. The allowed distance grows with the word: words under 4
 * characters only match case-insensitively, under 8 within one edit ("rout" → "route", not "HTTP" → "SCTP").
 * Ties: a case-insensitive match first, then the smaller distance, then alphabetical.
 */
export function closestMatch(word: string, candidates: Iterable<string>, max = 2): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    if (c === word) continue;
    let score: number;
    if (c.toLowerCase() === lower) score = 0;
    else {
      const limit = Math.min(max, word.length >= 8 ? 2 : word.length >= 4 ? 1 : 0);
      const d = damerauLevenshtein(word, c, limit);
      if (d > limit) continue;
      score = d;
    }
    if (score < bestScore || (score === bestScore && best !== undefined && c < best)) {
      best = c;
      bestScore = score;
    }
  }
  return best;
}
