/**
 * Finds where a path of a parsed YAML document is written, so every validation error names the
 * line: the value's position when it exists, the key's position when the value is empty, and the
 * nearest enclosing key when the field is missing.
 */
import { type Document, isMap, isPair, isScalar, isSeq, type LineCounter, type Node } from "yaml";

/** A 1-based line and column. */
export interface Position {
  line: number;
  column: number;
}

function keyMatches(key: unknown, segment: string | number): boolean {
  return isScalar(key) && String(key.value) === String(segment);
}

/**
 * The source position of `segments` in `doc` (or of its nearest written ancestor).
 * For an unknown key reported on its parent, pass `key` to point at that key.
 */
export function locate(
  doc: Document,
  lineCounter: LineCounter,
  segments: readonly (string | number)[],
  key?: string,
): Position | undefined {
  let node: unknown = doc.contents;
  let offset: number | undefined = (doc.contents as Node | null)?.range?.[0];
  const path = key === undefined ? segments : [...segments, key];
  for (const [i, segment] of path.entries()) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && keyMatches(item.key, segment));
      if (pair === undefined) break;
      const keyNode = pair.key as Node | null;
      const valueNode = pair.value as Node | null;
      offset = valueNode?.range?.[0] ?? keyNode?.range?.[0] ?? offset;
      if (key !== undefined && i === path.length - 1) offset = keyNode?.range?.[0] ?? offset;
      node = valueNode;
    } else if (isSeq(node) && typeof segment === "number") {
      const item = node.items[segment] as Node | undefined;
      if (item === undefined) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else break;
  }
  if (offset === undefined) return undefined;
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}
