/**
 * The HTML report in headless Chromium (Debian's /usr/bin/chromium driven by playwright-core):
 * it loads with no console errors and no network requests, every chart renders with its marks,
 * and a screenshot is saved to test-artifacts/report.png.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderHtml } from "../../src/report/index.js";
import { fixtureDocument } from "./fixture.js";

const CHROMIUM = "/usr/bin/chromium";
const ARTIFACTS = fileURLToPath(new URL("../../test-artifacts/", import.meta.url));

describe.skipIf(!existsSync(CHROMIUM))("HTML report in headless Chromium", () => {
  let browser: Browser;
  const file = `${ARTIFACTS}report.html`;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(file, renderHtml(fixtureDocument()));
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
  });

  it.each([
    ["light", 1366, 900, "report.png"],
    ["dark", 1366, 900, "report-dark.png"],
    ["light", 390, 844, "report-narrow.png"],
  ] as const)(
    "loads cleanly and renders every chart (%s, %i px wide)",
    async (scheme, width, height, shot) => {
      const page = await browser.newPage({ viewport: { width, height }, colorScheme: scheme });
      const requests: string[] = [];
      const problems: string[] = [];
      page.on("request", (request) => requests.push(request.url()));
      page.on("console", (message) => {
        if (message.type() === "error" || message.type() === "warning") problems.push(message.text());
      });
      page.on("pageerror", (error) => problems.push(error.message));
      const url = pathToFileURL(file).href;
      await page.goto(url, { waitUntil: "load" });

      expect(problems).toEqual([]);
      expect(requests.filter((r) => r !== url && !r.startsWith("data:"))).toEqual([]);
      expect(await page.title()).toBe("openloop analysis");

      const charts = await page.$$eval("svg.ol-chart", (svgs) =>
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
      // Pass rates, bits per iteration and hacking channels of the verifier, then three diversity charts.
      expect(charts.map((c) => c.id)).toEqual([
        "ol-s0-pass-rate",
        "ol-s0-bits",
        "ol-s0-channels",
        "ol-diversity-entropy",
        "ol-diversity-duplicates",
        "ol-diversity-classes",
      ]);
      for (const chart of charts) {
        expect(chart.width).toBeGreaterThan(200);
        expect(chart.height).toBeGreaterThan(100);
        expect(chart.label).toBe(`${chart.id}-title ${chart.id}-desc`);
      }
      const byId = Object.fromEntries(charts.map((c) => [c.id, c]));
      expect(byId["ol-s0-pass-rate"].marks).toBe(12); // 10 bins + the point masses at 0 and 1
      expect(byId["ol-s0-bits"].marks).toBe(16); // 4 series x 4 iterations
      expect(byId["ol-s0-bits"].bands).toBe(4);
      expect(byId["ol-s0-channels"].marks).toBe(4); // 2 features x 2 series
      expect(byId["ol-s0-channels"].errorbars).toBe(4);
      expect(byId["ol-diversity-duplicates"].marks).toBe(8);

      // Each mark is painted inside its chart with a non-empty box.
      const empty = await page.$$eval(
        ".ol-mark",
        (marks) =>
          marks.filter((m) => {
            const b = m.getBoundingClientRect();
            return b.width <= 0 && b.height <= 0;
          }).length,
      );
      expect(empty).toBe(0);

      // Findings come first, most severe first, and the hostile feature name is shown as text.
      const firstSection = await page.$eval("main section", (s) => s.id);
      expect(firstSection).toBe("findings");
      const badges = await page.$$eval(".ol-finding .ol-badge", (b) => b.map((x) => x.textContent));
      expect(badges).toEqual(["critical", "critical", "warning"]);
      expect(await page.$$("main script")).toHaveLength(0);
      const cell = await page.$$eval("td", (tds) =>
        tds.map((t) => t.textContent).filter((t) => t?.includes("<script>")),
      );
      expect(cell).toEqual(["<script>alert(1)</script>"]);

      // Nothing overflows the viewport horizontally except inside scrollable table wrappers.
      const overflow = await page.evaluate<number>(
        "document.documentElement.scrollWidth - window.innerWidth",
      );
      expect(overflow).toBeLessThanOrEqual(0);

      await page.screenshot({ path: `${ARTIFACTS}${shot}`, fullPage: true });
      await page.close();
    },
  );
});
