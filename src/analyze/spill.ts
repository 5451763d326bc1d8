/**
 * A temporary on-disk spill of the first pass: each record as a few numbers (prompt index,
 * iteration, class code, response hash, gold, then one value per variable), so the second pass
 * reads compact binary rows instead of parsing the input again. Memory stays bounded (a 512 KiB
 * buffer each way); the file is removed by `dispose`.
 */
import { closeSync, openSync, readSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { OpenloopError } from "../errors.js";

const BUFFER = 65536; // doubles

/** Fields of a spilled row before the variable values. */
export interface SpilledRow {
  prompt: number;
  iteration: number;
  cls: number;
  /** 53-bit hash of the response, or -1 without one */
  responseHash: number;
  /** -1 unknown, 0 false, 1 true */
  gold: number;
  /** values by variable id (NaN when missing); only `count` entries are valid */
  values: Float64Array;
  count: number;
}

/** Writes rows to a temporary file, then reads them back in order. */
export class Spill {
  readonly path: string;
  private fd: number;
  private buffer = new Float64Array(BUFFER);
  private used = 0;
  rows = 0;

  constructor() {
    this.path = join(
      tmpdir(),
      `openloop-spill-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}.bin`,
    );
    try {
      this.fd = openSync(this.path, "w+");
    } catch (error) {
      throw new OpenloopError("io", `cannot create a temporary file: ${(error as Error).message}`, {
        where: { file: this.path },
      });
    }
  }

  private flush(): void {
    if (this.used === 0) return;
    writeSync(this.fd, new Uint8Array(this.buffer.buffer, 0, this.used * 8));
    this.used = 0;
  }

  private push(v: number): void {
    if (this.used === BUFFER) this.flush();
    this.buffer[this.used++] = v;
  }

  /** Appends one row; `values[0..count)` are the variable values. */
  write(
    prompt: number,
    iteration: number,
    cls: number,
    responseHash: number,
    gold: number,
    values: Float64Array,
    count: number,
  ): void {
    this.push(prompt);
    this.push(iteration);
    this.push(cls);
    this.push(responseHash);
    this.push(gold);
    this.push(count);
    for (let i = 0; i < count; i++) this.push(values[i]);
    this.rows++;
  }

  /** Calls `visit` for every row, in write order (the row object is reused). */
  read(visit: (row: SpilledRow) => void): void {
    this.flush();
    const buffer = new Float64Array(BUFFER);
    const bytes = new Uint8Array(buffer.buffer);
    let position = 0;
    let length = 0;
    let at = 0;
    const next = (): number => {
      if (at === length) {
        const got = readSync(this.fd, bytes, 0, bytes.length, position);
        position += got;
        length = got / 8;
        at = 0;
        if (length === 0) throw new OpenloopError("internal", "spill file ended early");
      }
      return buffer[at++];
    };
    const row: SpilledRow = {
      prompt: 0,
      iteration: 0,
      cls: 0,
      responseHash: -1,
      gold: -1,
      values: new Float64Array(64),
      count: 0,
    };
    for (let r = 0; r < this.rows; r++) {
      row.prompt = next();
      row.iteration = next();
      row.cls = next();
      row.responseHash = next();
      row.gold = next();
      row.count = next();
      if (row.values.length < row.count) row.values = new Float64Array(row.count * 2);
      for (let i = 0; i < row.count; i++) row.values[i] = next();
      visit(row);
    }
  }

  /** Closes and removes the file. */
  dispose(): void {
    try {
      closeSync(this.fd);
    } catch {
      // already closed
    }
    rmSync(this.path, { force: true });
  }
}
