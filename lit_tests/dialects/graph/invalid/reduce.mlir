// RUN: ge-opt %s --split-input-file --verify-diagnostics | filecheck %s

// Verifier errors of graph.reduce_sum / reduce_mean / reduce_max: axes (non-empty, distinct after
// normalizing negative axes, in range), keepdims result shape, element type.

func.func @empty_axes(%x: tensor<2x3xf32>) {
// CHECK: {{.*}}reduce.mlir:[[# @LINE + 2]]:3: error: graph.reduce_sum: axes must not be empty
// CHECK-NEXT: %0 = graph.reduce_sum %x {axes = array<i64>} : tensor<2x3xf32> -> tensor<2x3xf32>
  %0 = graph.reduce_sum %x {axes = array<i64>} : tensor<2x3xf32> -> tensor<2x3xf32>
  func.return
}

// -----

func.func @duplicate_axes(%x: tensor<2x3x4xf32>) {
// CHECK: error: graph.reduce_mean: axes [1, 1] name a dimension twice
  %0 = graph.reduce_mean %x {axes = array<i64: 1, 1>} : tensor<2x3x4xf32> -> tensor<2x4xf32>
  func.return
}

// -----

func.func @duplicate_axes_after_normalizing(%x: tensor<2x3x4xf32>) {
// CHECK: error: graph.reduce_max: axes [2, -1] name a dimension twice
  %0 = graph.reduce_max %x {axes = array<i64: 2, -1>} : tensor<2x3x4xf32> -> tensor<2x3xf32>
  func.return
}

// -----

func.func @axis_out_of_range(%x: tensor<2x3x4xf32>) {
// CHECK: error: graph.reduce_sum: axis 3 is out of range for rank 3
  %0 = graph.reduce_sum %x {axes = array<i64: 3>} : tensor<2x3x4xf32> -> tensor<2x3xf32>
  func.return
}

// -----

func.func @negative_axis_out_of_range(%x: tensor<2x3x4xf32>) {
// CHECK: error: graph.reduce_mean: axis -4 is out of range for rank 3
  %0 = graph.reduce_mean %x {axes = array<i64: -4>} : tensor<2x3x4xf32> -> tensor<3x4xf32>
  func.return
}

// -----

func.func @keepdims_result_drops_dim(%x: tensor<2x3x4xf32>) {
// CHECK: error: graph.reduce_sum: result shape 2x4 does not match expected 2x1x4
  %0 = graph.reduce_sum %x {axes = array<i64: 1>, keepdims} : tensor<2x3x4xf32> -> tensor<2x4xf32>
  func.return
}

// -----

func.func @result_keeps_dim_without_keepdims(%x: tensor<2x3x4xf32>) {
// CHECK: error: graph.reduce_max: result shape 2x1x4 does not match expected 2x4
  %0 = graph.reduce_max %x {axes = array<i64: 1>} : tensor<2x3x4xf32> -> tensor<2x1x4xf32>
  func.return
}

// -----

func.func @result_shape_wrong(%x: tensor<?x77x768xf16>) {
// CHECK: error: graph.reduce_mean: result shape ?x768 does not match expected ?x77
  %0 = graph.reduce_mean %x {axes = array<i64: -1>} : tensor<?x77x768xf16> -> tensor<?x768xf16>
  func.return
}

// -----

func.func @element_type_differs(%x: tensor<8xi32>) {
// CHECK: error: graph.reduce_sum: element types differ: i32, i64
  %0 = graph.reduce_sum %x {axes = array<i64: 0>} : tensor<8xi32> -> tensor<i64>
  func.return
}
