"""SymPy-based math-answer checker in the style of Math-Verify (LaTeX -> SymPy, simplify(a-b)==0).

Baseline for bench/verify-math.mjs. Reads a JSONL file of {gold, pred}; extracts the final answer
the same way (last \\boxed{}, else text after "answer:", else the whole text), rewrites common LaTeX
into SymPy syntax, and compares with sympy.simplify. Prints one JSON document: n, cpu_seconds,
equivalent (list of booleans), errors. Run: /usr/bin/python3 bench/verify-math.py pairs.jsonl
"""
import json
import re
import sys
import time

from sympy import FiniteSet, Interval, simplify
from sympy.parsing.sympy_parser import (
    convert_xor,
    implicit_multiplication_application,
    parse_expr,
    standard_transformations,
)

TRANSFORMS = standard_transformations + (implicit_multiplication_application, convert_xor)


def last_boxed(text):
    at = text.rfind("\\boxed")
    if at < 0:
        return None
    i = text.find("{", at)
    depth = 0
    for j in range(i, len(text)):
        if text[j] == "{":
            depth += 1
        elif text[j] == "}":
            depth -= 1
            if depth == 0:
                return text[i + 1 : j]
    return None


def extract(text):
    boxed = last_boxed(text)
    if boxed is not None:
        return boxed
    m = None
    for m in re.finditer(r"answer\s*(?:is\s*:?|:)\s*", text, re.I):
        pass
    if m is not None:
        rest = text[m.end() :].split("\n")[0]
        return re.split(r"\.\s", rest)[0].strip().rstrip(".")
    return text.strip()


def latex_to_sympy(s):
    s = s.strip().strip("$")
    s = s.replace("\\dfrac", "\\frac").replace("\\tfrac", "\\frac").replace("\\%", "/100")
    s = s.replace("\\left", "").replace("\\right", "").replace("\\pi", "pi").replace("\\infty", "oo")
    s = s.replace("\\cdot", "*").replace("\\times", "*")
    for _ in range(8):
        s = re.sub(r"\\frac\{([^{}]*)\}\{([^{}]*)\}", r"((\1)/(\2))", s)
        s = re.sub(r"\\sqrt\{([^{}]*)\}", r"sqrt(\1)", s)
    return s.replace("{", "(").replace("}", ")")


def to_sympy(answer):
    s = latex_to_sympy(answer)
    if re.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d+)?", s):
        return parse_expr(s.replace(",", ""))
    if s.startswith("\\") and "," in s:
        items = [to_sympy(x) for x in s.strip("\\()").split(",")]
        return FiniteSet(*items)
    if len(s) > 2 and s[0] in "([" and s[-1] in ")]" and "," in s:
        a, b = [parse_expr(x, transformations=TRANSFORMS) for x in s[1:-1].split(",", 1)]
        return Interval(a, b, left_open=s[0] == "(", right_open=s[-1] == ")")
    return parse_expr(s, transformations=TRANSFORMS)


def equivalent(gold, pred):
    a = to_sympy(extract(gold))
    b = to_sympy(extract(pred))
    if a == b:
        return True
    try:
        return simplify(a - b) == 0
    except TypeError:
        return False


def main():
    pairs = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
    verdicts = []
    errors = 0
    start = time.process_time()
    for p in pairs:
        try:
            verdicts.append(bool(equivalent(p["gold"], p["pred"])))
        except Exception:
            errors += 1
            verdicts.append(False)
    cpu = time.process_time() - start
    print(json.dumps({"n": len(pairs), "cpu_seconds": cpu, "equivalent": verdicts, "errors": errors}))


main()
