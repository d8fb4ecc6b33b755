#!/usr/bin/env bash
# Starts the services the test suite talks to when they are installed but not running: Redis on
# 127.0.0.1:6379 and RabbitMQ on 127.0.0.1:5672. Nothing is assumed about the machine's layout: Redis runs
# with no persistence from a folder of its own. Prints one line per service started. Exits non-zero under
# CI when a service cannot be brought up (CI must not pass by skipping).
set -euo pipefail
ci=false
case "${CI:-}" in 1|true|TRUE|yes) ci=true ;; esac

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for() {  # port seconds
  for _ in $(seq 1 "$2"); do port_open "$1" && return 0; sleep 1; done
  return 1
}

failed=0
if ! port_open 6379; then
  if command -v redis-server >/dev/null; then
    dir="${TMPDIR:-/tmp}/clea-redis"
    mkdir -p "$dir"
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
      --dir "$dir" --logfile "$dir/redis.log"
    if wait_for 6379 20; then echo "services: Redis started on 127.0.0.1:6379"; else failed=1; echo "services: Redis did not start (see $dir/redis.log)" >&2; fi
  else
    failed=1; echo "services: redis-server is not installed (scripts/system-deps.sh test)" >&2
  fi
fi
if ! port_open 5672; then
  if command -v rabbitmq-server >/dev/null; then
    rabbitmq-server -detached >/dev/null 2>&1 || true
    if wait_for 5672 90; then echo "services: RabbitMQ started on 127.0.0.1:5672"; else failed=1; echo "services: RabbitMQ did not start" >&2; fi
  else
    failed=1; echo "services: rabbitmq-server is not installed (scripts/system-deps.sh test)" >&2
  fi
fi
if [ "$failed" = 1 ] && [ "$ci" = true ]; then exit 1; fi
exit 0
