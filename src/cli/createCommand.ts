// `clusterdeck cluster create --file F` and `clusterdeck nodepool create --file F`: the editor's "Create from file"
// on the command line. Without --yes it only prints what would be created (nothing is sent); with --yes it
// journals and creates through the same runPlan as the editor, exactly once.
import { createHash, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { ClusterDeckError } from '../core/errors';
import type { PlanOverrides } from '../core/provisioning/provisioning';
import type { CloudLoaders } from '../node/clouds/cloudRegistry';
import { FileJournal } from '../node/provisioning/fileJournal';
import { ownerAlive } from '../node/provisioning/ownerAlive';
import { cliProviders, providerGetter } from './cliProviders';
import type { CliIo } from './lintCommand';

export const createUsage = `Usage: clusterdeck cluster create --file F [--yes] [--wait] [--account A] [--location L] [--resource-group G]
       clusterdeck nodepool create --file F [--yes] [--wait] [--account A] [--location L] [--resource-group G]

Reads an eksctl ClusterConfig, a GKE Cluster / NodePool request, or an ARM managedClusters / agentPools resource,
validates it and prints what would be created, where, and the estimated node count.

Options:
  --file F            the cluster or node-pool file (YAML or JSON)
  --yes               create it (without --yes nothing is sent)
  --wait              follow the operation to the end (else: start it and return)
  --account A         AWS profile, GCP project or Azure subscription, when the file does not name it
  --location L        region or location, when the file does not name it
  --resource-group G  Azure resource group, when the file does not name it

Running the same file again never creates a second resource: it resumes or says it already exists.
Exit codes: 0 created, started or already there; 1 the cloud refused or the operation failed; 2 usage or file error.`;

export interface CreateCommandDeps {
  readonly env?: NodeJS.ProcessEnv;
  readonly loaders?: CloudLoaders;
  /** The journal folder (default $CLUSTERDECK_JOURNAL_DIR, else ~/.local/state/clusterdeck/ops). */
  readonly journalDir?: string;
}

interface Args {
  file?: string;
  yes: boolean;
  wait: boolean;
  overrides: { account?: string; location?: string; resourceGroup?: string };
}

function parseArgs(argv: readonly string[]): Args | 'help' {
  const a: Args = { yes: false, wait: false, overrides: {} };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const val = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new ClusterDeckError('invalid', `${k} needs a value.`);
      return v;
    };
    if (k === '-h' || k === '--help') return 'help';
    else if (k === '--file' || k === '-f') a.file = val();
    else if (k === '--yes' || k === '-y') a.yes = true;
    else if (k === '--wait') a.wait = true;
    else if (k === '--account') a.overrides.account = val();
    else if (k === '--location') a.overrides.location = val();
    else if (k === '--resource-group') a.overrides.resourceGroup = val();
    else throw new ClusterDeckError('invalid', `unknown option "${k}".`);
  }
  if (!a.file) throw new ClusterDeckError('invalid', '--file is required.');
  return a;
}

/** Runs `cluster create` / `nodepool create` (`which` from the first word). */
export async function createCommand(
  which: 'cluster' | 'nodePool',
  argv: readonly string[],
  io: CliIo,
  deps: CreateCommandDeps = {},
): Promise<number> {
  const name = which === 'cluster' ? 'cluster create' : 'nodepool create';
  let args: Args | 'help';
  try {
    args = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof ClusterDeckError)) throw e;
    io.err(`clusterdeck ${name}: ${e.message}\n\n${createUsage}`);
    return 2;
  }
  if (args === 'help') {
    io.out(createUsage);
    return 0;
  }
  const env = deps.env ?? process.env;
  const file = resolve(io.cwd, args.file ?? '');
  const catalog = await import('../core/provisioning/provisioningCatalog');
  let planned;
  try {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      throw new ClusterDeckError('badConfig', `cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? 'error'}).`);
    }
    const overrides: PlanOverrides = args.overrides;
    planned = catalog.planFromDocument(catalog.parseSingleDocument(text, file), overrides, file);
  } catch (e) {
    if (!(e instanceof ClusterDeckError)) throw e;
    io.err(`clusterdeck ${name}: ${e.message}`);
    return 2;
  }
  if (planned.which !== which) {
    io.err(
      `clusterdeck ${name}: ${file} describes a ${planned.which === 'cluster' ? 'cluster' : 'node pool'}; use \`clusterdeck ${planned.which === 'cluster' ? 'cluster' : 'nodepool'} create\`.`,
    );
    return 2;
  }
  const { plan } = planned;
  for (const line of catalog.planSummary(plan)) io.out(line);
  io.out(`Equivalent: ${plan.equivalentCommand}`);
  if (!args.yes) {
    io.out('Nothing created: add --yes to create it.');
    return 0;
  }
  const provider = await providerGetter(deps.loaders ?? cliProviders(env))(plan.cloud);
  if (!provider?.provisioning) {
    io.err(`clusterdeck ${name}: this build cannot create ${plan.cloud.toUpperCase()} resources.`);
    return 2;
  }
  const journal = new FileJournal(
    deps.journalDir ?? env.CLUSTERDECK_JOURNAL_DIR ?? join(env.XDG_STATE_HOME ?? join(homedir(), '.local', 'state'), 'clusterdeck', 'ops'),
  );
  const ac = new AbortController();
  const onSigint = () => ac.abort();
  process.once('SIGINT', onSigint);
  try {
    const r = await catalog.runPlan(plan, {
      provider: provider.provisioning,
      journal,
      newId: () => randomUUID(),
      digest: (t) => createHash('sha256').update(t).digest('hex'),
      now: () => Date.now(),
      owner: `cli-${process.pid}`,
      ownerAlive,
      wait: args.wait,
      signal: ac.signal,
      onProgress: (m) => io.err(m),
      setInterval: (fn, ms) => {
        const t = setInterval(fn, ms);
        t.unref();
        return { dispose: () => clearInterval(t) };
      },
    });
    for (const n of r.notes) io.out(n);
    if (r.outcome === 'succeeded') io.out(`Done: ${plan.what}.`);
    else if (r.outcome === 'busy') io.out(`${plan.what} is being followed by another ClusterDeck window; nothing was sent.`);
    else io.out(`Started: ${plan.what}. It keeps provisioning; run the same command with --wait to follow it (nothing is created twice).`);
    return 0;
  } catch (e) {
    if (e instanceof catalog.ProvisionFailedError) {
      io.err(`clusterdeck ${name}: ${e.message}`);
      if (e.partial.length > 0) io.err(`Left in place (nothing was deleted): ${e.partial.join('; ')}`);
      return 1;
    }
    if (e instanceof ClusterDeckError) {
      io.err(`clusterdeck ${name}: ${e.message}`);
      return e.reason === 'invalid' || e.reason === 'badConfig' ? 2 : 1;
    }
    throw e;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
