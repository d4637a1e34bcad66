#!/usr/bin/env bash
# A GPU discovery script for a machine without GPUs (Spark's spark.worker.resource.gpu.discoveryScript):
# announces two GPUs, at addresses 3 and 5, so that tests can see which one Spark gave each task.
echo '{"name": "gpu", "addresses": ["3", "5"]}'
