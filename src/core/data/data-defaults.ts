import type {PlacementMode} from './plan-placement.js'

import {DEFAULT_REMOTE_ROOT} from '../remote/remote-path.js'
import {DEFAULT_EXTENSIONS} from './scan-data-dir.js'

/** The defaults of a data request, the same for the library and the CLI's flags. */
export const DATA_DEFAULTS: {extensions: string[]; placement: PlacementMode; remoteRoot: string} = {
  extensions: DEFAULT_EXTENSIONS,
  placement: 'auto',
  remoteRoot: DEFAULT_REMOTE_ROOT,
}
