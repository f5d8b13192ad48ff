#!/usr/bin/env bash
# Validates Protocol/openapi.yaml against the OpenAPI 3.1 specification.
# Installs openapi-spec-validator (PyPI) quietly when it is missing. Exits non-zero on failure.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
spec="$root/Protocol/openapi.yaml"

if [ ! -f "$spec" ]; then
    echo "validate-openapi: $spec not found" >&2
    exit 1
fi

python="$(command -v python3 || command -v python || true)"
if [ -z "$python" ]; then
    echo "validate-openapi: python3 is required" >&2
    exit 1
fi

if ! "$python" -c 'import openapi_spec_validator' >/dev/null 2>&1; then
    echo "validate-openapi: installing openapi-spec-validator" >&2
    "$python" -m pip install --quiet --disable-pip-version-check openapi-spec-validator >/dev/null 2>&1 \
        || "$python" -m pip install --quiet --disable-pip-version-check --user openapi-spec-validator >/dev/null 2>&1 \
        || { echo "validate-openapi: cannot install openapi-spec-validator with pip" >&2; exit 1; }
fi

if ! grep -Eq '^openapi: *"?3\.1\.[0-9]+"?' "$spec"; then
    echo "validate-openapi: $spec must declare openapi: 3.1.x" >&2
    exit 1
fi

# The module entry point works even when pip's script directory is not on PATH.
"$python" -m openapi_spec_validator "$spec"
