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
