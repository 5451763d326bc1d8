import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { OpenloopError } from "../../src/errors.js";
import { CsvParser } from "../../src/records/csv.js";

function parseAll(chunks: string[]): { fields: string[]; line: number }[] {
  const parser = new CsvParser({ file: "t.csv" });
  const out = chunks.flatMap((chunk) => parser.push(chunk));
  return [...out, ...parser.end()];
}

function fieldsOf(text: string): string[][] {
  return parseAll([text]).map((r) => r.fields);
}

/** Serialises records after RFC 4180, quoting every field that needs it. */
function toCsv(records: string[][], eol: string): string {
  const quote = (f: string) => (/[",\r\n]/.test(f) || f === "" ? `"${f.replaceAll('"', '""')}"` : f);
  return records.map((r) => r.map(quote).join(",")).join(eol) + eol;
}

describe("CsvParser", () => {
  it.each([
    [
      "plain",
      "a,b\n1,2\n",
      [
        ["a", "b"],
        ["1", "2"],
      ],
    ],
    [
      "CRLF",
      "a,b\r\n1,2\r\n",
      [
        ["a", "b"],
        ["1", "2"],
      ],
    ],
    [
      "lone CR",
      "a,b\r1,2",
      [
        ["a", "b"],
        ["1", "2"],
      ],
    ],
    ["no final newline", "a\n1", [["a"], ["1"]]],
    ["quoted delimiter", 'x,"a,b"\n', [["x", "a,b"]]],
    ["escaped quotes", '"say ""hi"""\n', [['say "hi"']]],
    ["embedded LF and CRLF", '"l1\nl2\r\nl3",z\n', [["l1\nl2\r\nl3", "z"]]],
    ["empty fields", ",,\n", [["", "", ""]]],
    ["empty quoted field", '""\n', [[""]]],
    ["blank lines skipped", "a\n\n\r\nb\n", [["a"], ["b"]]],
    ["byte-order mark", "\ufeffa,b\n", [["a", "b"]]],
    ["quote inside unquoted field kept", 'ab"c,d\n', [['ab"c', "d"]]],
    ["unicode", "é,日本\n", [["é", "日本"]]],
  ])("parses %s", (_name, text, expected) => {
    expect(fieldsOf(text)).toEqual(expected);
  });

  it("reports the line each record starts on, counting line breaks inside quotes", () => {
    const records = parseAll(['h\n"a\nb"\nc\r\n\nd\n']);
    expect(records.map((r) => [r.fields[0], r.line])).toEqual([
      ["h", 1],
      ["a\nb", 2],
      ["c", 4],
      ["d", 6],
    ]);
  });

  it("gives the same records whatever the chunk boundaries (CRLF and quotes split across chunks)", () => {
    const text = 'a,"b""c"\r\n"x\r\ny",z\r\n';
    const whole = parseAll([text]);
    for (let cut = 0; cut <= text.length; cut++) {
      expect(parseAll([text.slice(0, cut), text.slice(cut)])).toEqual(whole);
    }
    expect(parseAll([...text])).toEqual(whole);
  });

  it("round-trips any records through RFC 4180 serialisation and arbitrary chunking", () => {
    const field = fc.string({
      unit: fc.constantFrom("a", "b", ",", '"', "\n", "\r", " ", "é"),
      maxLength: 6,
    });
    const records = fc
      .integer({ min: 1, max: 4 })
      .chain((width) =>
        fc.array(fc.array(field, { minLength: width, maxLength: width }), { minLength: 1, maxLength: 6 }),
      );
    fc.assert(
      fc.property(
        records,
        fc.constantFrom("\n", "\r\n"),
        fc.array(fc.nat(), { maxLength: 5 }),
        (rows, eol, cuts) => {
          const text = toCsv(rows, eol);
          const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
          const chunks: string[] = [];
          let last = 0;
          for (const p of points) {
            chunks.push(text.slice(last, p));
            last = p;
          }
          chunks.push(text.slice(last));
          expect(parseAll(chunks).map((r) => r.fields)).toEqual(rows);
        },
      ),
    );
  });

  it.each([
    ["an unterminated quote", 'a\n"open,\nmore\n', 2, "never closed"],
    ["text after a closing quote", 'a\n"x"y\n', 2, "after a closing quote"],
  ])("rejects %s with the file and line", (_name, text, line, message) => {
    try {
      parseAll([text]);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(OpenloopError);
      const e = error as OpenloopError;
      expect(e.code).toBe("input");
      expect(e.where).toEqual({ file: "t.csv", line });
      expect(e.message).toContain(message);
    }
  });
});
