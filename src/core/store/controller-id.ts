import {hostname} from 'node:os'

/** This controller, as elections and logs name it: the machine and the pid (`node7:4242`). */
export function controllerId(): string {
  return `${hostname()}:${process.pid}`
}
