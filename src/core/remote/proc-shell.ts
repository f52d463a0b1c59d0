/**
 * Shell functions (POSIX sh, Linux /proc) shared by the task scripts. `stat_of PID` sets
 * `st` (state letter), `pg` (process group) and `sp` (start time, field 22) from
 * /proc/PID/stat, cutting at the last `) ` because the command name may hold spaces.
 * `group_lives` is true while a process of group `$g_want` runs that is not a zombie (the hosts'
 * init may be slow to reap, and a zombie is not running).
 */
export const PROC_FUNCTIONS = [
  'stat_of() {',
  '  l=; { IFS= read -r l < "/proc/$1/stat"; } 2>/dev/null || return 1',
  `  set -- \${l##*') '}`,
  `  st=$1; pg=$3; sp=\${20}`,
  '}',
  'group_lives() {',
  '  for s in /proc/[0-9]*/stat; do',
  '    l=; { IFS= read -r l < "$s"; } 2>/dev/null || continue',
  `    set -- \${l##*') '}`,
  '    [ "$3" = "$g_want" ] && [ "$1" != Z ] && return 0',
  '  done',
  '  return 1',
  '}',
].join('\n')

/**
 * Sets `me_m` (the machine: /etc/machine-id, else `hostname:<uname -n>`) and `me_b` (the boot:
 * /proc/sys/kernel/random/boot_id) of the host the script runs on. A task's sandbox records them
 * when it starts; every later script compares them in the same exec, before trusting a pid.
 */
export const IDENTITY_FUNCTIONS = [
  'read_identity() {',
  '  me_m=; { IFS= read -r me_m < /etc/machine-id; } 2>/dev/null',
  `  [ -n "$me_m" ] || me_m="hostname:$(uname -n 2>/dev/null)"`,
  '  me_b=; { IFS= read -r me_b < /proc/sys/kernel/random/boot_id; } 2>/dev/null',
  '}',
  // Sets o_host, o_machine, o_boot from the sandbox's owner file; false when it has none.
  'read_owner() {',
  '  o_host=; o_machine=; o_boot=',
  '  [ -f "$1/owner" ] || return 1',
  '  while IFS=" " read -r k v; do',
  '    case $k in host) o_host=$v ;; machine) o_machine=$v ;; boot) o_boot=$v ;; esac',
  '  done < "$1/owner"',
  '  return 0',
  '}',
].join('\n')
