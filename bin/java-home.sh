# Sourced by bin/wmpc and bin/test (bash): finds a JDK 21 or newer and exports JAVA_HOME (and JAVA_MAJOR, its
# feature version). JAVA_HOME wins when it is one; else the first match under /usr/lib/jvm, Temurin 25 first; else
# it says what to install and exits 1. The java on PATH is not used: on Debian it is often an older JDK.
# Sets JAVA_QUIET_FLAGS: the flags that keep that JDK from warning about what wmpc's libraries and Maven do.

# The feature version of the JDK at $1 ("25" for 25.0.3, "1" for 1.8); fails when $1 holds no java.
java_major() {
  [ -x "$1/bin/java" ] || return 1
  # Match the version line, not the first line: JAVA_TOOL_OPTIONS makes java print "Picked up ..." above it.
  "$1/bin/java" -version 2>&1 | sed -n 's/.* version "\([0-9][0-9]*\).*/\1/p' | head -n 1
}

JAVA_MAJOR=""
for _jdk in ${JAVA_HOME:+"$JAVA_HOME"} /usr/lib/jvm/temurin-25* /usr/lib/jvm/temurin-2[1-9]* /usr/lib/jvm/java-2[1-9]* \
    /usr/lib/jvm/*; do
  _major="$(java_major "$_jdk")" || continue
  if [ "${_major:-0}" -ge 21 ]; then JAVA_HOME="$_jdk"; JAVA_MAJOR="$_major"; break; fi
done
unset _jdk _major
if [ -z "$JAVA_MAJOR" ]; then
  echo "${0##*/}: no Java 21 or newer found${JAVA_HOME:+ (JAVA_HOME=$JAVA_HOME is not one)}: install a JDK 21+" \
    "(e.g. Temurin 25) under /usr/lib/jvm, or set JAVA_HOME to one" >&2
  exit 1
fi
export JAVA_HOME JAVA_MAJOR

# JDK 24+ warns on stderr whenever a library uses sun.misc.Unsafe's memory access (Maven's Guice; LWJGL in wmpc's
# jar). JDK 23 introduced the flag that allows it quietly; older JDKs refuse to start on an unknown flag.
JAVA_QUIET_FLAGS=""
if [ "$JAVA_MAJOR" -ge 23 ]; then JAVA_QUIET_FLAGS="--sun-misc-unsafe-memory-access=allow"; fi
