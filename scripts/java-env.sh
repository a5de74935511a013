# Shared by ./echowall and the benchmark scripts (sourced, not run): finds a JDK 21+, picks the JVM
# flags Netty needs, and prepares the Maven Wrapper's distribution. Callers define die().
maven_version=3.9.16

# Prints the major version of the JDK at $1, or nothing if $1 is not a JDK.
jdk_major() {
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  local version
  if [ -f "$1/release" ]; then
    version=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$1/release")
  else
    version=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/.*java.specification.version = //p')
  fi
  version=${version#1.}
  printf '%s\n' "${version%%[.+-]*}"
}

# Honours JAVA_HOME when it is 21+, otherwise takes the newest JDK 21+ in the usual places.
find_jdk() {
  local major
  if [ -n "${JAVA_HOME:-}" ]; then
    major=$(jdk_major "$JAVA_HOME")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then printf '%s\n' "$JAVA_HOME"; return; fi
    printf 'echowall: JAVA_HOME (%s) is not a JDK 21 or newer; looking for one elsewhere\n' "$JAVA_HOME" >&2
  fi
  local best="" best_major=0 candidate
  local javac_home=""
  if command -v javac >/dev/null 2>&1; then
    javac_home=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
  fi
  for candidate in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* \
                   /Library/Java/JavaVirtualMachines/*/Contents/Home $javac_home; do
    [ -d "$candidate" ] || continue
    major=$(jdk_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then
      best=$candidate best_major=$major
    fi
  done
  [ -n "$best" ] || die "no JDK 21 or newer found (looked at JAVA_HOME, /usr/lib/jvm, /usr/java, /opt/java, ~/.sdkman).
Install one (for example Debian's openjdk-21-jdk or a Temurin 21+ build) or point JAVA_HOME at it."
  printf '%s\n' "$best"
}

# The wrapper pins Maven; unless MVNW_REPOURL names a repository, its distribution is read from the
# local Maven repository, seeded once by the system Maven (which already knows Maven Central).
prepare_maven() {
  [ -z "${MVNW_REPOURL:-}" ] || return 0
  local repo="${MAVEN_REPO_LOCAL:-$HOME/.m2/repository}"
  local zip="$repo/org/apache/maven/apache-maven/$maven_version/apache-maven-$maven_version-bin.zip"
  if [ ! -f "$zip" ]; then
    command -v mvn >/dev/null 2>&1 || die "the Maven $maven_version distribution is not in $repo and no system 'mvn' can fetch it.
Install Maven, or set MVNW_REPOURL to a Maven repository URL."
    mvn -B -q -Dmaven.repo.local="$repo" dependency:get -Dtransitive=false \
      -Dartifact="org.apache.maven:apache-maven:$maven_version:zip:bin" >&2 \
      || die "could not fetch the Maven $maven_version distribution with the system Maven"
  fi
  export MVNW_REPOURL="file://$repo"
  # wget (preferred by the wrapper when present) cannot read file:// URLs; the wrapper's Java
  # downloader can, and it is the one used when credentials are set (they are unused for files).
  export MVNW_USERNAME=local MVNW_PASSWORD=local
}

# Flags the JVM needs for Netty at full speed; JDK 24+ only understands the last two.
jvm_flags() {
  local major=$1
  if [ "$major" -ge 24 ]; then
    printf '%s\n' "--sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED"
  fi
}
