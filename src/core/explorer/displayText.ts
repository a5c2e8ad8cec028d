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
