/** The set of resources the fake currently serves (built-ins plus what CustomResourceDefinitions add). */
import type { ResourceDef } from './resources';
import { apiVersionOf } from './resources';

export interface GroupVersions {
  readonly group: string;
  /** Versions in the order they were registered; the first is the preferred one. */
  readonly versions: readonly string[];
}

export class ResourceRegistry {
  private readonly byGroupVersion = new Map<string, Map<string, ResourceDef>>();
  private readonly byKind = new Map<string, ResourceDef>();
  private readonly groupOrder: string[] = [];

  add(def: ResourceDef): void {
    const gv = apiVersionOf(def);
    let plurals = this.byGroupVersion.get(gv);
    if (!plurals) {
      plurals = new Map();
      this.byGroupVersion.set(gv, plurals);
    }
    plurals.set(def.plural, def);
    this.byKind.set(`${gv}|${def.kind}`, def);
    if (!this.groupOrder.includes(def.group)) this.groupOrder.push(def.group);
  }

  remove(def: ResourceDef): void {
    const gv = apiVersionOf(def);
    const plurals = this.byGroupVersion.get(gv);
    if (plurals?.get(def.plural) === def) {
      plurals.delete(def.plural);
      if (plurals.size === 0) this.byGroupVersion.delete(gv);
    }
    if (this.byKind.get(`${gv}|${def.kind}`) === def) this.byKind.delete(`${gv}|${def.kind}`);
    if (![...this.byGroupVersion.values()].some((m) => [...m.values()].some((d) => d.group === def.group))) {
      const i = this.groupOrder.indexOf(def.group);
      if (i >= 0) this.groupOrder.splice(i, 1);
    }
  }

  resolve(group: string, version: string, plural: string): ResourceDef | undefined {
    return this.byGroupVersion.get(group ? `${group}/${version}` : version)?.get(plural);
  }

  byApiVersionKind(apiVersion: string, kind: string): ResourceDef | undefined {
    return this.byKind.get(`${apiVersion}|${kind}`);
  }

  /** Whether the group/version is served at all (for 404 vs empty discovery). */
  hasGroupVersion(group: string, version: string): boolean {
    return this.byGroupVersion.has(group ? `${group}/${version}` : version);
  }

  resourcesOf(group: string, version: string): ResourceDef[] {
    return [...(this.byGroupVersion.get(group ? `${group}/${version}` : version)?.values() ?? [])];
  }

  /** Served named groups (not the core group) with their versions. */
  groups(): GroupVersions[] {
    const out: GroupVersions[] = [];
    for (const group of this.groupOrder) {
      if (group === '') continue;
      const versions: string[] = [];
      for (const plurals of this.byGroupVersion.values()) {
        const first = plurals.values().next().value;
        if (first && first.group === group && !versions.includes(first.version)) versions.push(first.version);
      }
      if (versions.length > 0) out.push({ group, versions });
    }
    return out;
  }

  all(): ResourceDef[] {
    return [...this.byGroupVersion.values()].flatMap((m) => [...m.values()]);
  }
}
