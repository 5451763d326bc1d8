/**
 * Near-duplicate detection with bottom-k MinHash (Broder 1997; Cohen & Kaplan 2007): a text's
 * sketch is the k smallest distinct 32-bit hashes of its character shingles; the Jaccard
 * similarity of two texts is estimated from the k smallest hashes of the union of their
 * sketches (the fraction of those present in both).
 */
import { hashString } from "./table.js";

/**
 * The bottom-k sketch of `text` (sorted ascending): hashes of its `shingle`-character
 * substrings under `seed`; a text shorter than one shingle is its own single shingle.
 * @example minhashSketch("hello world", 64, 5, 1).length // 7 distinct shingles
 */
export function minhashSketch(text: string, k: number, shingle: number, seed: number): Uint32Array {
  const count = Math.max(1, text.length - shingle + 1);
  const hashes = new Uint32Array(count);
  if (text.length < shingle) hashes[0] = hashString(text, seed) >>> 0;
  else for (let i = 0; i < count; i++) hashes[i] = hashString(text.slice(i, i + shingle), seed) >>> 0;
  hashes.sort();
  const out = new Uint32Array(Math.min(k, count));
  let size = 0;
  for (let i = 0; i < hashes.length && size < out.length; i++) {
    if (i === 0 || hashes[i] !== hashes[i - 1]) out[size++] = hashes[i];
  }
  return out.slice(0, size);
}

/**
 * Estimated Jaccard similarity of two texts from their bottom-k sketches.
 * @example jaccardEstimate(minhashSketch("abcdef", 64, 3, 1), minhashSketch("abcdef", 64, 3, 1), 64) // 1
 */
export function jaccardEstimate(a: Uint32Array, b: Uint32Array, k: number): number {
  let i = 0;
  let j = 0;
  let taken = 0;
  let both = 0;
  while (taken < k && (i < a.length || j < b.length)) {
    if (j >= b.length || (i < a.length && a[i] < b[j])) i++;
    else if (i >= a.length || b[j] < a[i]) j++;
    else {
      both++;
      i++;
      j++;
    }
    taken++;
  }
  return taken === 0 ? 1 : both / taken;
}
