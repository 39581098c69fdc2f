// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title TensorLib
/// @notice Tensor types shared by the inference precompiles, the hub and workflow contracts.
/// @dev The structs live in a library so their ABI `internalType` reads `struct TensorLib.X`,
/// as in the network's published ABIs. Field names and order are part of the wire format:
/// clients decode named tuples, so renaming or reordering a field breaks them.
library TensorLib {
    /// @notice A fixed-point number: `value * 10^(-decimals)`.
    /// @dev Both fields are int128 because the node encodes outputs with up to 28 significant
    /// digits and decimals above 18 (for example 31 for small float32 outputs).
    struct Number {
        int128 value;
        int128 decimals;
    }

    /// @notice A number tensor, flattened row-major (the last dimension varies fastest).
    struct MultiDimensionalNumberTensor {
        string name;
        Number[] values;
        uint32[] shape;
    }

    /// @notice A string tensor. It has no shape on chain, so multi-dimensional string input
    /// reaches the model as a flat list.
    struct StringTensor {
        string name;
        string[] values;
    }

    /// @notice A named JSON text, for model results that are not tensors (e.g. embeddings).
    struct JsonScalar {
        string name;
        string value;
    }
}
