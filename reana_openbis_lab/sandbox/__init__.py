"""Local openBIS and REANA servers that the real pybis and reana-client accept.

They power the tests, the benchmarks and the offline demo; see `sandbox.cli`.
"""
