// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title PreparedResults
/// @notice How a local devnet feeds off-chain results (model outputs, LLM answers, candles) into a
/// transaction: the results are computed before the transaction is mined and parked as the code of
/// deterministic "result accounts", addressed by the request they answer.
/// @dev The `n`-th result for the calldata whose `keccak256` is `requestHash` lives at
/// `address(uint160(uint256(keccak256(abi.encode(S, requestHash, n % RESULT_WINDOW)))))` for the
/// stand-in at `S` (see {resultAccount}); its code is
/// `abi.encode(uint256 n, bool ok, string inferenceId, bytes payload)`, where `payload` is the
/// ABI-encoded return value (`ok`) or the revert reason (`!ok`).
/// Results are addressed by request, not by position, so transactions may execute in any order
/// and share a block: each call takes the next unused result for its own request. A request's
/// accounts are reused every `RESULT_WINDOW` results (the stored `n` tells a fresh result from an
/// old one), so repeating a request does not grow the chain state, which every block hashes.
/// Account code is used as the carrier because the node can set it with `anvil_setCode` without
/// touching the stand-in's storage.
abstract contract PreparedResults {
    /// @notice How many results of each request were consumed. Declared first so the mapping sits
    /// at storage slot 0: the count of `requestHash` is at `keccak256(abi.encode(requestHash, 0))`,
    /// where the node reads it with `eth_getStorageAt`.
    mapping(bytes32 requestHash => uint256) public consumedResults;

    /// @dev How many consecutive results of one request have accounts of their own.
    uint256 internal constant RESULT_WINDOW = 256;

    /// @notice The account whose code holds result number `occurrence` of the request hashed as
    /// `requestHash`.
    function resultAccount(bytes32 requestHash, uint256 occurrence) public view returns (address) {
        return address(
            uint160(uint256(keccak256(abi.encode(address(this), requestHash, occurrence % RESULT_WINDOW))))
        );
    }

    /// @dev Consumes the next result prepared for exactly this calldata.
    /// Without one (eth_call, gas estimation, the pre-execution trace) it returns `found = false`
    /// and changes nothing, so the caller answers like the simulation pass of the real precompile.
    /// A prepared failure reverts with its reason, after nothing was written.
    function _takeResult() internal returns (bool found, string memory inferenceId, bytes memory payload) {
        bytes32 requestHash = keccak256(msg.data);
        uint256 occurrence = consumedResults[requestHash];
        address account = resultAccount(requestHash, occurrence);
        // EXTCODESIZE only: a missing result costs no copy.
        if (account.code.length < 32) return (false, "", "");
        bytes memory code = account.code;
        uint256 stored;
        assembly ("memory-safe") {
            stored := mload(add(code, 0x20))
        }
        // An older result of the same request, `RESULT_WINDOW` occurrences back.
        if (stored != occurrence) return (false, "", "");
        bool ok;
        (, ok, inferenceId, payload) = abi.decode(code, (uint256, bool, string, bytes));
        if (!ok) revert(string(payload));
        consumedResults[requestHash] = occurrence + 1;
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
