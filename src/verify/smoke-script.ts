/**
 * The python side of the import smoke test, embedded as text so the single-file bundle needs
 * nothing beside it; it runs with `python -I -B -c`.
 *
 * Protocol: module names arrive one per line on stdin; the script answers on stdout with one JSON
 * line first (`{"hello": {...}}`), then one JSON line per module, flushed at once, so a crash
 * leaves every answer before it. The script keeps private duplicates of stdin and stdout and points
 * fds 0 and 1 at /dev/null and stderr, because imported code may read stdin or print (from python
 * or from C), which would otherwise eat requests or corrupt the answers.
 */

/** Python source of the worker that imports modules one by one and reports each as a JSON line. */
export const smokeScript = String.raw`
import faulthandler, importlib, json, os, sys, time, traceback

# A segfault in an extension prints the python stack to stderr, which becomes the crash's output.
faulthandler.enable()
requests = os.fdopen(os.dup(0), "r", encoding="utf-8")
answers = os.fdopen(os.dup(1), "w", encoding="utf-8")
null = os.open(os.devnull, os.O_RDONLY)
os.dup2(null, 0)
os.dup2(2, 1)
sys.stdout = sys.stderr

def send(value):
    answers.write(json.dumps(value) + "\n")
    answers.flush()

def own_frames(tb):
    # Drop the leading frames of this script and of importlib: they are the same in every answer.
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name != "<string>" and name != importlib.__file__ and not name.startswith("<frozen importlib"):
            break
        tb = tb.tb_next
    return tb

def one_line(error):
    if isinstance(error, SyntaxError):
        return traceback.format_exception_only(type(error), error)[-1].strip()
    text = "".join(traceback.format_exception_only(type(error), error))
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        return type(error).__name__
    # numpy's "ImportError: \n\nIMPORTANT: ..." puts its message on the lines after the type.
    return lines[0] + " " + lines[1] if lines[0].endswith(":") and len(lines) > 1 else lines[0]

def summary(error):
    # The first exception of a chain usually names what is missing (numpy wraps the loader's
    # "cannot open shared object file" in advice), so the one-line error carries it too.
    root, seen = error, set()
    while id(root) not in seen:
        seen.add(id(root))
        earlier = root.__cause__ or (None if root.__suppress_context__ else root.__context__)
        if earlier is None:
            break
        root = earlier
    line = one_line(error)
    return line if root is error else line + "; root cause: " + one_line(root)

send({"hello": {"version": "%d.%d.%d" % sys.version_info[:3], "prefix": sys.prefix, "executable": sys.executable}})
for line in requests:
    name = line.strip()
    if not name:
        continue
    started = time.perf_counter()
    try:
        importlib.import_module(name)
    except BaseException as error:  # SystemExit and KeyboardInterrupt raised by an import are failures too
        send({
            "module": name,
            "ok": False,
            "error": summary(error),
            "traceback": "".join(traceback.format_exception(type(error), error, own_frames(error.__traceback__))),
            "durationMs": round((time.perf_counter() - started) * 1000, 1),
        })
    else:
        send({"module": name, "ok": True, "durationMs": round((time.perf_counter() - started) * 1000, 1)})

# Skip interpreter finalisation: it costs time after heavy imports and can hang on threads an
# import started; every answer is already flushed.
answers.flush()
os._exit(0)
`;
