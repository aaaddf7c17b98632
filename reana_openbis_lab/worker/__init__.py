"""The lab worker: a child process of the Jupyter server that runs pybis and moves bytes.

`client.LabWorker` is the server's side (start, calls, progress, cancel, restart);
`main` is the process; `context.WorkContext` is what a function running there is given.
How to run something there, a new kind of transfer for instance, is described in
`client.LabWorker.run`.
"""
