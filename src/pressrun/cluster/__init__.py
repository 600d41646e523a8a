"""`pressrun build --cluster ADDRESS`: render articles on a Dask cluster, byte-identical to a local build.

``client`` connects (a scheduler address, or ``local:N`` for a LocalCluster of N worker processes) and
sends the stale articles out; ``worker`` renders them with the same ArticleRenderer as ``-j N``;
``payload`` is what travels between them (no path of the client's, so workers need no shared
filesystem); ``deadline`` keeps the export time budget in worker threads. Dask (``distributed``) is the
optional extra ``pressrun[cluster]`` and is imported only when a build asks for a cluster.
"""

from pressrun.cluster.client import EXTRA, Cluster, connect, parse_address

__all__ = ["EXTRA", "Cluster", "connect", "parse_address"]
