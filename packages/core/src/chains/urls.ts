/**
 * Every endpoint the reference SDKs used, by era, so old scripts and "faithful" modes can name
 * them. Nothing here is contacted unless a caller passes it on.
 */
export const historicalUrls = {
  /** Alpha RPC of reference ≤ 0.4.8 (seed 000: `og.init` default). */
  alphaRpc_0_4_6: 'http://18.188.176.119:8545',
  /** Alpha RPC of reference 0.4.9. */
  alphaRpc_0_4_9: 'http://3.144.177.180:8545',
  /** Alpha RPC of reference 0.4.10–0.5.8 and the official TS SDK 1.0.2. */
  alphaRpc: 'https://eth-devnet.opengradient.ai',
  /** og-evm RPC, the `Alpha` default from 0.5.9 (a chain without `0xF4`) and the TEE registry chain. */
  ogEvmRpc: 'https://ogevmdevnet.opengradient.ai',
  /** Node REST API serving inference results by id (reference 0.4.11+). */
  inferenceApi: 'https://sdk-devnet.opengradient.ai',
  /** Model Hub REST API. */
  hubApi: 'https://api.opengradient.ai/api/v0',
  /** Public model listing seen in third-party code. */
  hubPublicApi: 'https://hub-api.opengradient.ai/api/v0',
  hubWeb: 'https://hub.opengradient.ai',
  hubSignup: 'https://hub.opengradient.ai/signup',
  faucet: 'https://faucet.opengradient.ai/',
  explorer: 'https://explorer.opengradient.ai/',
  explorerTestnetV1: 'https://testnetv1.opengradient.ai',
  docs: 'https://docs.opengradient.ai/developers/python_sdk/',
  /** 0.4.6 plaintext gRPC image service, `host:port`. */
  imageGenGrpc_0_4_6: '18.217.25.69:5125',
  llmApiKeyServer_0_5: 'http://35.225.197.84:8000',
  llmServer: 'https://llm.opengradient.ai',
  llmServerOgEvm: 'https://llmogevm.opengradient.ai',
  llmTeeStatic_0_7_5: 'https://3.15.214.21:443',
  baseSepoliaRpc: 'https://sepolia.base.org',
  baseMainnetRpc: 'https://base-rpc.publicnode.com',
  twinsApi: 'https://chat-api.memchat.io/api/v1',
  chatRelay: 'https://chat-api.opengradient.ai',
  firebaseSignInLegacy: 'https://www.googleapis.com/identitytoolkit/v3/relyingparty/verifyPassword',
  firebaseSignIn: 'https://identitytoolkit.googleapis.com/v1/accounts:signInWithPassword',
  firebaseRefresh: 'https://securetoken.googleapis.com/v1/token',
} as const
