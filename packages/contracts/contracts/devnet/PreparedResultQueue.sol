// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title PreparedResultQueue
/// @notice How a local devnet feeds off-chain results (model outputs, LLM answers, candles) into a
/// transaction: the results are computed before the transaction is mined and parked as the code of
/// deterministic "result accounts", which a precompile stand-in consumes in order.
/// @dev Result `i` of the stand-in at address `S` lives at
/// `address(uint160(uint256(keccak256(abi.encode(S, i)))))` (see {resultAccount}); its code is
/// `abi.encode(bytes32 requestHash, bool ok, string inferenceId, bytes payload)`, where
/// `requestHash` is `keccak256` of the calldata being answered and `payload` is the ABI-encoded
/// return value (`ok`) or the revert reason (`!ok`).
/// Account code is used as the carrier because the node can set it with `anvil_setCode` without
/// touching the stand-in's storage, and `eth_call` never sees a result it did not prepare.
/// A result whose hash does not match the call is ignored, so a stale account (left by a
/// transaction that reverted) never answers a different request.
abstract contract PreparedResultQueue {
    /// @notice Index of the next result to consume. Declared first so it sits in storage slot 0,
    /// where the node reads it with `eth_getStorageAt`.
    uint256 public nextResultIndex;

    /// @notice The account whose code holds result number `index` of this stand-in.
    function resultAccount(uint256 index) public view returns (address) {
        return address(uint160(uint256(keccak256(abi.encode(address(this), index)))));
    }

    /// @dev Consumes the next result when it was prepared for exactly this call.
    /// Without one (eth_call, gas estimation, the pre-execution trace) it returns `found = false`
    /// and changes nothing, so the caller answers like the simulation pass of the real precompile.
    /// A prepared failure reverts with its reason, after nothing was written.
    function _takeResult() internal returns (bool found, string memory inferenceId, bytes memory payload) {
        uint256 index = nextResultIndex;
        address account = resultAccount(index);
        // EXTCODESIZE only: a missing result costs no copy.
        if (account.code.length < 32) return (false, "", "");
        bytes memory code = account.code;
        bytes32 requestHash;
        assembly ("memory-safe") {
            requestHash := mload(add(code, 0x20))
        }
        if (requestHash != keccak256(msg.data)) return (false, "", "");

        bool ok;
        (, ok, inferenceId, payload) = abi.decode(code, (bytes32, bool, string, bytes));
        if (!ok) revert(string(payload));
        nextResultIndex = index + 1;
        return (true, inferenceId, payload);
    }

    /// @dev Ends the call returning `data` verbatim, so callers receive the node's encoding
    /// byte for byte without a decode/encode round trip.
    function _returnRaw(bytes memory data) internal pure {
        assembly ("memory-safe") {
            return(add(data, 0x20), mload(data))
        }
    }
}
