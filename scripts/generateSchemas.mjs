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
