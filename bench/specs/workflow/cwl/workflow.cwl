cwlVersion: v1.0
class: Workflow
inputs:
  words: File
outputs:
  counts:
    type: File
    outputSource: count/counts
steps:
  count:
    run: count.cwl
    in:
      words: words
    out: [counts]
