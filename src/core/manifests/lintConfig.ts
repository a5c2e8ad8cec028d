import { parseDocument } from 'yaml';
import type { SchemaTable } from './schema/schemaTypes';
import type { Preset, RuleLevel } from './types';

/** `.clusterdeck/lint.yaml`, shared by the editor and the CLI (lint-rules.md §3). */
export interface LintConfig {
  readonly preset: Preset;
  readonly rules: Readonly<Record<string, RuleLevel>>;
  readonly ignorePaths: readonly string[];
  /** Namespaces marked `partial`: "target missing" and "selects nothing" findings never fire there. */
  readonly partialNamespaces: readonly string[];
  readonly targetKubernetesVersion?: string;
  readonly requiredLabels: readonly string[];
  readonly allowedRegistries: readonly string[];
  /** CLI `--complete`: the set holds everything, so "target missing" rules fire for every namespace. */
  readonly complete: boolean;
  /** Honour kube-linter / Polaris / kube-score / Datree annotations (default true). */
  readonly honorForeignSuppressions: boolean;
  /** Namespace of objects without one (CLI `--namespace`, default `default`). */
  readonly defaultNamespace: string;
  /** Schema tables from outside the lint set, e.g. the custom kinds of the cluster a folder is bound to. */
  readonly extraSchemas?: readonly SchemaTable[];
}

export const defaultLintConfig: LintConfig = {
  preset: 'recommended',
  rules: {},
  ignorePaths: [],
  partialNamespaces: [],
  requiredLabels: [],
  allowedRegistries: [],
  complete: false,
  honorForeignSuppressions: true,
  defaultNamespace: 'default',
};

const presets: readonly Preset[] = ['recommended', 'strict', 'minimal'];
const levels: readonly RuleLevel[] = ['off', 'info', 'warning', 'error'];

/** A problem in the config file, with a 1-based line. */
export interface LintConfigProblem {
  readonly line: number;
  readonly message: string;
}

/**
 * Parses `.clusterdeck/lint.yaml`. Unknown keys and bad values are problems (with lines), never silent:
 * the rest of the file still applies.
 */
export function parseLintConfig(text: string, base: LintConfig = defaultLintConfig): { config: LintConfig; problems: LintConfigProblem[] } {
  const problems: LintConfigProblem[] = [];
  const doc = parseDocument(text);
  const lineOf = (offset: number | undefined) => (offset === undefined ? 1 : text.slice(0, offset).split('\n').length);
  for (const e of doc.errors) problems.push({ line: lineOf(e.pos[0]), message: e.message.split('\n')[0] ?? '' });
  const raw: unknown = doc.errors.length ? {} : doc.toJS({ maxAliasCount: 50 });
  if (raw === null || raw === undefined) return { config: base, problems };
  if (typeof raw !== 'object' || Array.isArray(raw))
    return { config: base, problems: [...problems, { line: 1, message: 'The lint config must be a mapping.' }] };
  const obj = raw as Record<string, unknown>;
  const at = (key: string) => lineOf((doc.get(key, true) as { range?: number[] } | undefined)?.range?.[0]);
  const rules: Record<string, RuleLevel> = { ...base.rules };
  const config: { -readonly [K in keyof LintConfig]: LintConfig[K] } = { ...base, rules };
  const stringList = (key: string): string[] | undefined => {
    const v = obj[key];
    if (v === undefined) return undefined;
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v;
    problems.push({ line: at(key), message: `"${key}" must be a list of strings.` });
    return undefined;
  };
  for (const key of Object.keys(obj)) {
    switch (key) {
      case 'preset':
        if (presets.includes(obj.preset as Preset)) config.preset = obj.preset as Preset;
        else problems.push({ line: at(key), message: `"preset" must be one of ${presets.join(', ')}.` });
        break;
      case 'rules': {
        const given = obj.rules;
        if (!given || typeof given !== 'object' || Array.isArray(given)) {
          problems.push({ line: at(key), message: '"rules" must map rule ids to off, info, warning or error.' });
          break;
        }
        for (const [id, level] of Object.entries(given as Record<string, unknown>)) {
          if (levels.includes(level as RuleLevel)) rules[id] = level as RuleLevel;
          else problems.push({ line: at(key), message: `Rule "${id}": the level must be off, info, warning or error.` });
        }
        break;
      }
      case 'ignorePaths':
        config.ignorePaths = stringList(key) ?? config.ignorePaths;
        break;
      case 'requiredLabels':
        config.requiredLabels = stringList(key) ?? config.requiredLabels;
        break;
      case 'allowedRegistries':
        config.allowedRegistries = stringList(key) ?? config.allowedRegistries;
        break;
      case 'namespaces': {
        const ns = obj.namespaces;
        if (ns && typeof ns === 'object' && !Array.isArray(ns)) {
          config.partialNamespaces = Object.entries(ns as Record<string, unknown>)
            .filter(([, v]) => v === 'partial')
            .map(([k]) => k);
        } else problems.push({ line: at(key), message: '"namespaces" must map namespace names to "partial".' });
        break;
      }
      case 'targetKubernetesVersion': {
        const v = String(obj.targetKubernetesVersion);
        if (/^1\.\d{1,2}$/.test(v)) config.targetKubernetesVersion = v;
        else problems.push({ line: at(key), message: '"targetKubernetesVersion" must look like 1.31.' });
        break;
      }
      case 'honorForeignSuppressions':
        config.honorForeignSuppressions = obj.honorForeignSuppressions !== false;
        break;
      default:
        problems.push({
          line: at(key),
          message: `Unknown key "${key}" (known: preset, rules, ignorePaths, namespaces, targetKubernetesVersion, requiredLabels, allowedRegistries, honorForeignSuppressions).`,
        });
    }
  }
  return { config, problems };
}
