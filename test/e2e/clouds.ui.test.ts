// The Clouds view in a real workbench (code-server + Chromium) with the real cloud providers against their wire
// fakes on 127.0.0.1, configured the way a user's machine is (AWS config files, a Google service-account key,
// endpoint settings): every cloud listed, node pools, a scale operation with progress, a delete confirmation.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { startEksFake, type EksFake } from '../fakes/clouds/eksFake';
import { startGkeFake, type GkeFake } from '../fakes/clouds/gkeFake';
import { startAksFake, type AksFake } from '../fakes/clouds/aksFake';
import {
  contextMenu,
  driveWizard,
  onlyPane,
  repoRoot,
  runCommand,
  screenshot,
  showClusterDeck,
  startWorkbench,
  widenSidebar,
  type Workbench,
} from './workbench';

const skip = process.env.CLUSTERDECK_SKIP_E2E === '1' ? 'CLUSTERDECK_SKIP_E2E=1' : false;
const SECRET = 'uiCloudsSeCrEt/abcdefghijklmnopqrstuvwxyz0123';
const SA = 'ui@shop-prod.iam.gserviceaccount.com';
const SUB = '5c0ffee0-0000-4000-8000-000000000042';
const TENANT = '5c0ffee0-0000-4000-8000-00000000000a';
const CLIENT_ID = '5c0ffee0-0000-4000-8000-0000000000c1';
const AZ_SECRET = 'ui-sp-secret-canary-8d21';

async function failShot<T>(page: Page, name: string, p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    await screenshot(page, `${name}-FAILED`);
    throw e;
  }
}

/** Expands a tree row (clicking its twistie until aria-expanded says so: a redraw can move rows under the pointer). */
async function expand(page: Page, row: Locator, name: string): Promise<void> {
  await failShot(page, name, row.waitFor({ timeout: 30_000 }));
  for (let i = 0; i < 5 && (await row.getAttribute('aria-expanded')) !== 'true'; i++) {
    await row.click();
    await page.waitForTimeout(300);
  }
}

describe('Clouds view (code-server + Chromium, real providers on wire fakes)', { skip, timeout: 10 * 60_000 }, () => {
  let eks: EksFake | undefined;
  let gke: GkeFake | undefined;
  let aks: AksFake | undefined;
  let wb: Workbench | undefined;
  let dir = '';

  before(async () => {
    // The provisioning scenarios write cluster files into the workspace (examples/clusters/): start clean.
    rmSync(join(repoRoot, 'examples', 'clusters'), { recursive: true, force: true });
    dir = mkdtempSync(join(tmpdir(), 'clusterdeck-clouds-ui-'));
    writeFileSync(join(dir, 'aws-config'), '[default]\nregion = eu-west-1\n');
    writeFileSync(join(dir, 'aws-credentials'), `[default]\naws_access_key_id = AKIDUI\naws_secret_access_key = ${SECRET}\n`);
    eks = await startEksFake({
      keys: { AKIDUI: { secretAccessKey: SECRET, account: '123456789012', arn: 'arn:aws:iam::123456789012:user/ui' } },
      pollsToSettle: 1,
    });
    eks.addCluster('eu-west-1', {
      name: 'prod',
      version: '1.33',
      publicAccess: true,
      privateAccess: true,
      nodegroups: [
        { name: 'general', instanceTypes: ['m6i.large'], min: 1, max: 5, desired: 2 },
        { name: 'batch', instanceTypes: ['c6i.xlarge'], min: 0, max: 4, desired: 0, capacityType: 'SPOT' },
      ],
      addons: [{ name: 'vpc-cni', version: 'v1.19.0-eksbuild.1' }],
    });
    gke = await startGkeFake();
    const { publicKey, privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    gke.trustServiceAccount(SA, publicKey);
    writeFileSync(
      join(dir, 'sa.json'),
      JSON.stringify({
        type: 'service_account',
        project_id: 'shop-prod',
        private_key_id: 'k1',
        private_key: privateKey,
        client_email: SA,
        token_uri: gke.tokenUrl,
      }),
    );
    gke.addProject({ projectId: 'shop-prod', projectNumber: '100000000042', displayName: 'Shop Production' });
    // What the GKE wizard's version and image steps read (getServerConfig).
    gke.setServerConfig('shop-prod', 'europe-west1', {
      defaultClusterVersion: '1.33.4-gke.1200',
      validMasterVersions: ['1.34.1-gke.300', '1.33.4-gke.1200'],
      validNodeVersions: ['1.34.1-gke.300', '1.33.4-gke.1200'],
      defaultImageType: 'COS_CONTAINERD',
      validImageTypes: ['COS_CONTAINERD', 'UBUNTU_CONTAINERD'],
      channels: [
        { channel: 'RAPID', defaultVersion: '1.34.1-gke.300', validVersions: ['1.34.1-gke.300'] },
        { channel: 'REGULAR', defaultVersion: '1.33.4-gke.1200', validVersions: ['1.33.4-gke.1200'] },
      ],
    });
    gke.addCluster('shop-prod', {
      name: 'web',
      location: 'europe-west1',
      status: 'RUNNING',
      currentMasterVersion: '1.33.2-gke.100',
      endpoint: '34.1.2.3',
      currentNodeCount: 3,
      nodePools: [
        {
          name: 'default-pool',
          config: { machineType: 'e2-standard-4' },
          initialNodeCount: 3,
          autoscaling: { enabled: true, minNodeCount: 1, maxNodeCount: 5 },
          version: '1.33.2-gke.100',
          status: 'RUNNING',
        },
      ],
    });
    aks = await startAksFake({
      subscriptions: [{ subscriptionId: SUB, displayName: 'Payments Production', tenantId: TENANT }],
      clusters: [
        {
          subscription: SUB,
          resourceGroup: 'rg-payments',
          name: 'payments-aks',
          location: 'westeurope',
          kubernetesVersion: '1.33.2',
          fqdn: 'payments-aks.hcp.westeurope.azmk8s.io',
          aad: { managed: true, tenantID: TENANT },
          agentPools: [
            { name: 'system', vmSize: 'Standard_D4s_v5', count: 3, mode: 'System', orchestratorVersion: '1.33.2' },
            { name: 'spotpool', vmSize: 'Standard_D8s_v5', count: 2, mode: 'User', orchestratorVersion: '1.33.2', spot: true },
          ],
        },
      ],
      clientSecrets: { [CLIENT_ID]: AZ_SECRET },
    });
    writeFileSync(join(dir, 'aks-ca.pem'), aks.caPem);
    wb = await startWorkbench({
      workspace: join(repoRoot, 'examples'),
      env: {
        KUBECONFIG: join(dir, 'kubeconfig'),
        HOME: dir,
        AWS_CONFIG_FILE: join(dir, 'aws-config'),
        AWS_SHARED_CREDENTIALS_FILE: join(dir, 'aws-credentials'),
        GOOGLE_APPLICATION_CREDENTIALS: join(dir, 'sa.json'),
        // A service principal, as Azure's tools read it; the fake's token endpoint and CA.
        AZURE_TENANT_ID: TENANT,
        AZURE_CLIENT_ID: CLIENT_ID,
        AZURE_CLIENT_SECRET: AZ_SECRET,
        AZURE_AUTHORITY_HOST: aks.url,
        NODE_EXTRA_CA_CERTS: join(dir, 'aks-ca.pem'),
      },
      userSettings: {
        'clusterdeck.aws.endpoint': eks.url,
        'clusterdeck.aws.regions': ['eu-west-1', 'us-east-1'],
        'clusterdeck.gcp.apiEndpoint': gke.url,
        'clusterdeck.gcp.resourceManagerEndpoint': gke.url,
        'clusterdeck.gcp.computeEndpoint': gke.url,
        'clusterdeck.azure.resourceManagerEndpoint': aks.url,
        // VS Code's proxy support and system certificates replace Node's CA list with the system's, dropping
        // NODE_EXTRA_CA_CERTS (the fake's test CA); a machine with a private CA would install it system-wide instead.
        'http.proxySupport': 'off',
        'http.systemCertificates': false,
      },
    });
    await showClusterDeck(wb.page);
    await widenSidebar(wb.page);
  });

  after(async () => {
    rmSync(join(repoRoot, 'examples', 'clusters'), { recursive: true, force: true });
    await wb?.close().catch(() => undefined);
    await eks?.close().catch(() => undefined);
    await gke?.close().catch(() => undefined);
    await aks?.close().catch(() => undefined);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('UI: every cloud listed from its fake: account → region/location → cluster with status, version, endpoint access', async () => {
    const page = wb!.page;
    const clouds = await onlyPane(page, 'Clouds');
    await expand(page, clouds.getByRole('treeitem', { name: /^AWS \(EKS\)/ }), '70-eks');
    await expand(page, clouds.getByRole('treeitem', { name: /^default\b/ }), '70-eks-profile');
    await expand(page, clouds.getByRole('treeitem', { name: /^eu-west-1\b/ }), '70-eks-region');
    const prod = clouds.getByRole('treeitem', { name: /^prod\b/ });
    await failShot(
      page,
      '70-eks-cluster',
      prod
        .filter({ hasText: /ACTIVE/ })
        .filter({ hasText: /1\.33/ })
        .waitFor({ timeout: 30_000 }),
    );
    await expand(page, clouds.getByRole('treeitem', { name: /^Google Cloud \(GKE\)/ }), '70-gke');
    await expand(page, clouds.getByRole('treeitem', { name: /^Shop Production|^shop-prod/ }), '70-gke-project');
    await expand(page, clouds.getByRole('treeitem', { name: /^europe-west1\b/ }), '70-gke-location');
    await failShot(
      page,
      '70-gke-cluster',
      clouds
        .getByRole('treeitem', { name: /^web\b/ })
        .filter({ hasText: /RUNNING/ })
        .waitFor({ timeout: 30_000 }),
    );
    await expand(page, clouds.getByRole('treeitem', { name: /^Azure/ }), '70-aks');
    await expand(page, clouds.getByRole('treeitem', { name: /^Payments Production/ }), '70-aks-subscription');
    await expand(page, clouds.getByRole('treeitem', { name: /^rg-payments\b/ }), '70-aks-group');
    await failShot(
      page,
      '70-aks-cluster',
      clouds
        .getByRole('treeitem', { name: /^payments-aks\b/ })
        .filter({ hasText: /1\.33\.2/ })
        .waitFor({ timeout: 30_000 }),
    );
    assert.equal(await clouds.getByRole('treeitem', { name: /^us-east-1\b/ }).count(), 0, 'a region without clusters is hidden');
    await screenshot(page, '70-clouds-listed');
  });

  test('UI: node groups with instance type, min ≤ desired ≤ max, spot; add-ons', async () => {
    const page = wb!.page;
    const clouds = await onlyPane(page, 'Clouds');
    await expand(page, clouds.getByRole('treeitem', { name: /^prod\b/ }), '71-prod');
    await expand(page, clouds.getByRole('treeitem', { name: /^Node groups/ }), '71-node-groups');
    const general = clouds.getByRole('treeitem', { name: /^general\b/ });
    await failShot(
      page,
      '71-general',
      general
        .filter({ hasText: /m6i\.large/ })
        .filter({ hasText: /1 ≤ 2 ≤ 5/ })
        .waitFor({ timeout: 30_000 }),
    );
    await clouds
      .getByRole('treeitem', { name: /^batch\b/ })
      .filter({ hasText: /spot/ })
      .waitFor();
    await screenshot(page, '71-node-groups');
    await expand(page, clouds.getByRole('treeitem', { name: /^payments-aks\b/ }), '71-aks');
    await expand(page, clouds.getByRole('treeitem', { name: /^Agent pools/ }), '71-agent-pools');
    await failShot(
      page,
      '71-aks-pools',
      clouds
        .getByRole('treeitem', { name: /^spotpool\b/ })
        .filter({ hasText: /Standard_D8s_v5/ })
        .filter({ hasText: /spot/ })
        .waitFor({ timeout: 30_000 }),
    );
    await screenshot(page, '71b-agent-pools');
  });

  test('UI: Show Cluster Details renders networking, endpoint access, logging and add-ons in a preview', async () => {
    const page = wb!.page;
    const clouds = await onlyPane(page, 'Clouds');
    await contextMenu(page, clouds.getByRole('treeitem', { name: /^prod\b/ }), /Show Cluster Details/);
    await failShot(page, '74-details', page.locator('.tab', { hasText: /prod/ }).first().waitFor({ timeout: 30_000 }));
    // The preview is a webview: find its frame and read the rendered text.
    let text = '';
    for (let i = 0; i < 60 && !/Logging/.test(text); i++) {
      await page.waitForTimeout(250);
      for (const frame of page.frames())
        text += await frame
          .locator('body')
          .innerText({ timeout: 500 })
          .catch(() => '');
    }
    assert.match(text, /Networking and endpoint access/);
    assert.match(text, /Logging/);
    assert.match(text, /authenticator/);
    await screenshot(page, '74-cluster-details');
    await page.keyboard.press('Control+W');
  });

  test('UI: Scale a node group: validated as you type, progress while EKS updates, the tree shows the new size', async () => {
    const page = wb!.page;
    const clouds = await onlyPane(page, 'Clouds');
    const general = clouds.getByRole('treeitem', { name: /^general\b/ });
    await contextMenu(page, general, /Scale Node Pool…/);
    const widget = page.locator('.quick-input-widget');
    const input = widget.locator('input');
    await widget.locator('.quick-input-title', { hasText: '(1/3)' }).waitFor();
    await input.fill('1');
    await page.keyboard.press('Enter');
    await widget.locator('.quick-input-title', { hasText: '(2/3)' }).waitFor();
    await input.fill('0');
    await failShot(
      page,
      '72-scale-invalid',
      widget
        .getByText(/at least|≥|minimum/i)
        .first()
        .waitFor({ timeout: 10_000 }),
    );
    await screenshot(page, '72a-scale-validation');
    await input.fill('6');
    await page.keyboard.press('Enter');
    await widget.locator('.quick-input-title', { hasText: '(3/3)' }).waitFor();
    await input.fill('3');
    await page.keyboard.press('Enter');
    const progress = page.locator('.notifications-toasts', { hasText: /Scaling general to 1 ≤ 3 ≤ 6/ });
    await failShot(page, '72-scale-progress', progress.waitFor({ timeout: 30_000 }));
    await screenshot(page, '72b-scale-progress');
    await failShot(
      page,
      '72-scale-done',
      page.locator('.notifications-toasts', { hasText: /Scaling general to 1 ≤ 3 ≤ 6: done/ }).waitFor({ timeout: 90_000 }),
    );
    await failShot(
      page,
      '72-scale-tree',
      clouds
        .getByRole('treeitem', { name: /^general\b/ })
        .filter({ hasText: /1 ≤ 3 ≤ 6/ })
        .waitFor({ timeout: 30_000 }),
    );
    await screenshot(page, '72-scale-done');
    const ng = eks!.nodegroup('eu-west-1', 'prod', 'general');
    assert.deepEqual([ng?.min, ng?.desired, ng?.max], [1, 3, 6]);
  });

  test('UI: Delete a node group asks for the typed name and says what and where; it is deleted only after that', async () => {
    const page = wb!.page;
    const clouds = await onlyPane(page, 'Clouds');
    await contextMenu(page, clouds.getByRole('treeitem', { name: /^batch\b/ }), /Delete Node Pool…/);
    const dialog = page.locator('.monaco-dialog-box');
    await failShot(page, '73-delete-dialog', dialog.waitFor({ timeout: 30_000 }));
    const text = (await dialog.innerText()).replace(/\s+/g, ' ');
    assert.match(text, /batch/);
    assert.match(text, /prod/);
    assert.match(text, /eu-west-1/);
    await screenshot(page, '73-delete-confirmation');
    await dialog
      .getByRole('button', { name: /Delete|Continue/ })
      .first()
      .click();
    const typed = page.locator('.quick-input-widget');
    await failShot(page, '73-delete-typed', typed.locator('input').waitFor({ timeout: 15_000 }));
    await typed.locator('input').fill('batc');
    await typed
      .getByText(/Type "batch"|type "batch"|batch/)
      .first()
      .waitFor();
    assert.ok(eks!.nodegroup('eu-west-1', 'prod', 'batch'), 'nothing deleted while the name is wrong');
    await typed.locator('input').fill('batch');
    await page.keyboard.press('Enter');
    await failShot(
      page,
      '73-delete-done',
      page.locator('.notifications-toasts', { hasText: /Deleting .*batch: done/ }).waitFor({ timeout: 90_000 }),
    );
    assert.equal(eks!.nodegroup('eu-west-1', 'prod', 'batch'), undefined);
    await screenshot(page, '73-delete-done');
  });

  const gkeCreates = (name: string) =>
    gke!.records.filter((r) => r.method === 'POST' && /\/clusters$/.test(r.path) && r.body.includes(`"${name}"`)).length;

  test('UI: Create Cluster… on a GKE location: wizard → Cluster file beside its gcloud command → Create → created once', async () => {
    const page = wb!.page;
    const clouds = await onlyPane(page, 'Clouds');
    gke!.operationPolls = 1;
    await expand(page, clouds.getByRole('treeitem', { name: /^Google Cloud \(GKE\)/ }), '75-gke');
    await expand(page, clouds.getByRole('treeitem', { name: /^Shop Production|^shop-prod/ }), '75-gke-project');
    await contextMenu(page, clouds.getByRole('treeitem', { name: /^europe-west1\b/ }), /Create Cluster/);
    const steps = await failShot(
      page,
      '75-gke-wizard',
      driveWizard(page, [[/Cluster name/, 'shop-new']], { shot: [/Release channel/, '75-gke-wizard-step'] }),
    );
    // Project and location came from the tree node: those steps were skipped.
    assert.ok(!steps.some((t) => /: Project\b/.test(t)), `project not asked: ${steps.join(' | ')}`);
    assert.ok(steps.some((t) => /Cluster name/.test(t)));
    const file = join(repoRoot, 'examples', 'clusters', 'shop-new.gke-cluster.yaml');
    await failShot(
      page,
      '76-gke-file',
      page.locator('.tab', { hasText: 'shop-new.gke-cluster.yaml' }).first().waitFor({ timeout: 30_000 }),
    );
    const text = readFileSync(file, 'utf8');
    assert.match(text, /parent: projects\/shop-prod\/locations\/europe-west1/);
    assert.match(text, /name: shop-new/);
    // The equivalent command and the exact request beside it; the CodeLens on the file.
    await failShot(
      page,
      '76-gke-beside',
      page.locator('.monaco-editor .view-lines', { hasText: 'gcloud container clusters create' }).first().waitFor(),
    );
    await failShot(
      page,
      '76-gke-codelens',
      page
        .locator('.codelens-decoration', { hasText: /Create cluster from this file/ })
        .first()
        .waitFor({ timeout: 30_000 }),
    );
    await screenshot(page, '76-gke-cluster-file');
    const toast = page.locator('.notification-toast', { hasText: /Wrote clusters\/shop-new/ });
    await toast.getByRole('button', { name: 'Create Now' }).click();
    const dialog = page.locator('.monaco-dialog-box');
    await failShot(page, '77-gke-confirm', dialog.waitFor({ timeout: 15_000 }));
    const summary = (await dialog.innerText()).replace(/\s+/g, ' ');
    assert.match(summary, /shop-new/);
    assert.match(summary, /shop-prod/);
    assert.match(summary, /Estimated nodes/);
    await screenshot(page, '77-gke-create-confirm');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await failShot(page, '78-gke-provisioning', clouds.getByRole('treeitem', { name: /^Provisioning/ }).waitFor({ timeout: 30_000 }));
    await screenshot(page, '78-gke-provisioning');
    await failShot(
      page,
      '79-gke-created',
      page.locator('.notifications-toasts', { hasText: /shop-new.*done/ }).waitFor({ timeout: 90_000 }),
    );
    assert.equal(gkeCreates('shop-new'), 1, 'exactly one CreateCluster');
    // After creation: Connect from the same notification writes the kubeconfig context (then in both views).
    await page
      .locator('.notification-toast', { hasText: /shop-new.*done/ })
      .getByRole('button', { name: 'Connect' })
      .click();
    await failShot(
      page,
      '79-gke-connect',
      page
        .locator('.notifications-toasts', { hasText: /Added context "gke_shop-prod_europe-west1_shop-new"/ })
        .waitFor({ timeout: 30_000 }),
    );
    assert.match(readFileSync(join(dir, 'kubeconfig'), 'utf8'), /gke_shop-prod_europe-west1_shop-new/);
    await clouds
      .getByRole('treeitem', { name: /shop-new/ })
      .filter({ hasText: /created/ })
      .first()
      .waitFor({ timeout: 30_000 });
    await screenshot(page, '79-gke-created');
  });

  test('UI: the window reloads while a create runs: tracking resumes from the journal on activation; one cluster', async () => {
    const page = wb!.page;
    // Long enough to reload in the middle (the provider polls every 5 s).
    gke!.operationPolls = 6;
    const file = join(repoRoot, 'examples', 'clusters', 'shop-reload.gke-cluster.yaml');
    writeFileSync(
      file,
      readFileSync(join(repoRoot, 'examples', 'clusters', 'shop-new.gke-cluster.yaml'), 'utf8').replace(/shop-new/g, 'shop-reload'),
    );
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input').fill('shop-reload.gke-cluster.yaml');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'shop-reload' }).first().click();
    await page.locator('.monaco-editor .view-lines', { hasText: 'shop-reload' }).first().waitFor();
    await runCommand(page, 'ClusterDeck: Create from File');
    const dialog = page.locator('.monaco-dialog-box');
    await failShot(page, '80-reload-confirm', dialog.waitFor({ timeout: 15_000 }));
    await dialog.getByRole('button', { name: 'Create' }).click();
    await failShot(
      page,
      '80-reload-progress',
      page
        .locator('.notifications-toasts', { hasText: /Cancel stops waiting; the cluster keeps provisioning/ })
        .waitFor({ timeout: 30_000 }),
    );
    // Reload once GKE has accepted the create (the provider looks for an existing cluster first).
    for (let i = 0; i < 100 && gkeCreates('shop-reload') === 0; i++) await page.waitForTimeout(200);
    assert.equal(gkeCreates('shop-reload'), 1);
    await runCommand(page, 'Developer: Reload Window');
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.waitForTimeout(2_000);
    await showClusterDeck(page);
    const clouds = await onlyPane(page, 'Clouds');
    // Resumed at activation: the entry is followed again (progress) and ends created, with no second create.
    await failShot(
      page,
      '80-reload-resumed',
      clouds
        .getByRole('treeitem', { name: /shop-reload/ })
        .first()
        .waitFor({ timeout: 60_000 }),
    );
    await screenshot(page, '80-reload-resumed');
    await failShot(
      page,
      '80-reload-done',
      page.locator('.notifications-toasts', { hasText: /shop-reload.*done/ }).waitFor({ timeout: 120_000 }),
    );
    assert.equal(gkeCreates('shop-reload'), 1, 'the reload did not create a second cluster');
    await screenshot(page, '80-reload-done');
  });
});
