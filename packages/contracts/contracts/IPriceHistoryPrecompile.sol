// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {HistoricalInputQuery, ModelOutput} from "./InferenceTypes.sol";
import {TensorLib} from "./TensorLib.sol";

/// @title IPriceHistoryPrecompile
/// @notice The price-history precompile at `0x00000000000000000000000000000000000000F5`: it fetches
/// market candles and can feed them straight into a model.
/// @dev Not `view` for the same reason as the inference precompile: it emits its own log.
interface IPriceHistoryPrecompile {
    /// @notice Emitted by the precompile for every price-feed inference it executes.
    event HistoricalInferenceEvent(string inferenceID, string modelID, string base, string quote);

    /// @notice Returns the requested candle fields as one flat, row-major list (one row per
    /// candle, columns in `query.candle_types` order).
    function queryHistoricalCandles(HistoricalInputQuery calldata query)
        external
        returns (TensorLib.Number[] memory);

    /// @notice Fetches the candles of `query`, builds the number tensor `input_name` of shape
    /// `[total_candles, candle_types.length]` and runs `model_id` on it.
    function runInferenceOnPriceFeed(
        string calldata model_id,
        string calldata input_name,
        HistoricalInputQuery calldata query
    ) external returns (ModelOutput memory);
}
