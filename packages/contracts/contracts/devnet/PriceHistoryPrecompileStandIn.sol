// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IPriceHistoryPrecompile} from "../IPriceHistoryPrecompile.sol";
import {HistoricalInputQuery, ModelOutput} from "../InferenceTypes.sol";
import {TensorLib} from "../TensorLib.sol";
import {PreparedResults} from "./PreparedResults.sol";

/// @title PriceHistoryPrecompileStandIn
/// @notice Runtime code a local devnet installs at `0x…F5` in place of the price-history
/// precompile. The node fetches candles and runs models off-chain and hands the answers in
/// through {PreparedResults}.
/// @dev Without a prepared result it answers as the simulation pass does: an empty candle list,
/// or an empty output with `is_simulation_result` set. Unknown selectors revert (no fallback).
contract PriceHistoryPrecompileStandIn is IPriceHistoryPrecompile, PreparedResults {
    /// @inheritdoc IPriceHistoryPrecompile
    /// @dev The real precompile logs nothing for a plain candle query, so neither does this.
    function queryHistoricalCandles(HistoricalInputQuery calldata)
        external
        returns (TensorLib.Number[] memory candles)
    {
        (bool found,, bytes memory payload) = _takeResult();
        if (!found) return candles;
        _returnRaw(payload);
    }

    /// @inheritdoc IPriceHistoryPrecompile
    function runInferenceOnPriceFeed(
        string calldata model_id,
        string calldata,
        HistoricalInputQuery calldata query
    ) external returns (ModelOutput memory output) {
        (bool found, string memory inferenceId, bytes memory payload) = _takeResult();
        if (!found) {
            output.is_simulation_result = true;
            return output;
        }
        // The event does not carry the output, so the payload is never decoded here; the caller's
        // own decoding validates it.
        emit HistoricalInferenceEvent(inferenceId, model_id, query.base, query.quote);
        _returnRaw(payload);
    }
}
