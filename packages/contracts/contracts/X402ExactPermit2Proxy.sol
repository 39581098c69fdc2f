// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {PermitTransferFrom, SignatureTransferDetails} from "./Permit2.sol";
import {X402Permit2ProxyBase} from "./X402Permit2ProxyBase.sol";

/// @title X402ExactPermit2Proxy
/// @notice Settles x402 `exact` payments made with a Permit2 signature (for tokens without
/// EIP-3009): the payer signs a Permit2 permit with this contract as spender and a witness naming
/// the payee; anyone may then settle it, always for the full permitted amount. Canonical address
/// `0x402085c248EeA27D92E8b30b2C58ed07f9E20001`.
/// @dev Wire-compatible with the proxy the `@x402/evm` `exact` scheme calls: same functions,
/// witness type and errors.
contract X402ExactPermit2Proxy is X402Permit2ProxyBase {
    /// @notice The witness the payer signs beside the permit.
    struct Witness {
        /// @dev Receives the payment.
        address to;
        /// @dev The payment cannot be settled before this unix time.
        uint256 validAfter;
    }

    /// @notice EIP-712 type hash of {Witness}.
    bytes32 public constant WITNESS_TYPEHASH = keccak256("Witness(address to,uint256 validAfter)");
    /// @notice The witness part of the permit's type string, as Permit2 expects it.
    string public constant WITNESS_TYPE_STRING =
        "Witness witness)TokenPermissions(address token,uint256 amount)Witness(address to,uint256 validAfter)";

    /// @notice A payment of nothing is refused: it would only spend the payer's nonce.
    error InvalidAmount();

    /// @notice Moves the permitted amount from `owner` to `witness.to`.
    function settle(PermitTransferFrom calldata permit, address owner, Witness calldata witness, bytes calldata signature)
        external
        nonReentrant
    {
        _settle(permit, owner, witness, signature);
        emit Settled();
    }

    /// @notice Submits the payer's EIP-2612 approval of Permit2, then settles like {settle}.
    function settleWithPermit(
        EIP2612Permit calldata permit2612,
        PermitTransferFrom calldata permit,
        address owner,
        Witness calldata witness,
        bytes calldata signature
    ) external nonReentrant {
        _submitEip2612Permit(permit2612, permit, owner);
        _settle(permit, owner, witness, signature);
        emit SettledWithPermit();
    }

    function _settle(PermitTransferFrom calldata permit, address owner, Witness calldata witness, bytes calldata signature)
        private
    {
        _checkSettlement(owner, witness.to, witness.validAfter);
        if (permit.permitted.amount == 0) revert InvalidAmount();
        PERMIT2.permitWitnessTransferFrom(
            permit,
            SignatureTransferDetails({to: witness.to, requestedAmount: permit.permitted.amount}),
            owner,
            keccak256(abi.encode(WITNESS_TYPEHASH, witness.to, witness.validAfter)),
            WITNESS_TYPE_STRING,
            signature
        );
    }
}
