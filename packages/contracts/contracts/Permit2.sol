// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @notice A token and the most of it a signed permit lets the spender move.
struct TokenPermissions {
    address token;
    uint256 amount;
}

/// @notice A signed, single-use permission for `msg.sender` to move tokens of the signer.
struct PermitTransferFrom {
    TokenPermissions permitted;
    /// @dev Any unused value: nonces are a bitmap, not a counter, so permits need no order.
    uint256 nonce;
    uint256 deadline;
}

/// @notice Where the spender sends the tokens, and how many of the permitted amount it takes.
struct SignatureTransferDetails {
    address to;
    uint256 requestedAmount;
}

/// @title Permit2
/// @notice Signature transfers as the canonical Permit2 contract offers them at
/// `0x000000000022D473030F116dDEE9F6B43aC78BA3`: a token holder approves this contract once on
/// the token (ERC-20 `approve`), then signs EIP-712 permits that let one spender move a bounded
/// amount once, optionally bound to extra data of the spender (a witness). x402 payments in
/// `upto` and Permit2 `exact` mode go through it.
/// @dev Written from the EIP-712 spec and the published Permit2 interface: same selectors, type
/// strings, domain (name "Permit2", no version), nonce bitmap and custom errors, so signatures
/// made for the canonical contract verify here. The allowance-based half of Permit2 is left out.
/// The contract keeps no constructor state and computes its domain separator from the current
/// chain and address, so its runtime code can be installed at the canonical address directly.
contract Permit2 {
    bytes32 private constant TOKEN_PERMISSIONS_TYPEHASH = keccak256("TokenPermissions(address token,uint256 amount)");
    bytes32 private constant PERMIT_TRANSFER_FROM_TYPEHASH = keccak256(
        "PermitTransferFrom(TokenPermissions permitted,address spender,uint256 nonce,uint256 deadline)TokenPermissions(address token,uint256 amount)"
    );
    /// @dev The start of every witness type string; the spender's `witnessTypeString` completes it
    /// with the witness field and the type definitions it references.
    string private constant PERMIT_WITNESS_TRANSFER_FROM_TYPE_STUB =
        "PermitWitnessTransferFrom(TokenPermissions permitted,address spender,uint256 nonce,uint256 deadline,";

    bytes32 private constant DOMAIN_TYPEHASH = keccak256("EIP712Domain(string name,uint256 chainId,address verifyingContract)");
    bytes32 private constant NAME_HASH = keccak256("Permit2");
    bytes4 private constant ERC1271_MAGIC_VALUE = 0x1626ba7e;

    /// @notice Used nonces of each owner: bit `nonce & 0xff` of word `nonce >> 8`.
    mapping(address => mapping(uint256 => uint256)) public nonceBitmap;

    /// @notice `owner` marked the nonces in `mask` of word `word` as used without spending them.
    event UnorderedNonceInvalidation(address indexed owner, uint256 word, uint256 mask);

    /// @notice The spender asked for more than the permit allows.
    error InvalidAmount(uint256 maxAmount);
    /// @notice The permit's deadline has passed.
    error SignatureExpired(uint256 signatureDeadline);
    /// @notice The nonce was already used or invalidated.
    error InvalidNonce();
    /// @notice The signature is neither 64 nor 65 bytes long.
    error InvalidSignatureLength();
    /// @notice No signer could be recovered from the signature.
    error InvalidSignature();
    /// @notice The signature was made by another account than `owner`, or for other data (another
    /// spender, amount, nonce, deadline or witness).
    error InvalidSigner();
    /// @notice The owner is a contract and did not accept the signature (EIP-1271).
    error InvalidContractSignature();
    /// @notice The token did not move the tokens: it reverted, returned false or has no code.
    error TransferFromFailed();

    /// @notice The EIP-712 domain separator for the current chain and address.
    // solhint-disable-next-line func-name-mixedcase
    function DOMAIN_SEPARATOR() public view returns (bytes32) {
        return keccak256(abi.encode(DOMAIN_TYPEHASH, NAME_HASH, block.chainid, address(this)));
    }

    /// @notice Moves `transferDetails.requestedAmount` of `permit.permitted.token` from `owner` to
    /// `transferDetails.to`, if `owner` signed `permit` for the caller as spender.
    function permitTransferFrom(
        PermitTransferFrom memory permit,
        SignatureTransferDetails calldata transferDetails,
        address owner,
        bytes calldata signature
    ) external {
        bytes32 structHash = keccak256(
            abi.encode(
                PERMIT_TRANSFER_FROM_TYPEHASH,
                _hashTokenPermissions(permit.permitted),
                msg.sender,
                permit.nonce,
                permit.deadline
            )
        );
        _permitTransferFrom(permit, transferDetails, owner, structHash, signature);
    }

    /// @notice Like {permitTransferFrom}, with extra data of the spender under the signature.
    /// @param witness The EIP-712 struct hash of the witness.
    /// @param witnessTypeString The rest of the type string after the stub: `<Type> <name>)`
    /// followed by the definitions of every referenced type in alphabetical order, e.g.
    /// `Witness witness)TokenPermissions(address token,uint256 amount)Witness(address to)`.
    function permitWitnessTransferFrom(
        PermitTransferFrom memory permit,
        SignatureTransferDetails calldata transferDetails,
        address owner,
        bytes32 witness,
        string calldata witnessTypeString,
        bytes calldata signature
    ) external {
        bytes32 typeHash = keccak256(abi.encodePacked(PERMIT_WITNESS_TRANSFER_FROM_TYPE_STUB, witnessTypeString));
        bytes32 structHash = keccak256(
            abi.encode(
                typeHash, _hashTokenPermissions(permit.permitted), msg.sender, permit.nonce, permit.deadline, witness
            )
        );
        _permitTransferFrom(permit, transferDetails, owner, structHash, signature);
    }

    /// @notice Marks the nonces in `mask` of word `wordPos` as used, which cancels permits signed
    /// with them that were not spent yet.
    function invalidateUnorderedNonces(uint256 wordPos, uint256 mask) external {
        nonceBitmap[msg.sender][wordPos] |= mask;
        emit UnorderedNonceInvalidation(msg.sender, wordPos, mask);
    }

    function _permitTransferFrom(
        PermitTransferFrom memory permit,
        SignatureTransferDetails calldata transferDetails,
        address owner,
        bytes32 structHash,
        bytes calldata signature
    ) private {
        uint256 requestedAmount = transferDetails.requestedAmount;
        if (requestedAmount > permit.permitted.amount) revert InvalidAmount(permit.permitted.amount);
        if (block.timestamp > permit.deadline) revert SignatureExpired(permit.deadline);
        // The nonce is spent before the signature check and the transfer: a reentrant call with
        // the same permit then fails on the nonce.
        _useUnorderedNonce(owner, permit.nonce);
        _verify(keccak256(abi.encodePacked(hex"1901", DOMAIN_SEPARATOR(), structHash)), owner, signature);
        _transferFrom(permit.permitted.token, owner, transferDetails.to, requestedAmount);
    }

    function _hashTokenPermissions(TokenPermissions memory permitted) private pure returns (bytes32) {
        return keccak256(abi.encode(TOKEN_PERMISSIONS_TYPEHASH, permitted.token, permitted.amount));
    }

    function _useUnorderedNonce(address owner, uint256 nonce) private {
        uint256 bit = 1 << (nonce & 0xff);
        uint256 word = nonceBitmap[owner][nonce >> 8];
        if (word & bit != 0) revert InvalidNonce();
        nonceBitmap[owner][nonce >> 8] = word | bit;
    }

    /// @dev Contracts answer through EIP-1271; for accounts without code the signature is ECDSA,
    /// either `r ‖ s ‖ v` (65 bytes) or the compact `r ‖ yParity·2^255 + s` of EIP-2098 (64 bytes).
    /// A high-`s` twin of a signature is accepted, as by the canonical contract: it cannot be
    /// replayed, because the permit's nonce is spent by the first use.
    function _verify(bytes32 digest, address owner, bytes calldata signature) private view {
        if (owner.code.length > 0) {
            // `isValidSignature(bytes32,bytes)` has the magic value as its selector.
            (bool success, bytes memory answer) =
                owner.staticcall(abi.encodeWithSelector(ERC1271_MAGIC_VALUE, digest, signature));
            if (!success || answer.length != 32 || bytes4(bytes32(answer)) != ERC1271_MAGIC_VALUE) {
                revert InvalidContractSignature();
            }
            return;
        }
        bytes32 r;
        bytes32 s;
        uint8 v;
        if (signature.length == 65) {
            r = bytes32(signature[0:32]);
            s = bytes32(signature[32:64]);
            v = uint8(signature[64]);
        } else if (signature.length == 64) {
            r = bytes32(signature[0:32]);
            bytes32 vs = bytes32(signature[32:64]);
            s = vs & bytes32(type(uint256).max >> 1);
            v = uint8(uint256(vs) >> 255) + 27;
        } else {
            revert InvalidSignatureLength();
        }
        address signer = ecrecover(digest, v, r, s);
        if (signer == address(0)) revert InvalidSignature();
        if (signer != owner) revert InvalidSigner();
    }

    /// @dev Accepts tokens that return `true` and tokens that return nothing (older ERC-20s); an
    /// address without code would "succeed" silently, so it is refused. A revert of the token is
    /// passed on unchanged, so callers see its reason (e.g. a missing approval to this contract).
    function _transferFrom(address token, address from, address to, uint256 amount) private {
        if (token.code.length == 0) revert TransferFromFailed();
        (bool success, bytes memory returned) =
            token.call(abi.encodeWithSignature("transferFrom(address,address,uint256)", from, to, amount));
        if (!success) {
            if (returned.length == 0) revert TransferFromFailed();
            assembly ("memory-safe") {
                revert(add(returned, 0x20), mload(returned))
            }
        }
        if (returned.length != 0 && (returned.length != 32 || abi.decode(returned, (uint256)) != 1)) {
            revert TransferFromFailed();
        }
    }
}
