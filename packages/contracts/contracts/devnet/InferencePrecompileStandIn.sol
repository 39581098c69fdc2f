// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IInferencePrecompile} from "../IInferencePrecompile.sol";
import {
    LLMChatRequest,
    LLMChatResponse,
    LLMCompletionRequest,
    LLMCompletionResponse,
    ModelInferenceRequest,
    ModelOutput
} from "../InferenceTypes.sol";
import {PreparedResults} from "./PreparedResults.sol";

/// @title InferencePrecompileStandIn
/// @notice Runtime code a local devnet installs at `0x…F4` in place of the inference precompile.
/// The node runs models off-chain and hands the answers in through {PreparedResults}.
/// @dev Behaves like the real precompile as seen from the EVM: with a prepared result it emits
/// the precompile event from its own address and returns the output; without one it answers as
/// the simulation pass does (empty output with `is_simulation_result` set, empty LLM answers),
/// without emitting. Unknown selectors revert (no fallback).
contract InferencePrecompileStandIn is IInferencePrecompile, PreparedResults {
    /// @inheritdoc IInferencePrecompile
    function runModelInference(ModelInferenceRequest calldata request) external returns (ModelOutput memory output) {
        (bool found, string memory inferenceId, bytes memory payload) = _takeResult();
        if (!found) {
            output.is_simulation_result = true;
            return output;
        }
        // Decoding validates the node's payload and gives the event its typed output.
        output = abi.decode(payload, (ModelOutput));
        emit ModelInferenceEvent(inferenceId, request, output);
        _returnRaw(payload);
    }

    /// @inheritdoc IInferencePrecompile
    function runLLMCompletion(LLMCompletionRequest calldata request)
        external
        returns (LLMCompletionResponse memory response)
    {
        (bool found, string memory inferenceId, bytes memory payload) = _takeResult();
        if (!found) return response;
        response = abi.decode(payload, (LLMCompletionResponse));
        emit LLMCompletionEvent(inferenceId, request, response);
        _returnRaw(payload);
    }

    /// @inheritdoc IInferencePrecompile
    function runLLMChat(LLMChatRequest calldata request) external returns (LLMChatResponse memory response) {
        (bool found, string memory inferenceId, bytes memory payload) = _takeResult();
        if (!found) return response;
        response = abi.decode(payload, (LLMChatResponse));
        emit LLMChat(inferenceId, request, response);
        _returnRaw(payload);
    }
}
