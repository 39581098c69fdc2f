// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title TaskScheduler
/// @notice Registry of scheduled workflows: a user asks for `run()` of a contract to be called
/// every `frequency` seconds until `endTime`. The calls themselves are sent by an off-chain
/// executor that reads {getAllTasks}; this contract only records the schedule.
/// @dev ABI-identical to the scheduler on the Alpha testnet. A task id is
/// `keccak256(abi.encodePacked(user, contractAddress))`, so a user has at most one schedule per
/// contract and only that user can change it. Every field starts empty, so the runtime code can be
/// installed without running a constructor.
contract TaskScheduler {
    /// @notice A schedule. `endTime` is a unix time in seconds; `frequency` is in seconds.
    struct Task {
        address user;
        address contractAddress;
        uint256 endTime;
        uint256 frequency;
    }

    /// @notice Schedules by id.
    mapping(bytes32 => Task) public tasks;

    /// @notice Ids of the registered schedules. Stopping a task moves the last id into its place,
    /// so the order is registration order only until the first stop.
    bytes32[] public taskIds;

    /// @dev Position of each id in {taskIds}, plus one (0 means absent), for O(1) removal.
    mapping(bytes32 => uint256) internal _positionPlusOne;

    /// @notice A schedule was created, or replaced by registering the same contract again.
    event TaskRegistered(address indexed user, address indexed contractAddress, uint256 endTime, uint256 frequency);

    /// @notice A schedule was removed by its user.
    event TaskStopped(address indexed user, address indexed contractAddress);

    /// @notice A schedule's end time and frequency were changed by its user.
    event TaskUpdated(address indexed user, address indexed contractAddress, uint256 newEndTime, uint256 newFrequency);

    /// @notice Schedules `run()` of `contractAddress` every `frequency` seconds until `endTime`.
    /// Registering the same contract again replaces the schedule.
    /// @dev An `endTime` in the past is accepted and simply never runs: clients compute it from
    /// their own clock, which may disagree with block time on local networks.
    function registerTask(address contractAddress, uint256 endTime, uint256 frequency) external {
        require(contractAddress != address(0), "TaskScheduler: zero contract address");
        require(frequency > 0, "TaskScheduler: frequency must be positive");
        bytes32 id = _taskId(msg.sender, contractAddress);
        tasks[id] = Task({user: msg.sender, contractAddress: contractAddress, endTime: endTime, frequency: frequency});
        if (_positionPlusOne[id] == 0) {
            taskIds.push(id);
            _positionPlusOne[id] = taskIds.length;
        }
        emit TaskRegistered(msg.sender, contractAddress, endTime, frequency);
    }

    /// @notice Changes the end time and frequency of the caller's schedule for `contractAddress`.
    function updateTask(address contractAddress, uint256 newEndTime, uint256 newFrequency) external {
        require(newFrequency > 0, "TaskScheduler: frequency must be positive");
        bytes32 id = _taskId(msg.sender, contractAddress);
        require(_positionPlusOne[id] != 0, "TaskScheduler: task not found");
        Task storage task = tasks[id];
        task.endTime = newEndTime;
        task.frequency = newFrequency;
        emit TaskUpdated(msg.sender, contractAddress, newEndTime, newFrequency);
    }

    /// @notice Removes the caller's schedule for `contractAddress`.
    function stopTask(address contractAddress) external {
        bytes32 id = _taskId(msg.sender, contractAddress);
        uint256 positionPlusOne = _positionPlusOne[id];
        require(positionPlusOne != 0, "TaskScheduler: task not found");

        uint256 lastIndex = taskIds.length - 1;
        if (positionPlusOne - 1 != lastIndex) {
            bytes32 lastId = taskIds[lastIndex];
            taskIds[positionPlusOne - 1] = lastId;
            _positionPlusOne[lastId] = positionPlusOne;
        }
        taskIds.pop();
        delete _positionPlusOne[id];
        delete tasks[id];
        emit TaskStopped(msg.sender, contractAddress);
    }

    /// @notice Every registered schedule, including those whose end time has passed; the executor
    /// skips those.
    function getAllTasks() external view returns (Task[] memory) {
        uint256 length = taskIds.length;
        Task[] memory all = new Task[](length);
        for (uint256 i = 0; i < length; ++i) {
            all[i] = tasks[taskIds[i]];
        }
        return all;
    }

    function _taskId(address user, address contractAddress) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(user, contractAddress));
    }
}
