import {noop} from 'cockatiel'
import {Etcd3} from 'etcd3'

import {
  type Candidate,
  type CoordinationStore,
  type Fence,
  NotLeaderError,
  type StoreCampaign,
  StoreUnreachableError,
} from './types.js'

/** Each unary call's bound: a store that does not answer in this long counts as unreachable. */
const CALL_MS = 2000
/** The election's name under a project's prefix: its keys are `<prefix>election/leader/<lease id>`. */
const ELECTION = 'leader'

/** The gist of a gRPC error, in a few words: `connection refused`, `no answer in 2 s`, else its first line. */
function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error)
  if (text.includes('ECONNREFUSED')) return 'connection refused'
  if (/DEADLINE_EXCEEDED|deadline/i.test(text)) return `no answer in ${CALL_MS / 1000} s`
  return (text.split('\n')[0] ?? text).replace(/^\d+ [A-Z_]+: /, '')
}

/**
 * The etcd v3 backend of the coordination store, through the `etcd3` client (>= 1.1.2, whose
 * elections are sound). Calls fail fast (no retries, no circuit breaker; each bounded by
 * CALL_MS): keep retries on its own schedule and says so.
 */
export function openEtcdStore(endpoint: string, hosts: string[]): CoordinationStore {
  const client = new Etcd3({
    hosts: hosts.map((host) => `http://${host}`),
    dialTimeout: CALL_MS,
    defaultCallOptions: (context) => (context.isStream ? {} : {deadline: Date.now() + CALL_MS}),
    faultHandling: {host: () => noop, global: noop},
  })
  const unreachable = (error: unknown): Error =>
    error instanceof NotLeaderError ? error : new StoreUnreachableError(endpoint, messageOf(error))
  const guarded = (fence: Fence) => client.if(fence.key, 'Create', '==', fence.revision)
  const electionPrefix = (prefix: string): string => `${prefix}election/${ELECTION}/`
  const notLeader = (): NotLeaderError => new NotLeaderError('the leader key is gone (lease lost or resigned)')

  return {
    endpoint,
    async get(key) {
      try {
        return (await client.get(key).string()) ?? undefined
      } catch (error) {
        throw unreachable(error)
      }
    },
    async list(prefix) {
      try {
        const values = await client.getAll().prefix(prefix).strings()
        return Object.entries(values)
          .map(([key, value]) => ({key, value}))
          .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      } catch (error) {
        throw unreachable(error)
      }
    },
    async put(key, value, fence) {
      try {
        if (fence === undefined) {
          await client.put(key).value(value).exec()
          return
        }

        const result = await guarded(fence).then(client.put(key).value(value)).commit()
        if (!result.succeeded) throw notLeader()
      } catch (error) {
        throw unreachable(error)
      }
    },
    async delete(key, options = {}) {
      try {
        const op = options.prefix ? client.delete().prefix(key) : client.delete().key(key)
        if (options.fence === undefined) return Number((await op.exec()).deleted)
        const result = await guarded(options.fence).then(op).commit()
        if (!result.succeeded) throw notLeader()
        return Number(result.responses[0]?.response_delete_range?.deleted ?? 0)
      } catch (error) {
        throw unreachable(error)
      }
    },
    async check(fence) {
      let held: boolean
      try {
        held = (await guarded(fence).commit()).succeeded
      } catch (error) {
        throw new NotLeaderError(`cannot prove the lease: store ${endpoint} unreachable (${messageOf(error)})`)
      }

      if (!held) throw notLeader()
    },
    campaign(prefix, value, ttlSeconds) {
      return etcdCampaign(client, prefix, value, ttlSeconds)
    },
    async candidates(prefix) {
      try {
        const listed = await client.getAll().prefix(electionPrefix(prefix)).sort('Create', 'Ascend').exec()
        return await Promise.all(
          listed.kvs.map(async (kv): Promise<Candidate> => {
            const ttl = await client.leaseClient.leaseTimeToLive({ID: kv.lease}).catch(() => ({TTL: '-1'}))
            return {value: kv.value.toString('utf8'), key: kv.key.toString('utf8'), leaseLeft: Number(ttl.TTL)}
          }),
        )
      } catch (error) {
        throw unreachable(error)
      }
    },
    async close() {
      client.close()
    },
  }
}

function etcdCampaign(client: Etcd3, prefix: string, value: string, ttlSeconds: number): StoreCampaign {
  const campaign = client.namespace(prefix).election(ELECTION, ttlSeconds).campaign(value)
  let failed: Error | undefined
  // Always listened to: an 'error' event nobody hears would end the process.
  campaign.on('error', (error: Error) => {
    failed ??= error
  })
  const elected = new Promise<Fence>((resolve, reject) => {
    campaign.on('error', (error: Error) => reject(new NotLeaderError(`campaign failed: ${messageOf(error)}`)))
    campaign.on('elected', () => {
      fenceOf(client, campaign).then(resolve, reject)
    })
  })
  // Owned here too: a caller that resigns before the election never awaits it.
  elected.catch(() => {})
  return {
    elected,
    failure: () => failed,
    async resign() {
      failed ??= new NotLeaderError('resigned')
      await campaign.resign().catch(() => {})
    },
  }
}

/** The elected candidate's key and its creation revision, read back from the store. */
async function fenceOf(client: Etcd3, campaign: ReturnType<ReturnType<Etcd3['election']>['campaign']>): Promise<Fence> {
  const key = await campaign.getCampaignKey()
  const read = await client.get(key).exec()
  const revision = read.kvs[0]?.create_revision
  if (revision === undefined) throw new NotLeaderError('elected, but the leader key is already gone')
  return {key, revision}
}
