/**
 * The HTML report in headless Chromium (Debian's /usr/bin/chromium driven by playwright-core):
 * it loads with no console errors and no network requests, every chart renders with its marks,
 * and the page and its screenshots are saved to test-artifacts/ (report.html, report.png,
 * report-dark.png, report-narrow.png, report-cli.png). Covers a constructed document and a report written by `openloop analyze --out`.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderHtml } from "../../src/report/index.js";
import { CLI, runOpenloop } from "../helpers/cli.js";
import { fixtureDocument } from "./fixture.js";

const CHROMIUM = "/usr/bin/chromium";
const ARTIFACTS = fileURLToPath(new URL("../../test-artifacts/", import.meta.url));

interface ChartInfo {
  id: string;
  width: number;
  height: number;
  marks: number;
  bands: number;
  errorbars: number;
  label: string | null;
}

/** Opens `file`, recording every request and every console error or warning. */
async function open(
  browser: Browser,
  file: string,
  options: { width: number; height: number; scheme: "light" | "dark" },
) {
  const page = await browser.newPage({
    viewport: { width: options.width, height: options.height },
    colorScheme: options.scheme,
  });
  const requests: string[] = [];
  const problems: string[] = [];
  page.on("request", (request) => requests.push(request.url()));
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning") problems.push(message.text());
  });
  page.on("pageerror", (error) => problems.push(error.message));
  const url = pathToFileURL(file).href;
  await page.goto(url, { waitUntil: "load" });
  return { page, problems, foreign: () => requests.filter((r) => r !== url && !r.startsWith("data:")) };
}

/** Every chart's id, rendered size and count of marks. */
function charts(page: Page): Promise<ChartInfo[]> {
  return page.$$eval("svg.ol-chart", (svgs) =>
    svgs.map((svg) => {
      const box = svg.getBoundingClientRect();
      return {
        id: svg.id,
        width: box.width,
        height: box.height,
        marks: svg.querySelectorAll(".ol-mark").length,
        bands: svg.querySelectorAll(".ol-band").length,
        errorbars: svg.querySelectorAll(".ol-errorbar").length,
        label: svg.getAttribute("aria-labelledby"),
      };
    }),
  );
}

/** Marks that are painted with an empty box. */
function emptyMarks(page: Page): Promise<number> {
  return page.$$eval(
    ".ol-mark",
    (marks) =>
      marks.filter((m) => {
        const b = m.getBoundingClientRect();
        return b.width <= 0 && b.height <= 0;
      }).length,
  );
}

function expectVisible(list: ChartInfo[]): void {
  for (const chart of list) {
    expect(chart.width).toBeGreaterThan(200);
    expect(chart.height).toBeGreaterThan(100);
    expect(chart.label).toBe(`${chart.id}-title ${chart.id}-desc`);
    expect(chart.marks).toBeGreaterThan(0);
  }
}

describe.skipIf(!existsSync(CHROMIUM))("HTML report in headless Chromium", () => {
  let browser: Browser;
  const work = mkdtempSync(join(tmpdir(), "openloop-browser-"));

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it.each([
    ["light", 1366, 900, "report.png"],
    ["dark", 1366, 900, "report-dark.png"],
    ["light", 390, 844, "report-narrow.png"],
  ] as const)(
    "a constructed document loads cleanly and renders every chart (%s, %i px wide)",
    async (scheme, width, height, shot) => {
      const file = join(ARTIFACTS, "report.html");
      writeFileSync(file, renderHtml(fixtureDocument()));
      const { page, problems, foreign } = await open(browser, file, { width, height, scheme });
      expect(problems).toEqual([]);
      expect(foreign()).toEqual([]);
      expect(await page.title()).toBe("openloop analysis");

      const list = await charts(page);
      // Pass rates, bits per iteration and hacking channels of the verifier, then three diversity charts.
      expect(list.map((c) => c.id)).toEqual([
        "ol-s0-pass-rate",
        "ol-s0-bits",
        "ol-s0-channels",
        "ol-diversity-entropy",
        "ol-diversity-duplicates",
        "ol-diversity-classes",
      ]);
      expectVisible(list);
      const byId = Object.fromEntries(list.map((c) => [c.id, c]));
      expect(byId["ol-s0-pass-rate"].marks).toBe(12); // 10 bins + the point masses at 0 and 1
      expect(byId["ol-s0-bits"].marks).toBe(16); // 4 series x 4 iterations
      expect(byId["ol-s0-bits"].bands).toBe(4);
      expect(byId["ol-s0-channels"].marks).toBe(4); // 2 features x 2 series
      expect(byId["ol-s0-channels"].errorbars).toBe(4);
      expect(byId["ol-diversity-duplicates"].marks).toBe(8);
      expect(await emptyMarks(page)).toBe(0);

      // Findings come first, most severe first, and the hostile feature name is shown as text.
      expect(await page.$eval("main section", (s) => s.id)).toBe("findings");
      const badges = await page.$$eval(".ol-finding .ol-badge", (b) => b.map((x) => x.textContent));
      expect(badges).toEqual(["critical", "critical", "warning"]);
      expect(await page.$$("script")).toHaveLength(0);
      const cells = await page.$$eval("td", (tds) =>
        tds.map((t) => t.textContent).filter((t) => t?.includes("<script>")),
      );
      expect(cells).toEqual(["<script>alert(1)</script>"]);

      // Nothing overflows the viewport horizontally (wide tables scroll inside their wrapper).
      expect(
        await page.evaluate<number>("document.documentElement.scrollWidth - window.innerWidth"),
      ).toBeLessThanOrEqual(0);

      await page.screenshot({ path: `${ARTIFACTS}${shot}`, fullPage: true });
      await page.close();
    },
  );

  it("very long names and paths wrap instead of widening the page", async () => {
    const doc = fixtureDocument();
    const long = "x".repeat(200);
    doc.signals[0].name = `signal_${long}`;
    doc.signals[0].hacking_channels[0].feature = `feature_${long}`;
    doc.findings[0].advice = `openloop decorrelate /${"dir/".repeat(60)}file.jsonl`;
    doc.inputs.files[0].path = `/${"segment".repeat(40)}.jsonl`;
    const file = join(work, "long.html");
    writeFileSync(file, renderHtml(doc));
    for (const width of [1366, 390]) {
      const { page, problems } = await open(browser, file, { width, height: 900, scheme: "light" });
      expect(problems).toEqual([]);
      expect(
        await page.evaluate<number>("document.documentElement.scrollWidth - window.innerWidth"),
      ).toBeLessThanOrEqual(0);
      await page.close();
    }
  });

  it.skipIf(!existsSync(CLI))(
    "a report written by `openloop analyze --out` loads cleanly with all its charts",
    async () => {
      // 2 iterations x 12 prompts x 6 samples: a verifier that passes class "A", a judge that also rewards length.
      const rows: string[] = [];
      for (let iteration = 0; iteration < 2; iteration++) {
        for (let q = 0; q < 12; q++) {
          for (let k = 0; k < 6; k++) {
            const right = k < q % 7;
            const long = (k + q + iteration) % 2 === 0;
            const cls = right ? "A" : `B${(k + iteration) % 3}`;
            rows.push(
              JSON.stringify({
                iteration,
                prompt_id: `q${q}`,
                response: `answer ${cls}${long ? " with a long explanation".repeat(4) : ""}`,
                class: cls,
                gold: right,
                signals: { verifier: right, judge: (right ? 6 : 2) + (long ? 3 : 0) },
              }),
            );
          }
        }
      }
      const records = join(work, "rollouts.jsonl");
      writeFileSync(records, `${rows.join("\n")}\n`);
      const out = join(work, "out");
      const result = runOpenloop([
        "analyze",
        records,
        "--out",
        out,
        "--bootstrap",
        "50",
        "--permutations",
        "99",
      ]);
      expect(result.stderr).toContain("report.html");
      expect(result.code).toBe(0);

      const { page, problems, foreign } = await open(browser, join(out, "report.html"), {
        width: 1366,
        height: 900,
        scheme: "light",
      });
      expect(problems).toEqual([]);
      expect(foreign()).toEqual([]);
      const list = await charts(page);
      const ids = list.map((c) => c.id);
      for (const id of [
        "ol-s0-pass-rate",
        "ol-s0-bits",
        "ol-s0-channels",
        "ol-diversity-entropy",
        "ol-diversity-duplicates",
      ]) {
        expect(ids).toContain(id);
      }
      expectVisible(list);
      expect(await emptyMarks(page)).toBe(0);
      await page.screenshot({ path: `${ARTIFACTS}report-cli.png`, fullPage: true });
      await page.close();
    },
  );
});
