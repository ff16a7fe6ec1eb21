# hromada-bot: a small image that runs `hromada-bot run` as a non-root user.
#   docker build -t hromada-bot .
#   docker run -d --name hromada -e BOT_TOKEN=… -v hromada-data:/data hromada-bot
# Everything is configured by environment variables (README, «Deployment»); a config.toml
# put into /data is read too. With no DATABASE_URL the SQLite file is /data/hromada.sqlite3.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY storage ./storage
COPY emulator ./emulator
RUN pip install . \
    && rm -rf /src \
    && useradd --system --uid 10001 --user-group --home-dir /data --shell /usr/sbin/nologin hromada \
    && mkdir -p /data \
    && chown hromada:hromada /data

# The SQLite file (and an optional config.toml) live here; keep it on a volume.
WORKDIR /data
VOLUME ["/data"]
USER hromada

# The configuration loads and the database answers; one line, exit 0 or 1. No webhook needed.
HEALTHCHECK --interval=60s --timeout=15s --start-period=60s --retries=3 \
    CMD ["hromada-bot", "health"]

ENTRYPOINT ["hromada-bot"]
CMD ["run"]
