/** Request bodies: JSON/YAML objects, DeleteOptions' dryRun, and PATCH media types. */
import YAML from 'yaml';
import type { KubeRequest } from './handler';
import { jsonPatch, mergePatch } from './patch';
import type { ResourceDef } from './resources';
import { apiVersionOf } from './resources';
import { badRequest, failureStatus, KubeStatusError } from './status';
import type { KubeObject } from './types';
import { isRecord } from './types';

export function parseBody(req: KubeRequest): unknown {
  const type = String(req.headers['content-type'] ?? 'application/json').toLowerCase();
  if (type.includes('protobuf') || type.includes('cbor')) {
    // kubectl's typed commands (create configmap, auth can-i…) send protobuf; this fake speaks JSON/YAML only.
    throw new KubeStatusError(
      failureStatus(
        415,
        `the fake apiserver does not decode ${type} request bodies; send application/json (e.g. kubectl apply -f)`,
        'UnsupportedMediaType',
      ),
    );
  }
  if (req.body.trim() === '') throw badRequest('the body of the request was empty');
  try {
    return type.includes('yaml') ? (YAML.parse(req.body) as unknown) : (JSON.parse(req.body) as unknown);
  } catch (e) {
    throw badRequest(`couldn't get version/kind; json parse error: ${e instanceof Error ? e.message : String(e)}`);
  }
}

export function asString(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
}

export function parseObject(req: KubeRequest): KubeObject {
  const body = parseBody(req);
  if (!isRecord(body)) throw badRequest('the body of the request must be an object');
  const metadata = isRecord(body['metadata']) ? body['metadata'] : {};
  return { ...body, apiVersion: asString(body['apiVersion']), kind: asString(body['kind']), metadata };
}

export function dryRunOf(url: URL, body?: unknown): boolean {
  const values = url.searchParams.getAll('dryRun');
  if (isRecord(body) && Array.isArray(body['dryRun'])) values.push(...body['dryRun'].map(String));
  for (const v of values) if (v !== 'All') throw badRequest(`Invalid dry run value: "${v}": supported values: "All"`);
  return values.length > 0;
}

export function checkTypeMeta(def: ResourceDef, obj: KubeObject): void {
  const expected = apiVersionOf(def);
  if (obj.apiVersion && obj.apiVersion !== expected) {
    throw badRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${expected})`);
  }
  if (obj.kind && obj.kind !== def.kind)
    throw badRequest(`the kind in the data (${obj.kind}) does not match the expected kind (${def.kind})`);
}

export function applyPatch(req: KubeRequest, target: unknown): unknown {
  const contentType =
    String(req.headers['content-type'] ?? '')
      .split(';')[0]
      ?.trim()
      .toLowerCase() ?? '';
  switch (contentType) {
    case 'application/merge-patch+json':
    case 'application/strategic-merge-patch+json':
      return mergePatch(target, parseBody(req));
    case 'application/json-patch+json':
      return jsonPatch(target, parseBody(req));
    case 'application/apply-patch+yaml':
      return mergePatch(target, parseBody(req));
    default:
      throw new KubeStatusError(
        failureStatus(
          415,
          `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`,
          'UnsupportedMediaType',
        ),
      );
  }
}
