/**
 * Text made safe inside HTML elements and attribute values.
 *
 * @example escapeHtml('<b class="x">') // "&lt;b class=&quot;x&quot;&gt;"
 */
export const escapeHtml = (text: string): string =>
  text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;").replaceAll("'", "&#39;");

/** What inline JSON must not hold raw: `<` could close the element or open a comment; `>` and `&` are escaped too, as the common rule; U+2028/2029 end a line in older JavaScript. */
const SCRIPT_UNSAFE: { readonly [char: string]: string } = {
  "<": "\\u003c",
  ">": "\\u003e",
  "&": "\\u0026",
  "\u2028": "\\u2028",
  "\u2029": "\\u2029",
};

/**
 * JSON for a `<script type="application/json">` block: no value can close the element, open a
 * comment or end a line, and `JSON.parse` reads every value back unchanged.
 *
 * @example scriptJson({ a: "</script>" }) // '{"a":"\\u003c/script\\u003e"}'
 */
export const scriptJson = (value: unknown): string => JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => SCRIPT_UNSAFE[c] ?? c);

/**
 * A library's source for an inline `<script>`: a literal `</script` inside it, in any case, would end the element.
 *
 * @example inlineScript("a='</script>'") // "a='<\\/script>'"
 */
export const inlineScript = (source: string): string => source.replace(/<\/(script)/gi, "<\\/$1");

const STYLE = `
:root { --ink: #1d2430; --muted: #5b6575; --line: #dde2ea; --bg: #f6f7f9; --accent: #0060e0; --alert: #d70022; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
header { background: #fff; border-bottom: 1px solid var(--line); padding: 14px 24px; }
header h1 { margin: 0; font-size: 20px; }
header .meta { color: var(--muted); margin-top: 4px; }
header nav a { margin-right: 14px; }
main { padding: 16px 24px 40px; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
table { border-collapse: collapse; background: #fff; width: 100%; }
th, td { text-align: left; padding: 7px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .03em; }
.filters { display: flex; flex-wrap: wrap; gap: 10px 18px; align-items: flex-end; background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; margin-bottom: 16px; position: sticky; top: 0; z-index: 5; }
.filters label { display: flex; flex-direction: column; font-size: 12px; color: var(--muted); gap: 3px; }
.filters select, .filters input { font: inherit; padding: 3px 6px; border: 1px solid var(--line); border-radius: 5px; background: #fff; }
.filters fieldset { border: none; padding: 0; margin: 0; font-size: 12px; color: var(--muted); }
.filters fieldset label { flex-direction: row; align-items: center; color: var(--ink); font-size: 13px; display: inline-flex; margin-right: 8px; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(520px, 1fr)); gap: 14px; }
.tile { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px 6px; min-width: 0; }
.tile h3 { margin: 0; font-size: 15px; display: flex; justify-content: space-between; gap: 8px; }
.tile .note, .tile .description { color: var(--muted); font-size: 12px; }
.tile .description:empty { display: none; }
.tile .chart { width: 100%; min-height: 260px; }
.tile .empty { color: var(--muted); font-style: italic; padding: 30px 0; text-align: center; }
.alert-badge { color: var(--alert); font-size: 12px; font-weight: 600; white-space: nowrap; }
.alert-badge[hidden] { display: none; }
.count { display: inline-block; min-width: 22px; padding: 0 6px; border-radius: 10px; text-align: center; font-weight: 600; }
.count.open { background: #fde8eb; color: var(--alert); }
.count.none { background: #e8f5ee; color: #1a7f4b; }
section { margin-top: 26px; }
section h2 { font-size: 16px; margin: 0 0 8px; }
pre { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 10px; overflow: auto; font-size: 12px; max-height: 480px; }
details summary { cursor: pointer; padding: 4px 0; }
.muted { color: var(--muted); }
`;

/**
 * A complete HTML page: doctype, title, the site's stylesheet, the given head and body.
 *
 * @example page("Projects", "<h1>Projects</h1>")
 */
export function page(title: string, body: string, head = ""): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
${head}</head>
<body>
${body}
</body>
</html>
`;
}
