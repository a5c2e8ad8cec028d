/**
 * A loopback Azure Resource Manager for the AKS provider's wire tests: real TLS on 127.0.0.1:0 (a CA generated per
 * run, trusted by the client through `tlsOptions`, so the SDK's own bearer policy stays in place), following
 * cloud-fakes.md §6:
 *
 * - every ARM route needs `api-version` (400 MissingApiVersionParameter) and `Authorization: Bearer
 *   fake-token-for-<url>/.default`, i.e. a token for this endpoint's own scope (401 otherwise);
 * - resources in the `{id, name, type, location, tags, properties}` envelope, shaped after the official examples
 *   (ManagedClustersGet.json, AgentPoolsList.json); lists as `{value, nextLink}` with an absolute nextLink;
 * - PUT → 201 + `Azure-AsyncOperation` polled to Succeeded (or Failed with a CloudError after
 *   `failNextOperation`), If-Match checked against the eTag (412); DELETE → 202 + `Location` polled until 204;
 * - CloudError bodies with `x-ms-error-code`; `inject` for 403/404/429 (with `retry-after: 0`)/5xx answers;
 * - getUpgradeProfile, listClusterUserCredential (base64 kubeconfig), GET /subscriptions with paging;
 * - provisioning: cluster and agent-pool creates (PUT of a missing resource → 201 + Azure-AsyncOperation, Creating →
 *   Succeeded, or Failed with the operation's CloudError; `If-None-Match: *` on an existing one → 412), resource
 *   groups (list, GET, PUT), subscription locations, the Microsoft.ContainerService provider's locations,
 *   kubernetesVersions per location, Microsoft.Compute resource SKUs (with restrictions); the fault switch
 *   `dropResponses` applies a request and then destroys the socket instead of answering;
 * - an Entra ID token endpoint (`/{tenant}/v2.0/.well-known/openid-configuration`, `/{tenant}/oauth2/v2.0/token`,
 *   client credentials) so @azure/identity's ClientSecretCredential can sign in against it.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { stringify } from 'yaml';
import { generateTlsMaterial, type TlsMaterial } from '../tls';

export interface FakeAgentPool {
  name: string;
  vmSize: string;
  count: number;
  enableAutoScaling?: boolean;
  minCount?: number;
  maxCount?: number;
  spot?: boolean;
  mode: 'System' | 'User';
  orchestratorVersion: string;
  provisioningState?: string;
  /** Running, Stopped, or any other text (a state newer than the SDK). */
  powerState?: string;
  eTag?: string;
  /** The properties of the PUT that created it (echoed back). */
  requested?: Record<string, unknown>;
}

export interface FakeManagedCluster {
  subscription: string;
  resourceGroup: string;
  name: string;
  location: string;
  kubernetesVersion: string;
  provisioningState?: string;
  /** Running, Stopped, or any other text (a state newer than the SDK). */
  powerState?: string;
  fqdn?: string;
  privateFqdn?: string;
  enablePrivateCluster?: boolean;
  authorizedIPRanges?: string[];
  aad?: { managed?: boolean; enableAzureRbac?: boolean; tenantID?: string; adminGroups?: string[] };
  disableLocalAccounts?: boolean;
  enableRbac?: boolean;
  addons?: Record<string, boolean>;
  /** Log Analytics workspace resource id of the omsagent (Container insights) add-on, when that is on. */
  logAnalyticsWorkspace?: string;
  /** azureMonitorProfile.metrics.enabled (managed Prometheus); absent when undefined. */
  azureMonitorMetrics?: boolean;
  networkPlugin?: string;
  networkPluginMode?: string;
  networkPolicy?: string;
  workloadIdentity?: boolean;
  oidcIssuer?: boolean;
  /** Control-plane versions getUpgradeProfile offers. */
  upgrades?: string[];
  /** The token of the local-account user in listClusterUserCredential's kubeconfig. */
  localToken?: string;
  agentPools: FakeAgentPool[];
  eTag?: string;
  /** Resource tags (default `{env: 'test'}`). */
  tags?: Record<string, string>;
  /** The body of the PUT that created it (its sku, identity and properties are echoed back). */
  requested?: { sku?: unknown; identity?: unknown; properties?: Record<string, unknown> };
  /** `properties.status.provisioningError` after a failed create. */
  provisioningError?: { code: string; message: string };
}

export interface FakeResourceGroup {
  subscription: string;
  name: string;
  location: string;
  tags?: Record<string, string>;
}

export interface FakeVmSku {
  name: string;
  vcpus: number;
  memoryGb: number;
  /** Locations offering it (lowercase names) and their zones. */
  locations: Record<string, string[]>;
  /** ARM `restrictions` entries, e.g. `{type: 'Location', reasonCode: 'NotAvailableForSubscription', values: ['westeurope']}`. */
  restrictions?: { type: 'Location' | 'Zone'; reasonCode: string; values: string[]; zones?: string[] }[];
}

export interface FakeSubscription {
  subscriptionId: string;
  displayName: string;
  tenantId: string;
  state?: string;
}

export interface AksFakeOptions {
  subscriptions?: FakeSubscription[];
  clusters?: FakeManagedCluster[];
  /** Items per page of GET /subscriptions and managedClusters list; default 2. */
  pageSize?: number;
  /** Polls answered InProgress (or 202) before an operation completes; default 2. */
  lroPolls?: number;
  /** Client id → secret accepted by the token endpoint. */
  clientSecrets?: Record<string, string>;
  tls?: TlsMaterial;
  /** Resource groups; when given, creating a cluster in a missing group is refused (404 ResourceGroupNotFound). */
  resourceGroups?: FakeResourceGroup[];
  /** Locations of every subscription: name → display name. */
  locations?: Record<string, string>;
  /** Display names of the locations where Microsoft.ContainerService offers managedClusters. */
  aksLocations?: string[];
  /** registrationState of Microsoft.ContainerService (default Registered). */
  aksRegistrationState?: string;
  /** kubernetesVersions per location (all locations alike). */
  kubernetesVersions?: { version: string; isDefault?: boolean; isPreview?: boolean; patches: string[] }[];
  vmSkus?: FakeVmSku[];
}

export interface RecordedArmRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** An answer forced onto matching requests (`times` of them, default all). */
export interface InjectRule {
  method?: string;
  path: RegExp;
  status: number;
  code: string;
  message?: string;
  headers?: Record<string, string>;
  times?: number;
  /** Never answer (the socket stays open until the client gives up or the fake closes). */
  hang?: boolean;
  /** A raw body instead of the CloudError (e.g. truncated JSON), with `status` and `headers`. */
  rawBody?: string;
}

/** A TokenCredential that hands out `fake-token-for-<scope>` and records each request's scopes. */
export interface FakeAzureCredential {
  getToken(scopes: string | string[]): Promise<{ token: string; expiresOnTimestamp: number; tokenType: 'Bearer' }>;
  readonly requestedScopes: string[][];
}

export function fakeToken(scope: string): string {
  return `fake-token-for-${scope}`;
}

export function createFakeAzureCredential(expiresInMs = 3_600_000): FakeAzureCredential {
  const requestedScopes: string[][] = [];
  return {
    requestedScopes,
    getToken(scopes) {
      const list = Array.isArray(scopes) ? scopes : [scopes];
      requestedScopes.push(list);
      return Promise.resolve({ token: fakeToken(list.join(' ')), expiresOnTimestamp: Date.now() + expiresInMs, tokenType: 'Bearer' });
    },
  };
}

export interface AksFake {
  /** `https://127.0.0.1:PORT`: the resource manager endpoint and the authority host. */
  readonly url: string;
  readonly caPem: string;
  readonly records: RecordedArmRequest[];
  readonly clusters: FakeManagedCluster[];
  /** The scope whose token ARM routes accept: `<url>/.default`. */
  readonly armScope: string;
  inject(rule: InjectRule): void;
  /** Forgets every injected rule. */
  clearInjected(): void;
  /** The next PUT's operation ends Failed with this CloudError (e.g. QuotaExceeded). */
  failNextOperation(error: { code: string; message: string }): void;
  /** Apply the next `times` requests matching, then destroy the socket instead of answering (a lost response). */
  dropResponses(rule: { method: string; path: RegExp; times: number }): void;
  readonly resourceGroups: FakeResourceGroup[];
  /** When set, the first page of GET /subscriptions links to this URL instead (tests that foreign links are refused). */
  subscriptionsNextLinkOverride: string | undefined;
  /** Operations started (PUT/DELETE), in order. */
  readonly operations: readonly { id: string; method: string; path: string; status: string }[];
  close(): Promise<void>;
}

interface Operation {
  id: string;
  method: string;
  path: string;
  status: string;
  remaining: number;
  error?: { code: string; message: string };
  apply(): void;
  fail(): void;
}

const RP = 'Microsoft.ContainerService';

export async function startAksFake(options: AksFakeOptions = {}): Promise<AksFake> {
  const tls = options.tls ?? (await generateTlsMaterial());
  const subscriptions = options.subscriptions ?? [];
  const clusters = options.clusters ?? [];
  const pageSize = options.pageSize ?? 2;
  const lroPolls = options.lroPolls ?? 2;
  const records: RecordedArmRequest[] = [];
  const rules: InjectRule[] = [];
  const drops: { method: string; path: RegExp; times: number }[] = [];
  const resourceGroups = options.resourceGroups ?? [];
  const operations: Operation[] = [];
  let nextFailure: { code: string; message: string } | undefined;
  let url = '';
  let armScope = '';
  const sockets = new Set<Socket>();

  const send = (res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void => {
    const text = body === undefined ? '' : JSON.stringify(body);
    res.writeHead(status, {
      ...(body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }),
      'content-length': String(Buffer.byteLength(text)),
      'x-ms-request-id': randomUUID(),
      ...headers,
    });
    res.end(text);
  };
  const cloudError = (res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void =>
    send(res, status, { error: { code, message, target: null, details: [] } }, { 'x-ms-error-code': code, ...headers });

  const eq = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();
  const clusterId = (c: FakeManagedCluster): string =>
    `/subscriptions/${c.subscription}/resourceGroups/${c.resourceGroup}/providers/${RP}/managedClusters/${c.name}`;
  const etag = (): string => randomUUID().slice(0, 8);

  const poolProperties = (p: FakeAgentPool): Record<string, unknown> => ({
    ...(p.requested ?? {}),
    count: p.count,
    vmSize: p.vmSize,
    osDiskSizeGB: 128,
    osType: 'Linux',
    maxPods: 110,
    type: 'VirtualMachineScaleSets',
    mode: p.mode,
    orchestratorVersion: p.orchestratorVersion,
    currentOrchestratorVersion: p.orchestratorVersion,
    nodeImageVersion: 'AKSUbuntu-2204gen2containerd-202611.01.0',
    provisioningState: p.provisioningState ?? 'Succeeded',
    powerState: { code: p.powerState ?? 'Running' },
    eTag: (p.eTag ??= etag()),
    ...(p.enableAutoScaling ? { enableAutoScaling: true, minCount: p.minCount, maxCount: p.maxCount } : { enableAutoScaling: false }),
    ...(p.spot ? { scaleSetPriority: 'Spot', scaleSetEvictionPolicy: 'Delete', spotMaxPrice: -1 } : {}),
    upgradeSettings: { maxSurge: '10%' },
  });
  const poolResource = (c: FakeManagedCluster, p: FakeAgentPool): Record<string, unknown> => ({
    id: `${clusterId(c)}/agentPools/${p.name}`,
    name: p.name,
    type: `${RP}/managedClusters/agentPools`,
    properties: poolProperties(p),
  });
  const clusterResource = (c: FakeManagedCluster): Record<string, unknown> => ({
    id: clusterId(c),
    name: c.name,
    type: `${RP}/ManagedClusters`,
    location: c.location,
    tags: c.tags ?? { env: 'test' },
    eTag: (c.eTag ??= etag()),
    sku: c.requested?.sku ?? { name: 'Base', tier: 'Free' },
    identity: c.requested?.identity ?? {
      type: 'SystemAssigned',
      principalId: '11111111-0000-0000-0000-000000000001',
      tenantId: c.aad?.tenantID ?? '22222222-0000-0000-0000-000000000002',
    },
    properties: {
      dnsPrefix: `${c.name}-dns`,
      ...(c.fqdn ? { fqdn: c.fqdn } : {}),
      ...(c.privateFqdn ? { privateFQDN: c.privateFqdn } : {}),
      azurePortalFQDN: `${c.name}-portal.hcp.${c.location}.azmk8s.io`,
      addonProfiles: Object.fromEntries(
        Object.entries(c.addons ?? {}).map(([k, enabled]) => [
          k,
          k === 'omsagent' && enabled && c.logAnalyticsWorkspace
            ? { enabled, config: { logAnalyticsWorkspaceResourceID: c.logAnalyticsWorkspace, useAADAuth: 'true' } }
            : { enabled, config: {} },
        ]),
      ),
      ...(c.azureMonitorMetrics !== undefined
        ? { azureMonitorProfile: { metrics: { enabled: c.azureMonitorMetrics, kubeStateMetrics: { metricLabelsAllowlist: '' } } } }
        : {}),
      nodeResourceGroup: `MC_${c.resourceGroup}_${c.name}_${c.location}`,
      enableRBAC: c.enableRbac ?? true,
      ...(c.aad
        ? {
            aadProfile: {
              managed: c.aad.managed ?? true,
              enableAzureRBAC: c.aad.enableAzureRbac ?? false,
              tenantID: c.aad.tenantID,
              adminGroupObjectIDs: c.aad.adminGroups ?? [],
            },
          }
        : {}),
      ...(c.disableLocalAccounts !== undefined ? { disableLocalAccounts: c.disableLocalAccounts } : {}),
      ...(c.enablePrivateCluster || c.authorizedIPRanges
        ? {
            apiServerAccessProfile: {
              enablePrivateCluster: c.enablePrivateCluster ?? false,
              authorizedIPRanges: c.authorizedIPRanges ?? [],
            },
          }
        : {}),
      networkProfile: {
        networkPlugin: c.networkPlugin ?? 'kubenet',
        ...(c.networkPluginMode ? { networkPluginMode: c.networkPluginMode } : {}),
        ...(c.networkPolicy ? { networkPolicy: c.networkPolicy } : {}),
        podCidr: '10.244.0.0/16',
        serviceCidr: '10.0.0.0/16',
        dnsServiceIP: '10.0.0.10',
        outboundType: 'loadBalancer',
        loadBalancerSku: 'standard',
      },
      ...(c.oidcIssuer ? { oidcIssuerProfile: { enabled: true, issuerURL: `https://oidc.example.invalid/${c.name}/` } } : {}),
      ...(c.workloadIdentity ? { securityProfile: { workloadIdentity: { enabled: true } } } : {}),
      ...(c.requested?.properties ?? {}),
      provisioningState: c.provisioningState ?? 'Succeeded',
      powerState: { code: c.powerState ?? 'Running' },
      kubernetesVersion: c.kubernetesVersion,
      currentKubernetesVersion: c.kubernetesVersion,
      agentPoolProfiles: c.agentPools.map((p) => ({ name: p.name, ...poolProperties(p) })),
      ...(c.provisioningError ? { status: { provisioningError: c.provisioningError } } : {}),
    },
  });

  const kubeconfigFor = (c: FakeManagedCluster): string =>
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name: c.name,
          cluster: {
            server: `https://${c.fqdn ?? c.privateFqdn ?? 'cluster.invalid'}:443`,
            'certificate-authority-data': Buffer.from('fake-ca').toString('base64'),
          },
        },
      ],
      contexts: [{ name: c.name, context: { cluster: c.name, user: `clusterUser_${c.resourceGroup}_${c.name}` } }],
      'current-context': c.name,
      users: [
        {
          name: `clusterUser_${c.resourceGroup}_${c.name}`,
          user: c.aad
            ? {
                exec: {
                  apiVersion: 'client.authentication.k8s.io/v1beta1',
                  command: 'kubelogin',
                  args: ['get-token', '--server-id', '6dae42f8-4368-4678-94ff-3960e28e3630', '--login', 'devicecode'],
                },
              }
            : {
                'client-certificate-data': Buffer.from('fake-cert').toString('base64'),
                'client-key-data': Buffer.from('fake-key').toString('base64'),
                ...(c.localToken ? { token: c.localToken } : {}),
              },
        },
      ],
    });

  const startOperation = (
    res: ServerResponse,
    method: string,
    path: string,
    location: string,
    subscription: string,
    apply: () => void,
    fail: () => void,
    body: unknown,
    onError?: (error: { code: string; message: string }) => void,
  ): void => {
    const id = randomUUID();
    const op: Operation = { id, method, path, status: 'InProgress', remaining: lroPolls, apply, fail };
    if (method === 'PUT' && nextFailure) {
      const error = nextFailure;
      op.error = error;
      op.fail = () => {
        fail();
        onError?.(error);
      };
      nextFailure = undefined;
    }
    if (typeof body === 'function') body = (body as () => unknown)();
    operations.push(op);
    if (method === 'PUT') {
      send(res, 201, body, {
        'azure-asyncoperation': `${url}/subscriptions/${subscription}/providers/${RP}/locations/${location}/operations/${id}?api-version=2016-03-30`,
      });
    } else {
      send(res, 202, undefined, {
        location: `${url}/subscriptions/${subscription}/providers/${RP}/locations/${location}/operationresults/${id}?api-version=2016-03-30`,
      });
    }
  };

  const advance = (op: Operation): void => {
    if (op.status !== 'InProgress') return;
    if (op.remaining > 0) {
      op.remaining--;
      return;
    }
    if (op.error) {
      op.status = 'Failed';
      op.fail();
    } else {
      op.status = 'Succeeded';
      op.apply();
    }
  };

  const handleToken = (res: ServerResponse, method: string, path: string, body: string): boolean => {
    const wellKnown = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/.exec(path);
    if (wellKnown && method === 'GET') {
      const tenant = wellKnown[1]!;
      send(res, 200, {
        token_endpoint: `${url}/${tenant}/oauth2/v2.0/token`,
        authorization_endpoint: `${url}/${tenant}/oauth2/v2.0/authorize`,
        device_authorization_endpoint: `${url}/${tenant}/oauth2/v2.0/devicecode`,
        end_session_endpoint: `${url}/${tenant}/oauth2/v2.0/logout`,
        issuer: `${url}/${tenant}/v2.0`,
        jwks_uri: `${url}/${tenant}/discovery/v2.0/keys`,
        response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
        scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
        tenant_region_scope: 'EU',
      });
      return true;
    }
    const deviceCode = /^\/([^/]+)\/oauth2\/v2\.0\/devicecode$/.exec(path);
    if (deviceCode && method === 'POST') {
      send(res, 200, {
        user_code: 'FAKE-CODE',
        device_code: 'fake-device-code',
        verification_uri: 'https://microsoft.com/devicelogin',
        expires_in: 900,
        interval: 1,
        message:
          'To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code FAKE-CODE to authenticate.',
      });
      return true;
    }
    const token = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(path);
    if (token && method === 'POST') {
      const form = new URLSearchParams(body);
      const clientId = form.get('client_id') ?? '';
      const grant = form.get('grant_type');
      if (grant === 'device_code' || grant === 'urn:ietf:params:oauth:grant-type:device_code' || grant === 'refresh_token') {
        // The user "signed in" at once: a public-client answer with the account (id_token, client_info).
        if (
          grant === 'refresh_token' ? form.get('refresh_token') !== 'fake-refresh-token' : form.get('device_code') !== 'fake-device-code'
        ) {
          send(res, 400, { error: 'invalid_grant', error_description: 'AADSTS70000: The provided grant is invalid.' });
          return true;
        }
        const tenant = token[1]!;
        const b64 = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
        const now = Math.floor(Date.now() / 1000);
        const idToken = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({
          aud: clientId,
          iss: `${url}/${tenant}/v2.0`,
          tid: tenant,
          oid: 'user-oid-1',
          sub: 'user-sub-1',
          preferred_username: 'dev@example.invalid',
          name: 'Dev User',
          iat: now,
          nbf: now,
          exp: now + 3600,
          ver: '2.0',
        })}.c2ln`;
        send(res, 200, {
          token_type: 'Bearer',
          scope: form.get('scope') ?? '',
          expires_in: 3599,
          ext_expires_in: 3599,
          access_token: fakeToken(
            (form.get('scope') ?? '')
              .split(' ')
              .filter((x) => !['openid', 'profile', 'offline_access'].includes(x))
              .join(' '),
          ),
          refresh_token: 'fake-refresh-token',
          id_token: idToken,
          client_info: b64({ uid: 'user-oid-1', utid: tenant }),
        });
        return true;
      }
      const expected = options.clientSecrets?.[clientId];
      if (form.get('grant_type') !== 'client_credentials' || expected === undefined || form.get('client_secret') !== expected) {
        send(res, 401, {
          error: 'invalid_client',
          error_description: 'AADSTS7000215: Invalid client secret provided.',
          error_codes: [7000215],
        });
        return true;
      }
      const scope = form.get('scope') ?? '';
      send(res, 200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: fakeToken(scope) });
      return true;
    }
    return false;
  };

  type CreateWire = {
    location?: string;
    tags?: Record<string, string>;
    sku?: unknown;
    identity?: unknown;
    properties?: Record<string, unknown> & { kubernetesVersion?: string; agentPoolProfiles?: Record<string, unknown>[] };
  };
  const poolFromWire = (name: string, p: Record<string, unknown>, version: string): FakeAgentPool => {
    const requested = { ...p };
    delete requested.name;
    return {
      name,
      vmSize: typeof p.vmSize === 'string' ? p.vmSize : '',
      count: typeof p.count === 'number' ? p.count : 1,
      ...(p.enableAutoScaling === true ? { enableAutoScaling: true, minCount: p.minCount as number, maxCount: p.maxCount as number } : {}),
      ...(p.scaleSetPriority === 'Spot' ? { spot: true } : {}),
      mode: p.mode === 'System' ? 'System' : 'User',
      orchestratorVersion: typeof p.orchestratorVersion === 'string' ? p.orchestratorVersion : version,
      provisioningState: 'Creating',
      requested,
    };
  };

  const createCluster = (res: ServerResponse, sub: string, rg: string, name: string, body: string, path: string): void => {
    let wire: CreateWire;
    try {
      wire = JSON.parse(body) as CreateWire;
    } catch {
      return cloudError(res, 400, 'InvalidRequestContent', 'The request content was invalid and could not be deserialized.');
    }
    if (options.resourceGroups && !resourceGroups.some((g) => eq(g.subscription, sub) && eq(g.name, rg)))
      return cloudError(res, 404, 'ResourceGroupNotFound', `Resource group '${rg}' could not be found.`);
    const props = wire.properties ?? {};
    const version = props.kubernetesVersion ?? '';
    const known = (options.kubernetesVersions ?? []).flatMap((v) => [v.version, ...v.patches]);
    if (!wire.location) return cloudError(res, 400, 'LocationRequired', 'The location property is required.');
    if (!version || (known.length && !known.includes(version)))
      return cloudError(res, 400, 'K8sVersionNotSupported', `Version ${version} is not supported in this region.`);
    const profiles = props.agentPoolProfiles ?? [];
    if (!profiles.some((p) => p.mode === 'System'))
      return cloudError(res, 400, 'MustDefineAtLeastOneSystemPool', 'Must define at least one system pool.');
    const created: FakeManagedCluster = {
      subscription: sub,
      resourceGroup: rg,
      name,
      location: wire.location,
      kubernetesVersion: version,
      provisioningState: 'Creating',
      ...(wire.tags ? { tags: wire.tags } : { tags: {} }),
      requested: { sku: wire.sku, identity: wire.identity, properties: props },
      agentPools: profiles.map((p) => poolFromWire(String(p.name), p, version)),
    };
    clusters.push(created);
    startOperation(
      res,
      'PUT',
      path,
      created.location,
      sub,
      () => {
        created.provisioningState = 'Succeeded';
        created.fqdn = `${name}-dns.hcp.${created.location}.azmk8s.io`;
        for (const p of created.agentPools) p.provisioningState = 'Succeeded';
      },
      () => {
        created.provisioningState = 'Failed';
        for (const p of created.agentPools) p.provisioningState = 'Failed';
      },
      () => clusterResource(created),
      (error) => {
        created.provisioningError = error;
      },
    );
  };

  const createPool = (res: ServerResponse, cluster: FakeManagedCluster, name: string, body: string, path: string): void => {
    let wire: { properties?: Record<string, unknown> };
    try {
      wire = JSON.parse(body) as typeof wire;
    } catch {
      return cloudError(res, 400, 'InvalidRequestContent', 'The request content was invalid and could not be deserialized.');
    }
    const pool = poolFromWire(name, wire.properties ?? {}, cluster.kubernetesVersion);
    cluster.agentPools.push(pool);
    startOperation(
      res,
      'PUT',
      path,
      cluster.location,
      cluster.subscription,
      () => {
        pool.provisioningState = 'Succeeded';
      },
      () => {
        pool.provisioningState = 'Failed';
      },
      () => poolResource(cluster, pool),
    );
  };

  const handle = (
    res: ServerResponse,
    method: string,
    path: string,
    query: Record<string, string>,
    headers: IncomingHttpHeaders,
    body: string,
  ): void => {
    if (handleToken(res, method, path, body)) return;
    for (const rule of rules) {
      if ((rule.method === undefined || rule.method === method) && rule.path.test(path) && (rule.times ?? 1) > 0) {
        if (rule.times !== undefined) rule.times--;
        if (rule.hang) return;
        if (rule.rawBody !== undefined) {
          res.writeHead(rule.status, { 'content-type': 'application/json', ...rule.headers });
          res.end(rule.rawBody);
          return;
        }
        cloudError(res, rule.status, rule.code, rule.message ?? `Injected ${rule.code}.`, rule.headers);
        return;
      }
    }
    if (headers.authorization !== `Bearer ${fakeToken(armScope)}`) {
      cloudError(
        res,
        401,
        headers.authorization ? 'InvalidAuthenticationToken' : 'AuthenticationFailed',
        'The access token is invalid for this resource manager.',
      );
      return;
    }
    const apiVersion = query['api-version'];
    if (!apiVersion) {
      cloudError(res, 400, 'MissingApiVersionParameter', 'The api-version query parameter (?api-version=) is required for all requests.');
      return;
    }
    const skip = Number(query.$skipToken ?? query.$skiptoken ?? 0);
    const page = <T>(items: T[], base: string): { value: T[]; nextLink?: string } => {
      const value = items.slice(skip, skip + pageSize);
      return skip + pageSize < items.length
        ? { value, nextLink: `${url}${base}?api-version=${apiVersion}&$skipToken=${skip + pageSize}` }
        : { value };
    };

    if (/^\/subscriptions$/i.test(path) && method === 'GET') {
      const override = fake.subscriptionsNextLinkOverride;
      const listed = page(
        subscriptions.map((s) => ({
          id: `/subscriptions/${s.subscriptionId}`,
          authorizationSource: 'RoleBased',
          managedByTenants: [],
          subscriptionId: s.subscriptionId,
          tenantId: s.tenantId,
          displayName: s.displayName,
          state: s.state ?? 'Enabled',
          subscriptionPolicies: { locationPlacementId: 'Public_2014-09-01', quotaId: 'PayAsYouGo_2014-09-01', spendingLimit: 'Off' },
        })),
        '/subscriptions',
      );
      send(res, 200, override && skip === 0 ? { value: listed.value, nextLink: override } : listed);
      return;
    }
    let m = /^\/subscriptions\/([^/]+)\/resourcegroups(?:\/([^/]+))?$/i.exec(path);
    if (m) {
      const sub = m[1]!;
      const groupResource = (g: FakeResourceGroup): Record<string, unknown> => ({
        id: `/subscriptions/${g.subscription}/resourceGroups/${g.name}`,
        name: g.name,
        type: 'Microsoft.Resources/resourceGroups',
        location: g.location,
        ...(g.tags ? { tags: g.tags } : {}),
        properties: { provisioningState: 'Succeeded' },
      });
      if (!m[2] && method === 'GET')
        return send(res, 200, page(resourceGroups.filter((g) => eq(g.subscription, sub)).map(groupResource), path));
      const name = decodeURIComponent(m[2] ?? '');
      const group = resourceGroups.find((g) => eq(g.subscription, sub) && eq(g.name, name));
      if (method === 'GET')
        return group
          ? send(res, 200, groupResource(group))
          : cloudError(res, 404, 'ResourceGroupNotFound', `Resource group '${name}' could not be found.`);
      if (method === 'PUT') {
        const wire = JSON.parse(body || '{}') as { location?: string; tags?: Record<string, string> };
        if (!wire.location) return cloudError(res, 400, 'LocationRequired', 'The location property is required for this definition.');
        if (group) {
          group.tags = wire.tags;
          return send(res, 200, groupResource(group));
        }
        const created: FakeResourceGroup = { subscription: sub, name, location: wire.location, ...(wire.tags ? { tags: wire.tags } : {}) };
        resourceGroups.push(created);
        return send(res, 201, groupResource(created));
      }
    }
    m = /^\/subscriptions\/([^/]+)\/locations$/i.exec(path);
    if (m && method === 'GET') {
      return send(res, 200, {
        value: Object.entries(options.locations ?? {}).map(([name, displayName]) => ({
          id: `/subscriptions/${m![1]!}/locations/${name}`,
          name,
          displayName,
          regionalDisplayName: `(Europe) ${displayName}`,
          metadata: { regionType: 'Physical', regionCategory: 'Recommended' },
        })),
      });
    }
    m = /^\/subscriptions\/([^/]+)\/providers\/Microsoft\.ContainerService$/i.exec(path);
    if (m && method === 'GET') {
      return send(res, 200, {
        id: `/subscriptions/${m[1]!}/providers/Microsoft.ContainerService`,
        namespace: 'Microsoft.ContainerService',
        registrationState: options.aksRegistrationState ?? 'Registered',
        resourceTypes: [
          { resourceType: 'managedClusters', locations: options.aksLocations ?? [], apiVersions: ['2026-04-01'] },
          { resourceType: 'locations/kubernetesVersions', locations: options.aksLocations ?? [], apiVersions: ['2026-04-01'] },
        ],
      });
    }
    m = /^\/subscriptions\/([^/]+)\/providers\/Microsoft\.ContainerService\/locations\/([^/]+)\/kubernetesVersions$/i.exec(path);
    if (m && method === 'GET') {
      return send(res, 200, {
        values: (options.kubernetesVersions ?? []).map((v) => ({
          version: v.version,
          isDefault: v.isDefault ?? false,
          isPreview: v.isPreview ?? false,
          capabilities: { supportPlan: ['KubernetesOfficial', 'AKSLongTermSupport'] },
          patchVersions: Object.fromEntries(v.patches.map((p) => [p, { upgrades: [] }])),
        })),
      });
    }
    m = /^\/subscriptions\/([^/]+)\/providers\/Microsoft\.Compute\/skus$/i.exec(path);
    if (m && method === 'GET') {
      const loc = /location eq '([^']+)'/.exec(query.$filter ?? '')?.[1]?.toLowerCase();
      const skus = (options.vmSkus ?? []).filter((k) => !loc || k.locations[loc]);
      return send(res, 200, {
        value: [
          {
            resourceType: 'disks',
            name: 'Premium_LRS',
            tier: 'Premium',
            locations: loc ? [loc] : [],
            locationInfo: [],
            capabilities: [],
            restrictions: [],
          },
          ...skus.map((k) => ({
            resourceType: 'virtualMachines',
            name: k.name,
            tier: 'Standard',
            size: k.name.replace(/^Standard_/, ''),
            family: 'standardDSv5Family',
            locations: Object.keys(k.locations).filter((l) => !loc || l === loc),
            locationInfo: Object.entries(k.locations)
              .filter(([l]) => !loc || l === loc)
              .map(([l, zones]) => ({ location: l, zones, zoneDetails: [] })),
            capabilities: [
              { name: 'vCPUs', value: String(k.vcpus) },
              { name: 'MemoryGB', value: String(k.memoryGb) },
            ],
            restrictions: (k.restrictions ?? []).map((r) => ({
              type: r.type,
              values: r.values,
              restrictionInfo: { locations: r.values, ...(r.zones ? { zones: r.zones } : {}) },
              reasonCode: r.reasonCode,
            })),
          })),
        ],
      });
    }
    m = /^\/subscriptions\/([^/]+)\/providers\/Microsoft\.ContainerService\/managedClusters$/i.exec(path);
    if (m && method === 'GET') {
      const sub = m[1]!;
      send(res, 200, page(clusters.filter((c) => eq(c.subscription, sub)).map(clusterResource), path));
      return;
    }
    m =
      /^\/subscriptions\/([^/]+)\/providers\/Microsoft\.ContainerService\/locations\/([^/]+)\/(operations|operationresults)\/([^/]+)$/i.exec(
        path,
      );
    if (m && method === 'GET') {
      const op = operations.find((o) => o.id === m![4]);
      if (!op) return cloudError(res, 404, 'NotFound', 'Operation not found.');
      advance(op);
      if (m[3]!.toLowerCase() === 'operations') {
        send(res, 200, {
          id: path,
          name: op.id,
          status: op.status,
          startTime: new Date().toISOString(),
          ...(op.status === 'Failed' && op.error ? { error: op.error } : {}),
        });
      } else if (op.status === 'InProgress') send(res, 202, undefined, { location: `${url}${path}?api-version=${apiVersion}` });
      else send(res, 204);
      return;
    }
    m =
      /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.ContainerService\/managedClusters\/([^/]+)(\/.*)?$/i.exec(
        path,
      );
    if (!m) return cloudError(res, 404, 'InvalidResourceType', `No route for ${method} ${path}.`);
    const [, sub, rg, name, rest = ''] = m as unknown as [string, string, string, string, string | undefined];
    const cluster = clusters.find((c) => eq(c.subscription, sub) && eq(c.resourceGroup, rg) && eq(c.name, name));
    const notFound = (): void =>
      cloudError(res, 404, 'ResourceNotFound', `The Resource '${RP}/managedClusters/${name}' under resource group '${rg}' was not found.`);
    const setClusterState = (c: FakeManagedCluster, state: string): void => {
      c.provisioningState = state;
      c.eTag = etag();
    };
    // Azure works on its own: a running create also advances when only the resource is polled (GET-until-terminal).
    if (method === 'GET') for (const op of operations) if (op.method === 'PUT' && eq(op.path, path)) advance(op);
    if (rest === '') {
      if (method === 'GET') return cluster ? send(res, 200, clusterResource(cluster)) : notFound();
      if (method === 'PUT') {
        if (cluster && headers['if-none-match'] === '*')
          return cloudError(res, 412, 'PreconditionFailed', `Managed cluster ${name} already exists (If-None-Match: *).`);
        if (!cluster) return createCluster(res, sub, rg, name, body, path);
        if (headers['if-match'] && headers['if-match'] !== cluster.eTag)
          return cloudError(res, 412, 'PreconditionFailed', 'The eTag does not match.');
        let wire: { properties?: { kubernetesVersion?: string } };
        try {
          wire = JSON.parse(body) as typeof wire;
        } catch {
          return cloudError(res, 400, 'InvalidRequestContent', 'The request content was invalid and could not be deserialized.');
        }
        const version = wire.properties?.kubernetesVersion ?? cluster.kubernetesVersion;
        if (version !== cluster.kubernetesVersion && !(cluster.upgrades ?? []).includes(version)) {
          return cloudError(res, 400, 'K8sVersionNotSupported', `Version ${version} is not supported in this region.`);
        }
        setClusterState(cluster, version !== cluster.kubernetesVersion ? 'Upgrading' : 'Updating');
        return startOperation(
          res,
          'PUT',
          path,
          cluster.location,
          cluster.subscription,
          () => {
            cluster.kubernetesVersion = version;
            setClusterState(cluster, 'Succeeded');
          },
          () => setClusterState(cluster, 'Failed'),
          clusterResource(cluster),
        );
      }
      if (method === 'DELETE') {
        if (!cluster) return send(res, 204);
        setClusterState(cluster, 'Deleting');
        return startOperation(
          res,
          'DELETE',
          path,
          cluster.location,
          cluster.subscription,
          () => clusters.splice(clusters.indexOf(cluster), 1),
          () => setClusterState(cluster, 'Failed'),
          undefined,
        );
      }
    }
    if (!cluster) return notFound();
    if (/^\/upgradeProfiles\/default$/i.test(rest) && method === 'GET') {
      const upgrades = (cluster.upgrades ?? []).map((v) => ({ kubernetesVersion: v }));
      return send(res, 200, {
        id: `${clusterId(cluster)}/upgradeprofiles/default`,
        name: 'default',
        type: `${RP}/managedClusters/upgradeprofiles`,
        properties: {
          controlPlaneProfile: { kubernetesVersion: cluster.kubernetesVersion, name: null, osType: 'Linux', upgrades },
          agentPoolProfiles: cluster.agentPools.map((p) => ({
            kubernetesVersion: p.orchestratorVersion,
            name: p.name,
            osType: 'Linux',
            upgrades,
          })),
        },
      });
    }
    if (/^\/listClusterUserCredential$/i.test(rest) && method === 'POST') {
      return send(res, 200, { kubeconfigs: [{ name: 'clusterUser', value: Buffer.from(kubeconfigFor(cluster)).toString('base64') }] });
    }
    if (/^\/agentPools$/i.test(rest) && method === 'GET') {
      return send(res, 200, { value: cluster.agentPools.map((p) => poolResource(cluster, p)) });
    }
    const pm = /^\/agentPools\/([^/]+)$/i.exec(rest);
    if (pm) {
      const pool = cluster.agentPools.find((p) => eq(p.name, pm[1]!));
      const poolMissing = (): void => cloudError(res, 404, 'NotFound', `Agent pool '${pm[1]!}' was not found.`);
      if (method === 'GET') return pool ? send(res, 200, poolResource(cluster, pool)) : poolMissing();
      if (method === 'PUT') {
        if (pool && headers['if-none-match'] === '*')
          return cloudError(res, 412, 'PreconditionFailed', `Agent pool ${pool.name} already exists (If-None-Match: *).`);
        if (!pool) return createPool(res, cluster, pm[1]!, body, path);
        if (headers['if-match'] && headers['if-match'] !== pool.eTag)
          return cloudError(res, 412, 'PreconditionFailed', 'The eTag does not match.');
        let wire: {
          properties?: { count?: number; enableAutoScaling?: boolean; minCount?: number; maxCount?: number; orchestratorVersion?: string };
        };
        try {
          wire = JSON.parse(body) as typeof wire;
        } catch {
          return cloudError(res, 400, 'InvalidRequestContent', 'The request content was invalid and could not be deserialized.');
        }
        const p = wire.properties ?? {};
        // As AKS: a pool may move up to the control plane's version, never past it and never down.
        const version = p.orchestratorVersion ?? pool.orchestratorVersion;
        if (compareVersions(version, cluster.kubernetesVersion) > 0)
          return cloudError(
            res,
            400,
            'NodePoolMcVersionIncompatible',
            `Node pool version ${version} and control plane version ${cluster.kubernetesVersion} are incompatible.`,
          );
        if (compareVersions(version, pool.orchestratorVersion) < 0)
          return cloudError(res, 400, 'AgentPoolK8sVersionNotSupported', `Downgrading agent pool ${pool.name} is not supported.`);
        pool.provisioningState = version !== pool.orchestratorVersion ? 'Upgrading' : 'Scaling';
        pool.eTag = etag();
        return startOperation(
          res,
          'PUT',
          path,
          cluster.location,
          cluster.subscription,
          () => {
            if (typeof p.count === 'number') pool.count = p.count;
            pool.orchestratorVersion = version;
            pool.enableAutoScaling = p.enableAutoScaling === true;
            if (pool.enableAutoScaling) {
              pool.minCount = p.minCount;
              pool.maxCount = p.maxCount;
            }
            pool.provisioningState = 'Succeeded';
            pool.eTag = etag();
          },
          () => {
            pool.provisioningState = 'Failed';
          },
          poolResource(cluster, pool),
        );
      }
      if (method === 'DELETE') {
        if (!pool) return send(res, 204);
        pool.provisioningState = 'Deleting';
        return startOperation(
          res,
          'DELETE',
          path,
          cluster.location,
          cluster.subscription,
          () => cluster.agentPools.splice(cluster.agentPools.indexOf(pool), 1),
          () => {
            pool.provisioningState = 'Failed';
          },
          undefined,
        );
      }
    }
    cloudError(res, 404, 'InvalidResourceType', `No route for ${method} ${path}.`);
  };

  const server = createServer({ key: tls.serverKeyPem, cert: tls.serverCertPem }, (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const u = new URL(req.url ?? '/', 'https://fake');
      const query: Record<string, string> = {};
      for (const [k, v] of u.searchParams) query[k] = v;
      const body = Buffer.concat(chunks).toString('utf8');
      const method = req.method ?? 'GET';
      records.push({ method, path: u.pathname, query, headers: req.headers, body });
      const drop = drops.find((d) => d.times > 0 && d.method === method && d.path.test(u.pathname));
      let target = res;
      if (drop) {
        // Applied as usual, but the answer never arrives: the connection is cut instead.
        drop.times--;
        target = Object.assign(Object.create(res) as ServerResponse, {
          writeHead: () => target,
          end: () => req.socket.destroy(),
        });
      }
      try {
        handle(target, method, u.pathname, query, req.headers, body);
      } catch (e) {
        cloudError(res, 500, 'InternalServerError', String(e));
      }
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  armScope = `${url}/.default`;

  const fake: AksFake = {
    url,
    caPem: tls.caCertPem,
    subscriptionsNextLinkOverride: undefined,
    records,
    clusters,
    armScope,
    operations,
    inject: (rule) => rules.push(rule),
    clearInjected: () => void rules.splice(0),
    failNextOperation: (error) => {
      nextFailure = error;
    },
    dropResponses: (rule) => {
      drops.push({ ...rule });
    },
    resourceGroups,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  return fake;
}

/** Numeric order of "1.33.2"-style versions. */
function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
