// RUN: ge-opt %s --split-input-file --verify-diagnostics | filecheck %s

// Verifier errors of graph.transpose: perm is a permutation of the input rank; result shape and
// element type follow.

func.func @perm_too_short(%x: tensor<2x3x4xf32>) {
// CHECK: {{.*}}transpose.mlir:[[# @LINE + 2]]:3: error: graph.transpose: permutation [1, 0] is not a permutation of rank 3
// CHECK-NEXT: %0 = graph.transpose %x {perm = array<i64: 1, 0>} : tensor<2x3x4xf32> -> tensor<3x2x4xf32>
  %0 = graph.transpose %x {perm = array<i64: 1, 0>} : tensor<2x3x4xf32> -> tensor<3x2x4xf32>
  func.return
}

// -----

func.func @perm_repeats(%x: tensor<2x3xf32>) {
// CHECK: error: graph.transpose: permutation [0, 0] is not a permutation of rank 2
  %0 = graph.transpose %x {perm = array<i64: 0, 0>} : tensor<2x3xf32> -> tensor<2x2xf32>
  func.return
}

// -----

func.func @perm_out_of_range(%x: tensor<2x3xf32>) {
// CHECK: error: graph.transpose: permutation [1, 2] is not a permutation of rank 2
  %0 = graph.transpose %x {perm = array<i64: 1, 2>} : tensor<2x3xf32> -> tensor<3x2xf32>
  func.return
}

// -----

func.func @perm_negative(%x: tensor<2x3xf32>) {
// CHECK: error: graph.transpose: permutation [-1, 0] is not a permutation of rank 2
  %0 = graph.transpose %x {perm = array<i64: -1, 0>} : tensor<2x3xf32> -> tensor<3x2xf32>
  func.return
}

// -----

func.func @result_shape_wrong(%x: tensor<2x3x4xf32>) {
// CHECK: error: graph.transpose: result shape 2x4x3 does not match expected 4x2x3
  %0 = graph.transpose %x {perm = array<i64: 2, 0, 1>} : tensor<2x3x4xf32> -> tensor<2x4x3xf32>
  func.return
}

// -----

func.func @element_type_differs(%x: tensor<2x3xf16>) {
// CHECK: error: graph.transpose: element types differ: f16, f32
  %0 = graph.transpose %x {perm = array<i64: 1, 0>} : tensor<2x3xf16> -> tensor<3x2xf32>
  func.return
}
