import type { Token } from "./tokenize-bigquery.js";
import { UntranslatableSqlError } from "./untranslatable-sql-error.js";

/** A token, or a bracketed group of nodes: `( ... )` or `[ ... ]`. */
export type SqlNode =
  | { readonly kind: "token"; readonly token: Token }
  | { readonly kind: "group"; readonly open: "(" | "["; readonly children: readonly SqlNode[] };

const CLOSE = { "(": ")", "[": "]" } as const;

/**
 * Nests tokens by brackets, so a function's arguments or a subscript are one node.
 *
 * @example toTree(tokenizeBigQuery("f(a, b)", "x"), "x") // [word f, group ( a , b )]
 */
export function toTree(tokens: readonly Token[], origin: string): readonly SqlNode[] {
  const stack: { open: "(" | "[" | ""; children: SqlNode[] }[] = [{ open: "", children: [] }];
  for (const token of tokens) {
    const top = stack.at(-1);
    if (!top) break;
    if (token.kind === "punct" && (token.text === "(" || token.text === "[")) {
      stack.push({ open: token.text, children: [] });
    } else if (token.kind === "punct" && (token.text === ")" || token.text === "]")) {
      if (top.open === "" || CLOSE[top.open] !== token.text) throw new UntranslatableSqlError(`an unbalanced "${token.text}"`, origin);
      stack.pop();
      stack.at(-1)?.children.push({ kind: "group", open: top.open, children: top.children });
    } else {
      top.children.push({ kind: "token", token });
    }
  }
  const root = stack[0];
  if (stack.length !== 1 || !root) throw new UntranslatableSqlError(`an unclosed "${stack.at(-1)?.open ?? ""}"`, origin);
  return root.children;
}

/** Whether a node is the word `word` (any case). */
export const isWord = (node: SqlNode | undefined, word: string): boolean =>
  node?.kind === "token" && node.token.kind === "word" && node.token.text.toUpperCase() === word;

/** Whether a node is only layout (space or comment). */
export const isLayout = (node: SqlNode | undefined): boolean =>
  node?.kind === "token" && (node.token.kind === "space" || node.token.kind === "comment");

/** The nodes without layout. */
export const significant = (nodes: readonly SqlNode[]): readonly SqlNode[] => nodes.filter((n) => !isLayout(n));

/** Splits nodes at top-level commas (function arguments). */
export function splitArgs(nodes: readonly SqlNode[]): readonly (readonly SqlNode[])[] {
  if (significant(nodes).length === 0) return [];
  const args: SqlNode[][] = [[]];
  for (const node of nodes) {
    if (node.kind === "token" && node.token.kind === "punct" && node.token.text === ",") args.push([]);
    else args.at(-1)?.push(node);
  }
  return args;
}

/** The index of the first top-level word `word` in `nodes`, or -1. */
export const indexOfWord = (nodes: readonly SqlNode[], word: string): number => nodes.findIndex((n) => isWord(n, word));
