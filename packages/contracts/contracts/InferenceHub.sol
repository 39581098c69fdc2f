// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IInferencePrecompile} from "./IInferencePrecompile.sol";
import {
    LLMChatRequest,
    LLMChatResponse,
    LLMCompletionRequest,
    LLMCompletionResponse,
    ModelInferenceMode,
    ModelInferenceRequest,
    ModelInput,
    ModelOutput
} from "./InferenceTypes.sol";

/// @title InferenceHub
/// @notice Entry point for on-chain inference: forwards each request to the inference precompile
/// and re-emits the answer from a fixed address, so clients find results by hub address and topic.
/// @dev ABI-identical to the hub on the Alpha testnet. It has no storage and no constructor, so its
/// runtime code can be installed at any address (genesis state or `anvil_setCode`).
/// A hub transaction logs the precompile event first and the hub event second; clients rely on
/// that order.
contract InferenceHub {
    /// @dev A constant rather than an immutable: immutables live in code patched at deployment,
    /// which installed runtime code would lack.
    IInferencePrecompile internal constant INFERENCE_PRECOMPILE =
        IInferencePrecompile(0x00000000000000000000000000000000000000F4);

    /// @notice The output of a model run through {run}.
    event InferenceResult(ModelOutput output);

    /// @notice The answer of a completion run through {runLLMCompletion}.
    event LLMCompletionResult(LLMCompletionResponse response);

    /// @notice The answer of a chat request run through {runLLMChat}.
    event LLMChatResult(LLMChatResponse response);

    /// @notice Runs `modelId` on `modelInput` and returns its output.
    /// @dev Returns the simulation answer (`is_simulation_result` set, no tensors) when called
    /// through `eth_call` or gas estimation; the real output only exists inside a transaction.
    /// @param modelId The model's id (an IPFS CID or another opaque id).
    /// @param inferenceMode VANILLA (0), ZK (1) or TEE (2).
    /// @param modelInput Number and string tensors, matched to the model's inputs by name.
    function run(string calldata modelId, ModelInferenceMode inferenceMode, ModelInput calldata modelInput)
        external
        returns (ModelOutput memory)
    {
        ModelOutput memory output = INFERENCE_PRECOMPILE.runModelInference(
            ModelInferenceRequest({mode: inferenceMode, modelCID: modelId, input: modelInput})
        );
        emit InferenceResult(output);
        return output;
    }

    /// @notice Runs a text completion; the request reaches the precompile unchanged.
    function runLLMCompletion(LLMCompletionRequest calldata request) external returns (LLMCompletionResponse memory) {
        LLMCompletionResponse memory response = INFERENCE_PRECOMPILE.runLLMCompletion(request);
        emit LLMCompletionResult(response);
        return response;
    }

    /// @notice Runs a chat request; the request reaches the precompile unchanged.
    function runLLMChat(LLMChatRequest calldata request) external returns (LLMChatResponse memory) {
        LLMChatResponse memory response = INFERENCE_PRECOMPILE.runLLMChat(request);
        emit LLMChatResult(response);
        return response;
    }
}
