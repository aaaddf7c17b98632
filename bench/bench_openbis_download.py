"""Time one big openBIS dataset download through the extension and through pybis, side by side.

Starts the openBIS sandbox and a Jupyter server with the extension (both as child
processes, on free loopback ports), then alternates the two ways of fetching the sandbox's
big dataset (120 MB, one file):

- pybis directly: `get_dataset(permId).download(...)` (pybis' fast download, 4 streams);
- the extension: `POST /reana-openbis-lab/openbis/downloads`, then `GET /jobs/<id>` until
  the job has finished (so the time includes the REST round trips, the dataset lookup,
  staging, checksum and rename).

Prints every run, the medians and the ratio extension/pybis (below 1 means faster).
Run: `.venv/bin/python bench/bench_openbis_download.py [--runs 3]`.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pybis
import requests

BIN = Path(sys.executable).parent
DATASET_NAME = "Full sequencing run"
STARTUP_TIMEOUT = 60.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, what: str) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except (OSError, ValueError, requests.RequestException):
            pass
        time.sleep(0.2)
    raise SystemExit(f"{what} did not start within {STARTUP_TIMEOUT:g} s")


def start_sandbox(workdir: Path) -> tuple[subprocess.Popen, dict]:
    state_file = workdir / "sandbox.json"
    process = subprocess.Popen(
        [
            str(BIN / "reana-openbis-lab-sandbox"),
            "--only",
            "openbis",
            "--state-file",
            str(state_file),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_for(lambda: state_file.exists() and json.loads(state_file.read_text()), "The sandbox")
    return process, json.loads(state_file.read_text())


def start_jupyter(
    workdir: Path, openbis_url: str, password: str
) -> tuple[subprocess.Popen, str, str]:
    root = workdir / "root"
    root.mkdir()
    port, token = free_port(), "bench-token"
    config = workdir / "bench_config.py"
    preset = {"name": "bench", "url": openbis_url, "username": "alice", "password": password}
    config.write_text(
        f"c.IdentityProvider.token = {token!r}\n"
        f"c.ServerApp.root_dir = {str(root)!r}\n"
        f"c.ServerApp.port = {port}\n"
        "c.ServerApp.open_browser = False\n"
        "c.ServerApp.allow_root = True\n"
        'c.ServerApp.jpserver_extensions = {"reana_openbis_lab": True}\n'
        f"c.ReanaOpenbisLab.data_dir = {str(workdir / 'data')!r}\n"
        f"c.ReanaOpenbisLab.openbis_connections = [{preset!r}]\n"
    )
    process = subprocess.Popen(
        [str(BIN / "jupyter"), "server", f"--config={config}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "JUPYTER_CONFIG_DIR": str(workdir / "config")},
    )
    base = f"http://127.0.0.1:{port}/reana-openbis-lab"
    wait_for(
        lambda: requests.get(f"{base}/info", headers=auth(token), timeout=5).ok, "Jupyter server"
    )
    return process, base, token


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"token {token}"}


def through_pybis(openbis: pybis.Openbis, perm_id: str, target: Path) -> float:
    started = time.perf_counter()
    openbis.get_dataset(perm_id).download(destination=str(target), create_default_folders=False)
    return time.perf_counter() - started


def through_extension(base: str, token: str, perm_id: str, destination: str) -> float:
    started = time.perf_counter()
    reply = requests.post(
        f"{base}/openbis/downloads",
        json={"connection": "bench", "permId": perm_id, "destination": destination},
        headers=auth(token),
        timeout=60,
    )
    reply.raise_for_status()
    job_id = reply.json()["id"]
    while True:
        job = requests.get(f"{base}/jobs/{job_id}", headers=auth(token), timeout=60).json()
        if job["state"] in ("done", "failed", "cancelled"):
            break
        time.sleep(0.02)
    elapsed = time.perf_counter() - started
    if job["state"] != "done":
        raise SystemExit(f"The extension's download {job['state']}: {job['error']}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="downloads per way (alternating)")
    runs = parser.parse_args().runs
    workdir = Path(tempfile.mkdtemp(prefix="bench-openbis-download-"))
    children: list[subprocess.Popen] = []
    try:
        sandbox, state = start_sandbox(workdir)
        children.append(sandbox)
        url, password = state["openbis"]["url"], state["openbis"]["users"]["alice"]
        jupyter, base, token = start_jupyter(workdir, url, password)
        children.append(jupyter)
        openbis = pybis.Openbis(
            url,
            verify_certificates=False,
            allow_http_but_do_not_use_this_in_production_and_only_within_safe_networks=True,
        )
        openbis.login("alice", password, save_token=False)
        frame = openbis.get_datasets(count=500, props=["$NAME"]).df
        perm_id = frame.loc[frame["$NAME"] == DATASET_NAME, "permId"].iloc[0]
        size = int(openbis.get_dataset(perm_id).get_dataset_files().df["fileLength"].max())
        print(f"dataset {perm_id}: {size / 1e6:.1f} MB in one file; {runs} runs each, alternating")
        times: dict[str, list[float]] = {"pybis": [], "extension": []}
        for run in range(runs):
            target = workdir / f"pybis-{run}"
            times["pybis"].append(through_pybis(openbis, perm_id, target))
            shutil.rmtree(target)
            destination = f"run-{run}"
            (workdir / "root" / destination).mkdir()
            times["extension"].append(through_extension(base, token, perm_id, destination))
            shutil.rmtree(workdir / "root" / destination)
            print(
                f"  run {run + 1}: pybis {times['pybis'][-1]:.2f} s, "
                f"extension {times['extension'][-1]:.2f} s"
            )
        pybis_median = statistics.median(times["pybis"])
        extension_median = statistics.median(times["extension"])
        print(f"median pybis     {pybis_median:.2f} s ({size / pybis_median / 1e6:.0f} MB/s)")
        print(
            f"median extension {extension_median:.2f} s ({size / extension_median / 1e6:.0f} MB/s)"
        )
        print(f"ratio extension/pybis {extension_median / pybis_median:.2f}")
        openbis.logout()
    finally:
        for child in reversed(children):
            child.send_signal(signal.SIGINT)
        for child in children:
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
