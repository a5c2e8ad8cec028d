// Quick fixes that edit a container: resources, probes, securityContext, pull policy.
import { nodeAt } from '../parseManifests';
import { orderInserts, type FixProvider, type QuickFix, type TextEdit } from '../quickFixes';
import type { ManifestDocument, YamlPath } from '../types';
import { asArray, asRecord, getAt, scalarString, type ContainerRef } from '../workloads';
import { containerAt, setIn } from './yamlEdits';

function withContainer(
  doc: ManifestDocument | undefined,
  offset: number,
  make: (c: ContainerRef, doc: ManifestDocument) => QuickFix | undefined,
): QuickFix[] {
  const c = doc ? containerAt(doc, offset) : undefined;
  const fix = c && doc ? make(c, doc) : undefined;
  return fix ? [fix] : [];
}

function single(title: string, edit: TextEdit | undefined, isPreferred = true): QuickFix | undefined {
  return edit ? { title, edits: [edit], isPreferred } : undefined;
}

/** Marks the (last) occurrence of each value in the fix's single edit as a placeholder to review. */
function withPlaceholders(fix: QuickFix | undefined, values: readonly string[]): QuickFix | undefined {
  const text = fix?.edits[0]?.newText;
  if (!fix || text === undefined) return fix;
  const placeholders = values.flatMap((v) => {
    const start = text.lastIndexOf(v);
    return start >= 0 ? [{ edit: 0, start, end: start + v.length }] : [];
  });
  return placeholders.length ? { ...fix, placeholders } : fix;
}

/** Adds `resources.<kind>.<resource>` to the container with a starting value. */
function addResource(kind: 'requests' | 'limits', resource: 'cpu' | 'memory', fallback: string): FixProvider {
  return (file, doc, finding) =>
    withContainer(doc, finding.range.start, (c, d) => {
      const request = scalarString(getAt(c.value, ['resources', 'requests', resource]));
      const value = kind === 'limits' && request ? request : fallback;
      return withPlaceholders(
        single(
          `Add ${resource} ${kind === 'requests' ? 'request' : 'limit'} ${value} to container "${c.name}"`,
          setIn(file.text, d, c.path, ['resources', kind, resource], value),
        ),
        [value],
      );
    });
}

export const addCpuRequest = addResource('requests', 'cpu', '100m');
export const addMemoryRequest = addResource('requests', 'memory', '128Mi');
export const addMemoryLimit = addResource('limits', 'memory', '256Mi');

/** The port a probe should use: the first named port, else the first containerPort, else 8080. */
function probePort(c: ContainerRef): string | number {
  const ports = asArray(c.value.ports)
    .map(asRecord)
    .filter((p): p is Record<string, unknown> => p !== undefined);
  const named = ports.find((p) => typeof p.name === 'string');
  if (named) return scalarString(named.name);
  const numbered = ports.find((p) => typeof p.containerPort === 'number');
  return typeof numbered?.containerPort === 'number' ? numbered.containerPort : 8080;
}

function addProbe(field: 'readinessProbe' | 'livenessProbe'): FixProvider {
  return (file, doc, finding) =>
    withContainer(doc, finding.range.start, (c, d) => {
      const port = probePort(c);
      const probe =
        field === 'readinessProbe'
          ? { httpGet: { path: '/healthz', port }, periodSeconds: 10 }
          : { httpGet: { path: '/healthz', port }, initialDelaySeconds: 10, periodSeconds: 20 };
      return withPlaceholders(
        single(`Add a ${field} (HTTP GET /healthz on port ${port}) to container "${c.name}"`, setIn(file.text, d, c.path, [field], probe)),
        ['/healthz'],
      );
    });
}

export const addReadinessProbe = addProbe('readinessProbe');
export const addLivenessProbe = addProbe('livenessProbe');

/** Sets the container's securityContext to a hardened baseline, keeping what is already stricter. */
export const hardenSecurityContext: FixProvider = (file, doc, finding) =>
  withContainer(doc, finding.range.start, (c, d) => {
    const current = asRecord(c.value.securityContext);
    const sc: YamlPath = [...c.path, 'securityContext'];
    if (!current || !nodeAt(d.yaml, sc).value) {
      return single(
        `Harden the securityContext of container "${c.name}"`,
        setIn(file.text, d, c.path, ['securityContext'], {
          allowPrivilegeEscalation: false,
          runAsNonRoot: true,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
          seccompProfile: { type: 'RuntimeDefault' },
        }),
      );
    }
    const wanted: [YamlPath, unknown][] = [
      [['allowPrivilegeEscalation'], false],
      [['runAsNonRoot'], true],
      [['readOnlyRootFilesystem'], true],
    ];
    if (current.privileged === true) wanted.push([['privileged'], false]);
    if (!asRecord(current.capabilities)) wanted.push([['capabilities'], { drop: ['ALL'] }]);
    else if (!asArray(asRecord(current.capabilities)?.drop).length) wanted.push([['capabilities', 'drop'], ['ALL']]);
    if (!asRecord(current.seccompProfile)) wanted.push([['seccompProfile'], { type: 'RuntimeDefault' }]);
    const edits = wanted
      .filter(([path, value]) => getAt(current, path) !== value)
      .map(([path, value]) => setIn(file.text, d, sc, path, value))
      .filter((e): e is TextEdit => e !== undefined);
    return edits.length
      ? { title: `Harden the securityContext of container "${c.name}"`, edits: orderInserts(edits), isPreferred: true }
      : undefined;
  });

export const setPullPolicyAlways: FixProvider = (file, doc, finding) =>
  withContainer(doc, finding.range.start, (c, d) =>
    single(`Set imagePullPolicy: Always on container "${c.name}"`, setIn(file.text, d, c.path, ['imagePullPolicy'], 'Always')),
  );
