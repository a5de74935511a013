# Shared by start-peer, install-peers and check-peers (sourced, not run). The JDK and the Maven
# Wrapper come from scripts/java-env.sh, as for the ./echowall launcher.

peers_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$peers_dir/../.." && pwd)

java_peers=(netty jetty javalin vertx helidon)
node_peers=(node-ws uws socketio)   # each has a package.json and a package-lock.json
all_peers=(netty jetty javalin vertx helidon node-ws uws socketio gevent uwsgi tornado)
# The fan-out contract (README.md). Socket.IO speaks its own protocol, so it serves no plain echo.
fanout_peers=(netty vertx uws socketio)

# Debian's Python, which sees Debian's packages (a python3 earlier on PATH may not).
debian_python=/usr/bin/python3

die() { printf '%s: %s\n' "$(basename "$0")" "$*" >&2; exit 1; }

is_peer() {
  local name
  for name in "${all_peers[@]}"; do [ "$name" = "$1" ] && return 0; done
  return 1
}

serves_echo() { [ "$1" != socketio ]; }

serves_fanout() {
  local name
  for name in "${fanout_peers[@]}"; do [ "$name" = "$1" ] && return 0; done
  return 1
}

is_java_peer() {
  local name
  for name in "${java_peers[@]}"; do [ "$name" = "$1" ] && return 0; done
  return 1
}

# True while process $1 runs. A peer that start-peer started is reparented when start-peer exits,
# and its new parent may take a while to reap it: a zombie has exited.
is_running() {
  local state
  state=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
  [[ $state != Z* ]]
}

# shellcheck source=../../scripts/java-env.sh
source "$repo_root/scripts/java-env.sh"
