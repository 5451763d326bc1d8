/**
 * Logarithms of counts for the hot loops over count tables: ln c and c ln c of the small
 * integers read from tables (the same numbers Math.log gives), Math.log for the rest.
 */

/** The tables cover the integers below this. */
const TABLE_SIZE = 4096;
/** LOG[c] = ln c (LOG[0] = -Infinity). */
const LOG = Float64Array.from({ length: TABLE_SIZE }, (_, c) => Math.log(c));
/** XLNX[c] = c ln c (XLNX[0] = 0). */
const XLNX = Float64Array.from({ length: TABLE_SIZE }, (_, c) => (c > 0 ? c * Math.log(c) : 0));

/** ln c, equal to Math.log(c). */
export function logCount(c: number): number {
  return c < TABLE_SIZE && c >>> 0 === c ? LOG[c] : Math.log(c);
}

/** x ln x (0 for x <= 0), equal to x * Math.log(x) for x > 0. */
export function xlnx(x: number): number {
  // no branch on zero (XLNX[0] = 0): count tables are sparse, such a branch would mispredict
  if (x < TABLE_SIZE && x >>> 0 === x) return XLNX[x];
  return x > 0 ? x * Math.log(x) : 0;
}
