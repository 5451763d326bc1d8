/**
 * Per-unit seeds: every random choice of a prompt-unit derives from (run seed, iteration, prompt
 * index) and nothing else, so the order units finish in, the concurrency and a crash followed by
 * `--resume` never change a sample.
 */

function mix32(h: number, value: number): number {
  let z = (h ^ Math.imul(value | 0, 0x9e3779b1)) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * A 31-bit seed from a base seed and a path of small integers (iteration, prompt index, ...).
 * @example deriveSeed(7, 0, 3) === deriveSeed(7, 0, 3) // true; deriveSeed(7, 0, 4) differs
 */
export function deriveSeed(base: number, ...path: number[]): number {
  let h = mix32(0x2545f491, base);
  for (const part of path) h = mix32(h, part + 0x632be5ab);
  return h & 0x7fffffff;
}
