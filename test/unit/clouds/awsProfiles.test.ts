import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { fuzzRuns } from '../../support/fuzz';
import { isAwsRegion, parseAwsIni, parseAwsProfiles, regionsToQuery, standardEksRegions } from '../../../src/core/clouds/aws/awsProfiles';
import { checkNodePoolScale, eksHealth, eksUpgradeTargets, nextMinorVersion } from '../../../src/core/clouds/aws/eksModel';

const config = `
# a comment
[default]
region = eu-west-1 ; trailing comment
output = json

[profile dev]
region=us-east-2
s3 =
  max_concurrent_requests = 10

[profile sso-new]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = Admin
region = eu-central-1

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start#frag
sso_region = us-east-1

[profile sso-legacy]
sso_start_url = https://legacy.awsapps.com/start
sso_region = us-west-2
sso_account_id = 111122223333
sso_role_name = Read

[profile tool]
credential_process = /opt/bin/creds --json

[profile admin]
role_arn = arn:aws:iam::123456789012:role/Admin
source_profile = dev

[profile via-tool]
role_arn = arn:aws:iam::123456789012:role/X
source_profile = tool

[profile via-via-tool]
role_arn = arn:aws:iam::123456789012:role/Y
source_profile = via-tool

[profile loop-a]
role_arn = arn:aws:iam::1:role/A
source_profile = loop-b

[profile loop-b]
role_arn = arn:aws:iam::1:role/B
source_profile = loop-a

[profile orphan]
role_arn = arn:aws:iam::1:role/O
source_profile = nowhere

[profile instance]
role_arn = arn:aws:iam::1:role/I
credential_source = Ec2InstanceMetadata

[bare-in-config]
aws_access_key_id = IGNORED

[profile regionless]
output = text

[profile bad-region]
region = eu-west-1.evil.example
`;
const credentials = `[default]
aws_access_key_id = AKIDEFAULT
aws_secret_access_key = s3cr3t

[dev]
aws_access_key_id = AKIDEV
aws_secret_access_key = devsecret
region = us-west-1

[profile literal]
aws_access_key_id = AKILIT
aws_secret_access_key = lit

[only-creds]
aws_access_key_id = AKIONLY
aws_secret_access_key = only
`;

test('profiles from both files with [profile x] in config and [x] in credentials, merged key by key', () => {
  const { profiles, problems } = parseAwsProfiles(config, credentials);
  const by = new Map(profiles.map((p) => [p.name, p]));
  assert.equal(profiles[0]?.name, 'default', 'default first');
  assert.deepEqual(
    profiles.slice(1).map((p) => p.name),
    [...profiles.slice(1).map((p) => p.name)].sort((a, b) => a.localeCompare(b)),
  );
  assert.ok(!by.has('bare-in-config'), 'a bare [name] in the config file is ignored');
  assert.ok(by.has('profile literal'), 'in the credentials file "[profile x]" is a profile literally named "profile x"');
  assert.equal(by.get('default')?.kind, 'static');
  assert.equal(by.get('default')?.region, 'eu-west-1', 'trailing ; comment stripped');
  assert.equal(by.get('dev')?.kind, 'static');
  assert.equal(by.get('dev')?.region, 'us-west-1', 'the credentials file wins');
  assert.equal(by.get('only-creds')?.kind, 'static');
  assert.equal(by.get('regionless')?.kind, 'none');
  assert.equal(by.get('bad-region')?.region, undefined, 'a malformed region never reaches a host name');
  assert.deepEqual(problems, []);
});

test('SSO profiles: sso-session and legacy sso_start_url', () => {
  const by = new Map(parseAwsProfiles(config, '').profiles.map((p) => [p.name, p]));
  assert.deepEqual(by.get('sso-new')?.sso, { session: 'corp', startUrl: 'https://corp.awsapps.com/start#frag', region: 'us-east-1' });
  assert.equal(by.get('sso-new')?.kind, 'sso');
  assert.deepEqual(by.get('sso-legacy')?.sso, { startUrl: 'https://legacy.awsapps.com/start', region: 'us-west-2' });
  const missing = parseAwsProfiles('[profile s]\nsso_session = nope\nsso_account_id = 1\n', '').profiles[0];
  assert.match(missing?.problem ?? '', /sso_session "nope", which is not in the config file/);
});

test('credential_process is flagged, also at the end of a source_profile chain; loops and missing sources are problems', () => {
  const by = new Map(parseAwsProfiles(config, credentials).profiles.map((p) => [p.name, p]));
  assert.equal(by.get('tool')?.kind, 'process');
  assert.equal(by.get('tool')?.needsApproval, true);
  assert.equal(by.get('admin')?.kind, 'role');
  assert.equal(by.get('admin')?.sourceProfile, 'dev');
  assert.equal(by.get('admin')?.needsApproval, false);
  assert.equal(by.get('via-tool')?.needsApproval, true);
  assert.equal(by.get('via-via-tool')?.needsApproval, true);
  assert.match(by.get('loop-a')?.problem ?? '', /source_profile loop/);
  assert.match(by.get('orphan')?.problem ?? '', /source_profile "nowhere", which does not exist/);
  assert.equal(by.get('instance')?.credentialSource, 'Ec2InstanceMetadata');
  assert.equal(by.get('instance')?.needsApproval, false);
  // Role over its own static keys (the SDK's special case) is not a loop.
  const self = parseAwsProfiles(
    '',
    '[me]\naws_access_key_id = A\naws_secret_access_key = B\nrole_arn = arn:aws:iam::1:role/R\nsource_profile = me\n',
  ).profiles[0];
  assert.equal(self?.kind, 'role');
  assert.equal(self?.problem, undefined);
});

test('malformed lines become problems with their line; the rest still loads; no secret is kept', () => {
  const { profiles, problems } = parseAwsProfiles(
    '[default]\nregion = us-east-1\nthis is not ini\n[profile x]\nregion = eu-west-1\n',
    '[default]\naws_secret_access_key = TOPSECRET\naws_access_key_id = A\n',
  );
  assert.deepEqual(problems, [{ file: 'config', line: 3, message: 'Expected "key = value" or "[section]", found "this is not ini".' }]);
  assert.deepEqual(
    profiles.map((p) => p.name),
    ['default', 'x'],
  );
  assert.ok(!JSON.stringify(profiles).includes('TOPSECRET'));
  assert.deepEqual([...parseAwsIni('\uFEFF[a]\r\nk = v\r\n', 'credentials').sections.keys()], ['profile:a']);
});

test('regions: the profile region first, then the standard list; the user choice replaces them; names validated', () => {
  assert.equal(standardEksRegions.length, 17);
  assert.deepEqual(regionsToQuery('eu-west-1', undefined).slice(0, 2), ['eu-west-1', 'us-east-1']);
  assert.equal(regionsToQuery('eu-west-1', undefined).filter((r) => r === 'eu-west-1').length, 1);
  assert.deepEqual(regionsToQuery('af-south-1', undefined)[0], 'af-south-1', 'an opt-in region named by the profile is queried');
  assert.deepEqual(regionsToQuery('eu-west-1', ['ap-east-1', ' us-gov-west-1 ', 'evil.com/x', 'ap-east-1']), [
    'ap-east-1',
    'us-gov-west-1',
  ]);
  assert.deepEqual(regionsToQuery(undefined, []), [...standardEksRegions]);
  for (const ok of ['us-east-1', 'cn-north-1', 'us-gov-west-1', 'ap-southeast-7']) assert.ok(isAwsRegion(ok), ok);
  for (const bad of ['', 'us-east', 'US-EAST-1', 'us-east-1.x', 'us-east-1/', '127.0.0.1']) assert.ok(!isAwsRegion(bad), bad);
});

test('property: the parser never throws and every profile it returns has a known kind', () => {
  const line = fc.oneof(
    fc.constantFrom(
      '[default]',
      '[profile a]',
      '[b]',
      '[sso-session s]',
      'region = us-east-1',
      'credential_process = x',
      'role_arn = r',
      'source_profile = a',
      'source_profile = b',
      '  nested = 1',
      '# c',
      '=',
    ),
    fc.string({ maxLength: 20 }),
  );
  fc.assert(
    fc.property(fc.array(line, { maxLength: 30 }), fc.array(line, { maxLength: 30 }), (a, b) => {
      const parsed = parseAwsProfiles(a.join('\n'), b.join('\n'));
      for (const p of parsed.profiles) assert.ok(['role', 'static', 'webIdentity', 'process', 'sso', 'none'].includes(p.kind));
    }),
    { numRuns: fuzzRuns },
  );
});

test('EKS model: health words, next minor, one-minor upgrades, scale checks', () => {
  assert.equal(eksHealth('ACTIVE'), 'ok');
  assert.equal(eksHealth('UPDATING'), 'progressing');
  assert.equal(eksHealth('CREATE_FAILED'), 'failed');
  assert.equal(eksHealth('DEGRADED'), 'failed');
  assert.equal(eksHealth('SOMETHING_NEW'), 'unknown');
  assert.equal(nextMinorVersion('1.33'), '1.34');
  assert.equal(nextMinorVersion('1.9'), '1.10');
  assert.equal(nextMinorVersion('1.33.4'), undefined);
  assert.deepEqual(eksUpgradeTargets('1.33', ['1.34', '1.35', '1.33']), ['1.34']);
  assert.deepEqual(eksUpgradeTargets('1.35', ['1.34', '1.35']), []);
  assert.equal(checkNodePoolScale({ desired: 3 }), undefined);
  assert.match(checkNodePoolScale({}) ?? '', /at least one/);
  assert.match(checkNodePoolScale({ min: 1.5 }) ?? '', /whole number/);
  assert.match(checkNodePoolScale({ min: 2, desired: 1 }) ?? '', /below the min/);
  assert.match(checkNodePoolScale({ max: 2, desired: 3 }) ?? '', /above the max/);
  assert.match(checkNodePoolScale({ max: 0 }) ?? '', /max size of at least 1/);
});
