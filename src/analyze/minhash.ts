/**
 * Near-duplicate detection with bottom-k MinHash (Broder 1997; Cohen & Kaplan 2007): a text's
 * sketch is the k smallest distinct 32-bit hashes of its character shingles; the Jaccard
 * similarity of two texts is estimated from the k smallest hashes of the union of their
 * sketches (the fraction of those present in both). Which prompts are sketched: a bounded
 * bottom-k sample of prompts per iteration.
 */
import { hashString } from "./table.js";

/** MinHash settings: hashes per sketch, shingle length, similarity threshold, sample bounds. */
export const MINHASH = { hashes: 64, shingle: 5, threshold: 0.8, prompts: 64, perPrompt: 32 } as const;

/** A sampled prompt of one iteration for near-duplicate detection. */
export interface MinhashPrompt {
  prompt: number;
  hash: number;
  sketches: Uint32Array[];
}

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

/**
 * The bottom-k sample of prompts of one iteration: keeps the MINHASH.prompts prompts with the
 * smallest seeded hash of their id (one pass, bounded memory). A prompt kept at the end was kept
 * from its first record on, so its sketches are those of its first responses in file order.
 */
export class MinhashSample {
  /** the kept prompts, in the order of the sequential sampler (evictions remove in place) */
  readonly entries: MinhashPrompt[] = [];
  /** the largest kept hash once the sample is full (a larger one is rejected in O(1)) */
  private worst = Number.POSITIVE_INFINITY;
  private worstIndex = -1;

  /** The entry of `prompt` (added, evicting the largest hash, when it belongs to the bottom k), or undefined. */
  admit(prompt: number, hash: number): MinhashPrompt | undefined {
    if (hash > this.worst) return undefined;
    const entries = this.entries;
    for (let i = 0; i < entries.length; i++) if (entries[i].prompt === prompt) return entries[i];
    if (entries.length >= MINHASH.prompts) {
      if (hash === this.worst) return undefined;
      entries.splice(this.worstIndex, 1);
    }
    const entry: MinhashPrompt = { prompt, hash, sketches: [] };
    entries.push(entry);
    if (entries.length >= MINHASH.prompts) {
      // the first entry with the largest hash is the next to go
      let worst = 0;
      for (let i = 1; i < entries.length; i++) if (entries[i].hash > entries[worst].hash) worst = i;
      this.worstIndex = worst;
      this.worst = entries[worst].hash;
    }
    return entry;
  }

  /** Admits `prompt` and sketches `response` while the prompt has fewer than MINHASH.perPrompt sketches. */
  add(prompt: number, hash: number, response: string, seed: number): void {
    const entry = this.admit(prompt, hash);
    if (entry !== undefined && entry.sketches.length < MINHASH.perPrompt) {
      entry.sketches.push(minhashSketch(response, MINHASH.hashes, MINHASH.shingle, seed));
    }
  }
}

/** The MinHash samples by iteration; records mostly come iteration by iteration, so the last one looked up is kept at hand. */
export class MinhashSamples {
  /** iteration -> its sample, in first-seen order */
  readonly byIteration = new Map<number, MinhashSample>();
  private lastIteration = Number.NaN;
  private last: MinhashSample | undefined;

  /** The sample of `iteration` (a new, empty one for a new iteration). */
  of(iteration: number): MinhashSample {
    if (iteration !== this.lastIteration || this.last === undefined) {
      let sample = this.byIteration.get(iteration);
      if (sample === undefined) {
        sample = new MinhashSample();
        this.byIteration.set(iteration, sample);
      }
      this.last = sample;
      this.lastIteration = iteration;
    }
    return this.last;
  }

  /** The kept prompts of each of `iterations` (none for an iteration without a sample). */
  entries(iterations: readonly number[]): MinhashPrompt[][] {
    return iterations.map((it) => this.byIteration.get(it)?.entries ?? []);
  }
}
