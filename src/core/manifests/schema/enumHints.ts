/**
 * Enum values that the API server enforces (Go validation) for built-in kinds, lint-rules.md §2.9
 * `enum-value-invalid`. Keyed by `<TypeName>.<field>` where TypeName is the type's name without group and version
 * (`Container`, `ServiceSpec`), so one entry covers every API version of the type. An empty string is always
 * accepted: it is the zero value, which defaulting replaces.
 */
const protocol = ['TCP', 'UDP', 'SCTP'];
const pullPolicy = ['Always', 'IfNotPresent', 'Never'];
const taintEffect = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
const selectorOperator = ['In', 'NotIn', 'Exists', 'DoesNotExist'];
const updateStrategy = ['RollingUpdate', 'OnDelete'];

export const builtinEnums: Readonly<Record<string, readonly string[]>> = {
  'Container.imagePullPolicy': pullPolicy,
  'EphemeralContainer.imagePullPolicy': pullPolicy,
  'Container.terminationMessagePolicy': ['File', 'FallbackToLogsOnError'],
  'PodSpec.restartPolicy': ['Always', 'OnFailure', 'Never'],
  'PodSpec.dnsPolicy': ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'],
  'PodSpec.preemptionPolicy': ['PreemptLowerPriority', 'Never'],
  'ServiceSpec.type': ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'],
  'ServiceSpec.externalTrafficPolicy': ['Cluster', 'Local'],
  'ServiceSpec.internalTrafficPolicy': ['Cluster', 'Local'],
  'ServiceSpec.sessionAffinity': ['ClientIP', 'None'],
  'ServiceSpec.ipFamilyPolicy': ['SingleStack', 'PreferDualStack', 'RequireDualStack'],
  'ContainerPort.protocol': protocol,
  'ServicePort.protocol': protocol,
  'EndpointPort.protocol': protocol,
  'NetworkPolicyPort.protocol': protocol,
  'DeploymentStrategy.type': ['Recreate', 'RollingUpdate'],
  'DaemonSetUpdateStrategy.type': updateStrategy,
  'StatefulSetUpdateStrategy.type': updateStrategy,
  'StatefulSetSpec.podManagementPolicy': ['OrderedReady', 'Parallel'],
  'CronJobSpec.concurrencyPolicy': ['Allow', 'Forbid', 'Replace'],
  'MetricSpec.type': ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'],
  'MetricTarget.type': ['AverageValue', 'Utilization', 'Value'],
  'HPAScalingRules.selectPolicy': ['Disabled', 'Max', 'Min'],
  'HPAScalingPolicy.type': ['Percent', 'Pods'],
  'HTTPIngressPath.pathType': ['Exact', 'ImplementationSpecific', 'Prefix'],
  'PodDisruptionBudgetSpec.unhealthyPodEvictionPolicy': ['AlwaysAllow', 'IfHealthyBudget'],
  'Taint.effect': taintEffect,
  'Toleration.effect': taintEffect,
  'Toleration.operator': ['Equal', 'Exists'],
  'LabelSelectorRequirement.operator': selectorOperator,
  'ScopedResourceSelectorRequirement.operator': selectorOperator,
  'NodeSelectorRequirement.operator': [...selectorOperator, 'Gt', 'Lt'],
  'TopologySpreadConstraint.whenUnsatisfiable': ['DoNotSchedule', 'ScheduleAnyway'],
  'PersistentVolumeClaimSpec.volumeMode': ['Block', 'Filesystem'],
};
