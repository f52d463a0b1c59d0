import type {RemoteLayout} from './remote-layout.js'

import {shellJoin, shellQuote} from '../ssh/shell-quote.js'
import {remoteShellWord} from './remote-layout.js'
import {PRINT_FILES_TRAILER} from './status-trailer.js'

/** What runs on each host: an uploaded script with its arguments, or an ad-hoc shell command. */
export type RunWhat = {kind: 'command'; command: string} | {kind: 'script'; script: string; args: string[]}

/** Exit status of the run script when it cannot even make or enter its working folder. */
export const SETUP_FAILED = 125

/**
 * The shell script (for `posixShell`) that runs the user's command on a host: it empties and
 * enters the working folder, starts the command in a session of its own (`setsid`), so its whole
 * process tree is one process group whose id goes into the pid file for `killScript`, waits, and
 * exits with the command's status, its stderr ending with the files trailer (status-trailer.ts).
 * Arguments are quoted: they arrive as literal words.
 */
export function runScript(layout: RemoteLayout, what: RunWhat, runId: string): string {
  const argv =
    what.kind === 'command'
      ? `/bin/sh -c ${shellQuote(what.command)}`
      : `${remoteShellWord(layout.script ?? '')} ${shellJoin(what.args)}`.trimEnd()
  return [
    // A script waits for its upload, which runs meanwhile on the SFTP channel (see streamExec's `ready`).
    ...(what.kind === 'script' ? [`IFS= read -r go || exit ${SETUP_FAILED}`] : []),
    `run=${remoteShellWord(layout.runDir)}`,
    `if ! { mkdir -p "$run" && cd "$run" && rm -rf output && mkdir output; }; then`,
    `  echo "director: cannot prepare $run" >&2; exit ${SETUP_FAILED}`,
    'fi',
    `DIRECTOR_OUTPUT="$run/output" DIRECTOR_RUN_ID=${shellQuote(runId)}`,
    'export DIRECTOR_OUTPUT DIRECTOR_RUN_ID',
    // Without setsid (not Linux) the command stays in the group sshd made for this session.
    `if command -v setsid >/dev/null 2>&1; then setsid ${argv} & else ${argv} & fi`,
    'pid=$!',
    `echo "$pid" > ${remoteShellWord(layout.pidFile)}`,
    'wait "$pid"',
    'status=$?',
    `rm -f ${remoteShellWord(layout.pidFile)}`,
    PRINT_FILES_TRAILER,
    'exit "$status"',
  ].join('\n')
}

/**
 * Kills a run's whole process tree: TERM to its process group (and session, where pkill is),
 * up to 2 s for it to go, then KILL. Waits up to 2 s for the pid file of a run just starting.
 */
export function killScript(layout: RemoteLayout): string {
  const pkill = (signal: string): string => `command -v pkill >/dev/null 2>&1 && pkill -${signal} -s "$p"`
  return [
    `f=${remoteShellWord(layout.pidFile)}`,
    'i=0',
    'while [ ! -s "$f" ] && [ "$i" -lt 20 ]; do sleep 0.1; i=$((i + 1)); done',
    '[ -s "$f" ] || exit 0',
    'p=$(cat "$f")',
    'kill -s TERM -- "-$p" 2>/dev/null || kill -s TERM "$p" 2>/dev/null',
    pkill('TERM'),
    'i=0',
    'while kill -s 0 -- "-$p" 2>/dev/null && [ "$i" -lt 20 ]; do sleep 0.1; i=$((i + 1)); done',
    'kill -s KILL -- "-$p" 2>/dev/null',
    pkill('KILL'),
    'exit 0',
  ].join('\n')
}

/** Streams the run's output folder as a tar archive; prints nothing when the folder is empty. */
export function fetchFilesScript(layout: RemoteLayout): string {
  return `cd ${remoteShellWord(layout.outputDir)} 2>/dev/null && [ -n "$(ls -A)" ] && exec tar cf - .`
}
