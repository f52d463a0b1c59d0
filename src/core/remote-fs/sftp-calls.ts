import type {SFTPWrapper, Stats} from 'ssh2'

/** SFTP status codes (draft-ietf-secsh-filexfer-02) that decide what a failure means. */
export const SFTP_NO_SUCH_FILE = 2
export const SFTP_PERMISSION_DENIED = 3

/** An SFTP error as ssh2 reports it: the server's status code and message. */
export type SftpError = Error & {code?: number}

/** stat, with "no such file" as undefined instead of an error. */
export async function statOrUndefined(sftp: SFTPWrapper, path: string): Promise<Stats | undefined> {
  return new Promise<Stats | undefined>((resolve, reject) => {
    sftp.stat(path, (error: SftpError | null | undefined, stats) => {
      if (!error) resolve(stats)
      else if (error.code === SFTP_NO_SUCH_FILE) resolve(undefined)
      else reject(error)
    })
  })
}

export async function sftpMkdir(sftp: SFTPWrapper, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    sftp.mkdir(path, (error: SftpError | null | undefined) => (error ? reject(error) : resolve()))
  })
}

/** The folder SFTP starts in: the login home on a stock sshd. */
export async function sftpHome(sftp: SFTPWrapper): Promise<string> {
  return new Promise((resolve, reject) => {
    sftp.realpath('.', (error: SftpError | null | undefined, path) => (error ? reject(error) : resolve(path)))
  })
}
