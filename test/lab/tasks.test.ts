import { describe, expect, it } from "vitest";
import { createRng } from "../../src/info/rng.js";
import { FORMS, MAX_FORMS, numberWords, padCount, parseAnswer, render, roman } from "../../src/lab/forms.js";
import { splitPrompts, TASK_NAMES, taskFamily, verify } from "../../src/lab/tasks.js";

describe("surface forms", () => {
  it.each([
    [
      12,
      [
        "12",
        "12.0",
        "twelve",
        "= 12",
        "answer: 12",
        "(12)",
        "+12",
        "XII",
        "0xc",
        "12/1",
        "12e0",
        "12.00",
        "#12",
        "[12]",
        "TWELVE",
        "0b1100",
      ],
    ],
    [
      0,
      [
        "0",
        "0.0",
        "zero",
        "= 0",
        "answer: 0",
        "(0)",
        "+0",
        "N",
        "0x0",
        "0/1",
        "0e0",
        "0.00",
        "#0",
        "[0]",
        "ZERO",
        "0b0",
      ],
    ],
    [
      29,
      [
        "29",
        "29.0",
        "twenty-nine",
        "= 29",
        "answer: 29",
        "(29)",
        "+29",
        "XXIX",
        "0x1d",
        "29/1",
        "29e0",
        "29.00",
        "#29",
        "[29]",
        "TWENTY-NINE",
        "0b11101",
      ],
    ],
  ])("renders %i in the sixteen forms, and parses each back", (value, expected) => {
    expect(FORMS.map((f) => f(value))).toEqual(expected);
    for (const text of expected) expect(parseAnswer(text)).toBe(value);
  });

  it.each([
    ["XIV", 14],
    ["XL", 40],
    ["fifty", 50],
    ["ninety-nine", 99],
  ])("parses %s as %i", (text, value) => {
    expect(parseAnswer(text)).toBe(value);
  });

  it("padding changes the length, not the answer", () => {
    expect(render(7, 2, 3)).toBe("seven _ _ _");
    expect(padCount("seven _ _ _")).toBe(3);
    expect(parseAnswer("seven _ _ _")).toBe(7);
    expect(padCount("7")).toBe(0);
  });

  it.each([["twelv"], ["Twelve"], ["12.5"], ["= twelve"], ["0xg"], [""], ["_"], ["12 _x"]])(
    "rejects the malformed %j",
    (text) => {
      expect(parseAnswer(text)).toBeNull();
    },
  );

  it("words and numerals are consistent for 0..99", () => {
    for (let v = 0; v < 100; v++) {
      expect(parseAnswer(numberWords(v))).toBe(v);
      expect(parseAnswer(roman(v))).toBe(v);
    }
  });
});

describe.each(TASK_NAMES)("task %s", (name) => {
  const task = taskFamily(name);

  it("has gold answers covering its classes and features of the declared size", () => {
    const golds = new Set(task.prompts.map((p) => p.gold));
    expect(golds.size).toBe(task.classes);
    expect(Math.min(...golds)).toBe(0);
    expect(Math.max(...golds)).toBe(task.classes - 1);
    for (const p of task.prompts) expect(p.features.length).toBe(task.featureDim);
    expect(new Set(task.prompts.map((p) => p.id)).size).toBe(task.prompts.length);
  });

  it("its verifier accepts every acceptable form at every length and rejects wrong answers", () => {
    for (const p of task.prompts.slice(0, 60)) {
      for (let form = 0; form < MAX_FORMS; form++) {
        for (const pad of [0, 1, 3]) {
          expect(verify(render(p.gold, form, pad), p.gold)).toBe(true);
          expect(verify(render(p.gold + 1, form, pad), p.gold)).toBe(false);
          if (p.gold > 0) expect(verify(render(p.gold - 1, form, pad), p.gold)).toBe(false);
        }
      }
      expect(verify(`${p.gold} apples`, p.gold)).toBe(false);
    }
  });

  it("splits prompts into disjoint training and held-out sets, the same for the same seed", () => {
    const a = splitPrompts(task, 100, createRng(3));
    const b = splitPrompts(task, 100, createRng(3));
    expect(a.heldOut.map((p) => p.id)).toEqual(b.heldOut.map((p) => p.id));
    const train = new Set(a.train.map((p) => p.id));
    expect(a.heldOut.some((p) => train.has(p.id))).toBe(false);
    expect(a.train.length + a.heldOut.length).toBe(task.prompts.length);
  });
});

it("task golds are the stated functions of the prompt", () => {
  expect(taskFamily("count").prompts[0b1011].gold).toBe(3);
  expect(taskFamily("add").prompts.find((p) => p.id === "add-7-9")!.gold).toBe(16);
  expect(taskFamily("max").prompts.find((p) => p.id === "max-381")!.gold).toBe(8);
  expect(taskFamily("weighted").prompts[0b1111111111].gold).toBe(15);
});
