/** Every command ClusterDeck registers; checked against package.json contributes.commands by a unit test. */
export const commandIds = {
  clustersRefresh: 'clusterdeck.clusters.refresh',
  clustersLoadMore: 'clusterdeck.clusters.loadMore',
  kubeconfigAdd: 'clusterdeck.kubeconfig.add',
  kubeconfigOpen: 'clusterdeck.kubeconfig.open',
  authApproveExec: 'clusterdeck.auth.approveExec',
  logShow: 'clusterdeck.log.show',
  resourceOpenYaml: 'clusterdeck.resource.openYaml',
  resourceRevealSecret: 'clusterdeck.resource.revealSecret',
  resourceCopyName: 'clusterdeck.resource.copyName',
  resourceDelete: 'clusterdeck.resource.delete',
  resourceScale: 'clusterdeck.resource.scale',
  resourceRestart: 'clusterdeck.resource.restart',
  contextSetCurrent: 'clusterdeck.context.setCurrent',
  helpGetStarted: 'clusterdeck.help.getStarted',
  manifestsUseClusterSchemas: 'clusterdeck.manifests.useClusterSchemas',
  manifestsRefreshClusterSchemas: 'clusterdeck.manifests.refreshClusterSchemas',
  manifestsStopClusterSchemas: 'clusterdeck.manifests.stopClusterSchemas',
  resourceApply: 'clusterdeck.resource.apply',
  resourcePortForward: 'clusterdeck.resource.portForward',
  resourceExec: 'clusterdeck.resource.exec',
  portForwardList: 'clusterdeck.portforward.list',
  portForwardStop: 'clusterdeck.portforward.stop',
} as const;

export type CommandId = (typeof commandIds)[keyof typeof commandIds];
