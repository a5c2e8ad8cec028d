/**
 * The compact schema tables (generated/*.json by scripts/generateSchemas.mjs, plus hand-written CRD tables).
 *
 * A type reference (`t`, `a`) is a string:
 *  - a primitive: `string`, `integer`, `number`, `boolean`, `int-or-string`, `quantity`, `date-time`, `byte`
 *    (base64), `any` (anything: RawExtension, JSON, preserve-unknown-fields);
 *  - `[]X`: a list of X; `{}X`: a map from string keys to X;
 *  - otherwise the name of a type of the table (`apps/v1.DeploymentSpec`, `v1.Container`, `meta/v1.ObjectMeta`).
 */
export interface SchemaProperty {
  /** Type reference. */
  readonly t: string;
  /** Description (the official field documentation). */
  readonly d?: string;
  /** Known enum values (informational for built-in kinds; enforced when the table says `enforceEnums`). */
  readonly e?: readonly string[];
}

export interface SchemaType {
  readonly d?: string;
  readonly p?: Readonly<Record<string, SchemaProperty>>;
  /** Required field names. */
  readonly r?: readonly string[];
  /** Type reference of the values of fields not in `p` (an object that is also a map). */
  readonly a?: string;
  /** Open object: fields not in `p` are allowed (x-kubernetes-preserve-unknown-fields). */
  readonly x?: 1;
}

export interface SchemaTable {
  /** Kubernetes minor of a built-in table ("1.33"). */
  readonly version?: string;
  /** Where the table comes from (package@version, or a hand-written source). */
  readonly source: string;
  /** For delta tables: the version whose types this table extends (types here replace or add to the base's). */
  readonly base?: string;
  /** CRD tables: `e` values are enforced (the CRD's OpenAPI `enum`). */
  readonly enforceEnums?: boolean;
  /** `<apiVersion>/<Kind>` (core group: `v1/Pod`) → type name. */
  readonly kinds: Readonly<Record<string, string>>;
  readonly types: Readonly<Record<string, SchemaType>>;
}

export const primitiveTypes = ['string', 'integer', 'number', 'boolean', 'int-or-string', 'quantity', 'date-time', 'byte', 'any'] as const;
export type PrimitiveType = (typeof primitiveTypes)[number];
