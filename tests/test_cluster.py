"""`pressrun build --cluster` (issue 18): Dask workers, byte-identical to a local build, no shared filesystem.

Real Dask components on 127.0.0.1 only: one `--cluster local:2` build (pressrun starts and stops the
LocalCluster), and for the rest of the module a `dask scheduler` process and two `dask worker` processes started
from the command line, as an operator starts them on a cluster, reached by the scheduler's address.
"""

from __future__ import annotations

import json
import os
import pickletools
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import FIXTURES, STYLES, articles_of
from pressrun import cli, registry
from pressrun.build import BuildOptions, build
from pressrun.cluster import client as cluster_client, payload
from pressrun.errors import ExportError, Problem
from pressrun.exporters.base import Exporter, Output

distributed = pytest.importorskip("distributed")  # in the test extra: it runs in `make test` and CI

FAILING = "story-2"  # the article the failing test plugins pick on


def _archive(target: Path) -> Path:
    """The kitchen-sink fixture (lead image, body figure) plus six generated stories, two sharing its images."""
    shutil.copytree(FIXTURES / "kitchen-sink", target)
    for n in range(6):
        image = f"image: {{src: images/{'ceremony.jpg' if n % 2 else 'map.png'}, alt: Picture {n}.}}\n" if n < 2 else ""
        (target / f"story-{n}.md").write_text(
            f"---\nheadline: Story {n}\nsummary: Summary {n}.\npublished: 2024-05-0{n + 1}T08:00:00\nsection: Region\n"
            f"tags: [Tag{n % 2}]\ntakeaways: [Point {n}, Another point]\nwhy_this_matters: Because {n}.\n{image}---\n"
            + f"Paragraph {n} with a [link](https://example.com/{n}).\n\n" * 12 + "## Part two\n\n- one\n- two\n"
        )
    return target


def _tree(out: Path) -> dict[str, bytes]:
    """Every output file, without the reading cache (this machine's cache, never published)."""
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and ".pressrun-cache" not in p.relative_to(out).parts}


def _build(source: Path, out: Path, styles: Path = STYLES, **kwargs):
    return build(BuildOptions(source=source, out=out, styles=styles, **kwargs))


DASK = Path(sys.executable).with_name("dask")  # the CLI of the environment the tests run in


def _start(folder: Path, name: str, *args: str) -> subprocess.Popen:
    """A Dask process with its output in ``folder/<name>.log``. The workers import the test module's exporters
    (the failing and looping plugins below) as a remote cluster imports a newsroom's: from their PYTHONPATH.
    A task may be on one dying worker and be rerun once (allowed-failures 1), so the poison test needs only
    two deaths; a worker holds only the task it runs (worker-saturation 1.0), so a death takes no queued
    neighbour with it."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(Path(__file__).parent), os.environ.get("PYTHONPATH")])),
           "DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "1", "DASK_DISTRIBUTED__SCHEDULER__WORKER_SATURATION": "1.0"}
    log = (folder / f"{name}.log").open("wb")
    return subprocess.Popen([str(DASK), *args], env=env, stdout=log, stderr=subprocess.STDOUT, cwd=folder,
                            start_new_session=True)


def _wait_for(path: Path, processes: list[subprocess.Popen], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert time.monotonic() < deadline and all(p.poll() is None for p in processes), f"no {path.name}: see the logs"
        time.sleep(0.1)


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory):
    """`dask scheduler` and two `dask worker` processes (one thread each), for the module, on 127.0.0.1."""
    folder = tmp_path_factory.mktemp("dask")
    processes = [_start(folder, "scheduler", "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                        "--scheduler-file", str(folder / "scheduler.json"))]
    try:
        _wait_for(folder / "scheduler.json", processes)
        address = json.loads((folder / "scheduler.json").read_text())["address"]
        processes += [_start(folder, f"worker-{n}", "worker", address, "--host", "127.0.0.1", "--nthreads", "1",
                             "--nworkers", "1", "--no-dashboard", "--name", f"worker-{n}",
                             "--local-directory", str(folder / f"worker-{n}")) for n in (1, 2)]
        with distributed.Client(address, set_as_default=False, timeout=60) as client:
            client.wait_for_workers(2, timeout=60)
        yield address
    finally:
        for process in reversed(processes):  # workers first, then the scheduler
            os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


@pytest.fixture
def submitted(monkeypatch):
    """The tasks the client sends (every ArticleTask) and the build payloads it sets up on the workers."""
    seen: dict[str, list] = {"tasks": [], "builds": []}
    make_task, install = payload.article_task, cluster_client.Cluster._install

    def record_task(index, article):
        seen["tasks"].append(make_task(index, article))
        return seen["tasks"][-1]

    def record_build(self, payload):
        seen["builds"].append(payload)
        return install(self, payload)

    monkeypatch.setattr(payload, "article_task", record_task)
    monkeypatch.setattr(cluster_client.Cluster, "_install", record_build)
    return seen


# --- byte-identical, and no shared filesystem -------------------------------------------------------------------

PRELOAD = '''
"""Dask worker preload (test_cluster.py): log every open() of a path under the client's folders."""
import os, sys

FORBIDDEN = {forbidden!r}
LOG = {log!r}


def dask_setup(worker):
    def hook(event, args):
        if event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
            path = os.path.abspath(os.fsdecode(args[0]))
            if path != LOG and any(path == root or path.startswith(root + os.sep) for root in FORBIDDEN):
                with open(LOG, "a") as log:
                    log.write(f"opened {{path}}\\n")

    sys.addaudithook(hook)
    with open(LOG, "a") as log:
        log.write(f"armed {{os.getpid()}}\\n")
'''


def _strings(payload) -> set[str]:
    """Every string in ``payload`` as pickled for Dask (a Path pickles as its parts): what a worker is told."""
    from distributed.protocol.pickle import dumps

    return {arg for _, arg, _ in pickletools.genops(dumps(payload)) if isinstance(arg, str)}


def test_local_2_is_byte_identical_to_j1_and_workers_open_no_client_file(tmp_path, submitted, monkeypatch):
    """The client's sources, theme and outputs sit in folders the workers are never told of and never open.

    Two proofs, one per side of the wire: (1) no string the client sends — every task and the build payload,
    walked opcode by opcode as Dask pickles them — mentions this test's temporary folder, under which are the
    source copy, the theme copy and both output folders; (2) an audit hook in each worker process (a Dask
    preload) sees every open() there, and none touches those folders. Yet the outputs, images and fonts
    embedded, are the same bytes as a local -j 1 build's.
    """
    import dask

    source, styles = _archive(tmp_path / "client-sources"), tmp_path / "client-styles"
    shutil.copytree(STYLES, styles)
    local, remote = tmp_path / "out-local", tmp_path / "out-cluster"
    log = tmp_path / "opened.log"
    preload = tmp_path / "preload" / "audit_preload.py"
    preload.parent.mkdir()
    preload.write_text(PRELOAD.format(forbidden=[str(tmp_path.resolve())], log=str(log)))

    expected = _build(source, local, styles, jobs=1)
    assert expected.exit_code == 0
    with dask.config.set({"distributed.worker.preload": [str(preload)]}):
        report = _build(source, remote, styles, cluster="local:2")
    assert report.exit_code == 0, [str(f) for f in report.failures]
    assert report.rendered == expected.rendered  # in the articles' order, though they came back as they finished

    one, two = _tree(local), _tree(remote)
    assert sorted(one) == sorted(two)
    assert [name for name in one if one[name] != two[name]] == []
    assert {"pdf", "docx", "epub", "feeds", "articles", "media"} <= {name.split("/")[0] for name in one}

    assert len(submitted["tasks"]) == 7 and len(submitted["builds"]) == 1
    assert any(task.images for task in submitted["tasks"])  # the images travelled as bytes
    told = _strings(submitted["builds"]) | _strings(submitted["tasks"])
    told |= _strings([task.article() for task in submitted["tasks"]])  # the models, pickled inside the tasks
    assert not [s for s in told if tmp_path.name in s or str(tmp_path) in s]
    lines = log.read_text().splitlines()
    assert len([line for line in lines if line.startswith("armed")]) >= 2, lines  # every worker process watched
    assert [line for line in lines if line.startswith("opened")] == []


# --- incremental ---------------------------------------------------------------------------------------------------


def test_an_incremental_rebuild_submits_only_the_changed_article(tmp_path, scheduler, submitted):
    source, out = _archive(tmp_path / "src"), tmp_path / "out"
    assert _build(source, out, cluster=scheduler).exit_code == 0
    assert len(submitted["tasks"]) == 7
    submitted["tasks"].clear()

    report = _build(source, out, cluster=scheduler)
    assert report.exit_code == 0 and report.rendered == [] and submitted["tasks"] == []

    story = source / "story-3.md"
    story.write_text(story.read_text().replace("Paragraph 3", "Paragraph three"))
    report = _build(source, out, cluster=scheduler)
    assert report.exit_code == 0 and report.rendered == ["story-3"]
    assert [task.article().slug for task in submitted["tasks"]] == ["story-3"]
    assert _tree(out) == _tree(_built_locally(source, tmp_path / "local"))


def _built_locally(source: Path, out: Path) -> Path:
    assert _build(source, out, jobs=1).exit_code == 0
    return out


# --- failures: located, as in a local build -----------------------------------------------------------------------


class FailingExporter(Exporter):
    """A plugin that cannot export one article (a located ExportError) and crashes on another (a bug)."""

    name = "failing"
    description = "fails on story-2, crashes on story-4 (a test plugin)"

    def export_article(self, article):
        if article.slug == FAILING:
            raise ExportError(Problem(str(article.source_path), "cannot set this article", "body", 3))
        if article.slug == "story-4":
            raise ZeroDivisionError("a bug in the plugin")
        return [Output(f"failing/{article.slug}.txt", article.headline.encode(), "text/plain", article.id, "Text")]


class LoopingExporter(Exporter):
    """Never finishes one article: the export time budget must stop it on the worker too."""

    name = "looping"
    description = "loops on story-2 (a test plugin)"

    def export_article(self, article):
        give_up = time.monotonic() + 60
        while article.slug == FAILING and time.monotonic() < give_up:
            pass
        return [Output(f"looping/{article.slug}.txt", b"done", "text/plain", article.id)]


class PoisonExporter(Exporter):
    """Kills the worker process that renders one article (its headline says POISON), every time."""

    name = "poison"
    description = "kills its worker on a POISON headline (a test plugin)"

    def export_article(self, article):
        if "POISON" in article.headline:
            os._exit(70)
        return [Output(f"poison/{article.slug}.txt", b"done", "text/plain", article.id)]


def _with(monkeypatch, plugin: type[Exporter]) -> None:
    load = registry.load
    monkeypatch.setattr(registry, "load", lambda names=None: sorted([*load(["html"]), plugin], key=lambda c: (c.order, c.name)))


def _failures(report) -> list[str]:
    return [str(problem) for problem in report.failures]


def test_a_failing_article_is_a_located_failure_exactly_as_in_a_local_build(tmp_path, scheduler, monkeypatch):
    source = _archive(tmp_path / "src")
    _with(monkeypatch, FailingExporter)
    local = _build(source, tmp_path / "local", jobs=1, keep_going=True)
    remote = _build(source, tmp_path / "remote", cluster=scheduler, keep_going=True)
    assert remote.exit_code == local.exit_code == 1
    assert _failures(remote) == _failures(local)
    bug, failed = _failures(remote)  # in the articles' order (newest first), whatever order they finished in
    assert failed == f"{source / 'story-2.md'}:3: body: cannot set this article"
    assert bug.startswith(f"{source / 'story-4.md'}: failing: internal error: ZeroDivisionError('a bug in the plugin')")
    assert _tree(tmp_path / "remote") == _tree(tmp_path / "local")  # every other output, and the manifest
    assert (tmp_path / "remote" / "failing" / "story-3.txt").read_text() == "Story 3"


def test_without_keep_going_a_failure_stops_the_build_and_a_bug_keeps_its_traceback(tmp_path, scheduler, monkeypatch):
    source = _archive(tmp_path / "src")
    _with(monkeypatch, FailingExporter)
    shutil.move(source / "story-2.md", tmp_path / "story-2.md")  # only the bug (story-4) is left
    with pytest.raises(ZeroDivisionError):  # as in a local build: an exporter's bug is a bug
        _build(source, tmp_path / "bug", cluster=scheduler)
    shutil.move(source / "story-4.md", tmp_path / "story-4.md")  # only the located failure (story-2)
    shutil.move(tmp_path / "story-2.md", source / "story-2.md")
    report = _build(source, tmp_path / "stopped", cluster=scheduler)
    assert report.exit_code == 1 and _failures(report) == [f"{source / 'story-2.md'}:3: body: cannot set this article"]
    assert not report.complete and not (tmp_path / "stopped" / ".pressrun-manifest.json").exists()


def test_the_export_time_budget_stops_a_looping_export_on_a_worker(tmp_path, scheduler, monkeypatch):
    source = _archive(tmp_path / "src")
    _with(monkeypatch, LoopingExporter)
    started = time.monotonic()
    report = _build(source, tmp_path / "out", cluster=scheduler, keep_going=True, export_timeout=1.0)
    assert time.monotonic() - started < 30
    assert report.exit_code == 1
    assert _failures(report) == [f"{source / 'story-2.md'}: looping: looping export did not finish within 1 s; "
                                 "stopped (report this article as a bug)"]
    assert (tmp_path / "out" / "looping" / "story-3.txt").exists()


def test_an_article_that_kills_its_workers_is_a_located_failure_not_a_hang(tmp_path, scheduler, monkeypatch):
    """Sixteen articles go out two to a task (the first two, the next two…, newest first). The poisoned article is
    the second of its task: the task is split, the first article rendered again alone, and only the poison fails."""
    source = _archive(tmp_path / "src")
    for n in range(6, 15):
        (source / f"story-{n}.md").write_text((source / "story-5.md").read_text().replace("Story 5", f"Story {n}"))
    victim = articles_of(source)[1][3]  # the second of the second task
    victim.source_path.write_text(victim.source_path.read_text().replace(victim.headline, f"{victim.headline} POISON"))
    _with(monkeypatch, PoisonExporter)
    started = time.monotonic()
    report = _build(source, tmp_path / "out", cluster=scheduler, keep_going=True)
    assert time.monotonic() - started < 120
    assert report.exit_code == 1 and report.rendered.count(victim.slug) == 1 and len(report.rendered) == 16
    [failure] = _failures(report)
    assert failure.startswith(f"{victim.source_path}: cluster: every Dask worker that tried to render it died")
    assert len(list((tmp_path / "out" / "poison").iterdir())) == 15  # every other article
    client = distributed.Client(scheduler, set_as_default=False)
    try:
        client.wait_for_workers(2, timeout=60)  # the nannies restart the dead: the module's cluster is whole again
    finally:
        client.close()


def test_a_worker_killed_mid_build_has_its_work_rerun_and_the_output_is_unchanged(tmp_path, scheduler):
    source = _archive(tmp_path / "src")
    expected = _tree(_built_locally(source, tmp_path / "local"))
    client = distributed.Client(scheduler, set_as_default=False)
    try:
        client.wait_for_workers(2, timeout=60)
        pids = sorted(client.run(os.getpid).values())
        kill_after = random.Random(18).randint(1, 4)  # a seeded moment: after this many articles came back
        killed = []

        def progress(slug, done, total):
            if done == kill_after and not killed:
                os.kill(pids[0], signal.SIGKILL)
                killed.append(slug)

        report = build(BuildOptions(source=source, out=tmp_path / "out", styles=STYLES, cluster=scheduler), progress)
        assert killed and report.exit_code == 0, _failures(report)
        assert _tree(tmp_path / "out") == expected
        client.wait_for_workers(2, timeout=60)
    finally:
        client.close()


# --- refusals: exit 2, quickly -------------------------------------------------------------------------------------


def _cli(capsys, *args: str) -> tuple[int, str]:
    code = cli.main(["build", *args])
    return code, capsys.readouterr().err


def test_without_distributed_cluster_is_exit_2_naming_the_extra(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "distributed", None)  # `import distributed` now fails
    out = tmp_path / "out"
    code, err = _cli(capsys, "--source", str(FIXTURES / "minimal"), "--out", str(out), "--cluster", "local:2")
    assert code == 2
    assert "--cluster: needs Dask's distributed package" in err and "pip install 'pressrun[cluster]'" in err
    assert not out.exists()


def test_an_unreachable_scheduler_is_a_clear_error_within_the_connect_timeout(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(cluster_client, "CONNECT_TIMEOUT", 3.0)
    out = tmp_path / "out"
    started = time.monotonic()
    code, err = _cli(capsys, "--source", str(FIXTURES / "minimal"), "--out", str(out), "--cluster", "tcp://127.0.0.1:1")
    assert time.monotonic() - started < 20
    assert code == 2 and "--cluster: cannot reach the Dask scheduler at tcp://127.0.0.1:1 within 3 s" in err
    assert not out.exists()


def test_a_worker_with_other_pressrun_code_is_refused(tmp_path, scheduler, monkeypatch, capsys):
    monkeypatch.setattr(cluster_client, "identity", lambda: ("0.0.1", "f" * 64))  # as if the client were another release
    code, err = _cli(capsys, "--source", str(FIXTURES / "minimal"), "--out", str(tmp_path / "out"), "--cluster", scheduler)
    assert code == 2
    assert f"--cluster: a Dask worker refused the build: {scheduler.rsplit(':', 1)[0]}:" in err  # tcp://127.0.0.1:PORT
    assert "the client pressrun 0.0.1 (code ffffffffffff): install the client's pressrun on it" in err
    assert not (tmp_path / "out").exists()  # refused before anything was written


@pytest.mark.parametrize("address", ["local:0", "local:two", "scheduler", "tcp://"])
def test_a_malformed_address_is_a_usage_error(tmp_path, capsys, address):
    code, err = _cli(capsys, "--source", str(FIXTURES / "minimal"), "--out", str(tmp_path / "out"), "--cluster", address)
    assert code == 2 and "not a Dask scheduler address or local:N" in err, err
