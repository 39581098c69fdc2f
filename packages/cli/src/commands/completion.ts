import type { CommandContext } from '../context.js'
import {
  checkTransport,
  connectGateway,
  gatewayJson,
  generationOptions,
  type LlmCommandOptions,
  onChainLlmClient,
  printGatewaySource,
  printOnChainSource,
  rule,
  warnUnknownModel,
} from './llmShared.js'

export type CompletionOptions = LlmCommandOptions & { prompt: string }

/**
 * `og completion`: completes a prompt with the LLM gateway (default) or on chain (`--onchain`),
 * and prints the reference CLI's lines with the TEE node and the x402 payment, or one JSON
 * document with `--json`. `--tee` sends it to a TEE of the registry (pinned, paid), `--verify`
 * checks the TEE signature.
 *
 * @example
 * ```sh
 * og completion --network devnet --model devnet/tiny --prompt 'The river' --max-tokens 20
 * og completion --network devnet --tee --verify --max-payment 0.1 --model devnet/tiny --prompt 'The river'
 * og completion --network devnet --onchain --mode TEE --model meta-llama/Llama-3.1-70B-Instruct --prompt 'Hi'
 * ```
 */
export async function completionCommand(
  context: CommandContext,
  options: CompletionOptions,
): Promise<void> {
  checkTransport(options)
  const { maxTokens, temperatureText, temperature, stop } = generationOptions(options)
  const { model, prompt } = options
  warnUnknownModel(context, model, options.onchain === true)

  if (options.onchain) {
    const { client, mode } = await onChainLlmClient(context, options)
    context.print(`Running LLM completion inference for model "${model}"`)
    context.print()
    const result = await client.runLlmCompletionOnChain({
      model,
      prompt,
      mode,
      maxTokens,
      stop,
      temperature: temperatureText,
    })
    if (context.json) {
      context.printJson({ model, ...result, inferenceId: result.inferenceId ?? null })
      return
    }
    context.print('✅ LLM completion Successful')
    context.print(rule)
    printOnChainSource(context, model, result.transactionHash)
    printOutput(context, result.text)
    return
  }

  const gateway = await connectGateway(context, options)
  try {
    context.print(`Running TEE LLM completion for model "${model}"`)
    context.print()
    const result = await gateway.client.completion({
      model,
      prompt,
      maxTokens,
      stop,
      temperature,
      webSearch: options.webSearch,
    })
    if (context.json) {
      const { raw: _raw, ...output } = result
      context.printJson({ model, ...output, ...gatewayJson(result) })
      return
    }
    context.print('✅ LLM completion Successful')
    context.print(rule)
    printGatewaySource(context, model, result)
    printOutput(context, result.text)
  } finally {
    gateway.close()
  }
}

function printOutput(context: CommandContext, text: string) {
  context.print(rule)
  context.print('LLM Output:')
  context.print()
  context.print(text)
  context.print()
}
