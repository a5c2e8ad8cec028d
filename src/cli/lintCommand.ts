// `clusterdeck lint [paths|globs…]`: the same engine as the editor, for CI pipelines.
import { readFile } from 'node:fs/promises';
import { dirname, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { formatJson, formatSarif, formatText, locateFindings, meetsThreshold, type LocatedFinding } from '../core/manifests/formatFindings';
import { defaultLintConfig, parseLintConfig, type LintConfig } from '../core/manifests/lintConfig';
import { lintManifests } from '../core/manifests/lintManifests';
import { parseManifestFile, skippedManifestFile } from '../core/manifests/parseManifests';
import { ruleCatalogue } from '../core/manifests/ruleCatalogue';
import type { Finding, ManifestFile, Preset, Severity } from '../core/manifests/types';
import { decodeText, expandManifestPaths, findLintConfig, readManifest } from '../node/manifests/manifestFiles';
import { matchesAnyGlob } from '../core/manifests/globMatch';

export const lintUsage = `Usage: clusterdeck lint [paths|globs…|-] [options]

Lints Kubernetes manifests (directories are searched for *.yaml and *.yml; - reads stdin).

Options:
  --format text|json|sarif          output format (default text)
  --preset recommended|strict|minimal
  --kubernetes-version 1.31         target Kubernetes version for schemas and API versions
  --config FILE                     lint config (default: .clusterdeck/lint.yaml found upwards)
  --complete                        the inputs are the whole set: "target missing" rules fire everywhere
  --fail-on error|warning|info      exit 1 when a finding at or above this level exists (default error)
  --namespace NS                    namespace of objects without one (default "default")
  --no-foreign-suppressions         ignore kube-linter/Polaris/kube-score/Datree annotations
  -h, --help

Exit codes: 0 no finding at or above --fail-on, 1 such findings, 2 usage or I/O error.`;

export interface CliIo {
  readonly out: (s: string) => void;
  readonly err: (s: string) => void;
  readonly cwd: string;
  readonly isTty: boolean;
  readonly readStdin: () => Promise<string>;
  readonly version: string;
}

class UsageError extends Error {}

const oneOf = <T extends string>(name: string, value: string | undefined, allowed: readonly T[], fallback: T): T => {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`--${name} must be one of ${allowed.join(', ')} (got "${value}")`);
};

export async function lintCommand(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        format: { type: 'string' },
        preset: { type: 'string' },
        'kubernetes-version': { type: 'string' },
        config: { type: 'string' },
        complete: { type: 'boolean' },
        'fail-on': { type: 'string' },
        namespace: { type: 'string' },
        'no-foreign-suppressions': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    io.err(`clusterdeck lint: ${(e as Error).message}\n\n${lintUsage}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(lintUsage);
    return 0;
  }
  try {
    const format = oneOf('format', values.format, ['text', 'json', 'sarif'] as const, 'text');
    const failOn = oneOf<Severity>('fail-on', values['fail-on'], ['error', 'warning', 'info'], 'error');
    const version = values['kubernetes-version'];
    if (version !== undefined && !/^1\.\d{1,2}$/.test(version))
      throw new UsageError(`--kubernetes-version must look like 1.31 (got "${version}")`);
    if (positionals.length === 0) throw new UsageError('name at least one file, directory or glob (or - for stdin)');

    // Each file follows the nearest .clusterdeck/lint.yaml above it (a per-folder override), unless --config names one.
    const overrides: Partial<LintConfig> = {
      ...(values.preset ? { preset: oneOf<Preset>('preset', values.preset, ['recommended', 'strict', 'minimal'], 'recommended') } : {}),
      ...(version ? { targetKubernetesVersion: version } : {}),
      ...(values.complete ? { complete: true } : {}),
      ...(values.namespace ? { defaultNamespace: values.namespace } : {}),
      ...(values['no-foreign-suppressions'] ? { honorForeignSuppressions: false } : {}),
    };
    const loaded = new Map<string, { config: LintConfig; root: string }>();
    const loadConfig = async (configPath: string | undefined): Promise<{ config: LintConfig; root: string; key: string }> => {
      const key = configPath ?? '';
      let entry = loaded.get(key);
      if (!entry) {
        let config: LintConfig = defaultLintConfig;
        if (configPath) {
          let text: string;
          try {
            text = await readFile(configPath, 'utf8');
          } catch {
            throw new UsageError(`cannot read the config file ${configPath}`);
          }
          const parsed = parseLintConfig(text);
          for (const p of parsed.problems) io.err(`${relative(io.cwd, configPath)}:${p.line}: ${p.message}`);
          config = parsed.config;
        }
        entry = { config: { ...config, ...overrides }, root: configPath ? dirname(dirname(configPath)) : io.cwd };
        loaded.set(key, entry);
      }
      return { ...entry, key };
    };
    const fixedConfig = values.config ? resolve(io.cwd, values.config) : undefined;
    const nearest = new Map<string, Promise<string | undefined>>();
    const configFor = (file: string) => {
      if (fixedConfig) return loadConfig(fixedConfig);
      const dir = dirname(file);
      let found = nearest.get(dir);
      if (!found) {
        found = findLintConfig(dir);
        nearest.set(dir, found);
      }
      return found.then(loadConfig);
    };

    const files: ManifestFile[] = [];
    const groups = new Map<string, { config: LintConfig; paths: Set<string> }>();
    const addToGroup = (group: { config: LintConfig; key: string }, path: string) => {
      const g = groups.get(group.key) ?? { config: group.config, paths: new Set<string>() };
      g.paths.add(path);
      groups.set(group.key, g);
    };
    const operands = positionals.filter((p) => p !== '-');
    if (positionals.includes('-')) {
      files.push(parseManifestFile('<stdin>', decodeText(Buffer.from(await io.readStdin(), 'utf8'))));
      addToGroup(await (fixedConfig ? loadConfig(fixedConfig) : findLintConfig(io.cwd).then(loadConfig)), '<stdin>');
    }
    const paths = operands.length ? await expandManifestPaths(operands, io.cwd, []) : [];
    for (const path of paths) {
      const group = await configFor(path);
      if (matchesAnyGlob(relative(group.root, path).split(sep).join('/'), group.config.ignorePaths)) continue;
      let read;
      try {
        read = await readManifest(path);
      } catch (e) {
        throw new UsageError(`cannot read ${relative(io.cwd, path)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
      files.push(
        'text' in read
          ? parseManifestFile(path, read.text)
          : skippedManifestFile(path, `Not linted: the file is ${(read.tooLargeBytes / 1048576).toFixed(0)} MB.`),
      );
      addToGroup(group, path);
    }

    // Every file is visible to cross-document rules; each group is linted under its own config.
    const results = new Map<string, Finding[]>();
    for (const g of groups.values())
      for (const [path, findings] of lintManifests(files, ruleCatalogue, g.config, { only: g.paths })) results.set(path, findings);
    const display = (p: string) => (p === '<stdin>' ? p : relative(io.cwd, p) || p);
    const located: LocatedFinding[] = files.flatMap((f) => locateFindings(display(f.path), f.text, results.get(f.path) ?? []));
    if (format === 'json') io.out(formatJson(located));
    else if (format === 'sarif') io.out(formatSarif(located, ruleCatalogue, io.version, (file) => file.split(sep).join('/')));
    else io.out(formatText(located, files.length, { color: io.isTty }));
    return located.some((f) => meetsThreshold(f, failOn)) ? 1 : 0;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    io.err(`clusterdeck lint: ${message}${e instanceof UsageError ? '' : ''}`);
    return 2;
  }
}
