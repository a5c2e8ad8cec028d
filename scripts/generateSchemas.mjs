// Generates the compact schema tables of src/core/manifests/schema/generated/*.json from the type declarations
// of the kubernetes-models packages (devDependencies), for offline validation, hover and completion.
//
//   node scripts/generateSchemas.mjs          write the tables
//   node scripts/generateSchemas.mjs --check  exit 1 when the committed tables differ from a fresh generation
//
// How a table is made:
//  1. Every `.d.ts` of the package is parsed (TypeScript compiler API, syntax only). Interfaces give the fields,
//     required-ness (`?`), the TSDoc description, string-literal unions (enums), arrays, maps (index signatures),
//     references to other types and inline object types (CRDs); the kinds are the interfaces whose `apiVersion`
//     and `kind` are string literals.
//  2. TypeScript says `number` for both integers and floats, and `string` for every format. The package's
//     compiled validators (ajv, `_schemas/*.js`) know: each number and string field is probed once (1.5 and an
//     invalid string) and the validator's `type: integer` / `format: …` errors decide `integer`, `date-time`
//     and `byte`.
//  3. apimachinery types become primitives: IntOrString → int-or-string, Quantity → quantity, Time/MicroTime →
//     date-time; empty interfaces (RawExtension, JSON, FieldsV1) → any.
//  4. Structurally identical types are merged; the older and newer Kubernetes tables only carry the types that
//     differ from the base table (k8s-<base>.json).
//  5. A second source adapter builds Kubernetes tables from the generated models of @kubernetes/client-node
//     (see clientNodeTable below), with the same type names, also stored as deltas against the base table.
// Table format: src/core/manifests/schema/schemaTypes.ts.
import ts from 'typescript';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'src/core/manifests/schema/generated');
const check = process.argv.includes('--check');

/**
 * The Kubernetes minor of each kubernetes-models release was established from the package contents (the README
 * badge is stale): 4.4.2 has Container.resizePolicy (1.27) but not JobSpec.podReplacementPolicy (1.28);
 * 4.5.1 has Lifecycle.stopSignal and networking.k8s.io/v1 ServiceCIDR (1.33) but not resource.k8s.io/v1 (1.34);
 * 5.1.0 has resource.k8s.io/v1, storage.k8s.io/v1 VolumeAttributesClass (1.34) and admissionregistration.k8s.io/v1
 * MutatingAdmissionPolicy (GA in 1.36).
 */
const kubernetes = [
  {
    version: '1.27',
    pkg: 'k8s-models-1.27',
    markers: { has: ['v1/Container#resizePolicy'], lacks: ['batch/v1/JobSpec#podReplacementPolicy'] },
  },
  {
    version: '1.33',
    pkg: 'k8s-models-1.33',
    markers: { has: ['v1/Lifecycle#stopSignal', 'networking.k8s.io/v1/ServiceCIDR'], lacks: ['resource.k8s.io/v1/ResourceClaim'] },
  },
  {
    version: '1.36',
    pkg: 'k8s-models-1.36',
    markers: {
      has: [
        'resource.k8s.io/v1/ResourceClaim',
        'storage.k8s.io/v1/VolumeAttributesClass',
        'admissionregistration.k8s.io/v1/MutatingAdmissionPolicy',
      ],
      lacks: [],
    },
  },
];
const baseVersion = '1.33';

const crds = [
  {
    out: 'crd-istio.json',
    pkg: '@kubernetes-models/istio',
    files: [
      ...['v1', 'v1beta1', 'v1alpha3'].flatMap((v) =>
        ['VirtualService', 'DestinationRule', 'Gateway'].map((k) => `networking.istio.io/${v}/${k}`),
      ),
      ...['v1', 'v1beta1'].flatMap((v) => ['PeerAuthentication', 'AuthorizationPolicy'].map((k) => `security.istio.io/${v}/${k}`)),
    ],
  },
  {
    out: 'crd-prometheus-operator.json',
    pkg: '@kubernetes-models/prometheus-operator',
    files: ['monitoring.coreos.com/v1/ServiceMonitor'],
  },
];

/** apimachinery and apiextensions types that are primitives for validation. */
const specialTypes = {
  IoK8sApimachineryPkgUtilIntstrIntOrString: 'int-or-string',
  IoK8sApimachineryPkgApiResourceQuantity: 'quantity',
  IoK8sApimachineryPkgApisMetaV1Time: 'date-time',
  IoK8sApimachineryPkgApisMetaV1MicroTime: 'date-time',
};

// ---------------------------------------------------------------------------------------------------------------
// Packages and modules

function packageDir(name, from = root) {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) throw new Error(`package ${name} not found from ${from}: run npm install`);
  }
}

function packageRootOf(file) {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${file}`);
  }
}

function packageVersion(dir) {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version;
}

/** A parsed declaration file: its imports, interfaces, type aliases and export aliases. */
class Module {
  constructor(file) {
    this.file = file;
    this.pkgRoot = packageRootOf(file);
    const text = readFileSync(file, 'utf8');
    this.source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    this.imports = new Map(); // local name → { spec, name }
    this.decls = new Map(); // local name → InterfaceDeclaration | TypeAliasDeclaration
    this.aliases = new Map(); // exported alias → local name
    for (const st of this.source.statements) {
      if (ts.isImportDeclaration(st) && st.importClause?.namedBindings && ts.isNamedImports(st.importClause.namedBindings)) {
        for (const el of st.importClause.namedBindings.elements) {
          this.imports.set(el.name.text, { spec: st.moduleSpecifier.text, name: (el.propertyName ?? el.name).text });
        }
      } else if (ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st)) {
        this.decls.set(st.name.text, st);
      } else if (ts.isExportDeclaration(st) && st.exportClause && ts.isNamedExports(st.exportClause)) {
        for (const el of st.exportClause.elements) this.aliases.set(el.name.text, (el.propertyName ?? el.name).text);
      }
    }
    // The file's validator: the sibling .js imports or requires `_schemas/<Name>.js`.
    const js = file.replace(/\.d\.ts$/, '.js');
    const m = existsSync(js) ? /["']([./]*_schemas\/[A-Za-z0-9]+)(?:\.js)?["']/.exec(readFileSync(js, 'utf8')) : null;
    this.validatorFile = m ? resolve(dirname(js), `${m[1]}.js`) : undefined;
  }

  /** The module a specifier points at, or undefined (e.g. @kubernetes-models/base). */
  resolveSpec(spec) {
    let base;
    if (spec.startsWith('.')) base = resolve(dirname(this.file), spec);
    else {
      const parts = spec.split('/');
      const name = spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
      if (name === '@kubernetes-models/base') return undefined; // Model, ModelData, TypeMeta: no fields of their own
      const sub = parts.slice(spec.startsWith('@') ? 2 : 1).join('/');
      let dir;
      try {
        dir = packageDir(name, this.pkgRoot);
      } catch {
        return undefined;
      }
      base = join(dir, sub);
    }
    base = base.replace(/\.js$/, '');
    for (const candidate of [`${base}.d.ts`, join(base, 'index.d.ts')]) if (existsSync(candidate)) return moduleOf(candidate);
    return undefined;
  }

  /** The declaration an identifier names in this file: { module, decl, exportName } or undefined. */
  lookup(name) {
    const local = this.aliases.get(name) ?? name;
    const decl = this.decls.get(local);
    if (decl) {
      const exportName = [...this.aliases.entries()].find(([alias, l]) => l === local && /^I[A-Z]/.test(alias))?.[0] ?? name;
      return { module: this, decl, exportName };
    }
    const imp = this.imports.get(name);
    if (!imp) return undefined;
    return this.resolveSpec(imp.spec)?.lookup(imp.name);
  }

  /** The short type name for a declaration of this file: `apps/v1.DeploymentSpec`, `v1.Container`, `meta/v1.ObjectMeta`. */
  shortName() {
    const rel = relative(this.pkgRoot, this.file).replace(/\.d\.ts$/, '');
    const parts = rel.split('/');
    const base = parts.pop();
    const dir = parts[0] === 'apis' ? parts.slice(1).join('/') : parts.join('/');
    return dir ? `${dir}.${base}` : base;
  }
}

const modules = new Map();
function moduleOf(file) {
  let m = modules.get(file);
  if (!m) {
    m = new Module(file);
    modules.set(file, m);
  }
  return m;
}

function listDeclarationFiles(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === '_schemas') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) listDeclarationFiles(p, out);
    else if (name.endsWith('.d.ts') && name !== 'index.d.ts') out.push(p);
  }
  return out.sort();
}

// ---------------------------------------------------------------------------------------------------------------
// Type model. Nodes: { k: 'prim', t, e? } | { k: 'array', of } | { k: 'map', of } | { k: 'ref', name } |
// { k: 'obj', props: Map<name, { node, d?, req }>, add?, d? }

const prim = (t, e) => (e ? { k: 'prim', t, e } : { k: 'prim', t });

function jsDocOf(node) {
  const texts = ts
    .getJSDocCommentsAndTags(node)
    .filter(ts.isJSDoc)
    .map((doc) => ts.getTextOfJSDocComment(doc.comment) ?? '')
    .filter(Boolean);
  const text = texts.join('\n\n').trim();
  return text ? text.replace(/\\\*/g, '*') : undefined;
}

class Generator {
  constructor() {
    this.named = new Map(); // type name → { node, module, path: [], validatorRoot }
    this.byDecl = new Map(); // declaration node → type name
    this.probes = []; // { obj, validatorFile, path }
  }

  /** Registers a named interface and returns its type name (a ref target). */
  named_(lookup) {
    const { module, decl, exportName } = lookup;
    const known = this.byDecl.get(decl);
    if (known) return known;
    const name = module.shortName();
    if (this.named.has(name) && this.named.get(name).decl !== decl) throw new Error(`duplicate type name ${name}`);
    this.byDecl.set(decl, name);
    const entry = { decl, module, exportName, node: undefined };
    this.named.set(name, entry);
    entry.node = this.objectOf(decl, module, { validatorFile: module.validatorFile, path: [], name });
    return name;
  }

  /** Node for a reference by identifier in a module. */
  refNode(module, ident, ctx) {
    if (ident === 'Array' || ident === 'ReadonlyArray') return undefined;
    const found = module.lookup(ident);
    if (!found) return prim('any');
    const canonical = found.exportName.replace(/^I(?=[A-Z])/, '');
    if (specialTypes[canonical]) return prim(specialTypes[canonical]);
    if (ts.isTypeAliasDeclaration(found.decl)) {
      const node = this.typeNode(found.decl.type, found.module, ctx);
      const d = jsDocOf(found.decl);
      return d && node.k === 'prim' ? { ...node, aliasDoc: d } : node;
    }
    const decl = found.decl;
    if (decl.members.length === 0 && !decl.heritageClauses?.length) return prim('any'); // RawExtension, JSON, FieldsV1…
    return { k: 'ref', name: this.named_(found) };
  }

  typeNode(node, module, ctx) {
    switch (node.kind) {
      case ts.SyntaxKind.StringKeyword:
        return prim('string');
      case ts.SyntaxKind.NumberKeyword:
        return prim('number');
      case ts.SyntaxKind.BooleanKeyword:
        return prim('boolean');
      case ts.SyntaxKind.AnyKeyword:
      case ts.SyntaxKind.UnknownKeyword:
      case ts.SyntaxKind.ObjectKeyword:
        return prim('any');
      case ts.SyntaxKind.ParenthesizedType:
        return this.typeNode(node.type, module, ctx);
      case ts.SyntaxKind.LiteralType:
        if (ts.isStringLiteral(node.literal)) return prim('string', [node.literal.text]);
        if (node.literal.kind === ts.SyntaxKind.TrueKeyword || node.literal.kind === ts.SyntaxKind.FalseKeyword) return prim('boolean');
        if (node.literal.kind === ts.SyntaxKind.NullKeyword) return prim('null');
        return prim('number');
      case ts.SyntaxKind.ArrayType:
        return { k: 'array', of: this.typeNode(node.elementType, module, { ...ctx, path: [...ctx.path, 0], name: `${ctx.name}[]` }) };
      case ts.SyntaxKind.TypeReference: {
        const id = ts.isIdentifier(node.typeName) ? node.typeName.text : node.typeName.getText();
        const args = node.typeArguments ?? [];
        if ((id === 'Array' || id === 'ReadonlyArray') && args[0])
          return { k: 'array', of: this.typeNode(args[0], module, { ...ctx, path: [...ctx.path, 0], name: `${ctx.name}[]` }) };
        if (id === 'Exclude' && args[0]) return this.typeNode(args[0], module, ctx);
        if (id === 'Record' && args[1])
          return { k: 'map', of: this.typeNode(args[1], module, { ...ctx, path: [...ctx.path, 'k'], name: `${ctx.name}{}` }) };
        return this.refNode(module, id, ctx);
      }
      case ts.SyntaxKind.TypeLiteral:
        return this.objectOf(node, module, ctx);
      case ts.SyntaxKind.UnionType:
        return this.union(
          node.types.map((t) => this.typeNode(t, module, ctx)),
          ctx,
        );
      case ts.SyntaxKind.IntersectionType:
        return this.intersection(
          node.types.map((t) => this.typeNode(t, module, ctx)),
          ctx,
        );
      default:
        return prim('any');
    }
  }

  /** An interface or type literal as an object node (or a map when it only has an index signature). */
  objectOf(decl, module, ctx) {
    const props = new Map();
    let add;
    for (const h of decl.heritageClauses ?? []) {
      for (const t of h.types) {
        if (!ts.isIdentifier(t.expression)) continue;
        const base = this.refNode(module, t.expression.text, ctx);
        const resolved = base.k === 'ref' ? this.named.get(base.name).node : base;
        if (resolved?.k === 'obj') for (const [k, v] of resolved.props) props.set(k, v);
      }
    }
    for (const m of decl.members) {
      if (ts.isIndexSignatureDeclaration(m)) {
        add = this.typeNode(m.type, module, { ...ctx, path: [...ctx.path, 'k'], name: `${ctx.name}{}` });
      } else if (ts.isPropertySignature(m) && m.type) {
        const key = ts.isStringLiteral(m.name) || ts.isIdentifier(m.name) ? m.name.text : m.name.getText();
        const node = this.typeNode(m.type, module, { ...ctx, path: [...ctx.path, key], name: `${ctx.name}.${key}` });
        let d = jsDocOf(m);
        if (!d && node.aliasDoc) d = node.aliasDoc;
        props.set(key, { node, d, req: !m.questionToken });
      }
    }
    if (props.size === 0 && add) return { k: 'map', of: add };
    if (props.size === 0 && !add && decl.kind === ts.SyntaxKind.TypeLiteral) return prim('any');
    const obj = { k: 'obj', props, add, d: jsDocOf(decl), probe: { validatorFile: ctx.validatorFile, path: ctx.path } };
    this.probes.push(obj);
    return obj;
  }

  /** A union: string literals become an enum, number|string int-or-string, objects merge (required: in all). */
  union(nodes, ctx) {
    const list = nodes.filter((n) => !(n.k === 'prim' && n.t === 'null'));
    if (list.length === 0) return prim('any');
    if (list.length === 1) return list[0];
    if (list.every((n) => n.k === 'prim' && n.t === 'string')) {
      const e = list.some((n) => !n.e) ? undefined : [...new Set(list.flatMap((n) => n.e))];
      return prim('string', e);
    }
    const types = new Set(list.map((n) => (n.k === 'prim' ? n.t : n.k)));
    if (types.size === 2 && types.has('number') && types.has('string')) return prim('int-or-string');
    if (list.every((n) => n.k === 'prim' && n.t === 'boolean')) return prim('boolean');
    const objs = list.map((n) => this.deref(n));
    if (objs.every((n) => n?.k === 'obj')) return this.mergeObjects(objs, 'union', ctx);
    return prim('any');
  }

  intersection(nodes, ctx) {
    const objs = nodes.map((n) => this.deref(n));
    if (objs.every((n) => n?.k === 'obj')) return this.mergeObjects(objs, 'intersection', ctx);
    return nodes[0] ?? prim('any');
  }

  deref(n) {
    return n.k === 'ref' ? this.named.get(n.name).node : n;
  }

  mergeObjects(objs, how, ctx) {
    const props = new Map();
    for (const o of objs) {
      for (const [k, v] of o.props) {
        const prev = props.get(k);
        if (!prev) props.set(k, { ...v });
        else {
          prev.d ??= v.d;
          prev.req = how === 'union' ? prev.req && v.req : prev.req || v.req;
        }
      }
    }
    if (how === 'union') for (const [k, v] of props) if (objs.some((o) => !o.props.has(k))) v.req = false;
    const add = objs.find((o) => o.add)?.add;
    const obj = {
      k: 'obj',
      props,
      add,
      d: objs.find((o) => o.d)?.d,
      probe: { validatorFile: ctx.validatorFile, path: ctx.path },
    };
    this.probes.push(obj);
    return obj;
  }

  /** Refines number → integer and string → date-time / byte by probing the package's compiled validators. */
  async probeAll() {
    const validators = new Map();
    const load = async (file) => {
      if (!file) return undefined;
      if (!validators.has(file)) {
        const mod = await import(pathToFileURL(file).href);
        validators.set(file, mod.validate ?? mod.default?.validate);
      }
      return validators.get(file);
    };
    let probes = 0;
    for (const obj of this.probes) {
      const validate = await load(obj.probe.validatorFile);
      if (!validate) continue;
      for (const [key, prop] of obj.props) {
        const leaf = leafOf(prop.node);
        if (!leaf || leaf.node.k !== 'prim' || (leaf.node.t !== 'number' && !(leaf.node.t === 'string' && !leaf.node.e))) continue;
        const path = [...obj.probe.path, key, ...leaf.steps];
        const value = leaf.node.t === 'number' ? 1.5 : '\u0001not valid\u0001';
        validate(build(path, value));
        probes++;
        const pointer = path.length ? `/${path.join('/')}` : '';
        const errors = (validate.errors ?? []).filter((e) => e.instancePath === pointer);
        if (leaf.node.t === 'number') {
          if (errors.some((e) => e.keyword === 'type' && e.params?.type === 'integer')) leaf.set(prim('integer'));
        } else {
          const format = errors.find((e) => e.keyword === 'format')?.params?.format;
          if (format === 'date-time' || format === 'byte') leaf.set(prim(format));
        }
      }
    }
    return probes;
  }
}

/** The primitive at the end of arrays/maps of a property, with the probe steps to it and a setter. */
function leafOf(node) {
  const steps = [];
  let holder = null;
  let current = node;
  while (current.k === 'array' || current.k === 'map') {
    steps.push(current.k === 'array' ? 0 : 'k');
    holder = current;
    current = current.of;
  }
  if (current.k !== 'prim') return undefined;
  return {
    node: current,
    steps,
    set(next) {
      if (holder) holder.of = next;
      else Object.assign(node, next, { e: undefined });
    },
  };
}

function build(path, value) {
  let v = value;
  for (let i = path.length - 1; i >= 0; i--) {
    const step = path[i];
    v = typeof step === 'number' ? [v] : { [step]: v };
  }
  return v;
}

// ---------------------------------------------------------------------------------------------------------------
// Serialisation: name the inline objects, merge identical types, emit the table.

function serialise(gen, kinds, { keepEnums }) {
  const types = new Map(); // name → { def, node }
  const objName = new Map(); // obj node → type name
  const refOf = (node, hint) => {
    switch (node.k) {
      case 'prim':
        return node.t === 'null' ? 'any' : node.t;
      case 'array':
        return `[]${refOf(node.of, `${hint}[]`)}`;
      case 'map':
        return `{}${refOf(node.of, `${hint}{}`)}`;
      case 'ref':
        return visit(gen.named.get(node.name).node, node.name);
      case 'obj':
        return visit(node, hint);
      default:
        throw new Error(`unknown node ${node.k}`);
    }
  };
  const visit = (obj, name) => {
    if (obj.k !== 'obj') return refOf(obj, name);
    const known = objName.get(obj);
    if (known) return known;
    let unique = name;
    for (let i = 2; types.has(unique); i++) unique = `${name}~${i}`;
    objName.set(obj, unique);
    const def = {};
    types.set(unique, def);
    if (obj.d) def.d = obj.d;
    const p = {};
    const r = [];
    for (const [key, prop] of [...obj.props].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const entry = { t: refOf(prop.node, `${unique}.${key}`) };
      if (prop.d) entry.d = prop.d;
      const leaf = leafOf(prop.node);
      if (keepEnums && leaf?.node.k === 'prim' && leaf.node.e && !(key === 'apiVersion' || key === 'kind')) entry.e = leaf.node.e;
      p[key] = entry;
      if (prop.req) r.push(key);
    }
    if (Object.keys(p).length) def.p = p;
    if (r.length) def.r = r;
    if (obj.add) def.a = refOf(obj.add, `${unique}{}`);
    return unique;
  };
  const kindMap = {};
  for (const [gvk, name] of kinds) kindMap[gvk] = refOf({ k: 'ref', name }, name);
  return dedupe(kindMap, Object.fromEntries(types));
}

/** Merges structurally identical types (to a fixpoint), keeping the shortest name. */
function dedupe(kinds, types) {
  for (;;) {
    const bySig = new Map();
    const rename = new Map();
    const names = Object.keys(types).sort((a, b) => a.length - b.length || (a < b ? -1 : 1));
    for (const name of names) {
      const sig = JSON.stringify(types[name]);
      const first = bySig.get(sig);
      if (first) rename.set(name, first);
      else bySig.set(sig, name);
    }
    if (rename.size === 0) break;
    const fix = (ref) => {
      const m = /^((?:\[\]|\{\})*)(.*)$/.exec(ref);
      return m[1] + (rename.get(m[2]) ?? m[2]);
    };
    for (const name of rename.keys()) delete types[name];
    for (const def of Object.values(types)) {
      for (const prop of Object.values(def.p ?? {})) prop.t = fix(prop.t);
      if (def.a) def.a = fix(def.a);
    }
    for (const k of Object.keys(kinds)) kinds[k] = fix(kinds[k]);
  }
  const sorted = {};
  for (const name of Object.keys(types).sort()) sorted[name] = types[name];
  const sortedKinds = {};
  for (const k of Object.keys(kinds).sort()) sortedKinds[k] = kinds[k];
  return { kinds: sortedKinds, types: sorted };
}

/** The kinds of a package: interfaces with string-literal `apiVersion` and `kind`. */
function kindsOf(gen, files) {
  const kinds = new Map();
  for (const file of files) {
    const module = moduleOf(file);
    for (const [local, decl] of module.decls) {
      if (!ts.isInterfaceDeclaration(decl)) continue;
      const lit = (field) => {
        const m = decl.members.find((x) => ts.isPropertySignature(x) && x.name && (x.name.text ?? '') === field);
        return m?.type && ts.isLiteralTypeNode(m.type) && ts.isStringLiteral(m.type.literal) ? m.type.literal.text : undefined;
      };
      const apiVersion = lit('apiVersion');
      const kind = lit('kind');
      if (!apiVersion || !kind) continue;
      const name = gen.named_(module.lookup(local));
      kinds.set(`${apiVersion}/${kind}`, name);
    }
  }
  return kinds;
}

function assertMarkers(dir, markers, version) {
  const has = (marker) => {
    const [file, field] = marker.split('#');
    const path = join(dir, `${file}.d.ts`);
    if (!existsSync(path)) return false;
    return !field || readFileSync(path, 'utf8').includes(`"${field}"`);
  };
  for (const m of markers.has) if (!has(m)) throw new Error(`${dir} is not Kubernetes ${version}: it lacks ${m}`);
  for (const m of markers.lacks) if (has(m)) throw new Error(`${dir} is not Kubernetes ${version}: it has ${m}`);
}

async function generatePackage(files, options) {
  modules.clear();
  const gen = new Generator();
  const kinds = kindsOf(gen, files);
  const probes = await gen.probeAll();
  const table = serialise(gen, kinds, options);
  return { table, probes };
}

/** Types of `table` that differ from `base`. */
function delta(table, base) {
  const types = {};
  for (const [name, def] of Object.entries(table.types)) {
    if (JSON.stringify(base.types[name]) !== JSON.stringify(def)) types[name] = def;
  }
  return types;
}

// ---------------------------------------------------------------------------------------------------------------
// Second source: the generated model classes of @kubernetes/client-node (OpenAPI Generator, typescript target).
//
// Each `dist/gen/models/<Model>.d.ts` gives the fields, required-ness (`'field'?:`) and TSDoc descriptions; the
// sibling `.js` has `attributeTypeMap` with each field's type (`Array<X>`, `{ [key: string]: X; }`, model names,
// IntOrString, Date, any) and format (int32/int64 → integer, byte, date-time). The kinds come from the API classes
// (`dist/gen/apis/<Group><Version>Api`): the group/version of their request paths, the body types of their
// top-level create methods and the result types of their list methods.
//
// The model names drop the API group (`V1DeploymentSpec`; a group prefix only on clashes: `CoreV1Event`), so the
// table names (`apps/v1.DeploymentSpec`, `v1.Container`, `meta/v1.ObjectMeta`) are restored: kinds and prefixed
// models from their API class; other models from the unique type of that version and name in the reference tables
// (the kubernetes-models tables); the rest from the group of the models that refer to them.
//
// What the generator loses is taken from the reference tables for the same type and field (the base table first,
// then the others): Quantity (a plain string here), enum values, and the descriptions of fields that are
// references (the generator drops them, or substitutes the referenced type's doc: IntOrString, MicroTime…).
// Descriptions that only differ in whitespace, escaping or the "Possible enum values" appendix keep the
// reference's formatting. As in the kubernetes-models tables, a kind's apiVersion and kind are required and carry
// no description. Model files whose header names another OpenAPI spec are leftovers of removed APIs and ignored.

const clientNodeKubernetes = [
  {
    version: '1.32',
    pkg: 'k8s-client-1.32', // npm:@kubernetes/client-node@1.1.3
    spec: 'v1.32.0',
    // resource.k8s.io/v1beta1 and PodSpec.resources (new in 1.32); not networking.k8s.io/v1 ServiceCIDR nor
    // Lifecycle.stopSignal (new in 1.33).
    markers: {
      has: ['resource.k8s.io/v1beta1/ResourceClaim', 'v1.PodSpec#resources'],
      lacks: ['networking.k8s.io/v1/ServiceCIDR', 'v1.Lifecycle#stopSignal'],
    },
  },
  {
    version: '1.34',
    pkg: '@kubernetes/client-node',
    spec: 'v1.34.0',
    // Every model the table uses has the header "OpenAPI spec version: v1.34.0". Markers (kinds, or type#field):
    // resource.k8s.io/v1 and storage.k8s.io/v1 VolumeAttributesClass (GA in 1.34), Container.restartPolicyRules and
    // PodSpec.hostnameOverride (new in 1.34, absent from the 1.33 table); not admissionregistration.k8s.io/v1
    // MutatingAdmissionPolicy nor PodSpec.schedulingGroup (in the 1.36 table only).
    markers: {
      has: [
        'resource.k8s.io/v1/ResourceClaim',
        'storage.k8s.io/v1/VolumeAttributesClass',
        'v1.Container#restartPolicyRules',
        'v1.PodSpec#hostnameOverride',
      ],
      lacks: ['admissionregistration.k8s.io/v1/MutatingAdmissionPolicy', 'v1.PodSpec#schedulingGroup'],
    },
  },
];

const modelVersion = /^([A-Z][a-z]+)*?(V\d+(?:alpha\d+|beta\d+)?)([A-Z]\w*)$/;

function parseModel(dtsFile) {
  const text = readFileSync(dtsFile, 'utf8');
  const source = ts.createSourceFile(dtsFile, text, ts.ScriptTarget.Latest, true);
  const cls = source.statements.find(ts.isClassDeclaration);
  if (!cls) return undefined;
  const fields = new Map();
  for (const m of cls.members) {
    if (!ts.isPropertyDeclaration(m) || !ts.isStringLiteral(m.name)) continue;
    fields.set(m.name.text, { d: unescapeDoc(jsDocOf(m)), req: !m.questionToken });
  }
  const js = readFileSync(dtsFile.replace(/\.d\.ts$/, '.js'), 'utf8');
  const map = /\.attributeTypeMap = (\[[\s\S]*?\n\]);/.exec(js);
  const attrs = map ? JSON.parse(map[1]) : [];
  return { d: unescapeDoc(jsDocOf(cls)), fields, attrs, spec: /OpenAPI spec version: (\S+)/.exec(text)?.[1] };
}

/** `apps/v1.DeploymentSpec` → { gv: 'apps/v1', version: 'v1', bare: 'DeploymentSpec' }; core `v1.Pod` → gv 'v1'. */
function splitTypeName(name) {
  const slash = name.lastIndexOf('/');
  const dot = name.indexOf('.', slash + 1);
  if (dot === -1) return undefined;
  const gv = name.slice(0, dot);
  return { gv, version: gv.slice(slash + 1), bare: name.slice(dot + 1) };
}

/** The generator escapes quotes in TSDoc (`\\"`, `\\'`) and comment ends (`/_*`). */
function unescapeDoc(d) {
  return d
    ?.replace(/\\(["'])/g, '$1')
    .replace(/\/_\*/g, '/*')
    .replace(/\*_\//g, '*/');
}

/** Field descriptions the generator replaced by the doc of the field's (inlined) type. */
const substitutedDoc =
  /^(?:IntOrString is a type that|MicroTime is version of Time|JSONSchemaPropsOr\w+ represents|JSON represents any valid JSON value|RawExtension is used to hold|Quantity is a fixed-point)/;

function normaliseDoc(d) {
  return d
    ?.replace(/\s*Possible enum values:[\s\S]*$/, '')
    .replace(/\\\//g, '/')
    .replace(/\s+/g, ' ')
    .trim();
}

function clientNodeTable(dir, spec, references) {
  const modelsDir = join(dir, 'dist/gen/models');
  const models = new Map();
  for (const f of readdirSync(modelsDir).sort()) {
    if (!f.endsWith('.d.ts') || f === 'ObjectSerializer.d.ts' || f === 'all.d.ts') continue;
    const m = parseModel(join(modelsDir, f));
    if (m) models.set(f.replace(/\.d\.ts$/, ''), m);
  }
  // API classes: group/version, prefix (for prefixed models) and kinds.
  const apisDir = join(dir, 'dist/gen/apis');
  const prefixGroup = new Map(); // model prefix (API class name before the version) → group ('' for core)
  const kindsOfModel = new Map(); // model → Set of `<gv>/<Kind>`
  const servedGv = new Set();
  for (const f of readdirSync(apisDir).sort()) {
    const m = /^(\w+?)(V\d+(?:alpha\d+|beta\d+)?)Api\.d\.ts$/.exec(f);
    if (!m) continue;
    const js = readFileSync(join(apisDir, f.replace(/\.d\.ts$/, '.js')), 'utf8');
    const path = /localVarPath = '\/(?:api\/(v1)|apis\/([^/{]+)\/(v\d+(?:alpha\d+|beta\d+)?))\//.exec(js);
    if (!path) continue;
    const group = path[1] ? '' : path[2];
    const gv = path[1] ? 'v1' : `${path[2]}/${path[3]}`;
    prefixGroup.set(m[1], group);
    const dts = readFileSync(join(apisDir, f), 'utf8');
    const add = (model) => {
      // Models of another spec are leftovers of APIs the spec no longer has (resource.k8s.io/v1alpha2…).
      if (models.get(model)?.spec !== spec) return;
      servedGv.add(gv);
      const kind = modelVersion.exec(model)?.[3];
      if (!kindsOfModel.has(model)) kindsOfModel.set(model, new Set());
      kindsOfModel.get(model).add(`${gv}/${kind}`);
    };
    for (const c of dts.matchAll(/^\s+create\w*\(([^)]*?)body: (\w+)/gm)) if (!/\bname: string/.test(c[1])) add(c[2]);
    for (const c of dts.matchAll(/^\s+list\w*WithHttpInfo\([^)]*\): Promise<HttpInfo<(\w+)>>/gm)) add(c[1]);
  }
  // Reference names by version and bare name.
  const refNames = new Map(); // `${version}.${bare}` → Set of names
  for (const ref of references) {
    for (const name of Object.keys(ref.types)) {
      const s = splitTypeName(name);
      if (!s || /[[{~.]/.test(s.bare)) continue;
      const key = `${s.version}.${s.bare}`;
      if (!refNames.has(key)) refNames.set(key, new Set());
      refNames.get(key).add(name);
    }
  }
  const gvOfGroup = (group, version) => (group ? `${group}/${version}` : version);
  const names = new Map(); // model → table name
  const parts = (model) => {
    const m = modelVersion.exec(model);
    if (!m) return undefined; // VersionInfo: not part of any kind
    const prefix = model.slice(0, model.length - m[2].length - m[3].length);
    return { prefix, version: m[2].toLowerCase(), bare: m[3] };
  };
  for (const model of models.keys()) {
    if (!parts(model)) continue;
    const { prefix, version, bare } = parts(model);
    const kinds = kindsOfModel.get(model);
    if (kinds) {
      const gvs = new Set([...kinds].map((k) => k.slice(0, k.lastIndexOf('/'))));
      if (gvs.size === 1) names.set(model, `${[...gvs][0]}.${bare}`);
    } else if (prefix && prefixGroup.has(prefix)) names.set(model, `${gvOfGroup(prefixGroup.get(prefix), version)}.${bare}`);
    else if (refNames.get(`${version}.${bare}`)?.size === 1) names.set(model, [...refNames.get(`${version}.${bare}`)][0]);
  }
  // Field types (model names still raw) and references between models.
  const referrers = new Map(); // model → Set of models that refer to it
  const leafModel = (t) => t.replace(/^(?:Array<|\{ \[key: string\]: )+/, '').replace(/(?:>|; \})+$/, '');
  for (const [model, m] of models) {
    for (const a of m.attrs) {
      const leaf = leafModel(a.type);
      if (!models.has(leaf)) continue;
      if (!referrers.has(leaf)) referrers.set(leaf, new Set());
      referrers.get(leaf).add(model);
    }
  }
  // The rest: the group of their (named) referrers of the same version, to a fixpoint.
  for (let changed = true; changed;) {
    changed = false;
    for (const model of models.keys()) {
      if (names.has(model) || !parts(model)) continue;
      const { version, bare } = parts(model);
      const gvs = new Set();
      for (const r of referrers.get(model) ?? []) {
        const n = names.get(r);
        const s = n && splitTypeName(n);
        if (s && s.version === version) gvs.add(s.gv);
      }
      if (gvs.size === 1) {
        names.set(model, `${[...gvs][0]}.${bare}`);
        changed = true;
      }
    }
  }
  const nameOf = (model) => {
    const n = names.get(model);
    if (!n) throw new Error(`no table name for model ${model}`);
    return n;
  };
  const refOf = (type, format) => {
    let m;
    if ((m = /^Array<(.+)>$/.exec(type))) return `[]${refOf(m[1], format)}`;
    if ((m = /^\{ \[key: string\]: (.+); \}$/.exec(type))) return `{}${refOf(m[1], format)}`;
    switch (type) {
      case 'string':
        return format === 'byte' ? 'byte' : format.startsWith('date-time') ? 'date-time' : 'string';
      case 'number':
        return /^int/.test(format) ? 'integer' : 'number';
      case 'boolean':
        return 'boolean';
      case 'Date':
      case 'V1MicroTime':
        return 'date-time';
      case 'IntOrString':
        return 'int-or-string';
      case 'any':
        return 'any';
      default:
        if (models.has(type)) return nameOf(type);
        throw new Error(`unknown client-node type ${type}`);
    }
  };
  const hint = (name, field) => {
    for (const ref of references) {
      const p = ref.types[name]?.p?.[field];
      if (p) return p;
    }
    return undefined;
  };
  const hintType = (name) => references.map((ref) => ref.types[name]).find(Boolean);
  // Kinds, then the types reachable from them.
  const kinds = new Map();
  for (const [model, set] of kindsOfModel) for (const k of set) kinds.set(k, nameOf(model));
  // Kinds the reference tables know for a served group/version and a type of this table (Eviction, Scale, TokenRequest).
  const named = new Set(names.values());
  for (const ref of references) {
    for (const [k, name] of Object.entries(ref.kinds)) {
      if (!kinds.has(k) && servedGv.has(k.slice(0, k.lastIndexOf('/'))) && named.has(name)) kinds.set(k, name);
    }
  }
  const modelByName = new Map([...names].map(([model, name]) => [name, model]));
  if (modelByName.size !== names.size) {
    const seen = new Map();
    for (const [model, name] of names) {
      if (seen.has(name)) throw new Error(`client-node models ${seen.get(name)} and ${model} both map to ${name}`);
      seen.set(name, model);
    }
  }
  const types = {};
  const kindTargets = new Set(kinds.values());
  const queue = [...kindTargets];
  while (queue.length) {
    const name = queue.shift();
    if (types[name]) continue;
    const model = models.get(modelByName.get(name));
    const def = {};
    types[name] = def;
    const refType = hintType(name);
    if (model.d) def.d = refType?.d && normaliseDoc(refType.d) === normaliseDoc(model.d) ? refType.d : model.d;
    const p = {};
    const r = [];
    for (const a of [...model.attrs].sort((x, y) => (x.baseName < y.baseName ? -1 : x.baseName > y.baseName ? 1 : 0))) {
      const field = model.fields.get(a.name) ?? {};
      let t = refOf(a.type, a.format);
      const h = hint(name, a.baseName);
      if (h && t.replace(/^(?:\[\]|\{\})*/, '') === 'string' && h.t === t.replace(/string$/, 'quantity')) t = h.t;
      const kindMeta = kindTargets.has(name) && (a.baseName === 'apiVersion' || a.baseName === 'kind');
      // As in the kubernetes-models tables, a kind's apiVersion and kind are required and carry no description.
      let d = kindMeta ? undefined : field.d;
      if (d && substitutedDoc.test(d)) d = undefined;
      if (h?.d && !kindMeta && (!d || normaliseDoc(h.d) === normaliseDoc(d))) d = h.d;
      const entry = { t };
      if (d) entry.d = d;
      if (h?.e && h.t === t && t.replace(/^(?:\[\]|\{\})*/, '') === 'string') entry.e = h.e;
      p[a.baseName] = entry;
      if (field.req || kindMeta) r.push(a.baseName);
      const leaf = t.replace(/^(?:\[\]|\{\})*/, '');
      if (modelByName.has(leaf)) queue.push(leaf);
    }
    if (Object.keys(p).length) def.p = p;
    if (r.length) def.r = r;
  }
  // The package keeps stale model files of older specs that no API uses: only the models of the table count.
  const specs = new Set(Object.keys(types).map((name) => models.get(modelByName.get(name)).spec));
  return { table: dedupe(Object.fromEntries(kinds), types), specs };
}

function assertTableMarkers(table, markers, version) {
  const has = (marker) => {
    const [what, field] = marker.split('#');
    if (!field) return own(table.kinds, what);
    return own(table.types[what]?.p ?? {}, field);
  };
  for (const m of markers.has) if (!has(m)) throw new Error(`the Kubernetes ${version} table lacks ${m}`);
  for (const m of markers.lacks) if (has(m)) throw new Error(`the Kubernetes ${version} table has ${m}`);
}

function own(record, key) {
  return Object.prototype.hasOwnProperty.call(record, key);
}

// ---------------------------------------------------------------------------------------------------------------

const outputs = new Map();
const started = Date.now();
const tables = new Map();
for (const k of kubernetes) {
  const dir = packageDir(k.pkg);
  assertMarkers(dir, k.markers, k.version);
  const { table, probes } = await generatePackage(listDeclarationFiles(dir), { keepEnums: true });
  tables.set(k.version, { table, source: `kubernetes-models@${packageVersion(dir)}` });
  console.log(
    `[schemas] Kubernetes ${k.version}: ${Object.keys(table.kinds).length} kinds, ${Object.keys(table.types).length} types, ${probes} probes`,
  );
}
const base = tables.get(baseVersion);
/** Full kubernetes-models tables as references for the client-node adapter: the base first, then the others. */
const references = [base.table, ...[...tables].filter(([v]) => v !== baseVersion).map(([, t]) => t.table)];
for (const k of clientNodeKubernetes) {
  const dir = packageDir(k.pkg);
  const { table, specs } = clientNodeTable(dir, k.spec, references);
  if (specs.size !== 1 || !specs.has(k.spec)) throw new Error(`${k.pkg} is not the Kubernetes ${k.spec} OpenAPI: ${[...specs].join(', ')}`);
  assertTableMarkers(table, k.markers, k.version);
  const { name } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  tables.set(k.version, { table, source: `${name}@${packageVersion(dir)}` });
  console.log(`[schemas] Kubernetes ${k.version}: ${Object.keys(table.kinds).length} kinds, ${Object.keys(table.types).length} types`);
}
for (const [version, { table, source }] of tables) {
  const isBase = version === baseVersion;
  const out = {
    version,
    source,
    ...(isBase ? {} : { base: baseVersion }),
    kinds: table.kinds,
    types: isBase ? table.types : delta(table, base.table),
  };
  outputs.set(`k8s-${version}.json`, out);
}
for (const crd of crds) {
  const dir = packageDir(crd.pkg);
  const files = crd.files.map((f) => join(dir, `${f}.d.ts`));
  for (const f of files) if (!existsSync(f)) throw new Error(`missing ${f}`);
  const { table, probes } = await generatePackage(files, { keepEnums: true });
  outputs.set(crd.out, { source: `${crd.pkg}@${packageVersion(dir)}`, enforceEnums: true, kinds: table.kinds, types: table.types });
  console.log(`[schemas] ${crd.pkg}: ${Object.keys(table.kinds).length} kinds, ${Object.keys(table.types).length} types, ${probes} probes`);
}

let stale = 0;
mkdirSync(outDir, { recursive: true });
for (const [name, data] of outputs) {
  const path = join(outDir, name);
  const text = `${JSON.stringify(data)}\n`;
  if (check) {
    if (!existsSync(path) || readFileSync(path, 'utf8') !== text) {
      console.error(`[schemas] ${relative(root, path)} is out of date: run node scripts/generateSchemas.mjs`);
      stale++;
    }
  } else {
    writeFileSync(path, text);
    console.log(`[schemas] ${relative(root, path)}: ${(text.length / 1024).toFixed(0)} KiB`);
  }
}
console.log(`[schemas] done in ${Date.now() - started} ms`);
if (stale) process.exitCode = 1;
