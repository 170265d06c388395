# The JVM options bin/wayfinder adds on this machine, for benchmarks that run Wayfinder's code in a
# JVM of their own (sourced; defines launcher_opts). They are the launcher's lines from
# default_java_opts= to exec, evaluated, so that the options it adds only where the kernel or the
# Java offers them (transparent huge pages, the safepoint interval) are the ones it would add here:
# a benchmark measures the JVM a server runs in. LAUNCHER_DEFAULTS=0 gives none (the JVM's own
# defaults), to compare.
# shellcheck shell=bash

launcher_opts() {
  [ "${LAUNCHER_DEFAULTS:-1}" != 0 ] || return 0
  sed -n '/^default_java_opts=/,/^exec /{/^exec /d;p}' "$(dirname "${BASH_SOURCE[0]}")/../../bin/wayfinder" \
    | bash -c 'eval "$(cat)"; printf %s "$default_java_opts"'
}
