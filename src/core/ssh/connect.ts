import {homedir} from 'node:os'
import {join} from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'
import {type LimitFunction} from 'p-limit'
import ssh2, {type AnyAuthMethod, type ServerHostKeyAlgorithm} from 'ssh2'

import type {Host} from '../inventory/host.js'
import type {KeyRing} from './identity.js'
import type {Bastion, JumpHosts} from './jump-hosts.js'
import type {KnownHostsStore} from './known-hosts-store.js'

import {type Failure, failure, HostFailure} from '../host-result.js'
import {classifySshError, type ConnectErrorContext, isTransientHandshakeError, targetOf} from './classify-ssh-error.js'
import {decideHostKey, type HostKeyCheck, preferredHostKeyAlgorithms} from './host-key-policy.js'
import {keyTypeOfBlob} from './known-hosts.js'
import {type Negotiated, SshSession} from './session.js'
import {openTransport} from './transport.js'

/** ssh2's host key algorithms, in its default order. */
const HOST_KEY_ALGORITHMS: ServerHostKeyAlgorithm[] = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
]

/** How to log in; one value serves every host of a command. */
export interface ConnectOptions {
  connectTimeoutMs: number
  /** Extra tries after a handshake the host dropped (sshd's MaxStartups does that to bursts). */
  retries: number
  hostKeyCheck: HostKeyCheck
  /** --known-hosts; else the host's ssh_config UserKnownHostsFile; else ~/.ssh/known_hosts. */
  knownHostsFile?: string | undefined
  knownHosts: KnownHostsStore
  keys: KeyRing
  /** ssh-agent socket (SSH_AUTH_SOCK), tried before key files. */
  agent?: string | undefined
  /** Seconds between SSH keepalives, so a host that vanishes mid-command is noticed. */
  keepaliveSeconds?: number
  /** The command's bastions, for hosts with a `jump`: one login each, closed by its owner. */
  jumps: JumpHosts
  /**
   * Direct logins in flight at once, whatever the fan-out (HANDSHAKE_CONCURRENCY): a burst of
   * -f 256 handshakes queues here instead of in the hosts' sshds and the CPU they share.
   */
  handshakes: LimitFunction
}

/**
 * Direct handshakes (TCP connect to logged in) at once per command. At -f 64 it never binds. At
 * -f 256 over 1,000 hosts on a loaded 2-core box, one run with 256 handshakes at once lost hosts;
 * with 64 at a time, runs ended 1000/1000 in the same wall time. A host's connect timeout counts
 * from its turn.
 */
export const HANDSHAKE_CONCURRENCY = 64

/**
 * Connects and logs in to one host: TCP with Nagle off (an exec round trip drops from ~47 ms
 * to ~4 ms), host key checked against known_hosts, public key auth only (never a password).
 * Retries dropped handshakes with jittered backoff. Throws a HostFailure on any failure. A host
 * with a `jump` is reached over a channel of its bastion's one login, at most the bastion's
 * concurrency at once; its connect timeout counts from its turn.
 */
export async function openSession(host: Host, options: ConnectOptions, signal?: AbortSignal): Promise<SshSession> {
  const via = host.jump && options.jumps.bastion(host.jump, async (jump, ended) => openSession(jump, options, ended))
  const once = async (): Promise<SshSession> => connectOnce(host, options, signal, via)
  for (let attempt = 0; ; attempt++) {
    try {
      return await (via ? via.slot(once) : options.handshakes(once))
    } catch (error) {
      const retry = error instanceof RetryableHandshake && attempt < options.retries
      if (!retry) throw error instanceof RetryableHandshake ? new HostFailure(error.failure) : error
      // Full jitter over a doubling window: 50-100 ms, 100-200 ms, ...
      const window = 50 * 2 ** attempt
      await sleep(window + Math.random() * window, undefined, {signal})
    }
  }
}

class RetryableHandshake extends Error {
  constructor(readonly failure: Failure) {
    super(failure.message)
  }
}

function knownHostsFiles(host: Host, options: ConnectOptions): string[] {
  if (options.knownHostsFile !== undefined) return [options.knownHostsFile]
  if (host.knownHostsFiles.length > 0) return host.knownHostsFiles
  return [join(homedir(), '.ssh', 'known_hosts')]
}

function authMethods(host: Host, options: ConnectOptions): AnyAuthMethod[] {
  const methods: AnyAuthMethod[] = []
  if (options.agent) methods.push({type: 'agent', username: host.user, agent: options.agent})
  for (const {key} of options.keys.keysFor(host.identityFiles))
    methods.push({type: 'publickey', username: host.user, key})
  return methods
}

async function connectOnce(
  host: Host,
  options: ConnectOptions,
  signal: AbortSignal | undefined,
  via: Bastion | undefined,
): Promise<SshSession> {
  signal?.throwIfAborted()
  const target = targetOf(host)
  const methods = authMethods(host, options)
  if (methods.length === 0) {
    throw new HostFailure(
      failure(
        'no-identity',
        'no SSH key: no ssh-agent (SSH_AUTH_SOCK) and no ~/.ssh/id_ed25519, id_ecdsa or id_rsa; use --identity FILE',
      ),
    )
  }

  const files = knownHostsFiles(host, options)
  const address = {host: host.address, port: host.port}
  const known = options.knownHosts.index(files)
  const client = new ssh2.Client()
  const started = performance.now()
  let stage: ConnectErrorContext['stage'] = 'tcp'
  let negotiated: Negotiated = {kex: '', serverHostKey: '', cipher: ''}
  let hostKeyFailure: Failure | undefined

  return new Promise<SshSession>((resolve, reject) => {
    let settled = false
    const finish = (outcome: Failure | RetryableHandshake | SshSession): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
      if (outcome instanceof SshSession) {
        resolve(outcome)
        return
      }

      client.end()
      transport.destroy()
      reject(outcome instanceof RetryableHandshake ? outcome : new HostFailure(outcome))
    }

    const onError = (error: Error & {code?: string}): void => {
      const context = {stage, target, timeoutSeconds: options.connectTimeoutMs / 1000}
      const classified = hostKeyFailure ?? classifySshError(error, context)
      const transient = hostKeyFailure === undefined && isTransientHandshakeError(error, stage)
      finish(transient ? new RetryableHandshake(classified) : classified)
    }

    const onAbort = (): void => {
      const reason: unknown = signal?.reason
      finish(reason instanceof HostFailure ? reason.failure : failure('aborted', 'interrupted'))
    }

    const timer = setTimeout(
      () => finish(timeoutFailure(stage, target, options.connectTimeoutMs)),
      options.connectTimeoutMs,
    )
    signal?.addEventListener('abort', onAbort, {once: true})

    const transport = openTransport(host, via, (error) =>
      error instanceof HostFailure ? finish(error.failure) : onError(error),
    )
    transport.opened.then((socket) => {
      // None (failed was told), or one that came after the deadline or Ctrl-C (finish destroyed it).
      if (socket === undefined || settled) return
      stage = 'handshake'
      client.on('error', onError)
      client.once('handshake', (info) => {
        stage = 'auth'
        negotiated = {kex: info.kex, serverHostKey: info.serverHostKey, cipher: info.cs.cipher}
      })
      client.once('ready', () =>
        finish(new SshSession({client, socket, host, loginMs: performance.now() - started, negotiated})),
      )
      client.connect({
        sock: socket,
        username: host.user,
        authHandler: methods,
        readyTimeout: options.connectTimeoutMs + 1000,
        keepaliveInterval: (options.keepaliveSeconds ?? 15) * 1000,
        keepaliveCountMax: 3,
        // Known key types of THIS host first, as OpenSSH orders them (order_hostkeyalgs).
        algorithms: {
          serverHostKey: preferredHostKeyAlgorithms(known.matching(address.host, address.port), HOST_KEY_ALGORITHMS),
        },
        hostVerifier(blob: Buffer): boolean {
          const presented = {type: keyTypeOfBlob(blob), key: blob.toString('base64')}
          const decision = decideHostKey(known, address, presented, options.hostKeyCheck)
          switch (decision.verdict) {
            case 'changed': {
              hostKeyFailure = failure('host-key-changed', decision.message)
              return false
            }

            case 'unknown': {
              hostKeyFailure = failure('host-key-unknown', decision.message)
              return false
            }

            case 'record': {
              options.knownHosts.record(files[0] ?? '', address, presented)
              return true
            }

            default: {
              return true
            }
          }
        },
      })
    })
  })
}

function timeoutFailure(stage: ConnectErrorContext['stage'], target: string, ms: number): Failure {
  const seconds = `${ms / 1000} s`
  switch (stage) {
    case 'tcp': {
      return failure('timeout', `no TCP connection to ${target} within ${seconds}`)
    }

    case 'handshake': {
      return failure('timeout', `${target} accepted TCP but no SSH handshake within ${seconds}`)
    }

    default: {
      return failure('timeout', `login to ${target} took longer than ${seconds}`)
    }
  }
}
