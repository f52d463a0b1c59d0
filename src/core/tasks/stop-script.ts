import {IDENTITY_FUNCTIONS, PROC_FUNCTIONS} from '../remote/proc-shell.js'
import {remoteShellWord} from '../remote/remote-path.js'
import {shellQuote} from '../remote/shell-quote.js'

/** What the stop script found and did, as the one word it prints. */
export type StopOutcome = 'ended' | 'foreign' | 'forced' | 'missing' | 'rebooted' | 'reused' | 'stopped'

/**
 * What director recorded when it started the task: the process and its start time, and the host
 * that started it (the inventory name; its machine and boot, unknown in records of older versions).
 */
export interface ExpectedProcess {
  pid: number
  pgid: number
  startTime: string
  host: string
  machine?: string | undefined
  boot?: string | undefined
}

/**
 * The stop script of one task. First, in this exec, it reads the host's identity and checks it
 * against the sandbox's owner file and the record: a task another host started (another
 * inventory name or another machine) is `foreign`, one started before this host's last boot is
 * `rebooted`, and neither is signalled, whatever its pid. Then it signals nothing unless the
 * recorded pid is still the task's process: alive, not a zombie, with the recorded start time
 * and process group (otherwise the pid was reused: `reused`). Then it writes the `killed`
 * marker, sends SIGTERM to the group, waits up to `graceSeconds` for every process of the group
 * to end, and sends SIGKILL to the group if one is left (`forced`, else `stopped`); the `signal`
 * file says which it sent last. A task whose process has already gone is `ended`; a missing
 * sandbox is `missing`.
 */
export function stopTaskScript(dir: string, expected: ExpectedProcess, graceSeconds: number): string {
  return [
    PROC_FUNCTIONS,
    IDENTITY_FUNCTIONS,
    `d=${remoteShellWord(dir)}`,
    `P=${shellQuote(String(expected.pid))} G=${shellQuote(String(expected.pgid))}`,
    `S=${shellQuote(expected.startTime)} H=${shellQuote(expected.host)}`,
    `M=${shellQuote(expected.machine ?? '')} B=${shellQuote(expected.boot ?? '')}`,
    '[ -d "$d" ] || { echo missing; exit 0; }',
    'read_identity',
    'if read_owner "$d"; then',
    '  [ "$o_host" = "$H" ] && [ "$o_machine" = "$me_m" ] || { echo foreign; exit 0; }',
    '  [ "$o_boot" = "$me_b" ] || { echo rebooted; exit 0; }',
    'fi',
    // The record's identity too; a record of an older version has none: the pid checks remain.
    '[ -z "$M" ] || [ "$M" = "$me_m" ] || { echo foreign; exit 0; }',
    '[ -z "$B" ] || [ "$B" = "$me_b" ] || { echo rebooted; exit 0; }',
    'if ! stat_of "$P" || [ "$st" = Z ]; then echo ended; exit 0; fi',
    '[ "$sp" = "$S" ] && [ "$pg" = "$G" ] || { echo reused; exit 0; }',
    'date -u +%Y-%m-%dT%H:%M:%SZ > "$d/killed"',
    'echo TERM > "$d/signal"',
    'kill -s TERM -- "-$G" 2>/dev/null',
    'g_want=$G',
    `i=0; n=$((${Math.max(0, Math.round(graceSeconds * 10))}))`,
    'while group_lives && [ "$i" -lt "$n" ]; do sleep 0.1; i=$((i + 1)); done',
    'if group_lives; then echo KILL > "$d/signal"; kill -s KILL -- "-$G" 2>/dev/null; echo forced; else echo stopped; fi',
    'exit 0',
  ].join('\n')
}
