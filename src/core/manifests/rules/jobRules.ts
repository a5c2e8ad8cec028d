import type { Rule } from '../rule';

/** Rules of this family (lint-rules.md §2). */
export const jobRules: readonly Rule[] = [];
