// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {TensorLib} from "./TensorLib.sol";

// Request and response types of the precompiles, the hub and workflows. They are declared at file
// level, not inside a contract, so their ABI `internalType` is the bare name (`struct ModelOutput`),
// as in the network's ABIs. Field names and order are part of the wire format.

/// @notice How a model is executed. Enums encode as uint8 in the ABI.
/// @dev ZK is 1 and TEE is 2; some older clients swapped them, so keep this order.
enum ModelInferenceMode {
    VANILLA,
    ZK,
    TEE
}

/// @notice How an on-chain LLM request is executed.
enum LLMInferenceMode {
    VANILLA,
    TEE
}

/// @notice Row order of the candles a price-history query returns.
enum CandleOrder {
    ASCENDING,
    DESCENDING
}

/// @notice Candle fields, numbered as the price-history precompile numbers them (HIGH is 0).
enum CandleType {
    HIGH,
    LOW,
    OPEN,
    CLOSE,
    VOLUME
}

/// @notice The tensors a model receives.
struct ModelInput {
    TensorLib.MultiDimensionalNumberTensor[] numbers;
    TensorLib.StringTensor[] strings;
}

/// @notice What a model returned.
/// @dev `is_simulation_result` is true when the answer comes from the pre-execution
/// (simulation) pass and holds no real data; contracts are expected to branch on it.
struct ModelOutput {
    TensorLib.MultiDimensionalNumberTensor[] numbers;
    TensorLib.StringTensor[] strings;
    TensorLib.JsonScalar[] jsons;
    bool is_simulation_result;
}

/// @notice A model call as the inference precompile receives it.
struct ModelInferenceRequest {
    ModelInferenceMode mode;
    string modelCID;
    ModelInput input;
}

/// @notice An on-chain text completion request.
/// @dev `temperature` is the sampling temperature times 100.
struct LLMCompletionRequest {
    LLMInferenceMode mode;
    string modelCID;
    string prompt;
    uint32 max_tokens;
    string[] stop_sequence;
    uint32 temperature;
}

/// @notice The answer to an {LLMCompletionRequest}.
struct LLMCompletionResponse {
    string answer;
}

/// @notice A tool invocation requested by the model; `arguments` is a JSON text.
struct ToolCall {
    string id;
    string name;
    string arguments;
}

/// @notice One chat message. Unused fields are empty strings or an empty list.
struct ChatMessage {
    string role;
    string content;
    string name;
    string tool_call_id;
    ToolCall[] tool_calls;
}

/// @notice A tool the model may call; `parameters` is a JSON schema text.
/// @dev `description` comes first on the wire, unlike OpenAI's JSON layout.
struct ToolDefinition {
    string description;
    string name;
    string parameters;
}

/// @notice An on-chain chat request.
/// @dev `temperature` is the sampling temperature times 100.
struct LLMChatRequest {
    LLMInferenceMode mode;
    string modelCID;
    ChatMessage[] messages;
    ToolDefinition[] tools;
    string tool_choice;
    uint32 max_tokens;
    string[] stop_sequence;
    uint32 temperature;
}

/// @notice The answer to an {LLMChatRequest}.
struct LLMChatResponse {
    string finish_reason;
    ChatMessage message;
}

/// @notice A query for historical market candles, e.g. 10 hourly ETH/USD candles.
/// @dev The candles become a `[total_candles, candle_types.length]` input tensor, one row per
/// candle and columns in `candle_types` order.
struct HistoricalInputQuery {
    string base;
    string quote;
    uint32 total_candles;
    uint32 candle_duration_in_mins;
    CandleOrder order;
    CandleType[] candle_types;
}
