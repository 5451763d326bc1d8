/**
 * Test fixtures for the kNN estimator tests: samples of multivariate Gaussians from a covariance
 * matrix (Cholesky factor times standard normals) and the Gaussian closed forms they are checked
 * against.
 */
import { createRng } from "../../src/info/rng.js";

/** n samples of N(0, cov), returned as one Float64Array per dimension. */
export function gaussianColumns(cov: number[][], n: number, seed: number): Float64Array[] {
  const d = cov.length;
  const l = cholesky(cov);
  const rng = createRng(seed);
  const columns = Array.from({ length: d }, () => new Float64Array(n));
  const z = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < d; a++) z[a] = rng.normal();
    for (let a = 0; a < d; a++) {
      let v = 0;
      for (let b = 0; b <= a; b++) v += l[a][b] * z[b];
      columns[a][i] = v;
    }
  }
  return columns;
}

/** The sub-matrix of `cov` on the given indices. */
export function subMatrix(cov: number[][], indices: number[]): number[][] {
  return indices.map((a) => indices.map((b) => cov[a][b]));
}

/** Natural log of the determinant of a symmetric positive definite matrix. */
export function logDet(cov: number[][]): number {
  const l = cholesky(cov);
  return l.reduce((sum, row, a) => sum + 2 * Math.log(row[a]), 0);
}

/** Gaussian mutual information in bits: 0.5 log2(det Sx det Sy / det S). */
export function gaussianMiBits(cov: number[][], x: number[], y: number[]): number {
  const nats =
    0.5 * (logDet(subMatrix(cov, x)) + logDet(subMatrix(cov, y)) - logDet(subMatrix(cov, [...x, ...y])));
  return nats / Math.LN2;
}

/** Gaussian conditional mutual information in bits: 0.5 log2(det Sxz det Syz / (det Sz det Sxyz)). */
export function gaussianCmiBits(cov: number[][], x: number[], y: number[], z: number[]): number {
  const nats =
    0.5 *
    (logDet(subMatrix(cov, [...x, ...z])) +
      logDet(subMatrix(cov, [...y, ...z])) -
      logDet(subMatrix(cov, z)) -
      logDet(subMatrix(cov, [...x, ...y, ...z])));
  return nats / Math.LN2;
}

function cholesky(cov: number[][]): number[][] {
  const d = cov.length;
  const l = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  for (let a = 0; a < d; a++) {
    for (let b = 0; b <= a; b++) {
      let s = cov[a][b];
      for (let c = 0; c < b; c++) s -= l[a][c] * l[b][c];
      l[a][b] = a === b ? Math.sqrt(s) : s / l[b][b];
    }
  }
  return l;
}
