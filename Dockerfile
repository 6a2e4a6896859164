# kepu-api: slim image, non-root, dependencies from the lock file, migrations on start.
FROM python:3.11-slim AS build
ENV UV_PYTHON_DOWNLOADS=never UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy
RUN pip install --no-cache-dir uv==0.13.9
WORKDIR /srv
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project

FROM python:3.11-slim
RUN useradd --system --uid 10001 --home /srv kepu
WORKDIR /srv
COPY --from=build /srv/.venv /srv/.venv
COPY app ./app
COPY migrations ./migrations
COPY alembic.ini ./
ENV PATH=/srv/.venv/bin:$PATH \
    KEPU_ENV=production \
    KEPU_STORAGE_DIR=/srv/var/files \
    WORKERS=2 \
    PYTHONUNBUFFERED=1
RUN mkdir -p /srv/var && chown kepu /srv/var
USER kepu
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --retries=3 \
  CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz').status != 200)"
CMD ["sh", "-c", "python -m app migrate && exec uvicorn app.main:app --host 0.0.0.0 --port 8000 --workers ${WORKERS} --proxy-headers --no-access-log"]
