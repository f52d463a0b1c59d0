/** What runs on each host (a run, a task): an uploaded script with its arguments, or an ad-hoc shell command. */
export type RunWhat = {kind: 'command'; command: string} | {kind: 'script'; script: string; args: string[]}
