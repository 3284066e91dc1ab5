# Sourced by the scripts: exports JAVA_HOME pointing at a JDK >= 21.
# Order: $JAVA_HOME if it is new enough, then the newest JDK under /usr/lib/jvm.
tern_java_version() {
  "$1/bin/java" -version 2>&1 | awk -F'"' '/version/ {split($2, v, "."); print v[1]; exit}'
}
tern_find_java() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && [ "$(tern_java_version "$JAVA_HOME")" -ge 21 ] 2>/dev/null; then
    return 0
  fi
  local best="" best_v=0 d v
  for d in /usr/lib/jvm/*; do
    [ -x "$d/bin/javac" ] || continue
    v=$(tern_java_version "$d")
    if [ -n "$v" ] && [ "$v" -ge 21 ] 2>/dev/null && [ "$v" -gt "$best_v" ]; then best="$d"; best_v="$v"; fi
  done
  if [ -z "$best" ]; then
    echo "Tern needs a JDK 21 or newer: set JAVA_HOME or install one under /usr/lib/jvm." >&2
    return 1
  fi
  export JAVA_HOME="$best"
}
tern_find_java || exit 1
export PATH="$JAVA_HOME/bin:$PATH"
# Maven's own libraries trip JDK 23+'s sun.misc.Unsafe warnings; they are noise for Tern users.
if [ "$(tern_java_version "$JAVA_HOME")" -ge 23 ] 2>/dev/null; then
  export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
fi
