"""A cluster when one machine is not enough: the runner on a Dask LocalCluster's workers writes the
same verdicts.json as the local executor."""
from __future__ import annotations

import pytest

from estimates import paths, runner


@pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::ResourceWarning", "ignore::UserWarning")
def test_the_dask_executor_gives_the_same_report_as_local_processes(tmp_path):
    from distributed import LocalCluster
    local, cluster_report = tmp_path / "local", tmp_path / "cluster"
    assert runner.main(["--reports", str(local), "--force", "--jobs", "2"]) == 0
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      host="127.0.0.1", local_directory=str(tmp_path / "dask")) as cluster:
        assert runner.main(["--reports", str(cluster_report), "--force", "--scheduler", cluster.scheduler_address]) == 0
    assert (cluster_report / "verdicts.json").read_bytes() == (local / "verdicts.json").read_bytes()
    assert paths.NOTEBOOKS.is_dir()
