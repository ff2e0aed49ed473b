# Sourced by ./linux4j and ./run-tests: sets JAVA to a java of release 25 or newer, or fails.
# Looks at $JAVA_HOME, then java on PATH, then /usr/lib/jvm/* and /Library/Java/JavaVirtualMachines/*.
# Runs on every ./linux4j start, so the usual case starts no process: bash builtins read the
# JDK's release file; readlink runs only for a java reached through symbolic links.

# Sets LINUX4J_RELEASE to the feature release in JDK home $1's release file (empty if none).
linux4j_release_file() {
    local line
    LINUX4J_RELEASE=
    [ -f "$1/release" ] || return 0
    while IFS= read -r line; do
        case "$line" in
            JAVA_VERSION=*)
                line="${line#JAVA_VERSION=\"}"
                LINUX4J_RELEASE="${line%%[!0-9]*}"
                return 0
                ;;
        esac
    done < "$1/release"
}

# Sets LINUX4J_HOME and LINUX4J_RELEASE for java binary $1 (RELEASE empty when unknown).
linux4j_java_release() {
    local java="$1"
    [ -L "$java" ] && java="$(readlink -f "$java")"
    LINUX4J_HOME="${java%/bin/java}"
    linux4j_release_file "$LINUX4J_HOME"
    if [ -z "$LINUX4J_RELEASE" ]; then
        # No release file: ask the JVM itself (about 70 ms).
        LINUX4J_RELEASE=$("$java" -XshowSettings:properties -version 2>&1 \
            | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1)
    fi
}

linux4j_find_jdk() {
    local candidates=() c
    [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME/bin/java")
    c="$(type -P java)" && candidates+=("$c")
    for c in /usr/lib/jvm/*/bin/java /Library/Java/JavaVirtualMachines/*/Contents/Home/bin/java; do
        [ -x "$c" ] && candidates+=("$c")
    done
    for c in "${candidates[@]}"; do
        [ -x "$c" ] || continue
        linux4j_java_release "$c"
        [ -x "$LINUX4J_HOME/bin/javac" ] || continue
        if [ -n "$LINUX4J_RELEASE" ] && [ "$LINUX4J_RELEASE" -ge 25 ]; then
            JAVA="$LINUX4J_HOME/bin/java"
            JAVA_HOME_FOUND="$LINUX4J_HOME"
            return 0
        fi
    done
    echo "linux4j: needs a JDK 25 or newer (set JAVA_HOME; on Debian/Ubuntu e.g. 'apt-get install openjdk-25-jdk', or get Temurin 25 from adoptium.net)" >&2
    return 1
}
