// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title OPGToken
/// @notice The OpenGradient token (OPG) for local networks: an ERC-20 with signed approvals
/// (EIP-2612 `permit`) and signed transfers (EIP-3009), the two ways x402 payments move OPG.
/// @dev Written from the EIPs. The EIP-712 domain is name "OpenGradient", version "1", as on the
/// network, so signatures built for the real token verify here too. Minting is limited to the
/// owner, which is all a devnet faucet needs.
contract OPGToken {
    /// @notice Token name, also the EIP-712 domain name.
    string public constant name = "OpenGradient";
    /// @notice Token symbol.
    string public constant symbol = "OPG";
    /// @notice Token decimals.
    uint8 public constant decimals = 18;
    /// @notice EIP-712 domain version.
    string public constant version = "1";

    /// @notice EIP-2612 permit struct type hash.
    bytes32 public constant PERMIT_TYPEHASH =
        keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)");
    /// @notice EIP-3009 `transferWithAuthorization` struct type hash.
    bytes32 public constant TRANSFER_WITH_AUTHORIZATION_TYPEHASH = keccak256(
        "TransferWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)"
    );
    /// @notice EIP-3009 `receiveWithAuthorization` struct type hash.
    bytes32 public constant RECEIVE_WITH_AUTHORIZATION_TYPEHASH = keccak256(
        "ReceiveWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)"
    );
    /// @notice EIP-3009 `cancelAuthorization` struct type hash.
    bytes32 public constant CANCEL_AUTHORIZATION_TYPEHASH = keccak256("CancelAuthorization(address authorizer,bytes32 nonce)");

    bytes32 private constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    /// @dev Half the secp256k1 order: EIP-2 rejects signatures with a larger `s`, because for each
    /// signature `(r, s)` the pair `(r, n - s)` is also valid and would let a third party replay a
    /// different encoding of the same authorisation.
    uint256 private constant HALF_CURVE_ORDER = 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0;

    /// @dev The domain separator is cached for the deployment chain and address, and recomputed
    /// after a fork changes the chain id or when the runtime code was installed at another address.
    uint256 private immutable _cachedChainId;
    address private immutable _cachedThis;
    bytes32 private immutable _cachedDomainSeparator;

    /// @notice Total amount in circulation.
    uint256 public totalSupply;
    /// @notice Balances by holder.
    mapping(address => uint256) public balanceOf;
    /// @notice Allowances by holder, then spender.
    mapping(address => mapping(address => uint256)) public allowance;
    /// @notice Next EIP-2612 nonce of each holder.
    mapping(address => uint256) public nonces;
    /// @notice The account allowed to mint.
    address public owner;

    mapping(address => mapping(bytes32 => bool)) private _authorizationUsed;

    /// @notice ERC-20 transfer, including mints (from the zero address).
    event Transfer(address indexed from, address indexed to, uint256 value);
    /// @notice ERC-20 allowance change.
    event Approval(address indexed owner, address indexed spender, uint256 value);
    /// @notice An EIP-3009 authorisation was executed.
    event AuthorizationUsed(address indexed authorizer, bytes32 indexed nonce);
    /// @notice An EIP-3009 authorisation was cancelled before use.
    event AuthorizationCanceled(address indexed authorizer, bytes32 indexed nonce);
    /// @notice The minting account changed.
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);

    /// @notice `sender` holds `balance`, less than `needed`.
    error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed);
    /// @notice `spender` may move `allowance`, less than `needed`.
    error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed);
    /// @notice Transfers from the zero address are not possible.
    error ERC20InvalidSender(address sender);
    /// @notice Transfers to the zero address would burn tokens silently.
    error ERC20InvalidReceiver(address receiver);
    /// @notice Approvals for the zero address are meaningless.
    error ERC20InvalidSpender(address spender);
    /// @notice The permit's deadline has passed.
    error ERC2612ExpiredSignature(uint256 deadline);
    /// @notice The permit was signed by `signer`, not by `owner`.
    error ERC2612InvalidSigner(address signer, address owner);
    /// @notice The authorisation becomes valid only after `validAfter`.
    error AuthorizationNotYetValid(uint256 validAfter);
    /// @notice The authorisation was valid only before `validBefore`.
    error AuthorizationExpired(uint256 validBefore);
    /// @notice The nonce was already used or cancelled.
    error AuthorizationAlreadyUsed(address authorizer, bytes32 nonce);
    /// @notice The authorisation was not signed by `authorizer`.
    error InvalidAuthorizationSigner(address signer, address authorizer);
    /// @notice `receiveWithAuthorization` must be sent by the payee, so nobody can front-run it.
    error CallerNotPayee(address caller, address payee);
    /// @notice The signature is malformed: bad `v`, high `s`, or no recoverable signer.
    error InvalidSignature();
    /// @notice Only the owner may do this.
    error Unauthorized(address caller);

    /// @param initialOwner The account allowed to mint.
    constructor(address initialOwner) {
        owner = initialOwner;
        emit OwnershipTransferred(address(0), initialOwner);
        _cachedChainId = block.chainid;
        _cachedThis = address(this);
        _cachedDomainSeparator = _buildDomainSeparator();
    }

    // ---------------------------------------------------------------------------------------------
    // ERC-20

    /// @notice Moves `value` from the caller to `to`.
    function transfer(address to, uint256 value) external returns (bool) {
        _transfer(msg.sender, to, value);
        return true;
    }

    /// @notice Moves `value` from `from` to `to` using the caller's allowance. An allowance of
    /// `type(uint256).max` is never decreased.
    function transferFrom(address from, address to, uint256 value) external returns (bool) {
        uint256 allowed = allowance[from][msg.sender];
        if (allowed != type(uint256).max) {
            if (allowed < value) revert ERC20InsufficientAllowance(msg.sender, allowed, value);
            unchecked {
                allowance[from][msg.sender] = allowed - value;
            }
        }
        _transfer(from, to, value);
        return true;
    }

    /// @notice Lets `spender` move up to `value` of the caller's tokens.
    function approve(address spender, uint256 value) external returns (bool) {
        _approve(msg.sender, spender, value);
        return true;
    }

    // ---------------------------------------------------------------------------------------------
    // EIP-2612

    /// @notice Sets `allowance[holder][spender] = value` from `holder`'s EIP-712 signature.
    /// @dev The argument is named `holder` because `owner` is the minting account's getter.
    function permit(address holder, address spender, uint256 value, uint256 deadline, uint8 v, bytes32 r, bytes32 s)
        external
    {
        if (block.timestamp > deadline) revert ERC2612ExpiredSignature(deadline);
        bytes32 structHash;
        unchecked {
            structHash = keccak256(abi.encode(PERMIT_TYPEHASH, holder, spender, value, nonces[holder]++, deadline));
        }
        address signer = _recover(_hashTypedData(structHash), v, r, s);
        if (signer != holder) revert ERC2612InvalidSigner(signer, holder);
        _approve(holder, spender, value);
    }

    /// @notice The EIP-712 domain separator for the current chain and address.
    // solhint-disable-next-line func-name-mixedcase
    function DOMAIN_SEPARATOR() external view returns (bytes32) {
        return _domainSeparator();
    }

    /// @notice The EIP-712 domain, as described by EIP-5267 (name, version, chain id, contract).
    function eip712Domain()
        external
        view
        returns (
            bytes1 fields,
            string memory domainName,
            string memory domainVersion,
            uint256 chainId,
            address verifyingContract,
            bytes32 salt,
            uint256[] memory extensions
        )
    {
        return (hex"0f", name, version, block.chainid, address(this), bytes32(0), new uint256[](0));
    }

    // ---------------------------------------------------------------------------------------------
    // EIP-3009

    /// @notice Whether `nonce` of `authorizer` was used or cancelled.
    function authorizationState(address authorizer, bytes32 nonce) external view returns (bool) {
        return _authorizationUsed[authorizer][nonce];
    }

    /// @notice Executes a transfer signed by `from`. Anyone may submit it.
    /// @param validAfter The transfer is valid strictly after this unix time.
    /// @param validBefore The transfer is valid strictly before this unix time.
    /// @param nonce A unique random value chosen by the signer.
    function transferWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external {
        _useAuthorization(
            TRANSFER_WITH_AUTHORIZATION_TYPEHASH, from, to, value, validAfter, validBefore, nonce, v, r, s
        );
        _transfer(from, to, value);
    }

    /// @notice Like {transferWithAuthorization}, but only the payee `to` may submit it, so a
    /// contract can pull a payment inside its own call without being front-run.
    function receiveWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external {
        if (to != msg.sender) revert CallerNotPayee(msg.sender, to);
        _useAuthorization(RECEIVE_WITH_AUTHORIZATION_TYPEHASH, from, to, value, validAfter, validBefore, nonce, v, r, s);
        _transfer(from, to, value);
    }

    /// @notice Cancels an unused authorisation of `authorizer`, signed by `authorizer`.
    function cancelAuthorization(address authorizer, bytes32 nonce, uint8 v, bytes32 r, bytes32 s) external {
        if (_authorizationUsed[authorizer][nonce]) revert AuthorizationAlreadyUsed(authorizer, nonce);
        bytes32 structHash = keccak256(abi.encode(CANCEL_AUTHORIZATION_TYPEHASH, authorizer, nonce));
        address signer = _recover(_hashTypedData(structHash), v, r, s);
        if (signer != authorizer) revert InvalidAuthorizationSigner(signer, authorizer);
        _authorizationUsed[authorizer][nonce] = true;
        emit AuthorizationCanceled(authorizer, nonce);
    }

    // ---------------------------------------------------------------------------------------------
    // Owner

    /// @notice Creates `value` new tokens for `to`. Only the owner may mint.
    function mint(address to, uint256 value) external {
        if (msg.sender != owner) revert Unauthorized(msg.sender);
        if (to == address(0)) revert ERC20InvalidReceiver(address(0));
        totalSupply += value;
        unchecked {
            // Cannot overflow: no balance exceeds the total supply, which was checked above.
            balanceOf[to] += value;
        }
        emit Transfer(address(0), to, value);
    }

    /// @notice Hands the right to mint to `newOwner`.
    function transferOwnership(address newOwner) external {
        if (msg.sender != owner) revert Unauthorized(msg.sender);
        emit OwnershipTransferred(owner, newOwner);
        owner = newOwner;
    }

    // ---------------------------------------------------------------------------------------------
    // Internals

    function _transfer(address from, address to, uint256 value) internal {
        if (from == address(0)) revert ERC20InvalidSender(address(0));
        if (to == address(0)) revert ERC20InvalidReceiver(address(0));
        uint256 balance = balanceOf[from];
        if (balance < value) revert ERC20InsufficientBalance(from, balance, value);
        unchecked {
            // Cannot overflow: the sum of all balances is the total supply.
            balanceOf[from] = balance - value;
            balanceOf[to] += value;
        }
        emit Transfer(from, to, value);
    }

    function _approve(address holder, address spender, uint256 value) internal {
        if (spender == address(0)) revert ERC20InvalidSpender(address(0));
        allowance[holder][spender] = value;
        emit Approval(holder, spender, value);
    }

    /// @dev Checks the validity window, the nonce and the signature, then burns the nonce. Burning
    /// it before the transfer means a reentrant call cannot reuse the authorisation.
    function _useAuthorization(
        bytes32 typeHash,
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) internal {
        if (block.timestamp <= validAfter) revert AuthorizationNotYetValid(validAfter);
        if (block.timestamp >= validBefore) revert AuthorizationExpired(validBefore);
        if (_authorizationUsed[from][nonce]) revert AuthorizationAlreadyUsed(from, nonce);
        bytes32 structHash = keccak256(abi.encode(typeHash, from, to, value, validAfter, validBefore, nonce));
        address signer = _recover(_hashTypedData(structHash), v, r, s);
        if (signer != from) revert InvalidAuthorizationSigner(signer, from);
        _authorizationUsed[from][nonce] = true;
        emit AuthorizationUsed(from, nonce);
    }

    function _domainSeparator() internal view returns (bytes32) {
        if (address(this) == _cachedThis && block.chainid == _cachedChainId) return _cachedDomainSeparator;
        return _buildDomainSeparator();
    }

    function _buildDomainSeparator() private view returns (bytes32) {
        return keccak256(
            abi.encode(DOMAIN_TYPEHASH, keccak256(bytes(name)), keccak256(bytes(version)), block.chainid, address(this))
        );
    }

    function _hashTypedData(bytes32 structHash) internal view returns (bytes32) {
        return keccak256(abi.encodePacked(hex"1901", _domainSeparator(), structHash));
    }

    /// @dev `ecrecover` returns the zero address for invalid input instead of failing, and accepts
    /// both `s` and `n - s`; both cases are rejected here.
    function _recover(bytes32 digest, uint8 v, bytes32 r, bytes32 s) internal pure returns (address signer) {
        if (uint256(s) > HALF_CURVE_ORDER) revert InvalidSignature();
        if (v != 27 && v != 28) revert InvalidSignature();
        signer = ecrecover(digest, v, r, s);
        if (signer == address(0)) revert InvalidSignature();
    }
}
