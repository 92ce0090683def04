// The Python side of the pytest batch (./pytestBatch.ts), written beside the plan in the worker's
// copy and run by the interpreter pytest runs on. pytest is imported once; each mutant is written
// into its file (a modification time a second past the last, so no .pyc is taken for it), a child
// forked in a process group of its own runs pytest.main on the proof tests with its output
// discarded, the group is killed once it ends or outlasts its limit, and the file is put back byte
// for byte. One line per verdict on stdout; exit 97: this interpreter cannot (no pytest, no fork).
export const PYTEST_BATCH_SCRIPT = String.raw`
import base64, json, os, signal, sys, time

def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        plan = json.load(f)
    if plan["module"]:
        sys.path[0] = os.getcwd()
    else:
        del sys.path[0]
    if not hasattr(os, "fork"):
        return 97
    try:
        import pytest
    except Exception:
        return 97
    last = [0]

    def write(path, data):
        before = os.stat(path).st_mtime
        with open(path, "wb") as f:
            f.write(data)
        last[0] = max(int(time.time()), last[0] + 1, int(before) + 1)
        os.utime(path, (last[0], last[0]))

    cap = time.monotonic() + plan["capSec"]
    for m in plan["mutants"]:
        with open(m["file"], "rb") as f:
            original = f.read()
        if original[m["start"]:m["end"]] != base64.b64decode(m["original"]):
            verdict = "error"
        else:
            write(m["file"], original[:m["start"]] + base64.b64decode(m["text"]) + original[m["end"]:])
            try:
                verdict = judge(pytest, plan["args"], plan["timeoutSec"], cap)
            finally:
                write(m["file"], original)
        if verdict == "cap":
            os.write(1, b"ORCH-CAP\n")
            return 0
        os.write(1, ("ORCH-MUTANT %s %s\n" % (m["id"], verdict)).encode())
    return 0

def die_with(parent):
    # Linux: killed with the batch, whatever kills it (its group is not this one).
    try:
        import ctypes
        ctypes.CDLL(None).prctl(1, signal.SIGKILL, 0, 0, 0)
    except Exception:
        pass
    if os.getppid() != parent:
        os._exit(3)

def judge(pytest, args, limit, cap):
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:
        code = 3
        try:
            os.setpgid(0, 0)
            die_with(parent)
            null = os.open(os.devnull, os.O_RDWR)
            for fd in (0, 1, 2):
                os.dup2(null, fd)
            code = int(pytest.main(list(args)))
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else 1
        except BaseException:
            code = 3
        finally:
            os._exit(code)
    try:
        os.setpgid(pid, pid)
    except OSError:
        pass
    own = None if limit is None else time.monotonic() + limit
    deadline = cap if own is None else min(own, cap)
    pause = 0.001
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() >= deadline:
            stop(pid)
            os.waitpid(pid, 0)
            return "timeout" if deadline == own else "cap"
        time.sleep(pause)
        pause = min(pause * 2, 0.02)
    stop(pid)
    if os.WIFEXITED(status):
        return "passed" if os.WEXITSTATUS(status) == 0 else "failed"
    return "error"

def stop(pid):
    try:
        os.killpg(pid, signal.SIGKILL)
    except OSError:
        pass

sys.exit(main())
`;
