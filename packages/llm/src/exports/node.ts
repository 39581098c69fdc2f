// @opengradient/llm/node: TEE connections with TLS pinned to the registry's certificates (Node only).

export {
  type CreatePinnedFetchErrorType,
  type CreatePinnedFetchParameters,
  createPinnedFetch,
  type PinnedFetch,
} from '../node/createPinnedFetch.js'
export {
  type CreateTeeConnectionParameters,
  type CreateTeeConnectionReturnType,
  createTeeConnection,
} from '../node/createTeeConnection.js'
