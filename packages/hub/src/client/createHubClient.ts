import { defaultIpfsGatewayUrl, historicalUrls } from '@opengradient/core'
import ky, { type KyInstance } from 'ky'
import {
  type CreateModelParameters,
  type CreateModelReturnType,
  createModel,
} from '../actions/createModel.js'
import {
  type CreateVersionParameters,
  type CreateVersionReturnType,
  createVersion,
} from '../actions/createVersion.js'
import {
  type DownloadFileParameters,
  type DownloadFileReturnType,
  downloadFile,
} from '../actions/downloadFile.js'
import {
  type DownloadModelParameters,
  type DownloadModelReturnType,
  downloadModel,
} from '../actions/downloadModel.js'
import { type GetModelParameters, type GetModelReturnType, getModel } from '../actions/getModel.js'
import {
  type ListFilesParameters,
  type ListFilesReturnType,
  listFiles,
} from '../actions/listFiles.js'
import {
  type ListModelsParameters,
  type ListModelsReturnType,
  listModels,
} from '../actions/listModels.js'
import { type LoginParameters, type LoginReturnType, login } from '../actions/login.js'
import {
  type UploadFileParameters,
  type UploadFileReturnType,
  uploadFile,
} from '../actions/uploadFile.js'
import { refreshSession, type SignInApi } from '../utils/firebase.js'
import { createHubAuth, type HubAuth, type HubSession, type HubTokenProvider } from './hubAuth.js'

export type HubClientConfig = {
  /**
   * Base URL of the Model Hub REST API (the devnet serves it under `<rpcUrl>/api/v0`).
   * @default 'https://api.opengradient.ai/api/v0'
   */
  baseUrl?: string | undefined
  /**
   * How requests are authenticated before (or instead of) `login`: a saved session, or a
   * function that supplies ID tokens for callers who manage their own Firebase session.
   */
  auth?: HubSession | HubTokenProvider | undefined
  /**
   * The Firebase web API key of the hub's project, needed to sign in against Google. Taken
   * from configuration only: the SDK ships none and reads no environment variable.
   */
  apiKey?: string | undefined
  /**
   * Base URL of a Firebase Authentication emulator (the devnet's is `<rpcUrl>/firebase`). Google's
   * endpoints are used when unset.
   */
  authUrl?: string | undefined
  /**
   * Which sign-in endpoint to call: `v1` (`accounts:signInWithPassword`) or `legacy`
   * (identitytoolkit v3 `verifyPassword`, what the reference SDK calls). Both answer alike.
   * @default 'v1'
   */
  signInApi?: SignInApi | undefined
  /**
   * IPFS gateway that downloads read from: a URL prefix the CID is appended to, or a template
   * with `{cid}`.
   * @default 'https://ipfs.io/ipfs/'
   */
  gatewayUrl?: string | undefined
  /** @default globalThis.fetch */
  fetch?: typeof globalThis.fetch | undefined
  /** Milliseconds to wait for each answer of a JSON call. @default 30_000 */
  timeout?: number | undefined
  /** Milliseconds an upload or download may take in all. @default 3_600_000 */
  transferTimeout?: number | undefined
  /** Times a safe request (reads, sign-in) is repeated after 408, 429, 5xx or a network failure. @default 2 */
  retryCount?: number | undefined
  /** Milliseconds before the first repeat, doubled for each next one (or `Retry-After`). @default 500 */
  retryDelay?: number | undefined
  /** Headers sent with every Model Hub API request. */
  headers?: Readonly<Record<string, string>> | undefined
  /** Called after every sign-in and token refresh, e.g. to save the session. */
  onSessionChange?: ((session: HubSession | undefined) => void) | undefined
}

/** A Model Hub client: its configuration, its sign-in state, and the actions bound to it. */
export type HubClient = {
  baseUrl: string
  apiKey: string | undefined
  authUrl: string | undefined
  signInApi: SignInApi
  gatewayUrl: string
  fetch: typeof globalThis.fetch
  timeout: number
  transferTimeout: number
  retryCount: number
  retryDelay: number
  headers: Readonly<Record<string, string>>
  /** The sign-in state: the session and its refresh. */
  auth: HubAuth
  /** The ky instance every request goes through. */
  ky: KyInstance
  /** Signs in with email and password. See {@link login}. */
  login(parameters: LoginParameters): Promise<LoginReturnType>
  /** Creates a model repository and its first version. See {@link createModel}. */
  createModel(parameters: CreateModelParameters): Promise<CreateModelReturnType>
  /** Creates a version of a repository. See {@link createVersion}. */
  createVersion(parameters: CreateVersionParameters): Promise<CreateVersionReturnType>
  /** Uploads a file into a version, streamed. See {@link uploadFile}. */
  uploadFile(parameters: UploadFileParameters): Promise<UploadFileReturnType>
  /** Lists the files of a version. See {@link listFiles}. */
  listFiles(parameters: ListFilesParameters): Promise<ListFilesReturnType>
  /** Lists model repositories. See {@link listModels}. */
  listModels(parameters?: ListModelsParameters): Promise<ListModelsReturnType>
  /** Reads one model repository. See {@link getModel}. */
  getModel(parameters: GetModelParameters): Promise<GetModelReturnType>
  /** Streams a file from the gateway, checked against its CID. See {@link downloadFile}. */
  downloadFile(parameters: DownloadFileParameters): Promise<DownloadFileReturnType>
  /** Downloads a model's bytes, checked against its CID. See {@link downloadModel}. */
  downloadModel(parameters: DownloadModelParameters): Promise<DownloadModelReturnType>
}

/**
 * Creates a Model Hub client. Nothing is contacted until an action runs: sign-in is explicit
 * (`login`), or a saved session or token provider is passed as `auth`.
 *
 * @example
 * ```ts
 * import { createHubClient } from '@opengradient/hub'
 *
 * const hub = createHubClient({ apiKey: process.env.FIREBASE_API_KEY })
 * await hub.login({ email: 'me@example.com', password })
 * const { name, initialVersion } = await hub.createModel({ name: 'my-model', description: 'demo' })
 * const { modelCid } = await hub.uploadFile({ model: name, version: initialVersion!, file })
 * ```
 */
export function createHubClient(config: HubClientConfig = {}): HubClient {
  const fetchFunction = config.fetch ?? ((input, init) => globalThis.fetch(input, init))
  const client: HubClient = {
    baseUrl: (config.baseUrl ?? historicalUrls.hubApi).replace(/\/+$/, ''),
    apiKey: config.apiKey,
    authUrl: config.authUrl,
    signInApi: config.signInApi ?? 'v1',
    gatewayUrl: config.gatewayUrl ?? defaultIpfsGatewayUrl,
    fetch: fetchFunction,
    timeout: config.timeout ?? 30_000,
    transferTimeout: config.transferTimeout ?? 3_600_000,
    retryCount: config.retryCount ?? 2,
    retryDelay: config.retryDelay ?? 500,
    headers: { ...config.headers },
    // Set below: refreshing a session goes through the client itself.
    auth: undefined as unknown as HubAuth,
    ky: ky.create({ fetch: fetchFunction, throwHttpErrors: true }),
    login: (parameters) => login(client, parameters),
    createModel: (parameters) => createModel(client, parameters),
    createVersion: (parameters) => createVersion(client, parameters),
    uploadFile: (parameters) => uploadFile(client, parameters),
    listFiles: (parameters) => listFiles(client, parameters),
    listModels: (parameters) => listModels(client, parameters),
    getModel: (parameters) => getModel(client, parameters),
    downloadFile: (parameters) => downloadFile(client, parameters),
    downloadModel: (parameters) => downloadModel(client, parameters),
  }
  client.auth = createHubAuth({
    initial: config.auth,
    refresh: (parameters) => refreshSession(client, parameters),
    onSessionChange: config.onSessionChange,
  })
  return client
}
