// The devnet's OpenAI-compatible LLM gateway (llm.md Part B and §G): `/v1/chat/completions`,
// `/v1/completions` and `/v1/models`, plain and streamed, with TEE proof fields, answered by the
// backend each model id is configured with. It also answers the `0xF4` stand-in's LLM calls.
import { randomUUID } from 'node:crypto'
import { once } from 'node:events'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { LLM, TEE_LLM, TEE_LLM_ONCHAIN } from '@opengradient/core'
import { parseSettlementMode, pythonJsonDumps, type SettlementMode } from '@opengradient/llm'
import { type Route, readBody, sendJson } from '../front/server.js'
import type { LlmRunner } from '../precompiles/inference.js'
import { createScriptBackend } from './backends/script.js'
import { createTinyBackend } from './backends/tiny.js'
import { createUpstreamBackend } from './backends/upstream.js'
import { GatewayError } from './errors.js'
import { validateJsonSchema } from './jsonSchema.js'
import { allText } from './messages.js'
import type { PaidRequest, PaymentGate } from './paymentGate.js'
import { createStopFilter } from './stopSequences.js'
import { type TeeSigner, teeFields } from './tee.js'
import { type TinyLanguageModel, tokenize } from './tinyModel.js'
import type {
  GenerationEvent,
  GenerationRequest,
  LlmBackend,
  LlmGatewayConfig,
  LlmModelConfig,
  LlmScript,
} from './types.js'

/** Header carrying a per-request script for `script` models (JSON, or base64 of it). */
export const llmScriptHeader = 'x-devnet-llm-script'
/**
 * Header of the fault switch: `stream-error` (or `stream-error:<n>`) fails the reply with the
 * gateway's error event after `n` chunks (default 1), or with HTTP 500 when not streaming.
 */
export const llmFaultHeader = 'x-devnet-llm-fault'
/** Path prefix of the request records: `GET /devnet/llm/requests/<x-request-id>`. */
export const llmRequestRecordsPath = '/devnet/llm/requests/'

/** What the gateway remembers of a request, for tests and diagnostics. */
export type LlmRequestRecord = {
  id: string
  endpoint: 'chat' | 'completion'
  model: string
  stream: boolean
  /** `aborted`: the client closed the connection before the reply ended. */
  state: 'running' | 'completed' | 'aborted' | 'failed'
  /** Events written (stream) or 1 for a plain reply. */
  chunksSent: number
  error?: string | undefined
  startedAt: number
  endedAt?: number | undefined
}

/** A model id the gateway serves. */
export type LlmGatewayModel = { id: string; backend: LlmModelConfig['backend'] }

export type LlmGateway = {
  /** The HTTP route to mount on the devnet's front (no payment asked). */
  route: Route
  /**
   * The same routes behind an x402 payment gate, as the TEE serves them: every LLM call needs
   * a payment or an open `upto` session.
   */
  paidRoute(gate: PaymentGate): Route
  /** Answers the `0xF4` stand-in's LLM calls with the same backends. */
  runner: LlmRunner
  /** Served model ids. */
  models: readonly LlmGatewayModel[]
  /** Recent requests by id (the last 1000). */
  requests: ReadonlyMap<string, LlmRequestRecord>
}

export type CreateLlmGatewayParameters = {
  config?: LlmGatewayConfig | undefined
  /** The tiny model, loaded on first use. */
  tinyModel: () => Promise<TinyLanguageModel>
  /** The signer of `tee_signature`. */
  signer: () => Promise<TeeSigner>
  /** `fetch` of upstream backends. @default globalThis.fetch */
  fetch?: typeof globalThis.fetch | undefined
}

const maxRecords = 1000
/** `max_tokens` when a request gives none. */
const defaultMaxTokens = 512

type ModelEntry = { id: string; config: LlmModelConfig; backend: LlmBackend }

type Fault = { afterChunks: number }

type ParsedRequest = {
  generation: Omit<GenerationRequest, 'signal' | 'model'>
  model: ModelEntry
  wireModel: string
}

/**
 * Creates the gateway: model table, backends, HTTP route and on-chain runner.
 *
 * @example
 * ```ts
 * const gateway = createLlmGateway({ tinyModel: () => model, signer: () => createTeeSigner() })
 * const front = await startFront({ port: 0, routes: [gateway.route] })
 * ```
 */
export function createLlmGateway(parameters: CreateLlmGatewayParameters): LlmGateway {
  const config = parameters.config ?? {}
  const signer = parameters.signer
  const tinyBackend = createTinyBackend(parameters.tinyModel)
  const backendFor = (model: LlmModelConfig): LlmBackend => {
    if (model.backend === 'tiny') return tinyBackend
    if (model.backend === 'script') return createScriptBackend(model.script ?? config.script)
    return createUpstreamBackend({
      url: model.url,
      apiKey: model.apiKey,
      model: model.model,
      headers: model.headers,
      fetch: parameters.fetch,
    })
  }

  const table = new Map<string, ModelEntry>()
  const add = (id: string, model: LlmModelConfig) =>
    table.set(id, { id, config: model, backend: backendFor(model) })
  if (config.aliasKnownModels !== false) {
    for (const id of [LLM, TEE_LLM, TEE_LLM_ONCHAIN].flatMap((ids) => Object.values(ids))) {
      add(id, { backend: 'tiny' })
    }
  }
  add('devnet/tiny', { backend: 'tiny' })
  add('devnet/script', { backend: 'script' })
  for (const [id, model] of Object.entries(config.models ?? {})) add(id, model)
  const byWireId = new Map<string, ModelEntry>()
  for (const entry of table.values()) {
    const slash = entry.id.indexOf('/')
    byWireId.set(slash === -1 ? entry.id : entry.id.slice(slash + 1), entry)
  }

  const records = new Map<string, LlmRequestRecord>()
  const remember = (record: LlmRequestRecord) => {
    records.set(record.id, record)
    if (records.size > maxRecords) records.delete(records.keys().next().value as string)
  }

  function resolveWireModel(model: unknown): ModelEntry {
    if (typeof model !== 'string' || !model) {
      throw new GatewayError(400, 'Invalid request', '"model" must be a non-empty string.')
    }
    const entry = byWireId.get(model)
    if (entry) return entry
    if (table.has(model)) {
      throw new GatewayError(
        400,
        'Model not supported',
        `"${model}" still carries its provider prefix; send "${model.slice(model.indexOf('/') + 1)}".`,
      )
    }
    throw new GatewayError(400, 'Model not supported', `Unknown model "${model}".`)
  }

  function resolveOnChainModel(model: string): ModelEntry {
    const entry = table.get(model) ?? byWireId.get(model)
    if (!entry) throw new GatewayError(400, 'Model not supported', `Unknown model "${model}".`)
    return entry
  }

  /** The backend's events, cut at stop sequences, with the fault switch and usage applied. */
  async function* run(
    entry: ModelEntry,
    request: GenerationRequest,
    fault: Fault | undefined,
  ): AsyncGenerator<GenerationEvent> {
    const filter = createStopFilter(request.stop)
    let produced = 0
    let emitted = 0
    let finish: Extract<GenerationEvent, { type: 'finish' }> | undefined
    let stopped = false
    const checkFault = () => {
      if (fault && emitted >= fault.afterChunks) {
        throw new GatewayError(500, 'Stream processing failed')
      }
    }
    for await (const event of entry.backend(request)) {
      if (request.signal.aborted) return
      if (event.type === 'finish') {
        finish = event
        break
      }
      produced++
      if (event.type === 'content') {
        const piece = filter.push(event.text)
        if (piece.text) {
          checkFault()
          emitted++
          yield { type: 'content', text: piece.text }
        }
        if (piece.stopped) {
          stopped = true
          break
        }
      } else {
        checkFault()
        emitted++
        yield event
      }
    }
    if (!stopped) {
      const rest = filter.flush()
      if (rest) {
        checkFault()
        emitted++
        yield { type: 'content', text: rest }
      }
    }
    if (fault) throw new GatewayError(500, 'Stream processing failed')
    const promptText =
      request.endpoint === 'completion' ? request.prompt : allText(request.messages)
    yield {
      type: 'finish',
      finishReason: stopped ? 'stop' : (finish?.finishReason ?? 'stop'),
      usage:
        !stopped && finish?.usage
          ? finish.usage
          : { promptTokens: tokenize(promptText).length, completionTokens: produced },
    }
  }

  async function handle(
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
    gate?: PaymentGate | undefined,
  ) {
    if (request.method === 'GET' && url.pathname === '/v1/models') {
      sendJson(response, 200, {
        object: 'list',
        data: [...table.values()].map((entry) => ({
          id: entry.id,
          object: 'model',
          created: 0,
          owned_by: `devnet-${entry.config.backend}`,
        })),
      })
      return true
    }
    if (request.method === 'GET' && url.pathname.startsWith(llmRequestRecordsPath)) {
      const record = records.get(
        decodeURIComponent(url.pathname.slice(llmRequestRecordsPath.length)),
      )
      if (record) sendJson(response, 200, record)
      else sendJson(response, 404, { error: 'Not Found' })
      return true
    }
    const endpoint =
      url.pathname === '/v1/chat/completions'
        ? 'chat'
        : url.pathname === '/v1/completions'
          ? 'completion'
          : undefined
    if (!endpoint) return false
    if (request.method !== 'POST') {
      sendJson(response, 405, { error: 'Method Not Allowed' })
      return true
    }
    const bodyText = await readBody(request)
    const controller = new AbortController()
    const record: LlmRequestRecord = {
      id: randomUUID(),
      endpoint,
      model: '',
      stream: false,
      state: 'running',
      chunksSent: 0,
      startedAt: Date.now(),
    }
    response.on('close', () => {
      if (response.writableFinished) return
      controller.abort()
      if (record.state === 'running') {
        record.state = 'aborted'
        record.endedAt = Date.now()
      }
    })
    let settlementMode: SettlementMode
    let parsed: ParsedRequest
    let fault: Fault | undefined
    try {
      if (!/^application\/json\b/i.test(request.headers['content-type'] ?? '')) {
        throw new GatewayError(415, 'Unsupported Media Type', 'Request must be application/json')
      }
      settlementMode = settlementModeOf(request.headers['x-settlement-type'])
      parsed = parseRequest(endpoint, bodyText, request.headers[llmScriptHeader])
      fault = faultOf(request.headers[llmFaultHeader])
    } catch (error) {
      sendError(response, error, {})
      return true
    }
    record.model = parsed.model.id
    record.stream = parsed.generation.stream
    const headers = { 'x-request-id': record.id, 'x-settlement-type': settlementMode }
    let paid: PaidRequest | undefined
    if (gate) {
      const host = request.headers.host ?? url.host
      const protocol = (request.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http'
      const outcome = await gate.authorize({
        request,
        resourceUrl: `${protocol}://${host}${url.pathname}`,
        endpoint,
      })
      if ('status' in outcome) {
        sendPythonJson(response, outcome.status, outcome.body, { ...headers, ...outcome.headers })
        return true
      }
      paid = outcome.paid
    }
    remember(record)
    const generation: GenerationRequest = {
      ...parsed.generation,
      model: parsed.model.id,
      signal: controller.signal,
    }
    const events = run(parsed.model, generation, fault)
    try {
      if (generation.stream) {
        await stream({
          response,
          events,
          headers,
          record,
          endpoint,
          bodyText,
          wireModel: parsed.wireModel,
          responseFormat: generation.responseFormat,
          signal: controller.signal,
          paid,
        })
      } else {
        const collected = await collect(events)
        if (controller.signal.aborted) return true
        checkStructuredOutput(generation.responseFormat, collected.content)
        const body = await replyBody({
          endpoint,
          bodyText,
          wireModel: parsed.wireModel,
          collected,
        })
        record.chunksSent = 1
        const paymentHeaders = paid ? await settlePayment(paid) : {}
        paid?.charge(collected.usage)
        sendPythonJson(response, 200, body, { ...headers, ...paymentHeaders })
        record.state = 'completed'
        record.endedAt = Date.now()
      }
    } catch (error) {
      if (record.state === 'running') {
        record.state = 'failed'
        record.error = error instanceof Error ? error.message : String(error)
        record.endedAt = Date.now()
      }
      if (!response.headersSent) sendError(response, error, headers)
      else if (!response.writableEnded) {
        // A stream that already started fails with the gateway's error event and no [DONE].
        const message = error instanceof GatewayError ? error.error : 'Stream processing failed'
        response.end(`data: ${pythonJsonDumps({ error: message })}\n\n`)
      }
    }
    return true
  }

  function parseRequest(
    endpoint: 'chat' | 'completion',
    bodyText: string,
    scriptHeaderValue: string | string[] | undefined,
  ): ParsedRequest {
    let body: unknown
    try {
      body = JSON.parse(bodyText)
    } catch {
      throw new GatewayError(400, 'Invalid request', 'The body is not valid JSON.')
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new GatewayError(400, 'Invalid request', 'The body must be a JSON object.')
    }
    const fields = body as Record<string, unknown>
    const model = resolveWireModel(fields.model)
    const invalid = (message: string) => new GatewayError(400, 'Invalid request', message)

    let messages: Record<string, unknown>[] = []
    let prompt = ''
    if (endpoint === 'chat') {
      if (!Array.isArray(fields.messages) || fields.messages.length === 0) {
        throw invalid('"messages" must be a non-empty array.')
      }
      for (const [index, message] of fields.messages.entries()) {
        if (typeof message !== 'object' || message === null || typeof message.role !== 'string') {
          throw invalid(`Message ${index} must be an object with a "role".`)
        }
        if (
          !['system', 'developer', 'user', 'assistant', 'tool', 'function'].includes(message.role)
        ) {
          throw invalid(`Message ${index} has the unknown role "${message.role}".`)
        }
      }
      messages = fields.messages as Record<string, unknown>[]
    } else {
      if (typeof fields.prompt !== 'string') throw invalid('"prompt" must be a string.')
      prompt = fields.prompt
    }
    const maxTokens = fields.max_tokens ?? defaultMaxTokens
    if (!Number.isSafeInteger(maxTokens) || (maxTokens as number) < 1) {
      throw invalid('"max_tokens" must be a positive integer.')
    }
    const temperature = fields.temperature ?? 0
    if (typeof temperature !== 'number' || !(temperature >= 0)) {
      throw invalid('"temperature" must be a number of at least 0.')
    }
    const stop =
      fields.stop === undefined || fields.stop === null
        ? []
        : typeof fields.stop === 'string'
          ? [fields.stop]
          : fields.stop
    if (!Array.isArray(stop) || stop.some((item) => typeof item !== 'string')) {
      throw invalid('"stop" must be a string or an array of strings.')
    }
    const tools = fields.tools ?? undefined
    if (tools !== undefined && tools !== null && !Array.isArray(tools)) {
      throw invalid('"tools" must be an array.')
    }
    const responseFormat = fields.response_format ?? undefined
    if (responseFormat !== undefined && responseFormat !== null) {
      const type = (responseFormat as { type?: unknown }).type
      if (type !== 'text' && type !== 'json_object' && type !== 'json_schema') {
        throw invalid('"response_format.type" must be "text", "json_object" or "json_schema".')
      }
      const schema = (responseFormat as { json_schema?: { schema?: unknown } }).json_schema?.schema
      if (type === 'json_schema' && (typeof schema !== 'object' || schema === null)) {
        throw invalid('"response_format.json_schema.schema" must be an object.')
      }
    }
    return {
      model,
      wireModel: fields.model as string,
      generation: {
        endpoint,
        messages,
        prompt,
        maxTokens: maxTokens as number,
        stop: stop as string[],
        temperature,
        seed: typeof fields.seed === 'number' ? fields.seed : undefined,
        tools: Array.isArray(tools) ? (tools as Record<string, unknown>[]) : undefined,
        toolChoice: fields.tool_choice,
        responseFormat: (responseFormat ?? undefined) as Record<string, unknown> | undefined,
        stream: fields.stream === true,
        script: scriptOf(scriptHeaderValue),
        body: fields,
      },
    }
  }

  async function replyBody(parameters: {
    endpoint: 'chat' | 'completion'
    bodyText: string
    wireModel: string
    collected: Collected
  }): Promise<Record<string, unknown>> {
    const { endpoint, bodyText, wireModel, collected } = parameters
    const created = Math.floor(Date.now() / 1000)
    const usage = usageBody(collected.usage)
    if (endpoint === 'completion') {
      const tee = await teeFields({
        signer: await signer(),
        endpoint,
        body: bodyText,
        output: { endpoint, text: collected.content },
      })
      return {
        id: `cmpl-${randomUUID()}`,
        object: 'text_completion',
        created,
        model: wireModel,
        choices: [{ text: collected.content, index: 0, finish_reason: collected.finishReason }],
        completion: collected.content,
        usage,
        ...tee,
      }
    }
    const toolCalls = collected.toolCalls
    const content = collected.content || (toolCalls.length > 0 ? null : '')
    const tee = await teeFields({
      signer: await signer(),
      endpoint,
      body: bodyText,
      output: { endpoint, finishReason: collected.finishReason, content, toolCalls },
    })
    return {
      id: `chatcmpl-${randomUUID()}`,
      object: 'chat.completion',
      created,
      model: wireModel,
      choices: [
        {
          index: 0,
          finish_reason: collected.finishReason,
          message: {
            role: 'assistant',
            content,
            ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
          },
        },
      ],
      usage,
      ...tee,
    }
  }

  async function stream(parameters: {
    response: ServerResponse
    events: AsyncGenerator<GenerationEvent>
    headers: Record<string, string>
    record: LlmRequestRecord
    endpoint: 'chat' | 'completion'
    bodyText: string
    wireModel: string
    responseFormat: Record<string, unknown> | undefined
    signal: AbortSignal
    paid: PaidRequest | undefined
  }): Promise<void> {
    const { response, events, record, endpoint, wireModel, signal, paid } = parameters
    // The first event decides between an HTTP error and a stream.
    let next = await events.next()
    const paymentHeaders = paid ? await settlePayment(paid) : {}
    response.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      ...parameters.headers,
      ...paymentHeaders,
    })
    const write = async (payload: unknown) => {
      record.chunksSent++
      if (!response.write(`data: ${pythonJsonDumps(payload)}\n\n`)) {
        await once(response, 'drain', { signal }).catch(() => {})
      }
    }
    let content = ''
    const calls = new Map<number, AssembledToolCall>()
    let finish: Extract<GenerationEvent, { type: 'finish' }> | undefined
    try {
      for (; !next.done; next = await events.next()) {
        if (signal.aborted) return
        const event = next.value
        if (event.type === 'finish') {
          finish = event
          continue
        }
        if (event.type === 'content') {
          content += event.text
          await write(
            endpoint === 'chat'
              ? {
                  choices: [
                    {
                      delta: { content: event.text, role: 'assistant' },
                      index: 0,
                      finish_reason: null,
                    },
                  ],
                  model: wireModel,
                }
              : {
                  choices: [{ text: event.text, index: 0, finish_reason: null }],
                  model: wireModel,
                },
          )
          continue
        }
        assembleToolCall(calls, event)
        await write({
          choices: [
            {
              delta: {
                role: 'assistant',
                tool_calls: [
                  {
                    index: event.index,
                    ...(event.id !== undefined ? { id: event.id } : {}),
                    type: 'function',
                    function: {
                      ...(event.name !== undefined ? { name: event.name } : {}),
                      ...(event.arguments !== undefined ? { arguments: event.arguments } : {}),
                    },
                  },
                ],
              },
              index: 0,
              finish_reason: null,
            },
          ],
          model: wireModel,
        })
      }
    } finally {
      if (signal.aborted) await events.return(undefined)
    }
    if (signal.aborted) return
    checkStructuredOutput(parameters.responseFormat, content)
    paid?.charge(finish?.usage)
    const toolCalls = toolCallList(calls)
    const finishReason = finish?.finishReason ?? 'stop'
    const tee = await teeFields({
      signer: await signer(),
      endpoint,
      body: parameters.bodyText,
      output:
        endpoint === 'chat'
          ? { endpoint, finishReason, content, toolCalls }
          : { endpoint, text: content },
    })
    await write({
      choices: [
        endpoint === 'chat'
          ? { delta: {}, index: 0, finish_reason: finishReason }
          : { text: '', index: 0, finish_reason: finishReason },
      ],
      model: wireModel,
      usage: usageBody(finish?.usage),
      ...tee,
    })
    record.state = 'completed'
    record.endedAt = Date.now()
    response.end('data: [DONE]\n\n')
  }

  const runner: LlmRunner = {
    async completion(raw) {
      const request = raw as {
        modelCID: string
        prompt: string
        max_tokens: number
        stop_sequence: readonly string[]
        temperature: number
      }
      const entry = resolveOnChainModel(request.modelCID)
      const collected = await collect(
        run(
          entry,
          {
            endpoint: 'completion',
            model: entry.id,
            messages: [],
            prompt: request.prompt,
            maxTokens: Number(request.max_tokens) || 100,
            stop: [...request.stop_sequence],
            temperature: Number(request.temperature) / 100,
            seed: undefined,
            tools: undefined,
            toolChoice: undefined,
            responseFormat: undefined,
            stream: false,
            script: undefined,
            body: { model: entry.id, prompt: request.prompt },
            signal: new AbortController().signal,
          },
          undefined,
        ),
      )
      return { answer: collected.content }
    },
    async chat(raw) {
      const request = raw as {
        modelCID: string
        messages: readonly {
          role: string
          content: string
          name: string
          tool_call_id: string
          tool_calls: readonly { id: string; name: string; arguments: string }[]
        }[]
        tools: readonly { description: string; name: string; parameters: string }[]
        tool_choice: string
        max_tokens: number
        stop_sequence: readonly string[]
        temperature: number
      }
      const entry = resolveOnChainModel(request.modelCID)
      const messages = request.messages.map((message) => ({
        role: message.role,
        content: message.content,
        ...(message.name ? { name: message.name } : {}),
        ...(message.tool_call_id ? { tool_call_id: message.tool_call_id } : {}),
        ...(message.tool_calls.length > 0
          ? {
              tool_calls: message.tool_calls.map((call) => ({
                id: call.id,
                type: 'function',
                function: { name: call.name, arguments: call.arguments },
              })),
            }
          : {}),
      }))
      const tools = request.tools.map((tool) => ({
        type: 'function',
        function: {
          name: tool.name,
          description: tool.description,
          parameters: parseJsonOr(tool.parameters, {}),
        },
      }))
      const collected = await collect(
        run(
          entry,
          {
            endpoint: 'chat',
            model: entry.id,
            messages,
            prompt: '',
            maxTokens: Number(request.max_tokens) || 100,
            stop: [...request.stop_sequence],
            temperature: Number(request.temperature) / 100,
            seed: undefined,
            tools: tools.length > 0 ? tools : undefined,
            toolChoice: request.tool_choice || undefined,
            responseFormat: undefined,
            stream: false,
            script: undefined,
            body: { model: entry.id, messages, ...(tools.length > 0 ? { tools } : {}) },
            signal: new AbortController().signal,
          },
          undefined,
        ),
      )
      return {
        finish_reason: collected.finishReason,
        message: {
          role: 'assistant',
          content: collected.content,
          name: '',
          tool_call_id: '',
          tool_calls: collected.toolCalls.map((call) => ({
            id: call.id,
            name: call.function.name,
            arguments: call.function.arguments,
          })),
        },
      }
    },
  }

  return {
    route: (request, response, url) => handle(request, response, url),
    paidRoute: (gate) => (request, response, url) => handle(request, response, url, gate),
    runner,
    models: [...table.values()].map((entry) => ({ id: entry.id, backend: entry.config.backend })),
    requests: records,
  }
}

type AssembledToolCall = { id: string; name: string; arguments: string }

/** A reply gathered from its events. */
type Collected = {
  content: string
  toolCalls: { id: string; type: 'function'; function: { name: string; arguments: string } }[]
  finishReason: string
  usage: { promptTokens: number; completionTokens: number } | undefined
}

async function collect(events: AsyncIterable<GenerationEvent>): Promise<Collected> {
  let content = ''
  const calls = new Map<number, AssembledToolCall>()
  let finishReason = 'stop'
  let usage: Collected['usage']
  for await (const event of events) {
    if (event.type === 'content') content += event.text
    else if (event.type === 'toolCall') assembleToolCall(calls, event)
    else {
      finishReason = event.finishReason
      usage = event.usage
    }
  }
  return { content, toolCalls: toolCallList(calls), finishReason, usage }
}

function assembleToolCall(
  calls: Map<number, AssembledToolCall>,
  event: Extract<GenerationEvent, { type: 'toolCall' }>,
): void {
  let call = calls.get(event.index)
  if (!call) {
    call = { id: '', name: '', arguments: '' }
    calls.set(event.index, call)
  }
  if (event.id && !call.id) call.id = event.id
  if (event.name && !call.name) call.name = event.name
  if (event.arguments) call.arguments += event.arguments
}

/** Tool calls by index, in the OpenAI shape (the form hashed into `tee_output_hash`). */
function toolCallList(calls: Map<number, AssembledToolCall>): Collected['toolCalls'] {
  return [...calls.entries()]
    .sort(([left], [right]) => left - right)
    .map(([, call]) => ({
      id: call.id,
      type: 'function' as const,
      function: { name: call.name, arguments: call.arguments },
    }))
}

function usageBody(usage: Collected['usage']) {
  const promptTokens = usage?.promptTokens ?? 0
  const completionTokens = usage?.completionTokens ?? 0
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
  }
}

/** Fails when a JSON reply is not JSON, or does not satisfy the requested schema. */
function checkStructuredOutput(format: Record<string, unknown> | undefined, content: string) {
  if (format?.type !== 'json_object' && format?.type !== 'json_schema') return
  let value: unknown
  try {
    value = JSON.parse(content)
  } catch {
    throw new GatewayError(500, 'Structured output failed', 'The reply is not valid JSON.')
  }
  if (format.type === 'json_object') {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new GatewayError(500, 'Structured output failed', 'The reply is not a JSON object.')
    }
    return
  }
  const schema = (format.json_schema as { schema?: unknown } | undefined)?.schema
  const violations = validateJsonSchema(schema, value)
  if (violations.length > 0) {
    throw new GatewayError(
      500,
      'Structured output failed',
      `The reply does not match the schema: ${violations
        .slice(0, 3)
        .map((violation) => `${violation.path} ${violation.message}`)
        .join('; ')}.`,
    )
  }
}

function settlementModeOf(header: string | string[] | undefined): SettlementMode {
  const value = Array.isArray(header) ? header[0] : header
  if (value === undefined || value === '') return 'batch'
  try {
    return parseSettlementMode(value)
  } catch {
    throw new GatewayError(
      400,
      'Invalid settlement type',
      `"${value}" is not one of private, batch, individual.`,
    )
  }
}

function scriptOf(header: string | string[] | undefined): LlmScript | undefined {
  const value = Array.isArray(header) ? header[0] : header
  if (!value) return undefined
  let script: unknown
  try {
    const text = value.trimStart().startsWith('{')
      ? value
      : Buffer.from(value, 'base64').toString('utf8')
    script = JSON.parse(text)
  } catch {
    throw new GatewayError(400, 'Invalid script', `The ${llmScriptHeader} header is not JSON.`)
  }
  if (
    typeof script !== 'object' ||
    script === null ||
    !Array.isArray((script as LlmScript).replies)
  ) {
    throw new GatewayError(400, 'Invalid script', 'A script needs a "replies" array.')
  }
  return script as LlmScript
}

function faultOf(header: string | string[] | undefined): Fault | undefined {
  const value = Array.isArray(header) ? header[0] : header
  if (!value) return undefined
  const match = /^stream-error(?::(\d+))?$/.exec(value.trim())
  if (!match) {
    throw new GatewayError(400, 'Invalid fault', `Unknown ${llmFaultHeader} value "${value}".`)
  }
  return { afterChunks: match[1] === undefined ? 1 : Number(match[1]) }
}

function parseJsonOr(text: string, fallback: unknown): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return fallback
  }
}

function sendPythonJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string>,
): void {
  const text = pythonJsonDumps(body)
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  })
  response.end(text)
}

/** Settles a paid request; a failed settlement is the client's payment problem (402). */
async function settlePayment(paid: PaidRequest): Promise<Record<string, string>> {
  try {
    return await paid.settle()
  } catch (error) {
    throw new GatewayError(
      402,
      'Payment Required',
      error instanceof Error ? error.message : 'Settlement failed',
    )
  }
}

function sendError(response: ServerResponse, error: unknown, headers: Record<string, string>) {
  if (response.headersSent || response.destroyed) return
  if (error instanceof GatewayError) {
    sendPythonJson(response, error.status, error.toBody(), headers)
    return
  }
  sendPythonJson(response, 500, { error: 'Request processing failed' }, headers)
}
