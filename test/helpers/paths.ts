import {fileURLToPath} from 'node:url'

/** The repository root, from the compiled test file's place in dist/test/. */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url))
export const fixtures = `${repoRoot}fixtures`
