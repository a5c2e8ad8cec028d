/**
 * Minimal glob matching for ignore paths and CLI patterns: `**` (any depth), `*` (within a segment), `?`,
 * `{a,b}`. Paths use `/`. Pure, so the editor and the CLI agree.
 */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const slash = glob[i + 2] === '/';
        re += slash ? '(?:.*/)?' : '.*';
        i += slash ? 2 : 1;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '{') {
      const end = glob.indexOf('}', i);
      if (end === -1) re += '\\{';
      else {
        re += `(?:${glob
          .slice(i + 1, end)
          .split(',')
          .map((s) => s.replace(/[.+^$()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*'))
          .join('|')})`;
        i = end;
      }
    } else re += /[.+^$()|[\]\\]/.test(c) ? `\\${c}` : c;
  }
  return new RegExp(`^${re}$`);
}

/** True when the (relative, `/`-separated) path matches any of the globs; a glob without `/` matches any basename too. */
export function matchesAnyGlob(path: string, globs: readonly string[]): boolean {
  const normalized = path.replace(/\\/g, '/').replace(/^\.\//, '');
  return globs.some((g) => {
    const re = globToRegExp(g.replace(/^\.\//, ''));
    if (re.test(normalized)) return true;
    return !g.includes('/') && re.test(normalized.slice(normalized.lastIndexOf('/') + 1));
  });
}
