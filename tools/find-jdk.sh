# Sourced by ./linux4j and ./run-tests: sets JAVA to a java of release 25 or newer, or fails.
# Looks at $JAVA_HOME, then java on PATH, then /usr/lib/jvm/* and /Library/Java/JavaVirtualMachines/*.
linux4j_java_release() {
    # The JDK's release file names its version without starting a JVM (which costs ~70 ms a try);
    # ask the JVM itself only when there is no such file.
    local home rel
    home="$(cd "$(dirname "$(readlink -f "$1")")/.." && pwd)"
    if [ -f "$home/release" ]; then
        rel=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release" | head -n 1)
        if [ -n "$rel" ]; then
            echo "$rel"
            return
        fi
    fi
    "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

linux4j_find_jdk() {
    local candidates=() c rel
    [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME/bin/java")
    command -v java >/dev/null 2>&1 && candidates+=("$(command -v java)")
    for c in /usr/lib/jvm/*/bin/java /Library/Java/JavaVirtualMachines/*/Contents/Home/bin/java; do
        [ -x "$c" ] && candidates+=("$c")
    done
    for c in "${candidates[@]}"; do
        [ -x "$c" ] || continue
        [ -x "$(dirname "$c")/javac" ] || continue
        rel=$(linux4j_java_release "$c")
        if [ -n "$rel" ] && [ "$rel" -ge 25 ]; then
            JAVA="$c"
            JAVA_HOME_FOUND="$(cd "$(dirname "$c")/.." && pwd)"
            return 0
        fi
    done
    echo "linux4j: needs a JDK 25 or newer (set JAVA_HOME; on Debian/Ubuntu e.g. 'apt-get install openjdk-25-jdk', or get Temurin 25 from adoptium.net)" >&2
    return 1
}
