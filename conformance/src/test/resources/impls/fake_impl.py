#!/usr/bin/env python3
"""A deliberately broken implementation of PROTOCOL.md, for the runner's tests.

It answers hello, begin and end correctly and declares no capability. Its only calls:
port_create returns a descriptor, every other call returns 0. MODE says how it misbehaves
at the first port_send it sees: exit, garbage (a line that is not JSON), hang, wrongid,
nostatus, badstatus, badret; or none. It also starts a background child (a marker process)
so that the test can check that the runner kills the whole process group.
"""
import json
import subprocess
import sys
import time

mode = sys.argv[1] if len(sys.argv) > 1 else "none"
marker = sys.argv[2] if len(sys.argv) > 2 else None
if marker:
    subprocess.Popen(["bash", "-c", "sleep 600; : " + marker], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                     stdin=subprocess.DEVNULL)
nextfd = 3


def reply(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


for line in sys.stdin:
    req = json.loads(line)
    rid, kind = req.get("id"), req.get("type")
    if kind == "hello":
        reply({"id": rid, "type": "hello", "protocol": 1, "name": "fake-" + mode, "profile": "illumos",
               "capabilities": [], "blocking": "reported"})
    elif kind in ("begin", "end"):
        reply({"id": rid, "ok": True})
    elif kind == "bye":
        reply({"id": rid, "ok": True})
        break
    elif kind == "call" and req.get("op") == "port_create":
        reply({"id": rid, "status": "returned", "ret": nextfd})
        nextfd += 1
    elif kind == "call" and req.get("op") == "port_send" and mode != "none":
        sys.stderr.write("fake: misbehaving (%s) at port_send\n" % mode)
        sys.stderr.flush()
        if mode == "exit":
            sys.exit(7)
        elif mode == "garbage":
            sys.stdout.write("this is not json\n")
            sys.stdout.flush()
        elif mode == "hang":
            time.sleep(600)
        elif mode == "wrongid":
            reply({"id": rid + 100, "status": "returned", "ret": 0})
        elif mode == "nostatus":
            reply({"id": rid, "ret": 0})
        elif mode == "badstatus":
            reply({"id": rid, "status": "fine"})
        elif mode == "badret":
            reply({"id": rid, "status": "returned", "ret": "zero"})
    elif kind == "call":
        reply({"id": rid, "status": "returned", "ret": 0})
    else:
        reply({"id": rid, "error": "unsupported: " + str(kind)})
