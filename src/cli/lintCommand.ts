// `clusterdeck lint [paths|globs…]`: the same engine as the editor, for CI pipelines.
import { readFile } from 'node:fs/promises';
import { dirname, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { formatJson, formatSarif, formatText, locateFindings, meetsThreshold, type LocatedFinding } from '../core/manifests/formatFindings';
import { defaultLintConfig, parseLintConfig, type LintConfig } from '../core/manifests/lintConfig';
import { lintManifests } from '../core/manifests/lintManifests';
import { parseManifestFile, skippedManifestFile } from '../core/manifests/parseManifests';
import { ruleCatalogue } from '../core/manifests/ruleCatalogue';
import type { ManifestFile, Preset, Severity } from '../core/manifests/types';
import { decodeText, expandManifestPaths, findLintConfig, readManifest } from '../node/manifests/manifestFiles';

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

    const configPath = values.config ? resolve(io.cwd, values.config) : await findLintConfig(io.cwd);
    let config: LintConfig = defaultLintConfig;
    if (configPath) {
      let text: string;
      try {
        text = await readFile(configPath, 'utf8');
      } catch {
        throw new UsageError(`cannot read the config file ${configPath}`);
      }
      const { config: fromFile, problems } = parseLintConfig(text);
      for (const p of problems) io.err(`${relative(io.cwd, configPath)}:${p.line}: ${p.message}`);
      config = fromFile;
    }
    config = {
      ...config,
      ...(values.preset ? { preset: oneOf<Preset>('preset', values.preset, ['recommended', 'strict', 'minimal'], 'recommended') } : {}),
      ...(version ? { targetKubernetesVersion: version } : {}),
      ...(values.complete ? { complete: true } : {}),
      ...(values.namespace ? { defaultNamespace: values.namespace } : {}),
      ...(values['no-foreign-suppressions'] ? { honorForeignSuppressions: false } : {}),
    };
    const configRoot = configPath ? dirname(dirname(configPath)) : io.cwd;

    const files: ManifestFile[] = [];
    const operands = positionals.filter((p) => p !== '-');
    if (positionals.includes('-')) files.push(parseManifestFile('<stdin>', decodeText(Buffer.from(await io.readStdin(), 'utf8'))));
    const paths = operands.length
      ? await expandManifestPaths(
          operands,
          io.cwd,
          config.ignorePaths.map((g) => relativeGlob(g, configRoot, io.cwd)),
        )
      : [];
    for (const path of paths) {
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
    }

    const results = lintManifests(files, ruleCatalogue, config);
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

/** An ignore glob written relative to the config's folder, re-expressed relative to the cwd. */
function relativeGlob(glob: string, configRoot: string, cwd: string): string {
  const prefix = relative(cwd, configRoot).split(sep).join('/');
  return prefix && !glob.startsWith('**') ? `${prefix}/${glob}` : glob;
}
