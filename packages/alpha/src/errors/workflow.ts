import { type Address, BaseError, type BaseErrorParameters, type Hash } from '@opengradient/core'

export type SchedulerRegistrationErrorType = SchedulerRegistrationError & {
  name: 'SchedulerRegistrationError'
}

/**
 * A workflow was deployed, but registering it with the scheduler failed. The contract exists and
 * can be run by hand (`runWorkflow`) or registered again (`registerTask`); `address` says where.
 * The reference printed this failure and carried on.
 *
 * @example
 * ```ts
 * try {
 *   await newWorkflow(client, { model, inputQuery, inputTensorName, scheduler: { frequency: 600 } })
 * } catch (error) {
 *   if (error instanceof SchedulerRegistrationError) await registerTask(client, { address: error.address })
 * }
 * ```
 */
export class SchedulerRegistrationError extends BaseError {
  override name = 'SchedulerRegistrationError' as const
  /** The deployed workflow contract. */
  readonly address: Address
  /** The deployment transaction. */
  readonly transactionHash: Hash

  constructor(parameters: BaseErrorParameters & { address: Address; transactionHash: Hash }) {
    const { address, transactionHash, ...rest } = parameters
    super(
      `The workflow was deployed at "${address}", but registering it with the scheduler failed.`,
      {
        ...rest,
        metaMessages: [
          `Workflow: ${address}`,
          `Deployment: ${transactionHash}`,
          'The contract can still be run by hand, or registered again with registerTask.',
          ...(rest.metaMessages ?? []),
        ],
      },
    )
    this.address = address
    this.transactionHash = transactionHash
  }
}

export type WorkflowResultErrorType = WorkflowResultError & { name: 'WorkflowResultError' }

/**
 * A workflow's result is not what the reader expects: no run yet, no tensor of the expected
 * name, or not exactly one value in it.
 *
 * @example
 * ```ts
 * if (error instanceof WorkflowResultError) console.log(error.address)
 * ```
 */
export class WorkflowResultError extends BaseError {
  override name = 'WorkflowResultError' as const
  /** The workflow contract. */
  readonly address: Address

  constructor(reason: string, parameters: BaseErrorParameters & { address: Address }) {
    const { address, ...rest } = parameters
    super(`Error reading from workflow with address "${address}": ${reason}`, rest)
    this.address = address
  }
}
