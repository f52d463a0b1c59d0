import {posix} from 'node:path'

import type {RunWhat} from '../remote/run-what.js'
import type {HostLayout} from './host-layout.js'

import {remoteShellWord} from '../remote/remote-path.js'
import {shellJoin, shellQuote} from '../remote/shell-quote.js'
import {PRINT_FILES_TRAILER} from './status-trailer.js'

/** Exit status of the run script when it cannot even make or enter its working folder. */
export const SETUP_FAILED = 125

/** Days after which a run folder still marked live is taken as abandoned (its host went down mid-run). */
export const ABANDONED_DAYS = 7

/**
 * A run id (run-id.ts) as a shell pattern: `2026-12-01T10-00-00.000Z-` and then hex digits, which
 * pruneScript checks on its own. These are the only folders pruning ever removes.
 */
const RUN_ID_GLOB = '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]-[0-9][0-9]-[0-9][0-9].[0-9][0-9][0-9]Z-?*'

/** What the run script writes into its `live` mark when it ends (the mark is empty while it runs). */
const ENDED = 'ended'

/** The shell test "this live mark says its run is still running" (pruneScript's find: `-empty`). */
function stillLive(mark: string): string {
  return `[ -e ${mark} ] && [ ! -s ${mark} ]`
}

/**
 * The shell script (for `posixShell`) that runs the user's command on a host: it makes, marks live
 * and enters the host's own working folder of this run, prunes the project's old runs, starts the
 * command with `DIRECTOR_RUN_ID` set to the layout's cookie (every process it starts inherits it,
 * whatever group it moves to: `killScript` finds them by it), writes the command's process group
 * into the pid file, waits, and exits with the command's status, its stderr ending with the files
 * trailer (status-trailer.ts). Arguments arrive as literal words.
 *
 * sshd makes each session channel a session of its own, and /bin/sh leads it when the login shell
 * hands over to it (bash and dash do for `sh -c`): then that session's group is the run's alone,
 * and the command stays in it. Anywhere else the command gets a session of its own (`setsid`,
 * one more program on the host). The script ignores TERM once the command has started, so that
 * killing the group ends the command and lets the script report it. Shell built-ins only, but
 * `mkdir`, the command itself and what pruning removes: on a fleet, every program a host starts
 * is paid once per host.
 */
export function runScript(layout: HostLayout, what: RunWhat, keepRuns: number): string {
  const argv =
    what.kind === 'command'
      ? `/bin/sh -c ${shellQuote(what.command)}`
      : `${remoteShellWord(layout.script ?? '')} ${shellJoin(what.args)}`.trimEnd()
  const live = remoteShellWord(layout.liveFile)
  const ended = `echo ${ENDED} > ${live}`
  return [
    `run=${remoteShellWord(layout.hostDir)}`,
    // Marked live first: pruning by another run never removes a folder whose upload is under way.
    `if ! { mkdir -p "$run/.director" "$run/output" && cd "$run" && : > ${live}; }; then`,
    `  echo "director: cannot prepare $run" >&2; exit ${SETUP_FAILED}`,
    'fi',
    // A script waits for its upload, which runs meanwhile on the SFTP channel (see streamExec's `ready`).
    ...(what.kind === 'script' ? [`IFS= read -r go || { ${ended}; exit ${SETUP_FAILED}; }`] : []),
    `{ ${pruneScript(layout, keepRuns)}; } >/dev/null 2>&1`,
    `DIRECTOR_OUTPUT="$run/output" DIRECTOR_RUN_ID=${shellQuote(layout.cookie)}`,
    'export DIRECTOR_OUTPUT DIRECTOR_RUN_ID',
    // Fields 5 and 6 of /proc/<pid>/stat: process group and session (Linux; elsewhere empty).
    'g= s=; { read -r _ _ _ _ g s _ < /proc/$$/stat; } 2>/dev/null',
    'if [ "$g" = "$$" ] && [ "$s" = "$$" ]; then',
    `  ${argv} &`,
    'elif command -v setsid >/dev/null 2>&1; then',
    `  setsid ${argv} & g=$!`,
    'else',
    // No setsid (not Linux): the command stays in the group sshd made for this session.
    `  ${argv} & g=$!`,
    'fi',
    'pid=$!',
    "trap '' TERM",
    `echo "$g" > ${remoteShellWord(layout.pidFile)}`,
    'wait "$pid"',
    'status=$?',
    `: > ${remoteShellWord(layout.pidFile)}; ${ended}`,
    PRINT_FILES_TRAILER,
    'exit "$status"',
  ].join('\n')
}

/**
 * Removes the project's run folders but the newest `keep` (run ids sort by start time), except
 * those where some host is still marked live (an empty `live` file; runScript writes into it when
 * it ends): with a shared home, another host may be running it. A live mark older than
 * ABANDONED_DAYS is a host that went down mid-run. Shell built-ins only, in a function (its own
 * "$@"): a host pays one `rm` per run removed and a `find` per old run still marked live, and
 * nothing while the project has `keep` runs or fewer.
 */
export function pruneScript(layout: HostLayout, keep: number): string {
  const live = `find "$old" -mindepth 3 -maxdepth 3 -path '*/.director/live' -empty -mtime -${ABANDONED_DAYS} -print -quit`
  return [
    'director_prune() {',
    '  set --',
    `  for d in ${remoteShellWord(layout.projectDir)}/${RUN_ID_GLOB}; do`,
    // Shell parameter expansion, not a template: the part after `Z-` must be hex digits.
    // eslint-disable-next-line no-template-curly-in-string
    '    case ${d##*Z-} in *[!0-9a-f]*) ;; *) [ -d "$d" ] && set -- "$@" "$d" ;; esac',
    '  done',
    `  n=$(($# - ${keep}))`,
    '  for old; do',
    '    [ "$n" -gt 0 ] || break',
    '    n=$((n - 1))',
    '    marked=',
    `    for m in "$old"/*/.director/live; do ${stillLive('"$m"')} && marked=1; done`,
    `    if [ -z "$marked" ] || [ -z "$(${live})" ]; then rm -rf -- "$old"; fi`,
    '  done',
    '}',
    'director_prune',
  ].join('\n')
}

/**
 * Ends every process of the run on this host, in one exec. It finds them two ways: the process
 * group in the pid file, and every process whose environment holds the run's cookie (Jenkins'
 * ProcessTreeKiller), which also finds those that left the group (`setsid`, `nohup`, double
 * forks). TERM to all, up to 2 s for them (and the run script) to go, then KILL, repeated while
 * any is left. Zombies have no environment left, so they never count. Waits up to 2 s for the pid
 * file of a run just starting (not one that has ended).
 */
export function killScript(layout: HostLayout): string {
  const pkill = (signal: string): string => `command -v pkill >/dev/null 2>&1 && pkill -${signal} -s "$p"`
  const group = (signal: string): string =>
    `[ -n "$p" ] && { kill -s ${signal} -- "-$p" 2>/dev/null || kill -s ${signal} "$p" 2>/dev/null; ${pkill(signal)}; }`
  return [
    `f=${remoteShellWord(layout.pidFile)}`,
    `c=${shellQuote(`DIRECTOR_RUN_ID=${layout.cookie}`)}`,
    // The kill script's own environment lacks the cookie: it never finds itself.
    String.raw`found() { grep -lzxsF -- "$c" /proc/[0-9]*/environ 2>/dev/null | sed 's,^/proc/\([0-9]*\)/environ$,\1,'; }`,
    'i=0',
    `l=${remoteShellWord(layout.liveFile)} d=${remoteShellWord(posix.dirname(layout.liveFile))}`,
    // Not made yet, or made and live without a pid: the command is about to start.
    `while { [ ! -d "$d" ] || { ${stillLive('"$l"')}; }; } && [ ! -s "$f" ] && [ "$i" -lt 20 ]; do sleep 0.1; i=$((i + 1)); done`,
    'p=$(cat "$f" 2>/dev/null)',
    group('TERM'),
    'pids=$(found); [ -n "$pids" ] && kill -s TERM $pids 2>/dev/null',
    'i=0',
    // Also until the run script has reported the end (it empties the pid file): it may share the group.
    'while { [ -n "$(found)" ] || [ -s "$f" ]; } && [ "$i" -lt 20 ]; do sleep 0.1; i=$((i + 1)); done',
    group('KILL'),
    'i=0',
    'while pids=$(found) && [ -n "$pids" ] && [ "$i" -lt 10 ]; do kill -s KILL $pids 2>/dev/null; sleep 0.1; i=$((i + 1)); done',
    // A run script killed with its group could not say it ended: said here, and its group is forgotten.
    `[ -s "$f" ] && : > "$f"; ${stillLive('"$l"')} && echo ${ENDED} > "$l"`,
    'exit 0',
  ].join('\n')
}

/** Streams the run's output folder as a tar archive; prints nothing when the folder is empty. */
export function fetchFilesScript(layout: HostLayout): string {
  return `cd ${remoteShellWord(layout.outputDir)} 2>/dev/null && [ -n "$(ls -A)" ] && exec tar cf - .`
}
