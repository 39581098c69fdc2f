// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IPriceHistoryPrecompile} from "./IPriceHistoryPrecompile.sol";
import {HistoricalInputQuery, ModelOutput} from "./InferenceTypes.sol";

/// @title PriceHistoryInference
/// @notice A workflow: binds a model, the name of its input tensor and a candle query. Each
/// {run} feeds fresh candles to the model through the price-history precompile and keeps the
/// output, so anyone (typically a scheduler's executor) can refresh a prediction on chain.
/// @dev ABI-identical to the workflow contract the reference SDK deploys, with the same observed
/// behaviour. The storage layout matches too (slot 0 `modelId`, 1 `inputName`, 2–5 `inputQuery`,
/// 6–9 the latest result, 10 the result count, 11 the 1-based history), so state written by one
/// can be read as the other.
contract PriceHistoryInference {
    /// @notice The price-history precompile.
    /// @dev A constant rather than an immutable, so runtime code installed without running the
    /// constructor still points at the precompile.
    IPriceHistoryPrecompile public constant historicalContract =
        IPriceHistoryPrecompile(0x00000000000000000000000000000000000000F5);

    /// @notice The model run on every {run}.
    string public modelId;

    /// @notice The name of the model input that receives the candle tensor.
    string public inputName;

    /// @notice The candle query. The generated getter omits `candle_types`, because Solidity
    /// leaves dynamic arrays out of struct getters; the ABI on the network has the same gap.
    HistoricalInputQuery public inputQuery;

    ModelOutput internal _latestResult;
    uint256 internal _resultCount;
    /// @dev 1-based: entry `_resultCount` is the newest. Never pruned.
    mapping(uint256 => ModelOutput) internal _history;

    /// @notice Emitted by every {run}, with the output it stored.
    event InferenceResultEmitted(address indexed caller, ModelOutput result);

    /// @param _modelId The model to run.
    /// @param _inputName The model input that receives the candles (second, before the query).
    /// @param _query The candles to fetch on every run.
    constructor(string memory _modelId, string memory _inputName, HistoricalInputQuery memory _query) {
        modelId = _modelId;
        inputName = _inputName;
        inputQuery = _query;
    }

    /// @notice Runs the model on fresh candles, stores the output as the latest result and appends
    /// it to the history. Anyone may call it.
    /// @dev The output is stored even when it is a simulation answer (`is_simulation_result`), as
    /// the reference contract does; simulation state is discarded by the node anyway.
    function run() external {
        ModelOutput memory result = historicalContract.runInferenceOnPriceFeed(modelId, inputName, inputQuery);
        _latestResult = result;
        uint256 count = _resultCount + 1;
        _resultCount = count;
        _history[count] = result;
        emit InferenceResultEmitted(msg.sender, result);
    }

    /// @notice The output of the latest {run}; an empty output before the first one.
    function getInferenceResult() external view returns (ModelOutput memory) {
        return _latestResult;
    }

    /// @notice The outputs of the last `min(num, runs)` runs, oldest first and newest last.
    /// @dev Reverts with "Number of results must be positive" when `num` is 0.
    function getLastInferenceResults(uint256 num) external view returns (ModelOutput[] memory) {
        require(num > 0, "Number of results must be positive");
        uint256 count = _resultCount;
        uint256 length = num < count ? num : count;
        ModelOutput[] memory results = new ModelOutput[](length);
        uint256 first = count - length + 1;
        for (uint256 i = 0; i < length; ++i) {
            results[i] = _history[first + i];
        }
        return results;
    }
}
