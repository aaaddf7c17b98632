cwlVersion: v1.0
class: CommandLineTool
requirements:
  DockerRequirement:
    dockerPull: docker.io/library/python:3.12-slim
baseCommand: [wc, -w]
inputs:
  words:
    type: File
    inputBinding:
      position: 1
stdout: counts.txt
outputs:
  counts:
    type: stdout
