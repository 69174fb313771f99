# nginx in front of the app's replicas (deploy/compose.yaml): Debian's nginx (1.22 in bookworm, the version the
# layout was checked with), configured by deploy/nginx.conf, which compose mounts at /etc/nginx/nginx.conf.
# BASE is any Debian bookworm image: Debian's slim image by default; `make test-deploy` passes the base it makes
# from Debian's packages (no image registry is reachable where it runs).
ARG BASE=debian:bookworm-slim
FROM ${BASE}

# The release's own nginx (security updates arrive with a rebuild), so no version pin.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends nginx \
    && apt-get clean \
    && rm -rf /var/lib/apt/lists/*

EXPOSE 8080
# SIGQUIT: finish the open requests, then exit.
STOPSIGNAL SIGQUIT
CMD ["nginx", "-g", "daemon off;"]
