// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Permit2, PermitTransferFrom} from "./Permit2.sol";

/// @title X402Permit2ProxyBase
/// @notice What the x402 Permit2 proxies share: the Permit2 address, the EIP-2612 approval they
/// can submit before settling, the checks on owner and destination, and a reentrancy lock.
/// @dev The proxies are the `spender` of the payer's Permit2 signature, so only they can spend
/// it, and they spend it only towards the destination in the signed witness. They keep no
/// constructor state: their runtime code can be installed at the canonical addresses directly.
abstract contract X402Permit2ProxyBase {
    /// @notice An EIP-2612 approval of the payer's tokens to Permit2, signed off-chain, so a payer
    /// who never approved Permit2 on the token can still pay without sending a transaction.
    struct EIP2612Permit {
        uint256 value;
        uint256 deadline;
        bytes32 r;
        bytes32 s;
        uint8 v;
    }

    /// @notice The canonical Permit2 address (the same on every chain).
    Permit2 public constant PERMIT2 = Permit2(0x000000000022D473030F116dDEE9F6B43aC78BA3);

    bool private transient _entered;

    /// @notice A payment was settled through Permit2.
    event Settled();
    /// @notice A payment was settled after submitting the payer's EIP-2612 approval.
    event SettledWithPermit();

    /// @notice The witness sends the payment to the zero address.
    error InvalidDestination();
    /// @notice The owner of the tokens is the zero address.
    error InvalidOwner();
    /// @notice Nothing is deployed at the Permit2 address on this chain.
    error InvalidPermit2Address();
    /// @notice The witness's `validAfter` is still in the future.
    error PaymentTooEarly();
    /// @notice The EIP-2612 approval is for less than the Permit2 permit may move.
    error Permit2612AmountMismatch();
    /// @notice A settlement was entered again before it finished.
    error ReentrancyGuardReentrantCall();

    /// @dev The lock lives in transient storage: it costs little and is cleared after every
    /// transaction, and needs no constructor.
    modifier nonReentrant() {
        if (_entered) revert ReentrancyGuardReentrantCall();
        _entered = true;
        _;
        _entered = false;
    }

    function _checkSettlement(address owner, address to, uint256 validAfter) internal view {
        if (address(PERMIT2).code.length == 0) revert InvalidPermit2Address();
        if (owner == address(0)) revert InvalidOwner();
        if (to == address(0)) revert InvalidDestination();
        if (block.timestamp < validAfter) revert PaymentTooEarly();
    }

    /// @dev A failing `permit` is ignored on purpose: anyone can submit a signed approval first
    /// (front-running it), after which ours reverts although the allowance is in place. When the
    /// allowance is really missing, the Permit2 transfer fails instead.
    function _submitEip2612Permit(EIP2612Permit calldata permit2612, PermitTransferFrom calldata permit, address owner)
        internal
    {
        if (permit2612.value < permit.permitted.amount) revert Permit2612AmountMismatch();
        (bool submitted,) = permit.permitted.token.call(
            abi.encodeWithSignature(
                "permit(address,address,uint256,uint256,uint8,bytes32,bytes32)",
                owner,
                address(PERMIT2),
                permit2612.value,
                permit2612.deadline,
                permit2612.v,
                permit2612.r,
                permit2612.s
            )
        );
        submitted;
    }
}
