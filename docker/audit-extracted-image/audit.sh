#!/usr/bin/env bash
# Audits the conda env inside an existing image on this machine, with docker create + docker cp:
# the env is copied out of a container that never starts, and conda-prune plans it as a dry run.
#
#   docker/audit-extracted-image/audit.sh IMAGE [ENV_PATH] [conda-prune plan flags...]
#   docker/audit-extracted-image/audit.sh my-service:1.4 /opt/conda --preset moderate
#
# ENV_PATH defaults to /opt/conda. conda-prune is taken from $CONDA_PRUNE, else from PATH: the
# standalone executable, `npm install -g conda-prune`, or `node conda-prune.mjs` as a script.
# Nothing in the image is changed; the copy is removed on exit.
set -euo pipefail

if [ $# -lt 1 ]; then
  echo "usage: $0 IMAGE [ENV_PATH] [conda-prune plan flags...]" >&2
  exit 2
fi
image=$1
env_path=${2:-/opt/conda}
shift $(( $# < 2 ? $# : 2 ))
conda_prune=${CONDA_PRUNE:-conda-prune}

work=$(mktemp -d)
container=''
cleanup() {
  if [ -n "$container" ]; then docker rm "$container" >/dev/null; fi
  rm -rf "$work"
}
trap cleanup EXIT

# The command is never run; it only spares images without CMD the "no command specified" error.
container=$(docker create "$image" true)
docker cp "$container:$env_path" "$work/env"
# Unquoted on purpose: CONDA_PRUNE may be a command with arguments, e.g. "node conda-prune.mjs".
$conda_prune plan "$work/env" "$@"
