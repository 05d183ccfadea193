#!/usr/bin/env bash
# Makes, from this machine's own files, the two base images a machine that cannot pull needs
# (CI, the compose test). Nothing is downloaded.
#   delivery-local/aspnet:10.0  stands in for mcr.microsoft.com/dotnet/aspnet:10.0: this machine's
#                               .NET runtime (dotnet, host/fxr, shared/Microsoft.NETCore.App and
#                               Microsoft.AspNetCore.App), the libraries it loads (glibc, libstdc++,
#                               OpenSSL, ICU, zlib), CA certificates, /bin/sh and the user app (1654).
#   delivery-local/hostusr      an empty root with /bin, /lib, /sbin linking into /usr: the test
#                               override runs Redis and RabbitMQ in it with the host's /usr mounted
#                               read-only (Debian's redis-server and rabbitmq-server).
# Usage: docker/local-base.sh   (DOCKER_HOST names the engine, DOCKER the CLI; prints the seconds it took)
set -euo pipefail
start=$(date +%s.%N)
dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

skeleton() {
  local root=$1
  mkdir -p "$root"/{etc,tmp,root,home/app,usr/bin,usr/lib,usr/lib64,usr/sbin}
  chmod 1777 "$root/tmp"
  ln -s usr/bin "$root/bin"; ln -s usr/lib "$root/lib"; ln -s usr/lib64 "$root/lib64"; ln -s usr/sbin "$root/sbin"
  printf 'root:x:0:0:root:/root:/bin/sh\napp:x:1654:1654:app:/home/app:/usr/sbin/nologin\n' > "$root/etc/passwd"
  printf 'root:x:0:\napp:x:1654:\n' > "$root/etc/group"
  chown 1654:1654 "$root/home/app"
}

# Copies a file and every library ldd says it needs, at their paths (symlinks resolved).
with_libraries() {
  local root=$1; shift
  for f in "$@"; do
    cp -L --parents "$f" "$root"
    ldd "$f" 2>/dev/null | awk '/=>/ {print $3} /^[ \t]*\/lib/ {print $1}' | while read -r lib; do
      if [ -e "$lib" ] && [ ! -e "$root/$lib" ]; then cp -L --parents "$lib" "$root"; fi
    done
  done
}

aspnet=$work/aspnet
skeleton "$aspnet"
mkdir -p "$aspnet/usr/share/dotnet"
cp -a "$dotnet_root/dotnet" "$dotnet_root/host" "$dotnet_root/shared" "$aspnet/usr/share/dotnet/"
rm -f "$aspnet/usr/bin/dotnet"; ln -s ../share/dotnet/dotnet "$aspnet/usr/bin/dotnet"
libdir=/usr/lib/x86_64-linux-gnu
# dlopen'ed by the runtime, so ldd does not name them.
with_libraries "$aspnet" /usr/bin/dash "$dotnet_root/dotnet" $(find "$dotnet_root/shared" -name '*.so') \
  $libdir/libssl.so.3 $libdir/libcrypto.so.3 $libdir/libicuuc.so.72 $libdir/libicui18n.so.72 $libdir/libicudata.so.72 $libdir/libz.so.1
ln -s dash "$aspnet/usr/bin/sh"
for l in libssl.so.3 libcrypto.so.3 libicuuc.so.72 libicui18n.so.72 libicudata.so.72 libz.so.1; do
  if [ ! -e "$aspnet$libdir/$l" ]; then cp -L "$libdir/$l" "$aspnet$libdir/"; fi
done
mkdir -p "$aspnet/etc/ssl/certs"
cp -L /etc/ssl/certs/ca-certificates.crt "$aspnet/etc/ssl/certs/"
tar -C "$aspnet" -c . | "${DOCKER:-docker}" import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV DOTNET_ROOT=/usr/share/dotnet' \
  --change 'ENV APP_UID=1654' \
  --change 'ENV ASPNETCORE_HTTP_PORTS=8080' \
  --change 'ENV DOTNET_RUNNING_IN_CONTAINER=true' \
  - delivery-local/aspnet:10.0 >/dev/null

hostusr=$work/hostusr
skeleton "$hostusr"
tar -C "$hostusr" -c . | "${DOCKER:-docker}" import --change 'ENV PATH=/usr/sbin:/usr/bin:/sbin:/bin' - delivery-local/hostusr >/dev/null

printf 'local base images made in %.1f s\n' "$(echo "$(date +%s.%N) - $start" | bc)"
