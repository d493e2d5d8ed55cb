import { describe, expect, it } from "vitest";
import { tomlComments } from "../../src/toml/toml-comments.js";
import { commentLine, comments, key, lit, obj, printComments, str, visible, withComments } from "../../src/toml/ts-code.js";

// Generated literals are read back with the Function constructor: the point is that the text is a
// literal that evaluates to the same value, with no raw line terminator or invisible character.
const evaluate = (code: string): unknown => new Function(`return (${code});`)();

const HOSTILE_STRINGS = [
  "plain",
  "line\u2028separator and paragraph\u2029separator",
  "crlf\r\nand lone\rcr\nand lf",
  "back`tick ${not.code} \\${still} \\` \\\\",
  "nul\u0000 esc\u001b[31m del\u007f c1\u0085 bidi\u202e zwsp\u200b bom\ufeff tab\t",
  "*/ closes /* opens // line",
  "astral format \u{e0001} and emoji 👩‍💻",
  "\\u2028 already written as an escape",
];

describe("str and key", () => {
  it.each(HOSTILE_STRINGS)("%j reads back exactly, with no raw unsafe character", (text) => {
    const literal = str(text);
    expect(literal).not.toMatch(/[\r\u2028\u2029]|[^\P{Cc}\n\t]|\p{Cf}/u);
    expect(evaluate(literal)).toBe(text);
    const object = evaluate(obj([{ key: text, value: "1" }])) as Record<string, number>;
    expect(Object.keys(object)).toEqual([text]);
  });

  it("keeps __proto__ as a key instead of setting the prototype", () => {
    expect(key("__proto__")).toBe('["__proto__"]');
    // JSON.parse makes an own `__proto__` key, as the TOML parser does
    const object = evaluate(lit(JSON.parse('{ "__proto__": { "polluted": true } }') as never)) as object;
    expect(Object.keys(object)).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(object)).toBe(Object.prototype);
  });
});

describe("comments", () => {
  it("a comment line shows line terminators and invisible characters as escapes", () => {
    expect(commentLine(`owner\u2028description: x(), //`)).toBe("// owner\\u2028description: x(), //");
    expect(commentLine("a\u2029b\rc\u0000d\u202ee\u{e0001}")).toBe("// a\\u2029b\\u000dc\\u0000d\\u202ee\\u{e0001}");
    expect(commentLine("tabs\tstay")).toBe("// tabs\tstay");
  });

  it("defuses TypeScript directives and nothing else", () => {
    expect(commentLine("@ts-ignore")).toBe("// \\u0040ts-ignore");
    expect(commentLine("  @ts-expect-error why")).toBe("//   \\u0040ts-expect-error why");
    expect(commentLine("see @ts-ignore")).toBe("// see @ts-ignore");
  });

  it("a group is one placeholder line until printed at its indentation", async () => {
    const printed = await withComments(
      () => `{\n  ${comments(["one", "two\u2028three"])}  a: 1,\n}`,
      async (code) => {
        expect(code.split("\n")).toHaveLength(4);
        return printComments(code);
      },
    );
    expect(printed).toBe("{\n  // one\n  // two\\u2028three\n  a: 1,\n}");
  });

  it("a placeholder moved off its own line is an error, never kept", async () => {
    await expect(withComments(() => `a; ${comments(["x"])}`, async (code) => printComments(code))).rejects.toThrow(/internal/);
  });

  it("TOML text cannot forge a placeholder: U+0001 never appears raw in a literal", () => {
    expect(str("//\u00010")).not.toContain("\u0001");
    expect(str("a\n//\u00010")).not.toContain("\u0001");
    expect(visible("\u0001")).toBe("\\u0001");
  });
});

describe("tomlComments", () => {
  // appending by copying was quadratic: 40,000 `[[x]]` tables with a comment each took 81 s
  it("collects 40,000 comments on one repeated table in linear work", () => {
    const text = Array.from({ length: 40_000 }, (_, i) => `[[x]] # c${i}\nv = ${i}\n`).join("");
    const lines = tomlComments(text).get("x");
    expect(lines).toHaveLength(40_000);
    expect(lines?.at(-1)).toBe("c39999");
  }, 20_000);
});
