/**
 * Units of information. Estimators compute in nats internally and convert once at the end;
 * bits are the default everywhere in openloop.
 */

/** A unit of information: bits (log base 2, the default) or nats (natural log). */
export type Unit = "bits" | "nats";

/** The units accepted on the command line and in options, in display order. */
export const UNITS: readonly Unit[] = ["bits", "nats"];

/** Converts a quantity measured in nats to `unit`. */
export function convertNats(valueInNats: number, unit: Unit): number {
  return unit === "bits" ? valueInNats / Math.LN2 : valueInNats;
}

/** Converts a quantity measured in `unit` to nats. */
export function toNats(value: number, unit: Unit): number {
  return unit === "bits" ? value * Math.LN2 : value;
}
