/** Unpaired surrogates: no YAML or LookML reader accepts them, escaped or not. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** What JSON leaves raw but YAML may not hold raw: DEL, C1 controls, line/paragraph separators (line breaks in YAML 1.1), BOM, noncharacters. */
const YAML_UNSAFE = /[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g;

/** A plain scalar that reads back as the same string: starts with a letter, no `: `, `#`, quotes or brackets. */
const PLAIN = /^[A-Za-z][A-Za-z0-9 _.()-]*$/;
/** Plain scalars YAML 1.1 (and Looker's reader) would take as booleans or null. */
const RESERVED = /^(y|n|yes|no|on|off|true|false|null)$/i;

const unicodeEscape = (char: string) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`;

/**
 * A YAML double-quoted scalar: JSON's string syntax (a valid YAML double-quoted scalar), with the
 * characters JSON leaves raw but YAML does not allow escaped too.
 *
 * @example yamlQuoted("a\u2028b") // '"a\\u2028b"'
 */
export const yamlQuoted = (text: string): string =>
  JSON.stringify(text.replace(LONE_SURROGATE, "\ufffd")).replace(YAML_UNSAFE, unicodeEscape);

/**
 * A string as a YAML value or key: bare when it reads back as itself (so upstream's `title: GC Ms`
 * stays as it was), double-quoted otherwise.
 *
 * @example yamlString("GC Ms - By os") // "GC Ms - By os"
 * @example yamlString("a: b") // '"a: b"'
 * @example yamlString("Yes") // '"Yes"'
 */
export const yamlString = (text: string): string =>
  PLAIN.test(text) && !RESERVED.test(text) && !text.endsWith(" ") ? text : yamlQuoted(text);

/**
 * A string as a single-quoted YAML scalar (how upstream writes filter values: `'Linux'`), when it
 * can be one: printable text on one line; anything else double-quoted with escapes.
 *
 * @example yamlSingleQuoted("it's") // "'it''s'"
 * @example yamlSingleQuoted("a\nb") // '"a\\nb"'
 */
export function yamlSingleQuoted(text: string): string {
  const whole = text.replace(LONE_SURROGATE, "\ufffd");
  // search, not test: the pattern is global, and test would keep its lastIndex between calls
  return /[\u0000-\u001f]/.test(whole) || whole.search(YAML_UNSAFE) >= 0 ? yamlQuoted(whole) : `'${whole.replaceAll("'", "''")}'`;
}

/**
 * A LookML double-quoted string: backslash and quote escaped, control and bidi characters spelled
 * out, so a value can neither end the string nor a line.
 *
 * @example lookmlString('say "hi"') // '"say \\"hi\\""'
 */
export const lookmlString = (text: string): string =>
  `"${text
    .replaceAll("\\", "\\\\")
    .replaceAll('"', '\\"')
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, unicodeEscape)}"`;
