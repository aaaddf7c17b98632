"""Local openBIS and REANA servers that the real pybis and reana-client accept.

The test rig of reana_openbis_lab, a distribution of its own (`reana-openbis-lab-sandbox`): it
powers the tests, the benchmarks and the offline demo, and imports nothing from the extension.
See `cli` for the command, `demo` for the launcher, `pytest_plugin` for the opt-in fixtures.
"""
