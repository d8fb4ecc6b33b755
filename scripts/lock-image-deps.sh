#!/bin/sh
# Refresh requirements/image.lock (and the base image digest): every Python distribution the image installs (the platform's and the branch
# plugins' dependencies, never the dev tools), pinned, with the SHA-256 of every published file. The Dockerfile
# installs with `pip install --require-hashes -r requirements/image.lock`, then the local packages without
# their dependencies. One command:
#
#     scripts/lock-image-deps.sh            # then commit requirements/image.lock
#
# Needs pip-tools (in the dev extras' environment: `.venv/bin/pip install pip-tools`) and the package index.
set -eu
cd "$(dirname "$0")/.."
PIP_COMPILE="${PIP_COMPILE:-.venv/bin/pip-compile}"
branches=""
for project in branch_modalities/*/pyproject.toml; do
    branches="$branches $project"
done
# The branch plugins depend only on what the platform already requires (checked by tests/contracts/test_image_lock.py).
"$PIP_COMPILE" --quiet --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links \
    --output-file requirements/image.lock pyproject.toml
echo "wrote requirements/image.lock"

# The base image's digest, written as the Dockerfile's PYTHON_DIGEST default (needs Docker with buildx).
image=$(sed -n 's/^ARG PYTHON_IMAGE=//p' Dockerfile)
digest=$(docker buildx imagetools inspect "$image" --format '{{json .Manifest.Digest}}' 2>/dev/null | tr -d '"' || true)
case "$digest" in
    sha256:*) sed -i "s/^ARG PYTHON_DIGEST=.*/ARG PYTHON_DIGEST=$digest/" Dockerfile; echo "pinned $image@$digest" ;;
    *) echo "could not resolve the digest of $image (Docker with buildx and registry access needed):" \
            "PYTHON_DIGEST in the Dockerfile left as it is" >&2 ;;
esac
