import {Chalk, type ChalkInstance} from 'chalk'

/** Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function makeColors(stream: NodeJS.WriteStream = process.stdout): ChalkInstance {
  const noColor = process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== ''
  return new Chalk({level: stream.isTTY && !noColor ? 1 : 0})
}
