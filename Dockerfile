# declass HTTP service: gunicorn workers behind `declass serve`, as a non-root user.
#
#   docker build -t declass .
#   docker run --rm -p 8080:8080 -e DECLASS_API_KEYS="sha256:<hex digest of your key>" declass
#
# The container binds 0.0.0.0, so `declass serve` refuses to start (exit status 2)
# unless DECLASS_API_KEYS is set. Give hashed keys (sha256:<hex>) so that the
# environment, `docker inspect` and orchestrator manifests never hold a usable key.
# Nothing is fetched at run time: dependencies are installed at build time only.

ARG PYTHON_IMAGE=python:3.11-slim

FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml setup.py README.md constraints.txt ./
COPY declass ./declass
COPY rules ./rules
COPY service ./service
# The compiled variant (README, "Pure Python or compiled"): the hot modules are built with
# mypyc by a compiler and a build environment that exist in this stage only, then installed
# as a wheel with the OCR extra, and checked to load compiled. The runtime image gets
# neither gcc nor mypy: the compiled modules need neither to run.
RUN apt-get update \
 && apt-get install -y --no-install-recommends gcc libc6-dev \
 && rm -rf /var/lib/apt/lists/* \
 && python -m venv /opt/build \
 && /opt/build/bin/pip install -c constraints.txt 'mypy[mypyc]' 'setuptools>=77' \
 && DECLASS_COMPILE=1 /opt/build/bin/pip wheel --no-deps --no-build-isolation \
        -c constraints.txt -w /src/dist . \
 && python -m venv /opt/declass \
 && /opt/declass/bin/pip install -c constraints.txt "$(ls /src/dist/declass-*.whl)[ocr]" \
 && /opt/declass/bin/python -c "import declass.compiled as c, sys; sys.exit(not all(map(c.loaded_compiled, c.HOT_MODULES)))" \
 && /opt/declass/bin/declass policies

FROM ${PYTHON_IMAGE}
# Scans (image-only PDFs, PNG, TIFF) are read by Debian's Tesseract, with its English
# model, installed here at build time; nothing is fetched when the service runs.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tesseract-ocr \
 && rm -rf /var/lib/apt/lists/*
ENV PATH=/opt/declass/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DECLASS_HOST=0.0.0.0 \
    DECLASS_PORT=8080
RUN groupadd --system --gid 10001 declass \
 && useradd --system --uid 10001 --gid declass --no-create-home \
        --home-dir /nonexistent --shell /usr/sbin/nologin declass
COPY --from=build /opt/declass /opt/declass
USER 10001:10001
WORKDIR /tmp
EXPOSE 8080
# `declass serve` stops gracefully on SIGTERM within DECLASS_GRACEFUL_TIMEOUT (30 s by
# default): give `docker stop` / the orchestrator a longer grace period (-t 35).
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
    CMD ["python", "-c", "import os, sys, urllib.request; port = os.environ.get('DECLASS_PORT', '8080'); sys.exit(0 if urllib.request.urlopen(f'http://127.0.0.1:{port}/healthz', timeout=4).status == 200 else 1)"]
CMD ["declass", "serve", "--host", "0.0.0.0"]
