// Starts the LLM gateway alone on a local front (no chain), for the gateway's own tests.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createOnnxEngine } from '../src/engine/onnx.js'
import { startFront } from '../src/front/server.js'
import { createLlmGatewayService, type LlmGatewayService } from '../src/llm/service.js'
import type { LlmGatewayConfig } from '../src/llm/types.js'
import { createModelStore } from '../src/models/store.js'
import type { DevnetServiceContext } from '../src/service.js'

export type TestGateway = {
  url: string
  service: LlmGatewayService
  /** POSTs JSON to a gateway path. */
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Response>
  close(): Promise<void>
}

/** A gateway with its own model store and ONNX engine in a temporary directory. */
export async function startTestGateway(config: LlmGatewayConfig = {}): Promise<TestGateway> {
  const dir = await mkdtemp(join(tmpdir(), 'og-llm-gateway-'))
  const models = createModelStore({ dir })
  const engine = createOnnxEngine({ store: models })
  const service = createLlmGatewayService(config)
  await service.prepare?.({ models, engine, dataDir: dir } as DevnetServiceContext)
  const front = await startFront({ port: 0, routes: service.routes ?? [] })
  return {
    url: front.url,
    service,
    post: (path, body, headers = {}) =>
      fetch(`${front.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    async close() {
      await front.close()
      await engine.close()
      await rm(dir, { recursive: true, force: true })
    },
  }
}

/** The `data:` payloads of an event stream, in order. */
export function sseData(text: string): string[] {
  return text
    .split('\n\n')
    .filter((event) => event.startsWith('data: '))
    .map((event) => event.slice(6))
}
