import {posix} from 'node:path'

import type {RunWhat} from '../run/remote-scripts.js'

import {remoteShellWord} from '../run/remote-layout.js'
import {posixShell, shellJoin, shellQuote} from '../ssh/shell-quote.js'
import {logStartLine} from './log-start.js'
import {PROC_FUNCTIONS} from './proc-shell.js'

/** Exit status of the start script when the sandbox cannot be made or the task did not start. */
export const START_FAILED = 125

/** `<remote-root>/tasks`: one sandbox folder per task. */
export function tasksDir(remoteRoot: string): string {
  const root = remoteRoot === '~' ? '~' : remoteRoot.replace(/\/+$/, '') || '/'
  return posix.join(root, 'tasks')
}

/** The sandbox of one task. */
export function taskDir(remoteRoot: string, id: string): string {
  return posix.join(tasksDir(remoteRoot), id)
}

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
 * The start script: makes the sandbox, writes cmd, project and started_at, starts the wrapper
 * detached from the SSH session (setsid, every stream redirected), waits (at most 10 s) for the
 * pid and prints `pid P`, `pgid G`, `start_time S` lines. Arguments arrive as literal words.
 */
export function startTaskScript(dir: string, what: RunWhat, project: string, id: string): string {
  const argv =
    what.kind === 'command'
      ? shellJoin(['/bin/sh', '-c', what.command])
      : `${remoteShellWord(what.script)} ${shellJoin(what.args)}`.trimEnd()
  const cmd = what.kind === 'command' ? what.command : shellJoin([what.script, ...what.args])
  return [
    `d=${remoteShellWord(dir)}`,
    `mkdir -p "$d" && cd "$d" || { echo "director: cannot make $d" >&2; exit ${START_FAILED}; }`,
    `command -v setsid >/dev/null 2>&1 || { echo "director: setsid not found (util-linux)" >&2; exit ${START_FAILED}; }`,
    `printf '%s\\n' ${shellQuote(project)} > project`,
    `printf '%s\\n' ${shellQuote(cmd)} > cmd`,
    'date -u +%Y-%m-%dT%H:%M:%SZ > started_at',
    `DIRECTOR_TASK_ID=${shellQuote(id)} DIRECTOR_PROJECT=${shellQuote(project)} DIRECTOR_TASK_DIR="$PWD"`,
    'export DIRECTOR_TASK_ID DIRECTOR_PROJECT DIRECTOR_TASK_DIR',
    `setsid /bin/sh -c ${shellQuote(WRAPPER)} director-task ${argv} </dev/null >/dev/null 2>&1 &`,
    'w=$!',
    'i=0',
    'while [ ! -s pid ] && [ "$i" -lt 100 ]; do sleep 0.1; i=$((i + 1)); done',
    // Given up on: the wrapper's group (its pid, setsid made it leader) goes too, or it would run unrecorded.
    `[ -s pid ] || { kill -s KILL -- "-$w" 2>/dev/null; echo "director: the task did not start within 10 s" >&2; exit ${START_FAILED}; }`,
    `for f in pid pgid start_time; do v=; IFS= read -r v < "$f"; printf '%s %s\\n' "$f" "$v"; done`,
  ].join('\n')
}

/**
 * The list script: ONE exec per host. Prints `clock <epoch>`, then for each sandbox a
 * `task <id>` line followed by `<file> <first line>` for its small files (`killed` too, when
 * marked), and `proc`/`lead` lines (state, group, start time) for its pid and its group leader.
 */
export function listTasksScript(remoteRoot: string): string {
  return [
    PROC_FUNCTIONS,
    `root=${remoteShellWord(tasksDir(remoteRoot))}`,
    `printf 'clock %s\\n' "$(date +%s)"`,
    'for d in "$root"/t-*; do',
    '  [ -d "$d" ] || continue',
    `  printf 'task %s\\n' "\${d##*/}"`,
    '  for f in project pid pgid start_time exit_code started_at ended_at signal; do',
    `    v=; [ -f "$d/$f" ] && IFS= read -r v < "$d/$f"; [ -n "$v" ] && printf '%s %s\\n' "$f" "$v"`,
    '  done',
    `  if [ -e "$d/killed" ]; then v=; IFS= read -r v < "$d/killed"; printf 'killed %s\\n' "$v"; fi`,
    '  p=; [ -f "$d/pid" ] && IFS= read -r p < "$d/pid"',
    `  [ -n "$p" ] && stat_of "$p" && printf 'proc %s %s %s\\n' "$st" "$pg" "$sp"`,
    '  p=; [ -f "$d/pgid" ] && IFS= read -r p < "$d/pgid"',
    `  [ -n "$p" ] && stat_of "$p" && printf 'lead %s %s %s\\n' "$st" "$pg" "$sp"`,
    'done',
    'exit 0',
  ].join('\n')
}

/** Every process of a `task logs --follow` carries `DIRECTOR_LOGS_OF=<task id>`, so it can be found on the host. */
export const FOLLOW_COOKIE = 'DIRECTOR_LOGS_OF'

/**
 * The command that prints a task's stdout (or stderr). With follow, it keeps printing until the
 * task's group ends, or until its own stdin closes: director keeps the channel's stdin open and
 * sshd closes it when director goes away (Ctrl-C, a lost connection), which ends the `tail` and
 * the loop with it. It runs under `env` with the FOLLOW_COOKIE, whatever the login shell.
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
