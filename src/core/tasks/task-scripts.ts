import type {RunWhat} from '../remote/run-what.js'

import {IDENTITY_FUNCTIONS, PROC_FUNCTIONS} from '../remote/proc-shell.js'
import {remoteShellWord} from '../remote/remote-path.js'
import {posixShell, shellJoin, shellQuote} from '../remote/shell-quote.js'
import {logStartLine} from './log-start.js'
import {hostTasksDir, tasksDir} from './task-paths.js'

/** Exit status of the start script when the sandbox cannot be made or the task did not start. */
export const START_FAILED = 125

/**
 * Runs in the sandbox as the leader of a new session (setsid), so the task and everything it
 * starts is one process group: records its own pid (the group), starts the command with its
 * output in the sandbox, records the command's pid and start time, waits, writes ended_at and
 * exit_code. It outlives the SIGTERM of `task stop` (a trap, set after the command started so
 * the command keeps the default action) to record how the command ended: 143 for SIGTERM.
 */
const WRAPPER = [
  'echo "$$" > pgid',
  '"$@" </dev/null >stdout 2>stderr &',
  'c=$!',
  'trap : TERM',
  `sp=$(sed 's/.*) //' "/proc/$c/stat" 2>/dev/null | cut -d' ' -f20)`,
  'echo "$sp" > start_time',
  'echo "$c" > pid.new && mv pid.new pid',
  // A trapped signal cuts `wait` short: wait again while the command is there (a zombie counts).
  'while :; do wait "$c"; e=$?; kill -0 "$c" 2>/dev/null || break; done',
  'date -u +%Y-%m-%dT%H:%M:%SZ > ended_at',
  'echo "$e" > exit_code.new && mv exit_code.new exit_code',
].join('\n')

/**
 * The start script: makes the sandbox, writes its `owner` first (`host <inventory name>`,
 * `machine <id>`, `boot <id>`, the identity read here, in this exec), then cmd, project,
 * resources (when asked for) and started_at, starts the wrapper detached from the SSH session (setsid, every stream
 * redirected), waits (at most 10 s) for the pid and prints `pid P`, `pgid G`, `start_time S`,
 * `machine M`, `boot B` lines. Arguments arrive as literal words.
 */
export function startTaskScript({
  dir,
  host,
  id,
  project,
  what,
  resources,
}: {
  dir: string
  /** `cpus=1 mem=...B`, written to the sandbox's `resources` before the task starts (what it reserves). */
  resources?: string | undefined
  what: RunWhat
  project: string
  id: string
  /** The inventory name, written to the owner file. */
  host: string
}): string {
  const argv =
    what.kind === 'command'
      ? shellJoin(['/bin/sh', '-c', what.command])
      : `${remoteShellWord(what.script)} ${shellJoin(what.args)}`.trimEnd()
  const cmd = what.kind === 'command' ? what.command : shellJoin([what.script, ...what.args])
  return [
    IDENTITY_FUNCTIONS,
    `d=${remoteShellWord(dir)}`,
    `mkdir -p "$d" && cd "$d" || { echo "director: cannot make $d" >&2; exit ${START_FAILED}; }`,
    'read_identity',
    `printf 'host %s\\nmachine %s\\nboot %s\\n' ${shellQuote(host)} "$me_m" "$me_b" > owner.new && mv owner.new owner ||`,
    `  { echo "director: cannot write $d/owner" >&2; exit ${START_FAILED}; }`,
    `command -v setsid >/dev/null 2>&1 || { echo "director: setsid not found (util-linux)" >&2; exit ${START_FAILED}; }`,
    `printf '%s\\n' ${shellQuote(project)} > project`,
    `printf '%s\\n' ${shellQuote(cmd)} > cmd`,
    ...(resources === undefined ? [] : [`printf '%s\\n' ${shellQuote(resources)} > resources`]),
    'date -u +%Y-%m-%dT%H:%M:%SZ > started_at',
    // In the task's environment only, not this script's: what carries them on the host is the task.
    `DIRECTOR_TASK_ID=${shellQuote(id)} DIRECTOR_PROJECT=${shellQuote(project)} DIRECTOR_TASK_DIR="$PWD" \\`,
    `  setsid /bin/sh -c ${shellQuote(WRAPPER)} director-task ${argv} </dev/null >/dev/null 2>&1 &`,
    'w=$!',
    'i=0',
    'while [ ! -s pid ] && [ "$i" -lt 100 ]; do sleep 0.1; i=$((i + 1)); done',
    // Given up on: the wrapper's group (its pid, setsid made it leader) goes too, or it would run unrecorded.
    `[ -s pid ] || { kill -s KILL -- "-$w" 2>/dev/null; echo "director: the task did not start within 10 s" >&2; exit ${START_FAILED}; }`,
    `for f in pid pgid start_time; do v=; IFS= read -r v < "$f"; printf '%s %s\\n' "$f" "$v"; done`,
    `printf 'machine %s\\nboot %s\\n' "$me_m" "$me_b"`,
  ].join('\n')
}

/**
 * The list script: ONE exec per host. Prints `clock <epoch>` and the host's identity (`self
 * machine M`, `self boot B`), then for each sandbox in the host's folder (and, marked `legacy`,
 * each of the older layout's `<remote-root>/tasks/<id>/`) a `task <id>` line followed by
 * `<file> <first line>` for its small files (`killed` too, when marked), `owner <key> <value>`
 * from its owner file, and `proc`/`lead` lines (state, group, start time) for its pid and its
 * group leader. Another host's folder is never read.
 */
export function listTasksScript(remoteRoot: string, host: string): string {
  return [
    PROC_FUNCTIONS,
    IDENTITY_FUNCTIONS,
    'show() {',
    '  d=$1',
    `  printf 'task %s\\n' "\${d##*/}"`,
    `  [ -n "$2" ] && printf 'legacy\\n'`,
    '  for f in project pid pgid start_time exit_code started_at ended_at signal resources; do',
    `    v=; [ -f "$d/$f" ] && IFS= read -r v < "$d/$f"; [ -n "$v" ] && printf '%s %s\\n' "$f" "$v"`,
    '  done',
    `  if [ -e "$d/killed" ]; then v=; IFS= read -r v < "$d/killed"; printf 'killed %s\\n' "$v"; fi`,
    `  read_owner "$d" && printf 'owner host %s\\nowner machine %s\\nowner boot %s\\n' "$o_host" "$o_machine" "$o_boot"`,
    '  p=; [ -f "$d/pid" ] && IFS= read -r p < "$d/pid"',
    `  [ -n "$p" ] && stat_of "$p" && printf 'proc %s %s %s\\n' "$st" "$pg" "$sp"`,
    '  p=; [ -f "$d/pgid" ] && IFS= read -r p < "$d/pgid"',
    `  [ -n "$p" ] && stat_of "$p" && printf 'lead %s %s %s\\n' "$st" "$pg" "$sp"`,
    '  return 0',
    '}',
    `root=${remoteShellWord(tasksDir(remoteRoot))}`,
    `mine=${remoteShellWord(hostTasksDir(remoteRoot, host))}`,
    `printf 'clock %s\\n' "$(date +%s)"`,
    'read_identity',
    `printf 'self machine %s\\nself boot %s\\n' "$me_m" "$me_b"`,
    'for d in "$mine"/t-*; do [ -d "$d" ] && show "$d" ""; done',
    // The older layout: a sandbox holds a project file; a host's folder (a host named t-...) does not.
    'for d in "$root"/t-*; do [ -f "$d/project" ] && show "$d" legacy; done',
    'exit 0',
  ].join('\n')
}

/** Every process of a `task logs --follow` carries `DIRECTOR_LOGS_OF=<task id>`, so it can be found on the host. */
export const FOLLOW_COOKIE = 'DIRECTOR_LOGS_OF'

/**
 * The command that prints a task's stdout (or stderr). With follow, it keeps printing until the
 * task's group ends, or until its own stdin closes: director keeps the channel's stdin open and
 * sshd closes it when director goes away (Ctrl-C, a lost connection), which ends the `tail` and
 * the loop with it. A sandbox whose owner is another machine or an earlier boot is printed, not
 * followed. It runs under `env` with the FOLLOW_COOKIE, whatever the login shell.
 */
export function logsCommand(dir: string, id: string, stream: 'stderr' | 'stdout', follow: boolean): string {
  const file = `"$d"/${stream}`
  // What a chatty login shell prints comes before this line; readTaskLog drops it (LogStartFilter).
  const start = `printf '%s\\n' ${shellQuote(logStartLine(id))}`
  if (!follow) return posixShell(`d=${remoteShellWord(dir)}\n${start}\nexec cat ${file}`)
  const script = [
    PROC_FUNCTIONS,
    `d=${remoteShellWord(dir)}`,
    `[ -f ${file} ] || { echo "director: no ${stream} in $d" >&2; exit 1; }`,
    start,
    'g_want=; [ -f "$d/pgid" ] && IFS= read -r g_want < "$d/pgid"',
    IDENTITY_FUNCTIONS,
    'read_identity',
    // Its group is another machine's (or an earlier boot's): a pgid here says nothing about it.
    'if read_owner "$d" && { [ "$o_machine" != "$me_m" ] || [ "$o_boot" != "$me_b" ]; }; then g_want=; fi',
    // fd 3 is director's end: an asynchronous list gets /dev/null as its stdin.
    'exec 3<&0',
    `tail -n +1 -f ${file} </dev/null 3<&- &`,
    't=$!',
    '{ while [ -n "$g_want" ] && group_lives; do sleep 0.5; done; sleep 0.3; kill "$t" 2>/dev/null; } </dev/null 3<&- &',
    'w=$!',
    '( while IFS= read -r _; do :; done <&3; kill "$t" "$w" 2>/dev/null ) >/dev/null 2>&1 &',
    'r=$!',
    'exec 3<&-',
    'wait "$t"',
    'kill "$w" "$r" 2>/dev/null',
    'exit 0',
  ].join('\n')
  return `env ${FOLLOW_COOKIE}=${shellQuote(id)} ${posixShell(script)}`
}
