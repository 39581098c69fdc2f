// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {PermitTransferFrom, SignatureTransferDetails} from "./Permit2.sol";
import {X402Permit2ProxyBase} from "./X402Permit2ProxyBase.sol";

/// @title X402UptoPermit2Proxy
/// @notice Settles x402 `upto` payments: the payer signs a Permit2 permit for a spending cap with
/// this contract as spender and a witness naming the payee and the facilitator; the facilitator
/// later settles any amount up to the cap, once. Canonical address
/// `0x4020A4f3b7b90ccA423B9fabCc0CE57C6C240002`.
/// @dev Wire-compatible with the proxy the `@x402/evm` `upto` scheme calls: same functions,
/// witness type and errors. The witness binds the facilitator, so a third party who sees the
/// signed payload cannot settle it (choosing the amount is the facilitator's privilege).
contract X402UptoPermit2Proxy is X402Permit2ProxyBase {
    /// @notice The witness the payer signs beside the permit.
    struct Witness {
        /// @dev Receives the payment.
        address to;
        /// @dev The only account allowed to settle.
        address facilitator;
        /// @dev The payment cannot be settled before this unix time.
        uint256 validAfter;
    }

    /// @notice EIP-712 type hash of {Witness}.
    bytes32 public constant WITNESS_TYPEHASH = keccak256("Witness(address to,address facilitator,uint256 validAfter)");
    /// @notice The witness part of the permit's type string, as Permit2 expects it.
    string public constant WITNESS_TYPE_STRING =
        "Witness witness)TokenPermissions(address token,uint256 amount)Witness(address to,address facilitator,uint256 validAfter)";

    /// @notice The settled amount is larger than the permit's cap.
    error AmountExceedsPermitted();
    /// @notice The caller is not the facilitator named in the witness.
    error UnauthorizedFacilitator();

    /// @notice Moves `amount` (at most the permitted cap) from `owner` to `witness.to`.
    function settle(
        PermitTransferFrom calldata permit,
        uint256 amount,
        address owner,
        Witness calldata witness,
        bytes calldata signature
    ) external nonReentrant {
        _settle(permit, amount, owner, witness, signature);
        emit Settled();
    }

    /// @notice Submits the payer's EIP-2612 approval of Permit2, then settles like {settle}.
    function settleWithPermit(
        EIP2612Permit calldata permit2612,
        PermitTransferFrom calldata permit,
        uint256 amount,
        address owner,
        Witness calldata witness,
        bytes calldata signature
    ) external nonReentrant {
        _submitEip2612Permit(permit2612, permit, owner);
        _settle(permit, amount, owner, witness, signature);
        emit SettledWithPermit();
    }

    function _settle(
        PermitTransferFrom calldata permit,
        uint256 amount,
        address owner,
        Witness calldata witness,
        bytes calldata signature
    ) private {
        _checkSettlement(owner, witness.to, witness.validAfter);
        if (msg.sender != witness.facilitator) revert UnauthorizedFacilitator();
        if (amount > permit.permitted.amount) revert AmountExceedsPermitted();
        PERMIT2.permitWitnessTransferFrom(
            permit,
            SignatureTransferDetails({to: witness.to, requestedAmount: amount}),
            owner,
            keccak256(abi.encode(WITNESS_TYPEHASH, witness.to, witness.facilitator, witness.validAfter)),
            WITNESS_TYPE_STRING,
            signature
        );
    }
}
