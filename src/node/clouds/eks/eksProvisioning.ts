// EKS provisioning, the I/O half (the EKS provider's `provisioning`; same lazy chunk dist/eksProvider.js).
//
// Exactly once (provisioning.md §1.6): CreateCluster / CreateNodegroup carry `clientRequestToken: ids.token` (the
// journal's token, derived from the step) and are sent once (maxAttempts 1: a resend is the user's or the
// journal's, with the same token and the identical body). Before sending, the describe tells whether the name is
// taken: by us (tag `clusterdeck-op` = this op, or `clusterdeck-token` = this step's token, i.e. the same spec) →
// adopt (`inProgress` while CREATING, `exists` once ACTIVE); by anyone else → conflict, "rename".
//
// A cluster step's body is { createCluster, createAddons } (core/provisioning/eks/eksPlan.ts): the add-ons are
// created when the cluster is ACTIVE, inside the cluster step's wait, each with a token derived from the step's
// token and the add-on name, so a resumed wait re-sends them harmlessly.
//
// Operation ids are self-contained for resumeCreate: `create-cluster:<name>:<token>:<opId>`,
// `create-nodegroup:<cluster>:<name>` and `create-iamrole:<role>` (account and region come from the step's target).
//
// "Create the standard role" (`iamRole` steps): GetRole first; a role of that name tagged ours (as above) is
// adopted (its missing policies attached) → `exists`; anyone else's → conflict, "rename". Otherwise CreateRole with
// the step's trust policy and our two tags (EntityAlreadyExists, a race → GetRole and the same rule), then one
// AttachRolePolicy per policy (idempotent in IAM). A cluster / node-group request naming a role as
// `arn:aws:iam::{account}:role/<name>` gets that role's own ARN from GetRole just before it is sent (the one
// documented substitution). IAM is eventually consistent: EKS may refuse a role created seconds ago ("could not be
// assumed"). Only for such a just-created role, and only for that refusal, the create is re-sent up to
// `iamPropagationRetries` times with doubling waits (from min(pollMs, 2 s)): the documented exception to "never
// retry a create blindly", safe because the resend carries the same clientRequestToken and body, and a refused
// request created nothing.
import { createHash } from 'node:crypto';
import {
  CreateAddonCommand,
  CreateClusterCommand,
  CreateNodegroupCommand,
  DescribeClusterCommand,
  DescribeClusterVersionsCommand,
  DescribeNodegroupCommand,
  ListAddonsCommand,
  ListClustersCommand,
  ListNodegroupsCommand,
  type Cluster,
  type CreateClusterRequest,
  type CreateNodegroupRequest,
  type EKSClient,
  type Nodegroup,
} from '@aws-sdk/client-eks';
import {
  DescribeInstanceTypeOfferingsCommand,
  DescribeKeyPairsCommand,
  DescribeRegionsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  EC2Client,
  type Subnet,
} from '@aws-sdk/client-ec2';
import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  GetRoleCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolesCommand,
  type Role,
} from '@aws-sdk/client-iam';
import type { CloudAccount, CloudOperation } from '../../../core/clouds/cloudProvider';
import { CancelledError, ClusterDeckError, throwIfCancelled } from '../../../core/errors';
import type { ChoiceItem, CreateOutcome, ProvisioningProvider, ProvisionStep } from '../../../core/provisioning/provisioning';
import { OWNERSHIP_KEY } from '../../../core/provisioning/provisioning';
import {
  roleReferenceName,
  type EksClusterStepBody,
  type EksCreateNodegroupBody,
  type EksIamRoleStepBody,
} from '../../../core/provisioning/eks/eksPlan';
import { mapEksError } from './eksErrors';

/** The second ownership tag: the step's token, so a later run of the same spec (a new journal entry) adopts it. */
export const TOKEN_TAG = 'clusterdeck-token';

type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string; expiration?: Date };

/** What the EKS provider shares with its provisioning half. */
export interface EksProvisioningContext {
  resolveAccount(
    account: string,
  ): Promise<{ readonly id: string; readonly region?: string; readonly sso: boolean; readonly credentials: () => Promise<Credentials> }>;
  /** The provider's EKS call: one log line, errors mapped; `mutating` → sent once (maxAttempts 1). */
  eks<T>(
    account: Awaited<ReturnType<EksProvisioningContext['resolveAccount']>>,
    region: string,
    operation: string,
    send: (c: EKSClient, abortSignal: AbortSignal | undefined) => Promise<T>,
    signal: AbortSignal | undefined,
    subject?: string,
    mutating?: boolean,
  ): Promise<T>;
  listAccounts(signal?: AbortSignal): Promise<readonly CloudAccount[]>;
  readonly ec2Endpoint?: string;
  readonly iamEndpoint?: string;
  readonly timeoutMs: number;
  readonly pollMs: number;
  readonly onRequest?: (line: string) => void;
}

type Account = Awaited<ReturnType<EksProvisioningContext['resolveAccount']>>;

const sleep = (ms: number, signal: AbortSignal | undefined): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new CancelledError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(new CancelledError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** A UUID-shaped token derived from the step's token and a suffix (one per add-on). */
export function derivedToken(token: string, suffix: string): string {
  const h = createHash('sha256').update(`${token}\0${suffix}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

const eksName = '[0-9A-Za-z][0-9A-Za-z_-]{0,99}';
const tokenPattern = '[0-9A-Za-z-]{1,64}';

const roleName = '[\\w+=,.@-]{1,64}';

/** Re-sends of a create EKS refused because a just-created role cannot be assumed yet (IAM propagation). */
export const iamPropagationRetries = 5;

type CreateOperationId =
  | { readonly kind: 'cluster'; readonly name: string; readonly token: string; readonly opId: string }
  | { readonly kind: 'nodegroup'; readonly cluster: string; readonly name: string }
  | { readonly kind: 'iamRole'; readonly name: string };

export function parseCreateOperationId(id: string): CreateOperationId | undefined {
  let m = new RegExp(`^create-cluster:(${eksName}):(${tokenPattern}):(${tokenPattern})$`).exec(id);
  if (m?.[1] && m[2] && m[3]) return { kind: 'cluster', name: m[1], token: m[2], opId: m[3] };
  m = new RegExp(`^create-nodegroup:(${eksName}):(${eksName})$`).exec(id);
  if (m?.[1] && m[2]) return { kind: 'nodegroup', cluster: m[1], name: m[2] };
  m = new RegExp(`^create-iamrole:(${roleName})$`).exec(id);
  if (m?.[1]) return { kind: 'iamRole', name: m[1] };
  return undefined;
}

function clusterBody(step: ProvisionStep): EksClusterStepBody {
  const b = step.body as Partial<EksClusterStepBody> | null;
  if (!b || typeof b !== 'object' || !b.createCluster || b.createCluster.name !== step.name || !Array.isArray(b.createAddons)) {
    throw new ClusterDeckError(
      'invalid',
      `The plan step for cluster ${step.name} is not an EKS cluster request; create it again from its file.`,
    );
  }
  return b as EksClusterStepBody;
}
function nodegroupBody(step: ProvisionStep): EksCreateNodegroupBody {
  const b = step.body as Partial<EksCreateNodegroupBody> | null;
  if (!b || typeof b !== 'object' || b.nodegroupName !== step.name || b.clusterName !== step.target.cluster) {
    throw new ClusterDeckError(
      'invalid',
      `The plan step for node group ${step.name} is not an EKS node group request; create it again from its file.`,
    );
  }
  return b as EksCreateNodegroupBody;
}

function roleBody(step: ProvisionStep): EksIamRoleStepBody {
  const b = step.body as Partial<EksIamRoleStepBody> | null;
  if (
    !b ||
    typeof b !== 'object' ||
    b.createRole?.RoleName !== step.name ||
    typeof b.createRole.AssumeRolePolicyDocument !== 'string' ||
    !Array.isArray(b.attachRolePolicies) ||
    (b.attachRolePolicies as readonly { RoleName?: unknown }[]).some((a) => a.RoleName !== step.name)
  ) {
    throw new ClusterDeckError(
      'invalid',
      `The plan step for IAM role ${step.name} is not an IAM role request; create it again from its file.`,
    );
  }
  return b as EksIamRoleStepBody;
}

/** EKS refusing a role IAM has not propagated yet: "Role with arn: … could not be assumed because …". */
export function isRoleNotAssumable(e: unknown): boolean {
  return e instanceof ClusterDeckError && e.reason === 'invalid' && /role\b.*\b(could not|cannot) be assumed/i.test(e.message);
}

const errorName = (e: unknown): string => {
  const name = typeof e === 'object' && e !== null ? (e as { name?: unknown }).name : undefined;
  return typeof name === 'string' ? name : '';
};

const issuesText = (issues: readonly { code?: string; message?: string }[] | undefined) =>
  (issues ?? [])
    .map((i) => [i.code, i.message].filter(Boolean).join(': '))
    .filter(Boolean)
    .join('; ');
const isQuota = (text: string) => /LimitExceeded|quota|limit of/i.test(text);

export function createEksProvisioning(ctx: EksProvisioningContext): ProvisioningProvider {
  const ec2Clients = new Map<string, EC2Client>();
  const iamClients = new Map<string, IAMClient>();
  const requestHandler = { requestTimeout: ctx.timeoutMs, connectionTimeout: Math.min(ctx.timeoutMs, 10_000), throwOnRequestTimeout: true };

  function ec2(account: Account, region: string): EC2Client {
    const key = `${account.id}\0${region}`;
    let c = ec2Clients.get(key);
    if (!c) {
      c = new EC2Client({
        region,
        ...(ctx.ec2Endpoint ? { endpoint: ctx.ec2Endpoint } : {}),
        credentials: account.credentials,
        retryMode: 'standard',
        maxAttempts: 3,
        requestHandler,
      });
      ec2Clients.set(key, c);
    }
    return c;
  }
  function iam(account: Account): IAMClient {
    let c = iamClients.get(account.id);
    if (!c) {
      // IAM is global; its signing region is us-east-1.
      c = new IAMClient({
        region: 'us-east-1',
        ...(ctx.iamEndpoint ? { endpoint: ctx.iamEndpoint } : {}),
        credentials: account.credentials,
        retryMode: 'standard',
        maxAttempts: 3,
        requestHandler,
      });
      iamClients.set(account.id, c);
    }
    return c;
  }

  /** One EC2/IAM read: a log line, errors mapped. */
  async function aws<T>(
    service: 'ec2' | 'iam',
    account: Account,
    region: string,
    operation: string,
    run: () => Promise<T>,
    signal?: AbortSignal,
  ): Promise<T> {
    throwIfCancelled(signal);
    const started = Date.now();
    let outcome = 'error';
    try {
      const out = await run();
      outcome = 'ok';
      return out;
    } catch (e) {
      const mapped = mapEksError(e, { profile: account.id, region, operation, sso: account.sso, timeoutMs: ctx.timeoutMs, service });
      outcome = mapped instanceof ClusterDeckError ? mapped.reason : 'cancelled';
      throw mapped;
    } finally {
      ctx.onRequest?.(`> ${service} ${operation} ${region} [${Date.now() - started}ms] ${outcome}`);
    }
  }

  async function describeCluster(account: Account, region: string, name: string, signal?: AbortSignal): Promise<Cluster | undefined> {
    try {
      const out = await ctx.eks(
        account,
        region,
        'DescribeCluster',
        (c, s) => c.send(new DescribeClusterCommand({ name }), { abortSignal: s }),
        signal,
        `cluster "${name}"`,
      );
      return out.cluster;
    } catch (e) {
      if (e instanceof ClusterDeckError && e.reason === 'notFound') return undefined;
      throw e;
    }
  }
  async function describeNodegroup(
    account: Account,
    region: string,
    cluster: string,
    name: string,
    signal?: AbortSignal,
  ): Promise<Nodegroup | undefined> {
    try {
      const out = await ctx.eks(
        account,
        region,
        'DescribeNodegroup',
        (c, s) => c.send(new DescribeNodegroupCommand({ clusterName: cluster, nodegroupName: name }), { abortSignal: s }),
        signal,
        `node group "${name}" of cluster "${cluster}"`,
      );
      return out.nodegroup;
    } catch (e) {
      if (e instanceof ClusterDeckError && e.reason === 'notFound') return undefined;
      throw e;
    }
  }

  const ours = (tags: Record<string, string> | undefined, ids: { opId: string; token: string }) =>
    tags?.[OWNERSHIP_KEY] === ids.opId || tags?.[TOKEN_TAG] === ids.token;

  async function getRole(account: Account, name: string, signal?: AbortSignal): Promise<Role | undefined> {
    return aws(
      'iam',
      account,
      'global',
      'GetRole',
      async () => {
        try {
          return (await iam(account).send(new GetRoleCommand({ RoleName: name }), { abortSignal: signal })).Role;
        } catch (e) {
          if (errorName(e) === 'NoSuchEntityException') return undefined;
          throw e;
        }
      },
      signal,
    );
  }
  async function attachedPolicies(account: Account, name: string, signal?: AbortSignal): Promise<Set<string>> {
    const out = new Set<string>();
    let marker: string | undefined;
    do {
      const page = await aws(
        'iam',
        account,
        'global',
        'ListAttachedRolePolicies',
        () =>
          iam(account).send(new ListAttachedRolePoliciesCommand({ RoleName: name, ...(marker ? { Marker: marker } : {}) }), {
            abortSignal: signal,
          }),
        signal,
      );
      for (const p of page.AttachedPolicies ?? []) if (p.PolicyArn) out.add(p.PolicyArn);
      marker = page.IsTruncated ? page.Marker : undefined;
    } while (marker);
    return out;
  }
  async function attach(account: Account, body: EksIamRoleStepBody, skip: ReadonlySet<string>, signal?: AbortSignal): Promise<void> {
    for (const a of body.attachRolePolicies) {
      if (skip.has(a.PolicyArn)) continue;
      await aws(
        'iam',
        account,
        'global',
        'AttachRolePolicy',
        () => iam(account).send(new AttachRolePolicyCommand(a), { abortSignal: signal }),
        signal,
      );
    }
  }
  const roleTags = (r: Role) => Object.fromEntries((r.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));

  /** "Done" for a role step: the role exists with every policy of the step attached. */
  function roleOperation(step: ProvisionStep): CloudOperation {
    const name = step.name;
    return {
      id: `create-iamrole:${name}`,
      description: `Create IAM role ${name}`,
      async wait(signal, onProgress) {
        const account = await ctx.resolveAccount(step.target.account);
        if (!(await getRole(account, name, signal)))
          throw new ClusterDeckError('notFound', `IAM role ${name} is gone (deleted while being created); create from the file again.`);
        const attached = await attachedPolicies(account, name, signal);
        const missing = roleBody(step).attachRolePolicies.filter((a) => !attached.has(a.PolicyArn));
        if (missing.length)
          throw new ClusterDeckError(
            'unknown',
            `IAM role ${name} lacks ${missing.map((m) => m.PolicyArn.split('/').pop()).join(', ')}; create from the file again to attach them.`,
          );
        onProgress?.('created');
      },
    };
  }

  async function createIamRole(step: ProvisionStep, ids: { opId: string; token: string }, signal?: AbortSignal): Promise<CreateOutcome> {
    const body = roleBody(step);
    const account = await ctx.resolveAccount(step.target.account);
    const name = step.name;
    const adopt = async (role: Role): Promise<CreateOutcome> => {
      if (!ours(roleTags(role), ids)) {
        throw new ClusterDeckError(
          'conflict',
          `An IAM role named ${name} already exists in the account of profile ${step.target.account} and was not created by this spec; rename the role in the file (the clusterdeck.io/cluster-role-name or node-role-name annotation) or name that role's ARN instead, then create again.`,
        );
      }
      // An earlier run may have stopped between CreateRole and the attachments: finish them.
      await attach(account, body, await attachedPolicies(account, name, signal), signal);
      return { state: 'exists', operation: roleOperation(step), message: `IAM role ${name} already exists.` };
    };
    const existing = await getRole(account, name, signal);
    if (existing) return adopt(existing);
    const created = await aws(
      'iam',
      account,
      'global',
      'CreateRole',
      async () => {
        try {
          const tags = [
            { Key: OWNERSHIP_KEY, Value: ids.opId },
            { Key: TOKEN_TAG, Value: ids.token },
          ];
          return (await iam(account).send(new CreateRoleCommand({ ...body.createRole, Tags: tags }), { abortSignal: signal })).Role;
        } catch (e) {
          if (errorName(e) === 'EntityAlreadyExistsException') return undefined;
          throw e;
        }
      },
      signal,
    );
    if (!created) {
      // Created between the GetRole and the CreateRole (another window, or our own earlier send): decide by its tags.
      const now = await getRole(account, name, signal);
      if (now) return adopt(now);
      throw new ClusterDeckError('conflict', `IAM role ${name} was created and deleted meanwhile; create from the file again.`);
    }
    await attach(account, body, new Set(), signal);
    return { state: 'started', operation: roleOperation(step), message: `Created IAM role ${name}.` };
  }

  /** A role reference (`arn:aws:iam::{account}:role/<name>`) → the created role's ARN; a plain ARN as it is. */
  async function resolveRole(account: Account, arn: string, signal?: AbortSignal): Promise<{ arn: string; created: boolean }> {
    const name = roleReferenceName(arn);
    if (name === undefined) return { arn, created: false };
    const role = await getRole(account, name, signal);
    if (!role?.Arn)
      throw new ClusterDeckError(
        'notFound',
        `IAM role ${name} does not exist; create from the file again (its first step creates the role).`,
      );
    return { arn: role.Arn, created: true };
  }

  /** Sends a create; for a just-created role, re-sends while EKS says it cannot be assumed yet (see the header). */
  async function sendCreate(roleCreated: boolean, send: () => Promise<unknown>, signal?: AbortSignal): Promise<void> {
    const base = Math.min(ctx.pollMs, 2000);
    for (let attempt = 0; ; attempt++) {
      try {
        await send();
        return;
      } catch (e) {
        if (!roleCreated || attempt >= iamPropagationRetries || !isRoleNotAssumable(e)) throw e;
        ctx.onRequest?.(
          `  (IAM role not assumable yet; resending in ${base * 2 ** attempt} ms, retry ${attempt + 1}/${iamPropagationRetries})`,
        );
        await sleep(base * 2 ** attempt, signal);
      }
    }
  }

  /** Follows a cluster create: DescribeCluster until ACTIVE, then the add-ons (idempotent), or rejects on FAILED. */
  function clusterOperation(step: ProvisionStep, token: string, opId: string): CloudOperation {
    const region = step.target.location;
    const name = step.name;
    return {
      id: `create-cluster:${name}:${token}:${opId}`,
      description: `Create EKS cluster ${name} in ${region}`,
      async wait(signal, onProgress) {
        const account = await ctx.resolveAccount(step.target.account);
        for (;;) {
          const c = await describeCluster(account, region, name, signal);
          if (!c)
            throw new ClusterDeckError(
              'notFound',
              `EKS cluster ${name} is gone from ${region} (deleted while being created); create it again.`,
            );
          const status = c.status ?? 'CREATING';
          onProgress?.(status === 'CREATING' ? 'CREATING (a control plane takes 10–15 minutes)' : status);
          if (status === 'ACTIVE') break;
          if (status === 'FAILED' || status === 'DELETING') {
            const issues = issuesText(c.health?.issues);
            throw new ClusterDeckError(
              'unknown',
              `${isQuota(issues) ? `An AWS quota is reached in ${region}: ` : ''}EKS reports cluster ${name} in ${region} ${status}${issues ? `: ${issues}` : ''}; fix the cause, delete the cluster, then create it again.`,
            );
          }
          await sleep(ctx.pollMs, signal);
        }
        const body = clusterBody(step);
        for (const addon of body.createAddons) {
          onProgress?.(`creating add-on ${addon.addonName}`);
          try {
            await ctx.eks(
              account,
              region,
              'CreateAddon',
              (c, s) =>
                c.send(
                  new CreateAddonCommand({
                    ...addon,
                    tags: { ...addon.tags, [OWNERSHIP_KEY]: opId, [TOKEN_TAG]: token },
                    clientRequestToken: derivedToken(token, addon.addonName),
                  }),
                  { abortSignal: s },
                ),
              signal,
              `add-on "${addon.addonName}" of cluster "${name}"`,
              true,
            );
          } catch (e) {
            // Already there (an earlier wait, or someone else): the add-on exists, which is what we want.
            if (!(e instanceof ClusterDeckError && e.reason === 'conflict')) throw e;
          }
        }
        onProgress?.('ACTIVE');
      },
    };
  }

  function nodegroupOperation(step: ProvisionStep): CloudOperation {
    const region = step.target.location;
    const cluster = step.target.cluster;
    const name = step.name;
    return {
      id: `create-nodegroup:${cluster}:${name}`,
      description: `Create node group ${name} of EKS cluster ${cluster}`,
      async wait(signal, onProgress) {
        const account = await ctx.resolveAccount(step.target.account);
        for (;;) {
          const g = await describeNodegroup(account, region, cluster, name, signal);
          if (!g)
            throw new ClusterDeckError('notFound', `Node group ${name} of cluster ${cluster} is gone from ${region}; create it again.`);
          const status = g.status ?? 'CREATING';
          onProgress?.(status);
          if (status === 'ACTIVE') return;
          if (status === 'CREATE_FAILED' || status === 'DELETING' || status === 'DELETE_FAILED') {
            const issues = issuesText(g.health?.issues);
            throw new ClusterDeckError(
              'unknown',
              `${isQuota(issues) ? `An AWS quota is reached in ${region}: ` : ''}EKS reports node group ${name} of cluster ${cluster} ${status}${issues ? `: ${issues}` : ''}; fix the cause, delete the node group, then create it again.`,
            );
          }
          await sleep(ctx.pollMs, signal);
        }
      },
    };
  }

  async function createCluster(step: ProvisionStep, ids: { opId: string; token: string }, signal?: AbortSignal): Promise<CreateOutcome> {
    const body = clusterBody(step);
    const account = await ctx.resolveAccount(step.target.account);
    const region = step.target.location;
    const adopt = (c: Cluster): CreateOutcome => {
      if (!ours(c.tags, ids)) {
        throw new ClusterDeckError(
          'conflict',
          `An EKS cluster named ${step.name} already exists in ${region} and was not created by this spec; rename the cluster in the file (metadata.name), then create again.`,
        );
      }
      const operation = clusterOperation(step, ids.token, ids.opId);
      return c.status === 'ACTIVE'
        ? { state: 'exists', operation, message: `EKS cluster ${step.name} already exists in ${region}.` }
        : {
            state: 'inProgress',
            operation,
            message: `EKS cluster ${step.name} is already being created in ${region} (${c.status ?? 'CREATING'}).`,
          };
    };
    const existing = await describeCluster(account, region, step.name, signal);
    if (existing) return adopt(existing);
    const role = await resolveRole(account, body.createCluster.roleArn, signal);
    const request: CreateClusterRequest = {
      ...(body.createCluster as unknown as CreateClusterRequest),
      roleArn: role.arn,
      tags: { ...body.createCluster.tags, [OWNERSHIP_KEY]: ids.opId, [TOKEN_TAG]: ids.token },
      clientRequestToken: ids.token,
    };
    try {
      await sendCreate(
        role.created,
        () =>
          ctx.eks(
            account,
            region,
            'CreateCluster',
            (c, s) => c.send(new CreateClusterCommand(request), { abortSignal: s }),
            signal,
            `cluster "${step.name}"`,
            true,
          ),
        signal,
      );
    } catch (e) {
      if (e instanceof ClusterDeckError && e.reason === 'conflict') {
        // Created between the describe and the create (another window, or our own earlier send): decide by its tags.
        const now = await describeCluster(account, region, step.name, signal);
        if (now) return adopt(now);
      }
      throw e;
    }
    return {
      state: 'started',
      operation: clusterOperation(step, ids.token, ids.opId),
      message: `Creating EKS cluster ${step.name} in ${region}; a control plane takes 10–15 minutes.`,
    };
  }

  async function createNodegroup(step: ProvisionStep, ids: { opId: string; token: string }, signal?: AbortSignal): Promise<CreateOutcome> {
    const body = nodegroupBody(step);
    const account = await ctx.resolveAccount(step.target.account);
    const region = step.target.location;
    const cluster = step.target.cluster;
    const adopt = (g: Nodegroup): CreateOutcome => {
      if (!ours(g.tags, ids)) {
        throw new ClusterDeckError(
          'conflict',
          `Cluster ${cluster} already has a node group named ${step.name} that this spec did not create; rename the node group in the file, then create again.`,
        );
      }
      const operation = nodegroupOperation(step);
      return g.status === 'ACTIVE'
        ? { state: 'exists', operation, message: `Node group ${step.name} of cluster ${cluster} already exists.` }
        : {
            state: 'inProgress',
            operation,
            message: `Node group ${step.name} of cluster ${cluster} is already being created (${g.status ?? 'CREATING'}).`,
          };
    };
    const existing = await describeNodegroup(account, region, cluster, step.name, signal);
    if (existing) return adopt(existing);
    const role = await resolveRole(account, body.nodeRole, signal);
    const request: CreateNodegroupRequest = {
      ...(body as unknown as CreateNodegroupRequest),
      nodeRole: role.arn,
      tags: { ...body.tags, [OWNERSHIP_KEY]: ids.opId, [TOKEN_TAG]: ids.token },
      clientRequestToken: ids.token,
    };
    try {
      await sendCreate(
        role.created,
        () =>
          ctx.eks(
            account,
            region,
            'CreateNodegroup',
            (c, s) => c.send(new CreateNodegroupCommand(request), { abortSignal: s }),
            signal,
            `node group "${step.name}" of cluster "${cluster}"`,
            true,
          ),
        signal,
      );
    } catch (e) {
      if (e instanceof ClusterDeckError && e.reason === 'conflict') {
        const now = await describeNodegroup(account, region, cluster, step.name, signal);
        if (now) return adopt(now);
      }
      if (e instanceof ClusterDeckError && e.reason === 'notFound') {
        throw new ClusterDeckError(
          'notFound',
          `EKS cluster ${cluster} was not found in ${region}; create the cluster first, or check the file's metadata.name and region.`,
        );
      }
      throw e;
    }
    return {
      state: 'started',
      operation: nodegroupOperation(step),
      message: `Creating node group ${step.name} of EKS cluster ${cluster}.`,
    };
  }

  async function subnetChoices(
    account: Account,
    region: string,
    input: { vpc?: string; ids?: string[] },
    signal?: AbortSignal,
  ): Promise<ChoiceItem[]> {
    const out = await aws(
      'ec2',
      account,
      region,
      'DescribeSubnets',
      () =>
        ec2(account, region).send(
          new DescribeSubnetsCommand({
            ...(input.ids ? { SubnetIds: input.ids } : {}),
            ...(input.vpc ? { Filters: [{ Name: 'vpc-id', Values: [input.vpc] }] } : {}),
          }),
          { abortSignal: signal },
        ),
      signal,
    );
    const isPublic = (s: Subnet) => Boolean(s.MapPublicIpOnLaunch) || (s.Tags ?? []).some((t) => t.Key === 'kubernetes.io/role/elb');
    return (out.Subnets ?? [])
      .filter((s) => s.SubnetId && s.AvailabilityZone)
      .sort(
        (a, b) => (a.AvailabilityZone ?? '').localeCompare(b.AvailabilityZone ?? '') || (a.SubnetId ?? '').localeCompare(b.SubnetId ?? ''),
      )
      .map((s) => {
        const access = isPublic(s) ? 'public' : 'private';
        const name = s.Tags?.find((t) => t.Key === 'Name')?.Value;
        const free = s.AvailableIpAddressCount ?? 0;
        return {
          value: `${s.SubnetId}/${s.AvailabilityZone}/${access}`,
          label: name ? `${s.SubnetId} (${name})` : (s.SubnetId ?? ''),
          description: `${s.AvailabilityZone} · ${access} · ${s.CidrBlock ?? ''} · ${free} free IPs${free < 6 ? ' (EKS needs at least 6)' : ''}`,
          ...(input.ids && access === 'private' ? { isDefault: true } : {}),
        };
      });
  }

  async function choices(query: string, params: Readonly<Record<string, string>>, signal?: AbortSignal): Promise<readonly ChoiceItem[]> {
    if (query === 'accounts') {
      const accounts = await ctx.listAccounts(signal);
      return accounts.map((a) => ({
        value: a.id,
        label: a.label,
        ...(a.detail ? { description: a.detail } : {}),
        ...(a.id === 'default' ? { isDefault: true } : {}),
      }));
    }
    const accountId = params.account;
    if (!accountId) throw new ClusterDeckError('invalid', `Choose an AWS profile before loading ${query}.`);
    const account = await ctx.resolveAccount(accountId);
    const region = params.region || account.region || 'us-east-1';
    switch (query) {
      case 'regions': {
        const out = await aws(
          'ec2',
          account,
          region,
          'DescribeRegions',
          () => ec2(account, region).send(new DescribeRegionsCommand({ AllRegions: true }), { abortSignal: signal }),
          signal,
        );
        return (out.Regions ?? [])
          .filter((r) => r.RegionName)
          .sort((a, b) => (a.RegionName ?? '').localeCompare(b.RegionName ?? ''))
          .map((r) => ({
            value: r.RegionName ?? '',
            ...(r.OptInStatus === 'not-opted-in'
              ? { description: 'not enabled for this account (opt-in region)' }
              : r.OptInStatus === 'opted-in'
                ? { description: 'opt-in, enabled' }
                : {}),
            ...(r.RegionName === account.region ? { isDefault: true } : {}),
          }));
      }
      case 'versions': {
        const items: ChoiceItem[] = [];
        let nextToken: string | undefined;
        do {
          const page = await ctx.eks(
            account,
            region,
            'DescribeClusterVersions',
            (c, s) =>
              c.send(new DescribeClusterVersionsCommand({ maxResults: 100, ...(nextToken ? { nextToken } : {}) }), { abortSignal: s }),
            signal,
          );
          for (const v of page.clusterVersions ?? []) {
            if (!v.clusterVersion || v.versionStatus === 'UNSUPPORTED') continue;
            const extended = v.versionStatus === 'EXTENDED_SUPPORT';
            const until = extended ? v.endOfExtendedSupportDate : v.endOfStandardSupportDate;
            items.push({
              value: v.clusterVersion,
              description: `${extended ? 'extended support (extra cost)' : 'standard support'}${until ? ` until ${until.toISOString().slice(0, 10)}` : ''}`,
              ...(v.defaultVersion ? { isDefault: true } : {}),
            });
          }
          nextToken = page.nextToken;
        } while (nextToken);
        return items.sort((a, b) => b.value.localeCompare(a.value, undefined, { numeric: true }));
      }
      case 'roles': {
        const service = params.service ?? 'eks.amazonaws.com';
        const roles: ChoiceItem[] = [];
        let marker: string | undefined;
        do {
          const page = await aws(
            'iam',
            account,
            'global',
            'ListRoles',
            () =>
              iam(account).send(new ListRolesCommand({ MaxItems: 100, ...(marker ? { Marker: marker } : {}) }), { abortSignal: signal }),
            signal,
          );
          for (const r of page.Roles ?? []) {
            if (r.Arn && r.RoleName && trusts(r.AssumeRolePolicyDocument, service))
              roles.push({ value: r.Arn, label: r.RoleName, description: `trusts ${service}` });
          }
          marker = page.IsTruncated ? page.Marker : undefined;
        } while (marker);
        const conventional =
          service === 'eks.amazonaws.com'
            ? /^(AmazonEKSClusterRole|eksClusterRole|eks-cluster)/i
            : /^(AmazonEKSNodeRole|eksNodeRole|eks-node)/i;
        const pick = roles.find((r) => conventional.test(r.label ?? ''));
        return roles.map((r) => (r === pick ? { ...r, isDefault: true } : r));
      }
      case 'vpcs': {
        const out = await aws(
          'ec2',
          account,
          region,
          'DescribeVpcs',
          () => ec2(account, region).send(new DescribeVpcsCommand({}), { abortSignal: signal }),
          signal,
        );
        return (out.Vpcs ?? [])
          .filter((v) => v.VpcId)
          .map((v) => {
            const name = v.Tags?.find((t) => t.Key === 'Name')?.Value;
            return {
              value: v.VpcId ?? '',
              label: name ? `${v.VpcId} (${name})` : (v.VpcId ?? ''),
              description: `${v.CidrBlock ?? ''}${v.IsDefault ? ' · default VPC' : ''}`,
              ...(v.IsDefault ? { isDefault: true } : {}),
            };
          });
      }
      case 'subnets':
        return subnetChoices(account, region, { ...(params.vpc ? { vpc: params.vpc } : {}) }, signal);
      case 'clusterSubnets': {
        const cluster = params.cluster ? await describeCluster(account, region, params.cluster, signal) : undefined;
        if (!cluster)
          throw new ClusterDeckError('notFound', `EKS cluster ${params.cluster ?? ''} was not found in ${region}; choose another cluster.`);
        const ids = cluster.resourcesVpcConfig?.subnetIds ?? [];
        return ids.length ? subnetChoices(account, region, { ids }, signal) : [];
      }
      case 'clusters': {
        const names: string[] = [];
        let nextToken: string | undefined;
        do {
          const page = await ctx.eks(
            account,
            region,
            'ListClusters',
            (c, s) => c.send(new ListClustersCommand({ maxResults: 100, ...(nextToken ? { nextToken } : {}) }), { abortSignal: s }),
            signal,
          );
          names.push(...(page.clusters ?? []));
          nextToken = page.nextToken;
        } while (nextToken);
        return names.sort().map((n) => ({ value: n }));
      }
      case 'instanceTypes': {
        const zones = (params.zones ?? '').split(',').filter(Boolean);
        const byZone = new Map<string, Set<string>>();
        let nextToken: string | undefined;
        do {
          const page = await aws(
            'ec2',
            account,
            region,
            'DescribeInstanceTypeOfferings',
            () =>
              ec2(account, region).send(
                new DescribeInstanceTypeOfferingsCommand({
                  LocationType: zones.length ? 'availability-zone' : 'region',
                  ...(zones.length ? { Filters: [{ Name: 'location', Values: zones }] } : {}),
                  MaxResults: 1000,
                  ...(nextToken ? { NextToken: nextToken } : {}),
                }),
                { abortSignal: signal },
              ),
            signal,
          );
          for (const o of page.InstanceTypeOfferings ?? []) {
            if (!o.InstanceType || !o.Location) continue;
            const set = byZone.get(o.Location) ?? new Set<string>();
            set.add(o.InstanceType);
            byZone.set(o.Location, set);
          }
          nextToken = page.NextToken;
        } while (nextToken);
        // Offered in every chosen zone (provisioning.md §1.4).
        const sets = zones.length ? zones.map((z) => byZone.get(z) ?? new Set<string>()) : [...byZone.values()];
        const [first, ...rest] = sets;
        const types = [...(first ?? [])].filter((t) => rest.every((s) => s.has(t))).sort();
        return types.map((t) => ({ value: t, ...(t === 'm5.large' ? { isDefault: true, description: 'eksctl default' } : {}) }));
      }
      case 'keyPairs': {
        const out = await aws(
          'ec2',
          account,
          region,
          'DescribeKeyPairs',
          () => ec2(account, region).send(new DescribeKeyPairsCommand({}), { abortSignal: signal }),
          signal,
        );
        return (out.KeyPairs ?? []).filter((k) => k.KeyName).map((k) => ({ value: k.KeyName ?? '' }));
      }
      default:
        throw new ClusterDeckError('invalid', `The EKS provider has no "${query}" choices.`);
    }
  }

  return {
    cloud: 'eks',
    create(step, ids, signal) {
      if (step.target.cloud !== 'eks')
        return Promise.reject(new ClusterDeckError('invalid', `That plan step is for ${step.target.cloud}, not EKS.`));
      if (step.kind === 'iamRole') return createIamRole(step, ids, signal);
      return step.kind === 'cluster' ? createCluster(step, ids, signal) : createNodegroup(step, ids, signal);
    },

    resumeCreate(step, operationId) {
      const parsed = parseCreateOperationId(operationId);
      const matches =
        parsed &&
        (parsed.kind === 'cluster'
          ? step.kind === 'cluster' && parsed.name === step.name
          : parsed.kind === 'iamRole'
            ? step.kind === 'iamRole' && parsed.name === step.name
            : step.kind === 'nodePool' && parsed.name === step.name && parsed.cluster === step.target.cluster);
      if (!parsed || !matches) {
        throw new ClusterDeckError(
          'invalid',
          `"${operationId.slice(0, 80)}" is not an EKS create of ${step.name}; refresh the Clouds view to see its state.`,
        );
      }
      if (parsed.kind === 'iamRole') return roleOperation(step);
      return parsed.kind === 'cluster' ? clusterOperation(step, parsed.token, parsed.opId) : nodegroupOperation(step);
    },

    async partialResources(step, signal) {
      const account = await ctx.resolveAccount(step.target.account);
      const region = step.target.location;
      const cluster = step.target.cluster;
      if (step.kind === 'iamRole') {
        const role = await getRole(account, step.name, signal);
        if (!role) return [];
        const attached = await attachedPolicies(account, step.name, signal).catch(() => new Set<string>());
        const names = [...attached].map((a) => a.split('/').pop()).join(', ');
        return [`IAM role ${step.name} (${names ? `policies: ${names}` : 'no policies attached'})`];
      }
      if (step.kind === 'nodePool') {
        const g = await describeNodegroup(account, region, cluster, step.name, signal);
        return g ? [`node group ${step.name} of EKS cluster ${cluster} in ${region} (${g.status ?? 'UNKNOWN'})`] : [];
      }
      const c = await describeCluster(account, region, step.name, signal);
      if (!c) return [];
      const out = [`EKS cluster ${step.name} in ${region} (${c.status ?? 'UNKNOWN'})`];
      if (c.status === 'ACTIVE' || c.status === 'FAILED') {
        const addons = await ctx
          .eks(
            account,
            region,
            'ListAddons',
            (x, s) => x.send(new ListAddonsCommand({ clusterName: step.name }), { abortSignal: s }),
            signal,
          )
          .catch(() => undefined);
        for (const a of addons?.addons ?? []) out.push(`add-on ${a} of EKS cluster ${step.name}`);
        const groups = await ctx
          .eks(
            account,
            region,
            'ListNodegroups',
            (x, s) => x.send(new ListNodegroupsCommand({ clusterName: step.name }), { abortSignal: s }),
            signal,
          )
          .catch(() => undefined);
        for (const g of groups?.nodegroups ?? []) out.push(`node group ${g} of EKS cluster ${step.name}`);
      }
      return out;
    },

    choices,
  };
}

/** Whether an IAM trust policy (URL-encoded JSON, as ListRoles returns it) lets `service` assume the role. */
export function trusts(policyDocument: string | undefined, service: string): boolean {
  if (!policyDocument) return false;
  let doc: unknown;
  try {
    doc = JSON.parse(
      policyDocument.startsWith('%7B') || policyDocument.startsWith('%7b') ? decodeURIComponent(policyDocument) : policyDocument,
    );
  } catch {
    return false;
  }
  const statements = (doc as { Statement?: unknown }).Statement;
  const list = Array.isArray(statements) ? statements : statements ? [statements] : [];
  return list.some((st: { Effect?: string; Principal?: { Service?: string | string[] }; Action?: string | string[] }) => {
    const services = st.Principal?.Service;
    const actions = Array.isArray(st.Action) ? st.Action : [st.Action];
    return (
      st.Effect === 'Allow' &&
      (Array.isArray(services) ? services.includes(service) : services === service) &&
      actions.includes('sts:AssumeRole')
    );
  });
}
