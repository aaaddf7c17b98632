"""The server extension: all configuration (traitlets) in one place, services, routes.

Every option is set as `c.ReanaOpenbisLab.<option>` in jupyter_server_config.py or on
the command line (`--ReanaOpenbisLab.<option>=...`).
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from jupyter_core.paths import jupyter_data_dir
from jupyter_server.extension.application import ExtensionApp
from jupyter_server.utils import url_path_join
from traitlets import Dict, Enum, Float, Integer, List, Unicode, default

from . import __version__, diagnostics, leftovers
from .handlers import URL_PREFIX, all_routes
from .handlers.unknown import UnknownRouteHandler
from .jobs import Job, JobManager
from .openbis import OpenbisService, collect_presets
from .openbis.mount import MountManager
from .openbis.mount_sshfs import SshfsSettings
from .reana.service import ReanaService
from .reana.supervisor import INSTALL_COMMAND, SpecWorker
from .requirements import RequirementsService
from .services import Services
from .worker.client import DIED, LabWorker

JOB_EVENT_SCHEMA_ID = "https://events.jupyter.org/reana_openbis_lab/job/v1"
CONNECTION_EVENT_SCHEMA_ID = "https://events.jupyter.org/reana_openbis_lab/connection/v1"
EVENTS_DIR = Path(__file__).parent / "events"


class ReanaOpenbisLab(ExtensionApp):
    """openBIS data and REANA workflows for JupyterLab."""

    name = "reana_openbis_lab"
    description = __doc__
    load_other_extensions = True

    # ---- general -------------------------------------------------------------------------
    data_dir = Unicode(
        config=True,
        help="""Folder where the extension keeps its state: connection metadata (never secrets),
        and by default the reana-client environment. Defaults to <jupyter data dir>/reana_openbis_lab.""",
    )

    @default("data_dir")
    def _default_data_dir(self) -> str:
        return str(Path(jupyter_data_dir()) / "reana_openbis_lab")

    max_concurrent_jobs = Integer(
        4,
        config=True,
        help="""How many transfers and workflow runs may move data at the same time; further jobs
        wait in state 'queued'. Each openBIS transfer itself uses several threads.""",
    )
    # ---- openBIS options (openbis feature) -----------------------------------------------
    openbis_connections = List(
        Dict(),
        config=True,
        help="""openBIS connections offered to every user as presets (they can log in, but not
        change or delete them). Each entry is a mapping with keys: name (letters, digits, '.', '_',
        '-'), url (https://host[:port]), verify_certificates (default true), username, and
        optionally auth ("password" or "token") with its secret given as password_env / token_env:
        the NAME of an environment variable holding it. A password or token written in the
        configuration itself is refused (that preset is left out, with an error in the log),
        because --debug prints the whole configuration to the server log. Without a secret the
        user types it in the UI and it is kept in memory only. Example: [{"name": "lab", "url": "https://openbis.example.org",
        "username": "alice", "password_env": "LAB_OPENBIS_PASSWORD"}].""",
    )
    openbis_env_connection_name = Unicode(
        "openbis",
        config=True,
        help="""Name of the preset built from the environment of the Jupyter server: OPENBIS_URL
        with OPENBIS_TOKEN (a personal access token) or OPENBIS_USERNAME and OPENBIS_PASSWORD;
        OPENBIS_VERIFY_CERTIFICATES=false turns certificate checks off for it.""",
    )
    openbis_timeout = Float(
        60.0,
        config=True,
        help="""Seconds one openBIS request (browsing, login, status) may take before it fails with
        504 and the UI says openBIS did not answer; the Jupyter server never waits longer. For
        dataset downloads and uploads it is the longest wait for each chunk of data (silence on
        the data store connection), not a limit on the whole transfer, which goes on as long as
        bytes move; it also bounds the HTTP connections of pybis' own upload threads.""",
    )
    openbis_connections_file = Unicode(
        "",
        config=True,
        help="""JSON file keeping the users' own openBIS connections (names, URLs, user names,
        certificate choice; never passwords or tokens), written with mode 0600. Defaults to
        <data_dir>/openbis_connections.json.""",
    )
    # ---- REANA options (reana feature) ---------------------------------------------------
    reana_servers = Dict(
        config=True,
        help="""REANA servers offered to every user as read-only connections, by name. Each value
        is a URL or a mapping {"url": ..., "verify_certificates": true, "access_token_env": "VAR"}:
        the token is taken from the environment variable named by access_token_env. A token
        written in the configuration itself (access_token, token) is refused and that preset left
        out, because --debug prints the whole configuration to the server log; without it the user enters the token in the UI and it is
        kept in memory only. Example: {"cern": {"url": "https://reana.cern.ch"}}.""",
    )
    reana_env_connection_name = Unicode(
        "default",
        config=True,
        help="""Name of the read-only connection built from the REANA_SERVER_URL and
        REANA_ACCESS_TOKEN environment variables (the ones reana-client uses), when they are set
        in the environment of the Jupyter server.""",
    )
    reana_timeout = Float(
        30.0,
        config=True,
        help="""Seconds to wait for a REANA server to connect, answer a request or send the next
        chunk of a file. A server that does not answer in time makes the request fail with 504
        (the UI says so) instead of holding anything up; transfers of large files are not limited
        in total, only between chunks.""",
    )
    reana_ca_bundle = Unicode(
        "",
        config=True,
        help="""Path to a PEM file with extra certificate authorities to trust for REANA servers
        (for example a site CA), added to the system's. Only used by connections that verify
        certificates, which is the default; a connection can turn verification off.""",
    )
    reana_client_env = Unicode(
        config=True,
        help="""Folder of the separate Python environment that holds reana-client, used to
        validate REANA specifications and load them (CWL packing, yadage and Snakemake checks)
        exactly as `reana-client validate` and `reana-client create` do. reana-client cannot be
        installed next to JupyterLab (it pins jsonschema<4), so it lives there and runs in a
        helper process. Create it with `jupyter reana-openbis-lab install-reana-client [--path
        DIR]`. Defaults to $REANA_CLIENT_ENV if set, else <data_dir>/reana-client-env. Without
        it, validation and "Run on REANA" answer 503; every other REANA feature still works.""",
    )

    @default("reana_client_env")
    def _default_reana_client_env(self) -> str:
        return os.environ.get("REANA_CLIENT_ENV") or str(Path(self.data_dir) / "reana-client-env")

    reana_client_version = Unicode(
        "0.9.6",
        config=True,
        help="""reana-client release expected in reana_client_env (the one whose verdicts this
        extension was checked against). GET /info reports when the installed one differs;
        `jupyter reana-openbis-lab install-reana-client --version` installs another.""",
    )
    reana_validation_max_bytes = Integer(
        5 * 1024 * 1024,
        config=True,
        help="""Largest REANA specification file (in bytes) that is validated or run; a larger one
        is refused with 400 (code spec_too_large) before anything reads it. reana-client needs
        about half a minute for 5 MB of parameters.""",
    )
    reana_validation_timeout = Float(
        60.0,
        config=True,
        help="""Seconds the reana-client helper process may spend on one validation or spec
        load (CWL packing included). After that the request fails with 504, the helper is killed
        and a fresh one started, so a pathological specification never hangs the server.""",
    )
    reana_worker_start_timeout = Float(
        120.0,
        config=True,
        help="""Seconds the reana-client helper process may take to start (it imports
        reana-client, cwltool, yadage and Snakemake once). It starts on the first validation and
        then stays running until the server stops.""",
    )
    # ---- requirements and mount options --------------------------------------------------
    sshfs_command = Unicode(
        "sshfs",
        config=True,
        help="""The sshfs program (a name looked up on PATH, or a full path) used to mount an
        openBIS data store (POST /openbis/connections/{name}/mount). Without it, mounting
        answers 503 naming the package to install: Debian/Ubuntu `sshfs` (pulls in fuse3 and
        openssh-client), macOS Homebrew `macfuse` and `gromgit/fuse/sshfs-mac`.""",
    )
    sftp_port = Integer(
        2222,
        config=True,
        help="""Port of the openBIS data store server's SFTP service (openBIS' default is 2222),
        used when a mount request names no port. The host is always the openBIS connection's
        own host, so the openBIS password is never sent anywhere else.""",
    )
    sshfs_timeout = Float(
        30.0,
        config=True,
        help="""Seconds sshfs may take to connect and log in (and fusermount to unmount);
        after that the attempt is killed and the request fails with 504.""",
    )
    sshfs_host_key_checking = Enum(
        ["accept-new", "yes"],
        "accept-new",
        config=True,
        help="""ssh's StrictHostKeyChecking for mounts. 'accept-new' trusts a data store's host
        key on first use and refuses a changed one later; 'yes' trusts only keys already listed
        in the extension's own known_hosts file (<data_dir>/ssh/known_hosts, never the user's
        ~/.ssh/known_hosts), which an administrator can fill in advance.""",
    )
    requirements_timeout = Float(
        30.0,
        config=True,
        help="""Seconds to wait for a notebook's kernel to report its installed packages when
        freezing requirements (POST /requirements). A kernel still running a cell answers only
        when the cell ends, so after this time the request fails with 504 and asks the user to
        retry when the kernel is idle.""",
    )

    shutdown_timeout = Float(
        4.0,
        config=True,
        help="""Seconds the extension may take to stop with the server (SIGTERM, or a stop
        from the UI): transfers are cancelled and their partial files removed, mounts
        unmounted, helper processes stopped. Whatever is still running then is killed, and
        what it left behind removed. Keep it below the time your spawner waits before
        SIGKILL (JupyterHub's local spawners: 5 s after SIGTERM; Kubernetes: 30 s). A server
        stopped without its shutdown hooks (SIGINT without a terminal, SIGKILL) leaves no
        process behind either, and its partial files are removed at the next start.""",
    )

    def initialize_settings(self) -> None:
        serverapp = self.serverapp
        if serverapp is None or serverapp.event_logger is None:
            raise RuntimeError("reana_openbis_lab runs as an extension of a Jupyter server")
        root_dir = Path(serverapp.root_dir).resolve()
        diagnostics.attach_to(serverapp.log)
        data_dir = Path(self.data_dir).expanduser()
        # What a server or worker that died without cleaning up left in this root.
        try:
            for undone in leftovers.sweep(data_dir, root_dir):
                self.log.info("reana_openbis_lab: cleaned up %s", undone)
            self._journal: leftovers.Journal | None = leftovers.Journal.open(data_dir)
        except OSError as exc:  # a read-only data folder: everything else still works
            self.log.warning(
                "reana_openbis_lab: no journal in %s (%s): what a crash leaves behind will"
                " not be cleaned up at the next start",
                data_dir,
                exc.strerror,
            )
            self._journal = None
        self._sweeps: set[asyncio.Task[None]] = set()
        event_logger = serverapp.event_logger
        event_logger.register_event_schema(EVENTS_DIR / "job.yaml")
        event_logger.register_event_schema(EVENTS_DIR / "connection.yaml")

        def on_job_change(job: Job) -> None:
            event_logger.emit(schema_id=JOB_EVENT_SCHEMA_ID, data=job.to_json())

        def on_openbis_status(name: str, status: str) -> None:
            event_logger.emit(
                schema_id=CONNECTION_EVENT_SCHEMA_ID, data={"name": name, "status": status}
            )

        worker = LabWorker(data_dir=data_dir)
        # A worker killed mid-transfer leaves its staging: removed as soon as it is gone.
        worker.on_event(DIED, lambda _: self._sweep_later(data_dir, root_dir))
        jobs = JobManager(
            on_job_change,
            max_running=self.max_concurrent_jobs,
            root_dir=root_dir,
            worker=worker,
        )
        # ---- build domain services (each feature adds its own here) ----------------------
        mounts = MountManager(
            root_dir,
            SshfsSettings(
                command=self.sshfs_command,
                known_hosts=Path(self.data_dir) / "ssh" / "known_hosts",
                host_key_checking=self.sshfs_host_key_checking,
                timeout=self.sshfs_timeout,
            ),
            default_port=self.sftp_port,
            journal=self._journal,
            guard=worker.guard,
        )
        openbis = OpenbisService(
            Path(
                self.openbis_connections_file or Path(self.data_dir) / "openbis_connections.json"
            ).expanduser(),
            presets=collect_presets(
                self.openbis_connections, env_connection_name=self.openbis_env_connection_name
            ),
            default_timeout=self.openbis_timeout,
            worker=worker,
            on_status=on_openbis_status,
        )
        reana = ReanaService(
            Path(self.data_dir),
            presets=self.reana_servers,
            env_connection_name=self.reana_env_connection_name,
            timeout=self.reana_timeout,
            ca_bundle=self.reana_ca_bundle or None,
        )
        reana_worker = SpecWorker(
            Path(self.reana_client_env).expanduser(),
            request_timeout=self.reana_validation_timeout,
            start_timeout=self.reana_worker_start_timeout,
            max_spec_bytes=self.reana_validation_max_bytes,
        )
        requirements = RequirementsService(
            root_dir,
            serverapp.session_manager,
            serverapp.kernel_manager,
            timeout=self.requirements_timeout,
        )
        services = Services(
            root_dir=root_dir,
            jobs=jobs,
            version=__version__,
            worker=worker,
            openbis=openbis,
            reana=reana,
            reana_worker=reana_worker,
            requirements=requirements,
            mounts=mounts,
        )
        services.capabilities["sshfs"] = {"available": mounts.available}
        services.capabilities["reanaClient"] = {
            **reana_worker.info.to_json(),
            "expectedVersion": self.reana_client_version,
            "installCommand": INSTALL_COMMAND,
        }
        self.services = services
        self.settings.update({"reana_openbis_lab": services})

    def initialize_handlers(self) -> None:
        for pattern, handler in all_routes():
            self.handlers.append((url_path_join("/", URL_PREFIX, pattern.lstrip("/")), handler))
        # Last, so that it only gets what no route matched: our JSON 404, not Jupyter's page.
        self.handlers.append((url_path_join("/", URL_PREFIX) + "(?:/.*)?", UnknownRouteHandler))

    def _sweep_later(self, data_dir: Path, root_dir: Path) -> None:
        async def sweep() -> None:
            for undone in await asyncio.to_thread(leftovers.sweep, data_dir, root_dir):
                self.log.info("reana_openbis_lab: cleaned up %s", undone)

        task = asyncio.ensure_future(sweep())
        self._sweeps.add(task)
        task.add_done_callback(self._sweeps.discard)

    async def stop_extension(self) -> None:
        """Cancel transfers (they clean up their partial files), unmount, stop the helper
        processes, all within `shutdown_timeout`; then kill what is left and remove what it
        left behind. Nothing depends on this hook having run (see `leftovers`)."""
        services: Services | None = getattr(self, "services", None)
        if services is None:
            return
        try:
            await asyncio.wait_for(self._stop_services(services), self.shutdown_timeout)
        except asyncio.TimeoutError:
            self.log.warning(
                "reana_openbis_lab did not stop within %g s (shutdown_timeout): killing what "
                "is left of it",
                self.shutdown_timeout,
            )
        for helper in (services.worker, services.reana_worker):
            await helper.stop(grace=0)
        root_dir = services.root_dir
        data_dir = Path(self.data_dir).expanduser()
        await asyncio.to_thread(leftovers.sweep, data_dir, root_dir)
        await asyncio.to_thread(services.mounts.detach_all_now)
        if self._journal is not None:
            self._journal.close()

    async def _stop_services(self, services: Services) -> None:
        await services.jobs.shutdown()
        # ---- stop domain services (each feature adds its own here) -----------------------
        await services.mounts.unmount_all()
        await services.openbis.close()
        await services.reana.aclose()
        await asyncio.gather(services.reana_worker.stop(), services.worker.stop())
