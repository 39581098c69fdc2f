// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title Multicall3
/// @notice Batched read calls, with the interface of the Multicall3 contract deployed at
/// `0xcA11bde05977b3631167028862bE2a173976CA11` on most EVM chains. Local networks install it
/// there because payment facilitators diagnose refused payments (balance, allowance, nonce)
/// with one `tryAggregate` call.
/// @dev Written from the published interface; only the aggregation functions are provided.
contract Multicall3 {
    /// @notice A call of {aggregate} and {tryAggregate}.
    struct Call {
        address target;
        bytes callData;
    }

    /// @notice A call of {aggregate3}, with its own failure policy.
    struct Call3 {
        address target;
        bool allowFailure;
        bytes callData;
    }

    /// @notice The outcome of one call.
    struct Result {
        bool success;
        bytes returnData;
    }

    /// @notice A call that was not allowed to fail failed; `index` is its position.
    error CallFailed(uint256 index, bytes returnData);

    /// @notice Runs every call; reverts when one fails.
    function aggregate(Call[] calldata calls) external payable returns (uint256 blockNumber, bytes[] memory returnData) {
        returnData = new bytes[](calls.length);
        for (uint256 i = 0; i < calls.length; i++) {
            (bool success, bytes memory data) = calls[i].target.call(calls[i].callData);
            if (!success) revert CallFailed(i, data);
            returnData[i] = data;
        }
        blockNumber = block.number;
    }

    /// @notice Runs every call; a failure reverts only when `requireSuccess` is set.
    function tryAggregate(bool requireSuccess, Call[] calldata calls)
        external
        payable
        returns (Result[] memory returnData)
    {
        returnData = new Result[](calls.length);
        for (uint256 i = 0; i < calls.length; i++) {
            (bool success, bytes memory data) = calls[i].target.call(calls[i].callData);
            if (requireSuccess && !success) revert CallFailed(i, data);
            returnData[i] = Result(success, data);
        }
    }

    /// @notice Runs every call; a failure reverts unless that call allows failure.
    function aggregate3(Call3[] calldata calls) external payable returns (Result[] memory returnData) {
        returnData = new Result[](calls.length);
        for (uint256 i = 0; i < calls.length; i++) {
            (bool success, bytes memory data) = calls[i].target.call(calls[i].callData);
            if (!calls[i].allowFailure && !success) revert CallFailed(i, data);
            returnData[i] = Result(success, data);
        }
    }

    /// @notice The current block number.
    function getBlockNumber() external view returns (uint256) {
        return block.number;
    }
}
