import type { Rule } from '../rule';

/** Rules of this family (lint-rules.md §2). */
export const metadataRules: readonly Rule[] = [];
