// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {
    LLMChatRequest,
    LLMChatResponse,
    LLMCompletionRequest,
    LLMCompletionResponse,
    ModelInferenceRequest,
    ModelOutput
} from "./InferenceTypes.sol";

/// @title IInferencePrecompile
/// @notice The inference precompile at `0x00000000000000000000000000000000000000F4`: ONNX models
/// and on-chain LLMs, executed synchronously inside the transaction.
/// @dev None of these functions is `view`: the precompile emits its own log, so callers must
/// reach it with CALL. A STATICCALL would fail during real execution.
interface IInferencePrecompile {
    /// @notice Emitted by the precompile for every model call it executes.
    /// @param inferenceID Opaque id under which the node serves the result over REST.
    event ModelInferenceEvent(string inferenceID, ModelInferenceRequest request, ModelOutput response);

    /// @notice Emitted by the precompile for every completion it executes.
    event LLMCompletionEvent(string inferenceID, LLMCompletionRequest request, LLMCompletionResponse response);

    /// @notice Emitted by the precompile for every chat request it executes.
    /// @dev The name has no "Event" suffix on the network; keep it for topic compatibility.
    event LLMChat(string inferenceID, LLMChatRequest request, LLMChatResponse response);

    /// @notice Runs a model. During the simulation pass the answer is empty with
    /// `is_simulation_result` set.
    function runModelInference(ModelInferenceRequest calldata request) external returns (ModelOutput memory);

    /// @notice Runs a text completion. During the simulation pass the answer is empty.
    function runLLMCompletion(LLMCompletionRequest calldata request)
        external
        returns (LLMCompletionResponse memory);

    /// @notice Runs a chat request. During the simulation pass the answer is empty.
    function runLLMChat(LLMChatRequest calldata request) external returns (LLMChatResponse memory);
}
