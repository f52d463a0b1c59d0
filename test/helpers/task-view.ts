import type {TaskView} from '../../src/core/tasks/task-view.js'

/** A TaskView for pure tests: project `p`, host `h`, pid 1, running, nothing else known; `fields` override. */
export function taskView(fields: Partial<TaskView> & Pick<TaskView, 'id'>): TaskView {
  return {
    project: 'p',
    host: 'h',
    pid: 1,
    state: 'running',
    startedAt: null,
    uptimeSeconds: null,
    exitCode: null,
    signal: null,
    endedAt: null,
    reason: null,
    request: null,
    ...fields,
  }
}
