import { UntranslatableSqlError } from "./untranslatable-sql-error.js";

/** The kinds of token GoogleSQL text is made of. */
export type TokenKind = "space" | "comment" | "word" | "quoted" | "string" | "number" | "param" | "punct";

/** One token: its kind, its source text and, for strings and quoted identifiers, the decoded value. */
export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly value: string;
  /** For strings: bytes (`b'..'`) rather than text. */
  readonly bytes?: boolean;
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  a: "\x07", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v",
  "\\": "\\", "?": "?", '"': '"', "'": "'", "`": "`",
};

/** Decodes GoogleSQL escape sequences (`\n`, `\'`, `\x41`, `\u00e9`, `\101`, ...). */
function unescape(body: string, origin: string): string {
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const ch = body[i] ?? "";
    if (ch !== "\\") {
      out += ch;
      continue;
    }
    const next = body[i + 1] ?? "";
    const simple = SIMPLE_ESCAPES[next];
    if (simple !== undefined) {
      out += simple;
      i++;
    } else if (next === "x" || next === "X") {
      out += String.fromCodePoint(parseInt(body.slice(i + 2, i + 4), 16));
      i += 3;
    } else if (next === "u" || next === "U") {
      const width = next === "u" ? 4 : 8;
      out += String.fromCodePoint(parseInt(body.slice(i + 2, i + 2 + width), 16));
      i += 1 + width;
    } else if (/[0-7]/.test(next)) {
      out += String.fromCodePoint(parseInt(body.slice(i + 1, i + 4), 8));
      i += 3;
    } else {
      throw new UntranslatableSqlError(`the escape sequence \\${next}`, origin);
    }
  }
  return out;
}

const PUNCT3 = ["<=>"];
const PUNCT2 = ["<=", "<>", "!=", "||", "=>", ":=", "::"];

/**
 * Splits GoogleSQL into tokens, keeping every character (spaces and comments too), so joining the
 * texts gives the input back. `>` is always one token, so nested `ARRAY<STRUCT<..>>` closes cleanly.
 *
 * @example tokenizeBigQuery("SELECT `a.b`").map((t) => t.kind) // ["word", "space", "quoted"]
 */
export function tokenizeBigQuery(sql: string, origin: string): readonly Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const push = (kind: TokenKind, text: string, value = text, bytes = false) => {
    tokens.push(bytes ? { kind, text, value, bytes } : { kind, text, value });
    i += text.length;
  };
  while (i < sql.length) {
    const rest = sql.slice(i);
    const ch = sql[i] ?? "";
    let m: RegExpExecArray | null;
    if ((m = /^\s+/.exec(rest))) push("space", m[0]);
    else if ((m = /^(--|#)[^\n]*/.exec(rest))) push("comment", m[0]);
    else if (rest.startsWith("/*")) {
      const end = rest.indexOf("*/", 2);
      if (end < 0) throw new UntranslatableSqlError("an unterminated /* comment", origin);
      push("comment", rest.slice(0, end + 2));
    } else if ((m = /^([rRbB]{0,2})('''|"""|'|")/.exec(rest))) {
      const prefix = (m[1] ?? "").toLowerCase();
      if (/[^rb]/.test(prefix) || (prefix.length === 2 && prefix[0] === prefix[1])) {
        push("word", m[1] ?? "");
        continue;
      }
      const quote = m[2] ?? "'";
      const start = prefix.length + quote.length;
      let j = start;
      while (j < rest.length && !rest.startsWith(quote, j)) {
        if (rest[j] === "\\") j++;
        if (quote.length === 1 && rest[j] === "\n") break;
        j++;
      }
      if (j >= rest.length || !rest.startsWith(quote, j)) throw new UntranslatableSqlError("an unterminated string literal", origin);
      const body = rest.slice(start, j);
      const raw = prefix.includes("r");
      push("string", rest.slice(0, j + quote.length), raw ? body : unescape(body, origin), prefix.includes("b"));
    } else if (ch === "`") {
      const end = /^`((?:[^`\\]|\\.)*)`/s.exec(rest);
      if (!end) throw new UntranslatableSqlError("an unterminated `quoted identifier`", origin);
      push("quoted", end[0], unescape(end[1] ?? "", origin));
    } else if ((m = /^(0[xX][0-9a-fA-F]+|(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)/.exec(rest))) push("number", m[0]);
    else if ((m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest))) push("word", m[0]);
    else if ((m = /^@@?[A-Za-z_][A-Za-z0-9_.]*/.exec(rest))) push("param", m[0]);
    else {
      const punct = PUNCT3.find((p) => rest.startsWith(p)) ?? PUNCT2.find((p) => rest.startsWith(p)) ?? ch;
      push("punct", punct);
    }
  }
  return tokens;
}
