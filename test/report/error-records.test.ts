/** The count of error records (failed generations) in every renderer: shown only when non-zero. */
import { describe, expect, it } from "vitest";
import { renderHtml, renderMarkdown, renderTerminal } from "../../src/report/index.js";
import { fixtureDocument } from "./fixture.js";

const withErrors = () => {
  const doc = fixtureDocument();
  doc.inputs.error_records = 12;
  return doc;
};

describe("error records in the reports", () => {
  it.each([
    ["terminal", renderTerminal],
    ["markdown", renderMarkdown],
    ["html", renderHtml],
  ] as const)("%s shows the count when non-zero and nothing when zero", (_, render) => {
    expect(render(withErrors())).toContain("12 error records (failed generations) left out");
    expect(render(fixtureDocument())).not.toContain("error record");
  });

  it("uses the singular for one", () => {
    const doc = withErrors();
    doc.inputs.error_records = 1;
    expect(renderTerminal(doc)).toContain(", 1 error record (failed generations) left out");
  });
});
