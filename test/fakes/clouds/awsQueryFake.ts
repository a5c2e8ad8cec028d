// EC2 (ec2 query protocol, Version=2016-11-15) and IAM (awsQuery, Version=2010-05-08) answers for the EKS wizard's
// choices, served by the EKS fake (eksFake.ts) on the same port: the SDK POSTs a form-encoded `Action=…` body to
// `/`, signed for service `ec2` or `iam`; the answers are the XML documents @aws-sdk/client-ec2 and client-iam parse
// (EC2 lists as `<xxxSet><item>`, IAM lists as `<Member><member>` inside `<ActionResult>`).
//
// IAM also creates: CreateRole (EntityAlreadyExists 409), GetRole (NoSuchEntity 404, with Tags),
// AttachRolePolicy (idempotent), ListAttachedRolePolicies, over an IamState shared with the EKS fake, which refuses
// a CreateCluster / CreateNodegroup naming a just-created role `propagationRejects` times ("could not be assumed"),
// as EKS does while IAM has not propagated the role yet.
import { randomUUID } from 'node:crypto';

export interface FakeVpc {
  readonly id: string;
  readonly cidr: string;
  readonly isDefault?: boolean;
  readonly name?: string;
}
export interface FakeSubnet {
  readonly id: string;
  readonly vpcId: string;
  readonly az: string;
  readonly cidr: string;
  readonly freeIps?: number;
  readonly mapPublicIp?: boolean;
  readonly name?: string;
}
export interface FakeRole {
  readonly name: string;
  /** Service principals trusted (eks.amazonaws.com, ec2.amazonaws.com…). */
  readonly trusts: readonly string[];
}
export interface AwsQueryData {
  readonly regions?: readonly { readonly name: string; readonly optIn?: 'opt-in-not-required' | 'opted-in' | 'not-opted-in' }[];
  readonly vpcs?: readonly FakeVpc[];
  readonly subnets?: readonly FakeSubnet[];
  /** Instance types offered per availability zone. */
  readonly offerings?: Readonly<Record<string, readonly string[]>>;
  readonly keyPairs?: readonly string[];
  readonly roles?: readonly FakeRole[];
  /** Creates (CreateCluster/CreateNodegroup) refused per role created through CreateRole before it is assumable. */
  readonly propagationRejects?: number;
  /** Items per page for paged EC2/IAM lists (default 1000). */
  readonly pageSize?: number;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const tag = (name: string, value: string | number | boolean | undefined) =>
  value === undefined ? '' : `<${name}>${esc(String(value))}</${name}>`;
const tagSet = (name: string | undefined) =>
  name ? `<tagSet><item><key>Name</key><value>${esc(name)}</value></item></tagSet>` : '<tagSet/>';

/** The `Name.N.Value.M` style params of an EC2 Filter list: name → values. */
function filters(params: URLSearchParams): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (let i = 1; params.has(`Filter.${i}.Name`); i++) {
    const values: string[] = [];
    for (let j = 1; params.has(`Filter.${i}.Value.${j}`); j++) values.push(params.get(`Filter.${i}.Value.${j}`) ?? '');
    out.set(params.get(`Filter.${i}.Name`) ?? '', values);
  }
  return out;
}
function list(params: URLSearchParams, prefix: string): string[] {
  const out: string[] = [];
  for (let i = 1; params.has(`${prefix}.${i}`); i++) out.push(params.get(`${prefix}.${i}`) ?? '');
  return out;
}

function ec2Xml(action: string, inner: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>${randomUUID()}</requestId>${inner}</${action}Response>`;
}
export function ec2Error(code: string, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${code}</Code><Message>${esc(message)}</Message></Error></Errors><RequestID>${randomUUID()}</RequestID></Response>`;
}
export function iamError(code: string, message: string): string {
  return `<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${esc(message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`;
}

function paged<T>(items: readonly T[], token: string | null, size: number): { page: readonly T[]; next?: string } {
  const start = token ? Number(token) : 0;
  const page = items.slice(start, start + size);
  return { page, ...(start + size < items.length ? { next: String(start + size) } : {}) };
}

/** Answers one EC2 action; undefined for an action the fake does not know. */
export function answerEc2(data: AwsQueryData, action: string, params: URLSearchParams, region: string): { status: number; xml: string } {
  const f = filters(params);
  const size = data.pageSize ?? 1000;
  switch (action) {
    case 'DescribeRegions': {
      const items = (data.regions ?? [{ name: region }]).filter((r) => params.get('AllRegions') === 'true' || r.optIn !== 'not-opted-in');
      return {
        status: 200,
        xml: ec2Xml(
          action,
          `<regionInfo>${items
            .map(
              (r) =>
                `<item>${tag('regionName', r.name)}${tag('regionEndpoint', `ec2.${r.name}.amazonaws.com`)}${tag('optInStatus', r.optIn ?? 'opt-in-not-required')}</item>`,
            )
            .join('')}</regionInfo>`,
        ),
      };
    }
    case 'DescribeVpcs': {
      const items = (data.vpcs ?? []).filter((v) => v.id.length > 0);
      return {
        status: 200,
        xml: ec2Xml(
          action,
          `<vpcSet>${items
            .map(
              (v) =>
                `<item>${tag('vpcId', v.id)}${tag('state', 'available')}${tag('cidrBlock', v.cidr)}${tag('isDefault', v.isDefault ?? false)}${tagSet(v.name)}</item>`,
            )
            .join('')}</vpcSet>`,
        ),
      };
    }
    case 'DescribeSubnets': {
      const ids = list(params, 'SubnetId');
      const vpc = f.get('vpc-id');
      const all = (data.subnets ?? []).filter((s) => s.az.startsWith(region));
      const missing = ids.find((id) => !all.some((s) => s.id === id));
      if (missing) return { status: 400, xml: ec2Error('InvalidSubnetID.NotFound', `The subnet ID '${missing}' does not exist`) };
      const items = all.filter((s) => (!ids.length || ids.includes(s.id)) && (!vpc || vpc.includes(s.vpcId)));
      return {
        status: 200,
        xml: ec2Xml(
          action,
          `<subnetSet>${items
            .map(
              (s) =>
                `<item>${tag('subnetId', s.id)}${tag('state', 'available')}${tag('vpcId', s.vpcId)}${tag('cidrBlock', s.cidr)}${tag('availableIpAddressCount', s.freeIps ?? 250)}${tag('availabilityZone', s.az)}${tag('mapPublicIpOnLaunch', s.mapPublicIp ?? false)}${tagSet(s.name)}</item>`,
            )
            .join('')}</subnetSet>`,
        ),
      };
    }
    case 'DescribeInstanceTypeOfferings': {
      const zones = f.get('location') ?? Object.keys(data.offerings ?? {}).filter((z) => z.startsWith(region));
      const rows = zones.flatMap((z) => (data.offerings?.[z] ?? []).map((t) => ({ t, z })));
      const { page, next } = paged(rows, params.get('NextToken'), size);
      return {
        status: 200,
        xml: ec2Xml(
          action,
          `<instanceTypeOfferingSet>${page
            .map((r) => `<item>${tag('instanceType', r.t)}${tag('locationType', 'availability-zone')}${tag('location', r.z)}</item>`)
            .join('')}</instanceTypeOfferingSet>${tag('nextToken', next)}`,
        ),
      };
    }
    case 'DescribeKeyPairs':
      return {
        status: 200,
        xml: ec2Xml(
          action,
          `<keySet>${(data.keyPairs ?? []).map((k, i) => `<item>${tag('keyPairId', `key-0${i}`)}${tag('keyName', k)}${tag('keyType', 'ed25519')}</item>`).join('')}</keySet>`,
        ),
      };
    default:
      return { status: 400, xml: ec2Error('InvalidAction', `The action ${action} is not valid for this web service.`) };
  }
}

/** One role the fake IAM holds (seeded from AwsQueryData.roles, or created through CreateRole). */
export interface IamRole {
  readonly name: string;
  /** The trust policy as IAM stores it (JSON text). */
  readonly trustPolicy: string;
  readonly description?: string;
  readonly tags: Record<string, string>;
  readonly policies: Set<string>;
  /** Created through CreateRole: creates naming it are refused this many more times (propagation). */
  rejectsLeft: number;
}

/** The fake's IAM, shared by its IAM answers and its EKS creates. */
export class IamState {
  readonly roles = new Map<string, IamRole>();
  /** Creates refused per role CreateRole makes from now on (AwsQueryData.propagationRejects; tests may change it). */
  propagationRejects: number;
  constructor(readonly data: AwsQueryData) {
    this.propagationRejects = data.propagationRejects ?? 0;
    for (const r of data.roles ?? []) {
      this.roles.set(r.name, {
        name: r.name,
        trustPolicy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { Service: r.trusts.length === 1 ? r.trusts[0] : r.trusts }, Action: 'sts:AssumeRole' },
          ],
        }),
        tags: {},
        policies: new Set(),
        rejectsLeft: 0,
      });
    }
  }
  /** A role someone else made (no ClusterDeck tags). */
  addRole(name: string, trusts: string, tags: Record<string, string> = {}): void {
    this.roles.set(name, {
      name,
      trustPolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: trusts }, Action: 'sts:AssumeRole' }],
      }),
      tags,
      policies: new Set(),
      rejectsLeft: 0,
    });
  }
  /**
   * Why EKS would refuse `arn` for a create trusting `service` right now (undefined: it can be assumed). Only roles
   * this fake holds are checked (ARNs of other tests' made-up roles pass, as before).
   */
  refusal(arn: string, account: string, service: string): string | undefined {
    const m = /^arn:aws:iam::([^:]*):role\/(.+)$/.exec(arn);
    if (!m) return `Role ARN ${arn} is not valid`;
    const role = m[2] ? this.roles.get(m[2]) : undefined;
    if (!role) return undefined;
    const cannot = `Role with arn: ${arn}, could not be assumed because it does not exist or the trusted entity is not correct`;
    if (m[1] !== account) return cannot;
    if (role.rejectsLeft > 0) {
      role.rejectsLeft--;
      return cannot;
    }
    return role.trustPolicy.includes(`"${service}"`) ? undefined : cannot;
  }
}

const iamOk = (action: string, inner: string) =>
  `<${action}Response xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><${action}Result>${inner}</${action}Result><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`;
const roleId = (name: string) =>
  `AROA${name
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '')
    .slice(0, 16)}`;
const roleXml = (r: IamRole, account: string, withTags: boolean) =>
  `${tag('Path', '/')}${tag('RoleName', r.name)}${tag('RoleId', roleId(r.name))}${tag('Arn', `arn:aws:iam::${account}:role/${r.name}`)}${tag('CreateDate', '2026-01-15T10:30:00Z')}${tag('Description', r.description)}<AssumeRolePolicyDocument>${encodeURIComponent(r.trustPolicy)}</AssumeRolePolicyDocument>${
    withTags && Object.keys(r.tags).length
      ? `<Tags>${Object.entries(r.tags)
          .map(([k, v]) => `<member>${tag('Key', k)}${tag('Value', v)}</member>`)
          .join('')}</Tags>`
      : ''
  }`;

/** Answers one IAM action. */
export function answerIam(iam: IamState, action: string, params: URLSearchParams, account: string): { status: number; xml: string } {
  const data = iam.data;
  const name = params.get('RoleName') ?? '';
  const noSuch = () => ({ status: 404, xml: iamError('NoSuchEntity', `The role with name ${name} cannot be found.`) });
  switch (action) {
    case 'ListRoles': {
      const size = Math.min(Number(params.get('MaxItems') ?? 100), data.pageSize ?? 1000);
      const { page, next } = paged([...iam.roles.values()], params.get('Marker'), size);
      const members = page.map((r) => `<member>${roleXml(r, account, false)}</member>`).join('');
      return {
        status: 200,
        xml: iamOk(action, `<IsTruncated>${next ? 'true' : 'false'}</IsTruncated>${tag('Marker', next)}<Roles>${members}</Roles>`),
      };
    }
    case 'CreateRole': {
      if (!/^[\w+=,.@-]{1,64}$/.test(name)) return { status: 400, xml: iamError('ValidationError', `Invalid role name ${name}`) };
      if (iam.roles.has(name)) return { status: 409, xml: iamError('EntityAlreadyExists', `Role with name ${name} already exists.`) };
      const trustPolicy = params.get('AssumeRolePolicyDocument') ?? '';
      try {
        JSON.parse(trustPolicy);
      } catch {
        return { status: 400, xml: iamError('MalformedPolicyDocument', 'The trust policy is not JSON.') };
      }
      const tags: Record<string, string> = {};
      for (let i = 1; params.has(`Tags.member.${i}.Key`); i++)
        tags[params.get(`Tags.member.${i}.Key`) ?? ''] = params.get(`Tags.member.${i}.Value`) ?? '';
      const role: IamRole = {
        name,
        trustPolicy,
        ...(params.get('Description') ? { description: params.get('Description') ?? '' } : {}),
        tags,
        policies: new Set(),
        rejectsLeft: iam.propagationRejects,
      };
      iam.roles.set(name, role);
      return { status: 200, xml: iamOk(action, `<Role>${roleXml(role, account, true)}</Role>`) };
    }
    case 'GetRole': {
      const role = iam.roles.get(name);
      return role ? { status: 200, xml: iamOk(action, `<Role>${roleXml(role, account, true)}</Role>`) } : noSuch();
    }
    case 'AttachRolePolicy': {
      const role = iam.roles.get(name);
      if (!role) return noSuch();
      const arn = params.get('PolicyArn') ?? '';
      if (!/^arn:aws:iam::aws:policy\/[\w+=,.@-]+$/.test(arn))
        return { status: 404, xml: iamError('NoSuchEntity', `Policy ${arn} does not exist.`) };
      role.policies.add(arn);
      return { status: 200, xml: iamOk(action, '') };
    }
    case 'ListAttachedRolePolicies': {
      const role = iam.roles.get(name);
      if (!role) return noSuch();
      const members = [...role.policies]
        .map((a) => `<member>${tag('PolicyName', a.split('/').pop() ?? a)}${tag('PolicyArn', a)}</member>`)
        .join('');
      return { status: 200, xml: iamOk(action, `<IsTruncated>false</IsTruncated><AttachedPolicies>${members}</AttachedPolicies>`) };
    }
    default:
      return { status: 400, xml: iamError('InvalidAction', `Could not find operation ${action}`) };
  }
}
