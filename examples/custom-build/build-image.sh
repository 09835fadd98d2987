#!/usr/bin/env bash
# Builds target/image: a Java runtime holding only the JDK modules this application needs (found by jdeps), with the
# application's module path (target/modules: its jar, the federation, the tcp transport and their libraries) inside.
# target/image/bin/orders runs it on that Java alone. Needs a JDK with jmods (Debian: openjdk-17-jdk-headless).
set -euo pipefail
cd "$(dirname "$0")"
mvn -B -ntp -q package
java_home="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
jdk_modules="$("$java_home/bin/jdeps" --ignore-missing-deps --multi-release 17 --print-module-deps \
    --module-path target/modules --add-modules ALL-MODULE-PATH)"
# reached only through providers and reflection, which jdeps cannot see: Ed25519 vote keys (SunEC), Kryo's Unsafe,
# Log4j's JNDI lookups (it warns without java.naming)
jdk_modules="$jdk_modules,jdk.crypto.ec,jdk.unsupported,java.naming"
rm -rf target/image
"$java_home/bin/jlink" --add-modules "$jdk_modules" --strip-debug --no-header-files --no-man-pages \
    --compress=2 --output target/image
cp -r target/modules target/image/app
cat > target/image/bin/orders <<'LAUNCH'
#!/usr/bin/env bash
home="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
exec "$home/bin/java" -p "$home/app" -m com.example.orders/com.example.orders.OrdersFederation "$@"
LAUNCH
chmod +x target/image/bin/orders
echo "image: target/image ($(du -sh target/image | cut -f1)); JDK modules: $jdk_modules"
