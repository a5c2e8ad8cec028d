import type { Rule, RuleContext } from '../rule';
import { getAt } from '../workloads';
import { cachedForSet, containerLabel, containers, hasDigest, parseImageRef, recordsOf } from './singleHelpers';

/** Image names that a Kustomization in the set pins (`images: [{name, newTag | digest}]`): the base may omit the tag. */
function kustomizePinnedImages(ctx: RuleContext): ReadonlySet<string> {
  return cachedForSet(ctx.set, 'kustomizeImages', () => {
    const names = new Set<string>();
    for (const entry of ctx.set.entries()) {
      if (entry.doc.kind !== 'Kustomization') continue;
      for (const { value } of recordsOf(getAt(entry.doc.value, ['images']))) {
        const tag = value.newTag;
        const pinned =
          (typeof tag === 'string' && tag !== '' && tag !== 'latest') || typeof tag === 'number' || typeof value.digest === 'string';
        if (pinned && typeof value.name === 'string') names.add(value.name);
      }
    }
    return names;
  });
}

const tagLatestOrMissing: Rule = {
  id: 'image-tag-latest-or-missing',
  level: 'warning',
  scope: 'set',
  /** Only judges values that are present: safe on Kustomize patches. */
  runsOnPartial: true,
  equivalents: [
    'kube-linter:latest-tag',
    'polaris:tagNotSpecified',
    'kube-score:container-image-tag',
    'datree:CONTAINERS_MISSING_IMAGE_VALUE_VERSION',
  ],
  description: 'A container image has no tag or the tag latest, and no digest (a Kustomization images: entry in the set may pin it).',
  check(ctx) {
    for (const c of containers(ctx, ['C', 'S', 'I'])) {
      const image = c.value.image;
      if (typeof image !== 'string' || image.trim() === '') continue;
      const ref = parseImageRef(image.trim());
      if (hasDigest(ref)) continue;
      if (ref.tag !== undefined && ref.tag !== '' && ref.tag !== 'latest') continue;
      if (kustomizePinnedImages(ctx).has(ref.name)) continue;
      const what = ref.tag === 'latest' ? 'with the tag latest' : 'without a tag, so it pulls :latest';
      ctx.report(
        [...c.path, 'image'],
        `${containerLabel(c)} uses image "${image}" ${what}; pin a version tag such as ${ref.name}:1.2.3 or a @sha256 digest so every node runs the same build and rollbacks work.`,
        { data: { container: c.name, image } },
      );
    }
  },
};

/** The pull policy the API server defaults when none is set. */
function defaultPullPolicy(image: string): string {
  const ref = parseImageRef(image);
  if (hasDigest(ref)) return 'IfNotPresent';
  return ref.tag === undefined || ref.tag === '' || ref.tag === 'latest' ? 'Always' : 'IfNotPresent';
}

const pullPolicyNotAlways: Rule = {
  id: 'image-pull-policy-not-always',
  level: 'off',
  scope: 'document',
  equivalents: ['polaris:pullPolicyNotAlways', 'kube-score:container-image-pull-policy'],
  description: 'A container imagePullPolicy (explicit or defaulted) is not Always.',
  check(ctx) {
    for (const c of containers(ctx, ['C', 'S', 'I'])) {
      const policy = c.value.imagePullPolicy;
      const image = typeof c.value.image === 'string' ? c.value.image : '';
      if (typeof policy === 'string' && policy !== '') {
        if (policy === 'Always') continue;
        ctx.report(
          [...c.path, 'imagePullPolicy'],
          `${containerLabel(c)} has imagePullPolicy ${policy}; set Always so the registry checks credentials (imagePullSecrets) on every start and a moved tag is picked up.`,
          { data: { container: c.name, suggestion: 'Always' } },
        );
      } else if (image && defaultPullPolicy(image) !== 'Always') {
        ctx.report(
          [...c.path, 'image'],
          `${containerLabel(c)} has no imagePullPolicy, so it defaults to IfNotPresent for this tag; set imagePullPolicy: Always so credentials are checked on every start.`,
          { data: { container: c.name, missing: 'imagePullPolicy', value: 'Always' } },
        );
      }
    }
  },
};

const digestMissing: Rule = {
  id: 'image-digest-missing',
  level: 'off',
  scope: 'document',
  equivalents: ['datree:CONTAINERS_MISSING_IMAGE_VALUE_DIGEST'],
  description: 'A container image is not pinned by digest.',
  check(ctx) {
    for (const c of containers(ctx, ['C', 'S', 'I'])) {
      const image = c.value.image;
      if (typeof image !== 'string' || image.trim() === '') continue;
      const ref = parseImageRef(image.trim());
      if (hasDigest(ref)) continue;
      ctx.report(
        [...c.path, 'image'],
        ref.digest !== undefined
          ? `${containerLabel(c)} image "${image}" has a malformed digest; use @sha256: followed by the 64 hex digits of the image manifest.`
          : `${containerLabel(c)} image "${image}" is not pinned by digest; append @sha256:<digest> (tags can be moved, digests cannot).`,
        { data: { container: c.name, image } },
      );
    }
  },
};

/** Rules of this family (lint-rules.md §2.3). */
export const imageRules: readonly Rule[] = [tagLatestOrMissing, pullPolicyNotAlways, digestMissing];
