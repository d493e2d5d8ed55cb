/** Comments of a TOML file by the key path they belong to (`["metrics", "gc_ms"]` as `metrics.gc_ms`). */
export type TomlComments = ReadonlyMap<string, readonly string[]>;

/** The map key of a key path. */
export const commentKey = (path: readonly string[]) => path.join("\u0000");

/**
 * Collects a TOML file's comments: full-line comments belong to the next table header or key, a trailing
 * comment to its own line's key, comments at the end of the file to the root. smol-toml drops comments,
 * so this is a small line scanner that knows strings (one-line and multi-line) and brackets.
 *
 * @example tomlComments("# why\nx = 1 # units\n").get("x") // ["why", "units"]
 */
export function tomlComments(text: string): TomlComments {
  const comments = new Map<string, string[]>();
  const add = (path: readonly string[], lines: readonly string[]) => {
    if (lines.length === 0) return;
    const key = commentKey(path);
    const known = comments.get(key);
    // appended in place: `[[x]]` tables repeated many times add to one key again and again
    if (known) for (const line of lines) known.push(line);
    else comments.set(key, [...lines]);
  };
  let table: string[] = [];
  let pending: string[] = [];
  let current: string[] = [];
  const state: ScanState = { quote: null, depth: 0 };
  for (const line of text.split(/\r?\n/)) {
    if (state.quote || state.depth > 0) {
      const trailing = scanValue(line, state);
      if (trailing) pending.push(trailing);
      if (!state.quote && state.depth === 0) add(current, pending.splice(0));
      continue;
    }
    const trimmed = line.trim();
    if (trimmed.startsWith("#")) {
      pending.push(commentText(trimmed));
      continue;
    }
    if (trimmed === "") continue;
    if (trimmed.startsWith("[")) {
      const close = trimmed.startsWith("[[") ? "]]" : "]";
      const end = findOutsideQuotes(trimmed, close);
      table = parseKeyPath(trimmed.slice(close.length, end));
      const rest = trimmed.slice(end + close.length).trim();
      if (rest.startsWith("#")) pending.push(commentText(rest));
      add(table, pending.splice(0));
      continue;
    }
    const eq = findOutsideQuotes(trimmed, "=");
    if (eq < 0) continue;
    current = [...table, ...parseKeyPath(trimmed.slice(0, eq))];
    const trailing = scanValue(trimmed.slice(eq + 1), state);
    if (trailing) pending.push(trailing);
    if (!state.quote && state.depth === 0) add(current, pending.splice(0));
  }
  add([], pending);
  return comments;
}

interface ScanState {
  quote: '"' | "'" | '"""' | "'''" | null;
  depth: number;
}

const commentText = (raw: string) => raw.replace(/^#\s?/, "").trimEnd();

/** Walks a value's text, updating string and bracket state; returns a trailing comment if one starts. */
function scanValue(text: string, state: ScanState): string | undefined {
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (state.quote) {
      if (state.quote === '"' || state.quote === '"""') {
        if (c === "\\") {
          i++;
          continue;
        }
      }
      if (text.startsWith(state.quote, i)) {
        i += state.quote.length - 1;
        state.quote = null;
      }
      continue;
    }
    if (text.startsWith('"""', i) || text.startsWith("'''", i)) {
      state.quote = text.slice(i, i + 3) as '"""';
      i += 2;
    } else if (c === '"' || c === "'") state.quote = c;
    else if (c === "[" || c === "{") state.depth++;
    else if (c === "]" || c === "}") state.depth--;
    else if (c === "#") return commentText(text.slice(i));
  }
  // a one-line string cannot continue on the next line
  if (state.quote === '"' || state.quote === "'") state.quote = null;
  return undefined;
}

function findOutsideQuotes(text: string, needle: string): number {
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === "\\" && quote === '"') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (text.startsWith(needle, i)) return i;
  }
  return -1;
}

/** Splits a dotted TOML key (`a."b.c".d`) into its parts. */
function parseKeyPath(text: string): string[] {
  const parts: string[] = [];
  let rest = text.trim();
  while (rest.length > 0) {
    const q = rest[0];
    if (q === '"' || q === "'") {
      const end = rest.indexOf(q, 1);
      const raw = rest.slice(1, end < 0 ? undefined : end);
      parts.push(q === '"' ? raw.replace(/\\(.)/g, "$1") : raw);
      rest = end < 0 ? "" : rest.slice(end + 1).trim();
    } else {
      const dot = rest.indexOf(".");
      parts.push((dot < 0 ? rest : rest.slice(0, dot)).trim());
      rest = dot < 0 ? "" : rest.slice(dot);
    }
    rest = rest.replace(/^\s*\.\s*/, "");
  }
  return parts;
}
