#!/usr/bin/env bash
# Proves the Dockerfile's runtime stage without a container engine: a minimal Debian bookworm root
# (debootstrap --variant=minbase plus libuv1, as the image installs), the static-stdlib binary copied in,
# started with the image's environment as the image's unprivileged user, then /health and the image's
# HEALTHCHECK command are run against it. Needs root and network access to Debian's mirror (~3–5 min).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=${ROOTFS:-/tmp/baton-rootfs}
port=${PORT:-4190}
command -v debootstrap >/dev/null || apt-get install -y -qq debootstrap >/dev/null
[ -x "$root/bin/bash" ] || debootstrap --variant=minbase --include=libuv1,libstdc++6 bookworm "$root" >/dev/null
swift build -c release --static-swift-stdlib --product baton
install -m 0755 .build/release/baton "$root/usr/local/bin/baton"
chroot "$root" id baton >/dev/null 2>&1 || chroot "$root" useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin baton
mkdir -p "$root/data" && chroot "$root" chown baton /data
mountpoint -q "$root/proc" || mount -t proc proc "$root/proc"
chroot --userspec=10001:10001 "$root" env BATON_BIND_ADDR=0.0.0.0:$port BATON_ADDR=127.0.0.1:$port \
    BATON_DATA_DIR=/data /usr/local/bin/baton > /tmp/baton-chroot.log 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; umount "$root/proc" 2>/dev/null || true' EXIT
sleep 1
echo "libraries the binary needs: $(ldd "$root/usr/local/bin/baton" | awk '{print $1}' | tr '\n' ' ')"
curl -fsS "http://127.0.0.1:$port/health"; echo
chroot "$root" bash -c "exec 3<>/dev/tcp/127.0.0.1/$port && printf 'GET /health HTTP/1.0\r\n\r\n' >&3 && grep -q '\"health\":\"true\"' <&3"
echo "HEALTHCHECK command: ok"
echo "process user: $(ps -o user= -p "$(pgrep -f 'usr/local/bin/baton' | head -1)")"
