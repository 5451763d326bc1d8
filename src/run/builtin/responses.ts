/**
 * Reads a response text back into the built-in student's tokens: the answer token (value in a
 * surface form) and the padding length. Only what the student could have written decodes; any
 * other text (another form, a value outside the task's classes, too much padding) does not.
 */
import { FORMS, PAD, padCount, parseLabAnswer } from "../../lab/index.js";

/** The tokens of a response: answer value, surface form and padding length. */
export interface ResponseTokens {
  value: number;
  form: number;
  pad: number;
}

/** The sizes of the student's output space. */
export interface OutputSpace {
  classes: number;
  forms: number;
  pads: number;
}

/**
 * Decodes `response` into tokens of the output space, or null when the student cannot write it.
 * @example decodeResponse("12.0 _", { classes: 31, forms: 2, pads: 4 }) // { value: 12, form: 1, pad: 1 }
 */
export function decodeResponse(response: string, space: OutputSpace): ResponseTokens | null {
  const value = parseLabAnswer(response);
  if (value === null || value < 0 || value >= space.classes) return null;
  const pad = padCount(response);
  if (pad >= space.pads) return null;
  const surface = response.slice(0, response.length - pad * (PAD.length + 1));
  for (let form = 0; form < space.forms; form++) {
    if (FORMS[form](value) === surface) return { value, form, pad };
  }
  return null;
}
