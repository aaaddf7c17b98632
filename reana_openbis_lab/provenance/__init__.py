"""The provenance loop: openBIS datasets into a REANA run, its results back into openBIS.

The one package that composes the two domains (`openbis`, `reana`): nothing below imports
it, and only the handlers use it. Its parts:

- `inputs`: the openBIS datasets a run takes, checked and mapped to workspace folders;
- `staging`: their bytes streamed from the data store into the REANA workspace;
- `record`: the provenance record (`provenance/run.json`) written into the workspace;
- `publish`: workspace files streamed into a new openBIS dataset with its lineage;
- `lineage`: a dataset's parents and children (and the run that made it) as a graph;
- `crate`: the whole chain as a Workflow Run RO-Crate.
"""
