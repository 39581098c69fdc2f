// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title TEERegistry
/// @notice The list of trusted execution environments (LLM gateways, validators) clients connect
/// to: each entry carries the TEE's endpoint, the RSA key that signs its answers, the TLS
/// certificate clients pin, the address its payments settle to, and its liveness.
/// @dev The view functions are ABI-identical to the network's registry (`TEEInfo` with the
/// `ohttpConfig` tuple); registration and administration are this contract's own. A TEE id is
/// `keccak256(publicKey)`, the id the TEE stamps on every signed answer. A TEE is active while
/// it is enabled, its measurement (`pcrHash`) is not revoked and its last heartbeat is at most
/// {heartbeatTimeout} seconds old. Every field starts empty, so the runtime code can be installed
/// without a constructor: the first {initialize} call names the owner.
contract TEERegistry {
    /// @notice An Oblivious HTTP key configuration (RFC 9458) of a TEE; an empty `publicKey`
    /// means the TEE offers no OHTTP.
    struct OhttpConfig {
        uint8 keyId;
        uint16 kemId;
        uint16 kdfId;
        uint16 aeadId;
        bytes publicKey;
        bytes keyConfig;
        uint256 registeredAt;
    }

    /// @notice A registered TEE.
    struct TEEInfo {
        /// @dev The account that registered it, which may send its heartbeats.
        address owner;
        /// @dev Where payments for its work settle (x402 `payTo`).
        address paymentAddress;
        /// @dev Base URL, e.g. `https://127.0.0.1:8546`.
        string endpoint;
        /// @dev DER SubjectPublicKeyInfo of its RSA signing key.
        bytes publicKey;
        /// @dev DER X.509 certificate its endpoint presents.
        bytes tlsCertificate;
        /// @dev Measurement of the code it runs.
        bytes32 pcrHash;
        /// @dev 0 = LLM proxy, 1 = validator.
        uint8 teeType;
        bool enabled;
        uint256 registeredAt;
        uint256 lastHeartbeatAt;
        OhttpConfig ohttpConfig;
    }

    /// @notice The heartbeat age past which a TEE stops being active, while no other is set.
    /// @dev Generous on purpose: local chains jump forward in time in tests, and a TEE that only
    /// restarts now and then must stay listed.
    uint256 public constant DEFAULT_HEARTBEAT_TIMEOUT = 1 days;

    /// @notice The administrator: registers TEEs, enables and disables them, revokes measurements.
    address public owner;

    /// @dev 0 means {DEFAULT_HEARTBEAT_TIMEOUT}.
    uint256 internal _heartbeatTimeout;

    mapping(bytes32 => TEEInfo) internal _tees;
    mapping(uint8 => bytes32[]) internal _idsByType;

    /// @notice Measurements that no longer make a TEE trustworthy.
    mapping(bytes32 => bool) public isPCRRevoked;

    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);
    /// @notice A TEE was registered, or its entry replaced by registering the same key again.
    event TEERegistered(bytes32 indexed teeId, uint8 indexed teeType, address indexed owner, string endpoint);
    event TEEEnabledChanged(bytes32 indexed teeId, bool enabled);
    event TEEHeartbeat(bytes32 indexed teeId, uint256 timestamp);
    event OhttpConfigSet(bytes32 indexed teeId, uint8 keyId);
    event PCRRevocationChanged(bytes32 indexed pcrHash, bool revoked);
    event HeartbeatTimeoutChanged(uint256 timeout);

    modifier onlyOwner() {
        require(msg.sender == owner, "TEERegistry: caller is not the owner");
        _;
    }

    /// @dev Only the registry owner or the TEE's own operator.
    modifier onlyOperatorOf(bytes32 teeId) {
        require(_tees[teeId].registeredAt != 0, "TEERegistry: unknown TEE");
        require(
            msg.sender == owner || msg.sender == _tees[teeId].owner, "TEERegistry: caller is not the owner or operator"
        );
        _;
    }

    /// @notice Names the first owner. Callable once, by anyone: call it in the same breath as
    /// installing the code.
    function initialize(address initialOwner) external {
        require(owner == address(0), "TEERegistry: already initialized");
        require(initialOwner != address(0), "TEERegistry: zero owner");
        owner = initialOwner;
        emit OwnershipTransferred(address(0), initialOwner);
    }

    function transferOwnership(address newOwner) external onlyOwner {
        require(newOwner != address(0), "TEERegistry: zero owner");
        emit OwnershipTransferred(owner, newOwner);
        owner = newOwner;
    }

    /// @notice Registers a TEE as enabled with a fresh heartbeat, with the caller as its
    /// operator. Registering a key again replaces its endpoint, certificate, payment address
    /// and measurement (a TEE that restarted elsewhere) and enables it; its type cannot change.
    /// @dev An empty endpoint or certificate is accepted: clients must skip such entries, and a
    /// local registry is where that gets tested.
    /// @return teeId `keccak256(publicKey)`
    function registerTEE(
        uint8 teeType,
        string calldata endpoint,
        bytes calldata publicKey,
        bytes calldata tlsCertificate,
        address paymentAddress,
        bytes32 pcrHash
    ) external onlyOwner returns (bytes32 teeId) {
        require(publicKey.length > 0, "TEERegistry: empty public key");
        teeId = keccak256(publicKey);
        TEEInfo storage tee = _tees[teeId];
        if (tee.registeredAt == 0) {
            tee.teeType = teeType;
            tee.publicKey = publicKey;
            tee.registeredAt = block.timestamp;
            _idsByType[teeType].push(teeId);
        } else {
            require(tee.teeType == teeType, "TEERegistry: TEE type cannot change");
        }
        tee.owner = msg.sender;
        tee.paymentAddress = paymentAddress;
        tee.endpoint = endpoint;
        tee.tlsCertificate = tlsCertificate;
        tee.pcrHash = pcrHash;
        tee.enabled = true;
        tee.lastHeartbeatAt = block.timestamp;
        emit TEERegistered(teeId, teeType, msg.sender, endpoint);
        emit TEEHeartbeat(teeId, block.timestamp);
    }

    /// @notice Lists (`true`) or delists (`false`) a TEE without forgetting it.
    function setTEEEnabled(bytes32 teeId, bool enabled) external onlyOperatorOf(teeId) {
        _tees[teeId].enabled = enabled;
        emit TEEEnabledChanged(teeId, enabled);
    }

    /// @notice Records that the TEE is alive now.
    function heartbeat(bytes32 teeId) external onlyOperatorOf(teeId) {
        _tees[teeId].lastHeartbeatAt = block.timestamp;
        emit TEEHeartbeat(teeId, block.timestamp);
    }

    /// @notice Publishes the TEE's Oblivious HTTP key configuration; an empty `publicKey`
    /// withdraws it.
    function setOhttpConfig(
        bytes32 teeId,
        uint8 keyId,
        uint16 kemId,
        uint16 kdfId,
        uint16 aeadId,
        bytes calldata publicKey,
        bytes calldata keyConfig
    ) external onlyOperatorOf(teeId) {
        _tees[teeId].ohttpConfig = OhttpConfig({
            keyId: keyId,
            kemId: kemId,
            kdfId: kdfId,
            aeadId: aeadId,
            publicKey: publicKey,
            keyConfig: keyConfig,
            registeredAt: block.timestamp
        });
        emit OhttpConfigSet(teeId, keyId);
    }

    /// @notice Revokes (or reinstates) a measurement: TEEs running it stop being active.
    function setPCRRevoked(bytes32 pcrHash, bool revoked) external onlyOwner {
        isPCRRevoked[pcrHash] = revoked;
        emit PCRRevocationChanged(pcrHash, revoked);
    }

    /// @notice Sets the heartbeat age past which a TEE stops being active; 0 restores
    /// {DEFAULT_HEARTBEAT_TIMEOUT}.
    function setHeartbeatTimeout(uint256 timeout) external onlyOwner {
        _heartbeatTimeout = timeout;
        emit HeartbeatTimeoutChanged(heartbeatTimeout());
    }

    /// @notice Seconds a heartbeat keeps a TEE active.
    function heartbeatTimeout() public view returns (uint256) {
        return _heartbeatTimeout == 0 ? DEFAULT_HEARTBEAT_TIMEOUT : _heartbeatTimeout;
    }

    /// @notice The active TEEs of a type: enabled, measurement not revoked, heartbeat fresh.
    function getActiveTEEs(uint8 teeType) external view returns (TEEInfo[] memory) {
        bytes32[] storage ids = _idsByType[teeType];
        uint256 count;
        for (uint256 i = 0; i < ids.length; i++) {
            if (_isActive(_tees[ids[i]])) count++;
        }
        TEEInfo[] memory active = new TEEInfo[](count);
        uint256 next;
        for (uint256 i = 0; i < ids.length; i++) {
            if (_isActive(_tees[ids[i]])) active[next++] = _tees[ids[i]];
        }
        return active;
    }

    /// @notice Ids of the enabled TEEs of a type, whatever their heartbeat.
    function getEnabledTEEs(uint8 teeType) external view returns (bytes32[] memory) {
        bytes32[] storage ids = _idsByType[teeType];
        uint256 count;
        for (uint256 i = 0; i < ids.length; i++) {
            if (_tees[ids[i]].enabled) count++;
        }
        bytes32[] memory enabled = new bytes32[](count);
        uint256 next;
        for (uint256 i = 0; i < ids.length; i++) {
            if (_tees[ids[i]].enabled) enabled[next++] = ids[i];
        }
        return enabled;
    }

    /// @notice Ids of every TEE ever registered with a type, in registration order.
    function getTEEsByType(uint8 teeType) external view returns (bytes32[] memory) {
        return _idsByType[teeType];
    }

    /// @notice The entry of a TEE; reverts for an unknown id.
    function getTEE(bytes32 teeId) external view returns (TEEInfo memory) {
        require(_tees[teeId].registeredAt != 0, "TEERegistry: unknown TEE");
        return _tees[teeId];
    }

    function isTEEActive(bytes32 teeId) external view returns (bool) {
        return _isActive(_tees[teeId]);
    }

    function isTEEEnabled(bytes32 teeId) external view returns (bool) {
        return _tees[teeId].enabled;
    }

    function _isActive(TEEInfo storage tee) internal view returns (bool) {
        return tee.enabled && !isPCRRevoked[tee.pcrHash] && block.timestamp <= tee.lastHeartbeatAt + heartbeatTimeout();
    }
}
