#!/bin/sh
# Runs Vigil's benchmarks by hand (the build compiles them but never runs them). From the repository root:
#   agent/src/bench/run.sh jmh [JMH ARGS...]     e.g. agent/src/bench/run.sh jmh EngineBench -f 1
#   agent/src/bench/run.sh ingest [OPTIONS...]   e.g. agent/src/bench/run.sh ingest --phase 20
# The classes are copied to a snapshot first, so a rebuild while a benchmark runs cannot disturb it.
set -eu
cd "$(dirname "$0")/../../.."
./mvnw -B -q test-compile -pl agent
# the plugin by its full name: a prefix alone needs plugin metadata that a build never downloads
./mvnw -B -q org.apache.maven.plugins:maven-dependency-plugin:3.9.0:build-classpath -pl agent \
  -Dmdep.outputFile=target/bench-classpath.txt
snap=$(mktemp -d)
trap 'rm -rf "$snap"' EXIT
cp -r agent/target/classes "$snap/classes"
cp -r agent/target/test-classes "$snap/test-classes"
cp="$snap/test-classes:$snap/classes:$(cat agent/target/bench-classpath.txt)"
what=${1:-}
[ $# -gt 0 ] && shift
case "$what" in
  jmh) java -cp "$cp" org.openjdk.jmh.Main "$@" ;;
  ingest) java ${BENCH_JAVA_OPTS:-} -cp "$cp" dev.vigil.cli.Main bench ingest "$@" ;;
  *) echo "usage: $0 jmh [JMH ARGS] | ingest [vigil bench ingest OPTIONS]" >&2; exit 2 ;;
esac
