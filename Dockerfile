# Baton container image: build a static-stdlib binary with the Swift toolchain image, run it on a slim
# Debian with only libuv1 added. Listens on 0.0.0.0:4001, keeps its write-ahead log in the /data volume,
# runs as an unprivileged user, and reports health through /health.
#
#   docker build -t baton .
#   docker run -p 4001:4001 -v baton-data:/data baton
#
# The runtime half is checked without a container engine in README ("Container image").

# Swift 6.2 or later: the HTTP parser reads bytes through Span and InlineArray (new in 6.2).
FROM swift:6.2-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends libuv1-dev pkg-config \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
COPY CLibUV CLibUV
COPY Sources Sources
COPY Tests Tests
RUN swift build -c release --static-swift-stdlib --product baton \
    && install -m 0755 .build/release/baton /usr/local/bin/baton

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends libuv1 libstdc++6 \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin baton \
    && mkdir -p /data && chown baton:baton /data
COPY --from=build /usr/local/bin/baton /usr/local/bin/baton
USER baton
WORKDIR /data
# Listen on every interface inside the container; advertise what clients should use (override at run time).
ENV BATON_BIND_ADDR=0.0.0.0:4001 \
    BATON_ADDR=127.0.0.1:4001 \
    BATON_DATA_DIR=/data
EXPOSE 4001
VOLUME /data
# bash's /dev/tcp keeps curl out of the image.
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/4001 && printf 'GET /health HTTP/1.0\\r\\n\\r\\n' >&3 && grep -q '\"health\":\"true\"' <&3"]
ENTRYPOINT ["/usr/local/bin/baton"]
