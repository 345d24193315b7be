# orgbox in a container: one binary in an empty image, so nothing has to be pulled.
#
#   bash tests/container/build.sh          # builds the binary and the image orgbox:latest
#   docker run -d --name orgbox -p 127.0.0.1:3080:3080 -p 127.0.0.1:3443:3443 \
#     -v orgbox-data:/data -e ORGBOX_ADMIN_KEY=change-me orgbox:latest
#
# build.sh stages the context this file expects: rootfs/orgbox (statically linked, or with
# the shared libraries it names beside it), and rootfs/data. docs/container.md has the rest
# (docker compose, a CI job, the admin key, the certificate's names).
FROM scratch
COPY rootfs/ /
COPY --chown=65534:65534 data/ /data/
# Listen beyond loopback (the control plane then needs an admin key: ORGBOX_ADMIN_KEY, or
# one generated at start and printed in the log); data in the /data volume; the HTTPS
# certificate also names the compose service `orgbox`. Every one can be overridden with -e.
ENV ORGBOX_LISTEN=0.0.0.0:3080 \
    ORGBOX_TLS_LISTEN=0.0.0.0:3443 \
    ORGBOX_DATA_DIR=/data \
    ORGBOX_TLS_NAMES=orgbox \
    RUST_LOG=info
VOLUME /data
EXPOSE 3080 3443
USER 65534:65534
# `orgbox health` asks the server that holds /data (no curl in the image).
HEALTHCHECK --interval=5s --timeout=3s --start-period=2s --retries=3 CMD ["/orgbox", "health"]
ENTRYPOINT ["/orgbox"]
