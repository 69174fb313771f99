# The presenter's rooms (issue 22; deploy/compose.yaml): Debian's redis-server, which every replica reads and writes
# through POLICYLENS_REDIS_URL. It listens on 127.0.0.1:6379 only (the replicas share the host's network) and keeps
# nothing on disk: a restarted Redis is empty, and each presenter view writes its room again within a second.
# BASE is any Debian bookworm image, as for deploy/nginx.Dockerfile.
ARG BASE=debian:bookworm-slim
FROM ${BASE}

# The release's own redis-server (security updates arrive with a rebuild), so no version pin.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends redis-server \
    && apt-get clean \
    && rm -rf /var/lib/apt/lists/*

# Not root; it writes nothing, so any user will do.
USER 10002:10002
EXPOSE 6379
CMD ["redis-server", "--bind", "127.0.0.1", "--port", "6379", "--save", "", "--appendonly", "no", "--protected-mode", "yes"]
