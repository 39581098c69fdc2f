// The command tree: every command is declared here and runs a plain function from ./commands/.
import { Command, CommanderError, Help, Option } from 'commander'
import { type ChatOptions, chatCommand } from './commands/chat.js'
import { type CodecDecodeOptions, codecDecode } from './commands/codecDecode.js'
import { type CodecEncodeOptions, codecEncode } from './commands/codecEncode.js'
import { type CompletionOptions, completionCommand } from './commands/completion.js'
import { type ConfigClearOptions, configClear } from './commands/configClear.js'
import { type ConfigInitOptions, configInit } from './commands/configInit.js'
import { configShow } from './commands/configShow.js'
import { type CreateModelRepoOptions, createModelRepo } from './commands/createModelRepo.js'
import { type CreateVersionOptions, createVersion } from './commands/createVersion.js'
import { type DevnetOptions, devnetCommand } from './commands/devnet.js'
import {
  type DevnetModelsOptions,
  devnetModelsAdd,
  devnetModelsList,
} from './commands/devnetModels.js'
import { type DevnetUsersAddOptions, devnetUsersAdd } from './commands/devnetUsers.js'
import { type DownloadOptions, download } from './commands/download.js'
import { type ForecastOptions, forecast } from './commands/forecast.js'
import { type GenerateImageOptions, generateImageCommand } from './commands/generateImage.js'
import { type InferOptions, inferCommand } from './commands/infer.js'
import { type ListFilesOptions, listFiles } from './commands/listFiles.js'
import { type LlmApproveOptions, llmApproveCommand } from './commands/llmApprove.js'
import type { PaymentChainOptions } from './commands/llmPayments.js'
import { llmSetupCheckCommand } from './commands/llmSetupCheck.js'
import { collect } from './commands/llmShared.js'
import { type LoginOptions, login } from './commands/login.js'
import { quickstartCommand } from './commands/quickstart.js'
import { type UploadFileOptions, uploadFile } from './commands/uploadFile.js'
import { type VerifyOptions, verify } from './commands/verify.js'
import { showVersion } from './commands/version.js'
import { type WorkflowDeployOptions, workflowDeploy } from './commands/workflowDeploy.js'
import { type WorkflowHistoryOptions, workflowHistory } from './commands/workflowHistory.js'
import { workflowResult } from './commands/workflowResult.js'
import { workflowRun } from './commands/workflowRun.js'
import { workflowStop } from './commands/workflowStop.js'
import { type WorkflowTasksOptions, workflowTasks } from './commands/workflowTasks.js'
import { cliNetworkNames } from './config.js'
import { type CliRun, type CommandContext, createCommandContext } from './context.js'
import { toJsonText } from './json.js'
import { version } from './version.js'

/** State of one run as the program sees it. */
export type ProgramRun = CliRun & {
  /** `--json` appears on the command line; known before parsing, for parse errors and `-V`. */
  jsonRequested: boolean
}

/** The name in usage lines and messages; `og` is an alias binary. */
export const programName = 'opengradient'

const docsUrl = 'https://docs.opengradient.ai/'

const globalOptionsGroup = 'Global Options:'

/**
 * Builds a fresh command tree for one run (commander keeps parsed values on the commands, so
 * a tree is never reused).
 */
export function createProgram(run: ProgramRun): Command {
  const { io } = run
  const program = new Command(programName)
    .usage('[options] <command>')
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      // Help shown for a usage error goes to stderr, except in --json mode where the error
      // handler writes the JSON error instead.
      writeErr: (text) => {
        if (!run.jsonRequested) io.stderr.write(text)
      },
      // Errors are printed by the one handler in runCli.
      outputError: () => {},
      getOutHelpWidth: () => columnsOf(io.stdout),
      getErrHelpWidth: () => columnsOf(io.stderr),
    })
    .configureHelp({
      // Global options come last in every command's help, after the command's own.
      groupItems<T extends Command | Option>(
        unsortedItems: T[],
        visibleItems: T[],
        getGroup: (item: T) => string,
      ): Map<string, T[]> {
        const groups = new Help().groupItems(unsortedItems, visibleItems, getGroup)
        const globals = groups.get(globalOptionsGroup)
        if (globals) {
          groups.delete(globalOptionsGroup)
          groups.set(globalOptionsGroup, globals)
        }
        return groups
      },
    })
    .addHelpText('before', 'CLI for OpenGradient SDK.\n')
    .addHelpText(
      'after',
      `\nRun '${programName} <command> --help' for a command's options.\nVisit ${docsUrl} for more documentation.`,
    )
    .option('-V, --version', 'output the version number')
    .on('option:version', () => {
      io.stdout.write(run.jsonRequested ? `${toJsonText({ version })}\n` : `${version}\n`)
      run.jsonWritten = run.jsonRequested
      throw new CommanderError(0, 'commander.version', version)
    })

  // Runs a command function with the context built from the command's global options. The
  // function gets the positional arguments, then the command's own options.
  const withContext =
    <Arguments extends unknown[]>(
      handler: (context: CommandContext, ...args: Arguments) => Promise<void>,
    ) =>
    async (...args: unknown[]) => {
      const command = args.at(-1) as Command
      const context = await createCommandContext(run, command.optsWithGlobals())
      await handler(context, ...(args.slice(0, -1) as Arguments))
    }

  program
    .command('version')
    .description('Show the versions of the CLI, the SDK core and Node.js.')
    .action(withContext((context) => showVersion(context)))

  const config = program
    .command('config')
    .description('Manage the config file (~/.opengradient_config.json).')
  config
    .command('init')
    .description('Initialize or create a new config.')
    .option('-f, --force', 'overwrite an existing config')
    .addOption(
      new Option('--private-key <key>', 'the account key (no prompts)').conflicts('generate'),
    )
    .option('--alpha-private-key <key>', 'a separate Alpha testnet key')
    .option('--email <email>', 'Model Hub email address')
    .option('--password <password>', 'Model Hub password (prefer the prompt or OG_PASSWORD)')
    .option('--generate', 'generate a new account key (no prompts)')
    .option('--show-private-key', 'print a generated key')
    .action(withContext((context, options: ConfigInitOptions) => configInit(context, options)))
  config
    .command('show')
    .description('Display the config file, secrets masked.')
    .action(withContext((context) => configShow(context)))
  config
    .command('clear')
    .description('Clear all configs.')
    .option('-y, --yes', 'do not ask for confirmation')
    .action(withContext((context, options: ConfigClearOptions) => configClear(context, options)))

  const codec = program
    .command('codec')
    .description(
      'Convert model tensors between JSON and the on-chain ModelInput/ModelOutput structs.',
    )
  codec
    .command('encode')
    .description('Encode a model input (JSON object of tensors by name) as the ModelInput struct.')
    .argument('[json]', "the model input JSON, or '-' for stdin")
    .option('--file <path>', "read the model input JSON from a file ('-' for stdin)")
    .option('--abi', 'also print the ABI encoding of the struct')
    .addHelpText(
      'after',
      `\nExample:\n  $ ${programName} codec encode '{"x": [0.1, 2.5], "s": ["hello"]}'`,
    )
    .action(
      withContext((context, json: string | undefined, options: CodecEncodeOptions) =>
        codecEncode(context, json, options),
      ),
    )
  codec
    .command('decode')
    .description('Decode a ModelInput or ModelOutput struct (JSON, or ABI hex) into tensors.')
    .argument('[json]', "the struct as JSON (hex with --abi), or '-' for stdin")
    .option('--file <path>', "read the input from a file ('-' for stdin)")
    .option('--abi', 'the input is the ABI encoding of the struct, as hex')
    .option('--float32', "values as the reference SDK's float32 instead of exact decimals")
    .action(
      withContext((context, json: string | undefined, options: CodecDecodeOptions) =>
        codecDecode(context, json, options),
      ),
    )

  program
    .command('infer')
    .description('Run an ONNX model on chain and print the transaction and its output.')
    .requiredOption('-m, --model <id>', 'model id (CID)')
    .addOption(
      new Option('--mode <mode>', 'inference mode')
        .choices(['VANILLA', 'ZKML', 'TEE', 'vanilla', 'zkml', 'tee'])
        .default('VANILLA'),
    )
    .option('-d, --input <json>', 'model input as JSON, e.g. \'{"x": [1, 2]}\'')
    .option('-f, --input-file <path>', 'model input JSON file')
    .option('--max-retries <n>', 'send attempts on nonce races (default 5)')
    .addHelpText(
      'after',
      `\nExample:\n  $ ${programName} infer --network devnet -m QmbUqS93oc4JTLMHwpVxsE39mhNxy6hpf6Py3r9oANr8aZ --mode VANILLA -d '{"num_input1": [1, 2, 3], "num_input2": 10, "str_input1": ["hello"], "str_input2": [" world"]}'`,
    )
    .action(withContext((context, options: InferOptions) => inferCommand(context, options)))

  const llmOptions = (command: Command) =>
    command
      .requiredOption(
        '-m, --model <id>',
        'model id, e.g. devnet/tiny or anthropic/claude-haiku-4-5',
      )
      .option('--max-tokens <n>', 'most tokens to generate', '100')
      .option('--stop <text>', 'a sequence that ends the reply (repeatable)', collect)
      .addOption(new Option('--stop-sequence <text>').argParser(collect).hideHelp())
      .option('--temperature <t>', 'sampling temperature', '0')
      .option('--onchain', 'run through the inference hub on chain instead of the LLM gateway')
      .addOption(
        new Option('--mode <mode>', 'on-chain inference mode').choices([
          'VANILLA',
          'TEE',
          'vanilla',
          'tee',
        ]),
      )
      .option(
        '--settlement <mode>',
        'private, batch (default) or individual; older names accepted (gateway)',
      )
      .option('--x402-settlement-mode <mode>', 'same as --settlement')
      .addOption(new Option('--settlement-mode <mode>').hideHelp())
      .option('--max-payment <opg>', 'most one x402 payment may authorise, in OPG (default 0.1)')
      .option(
        '--tee',
        "call a TEE of the network's TEE registry, TLS pinned, paid with x402 from your account (default where the network has no gateway URL)",
      )
      .option('--verify', "check the TEE's signature of the answer (with --tee)")
      .option('--web-search', 'let the provider search the web (gateway)')
      .option('--llm-url <url>', "LLM gateway URL (default: OG_LLM_URL, or the network's)")
  llmOptions(
    program
      .command('completion')
      .description('Complete a prompt with an LLM (gateway, or --onchain).')
      .requiredOption('-p, --prompt <text>', 'the prompt'),
  )
    .addHelpText(
      'after',
      `\nExamples:\n  $ ${programName} completion --network devnet -m devnet/tiny -p 'The river'\n  $ ${programName} completion --network devnet --tee --verify --max-payment 0.1 -m devnet/tiny -p 'The river'`,
    )
    .action(
      withContext((context, options: CompletionOptions) => completionCommand(context, options)),
    )
  llmOptions(
    program
      .command('chat')
      .description('Chat with an LLM (gateway, or --onchain); --stream prints tokens as they come.')
      .option('--messages <json>', 'the messages, a JSON array')
      .option('--messages-file <path>', 'a JSON file with the messages')
      .option('--tools <json>', 'tools, a JSON array of OpenAI function tools')
      .option('--tools-file <path>', 'a JSON file with the tools')
      .option('--tool-choice <choice>', 'auto, none, required, or a function name')
      .option('--stream', 'print the reply as it is generated'),
  )
    .addHelpText(
      'after',
      `\nExamples:\n  $ ${programName} chat --network devnet -m devnet/tiny --messages '[{"role": "user", "content": "Tell me about the river."}]' --stream\n  $ ${programName} chat --network devnet --tee --verify -m devnet/tiny --messages '[{"role": "user", "content": "Hi"}]'`,
    )
    .action(withContext((context, options: ChatOptions) => chatCommand(context, options)))

  const llm = program
    .command('llm')
    .description('LLM payments: OPG approval to Permit2 and a readiness check.')
  llm
    .command('approve')
    .description('Let Permit2 spend your OPG for x402 LLM payments (only when below --min).')
    .requiredOption('--min <opg>', 'minimum allowance, in OPG (at least 0.1)')
    .option('--amount <opg>', 'what to approve when below the minimum (default: twice --min)')
    .option('--payment-rpc-url <url>', 'RPC of the payment chain (default: Base, or the devnet)')
    .addHelpText('after', `\nExample:\n  $ ${programName} llm approve --network devnet --min 0.5`)
    .action(
      withContext((context, options: LlmApproveOptions) => llmApproveCommand(context, options)),
    )
  llm
    .command('setup-check')
    .description('Check, without sending anything, that your account can pay for LLM calls.')
    .option('--payment-rpc-url <url>', 'RPC of the payment chain (default: Base, or the devnet)')
    .action(
      withContext((context, options: PaymentChainOptions) =>
        llmSetupCheckCommand(context, options),
      ),
    )

  program
    .command('quickstart')
    .description('Start a temporary devnet, run the SDK against it, and stop it.')
    .action(withContext((context) => quickstartCommand(context)))

  const devnet = program
    .command('devnet')
    .description('Run a local OpenGradient network in the foreground (Ctrl-C stops it).')
    .option('--data-dir <dir>', 'data directory (default ~/.opengradient/devnet)')
    .option('--port <n>', 'port of the JSON-RPC front and HTTP services (0: any free port)', '8545')
    .option(
      '--tee-port <n>',
      "port of the LLM TEE's HTTPS endpoint (default 8546; 0: any free port)",
    )
    .option('--no-llm-payments', 'serve the LLM TEE without asking for x402 payments')
    .option(
      '--reference-workflows',
      "install look-alikes of the Alpha testnet's pre-deployed workflows (og forecast)",
    )
    .option(
      '--llm-config <file>',
      'JSON configuration of the LLM gateway: models and backends (tiny, script, upstream)',
    )
    .action(withContext((context, options: DevnetOptions) => devnetCommand(context, options)))
  const devnetModels = devnet.command('models').description("Manage the devnet's models.")
  devnetModels
    .command('add')
    .description('Add a model file to the devnet and print its CID.')
    .argument('<file>', 'an ONNX file')
    .option('--name <name>', 'a friendly name (default: the file name)')
    .option('--data-dir <dir>', 'data directory (default ~/.opengradient/devnet)')
    .action(
      withContext((context, file: string, options: DevnetModelsOptions) =>
        devnetModelsAdd(context, file, options),
      ),
    )
  devnetModels
    .command('list')
    .description("List the devnet's models: CID, name and input names.")
    .option('--data-dir <dir>', 'data directory (default ~/.opengradient/devnet)')
    .action(
      withContext((context, options: DevnetModelsOptions) => devnetModelsList(context, options)),
    )

  devnet
    .command('users')
    .description("Manage the accounts of the devnet's Model Hub.")
    .command('add')
    .description('Add an account to the devnet hub (or replace its password).')
    .argument('<email>', 'the email address to sign in with')
    .option('--password <password>', 'at least 6 characters (asked for when missing)')
    .option('--data-dir <dir>', 'data directory (default ~/.opengradient/devnet)')
    .option('--token-lifetime <seconds>', 'how long its ID tokens live (default 3600)')
    .action(
      withContext((context, email: string, options: DevnetUsersAddOptions) =>
        devnetUsersAdd(context, email, options),
      ),
    )

  program
    .command('login')
    .description('Sign in to the Model Hub and save the session beside the config file.')
    .option('--email <email>', 'Model Hub email address (asked for when missing)')
    .option('--password <password>', 'Model Hub password (prefer the prompt or OG_PASSWORD)')
    .option('--save-password', 'also store the email and password in the config file')
    .action(withContext((context, options: LoginOptions) => login(context, options)))
  program
    .command('create-model-repo')
    .description('Create a model repository on the Model Hub, with its first version.')
    .option('-r, --repo <name>', 'repository name')
    .addOption(new Option('--name <name>', 'repository name (same as --repo)').hideHelp())
    .requiredOption('-d, --description <text>', 'repository description')
    .action(
      withContext((context, options: CreateModelRepoOptions) => createModelRepo(context, options)),
    )
  program
    .command('create-version')
    .description('Create a new version of a model repository.')
    .requiredOption('-r, --repo <name>', 'repository name')
    .option('-n, --notes <text>', 'release notes')
    .option('-m, --major', 'a major version (1.00) rather than a minor one (0.02)')
    .action(
      withContext((context, options: CreateVersionOptions) => createVersion(context, options)),
    )
  program
    .command('upload-file')
    .description('Upload a file into a version of a repository (streamed from disk).')
    .argument('<file>', 'the file to upload')
    .requiredOption('-r, --repo <name>', 'repository name')
    .requiredOption('-v, --version <version>', 'version, e.g. 0.01')
    .action(
      withContext((context, file: string, options: UploadFileOptions) =>
        uploadFile(context, file, options),
      ),
    )
  program
    .command('list-files')
    .description('List the files of a version.')
    .requiredOption('-r, --repo <name>', 'repository name')
    .requiredOption('-v, --version <version>', 'version, e.g. 0.01')
    .action(withContext((context, options: ListFilesOptions) => listFiles(context, options)))
  program
    .command('download')
    .description('Download a file by its content id and check the bytes against it.')
    .requiredOption('--cid <cid>', 'the content id (Qm…)')
    .option('-o, --out <path>', 'where to write the file (default: ./<cid>)')
    .option('--gateway <url>', "IPFS gateway (default: OG_IPFS_GATEWAY or the network's)")
    .action(withContext((context, options: DownloadOptions) => download(context, options)))
  program
    .command('generate-image')
    .description('Generate an image from a prompt and write it to a file.')
    .requiredOption('-m, --model <model>', 'the image model id')
    .requiredOption('-p, --prompt <prompt>', 'what to draw')
    .requiredOption('-o, --output-path <path>', 'where to write the image')
    .option('--width <pixels>', 'image width (default 1024)')
    .option('--height <pixels>', 'image height (default 1024)')
    .option('--host <host:port>', "gRPC image service (default: OG_IMAGE_HOST, or the network's)")
    .option(
      '--llm-url <url>',
      "LLM gateway URL for image-output chat models (default: OG_LLM_URL, or the network's)",
    )
    .action(
      withContext((context, options: GenerateImageOptions) =>
        generateImageCommand(context, options),
      ),
    )
  program
    .command('verify')
    .description("Re-run a transaction's inference locally and compare its outputs.")
    .requiredOption('--tx <hash>', 'the transaction hash')
    .option('--index <n>', 'which inference of the transaction (default 0)')
    .action(withContext((context, options: VerifyOptions) => verify(context, options)))

  const workflow = program
    .command('workflow')
    .description('Deploy, run, read and schedule workflows (a model fed with market candles).')
  workflow
    .command('deploy')
    .description('Deploy a workflow, and schedule it with --frequency or --duration-hours.')
    .requiredOption('--model <id>', 'model id (CID)')
    .requiredOption('--input-name <name>', 'the model input that receives the candles')
    .requiredOption('--base <asset>', 'base asset, e.g. ETH')
    .option('--quote <asset>', 'quote asset', 'USDT')
    .requiredOption('--candles <n>', 'number of candles')
    .option('--candle-minutes <n>', 'candle length in minutes', '60')
    .addOption(
      new Option('--order <order>', 'row order')
        .choices(['ascending', 'descending'])
        .default('ascending'),
    )
    .option('--types <fields>', 'candle fields in column order', 'open,high,low,close')
    .option('--frequency <seconds>', 'schedule: seconds between runs (default 600)')
    .option('--duration-hours <hours>', 'schedule: hours the schedule lasts (default 2)')
    .action(
      withContext((context, options: WorkflowDeployOptions) => workflowDeploy(context, options)),
    )
  workflow
    .command('run')
    .description('Run a workflow now and print its output.')
    .argument('<address>', 'the workflow contract')
    .action(withContext((context, address: string) => workflowRun(context, address)))
  workflow
    .command('result')
    .description("Print a workflow's latest result.")
    .argument('<address>', 'the workflow contract')
    .action(withContext((context, address: string) => workflowResult(context, address)))
  workflow
    .command('history')
    .description("Print a workflow's last results.")
    .argument('<address>', 'the workflow contract')
    .requiredOption('--count <n>', 'how many results')
    .addOption(
      new Option('--order <order>', 'oldest-first is the contract order')
        .choices(['oldest-first', 'newest-first'])
        .default('oldest-first'),
    )
    .action(
      withContext((context, address: string, options: WorkflowHistoryOptions) =>
        workflowHistory(context, address, options),
      ),
    )
  workflow
    .command('tasks')
    .description("List the scheduler's tasks.")
    .option('--mine', 'only the tasks of your account')
    .action(
      withContext((context, options: WorkflowTasksOptions) => workflowTasks(context, options)),
    )
  workflow
    .command('stop')
    .description('Stop the schedule of a workflow (the contract stays).')
    .argument('<address>', 'the workflow contract')
    .action(withContext((context, address: string) => workflowStop(context, address)))

  program
    .command('forecast')
    .description("Read one of OpenGradient's pre-deployed forecast workflows.")
    .argument('<name>', 'eth-volatility, btc-1h, eth-1h, sol-1h, sui-1h, sui-30m or sui-6h')
    .option('--address <address>', 'read this contract instead of the known address')
    .action(
      withContext((context, name: string, options: ForecastOptions) =>
        forecast(context, name, options),
      ),
    )

  addGlobalOptions(program)
  return program
}

/** Adds the global options to every command, so they may come before or after command names. */
function addGlobalOptions(command: Command): void {
  const group = globalOptionsGroup
  command
    .addOption(
      new Option('--json', 'print one JSON document; errors as JSON on stderr').helpGroup(group),
    )
    .addOption(
      new Option('--network <name>', 'network (default: OG_NETWORK, the config file, or alpha)')
        .choices(cliNetworkNames)
        .helpGroup(group),
    )
    .addOption(
      new Option(
        '--rpc-url <url>',
        "JSON-RPC URL (default: OG_RPC_URL or the network's)",
      ).helpGroup(group),
    )
    .addOption(
      new Option(
        '--config <path>',
        'config file (default: OG_CONFIG or ~/.opengradient_config.json)',
      ).helpGroup(group),
    )
  for (const subcommand of command.commands) addGlobalOptions(subcommand)
}

/** The command names of `argv` as far as they match the tree, e.g. `opengradient config init`. */
export function commandPathOf(program: Command, argv: readonly string[]): string {
  const names = [program.name()]
  let command = program
  for (const arg of argv) {
    if (arg === '--') break
    const subcommand = command.commands.find(
      (candidate) => candidate.name() === arg || candidate.aliases().includes(arg),
    )
    if (subcommand) {
      command = subcommand
      names.push(subcommand.name())
    }
  }
  return names.join(' ')
}

function columnsOf(stream: unknown): number {
  const columns = (stream as { columns?: unknown }).columns
  return typeof columns === 'number' && columns > 0 ? columns : 80
}
