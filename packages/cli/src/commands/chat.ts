import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { ChatMessage, ChatStreamChunk, ChatTool } from '@opengradient/llm'
import type { CommandContext } from '../context.js'
import { CliUsageError } from '../errors.js'
import {
  checkTransport,
  connectGateway,
  gatewayJson,
  generationOptions,
  type LlmCommandOptions,
  onChainLlmClient,
  printGatewaySource,
  printOnChainSource,
  printPayment,
  printTeeNode,
  printToolCalls,
  rule,
  warnUnknownModel,
} from './llmShared.js'

export type ChatOptions = LlmCommandOptions & {
  messages?: string | undefined
  messagesFile?: string | undefined
  tools?: string | undefined
  toolsFile?: string | undefined
  toolChoice?: string | undefined
  stream?: boolean | undefined
}

/**
 * `og chat`: sends chat messages to the LLM gateway (default) or on chain (`--onchain`) and
 * prints the finish reason, the reply and its tool calls as the reference CLI does, then the
 * TEE node and the x402 payment. With `--stream` the reply is printed as it arrives; `--tee`
 * sends it to a TEE of the registry (pinned, paid), `--verify` checks the TEE signature.
 *
 * @example
 * ```sh
 * og chat --network devnet --model devnet/tiny --messages '[{"role": "user", "content": "Hello"}]' --stream
 * og chat --network devnet --tee --verify --model devnet/tiny --messages '[{"role": "user", "content": "Hello"}]'
 * ```
 */
export async function chatCommand(context: CommandContext, options: ChatOptions): Promise<void> {
  checkTransport(options)
  if (options.stream && options.onchain) {
    throw new CliUsageError('--stream applies to the LLM gateway, not to --onchain.')
  }
  const { maxTokens, temperature, temperatureText, stop } = generationOptions(options)
  const messages = await readMessages(options)
  const tools = await readTools(options)
  const toolChoice = options.toolChoice || undefined
  const { model } = options
  warnUnknownModel(context, model, options.onchain === true)

  if (options.onchain) {
    const { client, mode } = await onChainLlmClient(context, options)
    context.print(`Running LLM chat inference for model "${model}"`)
    context.print()
    const result = await client.runLlmChatOnChain({
      model,
      messages,
      mode,
      maxTokens,
      stop,
      temperature: temperatureText,
      tools,
      toolChoice,
    })
    if (context.json) {
      context.printJson({ model, ...result, inferenceId: result.inferenceId ?? null })
      return
    }
    context.print('✅ LLM Chat Successful')
    context.print(rule)
    printOnChainSource(context, model, result.transactionHash)
    printFinishReason(context, result.finishReason)
    context.print('Chat Output:')
    context.print()
    const { message } = result
    context.print(`role: ${message.role}`)
    if (message.content) context.print(message.content)
    if (message.name) context.print(`name: ${message.name}`)
    if (message.toolCallId) context.print(`tool_call_id: ${message.toolCallId}`)
    printToolCalls(context, result.toolCalls)
    context.print()
    return
  }

  const gateway = await connectGateway(context, options)
  try {
    await gatewayChat(context, gateway.client, {
      model,
      messages,
      maxTokens,
      stop,
      temperature,
      tools,
      toolChoice,
      webSearch: options.webSearch,
      stream: options.stream === true,
    })
  } finally {
    gateway.close()
  }
}

type GatewayClient = Awaited<ReturnType<typeof connectGateway>>['client']
type GatewayChatParameters = Parameters<GatewayClient['chat']>[0]

async function gatewayChat(
  context: CommandContext,
  client: GatewayClient,
  { stream, ...parameters }: GatewayChatParameters & { stream: boolean },
): Promise<void> {
  const { model } = parameters
  if (stream) {
    await streamChat(context, client, parameters)
    return
  }
  context.print(`Running TEE LLM chat for model "${model}"`)
  context.print()
  const result = await client.chat(parameters)
  if (context.json) {
    const { raw: _raw, ...output } = result
    context.printJson({ model, ...output, ...gatewayJson(result) })
    return
  }
  context.print('✅ LLM Chat Successful')
  context.print(rule)
  printGatewaySource(context, model, result)
  printFinishReason(context, result.finishReason ?? '')
  context.print('Chat Output:')
  context.print()
  context.print(`role: ${result.message.role}`)
  if (result.message.content) context.print(result.message.content)
  printToolCalls(context, result.toolCalls)
  for (const image of result.message.images ?? []) context.print(`Image: ${image.slice(0, 64)}…`)
  context.print()
}

async function streamChat(
  context: CommandContext,
  client: GatewayClient,
  parameters: GatewayChatParameters,
): Promise<void> {
  const stream = await client.chat({ ...parameters, stream: true })
  let interrupted = false
  const onInterrupt = () => {
    interrupted = true
    stream.abort()
  }
  process.once('SIGINT', onInterrupt)
  const write = (text: string) => {
    if (!context.json) context.io.stdout.write(text)
  }
  write(`🌊 Streaming LLM Chat\nModel: ${parameters.model}\nSource: OpenGradient TEE\nResponse:\n`)
  let chunks = 0
  let contentLength = 0
  let final: ChatStreamChunk | undefined
  try {
    for await (const chunk of stream) {
      chunks++
      const content = chunk.delta.content ?? ''
      contentLength += content.length
      write(content)
      if (chunk.isFinal) final = chunk
    }
  } finally {
    process.removeListener('SIGINT', onInterrupt)
  }
  if (interrupted) {
    write('\n')
    context.warn('Stream interrupted by user')
    return
  }
  if (context.json) {
    const { raw: _raw, delta: _delta, ...output } = final ?? ({} as ChatStreamChunk)
    context.printJson({
      ...output,
      model: parameters.model,
      chunks,
      contentLength,
      ...gatewayJson(final ?? {}),
    })
    return
  }
  write('\n\n')
  printToolCalls(context, final?.toolCalls ?? [])
  if (final?.usage) {
    context.print('Token Usage:')
    context.print(`  Prompt tokens: ${final.usage.promptTokens}`)
    context.print(`  Completion tokens: ${final.usage.completionTokens}`)
    context.print(`  Total tokens: ${final.usage.totalTokens}`)
  }
  context.print(`Finish reason: ${final?.finishReason ?? ''}`)
  printTeeNode(context, final ?? {}, { paymentAddress: false })
  printPayment(context, final ?? {})
  context.print(`Chunks received: ${chunks}`)
  context.print(`Content length: ${contentLength} characters`)
}

function printFinishReason(context: CommandContext, finishReason: string) {
  context.print(rule)
  context.print('Finish Reason: ')
  context.print()
  context.print(finishReason)
  context.print()
}

async function readMessages(options: ChatOptions): Promise<ChatMessage[]> {
  if (options.messages === undefined && options.messagesFile === undefined) {
    throw new CliUsageError('Must specify either messages or messages-file')
  }
  if (options.messages !== undefined && options.messagesFile !== undefined) {
    throw new CliUsageError('Cannot have both messages and messages-file')
  }
  let parsed: unknown
  try {
    const text =
      options.messages ?? (await readFile(resolve(options.messagesFile as string), 'utf8'))
    parsed = JSON.parse(text)
  } catch (error) {
    throw new CliUsageError(`Failed to parse messages: ${(error as Error).message}`)
  }
  if (!Array.isArray(parsed)) throw new CliUsageError('Messages must be a JSON array')
  return parsed as ChatMessage[]
}

async function readTools(options: ChatOptions): Promise<ChatTool[] | undefined> {
  if (options.tools !== undefined && options.toolsFile !== undefined && options.tools !== '[]') {
    throw new CliUsageError('Cannot have both tools and tools-file')
  }
  let parsed: unknown
  if (options.tools !== undefined && (options.toolsFile === undefined || options.tools !== '[]')) {
    try {
      parsed = JSON.parse(options.tools)
    } catch (error) {
      throw new CliUsageError(`Failed to parse tools JSON: ${(error as Error).message}`)
    }
  } else if (options.toolsFile !== undefined) {
    try {
      parsed = JSON.parse(await readFile(resolve(options.toolsFile), 'utf8'))
    } catch (error) {
      throw new CliUsageError(`Failed to load JSON from tools_file: ${(error as Error).message}`)
    }
  } else return undefined
  if (!Array.isArray(parsed)) throw new CliUsageError('Tools must be a JSON array')
  return parsed as ChatTool[]
}
