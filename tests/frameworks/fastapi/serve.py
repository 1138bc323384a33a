"""What the frameworks suite's FastAPI apps share: write the spec, listen, say the port.

`serve(app)` writes the app's OpenAPI document to the path in argv[1], binds 127.0.0.1 on
an ephemeral port, prints `listening PORT` once it accepts, and serves until killed.
"""

import json
import socket
import sys

import uvicorn


def serve(app) -> None:
    with open(sys.argv[1], "w", encoding="utf-8") as out:
        json.dump(app.openapi(), out, indent=1)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    print(f"listening {sock.getsockname()[1]}", flush=True)
    config = uvicorn.Config(app, fd=sock.fileno(), log_level="warning", access_log=False)
    uvicorn.Server(config).run()
