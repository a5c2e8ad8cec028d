// AWS shared config and credentials files (~/.aws/config, ~/.aws/credentials) as data: which profiles exist,
// where their credentials come from, and their region. Pure: the caller reads the files.
//
// Follows the AWS SDK for JavaScript v3 (@smithy/shared-ini-file-loader, credential-provider-ini):
// - in the config file a profile is `[default]` or `[profile name]`; a bare `[name]` there is ignored, and
//   `[sso-session name]` / `[services name]` are separate kinds of section;
// - in the credentials file a profile is `[name]` (no prefix);
// - both files are merged per profile, the credentials file winning key by key;
// - `#` and `;` start a comment at the start of a line or after whitespace; indented lines are sub-properties
//   of the key above (kept out of the profile, as the SDK does for the services it does not know);
// - the credential source is chosen in the SDK's order: role (role_arn + source_profile | credential_source),
//   static keys, web identity, credential_process, SSO.

/** Where a profile's credentials come from. */
export type AwsCredentialKind = 'role' | 'static' | 'webIdentity' | 'process' | 'sso' | 'none';

/** One profile after merging both files. Holds no secret values (only whether keys exist). */
export interface AwsProfile {
  readonly name: string;
  readonly kind: AwsCredentialKind;
  /** The profile's `region`, when set and well-formed. */
  readonly region?: string;
  /** SSO: the token cache is keyed by the session name (sso_session) or, for legacy profiles, the start URL. */
  readonly sso?: { readonly session?: string; readonly startUrl?: string; readonly region?: string };
  /** role: the profile it takes its source credentials from (source_profile), or the credential_source. */
  readonly sourceProfile?: string;
  readonly credentialSource?: string;
  /**
   * True when getting credentials would run a `credential_process` (this profile's or one in its source_profile
   * chain). ClusterDeck never runs it silently: the SDK would start it through a shell.
   */
  readonly needsApproval: boolean;
  /** Why this profile cannot be used as is (a source_profile loop or a missing one), when that is known now. */
  readonly problem?: string;
}

/** A problem in one of the files, with its 1-based line. */
export interface AwsConfigProblem {
  readonly file: 'config' | 'credentials';
  readonly line: number;
  readonly message: string;
}

export interface AwsProfiles {
  /** `default` first, then by name. */
  readonly profiles: readonly AwsProfile[];
  readonly problems: readonly AwsConfigProblem[];
}

type Section = Map<string, string>;

interface IniFile {
  readonly sections: Map<string, Section>;
  readonly problems: AwsConfigProblem[];
}

/** Parses one INI file into sections; `file` selects the section naming rules. Never throws. */
export function parseAwsIni(text: string, file: 'config' | 'credentials'): IniFile {
  const sections = new Map<string, Section>();
  const problems: AwsConfigProblem[] = [];
  let current: Section | undefined;
  let lastKey: string | undefined;
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = (raw.split(/(?:^|\s)[;#]/)[0] ?? '').trimEnd();
    if (!line.trim()) return;
    const sectionMatch = /^\s*\[([^\]]*)\]\s*$/.exec(line);
    if (sectionMatch) {
      lastKey = undefined;
      const name = sectionKey((sectionMatch[1] ?? '').trim(), file);
      if (name === undefined) {
        current = undefined; // a section the SDK ignores (e.g. `[name]` in the config file)
        return;
      }
      current = sections.get(name) ?? new Map<string, string>();
      sections.set(name, current);
      return;
    }
    if (/^\s/.test(line)) {
      // A sub-property (`s3 =\n  max_concurrent_requests = 10`): belongs to lastKey, not to the profile.
      if (lastKey === undefined && current) problems.push({ file, line: i + 1, message: 'An indented line has no key above it.' });
      return;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) {
      problems.push({ file, line: i + 1, message: `Expected "key = value" or "[section]", found "${line.trim().slice(0, 40)}".` });
      return;
    }
    if (!current) return; // keys outside a used section
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    lastKey = key;
    current.set(key, value);
  });
  return { sections, problems };
}

/** The map key of a section: `profile:<name>`, `sso-session:<name>`, or undefined for ignored sections. */
function sectionKey(header: string, file: 'config' | 'credentials'): string | undefined {
  if (file === 'credentials') return header ? `profile:${header}` : undefined;
  if (header === 'default') return 'profile:default';
  const m = /^(profile|sso-session|services)\s+(.+)$/.exec(header);
  if (!m) return undefined;
  const name = (m[2] ?? '').trim();
  if (!name) return undefined;
  return m[1] === 'profile' ? `profile:${name}` : m[1] === 'sso-session' ? `sso-session:${name}` : `services:${name}`;
}

const regionPattern = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;

/** True for a well-formed region name (it ends up in a host name, so nothing else passes). */
export function isAwsRegion(value: string): boolean {
  return regionPattern.test(value);
}

/**
 * Parses the two files into profiles. `configText` / `credentialsText` are the file contents ('' when a file
 * does not exist). Never throws: malformed lines become problems, the rest still loads.
 */
export function parseAwsProfiles(configText: string, credentialsText: string): AwsProfiles {
  const config = parseAwsIni(configText, 'config');
  const credentials = parseAwsIni(credentialsText, 'credentials');
  const merged = new Map<string, Section>();
  for (const source of [config.sections, credentials.sections]) {
    for (const [key, section] of source) {
      if (!key.startsWith('profile:')) continue;
      const name = key.slice('profile:'.length);
      const into = merged.get(name) ?? new Map<string, string>();
      for (const [k, v] of section) into.set(k, v); // the credentials file is second: it wins
      merged.set(name, into);
    }
  }
  const sessions = new Map<string, Section>();
  for (const [key, section] of config.sections) if (key.startsWith('sso-session:')) sessions.set(key.slice('sso-session:'.length), section);

  const classify = (section: Section): AwsCredentialKind => {
    const has = (k: string) => section.has(k);
    if (has('role_arn') && has('source_profile') !== has('credential_source')) return 'role';
    if (has('aws_access_key_id') && has('aws_secret_access_key')) return 'static';
    if (has('web_identity_token_file') && has('role_arn')) return 'webIdentity';
    if (has('credential_process')) return 'process';
    if (has('sso_start_url') || has('sso_session') || has('sso_account_id') || has('sso_role_name')) return 'sso';
    return 'none';
  };

  /** Walks the source_profile chain: does it end in a credential_process, or is it broken? */
  const chain = (name: string): { needsApproval: boolean; problem?: string } => {
    const seen = new Set<string>();
    let at = name;
    for (;;) {
      const section = merged.get(at);
      if (!section) return { needsApproval: false, problem: `Profile "${name}" names source_profile "${at}", which does not exist.` };
      // A source profile with static keys uses them even when it also has a role_arn (the SDK's rule).
      if (seen.size > 0 && section.has('aws_access_key_id') && section.has('aws_secret_access_key')) return { needsApproval: false };
      const kind = classify(section);
      if (kind === 'process') return { needsApproval: true };
      if (kind !== 'role' || section.has('credential_source')) return { needsApproval: false };
      seen.add(at);
      const source = section.get('source_profile') ?? '';
      if (source === at && section.has('aws_access_key_id')) return { needsApproval: false }; // role over its own keys
      if (seen.has(source)) return { needsApproval: false, problem: `Profile "${name}" has a source_profile loop through "${source}".` };
      at = source;
    }
  };

  const profiles: AwsProfile[] = [];
  for (const [name, section] of merged) {
    const kind = classify(section);
    const region = section.get('region');
    const sessionName = section.get('sso_session');
    const session = sessionName !== undefined ? sessions.get(sessionName) : undefined;
    const problems: string[] = [];
    if (sessionName !== undefined && !session)
      problems.push(`Profile "${name}" names sso_session "${sessionName}", which is not in the config file.`);
    const walked = kind === 'role' ? chain(name) : { needsApproval: kind === 'process' };
    if (walked.problem) problems.push(walked.problem);
    const startUrl = session?.get('sso_start_url') ?? section.get('sso_start_url');
    const ssoRegion = session?.get('sso_region') ?? section.get('sso_region');
    profiles.push({
      name,
      kind,
      ...(region && isAwsRegion(region) ? { region } : {}),
      ...(kind === 'sso'
        ? {
            sso: {
              ...(sessionName !== undefined ? { session: sessionName } : {}),
              ...(startUrl ? { startUrl } : {}),
              ...(ssoRegion ? { region: ssoRegion } : {}),
            },
          }
        : {}),
      ...(kind === 'role' && section.has('source_profile') ? { sourceProfile: section.get('source_profile') ?? '' } : {}),
      ...(kind === 'role' && section.has('credential_source') ? { credentialSource: section.get('credential_source') ?? '' } : {}),
      needsApproval: walked.needsApproval,
      ...(problems.length ? { problem: problems.join(' ') } : {}),
    });
  }
  profiles.sort((a, b) => (a.name === 'default' ? -1 : b.name === 'default' ? 1 : a.name.localeCompare(b.name)));
  return { profiles, problems: [...config.problems, ...credentials.problems] };
}

/**
 * The commercial AWS regions that have EKS and are enabled in every account (no opt-in), as of 2026. Opt-in
 * regions (af-south-1, ap-east-1, ap-south-2, ap-southeast-3…7, eu-south-1/2, eu-central-2, il-central-1,
 * me-south-1, me-central-1, mx-central-1, ca-west-1…) answer UnrecognizedClientException until the account enables
 * them, so they are queried only when the user chooses them (setting / "Choose regions"). GovCloud and China are
 * separate partitions with their own credentials and are never defaults.
 */
export const standardEksRegions: readonly string[] = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'sa-east-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-central-1',
  'eu-north-1',
  'ap-south-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-southeast-1',
  'ap-southeast-2',
];

/**
 * The regions to list for a profile: the user's choice when given, else the profile's own region first followed
 * by the standard regions. Malformed names are dropped, duplicates removed, order kept.
 */
export function regionsToQuery(profileRegion: string | undefined, chosen: readonly string[] | undefined): string[] {
  const wanted = chosen && chosen.length ? chosen : [...(profileRegion ? [profileRegion] : []), ...standardEksRegions];
  return [...new Set(wanted.map((r) => r.trim()).filter(isAwsRegion))];
}
