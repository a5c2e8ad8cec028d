// EC2 (ec2 query protocol, Version=2016-11-15) and IAM (awsQuery, Version=2010-05-08) answers for the EKS wizard's
// choices, served by the EKS fake (eksFake.ts) on the same port: the SDK POSTs a form-encoded `Action=…` body to
// `/`, signed for service `ec2` or `iam`; the answers are the XML documents @aws-sdk/client-ec2 and client-iam parse
// (EC2 lists as `<xxxSet><item>`, IAM lists as `<Member><member>` inside `<ActionResult>`).
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

/** Answers one IAM action. */
export function answerIam(data: AwsQueryData, action: string, params: URLSearchParams, account: string): { status: number; xml: string } {
  if (action !== 'ListRoles') return { status: 400, xml: iamError('InvalidAction', `Could not find operation ${action}`) };
  const size = Math.min(Number(params.get('MaxItems') ?? 100), data.pageSize ?? 1000);
  const { page, next } = paged(data.roles ?? [], params.get('Marker'), size);
  const doc = (r: FakeRole) =>
    encodeURIComponent(
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: r.trusts.length === 1 ? r.trusts[0] : r.trusts }, Action: 'sts:AssumeRole' }],
      }),
    );
  const members = page
    .map(
      (r) =>
        `<member>${tag('Path', '/')}${tag('RoleName', r.name)}${tag(
          'RoleId',
          `AROA${r.name
            .toUpperCase()
            .replace(/[^A-Z0-9]/g, '')
            .slice(0, 16)}`,
        )}${tag('Arn', `arn:aws:iam::${account}:role/${r.name}`)}${tag('CreateDate', '2026-01-15T10:30:00Z')}<AssumeRolePolicyDocument>${doc(r)}</AssumeRolePolicyDocument></member>`,
    )
    .join('');
  return {
    status: 200,
    xml: `<ListRolesResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ListRolesResult><IsTruncated>${next ? 'true' : 'false'}</IsTruncated>${tag('Marker', next)}<Roles>${members}</Roles></ListRolesResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></ListRolesResponse>`,
  };
}
