/**
 * Text from a cluster or a kubeconfig shown in the tree (catalogue B54): bidi controls (which can make
 * `exe.png` read as `gnp.exe`), zero-width characters and control characters are shown as visible `\u202E`
 * escapes, so a label or tooltip always shows what the name really is. Everything else (emoji, accents, long
 * names) is kept as it is.
 */
export function showInvisible(text: string): string {
  // eslint-disable-next-line no-control-regex -- the control characters are what this function makes visible
  return text.replace(/[\u0000-\u001f\u007f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g, (c) => {
    return `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
  });
}

/**
 * Text from a cluster or a kubeconfig inside a Markdown tooltip (catalogue B52): every character Markdown gives a
 * meaning to (emphasis, code, links, headings, lists, tables, HTML, entities, strikethrough) is backslash-escaped,
 * so backticks, `*`, `[x](command:…)`, `<script>` or `&amp;` show as typed, never as formatting, links, HTML or
 * entities; invisible characters (newlines too) as in showInvisible. `:`, `;`, `$`, quotes and `/` need nothing.
 */
export function markdownText(text: string): string {
  return showInvisible(text).replace(/[\\`*_{}[\]()#+\-.!|<>&~=]/g, '\\$&');
}

/**
 * Text from a cluster or a kubeconfig as a Markdown code span: the fence is one backtick longer than the longest
 * run of backticks inside (CommonMark), with a space inside when the text starts or ends with a backtick, so no
 * name can close the span early.
 */
export function markdownCode(text: string): string {
  const shown = showInvisible(text);
  const longest = Math.max(0, ...(shown.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = shown.startsWith('`') || shown.endsWith('`') || shown === '' ? ' ' : '';
  return `${fence}${pad}${shown}${pad}${fence}`;
}
