"""JupyterLab from .venv: REST API, the genelab kernel, one cell, clean shutdown."""
from __future__ import annotations

import json
import uuid

import pytest
import websocket  # websocket-client, installed with jupyter_server

from lab_server import running_lab


def _run_cell(lab, kernel_id: str, code: str, timeout: float = 60) -> str:
    ws = websocket.create_connection(
        f"ws://127.0.0.1:{lab.port}/api/kernels/{kernel_id}/channels?token={lab.token}", timeout=timeout
    )
    try:
        msg_id = uuid.uuid4().hex
        ws.send(json.dumps({
            "header": {"msg_id": msg_id, "username": "test", "session": uuid.uuid4().hex,
                       "msg_type": "execute_request", "version": "5.3"},
            "parent_header": {}, "metadata": {}, "channel": "shell",
            "content": {"code": code, "silent": False, "store_history": False,
                        "user_expressions": {}, "allow_stdin": False},
        }))
        out = []
        while True:
            msg = json.loads(ws.recv())
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = msg["msg_type"]
            if kind == "stream":
                out.append(msg["content"]["text"])
            elif kind == "execute_result":
                out.append(msg["content"]["data"]["text/plain"])
            elif kind == "error":
                raise AssertionError("cell failed: " + "\n".join(msg["content"]["traceback"]))
            elif kind == "status" and msg["content"]["execution_state"] == "idle":
                return "".join(out)
    finally:
        ws.close()


def test_jupyterlab_lists_notebooks_runs_genelab_kernel_and_shuts_down(tmp_path):
    with running_lab(tmp_path) as lab:
        listing = lab.api("/api/contents/notebooks/tutorials")
        names = {item["name"] for item in listing["content"]}
        assert any(n.endswith(".ipynb") for n in names), names
        specs = lab.api("/api/kernelspecs")["kernelspecs"]
        assert "genelab" in specs, sorted(specs)
        assert specs["genelab"]["spec"]["display_name"] == "genelab (Python 3)"
        kernel = lab.api("/api/kernels", method="POST", body={"name": "genelab"})
        out = _run_cell(lab, kernel["id"], "import genelab\nprint(len(genelab.open_workspace(genelab.demo_path()).sources))")
        assert out.strip() == "65"
        lab.api(f"/api/kernels/{kernel['id']}", method="DELETE")
        proc = lab.proc
    assert proc.returncode == 0
