/**
 * The test harnesses that run inside the sandbox. Each reads the sentinel from stdin before any
 * untrusted code runs, runs the solution then the tests in one namespace, and prints the
 * sentinel only after the tests finished, then exits at once. An early `sys.exit(0)` /
 * `process.exit(0)` therefore never passes.
 */

/**
 * Python harness: first sets the resource limits given in argv (failing closed), then runs
 * solution.py and tests.py in one namespace; unittest.TestCase classes run too.
 */
export const PYTHON_HARNESS = `import os, sys
def _openloop_limits():
    # argv: CPU seconds, address space, file size, processes, open files (soft = hard)
    try:
        import resource
        cpu, space, fsize, nproc, nofile = (int(v) for v in sys.argv[1:6])
        for kind, soft, hard in (
            (resource.RLIMIT_CPU, cpu, cpu + 1),
            (resource.RLIMIT_AS, space, space),
            (resource.RLIMIT_FSIZE, fsize, fsize),
            (resource.RLIMIT_NPROC, nproc, nproc),
            (resource.RLIMIT_NOFILE, nofile, nofile),
            (resource.RLIMIT_CORE, 0, 0),
        ):
            resource.setrlimit(kind, (soft, hard))
    except BaseException as e:
        os.write(2, ("openloop: cannot set resource limits: %r\\n" % (e,)).encode())
        os._exit(4)
_openloop_limits()
def _openloop_main(write=os.write, exit=os._exit, out=sys.__stdout__, err=sys.__stderr__):
    # the sentinel is the first line of stdin; then stdin becomes /dev/null (fd 0 stays open)
    data = b""
    while not data.endswith(b"\\n") and len(data) < 256:
        chunk = os.read(0, 256 - len(data))
        if not chunk:
            break
        data += chunk
    sentinel = data.strip()
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    sys.path.insert(0, os.getcwd())
    def flush():
        for stream in (sys.stdout, sys.stderr, out, err):
            try:
                stream.flush()
            except BaseException:
                pass
    def fail(message, code=1):
        flush()
        try:
            write(2, ("openloop: " + message + "\\n").encode())
        except BaseException:
            pass
        exit(code)
    # one real module: pickling by reference (multiprocessing) and "from solution import f" work
    import types
    module = types.ModuleType("solution")
    module.__file__ = os.path.join(os.getcwd(), "solution.py")
    sys.modules["solution"] = module
    ns = module.__dict__
    phase = "solution"
    try:
        with open("solution.py", encoding="utf-8") as f:
            solution = f.read()
        with open("tests.py", encoding="utf-8") as f:
            tests = f.read()
        exec(compile(solution, "solution.py", "exec"), ns)
        phase = "tests"
        exec(compile(tests, "tests.py", "exec"), ns)
        # TestCase classes exist only if the tests imported unittest: no import cost otherwise
        unittest = sys.modules.get("unittest")
        cases = [] if unittest is None else [v for v in list(ns.values()) if isinstance(v, type) and issubclass(v, unittest.TestCase) and v.__module__ == "solution"]
        if cases:
            loader = unittest.defaultTestLoader
            suite = unittest.TestSuite([loader.loadTestsFromTestCase(c) for c in cases])
            result = unittest.TextTestRunner(stream=sys.stderr, verbosity=1).run(suite)
            if not result.wasSuccessful():
                fail("unittest: %d failures, %d errors" % (len(result.failures), len(result.errors)))
    except SystemExit as e:
        fail("the program exited (SystemExit %r) during the %s, before the tests finished" % (e.code, phase))
    except MemoryError:
        fail("MemoryError during the %s" % phase, 3)
    except RecursionError:
        fail("RecursionError during the %s" % phase)
    except BaseException as e:
        try:
            import traceback
            traceback.print_exc()
        except BaseException:
            pass
        fail("%s during the %s: %s" % (type(e).__name__, phase, str(e)[:200]))
    flush()
    write(1, b"\\n" + sentinel + b"\\n")
    exit(0)
_openloop_main()
`;

/** JavaScript harness (CommonJS): solution.js and tests.js as one async function body. */
export const JAVASCRIPT_HARNESS = `"use strict";
const fs = require("node:fs");
const { createRequire } = require("node:module");
const write = fs.writeSync;
const exit = process.exit.bind(process);
const sentinel = fs.readFileSync(0, "utf8").trim();
const fail = (message) => {
  try { write(2, "openloop: " + message + "\\n"); } catch {}
  exit(1);
};
const AsyncFunction = (async () => {}).constructor;
const solution = fs.readFileSync("solution.js", "utf8");
const tests = fs.readFileSync("tests.js", "utf8");
let body;
try {
  body = new AsyncFunction("require", "module", "exports", "__filename", "__dirname", solution + "\\n;\\n" + tests);
} catch (error) {
  fail("cannot compile the solution and tests: " + String(error));
}
const module_ = { exports: {} };
const filename = process.cwd() + "/solution.js";
body(createRequire(filename), module_, module_.exports, filename, process.cwd()).then(
  () => {
    write(1, "\\n" + sentinel + "\\n");
    exit(0);
  },
  (error) => {
    try { write(2, (error && error.stack ? error.stack : String(error)) + "\\n"); } catch {}
    fail("exception during the tests: " + String(error && error.message !== undefined ? error.message : error).slice(0, 200));
  },
);
`;
