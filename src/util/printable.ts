/**
 * Characters a terminal acts on or reorders instead of showing: C0 controls but tab (ESC starts
 * colour, cursor and OSC sequences; CR and LF forge lines), DEL, C1 controls (0x9B is a one-byte CSI),
 * the Arabic letter mark, LRM/RLM, the line and paragraph separators, bidi embeddings, overrides and
 * isolates (they reverse what follows them on the line).
 */
const UNPRINTABLE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

const NAMED: { readonly [char: string]: string } = { "\n": "\\n", "\r": "\\r" };

/**
 * Text safe to print on a terminal line: every control or bidi character becomes a visible escape
 * (`\x1b`, `\n`, `\u202e`), so data can neither drive the terminal nor forge or reorder lines.
 *
 * @example printable("Linux\u001b]0;pwned\u0007") // "Linux\\x1b]0;pwned\\x07"
 * @example printable("a\nb\u202ec") // "a\\nb\\u202ec"
 */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (char) => {
    const code = char.charCodeAt(0);
    return NAMED[char] ?? (code < 0x100 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`);
  });
}

/**
 * At most `max` characters (whole code points, so an emoji is never cut in half), with `…` in
 * place of the rest.
 *
 * @example clip("x".repeat(500), 10) // "xxxxxxxxx…"
 */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const points = Array.from(text);
  return points.length <= max ? text : `${points.slice(0, Math.max(0, max - 1)).join("")}…`;
}
