import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { aksServerAppId, isOwnTokenCommand, recognizeCloudExec } from '../../../src/core/clouds/cloudExec';

const plugin = (command: string, args: string[], env: { name: string; value: string }[] = []) => ({
  apiVersion: 'client.authentication.k8s.io/v1beta1',
  command,
  args,
  env,
  provideClusterInfo: false,
});

test('the cloud credential plugins ClusterDeck can stand in for, and what token each means', () => {
  const rows: [ReturnType<typeof plugin>, unknown][] = [
    [
      plugin('aws', ['eks', 'get-token', '--cluster-name', 'prod', '--region', 'eu-west-1', '--output', 'json']),
      { cloud: 'eks', cluster: 'prod', region: 'eu-west-1' },
    ],
    [plugin('/usr/local/bin/aws', ['--region', 'us-east-1', 'eks', 'get-token', '--cluster-name', 'a']), undefined], // region before the verb: not the CLI's shape
    [
      plugin(
        'aws',
        ['eks', 'get-token', '--cluster-name=prod'],
        [
          { name: 'AWS_PROFILE', value: 'ops' },
          { name: 'AWS_REGION', value: 'us-west-2' },
        ],
      ),
      { cloud: 'eks', cluster: 'prod', region: 'us-west-2', profile: 'ops' },
    ],
    [plugin('aws', ['eks', 'get-token', '--cluster-name', 'prod']), undefined], // no region anywhere
    [
      plugin('aws-iam-authenticator', ['token', '-i', 'prod', '--region', 'eu-west-1']),
      { cloud: 'eks', cluster: 'prod', region: 'eu-west-1' },
    ],
    [plugin('aws-iam-authenticator', ['token', '-i', 'prod', '--region', 'eu-west-1', '-r', 'arn:aws:iam::1:role/x']), undefined],
    [plugin('gke-gcloud-auth-plugin', []), { cloud: 'gke' }],
    [plugin('kubelogin', ['get-token', '--login', 'azurecli', '--server-id', aksServerAppId]), { cloud: 'aks', serverId: aksServerAppId }],
    [plugin('kubelogin', ['convert-kubeconfig']), undefined],
    [
      plugin('clusterdeck', ['token', 'eks', '--cluster', 'c', '--region', 'r', '--profile', 'p']),
      { cloud: 'eks', cluster: 'c', region: 'r', profile: 'p' },
    ],
    [
      plugin('/usr/bin/node', ['/ext/dist/cli.js', 'token', 'gke', '--cluster', 'c', '--location', 'l', '--project', 'p']),
      { cloud: 'gke' },
    ],
    [
      plugin('node', ['/ext/dist/cli.js', 'token', 'aks', '--cluster', 'c', '--resource-group', 'g', '--subscription', 's']),
      { cloud: 'aks', serverId: aksServerAppId, cluster: 'c', resourceGroup: 'g', subscription: 's' },
    ],
    [plugin('node', ['/ext/dist/cli.js', 'lint', 'x']), undefined],
    [plugin('my-plugin', ['eks', 'get-token']), undefined],
  ];
  for (const [e, expected] of rows) assert.deepEqual(recognizeCloudExec(e), expected, `${e.command} ${e.args.join(' ')}`);
  assert.equal(isOwnTokenCommand(plugin('node', ['/ext/dist/cli.js', 'token', 'eks'])), true);
  assert.equal(isOwnTokenCommand(plugin('aws', ['eks', 'get-token'])), false);
});
